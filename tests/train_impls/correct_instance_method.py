"""Correct: cost_grad is an instance method (def cost_grad(self, ...)), called as self.cost_grad; the history
losses leave the penalty out, and accuracy is computed by a helper method.

Per-sample gradients are averaged into each batch's gradient: a loop over the rows of the batch, one
cost_grad call per row, one step per batch.
"""

import numpy as np


class NetClassifier:
    def __init__(self):
        self.params = None
        self.history = None

    def cost_grad(self, X, y, params, c=0.0):
        X = np.atleast_2d(X)
        y = np.atleast_1d(y)
        n = X.shape[0]
        z1 = X @ params["W1"] + params["b1"]
        a1 = np.maximum(z1, 0)
        z2 = a1 @ params["W2"] + params["b2"]
        z2 = z2 - z2.max(axis=1, keepdims=True)
        p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
        cost = -np.mean(np.log(p[np.arange(n), y])) + c * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
        d2 = p.copy()
        d2[np.arange(n), y] -= 1
        d2 /= n
        d1 = (d2 @ params["W2"].T) * (z1 > 0)
        return cost, {
            "d_w1": X.T @ d1 + 2 * c * params["W1"],
            "d_b1": d1.sum(axis=0, keepdims=True),
            "d_w2": a1.T @ d2 + 2 * c * params["W2"],
            "d_b2": d2.sum(axis=0, keepdims=True),
        }

    def accuracy(self, X, y, params):
        a1 = np.maximum(X @ params["W1"] + params["b1"], 0)
        return float(np.mean(np.argmax(a1 @ params["W2"] + params["b2"], axis=1) == y))

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = {k: np.copy(v) for k, v in init_params.items()}
        self.history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_acc = -1.0
        for epoch in range(epochs):
            idx = np.random.permutation(X_train.shape[0])
            for b in range(0, len(idx), batch_size):
                batch = idx[b:b + batch_size]
                total = {k: np.zeros_like(v) for k, v in params.items()}
                for i in batch:  # one row at a time
                    _, g = self.cost_grad(X_train[i], y_train[i], params, c)
                    for k in total:
                        total[k] += g["d_" + k.lower()]
                for k in params:
                    params[k] -= lr * total[k] / len(batch)
            self.history["train_loss"].append(self.cost_grad(X_train, y_train, params, 0.0)[0])
            self.history["val_loss"].append(self.cost_grad(X_val, y_val, params, 0.0)[0])
            self.history["train_acc"].append(self.accuracy(X_train, y_train, params))
            self.history["val_acc"].append(self.accuracy(X_val, y_val, params))
            if self.history["val_acc"][-1] > best_acc:
                best_acc = self.history["val_acc"][-1]
                self.params = {k: v.copy() for k, v in params.items()}
                self.best_epoch = epoch
        return self.history
