"""The tolerance per probe and quantity, and how close correct code in other styles comes to it.

    .venv/bin/python tools/tolerance_report.py

Prints the table of docs/tolerances.md (impl_check.probes.tolerance_table), the softmax probe's
tolerances, then checks every correct fixture (tests/impls/style_*.py, correct_*.py) and prints,
per report row, the largest error over the fixtures and its ratio to the tolerance.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from impl_check import check_impl  # noqa: E402
from impl_check.probes import SOFTMAX_Z, tolerance_table  # noqa: E402
from scratch_net.tolerance import softmax_tolerances  # noqa: E402


def main() -> None:
    print(tolerance_table())
    print("\nsoftmax probe rows [1000, 0, -1000], [0, 1, 2], [-1000, -999, -998]:", end=" ")
    print(", ".join(f"{t:.2e}" for t in softmax_tolerances(SOFTMAX_Z)))
    files = sorted([*ROOT.glob("tests/impls/style_*.py"), *ROOT.glob("tests/impls/correct_*.py")])
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(check_impl, files))
    worst: dict[str, tuple[float, float, str]] = {}
    for path, result in zip(files, results):
        for row in result.rows:
            if row.rel_err is None or row.tol is None or row.result != "PASS":  # a helper that is wrong in 2-D
                continue
            if row.name not in worst or row.rel_err / row.tol > worst[row.name][0] / worst[row.name][1]:
                worst[row.name] = (row.rel_err, row.tol, path.stem)
    print(f"\n{len(files)} correct fixtures, all {'PASS' if all(r.verdict == 'pass' for r in results) else 'NOT PASS'}")
    print("| row | largest error | its tolerance | ratio | fixture |")
    print("|---|---|---|---|---|")
    for name, (err, tol, stem) in worst.items():
        print(f"| {name} | {err:.2e} | {tol:.2e} | {err / tol:.3f} | {stem} |")


if __name__ == "__main__":
    main()
