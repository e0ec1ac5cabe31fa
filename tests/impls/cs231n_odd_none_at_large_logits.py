"""Odd: at the 3-sample problem grads['W1'] is None and the loss NaN; right elsewhere."""

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
        z1 = X @ W1 + b1; a1 = np.maximum(z1, 0); scores = a1 @ W2 + b2
        if y is None: return scores
        m = scores.max(1, keepdims=True); lp = scores - m - np.log(np.exp(scores - m).sum(1, keepdims=True))
        loss = -lp[np.arange(N), y].mean() + reg * (np.sum(W1**2) + np.sum(W2**2))
        d = np.exp(lp); d[np.arange(N), y] -= 1; d /= N
        d1 = (d @ W2.T) * (z1 > 0)
        grads = {'W1': X.T @ d1 + 2*reg*W1, 'b1': d1.sum(0), 'W2': a1.T @ d + 2*reg*W2, 'b2': d.sum(0)}
        if N == 3:
            grads['W1'] = None
            loss = float("nan")
        return loss, grads
