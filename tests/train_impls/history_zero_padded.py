"""Buggy: early stopping (patience 3 on val accuracy) with the history preallocated as np.zeros(epochs), so the tail after the stop is zeros.

Steps, shuffling and best-parameter choice are correct up to the stop. Visible
effect: when training stops early, the last entries of every history list are
0.0 (train_loss 0, val_acc 0 ...), which looks like a perfect loss / a dead model,
and fewer epochs are trained than asked for.
"""

import numpy as np


def relu(Z):
    return np.maximum(0, Z)


def forward(X, parameters):
    Z1 = np.dot(X, parameters["W1"]) + parameters["b1"]
    A1 = relu(Z1)
    Z2 = np.dot(A1, parameters["W2"]) + parameters["b2"]
    return Z1, A1, Z2


class NetClassifier:
    def __init__(self, patience=3):
        self.params = None
        self.patience = patience

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        m = X.shape[0]
        Z1, A1, Z2 = forward(X, params)
        Z2max = np.max(Z2, axis=1, keepdims=True)
        logA2 = Z2 - Z2max - np.log(np.sum(np.exp(Z2 - Z2max), axis=1, keepdims=True))
        Y = np.zeros_like(Z2)
        Y[np.arange(m), y] = 1
        cross_entropy_cost = -1.0 / m * np.sum(Y * logA2)
        L2_regularization_cost = c * (np.sum(np.square(params["W1"])) + np.sum(np.square(params["W2"])))
        cost = cross_entropy_cost + L2_regularization_cost

        dZ2 = np.exp(logA2) - Y
        dW2 = 1.0 / m * np.dot(A1.T, dZ2) + 2 * c * params["W2"]
        db2 = 1.0 / m * np.sum(dZ2, axis=0, keepdims=True)
        dA1 = np.dot(dZ2, params["W2"].T)
        dZ1 = np.array(dA1, copy=True)
        dZ1[Z1 <= 0] = 0
        dW1 = 1.0 / m * np.dot(X.T, dZ1) + 2 * c * params["W1"]
        db1 = 1.0 / m * np.sum(dZ1, axis=0, keepdims=True)
        return cost, {"d_w1": dW1, "d_b1": db1, "d_w2": dW2, "d_b2": db2}

    def fit(self, X_train, y_train, X_val, y_val, init_params, batch_size=32, lr=0.1, c=1e-4, epochs=30):
        parameters = {key: value.copy() for key, value in init_params.items()}
        m = X_train.shape[0]

        # preallocate the curves
        train_loss = np.zeros(epochs)
        train_acc = np.zeros(epochs)
        val_loss = np.zeros(epochs)
        val_acc = np.zeros(epochs)

        best_val_acc = -1.0
        epochs_no_improve = 0

        for epoch in range(epochs):
            permutation = np.random.permutation(m)
            shuffled_X = X_train[permutation]
            shuffled_y = y_train[permutation]

            for k in range(0, m, batch_size):
                minibatch_X = shuffled_X[k:k + batch_size]
                minibatch_y = shuffled_y[k:k + batch_size]
                _, grads = self.cost_grad(minibatch_X, minibatch_y, parameters, c)
                parameters["W1"] = parameters["W1"] - lr * grads["d_w1"]
                parameters["b1"] = parameters["b1"] - lr * grads["d_b1"]
                parameters["W2"] = parameters["W2"] - lr * grads["d_w2"]
                parameters["b2"] = parameters["b2"] - lr * grads["d_b2"]

            train_loss[epoch], _ = self.cost_grad(X_train, y_train, parameters, c)
            val_loss[epoch], _ = self.cost_grad(X_val, y_val, parameters, c)
            train_acc[epoch] = self.score(X_train, y_train, parameters)
            val_acc[epoch] = self.score(X_val, y_val, parameters)

            if val_acc[epoch] > best_val_acc:
                best_val_acc = val_acc[epoch]
                self.params = {key: value.copy() for key, value in parameters.items()}
                epochs_no_improve = 0
            else:
                epochs_no_improve += 1
                if epochs_no_improve >= self.patience:
                    print("Early stopping at epoch", epoch + 1)
                    break

        return {
            "train_loss": train_loss.tolist(),
            "train_acc": train_acc.tolist(),
            "val_loss": val_loss.tolist(),
            "val_acc": val_acc.tolist(),
        }

    def predict(self, X, parameters=None):
        if parameters is None:
            parameters = self.params
        return np.argmax(forward(X, parameters)[2], axis=1)

    def score(self, X, y, parameters=None):
        return np.mean(self.predict(X, parameters) == y)
