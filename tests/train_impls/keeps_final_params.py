"""Convention deviation (warning): the loop is correct, but self.params ends as the FINAL parameters, not the best-validation ones.

The student records the history correctly and even prints the best epoch, but
never keeps a copy of that epoch's parameters: after fit, predict/score use the
last epoch's weights.
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
        self.params = {k: v.copy() for k, v in init_params.items()}
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        n = X_train.shape[0]

        for epoch in range(epochs):
            perm = np.random.permutation(n)
            for i in range(0, n, batch_size):
                batch = perm[i:i + batch_size]
                _, g = self.cost_grad(X_train[batch], y_train[batch], self.params, c)
                self.params["W1"] -= lr * g["d_w1"]
                self.params["b1"] -= lr * g["d_b1"]
                self.params["W2"] -= lr * g["d_w2"]
                self.params["b2"] -= lr * g["d_b2"]

            history["train_loss"].append(self.cost_grad(X_train, y_train, self.params, c)[0])
            history["val_loss"].append(self.cost_grad(X_val, y_val, self.params, c)[0])
            history["train_acc"].append(self.score(X_train, y_train))
            history["val_acc"].append(self.score(X_val, y_val))

        # best epoch, for the report (the final weights are what we keep)
        self.best_epoch = int(np.argmax(history["val_acc"]))
        return history

    def predict(self, X):
        a1 = np.maximum(X @ self.params["W1"] + self.params["b1"], 0)
        return np.argmax(a1 @ self.params["W2"] + self.params["b2"], axis=1)

    def score(self, X, y):
        return np.mean(self.predict(X) == y)
