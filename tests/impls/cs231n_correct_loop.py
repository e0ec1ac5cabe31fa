"""Correct: one sample at a time (slow but right), module-level softmax on a vector."""

import numpy as np


def softmax(z):
    """Softmax of one vector z (C,)."""
    e = np.exp(z - z.max())
    return e / e.sum()


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

        if y is None:
            return np.maximum(X.dot(W1) + b1, 0).dot(W2) + b2

        loss = 0.0
        grads = {
            'W1': np.zeros_like(W1),
            'b1': np.zeros_like(b1),
            'W2': np.zeros_like(W2),
            'b2': np.zeros_like(b2),
        }
        for i in range(N):
            x = X[i]
            h_in = x.dot(W1) + b1
            h = np.maximum(h_in, 0)
            s = h.dot(W2) + b2
            m = s.max()
            loss += -(s[y[i]] - m - np.log(np.sum(np.exp(s - m)))) / N
            ds = softmax(s)
            ds[y[i]] -= 1
            grads['W2'] += np.outer(h, ds) / N
            grads['b2'] += ds / N
            dh = W2.dot(ds) * (h_in > 0)
            grads['W1'] += np.outer(x, dh) / N
            grads['b1'] += dh / N

        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        grads['W1'] += 2 * reg * W1
        grads['W2'] += 2 * reg * W2
        return loss, grads
