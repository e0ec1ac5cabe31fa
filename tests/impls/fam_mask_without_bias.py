import numpy as np


def relu(x):
    return np.maximum(x, 0)


def relu_grad(x):
    # derivative of relu: 1 where the input is positive
    return (x > 0).astype(float)


def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]

        XW1 = np.dot(X, W1)
        h = relu(XW1 + b1)
        scores = np.dot(h, W2) + b2
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        cost = -np.mean(logp[np.arange(n), y]) + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        dscores = softmax(scores)
        dscores[np.arange(n), y] -= 1
        dscores /= n
        d_w2 = np.dot(h.T, dscores) + 2 * c * W2
        d_b2 = np.sum(dscores, axis=0, keepdims=True)
        dh = np.dot(dscores, W2.T) * relu_grad(XW1)
        d_w1 = np.dot(X.T, dh) + 2 * c * W1
        d_b1 = np.sum(dh, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
