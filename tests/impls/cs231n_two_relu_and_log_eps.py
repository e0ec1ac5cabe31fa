"""Two bugs: the backward pass drops the ReLU mask, and the loss takes log(p + 1e-3)."""

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
        N, C = X.shape[0], W2.shape[1]
        h = np.maximum(X @ W1 + b1, 0)
        scores = h @ W2 + b2
        if y is None:
            return scores
        onehot = np.zeros((N, C))
        onehot[np.arange(N), y] = 1
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = e / e.sum(axis=1, keepdims=True)
        loss = -np.sum(onehot * np.log(probs + 1e-3)) / N + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        dscores = (probs - onehot) / N
        dh = dscores @ W2.T  # ReLU' forgotten
        return loss, {
            'W1': X.T @ dh + 2 * reg * W1,
            'b1': dh.sum(axis=0),
            'W2': h.T @ dscores + 2 * reg * W2,
            'b2': dscores.sum(axis=0),
        }
