"""Bug: loss is -mean(log(p_y + 1e-3)), a large eps that biases the loss (gradients exact)."""

import numpy as np

EPS = 1e-3


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    @staticmethod
    def _softmax(scores):
        m = np.max(scores, axis=1, keepdims=True)
        e = np.exp(scores - m)
        return e / np.sum(e, axis=1, keepdims=True)

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params['W1'], self.params['b1']
        W2, b2 = self.params['W2'], self.params['b2']

        Z1 = X @ W1 + b1
        A1 = np.maximum(0, Z1)
        scores = A1 @ W2 + b2
        if y is None:
            return scores

        N = len(y)
        idx = np.arange(N)
        P = self._softmax(scores)

        # add a small epsilon so log never sees 0
        loss = -np.mean(np.log(P[idx, y] + EPS))
        loss += reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        Y = np.zeros_like(P)
        Y[idx, y] = 1.0
        dscores = (P - Y) / N
        dW2 = A1.T @ dscores + 2 * reg * W2
        db2 = dscores.sum(axis=0)
        dA1 = dscores @ W2.T
        dZ1 = dA1 * (Z1 > 0)
        dW1 = X.T @ dZ1 + 2 * reg * W1
        db1 = dZ1.sum(axis=0)

        return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}
