"""Correct: everything accumulated in np.longdouble, the cost's terms summed with math.fsum, results cast back to float64."""

import math

import numpy as np

WIDE = np.longdouble


def _wide(a):
    # a new extended-precision copy; the caller's array is never touched
    return np.array(a, dtype=WIDE)


def cost_grad(X, y, params, c=0.0):
    x = _wide(X)
    w1, bias1 = _wide(params["W1"]), _wide(params["b1"])
    w2, bias2 = _wide(params["W2"]), _wide(params["b2"])
    cw = WIDE(c)
    n = x.shape[0]
    k = w2.shape[1]
    idx = np.arange(n)

    z1 = x @ w1 + bias1
    a1 = np.where(z1 > 0, z1, WIDE(0))
    z2 = a1 @ w2 + bias2

    top = z2.max(axis=1, keepdims=True)
    ex = np.exp(z2 - top)
    sums = ex.sum(axis=1, keepdims=True)
    log_p = (z2 - top) - np.log(sums)

    # cross-entropy terms and the penalty summed exactly by math.fsum
    data_terms = [-float(v) for v in log_p[idx, y]]
    sq = [float(v) for v in (w1 * w1).ravel()] + [float(v) for v in (w2 * w2).ravel()]
    cost = math.fsum(data_terms) / n + c * math.fsum(sq)

    onehot = np.zeros((n, k), dtype=WIDE)
    onehot[idx, y] = 1
    g2 = (ex / sums - onehot) / n
    g1 = (g2 @ w2.T) * (z1 > 0)

    out = {
        "d_w1": x.T @ g1 + 2 * cw * w1,
        "d_b1": g1.sum(axis=0, keepdims=True),
        "d_w2": a1.T @ g2 + 2 * cw * w2,
        "d_b2": g2.sum(axis=0, keepdims=True),
    }
    return float(cost), {key: val.astype(np.float64) for key, val in out.items()}
