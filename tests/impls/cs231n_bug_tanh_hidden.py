"""Bug: hidden activation is tanh instead of ReLU (forward, derivative 1 - tanh^2 and loss consistent)."""

import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        p = self.params
        H = np.tanh(X @ p['W1'] + p['b1'])
        S = H @ p['W2'] + p['b2']
        if y is None:
            return S

        N = len(X)
        C = p['W2'].shape[1]
        T = np.eye(C)[y]
        S_max = np.max(S, axis=1, keepdims=True)
        logZ = S_max + np.log(np.sum(np.exp(S - S_max), axis=1, keepdims=True))
        ce = np.sum(T * (logZ - S)) / N
        decay = reg * (np.sum(p['W1'] ** 2) + np.sum(p['W2'] ** 2))

        dS = (np.exp(S - logZ) - T) / N
        dH = dS @ p['W2'].T
        dA = dH * (1.0 - H ** 2)

        return ce + decay, {
            'W1': X.T @ dA + 2 * reg * p['W1'],
            'b1': dA.sum(axis=0),
            'W2': H.T @ dS + 2 * reg * p['W2'],
            'b2': dS.sum(axis=0),
        }
