"""Bug: loss is the mean of -log(p_y + 0.1), an eps so large that it distorts every loss (gradients exact)."""

import numpy as np


def relu(v):
    return np.maximum(v, 0.0)


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        w1 = self.params['W1']
        b1 = self.params['b1']
        w2 = self.params['W2']
        b2 = self.params['b2']
        N, D = X.shape
        H = w1.shape[1]
        C = w2.shape[1]

        if y is None:
            return relu(X @ w1 + b1) @ w2 + b2

        total = 0.0
        g_w1 = np.zeros((D, H))
        g_b1 = np.zeros(H)
        g_w2 = np.zeros((H, C))
        g_b2 = np.zeros(C)

        for i in range(N):
            x = X[i : i + 1]  # (1, D)
            z1 = x @ w1 + b1
            a1 = relu(z1)
            z2 = a1 @ w2 + b2
            ex = np.exp(z2 - z2.max())
            p = ex / ex.sum()

            total -= np.log(p[0, y[i]] + 0.1)  # +0.1 to be safe with log(0)

            delta2 = p.copy()
            delta2[0, y[i]] -= 1.0
            g_w2 += a1.T @ delta2
            g_b2 += delta2[0]
            delta1 = (delta2 @ w2.T) * (z1 > 0)
            g_w1 += x.T @ delta1
            g_b1 += delta1[0]

        loss = total / N + reg * (np.sum(w1 * w1) + np.sum(w2 * w2))
        grads = {}
        grads['W1'] = g_w1 / N + 2 * reg * w1
        grads['b1'] = g_b1 / N
        grads['W2'] = g_w2 / N + 2 * reg * w2
        grads['b2'] = g_b2 / N
        return loss, grads
