"""compare.py train is reproducible: one seed gives one report, and --init/--save-params carry parameters."""

import json

import numpy as np

import compare
import scratch_net as sn
from parity_run.datasets import load_dataset

SMALL = ["--hidden", "16", "--epochs", "2", "--batch-size", "64"]
SAME_NUMBERS = ("scratch", "torch", "steps", "max_divergence", "ties", "first_crossing", "config")


def train(out, *extra):
    code = compare.main(["train", *SMALL, "--out", str(out), *extra])
    return code, json.loads((out / "report.json").read_text())


def test_two_runs_with_one_seed_write_the_same_numbers(tmp_path, capsys):
    (code_a, a), (code_b, b) = train(tmp_path / "a", "--seed", "7"), train(tmp_path / "b", "--seed", "7")
    assert code_a == code_b == 0
    for key in SAME_NUMBERS:
        assert a[key] == b[key], f"report[{key!r}] differs between two runs with --seed 7"
    assert a["environment"]["deterministic_algorithms"] is True
    _, c = train(tmp_path / "c", "--seed", "8")
    assert c["steps"] != a["steps"]  # and the seed matters


def test_save_params_writes_the_final_parameters_of_both_nets(tmp_path, capsys):
    code, report = train(tmp_path / "run", "--save-params")
    assert code == 0
    saved = {side: sn.load_params(tmp_path / "run" / f"{side}_params.npz") for side in ("scratch", "torch")}
    data = load_dataset("digits", 0, 0.15)  # the run's splits: same seed, same fraction
    for side, params in saved.items():
        assert params["W1"].shape == (64, 16) and params["W1"].dtype == np.float64
        for split in ("train", "val", "test"):
            got = sn.score(data[f"X_{split}"], data[f"y_{split}"], params)
            assert got == report[side]["final_accuracy"][split], (side, split)
    for key in sn.PARAM_KEYS:
        assert sn.normwise_rel_err(saved["scratch"][key], saved["torch"][key]) <= report["tolerance"]
    assert "scratch_params.npz, torch_params.npz" in capsys.readouterr().out


def test_init_starts_both_nets_from_the_file_and_takes_its_hidden_size_and_dtype(tmp_path, capsys):
    start = sn.init_params(64, 8, 10, seed=123, dtype=np.float32)
    sn.save_params(tmp_path / "start.npz", start)
    out = tmp_path / "run"
    args = ["train", "--init", str(tmp_path / "start.npz"), "--epochs", "1", "--lr", "1e-9", "--c", "0"]
    assert compare.main([*args, "--batch-size", "256", "--save-params", "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    cfg = report["config"]
    assert (cfg["hidden"], cfg["dtype"], cfg["init"]) == (8, "float32", str(tmp_path / "start.npz"))
    assert report["tolerance"] == sn.tolerance(np.float32)
    for side in ("scratch", "torch"):
        final = sn.load_params(out / f"{side}_params.npz")
        for key in sn.PARAM_KEYS:  # a few steps of lr 1e-9 away from the start, nowhere near a fresh init
            assert final[key].dtype == np.float32
            np.testing.assert_allclose(final[key], start[key], rtol=0, atol=1e-7, err_msg=f"{side} {key}")
