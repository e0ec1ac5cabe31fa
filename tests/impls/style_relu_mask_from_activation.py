"""Correct: the ReLU derivative taken from the activation, mask = (a1 > 0), instead of from z1."""

import numpy as np


def softmax(scores):
    """Row-wise softmax; each row is one sample."""
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=1, keepdims=True)


def relu(v):
    return v * (v > 0)


class NetClassifier(object):
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1 = params["W1"]; b1 = params["b1"]
        W2 = params["W2"]; b2 = params["b2"]
        n = X.shape[0]
        idx = np.arange(n)

        a1 = relu(X.dot(W1) + b1)      # z1 is not kept: the mask comes from a1
        z2 = a1.dot(W2) + b2

        zmax = z2.max(axis=1, keepdims=True)
        logZ = zmax + np.log(np.exp(z2 - zmax).sum(axis=1, keepdims=True))
        nll = logZ[:, 0] - z2[idx, y]
        cost = nll.mean() + c * (np.vdot(W1, W1) + np.vdot(W2, W2))

        delta2 = softmax(z2)
        delta2[idx, y] -= 1.0
        delta2 = delta2 / n

        dW2 = a1.T.dot(delta2) + 2.0 * c * W2
        db2 = delta2.sum(axis=0, keepdims=True)

        mask = (a1 > 0)               # a1 > 0 exactly where z1 > 0
        delta1 = delta2.dot(W2.T) * mask
        dW1 = X.T.dot(delta1) + 2.0 * c * W1
        db1 = delta1.sum(axis=0, keepdims=True)

        return float(cost), dict(d_w1=dW1, d_b1=db1, d_w2=dW2, d_b2=db2)
