"""Check tests/impls/families.json against the files it describes: python tools/verify_families.py.

The manifest says, for each fixture ``tests/impls/fam_*.py``, whether it is correct and which of
cost, d_w1, d_b1, d_w2, d_b2 its mistake changes. This script checks that claim with its own small
NumPy reference (written here, not taken from impl_check, so the two cannot share a mistake):
a correct file agrees with the reference to 1e-10 (normwise, relative) on every quantity of every
problem; a wrong file differs by more than 1e-6 in each listed quantity on at least one problem and
agrees to 1e-10 in every quantity not listed, on every problem. A file whose entry says
``"deterministic": false`` must return different results for two calls with the same inputs; every
other file must return the same results.

The problems have c > 0, non-zero biases and several shapes (d, h, k all different, and one
square), so a mistake that a zero bias, c = 0 or a square shape would hide still shows.
Prints one line per file and exits 1 if any claim is false.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
IMPLS = ROOT / "tests" / "impls"
MANIFEST = IMPLS / "families.json"
QUANTITIES = ("cost", "d_w1", "d_b1", "d_w2", "d_b2")
AGREE = 1e-10
"""Largest normwise relative difference for a quantity to count as unchanged."""
DIFFER = 1e-6
"""Smallest normwise relative difference for a quantity to count as changed."""
SHAPES = ((7, 4, 5, 3), (10, 3, 6, 4), (6, 5, 3, 2), (5, 3, 3, 3))
"""n, d, h, k of each problem; the last is square, where a missing transpose keeps its shape."""
C_VALUES = (0.3, 0.05, 0.7, 0.2)

CS231N_KEYS = {"d_w1": "W1", "d_b1": "b1", "d_w2": "W2", "d_b2": "b2"}
"""CS231n's gradient key for each course name."""

Result = dict[str, np.ndarray]


def problems() -> list[tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], float]]:
    """Small random problems: X (n, d), y (n,) with every class present, params in the course layout, c."""
    out = []
    for i, ((n, d, h, k), c) in enumerate(zip(SHAPES, C_VALUES)):
        rng = np.random.default_rng(10 + i)
        params = {
            "W1": rng.normal(size=(d, h)),
            "b1": 0.5 * rng.normal(size=(1, h)),
            "W2": rng.normal(size=(h, k)),
            "b2": 0.5 * rng.normal(size=(1, k)),
        }
        X = rng.normal(size=(n, d))
        y = rng.permutation(np.arange(n) % k)
        out.append((X, y, params, c))
    return out


def reference(X: np.ndarray, y: np.ndarray, params: dict[str, np.ndarray], c: float) -> Result:
    """The spec: mean cross-entropy of a ReLU net plus c·(ΣW1² + ΣW2²), and its exact gradient.

    Shapes: X (n, d), y (n,), W1 (d, h), b1 (1, h), W2 (h, k), b2 (1, k); the gradients have
    the parameters' shapes and the cost is returned as a 0-d array.
    """
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    z1 = X @ W1 + b1  # (n, h)
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ W2 + b2  # (n, k)
    shifted = z2 - z2.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    cost = -log_p[np.arange(n), y].mean() + c * (np.sum(W1**2) + np.sum(W2**2))
    dz2 = np.exp(log_p)
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dz1 = (dz2 @ W2.T) * (z1 > 0)
    return {
        "cost": np.asarray(cost),
        "d_w1": X.T @ dz1 + 2 * c * W1,
        "d_b1": dz1.sum(axis=0, keepdims=True),
        "d_w2": a1.T @ dz2 + 2 * c * W2,
        "d_b2": dz2.sum(axis=0, keepdims=True),
    }


def load(path: Path) -> ModuleType:
    """Import a fixture as a fresh module (so that two fixtures never share state)."""
    spec = importlib.util.spec_from_file_location(f"_family_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def call(module: ModuleType, X: np.ndarray, y: np.ndarray, params: dict[str, np.ndarray], c: float) -> Result:
    """Run the fixture's net on one problem and return its five quantities under the course's names.

    The course interface is ``NetClassifier.cost_grad(X, y, params, c)`` with biases (1, h);
    CS231n's is ``TwoLayerNet(d, h, k).loss(X, y, reg=c)`` with biases (h,), whose bias gradients
    are reshaped to (1, h) here only when they have h elements (a wrong shape stays wrong).
    """
    args = {key: value.copy() for key, value in params.items()}
    if hasattr(module, "NetClassifier"):
        cost, grads = module.NetClassifier.cost_grad(X.copy(), y.copy(), args, c)
    else:
        d, h = params["W1"].shape
        net = module.TwoLayerNet(d, h, params["W2"].shape[1])
        net.params = {key: (value.ravel() if key.startswith("b") else value) for key, value in args.items()}
        cost, grads = net.loss(X.copy(), y.copy(), reg=c)
    out: Result = {"cost": np.asarray(cost, dtype=float)}
    for name in QUANTITIES[1:]:
        got = np.asarray(grads[name] if name in grads else grads[CS231N_KEYS[name]], dtype=float)
        if name.startswith("d_b") and got.ndim == 1:
            got = got.reshape(1, -1)
        out[name] = got
    return out


def distance(got: np.ndarray, want: np.ndarray) -> float:
    """Normwise relative difference; infinite when the shapes differ."""
    if got.shape != want.shape:
        return float("inf")
    return float(np.linalg.norm(got - want) / max(1.0, float(np.linalg.norm(want))))


def changed_quantities(module: ModuleType) -> tuple[dict[str, float], bool]:
    """The largest difference of each quantity from the reference over the problems, and whether
    two calls with the same inputs returned the same values."""
    worst = dict.fromkeys(QUANTITIES, 0.0)
    deterministic = True
    np.random.seed(0)  # a file that draws from the global state (a dropout mask) is reproducible
    for X, y, params, c in problems():
        want = reference(X, y, params, c)
        first = call(module, X, y, params, c)
        second = call(module, X, y, params, c)
        for name in QUANTITIES:
            worst[name] = max(worst[name], distance(first[name], want[name]))
            if first[name].shape != second[name].shape or not np.array_equal(first[name], second[name]):
                deterministic = False
    return worst, deterministic


def check_entry(stem: str, entry: dict[str, Any]) -> list[str]:
    """Every false claim of the manifest's entry for ``stem`` (empty when all hold)."""
    problems_found = []
    worst, deterministic = changed_quantities(load(IMPLS / f"{stem}.py"))
    listed = set(entry["wrong"])
    if entry["correct"] and listed:
        problems_found.append(f"{stem}: marked correct but lists {sorted(listed)} as wrong")
    if not entry["correct"] and not listed:
        problems_found.append(f"{stem}: marked wrong but lists no quantity")
    unknown = listed - set(QUANTITIES)
    if unknown:
        problems_found.append(f"{stem}: unknown quantities {sorted(unknown)}")
    for name in QUANTITIES:
        if name in listed and not worst[name] > DIFFER:
            problems_found.append(f"{stem}: {name} listed as wrong but differs by only {worst[name]:.2e}")
        if name not in listed and not worst[name] <= AGREE:
            problems_found.append(f"{stem}: {name} not listed but differs by {worst[name]:.2e}")
    if deterministic != entry.get("deterministic", True):
        problems_found.append(f"{stem}: deterministic is {deterministic}, the manifest says otherwise")
    if not entry["mistake"].strip():
        problems_found.append(f"{stem}: no mistake sentence")
    return problems_found


def manifest() -> dict[str, dict[str, Any]]:
    """The manifest, keyed by file stem."""
    data: dict[str, dict[str, Any]] = json.loads(MANIFEST.read_text())
    return data


def main() -> int:
    entries = manifest()
    stems = {p.stem for p in IMPLS.glob("fam_*.py")}
    failures = [f"{stem}: no manifest entry" for stem in sorted(stems - set(entries))]
    failures += [f"{stem}: in the manifest but no file" for stem in sorted(set(entries) - stems)]
    for stem in sorted(stems & set(entries)):
        found = check_entry(stem, entries[stem])
        failures += found
        state = "correct" if entries[stem]["correct"] else "wrong: " + ", ".join(entries[stem]["wrong"])
        print(f"{'ok  ' if not found else 'FAIL'} {stem} ({state})")
    for line in failures:
        print(line)
    print(f"{len(stems)} file(s), {len(failures)} false claim(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
