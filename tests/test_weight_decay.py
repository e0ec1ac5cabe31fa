"""The weight-decay term on its own: cost c*(sum W1^2 + sum W2^2), gradient 2cW, biases free."""

import numpy as np
import pytest
import torch
from parity_helpers import assert_close, make_problem

import scratch_net as sn
import torch_ref as tr

IMPLEMENTATIONS = {"scratch_net": sn.cost_grad, "torch_ref": tr.cost_grad}


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("c", [1e-4, 0.5, 3.0])
def test_decay_adds_2cW_to_weights_and_nothing_to_biases(impl, dtype, c):
    cost_grad = IMPLEMENTATIONS[impl]
    X, y, params = make_problem(20, 7, 5, 3, dtype=dtype, seed=11)
    cost0, grads0 = cost_grad(X, y, params, 0.0)
    cost_c, grads_c = cost_grad(X, y, params, c)
    for key in ("W1", "W2"):
        # the decay part is an O(1) * c difference; compare relative to the full gradient
        decay = grads_c[key] - grads0[key]
        expected = 2 * c * params[key].astype(np.float64)
        scale = np.max(np.abs(grads_c[key]))
        err = np.max(np.abs(decay - expected)) / scale
        assert err <= sn.tolerance(dtype), f"{key}: grads(c)-grads(0) is not 2cW (err {err:.3g})"
    for key in ("b1", "b2"):
        np.testing.assert_array_equal(grads_c[key], grads0[key], err_msg=f"{key} must not be decayed")
    penalty = c * sum(np.sum(params[k].astype(np.float64) ** 2) for k in ("W1", "W2"))
    assert_close("cost(c) - cost(0)", cost_c - cost0, penalty, dtype, floor=cost_c)


def test_torch_sgd_weight_decay_2c_on_weights_equals_explicit_penalty():
    """Documents the optimizer convention: SGD(weight_decay=2c) on the weights only, c=0 in
    the loss, takes the same step as plain SGD on the cost with the penalty c*||W||^2."""
    c, lr = 0.05, 0.1
    X, y, params = make_problem(16, 6, 5, 3, seed=4)
    Xt, yt = tr.to_tensors(X, y, np.float64)

    explicit = tr.TorchNet.from_params(params)
    opt = torch.optim.SGD(explicit.parameters(), lr=lr)
    opt.zero_grad()
    tr.cost(explicit, Xt, yt, c).backward()
    opt.step()

    decoupled = tr.TorchNet.from_params(params)
    biases = [decoupled.fc1.bias, decoupled.fc2.bias]
    opt = torch.optim.SGD(
        [
            {"params": tr.weight_parameters(decoupled), "weight_decay": 2 * c},
            {"params": biases, "weight_decay": 0.0},
        ],
        lr=lr,
    )
    opt.zero_grad()
    tr.cost(decoupled, Xt, yt, 0.0).backward()
    opt.step()

    after_explicit, after_decoupled = explicit.to_params(), decoupled.to_params()
    for key in sn.PARAM_KEYS:
        assert_close(key, after_decoupled[key], after_explicit[key], np.float64)
    # and the convention matters: weight_decay=c (the common slip) is a different step
    assert not np.allclose(after_decoupled["W1"] - params["W1"], 0.5 * (after_explicit["W1"] - params["W1"]))


def test_scratch_step_equals_torch_sgd_step_with_penalty():
    c, lr = 0.05, 0.1
    X, y, params = make_problem(16, 6, 5, 3, seed=5)
    _, grads = sn.cost_grad(X, y, params, c)
    stepped = {k: params[k] - lr * grads[k] for k in params}
    net = tr.TorchNet.from_params(params)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    tr.cost(net, *tr.to_tensors(X, y, np.float64), c).backward()
    opt.step()
    for key, value in net.to_params().items():
        assert_close(key, stepped[key], value, np.float64)
