"""Note (only logits ~1e3 show it): the cost clips the logits to [-500, 500] (gradients exact): only a cost at huge logits changes."""

import numpy as np


def cost_grad(X, y, params, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    hidden = np.maximum(0, X @ W1 + b1)
    scores = hidden @ W2 + b2
    safe = np.clip(scores, -500, 500)
    safe = safe - safe.max(axis=1, keepdims=True)
    loss = -np.mean(safe[np.arange(n), y] - np.log(np.exp(safe).sum(axis=1)))
    loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    probs[np.arange(n), y] -= 1
    probs /= n
    dhidden = probs @ W2.T
    dhidden[hidden <= 0] = 0
    return loss, {
        "dW1": X.T @ dhidden + 2 * reg * W1,
        "db1": dhidden.sum(axis=0, keepdims=True),
        "dW2": hidden.T @ probs + 2 * reg * W2,
        "db2": probs.sum(axis=0, keepdims=True),
    }
