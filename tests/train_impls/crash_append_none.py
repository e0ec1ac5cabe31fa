"""Crash: fit resets `self.history = None` and then appends to self.history['train_loss'], a TypeError after the first epoch.

The student meant to reset the history to an empty dict. Visible effect: fit
raises TypeError ("'NoneType' object is not subscriptable") at the end of the
first epoch; no history is returned.
"""

import numpy as np


class NetClassifier(object):
    """2-layer net, softmax output."""

    def __init__(self):
        self.params = None
        self.history = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1 = params['W1']
        b1 = params['b1']
        W2 = params['W2']
        b2 = params['b2']
        n = X.shape[0]

        # forward
        a = np.dot(X, W1) + b1
        h = np.maximum(a, 0)
        o = np.dot(h, W2) + b2
        o = o - np.max(o, axis=1, keepdims=True)
        lse = np.log(np.sum(np.exp(o), axis=1))
        cost = np.mean(lse - o[np.arange(n), y]) + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        # backward
        do = np.exp(o - lse[:, None])
        do[np.arange(n), y] -= 1
        do = do / n
        dh = np.dot(do, W2.T)
        da = dh * (a > 0)
        grads = {}
        grads['d_w2'] = np.dot(h.T, do) + 2 * c * W2
        grads['d_b2'] = np.sum(do, axis=0, keepdims=True)
        grads['d_w1'] = np.dot(X.T, da) + 2 * c * W1
        grads['d_b1'] = np.sum(da, axis=0, keepdims=True)
        return cost, grads

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        params = {}
        for name in ['W1', 'b1', 'W2', 'b2']:
            params[name] = init_params[name].copy()
        self.history = None   # reset from a previous fit
        best_val_acc = -1
        n = X_train.shape[0]

        for epoch in range(epochs):
            perm = np.random.permutation(n)
            X_shuf = X_train[perm]
            y_shuf = y_train[perm]
            for i in range(0, n, batch_size):
                cost, grads = self.cost_grad(X_shuf[i:i + batch_size], y_shuf[i:i + batch_size], params, c)
                for name in ['W1', 'b1', 'W2', 'b2']:
                    params[name] -= lr * grads['d_' + name.lower()]

            self.history['train_loss'].append(self.cost_grad(X_train, y_train, params, c)[0])
            self.history['train_acc'].append(self.score(X_train, y_train, params))
            self.history['val_loss'].append(self.cost_grad(X_val, y_val, params, c)[0])
            self.history['val_acc'].append(self.score(X_val, y_val, params))

            if self.history['val_acc'][-1] > best_val_acc:
                best_val_acc = self.history['val_acc'][-1]
                self.params = {name: params[name].copy() for name in params}

        return self.history

    def predict(self, X, params=None):
        if params is None:
            params = self.params
        h = np.maximum(np.dot(X, params['W1']) + params['b1'], 0)
        return np.argmax(np.dot(h, params['W2']) + params['b2'], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
