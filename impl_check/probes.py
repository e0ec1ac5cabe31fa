"""The probe problems: small float64 problems chosen so that each bug has its own signature.

The spec problems vary one thing at a time against problem A, so that an error
can be attributed by how it scales: c in {0, 1e-4, 0.5} (a decay bug is linear
in c), n in {12, 7} (a sum instead of a mean grows with n, a c/(2n) decay
shrinks with it), W doubled (a decay error is proportional to W).  B and C
change every shape (d, h and k all differ, so a transposed or swapped gradient
shows as a wrong shape).  Every pre-activation is at least ``KINK_MARGIN``
away from 0, where ReLU's derivative is a matter of convention.

The robustness problem has logits around +-1e3 with confident mistakes, where
a softmax without a per-row max overflows, one with a global max divides 0 by
0, and log(softmax) is log(0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from scratch_net import PARAM_KEYS, Params, init_params

KINK_MARGIN = 1e-3
"""Smallest |z1| allowed in a probe: far from the ReLU kink at 0."""

SHAPES = {"A": (12, 5, 6, 3), "B": (16, 3, 8, 4), "C": (5, 6, 3, 2)}
"""n, d, h, k per base problem; no spec problem has d == h or h == k."""

SOFTMAX_Z = np.array([[1000.0, 0.0, -1000.0], [0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]])
"""Row 0 overflows exp without a max; rows 1-2 become 0/0 under a global max."""


@dataclass(frozen=True)
class Problem:
    """One probe: ``cost_grad(X, y, params, c)`` on these values."""

    name: str
    X: np.ndarray  # (n, d)
    y: np.ndarray  # (n,) int64
    params: Params
    c: float
    robust: bool = False  # the extreme-logit problem, judged for robustness only

    @property
    def n(self) -> int:
        return int(self.X.shape[0])


def _base(n: int, d: int, h: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, Params]:
    """A random problem with non-zero biases and every |z1| >= KINK_MARGIN (next seed until so)."""
    while True:
        rng = np.random.default_rng(seed)
        params = init_params(d, h, k, seed=seed + 100)
        params["b1"] = 0.3 * rng.normal(size=(1, h))
        params["b2"] = 0.3 * rng.normal(size=(1, k))
        X = rng.normal(size=(n, d))
        y = rng.permutation(np.arange(n) % k)  # every class present
        if np.min(np.abs(X @ params["W1"] + params["b1"])) >= KINK_MARGIN:
            return X, y, params
        seed += 1000


def _scaled(params: Params, factor: float) -> Params:
    """Every parameter times ``factor``: z1 scales too, so the ReLU pattern is unchanged."""
    return {key: factor * params[key] for key in PARAM_KEYS}


def extreme_logit_problem() -> Problem:
    """d = h = k = 3, W1 = W2 = I, b2 = -1000: the logits are X - 1000 per row (X > 0 keeps z1 > 0)."""
    eye = np.eye(3)
    params = {"W1": eye.copy(), "b1": np.zeros((1, 3)), "W2": eye.copy(), "b2": np.full((1, 3), -1000.0)}
    X = np.array([[2000.0, 1000.0, 0.5], [0.5, 1.0, 1.5], [1000.5, 3.0, 1.0]])
    # logits [1000, 0, -999.5], [-999.5, -999, -998.5], [0.5, -997, -999]; labels make two confident mistakes
    return Problem("logits ~1e3", X, np.array([2, 0, 1]), params, 0.0, robust=True)


def make_problems() -> list[Problem]:
    """The spec problems (A varied one thing at a time, then B and C) and the extreme-logit one."""
    XA, yA, pA = _base(*SHAPES["A"], seed=1)
    XB, yB, pB = _base(*SHAPES["B"], seed=2)
    XC, yC, pC = _base(*SHAPES["C"], seed=3)
    return [
        Problem("A c=0", XA, yA, pA, 0.0),
        Problem("A c=1e-4", XA, yA, pA, 1e-4),
        Problem("A c=0.5", XA, yA, pA, 0.5),
        Problem("A n=7 c=0.5", XA[:7], yA[:7], pA, 0.5),
        Problem("A 2W c=0.5", XA, yA, _scaled(pA, 2.0), 0.5),
        Problem("B c=1e-4", XB, yB, pB, 1e-4),
        Problem("C c=0.5", XC, yC, pC, 0.5),
        extreme_logit_problem(),
    ]


def save_problems(problems: list[Problem], path: str) -> None:
    """Write the problems for the worker (plain arrays, no pickle)."""
    arrays: dict[str, Any] = {"count": np.array(len(problems)), "softmax_Z": SOFTMAX_Z}
    for i, p in enumerate(problems):
        arrays.update({f"p{i}_X": p.X, f"p{i}_y": p.y, f"p{i}_c": np.array(p.c)})
        arrays.update({f"p{i}_{key}": p.params[key] for key in PARAM_KEYS})
    np.savez(path, **arrays)


def tolerance_table() -> str:
    """The tolerance of every quantity of every probe, and the term that sets it, as a Markdown table.

    ``docs/tolerances.md`` holds this table (a test keeps the two equal).
    """
    from scratch_net.tolerance import (
        SPREAD_FACTOR,
        conditioned_tolerances,
        normalisation_bounds,
        tolerance,
    )

    floor = tolerance(np.float64)
    lines = [
        "| probe | cost | d_w1 | d_b1 | d_w2 | d_b2 |",
        "|---|---|---|---|---|---|",
    ]
    for p in make_problems():
        tol = conditioned_tolerances(p.X, p.y, p.params, p.c)
        norm = normalisation_bounds(p.X, p.y, p.params, p.c)
        cells = []
        for key in ("cost", "W1", "b1", "W2", "b2"):
            why = (
                "64·eps"
                if tol[key] == floor
                else "normalisation"
                if tol[key] == norm[key]
                else f"{SPREAD_FACTOR}×spread"
            )
            cells.append(f"{tol[key]:.2e} ({why})")
        lines.append(f"| {p.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
