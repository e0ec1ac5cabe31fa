"""One parity helper for the tests: build a problem once, run both nets, compare."""

from __future__ import annotations

import numpy as np

import scratch_net as sn
import torch_ref as tr
from scratch_net.tolerance import COST_FLOOR, compare


def make_problem(n, d, h, k, *, dtype=np.float64, seed=0, scale=1.0, bias_scale=0.1):
    """A random (X, y, params) with non-zero biases, all in ``dtype``."""
    rng = np.random.default_rng(seed)
    params = sn.init_params(d, h, k, seed=seed + 1, dtype=dtype)
    params["b1"] = (bias_scale * rng.normal(size=(1, h))).astype(dtype)
    params["b2"] = (bias_scale * rng.normal(size=(1, k))).astype(dtype)
    X = (scale * rng.normal(size=(n, d))).astype(dtype)
    y = rng.integers(0, k, size=n)
    return X, y, params


def assert_close(name, actual, expected, dtype, *, floor=0.0):
    """Shape and dtype first, then values under the dtype's tolerance, with a useful message."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{name}: shape {actual.shape} != {expected.shape}"
    row = compare(name, actual, expected, dtype, floor=floor)
    assert row.passed, (
        f"{name}: normwise relative error {row.rel:.3g} > tolerance {row.tol:.3g} "
        f"(max abs diff {row.max_abs:.3g} at {row.worst_index}: "
        f"{actual[row.worst_index] if actual.ndim else actual} vs "
        f"{expected[row.worst_index] if expected.ndim else expected})"
    )


def assert_parity(X, y, params, c):
    """Forward logits, probabilities, cost and every gradient: scratch_net vs torch_ref."""
    dtype = params["W1"].dtype
    logits_np, logits_t = sn.forward(X, params), tr.forward(X, params)
    assert logits_np.dtype == logits_t.dtype == dtype
    assert_close("logits", logits_np, logits_t, dtype)
    assert_close("softmax", sn.softmax(logits_np), tr_softmax(logits_t), dtype)
    cost_np, grads_np = sn.cost_grad(X, y, params, c)
    cost_t, grads_t = tr.cost_grad(X, y, params, c)
    assert isinstance(cost_np, float)
    assert_close("cost", cost_np, cost_t, dtype, floor=COST_FLOOR)
    for key in sn.PARAM_KEYS:
        assert grads_np[key].dtype == dtype, f"grad {key}: dtype {grads_np[key].dtype} != {dtype}"
        assert_close(f"grad {key}", grads_np[key], grads_t[key], dtype)


def tr_softmax(logits):
    import torch

    return torch.softmax(torch.from_numpy(logits), dim=1).numpy()
