"""Every bad input gets a ValueError that names the problem and the value."""

import numpy as np
import pytest
import torch
from parity_helpers import make_problem

import scratch_net as sn
import torch_ref as tr

X, Y, P = make_problem(4, 3, 5, 2, seed=0)


def np_trainer():
    return sn.training.NumpyTrainer(X, Y, X, Y, P, sn.TrainConfig())


def torch_trainer():
    return tr.TorchTrainer(X, Y, X, Y, P, sn.TrainConfig())


def with_param(key, value):
    params = dict(P)
    params[key] = value
    return params


def without(key):
    return {k: v for k, v in P.items() if k != key}


BAD = [  # (id, X, y, params, c, message fragment)
    ("label-too-big", X, np.array([0, 1, 2, 0]), P, 0.0, r"labels must be in \[0, 2\); got 2"),
    ("label-negative", X, np.array([0, -1, 1, 0]), P, 0.0, r"labels must be in \[0, 2\); got -1"),
    ("label-non-integer", X, np.array([0, 1.5, 1, 0]), P, 0.0, r"labels must be integers; got 1.5"),
    ("label-nan", X, np.array([0, np.nan, 1, 0]), P, 0.0, r"labels must be integers; got nan"),
    ("label-strings", X, np.array(["a", "b", "a", "b"]), P, 0.0, r"y must hold integer labels"),
    ("y-2d", X, Y.reshape(-1, 1), P, 0.0, r"y must be 1-D \(n,\); got shape \(4, 1\)"),
    ("length-mismatch", X, Y[:3], P, 0.0, r"X has 4 rows but y has 3 labels"),
    ("X-1d", X[0], Y[:1], P, 0.0, r"X must be 2-D \(n, d\); got 1-D with shape \(3,\)"),
    ("X-3d", X[None], Y, P, 0.0, r"X must be 2-D"),
    (
        "X-nan",
        np.where(np.eye(4, 3) > 0, np.nan, X),
        Y,
        P,
        0.0,
        r"X holds NaN or inf \(first at row 0, column 0: nan\)",
    ),
    ("X-inf", np.full((4, 3), np.inf), Y, P, 0.0, r"X holds NaN or inf.*inf"),
    ("X-wrong-width", X[:, :2], Y, P, 0.0, r"X has 2 columns but W1 has 3 rows"),
    ("X-empty", X[:0], Y[:0], P, 0.0, r"X must have at least one row"),
    ("missing-key", X, Y, without("b2"), 0.0, r"params is missing b2"),
    ("W1-rows", X, Y, with_param("W1", np.zeros((4, 5))), 0.0, r"X has 3 columns but W1 has 4 rows"),
    (
        "b1-shape",
        X,
        Y,
        with_param("b1", np.zeros((1, 4))),
        0.0,
        r"params\['b1'\] has shape \(1, 4\), expected \(1, 5\)",
    ),
    ("b1-1d", X, Y, with_param("b1", np.zeros(5)), 0.0, r"params\['b1'\] must be 2-D; got shape \(5,\)"),
    ("W2-rows", X, Y, with_param("W2", np.zeros((4, 2))), 0.0, r"params\['W2'\] has shape \(4, 2\), expected \(5, 2\)"),
    (
        "b2-shape",
        X,
        Y,
        with_param("b2", np.zeros((1, 3))),
        0.0,
        r"params\['b2'\] has shape \(1, 3\), expected \(1, 2\)",
    ),
    ("mixed-dtypes", X, Y, with_param("b2", P["b2"].astype(np.float32)), 0.0, r"params must share one dtype"),
    (
        "int-params",
        X,
        Y,
        {k: v.astype(int) for k, v in P.items()},
        0.0,
        r"params dtype must be float32 or float64; got int",
    ),
    ("not-a-dict", X, Y, [P["W1"]], 0.0, r"params must be a dict"),
    ("list-param", X, Y, with_param("W1", P["W1"].tolist()), 0.0, r"params\['W1'\] must be a NumPy array"),
    ("c-negative", X, Y, P, -0.1, r"c \(weight decay\) must be a finite number >= 0; got -0.1"),
    ("c-nan", X, Y, P, float("nan"), r"c \(weight decay\) must be a finite number >= 0; got nan"),
    ("c-string", X, Y, P, "0.1", r"c \(weight decay\) must be a finite number >= 0; got '0.1'"),
]


@pytest.mark.parametrize("cost_grad", [sn.cost_grad, tr.cost_grad], ids=["scratch_net", "torch_ref"])
@pytest.mark.parametrize("X,y,params,c,message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_raises_value_error(cost_grad, X, y, params, c, message):
    with pytest.raises(ValueError, match=message):
        cost_grad(X, y, params, c)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: sn.forward(X[0], P), r"X must be 2-D"),
        (lambda: sn.predict(X[:, :2], P), r"X has 2 columns"),
        (lambda: sn.score(X, [0, 1, 5, 0], P), r"labels must be in \[0, 2\); got 5"),
        (lambda: sn.softmax(np.zeros(3)), r"Z must be 2-D"),
        (lambda: sn.log_softmax(np.zeros(3)), r"Z must be 2-D"),
        (lambda: sn.one_in_k_encoding([0, 3], 3), r"labels must be in \[0, 3\); got 3"),
        (lambda: sn.init_params(0, 3, 2), r"input_dim must be an integer >= 1; got 0"),
        (lambda: sn.init_params(3, 2.5, 2), r"hidden_size must be an integer >= 1; got 2.5"),
        (lambda: sn.init_params(3, 2, 2, dtype=np.float16), r"dtype must be float32 or float64; got float16"),
        (lambda: sn.NetClassifier().predict(X), r"no params"),
        (lambda: sn.tolerance(np.int32), r"dtype must be float32 or float64"),
        (lambda: tr.TorchNet.from_params(without("W1")), r"params is missing W1"),
        (
            lambda: sn.init_params(3, 2, 2, dtype="no-such-type"),
            r"dtype must be float32 or float64; got 'no-such-type'",
        ),
        (
            lambda: sn.forward(np.zeros((2, 0)), {k: v[:0] if k == "W1" else v for k, v in P.items()}),
            r"params dimensions must be >= 1; got d=0, h=5, k=2",
        ),
        (lambda: sn.forward([[1.0, 2.0, 3.0], [1.0]], P), r"X must be a 2-D numeric array; got list"),
        (lambda: sn.forward(np.full((2, 3), "a"), P), r"X must be a 2-D numeric array; got dtype <U1"),
        (lambda: sn.forward(np.ones((2, 3), dtype=bool), P), r"X must be a 2-D numeric array; got dtype bool"),
        (lambda: sn.cost_grad(X, [[0], [1, 1], [0], [1]], P), r"y must be a 1-D array of integer labels; got list"),
        (lambda: sn.numerical_grad(sn.cost, [P["W1"]]), r"^params must be a non-empty dict of arrays$"),
        (lambda: sn.init_params(3, 2, 0), r"output_size must be an integer >= 1; got 0"),
        (lambda: sn.one_in_k_encoding([0, 1], 0), r"^k must be an integer >= 1; got 0$"),
        (lambda: sn.one_in_k_encoding(1, 3), r"y must be 1-D \(n,\); got shape \(\)"),
        (lambda: sn.one_in_k_encoding([[0, 1]], 3), r"y must be 1-D \(n,\); got shape \(1, 2\)"),
        (
            lambda: sn.numerical_grad(lambda p: 0.0, {"W1": np.ones((2, 2), dtype=int)}),
            r"params\['W1'\] must be floating point; got int64",
        ),
        (lambda: sn.normwise_rel_err(np.zeros(3), np.zeros(4)), r"shapes differ: \(3,\) vs \(4,\)"),
        (
            lambda: tr.linear_to_course(torch.zeros(3, 4), torch.zeros(4)),
            r"bias shape \(4,\) does not match weight \(3, 4\)",
        ),
        (lambda: np_trainer().step(np.array([0, 4])), r"batch rows must lie in \[0, 4\); got 4"),
        (lambda: np_trainer().step(np.array([-1, 0])), r"batch rows must lie in \[0, 4\); got -1"),
        (lambda: np_trainer().step(np.array([0.0, 1.0])), r"batch rows must be a non-empty 1-D integer array"),
        (lambda: np_trainer().step(np.array([], dtype=int)), r"got int64 of shape \(0,\)"),
        (lambda: np_trainer().step(np.zeros((2, 1), dtype=int)), r"got int64 of shape \(2, 1\)"),
        (lambda: torch_trainer().step(np.array([0, 7])), r"batch rows must lie in \[0, 4\); got 7"),
        (lambda: tr.check_device("meta"), r"device must be 'cpu' or 'cuda'; got 'meta'"),
        (lambda: tr.check_device("tpu"), r"device must be 'cpu' or 'cuda'; got 'tpu'"),
    ],
)
def test_other_entry_points_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_integral_float_labels_and_integer_X_are_accepted():
    cost_a, _ = sn.cost_grad(X, Y.astype(np.float64), P)
    cost_b, _ = sn.cost_grad(X, Y, P)
    assert cost_a == cost_b
    assert sn.forward(np.ones((2, 3), dtype=np.uint8), P).dtype == np.float64
