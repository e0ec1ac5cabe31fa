"""Hostile: connects to a listening socket on 127.0.0.1 at import (the port is in PORT.txt beside it)."""

import os
import socket

from _correct import cost_grad  # noqa: F401

with open(os.path.join(os.path.dirname(__file__), "PORT.txt")) as handle:
    PORT = int(handle.read())
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2).sendall(b"escaped")
except OSError:
    pass
