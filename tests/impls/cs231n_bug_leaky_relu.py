"""Bug: hidden activation is leaky ReLU (slope 0.01) instead of ReLU (forward, backward and loss consistent)."""

import numpy as np

ALPHA = 0.01


def leaky_relu(z):
    return np.where(z > 0, z, ALPHA * z)


def leaky_relu_grad(z):
    return np.where(z > 0, 1.0, ALPHA)


def softmax(z):
    z = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)


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
        N = X.shape[0]

        z1 = X @ W1 + b1
        a1 = leaky_relu(z1)  # leaky to avoid dead units
        scores = a1 @ W2 + b2
        if y is None:
            return scores

        m = np.max(scores, axis=1, keepdims=True)
        log_p = scores - m - np.log(np.sum(np.exp(scores - m), axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(N), y]) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        dscores = softmax(scores)
        dscores[np.arange(N), y] -= 1
        dscores = dscores / N

        grads = {}
        grads['W2'] = a1.T @ dscores + 2 * reg * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dz1 = (dscores @ W2.T) * leaky_relu_grad(z1)
        grads['W1'] = X.T @ dz1 + 2 * reg * W1
        grads['b1'] = np.sum(dz1, axis=0)
        return loss, grads
