"""Crash: the validation set is evaluated in chunks whose row indices are the TRAINING offsets (0..n_train), running past the end of X_val.

Training steps are correct; to "save memory" the epoch-end evaluation walks
both sets in batches, but the validation loop reuses the training index ranges.
Visible effect: fit raises IndexError at the end of the first epoch whenever the
validation set is smaller than the training set.
"""

import numpy as np


def log_softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


class NetClassifier:
    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0)
        Z2 = A1 @ W2 + b2
        L = log_softmax(Z2)
        cost = -L[np.arange(n), y].sum() / n + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        G2 = np.exp(L)
        G2[np.arange(n), y] -= 1
        G2 /= n
        G1 = (G2 @ W2.T) * (Z1 > 0)
        return cost, {
            "d_w1": X.T @ G1 + 2 * c * W1,
            "d_b1": G1.sum(axis=0, keepdims=True),
            "d_w2": A1.T @ G2 + 2 * c * W2,
            "d_b2": G2.sum(axis=0, keepdims=True),
        }

    def _evaluate_in_chunks(self, X, y, params, c, ranges):
        """Mean cost (data part weighted by chunk size) and accuracy over the chunks."""
        total_rows, data_cost, correct = 0, 0.0, 0
        penalty = c * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
        for rows in ranges:
            cost, _ = self.cost_grad(X[rows], y[rows], params, c)
            data_cost += (cost - penalty) * len(rows)
            correct += np.sum(self.predict(X[rows], params) == y[rows])
            total_rows += len(rows)
        return data_cost / total_rows + penalty, correct / total_rows

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = {k: v.copy() for k, v in init_params.items()}
        n = X_train.shape[0]
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best_acc = -1.0

        # contiguous index ranges covering the training set
        chunks = [np.arange(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]

        for epoch in range(epochs):
            perm = np.random.permutation(n)
            for rows in chunks:
                batch = perm[rows]
                _, g = self.cost_grad(X_train[batch], y_train[batch], params, c)
                for k in params:
                    params[k] -= lr * g["d_" + k.lower()]

            tr_loss, tr_acc = self._evaluate_in_chunks(X_train, y_train, params, c, chunks)
            va_loss, va_acc = self._evaluate_in_chunks(X_val, y_val, params, c, chunks)
            history["train_loss"].append(tr_loss)
            history["train_acc"].append(tr_acc)
            history["val_loss"].append(va_loss)
            history["val_acc"].append(va_acc)
            if va_acc > best_acc:
                best_acc = va_acc
                self.params = {k: v.copy() for k, v in params.items()}

        return history

    def predict(self, X, params=None):
        params = self.params if params is None else params
        return np.argmax(np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
