"""Correct but fragile: cost from log(softmax), inf at large logits (a note)."""

import numpy as np


def softmax(Z):
    """Row-wise softmax of Z (n, k)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n, k = X.shape[0], W2.shape[1]
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1.0
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        P = softmax(z2)
        shifted = z2 - z2.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        cost = -np.mean(np.log(P[np.arange(n), y])) + c * (np.sum(W1**2) + np.sum(W2**2))
        dz2 = (P - Y) / n
        d_w2 = a1.T @ dz2 + 2 * c * W2
        d_b2 = dz2.sum(axis=0, keepdims=True)
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        d_w1 = X.T @ dz1 + 2 * c * W1
        d_b1 = dz1.sum(axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
