"""Crash: cost_grad returns d_b1 as an (h, 1) column, and the in-place update b1 -= lr * d_b1 cannot broadcast into the (1, h) b1.

cost_grad's cost and the other three gradients are correct; d_b1 has the right
values in the wrong shape. Visible effect: fit raises ValueError ("non-broadcastable
output operand") on the very first step (for any hidden size h > 1).
"""

import numpy as np


def softmax(Z):
    Z = Z - np.max(Z, axis=1, keepdims=True)
    expZ = np.exp(Z)
    return expZ / np.sum(expZ, axis=1, keepdims=True)


class NetClassifier:
    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        z1 = np.dot(X, W1) + b1
        a1 = np.maximum(z1, 0)
        z2 = np.dot(a1, W2) + b2
        zs = z2 - z2.max(axis=1, keepdims=True)
        logp = zs - np.log(np.exp(zs).sum(axis=1, keepdims=True))
        cost = -np.mean(logp[np.arange(n), y]) + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        delta2 = softmax(z2)
        delta2[np.arange(n), y] -= 1
        delta2 /= n
        d_w2 = np.dot(a1.T, delta2) + 2 * c * W2
        d_b2 = np.sum(delta2, axis=0, keepdims=True)
        delta1 = np.dot(delta2, W2.T) * (z1 > 0)
        d_w1 = np.dot(X.T, delta1) + 2 * c * W1
        d_b1 = np.sum(delta1, axis=0).reshape(-1, 1)   # one bias per hidden unit
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        W1 = init_params["W1"].copy()
        b1 = init_params["b1"].copy()
        W2 = init_params["W2"].copy()
        b2 = init_params["b2"].copy()
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_acc = -1.0
        n = X_train.shape[0]

        for epoch in range(epochs):
            shuffle_idx = np.random.permutation(n)
            for start in range(0, n, batch_size):
                batch_idx = shuffle_idx[start:start + batch_size]
                p = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
                _, grads = self.cost_grad(X_train[batch_idx], y_train[batch_idx], p, c)
                W1 -= lr * grads["d_w1"]
                b1 -= lr * grads["d_b1"]
                W2 -= lr * grads["d_w2"]
                b2 -= lr * grads["d_b2"]

            p = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
            history["train_loss"].append(self.cost_grad(X_train, y_train, p, c)[0])
            history["val_loss"].append(self.cost_grad(X_val, y_val, p, c)[0])
            history["train_acc"].append(self.score(X_train, y_train, p))
            history["val_acc"].append(self.score(X_val, y_val, p))
            if history["val_acc"][-1] > best_acc:
                best_acc = history["val_acc"][-1]
                self.params = {k: v.copy() for k, v in p.items()}

        return history

    def predict(self, X, params=None):
        params = self.params if params is None else params
        a1 = np.maximum(np.dot(X, params["W1"]) + params["b1"], 0)
        return np.argmax(np.dot(a1, params["W2"]) + params["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
