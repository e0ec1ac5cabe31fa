#!/usr/bin/env python3
"""Command line of the parity suite: check the NumPy net against torch, train both side by side.

    python compare.py check [--seed N] [--dtype float64|float32] [--n N --d D --hidden H --k K] [--c C]
    python compare.py check --impl PATH [--json PATH] [--timeout SECONDS]

Exit codes: 0 parity holds, 1 parity broken, 2 bad arguments or data (one line on stderr).
This is the only module that parses arguments, prints or plots.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn, Sequence

import numpy as np

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or data: reported as one line on stderr, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


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


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text}")
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
    # check --impl: a third-party file instead of scratch_net (see run_impl_check)
    check.add_argument("--impl", metavar="PATH", help="check the cost_grad in this .py file against torch_ref")
    check.add_argument("--json", metavar="PATH", help="with --impl: also write the report as JSON")
    check.add_argument("--timeout", type=positive_float, metavar="SECONDS", help="with --impl: time limit (default 30)")
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
        f"check: n={args.n} d={args.d} hidden={args.hidden} k={args.k} c={args.c:g} "
        f"dtype={args.dtype} seed={args.seed}"
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


# ---- compare.py check --impl PATH: diagnose a third-party implementation -------------------


def run_impl_check(args: argparse.Namespace) -> int:
    """Check ``--impl``: a table, the diagnoses and warnings; exit 0 correct, 1 wrong, 2 cannot run."""
    import json
    import os
    import tempfile
    from pathlib import Path

    if args.impl is None:
        raise UsageError("--json and --timeout need --impl PATH")
    if not Path(args.impl).is_file():
        raise UsageError(f"--impl: no such file: {args.impl}")
    if args.json is not None and not Path(args.json).resolve().parent.is_dir():
        raise UsageError(f"--json: folder {Path(args.json).resolve().parent} does not exist")
    from impl_check import DEFAULT_TIMEOUT, ERROR, FAIL, check_impl  # imports torch: after the cheap checks
    from scratch_net import tolerance

    result = check_impl(args.impl, timeout=args.timeout or DEFAULT_TIMEOUT)
    if args.json is not None:  # atomically: a reader never sees half a file
        target = Path(args.json).resolve()
        with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False) as tmp:
            json.dump(result.to_dict(), tmp, indent=2, ensure_ascii=False)
        os.replace(tmp.name, target)
    if result.verdict == ERROR:
        print(f"compare.py: cannot check {args.impl}: {result.error.message}", file=sys.stderr)  # type: ignore[union-attr]
        return EXIT_USAGE
    print(f"check --impl {args.impl}: {result.entry}, float64, tolerance {tolerance(np.float64):.3e}")
    print(
        format_table(
            ["quantity", "result", "normwise rel err", "worst element (problem, index: got vs expected)"],
            [
                (r.name, r.result, "" if r.rel_err is None else f"{r.rel_err:.3e}", r.note if r.got is None else
                 f"{r.problem}{f' {r.index}' if r.index else ''}: {r.got:.6g} vs {r.expected:.6g}" + (f" ({r.note})" if r.note else ""))
                for r in result.rows
            ],
        )
    )
    for title, findings in (("diagnosis", result.diagnoses), ("warning", result.warnings)):
        for finding in findings:
            print(f"{title} [{finding.code}]: {finding.message}")
    if result.verdict == FAIL:
        print(f"FAIL: {len(result.diagnoses)} problem(s) found in {args.impl}")
        return EXIT_FAIL
    print(f"PASS: {args.impl} agrees with torch_ref on every problem" + (" (see warnings)" if result.warnings else ""))
    return EXIT_PASS


# ---- end of check --impl ------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args(["check"])
        if args.command == "check" and (args.impl, args.json, args.timeout) != (None, None, None):
            return run_impl_check(args)
        return run_check(args)
    except UsageError as exc:
        print(f"compare.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
