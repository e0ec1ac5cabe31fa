"""The same net as a ``torch.nn`` model, and the one place where weights cross.

``nn.Linear`` stores ``weight (out, in)`` and ``bias (out,)``; the course
layout stores ``W (in, out)`` and ``b (1, out)``.  :func:`course_to_linear`
and :func:`linear_to_course` are the only two places that convert between
them; every copy checks its shape.  The round trip is bit-exact (a transpose
and a reshape copy values, they never round).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike
from torch import nn

from scratch_net import PARAM_KEYS, Params
from scratch_net.checks import check_params, check_problem, check_X

TORCH_DTYPES = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}
LAYERS = (("fc1", "W1", "b1"), ("fc2", "W2", "b2"))
"""Which nn.Linear holds which course parameters."""


def course_to_linear(W: np.ndarray, b: np.ndarray, linear: nn.Linear) -> None:
    """Copy course ``W (in,out)``, ``b (1,out)`` into ``linear`` (weight (out,in), bias (out,))."""
    out_features, in_features = linear.weight.shape
    if W.shape != (in_features, out_features) or b.shape != (1, out_features):
        raise ValueError(
            f"W {W.shape} and b {b.shape} do not fit nn.Linear({in_features}, {out_features}); "
            f"expected W {(in_features, out_features)} and b {(1, out_features)}"
        )
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
        linear.bias.copy_(torch.from_numpy(b.reshape(out_features)))


def linear_to_course(weight: torch.Tensor, bias: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Course ``W (in,out)``, ``b (1,out)`` from ``weight (out,in)``, ``bias (out,)`` (or their grads)."""
    out_features = weight.shape[0]
    if bias.shape != (out_features,):
        raise ValueError(f"bias shape {tuple(bias.shape)} does not match weight {tuple(weight.shape)}")
    W = weight.detach().cpu().numpy().T.copy()  # (in, out)
    b = bias.detach().cpu().numpy().reshape(1, out_features).copy()  # (1, out)
    return W, b


class TorchNet(nn.Module):
    """``fc1 -> ReLU -> fc2``: the torch twin of ``scratch_net``.

    Parameters
    ----------
    input_dim, hidden_size, output_size : d, h, k.
    """

    def __init__(self, input_dim: int, hidden_size: int, output_size: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_size)
        self.fc2 = nn.Linear(hidden_size, output_size)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """(n, d) -> (n, k) logits."""
        return self.fc2(torch.relu(self.fc1(X)))

    @classmethod
    def from_params(cls, params: Params, *, device: str | torch.device = "cpu") -> TorchNet:
        """A net holding exactly ``params`` (course layout), in their dtype, on ``device``."""
        d, h, k, dtype = check_params(params)
        net = cls(d, h, k).to(dtype=TORCH_DTYPES[dtype])
        for layer, w_key, b_key in LAYERS:
            course_to_linear(params[w_key], params[b_key], getattr(net, layer))
        return net.to(device)

    def to_params(self) -> Params:
        """The parameters in the course layout, as NumPy arrays of the net's dtype."""
        return self._collect(lambda p: p)

    def grads_to_params(self) -> Params:
        """The ``.grad`` of each parameter, in the course layout."""
        return self._collect(lambda p: p.grad)

    def _collect(self, pick) -> Params:  # type: ignore[no-untyped-def]
        out: Params = {}
        for layer, w_key, b_key in LAYERS:
            linear = getattr(self, layer)
            out[w_key], out[b_key] = linear_to_course(pick(linear.weight), pick(linear.bias))
        return out


def weight_parameters(net: TorchNet) -> list[torch.Tensor]:
    """The decayed parameters (``fc1.weight``, ``fc2.weight``); biases are not decayed."""
    return [net.fc1.weight, net.fc2.weight]


def cost(net: TorchNet, X: torch.Tensor, y: torch.Tensor, c: float) -> torch.Tensor:
    """``F.cross_entropy`` (mean) + c * (||fc1.weight||^2 + ||fc2.weight||^2)."""
    penalty = sum(torch.sum(w * w) for w in weight_parameters(net))
    return F.cross_entropy(net(X), y) + c * penalty


def to_tensors(
    X: np.ndarray, y: np.ndarray, dtype: np.dtype, device: str | torch.device = "cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Checked NumPy (X, y) as torch tensors of ``dtype`` and int64 on ``device``."""
    return (
        torch.from_numpy(np.ascontiguousarray(X, dtype=dtype)).to(device),
        torch.from_numpy(np.asarray(y, dtype=np.int64)).to(device),
    )


def cost_grad(X: ArrayLike, y: ArrayLike, params: Params, c: float = 0.0) -> tuple[float, Params]:
    """Same contract as ``scratch_net.cost_grad``, computed by torch autograd.

    Returns
    -------
    cost : float
    grads : dict with keys W1, b1, W2, b2 in the course layout and the params' dtype.
    """
    X_arr, y_arr, c = check_problem(X, y, params, c)
    net = TorchNet.from_params(params)
    Xt, yt = to_tensors(X_arr, y_arr, params["W1"].dtype)
    loss = cost(net, Xt, yt, c)
    loss.backward()
    return float(loss.item()), net.grads_to_params()


def forward(X: ArrayLike, params: Params) -> np.ndarray:
    """Logits (n, k) computed by torch, as NumPy in the params' dtype."""
    d, _, _, dtype = check_params(params)
    X_arr = check_X(X, d, dtype)
    net = TorchNet.from_params(params)
    with torch.no_grad():
        return net(torch.from_numpy(np.ascontiguousarray(X_arr))).numpy()


__all__ = [
    "PARAM_KEYS",
    "TorchNet",
    "cost",
    "cost_grad",
    "course_to_linear",
    "forward",
    "linear_to_course",
    "to_tensors",
    "weight_parameters",
]
