"""Correct: the batch order comes from a Generator, rng = np.random.default_rng(seed), and rng.permutation(n) each epoch.

The generator is created once per fit, so every epoch gets a new order (and a
fixed seed makes a run reproducible). Typed, modern-numpy style.
"""

from __future__ import annotations

import numpy as np

PARAM_NAMES = ("W1", "b1", "W2", "b2")


def _forward(X: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z1 = X @ params["W1"] + params["b1"]
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ params["W2"] + params["b2"]
    return z1, a1, z2


class NetClassifier:
    def __init__(self) -> None:
        self.params: dict | None = None
        self.history: dict | None = None

    @staticmethod
    def cost_grad(X: np.ndarray, y: np.ndarray, params: dict, c: float = 0.0):
        n = X.shape[0]
        z1, a1, z2 = _forward(X, params)
        shift = z2.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z2 - shift).sum(axis=1, keepdims=True))
        log_probs = z2 - shift - log_norm
        targets = np.zeros_like(z2)
        targets[np.arange(n), y] = 1.0
        penalty = float(np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
        cost = -float(np.sum(targets * log_probs)) / n + c * penalty

        d_z2 = (np.exp(log_probs) - targets) / n
        d_z1 = (d_z2 @ params["W2"].T) * (z1 > 0.0)
        grads = {
            "d_w1": X.T @ d_z1 + 2.0 * c * params["W1"],
            "d_b1": d_z1.sum(axis=0, keepdims=True),
            "d_w2": a1.T @ d_z2 + 2.0 * c * params["W2"],
            "d_b2": d_z2.sum(axis=0, keepdims=True),
        }
        return cost, grads

    def fit(
        self,
        X_train: np.ndarray,
        y_train: np.ndarray,
        X_val: np.ndarray,
        y_val: np.ndarray,
        init_params: dict,
        batch_size: int = 32,
        lr: float = 0.1,
        c: float = 1e-4,
        epochs: int = 30,
        seed: int | None = None,
    ) -> dict[str, list[float]]:
        rng = np.random.default_rng(seed)
        params = {name: np.copy(init_params[name]) for name in PARAM_NAMES}
        history: dict[str, list[float]] = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        n_samples = X_train.shape[0]
        best_val_acc = float("-inf")

        for _epoch in range(epochs):
            order = rng.permutation(n_samples)
            for lo in range(0, n_samples, batch_size):
                batch = order[lo:lo + batch_size]
                _, grads = self.cost_grad(X_train[batch], y_train[batch], params, c)
                for name in PARAM_NAMES:
                    params[name] -= lr * grads["d_" + name.lower()]

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
                self.params = {name: arr.copy() for name, arr in params.items()}

        self.history = history
        return history

    def predict(self, X: np.ndarray, params: dict | None = None) -> np.ndarray:
        _, _, z2 = _forward(X, self.params if params is None else params)
        return z2.argmax(axis=1)

    def score(self, X: np.ndarray, y: np.ndarray, params: dict | None = None) -> float:
        return float(np.mean(self.predict(X, params) == y))
