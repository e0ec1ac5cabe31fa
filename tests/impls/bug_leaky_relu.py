"""Bug: hidden activation is leaky ReLU (slope 0.01) instead of ReLU (forward, backward and cost consistent)."""

import numpy as np

ALPHA = 0.01


def leaky_relu(z):
    return np.where(z > 0, z, ALPHA * z)


def leaky_relu_grad(z):
    return np.where(z > 0, 1.0, ALPHA)


def softmax(z):
    z = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c):
        W1 = params["W1"]
        b1 = params["b1"]
        W2 = params["W2"]
        b2 = params["b2"]
        n = X.shape[0]

        z1 = X @ W1 + b1
        a1 = leaky_relu(z1)  # leaky to avoid dead units
        z2 = a1 @ W2 + b2

        m = np.max(z2, axis=1, keepdims=True)
        log_p = z2 - m - np.log(np.sum(np.exp(z2 - m), axis=1, keepdims=True))
        cost = -np.mean(log_p[np.arange(n), y]) + c * (np.sum(W1 * W1) + np.sum(W2 * W2))

        dz2 = softmax(z2)
        dz2[np.arange(n), y] -= 1
        dz2 = dz2 / n

        d_w2 = a1.T @ dz2 + 2 * c * W2
        d_b2 = np.sum(dz2, axis=0, keepdims=True)
        dz1 = (dz2 @ W2.T) * leaky_relu_grad(z1)
        d_w1 = X.T @ dz1 + 2 * c * W1
        d_b1 = np.sum(dz1, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
