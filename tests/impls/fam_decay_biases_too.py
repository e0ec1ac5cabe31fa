import numpy as np

KEYS = ["W1", "b1", "W2", "b2"]


def stable_log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = (params[key] for key in KEYS)
        n = X.shape[0]

        z1 = X @ W1 + b1
        a1 = np.maximum(z1, 0.0)
        z2 = a1 @ W2 + b2
        lp = stable_log_softmax(z2)
        cost = -lp[np.arange(n), y].sum() / n

        g = np.exp(lp)
        g[np.arange(n), y] -= 1.0
        g = g / n
        dz1 = (g @ W2.T) * (z1 > 0)
        grads = {"W1": X.T @ dz1, "b1": dz1.sum(0, keepdims=True), "W2": a1.T @ g, "b2": g.sum(0, keepdims=True)}

        # weight decay: penalise every parameter
        for key in KEYS:
            cost += c * np.sum(params[key] ** 2)
            grads[key] = grads[key] + 2 * c * params[key]

        return cost, {"d_w1": grads["W1"], "d_b1": grads["b1"], "d_w2": grads["W2"], "d_b2": grads["b2"]}
