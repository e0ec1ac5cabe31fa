"""Writing a file through a temporary file in the same folder and a rename: never half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Any, Callable


def atomic_write(path: Path, write: Callable[[IO[Any]], object], mode: str = "w") -> None:
    """Call ``write(handle)`` on a temporary file next to ``path``, then rename it to ``path``.

    Parameters
    ----------
    path : Path
        The file to (re)place; its folder must exist.
    write : callable
        Writes the whole content to the open handle it is given.
    mode : str
        ``"w"`` (text) or ``"wb"`` (bytes).

    Notes
    -----
    A reader sees the old file or the new one, never a part; on any error the
    temporary file is removed and ``path`` is left as it was. The file gets
    the permissions of an ordinary new file (``0666`` less the umask), not
    ``mkstemp``'s ``0600``.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode) as handle:
            write(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (:func:`atomic_write`)."""
    atomic_write(path, lambda handle: handle.write(text))


def check_writable(target: Path, label: str, *, folder: bool = False) -> None:
    """Raise ValueError, naming ``label`` (e.g. a flag) and ``target``, unless a report can be written there: a file
    (or, with ``folder``, a folder, made if missing) in a folder that exists and takes a new file.

    Writability is tried by creating and removing a file, not with os.access: as root, os.access says yes to a
    read-only file system.
    """
    target = target.resolve()
    if folder:
        if target.exists() and not target.is_dir():
            raise ValueError(f"{label} {target}: not a folder")
        where = target if target.is_dir() else target.parent
    else:
        if target.is_dir():
            raise ValueError(f"{label} {target}: is a folder; give a file name")
        if target.exists() and not target.is_file():
            raise ValueError(f"{label} {target}: not a regular file")
        where = target.parent
    if not where.is_dir():
        raise ValueError(f"{label}: folder {where} {'is not a folder' if where.exists() else 'does not exist'}")
    try:
        with tempfile.TemporaryFile(dir=where):
            pass
    except OSError as exc:
        raise ValueError(f"{label} {target}: cannot write in {where} ({exc.strerror or exc})") from None
