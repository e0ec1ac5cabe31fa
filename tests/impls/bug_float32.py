"""Bug: casts X and the parameters to float32 and computes everything (cost and gradients) in single precision."""

import numpy as np

DTYPE = np.float32  # faster and uses half the memory


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c):
        X = X.astype(DTYPE)
        W1 = params["W1"].astype(DTYPE)
        b1 = params["b1"].astype(DTYPE)
        W2 = params["W2"].astype(DTYPE)
        b2 = params["b2"].astype(DTYPE)
        c = DTYPE(c)
        n = X.shape[0]
        k = W2.shape[1]

        Y = np.zeros((n, k), dtype=DTYPE)
        Y[np.arange(n), y] = 1

        z1 = X @ W1 + b1
        a1 = np.maximum(z1, DTYPE(0))
        z2 = a1 @ W2 + b2
        z2s = z2 - z2.max(axis=1, keepdims=True)
        ez = np.exp(z2s)
        sum_ez = ez.sum(axis=1, keepdims=True)
        logp = z2s - np.log(sum_ez)
        P = ez / sum_ez

        cost = -(Y * logp).sum() / DTYPE(n) + c * ((W1 * W1).sum() + (W2 * W2).sum())

        two = DTYPE(2)
        dz2 = (P - Y) / DTYPE(n)
        d_w2 = a1.T @ dz2 + two * c * W2
        d_b2 = dz2.sum(axis=0, keepdims=True)
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        d_w1 = X.T @ dz1 + two * c * W1
        d_b1 = dz1.sum(axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
