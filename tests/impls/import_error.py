"""Cannot run: fails while importing (a name numpy does not have)."""

from numpy import softmax  # noqa: F401


def cost_grad(X, y, params, c=0.0):
    return None
