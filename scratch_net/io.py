"""Parameters on disk: ``.npz`` files that are read without ever unpickling.

``save_params`` writes W1, b1, W2, b2 exactly as they are (dtypes kept, bit for
bit) through a temporary file and a rename, so a crash never leaves half a
file. ``load_params`` reads with ``allow_pickle=False`` and checks the layout
with :func:`scratch_net.checks.check_params`, the same rule as everywhere else.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .checks import PARAM_KEYS, Params, check_params

PathLike = str | os.PathLike[str]
ZIP_MAGIC = b"PK"  # an .npz is a zip archive of .npy files
NPY_MAGIC = b"\x93NUMPY"
PICKLE_MAGIC = b"\x80"  # pickle protocols 2 and later start with PROTO


def read_npz(path: PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file, read with ``allow_pickle=False``.

    Raises
    ------
    ValueError
        Naming the file and the problem: no such file, not an ``.npz`` archive
        (a bare ``.npy``, a pickle, anything else), an unreadable archive, or an
        array that holds pickled Python objects.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    # Sniffed here because np.load takes any file that is neither zip nor .npy for a pickle.
    with open(path, "rb") as handle:
        head = handle.read(len(NPY_MAGIC))
    if head.startswith(NPY_MAGIC):
        raise ValueError(f"{path}: a single .npy array, not an .npz archive of named arrays")
    if head.startswith(PICKLE_MAGIC):
        raise ValueError(f"{path}: a pickle file, which is refused (allow_pickle=False)")
    if not head.startswith(ZIP_MAGIC):
        raise ValueError(f"{path}: not an .npz file (it does not start like a zip archive)")
    key = None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {}
            for key in npz.files:
                arrays[key] = npz[key]
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise ValueError(
                f"{path}: array {key!r} holds pickled objects, which are refused (allow_pickle=False)"
            ) from None
        raise ValueError(f"{path}: not a readable .npz file ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile, OSError, EOFError, zlib.error ...
        raise ValueError(f"{path}: not a readable .npz file ({type(exc).__name__}: {exc})") from None
    for key, value in arrays.items():
        if not isinstance(value, np.ndarray):  # NpzFile hands back a member that is not .npy as bytes
            raise ValueError(f"{path}: array {key!r} is not in .npy format")
    return arrays


def load_params(path: PathLike) -> Params:
    """Parameters saved by :func:`save_params`: W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k).

    Raises
    ------
    ValueError
        For a missing or unreadable file, pickled objects, a missing or unexpected
        key, shapes that do not chain, mixed or non-float dtypes.
    """
    arrays = read_npz(path)
    extra = sorted(set(arrays) - set(PARAM_KEYS))
    if extra:
        raise ValueError(f"{path}: unexpected arrays {extra} (expected exactly {', '.join(PARAM_KEYS)})")
    try:
        check_params(arrays)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    return {key: arrays[key] for key in PARAM_KEYS}


def save_params(path: PathLike, params: Params) -> None:
    """Write ``params`` to the ``.npz`` file ``path`` (the name is kept as given), atomically.

    The arrays are stored as they are: loading gives back the same bytes and dtypes.
    """
    check_params(params)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            arrays: dict[str, Any] = {key: params[key] for key in PARAM_KEYS}  # Any: savez's stub types **kwds oddly
            np.savez(handle, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
