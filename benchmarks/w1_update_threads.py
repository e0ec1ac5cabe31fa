"""How much the W1 update after the gradient product costs with one or two BLAS threads.

    .venv/bin/python benchmarks/w1_update_threads.py [--steps N]

Times, per step at batch 32 (784 -> 256), the three parts of the fast step that
touch W1's (d, h) entries: the forward product ``X @ W1``, the gradient product
``X.T @ dz1`` into dW1, and the in-place update (``r*W1``, added to dW1,
subtracted from W1), with NumPy's BLAS limited to 1 and to 2 threads, twice
each, in both dtypes. With two threads each core writes part of dW1, and the
update, which runs on one core, reads the other core's part from its cache.
Prints microseconds per step; no assertions.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits

D, H, B = 784, 256, 32


def time_parts(dtype: np.dtype, steps: int) -> tuple[float, float, float]:
    rng = np.random.default_rng(0)
    Xb, dz1 = rng.normal(size=(B, D)).astype(dtype), rng.normal(size=(B, H)).astype(dtype)
    W1 = rng.normal(size=(D, H)).astype(dtype)
    dW1, decay, z1 = np.empty_like(W1), np.empty_like(W1), np.empty((B, H), dtype)
    spent = np.zeros(3)
    for _ in range(steps):
        t0 = time.perf_counter()
        np.matmul(Xb, W1, out=z1)  # (b, h)
        t1 = time.perf_counter()
        np.matmul(Xb.T, dz1, out=dW1)  # (d, h)
        t2 = time.perf_counter()
        dW1 += np.multiply(W1, 1e-5, out=decay)
        W1 -= dW1
        spent += (t1 - t0, t2 - t1, time.perf_counter() - t2)
    return tuple(1e6 * spent / steps)  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=600)
    args = parser.parse_args()
    print("dtype    threads  X@W1 us  X.T@dz1 us  update us")
    for dtype in (np.dtype(np.float64), np.dtype(np.float32)):
        for threads in (1, 2, 1, 2):
            with threadpool_limits(threads):
                forward, gradient, update = time_parts(dtype, args.steps)
            print(f"{dtype.name:8} {threads:7}  {forward:7.0f}  {gradient:10.0f}  {update:9.0f}")


if __name__ == "__main__":
    main()
