"""Two bugs: the cost's decay is c/(2n)*sum(W**2), and the gradients are the cross-entropy gradient without
the 1/n, with no decay term."""

import numpy as np


def cost_grad(X, y, params, c):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Y = np.eye(W2.shape[1])[y]
    A1 = np.maximum(0, X @ W1 + b1)
    Z2 = A1 @ W2 + b2
    Z2 = Z2 - np.max(Z2, axis=1, keepdims=True)
    A2 = np.exp(Z2) / np.sum(np.exp(Z2), axis=1, keepdims=True)
    J = -np.sum(Y * (Z2 - np.log(np.sum(np.exp(Z2), axis=1, keepdims=True)))) / m
    J += c / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)))

    dZ2 = A2 - Y
    dW2 = A1.T @ dZ2
    db2 = np.sum(dZ2, axis=0, keepdims=True)
    dZ1 = (dZ2 @ W2.T) * (A1 > 0)
    dW1 = X.T @ dZ1
    db1 = np.sum(dZ1, axis=0, keepdims=True)
    return J, {"d_w1": dW1, "d_b1": db1, "d_w2": dW2, "d_b2": db2}
