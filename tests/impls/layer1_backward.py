"""Bug: the backward pass into the hidden layer uses the decayed W2 (W2 + 2c*W2) instead of W2."""

import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        logp = z2 - z2.max(axis=1, keepdims=True)
        logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
        cost = -logp[np.arange(n), y].mean() + c * (np.sum(W1**2) + np.sum(W2**2))
        dz2 = np.exp(logp)
        dz2[np.arange(n), y] -= 1
        dz2 /= n
        W2_step = W2 + 2 * c * W2  # "the regularised weights"
        dz1 = (dz2 @ W2_step.T) * (z1 > 0)
        return cost, {
            "d_w1": X.T @ dz1 + 2 * c * W1,
            "d_b1": dz1.sum(axis=0, keepdims=True),
            "d_w2": a1.T @ dz2 + 2 * c * W2,
            "d_b2": dz2.sum(axis=0, keepdims=True),
        }
