"""scratch_net and torch_ref agree: forward, cost and every gradient, both dtypes."""

import numpy as np
import pytest
import torch
from parity_helpers import assert_close, assert_parity, make_problem

import scratch_net as sn
import torch_ref as tr
from scratch_net.tolerance import COST_FLOOR

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


@pytest.fixture
def no_tf32():
    """TF32 off for the test (float32 parity needs true float32 products), restored after."""
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("c", [0.0, 1e-4])
def test_forward_cost_and_grads_match_torch_on_cuda(c, dtype, no_tf32):
    X, y, params = make_problem(256, 784, 256, 10, dtype=dtype, seed=7)
    net = tr.TorchNet.from_params(params, device="cuda")
    assert net.fc1.weight.is_cuda
    Xt, yt = tr.to_tensors(X, y, np.dtype(dtype), "cuda")
    loss = tr.cost(net, Xt, yt, c)
    loss.backward()
    with torch.no_grad():
        logits_t = net(Xt).cpu().numpy()
    assert_close("logits", sn.forward(X, params), logits_t, dtype)
    cost_np, grads_np = sn.cost_grad(X, y, params, c)
    assert_close("cost", cost_np, float(loss.item()), dtype, floor=COST_FLOOR)
    grads_t = net.grads_to_params()
    for key in sn.PARAM_KEYS:
        assert_close(f"grad {key}", grads_np[key], grads_t[key], dtype)
