"""Week 3 recipe: examples stored as COLUMNS (A[l] has shape (units, m)), like in the
deep learning specialisation. The interface gives rows so I transpose at the start and the end."""
import numpy as np


def relu(Z):
    return np.maximum(0, Z)


def softmax(Z):
    # Z is (k, m) here, one column per example, so normalise down the columns
    # ... but the checker calls softmax on rows, so this helper takes rows like the spec says
    Zs = Z - np.max(Z, axis=1, keepdims=True)
    E = np.exp(Zs)
    return E / np.sum(E, axis=1, keepdims=True)


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        m = X.shape[0]
        A0 = X.T  # (d, m)
        W1 = params["W1"].T  # (h, d)
        W2 = params["W2"].T  # (k, h)
        b1 = params["b1"].reshape(-1, 1)  # (h, 1)
        b2 = params["b2"].reshape(-1, 1)  # (k, 1)
        k = W2.shape[0]

        Z1 = np.dot(W1, A0) + b1
        A1 = relu(Z1)
        Z2 = np.dot(W2, A1) + b2
        A2 = softmax(Z2.T).T  # (k, m)

        Y = np.zeros((k, m))
        Y[y, np.arange(m)] = 1

        Zs = Z2 - np.max(Z2, axis=0, keepdims=True)
        logA2 = Zs - np.log(np.sum(np.exp(Zs), axis=0, keepdims=True))
        cost = -(1.0 / m) * np.sum(Y * logA2) + c * (np.sum(np.square(W1)) + np.sum(np.square(W2)))

        dZ2 = A2 - Y
        dW2 = (1.0 / m) * np.dot(dZ2, A1.T) + 2 * c * W2
        db2 = (1.0 / m) * np.sum(dZ2, axis=1, keepdims=True)
        dA1 = np.dot(W2.T, dZ2)
        dZ1 = dA1 * (Z1 > 0)
        dW1 = (1.0 / m) * np.dot(dZ1, A0.T) + 2 * c * W1
        db1 = (1.0 / m) * np.sum(dZ1, axis=1, keepdims=True)

        # back to the course layout: W (in, out), b (1, out)
        return cost, {"d_w1": dW1.T, "d_b1": db1.T, "d_w2": dW2.T, "d_b2": db2.T}
