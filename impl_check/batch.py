"""A whole class at once: find the submissions in files and folders, check them in parallel, report for CI.

    from impl_check.batch import discover, check_many, summary, junit_xml
    paths = discover(["submissions/"])            # every .py that defines a net to check
    results = check_many(paths, options, jobs=2)  # CheckResult each, in the order of paths
    summary(results)                              # {"pass": n, "fail": n, "error": n}
    junit_xml(results, text)                      # one <testcase> per submission

Each check runs contained (:mod:`impl_check.sandbox`); the probes' reference
values are computed once per process and shared by every file.
"""

from __future__ import annotations

import ast
import os
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable

from .checker import Options, check_impl
from .result import ERROR, FAIL, CheckResult, main_diagnosis, summary
from .sandbox import Limits

SKIPPED_FOLDERS = {"__pycache__", "node_modules", "site-packages"}
"""Folders never searched (with every hidden folder: .git, .venv, ...)."""


def defines_a_net(path: Path) -> bool:
    """Does the file define ``cost_grad`` (at module level or in ``NetClassifier``) or ``TwoLayerNet.loss``,
    or import one under that name?

    A file that does not parse counts as a submission (its check says what is wrong); a helper beside a
    submission defines none of these, and is not checked on its own.
    """
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError):
        return True
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "cost_grad":
            return True
        if isinstance(node, ast.ClassDef) and node.name in ("NetClassifier", "TwoLayerNet"):
            method = "cost_grad" if node.name == "NetClassifier" else "loss"
            if any(isinstance(item, ast.FunctionDef) and item.name == method for item in node.body):
                return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "cost_grad" for t in node.targets):
            return True
        if isinstance(node, ast.ImportFrom) and any(
            (alias.asname or alias.name) in ("cost_grad", "NetClassifier", "TwoLayerNet") for alias in node.names
        ):
            return True
    return False


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The submissions: each file given, and every .py under each folder given that defines a net.

    Raises
    ------
    ValueError
        naming a path that does not exist.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(path.resolve())
        elif path.is_dir():
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in SKIPPED_FOLDERS)
                for name in sorted(files):
                    candidate = Path(folder) / name
                    if name.endswith(".py") and defines_a_net(candidate):
                        found.append(candidate.resolve())
        else:
            raise ValueError(f"no such {'file' if str(raw).endswith('.py') else 'file or folder'}: {raw}")
    return list(dict.fromkeys(found))  # each once, in the order found


def prepare(
    impl: list[str],
    *,
    interface: str | None = None,
    penalty: str | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
    sandbox: str | None = None,
    allow_imports: list[str] | None = None,
) -> tuple[Options, list[Path]]:
    """The options and the submissions of ``compare.py check --impl``, defaults filled in.

    Raises
    ------
    ValueError
        one line for the user: a path that does not exist, no submission found, an option refused.
    """
    limits = Limits(timeout=timeout or Limits.timeout, memory_mb=memory_mb or Limits.memory_mb)
    options = Options(interface, penalty or "full", limits, sandbox or "auto", tuple(allow_imports or ()))
    try:
        paths = discover(impl)
    except ValueError as exc:
        raise ValueError(f"--impl: {exc}") from None
    if not paths:
        raise ValueError(
            f"--impl: no submission found in {' '.join(impl)} (no .py file defines cost_grad or TwoLayerNet.loss)"
        )
    return options, paths


def report_data(results: list[CheckResult], single: bool) -> dict[str, Any]:
    """The JSON report: one file's as it is; several as ``{"files": [...], "summary": {...}}``."""
    if single:
        return results[0].to_dict()
    return {"files": [r.to_dict() for r in results], "summary": summary(results)}


def check_many(
    paths: list[Path],
    options: Options,
    *,
    jobs: int | None = None,
    done: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Check every file, ``jobs`` at a time (default: the cores); ``done`` is called as each finishes.

    Returns the results in the order of ``paths``.
    """
    jobs = os.cpu_count() or 1 if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1; got {jobs}")

    def one(path: Path) -> CheckResult:
        result = check_impl(path, options=options)
        if done is not None:
            done(result)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, paths))


def junit_xml(results: list[CheckResult], text: Callable[[CheckResult], str]) -> str:
    """JUnit XML: one ``<testcase>`` per submission (classname: its folder, name: the file).

    A FAIL is a ``<failure>`` whose message is the first diagnosis, an ERROR an
    ``<error>`` with the reason; ``text(result)`` goes into ``<system-out>``.
    GitHub Actions' and GitLab's test reports read this format.
    """
    counts = summary(results)
    suite = ET.Element(
        "testsuite",
        name="impl_check",
        tests=str(len(results)),
        failures=str(counts[FAIL]),
        errors=str(counts[ERROR]),
        skipped="0",
    )
    for result in results:
        path = Path(result.path)
        case = ET.SubElement(suite, "testcase", classname=str(path.parent), name=path.name)
        if result.verdict == FAIL:
            first = main_diagnosis(result)  # the main mistake: one that changes a gradient, then the cost, ...
            assert first is not None  # a FAIL has a diagnosis
            failure = ET.SubElement(case, "failure", message=f"[{first.code}] {first.message}", type=first.code)
            failure.text = "\n".join(f"[{f.code}] {f.message}" for f in result.diagnoses)
        elif result.verdict == ERROR and result.error is not None:
            error = ET.SubElement(case, "error", message=result.error.message, type=result.error.code)
            error.text = result.output or result.error.message
        ET.SubElement(case, "system-out").text = text(result)
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
