"""The conditioned tolerance (scratch_net.tolerance.conditioned_tolerances), tested on both sides.

Inside: correct float64 code -- scratch_net, torch, and fixtures written in other styles -- agrees with the
reference, and with the exact value computed in extended precision (np.longdouble), within the tolerance, on
random problems with logits from 1 to 1e3.  Outside: real bugs, even the smallest ones a student makes, are
orders of magnitude beyond it.  At ordinary logits it is the fixed 64·eps, and it never exceeds the worst-case
first-order bound (scratch_net.tolerance.first_order_bounds).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from parity_helpers import make_problem

import scratch_net as sn
import torch_ref as tr
from impl_check.probes import SOFTMAX_Z, extreme_logit_problem, make_problems
from scratch_net.tolerance import (
    COST_FLOOR,
    conditioned_tolerances,
    first_order_bounds,
    normwise_rel_err,
    softmax_tolerances,
)

IMPLS = Path(__file__).resolve().parent / "impls"

EPS64 = float(np.finfo(np.float64).eps)
LD = np.longdouble
pytestmark = pytest.mark.skipif(np.finfo(LD).eps >= EPS64 / 100, reason="np.longdouble is no wider than float64 here")


def exact_cost_grad(X, y, params, c):
    """cost_grad in extended precision (np.longdouble, eps ~1e-19): the 'exact' values to measure float64 against."""
    X = X.astype(LD)
    W1, b1, W2, b2 = (params[key].astype(LD) for key in sn.PARAM_KEYS)
    c = LD(c)
    n = X.shape[0]
    rows = np.arange(n)
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    shifted = z2 - z2.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    cost = -logp[rows, y].mean() + c * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dz2 = np.exp(logp)
    dz2[rows, y] -= 1
    dz2 /= n
    dz1 = (dz2 @ W2.T) * (z1 > 0)
    grads = {"W1": X.T @ dz1 + 2 * c * W1, "b1": dz1.sum(0, keepdims=True)}
    grads |= {"W2": a1.T @ dz2 + 2 * c * W2, "b2": dz2.sum(0, keepdims=True)}
    return cost, grads


def errors(X, y, params, c, cost_grad, expected):
    cost_e, grads_e = expected
    cost, grads = cost_grad(X, y, params, c)
    grads = {key: next(grads[k] for k in (key, f"d_{key.lower()}", f"d{key}") if k in grads) for key in sn.PARAM_KEYS}
    out = {"cost": normwise_rel_err(float(np.squeeze(cost)), float(cost_e), floor=COST_FLOOR)}
    return out | {key: normwise_rel_err(grads[key], np.asarray(grads_e[key], dtype=np.float64)) for key in grads}


def style(name):
    """The cost_grad of a fixture written in another style (tests/impls/style_*.py)."""
    spec = importlib.util.spec_from_file_location(name, IMPLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.NetClassifier.cost_grad if hasattr(module, "NetClassifier") else module.cost_grad


STYLES = [style(name) for name in ("style_course_recipe", "style_einsum", "style_loop_jacobian", "style_scipy")]
problems = st.builds(
    dict,
    n=st.integers(1, 24),
    d=st.integers(1, 8),
    h=st.integers(1, 8),
    k=st.integers(2, 5),
    seed=st.integers(0, 2**16),
    logits=st.sampled_from([1.0, 10.0, 100.0, 1000.0]),
    c=st.sampled_from([0.0, 1e-4, 0.5]),
)


@given(problems)
def test_correct_float64_code_in_any_style_lies_within_the_tolerance(p):
    """Of the torch reference and of the exact value, at logits from 1 to 1e3."""
    X, y, params = make_problem(p["n"], p["d"], p["h"], p["k"], seed=p["seed"])
    params["W2"] = params["W2"] * p["logits"]
    params["b2"] = params["b2"] * p["logits"]
    assume(np.min(np.abs(X @ params["W1"] + params["b1"])) > 1e-6)  # a ReLU decision within rounding of 0 is a tie
    exact = exact_cost_grad(X, y, params, p["c"])
    # a gradient that vanishes beside its terms (every sample confidently right: P - Y ~ e^-1000) has no
    # float64 relative accuracy at all; the probes never ask for one
    assume(all(np.max(np.abs(g)) > 1e-9 for g in exact[1].values()))
    tol = conditioned_tolerances(X, y, params, p["c"])
    for expected in (tr.cost_grad(X, y, params, p["c"]), exact):
        for cost_grad in (sn.cost_grad, tr.cost_grad, *STYLES):
            for key, err in errors(X, y, params, p["c"], cost_grad, expected).items():
                assert err <= tol[key], (cost_grad.__module__, key, err, tol[key])


@pytest.mark.parametrize("p", make_problems(), ids=lambda p: p.name)
def test_the_tolerance_never_exceeds_the_worst_case_first_order_bound(p):
    tol = conditioned_tolerances(p.X, p.y, p.params, p.c)
    bound = first_order_bounds(p.X, p.y, p.params, p.c)
    for key in tol:
        assert tol[key] <= max(sn.tolerance(np.float64), bound[key]), key


def test_at_ordinary_logits_the_tolerance_is_64_eps():
    for p in make_problems():
        tol = conditioned_tolerances(p.X, p.y, p.params, p.c)
        if not p.robust:
            assert set(tol.values()) == {sn.tolerance(np.float64)}, p.name


def test_the_tolerance_grows_with_the_logits():
    p = extreme_logit_problem()
    tol = conditioned_tolerances(p.X, p.y, p.params, p.c)
    assert tol["b1"] > 10 * sn.tolerance(np.float64) and tol["b2"] > 10 * sn.tolerance(np.float64)


def test_course_recipe_softmax_is_beyond_64_eps_but_inside_its_bound():
    """exp(z - (log Σ exp(z - max) + max)) at [-1000, -999, -998]: ~|z|·eps of absolute error, the issue's case."""
    z = SOFTMAX_Z
    top = z.max(axis=1, keepdims=True)
    recipe = np.exp(z - (np.log(np.exp(z - top).sum(axis=1, keepdims=True)) + top))
    exact = np.exp(z.astype(LD) - (np.log(np.exp(z.astype(LD) - top).sum(axis=1, keepdims=True)) + top))
    tols = softmax_tolerances(z)
    errs = [normwise_rel_err(r, e.astype(np.float64)) for r, e in zip(recipe, exact)]
    assert errs[2] > sn.tolerance(np.float64)  # the fixed tolerance would call correct code wrong
    assert all(err <= tol for err, tol in zip(errs, tols))
    assert tols[1] == sn.tolerance(np.float64)  # [0, 1, 2]: ordinary logits keep 64·eps


@pytest.mark.parametrize("p", make_problems(), ids=lambda p: p.name)
def test_the_smallest_real_bugs_are_far_outside(p):
    """The tolerance never exceeds 1e-11: a decay of c·W at c = 1e-4, a float32 cast, log(p + 1e-12) all are far beyond."""
    tol = conditioned_tolerances(p.X, p.y, p.params, p.c)
    assert max(tol.values()) < 1e-11
    cost, grads = tr.cost_grad(p.X, p.y, p.params, p.c)
    if p.c > 0:  # decay c·W instead of 2c·W
        wrong = grads["W1"] - p.c * p.params["W1"]
        assert normwise_rel_err(wrong, grads["W1"]) > 1e3 * tol["W1"]
    # everything through float32
    f32 = {key: v.astype(np.float32) for key, v in p.params.items()}
    cost32, grads32 = sn.cost_grad(p.X.astype(np.float32), p.y, f32, p.c)
    assert normwise_rel_err(cost32, cost, floor=COST_FLOOR) > 10 * tol["cost"]
    assert max(normwise_rel_err(grads32[key], grads[key]) for key in sn.PARAM_KEYS) > 1e3 * max(tol.values())


@pytest.mark.parametrize("p", make_problems(), ids=lambda p: p.name)
def test_float32_code_lies_within_the_float32_bound(p):
    """The single-precision diagnosis judges at the same bound with float32's eps: correct float32 code is inside."""
    tol32 = conditioned_tolerances(p.X, p.y, p.params, p.c, np.float32)
    f32 = {key: v.astype(np.float32) for key, v in p.params.items()}
    cost32, grads32 = sn.cost_grad(p.X.astype(np.float32), p.y, f32, p.c)
    cost, grads = tr.cost_grad(p.X, p.y, p.params, p.c)
    assert normwise_rel_err(cost32, cost, floor=COST_FLOOR) <= tol32["cost"]
    for key in sn.PARAM_KEYS:
        assert normwise_rel_err(grads32[key], grads[key]) <= tol32[key], key
