"""Correct: explicit Python loops over samples (and over classes for the softmax), no vectorisation across the batch."""

import math

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
        num_train = X.shape[0]
        num_classes = W2.shape[1]

        if y is None:
            scores = np.zeros((num_train, num_classes))
            for i in range(num_train):
                scores[i] = np.maximum(0, X[i].dot(W1) + b1).dot(W2) + b2
            return scores

        loss = 0.0
        dW1 = np.zeros_like(W1)
        db1 = np.zeros_like(b1)
        dW2 = np.zeros_like(W2)
        db2 = np.zeros_like(b2)

        for i in range(num_train):
            h_in = X[i].dot(W1) + b1
            h = np.maximum(0, h_in)
            scores = h.dot(W2) + b2
            max_score = np.max(scores)
            total = 0.0
            for j in range(num_classes):
                total += math.exp(scores[j] - max_score)
            log_total = math.log(total)
            loss += log_total - (scores[y[i]] - max_score)

            dscores = np.zeros(num_classes)
            for j in range(num_classes):
                dscores[j] = math.exp(scores[j] - max_score - log_total)
            dscores[y[i]] -= 1.0

            dW2 += np.outer(h, dscores)
            db2 += dscores
            dh = W2.dot(dscores)
            dh[h_in <= 0] = 0.0
            dW1 += np.outer(X[i], dh)
            db1 += dh

        loss /= num_train
        loss += reg * np.sum(W1 * W1) + reg * np.sum(W2 * W2)

        grads = {}
        grads['W1'] = dW1 / num_train + 2 * reg * W1
        grads['b1'] = db1 / num_train
        grads['W2'] = dW2 / num_train + 2 * reg * W2
        grads['b2'] = db2 / num_train
        return loss, grads
