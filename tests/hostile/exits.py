"""Hostile: os._exit(0) at import, before anything is reported."""

import os

from _correct import cost_grad  # noqa: F401

os._exit(0)
