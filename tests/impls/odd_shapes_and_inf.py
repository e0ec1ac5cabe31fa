"""Odd: a cost of shape (1,), gradients of every wrong shape, and inf."""

import numpy as np
def cost_grad(X, y, params, c):
    k = params["W2"].shape[1]
    return np.array([1.0]), {"W1": [[0.0]], "b1": np.nan, "W2": np.ones((2, 2, 2)), "b2": np.inf * np.ones((1, k))}
