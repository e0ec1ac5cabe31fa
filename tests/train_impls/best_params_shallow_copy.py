"""Buggy: the best parameters are kept with `best_weights = weights.copy()`, a shallow copy of the dict.

The dict is new, but its arrays are the ones the `-=` steps keep updating in
place. Visible effect: self.params silently ends as the FINAL parameters, not
those of the best validation epoch (the history itself is correct).
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
        weights = {name: arr.copy() for name, arr in init_params.items()}
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_acc, best_weights = 0, None
        N = X_train.shape[0]
        for e in range(epochs):
            idx = np.random.permutation(N)
            for i in range(0, N, batch_size):
                Xb, yb = X_train[idx[i:i + batch_size]], y_train[idx[i:i + batch_size]]
                cost, grads = NetClassifier.cost_grad(Xb, yb, weights, c)
                weights["W1"] -= lr * grads["d_w1"]
                weights["b1"] -= lr * grads["d_b1"]
                weights["W2"] -= lr * grads["d_w2"]
                weights["b2"] -= lr * grads["d_b2"]
            train_cost = NetClassifier.cost_grad(X_train, y_train, weights, c)[0]
            val_cost = NetClassifier.cost_grad(X_val, y_val, weights, c)[0]
            train_acc = self.score(X_train, y_train, weights)
            val_acc = self.score(X_val, y_val, weights)
            history["train_loss"].append(train_cost)
            history["val_loss"].append(val_cost)
            history["train_acc"].append(train_acc)
            history["val_acc"].append(val_acc)
            if val_acc > best_acc:
                best_acc = val_acc
                best_weights = weights.copy()
        self.params = best_weights
        self.history = history
        return history

    def predict(self, X, params=None):
        p = self.params if params is None else params
        hid = np.maximum(np.dot(X, p["W1"]) + p["b1"], 0)
        return np.argmax(np.dot(hid, p["W2"]) + p["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
