"""Correct: one sample at a time (slow but right), module-level softmax on a vector."""

import numpy as np


def softmax(z):
    """Softmax of one vector z (k,)."""
    e = np.exp(z - z.max())
    return e / e.sum()


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        cost = 0.0
        d_w1, d_b1 = np.zeros_like(W1), np.zeros_like(b1)
        d_w2, d_b2 = np.zeros_like(W2), np.zeros_like(b2)
        for i in range(n):
            x = X[i]
            z1 = x @ W1 + b1[0]
            a1 = np.maximum(z1, 0)
            z2 = a1 @ W2 + b2[0]
            m = z2.max()
            cost += -(z2[y[i]] - m - np.log(np.sum(np.exp(z2 - m)))) / n
            dz2 = softmax(z2)
            dz2[y[i]] -= 1
            d_w2 += np.outer(a1, dz2) / n
            d_b2 += dz2 / n
            dz1 = (W2 @ dz2) * (z1 > 0)
            d_w1 += np.outer(x, dz1) / n
            d_b1 += dz1 / n
        cost += c * (np.sum(W1 * W1) + np.sum(W2 * W2))
        d_w1 += 2 * c * W1
        d_w2 += 2 * c * W2
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
