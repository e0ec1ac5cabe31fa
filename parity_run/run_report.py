"""The report of a ``compare.py train`` run: ``report.json``, built from the lockstep result, and written.

Its keys: ``config`` (the settings and the sizes of the data), ``environment``
(versions, BLAS, threads, device, the torch flags in force), ``scratch`` and
``torch`` (history, best epoch, accuracies of the final and of the best
parameters), ``steps`` (per step: both batch costs, the divergence and the
parameter where it is largest), ``ties``, ``max_divergence``, ``tolerance``,
``verdict``, ``first_crossing`` and, added by the caller, ``runtime_s``.
Epochs are 1-based in the report.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any, Mapping

import numpy as np

import scratch_net as sn

from .atomic import atomic_write
from .datasets import TEST_FRACTION

Report = dict[str, Any]
SETTINGS = ("dataset", "hidden", "epochs", "batch_size", "lr", "c", "dtype", "seed", "val_fraction")
"""The run's settings, in the order of ``config``; then test_fraction, device, the data's sizes and init."""


def environment(device: str, torch_settings: Mapping[str, Any]) -> dict[str, Any]:
    """Versions, BLAS and threads: what the numbers in a report depend on.

    ``torch_settings`` is what :func:`parity_run.torch_setup.configure_torch` returned.
    """
    import torch
    from threadpoolctl import threadpool_info

    blas = [
        {k: info.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "filepath")}
        for info in threadpool_info()
    ]
    env = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "blas": blas,
        "cpu_count": os.cpu_count(),
        "device": device,
        **torch_settings,
    }
    if device == "cuda":
        env["cuda_device"] = torch.cuda.get_device_name(0)
        env["cuda_version"] = torch.version.cuda
    return env


def accuracies(params: sn.Params, data: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Accuracy of ``params`` on the train, val and test rows."""
    return {split: sn.score(data[f"X_{split}"], data[f"y_{split}"], params) for split in ("train", "val", "test")}


def side_report(record: Any, final_params: sn.Params, data: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """One net's part: its history, best epoch (1-based), and the accuracies of its final and best parameters.

    ``record`` is the lockstep result's ``scratch`` or ``torch`` (an ``EpochRecord``).
    """
    return {
        "history": record.history,
        "best_epoch": record.best_epoch + 1,
        "final_accuracy": accuracies(final_params, data),
        "best_accuracy": accuracies(record.best_params, data),
    }


def build_report(
    settings: Mapping[str, Any],
    data: Mapping[str, np.ndarray],
    result: Any,
    tolerance: float,
    env: Mapping[str, Any],
) -> Report:
    """The report of a run (all but ``runtime_s``).

    Parameters
    ----------
    settings : mapping
        The run's :data:`SETTINGS`, ``device`` and ``init`` (a path or None), as in force
        (``hidden`` and ``dtype`` those of ``--init`` when it gave them).
    data : mapping
        The splits (:func:`parity_run.datasets.load_dataset`).
    result : torch_ref.LockstepResult
        What the lockstep returned.
    tolerance : float
        The divergence tolerance the run was judged by.
    env : mapping
        :func:`environment`.
    """
    crossing = result.first_crossing()
    if crossing is not None:
        crossing["epoch"] += 1  # 1-based in the report, as in "steps"
    config = {key: settings[key] for key in SETTINGS}
    config.update(
        test_fraction=TEST_FRACTION,
        device=settings["device"],
        n_train=int(len(data["y_train"])),
        n_val=int(len(data["y_val"])),
        n_test=int(len(data["y_test"])),
        d=int(data["X_train"].shape[1]),
        k=int(data["y_train"].max()) + 1,
        init=None if settings["init"] is None else str(settings["init"]),
    )
    return {
        "config": config,
        "environment": dict(env),
        "scratch": side_report(result.scratch, result.scratch_final, data),
        "torch": side_report(result.torch, result.torch_final, data),
        "steps": [
            {"step": i, "epoch": e + 1, "scratch_cost": a, "torch_cost": b, "divergence": dv, "param": p}
            for i, (e, a, b, dv, p) in enumerate(
                zip(result.epoch, result.scratch_cost, result.torch_cost, result.divergence, result.worst_param)
            )
        ],
        "ties": [{**tie, "epoch": tie["epoch"] + 1} for tie in result.ties],
        "max_divergence": result.max_divergence,
        "tolerance": tolerance,
        "verdict": "pass" if crossing is None else "fail",
        "first_crossing": crossing,
    }


def write_report(path: Path, report: Report) -> None:
    """``report`` as JSON (indent 1; NaN written as NaN), atomically."""
    atomic_write(path, lambda handle: json.dump(report, handle, indent=1, allow_nan=True))


def summary_rows(report: Report) -> list[list[str]]:
    """The rows of the summary table: final costs and accuracies, best epoch, per net (scratch, torch)."""
    sides = ("scratch", "torch")
    rows = [[f"final {label}"] + [f"{report[s]['history'][key][-1]:.6f}" for s in sides]
            for label, key in (("train cost", "train_loss"), ("val cost", "val_loss"))]  # fmt: skip
    rows += [[f"final {split} acc"] + [f"{report[s]['final_accuracy'][split]:.4f}" for s in sides]
             for split in ("train", "val", "test")]  # fmt: skip
    rows.append(["best epoch (val acc)"] + [f"{report[s]['best_epoch']} ({report[s]['best_accuracy']['val']:.4f})"
                                            for s in sides])  # fmt: skip
    rows.append(["test acc at best epoch"] + [f"{report[s]['best_accuracy']['test']:.4f}" for s in sides])
    return rows
