"""Buggy (the course asks for plain SGD): Nesterov momentum with mu=0.9, in the form of the CS231n notes.

v_prev = v; v = mu*v - lr*g; x += -mu*v_prev + (1 + mu)*v. Visible effect: the
first step is already 1.9 times lr·g, and the steps keep growing.
"""

import numpy as np


def softmax(Z):
    """Row-wise softmax of Z (n, k)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


class NetClassifier:
    def __init__(self):
        self.params = None
        self.history = None

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
        mu = 0.9
        p = {k: v.copy() for k, v in init_params.items()}
        vel = {k: np.zeros_like(v) for k, v in p.items()}
        hist = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_acc, best_p = -1.0, None
        n = X_train.shape[0]
        for epoch in range(epochs):
            perm = np.random.permutation(n)
            for i in range(0, n, batch_size):
                idx = perm[i:i + batch_size]
                _, grad = self.cost_grad(X_train[idx], y_train[idx], p, c)
                for k in p:
                    v_prev = vel[k].copy()
                    vel[k] = mu * vel[k] - lr * grad["d_" + k.lower()]
                    p[k] += -mu * v_prev + (1 + mu) * vel[k]
            tr_loss, _ = self.cost_grad(X_train, y_train, p, c)
            va_loss, _ = self.cost_grad(X_val, y_val, p, c)
            hist["train_loss"].append(tr_loss)
            hist["val_loss"].append(va_loss)
            hist["train_acc"].append(self.score(X_train, y_train, p))
            hist["val_acc"].append(self.score(X_val, y_val, p))
            if hist["val_acc"][-1] > best_acc:
                best_acc = hist["val_acc"][-1]
                best_p = {k: v.copy() for k, v in p.items()}
        self.params = best_p
        self.history = hist
        return hist

    def predict(self, X, params=None):
        if params is None:
            params = self.params
        a1 = np.maximum(X @ params["W1"] + params["b1"], 0)
        return np.argmax(a1 @ params["W2"] + params["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
