"""Bug: the loss adds 0.5*reg*sum(W**2) (the textbook's 1/2) while the gradients keep 2*reg*W."""

import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, W2 = self.params['W1'], self.params['W2']
        z1 = X @ W1 + self.params['b1']
        h = z1 * (z1 > 0)
        scores = h @ W2 + self.params['b2']
        if y is None:
            return scores
        N = len(y)
        m = scores.max(1, keepdims=True)
        lse = m + np.log(np.exp(scores - m).sum(1, keepdims=True))
        nll = (lse[:, 0] - scores[np.arange(N), y]).mean()
        penalty = 0.5 * reg * ((W1 * W1).sum() + (W2 * W2).sum())
        g = np.exp(scores - lse)
        g[np.arange(N), y] -= 1.0
        g /= N
        gh = (g @ W2.T) * (z1 > 0)
        return nll + penalty, {
            'W1': X.T @ gh + 2 * reg * W1,
            'b1': gh.sum(0),
            'W2': h.T @ g + 2 * reg * W2,
            'b2': g.sum(0),
        }
