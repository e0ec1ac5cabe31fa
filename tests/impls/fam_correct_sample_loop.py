# Assignment 2, part 1 -- two layer net
# I did the backward pass one example at a time first so I could check it against my notes,
# it is slow but n is small in the tests.
import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1 = params["W1"]
        b1 = params["b1"]
        W2 = params["W2"]
        b2 = params["b2"]
        n = X.shape[0]
        k = W2.shape[1]
        I = np.eye(k)

        total = 0.0
        gW1 = np.zeros(W1.shape)
        gb1 = np.zeros(b1.shape)
        gW2 = np.zeros(W2.shape)
        gb2 = np.zeros(b2.shape)
        for i in range(n):
            x = X[i : i + 1]  # keep it as a (1, d) row
            h_in = np.dot(x, W1) + b1
            h_out = np.maximum(0, h_in)
            s = np.dot(h_out, W2) + b2
            # log-sum-exp trick from the lecture so exp never overflows
            m = np.max(s)
            lse = m + np.log(np.sum(np.exp(s - m)))
            total = total - (s[0, y[i]] - lse)
            p = np.exp(s - lse)
            ds = p - I[y[i]]  # (1, k)
            gW2 = gW2 + np.dot(h_out.T, ds)
            gb2 = gb2 + ds
            dh = np.dot(ds, W2.T)
            dh[h_in <= 0] = 0
            gW1 = gW1 + np.dot(x.T, dh)
            gb1 = gb1 + dh

        cost = total / n + c * (np.sum(W1 * W1) + np.sum(W2 * W2))
        d_w1 = gW1 / n + 2 * c * W1
        d_b1 = gb1 / n
        d_w2 = gW2 / n + 2 * c * W2
        d_b2 = gb2 / n
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
