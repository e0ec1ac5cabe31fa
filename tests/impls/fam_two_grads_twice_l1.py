import numpy as np


def forward(X, W1, b1, W2, b2):
    z1 = X.dot(W1) + b1
    a1 = np.maximum(z1, 0)
    z2 = a1.dot(W2) + b2
    return z1, a1, z2


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        z1, a1, z2 = forward(X, W1, b1, W2, b2)

        z2 = z2 - z2.max(axis=1, keepdims=True)
        log_probs = z2 - np.log(np.exp(z2).sum(axis=1, keepdims=True))
        cost = -log_probs[np.arange(n), y].mean()
        cost += c * (np.abs(W1).sum() + np.abs(W2).sum())

        probs = np.exp(log_probs)
        probs[np.arange(n), y] -= 1
        dz2 = probs / n
        d_w2 = a1.T.dot(dz2) / n + c * np.sign(W2)
        d_b2 = dz2.sum(axis=0, keepdims=True) / n
        dz1 = dz2.dot(W2.T)
        dz1[z1 <= 0] = 0
        d_w1 = X.T.dot(dz1) / n + c * np.sign(W1)
        d_b1 = dz1.sum(axis=0, keepdims=True) / n
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
