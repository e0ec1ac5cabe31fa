"""The torch trainer, ``TorchClassifier``, and the lockstep runner.

Both trainers are driven by ``scratch_net.training.run_epochs``: one batch
order, one loop, so one seed means the same batches on both sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike

from scratch_net import PARAM_KEYS, NetClassifier, Params
from scratch_net.checks import check_params, check_problem, check_rows
from scratch_net.tolerance import normwise_rel_err, tolerance
from scratch_net.training import (
    EpochRecord,
    NumpyTrainer,
    TrainConfig,
    copy_params,
    run_epochs,
)

from .model import TorchNet, cost, to_tensors, weight_parameters


def check_device(device: str | torch.device) -> torch.device:
    """``torch.device(device)``, refusing CUDA when it is not available."""
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"device must be 'cpu' or 'cuda'; got {device!r}") from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but CUDA is not available (torch.cuda.is_available() is False)")
    if dev.type not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda'; got {device!r}")
    return dev


class TorchTrainer:
    """``torch.optim.SGD`` on :func:`torch_ref.cost` (explicit penalty), data held on ``device``."""

    def __init__(
        self,
        X_train: ArrayLike,
        y_train: ArrayLike,
        X_val: ArrayLike,
        y_val: ArrayLike,
        init_params: Params,
        config: TrainConfig,
        device: str | torch.device = "cpu",
    ) -> None:
        _, _, _, dtype = check_params(init_params)
        self.device = check_device(device)
        self.data = {
            split: to_tensors(*check_problem(X, y, init_params)[:2], dtype, self.device)
            for split, X, y in (("train", X_train, y_train), ("val", X_val, y_val))
        }
        self.net = TorchNet.from_params(init_params, device=self.device)
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=config.lr)
        self.c = config.c

    def step(self, idx: np.ndarray, with_cost: bool = True) -> float:
        X, y = self.data["train"]
        rows = torch.from_numpy(check_rows(idx, X.shape[0])).to(self.device)
        self.optimizer.zero_grad(set_to_none=True)
        loss = cost(self.net, X[rows], y[rows], self.c)
        loss.backward()
        self.optimizer.step()
        return float(loss.item()) if with_cost else math.nan  # .item() waits for a GPU

    @torch.no_grad()
    def evaluate(self, split: str) -> tuple[float, float]:
        X, y = self.data[split]
        logits = self.net(X)
        penalty = sum(torch.sum(w * w) for w in weight_parameters(self.net))
        loss = F.cross_entropy(logits, y) + self.c * penalty
        return float(loss.item()), float((logits.argmax(dim=1) == y).double().mean().item())

    def current_params(self) -> Params:
        return self.net.to_params()


class TorchClassifier(NetClassifier):
    """The torch twin of ``scratch_net.NetClassifier``: same ``fit``, ``predict``, ``score``.

    ``predict`` and ``score`` use the NumPy forward pass on ``params``; the
    training runs in torch on ``device``.
    """

    def __init__(self, device: str | torch.device = "cpu") -> None:
        super().__init__()
        self.device = device

    def _make_trainer(  # type: ignore[override]
        self,
        X_train: ArrayLike,
        y_train: ArrayLike,
        X_val: ArrayLike,
        y_val: ArrayLike,
        init_params: Params,
        config: TrainConfig,
    ) -> TorchTrainer:
        """``fit`` (inherited, same signature) trains with ``torch.optim.SGD`` on ``self.device``."""
        return TorchTrainer(X_train, y_train, X_val, y_val, init_params, config, self.device)


def param_divergence(a: Params, b: Params) -> tuple[float, str]:
    """max over W1, b1, W2, b2 of ``max|a - b| / max|b|``, and the key where it is largest."""
    errs = {key: normwise_rel_err(a[key], b[key]) for key in PARAM_KEYS}
    worst = max(errs, key=lambda key: errs[key])
    return errs[worst], worst


@dataclass
class LockstepResult:
    """Both trainers' records and, per step, both batch costs and the divergence."""

    scratch: EpochRecord
    torch: EpochRecord
    scratch_final: Params
    torch_final: Params
    tol: float
    scratch_cost: list[float] = field(default_factory=list)
    torch_cost: list[float] = field(default_factory=list)
    divergence: list[float] = field(default_factory=list)
    worst_param: list[str] = field(default_factory=list)
    epoch: list[int] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    """Steps excused as ReLU rounding ties; see :func:`relu_tie`."""

    @property
    def tie_steps(self) -> set[int]:
        return {int(tie["step"]) for tie in self.ties}

    @property
    def max_divergence(self) -> float:
        """The largest divergence over the steps that are not ReLU ties."""
        ties = self.tie_steps
        return max((d for s, d in enumerate(self.divergence) if s not in ties), default=0.0)

    def first_crossing(self) -> dict[str, Any] | None:
        """The first step (not a tie) whose divergence exceeds the tolerance, or None."""
        ties = self.tie_steps
        for step, div in enumerate(self.divergence):
            if step not in ties and not div <= self.tol:  # NaN counts as a crossing
                return {"step": step, "epoch": self.epoch[step], "param": self.worst_param[step], "divergence": div}
        return None

    @property
    def passed(self) -> bool:
        return self.first_crossing() is None


def relu_tie(
    X_np: np.ndarray, X_t: torch.Tensor, before_np: Params, before_t: Params, tol: float
) -> dict[str, Any] | None:
    """Whether a step's ReLU decisions differ between the two sides only by rounding.

    A hidden pre-activation that lies within rounding of 0 can be positive on
    one side and negative on the other; the sample then passes gradient on
    one side only, and the parameters jump apart by an O(lr/n) amount that
    is no bug. This is the one discontinuity of the net (softmax and the cost
    are smooth), and in float32 it happens every few thousand steps.

    Parameters
    ----------
    X_np (b, d), X_t (b, d) : the step's batch on each side.
    before_np, before_t : each side's parameters before the step.
    tol : the normwise tolerance; an entry is a tie when both sides' ``|z|``
        are at most ``tol * (|X| @ |W1| + |b1|)``, the rounding bound of the product.

    Returns
    -------
    dict or None
        ``{"flipped": count, "max_abs_z": value}`` when every differing decision is a tie;
        None when the decisions agree or differ at a clearly non-zero pre-activation.
    """
    z_np = X_np @ before_np["W1"] + before_np["b1"]  # (b, h)
    net = TorchNet.from_params(before_t, device=X_t.device)
    with torch.no_grad():
        z_t = net.fc1(X_t).cpu().numpy()  # (b, h), torch's own rounding
    flipped = (z_np > 0) != (z_t > 0)
    if not flipped.any():
        return None
    bound = tol * (np.abs(X_np) @ np.abs(before_np["W1"]) + np.abs(before_np["b1"]))  # (b, h)
    size = np.maximum(np.abs(z_np), np.abs(z_t))
    if np.all(size[flipped] <= bound[flipped]):
        return {"flipped": int(flipped.sum()), "max_abs_z": float(size[flipped].max())}
    return None


def lockstep(
    X_train: ArrayLike,
    y_train: ArrayLike,
    X_val: ArrayLike,
    y_val: ArrayLike,
    init_params: Params,
    config: TrainConfig,
    *,
    tol: float | None = None,
    device: str | torch.device = "cpu",
    scratch_trainer: Callable[..., NumpyTrainer] = NumpyTrainer,
    on_step: Callable[[int], None] | None = None,
) -> LockstepResult:
    """Train the NumPy net and the torch model from one init over one batch order.

    After every step, records both batch costs and the normwise parameter
    divergence ``max over W1,b1,W2,b2 of max|theta_np - theta_torch| / max|theta_torch|``.
    When the divergence crosses ``tol`` (or jumps towards it) at a step whose
    ReLU decisions differ between the sides only by rounding (:func:`relu_tie`),
    the step is recorded as a tie, it does not count against the verdict, and
    the NumPy side is re-synchronised to torch's parameters so that parity goes
    on being tested from a common point.

    Parameters
    ----------
    X_train (n, d), y_train (n,), X_val (m, d), y_val (m,) : the data.
    init_params : course layout, shared start; never modified.
    config : the hyper-parameters and batch order of both.
    tol : the divergence tolerance; default ``tolerance(dtype)``.
    device : where the torch side runs.
    scratch_trainer : the NumPy trainer class (a test may inject a wrong one).
    on_step : called with the step index after each step (a progress bar).
    """
    _, _, _, dtype = check_params(init_params)
    tol = tolerance(dtype) if tol is None else float(tol)
    np_trainer = scratch_trainer(X_train, y_train, X_val, y_val, init_params, config)
    t_trainer = TorchTrainer(X_train, y_train, X_val, y_val, init_params, config, device)
    result = LockstepResult(EpochRecord(), EpochRecord(), {}, {}, tol)
    before = {"np": copy_params(init_params), "t": copy_params(init_params)}

    def after_step(step: int, epoch: int, idx: np.ndarray, costs: Sequence[float]) -> None:
        now_np, now_t = np_trainer.current_params(), t_trainer.current_params()
        div, worst = param_divergence(now_np, now_t)
        result.scratch_cost.append(costs[0])
        result.torch_cost.append(costs[1])
        result.divergence.append(div)
        result.worst_param.append(worst)
        result.epoch.append(epoch)
        # a ReLU tie shows as a jump: look for one when the divergence crosses the
        # tolerance, or jumps to within sight of it (a small tie, left alone, would
        # make a later, innocent step cross)
        previous = result.divergence[-2] if step else 0.0
        if not div <= tol or (div > tol / 8 and div > 2 * previous):
            rows = torch.from_numpy(idx).to(t_trainer.device)
            tie = relu_tie(
                np_trainer.data["train"][0][idx], t_trainer.data["train"][0][rows], before["np"], before["t"], tol
            )
            if tie is not None:
                result.ties.append({"step": step, "epoch": epoch, "divergence": div, **tie})
                np_trainer.set_params(now_t)
        before["np"], before["t"] = copy_params(np_trainer.current_params()), now_t
        if on_step is not None:
            on_step(step)

    n_train = int(t_trainer.data["train"][0].shape[0])
    result.scratch, result.torch = run_epochs([np_trainer, t_trainer], n_train, config, after_step)
    result.scratch_final = copy_params(np_trainer.current_params())
    result.torch_final = t_trainer.current_params()
    return result
