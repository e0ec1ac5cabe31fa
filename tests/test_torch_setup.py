"""parity_run.torch_setup: the flags in force, and what the deterministic one changes here (nothing, on the CPU)."""

import numpy as np
import pytest
import torch

import scratch_net as sn
import torch_ref as tr
from parity_run import torch_setup


@pytest.fixture
def deterministic_flag_restored():
    before = torch.are_deterministic_algorithms_enabled()
    yield
    torch.use_deterministic_algorithms(before)


def test_configure_torch_reports_what_is_in_force(deterministic_flag_restored):
    settings = torch_setup.configure_torch("cpu")
    assert settings == {"torch_threads": 1, "deterministic_algorithms": True, "tf32_matmul": False, "tf32_cudnn": False}
    assert torch.are_deterministic_algorithms_enabled() and not torch.is_deterministic_algorithms_warn_only_enabled()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_on_the_cpu_the_flag_changes_no_bit_of_a_lockstep(dtype, deterministic_flag_restored):
    """With it off and on, every number of a run is the same."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(150, 20)), np.arange(150) % 4
    init = sn.init_params(20, 16, 4, seed=0, dtype=dtype)
    config = sn.TrainConfig(batch_size=16, lr=0.1, c=1e-4, epochs=2, seed=0)
    runs = []
    for flag in (False, True):
        torch.use_deterministic_algorithms(flag)
        runs.append(tr.lockstep(X, y, X[:30], y[:30], init, config))
    off, on = runs
    assert (off.divergence, off.scratch_cost, off.torch_cost) == (on.divergence, on.scratch_cost, on.torch_cost)
    assert off.torch.history == on.torch.history
    for key in sn.PARAM_KEYS:
        assert off.torch_final[key].tobytes() == on.torch_final[key].tobytes(), key
