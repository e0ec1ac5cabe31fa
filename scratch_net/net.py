"""The network as pure functions: X -> affine -> ReLU -> affine -> softmax.

Parameters use the course layout, a dict with ``W1 (d,h)``, ``b1 (1,h)``,
``W2 (h,k)``, ``b2 (1,k)``.  The cost is

    cost = mean_i( -log softmax(z_i)[y_i] ) + c * (sum W1^2 + sum W2^2)

so each weight gradient carries ``+2cW`` and the biases are not decayed.
``docs/derivation.md`` derives every line of :func:`cost_grad`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .checks import (
    PARAM_KEYS,
    Params,
    check_dtype,
    check_params,
    check_positive_int,
    check_problem,
    check_X,
)

DECAYED_KEYS = ("W1", "W2")
"""The parameters that carry weight decay; the biases do not."""


def init_params(
    input_dim: int,
    hidden_size: int,
    output_size: int,
    *,
    seed: int | None = None,
    dtype: DTypeLike = np.float64,
) -> Params:
    """Random parameters in the course layout.

    W1 ~ N(0, 2/(d+h)) and W2 ~ N(0, 4/(h+k)) (variances), biases zero.

    Parameters
    ----------
    input_dim, hidden_size, output_size : d, h, k (each >= 1).
    seed : seed for ``np.random.default_rng``; None draws fresh entropy.
    dtype : float32 or float64.

    Returns
    -------
    dict
        W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k), all of ``dtype``.
    """
    d = check_positive_int("input_dim", input_dim)
    h = check_positive_int("hidden_size", hidden_size)
    k = check_positive_int("output_size", output_size)
    dt = check_dtype(dtype)
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, np.sqrt(2.0 / (d + h)), size=(d, h)).astype(dt),
        "b1": np.zeros((1, h), dtype=dt),
        "W2": rng.normal(0.0, np.sqrt(4.0 / (h + k)), size=(h, k)).astype(dt),
        "b2": np.zeros((1, k), dtype=dt),
    }


def relu(Z: np.ndarray) -> np.ndarray:
    """max(Z, 0) elementwise; same shape and dtype."""
    return np.maximum(Z, 0)


def log_softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax of Z (n, k), exact for logits of any size.

    Each row's own max is subtracted (not a global max) so exp never
    overflows and no row underflows to all zeros.
    """
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(f"Z must be 2-D (n, k); got shape {Z.shape}")
    shifted = Z - Z.max(axis=1, keepdims=True)  # (n, k), each row's max is 0
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of Z (n, k); rows sum to 1 even at logits of +-1e4."""
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(f"Z must be 2-D (n, k); got shape {Z.shape}")
    e = np.exp(Z - Z.max(axis=1, keepdims=True))  # (n, k), max entry 1 per row
    return e / e.sum(axis=1, keepdims=True)


def one_in_k_encoding(y: ArrayLike, k: int) -> np.ndarray:
    """One-hot rows: (n,) integer labels in [0, k) -> (n, k) float64 matrix."""
    from .checks import check_labels

    k = check_positive_int("k", k)
    arr = np.asarray(y)
    labels = check_labels(arr, arr.size, k)  # the size is the length of any y that check_labels accepts (1-D)
    out = np.zeros((labels.shape[0], k))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def forward(X: ArrayLike, params: Params) -> np.ndarray:
    """Logits of the net.

    Parameters
    ----------
    X : (n, d) inputs; converted to the params' dtype.
    params : course layout.

    Returns
    -------
    ndarray
        (n, k) logits in the params' dtype.
    """
    d, _, _, dtype = check_params(params)
    X = check_X(X, d, dtype)
    a1 = relu(X @ params["W1"] + params["b1"])  # (n, h)
    return a1 @ params["W2"] + params["b2"]  # (n, k)


def predict(X: ArrayLike, params: Params) -> np.ndarray:
    """Predicted class per row: (n,) int64."""
    return np.argmax(forward(X, params), axis=1)


def score(X: ArrayLike, y: ArrayLike, params: Params) -> float:
    """Accuracy of :func:`predict` on (X, y), a float in [0, 1]."""
    from .checks import check_labels

    pred = predict(X, params)
    labels = check_labels(y, pred.shape[0], params["W2"].shape[1])
    return float(np.mean(pred == labels))


def weight_decay_cost(params: Params, c: float) -> float:
    """The penalty ``c * (sum W1^2 + sum W2^2)``; the biases are not decayed."""
    return float(c * sum(np.vdot(params[key], params[key]) for key in DECAYED_KEYS))


def weight_decay_grad(W: np.ndarray, c: float) -> np.ndarray:
    """d/dW of ``c * sum W^2``: ``2cW``, in W's dtype."""
    return (2 * c) * W


def cost(X: ArrayLike, y: ArrayLike, params: Params, c: float = 0.0) -> float:
    """The cost of :func:`cost_grad` without the gradients (a forward pass only)."""
    X, y, c = check_problem(X, y, params, c)
    logp = log_softmax(forward(X, params))  # (n, k)
    return float(-np.mean(logp[np.arange(X.shape[0]), y])) + weight_decay_cost(params, c)


def cost_grad(X: ArrayLike, y: ArrayLike, params: Params, c: float = 0.0) -> tuple[float, Params]:
    """Cost and gradients of the net, by manual backprop.

    Parameters
    ----------
    X : (n, d) inputs; converted to the params' dtype.
    y : (n,) integer labels in [0, k).
    params : course layout W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k).
    c : weight-decay strength >= 0.

    Returns
    -------
    cost : float
        mean cross-entropy + c * (sum W1^2 + sum W2^2).
    grads : dict
        Same keys, shapes and dtype as ``params``. The inputs are not modified.
    """
    X, y, c = check_problem(X, y, params, c)
    W1, b1, W2, b2 = (params[key] for key in PARAM_KEYS)
    n = X.shape[0]
    rows = np.arange(n)

    # forward, keeping what backprop needs
    z1 = X @ W1 + b1  # (n, h)
    a1 = relu(z1)  # (n, h)
    z2 = a1 @ W2 + b2  # (n, k)
    # log-softmax, not log(softmax + eps): the clip caps the loss at -ln(eps)
    # for confident mistakes and biases every cost by about eps.
    logp = log_softmax(z2)  # (n, k)
    total = float(-np.mean(logp[rows, y])) + weight_decay_cost(params, c)

    # backward: d mean(-log p_y) / dz2 = (softmax(z2) - onehot(y)) / n
    dz2 = np.exp(logp)  # (n, k) softmax
    dz2[rows, y] -= 1
    dz2 /= n
    d_W2 = a1.T @ dz2 + weight_decay_grad(W2, c)  # (h, k)
    d_b2 = dz2.sum(axis=0, keepdims=True)  # (1, k)
    da1 = dz2 @ W2.T  # (n, h)
    dz1 = da1 * (z1 > 0)  # (n, h); ReLU'(0) = 0, as in torch
    d_W1 = X.T @ dz1 + weight_decay_grad(W1, c)  # (d, h)
    d_b1 = dz1.sum(axis=0, keepdims=True)  # (1, h)
    return total, {"W1": d_W1, "b1": d_b1, "W2": d_W2, "b2": d_b2}


def numerical_grad(f: Callable[[Params], float], params: Params, eps: float | None = None) -> Params:
    """Central-difference gradient of ``f`` at ``params``, entry by entry.

    Parameters
    ----------
    f : function of a params dict returning a scalar.
    params : the point; not modified.
    eps : the step; by default ``cbrt(machine eps) * max(1, |theta|)``, which
        balances the O(eps^2) truncation error of central differences against
        the O(machine_eps / eps) rounding error.

    Returns
    -------
    dict
        Same keys, shapes and dtype as ``params``.
    """
    if not isinstance(params, dict) or not params:
        raise ValueError("params must be a non-empty dict of arrays")
    point = {key: np.array(value, copy=True) for key, value in params.items()}
    grads: Params = {}
    for key, theta in point.items():
        if not np.issubdtype(theta.dtype, np.floating):
            raise ValueError(f"params['{key}'] must be floating point; got {theta.dtype}")
        base_step = np.cbrt(np.finfo(theta.dtype).eps) if eps is None else eps
        grad = np.zeros_like(theta)
        for idx in np.ndindex(theta.shape):
            original = theta[idx]
            step = base_step * max(1.0, abs(float(original))) if eps is None else base_step
            theta[idx] = original + step
            hi = float(theta[idx])  # the step actually taken, after rounding
            up = f(point)
            theta[idx] = original - step
            lo = float(theta[idx])
            down = f(point)
            theta[idx] = original
            grad[idx] = (up - down) / (hi - lo)
        grads[key] = grad
    return grads
