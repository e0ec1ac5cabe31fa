"""Hostile: prints without end at import."""

from _correct import cost_grad  # noqa: F401

while True:
    print("spam " * 200)
