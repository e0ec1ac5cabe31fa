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
        N, D = X.shape

        z = X @ W1 + b1
        a = np.maximum(z, 0)
        scores = a @ W2 + b2
        if y is None:
            return scores

        #############################################################################
        # Softmax loss + L2                                                         #
        #############################################################################
        s = scores - scores.max(axis=1, keepdims=True)
        logZ = np.log(np.exp(s).sum(axis=1))
        correct = s[np.arange(N), y]
        loss = np.sum(logZ - correct)
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        probs = np.exp(s - logZ[:, None])
        probs[np.arange(N), y] -= 1
        probs /= N
        grads['W2'] = a.T @ probs + 2 * reg * W2
        grads['b2'] = probs.sum(axis=0)
        da = probs @ W2.T
        dz = da * (z > 0)
        grads['W1'] = X.T @ dz + 2 * reg * W1
        grads['b1'] = dz.sum(axis=0)
        return loss, grads
