"""Warning: the module-level softmax(z) only works on one vector (global max on a 2-D array); loss applies it row by row, so it is correct."""

import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def log_softmax_rows(Z):
    Zs = Z - Z.max(axis=1, keepdims=True)
    return Zs - np.log(np.exp(Zs).sum(axis=1, keepdims=True))


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

        hidden_in = X @ W1 + b1
        hidden = np.maximum(hidden_in, 0)
        scores = hidden @ W2 + b2
        if y is None:
            return scores

        loss = -np.mean(log_softmax_rows(scores)[np.arange(N), y])
        loss += reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        probs = np.apply_along_axis(softmax, 1, scores)
        labels = np.zeros((N, C))
        labels[np.arange(N), y] = 1

        dscores = (probs - labels) / N
        grads = {}
        grads['W2'] = hidden.T @ dscores + 2 * reg * W2
        grads['b2'] = dscores.sum(axis=0)
        dhidden = (dscores @ W2.T) * (hidden_in > 0)
        grads['W1'] = X.T @ dhidden + 2 * reg * W1
        grads['b1'] = dhidden.sum(axis=0)
        return loss, grads
