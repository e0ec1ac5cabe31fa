"""Bug: the gradients carry 2*c*W, but the cost forgets to add c*(||W1||^2 + ||W2||^2)."""

import numpy as np


def cost_grad(X, y, params, lam):
    w1, b1, w2, b2 = (params[key] for key in ("W1", "b1", "W2", "b2"))
    batch = X.shape[0]
    pre = X @ w1 + b1
    act = np.maximum(pre, 0.0)
    logits = act @ w2 + b2
    shift = logits - logits.max(axis=1, keepdims=True)
    logprob = shift - np.log(np.sum(np.exp(shift), axis=1, keepdims=True))
    cost = -np.sum(logprob[np.arange(batch), y]) / batch  # the penalty: forgot it here
    delta = np.exp(logprob)
    delta[np.arange(batch), y] -= 1
    delta = delta / batch
    grads = {}
    grads["W2"] = act.T @ delta + 2 * lam * w2
    grads["b2"] = np.sum(delta, axis=0, keepdims=True)
    back = (delta @ w2.T) * (pre > 0)
    grads["W1"] = X.T @ back + 2 * lam * w1
    grads["b1"] = np.sum(back, axis=0, keepdims=True)
    return cost, grads
