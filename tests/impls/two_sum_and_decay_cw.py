"""Two bugs: the loss sums over the batch (no 1/n), and the decay gradient is c*W instead of 2*c*W."""

import numpy as np


def cost_grad(X, y, params, c):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    Z2 = A1 @ W2 + b2
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    LP = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))
    cost = -LP[np.arange(len(y)), y].sum() + c * (np.sum(W1**2) + np.sum(W2**2))
    D2 = np.exp(LP)
    D2[np.arange(len(y)), y] -= 1
    D1 = (D2 @ W2.T) * (Z1 > 0)
    return cost, {
        "d_w1": X.T @ D1 + c * W1,
        "d_b1": D1.sum(axis=0, keepdims=True),
        "d_w2": A1.T @ D2 + c * W2,
        "d_b2": D2.sum(axis=0, keepdims=True),
    }
