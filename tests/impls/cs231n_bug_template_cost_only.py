"""Bug: the loss is implemented correctly but the gradients are still the template's zeros."""

import numpy as np


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

        # forward pass (done)
        hidden = np.maximum(0.0, X @ W1 + b1)
        scores = hidden @ W2 + b2
        if y is None:
            return scores
        scores = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
        loss = -np.mean(log_probs[np.arange(N), y]) + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        # TODO: backward pass -- replace the zeros with the real gradients
        grads = {}
        grads['W1'] = np.zeros_like(W1)
        grads['b1'] = np.zeros_like(b1)
        grads['W2'] = np.zeros_like(W2)
        grads['b2'] = np.zeros_like(b2)

        return loss, grads
