"""How long grading a class takes: ``compare.py check --impl FOLDER`` on N submissions, against 3 s + 0.3 s × N.

    .venv/bin/python benchmarks/bench_grading.py [--sizes 10 50 100] [--jobs 2] [--repeats 3] [--part cost_grad]

Each class is N files copied from tests/impls/ (correct nets in many styles, nets with one mistake, and files
that cannot be run, in a fixed mix), each in a folder of its own as hand-ins are. The whole command is timed,
Python's start and torch's import included, as a teaching assistant would run it; the median of the repeats is
printed, with the budget and the time per file.
"""

from __future__ import annotations

import argparse
import os
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


def make_class(folder: Path, n: int) -> None:
    for i in range(n):
        student = folder / f"student{i:03d}"
        student.mkdir()
        shutil.copy(MIX[i % len(MIX)], student / "net.py")


def time_command(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--part", choices=["cost_grad", "training", "both"], help="check one part only (default both)")
    args = parser.parse_args()
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
