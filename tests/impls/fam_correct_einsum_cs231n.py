import numpy as np


class TwoLayerNet(object):
    """
    Two-layer fully-connected net. Everything written with einsum because I wanted to
    see which index is summed over in every product.
    """

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
        C = W2.shape[1]

        hidden = np.maximum(np.einsum('nd,dh->nh', X, W1) + b1, 0.0)
        scores = np.einsum('nh,hc->nc', hidden, W2) + b2
        if y is None:
            return scores

        # one-hot the labels
        onehot = np.zeros((N, C))
        for i in range(N):
            onehot[i, y[i]] = 1.0

        shift = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = shift - np.log(np.einsum('nc->n', np.exp(shift)))[:, None]
        loss = -np.einsum('nc,nc->', onehot, log_probs) / N
        loss += reg * (np.einsum('ij,ij->', W1, W1) + np.einsum('ij,ij->', W2, W2))

        grads = {}
        dscores = (np.exp(log_probs) - onehot) / N
        grads['W2'] = np.einsum('nh,nc->hc', hidden, dscores) + 2 * reg * W2
        grads['b2'] = np.einsum('nc->c', dscores)
        dhidden = np.einsum('nc,hc->nh', dscores, W2)
        dhidden = dhidden * (hidden > 0)  # relu'(z) from the output, same thing since relu(z) > 0 iff z > 0
        grads['W1'] = np.einsum('nd,nh->dh', X, dhidden) + 2 * reg * W1
        grads['b1'] = np.einsum('nh->h', dhidden)
        return loss, grads
