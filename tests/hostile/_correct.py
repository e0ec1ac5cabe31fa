"""A correct cost_grad, imported by the hostile fixtures beside it (a helper: not graded on its own)."""

import numpy as np


def cost_grad(X, y, params, c):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    top = z2.max(axis=1, keepdims=True)
    logp = z2 - top - np.log(np.exp(z2 - top).sum(axis=1, keepdims=True))
    cost = -logp[np.arange(n), y].mean() + c * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dz2 = np.exp(logp)
    dz2[np.arange(n), y] -= 1
    dz2 /= n
    dz1 = (dz2 @ W2.T) * (z1 > 0)
    return cost, {
        "d_w1": X.T @ dz1 + 2 * c * W1,
        "d_b1": dz1.sum(axis=0, keepdims=True),
        "d_w2": a1.T @ dz2 + 2 * c * W2,
        "d_b2": dz2.sum(axis=0, keepdims=True),
    }
