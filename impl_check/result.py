"""What a check returns: one dataclass per row, finding and whole result; no I/O here."""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence, TypeVar

PASS, FAIL, ERROR = "pass", "fail", "error"
"""Verdicts: correct (maybe with warnings: numerics that change no gradient), wrong, could not be run."""

NOTE, WARNING, DIAGNOSIS = "note", "warning", "diagnosis"
"""The levels of a finding.

- a *diagnosis* is a mistake: the file fails;
- a *warning* changes no gradient and moves the cost by at most 1e-6 (relative) on the ordinary problems, or is
  a call-level habit that changes no number (printing): PASS with warnings (``--strict``: exit 1);
- a *note* is behaviour beyond what the assignment asks (an infinite cost at logits ~1e3), or information about
  the grading itself (which of two nets was checked): shown, never changes the verdict, ``--strict`` ignores it.
"""


def distinct(got: float, expected: float) -> tuple[str, str]:
    """Both numbers with ``.6g``, or with as many more digits as it takes for them to print differently."""
    for digits in range(6, 18):
        a, b = f"{got:.{digits}g}", f"{expected:.{digits}g}"
        if a != b or got == expected:
            return a, b
    return a, b


@dataclass(frozen=True)
class Finding:
    """One diagnosis, warning or reason the file could not be run.

    ``code`` is stable (tests and scripts match on it); ``message`` is one
    plain sentence for a person.
    """

    code: str
    message: str
    quantities: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The finding of a JSON report (:func:`from_json`)."""
        return from_json(cls, data)


@dataclass(frozen=True)
class Row:
    """One line of the report: a quantity over all probe problems.

    ``rel_err`` is the largest normwise relative error over the problems;
    ``problem``, ``index``, ``got`` and ``expected`` locate the worst element.
    ``note`` carries a shape mismatch or why there is no number.
    """

    name: str
    result: str  # "PASS", "FAIL" or "WARN"
    rel_err: float | None = None
    tol: float | None = None
    problem: str | None = None
    index: tuple[int, ...] | None = None
    got: float | None = None
    expected: float | None = None
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        """The row of a JSON report (:func:`from_json`)."""
        return from_json(cls, data)


@dataclass
class TrainingResult:
    """Outcome of the training-loop check of one file (:mod:`impl_check.training`): the same levels as the
    ``cost_grad`` check's, its own findings."""

    verdict: str  # PASS, FAIL or ERROR
    entry: str = "NetClassifier.fit"
    interface: str = "course"
    problem: str = ""  # the problem fit was run on, in one line
    calls: int = 0  # cost_grad calls fit made
    steps: int = 0  # SGD steps followed (a step: consecutive calls at the same parameters)
    epochs: int = 0  # epochs followed
    diagnoses: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    error: Finding | None = None

    @property
    def level(self) -> str:
        """ "PASS", "PASS with warnings", "FAIL" or "ERROR"."""
        if self.verdict == PASS:
            return "PASS with warnings" if self.warnings else "PASS"
        return self.verdict.upper()

    def to_dict(self) -> dict[str, Any]:
        return _json_safe({**asdict(self), "level": self.level})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingResult:
        """The training part of a JSON report: the inverse of :meth:`to_dict` (:func:`from_json`)."""
        return from_json(cls, data)


def worse(a: str, b: str) -> str:
    """The worse of two verdicts: a definite FAIL, then ERROR (could not be judged), then PASS."""
    for verdict in (FAIL, ERROR):
        if verdict in (a, b):
            return verdict
    return PASS


@dataclass
class CheckResult:
    """Outcome of :func:`impl_check.check_impl` for one file."""

    path: str
    verdict: str
    name: str = ""  # the unit graded (a student): its name relative to the class folder, or the path as given
    entry: str | None = None  # which callable was checked, e.g. "NetClassifier.cost_grad (staticmethod)"
    interface: str | None = None  # "course" or "cs231n", as found (None when the file could not be run)
    penalty: str = "full"  # the penalty convention judged against: "full" (c·ΣW², 2c·W) or "half" ((c/2)·ΣW², c·W)
    rows: list[Row] = field(default_factory=list)
    diagnoses: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)  # never change the verdict or the level
    error: Finding | None = None
    problems: list[str] = field(default_factory=list)  # one line per probe problem
    output: str = ""  # what the file printed: the first and the last few KiB
    sandbox: str = ""  # "bubblewrap" or "caps only"
    containment: str = ""  # what the submission could reach: sandbox.CONTAINED or sandbox.NOT_CONTAINED
    training: TrainingResult | None = None  # the training loop's check; None: the file has no training method
    parts: tuple[str, ...] = ("cost_grad", "training")  # the parts checked (--part)
    seconds: float = 0.0  # how long the check of this unit took (wall clock, staging included)

    @property
    def file_verdict(self) -> str:
        """The file's verdict: the worse of its parts (:func:`worse`); the cost_grad part's alone without fit."""
        if "cost_grad" not in self.parts and self.training is not None:
            return self.training.verdict
        return self.verdict if self.training is None else worse(self.verdict, self.training.verdict)

    @property
    def file_level(self) -> str:
        """The file's level: the worse part's; "PASS with warnings" when both pass and either warns."""
        verdict = self.file_verdict
        if verdict != PASS:
            return verdict.upper()
        warned = ("cost_grad" in self.parts and self.warnings) or (self.training is not None and self.training.warnings)
        return "PASS with warnings" if warned else "PASS"

    @property
    def level(self) -> str:
        """ "PASS", "PASS with warnings", "FAIL" or "ERROR"."""
        if self.verdict == PASS:
            return "PASS with warnings" if self.warnings else "PASS"
        return self.verdict.upper()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (non-finite floats become the strings "inf", "-inf", "nan"), with the level.

        ``verdict`` and ``level`` are the cost_grad part's; ``training`` the training loop's (null without a
        training method), with its own ``level``; ``file_verdict`` and ``file_level`` the file's (the worse part).
        """
        data = asdict(self)
        data["training"] = None if self.training is None else self.training.to_dict()
        return _json_safe(
            {**data, "level": self.level, "file_verdict": self.file_verdict, "file_level": self.file_level}
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        """The result that :meth:`to_dict` gave ``data`` (one row of a JSON report; :func:`from_json`): its text
        report, JUnit case and JSON row are the original's."""
        return from_json(cls, data)


Built = TypeVar("Built")


def from_json(cls: type[Built], data: Any) -> Built:
    """The dataclass ``cls`` (a result, a part of one) rebuilt from its ``to_dict()``, driven by its fields' types:
    a list or tuple of them, a nested dataclass, None, and the strings "inf", "-inf", "nan" back into floats.
    The keys of properties (``level``, ``file_verdict``, ...) are derived, and skipped: they are recomputed.

    Raises
    ------
    ValueError
        naming a key that is neither a field nor a property of ``cls``, a value of another type than its field's,
        or a field missing without a default.
    """
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    hints, names = _fields(cls)  # type: ignore[arg-type]
    unknown = [key for key in data if key not in names and not isinstance(getattr(cls, key, None), property)]
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown key(s) {', '.join(map(repr, unknown))}")
    values = {}
    for name in (name for name in names if name in data):
        try:
            values[name] = _typed(hints[name], data[name])
        except ValueError as exc:
            raise ValueError(f"{cls.__name__}.{name}: {exc}") from None
    try:
        return cls(**values)
    except TypeError as exc:  # a required field missing
        raise ValueError(f"{cls.__name__}: {exc}") from None


@functools.cache
def _fields(cls: type) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The type of each field of the dataclass ``cls`` and the fields' names, worked out once per class (the
    annotations are strings, evaluated anew by each typing.get_type_hints: most of a row's time to read)."""
    return typing.get_type_hints(cls), tuple(f.name for f in dataclasses.fields(cls))


def _typed(hint: Any, value: Any) -> Any:
    """``value`` (as JSON gives it) as the type ``hint`` says."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        hint = next(arg for arg in args if arg is not type(None))  # our unions: one type or None
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_json(hint, value)
    if origin in (list, tuple):  # list[X] or tuple[X, ...]
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {value!r}")
        return origin(_typed(args[0], v) for v in value)
    if hint is float and value in ("inf", "-inf", "nan"):
        return float(value)
    kinds = _SCALARS.get(hint)
    if kinds is not None and (not isinstance(value, kinds) or (isinstance(value, bool) and hint is not bool)):
        raise ValueError(f"expected {hint.__name__}, got {value!r}")
    return value


_SCALARS = {str: (str,), int: (int,), float: (int, float), bool: (bool,)}
"""What JSON may give for a field of each plain type (an int for a float: 0.0 may be written 0 by others)."""


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def by_importance(findings: Sequence[Finding]) -> list[Finding]:
    """Findings ordered by what they change: a gradient, then the cost, then anything else named (the module's
    softmax), then the call itself (no quantity: an exception, a bad return, inputs modified); stable within each.

    The one rule for which mistake a report leads with (:func:`main_diagnosis`).
    """

    from .engine import GRAD_NAMES  # here, not at the top: the engine imports this module

    def rank(f: Finding) -> int:
        if set(f.quantities) & set(GRAD_NAMES):
            return 0
        if "cost" in f.quantities:
            return 1
        return 2 if f.quantities else 3

    return sorted(findings, key=rank)


def main_diagnosis(result: CheckResult) -> Finding | None:
    """The mistake a failure leads with (JUnit's message, the summary's first code); None without a diagnosis.

    Only diagnoses count: a warning or a note never is the main mistake.
    """
    ranked = by_importance(result.diagnoses)
    return ranked[0] if ranked else None


def summary(results: Sequence[CheckResult]) -> dict[str, int]:
    """How many files passed (warnings included), failed and could not be run: each by its file verdict."""
    return {verdict: sum(r.file_verdict == verdict for r in results) for verdict in (PASS, FAIL, ERROR)}
