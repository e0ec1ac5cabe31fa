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

        a = np.dot(X, W1) + b1     # (N, H)
        h = np.maximum(a, 0)       # (N, H)
        scores = np.dot(h, W2) + b2
        if y is None:
            return scores

        scores = scores - np.amax(scores, axis=1, keepdims=True)
        expo = np.exp(scores)
        denom = np.sum(expo, axis=1, keepdims=True)
        loss = np.sum(np.log(denom[:, 0]) - scores[np.arange(N), y]) / N
        loss += reg * (np.sum(np.square(W1)) + np.sum(np.square(W2)))

        grads = {}
        d_scores = expo / denom
        d_scores[np.arange(N), y] -= 1
        d_scores /= N
        grads['W2'] = np.dot(a.T, d_scores) + 2 * reg * W2
        grads['b2'] = np.sum(d_scores, axis=0)
        d_h = np.dot(d_scores, W2.T)
        grads['b1'] = np.sum(d_h, axis=0)
        d_a = d_h * (a > 0)
        grads['W1'] = np.dot(X.T, d_a) + 2 * reg * W1
        return loss, grads
