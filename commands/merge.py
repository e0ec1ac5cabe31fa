"""``compare.py merge REPORT.json ...``: the JSON reports of a class's shards (``check --impl --shard K/N``) put
back together into the reports, summary table and exit code of one run over the whole class."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .common import UsageError
from .impl import add_report_arguments, check_report_paths


def add_arguments(sub: Any) -> None:
    """The ``merge`` subcommand on the subparsers of ``compare.py``."""
    merge = sub.add_parser("merge", help="the JSON reports of check --impl --shard K/N, as one run over the class")
    merge.add_argument("reports", nargs="+", metavar="REPORT.json", help="every shard's --json report, each once")
    add_report_arguments(merge, "of the whole class: ")
    merge.add_argument("--strict", action="store_true", help="warnings exit 1 too, as check --impl --strict")


def read(path: str) -> Any:
    """A report's parsed JSON; a file that is missing or not JSON is one line (UsageError)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a JSON report (not UTF-8 text)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not a JSON report ({exc.msg}, line {exc.lineno})") from None


def run(args: argparse.Namespace) -> int:
    """Merge: the whole class's reports written as a run over it writes them, its summary table printed.

    Exit as that run would: 0 when every student passes (with ``--strict``, without warnings), 1 when any fails
    or cannot be run; 2 (one line) for a report missing, unreadable or not a shard's, a shard missing or twice,
    shards of different classes or options, or a report path that cannot be written.
    """
    reports = check_report_paths(args)
    loaded = [(path, read(path)) for path in args.reports]
    from impl_check import batch, report, shards  # imports torch: after the cheap checks

    merged = shards.combine(loaded)  # ValueError: one line, exit 2 (compare.main)
    batch.write_reports(merged.results, merged.roots, single=False, strict=args.strict, shard=None, **reports)
    print(report.summary_text(merged.results, Path.cwd()))
    return report.exit_code(merged.results, args.strict)
