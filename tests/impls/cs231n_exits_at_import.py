"""Cannot run: the file calls os._exit(0) at import, before anything is reported."""

import os

os._exit(0)
