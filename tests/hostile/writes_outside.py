"""Hostile: writes files outside its folder at import: /tmp, /var/tmp, the real home, its own folder's parent."""

import os
import pwd

from _correct import cost_grad  # noqa: F401

NAME = "impl_check_escaped.txt"
for folder in ("/tmp", "/var/tmp", pwd.getpwuid(os.getuid()).pw_dir, os.path.join(os.path.dirname(__file__), "..")):
    try:
        with open(os.path.join(folder, NAME), "w") as handle:
            handle.write("escaped\n")
    except OSError:
        pass
