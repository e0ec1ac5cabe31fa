"""Warning: the module-level softmax(z) only works on one vector (global max on a 2-D array); cost_grad applies it row by row, so it is correct."""

import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def log_softmax_rows(Z):
    Zs = Z - Z.max(axis=1, keepdims=True)
    return Zs - np.log(np.exp(Zs).sum(axis=1, keepdims=True))


def cost_grad(X, y, params, c):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n, k = X.shape[0], W2.shape[1]

    hidden_in = X @ W1 + b1
    hidden = np.maximum(hidden_in, 0)
    scores = hidden @ W2 + b2

    cost = -np.mean(log_softmax_rows(scores)[np.arange(n), y])
    cost += c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

    probs = np.apply_along_axis(softmax, 1, scores)
    labels = np.zeros((n, k))
    labels[np.arange(n), y] = 1

    d_scores = (probs - labels) / n
    d_w2 = hidden.T @ d_scores + 2 * c * W2
    d_b2 = d_scores.sum(axis=0, keepdims=True)
    d_hidden = (d_scores @ W2.T) * (hidden_in > 0)
    d_w1 = X.T @ d_hidden + 2 * c * W1
    d_b1 = d_hidden.sum(axis=0, keepdims=True)
    return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
