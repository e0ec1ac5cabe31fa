"""``compare.py check --impl PATH...``: diagnose third-party implementations (impl_check), one file or a class."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from parity_run.atomic import check_writable

from .common import EXIT_USAGE, UsageError, positive_float, positive_int, shard


def add_arguments(check: argparse.ArgumentParser) -> None:
    """The options of ``compare.py check --impl`` on the ``check`` subparser."""
    check.add_argument("--impl", nargs="+", metavar="PATH", help="check the nets in these .py files and folders")
    add_report_arguments(check, "with --impl: ")
    check.add_argument("--timeout", type=positive_float, metavar="SECONDS", help="with --impl: per file (default 30)")
    check.add_argument("--strict", action="store_true", default=None, help="with --impl: warnings exit 1 too")
    check.add_argument("--interface", choices=["course", "cs231n"], help="with --impl: default: found in the file")
    check.add_argument("--penalty", choices=["full", "half"], help="with --impl: c·ΣW² (full, default) or (c/2)·ΣW²")
    check.add_argument("--jobs", type=positive_int, metavar="N", help="with --impl: files at a time (default: cores)")
    check.add_argument("--memory-mb", type=positive_int, metavar="MB", help="with --impl: memory cap (default 2048)")
    check.add_argument("--sandbox", choices=["auto", "require"], help="with --impl: require bubblewrap, or exit 2")
    check.add_argument("--allow-import", action="append", metavar="NAME", help="with --impl: permit torch, jax, ...")
    check.add_argument("--part", choices=["cost_grad", "training", "both"], help="with --impl: one part (default both)")
    check.add_argument("--shard", type=shard, metavar="K/N", help="with --impl: grade the K-th of N parts of the class "
                       "(by student name); compare.py merge puts the JSON reports together")  # fmt: skip


# The report files a run over a class writes (check --impl, and any command that writes the same reports):
# (flag, attribute of the parsed arguments, keyword of impl_check.batch.write_reports, is a folder; PER_STUDENT:
# a file for one file checked, a folder of one file per student for a class).
PER_STUDENT = "per student"
REPORTS: tuple[tuple[str, str, str, bool | str], ...] = (
    ("--json", "json", "json_path", False),
    ("--junit-xml", "junit_xml", "junit_path", False),
    ("--feedback-dir", "feedback_dir", "feedback_dir", True),
    ("--csv", "csv", "csv_path", False),
    ("--gradescope", "gradescope", "gradescope_path", PER_STUDENT),
    ("--prairielearn", "prairielearn", "prairielearn_path", PER_STUDENT),
)


def add_report_arguments(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """The options that choose the report files (:data:`REPORTS`); ``prefix`` starts each help text."""
    parser.add_argument("--json", metavar="PATH", help=f"{prefix}also write the report as JSON")
    parser.add_argument("--junit-xml", metavar="PATH", help=f"{prefix}also write a JUnit XML report")
    parser.add_argument("--feedback-dir", metavar="DIR", help=f"{prefix}write one text report per student there")
    parser.add_argument("--csv", metavar="PATH", help=f"{prefix}write the grades as CSV, one row per student")
    parser.add_argument("--gradescope", metavar="PATH", help=f"{prefix}write Gradescope's results.json (a class: "
                        "a folder of one per student)")  # fmt: skip
    parser.add_argument("--prairielearn", metavar="PATH", help=f"{prefix}write PrairieLearn's results.json (a "
                        "class: a folder of one per student)")  # fmt: skip
    parser.add_argument("--rubric", metavar="FILE.toml", help=f"{prefix}points per part for the grades (default: "
                        "impl_check/default_rubric.toml)")  # fmt: skip


def check_report_paths(args: argparse.Namespace, single: bool = False) -> dict[str, Any]:
    """Refuse a report path that cannot be written, or a bad ``--rubric``, before any work (so a bad path ends
    nothing half-done); return the keywords of :func:`impl_check.batch.write_reports` for the reports asked for.
    ``single``: one file is checked (a PER_STUDENT report is then a file)."""
    for flag, name, _, folder in REPORTS:
        if getattr(args, name) is not None:
            check_writable(
                Path(getattr(args, name)), flag, folder=folder is True or (folder == PER_STUDENT and not single)
            )
    from impl_check.rubric import load_rubric  # cheap: no torch

    rubric = load_rubric(args.rubric)  # ValueError: one line, exit 2
    return {"rubric": rubric, **{keyword: getattr(args, name) for _, name, keyword, _ in REPORTS}}


# The attributes of check --impl's options: any given (not None) makes ``compare.py check`` run :func:`run`.
IMPL_OPTIONS = ("impl", *(name for _, name, _, _ in REPORTS), "rubric", "timeout", "strict", "interface", "penalty",
                "jobs", "memory_mb", "sandbox", "allow_import", "part", "shard")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Check ``--impl``: one file as a report, several as a progress bar and a summary table.

    Exit 0 when every file passes (warnings too, unless ``--strict``), 1 when any fails (or, with several
    files, cannot be run), 2 on bad arguments, when no submission is found, or when one file cannot be run.
    """
    if args.impl is None:
        raise UsageError("--part needs --impl PATH" if args.part else "--json, --junit-xml, --feedback-dir, --csv, --gradescope, --prairielearn, --rubric, --timeout, --strict, "
                         "--interface, --penalty, --jobs, --memory-mb, --sandbox, --allow-import and --shard need --impl PATH")  # fmt: skip
    single, strict = len(args.impl) == 1 and Path(args.impl[0]).is_file(), bool(args.strict)
    if single and args.shard:
        raise UsageError(f"--shard splits a class: give its folder, or several files; got one file, {args.impl[0]}")
    reports = check_report_paths(args, single=single)
    from tqdm import tqdm

    from impl_check import ERROR, batch, report  # imports torch: after the cheap checks

    options, paths = batch.prepare(args.impl, interface=args.interface, penalty=args.penalty, timeout=args.timeout,
                                   memory_mb=args.memory_mb, sandbox=args.sandbox, allow_imports=args.allow_import, part=args.part)  # fmt: skip
    if not options.contained:
        print(f"compare.py: {report.NOT_CONTAINED}", file=sys.stderr)
    header = None
    if args.shard:
        from impl_check import shards

        index, count = args.shard
        paths, header = shards.select(paths, index, count, options, args.impl)
        print(f"compare.py: shard {index}/{count}: {len(paths)} of {header['students']} students", file=sys.stderr)
    with tqdm(total=len(paths), desc="checking", unit="file", file=sys.stderr, disable=single or None) as bar:
        results = batch.check_many(paths, options, jobs=args.jobs, done=lambda _: bar.update())
    batch.write_reports(results, args.impl, single=single, strict=strict, shard=header, **reports)
    if single and results[0].verdict == ERROR:
        print(f"compare.py: cannot check {args.impl[0]}: {results[0].error.message}", file=sys.stderr)  # type: ignore[union-attr]
        return EXIT_USAGE
    print(report.render(results[0], args.impl[0], strict) if single else report.summary_text(results, Path.cwd()))
    return report.exit_code(results, strict)
