"""Bug of no known kind: grads['W2'] carries a stray term 1e-3*sin(W2)."""

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
        h = np.maximum(X @ W1 + b1, 0)
        s = h @ W2 + b2
        if y is None:
            return s
        N = len(y)
        s = s - s.max(axis=1, keepdims=True)
        lp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        loss = -lp[np.arange(N), y].mean() + reg * ((W1 ** 2).sum() + (W2 ** 2).sum())
        g = np.exp(lp)
        g[np.arange(N), y] -= 1
        g /= N
        gh = (g @ W2.T) * (h > 0)
        return loss, {
            'W1': X.T @ gh + 2 * reg * W1,
            'b1': gh.sum(0),
            'W2': h.T @ g + 2 * reg * W2 + 1e-3 * np.sin(W2),
            'b2': g.sum(0),
        }
