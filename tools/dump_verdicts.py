"""Every in-process fixture's full check result, as JSON, for a byte-for-byte diff before and after an engine change.

    .venv/bin/python tools/dump_verdicts.py OUT.json [--times TIMES.tsv] [--penalty full|half|both]

Checks every tests/impls fixture that returns values (not those that cannot run, print, or need the sandbox:
tests/test_impl_check.py's CANNOT_RUN, prints, warn_softmax_unchecked, scratch_net_wrapper and their cs231n
twins) in this process, NumPy's global generator seeded before each, (tests/inprocess.py ``check_here``) under the penalty "full" and "half", and writes each
result's ``to_dict()`` without its wall-clock ``seconds`` to OUT.json, one fixture a line.  The engine's
judgement depends only on what the file returned, so two runs of the same code give the same bytes, and a change
that is meant to be faster only must give them too: ``cmp`` the files.

``--times`` writes each check's seconds (perf_counter, this process, in order: a run's caches are warm after the
first files, as in a class's check) to a tab-separated file: fixture, penalty, seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import numpy as np  # noqa: E402
import torch  # noqa: E402
from inprocess import IMPLS, check_here  # noqa: E402
from test_impl_check import CANNOT_RUN  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

SANDBOX_ONLY = {"prints", "warn_softmax_unchecked", "scratch_net_wrapper"}
"""Fixtures whose check needs the sandbox's output capture or import bans (besides CANNOT_RUN)."""


def fixtures() -> list[str]:
    """The fixtures that return values, sorted by name."""
    skip = {*CANNOT_RUN, *SANDBOX_ONLY}
    skip |= {f"cs231n_{name}" for name in skip}
    return sorted(p.stem for p in IMPLS.glob("*.py") if p.stem not in skip)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--times", type=Path)
    parser.add_argument("--penalty", choices=("full", "half", "both"), default="both")
    args = parser.parse_args()
    torch.set_num_threads(1)  # as compare.py and the tests run (tests/conftest.py)
    threadpool_limits(1)
    penalties = ("full", "half") if args.penalty == "both" else (args.penalty,)
    lines, times = [], []
    for penalty in penalties:
        for name in fixtures():
            np.random.seed(0)  # fam_dropout_left_on draws from NumPy's global generator
            start = time.perf_counter()
            result = check_here(name, penalty)
            times.append(f"{name}\t{penalty}\t{time.perf_counter() - start:.4f}")
            data = result.to_dict()
            del data["seconds"]
            line = json.dumps({"fixture": name, "penalty": penalty, "result": data}, sort_keys=True)
            lines.append(line.replace(str(ROOT), "<root>"))  # the same in another checkout
    args.out.write_text("\n".join(lines) + "\n")
    if args.times:
        args.times.write_text("\n".join(times) + "\n")


if __name__ == "__main__":
    main()
