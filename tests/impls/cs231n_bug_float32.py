"""Bug: casts X and the parameters to float32 and computes everything (loss and gradients) in single precision."""

import numpy as np

DTYPE = np.float32  # faster and uses half the memory


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        X = X.astype(DTYPE)
        W1 = self.params['W1'].astype(DTYPE)
        b1 = self.params['b1'].astype(DTYPE)
        W2 = self.params['W2'].astype(DTYPE)
        b2 = self.params['b2'].astype(DTYPE)
        reg = DTYPE(reg)
        N = X.shape[0]
        C = W2.shape[1]

        z1 = X @ W1 + b1
        a1 = np.maximum(z1, DTYPE(0))
        scores = a1 @ W2 + b2
        if y is None:
            return scores

        Y = np.zeros((N, C), dtype=DTYPE)
        Y[np.arange(N), y] = 1
        shifted = scores - scores.max(axis=1, keepdims=True)
        exp_scores = np.exp(shifted)
        sum_exp = exp_scores.sum(axis=1, keepdims=True)
        logp = shifted - np.log(sum_exp)
        probs = exp_scores / sum_exp

        loss = -(Y * logp).sum() / DTYPE(N) + reg * ((W1 * W1).sum() + (W2 * W2).sum())

        two = DTYPE(2)
        dscores = (probs - Y) / DTYPE(N)
        grads = {}
        grads['W2'] = a1.T @ dscores + two * reg * W2
        grads['b2'] = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        grads['W1'] = X.T @ dz1 + two * reg * W1
        grads['b1'] = dz1.sum(axis=0)
        return loss, grads
