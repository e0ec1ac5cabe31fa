"""Grades in the formats course platforms read: Gradescope's results.json, PrairieLearn's external-grader result,
and a CSV of the class. Each is a pure function of the results and the rubric (:func:`impl_check.rubric.score`);
strings and dicts only, the files are written by :func:`impl_check.batch.write_reports`.

    gradescope(result, grade, text)      # Gradescope's results.json of one submission, as a dict
    prairielearn(result, grade, text)    # PrairieLearn's results.json of one submission, as a dict
    class_csv(results, grades)           # one row per student: student, verdict, score, max_score, codes

``text`` is the report of the file to show the student (:func:`impl_check.report.feedback`: without the
grader's paths). The formats are described in docs/grading-exports.md and checked against schemas/.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any, Sequence

from .report import codes, training_codes
from .result import ERROR, CheckResult
from .rubric import Grade

VISIBILITY = "visible"
"""Gradescope's visibility of the results and of each test: the student sees them as soon as they are graded."""


def _points(value: float) -> float | int:
    """Points as JSON shows them: 10 rather than 10.0 when whole."""
    return int(value) if float(value).is_integer() else round(value, 6)


def gradescope(result: CheckResult, grade: Grade, text: str) -> dict[str, Any]:
    """Gradescope's autograder results.json of one submission: ``score`` (the grade's), ``execution_time``
    (seconds the check took, rounded up), ``output`` (the report), ``visibility`` and one test per part of the
    rubric with ``name``, ``score``, ``max_score``, ``status`` ("passed" with full points, else "failed"),
    ``output`` and ``visibility``. A file that cannot be run scores 0 on every test."""
    tests = [
        {
            "name": t.name,
            "score": _points(t.score),
            "max_score": _points(t.max_score),
            "status": "passed" if t.passed else "failed",
            "output": t.output,
            "visibility": VISIBILITY,
        }
        for t in grade.tests
    ]
    return {
        "score": _points(grade.score),
        "execution_time": max(1, math.ceil(result.seconds)),  # whole seconds, rounded up
        "output": text,
        "visibility": VISIBILITY,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def prairielearn(result: CheckResult, grade: Grade, text: str) -> dict[str, Any]:
    """PrairieLearn's external-grader results.json of one submission: ``gradable``, ``score`` (the fraction of
    the points, in [0, 1]), ``message``, ``output`` (the report) and one test per part with ``name``,
    ``points``, ``max_points``, ``message`` and ``output``. A file that cannot be imported or run is
    ``gradable: false`` with ``format_errors`` saying why, so that the student does not lose an attempt."""
    tests = [
        {
            "name": t.name,
            "points": _points(t.score),
            "max_points": _points(t.max_score),
            "message": "passed" if t.passed else t.output,
            "output": t.output,
        }
        for t in grade.tests
    ]
    data: dict[str, Any] = {
        "gradable": grade.gradable,
        "score": round(grade.fraction, 6) if grade.gradable else 0,
        "message": f"{result.file_level}: {_points(grade.score)} of {_points(grade.max_score)} points",
        "output": text,
        "tests": tests,
    }
    if not grade.gradable:
        data["message"] = f"cannot be graded: {grade.reason}"
        data["format_errors"] = [grade.reason]
    return data


CSV_COLUMNS = ("student", "verdict", "score", "max_score", "codes")


def class_csv(results: Sequence[CheckResult], grades: Sequence[Grade]) -> str:
    """One row per student, in the order of ``results``: the unit's name, the file's level ("PASS", "PASS with
    warnings", "FAIL", "ERROR"), the score and the most it could be, and the findings' codes (the cost_grad
    part's, then the training loop's; separated by spaces); ``no-fit`` where the rubric scored the training parts
    0 for want of a training method."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result, grade in zip(results, grades):
        found = [*(codes(result) if "cost_grad" in result.parts else []), *training_codes(result)]
        if (
            result.verdict != ERROR
            and result.training is None
            and any(t.name.startswith("training: ") for t in grade.tests)
        ):
            found.append("no-fit")  # its training parts scored 0: say why (a correct file shows PASS at half marks)
        shown = " ".join(dict.fromkeys(found))
        writer.writerow([result.name or result.path, result.file_level, _points(grade.score),
                         _points(grade.max_score), shown])  # fmt: skip
    return out.getvalue()
