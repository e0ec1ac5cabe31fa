"""Correct: a module-level cost_grad returning grads under the params' own keys W1, b1, W2, b2."""

import numpy as np


def cost_grad(X, y, params, c=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n, k = X.shape[0], W2.shape[1]
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    shifted = z2 - z2.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    cost = -logp[np.arange(n), y].mean() + c * (np.sum(W1**2) + np.sum(W2**2))
    dz2 = np.exp(logp) - np.eye(k)[y]
    dz2 /= n
    dz1 = dz2 @ W2.T * (z1 > 0)
    return cost, {
        "W1": X.T @ dz1 + 2 * c * W1,
        "b1": dz1.sum(axis=0, keepdims=True),
        "W2": a1.T @ dz2 + 2 * c * W2,
        "b2": dz2.sum(axis=0, keepdims=True),
    }
