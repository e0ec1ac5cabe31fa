"""Bug: hidden activation is the logistic sigmoid instead of ReLU (forward, derivative s(1-s) and loss consistent)."""

import numpy as np


def sigmoid(x):
    # 1 / (1 + exp(-x)) without overflow
    return np.exp(-np.logaddexp(0.0, -x))


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
        num = X.shape[0]
        r = np.arange(num)

        hidden = sigmoid(X.dot(W1) + b1)
        scores = hidden.dot(W2) + b2
        if y is None:
            return scores
        scores = scores - scores.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scores).sum(axis=1, keepdims=True))
        log_probs = scores - log_norm

        loss = -log_probs[r, y].sum() / num
        loss = loss + reg * (np.square(W1).sum() + np.square(W2).sum())

        err = np.exp(log_probs)
        err[r, y] = err[r, y] - 1
        err = err / num

        grads = {}
        grads['W2'] = hidden.T.dot(err) + 2 * reg * W2
        grads['b2'] = err.sum(axis=0)
        err_hidden = err.dot(W2.T) * hidden * (1 - hidden)
        grads['W1'] = X.T.dot(err_hidden) + 2 * reg * W1
        grads['b1'] = err_hidden.sum(axis=0)
        return loss, grads
