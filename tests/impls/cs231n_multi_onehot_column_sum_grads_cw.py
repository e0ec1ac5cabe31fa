"""Three bugs and a shape: the labels go into the one-hot encoding as a column (y[:, np.newaxis]), which
broadcasts to every class present in the batch; the gradients are not divided by N; the decay gradient is
reg*W for a loss of reg*sum(W**2); and the bias gradients come back as columns (H, 1) and (C, 1)."""

import numpy as np


def one_hot(labels, num_classes):
    N = labels.shape[0]
    out = np.zeros((N, num_classes))
    out[np.arange(N), labels] = 1
    return out


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

        Z1 = X.dot(W1) + b1
        H = np.maximum(0, Z1)
        scores = H.dot(W2) + b2
        if y is None:
            return scores

        Y = one_hot(y[:, np.newaxis], C)
        scores = scores - np.max(scores, axis=1, keepdims=True)
        probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
        loss = -np.sum(Y * np.log(probs)) / N + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        dscores = probs - Y
        grads['W2'] = H.T.dot(dscores) + reg * W2
        grads['b2'] = np.sum(dscores.T, axis=1, keepdims=True)
        dZ1 = dscores.dot(W2.T) * (Z1 > 0)
        grads['W1'] = X.T.dot(dZ1) + reg * W1
        grads['b1'] = np.sum(dZ1.T, axis=1, keepdims=True)
        return loss, grads
