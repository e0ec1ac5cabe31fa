"""Bug: hidden activation is leaky ReLU with slope 0.2 instead of ReLU (forward, backward and loss consistent)."""

import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = self.params['W1'], self.params['b1'], self.params['W2'], self.params['b2']
        N, D = X.shape
        H = W1.shape[1]
        C = W2.shape[1]
        slope = 0.2

        if y is None:
            u = X @ W1 + b1
            return np.maximum(u, slope * u) @ W2 + b2

        loss = 0.0
        dW1 = np.zeros((D, H))
        db1 = np.zeros(H)
        dW2 = np.zeros((H, C))
        db2 = np.zeros(C)

        for i in range(N):
            xi = X[i]
            u = xi @ W1 + b1
            hid = np.maximum(u, slope * u)
            o = hid @ W2 + b2
            o = o - np.max(o)
            lse = np.log(np.sum(np.exp(o)))
            loss += lse - o[y[i]]

            g_o = np.exp(o - lse)
            g_o[y[i]] -= 1.0
            dW2 += np.outer(hid, g_o)
            db2 += g_o
            g_u = (W2 @ g_o) * np.where(u > 0, 1.0, slope)
            dW1 += np.outer(xi, g_u)
            db1 += g_u

        loss = loss / N + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        grads = {
            'W1': dW1 / N + 2 * reg * W1,
            'b1': db1 / N,
            'W2': dW2 / N + 2 * reg * W2,
            'b2': db2 / N,
        }
        return loss, grads
