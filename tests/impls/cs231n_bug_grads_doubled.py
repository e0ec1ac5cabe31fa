"""Bug: every gradient is twice the true one (a factor 2 meant to undo a 1/2 the loss does not have)."""

import numpy as np


def _log_softmax(s):
    s = s - s.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params['W1'], self.params['b1'], self.params['W2'], self.params['b2']
        N = X.shape[0]
        rows = np.arange(N)

        pre = X @ W1 + b1
        act = np.maximum(pre, 0.0)
        scores = act @ W2 + b2
        if y is None:
            return scores
        logp = _log_softmax(scores)

        loss = -logp[rows, y].sum() / N + reg * ((W1 ** 2).sum() + (W2 ** 2).sum())

        g = np.exp(logp)
        g[rows, y] -= 1.0
        g /= N
        g_hidden = (g @ W2.T) * (pre > 0)

        grads = {
            'W1': X.T @ g_hidden + 2 * reg * W1,
            'b1': g_hidden.sum(axis=0),
            'W2': act.T @ g + 2 * reg * W2,
            'b2': g.sum(axis=0),
        }
        # the lecture notes put 1/2 in front of the loss and ours has none, so the
        # gradients need a factor 2 to match
        for name in grads:
            grads[name] = 2 * grads[name]
        return loss, grads
