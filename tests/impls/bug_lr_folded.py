"""Bug: the returned gradients are already multiplied by the learning rate lr = 0.01."""

import numpy as np

lr = 0.01  # learning rate


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        k = W2.shape[1]

        onehot = np.zeros((n, k))
        onehot[np.arange(n), y] = 1.0

        # forward pass
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        zmax = z2.max(axis=1, keepdims=True)
        lse = zmax + np.log(np.exp(z2 - zmax).sum(axis=1, keepdims=True))
        log_softmax = z2 - lse
        probs = np.exp(log_softmax)

        cost = -np.sum(onehot * log_softmax) / n + c * (np.sum(W1**2) + np.sum(W2**2))

        # backward pass + update step
        dz2 = (probs - onehot) / n
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        d_w2 = lr * (a1.T @ dz2 + 2 * c * W2)
        d_b2 = lr * dz2.sum(axis=0, keepdims=True)
        d_w1 = lr * (X.T @ dz1 + 2 * c * W1)
        d_b1 = lr * dz1.sum(axis=0, keepdims=True)

        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
