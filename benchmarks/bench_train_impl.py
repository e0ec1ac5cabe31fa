"""``compare.py train --impl`` against ``compare.py train``: the same data and settings, the ratio of their times.

    .venv/bin/python benchmarks/bench_train_impl.py [--dataset digits] [--epochs 20] [--repeats 3] [--impl FILE]

Issue 16's target: train --impl on digits for 20 epochs takes at most 2x the time of compare.py train on the same
data.  Each command runs as its own process, as a user runs it (start-up, imports, data, training, figures and
report included), the two alternating, ``--repeats`` times each; the minimum of each is reported (the machine may
be shared: the minimum is the run least disturbed), with every time and the load average before and after.
``--impl`` is a correct course loop (tests/train_impls/correct_for_range.py by default): it trains the same
number of steps as the reference, which train --impl then replays on torch_ref.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 2.0


def timed(argv: list[str]) -> float:
    """Wall time of ``compare.py argv`` run from the checkout; exit 0 or 1 is expected (2 is an error)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "compare.py"), *argv], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"compare.py {' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--impl", type=Path, default=ROOT / "tests" / "train_impls" / "correct_for_range.py")
    args = parser.parse_args()
    common = ["--dataset", args.dataset, "--epochs", str(args.epochs)]
    times: dict[str, list[float]] = {"train": [], "train --impl": []}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            times["train"].append(timed(["train", *common, "--out", f"{tmp}/ref{i}"]))
            times["train --impl"].append(timed(["train", "--impl", str(args.impl), *common, "--out", f"{tmp}/impl{i}"]))
    load_after = os.getloadavg()
    print(f"{args.dataset}, {args.epochs} epochs, {args.repeats} run(s) each, {os.cpu_count()} cores; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after")  # fmt: skip
    for name, values in times.items():
        print(f"compare.py {name:13s} min {min(values):6.2f} s  (all: {', '.join(f'{v:.2f}' for v in values)})")
    ratio = min(times["train --impl"]) / min(times["train"])
    print(f"ratio of minimums: {ratio:.2f} (target: at most {TARGET:g}): {'met' if ratio <= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
