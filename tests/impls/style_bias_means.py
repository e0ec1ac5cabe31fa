"""Correct: error terms kept unscaled, bias grads as np.mean over axis 0, weight grads divided by n at the end."""

import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        num_examples, num_classes = X.shape[0], W2.shape[1]

        # forward
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0.0)
        Z2 = A1 @ W2 + b2
        M = Z2.max(axis=1, keepdims=True)
        log_softmax = (Z2 - M) - np.log(np.sum(np.exp(Z2 - M), axis=1, keepdims=True))

        T = np.zeros((num_examples, num_classes))
        T[np.arange(num_examples), y] = 1.0
        cross_entropy = -np.mean(np.sum(T * log_softmax, axis=1))
        cost = cross_entropy + c * (np.sum(W1 * W1) + np.sum(W2 * W2))

        # backward: per-sample errors, NOT divided by num_examples
        E2 = np.exp(log_softmax) - T            # (n, k)
        E1 = (E2 @ W2.T) * (Z1 > 0)             # (n, h)

        # biases: the mean error over the batch
        db2 = np.mean(E2, axis=0, keepdims=True)
        db1 = np.mean(E1, axis=0, keepdims=True)
        # weights: summed outer products, averaged at the end, then the decay term
        dW2 = (A1.T @ E2) / num_examples + 2 * c * W2
        dW1 = (X.T @ E1) / num_examples + 2 * c * W1

        return cost, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
