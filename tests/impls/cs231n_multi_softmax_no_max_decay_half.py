"""Two bugs: the softmax subtracts no max (exp overflows at large scores: NaN in the loss and the gradients),
and the regularisation is 0.5*reg*sum(W**2) with gradient reg*W."""

import numpy as np


def softmax(scores):
    exp_scores = np.exp(scores)
    return exp_scores / np.sum(exp_scores, axis=1, keepdims=True)


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params['W1'], self.params['b1'], self.params['W2'], self.params['b2']
        N, D = X.shape
        C = W2.shape[1]
        z1 = X.dot(W1) + b1
        a1 = np.maximum(z1, 0)
        scores = a1.dot(W2) + b2
        if y is None:
            return scores
        probs = softmax(scores)
        Y = np.zeros((N, C))
        Y[np.arange(N), y] = 1
        loss = -np.sum(Y * np.log(probs)) / N + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dscores = (probs - Y) / N
        dz1 = dscores.dot(W2.T) * (z1 > 0)
        grads = {
            'W1': X.T.dot(dz1) + reg * W1,
            'b1': np.sum(dz1, axis=0),
            'W2': a1.T.dot(dscores) + reg * W2,
            'b2': np.sum(dscores, axis=0),
        }
        return loss, grads
