"""Two bugs: the loss sums over the batch (no 1/N), and the decay gradient is reg*W instead of 2*reg*W."""

import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params['W1'], self.params['b1'], self.params['W2'], self.params['b2']
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0)
        Z2 = A1 @ W2 + b2
        if y is None:
            return Z2
        Z2 = Z2 - Z2.max(axis=1, keepdims=True)
        LP = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))
        loss = -LP[np.arange(len(y)), y].sum() + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        D2 = np.exp(LP)
        D2[np.arange(len(y)), y] -= 1
        D1 = (D2 @ W2.T) * (Z1 > 0)
        return loss, {
            'W1': X.T @ D1 + reg * W1,
            'b1': D1.sum(axis=0),
            'W2': A1.T @ D2 + reg * W2,
            'b2': D2.sum(axis=0),
        }
