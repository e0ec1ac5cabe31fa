"""Points and partial credit: a rubric (TOML) and the grade of one :class:`~impl_check.result.CheckResult`.

    rubric = load_rubric("course.toml")    # or load_rubric(None): the default, impl_check/default_rubric.toml
    grade = score(result, rubric)          # Grade: one Test per checked part, the score, whether it is gradable

A grade is a pure function of the result and the rubric (the writers of :mod:`impl_check.exports` render it,
and a result rebuilt from the JSON report grades the same). The rules, in one place:

- each part of the rubric is a test worth its points: the cost, each gradient, the module's softmax and the
  calls themselves (the cost_grad part), and the rows, steps, history and parameters of the training loop;
- a part loses all its points when a diagnosis names it (or its row fails); a diagnosis that names no
  quantity (an exception, None returned, inputs modified) loses the "calls" part; a training diagnosis loses
  the part its code belongs to (:data:`TRAINING_PARTS`), and one that stops the loop being followed (a crash,
  no cost_grad call on the training rows, a timeout) loses every training part;
- notes cost nothing; warnings cost nothing unless the rubric's ``[warnings]`` table gives their code points,
  which a "warnings" test takes off (the grade never goes below 0);
- a file that cannot be run (the cost_grad part's verdict is ERROR) scores 0 and is not *gradable*;
- a part that was not checked (``--part``) is left out; a part worth 0 points is left out.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .codes import LEGEND
from .result import ERROR, CheckResult, Finding, Row

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10: the tomli backport (a dependency there)
    import tomli as tomllib

DEFAULT_RUBRIC = Path(__file__).with_name("default_rubric.toml")
"""The documented default (docs/grading-exports.md)."""

COST_GRAD_PARTS = ("cost", "d_w1", "d_b1", "d_w2", "d_b2", "softmax", "calls")
"""The parts of the cost_grad check, as the report's rows name them (and "calls": the calls themselves)."""

TRAINING_PARTS: dict[str, tuple[str, ...]] = {
    "rows": ("rows-short-batch", "last-batch-dropped", "rows-resampled", "rows-unused", "no-shuffle",
             "xy-separated", "batch-size-ignored", "epochs-ignored"),
    "steps": ("c-not-passed", "stale-params", "decay-again", "momentum", "update-other", "wrong-sign",
              "lr-over-batch", "lr-ignored", "lr-schedule", "lr-no-decay", "nesterov", "adam", "rmsprop", "adagrad"),
    "history": ("history-missing", "history-keys", "history-padded", "history-extra", "history-length",
                "history-stale", "history-last-batch", "history-batch-mean", "history-batch-max",
                "history-running-mean", "history-wrong", "history-penalty",
                "epochs-unchecked"),
    "params": ("init-modified", "params-missing", "final-params", "best-params-reference", "params-wrong-epoch",
               "params-initial", "params-other"),
}  # fmt: skip
"""The training loop's parts and the finding codes that belong to each; any other training diagnosis (fit-crash,
not-followed) means the loop could not be followed, and loses every part."""

IF_MISSING = ("zero", "omit")


@dataclass(frozen=True)
class Rubric:
    """Points per part (``cost_grad`` and ``training``: part -> points), points taken off per warning code, and
    what a file without a training method scores on the training parts ("zero" or "omit")."""

    cost_grad: Mapping[str, float]
    training: Mapping[str, float]
    warnings: Mapping[str, float] = field(default_factory=dict)
    if_missing: str = "zero"

    @property
    def max_score(self) -> float:
        """The most a file checked on both parts can score."""
        return float(sum(self.cost_grad.values()) + sum(self.training.values()))


@dataclass(frozen=True)
class Test:
    """One part of a grade: ``score`` of ``max_score`` points; ``output`` says what was found, naming the part
    ("d_w2: ..."), and for a lost part what is wrong."""

    name: str
    score: float
    max_score: float
    output: str

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score


@dataclass(frozen=True)
class Grade:
    """The grade of one file: its tests, and whether it could be graded at all (``reason``: why not)."""

    tests: tuple[Test, ...]
    gradable: bool = True
    reason: str = ""

    @property
    def max_score(self) -> float:
        return float(sum(t.max_score for t in self.tests))

    @property
    def score(self) -> float:
        """The sum of the tests' scores (a warnings test's is negative), never below 0."""
        return max(0.0, float(sum(t.score for t in self.tests)))

    @property
    def fraction(self) -> float:
        """The score over the maximum, in [0, 1] (1 when nothing is worth points)."""
        return min(1.0, self.score / self.max_score) if self.max_score > 0 else 1.0


def _points(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{where} must be a number >= 0; got {value!r}")
    return float(value)


def parse_rubric(data: Mapping[str, Any], source: str = "rubric") -> Rubric:
    """The default rubric with ``data`` (a parsed TOML document) laid over it, key by key.

    Raises
    ------
    ValueError
        one line naming ``source`` and the key that is wrong: an unknown table, part or warning code, points
        that are not a number >= 0, an ``if_missing`` other than "zero" or "omit".
    """
    with DEFAULT_RUBRIC.open("rb") as handle:
        default = tomllib.load(handle)
    unknown = sorted(set(data) - {"cost_grad", "training", "warnings"})
    if unknown:
        raise ValueError(f"{source}: unknown table [{unknown[0]}]; expected [cost_grad], [training] or [warnings]")
    tables: dict[str, dict[str, float]] = {}
    if_missing = default["training"].pop("if_missing")
    for table, parts in (("cost_grad", COST_GRAD_PARTS), ("training", tuple(TRAINING_PARTS))):
        given = data.get(table, {})
        if not isinstance(given, dict):
            raise ValueError(f"{source}: {table} must be a table [{table}]")
        given = dict(given)
        if table == "training" and "if_missing" in given:
            if_missing = given.pop("if_missing")
            if if_missing not in IF_MISSING:
                raise ValueError(f'{source}: training.if_missing must be "zero" or "omit"; got {if_missing!r}')
        for key in given:
            if key not in parts:
                raise ValueError(f"{source}: unknown part {table}.{key}; the parts are {', '.join(parts)}")
        merged = {**default[table], **given}
        tables[table] = {part: _points(merged[part], f"{source}: {table}.{part}") for part in parts}
    warnings = data.get("warnings", {})
    if not isinstance(warnings, dict):
        raise ValueError(f"{source}: warnings must be a table [warnings]")
    merged_warnings = {**default.get("warnings", {}), **warnings}
    for code in merged_warnings:
        if code not in LEGEND:
            raise ValueError(f"{source}: unknown finding code warnings.{code}")
    penalties = {code: _points(value, f"{source}: warnings.{code}") for code, value in merged_warnings.items()}
    return Rubric(tables["cost_grad"], tables["training"], penalties, if_missing)


def load_rubric(path: str | os.PathLike[str] | None = None) -> Rubric:
    """The rubric in the TOML file at ``path`` over the default; the default alone when ``path`` is None.

    Raises
    ------
    ValueError
        one line naming the file: unreadable, not TOML, or a wrong key (:func:`parse_rubric`).
    """
    if path is None:
        return parse_rubric({})
    source = f"--rubric {path}"
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ValueError(f"{source}: cannot read it ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: not valid TOML ({exc})") from None
    return parse_rubric(data, source)


def _said(findings: list[Finding]) -> str:
    return "; ".join(f"[{f.code}] {f.message}" for f in findings)


def _row_text(row: Row) -> str:
    if row.rel_err is None or row.tol is None:
        return f"{row.name} {row.result}" + (f" ({row.note})" if row.note else "")
    return f"{row.name} {row.result}: normwise relative error {row.rel_err:.3g}, tolerance {row.tol:.3g}"


def _quantity(row: Row) -> str:
    return row.name.split(" ")[0]  # "d_w1 at logits ~1e3" is d_w1's


def _cost_grad_tests(result: CheckResult, rubric: Rubric) -> list[Test]:
    tests = []
    for part in COST_GRAD_PARTS:
        points = rubric.cost_grad[part]
        if points == 0:
            continue
        name = f"cost_grad: {part}"
        if part == "calls":
            blamed = [f for f in result.diagnoses if not set(f.quantities) & set(COST_GRAD_PARTS)]
            rows: list[Row] = []
        else:
            blamed = [f for f in result.diagnoses if part in f.quantities]
            rows = [r for r in result.rows if _quantity(r) == part]
        failed = [r for r in rows if r.result == "FAIL"]
        if blamed or failed:
            found = f"{part}: {_said(blamed)}" if blamed else "; ".join(_row_text(r) for r in failed)
            tests.append(Test(name, 0.0, points, found))
        elif part == "calls":
            fn = "loss" if result.interface == "cs231n" else "cost_grad"
            tests.append(Test(name, points, points, f"calls: {fn} returned a cost and gradients on every "
                              "problem, raised nothing and left its inputs unchanged"))  # fmt: skip
        elif not rows:  # the module has no softmax of its own
            tests.append(Test(name, points, points, "softmax: the module defines no softmax of its own; the one "
                              "inside cost_grad is judged through the cost and the gradients"))  # fmt: skip
        else:
            tests.append(Test(name, points, points, "; ".join(_row_text(r) for r in rows)))  # "d_w1 PASS: ..."
    return tests


def _training_part(code: str) -> str | None:
    return next((part for part, codes in TRAINING_PARTS.items() if code in codes), None)


def _training_tests(result: CheckResult, rubric: Rubric) -> list[Test]:
    t = result.training
    parts = [(part, points) for part, points in rubric.training.items() if points > 0]
    if t is None:
        if rubric.if_missing == "omit":
            return []
        why = "no training method (NetClassifier.fit, or TwoLayerNet.train) to check"
        return [Test(f"training: {part}", 0.0, points, f"{part}: {why}") for part, points in parts]
    stopped = [f for f in t.diagnoses if _training_part(f.code) is None]
    if t.error is not None:
        stopped.append(t.error)
    tests = []
    for part, points in parts:
        blamed = [f for f in t.diagnoses if _training_part(f.code) == part]
        notes = [f for f in t.notes if _training_part(f.code) == part]
        if stopped or blamed:
            tests.append(Test(f"training: {part}", 0.0, points, f"{part}: {_said(blamed + stopped)}"))
        else:
            said = f"; note {_said(notes)}" if notes else ""
            tests.append(Test(f"training: {part}", points, points, f"{part}: nothing wrong found{said}"))
    return tests


def score(result: CheckResult, rubric: Rubric) -> Grade:
    """The grade of ``result`` under ``rubric`` (the rules: this module's docstring)."""
    checked = {
        "cost_grad": rubric.cost_grad if "cost_grad" in result.parts else {},
        "training": rubric.training if "training" in result.parts else {},
    }
    if result.verdict == ERROR:  # the file could not be run (or, --part training, fit could not)
        why = result.error.message if result.error is not None else "the file could not be run"
        lost = tuple(
            Test(f"{table}: {part}", 0.0, points, f"{part}: not checked: {why}")
            for table, parts in checked.items()
            for part, points in parts.items()
            if points > 0
        )
        return Grade(lost, gradable=False, reason=why)
    tests: list[Test] = []
    if "cost_grad" in result.parts:
        tests += _cost_grad_tests(result, rubric)
    if "training" in result.parts:
        tests += _training_tests(result, rubric)
    warned = [f for f in result.warnings if "cost_grad" in result.parts]
    warned += [] if result.training is None else result.training.warnings
    taken = [(f, rubric.warnings[f.code]) for f in warned if rubric.warnings.get(f.code, 0) > 0]
    if taken:
        text = "; ".join(f"[{f.code}] −{points:g}: {f.message}" for f, points in taken)
        tests.append(Test("warnings", -sum(points for _, points in taken), 0.0, f"warnings: {text}"))
    return Grade(tuple(tests))


__all__ = ["DEFAULT_RUBRIC", "Grade", "Rubric", "Test", "load_rubric", "parse_rubric", "score"]
