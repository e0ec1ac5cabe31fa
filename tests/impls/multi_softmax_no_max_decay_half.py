"""Two bugs: the softmax subtracts no max (exp overflows at large logits: NaN in the cost and the gradients),
and the decay is (c/2)*sum(W**2) with gradient c*W."""

import numpy as np


def softmax(z):
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)


def cost_grad(X, y, params, c):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n, k = X.shape[0], W2.shape[1]
    T = np.zeros((n, k))
    T[np.arange(n), y] = 1.0
    z1 = X.dot(W1) + b1
    a1 = np.maximum(z1, 0.0)
    p = softmax(a1.dot(W2) + b2)
    cost = -np.sum(T * np.log(p)) / n + 0.5 * c * (np.sum(W1**2) + np.sum(W2**2))
    dz2 = (p - T) / n
    dz1 = dz2.dot(W2.T) * (z1 > 0)
    return cost, {
        "d_w1": X.T.dot(dz1) + c * W1,
        "d_b1": np.sum(dz1, axis=0, keepdims=True),
        "d_w2": a1.T.dot(dz2) + c * W2,
        "d_b2": np.sum(dz2, axis=0, keepdims=True),
    }
