"""Hostile: starts processes that outlive it at import: one in a new session, one double-forked."""

import os
import subprocess
import sys

from _correct import cost_grad  # noqa: F401

SLEEPER = "import time; time.sleep(120)  # impl_check_hostile_sleeper"
subprocess.Popen([sys.executable, "-c", SLEEPER], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", SLEEPER])
    os._exit(0)
