"""A class graded whole and in shards: ``check --impl CLASS`` against ``--shard K/N`` for each K, one after another.

    .venv/bin/python benchmarks/bench_shards.py [--students 1000] [--shards 8] [--jobs 2] [--repeats 1]

The class is generated: ``--students`` folders under generated names, each a copy of one of a handful of fixtures
(correct nets in three styles, nets with one mistake, a training loop right and wrong, a file that cannot be run),
dealt out in turn so that every shard, a contiguous part of the sorted names, holds the same mix. The whole class
is graded once, then each shard alone on the same machine (as N machines would, one at a time here), each command
timed whole, Python's start and torch's import included; the minimum of the repeats is printed. Each shard
should take close to 1/N of the whole: its students' share, plus the start-up every process pays. Then the
shards' JSON reports are merged (``compare.py merge``, timed too) and the merged report compared with the whole
run's, value for value but for each row's measured seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
MIX = [
    *(TESTS / "impls" / f"{name}.py" for name in ("correct_vectorised", "style_einsum", "style_course_recipe")),
    *(TESTS / "impls" / f"{name}.py" for name in ("decay_half", "bug_grads_doubled", "log_eps")),
    *(TESTS / "train_impls" / f"{name}.py" for name in ("correct_for_range", "wrong_sign")),
    TESTS / "impls" / "syntax_error.py",
]
NAMES = ["ada", "ben", "cai", "dee", "eli", "fay", "gus", "hal", "ivy", "jon", "kim", "lou", "max", "nia", "oli"]


def make_class(folder: Path, n: int) -> None:
    """``n`` students, ``ada0000/net.py``, ``ben0001/net.py``, ..., the fixtures of MIX dealt out in turn."""
    for i in range(n):
        student = folder / f"{NAMES[i % len(NAMES)]}{i:04d}"
        student.mkdir()
        shutil.copy(MIX[i % len(MIX)], student / "net.py")


def timed(command: list[str]) -> tuple[float, int]:
    """Wall time and exit code of ``command``, run from the checkout, its output thrown away."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, done.returncode


def best(command: list[str], repeats: int, label: str) -> float:
    """The least wall time of ``repeats`` runs; exit 2 (the command refused its arguments) stops the benchmark."""
    times = []
    for _ in range(repeats):
        wall, code = timed(command)
        if code not in (0, 1):
            sys.exit(f"bench_shards: {label} exited {code}: {' '.join(command)}")
        times.append(wall)
    print(f"  {label}: {min(times):.1f} s", file=sys.stderr, flush=True)
    return min(times)


def untimed(path: Path) -> dict:
    """A class's JSON report with each row's ``seconds`` (the one value measured, not computed) set to 0."""
    data = json.loads(path.read_text())
    for row in data["files"]:
        row["seconds"] = 0.0
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    python = sys.executable
    torch_import = min(timed([python, "-c", "import torch"])[0] for _ in range(3))  # what every process pays
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "class").mkdir()
        make_class(folder / "class", args.students)
        check = [python, "compare.py", "check", "--impl", str(folder / "class"), "--jobs", str(args.jobs)]
        whole = best([*check, "--json", str(folder / "whole.json")], args.repeats, "whole class")
        shards = [
            best(
                [*check, "--shard", f"{k}/{args.shards}", "--json", str(folder / f"shard{k}.json")],
                args.repeats,
                f"shard {k}/{args.shards}",
            )
            for k in range(1, args.shards + 1)
        ]
        reports = [str(folder / f"shard{k}.json") for k in range(1, args.shards + 1)]
        merge = best([python, "compare.py", "merge", *reports, "--json", str(folder / "merged.json")], 1, "merge")
        same = untimed(folder / "merged.json") == untimed(folder / "whole.json")
    share = whole / args.shards
    print(f"machine: {os.cpu_count()} cores; {args.students} students, --jobs {args.jobs}, "
          f"least wall time of {args.repeats} run(s) each; python -c 'import torch': {torch_import:.2f} s (least of 3)")  # fmt: skip
    print(f"| run | students | wall time | × (whole / {args.shards}) |")
    print("|---|---|---|---|")
    print(f"| whole class | {args.students} | {whole:.1f} s | {args.shards:.2f} |")
    for k, wall in enumerate(shards, 1):
        count = args.students * k // args.shards - args.students * (k - 1) // args.shards
        print(f"| shard {k}/{args.shards} | {count} | {wall:.1f} s | {wall / share:.2f} |")
    print(f"| merge of the {args.shards} reports | {args.students} | {merge:.1f} s | |")
    print(f"slowest shard {max(shards):.1f} s against whole / {args.shards} = {share:.1f} s; "
          f"shards in all {sum(shards):.1f} s; merged report == whole run's (but for each row's seconds): {'yes' if same else 'NO'}")  # fmt: skip


if __name__ == "__main__":
    main()
