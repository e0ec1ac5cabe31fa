"""Buggy: the best epoch's weights are copied but its biases are kept by reference.

`best = {"W1": W1.copy(), "b1": b1, ...}` while the biases are updated in place,
so self.params mixes the best epoch's weights with the final biases: the
parameters of no epoch at all.
"""

import numpy as np


class NetClassifier:
    def __init__(self):
        self.params = None
        self.history = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = len(y)
        hid_in = np.dot(X, W1) + b1
        hid = np.maximum(hid_in, 0)
        out = np.dot(hid, W2) + b2
        out_max = np.max(out, axis=1, keepdims=True)
        exps = np.exp(out - out_max)
        sums = np.sum(exps, axis=1, keepdims=True)
        log_probs = out - out_max - np.log(sums)
        cost = -np.sum(log_probs[np.arange(n), y]) / n
        cost = cost + c * np.sum(W1 ** 2) + c * np.sum(W2 ** 2)

        d_out = exps / sums
        d_out[np.arange(n), y] -= 1
        d_out = d_out / n
        d_w2 = np.dot(hid.T, d_out) + 2 * c * W2
        d_b2 = np.sum(d_out, axis=0, keepdims=True)
        d_hid = np.dot(d_out, W2.T)
        d_hid[hid_in <= 0] = 0
        d_w1 = np.dot(X.T, d_hid) + 2 * c * W1
        d_b1 = np.sum(d_hid, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}


    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        W1, b1 = init_params["W1"].copy(), init_params["b1"].copy()
        W2, b2 = init_params["W2"].copy(), init_params["b2"].copy()
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_val_acc = -1.0
        best = None
        n = len(X_train)
        for epoch in range(epochs):
            order = np.random.permutation(n)
            for i in range(0, n, batch_size):
                rows = order[i:i + batch_size]
                params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
                loss, grads = NetClassifier.cost_grad(X_train[rows], y_train[rows], params, c)
                W1 -= lr * grads["d_w1"]
                b1 -= lr * grads["d_b1"]
                W2 -= lr * grads["d_w2"]
                b2 -= lr * grads["d_b2"]
            params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
            history["train_loss"].append(NetClassifier.cost_grad(X_train, y_train, params, c)[0])
            history["val_loss"].append(NetClassifier.cost_grad(X_val, y_val, params, c)[0])
            history["train_acc"].append(self.score(X_train, y_train, params))
            val_acc = self.score(X_val, y_val, params)
            history["val_acc"].append(val_acc)
            if val_acc > best_val_acc:
                best_val_acc = val_acc
                best = {"W1": W1.copy(), "b1": b1, "W2": W2.copy(), "b2": b2}
        self.params = best
        self.history = history
        return history

    def predict(self, X, params=None):
        p = self.params if params is None else params
        hid = np.maximum(np.dot(X, p["W1"]) + p["b1"], 0)
        return np.argmax(np.dot(hid, p["W2"]) + p["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
