"""A class split across machines: grade the K-th of N parts (``check --impl --shard K/N``), then put the parts'
JSON reports back together into the reports of one run over the whole class (``compare.py merge``).

    selected, header = select(units, 2, 3, options, roots)   # the students of shard 2/3, and what says so
    merged = combine([(name, json.load(f)) for ...])         # the results of the whole class, in its order

A shard is a contiguous part of the class sorted by student name (ties, the same name in two class folders, by
their order in the class), sizes differing by at most one; its students are checked, and reported, in the whole
run's order. Its JSON report is a whole run's on those students plus one key, ``"shard"`` (:func:`select`):
which shard of how many, how many students the class has and a fingerprint of their names, where each row stands
in the whole run, the options that change a row, and the class folders (the feedback takes them out of its text).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

from .checker import Options
from .report import file_stems
from .result import CheckResult, summary
from .units import Unit

SHARD = "shard"
"""The key of a JSON report that makes it a shard's."""
HEADER_KEYS = ("index", "count", "students", "class", "positions", "options", "roots")


def fingerprint(names: Sequence[str]) -> str:
    """The class, as far as a merge can tell: a SHA-256 of its students' names in the whole run's order."""
    return hashlib.sha256(json.dumps(list(names)).encode()).hexdigest()


def part(count_students: int, index: int, count: int) -> slice:
    """The ``index``-th (1-based) of ``count`` contiguous parts of ``count_students`` sorted students."""
    if not 1 <= index <= count:
        raise ValueError(f"shard must be K/N with 1 <= K <= N; got {index}/{count}")
    return slice(count_students * (index - 1) // count, count_students * index // count)


def select(
    units: Sequence[Unit], index: int, count: int, options: Options, roots: Sequence[str]
) -> tuple[list[Unit], dict[str, Any]]:
    """The students of shard ``index`` of ``count`` (1-based), in the order of ``units``, and the ``"shard"``
    header of its JSON report: ``index``, ``count``, ``students`` (of the whole class), ``class``
    (:func:`fingerprint`), ``positions`` (each row's index in the whole run), ``options`` (those of ``options``,
    which change rows), ``roots`` (the class folders as given and resolved: :func:`impl_check.report.feedback`
    takes them out of the text) and ``file_stems`` (the names of its students' feedback files, chosen over the
    whole class: :func:`impl_check.report.file_stems`)."""
    by_name = sorted(range(len(units)), key=lambda i: (units[i].name, i))
    stems = file_stems([u.name for u in units])
    positions = sorted(by_name[part(len(units), index, count)])
    header = {
        "index": index,
        "count": count,
        "students": len(units),
        "class": fingerprint([u.name for u in units]),
        "positions": positions,
        "options": json.loads(json.dumps(asdict(options))),  # as a JSON file gives it back: lists, not tuples
        "roots": list(dict.fromkeys([*map(str, roots), *(str(Path(r).resolve()) for r in roots)])),
        # the per-student files' names as the whole run gives them ("a_b" and "a b": a_b, a_b-2), so that shards
        # writing feedback into one folder never overwrite each other
        "file_stems": [stems[i] for i in positions],
    }
    return [units[i] for i in positions], header


@dataclass
class Merged:
    """The class put back together: its results in the whole run's order, and the class folders of the shards."""

    results: list[CheckResult]
    roots: list[str]


def _results(name: str, report: dict[str, Any]) -> list[CheckResult]:
    """The rows of one report as results, each checked to give back its row, and the summary checked."""
    results = []
    for number, row in enumerate(report["files"], 1):
        try:
            result = CheckResult.from_dict(row)
        except ValueError as exc:
            raise ValueError(f"{name}: row {number}: {exc}") from None
        if result.to_dict() != row:  # a level or verdict edited by hand, a field of another version
            raise ValueError(f"{name}: row {number} ({result.name}) does not read back as written")
        results.append(result)
    if report["summary"] != summary(results):
        raise ValueError(f"{name}: its summary {report['summary']} does not count its rows {summary(results)}")
    return results


def _header(name: str, report: Any) -> dict[str, Any] | None:
    """The shard header of a report (None: a whole run's), after checking it is a report of a class."""
    if not (isinstance(report, dict) and isinstance(report.get("files"), list) and "summary" in report):
        raise ValueError(f"{name}: not a JSON report of a class (compare.py check --impl FOLDER --json)")
    header = report.get(SHARD)
    if header is None:
        return None
    if not (isinstance(header, dict) and set(HEADER_KEYS) <= set(header)):
        raise ValueError(f"{name}: its {SHARD!r} is not a shard header (keys: {', '.join(HEADER_KEYS)})")
    whole = lambda value: isinstance(value, int) and not isinstance(value, bool)  # noqa: E731
    index, count, positions = header["index"], header["count"], header["positions"]
    if not (whole(index) and whole(count) and whole(header["students"]) and 1 <= index <= count):
        raise ValueError(f"{name}: its shard is {index!r}/{count!r}, not K/N with 1 <= K <= N")
    if not (isinstance(positions, list) and all(map(whole, positions))):
        raise ValueError(f"{name}: its positions are not a list of row numbers")
    if len(positions) != len(report["files"]):
        raise ValueError(f"{name}: {len(report['files'])} rows but {len(positions)} positions")
    if not (isinstance(header["roots"], list) and all(isinstance(r, str) for r in header["roots"])):
        raise ValueError(f"{name}: its roots are not a list of folders")
    if not isinstance(header["options"], dict):
        raise ValueError(f"{name}: its options are not a table of the options it was graded with")
    return header


def combine(reports: Sequence[tuple[str, Any]]) -> Merged:
    """The whole class from the JSON reports of its shards (each ``(name for messages, parsed JSON)``), or from
    one whole run's report alone.

    Raises
    ------
    ValueError
        one line naming the report: not a report of a class; a whole run's beside others; shards of different
        splits, classes or options; a shard twice; a shard missing; a row that does not read back as written.
    """
    if not reports:
        raise ValueError("no report to merge")
    headers = [_header(name, report) for name, report in reports]
    for (name, _), header in zip(reports, headers):
        if header is None and len(reports) > 1:
            raise ValueError(f"{name}: a whole run's report, not a shard's (--shard K/N): give it alone")
    if headers[0] is None:
        return Merged(_results(*reports[0]), [])
    shards = [(name, report, header) for (name, report), header in zip(reports, headers) if header is not None]
    first_name, _, first = shards[0]
    seen: dict[int, str] = {}
    for name, _, header in shards:
        if header["count"] != first["count"]:
            raise ValueError(
                f"{name} is shard {header['index']}/{header['count']} and {first_name} shard "
                f"{first['index']}/{first['count']}: shards of different splits"
            )
        if (header["class"], header["students"]) != (first["class"], first["students"]):
            raise ValueError(f"{name} and {first_name} are shards of different classes (their students differ)")
        if header["options"] != first["options"]:
            keys = dict.fromkeys([*first["options"], *header["options"]])  # a key either side lacks differs too
            differ = [key for key in keys if header["options"].get(key) != first["options"].get(key)]
            raise ValueError(f"{name} and {first_name} were graded with different options ({', '.join(differ)})")
        if header["index"] in seen:
            raise ValueError(f"shard {header['index']}/{first['count']} given twice: {seen[header['index']]}, {name}")
        seen[header["index"]] = name
    count = first["count"]
    missing = [f"{k}/{count}" for k in range(1, count + 1) if k not in seen]
    if missing:
        raise ValueError(f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing")
    placed: dict[int, CheckResult] = {}
    for name, report, header in shards:
        for position, result in zip(header["positions"], _results(name, report)):
            if position in placed or not 0 <= position < first["students"]:
                raise ValueError(f"{name}: position {position} of {result.name} is taken or outside the class")
            placed[position] = result
    results = [placed[i] for i in sorted(placed)]
    if len(results) != first["students"] or fingerprint([r.name for r in results]) != first["class"]:
        raise ValueError(f"the shards' students are not the class their headers name ({first['students']} students)")
    roots = list(dict.fromkeys(root for _, _, header in shards for root in header["roots"]))
    return Merged(results, roots)
