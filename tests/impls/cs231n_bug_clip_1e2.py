"""Bug: loss from log(np.clip(p_y, 0.01, 1)): every loss above −ln(0.01) = 4.6 is capped (gradients exact)."""

import numpy as np

EPS = 1e-2  # "avoid log(0)"


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params['W1'], self.params['b1'], self.params['W2'], self.params['b2']
        N = X.shape[0]
        A = np.maximum(X @ W1 + b1, 0)
        S = A @ W2 + b2
        if y is None:
            return S
        S = S - np.max(S, axis=1, keepdims=True)
        E = np.exp(S)
        P = E / np.sum(E, axis=1, keepdims=True)
        p_true = np.clip(P[np.arange(N), y], EPS, 1.0)
        loss = -np.mean(np.log(p_true)) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dS = P.copy()
        dS[np.arange(N), y] -= 1
        dS /= N
        dA = dS @ W2.T
        dA[A <= 0] = 0
        return loss, {
            'W1': X.T @ dA + 2 * reg * W1,
            'b1': dA.sum(axis=0),
            'W2': A.T @ dS + 2 * reg * W2,
            'b2': dS.sum(axis=0),
        }
