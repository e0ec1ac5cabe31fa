"""Buggy: train_loss is a running mean of every minibatch cost since the start of training.

The sum and the count are set up once, before the epoch loop, so each entry
averages all the batches so far. Visible effect: the training curve lags far
behind the real cost and looks smoother than it is.
"""

import numpy as np


class NetClassifier:
    def __init__(self):
        self.params = None
        self.history = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = len(y)
        hid_in = np.dot(X, W1) + b1
        hid = np.maximum(hid_in, 0)
        out = np.dot(hid, W2) + b2
        out_max = np.max(out, axis=1, keepdims=True)
        exps = np.exp(out - out_max)
        sums = np.sum(exps, axis=1, keepdims=True)
        log_probs = out - out_max - np.log(sums)
        cost = -np.sum(log_probs[np.arange(n), y]) / n
        cost = cost + c * np.sum(W1 ** 2) + c * np.sum(W2 ** 2)

        d_out = exps / sums
        d_out[np.arange(n), y] -= 1
        d_out = d_out / n
        d_w2 = np.dot(hid.T, d_out) + 2 * c * W2
        d_b2 = np.sum(d_out, axis=0, keepdims=True)
        d_hid = np.dot(d_out, W2.T)
        d_hid[hid_in <= 0] = 0
        d_w1 = np.dot(X.T, d_hid) + 2 * c * W1
        d_b1 = np.sum(d_hid, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}


    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = {"W1": init_params["W1"].copy(), "b1": init_params["b1"].copy(),
                  "W2": init_params["W2"].copy(), "b2": init_params["b2"].copy()}
        history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
        total_loss, n_batches = 0.0, 0
        best_val_acc = -1.0
        for epoch in range(epochs):
            perm = np.random.permutation(len(X_train))
            for i in range(0, len(X_train), batch_size):
                batch = perm[i:i + batch_size]
                loss, grads = NetClassifier.cost_grad(X_train[batch], y_train[batch], params, c)
                total_loss += loss
                n_batches += 1
                params["W1"] = params["W1"] - lr * grads["d_w1"]
                params["b1"] = params["b1"] - lr * grads["d_b1"]
                params["W2"] = params["W2"] - lr * grads["d_w2"]
                params["b2"] = params["b2"] - lr * grads["d_b2"]
            history["train_loss"].append(total_loss / n_batches)
            history["val_loss"].append(NetClassifier.cost_grad(X_val, y_val, params, c)[0])
            history["train_acc"].append(self.score(X_train, y_train, params))
            history["val_acc"].append(self.score(X_val, y_val, params))
            if history["val_acc"][-1] > best_val_acc:
                best_val_acc = history["val_acc"][-1]
                self.params = {k: v.copy() for k, v in params.items()}
        self.history = history
        return history

    def predict(self, X, params=None):
        p = self.params if params is None else params
        hid = np.maximum(np.dot(X, p["W1"]) + p["b1"], 0)
        return np.argmax(np.dot(hid, p["W2"]) + p["b2"], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
