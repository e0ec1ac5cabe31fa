"""parity_run.atomic: a file is replaced whole or not at all."""

import os

import pytest

from parity_run.atomic import atomic_write


def test_the_file_is_replaced_with_ordinary_permissions(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("old")
    atomic_write(path, lambda handle: handle.write("new"))
    umask = os.umask(0)
    os.umask(umask)
    assert path.read_text() == "new" and path.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"old")

    def fails(handle):
        handle.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, fails, mode="wb")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["picture.png"]
