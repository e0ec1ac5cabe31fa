"""Correct: course recipe -- log-softmax first, then P = exp(z - (log sum exp(z - max) + max))."""

import numpy as np


def log_softmax(z):
    """Template helper: log p = z - (log sum exp(z - max) + max), row by row."""
    zmax = np.max(z, axis=1, keepdims=True)
    return z - (np.log(np.sum(np.exp(z - zmax), axis=1, keepdims=True)) + zmax)


def softmax(z):
    """Template helper: the probabilities, exponentiated from the log-softmax."""
    return np.exp(log_softmax(z))


class NetClassifier:
    """Two-layer ReLU network with a softmax output layer (assignment 2 skeleton)."""

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        """Compute the regularised cross-entropy cost and its gradient.

        Recipe from the lecture notes:
          1. forward pass up to the scores z2
          2. log-softmax of the scores, with the max subtracted first
          3. probabilities P = exp(log-softmax)
          4. cost = mean negative log-likelihood + c * (||W1||^2 + ||W2||^2)
          5. backward pass, starting from dz2 = (P - Y) / n
        """
        W1 = params["W1"]
        b1 = params["b1"]
        W2 = params["W2"]
        b2 = params["b2"]
        n = X.shape[0]
        k = W2.shape[1]

        # ---- 1. forward pass ----
        z1 = X @ W1 + b1
        a1 = np.maximum(0.0, z1)
        z2 = a1 @ W2 + b2

        # ---- 2. log-softmax: log p = z - (log sum exp(z - max) + max) ----
        log_p = log_softmax(z2)

        # ---- 3. probabilities ----
        P = softmax(z2)

        # ---- 4. cost ----
        rows = np.arange(n)
        data_cost = -np.sum(log_p[rows, y]) / n
        reg_cost = c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        cost = data_cost + reg_cost

        # ---- 5. backward pass ----
        Y = np.zeros((n, k))
        Y[rows, y] = 1.0
        dz2 = (P - Y) / n
        d_w2 = a1.T @ dz2 + 2.0 * c * W2
        d_b2 = np.sum(dz2, axis=0, keepdims=True)
        da1 = dz2 @ W2.T
        dz1 = da1 * (z1 > 0)
        d_w1 = X.T @ dz1 + 2.0 * c * W1
        d_b1 = np.sum(dz1, axis=0, keepdims=True)

        grads = {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
        return cost, grads
