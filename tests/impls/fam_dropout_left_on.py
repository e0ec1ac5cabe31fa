import numpy as np


class TwoLayerNet(object):
    """Two-layer net with (inverted) dropout on the hidden layer, like in the lecture on regularisation."""

    def __init__(self, input_size, hidden_size, output_size, std=1e-4, p_keep=0.5):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)
        self.p_keep = p_keep

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params['W1'], self.params['b1']
        W2, b2 = self.params['W2'], self.params['b2']
        N, D = X.shape

        z1 = X.dot(W1) + b1
        h1 = np.maximum(0, z1)
        mask = (np.random.rand(*h1.shape) < self.p_keep) / self.p_keep
        h1 = h1 * mask
        scores = h1.dot(W2) + b2
        if y is None:
            return scores

        shifted = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        loss = -np.sum(log_probs[np.arange(N), y]) / N + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        dscores = np.exp(log_probs)
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads['W2'] = h1.T.dot(dscores) + 2 * reg * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dh1 = dscores.dot(W2.T) * mask
        dh1[z1 <= 0] = 0
        grads['W1'] = X.T.dot(dh1) + 2 * reg * W1
        grads['b1'] = np.sum(dh1, axis=0)
        return loss, grads
