import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params['W1'], self.params['b1']
        W2, b2 = self.params['W2'], self.params['b2']
        N = X.shape[0]

        pre = np.einsum('ij,jk->ik', X, W1) + b1
        hid = np.where(pre > 0, pre, 0.0)
        scores = np.einsum('ij,jk->ik', hid, W2) + b2
        if y is None:
            return scores

        m = scores.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(scores - m).sum(axis=1))
        loss = np.mean(lse - scores[np.arange(N), y]) + reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        p = np.exp(scores - lse[:, None])
        p[np.arange(N), y] -= 1.0
        dscores = p  # dL/dscores for each example
        grads = {}
        grads['W2'] = np.einsum('ij,ik->jk', hid, dscores) + 2 * reg * W2
        grads['b2'] = dscores.sum(axis=0)
        dhid = np.einsum('ik,jk->ij', dscores, W2)
        dpre = np.where(pre > 0, dhid, 0.0)
        grads['W1'] = np.einsum('ij,ik->jk', X, dpre) + 2 * reg * W1
        grads['b1'] = dpre.sum(axis=0)
        return loss, grads
