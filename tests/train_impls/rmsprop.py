"""Buggy (the course asks for plain SGD): RMSprop, a running average of squared gradients with decay 0.9.

Visible effect: each coordinate's step is divided by its recent gradient size,
so the steps differ from lr·g from the first one.
"""

import numpy as np


class NetClassifier:

    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, reg=1e-3):
        W, b = params['W1'], params['b1']
        W2, b2 = params['W2'], params['b2']
        num_examples = X.shape[0]

        # evaluate class scores, [N x K]
        hidden_layer = np.maximum(0, np.dot(X, W) + b)
        scores = np.dot(hidden_layer, W2) + b2

        scores_shift = scores - np.max(scores, axis=1, keepdims=True)
        exp_scores = np.exp(scores_shift)
        sum_exp = np.sum(exp_scores, axis=1, keepdims=True)
        probs = exp_scores / sum_exp

        correct_logprobs = np.log(sum_exp[:, 0]) - scores_shift[range(num_examples), y]
        data_loss = np.sum(correct_logprobs) / num_examples
        reg_loss = reg * np.sum(W * W) + reg * np.sum(W2 * W2)
        loss = data_loss + reg_loss

        dscores = probs.copy()
        dscores[range(num_examples), y] -= 1
        dscores /= num_examples

        dW2 = np.dot(hidden_layer.T, dscores)
        db2 = np.sum(dscores, axis=0, keepdims=True)
        dhidden = np.dot(dscores, W2.T)
        dhidden[hidden_layer <= 0] = 0
        dW = np.dot(X.T, dhidden)
        db = np.sum(dhidden, axis=0, keepdims=True)

        dW2 += 2 * reg * W2
        dW += 2 * reg * W

        return loss, {'dW1': dW, 'db1': db, 'dW2': dW2, 'db2': db2}


    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30, verbose=False):
        w = {name: np.array(val, dtype=float, copy=True) for name, val in init_params.items()}
        cache = {name: np.zeros_like(val) for name, val in w.items()}
        decay_rate, eps = 0.9, 1e-6
        N = len(y_train)
        history = {'train_loss': [], 'train_acc': [], 'val_loss': [], 'val_acc': []}
        best_val = None
        for epoch in range(epochs):
            order = np.random.permutation(N)
            for start in range(0, N, batch_size):
                rows = order[start:start + batch_size]
                _, g = NetClassifier.cost_grad(X_train[rows], y_train[rows], w, c)
                for name in ('W1', 'b1', 'W2', 'b2'):
                    cache[name] = decay_rate * cache[name] + (1 - decay_rate) * g['d' + name] ** 2
                    w[name] = w[name] - lr * g['d' + name] / (np.sqrt(cache[name]) + eps)
            loss_tr, _ = NetClassifier.cost_grad(X_train, y_train, w, c)
            loss_va, _ = NetClassifier.cost_grad(X_val, y_val, w, c)
            acc_tr = np.mean(self._forward(X_train, w).argmax(axis=1) == y_train)
            acc_va = np.mean(self._forward(X_val, w).argmax(axis=1) == y_val)
            history['train_loss'].append(float(loss_tr))
            history['train_acc'].append(float(acc_tr))
            history['val_loss'].append(float(loss_va))
            history['val_acc'].append(float(acc_va))
            if best_val is None or acc_va > best_val:
                best_val = acc_va
                self.params = {name: val.copy() for name, val in w.items()}
        return history

    @staticmethod
    def _forward(X, w):
        return np.maximum(0, X @ w['W1'] + w['b1']) @ w['W2'] + w['b2']

    def predict(self, X):
        return np.argmax(self._forward(X, self.params), axis=1)

    def score(self, X, y):
        return np.mean(self.predict(X) == y)
