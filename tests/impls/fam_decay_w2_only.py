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

        layer1 = X @ W1 + b1
        hidden = np.maximum(layer1, 0)
        scores = hidden @ W2 + b2
        if y is None:
            return scores

        scores_max = scores.max(axis=1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(scores - scores_max), axis=1)) + scores_max.ravel()
        data_loss = np.mean(log_sum - scores[np.arange(N), y])
        # L2 regularization on the output weights
        reg_loss = reg * np.sum(W2 * W2)
        loss = data_loss + reg_loss

        grads = {}
        dscores = np.exp(scores - log_sum[:, None])
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads['W2'] = hidden.T @ dscores + 2 * reg * W2
        grads['b2'] = dscores.sum(axis=0)
        dlayer1 = dscores @ W2.T
        dlayer1[layer1 <= 0] = 0
        grads['W1'] = X.T @ dlayer1
        grads['b1'] = dlayer1.sum(axis=0)
        return loss, grads
