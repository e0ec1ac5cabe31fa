"""Bug: the returned gradients are already multiplied by the learning rate lr = 0.01."""

import numpy as np

lr = 0.01  # learning rate


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
        C = W2.shape[1]

        # forward pass
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        scores = a1 @ W2 + b2
        if y is None:
            return scores

        onehot = np.zeros((N, C))
        onehot[np.arange(N), y] = 1.0
        zmax = scores.max(axis=1, keepdims=True)
        lse = zmax + np.log(np.exp(scores - zmax).sum(axis=1, keepdims=True))
        log_softmax = scores - lse
        probs = np.exp(log_softmax)

        loss = -np.sum(onehot * log_softmax) / N + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        # backward pass + update step
        dscores = (probs - onehot) / N
        dz1 = (dscores @ W2.T) * (z1 > 0)
        grads = {}
        grads['W2'] = lr * (a1.T @ dscores + 2 * reg * W2)
        grads['b2'] = lr * dscores.sum(axis=0)
        grads['W1'] = lr * (X.T @ dz1 + 2 * reg * W1)
        grads['b1'] = lr * dz1.sum(axis=0)
        return loss, grads
