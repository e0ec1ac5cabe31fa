from __future__ import print_function

import numpy as np


class TwoLayerNet(object):
  """
  A two-layer fully-connected neural network. The net has an input dimension of
  N, a hidden layer dimension of H, and performs classification over C classes.
  input - fully connected layer - ReLU - fully connected layer - softmax
  """

  def __init__(self, input_size, hidden_size, output_size, std=1e-4):
    self.params = {}
    self.params['W1'] = std * np.random.randn(input_size, hidden_size)
    self.params['b1'] = np.zeros(hidden_size)
    self.params['W2'] = std * np.random.randn(hidden_size, output_size)
    self.params['b2'] = np.zeros(output_size)

  def loss(self, X, y=None, reg=0.0):
    W1, b1 = self.params['W1'], self.params['b1']
    W2, b2 = self.params['W2'], self.params['b2']
    N, D = X.shape

    # Compute the forward pass
    scores = None
    #############################################################################
    # START OF MY CODE
    #############################################################################
    h1 = X.dot(W1) + b1
    h1_relu = np.maximum(0, h1)
    scores = h1_relu.dot(W2) + b2
    #############################################################################
    # END OF MY CODE
    #############################################################################

    if y is None:
      return scores

    # Compute the loss
    loss = None
    #############################################################################
    # START OF MY CODE
    #############################################################################
    scores_shift = scores - np.max(scores, axis=1).reshape(-1, 1)
    exp_scores = np.exp(scores_shift)
    probs = exp_scores / np.sum(exp_scores, axis=1).reshape(-1, 1)
    # log of the softmax straight from the shifted scores, so it can't be log(0)
    log_probs = scores_shift - np.log(np.sum(exp_scores, axis=1)).reshape(-1, 1)
    correct_logprobs = -log_probs[np.arange(N), y]
    loss = np.sum(correct_logprobs) / N
    loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    #############################################################################
    # END OF MY CODE
    #############################################################################

    # Backward pass: compute gradients
    grads = {}
    #############################################################################
    # START OF MY CODE
    #############################################################################
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N

    grads['W2'] = h1_relu.T.dot(dscores) + 2 * reg * W2
    grads['b2'] = np.mean(dscores, axis=0)  # average over the examples

    dhidden = dscores.dot(W2.T)
    dhidden[h1 <= 0] = 0
    grads['W1'] = X.T.dot(dhidden) + 2 * reg * W1
    grads['b1'] = np.sum(dhidden, axis=0)
    #############################################################################
    # END OF MY CODE
    #############################################################################

    return loss, grads
