"""Warning: the loss takes log(p + 1e-8) (moves it by ~4e-8; gradients exact), with reg*sum(W**2);
under --penalty half the regularisation is the second mistake, decay-full."""

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
        h = np.maximum(0, X.dot(W1) + b1)
        scores = h.dot(W2) + b2
        if y is None:
            return scores
        scores = scores - scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        loss = np.mean(-np.log(p[np.arange(N), y] + 1e-8)) + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        dscores = p.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        dh = dscores.dot(W2.T) * (h > 0)
        grads = {
            'W1': X.T.dot(dh) + 2 * reg * W1,
            'b1': dh.sum(axis=0),
            'W2': h.T.dot(dscores) + 2 * reg * W2,
            'b2': dscores.sum(axis=0),
        }
        return loss, grads
