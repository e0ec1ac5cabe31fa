"""Two bugs: the loss's regularisation is reg/(2N)*sum(W**2), and the gradients are the cross-entropy
gradient without the 1/N, with no regularisation term."""

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
        N = X.shape[0]
        A1 = np.maximum(0, X.dot(W1) + b1)
        scores = A1.dot(W2) + b2
        if y is None:
            return scores
        Y = np.eye(W2.shape[1])[y]
        Z2 = scores - np.max(scores, axis=1, keepdims=True)
        A2 = np.exp(Z2) / np.sum(np.exp(Z2), axis=1, keepdims=True)
        loss = -np.sum(Y * (Z2 - np.log(np.sum(np.exp(Z2), axis=1, keepdims=True)))) / N
        loss += reg / (2 * N) * (np.sum(np.square(W1)) + np.sum(np.square(W2)))

        grads = {}
        dZ2 = A2 - Y
        grads['W2'] = A1.T.dot(dZ2)
        grads['b2'] = np.sum(dZ2, axis=0)
        dZ1 = dZ2.dot(W2.T) * (A1 > 0)
        grads['W1'] = X.T.dot(dZ1)
        grads['b1'] = np.sum(dZ1, axis=0)
        return loss, grads
