"""Bug: one-hot built as Y[rows[:, None], y] = 1, which broadcasts to (N, N) and marks every class present in the batch."""

import numpy as np


def one_hot(y, C):
    N = y.shape[0]
    rows = np.arange(N)[:, None]  # column of row indices
    Y = np.zeros((N, C))
    Y[rows, y] = 1
    return Y


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1 = self.params['W1']
        b1 = self.params['b1']
        W2 = self.params['W2']
        b2 = self.params['b2']
        N, D = X.shape
        C = W2.shape[1]

        # forward pass
        h_pre = X.dot(W1) + b1
        h = np.where(h_pre > 0, h_pre, 0.0)
        scores = h.dot(W2) + b2
        if y is None:
            return scores

        shifted = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        probs = np.exp(log_probs)

        Y = one_hot(y, C)
        data_loss = -np.sum(Y * log_probs) / N
        reg_loss = reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        loss = data_loss + reg_loss

        # backward pass
        grads = {}
        dscores = (probs - Y) / N
        grads['W2'] = h.T.dot(dscores) + 2 * reg * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dh = dscores.dot(W2.T)
        dh_pre = dh * (h_pre > 0)
        grads['W1'] = X.T.dot(dh_pre) + 2 * reg * W1
        grads['b1'] = np.sum(dh_pre, axis=0)
        return loss, grads
