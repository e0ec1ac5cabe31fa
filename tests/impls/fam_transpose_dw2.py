import numpy as np


def softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        Y = np.zeros_like(X @ W1 @ W2)
        Y[np.arange(n), y] = 1

        Z1 = X @ W1 + b1
        H = np.maximum(Z1, 0)
        Z2 = H @ W2 + b2
        Zs = Z2 - Z2.max(axis=1, keepdims=True)
        logP = Zs - np.log(np.exp(Zs).sum(axis=1, keepdims=True))
        J = -(Y * logP).sum() / n + c * ((W1 ** 2).sum() + (W2 ** 2).sum())

        G2 = (softmax(Z2) - Y) / n  # dJ/dZ2
        # dJ/dW2[j, i] = sum over samples of G2[., j] * H[., i]
        dW2 = G2.T @ H + 2 * c * W2.T
        db2 = G2.sum(axis=0, keepdims=True)
        G1 = (G2 @ W2.T) * (Z1 > 0)
        dW1 = X.T @ G1 + 2 * c * W1
        db1 = G1.sum(axis=0, keepdims=True)
        return J, {"d_w1": dW1, "d_b1": db1, "d_w2": dW2, "d_b2": db2}
