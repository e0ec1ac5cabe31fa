"""Correct: loss delegates to other instance methods (self._forward, self._backward) that read self.params."""

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

    def _forward(self, X):
        z1 = X.dot(self.params['W1']) + self.params['b1']
        a1 = np.maximum(z1, 0)
        scores = a1.dot(self.params['W2']) + self.params['b2']
        return z1, a1, scores

    def _backward(self, X, y, z1, a1, scores, reg):
        N = X.shape[0]
        W1, W2 = self.params['W1'], self.params['W2']
        dscores = softmax(scores)
        dscores[np.arange(N), y] -= 1.0
        dscores /= N
        dz1 = dscores.dot(W2.T) * (z1 > 0)
        return {
            'W1': X.T.dot(dz1) + 2 * reg * W1,
            'b1': dz1.sum(axis=0),
            'W2': a1.T.dot(dscores) + 2 * reg * W2,
            'b2': dscores.sum(axis=0),
        }

    def loss(self, X, y=None, reg=0.0):
        z1, a1, scores = self._forward(X)
        if y is None:
            return scores
        N = X.shape[0]
        shifted = scores - scores.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        W1, W2 = self.params['W1'], self.params['W2']
        loss = -np.mean(logp[np.arange(N), y]) + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        grads = self._backward(X, y, z1, a1, scores, reg)
        return loss, grads
