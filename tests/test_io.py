"""save_params / load_params: bit-exact round trips, and every bad file refused by name."""

import ast
import os
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

import scratch_net as sn


@pytest.fixture
def params():
    p = sn.init_params(5, 4, 3, seed=0)
    p["b1"] = np.random.default_rng(1).normal(size=(1, 4))
    return p


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip_is_bit_exact_and_keeps_the_dtype(tmp_path, dtype):
    p = sn.init_params(7, 6, 4, seed=3, dtype=dtype)
    p["b2"] = np.array([[np.finfo(dtype).tiny, -0.0, 1e-30, np.finfo(dtype).max]], dtype=dtype)
    path = tmp_path / "p.npz"
    sn.save_params(path, p)
    back = sn.load_params(path)
    assert list(back) == list(sn.PARAM_KEYS)
    for key in sn.PARAM_KEYS:
        assert back[key].dtype == p[key].dtype and back[key].shape == p[key].shape, key
        assert back[key].tobytes() == p[key].tobytes(), key


def test_save_keeps_the_name_as_given_and_leaves_no_temporary_file(tmp_path, params):
    sn.save_params(str(tmp_path / "weights.bin"), params)
    assert os.listdir(tmp_path) == ["weights.bin"]
    assert sn.load_params(tmp_path / "weights.bin")["W1"].tobytes() == params["W1"].tobytes()


def test_save_of_a_non_contiguous_view_stores_the_values(tmp_path, params):
    params["W1"] = np.asfortranarray(params["W1"])
    sn.save_params(tmp_path / "p.npz", params)
    np.testing.assert_array_equal(sn.load_params(tmp_path / "p.npz")["W1"], params["W1"])


def test_a_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, params, monkeypatch):
    path = tmp_path / "p.npz"
    sn.save_params(path, params)
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sn.save_params(path, sn.init_params(5, 4, 3, seed=9))
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["p.npz"]


def test_save_refuses_params_that_do_not_chain(tmp_path, params):
    params["b2"] = np.zeros((1, 7))
    with pytest.raises(ValueError, match=r"params\['b2'\] has shape \(1, 7\), expected \(1, 3\)"):
        sn.save_params(tmp_path / "p.npz", params)
    assert not (tmp_path / "p.npz").exists()


def write_bytes(path, data):
    path.write_bytes(data)
    return path


def npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def zip_of(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


P = sn.init_params(5, 4, 3, seed=0)
BAD_FILES = [  # (id, make the file at path, message fragment)
    ("missing", lambda path: path, r"p\.npz: no such file"),
    ("folder", lambda path: path.mkdir() or path, r"no such file"),
    ("garbage", lambda path: write_bytes(path, b"not a zip at all"), r"not an \.npz file"),
    ("empty", lambda path: write_bytes(path, b""), r"not an \.npz file"),
    ("pickle-file", lambda path: write_bytes(path, pickle.dumps(P)), r"a pickle file, which is refused"),
    ("npy-file", lambda path: np.save(path.with_suffix(".npy"), P["W1"]) or path.with_suffix(".npy"),
     r"a single \.npy array, not an \.npz archive"),
    ("member-not-npy", lambda path: zip_of(path, {"W1.npy": b"not an array"}), r"array 'W1' is not in \.npy format"),
    ("member-bad-header", lambda path: zip_of(path, {"W1.npy": b"\x93NUMPY\x01\x00\x10\x00{'descr': oops}   \n"}),
     r"not a readable \.npz file \("),
    ("truncated", lambda path: write_bytes(path, npz(path, **P).read_bytes()[:200]), r"not a readable \.npz file"),
    ("object-array", lambda path: npz(path, **{**P, "W2": np.array([{"x": 1}], dtype=object)}),
     r"array 'W2' holds pickled objects, which are refused \(allow_pickle=False\)"),
    ("missing-key", lambda path: npz(path, W1=P["W1"], b1=P["b1"], W2=P["W2"]), r"params is missing b2"),
    ("extra-key", lambda path: npz(path, **P, W3=P["W2"]), r"unexpected arrays \['W3'\]"),
    ("no-arrays", lambda path: npz(path), r"params is missing W1, b1, W2, b2"),
    ("shapes-do-not-chain", lambda path: npz(path, **{**P, "W2": np.zeros((5, 3))}),
     r"params\['W2'\] has shape \(5, 3\), expected \(4, 3\)"),
    ("b1-1d", lambda path: npz(path, **{**P, "b1": np.zeros(4)}), r"params\['b1'\] must be 2-D"),
    ("int-dtype", lambda path: npz(path, **{k: v.astype(np.int64) for k, v in P.items()}),
     r"params dtype must be float32 or float64; got int64"),
    ("mixed-dtypes", lambda path: npz(path, **{**P, "b2": P["b2"].astype(np.float32)}), r"params must share one dtype"),
]  # fmt: skip


@pytest.mark.parametrize("make, message", [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_load_refuses_bad_files_with_a_value_error_naming_the_problem(tmp_path, make, message):
    path = make(tmp_path / "p.npz")
    with pytest.raises(ValueError, match=message) as info:
        sn.load_params(path)
    assert str(path) in str(info.value)  # names the file, too


def test_load_never_unpickles(tmp_path, monkeypatch):
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled"))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("unpickled"))
    path = npz(tmp_path / "p.npz", **{**P, "W1": np.array([object()], dtype=object)})
    with pytest.raises(ValueError, match="pickled objects"):
        sn.load_params(path)


def unsafe_torch_loads(source):
    """Line numbers of the ``torch.load(...)`` calls in ``source`` without ``weights_only=True``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "load"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "torch"
        ):
            if not any(
                kw.arg == "weights_only" and isinstance(kw.value, ast.Constant) and kw.value.value is True
                for kw in node.keywords
            ):
                lines.append(node.lineno)
    return lines


def test_the_torch_load_scanner_finds_unsafe_calls():
    source = "torch.load(f)\ntorch.load(f, weights_only=True)\ntorch.load(f, weights_only=False)\nnp.load(f)\n"
    assert unsafe_torch_loads(source) == [1, 3]


def test_every_torch_load_in_the_project_is_weights_only():
    """A torch.load without weights_only=True unpickles arbitrary objects: none may exist."""
    root = Path(__file__).resolve().parents[1]
    files = [root / "compare.py"] + [
        path
        for folder in ("scratch_net", "torch_ref", "impl_check", "tests")
        for path in (root / folder).rglob("*.py")
        if "impls" not in path.parts  # fixtures that imitate third-party code, some deliberately broken
    ]
    unsafe = [f"{path.relative_to(root)}:{line}" for path in files for line in unsafe_torch_loads(path.read_text())]
    assert not unsafe, f"torch.load without weights_only=True at {unsafe}"
