"""Correct: modern typed Python, a frozen dataclass for the forward cache and small pure functions with type hints."""

from dataclasses import dataclass
from typing import Mapping

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ForwardCache:
    pre_hidden: Array  # (n, h)
    hidden: Array  # (n, h)
    log_probs: Array  # (n, k)


def _forward(X: Array, params: Mapping[str, Array]) -> ForwardCache:
    pre_hidden = X @ params["W1"] + params["b1"]
    hidden = np.maximum(pre_hidden, 0.0)
    logits = hidden @ params["W2"] + params["b2"]
    shift = logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(logits - shift).sum(axis=1, keepdims=True))
    return ForwardCache(pre_hidden, hidden, logits - shift - log_norm)


def _one_hot(labels: NDArray[np.int64], num_classes: int) -> Array:
    out = np.zeros((labels.shape[0], num_classes), dtype=np.float64)
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def _weight_penalty(params: Mapping[str, Array]) -> float:
    return float(sum(np.sum(params[name] ** 2) for name in ("W1", "W2")))


def cost_grad(X: Array, y: NDArray[np.int64], params: Mapping[str, Array], c: float = 0.0) -> tuple[float, dict[str, Array]]:
    """Mean cross-entropy + c * (|W1|^2 + |W2|^2) and its gradient, keyed d_w1, d_b1, d_w2, d_b2."""
    n = X.shape[0]
    cache = _forward(X, params)
    targets = _one_hot(y, cache.log_probs.shape[1])

    cost = -float(np.sum(targets * cache.log_probs)) / n + c * _weight_penalty(params)

    d_logits = (np.exp(cache.log_probs) - targets) / n
    d_pre_hidden = (d_logits @ params["W2"].T) * (cache.pre_hidden > 0.0)

    grads: dict[str, Array] = {
        "d_w1": X.T @ d_pre_hidden + 2.0 * c * params["W1"],
        "d_b1": d_pre_hidden.sum(axis=0, keepdims=True),
        "d_w2": cache.hidden.T @ d_logits + 2.0 * c * params["W2"],
        "d_b2": d_logits.sum(axis=0, keepdims=True),
    }
    return cost, grads
