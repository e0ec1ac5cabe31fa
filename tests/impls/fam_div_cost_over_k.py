"""HW3 Q2: two layer network, cost and gradient."""
import numpy as np


def one_hot(y, k):
    Y = np.zeros((len(y), k))
    for i, label in enumerate(y):
        Y[i][label] = 1
    return Y


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1 = params["W1"]
        b1 = params["b1"]
        W2 = params["W2"]
        b2 = params["b2"]
        n = X.shape[0]
        Y = one_hot(y, W2.shape[1])

        hidden_in = np.dot(X, W1) + b1
        hidden = np.maximum(hidden_in, 0)
        out = np.dot(hidden, W2) + b2

        out_max = np.max(out, axis=1, keepdims=True)
        log_sm = out - out_max - np.log(np.sum(np.exp(out - out_max), axis=1, keepdims=True))
        sm = np.exp(log_sm)

        # sum up the loss for each class, then take the average
        per_class = np.sum(-Y * log_sm, axis=0)
        cost = np.mean(per_class)
        cost = cost + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        dout = (sm - Y) / n
        d_w2 = np.dot(hidden.T, dout) + 2 * c * W2
        d_b2 = np.sum(dout, axis=0, keepdims=True)
        dhidden = np.dot(dout, W2.T) * (hidden_in > 0)
        d_w1 = np.dot(X.T, dhidden) + 2 * c * W1
        d_b1 = np.sum(dhidden, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
