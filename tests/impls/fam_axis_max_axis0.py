import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        k = W2.shape[1]
        onehot = np.eye(k)[y]

        z1 = np.dot(X, W1) + b1
        a1 = np.maximum(0, z1)
        z2 = np.dot(a1, W2) + b2

        # subtract the max so exp doesn't blow up
        z2 = z2 - np.max(z2, axis=0)
        expz = np.exp(z2)
        softmax = expz / np.sum(expz, axis=1, keepdims=True)
        cost = -np.sum(onehot * np.log(softmax)) / n + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        delta2 = (softmax - onehot) / n
        d_w2 = np.dot(a1.T, delta2) + 2 * c * W2
        d_b2 = np.sum(delta2, axis=0, keepdims=True)
        delta1 = np.dot(delta2, W2.T) * (z1 > 0)
        d_w1 = np.dot(X.T, delta1) + 2 * c * W1
        d_b1 = np.sum(delta1, axis=0, keepdims=True)
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
