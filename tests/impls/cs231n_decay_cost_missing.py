"""Bug: the gradients carry 2*reg*W, but the loss forgets to add reg*(||W1||^2 + ||W2||^2)."""

import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        w1, b1, w2, b2 = (self.params[key] for key in ('W1', 'b1', 'W2', 'b2'))
        batch = X.shape[0]
        pre = X @ w1 + b1
        act = np.maximum(pre, 0.0)
        scores = act @ w2 + b2
        if y is None:
            return scores
        shift = scores - scores.max(axis=1, keepdims=True)
        logprob = shift - np.log(np.sum(np.exp(shift), axis=1, keepdims=True))
        loss = -np.sum(logprob[np.arange(batch), y]) / batch  # the penalty: forgot it here
        delta = np.exp(logprob)
        delta[np.arange(batch), y] -= 1
        delta = delta / batch
        grads = {}
        grads['W2'] = act.T @ delta + 2 * reg * w2
        grads['b2'] = np.sum(delta, axis=0)
        back = (delta @ w2.T) * (pre > 0)
        grads['W1'] = X.T @ back + 2 * reg * w1
        grads['b1'] = np.sum(back, axis=0)
        return loss, grads
