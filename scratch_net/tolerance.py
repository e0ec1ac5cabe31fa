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

That fixed tolerance is right for ordinary inputs.  It is wrong for inputs
whose *conditioning* lets correct programs differ by more: at logits of size
1e3, ``exp(z - lse)`` carries an absolute error of about |z|·eps in every
probability, whatever the implementation.  :func:`conditioned_tolerances`
gives, per quantity of one given problem, the tolerance that backward-stable
computations can differ by: a backward-stable program returns the exact
result for inputs perturbed by a few ulps, so the spread of the results
under such perturbations is what correct programs differ by.  It is measured
(``PERTURBATION_ULPS``, ``PERTURBATION_SAMPLES``), scaled by
``SPREAD_FACTOR`` and never below ``tolerance(dtype)``: at ordinary logits
the fixed 64·eps stays.  :func:`first_order_bounds` is the worst-case
first-order analysis of the same computation: it shows which terms grow
(with max|z| and with the size of the products) and bounds the measured
tolerance from above; ``docs/tolerances.md`` derives it line by line and
tabulates both for the checker's probes.  The parity tests of this package
keep the fixed ``tolerance(dtype)``; :mod:`impl_check`, which judges other
people's code on extreme inputs, uses the conditioned one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

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
    # The checker's search calls this on small arrays hundreds of thousands of times: one number (a cost) in Python
    # floats, and arrays through their methods, not NumPy's module-level wrappers; the same arithmetic either way.
    if a.size == 1:
        x, z = a.item(), b.item()
        if not (math.isfinite(x) and math.isfinite(z)):
            return 0.0 if x == z or (math.isnan(x) and math.isnan(z)) else float("inf")
        diff, scale = abs(x - z), max(abs(z), floor)
    else:
        if a.size == 0:
            return 0.0
        if not (np.isfinite(a).all() and np.isfinite(b).all()):
            return 0.0 if np.array_equal(a, b, equal_nan=True) else float("inf")
        diff = float(np.abs(a - b).max())
        scale = max(float(np.abs(b).max()), floor)
    if diff == 0.0:
        return 0.0
    return diff / scale if scale > 0 else float("inf")


QUANTITIES = ("cost", "W1", "b1", "W2", "b2")
"""The quantities of one ``cost_grad`` call that :func:`conditioned_tolerances` covers."""

PERTURBATION_ULPS = 4
"""Each input entry is multiplied by ``1 + r·PERTURBATION_ULPS·eps``, r uniform in [-1, 1]: a backward error of a few ulps."""
PERTURBATION_SAMPLES = 16
"""Perturbed copies of the problem; the spread is the largest change over them (seeded: the same every run)."""
SPREAD_FACTOR = 4
"""The measured spread times this: the worst direction is rarely sampled, and both sides of a comparison round."""


def conditioned_tolerances(
    X: np.ndarray, y: np.ndarray, params: Mapping[str, np.ndarray], c: float, dtype: DTypeLike = np.float64
) -> dict[str, float]:
    """Normwise relative tolerance per quantity of ``cost_grad(X, y, params, c)``, from its conditioning.

    The largest of three:

    - ``tolerance(dtype)``, the fixed 64·eps, which ordinary problems keep;
    - ``SPREAD_FACTOR · spread``: the largest normwise change of each quantity
      (computed in float64 by ``scratch_net.cost_grad``) when every entry of
      X, W1, b1, W2 and b2 is perturbed by up to ``PERTURBATION_ULPS`` ulps of
      ``dtype``, over ``PERTURBATION_SAMPLES`` seeded samples: the problem's
      conditioning, measured;
    - :func:`normalisation_bounds`: the one rounding error of a correct
      program that no perturbation of the inputs reproduces, a softmax
      normalised at the size of the logits (``exp(z - lse)`` with lse rounded).

    Errors are relative to the size of each quantity (the cost: at least
    ``COST_FLOOR``), as in :func:`compare`.

    Parameters
    ----------
    X : (n, d) inputs.
    y : (n,) integer labels in [0, k).
    params : course layout W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k).
    c : weight-decay strength.
    dtype : the precision whose rounding is meant (float64, or float32 to judge single-precision code).

    Returns
    -------
    dict
        ``{"cost", "W1", "b1", "W2", "b2"}`` -> normwise relative tolerance.
        Keep every |z1| far from 0: a ReLU decision that flips is a tie, not rounding.
    """
    from .net import cost_grad  # here: net imports nothing of this module, but keep the import graph one-way

    floor_tol = tolerance(dtype)
    delta = PERTURBATION_ULPS * float(np.finfo(np.dtype(dtype)).eps)
    X = np.asarray(X, dtype=np.float64)
    base = {key: np.asarray(params[key], dtype=np.float64) for key in ("W1", "b1", "W2", "b2")}
    cost0, grads0 = cost_grad(X, y, base, c)
    rng = np.random.default_rng(0)
    spread = dict.fromkeys(QUANTITIES, 0.0)
    for _ in range(PERTURBATION_SAMPLES):
        X_p = X * (1 + delta * rng.uniform(-1, 1, X.shape))
        params_p = {key: value * (1 + delta * rng.uniform(-1, 1, value.shape)) for key, value in base.items()}
        cost_p, grads_p = cost_grad(X_p, y, params_p, c)
        spread["cost"] = max(spread["cost"], normwise_rel_err(cost_p, cost0, floor=COST_FLOOR))
        for key in ("W1", "b1", "W2", "b2"):
            spread[key] = max(spread[key], normwise_rel_err(grads_p[key], grads0[key]))
    normalisation = normalisation_bounds(X, y, base, c, dtype)
    return {key: max(floor_tol, SPREAD_FACTOR * value, normalisation[key]) for key, value in spread.items()}


def _forward(X: np.ndarray, params: Mapping[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """z1 (n,h), its ReLU mask, a1 (n,h), z2 (n,k), lse (n,1) and log-softmax (n,k), in float64."""
    z1 = X @ params["W1"] + params["b1"]  # (n, h)
    mask = z1 > 0
    a1 = np.where(mask, z1, 0.0)
    z2 = a1 @ params["W2"] + params["b2"]  # (n, k)
    top = z2.max(axis=1, keepdims=True)
    lse = top + np.log(np.exp(z2 - top).sum(axis=1, keepdims=True))  # (n, 1)
    return z1, mask, a1, z2, lse, z2 - lse


def normalisation_bounds(
    X: np.ndarray, y: np.ndarray, params: Mapping[str, np.ndarray], c: float, dtype: DTypeLike = np.float64
) -> dict[str, float]:
    """What a softmax normalised at the size of the logits changes, per quantity, relative.

    ``p = exp(z - lse)`` with ``lse = max + log Σ exp(z - max)`` rounded at
    |lse| (the course recipe) gives every probability of row i the same
    relative error, up to ``δ_i = PERTURBATION_ULPS·eps·(1 + |lse_i|)``: the
    row no longer sums to 1, which no perturbation of the inputs does.
    Carried through the backward pass to first order: ``E_p = p·δ``,
    ``E_dz2 = E_p/n``, ``E_dW2 = a1ᵀE_dz2``, ``E_db2 = ΣE_dz2``,
    ``E_dz1 = (E_dz2|W2|ᵀ)·mask``, ``E_dW1 = |X|ᵀE_dz1``, ``E_db1 = ΣE_dz1``,
    and the cost ``mean(δ)``.  Relative to the size of each quantity.

    Returns
    -------
    dict
        ``{"cost", "W1", "b1", "W2", "b2"}`` -> ``max(E)/scale``.
    """
    X = np.asarray(X, dtype=np.float64)
    params = {key: np.asarray(params[key], dtype=np.float64) for key in ("W1", "b1", "W2", "b2")}
    n = X.shape[0]
    rows = np.arange(n)
    _, mask, a1, _, lse, logp = _forward(X, params)
    delta = PERTURBATION_ULPS * float(np.finfo(np.dtype(dtype)).eps) * (1.0 + np.abs(lse))  # (n, 1)
    p = np.exp(logp)
    dz2 = p.copy()
    dz2[rows, y] -= 1
    dz2 /= n
    dz1 = (dz2 @ params["W2"].T) * mask
    E_dz2 = p * delta / n  # (n, k)
    E_dz1 = (E_dz2 @ np.abs(params["W2"].T)) * mask  # (n, h)
    values = {
        "cost": (float(delta.mean()), max(float(-logp[rows, y].mean()), COST_FLOOR)),
        "W1": (np.abs(X.T) @ E_dz1, np.max(np.abs(X.T @ dz1 + 2 * c * params["W1"]))),
        "b1": (E_dz1.sum(axis=0), np.max(np.abs(dz1.sum(axis=0)))),
        "W2": (a1.T @ E_dz2, np.max(np.abs(a1.T @ dz2 + 2 * c * params["W2"]))),
        "b2": (E_dz2.sum(axis=0), np.max(np.abs(dz2.sum(axis=0)))),
    }
    return {key: float(np.max(bound)) / float(scale) if scale > 0 else 0.0 for key, (bound, scale) in values.items()}


def first_order_bounds(
    X: np.ndarray, y: np.ndarray, params: Mapping[str, np.ndarray], c: float, dtype: DTypeLike = np.float64
) -> dict[str, float]:
    """Worst-case first-order rounding-error bound per quantity of ``cost_grad(X, y, params, c)``, relative.

    The ceiling of :func:`conditioned_tolerances`, and the derivation that
    shows where the conditioning comes from.  A first-order bound ``E`` on the elementwise absolute error of every
    intermediate, carried through the forward and the backward pass in the
    standard model of floating-point arithmetic (``fl(a op b) = (a op b)(1 + δ)``,
    ``|δ| <= u``, ``u = eps/2``; a sum or dot product of m terms errs by at most
    ``m·u·Σ|terms|``).  Inputs are exact.  Each quantity's tolerance is
    ``max(E) / max(max|q|, floor)`` (floor ``COST_FLOOR`` for the cost, as
    in :func:`compare`), doubled because two computations that each lie within
    ``E`` of the exact value differ by up to ``2E``.  The bound
    grows with max|z| (the log-sum-exp and ``z - lse`` round at the size of
    the logits) and with the size of the products; it does not assume any
    summation order, so it holds for loops, BLAS and einsum alike.

    Parameters
    ----------
    X : (n, d) inputs.
    y : (n,) integer labels in [0, k).
    params : course layout W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k).
    c : weight-decay strength.
    dtype : the precision whose rounding is bounded (float64 or float32).

    Returns
    -------
    dict
        ``{"cost", "W1", "b1", "W2", "b2"}`` -> ``2·max(E)/scale``.
        The ReLU pattern is taken as exact: callers keep every |z1| far from 0.
    """
    u = float(np.finfo(np.dtype(dtype)).eps) / 2  # unit roundoff
    X = np.asarray(X, dtype=np.float64)
    base = {key: np.asarray(params[key], dtype=np.float64) for key in ("W1", "b1", "W2", "b2")}
    W1, b1, W2, b2 = base["W1"], base["b1"], base["W2"], base["b2"]
    n, d = X.shape
    h, k = W2.shape
    rows = np.arange(n)

    def gamma(m: int) -> float:  # a sum of m rounded terms
        return m * u

    # forward: the values, then E_* >= |computed - exact| to first order
    z1, mask, a1, z2, lse, logp = _forward(X, base)
    E_z1 = gamma(d + 1) * (np.abs(X) @ np.abs(W1) + np.abs(b1))
    E_a1 = E_z1 * mask
    E_z2 = E_a1 @ np.abs(W2) + gamma(h + 1) * (a1 @ np.abs(W2) + np.abs(b2))
    # lse = max + log Σ exp(z - max): the sum of k terms in [0, 1], its log, the final addition at |lse|
    E_lse = E_z2.max(axis=1, keepdims=True) + gamma(k + 2) * (1.0 + np.abs(lse))
    E_logp = E_z2 + E_lse + u * np.abs(logp)
    p = np.exp(logp)  # (n, k)
    E_p = p * (E_logp + u)
    cross_entropy = -logp[rows, y]  # (n,)
    penalty = c * float(np.vdot(W1, W1) + np.vdot(W2, W2))
    total = float(cross_entropy.mean()) + penalty
    E_cost = (
        float(E_logp[rows, y].mean())
        + gamma(n) * float(cross_entropy.mean())
        + gamma(W1.size + W2.size + 2) * penalty
        + u * abs(total)
    )
    # backward
    onehot = np.zeros_like(p)
    onehot[rows, y] = 1.0
    dz2 = (p - onehot) / n  # (n, k)
    E_dz2 = (E_p + gamma(k + 2) * (p + onehot)) / n  # also covers a Jacobian product over k terms
    dW2 = a1.T @ dz2 + 2 * c * W2  # (h, k)
    E_dW2 = a1.T @ E_dz2 + E_a1.T @ np.abs(dz2) + gamma(n + 2) * (a1.T @ np.abs(dz2) + 2 * c * np.abs(W2))
    db2 = dz2.sum(axis=0)  # (k,)
    E_db2 = E_dz2.sum(axis=0) + gamma(n + 1) * np.abs(dz2).sum(axis=0)
    dz1 = (dz2 @ W2.T) * mask  # (n, h)
    E_dz1 = (E_dz2 @ np.abs(W2.T) + gamma(k) * np.abs(dz2) @ np.abs(W2.T)) * mask
    dW1 = X.T @ dz1 + 2 * c * W1  # (d, h)
    E_dW1 = np.abs(X.T) @ E_dz1 + gamma(n + 2) * (np.abs(X.T) @ np.abs(dz1) + 2 * c * np.abs(W1))
    db1 = dz1.sum(axis=0)  # (h,)
    E_db1 = E_dz1.sum(axis=0) + gamma(n + 1) * np.abs(dz1).sum(axis=0)

    bounds = {
        "cost": (E_cost, abs(total), COST_FLOOR),
        "W1": (E_dW1, dW1, 0.0),
        "b1": (E_db1, db1, 0.0),
        "W2": (E_dW2, dW2, 0.0),
        "b2": (E_db2, db2, 0.0),
    }
    out = {}
    for key, (bound, value, floor) in bounds.items():
        scale = max(float(np.max(np.abs(value))), floor)
        # two computations, each within the bound of the exact value, differ by up to twice the bound
        out[key] = 2 * float(np.max(bound)) / scale if scale > 0 else 0.0
    return out


def softmax_tolerances(Z: np.ndarray, dtype: DTypeLike = np.float64) -> np.ndarray:
    """Normwise relative tolerance of ``softmax(Z)`` per row, from its conditioning.

    As :func:`conditioned_tolerances`: the spread of ``scratch_net.softmax``
    when every logit is perturbed by up to ``PERTURBATION_ULPS`` ulps, times
    ``SPREAD_FACTOR``, never below ``tolerance(dtype)``.  At logits of 1e3 a
    perturbation of a few ulps moves z by ~1e3·eps, and every probability by
    as much, relatively.

    Parameters
    ----------
    Z : (n, k) logits, exact.
    dtype : the precision whose rounding is meant.

    Returns
    -------
    ndarray
        (n,) tolerances.
    """
    from .net import softmax

    Z = np.asarray(Z, dtype=np.float64)
    delta = PERTURBATION_ULPS * float(np.finfo(np.dtype(dtype)).eps)
    p0 = softmax(Z)
    rng = np.random.default_rng(0)
    spread = np.zeros(Z.shape[0])
    for _ in range(PERTURBATION_SAMPLES):
        p = softmax(Z * (1 + delta * rng.uniform(-1, 1, Z.shape)))
        spread = np.maximum(spread, [normwise_rel_err(a, b) for a, b in zip(p, p0)])
    return np.maximum(tolerance(dtype), SPREAD_FACTOR * spread)


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
