"""Bug: the loss has the decay, the gradients do not."""

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

        layer1 = X.dot(W1) + b1
        relu1 = np.maximum(0, layer1)
        scores = relu1.dot(W2) + b2
        if y is None:
            return scores

        probs = softmax(scores)
        shifted = scores - scores.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(logp[np.arange(N), y]) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads['W2'] = relu1.T.dot(dscores)
        grads['b2'] = dscores.sum(axis=0)
        drelu1 = dscores.dot(W2.T) * (layer1 > 0)
        grads['W1'] = X.T.dot(drelu1)
        grads['b1'] = drelu1.sum(axis=0)
        return loss, grads
