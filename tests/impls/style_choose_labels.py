"""Correct: the label's log-probability picked with np.choose, the gradient's label entries with take/put_along_axis."""

import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, reg):
        w1, b1, w2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        m = X.shape[0]

        h_in = X.dot(w1) + b1
        h_out = np.clip(h_in, 0.0, None)
        scores = h_out.dot(w2) + b2

        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

        # np.choose(y, columns)[i] == columns[y[i]][i], i.e. log_probs[i, y[i]]
        picked = np.choose(y, log_probs.T)
        loss = -picked.mean() + reg * ((w1 * w1).sum() + (w2 * w2).sum())

        probs = np.exp(log_probs)
        lbl = y.reshape(-1, 1)
        at_label = np.take_along_axis(probs, lbl, axis=1)  # p[i, y[i]], shape (m, 1)
        dscores = probs.copy()
        np.put_along_axis(dscores, lbl, at_label - 1.0, axis=1)
        dscores /= m

        grad_w2 = h_out.T.dot(dscores) + 2 * reg * w2
        grad_b2 = dscores.sum(axis=0).reshape(1, -1)
        dh = dscores.dot(w2.T)
        dh[h_in <= 0] = 0.0
        grad_w1 = X.T.dot(dh) + 2 * reg * w1
        grad_b1 = dh.sum(axis=0).reshape(1, -1)

        return loss, {"d_w1": grad_w1, "d_b1": grad_b1, "d_w2": grad_w2, "d_b2": grad_b2}
