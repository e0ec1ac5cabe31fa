"""Two-layer net. Each layer is linear + relu, I loop over the layers so adding a third is easy."""
import numpy as np


class NetClassifier:
    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        n = X.shape[0]
        Ws = [params["W1"], params["W2"]]
        bs = [params["b1"], params["b2"]]

        # forward, keep every layer's input
        acts = [X]
        for W, b in zip(Ws, bs):
            acts.append(np.maximum(acts[-1] @ W + b, 0))
        scores = acts[-1]

        mx = scores.max(axis=1, keepdims=True)
        logp = scores - mx - np.log(np.exp(scores - mx).sum(axis=1, keepdims=True))
        cost = -logp[np.arange(n), y].mean() + c * sum(np.sum(W * W) for W in Ws)

        # backward
        delta = np.exp(logp)
        delta[np.arange(n), y] -= 1
        delta /= n
        grads = [None, None]
        bgrads = [None, None]
        for layer in (1, 0):
            grads[layer] = acts[layer].T @ delta + 2 * c * Ws[layer]
            bgrads[layer] = delta.sum(axis=0, keepdims=True)
            if layer > 0:
                delta = (delta @ Ws[layer].T) * (acts[layer] > 0)
        return cost, {"d_w1": grads[0], "d_b1": bgrads[0], "d_w2": grads[1], "d_b2": bgrads[1]}
