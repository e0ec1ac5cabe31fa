"""Cannot run: the function has another name."""

import numpy as np


class NetClassifier:
    @staticmethod
    def compute_cost_and_gradient(X, y, params, c=0.0):
        return 0.0, {}
