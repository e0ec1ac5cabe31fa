"""compare.py check: the table, and exit codes 0 / 1 / 2."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import compare
import scratch_net

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "compare.py"), *args], capture_output=True, text=True)


def test_check_passes_and_prints_a_table(capsys):
    assert compare.main(["check", "--n", "9", "--d", "5", "--hidden", "4", "--k", "3", "--c", "0.5"]) == 0
    out = capsys.readouterr().out
    for label in ["quantity", "max abs diff", "normwise rel diff", "tolerance", "grad W1", "grad b2", "cost"]:
        assert label in out
    assert "FAIL" not in out and out.count("PASS") == 8


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_check_uses_the_dtype_tolerance(capsys, dtype):
    assert compare.main(["check", "--dtype", dtype, "--n", "4", "--d", "3", "--hidden", "2", "--k", "2"]) == 0
    assert f"{scratch_net.tolerance(dtype):.3e}" in capsys.readouterr().out


def test_check_fails_with_exit_1_when_a_gradient_is_wrong(monkeypatch, capsys):
    real = scratch_net.cost_grad

    def wrong_decay(X, y, params, c=0.0):  # the c*W slip
        cost, grads = real(X, y, params, c)
        grads["W1"] = grads["W1"] - c * params["W1"]
        return cost, grads

    monkeypatch.setattr(scratch_net, "cost_grad", wrong_decay)
    assert compare.main(["check", "--n", "6", "--d", "4", "--hidden", "3", "--k", "2", "--c", "0.1"]) == 1
    out = capsys.readouterr().out
    assert "FAIL: grad W1" in out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["check", "--n", "0"], "--n: expected an integer >= 1, got 0"),
        (["check", "--c", "-1"], "--c: expected a finite number >= 0, got -1"),
        (["check", "--dtype", "float16"], "invalid choice: 'float16'"),
        (["check", "--k", "1"], "--k must be at least 2 classes, got 1"),
        (["check", "--seed", "x"], "--seed: invalid int value: 'x'"),
        (["nope"], "invalid choice: 'nope'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, fragment):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_check_end_to_end_in_a_subprocess():
    result = run_cli("check", "--n", "5", "--d", "3", "--hidden", "2", "--k", "2", "--dtype", "float32")
    assert result.returncode == 0, result.stderr
    assert "PASS: scratch_net and torch_ref agree" in result.stdout
    assert np.isfinite(float(result.stdout.split("grad W1")[1].split()[1]))
