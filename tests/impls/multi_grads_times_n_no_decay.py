"""Two bugs: the gradients are the cross-entropy gradient without the 1/n (the cost is a proper mean), and
they leave out the decay term that the cost has."""

import numpy as np


def cost_grad(X, y, params, c):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = len(y)
    hidden = np.maximum(X @ W1 + b1, 0)
    logits = hidden @ W2 + b2
    logits -= logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    cost = -log_probs[np.arange(n), y].mean() + c * (np.sum(W1**2) + np.sum(W2**2))

    delta2 = np.exp(log_probs)
    delta2[np.arange(n), y] -= 1
    delta1 = (delta2 @ W2.T) * (hidden > 0)
    grads = {
        "d_w1": X.T @ delta1,
        "d_b1": delta1.sum(axis=0, keepdims=True),
        "d_w2": hidden.T @ delta2,
        "d_b2": delta2.sum(axis=0, keepdims=True),
    }
    return cost, grads
