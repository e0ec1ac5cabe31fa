import numpy as np


def softmax(scores):
    shifted = scores - scores.max(axis=1, keepdims=True)
    ex = np.exp(shifted)
    return ex / ex.sum(axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n, k = X.shape[0], W2.shape[1]
        Y = np.eye(k)[y]

        Z1 = X @ W1 + b1          # (n, h)
        A1 = np.maximum(0, Z1)    # (n, h)
        Z2 = A1 @ W2 + b2         # (n, k)
        S = Z2 - Z2.max(axis=1, keepdims=True)
        logP = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
        P = softmax(Z2)

        cost = -np.sum(Y * logP) / n + c * (np.sum(W1 * W1) + np.sum(W2 * W2))

        # gradient of the mean cost wrt the scores
        dZ2 = (P - Y) / n
        # the gradients are averages over the batch
        d_w2 = A1.T @ dZ2 / n + 2 * c * W2
        d_b2 = np.sum(dZ2, axis=0, keepdims=True) / n
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        d_w1 = X.T @ dZ1 / n + 2 * c * W1
        d_b1 = np.sum(dZ1, axis=0, keepdims=True) / n
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
