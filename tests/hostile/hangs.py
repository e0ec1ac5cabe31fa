"""Hostile: hangs at import."""

from _correct import cost_grad  # noqa: F401

while True:
    pass
