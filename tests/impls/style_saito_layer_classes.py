"""Correct: 'Deep Learning from Scratch' style, Affine/Relu/SoftmaxWithLoss layer classes in an OrderedDict, backward in reverse."""

from collections import OrderedDict

import numpy as np


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0, keepdims=True)
        return dx


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None  # softmax output
        self.t = None  # labels (not one-hot)

    def forward(self, x, t):
        self.t = t
        c = np.max(x, axis=1, keepdims=True)  # overflow guard
        log_y = (x - c) - np.log(np.sum(np.exp(x - c), axis=1, keepdims=True))
        self.y = np.exp(log_y)
        batch_size = x.shape[0]
        self.loss = -np.sum(log_y[np.arange(batch_size), t]) / batch_size
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        dx = dx * dout / batch_size
        return dx


class TwoLayerNet:
    def __init__(self, params, weight_decay_lambda):
        self.params = params
        self.weight_decay_lambda = weight_decay_lambda
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(params["W1"], params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(params["W2"], params["b2"])
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        y = self.predict(x)
        weight_decay = 0
        for idx in (1, 2):
            W = self.params["W" + str(idx)]
            weight_decay += self.weight_decay_lambda * np.sum(W**2)
        return self.lastLayer.forward(y, t) + weight_decay

    def gradient(self, x, t):
        # forward
        loss = self.loss(x, t)

        # backward
        dout = 1
        dout = self.lastLayer.backward(dout)
        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)

        grads = {}
        grads["W1"] = self.layers["Affine1"].dW + 2 * self.weight_decay_lambda * self.params["W1"]
        grads["b1"] = self.layers["Affine1"].db
        grads["W2"] = self.layers["Affine2"].dW + 2 * self.weight_decay_lambda * self.params["W2"]
        grads["b2"] = self.layers["Affine2"].db
        return loss, grads


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        network = TwoLayerNet(params, c)
        return network.gradient(X, y)
