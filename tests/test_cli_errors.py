"""Every bad input to compare.py train, and every bad report path of check --impl: exit 2, one line on stderr
naming it, nothing written (nothing checked).

One table, one row per case the issue lists (and a few neighbours). The rows run in-process
through compare.main; tests/test_cli_train.py checks the same contract in a real process.
"""

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

import compare
import scratch_net as sn

SMALL = ["--hidden", "16", "--epochs", "1", "--batch-size", "64"]
RNG = np.random.default_rng(0)
X_OK = RNG.normal(size=(60, 4))
Y_OK = np.arange(60) % 3


def dataset(**arrays):
    """An .npz data set; X/y default to a good 60 x 4, 3-class problem (None leaves one out)."""

    def make(tmp):
        path = tmp / "data.npz"
        merged = {"X": X_OK, "y": Y_OK} | arrays
        np.savez(path, **{key: value for key, value in merged.items() if value is not None})  # None: leave out
        return ["--dataset", str(path)]

    return make


def raw_dataset(data):
    def make(tmp):
        (tmp / "data.npz").write_bytes(data(tmp) if callable(data) else data)
        return ["--dataset", str(tmp / "data.npz")]

    return make


def with_value(array, index, value, dtype=float):
    out = np.array(array, dtype=dtype)
    out[index] = value
    return out


def init_file(params=None, *, data=None, **arrays):
    """--init with params saved by np.savez (so that bad ones can be written), on the digits data."""

    def make(tmp):
        path = tmp / "init.npz"
        if data is not None:
            path.write_bytes(data)
        else:
            np.savez(path, **((params or sn.init_params(64, 16, 10, seed=0)) | arrays))
        return ["--init", str(path)]

    return make


def args(*items):
    return lambda tmp: list(items)


def truncated_npz(tmp):
    np.savez(tmp / "whole.npz", X=X_OK, y=Y_OK)
    return (tmp / "whole.npz").read_bytes()[:300]


ROWS = [  # (id, extra arguments given tmp_path, fragment of the one line on stderr)
    # files
    ("dataset-missing", lambda tmp: ["--dataset", str(tmp / "missing.npz")], "error: --dataset {work}/missing.npz: no such file"),
    ("dataset-corrupt", raw_dataset(b"this is not a zip archive"), "data.npz: not an .npz file"),
    ("dataset-truncated", raw_dataset(truncated_npz), "data.npz: not a readable .npz file"),
    ("dataset-pickle-file", raw_dataset(pickle.dumps({"X": X_OK, "y": Y_OK})), "data.npz: a pickle file, which is refused"),
    ("dataset-object-array", dataset(X=np.array([{"x": 1}], dtype=object)),
     "data.npz: array 'X' holds pickled objects, which are refused (allow_pickle=False)"),
    ("dataset-wrong-keys", lambda tmp: np.savez(tmp / "d.npz", a=X_OK, b=Y_OK) or ["--dataset", str(tmp / "d.npz")],
     "d.npz: expected keys X,y or digits,labels or X_train,y_train,X_test,y_test; found ['a', 'b']"),
    ("dataset-half-the-keys", lambda tmp: np.savez(tmp / "d.npz", X_train=X_OK, y_train=Y_OK) or
     ["--dataset", str(tmp / "d.npz")], "found ['X_train', 'y_train']"),
    # data
    ("X-nan", dataset(X=with_value(X_OK, (3, 1), np.nan)), "X holds NaN or inf (first at row 3, column 1)"),
    ("X-inf", dataset(X=with_value(X_OK, (5, 0), -np.inf)), "X holds NaN or inf (first at row 5, column 0)"),
    ("X_test-nan", dataset(X=None, y=None, X_train=X_OK, y_train=Y_OK, X_test=with_value(X_OK[:9], (2, 2), np.nan),
                           y_test=Y_OK[:9]), "X_test holds NaN or inf (first at row 2, column 2)"),
    ("X-strings", dataset(X=np.full((60, 4), "a")), "X must be numeric; got dtype <U1"),
    ("X-1d", dataset(X=X_OK[:, 0]), "X must be a non-empty 2-D array (n, d); got shape (60,)"),
    ("labels-negative", dataset(y=with_value(Y_OK, 4, -1, int)), "y must hold labels 0..k-1; got -1"),
    ("labels-non-integer", dataset(y=with_value(Y_OK, 4, 0.5)), "y must hold integer labels; got 0.5"),
    ("labels-nan", dataset(y=with_value(Y_OK, 4, np.nan)), "y must hold integer labels; got nan"),
    ("labels-strings", dataset(y=np.array(["a", "b", "c"] * 20)), "y must hold integer labels; got dtype <U1"),
    ("labels-not-0-to-k-1", dataset(y=Y_OK * 2), "y must hold labels 0..k-1 with every class present; missing [1, 3]"),
    ("labels-one-class", dataset(y=np.zeros(60, int)), "y must hold labels 0..k-1 with every class present; got only [0]"),
    ("labels-too-few", dataset(y=Y_OK[:50]), "y must be 1-D with one label per row of X (60); got shape (50,)"),
    ("y_test-unseen-label", dataset(X=None, y=None, X_train=X_OK, y_train=Y_OK, X_test=X_OK[:9],
                                    y_test=with_value(Y_OK[:9], 0, 3, int)), "y_test holds label 3, not seen in y_train (0..2)"),
    ("too-few-rows-to-split", dataset(X=X_OK[:4], y=Y_OK[:4] % 2), "cannot make a stratified test split of 4 rows"),
    # hyper-parameters
    ("lr-zero", args("--lr", "0"), "argument --lr: expected a finite number > 0, got 0"),
    ("lr-negative", args("--lr=-0.1"), "argument --lr: expected a finite number > 0, got -0.1"),
    ("lr-nan", args("--lr", "nan"), "argument --lr: expected a finite number > 0, got nan"),
    ("lr-not-a-number", args("--lr", "fast"), "argument --lr: expected a number > 0, got 'fast'"),
    ("batch-size-zero", args("--batch-size", "0"), "argument --batch-size: expected an integer >= 1, got 0"),
    ("epochs-zero", args("--epochs", "0"), "argument --epochs: expected an integer >= 1, got 0"),
    ("epochs-negative", args("--epochs=-3"), "argument --epochs: expected an integer >= 1, got -3"),
    ("hidden-zero", args("--hidden", "0"), "argument --hidden: expected an integer >= 1, got 0"),
    ("hidden-not-an-integer", args("--hidden", "2.5"), "argument --hidden: expected an integer >= 1, got '2.5'"),
    ("c-negative", args("--c=-1e-4"), "argument --c: expected a finite number >= 0, got -1e-4"),
    ("c-inf", args("--c", "inf"), "argument --c: expected a finite number >= 0, got inf"),
    ("val-fraction-one", args("--val-fraction", "1"), "argument --val-fraction: expected a fraction in (0, 1), got 1"),
    ("tol-zero", args("--tol", "0"), "argument --tol: expected a finite number > 0, got 0"),
    # names
    ("dataset-unknown", args("--dataset", "imagenet"), "unknown --dataset 'imagenet': use digits, mnist5k or a path"),
    ("dtype-unknown", args("--dtype", "float16"), "argument --dtype: invalid choice: 'float16'"),
    ("device-unknown", args("--device", "tpu"), "argument --device: invalid choice: 'tpu'"),
    ("device-cuda-without-cuda", args("--device", "cuda"), "--device cuda: CUDA is not available",
     pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")),
    ("unknown-option", args("--learning-rate", "0.1"), "unrecognized arguments: --learning-rate 0.1"),
    # --init
    ("init-missing", lambda tmp: ["--init", str(tmp / "nope.npz")], "error: --init {work}/nope.npz: no such file"),
    ("init-corrupt", init_file(data=b"PK\x03\x04 but not really a zip"), "init.npz: not a readable .npz file"),
    ("init-pickle-file", init_file(data=pickle.dumps(sn.init_params(64, 16, 10))), "init.npz: a pickle file, which is refused"),
    ("init-object-array", init_file(W1=np.array([None], dtype=object)), "init.npz: array 'W1' holds pickled objects"),
    ("init-missing-key", init_file({k: v for k, v in sn.init_params(64, 16, 10).items() if k != "b2"}),
     "init.npz: params is missing b2"),
    ("init-extra-key", init_file(W3=np.zeros((10, 10))), "init.npz: unexpected arrays ['W3']"),
    ("init-shapes-do-not-chain", init_file(b1=np.zeros((1, 15))), "params['b1'] has shape (1, 15), expected (1, 16)"),
    ("init-int-dtype", init_file({k: v.astype(int) for k, v in sn.init_params(64, 16, 10).items()}),
     "params dtype must be float32 or float64; got int64"),
    ("init-wrong-d", init_file(sn.init_params(63, 16, 10)),
     "init.npz: parameters for d=63 inputs and k=10 classes, but the data has d=64 and k=10"),
    ("init-wrong-k", init_file(sn.init_params(64, 16, 9)),
     "init.npz: parameters for d=64 inputs and k=9 classes, but the data has d=64 and k=10"),
    ("init-hidden-disagrees", lambda tmp: [*init_file(sn.init_params(64, 8, 10))(tmp), "--hidden", "16"],
     "init.npz: 8 hidden units, but --hidden is 16"),
    ("init-dtype-disagrees", lambda tmp: [*init_file(sn.init_params(64, 16, 10, dtype=np.float32))(tmp), "--dtype", "float64"],
     "init.npz: float32 parameters, but --dtype is float64"),
]  # fmt: skip


@pytest.mark.parametrize("make_args, fragment", [pytest.param(*row[1:3], id=row[0], marks=row[3:]) for row in ROWS])
def test_bad_input_exits_2_with_one_line_naming_it_and_writes_nothing(
    make_args, fragment, tmp_path, monkeypatch, capsys
):
    work = tmp_path / "work"
    work.mkdir()
    extra = make_args(work)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    code = compare.main(["train", *SMALL, "--out", str(out), *extra])
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 2, captured.err
    assert len(lines) == 1 and lines[0].startswith("compare.py: error: "), captured.err
    assert fragment.format(work=work) in lines[0]
    assert captured.out == ""
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["work"]  # no runs/ either


IMPL = str(Path(__file__).resolve().parent / "impls" / "style_einsum.py")
REPORT_PATHS = [  # (id, arguments given tmp_path, fragment of the one line on stderr)
    ("json-a-folder", lambda tmp: ["--json", str(tmp)], "--json {tmp}: is a folder; give a file name"),
    ("junit-a-folder", lambda tmp: ["--junit-xml", str(tmp)], "--junit-xml {tmp}: is a folder; give a file name"),
    ("feedback-a-file", lambda tmp: ["--feedback-dir", str(tmp / "f.txt")], "--feedback-dir {tmp}/f.txt: not a folder"),
    ("json-no-parent", lambda tmp: ["--json", str(tmp / "no" / "r.json")], "--json: folder {tmp}/no does not exist"),
    ("junit-no-parent", lambda tmp: ["--junit-xml", str(tmp / "no" / "r.xml")],
     "--junit-xml: folder {tmp}/no does not exist"),
    ("feedback-no-parent", lambda tmp: ["--feedback-dir", str(tmp / "no" / "fb")],
     "--feedback-dir: folder {tmp}/no does not exist"),
    ("json-parent-a-file", lambda tmp: ["--json", str(tmp / "f.txt" / "r.json")],
     "--json: folder {tmp}/f.txt is not a folder"),
    ("junit-not-a-file", lambda tmp: ["--junit-xml", "/dev/null"], "--junit-xml /dev/null: not a regular file"),
    # read-only: a root process may write anywhere else, and os.access says yes here too
    ("json-read-only", lambda tmp: ["--json", "/sys/r.json"], "--json /sys/r.json: cannot write in /sys"),
    ("junit-no-new-files", lambda tmp: ["--junit-xml", "/proc/r.xml"], "--junit-xml /proc/r.xml: cannot write in /proc"),
    ("feedback-read-only", lambda tmp: ["--feedback-dir", "/sys/feedback"],
     "--feedback-dir /sys/feedback: cannot write in /sys"),
]  # fmt: skip


@pytest.mark.parametrize("make_args, fragment", [pytest.param(*row[1:], id=row[0]) for row in REPORT_PATHS])
def test_a_bad_report_path_exits_2_before_any_file_is_checked(make_args, fragment, tmp_path, monkeypatch, capsys):
    from impl_check import batch

    def never(*args, **kwargs):
        raise AssertionError("a submission was looked for or checked before the report paths were")

    monkeypatch.setattr(batch, "prepare", never)
    monkeypatch.setattr(batch, "check_many", never)
    (tmp_path / "f.txt").write_text("a file")
    code = compare.main(["check", "--impl", IMPL, *make_args(tmp_path)])
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 2 and captured.out == "", captured.err
    assert len(lines) == 1 and lines[0].startswith("compare.py: error: ") and fragment.format(tmp=tmp_path) in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]  # nothing written, no folder made
