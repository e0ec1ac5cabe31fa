"""Bug: the loss is the mean, but the gradients start from probs - Y without the 1/N (regularisation right)."""

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
        N = X.shape[0]
        z1 = X.dot(W1) + b1
        a1 = np.maximum(z1, 0)
        scores = a1.dot(W2) + b2
        if y is None:
            return scores
        scores = scores - scores.max(axis=1, keepdims=True)
        logp = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
        loss = -np.mean(logp[np.arange(N), y]) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dscores = np.exp(logp)
        dscores[np.arange(N), y] -= 1
        dz1 = dscores.dot(W2.T) * (z1 > 0)
        grads = {
            'W1': X.T.dot(dz1) + 2 * reg * W1,
            'b1': np.sum(dz1, axis=0),
            'W2': a1.T.dot(dscores) + 2 * reg * W2,
            'b2': np.sum(dscores, axis=0),
        }
        return loss, grads
