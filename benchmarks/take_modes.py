"""The batch gather with and without mode="clip": why the fast step passes it.

    .venv/bin/python benchmarks/take_modes.py

Gathers a batch of random rows of a (20000, 784) X into a preallocated buffer
with ``np.take(X, idx, axis=0, out=buf)`` in its default mode ("raise") and
with ``mode="clip"``, at batch 32 and 1024, in both dtypes. With ``out=`` and
mode "raise", NumPy gathers into a temporary and copies it into ``out`` (so
that a bad index leaves ``out`` untouched). Prints the median microseconds
of 200 gathers (30 at batch 1024); no assertions.
"""

from __future__ import annotations

import statistics
import time

import numpy as np


def main() -> None:
    rng = np.random.default_rng(0)
    print("dtype    batch  raise us  clip us")
    for dtype in (np.float64, np.float32):
        X = rng.normal(size=(20_000, 784)).astype(dtype)
        for batch in (32, 1024):
            idx = rng.permutation(len(X))[:batch]
            out = np.empty((batch, X.shape[1]), dtype)
            times: dict[str, list[float]] = {"raise": [], "clip": []}
            for _ in range(200 if batch == 32 else 30):
                for mode in times:
                    start = time.perf_counter()
                    np.take(X, idx, axis=0, out=out, mode=mode)  # type: ignore[call-overload]
                    times[mode].append(time.perf_counter() - start)
            raise_us, clip_us = (1e6 * statistics.median(times[m]) for m in ("raise", "clip"))
            print(f"{np.dtype(dtype).name:8} {batch:5}  {raise_us:8.0f}  {clip_us:7.0f}")


if __name__ == "__main__":
    main()
