"""Correct: Andrew Ng deeplearning.ai style, samples as columns internally, gradients transposed back at the end."""

import numpy as np


def relu(Z):
    A = np.maximum(0, Z)
    cache = Z
    return A, cache


def log_softmax_columns(Z):
    """Log-softmax down each column of Z (shape (C, m), one column per example)."""
    Zmax = np.max(Z, axis=0, keepdims=True)
    return Z - Zmax - np.log(np.sum(np.exp(Z - Zmax), axis=0, keepdims=True))


def softmax(Z):
    """Column-wise softmax: one column per example."""
    return np.exp(log_softmax_columns(Z))


def convert_to_one_hot(Y, C):
    Y = np.eye(C)[Y.reshape(-1)].T
    return Y


def forward_propagation(X, parameters):
    """X has shape (n_x, m); parameters hold W (n_out, n_in) and b (n_out, 1)."""
    W1 = parameters["W1"]
    b1 = parameters["b1"]
    W2 = parameters["W2"]
    b2 = parameters["b2"]

    Z1 = np.dot(W1, X) + b1
    A1, _ = relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    logA2 = log_softmax_columns(Z2)
    A2 = np.exp(logA2)

    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2, "logA2": logA2}
    return A2, cache


def compute_cost(logA2, Y, parameters, lambd):
    m = Y.shape[1]
    cross_entropy_cost = -1.0 / m * np.sum(Y * logA2)
    L2_regularization_cost = lambd * (np.sum(np.square(parameters["W1"])) + np.sum(np.square(parameters["W2"])))
    return cross_entropy_cost + L2_regularization_cost


def backward_propagation(X, Y, cache, parameters, lambd):
    m = X.shape[1]
    W1 = parameters["W1"]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]
    Z1 = cache["Z1"]

    dZ2 = A2 - Y
    dW2 = 1.0 / m * np.dot(dZ2, A1.T) + 2 * lambd * W2
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)

    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.array(dA1, copy=True)
    dZ1[Z1 <= 0] = 0
    dW1 = 1.0 / m * np.dot(dZ1, X.T) + 2 * lambd * W1
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True)

    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def cost_grad(X, y, params, lambd=0.0):
    # the course stores examples as rows and W as (in, out): switch to the column layout
    parameters = {
        "W1": params["W1"].T,
        "b1": params["b1"].T,
        "W2": params["W2"].T,
        "b2": params["b2"].T,
    }
    X_cols = X.T
    C = parameters["W2"].shape[0]
    Y = convert_to_one_hot(y, C)

    A2, cache = forward_propagation(X_cols, parameters)
    cost = compute_cost(cache["logA2"], Y, parameters, lambd)
    g = backward_propagation(X_cols, Y, cache, parameters, lambd)

    # ...and back to the row layout: every gradient transposed
    grads = {key: value.T for key, value in g.items()}
    return cost, grads
