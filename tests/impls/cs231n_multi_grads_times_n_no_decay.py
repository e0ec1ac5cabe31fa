"""Two bugs: the gradients are the cross-entropy gradient without the 1/N (the loss is a proper mean), and
they leave out the regularisation term that the loss has."""

import numpy as np


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
        hidden = np.maximum(X.dot(W1) + b1, 0)
        scores = hidden.dot(W2) + b2
        if y is None:
            return scores
        scores -= scores.max(axis=1, keepdims=True)
        log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        loss = -log_probs[np.arange(N), y].mean() + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        dscores = np.exp(log_probs)
        dscores[np.arange(N), y] -= 1
        dhidden = dscores.dot(W2.T) * (hidden > 0)
        grads = {
            'W1': X.T.dot(dhidden),
            'b1': dhidden.sum(axis=0),
            'W2': hidden.T.dot(dscores),
            'b2': dscores.sum(axis=0),
        }
        return loss, grads
