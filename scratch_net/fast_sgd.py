"""The fast SGD step: the arithmetic of :func:`net.cost_grad` plus the update, on reused buffers.

:func:`scratch_net.cost_grad` is the readable reference; this module takes the
same step with less work around the matrix products (tests/test_fast_sgd.py
proves the two agree, step for step, to the dtype's tolerance):

- every intermediate lives in a buffer allocated once per batch size (the last
  batch of an epoch may be smaller), and the batch is gathered with
  ``np.take(..., out=, mode="clip")`` (in the default mode NumPy gathers into
  a temporary and copies it into ``out``, so that a bad index leaves ``out``
  untouched: about twice the time, 2.5 ms against 1.2 ms for 1024 rows of 784
  in float64, per ``benchmarks/take_modes.py``; the caller checks the rows
  instead): no allocation, no page fault, in the step;
- the batch cost (a log, a gather and, for the penalty, a pass over W1) is
  computed only when the caller asks for it;
- lr and the 1/b of the mean are folded into the softmax gradient, so every
  later gradient is already the update (``lr * grad``);
- the weights are updated in place: ``W <- W - (lr*grad + (2c*lr)*W)``;
  biases are not decayed.

Pure NumPy, on purpose. Writing the W1 update as one in-place gemm
(``scipy.linalg.blas``, alpha = -1, beta = 1 - 2c*lr) saves passes over W1,
but scipy links its own OpenBLAS: its thread pool and NumPy's then take turns
every step, both busy-wait, and on two cores an epoch took 7-13 s instead of
about 1 s. With one thread each the gemm gained nothing measurable on this
machine (0.93-0.96 s vs 0.93-0.97 s an epoch at batch 32, float64).

The per-epoch evaluation (:meth:`FastSGD.evaluate`) runs the forward pass in
chunks of rows over reused buffers for the same reasons.
"""

from __future__ import annotations

import math

import numpy as np

from .checks import Params
from .net import weight_decay_cost

EVAL_CHUNK = 2048
"""Rows per chunk of the evaluation forward pass: (2048, h) stays in cache, the whole split would not."""


class _StepBuffers:
    """Every intermediate of one step at batch size b; shapes in the comments."""

    def __init__(self, b: int, d: int, h: int, k: int, dtype: np.dtype) -> None:
        self.X = np.empty((b, d), dtype)  # the batch's rows
        self.y = np.empty(b, np.int64)  # its labels
        self.rows = np.arange(b)
        self.a1 = np.empty((b, h), dtype)  # z1, then ReLU(z1) in place
        self.z2 = np.empty((b, k), dtype)  # logits, then shifted by the row max
        self.p = np.empty((b, k), dtype)  # exp(shifted), then lr * dcost/dz2
        self.row_max = np.empty((b, 1), dtype)
        self.row_sum = np.empty((b, 1), dtype)
        self.da1 = np.empty((b, h), dtype)  # lr * dcost/da1, then lr * dcost/dz1
        self.mask = np.empty((b, h), bool)  # z1 > 0
        self.dW1 = np.empty((d, h), dtype)  # lr * gradient of W1
        self.dW2 = np.empty((h, k), dtype)
        self.decay1 = np.empty((d, h), dtype)  # (2c*lr) * W1
        self.decay2 = np.empty((h, k), dtype)
        self.db1 = np.empty((1, h), dtype)
        self.db2 = np.empty((1, k), dtype)


class FastSGD:
    """SGD steps and evaluation for one set of parameters, updated in place.

    Parameters
    ----------
    params : course layout W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k); C-contiguous,
        checked by the caller. The arrays are updated in place (the caller owns a copy).
    lr, c : the step size and the weight-decay strength.
    """

    def __init__(self, params: Params, lr: float, c: float) -> None:
        self.params = params
        self.lr, self.c = lr, c
        for key, value in params.items():
            assert value.flags.c_contiguous, f"params['{key}'] must be C-contiguous"
        self._buffers: dict[int, _StepBuffers] = {}
        self._eval: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _step_buffers(self, b: int) -> _StepBuffers:
        if b not in self._buffers:
            d, h = self.params["W1"].shape
            k = self.params["W2"].shape[1]
            self._buffers[b] = _StepBuffers(b, d, h, k, self.params["W1"].dtype)
        return self._buffers[b]

    def step(self, X: np.ndarray, y: np.ndarray, idx: np.ndarray, with_cost: bool) -> float:
        """One SGD step on rows ``idx`` of (X, y); returns the batch cost before the step.

        X (n, d) must have the params' dtype, y (n,) be int64 (as checked by
        ``check_problem``) and idx hold row numbers in [0, n) (not checked here).
        The cost is NaN (not computed) when ``with_cost`` is False.
        """
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        lr, c = self.lr, self.c
        buf = self._step_buffers(len(idx))
        n = len(idx)
        Xb, yb, a1, z2, p = buf.X, buf.y, buf.a1, buf.z2, buf.p
        np.take(X, idx, axis=0, out=Xb, mode="clip")  # (b, d)
        np.take(y, idx, out=yb, mode="clip")  # (b,)

        # forward
        np.matmul(Xb, W1, out=a1)  # (b, h) z1
        a1 += b1
        np.maximum(a1, 0, out=a1)  # (b, h) a1 = ReLU(z1)
        np.matmul(a1, W2, out=z2)  # (b, k)
        z2 += b2
        np.max(z2, axis=1, keepdims=True, out=buf.row_max)
        z2 -= buf.row_max  # (b, k), each row's max is 0
        np.exp(z2, out=p)
        np.sum(p, axis=1, keepdims=True, out=buf.row_sum)
        cost = math.nan
        if with_cost:
            # mean(-log softmax(z2)[y]) = mean(log(row_sum) - shifted[y])
            data_cost = float(np.mean(np.log(buf.row_sum)) - np.mean(z2[buf.rows, yb]))
            cost = data_cost + weight_decay_cost(self.params, c)

        # backward, scaled by lr: p <- lr * (softmax(z2) - onehot(y)) / b
        np.divide(p, buf.row_sum, out=p)
        p *= lr / n
        p[buf.rows, yb] -= lr / n
        da1 = buf.da1
        np.matmul(p, W2.T, out=da1)  # (b, h), with W2 before its update
        np.greater(a1, 0, out=buf.mask)  # ReLU'(z1): 1 where z1 > 0 (a1 > 0 is the same)
        np.multiply(da1, buf.mask, out=da1)  # (b, h) lr * dz1

        # update in place: W <- W - (lr*grad + (2c*lr)*W), as the reference takes it; a single
        # factor (1 - 2c*lr) would carry its own rounding, the same every step, into all of W
        # and drift away from torch (4e-14 after 1,560 steps instead of 3e-15). Biases are not decayed.
        decay_rate = 2.0 * c * lr
        np.matmul(a1.T, p, out=buf.dW2)  # (h, k) lr * data gradient
        buf.dW2 += np.multiply(W2, decay_rate, out=buf.decay2)
        W2 -= buf.dW2
        b2 -= np.sum(p, axis=0, keepdims=True, out=buf.db2)
        b1 -= np.sum(da1, axis=0, keepdims=True, out=buf.db1)
        np.matmul(Xb.T, da1, out=buf.dW1)  # (d, h) lr * data gradient
        buf.dW1 += np.multiply(W1, decay_rate, out=buf.decay1)
        W1 -= buf.dW1
        return cost

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """(cost including the penalty, accuracy) of the current params on (X, y)."""
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        n = X.shape[0]
        chunk = min(n, EVAL_CHUNK)
        if chunk not in self._eval:
            self._eval[chunk] = (np.empty((chunk, W1.shape[1]), W1.dtype), np.empty((chunk, W2.shape[1]), W1.dtype))
        a1_buf, z2_buf = self._eval[chunk]
        loss_sum, correct = 0.0, 0
        for start in range(0, n, chunk):
            Xc, yc = X[start : start + chunk], y[start : start + chunk]  # contiguous views
            m = Xc.shape[0]
            a1, z2 = a1_buf[:m], z2_buf[:m]
            np.matmul(Xc, W1, out=a1)  # (m, h)
            a1 += b1
            np.maximum(a1, 0, out=a1)
            np.matmul(a1, W2, out=z2)  # (m, k) logits
            z2 += b2
            rows = np.arange(m)
            correct += int(np.count_nonzero(np.argmax(z2, axis=1) == yc))
            z2 -= np.max(z2, axis=1, keepdims=True)
            # sum over rows of -log softmax(z2)[y] = sum(log(sum exp(shifted)) - shifted[y])
            loss_sum += float(np.sum(np.log(np.sum(np.exp(z2), axis=1))) - np.sum(z2[rows, yc]))
        return loss_sum / n + weight_decay_cost(self.params, self.c), correct / n
