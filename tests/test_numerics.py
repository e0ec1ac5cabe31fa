"""Numerics that do not depend on torch: extreme logits, finite differences, dtypes."""

import numpy as np
import pytest
from parity_helpers import assert_close, make_problem

import scratch_net as sn
import torch_ref as tr
from scratch_net.tolerance import COST_FLOOR


def test_softmax_rows_of_plus_minus_1000_sum_to_one():
    Z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [1e4, 1e4 - 1, 0.0]])
    S = sn.softmax(Z)
    assert np.all(np.isfinite(S))
    np.testing.assert_allclose(S.sum(axis=1), 1.0, rtol=0, atol=4 * np.finfo(float).eps)
    np.testing.assert_array_equal(S[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(S[1], [1 / 3] * 3)
    np.testing.assert_allclose(sn.log_softmax(Z)[2, :2], [-np.log1p(np.exp(-1)), -1 - np.log1p(np.exp(-1))])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size", [1e2, 1e3, 1e4])
def test_cost_at_extreme_logits_is_exact_and_matches_torch(size, dtype):
    # one hidden unit of value 1 feeds the logits directly: logits = W2 row + b2
    params = {
        "W1": np.ones((1, 1), dtype=dtype),
        "b1": np.zeros((1, 1), dtype=dtype),
        "W2": np.array([[size, 0.0, -size]], dtype=dtype),
        "b2": np.zeros((1, 3), dtype=dtype),
    }
    X = np.ones((3, 1), dtype=dtype)
    y = np.array([0, 1, 2])  # right with margin `size`, wrong by `size`, wrong by 2*size
    cost, grads = sn.cost_grad(X, y, params)
    # worked by hand: losses ~0, size, 2*size -> mean = size (to within exp(-size))
    assert np.isfinite(cost)
    assert cost == pytest.approx(size, rel=sn.tolerance(dtype))
    assert all(np.all(np.isfinite(g)) for g in grads.values())
    cost_t, grads_t = tr.cost_grad(X, y, params)
    assert_close("cost", cost, cost_t, dtype, floor=COST_FLOOR)
    for key in sn.PARAM_KEYS:
        assert_close(f"grad {key}", grads[key], grads_t[key], dtype)


@pytest.mark.parametrize("c", [0.0, 0.3])
def test_central_differences_agree_with_backprop(c):
    X, y, params = make_problem(9, 4, 5, 3, seed=21)
    # stay away from ReLU kinks: every pre-activation at least 1e-3 from zero
    z1 = X @ params["W1"] + params["b1"]
    assert np.min(np.abs(z1)) > 1e-3, "test problem sits too close to a ReLU kink"
    _, grads = sn.cost_grad(X, y, params, c)
    numeric = sn.numerical_grad(lambda p: sn.cost(X, y, p, c), params)
    for key in sn.PARAM_KEYS:
        err = sn.normwise_rel_err(grads[key], numeric[key])
        # central differences: truncation + rounding ~ eps^(2/3) ~ 4e-11 at the default step
        assert err < 1e-7, f"grad {key}: backprop and central differences differ by {err:.3g}"


def test_central_differences_catch_a_wrong_gradient():
    X, y, params = make_problem(9, 4, 5, 3, seed=21)
    numeric = sn.numerical_grad(lambda p: sn.cost(X, y, p, 0.3), params)
    _, grads = sn.cost_grad(X, y, params, 0.3)
    wrong = grads["W1"] - 0.3 * params["W1"]  # the c*W slip
    assert sn.normwise_rel_err(wrong, numeric["W1"]) > 1e-3


def test_numerical_grad_step_follows_dtype_and_leaves_params_alone():
    params = {"w": np.array([[0.5, -2.0]], dtype=np.float32)}
    before = params["w"].copy()
    g = sn.numerical_grad(lambda p: float(np.sum(p["w"].astype(np.float64) ** 3)), params)
    assert g["w"].dtype == np.float32
    np.testing.assert_allclose(g["w"], 3 * before.astype(np.float64) ** 2, rtol=1e-3)
    np.testing.assert_array_equal(params["w"], before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_results_keep_the_params_dtype(dtype):
    X, y, params = make_problem(5, 3, 4, 2, dtype=dtype)
    X64 = X.astype(np.float64)  # X in another precision is converted, results follow params
    assert sn.forward(X64, params).dtype == dtype
    _, grads = sn.cost_grad(X64, y, params, 0.1)
    assert {g.dtype for g in grads.values()} == {np.dtype(dtype)}
    assert sn.init_params(3, 4, 2, seed=0, dtype=dtype)["W1"].dtype == dtype


def test_relu_derivative_at_zero_is_zero_as_in_torch():
    # z1 = 0 exactly for the first hidden unit: ReLU'(0) must be 0 in both
    params = {
        "W1": np.array([[0.0, 1.0]]),
        "b1": np.zeros((1, 2)),
        "W2": np.array([[1.0, -1.0], [0.5, 0.25]]),
        "b2": np.zeros((1, 2)),
    }
    X, y = np.array([[2.0], [3.0]]), np.array([0, 1])
    _, grads = sn.cost_grad(X, y, params)
    _, grads_t = tr.cost_grad(X, y, params)
    assert grads["W1"][0, 0] == 0.0 == grads_t["W1"][0, 0]
    assert grads["b1"][0, 0] == 0.0 == grads_t["b1"][0, 0]


def test_cost_grad_never_modifies_its_inputs():
    X, y, params = make_problem(6, 3, 4, 3, seed=2)
    copies = (X.copy(), y.copy(), {k: v.copy() for k, v in params.items()})
    sn.cost_grad(X, y, params, 0.5)
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(y, copies[1])
    for key in params:
        np.testing.assert_array_equal(params[key], copies[2][key])


def test_init_params_variances_and_zero_biases():
    p = sn.init_params(300, 200, 100, seed=0)
    assert p["W1"].var() == pytest.approx(2 / 500, rel=0.03)
    assert p["W2"].var() == pytest.approx(4 / 300, rel=0.03)
    assert not p["b1"].any() and not p["b2"].any()
    assert {k: v.shape for k, v in p.items()} == {"W1": (300, 200), "b1": (1, 200), "W2": (200, 100), "b2": (1, 100)}
    np.testing.assert_array_equal(sn.init_params(3, 4, 2, seed=7)["W1"], sn.init_params(3, 4, 2, seed=7)["W1"])


def test_one_in_k_predict_and_score():
    np.testing.assert_array_equal(sn.one_in_k_encoding([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(sn.relu(np.array([-1.0, 0.0, 2.0])), [0, 0, 2])
    X, y, params = make_problem(30, 4, 5, 3, seed=9)
    pred = sn.predict(X, params)
    np.testing.assert_array_equal(pred, np.argmax(tr.forward(X, params), axis=1))
    assert sn.score(X, pred, params) == 1.0
    assert sn.score(X, (pred + 1) % 3, params) == 0.0
    clf = sn.NetClassifier()
    clf.params = params
    np.testing.assert_array_equal(clf.predict(X), pred)
    assert clf.score(X, y) == sn.score(X, y, params)
    assert clf.cost_grad(X, y, params, 0.1)[0] == sn.cost_grad(X, y, params, 0.1)[0]


def test_classifier_repr_shows_the_shapes():
    clf = sn.NetClassifier()
    assert repr(clf) == "NetClassifier(params=None)"
    clf.params = sn.init_params(3, 4, 2, seed=0)
    assert repr(clf) == "NetClassifier(params={'W1': (3, 4), 'b1': (1, 4), 'W2': (4, 2), 'b2': (1, 2)})"


def test_comparisons_of_empty_arrays_pass_with_zero_error():
    assert sn.normwise_rel_err(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0
    row = sn.compare("empty", np.zeros(0), np.zeros(0), np.float64)
    assert (row.rel, row.max_abs, row.worst_index, row.passed) == (0.0, 0.0, (), True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_init_params_are_all_of_the_dtype(dtype):
    assert {key: p.dtype for key, p in sn.init_params(3, 4, 2, dtype=dtype).items()} == dict.fromkeys(
        sn.PARAM_KEYS, dtype
    )


def test_cost_defaults_to_no_weight_decay_like_cost_grad():
    X, y, params = make_problem(6, 3, 4, 3, seed=2)
    assert sn.cost(X, y, params) == pytest.approx(sn.cost_grad(X, y, params)[0], rel=1e-14)
    assert sn.cost(X, y, params) < sn.cost(X, y, params, 1.0)


def probed_steps(params, **kwargs):
    """The half-widths of the central differences numerical_grad takes, seen from inside f."""
    points = []
    sn.numerical_grad(lambda p: points.append(p["w"].copy()) or 0.0, params, **kwargs)
    up, down = np.array(points[0::2]), np.array(points[1::2])  # one (up, down) pair per entry
    return np.diagonal((up - down)[:, 0, :].astype(np.float64)) / 2


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numerical_grad_default_step_is_cbrt_eps_times_max_1_theta(dtype):
    theta = np.array([[0.5, 3.0, -1e4]], dtype=dtype)
    expected = np.cbrt(np.finfo(dtype).eps) * np.array([1.0, 3.0, 1e4])
    np.testing.assert_allclose(probed_steps({"w": theta}), expected, rtol=1e-3)


def test_numerical_grad_with_eps_takes_exactly_that_step():
    theta = np.array([[0.5, 3.0, -1e4]])
    np.testing.assert_allclose(probed_steps({"w": theta}, eps=0.25), [0.25] * 3, rtol=1e-12)
    g = sn.numerical_grad(lambda p: float(np.sum(p["w"] ** 3)), {"w": np.array([[2.0]])}, eps=0.1)
    assert g["w"][0, 0] == pytest.approx(12.01, rel=1e-12)  # (f(2.1) - f(1.9)) / 0.2 = 3 * 2^2 + 0.1^2


def test_numerical_grad_works_on_a_copy():
    params = {"w": np.array([[0.5, -2.0]])}
    params["w"].setflags(write=False)  # a read-only array is fine: the steps go to a copy
    before = params["w"].copy()

    def f(p):
        assert p["w"] is not params["w"] and np.array_equal(params["w"], before)
        return float(np.sum(p["w"] ** 2))

    np.testing.assert_allclose(sn.numerical_grad(f, params)["w"], 2 * before, rtol=1e-9)
