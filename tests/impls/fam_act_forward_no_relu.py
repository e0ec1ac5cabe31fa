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

        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        scores = z1 @ W2 + b2
        if y is None:
            return scores

        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[np.arange(N), y].mean() + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        grads = {}
        dscores = np.exp(log_probs)
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads['W2'] = a1.T @ dscores + 2 * reg * W2
        grads['b2'] = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        grads['W1'] = X.T @ dz1 + 2 * reg * W1
        grads['b1'] = dz1.sum(axis=0)
        return loss, grads
