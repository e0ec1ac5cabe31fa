"""The example workflows in docs/examples (actionlint checks their syntax in make lint): the compare.py command
lines they run parse with today's options, and they install the CPU build of torch, never a multi-GB CUDA one."""

import re
import shlex
from pathlib import Path

import pytest

import compare

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / "docs" / "examples").glob("*.yml"))
# what the workflows' shell variables stand for, for parsing: a shard K/N and any path
VALUES = {"K": "2", "N": "4", "CLASS": "class", "GRADER": "grader"}


def commands(path):
    """Each shell command of a ``run:`` or ``command:`` block (folded ``>-`` blocks joined into one line)."""
    lines, found, i = path.read_text().splitlines(), [], 0
    while i < len(lines):
        m = re.match(r"^(\s*)(?:- )?(run|command):\s*(>-|\|)?\s*(.*)$", lines[i])
        i += 1
        if not m:
            continue
        indent, style, first = len(m.group(1)), m.group(3), m.group(4)
        block = [first] if first else []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            block.append(lines[i].strip())
            i += 1
        found += [" ".join(block)] if style == ">-" else [line for line in block if line]
    return found


def compare_arguments(command):
    """The arguments given to compare.py in ``command`` (up to ``||``), the shell variables filled in."""
    command = re.sub(r"\$\{?(\w+)\}?", lambda m: VALUES.get(m.group(1), "x"), command.split("||")[0])
    words = shlex.split(command)
    for j, word in enumerate(words):
        if word.endswith("compare.py") or (word == "compare" and words[j - 1] == "-m"):
            return words[j + 1 :]
    return None


def test_there_are_workflows_with_compare_commands():
    assert {p.name for p in WORKFLOWS} >= {"grade-class.yml", "github-classroom.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_compare_command_parses(path):
    parsed = [compare_arguments(c) for c in commands(path)]
    runs = [args for args in parsed if args is not None]
    assert runs, f"{path.name}: no compare.py command found"
    for args in runs:
        compare.build_parser().parse_args(args)  # a UsageError (an option unknown or misspelt) fails the test


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_torch_is_installed_from_the_cpu_index(path):
    installs = [c for c in commands(path) if "make install" in c or re.search(r"pip install .*torch", c)]
    assert installs, f"{path.name}: installs nothing"
    for command in installs:
        assert "download.pytorch.org/whl/cpu" in command, command


def test_the_parser_of_commands_sees_a_bad_option():
    with pytest.raises(compare.UsageError):
        compare.build_parser().parse_args(compare_arguments("python compare.py merge a.json --cvs g.csv"))
