"""Correct: every product written with np.einsum, log-sum-exp via np.logaddexp.reduce."""

import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = (self.params[name] for name in ('W1', 'b1', 'W2', 'b2'))

        pre = np.einsum('nd,dh->nh', X, W1) + b1
        act = np.maximum(pre, 0.0)
        scores = np.einsum('nh,hc->nc', act, W2) + b2
        if y is None:
            return scores

        N, C = scores.shape
        lse = np.logaddexp.reduce(scores, axis=1, keepdims=True)  # (N, 1), stable pairwise log(e^a + e^b)
        logprob = scores - lse
        target = np.zeros((N, C))
        target[np.arange(N), y] = 1.0

        penalty = np.einsum('ij,ij->', W1, W1) + np.einsum('ij,ij->', W2, W2)
        loss = -np.einsum('nc,nc->', target, logprob) / N + reg * penalty

        delta2 = (np.exp(logprob) - target) / N
        delta1 = np.einsum('nc,hc->nh', delta2, W2) * (pre > 0)
        grads = {
            'W1': np.einsum('nd,nh->dh', X, delta1) + 2 * reg * W1,
            'b1': np.einsum('nh->h', delta1),
            'W2': np.einsum('nh,nc->hc', act, delta2) + 2 * reg * W2,
            'b2': np.einsum('nc->c', delta2),
        }
        return loss, grads
