"""Bug: hidden activation is the logistic sigmoid instead of ReLU (forward, derivative s(1-s) and cost consistent)."""

import numpy as np


def sigmoid(x):
    # 1 / (1 + exp(-x)) without overflow
    return np.exp(-np.logaddexp(0.0, -x))


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c):
        W1, b1 = params["W1"], params["b1"]
        W2, b2 = params["W2"], params["b2"]
        num = X.shape[0]
        r = np.arange(num)

        hidden = sigmoid(X.dot(W1) + b1)
        logits = hidden.dot(W2) + b2
        logits = logits - logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1, keepdims=True))
        log_probs = logits - log_norm

        cost = -log_probs[r, y].sum() / num
        cost = cost + c * (np.square(W1).sum() + np.square(W2).sum())

        err = np.exp(log_probs)
        err[r, y] = err[r, y] - 1
        err = err / num

        d_w2 = hidden.T.dot(err) + 2 * c * W2
        d_b2 = err.sum(axis=0, keepdims=True)
        err_hidden = err.dot(W2.T) * hidden * (1 - hidden)
        d_w1 = X.T.dot(err_hidden) + 2 * c * W1
        d_b1 = err_hidden.sum(axis=0, keepdims=True)

        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
