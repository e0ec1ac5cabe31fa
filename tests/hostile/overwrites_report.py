"""Hostile: a correct cost_grad that, at exit, writes over the report the checker's worker left in its run
folder (results.npz and status.json, in the folder named on the worker's command line).

_TAMPER (a module beside it, written by the test) says what to write: "results" (garbage in results.npz),
"status" (status.json not JSON), "list" (status.json a JSON list) or "claims" (a status.json that claims
a pass but lacks what the worker writes).
"""

import atexit
import json
import sys
from pathlib import Path

from _correct import cost_grad  # noqa: F401

try:
    from _tamper import TAMPER
except ImportError:
    TAMPER = "results"


def _overwrite():
    out = Path(sys.argv[3])
    if TAMPER == "results":
        (out / "results.npz").write_bytes(b"PK\x03\x04 not a zip at all")
    elif TAMPER == "status":
        (out / "status.json").write_text("{ all good")
    elif TAMPER == "list":
        (out / "status.json").write_text("[]")
    else:
        (out / "status.json").write_text(json.dumps({"error": None, "verdict": "PASS"}))


atexit.register(_overwrite)
