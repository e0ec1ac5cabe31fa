"""Two bugs: dW2 is computed as dscores.T @ hidden, shape (k, h) instead of (h, k), and the loss adds a
small eps inside the log to "avoid log(0)"."""

import numpy as np

EPS = 1e-3


def cost_grad(X, y, params, c=0.0):
    W1 = params["W1"]
    b1 = params["b1"]
    W2 = params["W2"]
    b2 = params["b2"]
    N = X.shape[0]

    # forward
    hidden = np.maximum(0, np.dot(X, W1) + b1)
    scores = np.dot(hidden, W2) + b2
    scores = scores - np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores)
    probs = probs / np.sum(probs, axis=1, keepdims=True)
    data_loss = -np.mean(np.log(probs[range(N), y] + EPS))
    reg_loss = c * (np.sum(W1 * W1) + np.sum(W2 * W2))
    loss = data_loss + reg_loss

    # backward
    dscores = probs.copy()
    dscores[range(N), y] -= 1
    dscores /= N
    dW2 = np.dot(dscores.T, hidden) + 2 * c * W2.T
    db2 = np.sum(dscores, axis=0, keepdims=True)
    dhidden = np.dot(dscores, W2.T)
    dhidden[hidden <= 0] = 0
    dW1 = np.dot(X.T, dhidden) + 2 * c * W1
    db1 = np.sum(dhidden, axis=0, keepdims=True)

    return loss, {"d_w1": dW1, "d_b1": db1, "d_w2": dW2, "d_b2": db2}
