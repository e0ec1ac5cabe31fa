"""Buggy: the training step calls self.cost_grad(X_batch, y_batch, params) without c, so cost_grad's default c=0 is used.

The gradients of the steps carry no weight decay (the evaluation after each
epoch does pass c, so the history's losses include the penalty). Visible
effect: the weights are never shrunk by 2*c*W; training matches the reference
only when c == 0.
"""

import copy

import numpy as np


KEYS = ["W1", "b1", "W2", "b2"]
GRAD_KEYS = ["d_w1", "d_b1", "d_w2", "d_b2"]


class NetClassifier:
    def __init__(self):
        self.params = None
        self.history = None
        self.best_epoch = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = [params[key] for key in KEYS]
        N = X.shape[0]
        # ---- forward ----
        Z1 = X @ W1 + b1
        H = Z1 * (Z1 > 0)
        S = H @ W2 + b2
        S = S - S.max(axis=1, keepdims=True)
        logsumexp = np.log(np.exp(S).sum(axis=1, keepdims=True))
        L = -(S[np.arange(N), y][:, None] - logsumexp)
        cost = L.mean() + c * ((W1 ** 2).sum() + (W2 ** 2).sum())
        # ---- backward ----
        dS = np.exp(S - logsumexp)
        dS[np.arange(N), y] -= 1.0
        dS /= N
        dW2 = H.T @ dS + 2 * c * W2
        db2 = dS.sum(0, keepdims=True)
        dH = dS @ W2.T
        dZ1 = dH * (Z1 > 0)
        dW1 = X.T @ dZ1 + 2 * c * W1
        db1 = dZ1.sum(0, keepdims=True)
        return cost, dict(zip(GRAD_KEYS, [dW1, db1, dW2, db2]))

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = copy.deepcopy(init_params)
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        n = len(X_train)

        best_val_acc = -1.0
        best_epoch = -1
        best_params = None

        for epoch in range(epochs):
            idx = np.random.permutation(n)
            X_ep, y_ep = X_train[idx], y_train[idx]
            for b in range(0, n, batch_size):
                _, grads = self.cost_grad(X_ep[b:b + batch_size], y_ep[b:b + batch_size], params)
                for key, gkey in zip(KEYS, GRAD_KEYS):
                    params[key] -= lr * grads[gkey]

            train_loss, _ = self.cost_grad(X_train, y_train, params, c)
            val_loss, _ = self.cost_grad(X_val, y_val, params, c)
            train_acc = self.score(X_train, y_train, params)
            val_acc = self.score(X_val, y_val, params)
            history["train_loss"].append(train_loss)
            history["train_acc"].append(train_acc)
            history["val_loss"].append(val_loss)
            history["val_acc"].append(val_acc)

            if val_acc > best_val_acc:
                best_val_acc = val_acc
                best_epoch = epoch
                best_params = copy.deepcopy(params)

        self.params = best_params
        self.best_epoch = best_epoch
        self.history = history
        return history

    def predict(self, X, params=None):
        params = params if params is not None else self.params
        Z1 = X @ params["W1"] + params["b1"]
        return np.argmax((Z1 * (Z1 > 0)) @ params["W2"] + params["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
