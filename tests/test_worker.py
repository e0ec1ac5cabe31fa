"""The worker's protocol, run in this process: what it writes back for each kind of file.

In a check the worker is a copy run by path inside the sandbox (python -I), where coverage cannot follow;
here its main() runs on the fixtures directly, and its status and arrays are read as the checker reads them.
"""

import json
import sys

import numpy as np
import pytest
from test_impl_check import IMPLS

from impl_check import worker
from impl_check.probes import make_problems, save_problems
from impl_check.sandbox import AUTOGRAD_PACKAGES, PROJECT_PACKAGES, load_arrays, read_report

HOSTILE = IMPLS.parent / "hostile"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """worker.main on a file: its status and arrays; sys.path and sys.meta_path restored afterwards."""
    problems = tmp_path / "problems.npz"
    save_problems(make_problems(), str(problems))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))

    def go(path, interface="auto", banned=(*AUTOGRAD_PACKAGES, *PROJECT_PACKAGES)):
        out = tmp_path / path.stem
        out.mkdir()
        assert worker.main([str(path), str(problems), str(out), interface, ",".join(banned)]) == 0
        return read_report(out)

    return go


@pytest.mark.parametrize(
    "name, interface, entry",
    [
        ("style_einsum", "auto", "module-level cost_grad"),
        ("correct_vectorised", "auto", "NetClassifier.cost_grad (staticmethod)"),
        ("correct_instance_method", "auto", "NetClassifier.cost_grad (instance method)"),
        ("cs231n_style_layers", "auto", "TwoLayerNet.loss (cs231n"),
        ("cs231n_correct_vectorised", "cs231n", "TwoLayerNet.loss (cs231n"),
    ],
)
def test_a_net_is_found_called_on_every_problem_and_its_values_saved(run, name, interface, entry):
    status, arrays = run(IMPLS / f"{name}.py", interface)
    assert status["stage"] == "done" and status["entry"].startswith(entry)
    assert [call["status"] for call in status["calls"]] == ["ok"] * len(make_problems())
    assert {"p0_cost", "p0_W1", "p0_b1", "p0_W2", "p0_b2"} <= set(arrays)


@pytest.mark.parametrize(
    "name, code, fragment",
    [
        ("syntax_error", "import-error", "SyntaxError"),
        ("missing_module", "missing-module", "not_an_installed_module_xyz"),
        ("no_cost_grad", "no-cost-grad", "no NetClassifier.cost_grad"),
        ("cs231n_no_cost_grad", "no-cost-grad", "no TwoLayerNet class with a loss method"),
    ],
)
def test_a_file_that_cannot_run_says_why(run, name, code, fragment):
    status, _ = run(IMPLS / f"{name}.py")
    assert status["error"]["code"] == code and fragment in status["error"]["message"]


def test_the_interface_can_be_forced(run):
    status, _ = run(IMPLS / "correct_vectorised.py", "course")
    assert status["interface"] == "course"
    status, _ = run(IMPLS / "cs231n_correct_vectorised.py", "course")
    assert status["error"]["code"] == "no-cost-grad"


@pytest.mark.parametrize(
    "name, state",
    [("raises", "exception"), ("returns_none", "none"), ("bad_return", "bad_return")],
)
def test_each_call_reports_how_it_failed(run, name, state):
    status, _ = run(IMPLS / f"{name}.py")
    assert status["calls"][0]["status"] == state and status["calls"][0]["message"]


def test_modified_inputs_and_none_placeholders_are_recorded(run):
    status, _ = run(IMPLS / "modifies_inputs.py")
    assert any(call["modified"] for call in status["calls"])
    status, _ = run(IMPLS / "bug_template_none_grads.py")
    assert status["calls"][0]["none"] == ["cost", "W1", "b1", "W2", "b2"]


def test_output_is_located_not_kept(run, capfd):
    status, _ = run(IMPLS / "prints.py")
    start, end = status["calls"][0]["output_span"]
    assert end >= start  # where it printed, in the parent's output file; the parent reads it from there


def test_a_banned_import_is_refused_and_named(run, tmp_path):
    # in this process torch and scratch_net are loaded already (a cached module skips the finders); in the
    # worker's own process nothing is, so the names here are ones this process has not loaded
    (tmp_path / "uses_jax.py").write_text("import jax.numpy as jnp\n")
    status, _ = run(tmp_path / "uses_jax.py")
    assert status["error"]["code"] == "import-error" and status["banned_imports"] == ["jax"]
    assert "jax may not be imported by a submission" in status["error"]["message"]
    (tmp_path / "late.py").write_text(
        (HOSTILE / "_correct.py").read_text().replace("    W1, b1", "    import autograd\n    W1, b1")
    )
    status, _ = run(tmp_path / "late.py", banned=("autograd",))
    assert status["calls"][0]["status"] == "exception" and status["banned_imports"] == ["autograd"]


def test_the_module_softmax_is_probed_three_ways(run):
    status, arrays = run(IMPLS / "style_course_recipe.py")
    assert status["softmax"]["status"] == "ok" and {"softmax", "softmax_columns"} <= set(arrays)
    assert "softmax_rows" not in arrays and "AxisError" in status["softmax"]["messages"][0]  # axis=1 on one vector
    status, _ = run(IMPLS / "warn_softmax_unchecked.py")
    assert status["softmax"]["status"] == "exception" and len(status["softmax"]["messages"]) == 3


def test_memory_error_at_import_is_its_own_code(run, tmp_path):
    (tmp_path / "greedy.py").write_text("raise MemoryError('Unable to allocate 8.00 GiB')\n")
    status, _ = run(tmp_path / "greedy.py")
    assert status["error"]["code"] == "memory-cap"


def test_the_first_problem_that_returned_is_called_again_with_the_same_inputs(run):
    status, arrays = run(IMPLS / "correct_vectorised.py")
    assert status["again"] == {"problem": 0, "status": "ok"}
    for q in ("cost", "W1", "b1", "W2", "b2"):
        assert np.array_equal(arrays[f"again_{q}"], arrays[f"p0_{q}"])
    status, arrays = run(IMPLS / "returns_none.py")  # no problem returned: nothing to call again
    assert "again" not in status and not any(key.startswith("again_") for key in arrays)


def test_arrays_come_back_as_saved_whatever_their_dtype_and_shape(tmp_path):
    saved = {
        "p0_cost": np.float64(2.5),  # 0-d
        "p0_d_w1": np.arange(12.0).reshape(3, 4),
        "p1_d_w1": np.full((2, 3), -0.0),
        "empty": np.zeros((0, 5)),
        "y": np.array([2, 0, 1]),
        "mask": np.array([[True, False]]),
        "stream": np.array("fifo"),
        "f32": np.ones(3, dtype=np.float32),
    }
    worker.save_arrays(tmp_path / "r.npz", saved)
    back = load_arrays(tmp_path / "r.npz")
    assert list(back) == list(saved)
    for name, value in saved.items():
        assert back[name].dtype == np.asarray(value).dtype and back[name].shape == np.shape(value), name
        np.testing.assert_array_equal(back[name], value)
    assert np.signbit(back["p1_d_w1"]).all()  # bit for bit: -0.0 stays -0.0
    worker.save_arrays(tmp_path / "none.npz", {})
    assert load_arrays(tmp_path / "none.npz") == {}


@pytest.mark.parametrize(
    "entry",
    [["flat0", [5], 0], ["flat0", [2], 3], ["flat9", [1], 0], ["flat0", [-1], 0], ["flat0", [1], -1], "x", [1, 2]]
    + [["flat0", [2**70, 2**70], 0], ["flat0", ["2"], 0], [["flat0"], [1], 0]],
)
def test_an_index_that_points_outside_what_was_saved_is_refused(tmp_path, entry):
    """The file is written by a process that ran someone else's code: its index is checked, not trusted."""
    index = np.frombuffer(json.dumps({"p0_cost": entry}).encode(), dtype=np.uint8)
    np.savez(tmp_path / "r.npz", flat0=np.zeros(4), index=index)
    with pytest.raises(ValueError, match=r"r.npz: array 'p0_cost' is not where its index says"):
        load_arrays(tmp_path / "r.npz")
