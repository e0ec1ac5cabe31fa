"""Correct: pure-Python scalar loops with math.exp / math.log, no vectorised products; arrays built at the end."""

import math

import numpy as np


def cost_grad(X, y, params, reg=0.0):
    W1 = params["W1"].tolist()
    b1 = params["b1"][0].tolist()
    W2 = params["W2"].tolist()
    b2 = params["b2"][0].tolist()
    data = X.tolist()
    labels = [int(t) for t in y]
    n = len(data)
    d = len(W1)
    h = len(b1)
    k = len(b2)

    gW1 = [[0.0] * h for _ in range(d)]
    gb1 = [0.0] * h
    gW2 = [[0.0] * k for _ in range(h)]
    gb2 = [0.0] * k
    loss = 0.0

    for s in range(n):
        x = data[s]
        # hidden layer
        z1 = [0.0] * h
        a1 = [0.0] * h
        for j in range(h):
            acc = b1[j]
            for i in range(d):
                acc += x[i] * W1[i][j]
            z1[j] = acc
            a1[j] = acc if acc > 0.0 else 0.0
        # output layer
        z2 = [0.0] * k
        for c in range(k):
            acc = b2[c]
            for j in range(h):
                acc += a1[j] * W2[j][c]
            z2[c] = acc
        # log-sum-exp with the max pulled out
        top = max(z2)
        total = 0.0
        for c in range(k):
            total += math.exp(z2[c] - top)
        lse = top + math.log(total)
        loss += lse - z2[labels[s]]
        # dloss/dz2 = softmax - onehot
        dz2 = [0.0] * k
        for c in range(k):
            dz2[c] = math.exp(z2[c] - top) / total
        dz2[labels[s]] -= 1.0
        # second layer grads
        for c in range(k):
            gb2[c] += dz2[c]
            for j in range(h):
                gW2[j][c] += a1[j] * dz2[c]
        # back through W2 and the relu
        for j in range(h):
            if z1[j] > 0.0:
                back = 0.0
                for c in range(k):
                    back += W2[j][c] * dz2[c]
                gb1[j] += back
                for i in range(d):
                    gW1[i][j] += x[i] * back

    penalty = 0.0
    for row in W1:
        for w in row:
            penalty += w * w
    for row in W2:
        for w in row:
            penalty += w * w
    cost = loss / n + reg * penalty

    for i in range(d):
        for j in range(h):
            gW1[i][j] = gW1[i][j] / n + 2.0 * reg * W1[i][j]
    for j in range(h):
        gb1[j] /= n
        for c in range(k):
            gW2[j][c] = gW2[j][c] / n + 2.0 * reg * W2[j][c]
    for c in range(k):
        gb2[c] /= n

    return cost, {
        "d_w1": np.array(gW1, dtype=np.float64).reshape(d, h),
        "d_b1": np.array([gb1], dtype=np.float64),
        "d_w2": np.array(gW2, dtype=np.float64).reshape(h, k),
        "d_b2": np.array([gb2], dtype=np.float64),
    }
