"""Buggy: fit holds out the last fifth of X_train "for early stopping" and never trains on it.

Validation data is already given as X_val; the held-out rows are simply never
used. Visible effect: every epoch trains on 18 of the 23 rows.
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
        n_fit = int(0.8 * len(y_train))  # keep 20% aside
        X_fit, y_fit = X_train[:n_fit], y_train[:n_fit]
        history = {'train_loss': [], 'train_acc': [], 'val_loss': [], 'val_acc': []}
        best_val = None
        for epoch in range(epochs):
            order = np.random.permutation(n_fit)
            Xs, ys = X_fit[order], y_fit[order]
            for start in range(0, n_fit, batch_size):
                _, g = NetClassifier.cost_grad(Xs[start:start + batch_size], ys[start:start + batch_size], w, c)
                for name in ('W1', 'b1', 'W2', 'b2'):
                    w[name] = w[name] - lr * g['d' + name]
            loss_tr, _ = NetClassifier.cost_grad(X_train, y_train, w, c)
            loss_va, _ = NetClassifier.cost_grad(X_val, y_val, w, c)
            history['train_loss'].append(float(loss_tr))
            history['train_acc'].append(float(np.mean(self._forward(X_train, w).argmax(axis=1) == y_train)))
            history['val_loss'].append(float(loss_va))
            acc_va = float(np.mean(self._forward(X_val, w).argmax(axis=1) == y_val))
            history['val_acc'].append(acc_va)
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
