"""Bug: one-hot built as Y[rows[:, None], y] = 1, which broadcasts to (n, n) and marks every class present in the batch."""

import numpy as np


def one_hot(y, k):
    n = y.shape[0]
    rows = np.arange(n)[:, None]  # column of row indices
    Y = np.zeros((n, k))
    Y[rows, y] = 1
    return Y


def cost_grad(X, y, params, lam):
    W1 = params["W1"]
    b1 = params["b1"]
    W2 = params["W2"]
    b2 = params["b2"]
    n = X.shape[0]
    k = W2.shape[1]

    # forward
    h_pre = X.dot(W1) + b1
    h = np.where(h_pre > 0, h_pre, 0.0)
    scores = h.dot(W2) + b2

    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    probs = np.exp(log_probs)

    Y = one_hot(y, k)
    data_loss = -np.sum(Y * log_probs) / n
    reg_loss = lam * (np.sum(W1 * W1) + np.sum(W2 * W2))
    cost = data_loss + reg_loss

    # backward
    d_scores = (probs - Y) / n
    d_w2 = h.T.dot(d_scores) + 2 * lam * W2
    d_b2 = np.sum(d_scores, axis=0, keepdims=True)
    d_h = d_scores.dot(W2.T)
    d_h_pre = d_h * (h_pre > 0)
    d_w1 = X.T.dot(d_h_pre) + 2 * lam * W1
    d_b1 = np.sum(d_h_pre, axis=0, keepdims=True)

    grads = {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
    return cost, grads
