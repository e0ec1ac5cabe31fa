"""Correct: per-sample loop with the explicit k x k Jacobian of the log-softmax times the upstream gradient."""

import numpy as np


def log_softmax_vec(z):
    # z is one sample's score vector, shape (k,)
    m = np.max(z)
    return z - m - np.log(np.sum(np.exp(z - m)))


class NetClassifier:

    @staticmethod
    def cost_grad(X, y, params, lam=0.0):
        W1, b1 = params['W1'], params['b1']
        W2, b2 = params['W2'], params['b2']
        N, D = X.shape
        H = W1.shape[1]
        K = W2.shape[1]

        total_loss = 0.0
        gW1 = np.zeros((D, H))
        gb1 = np.zeros(H)
        gW2 = np.zeros((H, K))
        gb2 = np.zeros(K)

        for i in range(N):
            x_i = X[i, :]                     # (D,)
            s1 = x_i.dot(W1) + b1[0]          # (H,)
            h1 = np.where(s1 > 0, s1, 0.0)    # relu
            s2 = h1.dot(W2) + b2[0]           # (K,)

            logp = log_softmax_vec(s2)
            p = np.exp(logp)
            total_loss += -logp[y[i]]

            # dL/dlogp: -1 at the true class, 0 elsewhere
            g = np.zeros(K)
            g[y[i]] = -1.0
            # Jacobian of log-softmax: J[a, b] = d logp_a / d s2_b = delta_ab - p_b
            J = np.eye(K) - np.outer(np.ones(K), p)
            ds2 = J.T.dot(g)                  # chain rule, (K,)

            gW2 += np.outer(h1, ds2)
            gb2 += ds2
            dh1 = W2.dot(ds2)                 # (H,)
            ds1 = dh1 * (s1 > 0)
            gW1 += np.outer(x_i, ds1)
            gb1 += ds1

        # average over the batch
        loss = total_loss / N
        gW1 /= N
        gb1 /= N
        gW2 /= N
        gb2 /= N

        # L2 penalty on the weights only
        loss += lam * (np.sum(W1 * W1) + np.sum(W2 * W2))
        gW1 += 2 * lam * W1
        gW2 += 2 * lam * W2

        return loss, {'d_w1': gW1, 'd_b1': gb1.reshape(1, H), 'd_w2': gW2, 'd_b2': gb2.reshape(1, K)}
