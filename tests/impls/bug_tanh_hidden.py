"""Bug: hidden activation is tanh instead of ReLU (forward, derivative 1 - tanh^2 and cost consistent)."""

import numpy as np


def cost_grad(X, y, params, c):
    p = params
    n = len(X)
    k = p["W2"].shape[1]
    T = np.eye(k)[y]

    H = np.tanh(X @ p["W1"] + p["b1"])
    S = H @ p["W2"] + p["b2"]
    S_max = np.max(S, axis=1, keepdims=True)
    logZ = S_max + np.log(np.sum(np.exp(S - S_max), axis=1, keepdims=True))
    ce = np.sum(T * (logZ - S)) / n
    decay = c * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))

    dS = (np.exp(S - logZ) - T) / n
    dH = dS @ p["W2"].T
    dA = dH * (1.0 - H**2)

    return ce + decay, {
        "d_w1": X.T @ dA + 2 * c * p["W1"],
        "d_b1": dA.sum(axis=0, keepdims=True),
        "d_w2": H.T @ dS + 2 * c * p["W2"],
        "d_b2": dS.sum(axis=0, keepdims=True),
    }
