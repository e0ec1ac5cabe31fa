"""Input checks at the library boundary.

Every public function of ``scratch_net`` (and of ``torch_ref``, which reuses
these) validates its inputs here and raises ``ValueError`` naming the problem
and the value, so that a user never meets an IndexError or a silent
broadcast from deep inside NumPy.
"""

from __future__ import annotations

import numbers
from typing import Any, Mapping

import numpy as np

PARAM_KEYS = ("W1", "b1", "W2", "b2")
"""The course layout: W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k)."""

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))

Params = dict[str, np.ndarray]


def check_dtype(dtype: Any) -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is float32 or float64, else raise."""
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"dtype must be float32 or float64; got {dtype!r}") from exc
    if dt not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be float32 or float64; got {dt}")
    return dt


def check_positive_int(name: str, value: Any) -> int:
    """Return ``value`` as an int >= 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    return int(value)


def check_params(params: Any) -> tuple[int, int, int, np.dtype]:
    """Check the course layout and return ``(d, h, k, dtype)``.

    Parameters
    ----------
    params : mapping with W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k), one float dtype.
    """
    if not isinstance(params, Mapping):
        raise ValueError(f"params must be a dict with keys {PARAM_KEYS}; got {type(params).__name__}")
    missing = [key for key in PARAM_KEYS if key not in params]
    if missing:
        raise ValueError(f"params is missing {', '.join(missing)} (expected keys {PARAM_KEYS})")
    for key in PARAM_KEYS:
        value = params[key]
        if not isinstance(value, np.ndarray):
            raise ValueError(f"params['{key}'] must be a NumPy array; got {type(value).__name__}")
        if value.ndim != 2:
            raise ValueError(f"params['{key}'] must be 2-D; got shape {value.shape}")
    W1, b1, W2, b2 = (params[key] for key in PARAM_KEYS)
    d, h = W1.shape
    k = W2.shape[1]
    expected = {"W1": (d, h), "b1": (1, h), "W2": (h, k), "b2": (1, k)}
    for key, shape in expected.items():
        if params[key].shape != shape:
            raise ValueError(
                f"params['{key}'] has shape {params[key].shape}, expected {shape} "
                f"(shapes must chain: W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k) with "
                f"W1 {W1.shape})"
            )
    if 0 in (d, h, k):
        raise ValueError(f"params dimensions must be >= 1; got d={d}, h={h}, k={k}")
    dtypes = {params[key].dtype for key in PARAM_KEYS}
    if len(dtypes) != 1:
        got = ", ".join(f"{key}={params[key].dtype}" for key in PARAM_KEYS)
        raise ValueError(f"params must share one dtype; got {got}")
    dtype = dtypes.pop()
    if dtype not in FLOAT_DTYPES:
        raise ValueError(f"params dtype must be float32 or float64; got {dtype}")
    return d, h, k, dtype


def check_X(X: Any, d: int, dtype: np.dtype) -> np.ndarray:
    """Return X as a finite (n, d) array of ``dtype`` (the params' precision).

    Integer and other float inputs are converted: the params set the precision.
    """
    try:
        arr = np.asarray(X)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"X must be a 2-D numeric array; got {type(X).__name__}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"X must be a 2-D numeric array; got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"X must be 2-D (n, d); got {arr.ndim}-D with shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"X must have at least one row; got shape {arr.shape}")
    if arr.shape[1] != d:
        raise ValueError(f"X has {arr.shape[1]} columns but W1 has {d} rows; X shape {arr.shape}")
    arr = arr.astype(dtype, copy=False)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"X holds NaN or inf (first at row {bad[0]}, column {bad[1]}: {arr[tuple(bad)].item()})")
    return arr


def check_rows(idx: Any, n: int) -> np.ndarray:
    """Return ``idx`` as a non-empty 1-D integer array of row numbers in [0, n) (a batch)."""
    arr = np.asarray(idx)
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"batch rows must be a non-empty 1-D integer array; got {arr.dtype} of shape {arr.shape}")
    if arr.min() < 0 or arr.max() >= n:
        bad = arr[(arr < 0) | (arr >= n)][0]
        raise ValueError(f"batch rows must lie in [0, {n}); got {bad}")
    return arr


def check_labels(y: Any, n: int, k: int) -> np.ndarray:
    """Return y as an (n,) int64 array of labels in [0, k)."""
    try:
        arr = np.asarray(y)
    except Exception as exc:
        raise ValueError(f"y must be a 1-D array of integer labels; got {type(y).__name__}") from exc
    if arr.ndim != 1:
        raise ValueError(f"y must be 1-D (n,); got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {arr.shape[0]} labels")
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"y must hold integer labels; got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if np.any(bad):
            raise ValueError(f"labels must be integers; got {arr[np.argmax(bad)].item()}")
    if arr.min() < 0:
        raise ValueError(f"labels must be in [0, {k}); got {arr.min().item()}")
    if arr.max() >= k:
        raise ValueError(f"labels must be in [0, {k}); got {arr.max().item()}")
    return arr.astype(np.int64, copy=False)


def check_c(c: Any) -> float:
    """Return the weight-decay strength as a finite float >= 0."""
    if isinstance(c, bool) or not isinstance(c, numbers.Real) or not np.isfinite(float(c)) or c < 0:
        raise ValueError(f"c (weight decay) must be a finite number >= 0; got {c!r}")
    return float(c)


def check_problem(X: Any, y: Any, params: Any, c: Any = 0.0) -> tuple[np.ndarray, np.ndarray, float]:
    """Check a whole (X, y, params, c) problem; return X, y and c converted."""
    d, _, k, dtype = check_params(params)
    X_arr = check_X(X, d, dtype)
    y_arr = check_labels(y, X_arr.shape[0], k)
    return X_arr, y_arr, check_c(c)
