"""Correct: Karpathy case-study style, dscores = probs.copy(); dscores[range(n), y] -= 1; dscores /= n."""

import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, reg=1e-3):
        W, b = params['W1'], params['b1']
        W2, b2 = params['W2'], params['b2']
        num_examples = X.shape[0]

        # evaluate class scores, [N x K]
        hidden_layer = np.maximum(0, np.dot(X, W) + b)  # note, ReLU activation
        scores = np.dot(hidden_layer, W2) + b2

        # compute the class probabilities, stably
        scores_shift = scores - np.max(scores, axis=1, keepdims=True)
        exp_scores = np.exp(scores_shift)
        sum_exp = np.sum(exp_scores, axis=1, keepdims=True)
        probs = exp_scores / sum_exp  # [N x K]

        # compute the loss: average cross-entropy loss and regularization
        # -log p_y = log(sum exp) - shifted score of y, never log(0)
        correct_logprobs = np.log(sum_exp[:, 0]) - scores_shift[range(num_examples), y]
        data_loss = np.sum(correct_logprobs) / num_examples
        reg_loss = reg * np.sum(W * W) + reg * np.sum(W2 * W2)
        loss = data_loss + reg_loss

        # compute the gradient on scores
        dscores = probs.copy()
        dscores[range(num_examples), y] -= 1
        dscores /= num_examples

        # backpropate the gradient to the parameters
        # first backprop into parameters W2 and b2
        dW2 = np.dot(hidden_layer.T, dscores)
        db2 = np.sum(dscores, axis=0, keepdims=True)
        # next backprop into hidden layer
        dhidden = np.dot(dscores, W2.T)
        # backprop the ReLU non-linearity
        dhidden[hidden_layer <= 0] = 0
        # finally into W,b
        dW = np.dot(X.T, dhidden)
        db = np.sum(dhidden, axis=0, keepdims=True)

        # add regularization gradient contribution
        dW2 += 2 * reg * W2
        dW += 2 * reg * W

        return loss, {'dW1': dW, 'db1': db, 'dW2': dW2, 'db2': db2}
