"""A check as text: the report of one file, and the summary table of many. Strings only; the CLI prints them."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from parity_run.text_table import format_table
from scratch_net.tolerance import tolerance

from .codes import LEGEND
from .engine import GRAD_NAMES
from .result import ERROR, FAIL, PASS, CheckResult, Row, TrainingResult, by_importance, distinct, summary
from .sandbox import NOT_CONTAINED

PENALTY = {"full": "c·ΣW², gradient 2c·W", "half": "(c/2)·ΣW², gradient c·W"}


def row_cells(r: Row) -> tuple[str, ...]:
    """One row of the table; a failed row prints as many digits as tell got from expected."""
    cells = (r.name, r.result, "" if r.rel_err is None else f"{r.rel_err:.3e}", "" if r.tol is None else f"{r.tol:.3e}")
    if r.got is None or r.expected is None:
        return (*cells, r.note)
    got, expected = (f"{r.got:.6g}", f"{r.expected:.6g}") if r.result == "PASS" else distinct(r.got, r.expected)
    where = f"{r.problem}{f' {r.index}' if r.index else ''}: {got} vs {expected}"
    return (*cells, where + (f" ({r.note})" if r.note else ""))


def render(result: CheckResult, shown: str, strict: bool = False) -> str:
    """The report of one file, as ``compare.py check --impl`` prints it; ``shown`` is the path as given.

    The cost_grad part, then, for a file with a training method, the "training loop" section and the file's
    verdict (the worse of the two parts).
    """
    if "cost_grad" not in result.parts and result.training is not None:
        return "\n".join(training_section(result.training, shown, strict)[1:] + uncontained(result))
    text = _render_cost_grad(result, shown, strict)
    if result.training is None or result.verdict == ERROR:
        return text
    lines = [text, *training_section(result.training, shown, strict)]
    lines.append(f"{result.file_level}: {shown} (cost_grad {result.level}, training loop {result.training.level})")
    return "\n".join(lines)


def training_section(training: TrainingResult, shown: str, strict: bool = False) -> list[str]:
    """The "training loop" section of a report: what fit was run on, its findings, its level."""
    lines = ["", f"training loop: {training.entry} of {shown}, run on {training.problem}"]
    if training.error is not None:
        return [*lines, f"training loop ERROR: {training.error.message}"]
    if training.interface == "cs231n":
        lines.append(f"followed: {training.calls} call(s) of loss with labels, {training.steps} step(s)")
    else:
        lines.append(
            f"followed: {training.calls} call(s) of cost_grad, {training.steps} step(s) in {training.epochs} epoch(s)"
        )
    for title, findings in (
        ("diagnosis", training.diagnoses),
        ("warning", training.warnings),
        ("note", training.notes),
    ):
        lines += [f"{title} [{f.code}]: {f.message}" for f in findings]
    if training.verdict == FAIL:
        lines.append(f"training loop FAIL: {len(training.diagnoses)} problem(s) found")
        return lines
    checked = (
        "every step and loss_history follow the spec"
        if training.interface == "cs231n"
        else "every step, the history and the parameters follow the spec"
    )
    if any(n.code in UNCHECKED for n in training.notes):
        checked += " as far as they were checked (see the notes)"
    if training.warnings:
        lines.append(
            f"training loop PASS with warnings: {checked}; {len(training.warnings)} warning(s)"
            + (" (--strict: exit 1)" if strict else "")
        )
    else:
        lines.append(f"training loop PASS: {checked}")
    return lines


UNCHECKED = ("epochs-unchecked", "calls-capped")
"""Notes of the training loop that say something was not checked: a PASS then says so."""


def _render_cost_grad(result: CheckResult, shown: str, strict: bool = False) -> str:
    """The cost_grad part of a report."""
    if result.verdict == ERROR:
        assert result.error is not None
        lines = [f"ERROR: cannot check {shown}: {result.error.message}"]
        if result.output.strip():
            lines += ["what it printed (the first and the last few KiB):", result.output.rstrip()]
        return "\n".join(lines + uncontained(result))
    lines = [
        f"check --impl {shown}: interface {result.interface}, {result.entry}",
        f"penalty {result.penalty} ({PENALTY[result.penalty]}); float64, tolerance per problem from its conditioning "
        f"(64·eps = {tolerance(np.float64):.3g} at ordinary logits)",
    ]
    if result.interface == "cs231n":
        lines.append("d_w1, d_b1, d_w2, d_b2 below are grads['W1'], grads['b1'], grads['W2'], grads['b2']")
    if result.rows:
        headers = [
            "quantity",
            "result",
            "normwise rel err",
            "tolerance",
            "worst element (problem, index: got vs expected)",
        ]
        lines.append(format_table(headers, [row_cells(r) for r in result.rows]))
    for title, findings in (("diagnosis", result.diagnoses), ("warning", result.warnings), ("note", result.notes)):
        lines += [f"{title} [{f.code}]: {f.message}" for f in findings]
    if result.verdict == FAIL:
        lines.append(f"FAIL: {len(result.diagnoses)} problem(s) found in {shown}")
    elif result.warnings:
        lines.append(
            f"PASS with warnings: {shown} agrees with torch_ref on every gradient; {len(result.warnings)} warning(s)"
            + (" (--strict: exit 1)" if strict else "")
        )
    else:  # notes never count; where one stands for a row that differs, the line says less
        lines.append(f"PASS: {shown} agrees with torch_ref on {_agreement(result)}")
    return "\n".join(lines + uncontained(result))


def uncontained(result: CheckResult) -> list[str]:
    """The line that says what was not contained, where the file ran without bubblewrap; else none."""
    return [result.containment] if result.containment == NOT_CONTAINED else []


def _agreement(result: CheckResult) -> str:
    """What a PASS agrees on, as far as its rows show: every problem, every gradient, or the ordinary problems."""
    if all(r.result == "PASS" for r in result.rows):
        return "every problem"
    if all(r.result == "PASS" for r in result.rows if r.name.split(" ")[0] in GRAD_NAMES):
        return "every gradient"
    return "the ordinary problems"


def shown_name(result: CheckResult, root: Path) -> str:
    """How a table names a submission: where a unit was graded, the file checked as its report names it (the
    student's name first: "alice/net.py", "carol.py"), else its path relative to ``root`` if it can be."""
    if result.name:
        return result.path or result.name
    try:
        return str(Path(result.path).relative_to(root))
    except ValueError:
        return result.path


def codes(result: CheckResult) -> list[str]:
    """The codes of every finding of a result, each once: the main mistake first, then the other diagnoses by
    importance, the warnings, the notes, the reason it could not be run."""
    found = [
        *by_importance(result.diagnoses),
        *result.warnings,
        *result.notes,
        *([result.error] if result.error else []),
    ]
    return list(dict.fromkeys(f.code for f in found))


def training_codes(result: CheckResult) -> list[str]:
    """The codes of the training loop's findings, each once: diagnoses, warnings, the error. Notes are left to
    the report of the file: one says on nearly every file which penalty convention its history follows."""
    t = result.training
    if t is None:
        return []
    found = [*t.diagnoses, *t.warnings, *([t.error] if t.error else [])]
    return list(dict.fromkeys(f.code for f in found))


def summary_table(results: Sequence[CheckResult], root: Path) -> str:
    """One line per submission: its name, verdict (notes never change it), finding codes (the main mistake first);
    where any file has a training method, the file's verdict is the worse part's and a column gives the training
    loop's level and codes ("-": no training method)."""
    if all(r.training is None for r in results):
        plain = [(shown_name(r, root), r.level, ", ".join(codes(r))) for r in results]
        return format_table(["submission", "verdict", "findings"], plain)
    rows = [
        (
            shown_name(r, root),
            r.file_level,
            ", ".join(codes(r)) if "cost_grad" in r.parts else "(not checked)",
            "-" if r.training is None else " ".join([r.training.level, *(f"[{c}]" for c in training_codes(r))]),
        )
        for r in results
    ]
    return format_table(["submission", "verdict", "cost_grad findings", "training loop"], rows)


def legend(results: Sequence[CheckResult]) -> str:
    """One line per code the summary table shows, in the order shown: what the code is about."""
    shown = dict.fromkeys(code for r in results for code in [*codes(r), *training_codes(r)])
    return "\n".join(f"{code}: {LEGEND.get(code, 'see the report of the file')}" for code in shown)


def summary_text(results: Sequence[CheckResult], root: Path) -> str:
    """The summary table of several submissions, the legend of its codes, and a line that counts them."""
    counts = summary(results)
    noun = "submission" if len(results) == 1 else "submissions"
    tail = f"{len(results)} {noun}: {counts['pass']} pass, {counts['fail']} fail, {counts['error']} cannot be run"
    return "\n".join(part for part in (summary_table(results, root), legend(results), tail) if part)


def exit_code(results: Sequence[CheckResult], strict: bool) -> int:
    """0 when every file passes (with --strict: without warnings), else 1. Notes never count, --strict or not."""
    failed = any(r.file_verdict != PASS or (strict and r.file_level != "PASS") for r in results)
    return 1 if failed else 0


# ---- feedback to hand back: one text report per student, without the grader's paths ----------

_SANDBOX_COPY = re.compile(r"(?:/[^\s'\"/:]+)*/impl_check_[A-Za-z0-9_]+(?:/sub)?(/?)")
"""Where a run's copy of the student's folder lay (impl_check.sandbox): a path in it reads as the student's own."""


def grader_paths(roots: Sequence[str | Path] = ()) -> list[Path]:
    """Folders of the grader that a report must not name: ``roots`` (the class folders given), the current
    folder, the checkout, the Python environment, the home and the temporary folder."""
    found = [*map(Path, roots), Path.cwd(), Path(__file__).resolve().parents[1], Path(sys.prefix)]
    found += [Path(sys.base_prefix), Path(sys.exec_prefix), Path(sys.executable).parent, Path.home()]
    return [*found, Path(tempfile.gettempdir())]


def scrub(text: str, own: Path, grader: Sequence[Path]) -> str:
    """``text`` with the grader's paths taken out: the run's copy of the student's folder and ``own`` (the
    student's folder) become relative paths, any other folder of ``grader`` becomes "…"."""
    text = _SANDBOX_COPY.sub(lambda m: "" if m[1] else ".", text)
    # prefix -> what it becomes before a "/" (a path below it) and alone
    forms = {str(p): ("…/", "…") for path in grader for p in (path, path.resolve()) if len(p.parts) > 1}
    forms.update({str(p): ("", ".") for p in (own, own.resolve()) if len(p.parts) > 1})
    for prefix in sorted(forms, key=len, reverse=True):  # the most specific first
        below, alone = forms[prefix]  # plain strings: no backslash, no group reference
        start = r"(?<![\w./-])" + re.escape(prefix)  # not /c in /x/c/y: a path that starts there
        text = re.sub(start + "/", below, text)
        text = re.sub(start + r"(?![\w.-])", alone, text)  # not /work/main in /work/main2
    return text


def feedback_name(name: str) -> str:
    """A safe file name for a unit's feedback: ``alice`` -> ``alice.txt``, ``carol.py`` -> ``carol.py.txt``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "submission"
    return f"{safe}.txt"


def feedback(
    results: Sequence[CheckResult], roots: Sequence[str | Path] = (), stems: Sequence[str] | None = None
) -> dict[str, str]:
    """The report of each student to hand back, by file name: what :func:`render` prints, under the unit's
    name (``result.name``, else the file's name), with none of the grader's paths (:func:`scrub`).

    Two units whose names map to the same file name get ``-2``, ``-3``, ... (compared without case); ``stems``,
    the file names without ``.txt``, when they were chosen over more students than ``results`` (a shard's).
    """
    grader = grader_paths(roots)
    out: dict[str, str] = {}
    for result, file_name in zip(results, file_names(results, stems=stems)):
        name = result.name or Path(result.path).name
        out[file_name] = scrub(render(result, name), Path(result.path).parent, grader) + "\n"
    return out


def file_stems(names: Sequence[str]) -> list[str]:
    """A file name without its suffix per student name, in their order: :func:`feedback_name`'s; two names that
    map to the same one get ``-2``, ``-3``, ... (compared without case, as file systems may)."""
    stems: list[str] = []
    taken: set[str] = set()
    for name in names:
        base, number = feedback_name(name)[: -len(".txt")], 2
        stem = base
        while stem.casefold() in taken:
            stem, number = f"{base}-{number}", number + 1
        taken.add(stem.casefold())
        stems.append(stem)
    return stems


def file_names(results: Sequence[CheckResult], suffix: str = ".txt", stems: Sequence[str] | None = None) -> list[str]:
    """A file name per student, in the order of ``results``: its stem (:func:`file_stems` of the units' names,
    else the files' names; or ``stems``, chosen over a whole class of which ``results`` is a shard) and
    ``suffix``."""
    if stems is None:
        stems = file_stems([result.name or Path(result.path).name for result in results])
    if len(stems) != len(results):
        raise ValueError(f"{len(stems)} file names for {len(results)} students")
    return [f"{stem}{suffix}" for stem in stems]
