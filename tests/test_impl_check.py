"""compare.py check --impl: every fixture in tests/impls gets its verdict and its diagnosis.

Each fixture has exactly one mistake (its docstring says which); the checker
must name it by its code and flag nothing in the correct ones.  All fixtures
run once, in parallel child processes, for the whole module.
"""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from parity_helpers import assert_close, make_problem

import compare
import scratch_net as sn
from impl_check import check_impl, reference

ROOT = Path(__file__).resolve().parents[1]
IMPLS = ROOT / "tests" / "impls"
TIMEOUT = 3.0  # seconds; the hanging fixture costs exactly this

CORRECT = {  # fixture -> the warnings it may carry (correct code that is fragile at extreme logits)
    "correct_vectorised": set(),
    "correct_loop": {"softmax-vector-only"},
    "correct_course_keys": set(),
    "correct_reg_no_default": set(),
    "correct_instance_method": set(),
    "scratch_net_wrapper": set(),
    "cost_inf_large_logits": {"cost-not-finite"},
}
WRONG = {  # fixture -> the diagnosis codes it must get, and no others
    "sum_not_mean": {"sum-not-mean"},
    "decay_cw": {"decay-cw"},
    "decay_half": {"decay-half"},
    "decay_c_over_2n": {"decay-c-over-2n"},
    "decay_grad_missing": {"decay-grad-missing"},
    "bias_decayed": {"bias-decayed"},
    "labels_not_one_hot": {"labels-not-one-hot"},
    "labels_shifted": {"labels-shifted"},
    "grads_transposed": {"transposed"},
    "grads_swapped": {"swapped"},
    "relu_derivative": {"relu-derivative"},
    "log_eps": {"log-eps"},
    "softmax_no_max": {"softmax-no-max", "nan-at-large-logits"},
    "softmax_global_max": {"softmax-global-max", "nan-at-large-logits"},
    "prints": {"prints"},
    "modifies_inputs": {"modifies-inputs"},
    "returns_none": {"returns-none"},
    "raises": {"exception"},
    "bad_return": {"bad-return"},
    "bias_shape": {"shape"},
}
CANNOT_RUN = {
    "syntax_error": "import-error",
    "import_error": "import-error",
    "missing_module": "missing-module",
    "hangs": "timeout",
    "no_cost_grad": "no-cost-grad",
}


@pytest.fixture(scope="module")
def results():
    names = [*CORRECT, *WRONG, *CANNOT_RUN]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(names, pool.map(lambda name: check_impl(IMPLS / f"{name}.py", timeout=TIMEOUT), names)))


def test_every_fixture_is_listed():
    assert {p.stem for p in IMPLS.glob("*.py")} == {*CORRECT, *WRONG, *CANNOT_RUN}


@pytest.mark.parametrize("name", CORRECT)
def test_correct_implementation_passes(results, name):
    result = results[name]
    assert result.verdict == "pass", [f.message for f in result.diagnoses]
    assert not result.diagnoses
    assert {f.code for f in result.warnings} == CORRECT[name]
    assert all(row.result in ("PASS", "WARN") for row in result.rows)


@pytest.mark.parametrize("name", WRONG)
def test_each_mistake_gets_its_diagnosis(results, name):
    result = results[name]
    assert result.verdict == "fail"
    assert {f.code for f in result.diagnoses} == WRONG[name], [f.message for f in result.diagnoses]


@pytest.mark.parametrize("name", CANNOT_RUN)
def test_files_that_cannot_run_are_errors_with_the_reason(results, name):
    result = results[name]
    assert result.verdict == "error" and result.error.code == CANNOT_RUN[name]
    assert not result.rows


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("decay_cw", "differ from the reference by exactly −c·W"),
        ("decay_half", "(c/2)·ΣW²"),
        ("decay_c_over_2n", "(c/(2n))·ΣW²"),
        ("log_eps", "eps ≈ 1e-12"),
        ("labels_shifted", "shifted by −1"),
        ("relu_derivative", "relu(z1), the activation itself"),
        ("raises", "ValueError: matmul"),
        ("grads_transposed", "d_w1 has shape (6, 5), expected (5, 6)"),
        ("bias_shape", "d_b1 has shape (6,), expected (1, 6)"),
        ("missing_module", "'not_an_installed_module_xyz'"),
    ],
)
def test_messages_name_the_specifics(results, name, fragment):
    result = results[name]
    messages = [f.message for f in result.diagnoses] + ([result.error.message] if result.error else [])
    assert any(fragment in m for m in messages), messages


def test_shape_mismatch_is_a_row_note(results):
    row = next(r for r in results["bias_shape"].rows if r.name == "d_b1")
    assert row.result == "FAIL" and row.note == "d_b1 has shape (6,), expected (1, 6)"


def test_rows_give_rel_error_and_worst_element(results):
    row = next(r for r in results["decay_cw"].rows if r.name == "d_w2")
    assert row.result == "FAIL" and row.rel_err > 1e-3 and row.problem.endswith("c=0.5")
    assert isinstance(row.index, tuple) and len(row.index) == 2 and row.got != row.expected


def test_result_is_json_able(results):
    data = json.loads(json.dumps(results["softmax_no_max"].to_dict(), allow_nan=False))
    assert data["verdict"] == "fail" and {d["code"] for d in data["diagnoses"]} == WRONG["softmax_no_max"]


def test_hypothesis_reference_without_changes_is_the_reference():
    X, y, params = make_problem(9, 4, 5, 3, seed=7)
    cost, grads = reference.hypothesis(X, y, params, 0.5)
    cost_t, grads_t = reference.reference(X, y, params, 0.5)
    assert abs(cost - cost_t) <= sn.tolerance(np.float64)
    for key in sn.PARAM_KEYS:
        assert_close(key, grads[key], grads_t[key], np.float64)


def test_missing_file_is_an_error():
    assert check_impl(IMPLS / "no_such_file.py").error.code == "file-not-found"


def test_worker_does_not_import_torch():
    code = "import sys, impl_check.worker; assert 'torch' not in sys.modules, 'torch was imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def run_cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "compare.py"), "check", *args], capture_output=True, text=True)


def test_cli_exit_0_for_a_correct_file(capsys):
    assert compare.main(["check", "--impl", str(IMPLS / "correct_course_keys.py")]) == 0
    out = capsys.readouterr().out
    assert "PASS:" in out and "d_w1" in out and "normwise rel err" in out


def test_cli_exit_1_prints_table_and_diagnosis_and_writes_json(tmp_path, capsys):
    target = tmp_path / "report.json"
    assert compare.main(["check", "--impl", str(IMPLS / "decay_grad_missing.py"), "--json", str(target)]) == 1
    out = capsys.readouterr().out
    assert "diagnosis [decay-grad-missing]" in out and "FAIL" in out
    data = json.loads(target.read_text())
    assert data["verdict"] == "fail" and [d["code"] for d in data["diagnoses"]] == ["decay-grad-missing"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--impl", str(IMPLS / "hangs.py"), "--timeout", "1"], "no result within 1 s"),
        (["--impl", "nowhere.py"], "--impl: no such file: nowhere.py"),
        (
            ["--impl", str(IMPLS / "hangs.py"), "--json", "/no/such/folder/x.json"],
            "--json: folder /no/such/folder does not exist",
        ),
        (["--json", "x.json"], "--json and --timeout need --impl PATH"),
        (["--impl", "x.py", "--timeout", "0"], "--timeout: expected a finite number > 0, got 0"),
    ],
)
def test_cli_exit_2_with_one_line_when_it_cannot_run(args, fragment):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_cli_exit_2_names_the_missing_module(capsys):
    assert compare.main(["check", "--impl", str(IMPLS / "missing_module.py")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert "not installed: 'not_an_installed_module_xyz'" in captured.err
