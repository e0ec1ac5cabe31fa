"""compare.py is a thin command line over parity_run, which never imports it and imports the heavy libraries late."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("scratch_net", "torch_ref", "impl_check", "parity_run")


def imported_modules(path):
    """Every module an ``import`` or ``from ... import`` of the file names (relative imports: the package's)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_no_module_of_the_library_imports_the_command_line():
    files = [path for package in LIBRARY for path in (ROOT / package).rglob("*.py")]
    assert len(files) > 20
    offenders = [
        str(path.relative_to(ROOT))
        for path in files
        if {"compare", "commands"} & {name.split(".")[0] for name in imported_modules(path)}
    ]
    assert not offenders, f"these import compare.py or commands/: {offenders}"


def test_compare_py_is_at_most_250_lines():
    lines = len((ROOT / "compare.py").read_text().splitlines())
    assert lines <= 250, f"compare.py has {lines} lines"


@pytest.mark.parametrize("module", ["datasets", "dataset_cache", "splits", "run_report", "figures", "train_run",
                                    "parity_check", "torch_setup", "atomic", "text_table"])  # fmt: skip
def test_importing_a_module_of_parity_run_imports_no_heavy_library(module):
    code = (
        f"import sys, parity_run.{module}\n"
        "print(sorted(m for m in ('torch', 'matplotlib', 'sklearn', 'mlxtend', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_a_train_run_loads_neither_scikit_learn_nor_pyplot(tmp_path):
    code = (
        "import sys, compare\n"
        f"assert compare.main(['train', '--hidden', '8', '--epochs', '1', '--out', {str(tmp_path / 'run')!r}]) == 0\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'matplotlib.pyplot') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_check_impl_refuses_a_bad_path_without_importing_torch():
    """The checker imports torch where it first computes a reference: a bad argument is answered without it."""
    code = (
        "import sys, compare\n"
        "assert compare.main(['check', '--impl', 'nowhere/']) == 2\n"
        "print(sorted(m for m in ('torch', 'torch_ref', 'matplotlib') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]"
