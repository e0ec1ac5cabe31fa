"""Weights cross between the layouts bit-exactly, and scratch_net never imports torch."""

import subprocess
import sys

import numpy as np
import pytest
import torch

import scratch_net as sn
import torch_ref as tr


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_is_bit_exact_and_keeps_dtype(dtype):
    params = sn.init_params(7, 5, 3, seed=1, dtype=dtype)
    params["b1"] = np.random.default_rng(0).normal(size=(1, 5)).astype(dtype)
    net = tr.TorchNet.from_params(params)
    assert net.fc1.weight.dtype == tr.model.TORCH_DTYPES[np.dtype(dtype)]
    back = net.to_params()
    for key in sn.PARAM_KEYS:
        assert back[key].dtype == dtype and back[key].shape == params[key].shape
        assert back[key].tobytes() == params[key].tobytes(), f"{key} changed in the round trip"


def test_layout_is_transposed_into_nn_linear():
    params = sn.init_params(4, 3, 2, seed=2)
    net = tr.TorchNet.from_params(params)
    assert tuple(net.fc1.weight.shape) == (3, 4)
    np.testing.assert_array_equal(net.fc1.weight.detach().numpy(), params["W1"].T)
    np.testing.assert_array_equal(net.fc2.bias.detach().numpy(), params["b2"][0])


def test_from_torch_weights_and_back_is_bit_exact():
    torch.manual_seed(0)
    net = tr.TorchNet(6, 4, 3).double()
    again = tr.TorchNet.from_params(net.to_params())
    for a, b in zip(net.parameters(), again.parameters()):
        assert torch.equal(a, b)


def test_course_to_linear_checks_shapes():
    with pytest.raises(ValueError, match=r"do not fit nn.Linear\(4, 3\)"):
        tr.course_to_linear(np.zeros((3, 4)), np.zeros((1, 3)), torch.nn.Linear(4, 3).double())


def test_importing_scratch_net_does_not_import_torch():
    code = "import sys, scratch_net; assert 'torch' not in sys.modules, 'torch was imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
