"""Bug: cost is the mean of -log(p_y + 0.1), an eps so large that it distorts every cost (gradients exact)."""

import numpy as np


def relu(v):
    return np.maximum(v, 0.0)


def cost_grad(X, y, params, reg):
    w1 = params["W1"]
    b1 = params["b1"]
    w2 = params["W2"]
    b2 = params["b2"]
    n, d = X.shape
    h = w1.shape[1]
    k = w2.shape[1]

    total = 0.0
    g_w1 = np.zeros((d, h))
    g_b1 = np.zeros((1, h))
    g_w2 = np.zeros((h, k))
    g_b2 = np.zeros((1, k))

    for i in range(n):
        x = X[i : i + 1]  # (1, d)
        z1 = x @ w1 + b1
        a1 = relu(z1)
        z2 = a1 @ w2 + b2
        ex = np.exp(z2 - z2.max())
        p = ex / ex.sum()

        total -= np.log(p[0, y[i]] + 0.1)  # +0.1 to be safe with log(0)

        delta2 = p.copy()
        delta2[0, y[i]] -= 1.0
        g_w2 += a1.T @ delta2
        g_b2 += delta2
        delta1 = (delta2 @ w2.T) * (z1 > 0)
        g_w1 += x.T @ delta1
        g_b1 += delta1

    cost = total / n + reg * (np.sum(w1 * w1) + np.sum(w2 * w2))
    g_w1 = g_w1 / n + 2 * reg * w1
    g_b1 = g_b1 / n
    g_w2 = g_w2 / n + 2 * reg * w2
    g_b2 = g_b2 / n
    return cost, {"d_w1": g_w1, "d_b1": g_b1, "d_w2": g_w2, "d_b2": g_b2}
