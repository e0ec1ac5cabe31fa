"""How long grading a class takes: ``compare.py check --impl FOLDER`` on N submissions, against 3 s + 0.3 s × N.

    .venv/bin/python benchmarks/bench_grading.py [--sizes 10 50 100] [--jobs 2] [--repeats 3] [--part cost_grad]
    .venv/bin/python benchmarks/bench_grading.py --training [--sizes 100] [--jobs 2] [--repeats 3]

With ``--training`` the class is made of the training-loop fixtures (tests/train_impls/, every file has
``NetClassifier.fit`` or ``TwoLayerNet.train``), and each size is graded twice: ``--part cost_grad`` and both
parts.  Printed: the training-loop check's extra time per file (both − cost_grad, over N), against 0.5 s, and
the time with both parts against 3 s + 0.8 s × N; the minimum of the repeats (the machine may be shared), and
the CPU time of the same runs (the command and the processes it waited for), which a shared machine's load
moves far less.

Each class is N files copied from tests/impls/ (correct nets in many styles, nets with one mistake, and files
that cannot be run, in a fixed mix), each in a folder of its own as hand-ins are. The whole command is timed,
Python's start and torch's import included, as a teaching assistant would run it; the median of the repeats is
printed, with the budget and the time per file.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPLS = ROOT / "tests" / "impls"
MIX = (
    [p for p in sorted(IMPLS.glob("style_*.py"))]  # correct
    + [IMPLS / f"{name}.py" for name in ("decay_half", "sum_not_mean", "bug_leaky_relu", "labels_shifted", "log_eps")]
    + [IMPLS / f"{name}.py" for name in ("bug_float32", "relu_derivative", "syntax_error", "raises")]
)


TRAINING_MIX = sorted((ROOT / "tests" / "train_impls").glob("*.py"))
"""Correct loops in many styles, loops with one mistake each, loops that crash: all with a training method."""


def make_class(folder: Path, n: int, mix: list[Path] = MIX) -> None:
    for i in range(n):
        student = folder / f"student{i:03d}"
        student.mkdir()
        shutil.copy(mix[i % len(mix)], student / "net.py")


def training(args: argparse.Namespace) -> None:
    """The training-loop check's cost: each class graded with --part cost_grad and with both parts."""
    print(
        f"training-loop fixtures: {len(TRAINING_MIX)} files in turn; minimum of {args.repeats} runs; --jobs {args.jobs}"
    )
    print(
        "| submissions | --part cost_grad | both parts | extra per file (budget 0.5 s) | budget 3 s + 0.8 s × N "
        "| within | CPU: --part cost_grad, both, extra per file |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            make_class(Path(tmp), n, TRAINING_MIX)
            command = [sys.executable, "compare.py", "check", "--impl", tmp, "--jobs", str(args.jobs)]
            runs: dict[str, list[tuple[float, float]]] = {"cost_grad": [], "both": []}
            for _ in range(args.repeats):  # alternated, so that a change in the machine's load falls on both
                for part, extra_args in (("cost_grad", ["--part", "cost_grad"]), ("both", [])):
                    runs[part].append(measure([*command, *extra_args]))
                    wall, cpu = runs[part][-1]
                    print(f"  N={n} {part}: {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr, flush=True)
            one, both = (min(w for w, _ in runs[part]) for part in ("cost_grad", "both"))
            cpu_one, cpu_both = (min(c for _, c in runs[part]) for part in ("cost_grad", "both"))
        extra, budget = (both - one) / n, 3 + 0.8 * n
        within = extra <= 0.5 and both <= budget
        print(
            f"| {n} | {one:.1f} s | {both:.1f} s | {extra:.3f} s | {budget:.1f} s | {'yes' if within else 'NO'} "
            f"| {cpu_one:.1f} s, {cpu_both:.1f} s, {(cpu_both - cpu_one) / n:.3f} s |"
        )


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and every process it waited for): on a shared machine the CPU
    time moves far less with the load than the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time_command(command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def time_command(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--training", action="store_true", help="time the training-loop check (see above)")
    parser.add_argument("--part", choices=["cost_grad", "training", "both"], help="check one part only (default both)")
    args = parser.parse_args()
    if args.training:
        training(args)
        return
    torch_import = statistics.median(time_command([sys.executable, "-c", "import torch"]) for _ in range(args.repeats))
    print(f"machine: {os.cpu_count()} cores; python -c 'import torch': {torch_import:.2f} s (median of {args.repeats})")
    print(f"| submissions | wall time (median of {args.repeats}) | budget 3 s + 0.3 s × N | per file | within |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            make_class(Path(tmp), n)
            command = [sys.executable, "compare.py", "check", "--impl", tmp, "--jobs", str(args.jobs)]
            if args.part:
                command += ["--part", args.part]
            walls = [time_command(command) for _ in range(args.repeats)]
            wall = statistics.median(walls)
        budget = 3 + 0.3 * n
        print(f"| {n} | {wall:.1f} s | {budget:.1f} s | {wall / n:.3f} s | {'yes' if wall <= budget else 'NO'} |")
        print(f"  (minimum of the {args.repeats} repeats: {min(walls):.1f} s, {min(walls) / n:.3f} s per file)")


if __name__ == "__main__":
    main()
