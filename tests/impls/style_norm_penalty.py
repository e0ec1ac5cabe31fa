"""Correct: penalty as np.linalg.norm(W)**2, logit gradient as softmax - boolean one-hot (y[:, None] == np.arange(k))."""

import numpy as np


def softmax(Z):
    """Softmax along the last axis; for a 2-D Z every row is normalised on its own."""
    E = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
    return E / np.sum(E, axis=-1, keepdims=True)


def logsumexp_rows(Z):
    m = np.max(Z, axis=1)
    return m + np.log(np.sum(np.exp(Z - m[:, None]), axis=1))


def cost_grad(X, y, params, lam=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n, k = X.shape[0], W2.shape[1]
    is_label = y[:, None] == np.arange(k)  # (n, k) booleans

    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    Z2 = H @ W2 + b2

    cross_entropy = np.mean(logsumexp_rows(Z2) - Z2[is_label])
    cost = cross_entropy + lam * (np.linalg.norm(W1) ** 2 + np.linalg.norm(W2) ** 2)

    dZ2 = (softmax(Z2) - is_label) / n
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)

    return cost, {
        "dW1": X.T @ dZ1 + 2 * lam * W1,
        "db1": np.sum(dZ1, axis=0)[np.newaxis, :],
        "dW2": H.T @ dZ2 + 2 * lam * W2,
        "db2": np.sum(dZ2, axis=0)[np.newaxis, :],
    }
