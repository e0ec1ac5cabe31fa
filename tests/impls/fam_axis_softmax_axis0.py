import numpy as np


def softmax(x):
    """Numerically stable softmax."""
    x = x - np.max(x, axis=0, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=0, keepdims=True)


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

        h = np.maximum(0, X.dot(W1) + b1)
        scores = h.dot(W2) + b2
        if y is None:
            return scores

        probs = softmax(scores)
        loss = -np.mean(np.log(probs[np.arange(N), y]))
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads['W2'] = h.T.dot(dscores) + 2 * reg * W2
        grads['b2'] = dscores.sum(axis=0)
        dh = dscores.dot(W2.T)
        dh[h <= 0] = 0
        grads['W1'] = X.T.dot(dh) + 2 * reg * W1
        grads['b1'] = dh.sum(axis=0)
        return loss, grads
