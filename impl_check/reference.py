"""The reference values of a probe, and the nets that the catalogue's mistakes describe.

The reference is ``torch_ref.cost_grad`` (autograd, float64).  A mistaken net
is a :class:`Variant`: the spec's net with some of its parts changed.  Its
cost and gradients are computed in two stages:

- :func:`data_part`, by torch autograd: the mean cross-entropy of the net
  with the variant's *structure* (targets, hidden activation, ReLU
  derivative) at c = 0.  The straight-through trick lets the backward pass
  use a derivative other than the forward's (a wrong ReLU mask), and the
  loss ``mean(logsumexp(z2) - Σ T·z2)`` has the gradient ``(softmax - T)/n``
  for any target matrix T, which is what code computing ``P - T`` does.
- :func:`assemble`, in NumPy, cheap: the reductions (sum or mean) of the cost
  and of the gradients, the cost's
  log (log-softmax, ``log(p + eps)`` or ``log(clip(p, eps))``), the weight
  decay in the cost and in the gradients, a factor on every gradient, and
  the layout the gradients come back in.

So "the user's file equals the net with this mistake" is a numerical test on
every probe, never a reading of the source.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

import numpy as np
import torch

import torch_ref
from scratch_net import PARAM_KEYS, Params

COEFFICIENTS: dict[str, Callable[[float, int], float]] = {
    "0": lambda c, n: 0.0,
    "c": lambda c, n: c,
    "2c": lambda c, n: 2 * c,
    "4c": lambda c, n: 4 * c,
    "c/2": lambda c, n: c / 2,
    "c/n": lambda c, n: c / n,
    "2c/n": lambda c, n: 2 * c / n,
    "c/(2n)": lambda c, n: c / (2 * n),
}
"""Weight-decay coefficients by name, as functions of (c, n); "spec" stands for the convention's."""

CONVENTIONS = {"full": ("c", "2c"), "half": ("c/2", "c")}
"""The penalty conventions: (coefficient of ΣW² in the cost, coefficient of W in its gradient).

``full`` is the spec's c·ΣW² with gradient 2c·W; ``half`` is (c/2)·ΣW² with
gradient c·W, the convention of many courses and textbooks.  Under ``half``
the reference is the spec's net at c/2.
"""

INTERFACES = ("course", "cs231n")
"""course: cost_grad(X, y, params, c), biases (1, h) and (1, k); cs231n: TwoLayerNet.loss, biases (h,) and (k,)."""
FUNCTION = {"course": "cost_grad", "cs231n": "TwoLayerNet.loss"}
"""The function checked, by interface, as messages name it."""

TARGETS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "one-hot": lambda y, k: np.eye(k)[y],
    "shift+1": lambda y, k: np.eye(k)[(y + 1) % k],
    "shift-1": lambda y, k: np.eye(k)[(y - 1) % k],
    # the label values themselves, broadcast across the k columns: P - y[:, None]
    "raw": lambda y, k: np.repeat(y[:, None].astype(np.float64), k, axis=1),
    # a 1 in every column whose class occurs anywhere in the batch: Y[arange(n)[:, None], y] = 1
    "present": lambda y, k: np.repeat(np.isin(np.arange(k), y)[None, :].astype(np.float64), len(y), axis=0),
}
"""The target matrix T (n, k) that replaces one-hot(y), by name."""

ACTIVATIONS = ("relu", "leaky", "sigmoid", "tanh")
RELU_GRADS = ("mask", "one", "activation", "inverted")
"""The ReLU derivative: the right 0/1 mask (z1 > 0), 1 everywhere, relu(z1) itself, or (z1 < 0)."""


def _other_bias_shape(b: np.ndarray) -> np.ndarray:
    """(h,) for (1, h) and (1, h) for (h,): the bias shape of the other interface."""
    return b.reshape(-1) if b.ndim == 2 else b.reshape(1, -1)


def _column(b: np.ndarray) -> np.ndarray:
    """(h, 1): a bias as a column, as code that keeps samples in columns returns it."""
    return np.reshape(b, (-1, 1))


LAYOUTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "W1.T": lambda g: {**g, "W1": g["W1"].T},
    "W2.T": lambda g: {**g, "W2": g["W2"].T},
    "swap W": lambda g: {**g, "W1": g["W2"], "W2": g["W1"]},
    "swap W.T": lambda g: {**g, "W1": g["W2"].T, "W2": g["W1"].T},
    "swap b": lambda g: {**g, "b1": g["b2"], "b2": g["b1"]},
    "b1 shape": lambda g: {**g, "b1": _other_bias_shape(g["b1"])},
    "b2 shape": lambda g: {**g, "b2": _other_bias_shape(g["b2"])},
    "b1 column": lambda g: {**g, "b1": _column(g["b1"])},
    "b2 column": lambda g: {**g, "b2": _column(g["b2"])},
}
"""How the gradients come back, by name: transposed, under each other's keys, or with the other bias shape."""


@dataclass(frozen=True)
class Variant:
    """The spec's net with some parts changed; the defaults are the spec."""

    targets: str = "one-hot"  # a key of TARGETS: the T in the gradient (P - T)/n
    targets_in_cost: bool = True  # the cost is -Σ T·log p / n (False: the right cross-entropy, T only in the gradient)
    activation: str = "relu"  # one of ACTIVATIONS
    slope: float = 0.0  # leaky ReLU's slope for z < 0
    relu_grad: str = "mask"  # one of RELU_GRADS (with the ReLU forward)
    reduction: str = "mean"  # or "sum": the cross-entropy over the samples, in the cost
    grad_reduction: str = "mean"  # or "sum": the cross-entropy part of the gradients (not divided by n)
    log_eps: float = 0.0  # > 0: the cost takes -log(p + log_eps)
    clip_eps: float = 0.0  # > 0: the cost takes -log(max(p, clip_eps))
    decay_cost: str = "spec"  # coefficient of ΣW² in the cost (a key of COEFFICIENTS, or the convention's)
    decay_grad: str = "spec"  # coefficient of W in its gradient
    bias_decay_cost: str = "0"  # coefficient of Σb² in the cost ("spec": the weights' convention)
    bias_decay_grad: str = "0"  # coefficient of b in its gradient
    grad_scale: float = 1.0  # every gradient times this
    zero_grads: bool = False  # the template's zeros instead of gradients
    const_cost: float | None = None  # the template's constant instead of the cost
    layout: tuple[str, ...] = ()  # keys of LAYOUTS, applied in order
    precision: str = "float64"  # "float32": the spec's values, judged at single precision
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def resolved(self, convention: str) -> Variant:
        """The variant with every "spec" coefficient replaced by the convention's."""
        return _resolved(self, convention)

    @property
    def structure(self) -> tuple[str, str, float, str]:
        """The fields that need autograd; the rest is applied by :func:`assemble`."""
        return (self.targets, self.activation, self.slope, self.relu_grad)


@functools.lru_cache(maxsize=4096)  # the engine's search resolves the same variants again and again
def _resolved(variant: Variant, convention: str) -> Variant:
    cost, grad = CONVENTIONS[convention]

    def own(value: str, spec: str) -> str:
        return spec if value == "spec" else value

    return replace(
        variant,
        decay_cost=own(variant.decay_cost, cost),
        decay_grad=own(variant.decay_grad, grad),
        bias_decay_cost=own(variant.bias_decay_cost, cost),
        bias_decay_grad=own(variant.bias_decay_grad, grad),
    )


SPEC = Variant()


def reference(X: np.ndarray, y: np.ndarray, params: Params, c: float, convention: str = "full") -> tuple[float, Params]:
    """``torch_ref.cost_grad``: cost and grads (keys W1, b1, W2, b2, course layout) under the penalty convention.

    ``half``'s (c/2)·ΣW² with gradient c·W is the spec's c·ΣW² at c/2.
    """
    return torch_ref.cost_grad(X, y, params, c if convention == "full" else c / 2)


def interface_layout(values: dict[str, Any], interface: str) -> dict[str, Any]:
    """Course-layout values in the interface's layout: cs231n's biases are (h,) and (k,)."""
    if interface == "course":
        return values
    return {**values, "b1": np.reshape(values["b1"], -1), "b2": np.reshape(values["b2"], -1)}


@dataclass(frozen=True)
class DataPart:
    """The mean cross-entropy part of a net (c = 0), and what :func:`assemble` needs besides."""

    grads: Params  # W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k)
    logp: np.ndarray  # (n, k) log-softmax of the variant's logits
    targets: np.ndarray  # (n, k) the target matrix T
    onehot: np.ndarray  # (n, k) one-hot(y)


_THREADS = threading.Lock()


@contextmanager
def _one_thread() -> Iterator[None]:
    """torch on one thread: on nets this small its thread pool only costs (a log-softmax takes 2 ms with two threads
    on a busy machine, 5 µs on one); the number is restored after, one caller at a time (a class is checked in
    threads)."""
    with _THREADS:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(threads)


def data_part(X: np.ndarray, y: np.ndarray, params: Params, structure: tuple[str, str, float, str]) -> DataPart:
    """Mean cross-entropy of the net with ``structure`` (targets, activation, slope, relu_grad), by autograd.

    Parameters
    ----------
    X : (n, d); y : (n,); params : course layout.
    structure : :attr:`Variant.structure`.

    Returns
    -------
    DataPart
        the gradients at c = 0 of mean(logsumexp(z2) - Σ T·z2), which are (softmax(z2) - T)/n
        backpropagated, and log-softmax(z2), T and one-hot(y) for the cost.
    """
    with _one_thread():
        return _data_part(X, y, params, structure)


def _data_part(X: np.ndarray, y: np.ndarray, params: Params, structure: tuple[str, str, float, str]) -> DataPart:
    targets, activation, slope, relu_grad = structure
    net = torch_ref.TorchNet.from_params(params)
    Xt, _ = torch_ref.to_tensors(X, y, np.dtype(np.float64))
    k = params["W2"].shape[1]
    T_np = TARGETS[targets](np.asarray(y), k)
    T = torch.from_numpy(T_np)
    z1 = net.fc1(Xt)  # (n, h)
    if activation == "relu":
        fixed = z1.detach()
        derivative = {
            "mask": (fixed > 0).double(),
            "one": torch.ones_like(fixed),
            "activation": torch.relu(fixed),
            "inverted": (fixed < 0).double(),
        }[relu_grad]
        # forward value relu(z1), derivative `derivative`: the straight-through trick
        a1 = torch.relu(fixed) + derivative * z1 - (derivative * z1).detach()
    elif activation == "leaky":
        a1 = torch.nn.functional.leaky_relu(z1, negative_slope=slope)
    elif activation == "sigmoid":
        a1 = torch.sigmoid(z1)
    else:
        a1 = torch.tanh(z1)
    z2 = net.fc2(a1)  # (n, k)
    loss = torch.mean(torch.logsumexp(z2, dim=1) - (T * z2).sum(dim=1))
    loss.backward()
    logp = torch.log_softmax(z2.detach(), dim=1).numpy()
    return DataPart(net.grads_to_params(), logp, T_np, TARGETS["one-hot"](np.asarray(y), k))


def assemble(
    variant: Variant, part: DataPart, params: Params, c: float, n: int, convention: str = "full"
) -> dict[str, Any]:
    """Cost and gradients of ``variant`` from its data part: what a file with that mistake returns.

    Returns
    -------
    dict
        cost (float) and W1, b1, W2, b2 in the course layout; see :func:`apply_layout`.
    """
    variant = variant.resolved(convention)
    factor = float(n) if variant.reduction == "sum" else 1.0
    grad_factor = float(n) if variant.grad_reduction == "sum" else 1.0
    T = part.targets if variant.targets_in_cost else part.onehot
    if variant.log_eps > 0:
        data_cost = float(-np.sum(T * np.log(np.exp(part.logp) + variant.log_eps)) / n)
    elif variant.clip_eps > 0:
        data_cost = float(-np.sum(T * np.log(np.clip(np.exp(part.logp), variant.clip_eps, None))) / n)
    else:
        data_cost = float(-np.sum(T * part.logp) / n)
    sum_w = sum(float(np.vdot(params[key], params[key])) for key in ("W1", "W2"))
    sum_b = sum(float(np.vdot(params[key], params[key])) for key in ("b1", "b2"))
    cost = (
        factor * data_cost
        + COEFFICIENTS[variant.decay_cost](c, n) * sum_w
        + COEFFICIENTS[variant.bias_decay_cost](c, n) * sum_b
    )
    out: dict[str, Any] = {"cost": cost if variant.const_cost is None else variant.const_cost}
    for key in PARAM_KEYS:
        decay = COEFFICIENTS[variant.decay_grad if key.startswith("W") else variant.bias_decay_grad](c, n)
        grad = variant.grad_scale * (grad_factor * part.grads[key] + decay * params[key])
        out[key] = np.zeros_like(grad) if variant.zero_grads else grad
    return out


def apply_layout(variant: Variant, values: dict[str, Any], interface: str) -> dict[str, Any]:
    """The values as a file of ``interface`` with ``variant``'s layout mistakes returns them."""
    out = interface_layout(values, interface)
    for name in variant.layout:
        out = LAYOUTS[name](out)
    return out


def softmax_rows(Z: np.ndarray) -> np.ndarray:
    """``torch.softmax`` over each row of Z (n, k)."""
    return torch.softmax(torch.from_numpy(np.asarray(Z, dtype=np.float64)), dim=1).numpy()
