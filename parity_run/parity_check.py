"""``compare.py check``: one random problem, both nets, every quantity compared under the dtype's tolerance."""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

import scratch_net as sn
from scratch_net.tolerance import COST_FLOOR, Comparison, compare


def random_problem(
    n: int, d: int, hidden: int, k: int, dtype: DTypeLike, seed: int
) -> tuple[np.ndarray, np.ndarray, sn.Params]:
    """X (n, d), labels y (n,) in 0..k-1 and parameters with non-zero biases, all from ``seed``."""
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    params = sn.init_params(d, hidden, k, seed=seed, dtype=dtype)
    params["b1"] = (0.1 * rng.normal(size=params["b1"].shape)).astype(dtype)  # (1, h)
    params["b2"] = (0.1 * rng.normal(size=params["b2"].shape)).astype(dtype)  # (1, k)
    X = rng.normal(size=(n, d)).astype(dtype)
    y = rng.integers(0, k, size=n)
    return X, y, params


def check_rows(n: int, d: int, hidden: int, k: int, c: float, dtype: DTypeLike, seed: int) -> list[Comparison]:
    """scratch_net against torch_ref on :func:`random_problem`: logits, softmax, cost and each gradient.

    Raises
    ------
    ValueError
        For fewer than 2 classes (a library check names any other bad value).
    """
    import torch_ref as tr

    if k < 2:
        raise ValueError(f"--k must be at least 2 classes, got {k}")
    X, y, params = random_problem(n, d, hidden, k, dtype, seed)
    logits_np, logits_t = sn.forward(X, params), tr.forward(X, params)
    cost_np, grads_np = sn.cost_grad(X, y, params, c)
    cost_t, grads_t = tr.cost_grad(X, y, params, c)
    return [
        compare("logits", logits_np, logits_t, dtype),
        compare("softmax", sn.softmax(logits_np), sn.softmax(logits_t), dtype),
        compare("cost", cost_np, cost_t, dtype, floor=COST_FLOOR),
        *(compare(f"grad {key}", grads_np[key], grads_t[key], dtype) for key in sn.PARAM_KEYS),
    ]
