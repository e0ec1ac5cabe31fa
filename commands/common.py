"""What every subcommand shares: the exit codes, the one-line usage error, and the argument types."""

from __future__ import annotations

import argparse
import re
from typing import Any, Callable, NoReturn

import numpy as np

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or data: reported as one line on stderr, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def number(convert: Callable[[str], Any], ok: Callable[[Any], Any], kind: str, bad_kind: str) -> Callable[[str], Any]:
    """An argparse type: ``convert(text)`` when ``ok`` of it, else "expected <kind>, got <text>"."""

    def parse(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"expected {bad_kind}, got {value if convert is int else text}")
        return value

    return parse


positive_float = number(float, lambda v: np.isfinite(v) and v > 0, "a number > 0", "a finite number > 0")
nonnegative_float = number(float, lambda v: np.isfinite(v) and v >= 0, "a number >= 0", "a finite number >= 0")
positive_int = number(int, lambda v: v >= 1, "an integer >= 1", "an integer >= 1")
fraction = number(float, lambda v: 0 < v < 1, "a fraction in (0, 1)", "a fraction in (0, 1)")


def shard(text: str) -> tuple[int, int]:
    """An argparse type: "K/N", the K-th of N parts, 1 <= K <= N."""
    match = re.fullmatch(r"([0-9]+)/([0-9]+)", text.strip())
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N (e.g. 2/8), got {text!r}")
    return int(match[1]), int(match[2])
