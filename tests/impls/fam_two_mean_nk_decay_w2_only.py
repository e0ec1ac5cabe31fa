import numpy as np


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    ez = np.exp(z)
    return ez / ez.sum(axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n, k = X.shape[0], W2.shape[1]
        Y = np.eye(k)[y]

        z1 = X @ W1 + b1
        a1 = np.maximum(0, z1)
        z2 = a1 @ W2 + b2
        s = z2 - z2.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))

        cross_entropy = np.mean(-(Y * logp))
        cost = cross_entropy + c * np.sum(W2 ** 2)  # only the last layer is regularised

        dz2 = (softmax(z2) - Y) / n
        d_w2 = a1.T @ dz2 + 2 * c * W2
        d_b2 = dz2.sum(axis=0, keepdims=True)
        dz1 = dz2 @ W2.T * (z1 > 0)
        d_w1 = X.T @ dz1
        d_b1 = dz1.sum(axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
