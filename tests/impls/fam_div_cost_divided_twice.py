import numpy as np


def softmax(z):
    z = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = len(y)

        # forward
        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        z2 = z2 - np.max(z2, axis=1, keepdims=True)
        log_probs = z2 - np.log(np.sum(np.exp(z2), axis=1, keepdims=True))

        # average negative log likelihood
        nll = -np.sum(log_probs[np.arange(n), y]) / n
        cost = nll / n + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        # backward
        P = np.exp(log_probs)
        P[np.arange(n), y] -= 1
        delta2 = P / n
        d_w2 = a1.T @ delta2 + 2 * c * W2
        d_b2 = np.sum(delta2, axis=0, keepdims=True)
        delta1 = delta2 @ W2.T
        delta1[z1 < 0] = 0
        d_w1 = X.T @ delta1 + 2 * c * W1
        d_b1 = np.sum(delta1, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
