"""scratch_net and torch_ref agree: forward, cost and every gradient, both dtypes."""

import numpy as np
import pytest
from parity_helpers import assert_parity, make_problem

SHAPES = [  # (n, d, h, k)
    (1, 1, 1, 2),
    (1, 5, 3, 2),
    (7, 1, 4, 3),
    (5, 6, 1, 4),
    (33, 13, 17, 2),
    (256, 784, 256, 10),  # the seed's size
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("c", [0.0, 1e-4, 1.0])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "n{}-d{}-h{}-k{}".format(*s))
def test_forward_cost_and_grads_match_torch(shape, c, dtype):
    X, y, params = make_problem(*shape, dtype=dtype, seed=sum(shape))
    assert_parity(X, y, params, c)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", [1e-3, 10.0, 300.0])
def test_grads_match_at_other_scales(scale, dtype):
    X, y, params = make_problem(40, 8, 6, 5, dtype=dtype, seed=3, scale=scale)
    assert_parity(X, y, params, 1e-4)
