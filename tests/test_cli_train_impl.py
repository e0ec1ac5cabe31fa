"""compare.py train --impl: the user's fit beside the reference, where they part, and exit codes 0 / 1 / 2.

Runs on a small .npz data set made here (108 training rows: batches of 16 leave a partial one), a few epochs, a
hidden layer of 8: each run is a sandboxed fit and a replay on torch_ref. The steps asserted are derived from
the bug and the data's size, not read from the output.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import compare
import scratch_net as sn
from impl_check.checker import Options
from impl_check.side_by_side import CannotRun, side_by_side
from parity_run.datasets import load_dataset

FIXTURES = Path(__file__).parent / "train_impls"
BATCH = 16
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """An .npz of 160 rows, 6 features, 3 classes from a linear rule."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(160, 6))
    y = np.argmax(X @ rng.normal(size=(6, 3)), axis=1).astype(np.int64)
    path = tmp_path_factory.mktemp("data") / "small.npz"
    np.savez(path, X=X, y=y)
    return path


@pytest.fixture(scope="module")
def n_train(dataset):
    n = len(load_dataset(str(dataset), 0, 0.15)["y_train"])
    assert n % BATCH, "the data must leave a partial last batch"
    return n


def cli(dataset, out, impl, *extra):
    argv = ["train", "--impl", str(impl), "--dataset", str(dataset), "--hidden", "8", "--batch-size", str(BATCH)]
    return compare.main([*argv, "--epochs", "2", "--c", "1e-3", "--out", str(out), *extra])


def follow(dataset, name, epochs=2):
    """side_by_side on a fixture, as the command runs it (less the figures and the small problem's check)."""
    data = load_dataset(str(dataset), 0, 0.15)
    init = sn.init_params(data["X_train"].shape[1], 8, 3, seed=0)
    config = sn.TrainConfig(batch_size=BATCH, lr=0.1, c=1e-3, epochs=epochs, seed=0)
    return side_by_side(FIXTURES / name, data, init, config, Options(), tol=sn.tolerance("float64"))


def test_a_correct_loop_stays_together_and_writes_complete_outputs(dataset, n_train, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli(dataset, out, FIXTURES / "correct_for_range.py") == 0
    assert sorted(p.name for p in out.iterdir()) == ["curves.png", "divergence.png", "report.json"]
    for name in ("curves.png", "divergence.png"):
        data = (out / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000, f"{name} is not a drawn PNG"
    report = json.loads((out / "report.json").read_text())
    per_epoch = -(-n_train // BATCH)
    assert report["verdict"] == "pass" and report["parted"] is None and report["first_crossing"] is None
    assert len(report["steps"]) == 2 * per_epoch
    assert [s["rows"] for s in report["steps"][:per_epoch]] == [BATCH] * (per_epoch - 1) + [n_train % BATCH]
    assert all(s["divergence"] <= report["tolerance"] for s in report["steps"])
    for side in ("user", "reference"):
        assert all(len(report[side]["history"][key]) == 2 for key in ("train_loss", "val_loss", "train_acc"))
    assert report["diagnosis"]["verdict"] == "pass"
    printed = capsys.readouterr().out
    assert "PASS: your fit and the reference stayed together" in printed


def test_lr_over_batch_size_parts_at_the_first_step(dataset, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli(dataset, out, FIXTURES / "lr_over_batch.py") == 1
    report = json.loads((out / "report.json").read_text())
    # the first update is already batch_size times too small
    assert report["parted"]["step"] == 0 and report["parted"]["by"] == "parameters"
    assert report["first_crossing"]["step"] == 0 and report["first_crossing"]["epoch"] == 1
    assert "lr-over-batch" in {d["code"] for d in report["diagnosis"]["diagnoses"]}
    assert "FAIL: your fit parted from the reference at step 0 (epoch 1)" in capsys.readouterr().out


def test_c_not_passed_parts_at_the_first_step(dataset):
    result = follow(dataset, "no_decay_c0.py", epochs=1)
    assert result.first_crossing()["step"] == 0  # the weight decay is missing from the very first update
    assert result.departure.step == 0 and result.departure.code == "c-not-passed"


def test_momentum_parts_at_the_second_step(dataset):
    result = follow(dataset, "momentum.py", epochs=1)
    # the velocity starts at zero: the first step is plain SGD, the second adds 0.9 times the first
    assert result.divergence[0] <= result.tol
    assert result.first_crossing()["step"] == 1
    assert result.departure is None


def test_an_lr_schedule_parts_at_the_first_step_it_changes_lr(dataset, n_train):
    result = follow(dataset, "lr_schedule.py", epochs=6)
    # lr *= 0.75 after every 5th epoch: the first step of epoch 6 is the first one taken at another lr
    assert result.first_crossing()["step"] == 5 * -(-n_train // BATCH)
    assert result.first_crossing()["epoch"] == 5  # 0-based here
    assert result.departure is None


def test_gradients_at_a_stale_snapshot_part_at_the_first_step(dataset):
    result = follow(dataset, "stale_params.py", epochs=1)
    assert result.first_crossing()["step"] == 0
    assert (result.departure.step, result.departure.code) == (0, "stale-params")


def test_a_batch_evaluated_twice_at_the_same_parameters_is_one_step(dataset, tmp_path):
    """A loop that logs each batch's cost with one call and takes its gradients with another: still the spec."""
    source = (FIXTURES / "correct_for_range.py").read_text()
    step = "                cost, grad = self.cost_grad(X_train[idx], y_train[idx], params, c)\n"
    assert step in source
    twice = source.replace(
        step, "                batch_costs.append(self.cost_grad(X_train[idx], y_train[idx], params, c)[0])\n" + step
    )
    twice = twice.replace("import numpy as np\n", "import numpy as np\n\nbatch_costs = []\n", 1)
    (tmp_path / "twice.py").write_text(twice)
    data = load_dataset(str(dataset), 0, 0.15)
    init = sn.init_params(data["X_train"].shape[1], 8, 3, seed=0)
    config = sn.TrainConfig(batch_size=BATCH, lr=0.1, c=1e-3, epochs=1, seed=0)
    result = side_by_side(tmp_path / "twice.py", data, init, config, Options(), tol=sn.tolerance("float64"))
    assert result.departure is None and result.first_crossing() is None
    assert result.batch_rows[0] == BATCH


def test_a_slice_off_by_one_parts_at_the_first_batch(dataset):
    result = follow(dataset, "slice_off_by_one.py", epochs=1)
    assert result.first_crossing() is None  # the update itself is right: the reference took the same rows
    assert (result.departure.step, result.departure.code) == (0, "rows-unused")
    assert result.batch_rows[0] == BATCH - 1


def test_a_dropped_last_batch_parts_where_that_batch_belonged(dataset, n_train):
    result = follow(dataset, "drops_last_batch.py")
    assert (result.departure.step, result.departure.epoch) == (n_train // BATCH, 1)
    assert result.departure.code == "rows-unused"


def test_no_shuffle_parts_at_the_first_step_of_the_second_epoch(dataset, n_train):
    result = follow(dataset, "no_shuffle_discarded.py")
    assert (result.departure.step, result.departure.code) == (-(-n_train // BATCH), "no-shuffle")


def test_a_crash_exits_2_with_its_line(dataset, tmp_path, capsys):
    impl = FIXTURES / "crash_np_zeros_index.py"
    line = next(i for i, text in enumerate(impl.read_text().splitlines(), 1) if "= np.zeros[" in text)
    out = tmp_path / "run"
    assert cli(dataset, out, impl) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "TypeError" in err[0] and f"line {line} of crash_np_zeros_index.py" in err[0]
    assert not out.exists()


def test_a_missing_file_and_a_file_without_fit_exit_2(dataset, tmp_path, capsys):
    assert cli(dataset, tmp_path / "a", tmp_path / "nowhere.py") == 2
    assert capsys.readouterr().err.strip() == f"compare.py: error: --impl {tmp_path / 'nowhere.py'}: no such file"
    no_fit = tmp_path / "only_cost_grad.py"
    no_fit.write_text("def cost_grad(X, y, params, c=0.0):\n    return 0.0, {}\n")
    assert cli(dataset, tmp_path / "b", no_fit) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no NetClassifier.fit" in err[0]
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_impl_options_need_impl(capsys):
    assert compare.main(["train", "--timeout", "5"]) == 2
    assert "need --impl FILE" in capsys.readouterr().err


def test_a_loop_that_never_calls_cost_grad_cannot_be_followed(dataset):
    with pytest.raises(CannotRun, match="never called cost_grad"):
        follow(dataset, "never_calls_cost_grad.py", epochs=1)
