"""Bug: unfilled template: loss 0.0 and an all-zero array for every gradient."""

import numpy as np


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        # TODO: implement the forward pass and the regularised softmax loss
        loss = 0.0

        # TODO: implement backpropagation (replace the zeros)
        grads = {}
        for name, param in self.params.items():
            grads[name] = np.zeros_like(param)

        return loss, grads
