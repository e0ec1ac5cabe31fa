"""Correct: each epoch the shuffled indices are cut with np.array_split into ceil(n / batch_size) batches.

array_split gives batches of nearly equal size (not all exactly batch_size), and
every row is used once per epoch. cost_grad uses the course's log-softmax recipe.
"""

import math

import numpy as np


def log_softmax(z):
    zmax = np.max(z, axis=1, keepdims=True)
    return z - (np.log(np.sum(np.exp(z - zmax), axis=1, keepdims=True)) + zmax)


def softmax(z):
    return np.exp(log_softmax(z))


class NetClassifier:
    """Two-layer ReLU network with softmax output (assignment 2)."""

    def __init__(self):
        self.params = None
        self.history = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n, k = X.shape[0], W2.shape[1]
        z1 = X @ W1 + b1
        a1 = np.maximum(0, z1)
        z2 = a1 @ W2 + b2
        logp = log_softmax(z2)
        onehot = np.eye(k)[y]
        cost = -np.sum(onehot * logp) / n + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        # backward
        delta2 = (softmax(z2) - onehot) / n
        d_w2 = a1.T @ delta2 + 2 * c * W2
        d_b2 = np.sum(delta2, axis=0, keepdims=True)
        delta1 = (delta2 @ W2.T) * (z1 > 0)
        d_w1 = X.T @ delta1 + 2 * c * W1
        d_b1 = np.sum(delta1, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        theta = {key: init_params[key].copy() for key in init_params}
        grad_key = {"W1": "d_w1", "b1": "d_b1", "W2": "d_w2", "b2": "d_b2"}
        n = X_train.shape[0]
        n_batches = math.ceil(n / batch_size)
        self.history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        best = -np.inf

        for ep in range(epochs):
            shuffled = np.random.permutation(n)
            for batch in np.array_split(shuffled, n_batches):
                _, grads = self.cost_grad(X_train[batch], y_train[batch], theta, c)
                for key in theta:
                    theta[key] -= lr * grads[grad_key[key]]

            J_train, _ = self.cost_grad(X_train, y_train, theta, c)
            J_val, _ = self.cost_grad(X_val, y_val, theta, c)
            acc_train = self.score(X_train, y_train, theta)
            acc_val = self.score(X_val, y_val, theta)
            self.history["train_loss"].append(J_train)
            self.history["val_loss"].append(J_val)
            self.history["train_acc"].append(acc_train)
            self.history["val_acc"].append(acc_val)

            if acc_val > best:
                best = acc_val
                self.params = {key: theta[key].copy() for key in theta}

        return self.history

    def predict(self, X, theta=None):
        theta = self.params if theta is None else theta
        hidden = np.maximum(0, X @ theta["W1"] + theta["b1"])
        return (hidden @ theta["W2"] + theta["b2"]).argmax(axis=1)

    def score(self, X, y, theta=None):
        return float(np.mean(self.predict(X, theta) == y))
