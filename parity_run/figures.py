"""The two pictures of a ``compare.py train`` run, drawn from its report.

- ``curves.png``: cost (penalty included) and accuracy per epoch, train and
  validation, both nets on the same axes (thick pale lines: NumPy; dashed
  lines with dots: torch);
- ``divergence.png``: the per-step divergence on a log scale, the tolerance,
  epochs, ReLU rounding ties and the first crossing.

matplotlib is imported when a picture is drawn, not before, and through its
object API (``matplotlib.figure.Figure``) rather than ``pyplot``: no GUI
backend is looked for and no global figure is kept, and the import is shorter.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .atomic import atomic_write

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 110


def save_png(fig: Figure, path: Path) -> None:
    """Write ``fig`` as a PNG, atomically."""
    atomic_write(path, lambda handle: fig.savefig(handle, format="png", dpi=DPI), mode="wb")


def plot_curves(report: dict[str, Any], path: Path) -> None:
    """Loss and accuracy per epoch, train and validation, both nets on the same axes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(11, 4.2))
    axes = fig.subplots(1, 2)
    colors = {"train": "#1f77b4", "val": "#ff7f0e"}
    styles: dict[str, dict[str, Any]] = {
        "scratch": dict(lw=3.0, alpha=0.55, ls="-"),
        "torch": dict(lw=1.3, ls="--", marker=".", ms=5),
    }
    labels = {"scratch": "scratch_net (NumPy)", "torch": "torch_ref"}
    for ax, metric, title in ((axes[0], "loss", "cost (with penalty)"), (axes[1], "acc", "accuracy")):
        for side in ("scratch", "torch"):
            history = report[side]["history"]
            epochs = np.arange(1, len(history[f"train_{metric}"]) + 1)
            for split in ("train", "val"):
                ax.plot(epochs, history[f"{split}_{metric}"], color=colors[split],
                        label=f"{labels[side]}, {split}", **styles[side])  # fmt: skip
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[1].legend(loc="lower right", fontsize=8)
    cfg = report["config"]
    fig.suptitle(
        f"{cfg['dataset']}: hidden {cfg['hidden']}, batch {cfg['batch_size']}, lr {cfg['lr']:g}, "
        f"c {cfg['c']:g}, {cfg['dtype']} (thick: NumPy, dashed: torch)"
    )
    fig.tight_layout()
    save_png(fig, path)


def plot_divergence(report: dict[str, Any], path: Path, mine: str = "np") -> None:
    """Per-step parameter divergence on a log scale, with the tolerance drawn; ``mine``: the name of the side
    compared with torch in the legend (``compare.py train --impl``: "yours")."""
    from matplotlib.figure import Figure

    div = np.array([s["divergence"] for s in report["steps"]], dtype=float)
    tol = report["tolerance"]
    floor = np.finfo(np.dtype(report["config"]["dtype"])).eps / 16  # where exact zeros are drawn
    fig = Figure(figsize=(11, 4))
    ax = fig.subplots()
    ax.semilogy(
        np.maximum(div, floor), lw=0.9, color="#2ca02c", label=f"divergence max|θ_{mine} − θ_torch| / max|θ_torch|"
    )
    ax.axhline(tol, color="#d62728", ls="--", label=f"tolerance {tol:.2e}")
    ties = [t["step"] for t in report["ties"]]
    if ties:
        ax.plot(ties, np.maximum(div[ties], floor), "v", color="#9467bd", label="ReLU rounding tie (re-synced)")
    departure = report.get("batch_departure")  # compare.py train --impl: the first batch the spec does not take
    if departure:
        ax.axvline(departure["step"], color="#8c564b", lw=1.2, label=f"batches leave the spec ({departure['code']})")
    crossing = report.get("first_crossing")
    if crossing:
        ax.plot([crossing["step"]], [max(crossing["divergence"], floor)], "o", color="#d62728", ms=9,
                mfc="none", label=f"first crossing ({crossing['param']})")  # fmt: skip
    steps_per_epoch = len(div) / max(report["config"]["epochs"], 1)
    for e in range(1, report["config"]["epochs"]):
        ax.axvline(e * steps_per_epoch, color="0.6", lw=0.6, ls=":", zorder=0)
    ax.set_xlabel("step (grey lines: epochs)")
    ax.set_ylabel("normwise relative divergence")
    verdict = report["verdict"].upper()  # (a step whose result was not seen is NaN: left out of the line)
    excused = f", {len(ties)} tie(s) excluded" if ties else ""
    ax.set_title(f"{verdict}: max divergence {report['max_divergence']:.2e} (tolerance {tol:.2e}{excused})")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    save_png(fig, path)


def _numbers(values: Any) -> np.ndarray:
    """A history's curve as floats (NaN where an entry is not a number)."""
    out = []
    for v in values if isinstance(values, list) else []:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            out.append(np.nan)
    return np.array(out, dtype=float)


def plot_impl_curves(report: dict[str, Any], path: Path) -> None:
    """``compare.py train --impl``: the user's curves (its own history, as its fit recorded it) and the
    reference's (torch_ref on the same batches, evaluated after each epoch) on the same axes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(11, 4.2))
    axes = fig.subplots(1, 2)
    colors = {"train": "#1f77b4", "val": "#ff7f0e"}
    sides = {
        "user": ("your fit (its history)", dict(lw=3.0, alpha=0.55, ls="-")),
        "reference": ("torch_ref, same batches", dict(lw=1.3, ls="--", marker=".", ms=5)),
    }
    for ax, metric, title in ((axes[0], "loss", "cost (torch_ref's: with penalty)"), (axes[1], "acc", "accuracy")):
        for side, (label, style) in sides.items():
            history = report[side]["history"] or {}
            for split in ("train", "val"):
                values = _numbers(history.get(f"{split}_{metric}"))
                if values.size:
                    ax.plot(np.arange(1, values.size + 1), values, color=colors[split], label=f"{label}, {split}",
                            **style)  # fmt: skip
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[1].legend(loc="center right", fontsize=8)  # the middle: a loop that learns nothing runs along the bottom
    cfg = report["config"]
    fig.suptitle(
        f"{Path(cfg['impl']).name} on {cfg['dataset']}: hidden {cfg['hidden']}, batch {cfg['batch_size']}, "
        f"lr {cfg['lr']:g}, c {cfg['c']:g} (thick: your fit, dashed: torch_ref)"
    )
    fig.tight_layout()
    save_png(fig, path)
