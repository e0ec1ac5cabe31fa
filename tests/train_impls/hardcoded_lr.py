"""Buggy: the step uses a learning rate typed into the loop (0.05, "what worked in the notebook"), not lr.

Visible effect: every step is theta - 0.05*g whatever lr is passed to fit.
"""

import numpy as np


class NetClassifier:
    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        a1 = np.maximum(X @ W1 + b1, 0)
        z2 = a1 @ W2 + b2
        z2 = z2 - z2.max(axis=1, keepdims=True)
        logp = z2 - np.log(np.exp(z2).sum(axis=1, keepdims=True))
        cost = -logp[np.arange(n), y].mean() + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        d2 = np.exp(logp)
        d2[np.arange(n), y] -= 1
        d2 /= n
        d1 = (d2 @ W2.T) * (a1 > 0)
        return cost, {"d_w1": X.T @ d1 + 2 * c * W1, "d_b1": d1.sum(axis=0, keepdims=True),
                      "d_w2": a1.T @ d2 + 2 * c * W2, "d_b2": d2.sum(axis=0, keepdims=True)}

    def score(self, X, y, params):
        a1 = np.maximum(X @ params["W1"] + params["b1"], 0)
        return np.mean(np.argmax(a1 @ params["W2"] + params["b2"], axis=1) == y)

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = {k: v.copy() for k, v in init_params.items()}
        hist = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best = -1
        for epoch in range(epochs):
            perm = np.random.permutation(len(X_train))
            for i in range(0, len(perm), batch_size):
                idx = perm[i:i + batch_size]
                _, g = self.cost_grad(X_train[idx], y_train[idx], params, c)
                for k in params:
                    params[k] -= 0.05 * g["d_" + k.lower()]
            hist["train_loss"].append(self.cost_grad(X_train, y_train, params, c)[0])
            hist["val_loss"].append(self.cost_grad(X_val, y_val, params, c)[0])
            hist["train_acc"].append(self.score(X_train, y_train, params))
            hist["val_acc"].append(self.score(X_val, y_val, params))
            if hist["val_acc"][-1] > best:
                best = hist["val_acc"][-1]
                self.params = {k: v.copy() for k, v in params.items()}
        return hist
