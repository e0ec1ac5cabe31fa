import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        k = b2.shape[1]

        # ---- forward ----
        u = X.dot(W1) + b1
        h = u * (u > 0)
        v = h.dot(W2) + b2
        v = v - v.max(axis=1, keepdims=True)
        ev = np.exp(v)
        p = ev / ev.sum(axis=1, keepdims=True)
        t = np.zeros((n, k))
        t[range(n), y] = 1
        cost = -np.sum(t * (v - np.log(ev.sum(axis=1, keepdims=True)))) / n
        cost += c * ((W1 ** 2).sum() + (W2 ** 2).sum())

        # ---- backward ----
        dv = (p - t) / n
        grad_W2 = h.T.dot(dv) + 2 * c * W2
        grad_b2 = dv.sum(axis=0, keepdims=True)
        dh = dv.dot(W2.T)
        grad_b1 = dh.sum(axis=0, keepdims=True)
        du = dh * (u > 0)
        grad_W1 = X.T.dot(du) + 2 * c * W1
        return cost, {"d_w1": grad_W1, "d_b1": grad_b1, "d_w2": grad_W2, "d_b2": grad_b2}
