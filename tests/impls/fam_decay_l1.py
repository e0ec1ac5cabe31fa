"""Two layer net with regularisation (c is the regularisation strength)."""
import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1 = params["W1"]
        b1 = params["b1"]
        W2 = params["W2"]
        b2 = params["b2"]
        n, _ = X.shape
        k = W2.shape[1]

        Y = np.zeros((n, k))
        for i in range(n):
            Y[i, y[i]] = 1

        Z1 = X @ W1 + b1
        A1 = np.maximum(0, Z1)
        Z2 = A1 @ W2 + b2
        Z2s = Z2 - np.max(Z2, axis=1, keepdims=True)
        logsm = Z2s - np.log(np.sum(np.exp(Z2s), axis=1, keepdims=True))

        # regularisation penalty = c * (|W1| + |W2|)
        penalty = c * (np.sum(np.abs(W1)) + np.sum(np.abs(W2)))
        cost = -np.sum(Y * logsm) / n + penalty

        dZ2 = (np.exp(logsm) - Y) / n
        dW2 = A1.T @ dZ2 + c * np.sign(W2)
        db2 = np.sum(dZ2, axis=0, keepdims=True)
        dZ1 = dZ2 @ W2.T
        dZ1 = dZ1 * (Z1 > 0)
        dW1 = X.T @ dZ1 + c * np.sign(W1)
        db1 = np.sum(dZ1, axis=0, keepdims=True)
        return cost, {"d_w1": dW1, "d_b1": db1, "d_w2": dW2, "d_b2": db2}
