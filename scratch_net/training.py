"""Mini-batch SGD: the batch order, the training loop, and the NumPy trainer.

The loop (:func:`run_epochs`) drives any object with the :class:`Trainer`
face, so ``torch_ref`` trains its model through the same loop, on the same
batches, and the lockstep runner drives both trainers in one loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .checks import Params, check_c, check_params, check_positive_int, check_problem, check_rows
from .fast_sgd import FastSGD

SPLITS = ("train", "val")
HISTORY_KEYS = ("train_loss", "train_acc", "val_loss", "val_acc")


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters shared by both trainers and the command line."""

    batch_size: int = 32
    lr: float = 0.1
    c: float = 1e-4  # weight decay: cost += c * (sum W1^2 + sum W2^2)
    epochs: int = 30
    shuffle: bool = True
    seed: int | None = None  # seeds the batch order only; None draws fresh entropy

    def __post_init__(self) -> None:
        check_positive_int("batch_size", self.batch_size)
        check_positive_int("epochs", self.epochs)
        if (
            isinstance(self.lr, bool)
            or not isinstance(self.lr, (int, float))
            or not np.isfinite(self.lr)
            or self.lr <= 0
        ):
            raise ValueError(f"lr must be a finite number > 0; got {self.lr!r}")
        check_c(self.c)


def batch_order(
    n: int, batch_size: int, *, shuffle: bool = True, seed: int | None = None
) -> Iterator[list[np.ndarray]]:
    """The row indices of each mini-batch, epoch after epoch (an endless iterator).

    Parameters
    ----------
    n : number of training rows.
    batch_size : rows per batch; the last batch of an epoch may be smaller.
    shuffle : a fresh permutation each epoch; False takes the rows in order.
    seed : seeds ``np.random.default_rng``; one seed gives one sequence of batches.

    Yields
    ------
    list of ndarray
        One epoch: int64 index arrays of length ``batch_size`` (the last one ``<=``).
    """
    n = check_positive_int("n", n)
    batch_size = check_positive_int("batch_size", batch_size)
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n) if shuffle else np.arange(n)
        yield [order[start : start + batch_size] for start in range(0, n, batch_size)]


class Trainer(Protocol):
    """What the training loop needs from a trainer, NumPy or torch."""

    def step(self, idx: np.ndarray, with_cost: bool = True) -> float:
        """One SGD step on training rows ``idx``; returns the batch cost before the step.

        With ``with_cost=False`` the cost may be left uncomputed and NaN returned.
        """

    def evaluate(self, split: str) -> tuple[float, float]:
        """(cost including the penalty, accuracy) on ``split`` ("train" or "val")."""

    def current_params(self) -> Params:
        """The current parameters in the course layout (may be views: copy to keep)."""


@dataclass
class EpochRecord:
    """History and best parameters of one trainer."""

    history: dict[str, list[float]] = field(default_factory=lambda: {key: [] for key in HISTORY_KEYS})
    best_params: Params | None = None
    best_epoch: int = -1  # 0-based

    def end_epoch(self, trainer: Trainer, epoch: int) -> None:
        for split in SPLITS:
            loss, acc = trainer.evaluate(split)
            self.history[f"{split}_loss"].append(loss)
            self.history[f"{split}_acc"].append(acc)
        # the course behaviour: keep the epoch with the best validation accuracy (first on ties)
        if self.best_epoch < 0 or self.history["val_acc"][-1] > self.history["val_acc"][self.best_epoch]:
            self.best_epoch = epoch
            self.best_params = copy_params(trainer.current_params())


def copy_params(params: Params) -> Params:
    return {key: np.array(value, copy=True) for key, value in params.items()}


StepCallback = Callable[[int, int, np.ndarray, Sequence[float]], None]
"""after_step(step, epoch, batch_rows, batch_costs): called once per step, after every trainer took it."""


def run_epochs(
    trainers: Sequence[Trainer],
    n_train: int,
    config: TrainConfig,
    after_step: StepCallback | None = None,
) -> list[EpochRecord]:
    """Train every trainer on the same batches, step for step; evaluate after each epoch.

    Returns
    -------
    list of EpochRecord, one per trainer.
    """
    records = [EpochRecord() for _ in trainers]
    batches = batch_order(n_train, config.batch_size, shuffle=config.shuffle, seed=config.seed)
    with_cost = after_step is not None  # only the callback reads the batch costs
    step = 0
    for epoch in range(config.epochs):
        for idx in next(batches):
            costs = [trainer.step(idx, with_cost) for trainer in trainers]
            if after_step is not None:
                after_step(step, epoch, idx, costs)
            step += 1
        for trainer, record in zip(trainers, records):
            record.end_epoch(trainer, epoch)
    return records


class NumpyTrainer:
    """Plain mini-batch SGD: the steps of SGD on :func:`scratch_net.cost_grad`, taken fast.

    The step and the evaluation run in :class:`scratch_net.fast_sgd.FastSGD`
    (reused buffers, lr and decay folded into the update, W1 updated in
    place); ``tests/test_fast_sgd.py`` proves it takes the same steps as SGD on
    the readable :func:`scratch_net.cost_grad`.

    Parameters
    ----------
    X_train (n, d), y_train (n,), X_val (m, d), y_val (m,) : the data; checked once.
    init_params : course layout; copied, never modified.
    config : lr and c are used here, the batch order by :func:`run_epochs`.
    """

    def __init__(
        self,
        X_train: ArrayLike,
        y_train: ArrayLike,
        X_val: ArrayLike,
        y_val: ArrayLike,
        init_params: Params,
        config: TrainConfig,
    ) -> None:
        check_params(init_params)
        X_tr, y_tr, _ = check_problem(X_train, y_train, init_params)
        X_va, y_va, _ = check_problem(X_val, y_val, init_params)
        # C-contiguous copies where needed: the step gathers rows and slices chunks of them
        self.data = {
            "train": (np.ascontiguousarray(X_tr), y_tr),
            "val": (np.ascontiguousarray(X_va), y_va),
        }
        self.params = {key: np.array(value, order="C", copy=True) for key, value in init_params.items()}
        self.lr, self.c = config.lr, config.c
        self._sgd = FastSGD(self.params, self.lr, self.c)

    def step(self, idx: np.ndarray, with_cost: bool = True) -> float:
        X, y = self.data["train"]
        return self._sgd.step(X, y, check_rows(idx, X.shape[0]), with_cost)

    def evaluate(self, split: str) -> tuple[float, float]:
        X, y = self.data[split]
        return self._sgd.evaluate(X, y)

    def current_params(self) -> Params:
        return self.params

    def set_params(self, params: Params) -> None:
        """Overwrite the current parameters with a copy of ``params`` (same shapes and dtype)."""
        for key in self.params:
            self.params[key][...] = params[key]


def fit_classifier(
    clf: "FitTarget",
    trainer: Trainer,
    n_train: int,
    config: TrainConfig,
) -> dict[str, list[float]]:
    """Run :func:`run_epochs` for one trainer and store the results on ``clf``."""
    (record,) = run_epochs([trainer], n_train, config)
    clf.params = record.best_params
    clf.final_params = copy_params(trainer.current_params())
    clf.history = record.history
    clf.best_epoch = record.best_epoch
    return record.history


class FitTarget(Protocol):
    params: Params | None
    final_params: Params | None
    history: dict[str, list[float]] | None
    best_epoch: int | None


__all__ = [
    "HISTORY_KEYS",
    "EpochRecord",
    "NumpyTrainer",
    "TrainConfig",
    "Trainer",
    "batch_order",
    "copy_params",
    "fit_classifier",
    "run_epochs",
]
