"""check_impl without the child process: the worker's own steps run in this process.

The checker's judgement (impl_check.engine, the catalogue's predictions, the report's findings) depends only on
what the file returned; where that is computed does not matter to it.  Run here, a check costs milliseconds
instead of a sandboxed process, and mutation testing sees the engine's functions called by the test that checks
their result.  Only for fixtures that return: import bans, output capture and caps are the sandbox's, tested in
test_impl_check.py and test_containment.py.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pytest

from impl_check import checker, worker
from impl_check.checker import Options
from impl_check.sandbox import Run

IMPLS = Path(__file__).resolve().parent / "impls"


def run_here(submission: Path, problems_file: Path, *, interface: str | None, **_: Any) -> Run:
    """What :func:`impl_check.sandbox.run_worker` returns, from the worker's steps (``worker.main``) run here."""
    with np.load(problems_file, allow_pickle=False) as data:
        problems = [
            {key: data[f"p{i}_{key}"] for key in ("X", "y", "c", *worker.PARAM_KEYS)} for i in range(int(data["count"]))
        ]
        softmax_Z = data["softmax_Z"]
    module = worker.load_module(str(submission))
    status: dict[str, Any] = {"stage": "done", "error": None, "calls": [], "softmax": None, "trains": False}
    status.update(import_output="", banned_imports=[])
    entry, status["entry"], status["interface"] = worker.find_entry(module, interface or "auto")
    status["decay_default"] = worker.decay_default(module, entry, status["interface"])
    arrays: dict[str, np.ndarray] = {}
    for i, problem in enumerate(problems):
        info, returned = worker.call_once(entry, problem, str(submission))
        info["output"] = ""  # what it printed: the sandbox reads it from the output file (not checked here)
        del info["output_span"]
        status["calls"].append(info)
        arrays.update({f"p{i}_{key}": np.asarray(value) for key, value in returned.items()})
    softmax = getattr(module, "softmax", None)
    if callable(softmax):
        status["softmax"], outputs = worker.probe_softmax(softmax, softmax_Z, str(submission))
        arrays.update(outputs)
    return Run(status, arrays)


@contextlib.contextmanager
def in_process() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checker, "run_worker", run_here)
        yield


def check_here(name: str, penalty: str = "full", interface: str | None = None) -> checker.CheckResult:
    """``check_impl(tests/impls/NAME.py, penalty=...)`` with the worker run in this process (cost_grad only)."""
    with in_process():
        return checker.check_impl(IMPLS / f"{name}.py", options=Options(interface, penalty, parts=("cost_grad",)))
