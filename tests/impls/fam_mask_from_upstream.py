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

        hidden = np.maximum(0, X @ W1 + b1)
        scores = hidden @ W2 + b2
        if y is None:
            return scores

        scores_shift = scores - np.max(scores, axis=1, keepdims=True)
        sum_exp = np.sum(np.exp(scores_shift), axis=1, keepdims=True)
        probs = np.exp(scores_shift) / sum_exp
        loss = np.sum(np.log(sum_exp).ravel() - scores_shift[np.arange(N), y]) / N
        loss += reg * np.sum(W1 * W1) + reg * np.sum(W2 * W2)

        grads = {}
        dscores = probs
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads['W2'] = hidden.T @ dscores + 2 * reg * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dhidden = dscores @ W2.T
        # backprop through the ReLU
        dhidden = np.maximum(0, dhidden)
        grads['W1'] = X.T @ dhidden + 2 * reg * W1
        grads['b1'] = np.sum(dhidden, axis=0)
        return loss, grads
