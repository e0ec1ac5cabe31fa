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

        fc1 = X.dot(W1) + b1
        relu1 = np.maximum(0, fc1)
        scores = relu1.dot(W2) + b2
        if y is None:
            return scores

        scores = scores - np.max(scores, axis=1).reshape(-1, 1)
        log_probs = scores - np.log(np.sum(np.exp(scores), axis=1)).reshape(-1, 1)
        loss = -np.sum(log_probs[range(N), y]) / N
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        dscores = np.exp(log_probs)
        dscores[range(N), y] -= 1
        dscores /= N
        grads['W2'] = fc1.T.dot(dscores) + 2 * reg * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dfc1 = dscores.dot(W2.T)
        dfc1[fc1 <= 0] = 0
        grads['W1'] = X.T.dot(dfc1) + 2 * reg * W1
        grads['b1'] = np.sum(dfc1, axis=0)
        return loss, grads
