"""Bug: hidden activation is leaky ReLU with slope 0.2 instead of ReLU (forward, backward and cost consistent)."""

import numpy as np


def cost_grad(X, y, params, lam):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n, d = X.shape
    hdim = W1.shape[1]
    k = W2.shape[1]
    slope = 0.2

    J = 0.0
    dW1 = np.zeros((d, hdim))
    db1 = np.zeros((1, hdim))
    dW2 = np.zeros((hdim, k))
    db2 = np.zeros((1, k))

    for i in range(n):
        xi = X[i]
        u = xi @ W1 + b1[0]
        hid = np.maximum(u, slope * u)
        o = hid @ W2 + b2[0]
        o = o - np.max(o)
        lse = np.log(np.sum(np.exp(o)))
        J += lse - o[y[i]]

        g_o = np.exp(o - lse)
        g_o[y[i]] -= 1.0
        dW2 += np.outer(hid, g_o)
        db2[0] += g_o
        g_u = (W2 @ g_o) * np.where(u > 0, 1.0, slope)
        dW1 += np.outer(xi, g_u)
        db1[0] += g_u

    J = J / n + lam * (np.sum(W1**2) + np.sum(W2**2))
    dW1 = dW1 / n + 2 * lam * W1
    db1 = db1 / n
    dW2 = dW2 / n + 2 * lam * W2
    db2 = db2 / n
    return J, {"d_w1": dW1, "d_b1": db1, "d_w2": dW2, "d_b2": db2}
