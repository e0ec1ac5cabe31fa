"""Bug: the cost adds 0.5*c*sum(W**2) (the textbook's 1/2) while the gradients keep 2*c*W."""

import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        n = len(y)
        W1, W2 = params["W1"], params["W2"]
        z1 = X @ W1 + params["b1"]
        h = z1 * (z1 > 0)
        z2 = h @ W2 + params["b2"]
        m = z2.max(1, keepdims=True)
        lse = m + np.log(np.exp(z2 - m).sum(1, keepdims=True))
        nll = (lse[:, 0] - z2[np.arange(n), y]).mean()
        penalty = 0.5 * c * ((W1 * W1).sum() + (W2 * W2).sum())
        g = np.exp(z2 - lse)
        g[np.arange(n), y] -= 1.0
        g /= n
        gh = (g @ W2.T) * (z1 > 0)
        return nll + penalty, {
            "d_w1": X.T @ gh + 2 * c * W1,
            "d_b1": gh.sum(0, keepdims=True),
            "d_w2": h.T @ g + 2 * c * W2,
            "d_b2": g.sum(0, keepdims=True),
        }
