"""``compare.py train``: both nets trained in lockstep, and the run folder written.

:func:`prepare` does everything that can fail on a user's input (torch's
device, the data, ``--init``, ``--out``) before anything is written or trained;
:func:`lockstep` trains; :func:`write_outputs` writes the figures, the
parameters when asked and ``report.json``. The caller prints.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

import scratch_net as sn

from . import figures, run_report
from .datasets import load_dataset
from .torch_setup import configure_torch

if TYPE_CHECKING:
    from torch_ref import LockstepResult

DEFAULT_HIDDEN = 256


@dataclass(frozen=True)
class TrainSettings:
    """The settings of a run, one per flag of ``compare.py train``, whose parser holds the defaults."""

    dataset: str
    hidden: int | None  # None: DEFAULT_HIDDEN, or --init's
    epochs: int
    batch_size: int
    lr: float
    c: float
    dtype: str | None  # None: float64, or --init's
    seed: int
    val_fraction: float
    device: str
    tol: float | None  # None: the dtype's tolerance
    out: Path | None  # None: runs/<dataset>-<time>
    init: Path | None
    save_params: bool

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> TrainSettings:
        """The settings among ``values`` (``vars`` of the parsed arguments; other keys are ignored)."""
        return cls(**{field.name: values[field.name] for field in dataclasses.fields(cls)})


@dataclass
class TrainRun:
    """A run ready to train: settings in force (hidden and dtype resolved), data, start, tolerance, folder."""

    settings: TrainSettings
    data: dict[str, np.ndarray]
    init: sn.Params
    config: sn.TrainConfig
    tolerance: float
    out: Path
    name: str  # the data set's name, or the .npz file's stem
    torch_settings: dict[str, Any]

    @property
    def total_steps(self) -> int:
        return self.settings.epochs * -(-len(self.data["y_train"]) // self.settings.batch_size)

    def header(self) -> str:
        """One line: the data's sizes and the settings."""
        s, data = self.settings, self.data
        d, k = data["X_train"].shape[1], int(data["y_train"].max()) + 1
        return (
            f"train: {self.name}, {len(data['y_train'])} train / {len(data['y_val'])} val / {len(data['y_test'])} "
            f"test rows, d={d} hidden={s.hidden} k={k}, {s.epochs} epochs of batch {s.batch_size}, lr={s.lr:g} "
            f"c={s.c:g}, {s.dtype}, seed {s.seed}, torch on {s.device}"
        )


def initial_params(settings: TrainSettings, d: int, k: int) -> sn.Params:
    """The shared start of both nets: ``init``'s parameters, checked against the data, or a seeded init.

    Raises
    ------
    ValueError
        When the file cannot be read, or does not fit the data (d, k) or the ``hidden``/``dtype`` given.
    """
    s = settings
    if s.init is None:
        hidden = DEFAULT_HIDDEN if s.hidden is None else s.hidden
        return sn.init_params(d, hidden, k, seed=s.seed, dtype=s.dtype or "float64")
    try:
        params = sn.load_params(s.init)
    except ValueError as exc:  # the message names the file and the problem
        raise ValueError(f"--init {exc}") from None
    (d_init, hidden), k_init, dtype = params["W1"].shape, params["W2"].shape[1], params["W1"].dtype
    if (d_init, k_init) != (d, k):
        raise ValueError(
            f"--init {s.init}: parameters for d={d_init} inputs and k={k_init} classes, "
            f"but the data has d={d} and k={k}"
        )
    if s.hidden is not None and s.hidden != hidden:
        raise ValueError(f"--init {s.init}: {hidden} hidden units, but --hidden is {s.hidden}")
    if s.dtype is not None and np.dtype(s.dtype) != dtype:
        raise ValueError(f"--init {s.init}: {dtype} parameters, but --dtype is {s.dtype}")
    return params


def prepare(settings: TrainSettings, *, on_notice: Callable[[str], None] | None = None) -> TrainRun:
    """Set torch up, read and split the data, pick the start and the folder; write nothing.

    Raises
    ------
    ValueError
        One line naming what a user must fix (CUDA missing, the data, ``--init``, ``--out``).
    """
    torch_settings = configure_torch(settings.device)
    data = load_dataset(settings.dataset, settings.seed, settings.val_fraction, on_notice=on_notice)
    init = initial_params(settings, data["X_train"].shape[1], int(data["y_train"].max()) + 1)
    # from here on, hidden and dtype are the ones in use (--init's when not given)
    s = dataclasses.replace(settings, hidden=init["W1"].shape[1], dtype=str(init["W1"].dtype))
    name = Path(s.dataset).stem if s.dataset.endswith(".npz") else s.dataset
    out = s.out or Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} exists and is not a folder")
    config = sn.TrainConfig(batch_size=s.batch_size, lr=s.lr, c=s.c, epochs=s.epochs, seed=s.seed)
    tol = sn.tolerance(init["W1"].dtype) if s.tol is None else s.tol
    return TrainRun(s, data, init, config, tol, out, name, torch_settings)


def lockstep(run: TrainRun, on_step: Callable[[int], None], scratch_trainer: Any = None) -> LockstepResult:
    """:func:`torch_ref.lockstep` on the run; ``scratch_trainer`` replaces the NumPy trainer (for tests)."""
    import torch_ref as tr

    data = run.data
    extra = {} if scratch_trainer is None else {"scratch_trainer": scratch_trainer}
    return tr.lockstep(
        data["X_train"], data["y_train"], data["X_val"], data["y_val"], run.init, run.config,
        tol=run.tolerance, device=run.settings.device, on_step=on_step, **extra,
    )  # fmt: skip


def write_outputs(run: TrainRun, result: LockstepResult, started: float) -> run_report.Report:
    """Build the report (``runtime_s``: since ``started``, a ``time.perf_counter()``), write the run folder.

    The folder gets ``curves.png``, ``divergence.png``, with ``save_params`` also
    ``scratch_params.npz`` and ``torch_params.npz``, and ``report.json`` last.
    """
    env = run_report.environment(run.settings.device, run.torch_settings)
    report = run_report.build_report(dataclasses.asdict(run.settings), run.data, result, run.tolerance, env)
    report["runtime_s"] = round(time.perf_counter() - started, 3)
    run.out.mkdir(parents=True, exist_ok=True)
    figures.plot_curves(report, run.out / "curves.png")
    figures.plot_divergence(report, run.out / "divergence.png")
    if run.settings.save_params:
        sn.save_params(run.out / "scratch_params.npz", result.scratch_final)
        sn.save_params(run.out / "torch_params.npz", result.torch_final)
    run_report.write_report(run.out / "report.json", report)
    return report
