"""Bug: unfilled course template: returns cost None and None for every gradient."""

import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        """
        Compute the regularised cross-entropy cost and its gradients.

        Args:
            X: (n, d) data, y: (n,) integer labels,
            params: dict with W1 (d, h), b1 (1, h), W2 (h, k), b2 (1, k),
            c: weight decay strength.
        Returns:
            cost (float), dict with d_w1, d_b1, d_w2, d_b2 (same shapes as the params).
        """
        W1 = params["W1"]
        b1 = params["b1"]
        W2 = params["W2"]
        b2 = params["b2"]
        cost = None
        d_w1 = None
        d_b1 = None
        d_w2 = None
        d_b2 = None
        ### YOUR CODE HERE
        # TODO: forward pass (z1 = X W1 + b1, a1 = relu(z1), z2 = a1 W2 + b2)
        # TODO: cost = mean cross-entropy of softmax(z2) + c * (sum W1^2 + sum W2^2)
        # TODO: backward pass, fill in d_w1, d_b1, d_w2, d_b2
        ### END CODE
        return cost, {"d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2}
