"""Correct (2018 edition of the course): the penalty is called `reg`, the history lives on self.history and fit returns None.

Otherwise the spec loop: permutation per epoch, range(0, n, batch_size) batches,
update every parameter, whole-set losses/accuracies after each epoch, best
validation parameters copied into self.params.
"""

import numpy as np


def relu(x):
    return np.maximum(0, x)


def softmax(x):
    x = x - np.max(x, axis=1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=1, keepdims=True)


class NetClassifier():

    def __init__(self):
        self.params = None
        self.history = None

    @staticmethod
    def cost_grad(X, y, params, reg=0.0):
        """ Cost and gradient of the 2 layer net: cross entropy + reg * (||W1||^2 + ||W2||^2) """
        W1 = params['W1']
        b1 = params['b1']
        W2 = params['W2']
        b2 = params['b2']
        n = X.shape[0]

        ### YOUR CODE HERE
        z1 = np.dot(X, W1) + b1
        a1 = relu(z1)
        z2 = np.dot(a1, W2) + b2
        zs = z2 - np.max(z2, axis=1, keepdims=True)
        logp = zs - np.log(np.sum(np.exp(zs), axis=1, keepdims=True))
        cost = -np.mean(logp[np.arange(n), y]) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        g = softmax(z2)
        g[np.arange(n), y] -= 1
        g /= n
        d_w2 = np.dot(a1.T, g) + 2 * reg * W2
        d_b2 = np.sum(g, axis=0, keepdims=True)
        g1 = np.dot(g, W2.T) * (z1 > 0)
        d_w1 = np.dot(X.T, g1) + 2 * reg * W1
        d_b1 = np.sum(g1, axis=0, keepdims=True)
        ### END CODE

        return cost, {'d_w1': d_w1, 'd_b1': d_b1, 'd_w2': d_w2, 'd_b2': d_b2}

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, reg=1e-4, epochs=30):
        """ Run mini-batch gradient descent; store the history in self.history """
        W1 = init_params['W1'].copy()
        b1 = init_params['b1'].copy()
        W2 = init_params['W2'].copy()
        b2 = init_params['b2'].copy()
        self.history = {'train_loss': [], 'train_acc': [], 'val_loss': [], 'val_acc': []}
        best_acc = -1

        ### YOUR CODE HERE
        for epoch in range(epochs):
            perm = np.random.permutation(X_train.shape[0])
            X_perm = X_train[perm]
            y_perm = y_train[perm]
            for i in range(0, X_perm.shape[0], batch_size):
                p = {'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}
                _, grad = self.cost_grad(X_perm[i:i + batch_size], y_perm[i:i + batch_size], p, reg=reg)
                W1 -= lr * grad['d_w1']
                b1 -= lr * grad['d_b1']
                W2 -= lr * grad['d_w2']
                b2 -= lr * grad['d_b2']

            p = {'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}
            tr_cost, _ = self.cost_grad(X_train, y_train, p, reg=reg)
            va_cost, _ = self.cost_grad(X_val, y_val, p, reg=reg)
            tr_acc = self.score(X_train, y_train, p)
            va_acc = self.score(X_val, y_val, p)
            self.history['train_loss'].append(tr_cost)
            self.history['train_acc'].append(tr_acc)
            self.history['val_loss'].append(va_cost)
            self.history['val_acc'].append(va_acc)
            if va_acc > best_acc:
                best_acc = va_acc
                self.params = {'W1': W1.copy(), 'b1': b1.copy(), 'W2': W2.copy(), 'b2': b2.copy()}
        ### END CODE

    def predict(self, X, params=None):
        if params is None:
            params = self.params
        return np.argmax(np.dot(relu(np.dot(X, params['W1']) + params['b1']), params['W2']) + params['b2'], axis=1)

    def score(self, X, y, params=None):
        return np.mean(self.predict(X, params) == y)
