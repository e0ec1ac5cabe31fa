"""``compare.py train --impl FILE``: the user's own ``NetClassifier.fit`` on a real data set, the torch reference
beside it on the same batches (impl_check.side_by_side), and the run folder written."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

from parity_run.text_table import format_table

from .common import EXIT_FAIL, EXIT_PASS, EXIT_USAGE, UsageError, positive_float, positive_int

DEFAULT_TIMEOUT = 300.0
"""Seconds for the file's whole fit (check --impl's 30 s are for a small problem; this trains on a data set)."""
OPTIONS = ("timeout", "memory_mb", "sandbox", "allow_import", "penalty")


def add_arguments(train: argparse.ArgumentParser) -> None:
    """The options of ``compare.py train --impl`` on the ``train`` subparser."""
    train.add_argument("--impl", type=Path, metavar="FILE", help="train this file's NetClassifier.fit beside "
                       "torch_ref, on the same batches, and report where they part")  # fmt: skip
    train.add_argument("--timeout", type=positive_float, metavar="SECONDS",
                       help=f"with --impl: the cap on the run (import and fit; default {DEFAULT_TIMEOUT:g})")  # fmt: skip
    train.add_argument("--memory-mb", type=positive_int, metavar="MB", help="with --impl: memory cap (default 2048)")
    train.add_argument("--sandbox", choices=["auto", "require"], help="with --impl: require bubblewrap, or exit 2")
    train.add_argument("--allow-import", action="append", metavar="NAME", help="with --impl: permit torch, jax, ...")
    train.add_argument("--penalty", choices=["full", "half"], help="with --impl: the file's cost_grad takes c·ΣW² "
                       "(full, default) or (c/2)·ΣW² (half: the reference is given c/2)")  # fmt: skip


def wanted(args: argparse.Namespace) -> bool:
    """Whether ``train`` was given --impl or one of its options (which then need it)."""
    return args.impl is not None or any(getattr(args, name) is not None for name in OPTIONS)


def run(args: argparse.Namespace) -> int:
    """Train the file's fit beside the reference; exit 0 when they stayed together, 1 when they parted, 2 when
    the arguments are wrong or the file cannot be trained (one line on stderr)."""
    started = time.perf_counter()
    if args.impl is None:
        raise UsageError("--timeout, --memory-mb, --sandbox, --allow-import and --penalty need --impl FILE")
    if not args.impl.is_file():
        raise UsageError(f"--impl {args.impl}: no such file")
    if args.save_params:
        raise UsageError("--save-params: not with --impl (the user's parameters are its own to save)")
    from tqdm import tqdm

    from impl_check import checker, sandbox, side_by_side, training
    from parity_run import figures, run_report, train_run

    settings = train_run.TrainSettings.from_mapping(vars(args))
    if settings.out is None:
        name = Path(settings.dataset).stem if settings.dataset.endswith(".npz") else settings.dataset
        settings = dataclasses.replace(settings, out=Path("runs") / f"impl-{name}-{time.strftime('%Y%m%d-%H%M%S')}")
    limits = sandbox.Limits(timeout=args.timeout or DEFAULT_TIMEOUT, memory_mb=args.memory_mb or 2048)
    options = checker.Options("course", args.penalty or "full", limits, args.sandbox or "auto", tuple(args.allow_import or ()),
                              ("training",))  # fmt: skip
    notice = lambda message: print(f"compare.py: {message}", file=sys.stderr)  # noqa: E731
    prepared = train_run.prepare(settings, on_notice=notice)
    if not options.contained:
        notice(sandbox.NOT_CONTAINED)
    print(f"{prepared.header().replace('train:', f'train --impl {args.impl}:', 1)}")
    with tqdm(total=prepared.total_steps, desc=f"{args.impl.name} beside torch_ref", unit="step", disable=None,
              file=sys.stderr) as bar:  # fmt: skip
        try:
            result = side_by_side.side_by_side(args.impl, prepared.data, prepared.init, prepared.config, options,
                                               tol=prepared.tolerance, device=prepared.settings.device,
                                               on_step=lambda _: bar.update())  # fmt: skip
        except side_by_side.CannotRun as exc:
            bar.close()
            print(f"compare.py: cannot train {args.impl}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    diagnosis = training.check_training(args.impl, options)  # the small problem, as check --impl runs it
    s, data = prepared.settings, prepared.data
    config = {key: getattr(s, key) for key in run_report.SETTINGS}
    config.update(impl=str(args.impl), device=s.device, init=None if s.init is None else str(s.init),
                  n_train=int(len(data["y_train"])), n_val=int(len(data["y_val"])), d=int(data["X_train"].shape[1]),
                  k=int(data["y_train"].max()) + 1, timeout=limits.timeout, memory_mb=limits.memory_mb,
                  sandbox=options.sandbox_name, penalty=options.penalty)  # fmt: skip
    env = run_report.environment(s.device, prepared.torch_settings)
    report = side_by_side.build_report(config, result, diagnosis, env)
    report["runtime_s"] = round(time.perf_counter() - started, 3)
    out = prepared.out
    out.mkdir(parents=True, exist_ok=True)
    figures.plot_impl_curves(report, out / "curves.png")
    figures.plot_divergence(report, out / "divergence.png", mine="yours")
    run_report.write_report(out / "report.json", report)  # last: a folder with report.json is complete
    print_summary(report, out)
    return EXIT_PASS if report["verdict"] == "pass" else EXIT_FAIL


def _last(history: dict[str, Any] | None, key: str, fmt: str) -> str:
    values = (history or {}).get(key)
    if not isinstance(values, list) or not values:
        return "-"
    try:
        return format(float(values[-1]), fmt)
    except (TypeError, ValueError):
        return str(values[-1])


def print_summary(report: dict[str, Any], out: Path) -> None:
    """The table of final values, the divergence, where the two parted and why, what was written."""
    user, ref = report["user"]["history"], report["reference"]["history"]
    rows = [[f"final {label}", _last(user, key, fmt), _last(ref, key, fmt)]
            for label, key, fmt in (("train cost", "train_loss", ".6f"), ("val cost", "val_loss", ".6f"),
                                    ("train acc", "train_acc", ".4f"), ("val acc", "val_acc", ".4f"))]  # fmt: skip
    print(format_table(["", "your fit (its history)", "torch_ref (same batches)"], rows))
    print(f"max divergence {report['max_divergence']:.3e} (tolerance {report['tolerance']:.3e}) over "
          f"{len(report['steps'])} steps, {report['calls']} cost_grad calls")  # fmt: skip
    for note in report["notes"]:
        print(f"note: {note}")
    parted = report["parted"]
    if parted is None:
        print("PASS: your fit and the reference stayed together")
    else:
        print(f"FAIL: your fit parted from the reference at step {parted['step']} (epoch {parted['epoch']}): "
              f"{parted['why']}")  # fmt: skip
    diagnosis = report["diagnosis"]
    if diagnosis is not None:
        found = diagnosis["diagnoses"] + diagnosis["warnings"]
        print(f"training-loop check ({diagnosis['problem']}): {diagnosis['level']}")
        for finding in found:
            print(f"  {finding['code']}: {finding['message']}")
    print(f"wrote {out / 'report.json'}, curves.png, divergence.png in {report['runtime_s']:.1f} s")
