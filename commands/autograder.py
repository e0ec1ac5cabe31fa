"""``compare.py autograder gradescope --out DIR [--rubric FILE.toml]``: write Gradescope's autograder bundle.

DIR gets ``setup.sh`` (run once by Gradescope in its Ubuntu image: installs the CPU build of torch, then this
project from the bundle's copy of its source), ``run_autograder`` (run for each submission: grades
``/autograder/submission`` into ``/autograder/results/results.json``) and ``autograder.zip``, the file to upload:
both scripts at its root, the rubric (``rubric.toml``: the one given, else the default) and the project's
source under ``project/``. docs/grading-exports.md describes it.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path
from typing import IO

from parity_run.atomic import atomic_write, atomic_write_text, check_writable

from .common import EXIT_PASS, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10: the tomli backport
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
"""The checkout whose source goes into the bundle (pyproject.toml names its packages and modules)."""

TORCH_INDEX = "https://download.pytorch.org/whl/cpu"

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, in its Ubuntu image, from the folder the bundle was unpacked into
# (/autograder/source): Python, the CPU build of torch (not the CUDA one: a few GB that a grader never uses),
# then this project from the bundle's copy of its source. Written by compare.py autograder gradescope.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# bubblewrap: the checker contains each submission with it where the container allows user namespaces
apt-get install -y -q python3 python3-venv python3-pip bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install -q --upgrade pip
/autograder/venv/bin/python -m pip install -q --index-url {index} "{torch}"
/autograder/venv/bin/python -m pip install -q ./project
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission: it grades /autograder/submission (the student's files) into
# /autograder/results/results.json, with the bundle's rubric. Written by compare.py autograder gradescope.
# AUTOGRADER_ROOT (default /autograder) and AUTOGRADER_PYTHON (default $root/venv/bin/python) let a test run it
# in a folder that stands in for /autograder.
set -uo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
python="${AUTOGRADER_PYTHON:-$root/venv/bin/python}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/class" "$work/out" "$root/results"
# the submission as a class of one student's folder: the checker chooses the net among its files
ln -s "$root/submission" "$work/class/submission"
cd "$work"
"$python" -m compare check --impl "$work/class" --rubric "$root/source/rubric.toml" --gradescope "$work/out" \\
    --jobs 1 >"$work/stdout.txt" 2>"$work/stderr.txt"
status=$?
cat "$work/stdout.txt"
if [ -f "$work/out/submission.json" ]; then
    cp "$work/out/submission.json" "$root/results/results.json"
else  # the grader itself failed (bad arguments, a broken install): say so, never leave no results
    cat "$work/stderr.txt" >&2
    "$python" -c 'import json, sys; json.dump({"score": 0, "output": "the autograder could not grade this submission (exit " + sys.argv[1] + "): " + sys.argv[2] + "; please tell your instructor", "tests": []}, open(sys.argv[3], "w"))' \\
        "$status" "$(tail -n 1 "$work/stderr.txt")" "$root/results/results.json"
fi
"""


def add_arguments(sub: argparse._SubParsersAction) -> None:
    """The ``autograder`` subcommand on the subparsers of compare.py."""
    parser = sub.add_parser("autograder", help="write a course platform's autograder bundle (gradescope)")
    parser.add_argument("platform", choices=["gradescope"], help="the platform")
    parser.add_argument("--out", required=True, metavar="DIR", help="the folder to write into (made if missing)")
    parser.add_argument("--rubric", metavar="FILE.toml", help="the rubric to grade with (default: the default)")


def project_files(root: Path = ROOT) -> list[Path]:
    """The files of the project that ``pip install`` needs, relative to ``root``: pyproject.toml, the README it
    names, its modules and every file of its packages (package data included), without caches.

    Raises
    ------
    UsageError
        when ``root`` holds no pyproject.toml (an installed copy rather than a checkout).
    """
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise UsageError(f"autograder: the project's source is needed and {pyproject} does not exist")
    config = tomllib.loads(pyproject.read_text())
    setuptools = config["tool"]["setuptools"]
    files = [Path("pyproject.toml"), Path(config["project"]["readme"])]
    files += [Path(f"{module}.py") for module in setuptools.get("py-modules", [])]
    for package in setuptools["packages"]:
        files += sorted(
            p.relative_to(root)
            for p in (root / package).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        )
    return files


def torch_requirement(root: Path = ROOT) -> str:
    """The project's requirement on torch, as pyproject.toml gives it (e.g. "torch>=2.2,<3")."""
    config = tomllib.loads((root / "pyproject.toml").read_text())
    return next(d for d in config["project"]["dependencies"] if d.replace(" ", "").startswith("torch"))


def write_bundle(out: Path, rubric_text: str, root: Path = ROOT) -> list[Path]:
    """Write setup.sh, run_autograder and autograder.zip into ``out`` (made if missing), each atomically;
    return their paths."""
    files = project_files(root)
    setup = SETUP.format(index=TORCH_INDEX, torch=torch_requirement(root))
    out.mkdir(parents=True, exist_ok=True)
    scripts = {"setup.sh": setup, "run_autograder": RUN_AUTOGRADER}
    for name, text in scripts.items():
        atomic_write_text(out / name, text)
        (out / name).chmod(0o755)

    def write_zip(handle: IO[bytes]) -> None:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, text in scripts.items():  # at the root, executable: Gradescope runs them from there
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o100755 << 16
                bundle.writestr(info, text, zipfile.ZIP_DEFLATED)
            bundle.writestr(zipfile.ZipInfo("rubric.toml", date_time=(2020, 1, 1, 0, 0, 0)), rubric_text)
            for path in files:
                bundle.write(root / path, f"project/{path.as_posix()}")

    atomic_write(out / "autograder.zip", write_zip, mode="wb")
    return [out / name for name in (*scripts, "autograder.zip")]


def run(args: argparse.Namespace) -> int:
    """Check the rubric and the folder, write the bundle, say what was written."""
    from impl_check.rubric import DEFAULT_RUBRIC, load_rubric

    out = Path(args.out)
    check_writable(out, "--out", folder=True)
    load_rubric(args.rubric)  # a bad rubric: one line, exit 2, nothing written
    rubric_path = Path(args.rubric) if args.rubric else DEFAULT_RUBRIC
    written = write_bundle(out, rubric_path.read_text())
    print(f"wrote {', '.join(str(p) for p in written)}")
    print("upload autograder.zip as the assignment's autograder (Configure Autograder, Zip file upload)")
    return EXIT_PASS
