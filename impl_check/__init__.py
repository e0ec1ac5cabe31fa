"""Check anyone's hand-written ``cost_grad`` against the torch reference and name the mistake.

    from impl_check import check_impl
    result = check_impl("my_net.py")       # CheckResult: verdict, level, rows, diagnoses, warnings
    result.to_dict()                        # the same, JSON-able

The parts: :mod:`.probes` (the problems), :mod:`.worker` (runs the file in a
child process), :mod:`.reference` (the reference and the mistaken nets),
:mod:`.catalogue` (the known mistakes, as data), :mod:`.engine` (compares under
each probe's conditioned tolerance and matches the catalogue) and
:mod:`.checker` (puts them together into a :class:`CheckResult`).

The file runs in a child process (``python -m impl_check.worker``), which
imports this package: so importing it must stay light (NumPy, no torch), and
the checker, which needs torch, is imported on first use.
"""

from __future__ import annotations

from typing import Any

from .result import ERROR, FAIL, PASS, CheckResult, Finding, Row

__all__ = ["ERROR", "FAIL", "PASS", "CheckResult", "DEFAULT_TIMEOUT", "Finding", "Row", "check_impl"]


def __getattr__(name: str) -> Any:
    if name in ("check_impl", "DEFAULT_TIMEOUT"):
        from . import checker

        return getattr(checker, name)
    raise AttributeError(f"module 'impl_check' has no attribute {name!r}")
