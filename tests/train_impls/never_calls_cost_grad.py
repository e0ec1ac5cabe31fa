"""Buggy (by the rules): fit never calls cost_grad; it computes the cost and gradients with its own inline forward/backward code.

The inline code is mathematically the same as cost_grad, so the numbers are
right, but the assignment says the steps must call cost_grad. Visible effect:
cost_grad is never called during fit (a spy on cost_grad sees zero calls),
and a fix to cost_grad would not change training.
"""

import numpy as np


def softmax(Z):
    """Row-wise softmax of Z (n, k)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


class NetClassifier:
    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n, k = X.shape[0], W2.shape[1]
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1.0
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        P = softmax(z2)
        shifted = z2 - z2.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        cost = -np.mean(logp[np.arange(n), y]) + c * (np.sum(W1**2) + np.sum(W2**2))
        dz2 = (P - Y) / n
        d_w2 = a1.T @ dz2 + 2 * c * W2
        d_b2 = dz2.sum(axis=0, keepdims=True)
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        d_w1 = X.T @ dz1 + 2 * c * W1
        d_b1 = dz1.sum(axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        W1 = init_params["W1"].copy()
        b1 = init_params["b1"].copy()
        W2 = init_params["W2"].copy()
        b2 = init_params["b2"].copy()
        n = X_train.shape[0]
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_acc = -1.0

        def full_cost(X, y):
            # same formula as cost_grad, written out here
            h = np.maximum(X @ W1 + b1, 0)
            s = h @ W2 + b2
            s = s - s.max(axis=1, keepdims=True)
            logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
            return -np.mean(logp[np.arange(len(y)), y]) + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        for epoch in range(epochs):
            perm = np.random.permutation(n)
            for i in range(0, n, batch_size):
                xb = X_train[perm[i:i + batch_size]]
                yb = y_train[perm[i:i + batch_size]]
                m = xb.shape[0]

                # forward
                z1 = xb @ W1 + b1
                a1 = np.maximum(z1, 0)
                z2 = a1 @ W2 + b2
                p = softmax(z2)
                # backward
                p[np.arange(m), yb] -= 1
                dz2 = p / m
                gW2 = a1.T @ dz2 + 2 * c * W2
                gb2 = dz2.sum(axis=0, keepdims=True)
                dz1 = (dz2 @ W2.T) * (z1 > 0)
                gW1 = xb.T @ dz1 + 2 * c * W1
                gb1 = dz1.sum(axis=0, keepdims=True)

                W1 -= lr * gW1
                b1 -= lr * gb1
                W2 -= lr * gW2
                b2 -= lr * gb2

            current = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
            history["train_loss"].append(full_cost(X_train, y_train))
            history["val_loss"].append(full_cost(X_val, y_val))
            history["train_acc"].append(self.score(X_train, y_train, current))
            va = self.score(X_val, y_val, current)
            history["val_acc"].append(va)
            if va > best_acc:
                best_acc = va
                self.params = {k: v.copy() for k, v in current.items()}

        return history

    def predict(self, X, params=None):
        params = self.params if params is None else params
        return np.argmax(np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
