"""Bug: the cost is the mean, but the gradients start from P - Y without the 1/n (decay term right)."""

import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n, k = X.shape[0], W2.shape[1]
        Y = np.eye(k)[y]
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        z2 = z2 - z2.max(axis=1, keepdims=True)
        logp = z2 - np.log(np.sum(np.exp(z2), axis=1, keepdims=True))
        cost = -np.sum(Y * logp) / n + c * (np.sum(W1**2) + np.sum(W2**2))
        dz2 = np.exp(logp) - Y
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        return cost, {
            "d_w1": X.T @ dz1 + 2 * c * W1,
            "d_b1": np.sum(dz1, axis=0, keepdims=True),
            "d_w2": a1.T @ dz2 + 2 * c * W2,
            "d_b2": np.sum(dz2, axis=0, keepdims=True),
        }
