"""Stratified splits: scikit-learn's ``train_test_split(..., stratify=y)``, in NumPy.

The runs of ``compare.py train`` split with scikit-learn, and their reports
(which rows are held out, hence every number in them) depend on exactly how it
draws. Importing ``sklearn.model_selection`` takes longer than everything
else a small run does, so this module does the same draws from the same
``np.random.RandomState`` in the same order as scikit-learn's
``StratifiedShuffleSplit._iter_indices`` (its ``_approximate_mode``
included): the same rows for every seed and fraction, and the same error
messages. ``tests/test_splits.py`` compares the two on many label vectors.
"""

from __future__ import annotations

import math

import numpy as np

MAX_SEED = 2**32 - 1  # what np.random.RandomState accepts


def approximate_mode(class_counts: np.ndarray, n_draws: int, rng: np.random.RandomState) -> np.ndarray:
    """Rows to draw from each class: about ``n_draws`` times its share, ties broken by ``rng``.

    scikit-learn's ``sklearn.utils.extmath._approximate_mode``: the counts are
    floored, then the classes with the largest remainders get one more row each
    until ``n_draws`` is reached, drawing among equal remainders.
    """
    continuous = class_counts / class_counts.sum() * n_draws  # (k,)
    floored = np.floor(continuous)
    need_to_add = int(n_draws - floored.sum())
    if need_to_add > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (tied,) = np.where(remainder == value)
            add_now = min(len(tied), need_to_add)
            floored[rng.choice(tied, size=add_now, replace=False)] += 1
            need_to_add -= add_now
            if need_to_add == 0:
                break
    return floored.astype(int)


def split_indices(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices kept and held out by ``train_test_split(test_size=fraction, stratify=y, random_state=seed)``.

    Parameters
    ----------
    y : ndarray of shape (n,)
        Labels; each class keeps its share of the rows on both sides.
    fraction : float
        Share of the rows held out, in (0, 1); ``ceil(fraction * n)`` rows.
    seed : int
        In ``[0, 2**32 - 1]``.

    Returns
    -------
    keep, held : ndarray of int
        Disjoint row indices, each in scikit-learn's (shuffled) order.

    Raises
    ------
    ValueError
        With scikit-learn's message: a seed out of range, a fraction that
        leaves no row on one side, a class with a single row, fewer rows on a
        side than there are classes.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(
            f"The 'random_state' parameter of train_test_split must be an int in the range [0, {MAX_SEED}], "
            f"an instance of 'numpy.random.mtrand.RandomState' or None. Got {seed!r} instead."
        )
    n = len(y)
    if not 0 < fraction < 1:
        raise ValueError(
            f"test_size={fraction} should be either positive and smaller than the number of samples {n} "
            "or a float in the (0, 1) range"
        )
    n_held = math.ceil(fraction * n)
    n_keep = n - n_held
    if n_keep == 0:
        raise ValueError(
            f"With n_samples={n}, test_size={fraction} and train_size=None, the resulting train set will be empty. "
            "Adjust any of the aforementioned parameters."
        )
    classes, y_indices, class_counts = np.unique(y, return_inverse=True, return_counts=True)
    if class_counts.min() < 2:
        raise ValueError(
            "The least populated classes in y have only 1 member, which is too few. The minimum number of groups "
            f"for any class cannot be less than 2. Classes with too few members are: {classes[class_counts < 2].tolist()}"
        )
    for side, count in (("train", n_keep), ("test", n_held)):
        if count < len(classes):
            raise ValueError(
                f"The {side}_size = {count} should be greater or equal to the number of classes = {len(classes)}"
            )
    # the rows of each class, in their order in y
    class_rows = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(class_counts)[:-1])
    rng = np.random.RandomState(seed)
    keep_per_class = approximate_mode(class_counts, n_keep, rng)
    held_per_class = approximate_mode(class_counts - keep_per_class, n_held, rng)
    keep: list[np.intp] = []
    held: list[np.intp] = []
    for rows, count, n_k, n_h in zip(class_rows, class_counts, keep_per_class, held_per_class):
        shuffled = rows.take(rng.permutation(count), mode="clip")
        keep.extend(shuffled[:n_k])
        held.extend(shuffled[n_k : n_k + n_h])
    return rng.permutation(keep), rng.permutation(held)


def stratified_split(X: np.ndarray, y: np.ndarray, fraction: float, seed: int) -> list[np.ndarray]:
    """``train_test_split(X, y, test_size=fraction, stratify=y, random_state=seed)``: X_keep, X_held, y_keep, y_held.

    See :func:`split_indices` for the parameters and the errors.
    """
    keep, held = split_indices(y, fraction, seed)
    return [X[keep], X[held], y[keep], y[held]]
