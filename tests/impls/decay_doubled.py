"""Bug: the regularisation is applied twice: the cost adds 2*lam*sum(W**2) and the gradients 4*lam*W."""

import numpy as np


def regularisation(params, lam):
    return lam * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))


def cost_grad(X, y, params, lam):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    h_in = X @ W1 + b1
    h = np.maximum(h_in, 0)
    out = h @ W2 + b2
    out = out - out.max(axis=1, keepdims=True)
    logp = out - np.log(np.exp(out).sum(axis=1, keepdims=True))
    cost = -logp[np.arange(n), y].mean() + regularisation(params, lam)
    cost = cost + regularisation(params, lam)  # "and the penalty"
    d_out = np.exp(logp)
    d_out[np.arange(n), y] -= 1
    d_out /= n
    d_h = (d_out @ W2.T) * (h_in > 0)
    grads = {
        "d_w1": X.T @ d_h + 2 * lam * W1,
        "d_b1": d_h.sum(axis=0, keepdims=True),
        "d_w2": h.T @ d_out + 2 * lam * W2,
        "d_b2": d_out.sum(axis=0, keepdims=True),
    }
    grads["d_w1"] += 2 * lam * W1
    grads["d_w2"] += 2 * lam * W2
    return cost, grads
