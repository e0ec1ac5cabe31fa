"""Correct: one-hot targets as np.eye(k)[y], cost = -sum(Y * log_softmax) / n."""

import numpy as np


class NetClassifier:
    """Softmax classifier with one ReLU hidden layer."""

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        n_samples = X.shape[0]
        n_classes = params["b2"].shape[1]
        Y_onehot = np.eye(n_classes)[y]            # (n, k)

        hidden_lin = np.dot(X, params["W1"]) + params["b1"]
        hidden = np.maximum(hidden_lin, 0)
        logits = np.dot(hidden, params["W2"]) + params["b2"]

        # log-softmax, shifted by the row max so nothing overflows
        row_max = logits.max(axis=-1, keepdims=True)
        log_softmax = logits - row_max - np.log(np.exp(logits - row_max).sum(axis=-1, keepdims=True))

        ce = -np.sum(Y_onehot * log_softmax) / n_samples
        l2 = np.sum(np.square(params["W1"])) + np.sum(np.square(params["W2"]))
        cost = ce + c * l2

        # backprop
        g_logits = (np.exp(log_softmax) - Y_onehot) / n_samples
        grads = {}
        grads["W2"] = np.dot(hidden.T, g_logits) + 2 * c * params["W2"]
        grads["b2"] = np.sum(g_logits, axis=0, keepdims=True)
        g_hidden = np.dot(g_logits, params["W2"].T)
        g_hidden_lin = g_hidden * (hidden_lin > 0).astype(np.float64)
        grads["W1"] = np.dot(X.T, g_hidden_lin) + 2 * c * params["W1"]
        grads["b1"] = np.sum(g_hidden_lin, axis=0, keepdims=True)
        return cost, grads
