"""Correct: sklearn.utils.shuffle(X, y) shuffles the rows of X and y together at the start of every epoch.

Then plain slicing X_sh[i:i+batch_size]. cost_grad is written with a one-hot
matrix from np.eye. The best epoch's parameters are kept as a copy.
"""

import numpy as np
from sklearn.utils import shuffle


class NetClassifier:
    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params['W1'], params['b1'], params['W2'], params['b2']
        n = X.shape[0]
        K = W2.shape[1]
        T = np.eye(K)[y]                       # one hot targets

        Z1 = X.dot(W1) + b1
        A1 = np.where(Z1 > 0, Z1, 0.0)
        Z2 = A1.dot(W2) + b2
        Z2 = Z2 - np.max(Z2, axis=1, keepdims=True)
        logP = Z2 - np.log(np.sum(np.exp(Z2), axis=1, keepdims=True))
        P = np.exp(logP)

        cost = -np.sum(T * logP) / n + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

        D2 = (P - T) / n
        D1 = D2.dot(W2.T) * (Z1 > 0)
        d_w2 = A1.T.dot(D2) + 2 * c * W2
        d_b2 = D2.sum(axis=0).reshape(1, -1)
        d_w1 = X.T.dot(D1) + 2 * c * W1
        d_b1 = D1.sum(axis=0).reshape(1, -1)
        return cost, {'d_w1': d_w1, 'd_b1': d_b1, 'd_w2': d_w2, 'd_b2': d_b2}

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        W1 = init_params['W1'].copy()
        b1 = init_params['b1'].copy()
        W2 = init_params['W2'].copy()
        b2 = init_params['b2'].copy()
        history = {'train_loss': [], 'train_acc': [], 'val_loss': [], 'val_acc': []}
        best_val_acc = 0.0
        self.params = {'W1': W1.copy(), 'b1': b1.copy(), 'W2': W2.copy(), 'b2': b2.copy()}

        for e in range(epochs):
            X_sh, y_sh = shuffle(X_train, y_train)
            for i in range(0, X_sh.shape[0], batch_size):
                Xb = X_sh[i:i + batch_size]
                yb = y_sh[i:i + batch_size]
                cur = {'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}
                cost, g = NetClassifier.cost_grad(Xb, yb, cur, c)
                W1 = W1 - lr * g['d_w1']
                b1 = b1 - lr * g['d_b1']
                W2 = W2 - lr * g['d_w2']
                b2 = b2 - lr * g['d_b2']

            cur = {'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}
            train_cost, _ = NetClassifier.cost_grad(X_train, y_train, cur, c)
            val_cost, _ = NetClassifier.cost_grad(X_val, y_val, cur, c)
            train_acc = np.mean(self._predict_with(X_train, cur) == y_train)
            val_acc = np.mean(self._predict_with(X_val, cur) == y_val)
            history['train_loss'].append(train_cost)
            history['val_loss'].append(val_cost)
            history['train_acc'].append(train_acc)
            history['val_acc'].append(val_acc)

            # keep the best model seen so far (first epoch always counts)
            if e == 0 or val_acc > best_val_acc:
                best_val_acc = val_acc
                self.params = {'W1': W1.copy(), 'b1': b1.copy(), 'W2': W2.copy(), 'b2': b2.copy()}

        return history

    @staticmethod
    def _predict_with(X, p):
        A1 = np.maximum(X.dot(p['W1']) + p['b1'], 0)
        return np.argmax(A1.dot(p['W2']) + p['b2'], axis=1)

    def predict(self, X):
        return self._predict_with(X, self.params)

    def score(self, X, y):
        return np.mean(self.predict(X) == y)
