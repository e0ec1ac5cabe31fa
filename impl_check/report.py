"""A check as text: the report of one file, and the summary table of many. Strings only; the CLI prints them."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from parity_run.text_table import format_table
from scratch_net.tolerance import tolerance

from .result import ERROR, FAIL, PASS, CheckResult, Row, distinct, summary
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
    """The report of one file, as ``compare.py check --impl`` prints it; ``shown`` is the path as given."""
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
    for title, findings in (("diagnosis", result.diagnoses), ("warning", result.warnings)):
        lines += [f"{title} [{f.code}]: {f.message}" for f in findings]
    if result.verdict == FAIL:
        lines.append(f"FAIL: {len(result.diagnoses)} problem(s) found in {shown}")
    elif result.warnings:
        lines.append(
            f"PASS with warnings: {shown} agrees with torch_ref on every gradient; {len(result.warnings)} warning(s)"
            + (" (--strict: exit 1)" if strict else "")
        )
    else:
        lines.append(f"PASS: {shown} agrees with torch_ref on every problem")
    return "\n".join(lines + uncontained(result))


def uncontained(result: CheckResult) -> list[str]:
    """The line that says what was not contained, where the file ran without bubblewrap; else none."""
    return [result.containment] if result.containment == NOT_CONTAINED else []


def summary_table(results: Sequence[CheckResult], root: Path) -> str:
    """One line per submission: its path (relative to ``root`` where it can be), verdict, finding codes."""

    def shown(path: str) -> str:
        try:
            return str(Path(path).relative_to(root))
        except ValueError:
            return path

    def codes(r: CheckResult) -> str:
        found = r.diagnoses + r.warnings + ([r.error] if r.error else [])
        return ", ".join(dict.fromkeys(f.code for f in found))

    return format_table(["submission", "verdict", "findings"], [(shown(r.path), r.level, codes(r)) for r in results])


def summary_text(results: Sequence[CheckResult], root: Path) -> str:
    """The summary table of several files, and a line that counts them."""
    counts = summary(results)
    tail = f"{len(results)} submissions: {counts['pass']} pass, {counts['fail']} fail, {counts['error']} cannot be run"
    return summary_table(results, root) + "\n" + tail


def exit_code(results: Sequence[CheckResult], strict: bool) -> int:
    """0 when every file passes (with --strict: without warnings), else 1."""
    failed = any(r.verdict != PASS or (strict and r.warnings) for r in results)
    return 1 if failed else 0
