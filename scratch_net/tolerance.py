"""The one place where parity tolerances are defined.

Every comparison in this project -- the tests, ``compare.py check`` and the
lockstep training runner -- measures the *normwise relative error*

    err(a, b) = max|a - b| / max|b|

and passes when ``err <= tolerance(dtype)``.  The tolerance is a multiple of
the dtype's machine epsilon, so it means the same thing in float32 and
float64:

    tolerance(dtype) = SAFETY_FACTOR * np.finfo(dtype).eps

The two implementations use different summation orders (NumPy's BLAS vs
torch's kernels), so they differ by rounding only: measured on the
development machine, about 1e-15 in float64 (~5 eps) and 1e-6 in float32
(~8 eps) at n=256, d=784, h=256, k=10.  With ``SAFETY_FACTOR = 64`` the
tolerances are 1.4e-14 (float64) and 7.6e-6 (float32): several times the
measured rounding, and far below the size of any real bug (a missing factor
2 in the decay term, a transposed gradient or a sum-instead-of-mean are all
errors of order 1e-4 or larger).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

SAFETY_FACTOR = 64
"""Tolerance in units of machine epsilon; see the module docstring."""

COST_FLOOR = 1.0
"""Scale below which the cost is compared absolutely.

The cross-entropy of a confident, correct prediction is close to 0, but it is
computed as ``max - z_y + log(sum(exp(z - max)))``: terms of order 1 whose
rounding (of order eps) does not shrink with the result.  Relative to
``max(|cost|, 1)`` the comparison stays honest at every size of cost.
"""


def tolerance(dtype: DTypeLike) -> float:
    """Normwise relative tolerance for parity in ``dtype``.

    Parameters
    ----------
    dtype : float32 or float64 (anything ``np.dtype`` accepts).

    Returns
    -------
    float
        ``SAFETY_FACTOR * eps(dtype)``: 1.42e-14 for float64, 7.63e-6 for float32.
    """
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64; got {dt}")
    return float(SAFETY_FACTOR * np.finfo(dt).eps)


def normwise_rel_err(actual: ArrayLike, expected: ArrayLike, *, floor: float = 0.0) -> float:
    """``max|actual - expected| / max(max|expected|, floor)``.

    Parameters
    ----------
    actual, expected : arrays of the same shape (or scalars).
    floor : the smallest denominator; 0 gives the pure relative error.

    Returns
    -------
    float
        0.0 when both are exactly equal, ``inf`` when ``expected`` is all
        zero but ``actual`` is not, or when either holds NaN.
    """
    a = np.asarray(actual, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return 0.0 if np.array_equal(a, b, equal_nan=True) else float("inf")
    diff = float(np.max(np.abs(a - b)))
    scale = max(float(np.max(np.abs(b))), floor)
    if diff == 0.0:
        return 0.0
    return diff / scale if scale > 0 else float("inf")


@dataclass(frozen=True)
class Comparison:
    """One row of a parity report."""

    name: str
    max_abs: float  # max|a - b|
    rel: float  # normwise relative error
    tol: float
    worst_index: tuple[int, ...]  # where |a - b| is largest

    @property
    def passed(self) -> bool:
        return self.rel <= self.tol


def compare(name: str, actual: ArrayLike, expected: ArrayLike, dtype: DTypeLike, *, floor: float = 0.0) -> Comparison:
    """Compare ``actual`` with ``expected`` under ``tolerance(dtype)``.

    Parameters
    ----------
    name : label for the row ("cost", "grad W1", ...).
    actual, expected : arrays of one shape.
    dtype : the dtype whose tolerance applies.
    floor : see :func:`normwise_rel_err`; use ``COST_FLOOR`` for costs.
    """
    a = np.asarray(actual, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    rel = normwise_rel_err(a, b, floor=floor)
    if a.size:
        absdiff = np.abs(a - b)
        absdiff = np.where(np.isnan(absdiff), np.inf, absdiff)
        worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(absdiff)), a.shape))
        max_abs = float(absdiff.max())
    else:
        worst, max_abs = (), 0.0
    return Comparison(name, max_abs, rel, tolerance(dtype), worst)
