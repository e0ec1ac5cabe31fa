"""A whole class at once: find the students, check them in parallel, report for CI.

    from impl_check.batch import discover, check_many, summary, junit_xml
    units = discover(["submissions/"])            # one Unit per student (impl_check.units)
    results = check_many(units, options, jobs=2)  # one CheckResult each, in the order of units
    summary(results)                              # {"pass": n, "fail": n, "error": n}
    junit_xml(results, text)                      # one <testcase> per student

Each check runs contained (:mod:`impl_check.sandbox`) on the unit's own files only; the probes' reference
values are computed once per process and shared by every file.

A result's ``name`` is its unit's ("alice", "carol.py", or a path as given) and its ``path`` the file checked,
relative to the class folder: "alice/net_classifier.py", "bob/handin2.ipynb", "carol/handin.zip: carol/net.py"
(the member of the archive after the colon), or the unit's own name when nothing could be checked; never the
grader's absolute path.
"""

from __future__ import annotations

import json
import os
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import IO, Any, Callable, Iterable

from parity_run.atomic import atomic_write, atomic_write_text

from . import exports, report
from .checker import Options, check_impl
from .result import ERROR, FAIL, CheckResult, Finding, main_diagnosis, summary
from .rubric import Rubric, load_rubric, score
from .sandbox import Limits
from .units import SUB, Unit, cell_lines, choose, defines_a_net, find_units, stage, staging

__all__ = ["check_many", "check_unit", "defines_a_net", "discover", "junit_xml", "prepare", "report_data", "summary"]


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Unit]:
    """The students in ``paths``: :func:`impl_check.units.find_units`.

    Raises
    ------
    ValueError
        naming a path that does not exist.
    """
    return find_units(paths)


def check_unit(unit: Unit, options: Options) -> CheckResult:
    """One student's CheckResult: the unit staged into a run folder, its net chosen and checked.

    A unit with nothing gradable is an ERROR whose finding says what was found (:func:`impl_check.units.choose`);
    notes say which of several nets was checked, and what was not copied or extracted.
    """
    with staging() as folder:
        staged = stage(unit, folder / SUB)
        chosen = choose(staged, options.interface)
        if isinstance(chosen, Finding):
            notes = [p for p in staged.problems if p.message not in chosen.message]  # each said once
            return CheckResult(
                unit.name, ERROR, name=unit.name, error=chosen, notes=notes, sandbox=options.sandbox_name
            )
        path, notes = chosen
        result = check_impl(path, options=options, staged=folder)
        result.name, result.path = unit.name, staged.shown.get(path, unit.name)
        result.notes = notes + result.notes
        if staged.notebooks:  # "line 40 of handin2.py" (generated) as the notebook's cell and line
            result.error = (
                None
                if result.error is None
                else replace(result.error, message=cell_lines(result.error.message, staged))
            )
            result.diagnoses = [replace(f, message=cell_lines(f.message, staged)) for f in result.diagnoses]
            result.warnings = [replace(f, message=cell_lines(f.message, staged)) for f in result.warnings]
            t = result.training
            if t is not None:
                for found in (t.diagnoses, t.warnings):
                    found[:] = [replace(f, message=cell_lines(f.message, staged)) for f in found]
        return result


def prepare(
    impl: list[str],
    *,
    interface: str | None = None,
    penalty: str | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
    sandbox: str | None = None,
    allow_imports: list[str] | None = None,
    part: str | None = None,
) -> tuple[Options, list[Unit]]:
    """The options and the units (students) of ``compare.py check --impl``, defaults filled in.

    Raises
    ------
    ValueError
        one line for the user: a path that does not exist, a folder with no submission, an option refused.
    """
    limits = Limits(timeout=timeout or Limits.timeout, memory_mb=memory_mb or Limits.memory_mb)
    parts = ("cost_grad", "training") if part in (None, "both") else (part,)
    options = Options(interface, penalty or "full", limits, sandbox or "auto", tuple(allow_imports or ()), parts)
    try:
        units = discover(impl)
    except ValueError as exc:
        raise ValueError(f"--impl: {exc}") from None
    return options, units


def report_data(results: list[CheckResult], single: bool, shard: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON report: one file's as it is; several as ``{"files": [...], "summary": {...}}``, and a shard's
    with its header (:func:`impl_check.shards.select`) as ``"shard"``."""
    if single:
        return results[0].to_dict()
    data = {"files": [r.to_dict() for r in results], "summary": summary(results)}
    return data if shard is None else {**data, "shard": shard}


def check_many(
    units: list[Unit],
    options: Options,
    *,
    jobs: int | None = None,
    done: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Check every unit, ``jobs`` at a time (default: the cores); ``done`` is called as each finishes.

    Returns one result per unit, in the order of ``units``: a unit on which the checker itself raises is an
    ERROR ``checker-error`` naming the exception, and the others are still checked.
    """
    jobs = os.cpu_count() or 1 if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1; got {jobs}")

    def one(unit: Unit) -> CheckResult:
        started = time.perf_counter()
        try:
            result = check_unit(unit, options)
        except Exception as exc:  # a defect of the checker's on one file: that student's row says so, the rest go on
            why = Finding(
                "checker-error",
                f"the checker failed on this submission ({type(exc).__name__}: {exc}): a defect of the checker's "
                "(please report it), or a report the submission's own code wrote over; the others were checked",
            )
            result = CheckResult(unit.name, ERROR, name=unit.name, error=why, sandbox=options.sandbox_name)
        result.seconds = round(time.perf_counter() - started, 3)
        if done is not None:
            done(result)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, units))


def junit_xml(results: list[CheckResult], text: Callable[[CheckResult], str]) -> str:
    """JUnit XML: one ``<testcase>`` per student (classname: the unit's name, name: the file checked); for a file
    with a training method, one per part: "PATH [cost_grad]" and "PATH [training loop]".

    A FAIL is a ``<failure>`` whose message is the main diagnosis (:func:`impl_check.result.main_diagnosis`; the
    training loop's first diagnosis), an ERROR an ``<error>`` with the reason; ``text(result)`` goes into
    ``<system-out>`` of each.  GitHub Actions' and GitLab's test reports read this format.
    """
    cases: list[tuple[CheckResult, str, str, Finding | None, list[Finding], Finding | None]] = []
    for result in results:  # (result, name, verdict, main diagnosis, diagnoses, error)
        parts = []
        if "cost_grad" in result.parts:
            parts.append(("cost_grad", result.verdict, main_diagnosis(result), result.diagnoses, result.error))
        t = result.training
        if t is not None:
            parts.append(("training loop", t.verdict, next(iter(t.diagnoses), None), t.diagnoses, t.error))
        for part, verdict, first, diagnoses, error in parts:
            name = result.path if len(parts) == 1 and t is None else f"{result.path} [{part}]"
            cases.append((result, name, verdict, first, diagnoses, error))
    suite = ET.Element(
        "testsuite",
        name="impl_check",
        tests=str(len(cases)),
        failures=str(sum(case[2] == FAIL for case in cases)),
        errors=str(sum(case[2] == ERROR for case in cases)),
        skipped="0",
    )
    for result, name, verdict, first, diagnoses, error in cases:
        case = ET.SubElement(suite, "testcase", classname=result.name or str(Path(result.path).parent), name=name)
        if verdict == FAIL:
            assert first is not None  # a FAIL has a diagnosis
            failure = ET.SubElement(case, "failure", message=f"[{first.code}] {first.message}", type=first.code)
            failure.text = "\n".join(f"[{f.code}] {f.message}" for f in diagnoses)
        elif verdict == ERROR and error is not None:
            node = ET.SubElement(case, "error", message=error.message, type=error.code)
            node.text = result.output or error.message
        ET.SubElement(case, "system-out").text = text(result)
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def write_reports(
    results: list[CheckResult],
    roots: list[str],
    *,
    single: bool,
    strict: bool = False,
    json_path: str | os.PathLike[str] | None = None,
    junit_path: str | os.PathLike[str] | None = None,
    feedback_dir: str | os.PathLike[str] | None = None,
    csv_path: str | os.PathLike[str] | None = None,
    gradescope_path: str | os.PathLike[str] | None = None,
    prairielearn_path: str | os.PathLike[str] | None = None,
    rubric: Rubric | None = None,
    shard: dict[str, Any] | None = None,
) -> None:
    """Write the reports asked for, each atomically: the JSON (:func:`report_data`), the JUnit XML
    (:func:`junit_xml`) and one feedback file per student (:func:`impl_check.report.feedback`, made without the
    grader's paths; ``roots`` are the paths given, taken out of them). The folder of feedback is made if missing.

    The grades (:mod:`impl_check.rubric`, under ``rubric``, default the default rubric): a CSV of the class
    (:func:`impl_check.exports.class_csv`), and Gradescope's and PrairieLearn's results
    (:mod:`impl_check.exports`): for one file (``single``) the file at the path; for a class a folder there,
    made if missing, with one ``<student>.json`` each (:func:`impl_check.report.file_names`).

    ``shard``: the header of a shard's JSON report (:func:`impl_check.shards.select`); its ``file_stems`` name
    the per-student files as the whole class's run names them.
    """
    if json_path is not None:
        data = report_data(results, single, shard)
        atomic_write(Path(json_path).resolve(), lambda handle: json.dump(data, handle, indent=2))
    if junit_path is not None:
        xml = junit_xml(results, lambda r: report.render(r, r.path, strict))
        atomic_write_text(Path(junit_path).resolve(), xml)
    per_student = (feedback_dir, gradescope_path, prairielearn_path)  # each shows a student their report
    # a shard's students are named as in the whole class: two shards writing into one folder never collide
    stems = shard.get("file_stems") if shard is not None else None
    feedback = report.feedback(results, roots=roots, stems=stems) if any(p is not None for p in per_student) else {}
    if feedback_dir is not None:
        folder = Path(feedback_dir).resolve()
        folder.mkdir(exist_ok=True)
        for name, text in feedback.items():
            atomic_write_text(folder / name, text)
    if csv_path is None and gradescope_path is None and prairielearn_path is None:
        return
    rubric = rubric or load_rubric()
    grades = [score(r, rubric) for r in results]
    if csv_path is not None:
        atomic_write_text(Path(csv_path).resolve(), exports.class_csv(results, grades))
    texts = list(feedback.values())  # in the order of results
    for path, export in ((gradescope_path, exports.gradescope), (prairielearn_path, exports.prairielearn)):
        if path is None:
            continue
        datas = [export(r, g, t) for r, g, t in zip(results, grades, texts)]
        if single:
            targets = [Path(path).resolve()]
        else:
            Path(path).resolve().mkdir(exist_ok=True)
            targets = [Path(path).resolve() / name for name in report.file_names(results, ".json", stems)]
        for target, data in zip(targets, datas):
            atomic_write(target, partial(_write_json, data))


def _write_json(data: Any, handle: IO[str]) -> None:
    json.dump(data, handle, indent=2)
    handle.write("\n")
