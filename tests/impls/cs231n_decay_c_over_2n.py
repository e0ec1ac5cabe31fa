"""Bug: the reg/(2N)*sum(W^2) convention with gradient (reg/N)*W."""

import numpy as np


def softmax(Z):
    """Row-wise softmax of Z (N, C)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
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

        hidden_in = np.dot(X, W1) + b1
        hidden_out = np.maximum(hidden_in, 0)
        scores = np.dot(hidden_out, W2) + b2
        if y is None:
            return scores

        probs = softmax(scores)
        shifted = scores - scores.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(logp[np.arange(N), y])
        loss += reg / (2 * N) * (np.sum(W1 ** 2) + np.sum(W2 ** 2))  # as in Andrew Ng's course

        y_onehot = np.zeros((N, C))
        y_onehot[np.arange(N), y] = 1.0
        dscores = (probs - y_onehot) / N
        grads = {}
        grads['W2'] = np.dot(hidden_out.T, dscores) + reg / N * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dhidden = np.dot(dscores, W2.T) * (hidden_in > 0)
        grads['W1'] = np.dot(X.T, dhidden) + reg / N * W1
        grads['b1'] = np.sum(dhidden, axis=0)
        return loss, grads
