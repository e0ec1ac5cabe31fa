"""parity_run.splits draws the rows that scikit-learn's train_test_split(stratify=y) draws, and fails as it fails."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.model_selection import train_test_split

from parity_run.splits import split_indices, stratified_split


def sklearns(y, fraction, seed):
    """train_test_split's kept and held-out row indices, or its ValueError's message."""
    try:
        keep, held = train_test_split(np.arange(len(y)), test_size=fraction, stratify=y, random_state=seed)
    except ValueError as exc:
        return str(exc)
    return keep, held


def ours(y, fraction, seed):
    try:
        return split_indices(y, fraction, seed)
    except ValueError as exc:
        return str(exc)


def assert_same(y, fraction, seed):
    expected, got = sklearns(y, fraction, seed), ours(y, fraction, seed)
    if isinstance(expected, str):
        assert got == expected
    else:
        assert not isinstance(got, str), got
        for name, a, b in (("kept", got[0], expected[0]), ("held", got[1], expected[1])):
            np.testing.assert_array_equal(a, b, err_msg=f"{name} rows differ (fraction {fraction}, seed {seed})")


@given(
    counts=st.lists(st.integers(1, 40), min_size=2, max_size=12),
    fraction=st.sampled_from([0.05, 0.1, 0.15, 0.2, 0.25, 1 / 3, 0.5, 0.7, 0.9, 0.99]),
    seed=st.one_of(st.integers(0, 20), st.integers(0, 2**32 - 1)),
    shuffle_seed=st.integers(0, 1000),
)
def test_the_same_rows_as_sklearn(counts, fraction, seed, shuffle_seed):
    """Classes of all sizes (a single row included: the error), in any order, labels not necessarily 0..k-1."""
    y = np.repeat(np.arange(len(counts)) * 3, counts)
    y = np.random.default_rng(shuffle_seed).permutation(y)
    assert_same(y, fraction, seed)


@pytest.mark.parametrize("n, k", [(1797, 10), (1437, 10), (5000, 10), (4000, 10), (7, 3), (20, 10), (9, 2)])
@pytest.mark.parametrize("fraction", [0.2, 0.15, 0.5])
def test_the_same_rows_as_sklearn_at_the_sizes_of_the_data_sets(n, k, fraction):
    y = np.random.default_rng(n).integers(0, k, size=n)
    for seed in (0, 1, 12345):
        assert_same(y, fraction, seed)


@pytest.mark.parametrize("seed", [-1, 2**32, 2**40])
def test_a_seed_out_of_range_fails_as_sklearn_does(seed):
    y = np.arange(40) % 2
    with pytest.raises(ValueError) as caught:
        split_indices(y, 0.2, seed)
    assert str(caught.value) == sklearns(y, 0.2, seed)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 1.5])
def test_a_fraction_outside_0_1_is_refused(fraction):
    with pytest.raises(ValueError, match=r"test_size=.* should be .* a float in the \(0, 1\) range"):
        split_indices(np.arange(40) % 2, fraction, 0)


def test_stratified_split_returns_the_rows_of_x_and_y():
    X = np.arange(60, dtype=float).reshape(30, 2)
    y = np.arange(30) % 3
    X_keep, X_held, y_keep, y_held = stratified_split(X, y, 0.2, 5)
    X_ref, X_held_ref, y_ref, y_held_ref = train_test_split(X, y, test_size=0.2, stratify=y, random_state=5)
    for a, b in ((X_keep, X_ref), (X_held, X_held_ref), (y_keep, y_ref), (y_held, y_held_ref)):
        np.testing.assert_array_equal(a, b)
