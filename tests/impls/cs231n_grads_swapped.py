"""Bug: the two weight gradients are returned under each other's keys."""

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

        hidden_layer = np.maximum(0, X.dot(W1) + b1)
        scores = hidden_layer.dot(W2) + b2
        if y is None:
            return scores

        probs = softmax(scores)
        shifted = scores - scores.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(logp[np.arange(N), y]) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        dW2 = hidden_layer.T.dot(dscores) + 2 * reg * W2
        db2 = dscores.sum(axis=0)
        dhidden = dscores.dot(W2.T)
        dhidden[hidden_layer <= 0] = 0
        dW1 = X.T.dot(dhidden) + 2 * reg * W1
        db1 = dhidden.sum(axis=0)

        grads = {}
        grads['W1'] = dW2
        grads['b1'] = db1
        grads['W2'] = dW1
        grads['b2'] = db2
        return loss, grads
