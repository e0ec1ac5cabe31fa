"""Correct: scikit-learn MLP-like structure, coefs/intercepts lists, _forward_pass and _backprop, packed into the dict at the end."""

import numpy as np


def _relu(X):
    return np.maximum(X, 0.0)


def _log_softmax(X):
    tmp = X - X.max(axis=1)[:, np.newaxis]
    return tmp - np.log(np.exp(tmp).sum(axis=1))[:, np.newaxis]


class NetClassifier:
    """Two layers, like MLPClassifier(hidden_layer_sizes=(h,), activation='relu')."""

    @staticmethod
    def _forward_pass(activations, coefs, intercepts):
        """Fill activations[1:] in place; the last entry holds the log-probabilities."""
        n_layers = len(coefs) + 1
        for i in range(n_layers - 1):
            activations[i + 1] = np.dot(activations[i], coefs[i]) + intercepts[i]
            if (i + 1) != (n_layers - 1):
                activations[i + 1] = _relu(activations[i + 1])
        activations[-1] = _log_softmax(activations[-1])
        return activations

    @staticmethod
    def _backprop(X, y, coefs, intercepts, alpha):
        n_samples = X.shape[0]
        n_classes = coefs[-1].shape[1]
        activations = [X] + [None] * len(coefs)
        deltas = [None] * len(coefs)
        coef_grads = [np.empty_like(w) for w in coefs]
        intercept_grads = [np.empty_like(b) for b in intercepts]

        activations = NetClassifier._forward_pass(activations, coefs, intercepts)
        log_prob = activations[-1]

        Y = np.zeros((n_samples, n_classes))
        Y[np.arange(n_samples), y] = 1

        loss = -np.sum(Y * log_prob) / n_samples
        loss += alpha * sum(np.dot(w.ravel(), w.ravel()) for w in coefs)

        last = len(coefs) - 1
        deltas[last] = np.exp(log_prob) - Y
        coef_grads[last] = (np.dot(activations[last].T, deltas[last]) + 2 * alpha * n_samples * coefs[last]) / n_samples
        intercept_grads[last] = np.mean(deltas[last], 0)

        for i in range(last, 0, -1):
            deltas[i - 1] = np.dot(deltas[i], coefs[i].T)
            deltas[i - 1] *= activations[i] > 0  # derivative of relu, from the activation
            coef_grads[i - 1] = (np.dot(activations[i - 1].T, deltas[i - 1]) + 2 * alpha * n_samples * coefs[i - 1]) / n_samples
            intercept_grads[i - 1] = np.mean(deltas[i - 1], 0)

        return loss, coef_grads, intercept_grads

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        coefs = [params["W1"], params["W2"]]
        intercepts = [params["b1"].ravel(), params["b2"].ravel()]
        loss, coef_grads, intercept_grads = NetClassifier._backprop(X, y, coefs, intercepts, c)
        return loss, {
            "d_w1": coef_grads[0],
            "d_b1": intercept_grads[0].reshape(1, -1),
            "d_w2": coef_grads[1],
            "d_b2": intercept_grads[1].reshape(1, -1),
        }
