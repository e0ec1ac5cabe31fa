"""Bug: softmax subtracts the global max instead of each row's max."""

import numpy as np


def softmax(Z):
    """Row-wise softmax of Z (N, C)."""
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=1, keepdims=True)


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params['W1'], self.params['b1']
        W2, b2 = self.params['W2'], self.params['b2']
        N, D = X.shape
        C = W2.shape[1]

        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        scores = a1 @ W2 + b2
        if y is None:
            return scores

        probs = softmax(scores)
        shifted = scores - scores.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(logp[np.arange(N), y]) + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        Y = np.zeros((N, C))
        Y[np.arange(N), y] = 1.0
        dscores = (probs - Y) / N
        grads = {}
        grads['W2'] = a1.T @ dscores + 2 * reg * W2
        grads['b2'] = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        grads['W1'] = X.T @ dz1 + 2 * reg * W1
        grads['b1'] = dz1.sum(axis=0)
        return loss, grads
