"""Reference values for the probes, and references for the hypotheses that explain a bug.

The reference is ``torch_ref.cost_grad`` (autograd, float64).  A hypothesis
is the same autograd computation with one thing changed -- the targets, or
the derivative used for the ReLU -- so that "the user's gradient equals the
gradient of this mistaken net" is a numerical test, not a reading of source.
"""

from __future__ import annotations

import numpy as np
import torch

import torch_ref
from scratch_net import Params

RELU_GRADS = ("mask", "one", "activation", "inverted")
"""The ReLU derivative: the right 0/1 mask (z1 > 0), 1 everywhere, relu(z1) itself, or (z1 < 0)."""


def reference(X: np.ndarray, y: np.ndarray, params: Params, c: float) -> tuple[float, Params]:
    """``torch_ref.cost_grad``: cost and grads (keys W1, b1, W2, b2) of the spec's net."""
    return torch_ref.cost_grad(X, y, params, c)


def probabilities(X: np.ndarray, params: Params) -> np.ndarray:
    """Softmax of the reference logits, (n, k)."""
    return torch.softmax(torch.from_numpy(torch_ref.forward(X, params)), dim=1).numpy()


def hypothesis(
    X: np.ndarray,
    y: np.ndarray,
    params: Params,
    c: float,
    *,
    targets: np.ndarray | None = None,
    relu_grad: str = "mask",
) -> tuple[float, Params]:
    """Cost and grads of the net with one thing changed.

    Parameters
    ----------
    X, y, params, c : the problem.
    targets : (n, k) target matrix T replacing one-hot(y).  The loss is
        mean(logsumexp(z2) - sum(T * z2)), whose gradient in z2 is
        (softmax(z2) - T) / n for any T: what code computing ``P - T`` does.
    relu_grad : one of ``RELU_GRADS``; the forward pass is always the true ReLU.

    Returns
    -------
    cost : float
    grads : dict W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k).
    """
    net = torch_ref.TorchNet.from_params(params)
    Xt, yt = torch_ref.to_tensors(X, y, np.dtype(np.float64))
    k = params["W2"].shape[1]
    T = torch.nn.functional.one_hot(yt, k).double() if targets is None else torch.from_numpy(targets)
    z1 = net.fc1(Xt)  # (n, h)
    fixed = z1.detach()
    slope = {
        "mask": (fixed > 0).double(),
        "one": torch.ones_like(fixed),
        "activation": torch.relu(fixed),
        "inverted": (fixed < 0).double(),
    }[relu_grad]
    # forward value relu(z1), derivative `slope`: the straight-through trick
    a1 = torch.relu(fixed) + slope * z1 - (slope * z1).detach()
    z2 = net.fc2(a1)  # (n, k)
    loss = torch.mean(torch.logsumexp(z2, dim=1) - (T * z2).sum(dim=1))
    loss = loss + c * sum(torch.sum(w * w) for w in torch_ref.weight_parameters(net))
    loss.backward()
    return float(loss.item()), net.grads_to_params()


def softmax_rows(Z: np.ndarray) -> np.ndarray:
    """``torch.softmax`` over each row of Z (n, k)."""
    return torch.softmax(torch.from_numpy(np.asarray(Z, dtype=np.float64)), dim=1).numpy()
