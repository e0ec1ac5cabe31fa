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
