"""Bug: the weight decay is left out of both the cost and the gradients (c is ignored)."""

import numpy as np


def cost_grad(X, y, params, reg=0.0):
    # TODO: regularisation -- later
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    hidden = np.maximum(0, X.dot(W1) + b1)
    scores = hidden.dot(W2) + b2
    scores = scores - scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    dscores /= N
    dW2 = hidden.T.dot(dscores)
    db2 = dscores.sum(axis=0, keepdims=True)
    dhidden = dscores.dot(W2.T)
    dhidden[hidden <= 0] = 0
    dW1 = X.T.dot(dhidden)
    db1 = dhidden.sum(axis=0, keepdims=True)
    return loss, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
