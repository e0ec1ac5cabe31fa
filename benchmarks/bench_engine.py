"""The in-process share of a cost_grad check: the engine's time per file in a class, the child processes left out.

    .venv/bin/python benchmarks/bench_engine.py [--size 40] [--repeats 5]

bench_grading.py times the whole command (Python's start, the sandboxed child process of every file, the
engine); this one times only what runs in the grader's own process once the child has reported: the probes
judged and the differences explained by the catalogue (:func:`impl_check.checker.check_impl` with the child's
run replayed from a first pass). The class is the same mix of tests/impls files as bench_grading.py's; its
caches (references, predictions) start empty for each repeat, as in a fresh ``compare.py check`` run. The
minimum of the repeats is printed (the machine may be shared), with the median.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from bench_grading import MIX

import impl_check.checker as checker
from impl_check import engine
from impl_check.checker import Options, check_impl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    runs: dict[Path, Any] = {}
    real = checker.run_worker

    def replay(submission: Path, *a: Any, **k: Any) -> Any:
        if submission not in runs:
            runs[submission] = real(submission, *a, **k)
        return runs[submission]

    checker.run_worker = replay  # type: ignore[assignment]
    options = Options(parts=("cost_grad",))
    files = [MIX[i % len(MIX)] for i in range(args.size)]
    for f in MIX:
        check_impl(f, options=options)
    times = []
    for _ in range(args.repeats):
        for cache in (engine._REFERENCES, engine._PARTS, engine._PREDICTED, getattr(engine, "_FOOTPRINTS", {})):
            cache.clear()
        start = time.perf_counter()
        for f in files:
            check_impl(f, options=options)
        times.append((time.perf_counter() - start) / args.size)
    print(
        f"{args.size} files, {args.repeats} repeats: engine time per file min {min(times) * 1e3:.1f} ms, "
        f"median {statistics.median(times) * 1e3:.1f} ms"
    )
    slowest = []
    for f in MIX:
        start = time.perf_counter()
        check_impl(f, options=options)
        slowest.append((time.perf_counter() - start, f.name))
    print("warm caches, per file: " + ", ".join(f"{name} {t * 1e3:.0f} ms" for t, name in sorted(slowest)[::-1][:5]))


if __name__ == "__main__":
    main()
