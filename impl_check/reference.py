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
import operator
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator

import numpy as np

from scratch_net import PARAM_KEYS, Params

if TYPE_CHECKING:
    import torch

# torch (and torch_ref, which imports it) is imported where a reference is first computed, not with this module:
# a command that stops at a bad argument (compare.py check --impl nowhere/) answers without its 2 s import.

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
RELU_GRADS = ("mask", "one", "activation", "inverted", "upstream", "without bias")
"""The ReLU derivative: the right 0/1 mask (z1 > 0), 1 everywhere, relu(z1) itself, (z1 < 0), or a mask taken from
the wrong tensor: the upstream gradient (dz2·W2ᵀ > 0) or X·W1 without the bias (X·W1 > 0)."""

DIVISORS: dict[str, Callable[[int, int], float]] = {
    "mean": lambda n, k: float(n),
    "sum": lambda n, k: 1.0,
    "n²": lambda n, k: float(n * n),
    "k": lambda n, k: float(k),
    "n·k": lambda n, k: float(n * k),
}
"""What the cross-entropy is divided by, in the cost (``reduction``) or in the gradients (``grad_reduction``):
the mean over the n samples (the spec), nothing, n twice, the k classes, or every one of the n·k entries."""

BIAS_SUMS = ("rows", "mean", "columns", "columns flat")
"""How a bias gradient reduces its (n, width) upstream gradient: the sum over the samples (the spec), their mean,
the sum over each row (axis=1, keepdims=True: (n, 1)) or the same without keepdims ((n,))."""

STRUCTURE_DEFAULTS = (1, "same", "a1", "none", "a1", "dz1", "dz1", "rows", "rows")
"""The spec's values of the generated steps in :attr:`Variant.structure` (after targets, activation, slope and
relu_grad): softmax_axis, max_axis, z2_input, scores_activation, w2_input, w1_grad_from, b1_grad_from, b1_sum,
b2_sum."""


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
    reduction: str = "mean"  # a key of DIVISORS: the cross-entropy over the samples, in the cost ("sum": not divided)
    grad_reduction: str = "mean"  # a key of DIVISORS: the cross-entropy part of the gradients
    softmax_axis: int = 1  # 0: the softmax normalises each column (over the samples), not each row
    max_axis: str = "same"  # "other": the max subtracted over the other axis (each column's, for the rows' softmax)
    z2_input: str = "a1"  # "z1": the output layer is fed the pre-activation X·W1 + b1, not relu of it
    scores_activation: str = "none"  # "relu": the scores are relu(a1·W2 + b2) in the forward pass (not the backward)
    w2_input: str = "a1"  # "z1": d_w2 = z1ᵀ·dz2, from the pre-activation
    w1_grad_from: str = "dz1"  # "da1": d_w1 = Xᵀ·(dz2·W2ᵀ), taken before the ReLU mask
    b1_grad_from: str = "dz1"  # "da1": d_b1 summed from dz2·W2ᵀ, before the ReLU mask
    b1_sum: str = "rows"  # one of BIAS_SUMS: how d_b1 reduces over the samples
    b2_sum: str = "rows"  # one of BIAS_SUMS: how d_b2 reduces over the samples
    decay_weights: str = "W1 W2"  # the weight matrices decayed (cost and gradient): "W1 W2", "W1" or "W2"
    decay_norm: str = "L2"  # "L1": the cost adds coefficient·Σ|W| and the gradient coefficient·sign(W)
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

    def __hash__(self) -> int:
        # the generated hash (of the compared fields, in order), computed once: the engine's search keys its caches
        # on variants, and hashing thirty fields every time was a tenth of its time
        try:
            return int(self.__dict__["_hash"])
        except KeyError:
            value = self.__dict__["_hash"] = hash(_compared(self.__dict__))
            return value

    def __getstate__(self) -> dict[str, Any]:
        """Without the cached hash: a string's hash differs from one process to the next."""
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    @property
    def structure(self) -> tuple[Any, ...]:
        """The fields of the data part (:func:`data_part`); the rest is applied by :func:`assemble`."""
        return (
            self.targets,
            self.activation,
            self.slope,
            self.relu_grad,
            self.softmax_axis,
            self.max_axis,
            self.z2_input,
            self.scores_activation,
            self.w2_input,
            self.w1_grad_from,
            self.b1_grad_from,
            self.b1_sum,
            self.b2_sum,
        )


_FIELDS = frozenset(f.name for f in fields(Variant))
_compared = operator.itemgetter(*(f.name for f in fields(Variant) if f.compare))
"""The compared fields' values, in order, from a variant's ``__dict__``: what the generated hash hashes."""


def changed(variant: Variant, changes: dict[str, Any]) -> Variant:
    """``dataclasses.replace(variant, **changes)``, several times faster (the engine's search makes variants by the
    hundred thousand): the same fields, ``extra`` the same object, nothing else run (Variant has no __post_init__).

    Raises
    ------
    TypeError
        naming a key that is not a field of Variant, as ``replace`` does.
    """
    unknown = changes.keys() - _FIELDS
    if unknown:
        raise TypeError(f"Variant has no field(s) {sorted(unknown)}")
    new = object.__new__(Variant)
    state = new.__dict__
    state.update(variant.__dict__)
    state.pop("_hash", None)
    state.update(changes)
    return new


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
    import torch_ref

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
    import torch

    with _THREADS:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(threads)


def data_part(X: np.ndarray, y: np.ndarray, params: Params, structure: tuple[Any, ...]) -> DataPart:
    """Mean cross-entropy of the net with ``structure`` (:attr:`Variant.structure`), by autograd.

    A structure with a generated step changed (:data:`STRUCTURE_DEFAULTS`) or the mask from the upstream
    gradient is the spec's forward and backward pass written out step by step instead (:func:`_steps`), the
    changed step as a student's code makes it: its gradients are what that code returns, not the gradient of
    anything.

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
    if tuple(structure[4:]) != STRUCTURE_DEFAULTS or structure[3] in ("upstream", "without bias"):
        return _steps(X, y, params, structure)
    with _one_thread():
        return _data_part(X, y, params, structure)


def _activation(name: str, slope: float, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hidden activation of z and its derivative."""
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(np.float64)
    if name == "leaky":
        return np.where(z > 0, z, slope * z), np.where(z > 0, 1.0, slope)
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1.0 - s)
    t = np.tanh(z)
    return t, 1.0 - t * t


def _bias_sum(d: np.ndarray, how: str) -> np.ndarray:
    """A bias gradient from its (n, width) upstream gradient, reduced as ``how`` (one of :data:`BIAS_SUMS`)."""
    if how == "rows":
        return d.sum(axis=0, keepdims=True)
    if how == "mean":
        return d.mean(axis=0, keepdims=True)
    return d.sum(axis=1, keepdims=how == "columns")


def _steps(X: np.ndarray, y: np.ndarray, params: Params, structure: tuple[Any, ...]) -> DataPart:
    """:func:`data_part` written out step by step in NumPy, each generated step as its variant changes it.

    Forward: z1 = X·W1 + b1, a1 = act(z1), z2 = a1·W2 + b2, P = softmax(z2) over the rows (``softmax_axis``
    1); backward: dz2 = (P − T)/n, d_w2 = a1ᵀ·dz2, d_b2 = Σ dz2, da1 = dz2·W2ᵀ, dz1 = da1 ⊙ act′(z1),
    d_w1 = Xᵀ·dz1, d_b1 = Σ dz1.
    """
    targets, activation, slope, relu_grad, axis, max_axis, z2_input, scores, w2_input, w1_from, b1_from = structure[:11]
    b1_sum, b2_sum = structure[11:]
    W1, b1, W2, b2 = (np.asarray(params[key], dtype=np.float64) for key in PARAM_KEYS)
    n, k = X.shape[0], W2.shape[1]
    T = TARGETS[targets](np.asarray(y), k)
    z1 = X @ W1 + b1
    a1, derivative = _activation(activation, slope, z1)
    if activation == "relu":
        derivative = {
            "mask": derivative,
            "one": np.ones_like(z1),
            "activation": a1,
            "inverted": (z1 < 0).astype(np.float64),
            "without bias": (X @ W1 > 0).astype(np.float64),
        }.get(relu_grad, derivative)
    fed = z1 if z2_input == "z1" else a1
    z2 = fed @ W2 + b2
    if scores == "relu":
        z2 = np.maximum(z2, 0.0)
    shifted = z2 - z2.max(axis=axis if max_axis == "same" else 1 - axis, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    dz2 = (np.exp(logp) - T) / n
    da1 = dz2 @ W2.T
    if activation == "relu" and relu_grad == "upstream":
        derivative = (da1 > 0).astype(np.float64)
    dz1 = da1 * derivative
    grads = {
        "W1": X.T @ (da1 if w1_from == "da1" else dz1),
        "b1": _bias_sum(da1 if b1_from == "da1" else dz1, b1_sum),
        "W2": (z1 if w2_input == "z1" else a1).T @ dz2,
        "b2": _bias_sum(dz2, b2_sum),
    }
    return DataPart(grads, logp, T, TARGETS["one-hot"](np.asarray(y), k))


def _data_part(X: np.ndarray, y: np.ndarray, params: Params, structure: tuple[Any, ...]) -> DataPart:
    import torch
    import torch.nn.functional as F

    import torch_ref
    from torch_ref.model import LAYERS, linear_to_course

    targets, activation, slope, relu_grad = structure[:4]
    # the layers' parameters as torch_ref.TorchNet.from_params holds them (weight (out, in), bias (out,), in memory
    # of torch's), and nn.Linear's own forward (F.linear): the same numbers, without building a module each time
    # (the fit of a leaky ReLU's slope asks for a new data part at every step)
    layers = [(_leaf(params[w_key].T), _leaf(params[b_key].reshape(-1))) for _, w_key, b_key in LAYERS]
    Xt, _ = torch_ref.to_tensors(X, y, np.dtype(np.float64))
    k = params["W2"].shape[1]
    T_np = TARGETS[targets](np.asarray(y), k)
    T = torch.from_numpy(T_np)
    z1 = F.linear(Xt, *layers[0])  # (n, h)
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
    z2 = F.linear(a1, *layers[1])  # (n, k)
    loss = torch.mean(torch.logsumexp(z2, dim=1) - (T * z2).sum(dim=1))
    loss.backward()
    logp = torch.log_softmax(z2.detach(), dim=1).numpy()
    grads: Params = {}
    for (_, w_key, b_key), (weight, bias) in zip(LAYERS, layers):  # as TorchNet.grads_to_params
        grads[w_key], grads[b_key] = linear_to_course(weight.grad, bias.grad)  # type: ignore[arg-type]
    return DataPart(grads, logp, T_np, TARGETS["one-hot"](np.asarray(y), k))


def _leaf(values: np.ndarray) -> torch.Tensor:
    """A parameter of a layer as course_to_linear leaves it: ``values`` copied into a tensor of torch's own."""
    import torch

    source = torch.from_numpy(np.ascontiguousarray(values))
    return torch.empty(source.shape, dtype=source.dtype).copy_(source).requires_grad_()


_DATA_COSTS: dict[tuple[int, bool, float, float, int], tuple[DataPart, float]] = {}
"""(id of a data part, targets_in_cost, log_eps, clip_eps, n) -> (the part, its data cost): the part is kept, so
its id is not reused while the entry lives."""
_SUMS: dict[tuple[int, str, str], tuple[Params, float, float]] = {}
"""(id of a problem's params, decay_norm, decay_weights) -> (the params, ΣW² or Σ|W| of the decayed weights, Σb²)."""
CACHE_LIMIT = 20000
"""At most this many entries in each of the caches above (the oldest forgotten first)."""


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    with _CACHES:  # a class's files are checked in threads (impl_check.batch)
        while len(cache) >= CACHE_LIMIT:
            del cache[next(iter(cache))]
        cache[key] = value


_CACHES = threading.Lock()


def _data_cost(part: DataPart, targets_in_cost: bool, log_eps: float, clip_eps: float, n: int) -> float:
    """The mean cross-entropy part of the cost, from the data part (computed once per part and cost fields)."""
    key = (id(part), targets_in_cost, log_eps, clip_eps, n)
    known = _DATA_COSTS.get(key)
    if known is not None and known[0] is part:
        return known[1]
    T = part.targets if targets_in_cost else part.onehot
    if log_eps > 0:
        data_cost = float(-np.sum(T * np.log(np.exp(part.logp) + log_eps)) / n)
    elif clip_eps > 0:
        data_cost = float(-np.sum(T * np.log(np.clip(np.exp(part.logp), clip_eps, None))) / n)
    else:
        data_cost = float(-np.sum(T * part.logp) / n)
    _remember(_DATA_COSTS, key, (part, data_cost))
    return data_cost


def _penalty_sums(params: Params, norm: str, weights: str) -> tuple[float, float]:
    """ΣW² (Σ|W| for L1) of the decayed weights and Σb² of the biases (computed once per params and decay)."""
    key = (id(params), norm, weights)
    known = _SUMS.get(key)
    if known is not None and known[0] is params:
        return known[1], known[2]
    decayed = weights.split()
    if norm == "L1":
        sum_w = sum(float(np.sum(np.abs(params[key]))) for key in decayed)
    else:
        sum_w = sum(float(np.vdot(params[key], params[key])) for key in decayed)
    sum_b = sum(float(np.vdot(params[key], params[key])) for key in ("b1", "b2"))
    _remember(_SUMS, key, (params, sum_w, sum_b))
    return sum_w, sum_b


def assemble(
    variant: Variant, part: DataPart, params: Params, c: float, n: int, convention: str = "full"
) -> dict[str, Any]:
    """Cost and gradients of ``variant`` from its data part: what a file with that mistake returns.

    Returns
    -------
    dict
        cost (float) and W1, b1, W2, b2 in the course layout; see :func:`apply_layout`.
    """
    cost_spec, grad_spec = CONVENTIONS[convention]  # the "spec" coefficients resolved (Variant.resolved)
    decay_cost = cost_spec if variant.decay_cost == "spec" else variant.decay_cost
    decay_grad = grad_spec if variant.decay_grad == "spec" else variant.decay_grad
    bias_cost = cost_spec if variant.bias_decay_cost == "spec" else variant.bias_decay_cost
    bias_grad = grad_spec if variant.bias_decay_grad == "spec" else variant.bias_decay_grad
    k = part.targets.shape[1]
    factor = 1.0 if variant.reduction == "mean" else n / DIVISORS[variant.reduction](n, k)
    grad_factor = 1.0 if variant.grad_reduction == "mean" else n / DIVISORS[variant.grad_reduction](n, k)
    data_cost = _data_cost(part, variant.targets_in_cost, variant.log_eps, variant.clip_eps, n)
    decayed = variant.decay_weights.split()
    sum_w, sum_b = _penalty_sums(params, variant.decay_norm, variant.decay_weights)
    cost = factor * data_cost + COEFFICIENTS[decay_cost](c, n) * sum_w + COEFFICIENTS[bias_cost](c, n) * sum_b
    out: dict[str, Any] = {"cost": cost if variant.const_cost is None else variant.const_cost}
    for key in PARAM_KEYS:
        if key.startswith("W"):
            decay = COEFFICIENTS[decay_grad](c, n) if key in decayed else 0.0
            term = np.sign(params[key]) if variant.decay_norm == "L1" else params[key]
        else:
            decay, term = COEFFICIENTS[bias_grad](c, n), params[key]
        # no decay term added where there is none: a bias summed over the wrong axis keeps its own shape
        grad = variant.grad_scale * (
            grad_factor * part.grads[key] + decay * term if decay else grad_factor * part.grads[key]
        )
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
    import torch

    return torch.softmax(torch.from_numpy(np.asarray(Z, dtype=np.float64)), dim=1).numpy()
