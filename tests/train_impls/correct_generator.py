"""Correct: a generator function `iterate_minibatches` yields shuffled (X_batch, y_batch) pairs.

The Lasagne-tutorial idiom, but keeping the last short batch. One SGD step per
yielded batch; the epoch's full-set losses and accuracies are recorded after it.
"""

import numpy as np


def iterate_minibatches(inputs, targets, batchsize, shuffle=True):
    assert len(inputs) == len(targets)
    indices = np.arange(len(inputs))
    if shuffle:
        np.random.shuffle(indices)
    for start_idx in range(0, len(inputs), batchsize):
        excerpt = indices[start_idx:start_idx + batchsize]
        yield inputs[excerpt], targets[excerpt]


def relu(x):
    return np.maximum(x, 0.0)


class NetClassifier(object):

    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1 = params["W1"], params["b1"]
        W2, b2 = params["W2"], params["b2"]
        m = X.shape[0]
        h_pre = X.dot(W1) + b1
        h = relu(h_pre)
        scores = h.dot(W2) + b2
        scores = scores - scores.max(axis=1, keepdims=True)
        log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        loss = -log_probs[np.arange(m), y].mean()
        loss += c * ((W1 * W1).sum() + (W2 * W2).sum())

        dscores = np.exp(log_probs)
        dscores[np.arange(m), y] -= 1.0
        dscores /= m
        dh = dscores.dot(W2.T)
        dh[h_pre <= 0] = 0.0
        grads = {
            "d_w1": X.T.dot(dh) + 2 * c * W1,
            "d_b1": dh.sum(axis=0, keepdims=True),
            "d_w2": h.T.dot(dscores) + 2 * c * W2,
            "d_b2": dscores.sum(axis=0, keepdims=True),
        }
        return loss, grads

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        p = dict((name, arr.copy()) for name, arr in init_params.items())
        history = dict(train_loss=[], train_acc=[], val_loss=[], val_acc=[])
        best_acc, best_p = -1, None

        for epoch in range(epochs):
            for xb, yb in iterate_minibatches(X_train, y_train, batch_size, shuffle=True):
                _, grads = self.cost_grad(xb, yb, p, c)
                p["W1"] -= lr * grads["d_w1"]
                p["b1"] -= lr * grads["d_b1"]
                p["W2"] -= lr * grads["d_w2"]
                p["b2"] -= lr * grads["d_b2"]

            train_loss = self.cost_grad(X_train, y_train, p, c)[0]
            val_loss = self.cost_grad(X_val, y_val, p, c)[0]
            train_acc = self.score(X_train, y_train, p)
            val_acc = self.score(X_val, y_val, p)
            for key, val in zip(("train_loss", "train_acc", "val_loss", "val_acc"),
                                (train_loss, train_acc, val_loss, val_acc)):
                history[key].append(val)

            if val_acc > best_acc:
                best_acc = val_acc
                best_p = dict((name, arr.copy()) for name, arr in p.items())

        self.params = best_p
        return history

    def predict(self, X, p=None):
        if p is None:
            p = self.params
        return np.argmax(relu(X.dot(p["W1"]) + p["b1"]).dot(p["W2"]) + p["b2"], axis=1)

    def score(self, X, y, p=None):
        return np.mean(self.predict(X, p) == y)
