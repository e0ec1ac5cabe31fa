"""Correct: X and y glued into one array with np.column_stack, shuffled as one with np.random.shuffle, split back.

Labels travel in the last column as floats and are cast back to int for
indexing. Shuffling the joined array keeps every row with its label.
"""

import numpy as np


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


class NetClassifier:
    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        m = z2.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(z2 - m).sum(axis=1))
        cost = np.mean(lse - z2[np.arange(n), y]) + c * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dz2 = softmax(z2)
        dz2[np.arange(n), y] -= 1
        dz2 /= n
        dz1 = dz2 @ W2.T * (z1 > 0)
        return cost, {
            "d_w1": X.T @ dz1 + 2 * c * W1,
            "d_b1": np.sum(dz1, axis=0, keepdims=True),
            "d_w2": a1.T @ dz2 + 2 * c * W2,
            "d_b2": np.sum(dz2, axis=0, keepdims=True),
        }

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = {}
        for key in init_params:
            params[key] = init_params[key].copy()

        d = X_train.shape[1]
        data = np.column_stack((X_train, y_train))   # last column = label
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_acc = -1

        for epoch in range(epochs):
            np.random.shuffle(data)          # shuffles rows in place
            Xs = data[:, :d]
            ys = data[:, d].astype(int)

            for start in range(0, len(data), batch_size):
                xb = Xs[start:start + batch_size]
                yb = ys[start:start + batch_size]
                loss, grads = self.cost_grad(xb, yb, params, c)
                params["W1"] -= lr * grads["d_w1"]
                params["b1"] -= lr * grads["d_b1"]
                params["W2"] -= lr * grads["d_w2"]
                params["b2"] -= lr * grads["d_b2"]

            tl, _ = self.cost_grad(X_train, y_train, params, c)
            vl, _ = self.cost_grad(X_val, y_val, params, c)
            ta = self.score(X_train, y_train, params)
            va = self.score(X_val, y_val, params)
            history["train_loss"].append(tl)
            history["val_loss"].append(vl)
            history["train_acc"].append(ta)
            history["val_acc"].append(va)
            if va > best_acc:
                best_acc = va
                self.params = {key: params[key].copy() for key in params}

        return history

    def predict(self, X, params=None):
        if params is None:
            params = self.params
        hidden = np.maximum(X @ params["W1"] + params["b1"], 0)
        return np.argmax(hidden @ params["W2"] + params["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
