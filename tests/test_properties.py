"""Property-based parity: random shapes, scales and c (hypothesis)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from parity_helpers import assert_parity, make_problem

import scratch_net as sn

problems = st.builds(
    dict,
    n=st.integers(1, 40),
    d=st.integers(1, 12),
    h=st.integers(1, 12),
    k=st.integers(2, 6),
    seed=st.integers(0, 2**16),
    scale=st.sampled_from([1e-3, 0.1, 1.0, 10.0, 100.0]),
    c=st.sampled_from([0.0, 1e-6, 1e-4, 0.1, 1.0, 10.0]),
    dtype=st.sampled_from([np.float64, np.float32]),
)


@given(problems)
def test_parity_holds_for_any_shape_scale_and_c(p):
    X, y, params = make_problem(p["n"], p["d"], p["h"], p["k"], dtype=p["dtype"], seed=p["seed"], scale=p["scale"])
    assert_parity(X, y, params, p["c"])


@given(problems)
def test_cost_is_finite_nonnegative_and_grads_keep_shapes(p):
    X, y, params = make_problem(p["n"], p["d"], p["h"], p["k"], dtype=p["dtype"], seed=p["seed"], scale=p["scale"])
    cost, grads = sn.cost_grad(X, y, params, p["c"])
    assert np.isfinite(cost) and cost >= 0
    assert {k: (g.shape, g.dtype) for k, g in grads.items()} == {k: (v.shape, v.dtype) for k, v in params.items()}
    probs = sn.softmax(sn.forward(X, params).astype(np.float64))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-12)
