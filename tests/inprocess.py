"""check_impl without the child process: the worker's own ``main`` runs in this process.

The checker's judgement (impl_check.engine, the catalogue's predictions, the training check's findings, the
report) depends only on what the worker wrote (status.json and results.npz); where the worker ran does not
matter to it.  Run here, a check costs milliseconds instead of a sandboxed process (bubblewrap, Python and
NumPy started each time), and mutation testing sees the engine's functions called by the test that checks their
result.  What only a sandbox does (import bans for packages already imported here, what a file prints, caps,
hangs, exits) is tested on sandboxed runs: test_impl_check.py's SANDBOXED fixtures and test_containment.py; and
test_impl_check.py and test_training_check.py check that the two paths give the same result on files of theirs.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pytest

from impl_check import checker, train_worker, training, worker
from impl_check.checker import Options
from impl_check.sandbox import Run, read_report

IMPLS = Path(__file__).resolve().parent / "impls"


def run_here(
    submission: Path,
    problems_file: Path,
    *,
    interface: str | None,
    banned: tuple[str, ...] = (),
    script: Path | None = None,
    **_: Any,
) -> Run:
    """What :func:`impl_check.sandbox.run_worker` returns, from the same worker's ``main`` run in this process.

    ``script`` is the training check's worker (train_worker.py) or None (worker.py), as for run_worker.  The
    process's import hooks, import path and global random state are put back afterwards; what the file printed
    is not read (it went to pytest's capture), so every call's output is empty.
    """
    main = worker.main if script is None else train_worker.main
    meta_path, path, random_state = list(sys.meta_path), list(sys.path), np.random.get_state()
    with tempfile.TemporaryDirectory(prefix="impl_check_here_") as out:
        try:
            main([str(Path(submission).resolve()), str(problems_file), out, interface or "auto", ",".join(banned)])
        finally:
            sys.meta_path[:], sys.path[:] = meta_path, path
            np.random.set_state(random_state)
        status, arrays = read_report(Path(out))
        assert status is not None, "the worker wrote no status"
    status.pop("import_span", None)
    status["import_output"] = ""
    for call in status.get("calls", []):
        call.pop("output_span", None)
        call["output"] = ""
    return Run(status, arrays)


@contextlib.contextmanager
def in_process() -> Iterator[None]:
    """check_impl and check_training, within the block, run their workers here."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checker, "run_worker", run_here)
        patch.setattr(training, "run_worker", run_here)
        yield


def check_path(path: Path, options: Options) -> checker.CheckResult:
    """``check_impl(path, options=options)`` with the workers run in this process."""
    with in_process():
        return checker.check_impl(path, options=options)


def check_here(name: str, penalty: str = "full", interface: str | None = None) -> checker.CheckResult:
    """``check_impl(tests/impls/NAME.py, penalty=...)`` with the worker run in this process (cost_grad only)."""
    return check_path(IMPLS / f"{name}.py", Options(interface, penalty, parts=("cost_grad",)))
