"""Crash: fit preallocates its loss curve with `np.zeros[epochs]` (square brackets), a TypeError on the first line of training.

Visible effect: fit raises TypeError ("'builtin_function_or_method' object is
not subscriptable") before any step is taken; nothing is returned.
"""

import numpy as np


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


class NetClassifier:
    def __init__(self):
        self.params = None
        self.history = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        N = X.shape[0]
        H_in = X @ W1 + b1
        H = np.maximum(H_in, 0)
        S = H @ W2 + b2
        Ss = S - S.max(axis=1, keepdims=True)
        log_p = Ss - np.log(np.exp(Ss).sum(axis=1, keepdims=True))
        J = -log_p[np.arange(N), y].mean() + c * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dS = softmax(S)
        dS[np.arange(N), y] -= 1
        dS /= N
        dH = dS @ W2.T
        dH[H_in <= 0] = 0
        return J, {"d_w1": X.T @ dH + 2 * c * W1, "d_b1": dH.sum(0, keepdims=True),
                   "d_w2": H.T @ dS + 2 * c * W2, "d_b2": dS.sum(0, keepdims=True)}

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = {k: np.copy(v) for k, v in init_params.items()}
        n = len(X_train)

        train_loss = np.zeros[epochs]
        train_acc = np.zeros[epochs]
        val_loss = np.zeros[epochs]
        val_acc = np.zeros[epochs]
        best = -1

        for ep in range(epochs):
            order = np.random.permutation(n)
            for s in range(0, n, batch_size):
                rows = order[s:s + batch_size]
                _, g = self.cost_grad(X_train[rows], y_train[rows], params, c)
                params["W1"] -= lr * g["d_w1"]
                params["b1"] -= lr * g["d_b1"]
                params["W2"] -= lr * g["d_w2"]
                params["b2"] -= lr * g["d_b2"]
            train_loss[ep] = self.cost_grad(X_train, y_train, params, c)[0]
            val_loss[ep] = self.cost_grad(X_val, y_val, params, c)[0]
            train_acc[ep] = self.score(X_train, y_train, params)
            val_acc[ep] = self.score(X_val, y_val, params)
            if val_acc[ep] > best:
                best = val_acc[ep]
                self.params = {k: v.copy() for k, v in params.items()}

        self.history = {"train_loss": list(train_loss), "train_acc": list(train_acc),
                        "val_loss": list(val_loss), "val_acc": list(val_acc)}
        return self.history

    def predict(self, X, params=None):
        params = params or self.params
        return np.argmax(np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
