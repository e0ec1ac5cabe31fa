"""Students are checked in threads (impl_check.batch.check_many), and CPython 3.11's ast.parse keeps its
recursion depth in interpreter-wide state: two parses at once can raise "SystemError: AST constructor recursion
depth mismatch" and end a class's run. Every parse of the host goes through one locked function."""

import ast
import threading
from pathlib import Path

import impl_check.units as units

ROOT = Path(__file__).resolve().parents[1]
# modules run in the child process (one thread), never in the grader's threads
CHILD_ONLY = {"worker.py", "train_worker.py"}


def test_parse_source_parses_under_the_lock(monkeypatch):
    seen = []
    real = ast.parse

    def spying_parse(*args, **kwargs):
        seen.append(units._AST_LOCK.locked())
        return real(*args, **kwargs)

    monkeypatch.setattr(units.ast, "parse", spying_parse)
    tree = units.parse_source(b"class NetClassifier:\n    def cost_grad(self): pass\n", "x.py")
    assert isinstance(tree, ast.Module) and seen == [True]
    assert not units._AST_LOCK.locked()  # released after


def test_the_spurious_system_error_is_tried_again(monkeypatch):
    real, calls = ast.parse, []

    def flaky_parse(*args, **kwargs):
        calls.append(1)
        if len(calls) < 3:  # what a parse in another thread at the same moment gives on CPython 3.11
            raise SystemError("AST constructor recursion depth mismatch (before=39, after=37)")
        return real(*args, **kwargs)

    monkeypatch.setattr(units.ast, "parse", flaky_parse)
    assert isinstance(units.parse_source("x = 1", "x.py"), ast.Module) and len(calls) == 3


def test_another_system_error_is_not_hidden(monkeypatch):
    def broken_parse(*args, **kwargs):
        raise SystemError("something else")

    monkeypatch.setattr(units.ast, "parse", broken_parse)
    try:
        units.parse_source("x = 1", "x.py")
    except SystemError as exc:
        assert str(exc) == "something else"
    else:
        raise AssertionError("the SystemError was swallowed")


def test_a_syntax_error_releases_the_lock():
    try:
        units.parse_source("def (:", "bad.py")
    except SyntaxError:
        pass
    assert not units._AST_LOCK.locked()


def test_no_other_parse_in_the_hosts_code():
    offenders = []
    for path in [*(ROOT / "impl_check").glob("*.py"), *(ROOT / "commands").glob("*.py")]:
        if path.name in CHILD_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "parse"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "ast"
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == ["units.py:" + str(_line_of_parse_source())], offenders


def _line_of_parse_source():
    tree = ast.parse((ROOT / "impl_check" / "units.py").read_text())
    function = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "parse_source")
    return next(
        n.lineno for n in ast.walk(function) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "parse"
    )


def test_threads_parse_at_once_without_error():
    source = (ROOT / "tests" / "impls" / "correct_vectorised.py").read_bytes()
    errors = []

    def work():
        for _ in range(50):
            try:
                units.parse_source(source, "correct_vectorised.py")
            except SystemError as exc:  # pragma: no cover - the failure this guards against
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
