"""Hostile: connects to a listening socket on 127.0.0.1 at import (the port is in _port.py beside it: a module it
imports is copied with it, where a data file would not be)."""

import socket

from _correct import cost_grad  # noqa: F401
from _port import PORT

try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2).sendall(b"escaped")
except OSError:
    pass
