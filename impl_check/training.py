"""The training-loop check: run a file's ``NetClassifier.fit`` on a small problem, follow it call by call, and
judge it against the course's spec.

    result = check_training(path, options)      # TrainingResult, or None when the file has no fit

A second check over the same core as the ``cost_grad`` check: the same sandbox and caps
(:func:`impl_check.sandbox.run_worker`, with :mod:`impl_check.train_worker` as the script), the same staging of
a student's files, the same result model (:class:`impl_check.result.TrainingResult` in ``CheckResult.training``)
and the same writers.

The judgement uses the file's own gradients to check each step (so it holds whether or not ``cost_grad`` is
right) and the reference (:mod:`scratch_net`) to compute what the history should hold at each epoch's
parameters.  Each mistake is an entry of :data:`CATALOGUE`: a code, a level, a one-line sign (how it is
recognised, for the docs) and a function that looks for it in the followed run and returns its message with its
numbers.  ``docs/training-check.md`` lists them.
"""

from __future__ import annotations

import atexit
import math
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from scratch_net import PARAM_KEYS, Params, init_params, net

from . import train_worker
from .result import ERROR, FAIL, PASS, Finding, TrainingResult
from .sandbox import Run, run_worker

DIAGNOSIS, WARNING, NOTE = "diagnosis", "warning", "note"

STEP_RTOL = 1e-6
"""A step θ' − θ matches −lr·g when their difference is within this, relative to ‖lr·g‖ (float64 rounding of
θ − lr·g is ~1e-16·‖θ‖, far below)."""
HISTORY_RTOL = 1e-6
"""A history entry matches an expected value within this, relative (absolute below 1)."""


@dataclass(frozen=True)
class TrainProblem:
    """What fit is run on: rows all distinct (a row maps back to its index), n_train not a multiple of
    batch_size, a validation set whose labels are the training rule's shifted by one class (so its accuracy
    falls as training proceeds: the best validation epoch is an early one, not the last), c > 0, float64."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    params: Params
    batch_size: int = 5
    lr: float = 0.2
    c: float = 0.01
    epochs: int = 12
    cs_n: int = 20  # CS231n's train: the first 20 training rows (4 iterations per epoch at batch_size 5)
    num_iters: int = 14  # CS231n: iterations, 3.5 epochs
    learning_rate_decay: float = 0.5  # CS231n: strong enough that a decay at the wrong time shows

    @property
    def n(self) -> int:
        return int(self.X_train.shape[0])

    def describe_cs231n(self) -> str:
        d, h = self.params["W1"].shape
        k = self.params["W2"].shape[1]
        return (
            f"n_train={self.cs_n} n_val={self.X_val.shape[0]} d={d} h={h} k={k} learning_rate={self.lr:g} "
            f"learning_rate_decay={self.learning_rate_decay:g} reg={self.c:g} num_iters={self.num_iters} "
            f"batch_size={self.batch_size}, float64"
        )

    def describe(self) -> str:
        d, h = self.params["W1"].shape
        k = self.params["W2"].shape[1]
        return (
            f"n_train={self.n} n_val={self.X_val.shape[0]} d={d} h={h} k={k} batch_size={self.batch_size} "
            f"lr={self.lr:g} c={self.c:g} epochs={self.epochs}, float64"
        )


def make_problem(seed: int = 4) -> TrainProblem:
    """The problem: 23 training rows (batches 5, 5, 5, 5, 3), 12 validation rows, d=4, h=6, k=3, 12 epochs.

    Seed 4 was chosen because the spec loop, over 100 random shuffles, always has its best validation
    accuracy strictly before the last epoch (at epoch 1 or 2), so that keeping the final parameters shows.
    Twelve epochs, not three: a schedule that changes lr every 10 epochs, or an early stop with patience 5
    (after a best epoch 1 or 2), shows; the whole run is still 60 steps on 23 rows.
    """
    n, m, d, h, k = 23, 12, 4, 6, 3
    rng = np.random.default_rng(seed)
    rule = rng.normal(size=(d, k))
    X_train, X_val = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    y_train = np.argmax(X_train @ rule, axis=1).astype(np.int64)
    y_val = ((np.argmax(X_val @ rule, axis=1) + 1) % k).astype(np.int64)
    return TrainProblem(X_train, y_train, X_val, y_val, init_params(d, h, k, seed=seed))


@lru_cache(maxsize=1)
def problem_file() -> Path:
    """The problem as an .npz for the worker, written once per process (removed at exit)."""
    p = make_problem()
    folder = Path(tempfile.mkdtemp(prefix="impl_check_training_"))
    atexit.register(shutil.rmtree, folder, True)
    arrays: dict[str, Any] = {"X_train": p.X_train, "y_train": p.y_train, "X_val": p.X_val, "y_val": p.y_val}
    arrays.update(p.params)
    arrays.update(batch_size=p.batch_size, lr=p.lr, c=p.c, epochs=p.epochs)
    arrays.update(cs_n=p.cs_n, cs_iters=p.num_iters, cs_decay=p.learning_rate_decay)
    np.savez(folder / "training.npz", **arrays)
    return folder / "training.npz"


# ---- the record: what the worker saw, as steps and epochs -------------------------------------------------


@dataclass
class Call:
    """One recorded cost_grad call."""

    index: int
    split: str  # "train", "val" or "unknown"
    rows: list[int]
    labels: list[int] | None
    c: float | None
    c_passed: bool
    params: Params | None
    grads: dict[str, np.ndarray] | None
    cost: float | None
    dtype: str | None = None  # of the parameters it was given


@dataclass
class Step:
    """Consecutive training calls at the same parameters: one SGD step (one call, or a batch assembled from
    several calls, e.g. per sample), and the parameters the next step was given."""

    calls: list[Call]
    after: Params | None = None  # the parameters of the next step; None after the last step or a crash

    @property
    def rows(self) -> list[int]:
        return [r for call in self.calls for r in call.rows]

    @property
    def params(self) -> Params:
        assert self.calls[0].params is not None
        return self.calls[0].params

    def grad(self, how: str = "mean") -> dict[str, np.ndarray] | None:
        """The step's gradient: its calls' gradients averaged by rows ("mean", what one call on all the rows
        returns) or summed ("sum", a step per call taken at stale parameters)."""
        if any(call.grads is None for call in self.calls):
            return None
        sizes = [max(len(call.rows), 1) for call in self.calls]
        weights = [float(s) if how == "mean" else 1.0 for s in sizes]
        out: dict[str, np.ndarray] = {}
        for key in PARAM_KEYS:
            shape = self.params[key].shape
            total = np.zeros(shape)
            for w, call in zip(weights, self.calls):
                assert call.grads is not None
                total = total + w * call.grads[key].reshape(shape)
            out[key] = total / (sum(sizes) if how == "mean" else 1)
        return out


@dataclass
class Followed:
    """The run, followed: steps grouped into epochs, and what fit left behind."""

    problem: TrainProblem
    calls: list[Call]
    steps: list[Step]
    epochs: list[list[Step]]
    status: dict[str, Any]
    arrays: dict[str, np.ndarray]
    findings: list[tuple[str, Finding]] = field(default_factory=list)
    epoch_params: list[Params | None] = field(default_factory=list)  # after each epoch, where known
    own: dict[int, list[Any]] = field(default_factory=dict)  # epoch -> the file's own costs after it
    fits: list[StepFit] | None = None  # each step's change against its gradient (step_fits), computed once
    optimizer: Optimizer | None = None  # an adaptive or Nesterov rule that explains every step (find_optimizer)

    @property
    def E(self) -> int:
        return self.problem.epochs

    @property
    def fn(self) -> str:
        """The function the loop calls, as messages name it."""
        return "loss" if self.status.get("interface") == "cs231n" else "cost_grad"

    @property
    def c_name(self) -> str:
        return "reg" if self.status.get("interface") == "cs231n" else "c"

    @property
    def method(self) -> str:
        return "train" if self.status.get("interface") == "cs231n" else "fit"

    def ordinal(self, step: Step) -> tuple[int, int]:
        """(epoch, step within it), both from 1."""
        for e, epoch in enumerate(self.epochs):
            for s, candidate in enumerate(epoch):
                if candidate is step:
                    return e + 1, s + 1
        return 0, 0


def _calls(status: dict[str, Any], arrays: dict[str, np.ndarray]) -> list[Call]:
    out = []
    for i, info in enumerate(status.get("calls", [])):
        params = {k: _course(arrays[f"k{i}_{k}"], k) for k in PARAM_KEYS} if info.get("params") else None
        grads = (
            {k: _course(arrays[f"g{i}_{k}"], k) for k in PARAM_KEYS}
            if all(f"g{i}_{k}" in arrays for k in PARAM_KEYS)
            else None
        )
        if grads is not None and params is not None and any(grads[k].size != params[k].size for k in PARAM_KEYS):
            grads = None  # a gradient of the wrong size: the cost_grad check names it; no step can use it
        cost = float(arrays[f"g{i}_cost"]) if f"g{i}_cost" in arrays else None
        out.append(
            Call(
                i,
                info["split"],
                info["rows"],
                info.get("labels"),
                info.get("c"),
                info["c_passed"],
                params,
                grads,
                cost,
                info.get("dtype"),
            )  # fmt: skip
        )
    return out


def _course(value: np.ndarray, key: str) -> np.ndarray:
    """A bias as (1, h): CS231n keeps (h,)."""
    return value.reshape(1, -1) if key[0] == "b" and value.ndim == 1 else value


def _is_evaluation(call: Call, problem: TrainProblem) -> bool:
    """A call on a whole set in its original order: the loop evaluating, not training."""
    if call.split == "val":
        return call.rows == list(range(problem.X_val.shape[0]))
    return call.split == "train" and call.rows == list(range(problem.n))


def _chunked_evaluations(calls: list[Call], problem: TrainProblem) -> set[int]:
    """Calls that evaluate the whole training set in chunks: consecutive training-row calls at the same
    parameters whose rows, in order, are exactly 0, 1, …, n−1."""
    out: set[int] = set()
    train = [c for c in calls if c.split == "train" and c.params is not None]
    i = 0
    while i < len(train):
        j, rows = i, []
        while j < len(train) and _same(train[i].params, train[j].params):  # type: ignore[arg-type]
            rows += train[j].rows
            j += 1
            if rows == list(range(problem.n)) and j - i > 1:
                out.update(c.index for c in train[i:j])
                break
            if rows != list(range(len(rows))):
                break
        i = max(j, i + 1) if rows == list(range(problem.n)) else i + 1
    return out


def _same(a: Params, b: Params) -> bool:
    return all(np.array_equal(a[k], b[k]) for k in PARAM_KEYS)


def follow(problem: TrainProblem, status: dict[str, Any], arrays: dict[str, np.ndarray]) -> Followed:
    """Group the training calls into steps (calls at the same parameters) and the steps into epochs.

    Epochs end at an evaluation call (a whole set, in order) when the loop makes them; else every epoch has the
    same number of steps when that splits them with no row twice in an epoch; else an epoch ends when the next
    step would repeat one of its rows or when it has used every row.
    """
    calls = _calls(status, arrays)
    chunked = _chunked_evaluations(calls, problem)
    steps: list[Step] = []
    boundaries: set[int] = set()  # step indices that start an epoch after an evaluation
    evaluated = False
    for call in calls:
        if call.split != "train" or call.index in chunked or _is_evaluation(call, problem) or call.params is None:
            evaluated = evaluated or call.split == "val" or call.index in chunked or _is_evaluation(call, problem)
            continue
        if steps and not evaluated and _same(steps[-1].params, call.params):
            steps[-1].calls.append(call)
            continue
        if evaluated and steps:
            boundaries.add(len(steps))
        evaluated = False
        if steps:
            steps[-1].after = call.params
        steps.append(Step([call]))
    epochs = _split_epochs(steps, boundaries, problem)
    if status.get("exception") and epochs:
        epochs = epochs[:-1]  # the epoch the crash cut short is not judged as an epoch
    return Followed(problem, calls, steps, epochs, status, arrays)


def _split_epochs(steps: list[Step], boundaries: set[int], problem: TrainProblem) -> list[list[Step]]:
    if not steps:
        return []
    if boundaries:
        cuts = [0, *sorted(boundaries), len(steps)]
        return [steps[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
    E = problem.epochs
    if len(steps) % E == 0:
        per = len(steps) // E
        even = [steps[i * per : (i + 1) * per] for i in range(E)]
        if all(len(set(_rows(e))) == len(_rows(e)) for e in even):
            return even
    epochs: list[list[Step]] = [[]]
    seen: set[int] = set()
    for step in steps:
        if epochs[-1] and (seen & set(step.rows) or len(seen) >= problem.n):
            epochs.append([])
            seen = set()
        epochs[-1].append(step)
        seen |= set(step.rows)
    return epochs


def _rows(epoch: Sequence[Step]) -> list[int]:
    return [r for step in epoch for r in step.rows]


# ---- the catalogue: one entry per mistake --------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One known mistake of a training loop: its code, level, how it is recognised, and the function that looks
    for it in a followed run (returns the message with its numbers, or None)."""

    code: str
    level: str
    sign: str
    find: Callable[[Followed], str | None]


def _positions(values: Sequence[int], limit: int = 3) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (", …" if len(values) > limit else "")


def _short_batches(f: Followed) -> str | None:
    bs, n = f.problem.batch_size, f.problem.n
    sizes = [[len(s.rows) for s in epoch] for epoch in f.epochs]
    full = [size for epoch in sizes for size in epoch[:-1]]
    if not full or any(size != bs - 1 for size in full) or bs < 2:
        return None
    per_epoch = [n - len(set(_rows(epoch))) for epoch in f.epochs]
    positions = list(range(bs - 1, n, bs))
    return (
        f"each batch has {bs - 1} of {bs} rows: 1 row in {bs} is never trained on (rows at positions "
        f"{_positions(positions)} of each epoch's order, 0-based; {max(per_epoch)} of {n} rows unused per epoch): "
        f"the usual cause is a slice i:i+batch_size-1, which stops one row short"
    )


def _last_dropped(f: Followed) -> str | None:
    bs, n = f.problem.batch_size, f.problem.n
    if n % bs == 0 or not f.epochs:
        return None
    if not all(len(epoch) == n // bs and all(len(s.rows) == bs for s in epoch) for epoch in f.epochs):
        return None
    unused = [sorted(set(range(n)) - set(_rows(epoch))) for epoch in f.epochs]
    if any(len(u) != n % bs for u in unused):
        return None
    same = all(u == unused[0] for u in unused)
    which = f"the same rows every epoch (rows {_positions(unused[0], 5)})" if same else "different rows each epoch"
    return (
        f"the last partial batch is dropped: each epoch has {n // bs} batches of {bs} and {n % bs} of the {n} rows "
        f"are never trained on in that epoch ({which})"
    )


def _rows_unused(f: Followed) -> str | None:
    n = f.problem.n
    if _short_batches(f) or _last_dropped(f) or _resampled(f):
        return None
    partial = [(e + 1, len(set(_rows(epoch)))) for e, epoch in enumerate(f.epochs) if len(set(_rows(epoch))) < n]
    if not partial or (f.status.get("exception") and partial == [(len(f.epochs), partial[-1][1])]):
        return None
    text = "; ".join(f"epoch {e} trains on {used} of {n} rows" for e, used in partial[:3])
    return f"not every training row is used in every epoch: {text}"


def _resampled(f: Followed) -> str | None:
    for e, epoch in enumerate(f.epochs):
        rows = _rows(epoch)
        if len(set(rows)) < len(rows):
            distinct = len(set(rows))
            return (
                f"rows are drawn with replacement where every epoch should use each row once: epoch {e + 1} takes "
                f"{len(rows)} rows, only {distinct} distinct ({len(rows) - distinct} repeats, "
                f"{f.problem.n - distinct} rows never used)"
            )
    return None


def _orders(f: Followed) -> list[list[int]]:
    return [_rows(epoch) for epoch in f.epochs]


def _no_shuffle(f: Followed) -> str | None:
    orders = _orders(f)
    if len(orders) < 2 or any(o != orders[0] for o in orders[1:]):
        return None
    if orders[0] == sorted(orders[0]):
        return (
            f"the rows are taken in their original order in every one of the {len(orders)} epochs: no shuffle "
            "(a permutation computed but not used, or none at all)"
        )
    return (
        f"every one of the {len(orders)} epochs takes the rows in the same shuffled order: shuffled once, not per epoch"
    )


def _xy_separated(f: Followed) -> str | None:
    y = f.problem.y_train
    wrong = total = 0
    for step in f.steps:
        for call in step.calls:
            if call.labels is None or len(call.labels) != len(call.rows):
                continue
            total += len(call.rows)
            wrong += sum(int(y[r] != label) for r, label in zip(call.rows, call.labels))
    if not wrong:
        return None
    return (
        f"{wrong} of the {total} training rows given to {f.fn} come with another row's label: X and y are "
        "shuffled or sampled separately (two permutations or draws), so the net is trained on scrambled labels"
    )


def _c_not_passed(f: Followed) -> str | None:
    c = f.problem.c
    bad = [call for step in f.steps for call in step.calls if call.c is None or not math.isclose(call.c, c)]
    if not bad:
        return None
    first = bad[0]
    how = (
        f"without {f.c_name} (its default {first.c:g} is used)"
        if not first.c_passed and first.c is not None
        else f"with {f.c_name}={first.c:g}"
        if first.c is not None
        else f"with no {f.c_name} the checker could read"
    )
    total = sum(len(step.calls) for step in f.steps)
    none = first.c is not None and first.c == 0
    return (
        f"the training step calls {f.fn} {how} where {f.method} was given {f.c_name}={c:g}, in {len(bad)} of {total} calls"
        + (": there is no weight decay" if none else "")
    )


@dataclass(frozen=True)
class StepFit:
    """How one step's change of the parameters relates to its gradient."""

    step: Step
    factor: float | None  # a with θ' − θ = −a·g, the same a for all four parameters; None if none fits
    how: str  # "mean" or "sum" (the gradients of several calls at stale parameters, each applied)
    decay_again: float | None = None  # β with θ' − θ = −a·(g + β·W) on the weights only
    momentum: float | None = None  # μ with θ' − θ = −a·g + μ·(the previous step's change)
    delta: Params | None = None  # θ' − θ

    def apply(self, step: Step, previous: Params | None) -> Params | None:
        """The parameters after ``step`` by this fit's rule (the loop's rule on the step before); None if none."""
        g = step.grad(self.how)
        if self.factor is None or g is None or self.how != "mean":
            return None
        new = {k: step.params[k] - self.factor * g[k] for k in PARAM_KEYS}
        if self.decay_again is not None:
            for k in ("W1", "W2"):
                new[k] = new[k] - self.factor * self.decay_again * step.params[k]
        if self.momentum is not None:
            if previous is None:
                return None
            new = {k: new[k] + self.momentum * previous[k] for k in PARAM_KEYS}
        return new


def _fit_factor(
    delta: dict[str, np.ndarray], g: dict[str, np.ndarray], keys: Sequence[str], rounding: float = 0.0
) -> float | None:
    """a with delta = −a·g on every key in ``keys``, within STEP_RTOL and ``rounding`` (the parameters' own
    rounding, for a loop that keeps them in float32); None if no single a fits."""
    dv = np.concatenate([delta[k].ravel() for k in keys])
    gv = np.concatenate([g[k].ravel() for k in keys])
    gg = float(gv @ gv)
    if gg == 0:
        return None
    a = -float(dv @ gv) / gg
    scale = max(abs(a), 1e-12) * math.sqrt(gg)
    return a if float(np.linalg.norm(dv + a * gv)) <= STEP_RTOL * scale + rounding else None


def _rounding(step: Step) -> float:
    """How far rounding may move a step of parameters held in float32: 8·eps·‖θ‖; 0 for float64."""
    if all(call.dtype in (None, "float64") for call in step.calls):
        return 0.0
    norm = math.sqrt(sum(float(np.vdot(v, v)) for v in step.params.values()))
    return 8 * float(np.finfo(np.float32).eps) * norm


def step_fits(f: Followed) -> list[StepFit]:
    """Each step that has a next one: the factor between its change and its gradient (mean, else sum)."""
    fits: list[StepFit] = []
    previous: Params | None = None
    for step in f.steps:
        if step.after is None:
            continue
        delta = {k: step.after[k] - step.params[k] for k in PARAM_KEYS}
        found: StepFit | None = None
        g_mean = step.grad("mean")
        rounding = _rounding(step)
        if previous is not None and g_mean is not None and _fit_factor(delta, g_mean, PARAM_KEYS, rounding) is None:
            # momentum: θ' − θ = −lr·g + μ·(previous change)
            lr = f.problem.lr
            rest = {k: delta[k] + lr * g_mean[k] for k in PARAM_KEYS}
            mu = _fit_factor({k: -rest[k] for k in PARAM_KEYS}, previous, PARAM_KEYS, rounding)
            if mu is not None and mu != 0:
                fits.append(StepFit(step, lr, "mean", momentum=mu, delta=delta))
                previous = delta
                continue
        previous = delta
        for how in ("mean", "sum") if len(step.calls) > 1 else ("mean",):
            g = step.grad(how)
            if g is None:
                break
            a = _fit_factor(delta, g, PARAM_KEYS, rounding)
            if a is not None:
                found = StepFit(step, a, how)
                break
            # the weight decay applied again in the step: W' − W = −a·(g + β·W), biases −a·g
            a_b = _fit_factor(delta, g, ("b1", "b2"), rounding)
            if a_b is not None and a_b != 0:
                rest = {k: -(delta[k] / a_b) - g[k] for k in ("W1", "W2")}
                W = {k: step.params[k] for k in ("W1", "W2")}
                beta = _fit_factor({k: -rest[k] for k in rest}, W, ("W1", "W2"))
                if beta is not None and beta != 0:
                    found = StepFit(step, a_b, how, decay_again=beta)
                    break
        if found is not None:
            found = StepFit(found.step, found.factor, found.how, found.decay_again, delta=delta)
        fits.append(found or StepFit(step, None, "mean", delta=delta))
    return fits


def _fits(f: Followed) -> list[StepFit]:
    if f.fits is None:
        f.fits = step_fits(f)
    return f.fits


def _close(a: float, b: float, rtol: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=0)


def _stale_params(f: Followed) -> str | None:
    stale = [fit for fit in _fits(f) if fit.how == "sum"]
    if not stale:
        return None
    e, s = f.ordinal(stale[0].step)
    calls = len(stale[0].step.calls)
    return (
        f"cost_grad is given stale parameters: from step {s} of epoch {e} on, {calls} consecutive calls get the "
        "same parameters while each of their gradients is applied: the gradients are taken at an old snapshot, "
        "not at the current parameters"
    )


def _update_factor(f: Followed) -> tuple[str, str] | None:
    """(code, message) for a step size other than lr: a wrong sign, lr/batch_size, a schedule, another value."""
    lr, bs = f.problem.lr, f.problem.batch_size
    fits = [fit for fit in _fits(f) if fit.factor is not None and fit.decay_again is None and fit.momentum is None]
    if not fits:
        return None
    factors = [fit.factor for fit in fits]
    assert all(a is not None for a in factors)
    if all(_close(a, lr) for a in factors):  # type: ignore[arg-type]
        return None
    first = next(fit for fit in fits if not _close(fit.factor, lr))  # type: ignore[arg-type]
    e, s = f.ordinal(first.step)
    a = first.factor
    assert a is not None
    if all(_close(x, -lr) for x in factors):  # type: ignore[arg-type]
        return "wrong-sign", f"every step adds lr·g instead of subtracting it (θ ← θ + {lr:g}·g): the loss climbs"
    if all(_close(x, lr / bs) for x in factors):  # type: ignore[arg-type]
        return "lr-over-batch", (
            f"every step is θ ← θ − (lr/batch_size)·g = θ − {lr / bs:g}·g where the spec is θ − {lr:g}·g: "
            f"{bs} times too slow (cost_grad's gradient is already a mean over the batch)"
        )
    by_epoch: dict[int, list[float]] = {}
    for fit in fits:
        by_epoch.setdefault(f.ordinal(fit.step)[0], []).append(fit.factor)  # type: ignore[arg-type]
    constant = {e: v[0] for e, v in by_epoch.items() if all(_close(x, v[0]) for x in v)}
    values = sorted({round(x, 12) for x in factors if x is not None})
    if len(values) == 1:
        return "lr-ignored", (
            f"every step is θ ← θ − {a:.6g}·g where lr={lr:g} was given ({a / lr:.4g}·lr): the learning rate is "
            "not the one passed to fit (a hard-coded or scaled value)"
        )
    if len(constant) == len(by_epoch) and len(constant) > 1:
        changes = [e for e in sorted(constant) if e == min(constant) or not _close(constant[e], constant[e - 1])]
        shown = ", ".join(f"{constant[e]:.4g} from epoch {e}" for e in changes[:4])
        return "lr-schedule", (
            f"the step size changes from epoch to epoch ({shown}) where the spec keeps lr={lr:g}: a learning-rate "
            "schedule nobody asked for"
        )
    return "lr-schedule", (
        f"the step size is not constant: step {s} of epoch {e} uses θ − {a:.6g}·g, where the spec is θ − {lr:g}·g "
        f"throughout ({len(values)} different step sizes)"
    )


def _decay_again(f: Followed) -> str | None:
    found = [fit for fit in _fits(f) if fit.decay_again is not None]
    if not found:
        return None
    fit = found[0]
    beta = fit.decay_again
    assert beta is not None
    c = f.problem.c
    which = next((name for name, v in (("2c", 2 * c), ("c", c)) if _close(beta, v, 1e-4)), f"{beta:.4g}")
    return (
        f"the step applies weight decay again: W ← W − lr·(g + {which}·W) where g from cost_grad already holds "
        f"2c·W ({len(found)} of the {len(_fits(f))} steps followed): the weights decay twice"
    )


def _momentum(f: Followed) -> str | None:
    found = [fit for fit in _fits(f) if fit.momentum is not None]
    if not found:
        return None
    mus = [fit.momentum for fit in found if fit.momentum is not None]
    mu = f"{mus[0]:.4g}" if all(_close(m, mus[0], 1e-4) for m in mus) else f"{min(mus):.4g} to {max(mus):.4g}"
    return (
        f"the steps carry momentum: θ ← θ − lr·g + {mu}·(the previous step) in {len(found)} of the "
        f"{len(_fits(f))} steps followed, where the spec is plain SGD, θ ← θ − lr·g"
    )


def _update_other(f: Followed) -> str | None:
    bad = [fit for fit in _fits(f) if fit.factor is None]
    if not bad or _stale_params(f):
        return None
    fit = bad[0]
    e, s = f.ordinal(fit.step)
    step = fit.step
    g = step.grad()
    assert step.after is not None
    if g is None:
        return None
    lr = f.problem.lr
    parts = []
    for k in PARAM_KEYS:
        delta = step.after[k] - step.params[k]
        expected = -lr * g[k]
        err = float(np.linalg.norm(delta - expected)) / max(float(np.linalg.norm(expected)), 1e-300)
        if err > STEP_RTOL:
            parts.append(f"{k} (relative difference {err:.3g}" + (", not updated)" if not np.any(delta) else ")"))
    return (
        f"step {s} of epoch {e} is not θ ← θ − lr·g with the gradient cost_grad returned at those parameters: "
        f"{', '.join(parts)}; {len(bad)} of {len(_fits(f))} steps differ"
    )


# adaptive optimizers and Nesterov momentum: a rule with state, fitted to the whole run ----------------------


@dataclass(frozen=True)
class Optimizer:
    """A known update rule other than plain SGD that explains every step followed: its code, its constants (as
    a message shows them) and each step's change by the rule (the last step's too, which no later call shows)."""

    code: str
    message: str
    deltas: list[Params]


ADAM_BETAS = (0.9, 0.8, 0.95, 0.99, 0.5, 0.0)
"""β1 values tried (the usual 0.9 first); β2 and RMSprop's ρ are tried from :data:`SQUARE_DECAYS`."""
SQUARE_DECAYS = (0.999, 0.99, 0.9, 0.95, 0.98, 0.9999, 0.5)
EPS_TRIED = (1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-10, 1e-12, 0.0)
"""ε values tried beside the one fitted (the fit is noisy where ε is far below √v)."""


def _flat(params: Params) -> np.ndarray:
    return np.concatenate([np.asarray(params[k], dtype=np.float64).ravel() for k in PARAM_KEYS])


def _unflat(vector: np.ndarray, like: Params) -> Params:
    out, at = {}, 0
    for k in PARAM_KEYS:
        size = like[k].size
        out[k] = vector[at : at + size].reshape(like[k].shape)
        at += size
    return out


def _rule_error(deltas: np.ndarray, predicted: np.ndarray) -> float:
    """The worst step's ‖Δ − predicted‖ / ‖predicted‖ (rows: steps); inf where a predicted step is 0 and Δ not."""
    scale = np.linalg.norm(predicted, axis=1)
    miss = np.linalg.norm(deltas - predicted, axis=1)
    if np.any((scale == 0) & (miss > 0)):
        return math.inf
    return float(np.max(np.divide(miss, scale, out=np.zeros_like(miss), where=scale > 0), initial=0.0))


def _adaptive(deltas: np.ndarray, m: np.ndarray, v: np.ndarray) -> tuple[float, float, float]:
    """(a, ε, error) of Δ = −a·m/(√v + ε) fitted to the steps (rows), with the best ε of the fitted one and
    EPS_TRIED; m and v have one row more than deltas (the last step, which no later call shows)."""
    root = np.sqrt(v)
    T = deltas.shape[0]
    # −m/Δ = √v/a + ε/a, element by element where Δ and m are not 0: a line through (√v, −m/Δ)
    keep = (deltas != 0) & (m[:T] != 0)
    x = root[:T][keep]
    y = -m[:T][keep] / deltas[keep]
    candidates = list(EPS_TRIED)
    if x.size > 1 and np.ptp(x) > 0:
        slope, intercept = np.polyfit(x, y, 1)
        if slope > 0 and intercept / slope >= 0:
            candidates.insert(0, float(intercept / slope))
    best = (math.nan, math.nan, math.inf)
    for eps in candidates:
        denominator = root + eps
        u = np.divide(m, denominator, out=np.zeros_like(m), where=(m != 0) & (denominator > 0))
        if np.any((m != 0) & (denominator <= 0)):
            continue
        uu = float(np.sum(u[:T] * u[:T]))
        if uu == 0:
            continue
        a = -float(np.sum(deltas * u[:T])) / uu
        error = _rule_error(deltas, -a * u[:T])
        if error < best[2]:
            best = (a, eps, error)
    return best


def _steady_first_step(g: np.ndarray, delta: np.ndarray) -> bool:
    """Every adaptive rule's first step is about ±a in each coordinate whose gradient is far above ε: a cheap
    test before the search (gradient clipping, say, fails it)."""
    large = np.abs(g) > 1e-2
    if not np.any(large):
        return True  # too small to tell: search
    sizes = np.abs(delta[large])
    return bool(
        sizes.min() > 0 and sizes.max() / sizes.min() < 1.02 and np.all(np.sign(delta[large]) == -np.sign(g[large]))
    )


def find_optimizer(f: Followed) -> Optimizer | None:
    """Nesterov momentum, Adam (with or without bias correction), RMSprop or AdaGrad with the constants that
    explain every step followed (each step's change within STEP_RTOL of the rule's), else None.  The rule's state
    starts at zero before the first step and runs on through every epoch."""
    steps = f.steps
    if len(steps) < 3 or any(s.grad() is None or len(s.calls) != 1 for s in steps):
        return None
    if any(step.after is None for step in steps[:-1]) or any(_rounding(s) for s in steps):
        return None
    grads = np.stack([_flat(s.grad()) for s in steps])  # type: ignore[arg-type]  # (steps, parameters)
    deltas = np.stack([_flat(s.after) - _flat(s.params) for s in steps[:-1]])  # type: ignore[arg-type]
    lr, T = f.problem.lr, deltas.shape[0]
    like = steps[0].params

    def rate(a: float) -> str:
        return f"step size {a:.4g} = lr" if _close(a, lr, 1e-4) else f"step size {a:.4g}, where lr={lr:g}"

    def found(code: str, text: str, changes: np.ndarray) -> Optimizer:
        return Optimizer(
            code,
            f"{text}, in all {T} steps followed, where the spec is plain SGD, θ ← θ − lr·g",
            [_unflat(d, like) for d in changes],
        )

    # Nesterov: Δ = −a·(g + μ·v), v ← μ·v + g (CS231n's v ← μ·v − lr·g; θ ← θ − μ·v_prev + (1+μ)·v is the same)
    g1, g2 = grads[0], grads[1]
    A = -float(deltas[0] @ g1) / max(float(g1 @ g1), 1e-300)
    (A2, B), *_ = np.linalg.lstsq(np.stack([g2, g1], axis=1), -deltas[1], rcond=None)
    if A > 0 and B > 0 and _close(A, A2, 1e-4):
        r = B / A  # μ²/(1+μ)
        mu = (r + math.sqrt(r * r + 4 * r)) / 2
        a = A / (1 + mu)
        velocity = _running(grads, mu, 1.0)
        changes = -a * (grads + mu * velocity)
        if _rule_error(deltas, changes[:T]) <= STEP_RTOL:
            return found(
                "nesterov",
                f"the steps follow Nesterov momentum (μ={mu:.4g}, {rate(a)}): θ ← θ − a·(g + μ·v) with "
                "v ← μ·v + g (the same as v ← μ·v − lr·g; θ ← θ − μ·v_prev + (1 + μ)·v)",
                changes,
            )
    if not _steady_first_step(grads[0], deltas[0]):
        return None
    squares = grads * grads
    t = np.arange(1, len(steps) + 1)[:, None]  # the step count, for the bias correction
    rules: list[tuple[str, str, np.ndarray, np.ndarray]] = [
        ("adagrad", "the steps follow AdaGrad (ε={eps}, {rate}): θ ← θ − a·g/(√G + ε) with G the sum of all "
         "squared gradients so far", grads, np.cumsum(squares, axis=0)),
    ]  # fmt: skip
    for rho in SQUARE_DECAYS:
        v = _running(squares, rho, 1 - rho)
        rules.append(("rmsprop", f"the steps follow RMSprop (ρ={rho:g}, ε={{eps}}, {{rate}}): θ ← θ − a·g/(√v + ε) "
                      f"with v ← {rho:g}·v + {1 - rho:.4g}·g²", grads, v))  # fmt: skip
        for beta1 in ADAM_BETAS:
            m = _running(grads, beta1, 1 - beta1)
            for corrected in (True, False):
                mc, vc = (m / (1 - beta1**t), v / (1 - rho**t)) if corrected else (m, v)
                rules.append(("adam", f"the steps follow Adam (β1={beta1:g}, β2={rho:g}, ε={{eps}}, {{rate}}, "
                              f"{'with' if corrected else 'without'} bias correction): θ ← θ − a·m̂/(√v̂ + ε)", mc, vc))  # fmt: skip
    for code, what, m, v in rules:
        a, eps, error = _adaptive(deltas, m, v)
        if error <= STEP_RTOL:  # the first rule that fits, the usual constants first
            denominator = np.sqrt(v) + eps
            changes = -a * np.divide(m, denominator, out=np.zeros_like(m), where=(m != 0) & (denominator > 0))
            return found(code, what.format(eps=f"{eps:.3g}", rate=rate(a)), changes)
    return None


def _running(values: np.ndarray, decay: float, weight: float) -> np.ndarray:
    """x ← decay·x + weight·value from 0, after each value (rows): a running mean (weight 1 − decay) or a
    velocity (weight 1)."""
    out = np.empty_like(values)
    x = np.zeros_like(values[0])
    for i, value in enumerate(values):
        x = decay * x + weight * value
        out[i] = x
    return out


def _not_followed(f: Followed) -> str | None:
    if f.steps or f.status.get("exception"):
        return None
    calls = f.status.get("total_calls", 0)
    unknown = sum(call.split == "unknown" for call in f.calls)
    if unknown:
        why = (
            f"fit calls cost_grad {calls} time(s), {unknown} of them on rows that are not rows of X_train as given "
            "(transformed or converted inside fit: standardised, reshaped, another dtype)"
        )
    else:
        why = "fit never calls cost_grad on training rows"
    return (
        f"{why}: its steps cannot be followed, so only its results (the history's length, whether self.params is set) are "
        "compared; the course's fit trains with the class's cost_grad on the data it is given"
    )


def _crash(f: Followed) -> str | None:
    exc = f.status.get("exception")
    if not exc:
        return None
    if exc.get("in_init"):
        return f"NetClassifier() raised {exc['message']} before fit could run"
    t = len(f.steps)
    per = -(-f.problem.n // f.problem.batch_size)
    if t == 0:
        return f"fit raised {exc['message']} before its first call of cost_grad on training rows"
    at = f"step {(t - 1) % per + 1} of epoch {(t - 1) // per + 1}"
    inside = " inside cost_grad" if exc.get("in_cost_grad") else ""
    return (
        f"fit raised {exc['message']}{inside} at or after {at} (its last call of cost_grad on training rows; "
        f"steps counted by the spec's {per} per epoch)"
    )


def _epochs_ignored(f: Followed) -> str | None:
    if f.status.get("exception") or not f.steps:
        return None
    per = -(-f.problem.n // f.problem.batch_size)
    ran = len(f.epochs)
    if ran == f.E:
        return None
    rows = sum(len(s.rows) for s in f.steps)
    if rows % f.problem.n or rows // f.problem.n == f.E:
        return None
    ran = rows // f.problem.n
    why = (
        "a hard-coded number of epochs"
        if ran > f.E
        else _early_stop(f) or "a hard-coded number, or a stop nobody asked for"
    )
    return f"fit trains for {ran} epochs ({len(f.steps)} steps of up to {per} per epoch) where epochs={f.E} was given: {why}"


def _early_stop(f: Followed) -> str | None:
    """For a run that stopped early: where its best validation accuracy was (the first epoch with it), and the
    epochs since, which is what early stopping with that patience does.  None when an epoch's parameters are not
    known or the last epoch was the best."""
    ran, fits = len(f.epochs), _fits(f)
    if ran < 2 or not fits or f.steps[-1] is not f.epochs[-1][-1]:
        return None
    params: list[Params | None] = [f.epochs[e + 1][0].params for e in range(ran - 1)]
    params.append(fits[-1].apply(f.steps[-1], fits[-1].delta))  # after the last step, by the rule before it
    if any(p is None for p in params):
        return None
    acc = [net.score(f.problem.X_val, f.problem.y_val, p) for p in params if p is not None]
    best = int(np.argmax(acc))  # the first epoch with the best accuracy: a later tie is no improvement
    patience = ran - 1 - best
    if patience < 1:
        return None
    return (
        f"a hard-coded number, or a stop nobody asked for: the best validation accuracy ({acc[best]:.3g}) was at "
        f"epoch {best + 1} and none of the {patience} epochs after it did better, where early stopping with "
        f"patience {patience} stops"
    )


def _batch_ignored(f: Followed) -> str | None:
    bs, n = f.problem.batch_size, f.problem.n
    if not f.epochs or _short_batches(f) or _resampled(f) or _stale_params(f):
        return None
    first = [len(epoch[0].rows) for epoch in f.epochs]
    sizes = [len(s.rows) for epoch in f.epochs for s in epoch[:-1]] or first
    if any(size != first[0] for size in sizes) or first[0] == bs:
        return None
    if any(len(set(_rows(epoch))) != n for epoch in f.epochs):
        return None
    size = first[0]
    return f"the batches have {size} rows ({len(f.epochs[0])} step(s) per epoch) where batch_size={bs} was given: " + (
        "a hard-coded batch size" if size > 1 else "one row per step, whatever batch_size says"
    )


# the history ----------------------------------------------------------------------------------------------

CURVES = ("train_loss", "train_acc", "val_loss", "val_acc")
SETS = {"train": "training", "val": "validation"}


def history_of(status: Mapping[str, Any]) -> tuple[str, dict[str, list[Any]]] | None:
    """(where, curves) of the history in a worker's status: fit's return value, else self.history, keys mapped to
    the spec's."""
    for where, value in (("fit's return value", status.get("returned")), ("self.history", status.get("history"))):
        if not isinstance(value, dict):
            continue
        curves: dict[str, list[Any]] = {}
        for key, entries in value.items():
            low = key.lower()
            split = "val" if ("val" in low or "valid" in low) else "train" if "train" in low else None
            kind = "loss" if ("loss" in low or "cost" in low) else "acc" if "acc" in low else None
            if split and kind and isinstance(entries, list):
                curves.setdefault(f"{split}_{kind}", entries)
        if curves:
            return where, curves
    return None


def expected_history(f: Followed) -> list[dict[str, list[float]] | None]:
    """Per epoch, at the parameters after it (where known): the accepted values of each curve. Losses: the
    reference's with the penalty, without it, the file's own cost with c, without; accuracies: a fraction, a
    percentage."""
    p = f.problem
    out: list[dict[str, list[float]] | None] = []
    for e, params in enumerate(f.epoch_params):
        if params is None:
            out.append(None)
            continue
        values: dict[str, list[float]] = {}
        for split, X, y in (("train", p.X_train, p.y_train), ("val", p.X_val, p.y_val)):
            values[f"{split}_loss"] = [net.cost(X, y, params, p.c), net.cost(X, y, params, 0.0)]
            acc = net.score(X, y, params)
            values[f"{split}_acc"] = [acc, 100 * acc]
        own = f.own.get(e) or [None] * 4
        for i, curve in enumerate(("train_loss", "train_loss", "val_loss", "val_loss")):
            # the file's own cost with c, then without: NaN where it has none (matches nothing)
            values[curve].append(math.nan if own[i] is None else float(own[i]))
        out.append(values)
    return out


def _matches(value: Any, accepted: Sequence[float]) -> bool:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return any(math.isclose(v, a, rel_tol=HISTORY_RTOL, abs_tol=HISTORY_RTOL) for a in accepted)


def _described(value: Any) -> str:
    """What a history slot holds, as a message says it ("None", "a list", ...)."""
    if value is None:
        return "None"
    if isinstance(value, dict):
        return "a dict with none of its keys"
    return f"a {str(value).strip('<>')}"


def _history(f: Followed) -> list[tuple[str, str, str]]:
    """(code, level, message) for the history."""
    found = history_of(f.status)
    if found is None:
        returned, kept = f.status.get("returned"), f.status.get("history")
        describe = _described
        return [
            (
                "history-missing",
                DIAGNOSIS,
                f"no history: fit returns {describe(returned)} and self.history is {describe(kept)}; the course's history is a "
                "dict of lists train_loss, train_acc, val_loss, val_acc",
            )
        ]
    where, curves = found
    out = []
    missing = [c for c in CURVES if c not in curves]
    if missing:
        out.append(
            (
                "history-keys",
                DIAGNOSIS,
                f"the history ({where}) has no {', '.join(missing)} (keys found: {', '.join(curves)})",
            )
        )
    lengths = {c: len(v) for c, v in curves.items()}
    E = f.E
    expected = expected_history(f)
    ran = len(f.epochs) if f.steps else E  # epochs trained (E when the steps cannot be followed)
    by_code: dict[tuple[str, str], list[str]] = {}
    for curve, entries in curves.items():
        # zeros past the epochs trained: a preallocated history that an early stop left unfilled
        tail = entries[ran:]  # (when every epoch ran, a zero at the end is a value, e.g. an accuracy of 0)
        if ran < min(E, len(entries)) and all(_matches(v, [0.0]) for v in tail):
            what = (
                "history-padded",
                f"zeros in the last {len(tail)} of {len(entries)} entries: training stopped after {ran} of the "
                f"{E} epochs and the rest is zero padding",
            )
        elif len(entries) == E:
            continue
        elif len(entries) == E + 1:
            what = ("history-extra", f"{E + 1} entries where epochs={E}: one entry per epoch, not epochs + 1")
        else:
            what = ("history-length", f"{len(entries)} entries where epochs={E}")
        by_code.setdefault(what, []).append(curve)
    for (code, text), names in by_code.items():
        out.append((code, DIAGNOSIS, f"{', '.join(names)} {'has' if len(names) == 1 else 'each have'} {text}"))
    if any(n != E for n in lengths.values()):
        return out
    penalty_used: set[str] = set()
    for curve in CURVES:
        if curve not in curves:
            continue
        entries = curves[curve]
        wrong = []
        for e, values in enumerate(expected):
            if values is None:
                continue
            if not _matches(entries[e], values[curve]):
                wrong.append(e)
            elif curve.endswith("loss"):
                ref_c, ref_0 = values[curve][:2]
                if not math.isclose(ref_c, ref_0, rel_tol=1e-9):
                    ref = (
                        "include"
                        if _matches(entries[e], [ref_c])
                        else "leave out"
                        if _matches(entries[e], [ref_0])
                        else "own"
                    )
                    penalty_used.add(ref)
        if not wrong or any(code == "history-padded" and curve in names for (code, _), names in by_code.items()):
            continue
        out.append(_explain_history(f, curve, entries, wrong, expected))
    stale = [message.split(" ", 1)[0] for code, _, message in out if code == "history-stale"]
    if len(stale) > 1:  # one sentence for every curve one epoch stale
        out = [x for x in out if x[0] != "history-stale"]
        out.append(
            (
                "history-stale",
                DIAGNOSIS,
                f"{', '.join(stale)} are one epoch stale: each entry holds the value at the parameters before that epoch's steps, not after them",
            )
        )
    if len(penalty_used) == 1:
        which = penalty_used.pop()
        text = (
            f"the history's losses {which} the penalty c·ΣW² (either is accepted: a convention)"
            if which != "own"
            else f"the history's losses are the file's own {f.fn} cost on the whole sets, which is not the "
            "reference's cost (the cost_grad part of the check judges that); accepted here, where the loop is judged"
        )
        f.findings.append((NOTE, Finding("history-penalty", text)))
    return out


def _explain_history(
    f: Followed, curve: str, entries: list[Any], wrong: list[int], expected: list[dict[str, list[float]] | None]
) -> tuple[str, str, str]:
    E = f.E
    known = [e for e in range(E) if expected[e] is not None]
    # one epoch stale: entry e holds the values at the parameters before epoch e
    before = [None, *expected[:-1]]
    init_values = _values_at(f, f.problem.params)
    before[0] = init_values
    if all(before[e] is not None and _matches(entries[e], before[e][curve]) for e in known):  # type: ignore[index]
        return (
            "history-stale",
            DIAGNOSIS,
            f"{curve} is one epoch stale: each entry holds the value at the parameters before that epoch's steps, not after them",
        )
    if curve == "train_loss":
        costs = [[c.cost for s in epoch for c in s.calls if c.cost is not None] for epoch in f.epochs]
        if len(costs) == E and all(costs):
            candidates = {
                "history-last-batch": ([c[-1] for c in costs], "the last batch's cost"),
                "history-batch-mean": ([float(np.mean(c)) for c in costs], "the mean of the epoch's batch costs"),
                "history-batch-mean ": (_row_weighted(f), "the mean of the epoch's batch costs (weighted by rows)"),
                "history-batch-max": ([float(np.max(c)) for c in costs], "the largest of the epoch's batch costs"),
            }
            running = np.cumsum([x for c in costs for x in c]) / np.arange(1, sum(map(len, costs)) + 1)
            ends = np.cumsum([len(c) for c in costs]) - 1
            candidates["history-running-mean"] = (
                [float(running[i]) for i in ends],
                "a running mean of all batch costs so far",
            )
            pairs = [(c.cost, len(c.rows)) for epoch in f.epochs for s in epoch for c in s.calls if c.cost is not None]
            weighted = np.cumsum([cost * rows for cost, rows in pairs]) / np.cumsum([rows for _, rows in pairs])
            candidates["history-running-mean "] = (
                [float(weighted[i]) for i in ends],
                "a running mean of all batch costs so far (weighted by rows)",
            )
            for code, (values, what) in candidates.items():
                if len(values) == E and all(_matches(entries[e], [values[e]]) for e in range(E)):
                    return (
                        code.strip(),
                        DIAGNOSIS,
                        f"train_loss holds {what}, not the cost of the whole training set at the epoch's parameters",
                    )
    e = wrong[0]
    at_e = expected[e]
    assert at_e is not None
    accepted = at_e[curve]
    shown = f"{accepted[0]:.6g}" + (
        f" (with the penalty) or {accepted[1]:.6g} (without)" if curve.endswith("loss") else ""
    )
    return (
        "history-wrong",
        DIAGNOSIS,
        f"{curve}[{e}] is {float(entries[e]):.6g} where the whole {SETS[curve.split('_')[0]]} set gives {shown} at the parameters after epoch {e + 1} ({len(wrong)} of {len(known)} epochs checked differ)",
    )


def _row_weighted(f: Followed) -> list[float]:
    """Per epoch, the mean of its batch costs weighted by each batch's rows."""
    out = []
    for epoch in f.epochs:
        pairs = [(c.cost, len(c.rows)) for s in epoch for c in s.calls if c.cost is not None]
        if pairs:
            out.append(sum(cost * rows for cost, rows in pairs) / sum(rows for _, rows in pairs))
    return out


def _values_at(f: Followed, params: Params) -> dict[str, list[float]]:
    p = f.problem
    values: dict[str, list[float]] = {}
    for split, X, y in (("train", p.X_train, p.y_train), ("val", p.X_val, p.y_val)):
        values[f"{split}_loss"] = [net.cost(X, y, params, p.c), net.cost(X, y, params, 0.0)]
        acc = net.score(X, y, params)
        values[f"{split}_acc"] = [acc, 100 * acc]
    return values


def _params_after(f: Followed) -> list[tuple[str, str, str]]:
    """(code, level, message) for self.params after fit and for init_params."""
    out = []
    if f.status.get("init_changed"):
        out.append(
            (
                "init-modified",
                WARNING,
                f"fit changes init_params in place ({', '.join(f.status['init_changed'])}): the caller's initial parameters are lost; copy them first",
            )
        )
    info = f.status.get("params")
    if info is None or isinstance(info, str):
        out.append(
            (
                "params-missing",
                DIAGNOSIS,
                "self.params after fit is "
                + ("None" if info is None else f"a {info.strip('<>')}, not a dict of W1, b1, W2, b2"),
            )
        )
        return out
    final = {k: f.arrays[f"final_{k}"] for k in PARAM_KEYS}
    known = [(e, p) for e, p in enumerate(f.epoch_params) if p is not None]
    wrong_shape = [k for k in PARAM_KEYS if final[k].size != f.problem.params[k].size]
    if wrong_shape:
        shapes = ", ".join(f"{k} {final[k].shape}" for k in wrong_shape)
        out.append(("params-other", DIAGNOSIS, f"self.params after fit has {shapes}, not the parameters' sizes"))
        return out
    final = {k: final[k].reshape(f.problem.params[k].shape) for k in PARAM_KEYS}
    if len(known) < f.E:
        return out  # the note epochs-unchecked says which epochs could not be compared
    val_acc = [net.score(f.problem.X_val, f.problem.y_val, p) for _, p in known]
    best = [e for e, acc in enumerate(val_acc) if acc == max(val_acc)]
    close = [e for e, p in known if all(np.allclose(final[k], p[k], rtol=1e-9, atol=1e-12) for k in PARAM_KEYS)]
    last = f.E - 1
    if set(close) & set(best):
        return out
    references = info.get("best_references") or []
    if last in close and info.get("same_arrays") and references:
        # the source keeps "best" parameters without copying, and the run shows self.params is the arrays the
        # steps updated: both agree, so the cause is named (a warning still: what fit leaves is the final
        # parameters, which the spec ranks as a warning)
        ref = references[0]
        how = (
            "makes a new dict that holds the same arrays"
            if ref["shallow"]
            else "keeps a reference to the dict, not a copy of its arrays"
        )
        out.append(
            (
                "best-params-reference",
                WARNING,
                f"self.params holds the parameters after the last epoch (validation accuracy {val_acc[last]:.3g}), "
                f"not those of the best validation epoch (epoch {best[0] + 1}, {val_acc[best[0]]:.3g}): "
                f"`{ref['text']}` (line {ref['line']} of {ref['file']}) {how}, and the later steps update those "
                "arrays in place, so the best epoch's values are lost; copy the arrays: "
                f"{{k: v.copy() for k, v in {ref['of']}.items()}}",
            )
        )
    elif last in close:
        refs = " (they are the very arrays the steps update in place)" if info.get("same_arrays") else ""
        out.append(
            (
                "final-params",
                WARNING,
                f"self.params holds the parameters after the last epoch (validation accuracy {val_acc[last]:.3g}), not "
                f"those of the best validation epoch (epoch {best[0] + 1}, {val_acc[best[0]]:.3g}){refs}",
            )
        )
    elif close:
        out.append(
            (
                "params-wrong-epoch",
                DIAGNOSIS,
                f"self.params holds the parameters after epoch {close[0] + 1}, not those of the best validation epoch (epoch {best[0] + 1})",
            )
        )
    elif all(np.array_equal(final[k], f.problem.params[k]) for k in PARAM_KEYS):
        out.append(
            (
                "params-initial",
                DIAGNOSIS,
                "self.params after fit holds the initial parameters: the trained ones are never stored",
            )
        )
    else:
        out.append(
            (
                "params-other",
                DIAGNOSIS,
                f"self.params after fit matches the parameters of no epoch (the best by validation accuracy is epoch {best[0] + 1})",
            )
        )
    return out


CATALOGUE: tuple[Entry, ...] = (
    Entry("fit-crash", DIAGNOSIS, "fit raised an exception: its message, line, and the step where it happened", _crash),
    Entry("not-followed", DIAGNOSIS, "no cost_grad call on training rows", _not_followed),
    Entry(
        "rows-short-batch",
        DIAGNOSIS,
        "every batch but the last has batch_size − 1 rows and rows go unused",
        _short_batches,
    ),
    Entry(
        "last-batch-dropped",
        DIAGNOSIS,
        "floor(n/batch_size) full batches per epoch, the n mod batch_size other rows unused",
        _last_dropped,
    ),
    Entry("rows-resampled", DIAGNOSIS, "a row appears twice in one epoch", _resampled),
    Entry("rows-unused", DIAGNOSIS, "an epoch's steps use fewer than n distinct rows (no pattern above)", _rows_unused),
    Entry("no-shuffle", DIAGNOSIS, "every epoch takes the rows in the same order", _no_shuffle),
    Entry("xy-separated", DIAGNOSIS, "a row reaches cost_grad with a label that is not its own", _xy_separated),
    Entry(
        "c-not-passed",
        DIAGNOSIS,
        "a training call's c (passed or its default) is not the c given to fit",
        _c_not_passed,
    ),
    Entry(
        "batch-size-ignored",
        DIAGNOSIS,
        "the batches (but each epoch's last) have one size other than batch_size",
        _batch_ignored,
    ),
    Entry("epochs-ignored", DIAGNOSIS, "the steps cover a whole number of epochs other than epochs", _epochs_ignored),
    Entry(
        "stale-params",
        DIAGNOSIS,
        "consecutive calls at the same parameters, after which the sum of their steps is applied",
        _stale_params,
    ),
    Entry("decay-again", DIAGNOSIS, "W' − W = −a·(g + β·W) with β ≠ 0, the biases −a·g", _decay_again),
    Entry("momentum", DIAGNOSIS, "θ' − θ = −lr·g + μ·(the previous change), μ ≠ 0", _momentum),
    Entry("update-other", DIAGNOSIS, "a step that is no multiple of its gradient", _update_other),
)
"""The mistakes of the steps; those of the step size (:func:`_update_factor`: wrong-sign, lr-over-batch,
lr-ignored, lr-schedule), of the history (:func:`_history`) and of self.params (:func:`_params_after`) share a
finder each, since one measurement tells them apart."""

STEP_SIZE_CODES = ("wrong-sign", "lr-over-batch", "lr-ignored", "lr-schedule", "lr-no-decay")
HISTORY_CODES = ("history-missing", "history-keys", "history-padded", "history-extra", "history-length",
                 "history-stale", "history-last-batch", "history-batch-mean", "history-batch-max",
                 "history-running-mean", "history-wrong", "history-penalty")  # fmt: skip
PARAMS_CODES: tuple[str, ...] = (
    "init-modified",
    "params-missing",
    "final-params",
    "best-params-reference",
    "params-wrong-epoch",
    "params-initial",
    "params-other",
)
OPTIMIZER_CODES = ("nesterov", "adam", "rmsprop", "adagrad")
EXPLAINED_BY_OPTIMIZER = ("update-other", "momentum", "decay-again", "stale-params")
"""Step codes an optimizer found (:func:`find_optimizer`) explains: not said beside it."""
CODES = (*(entry.code for entry in CATALOGUE), *STEP_SIZE_CODES, *HISTORY_CODES, *PARAMS_CODES, *OPTIMIZER_CODES)
"""Every code of a training-loop finding that the judgement itself makes (the legend has a line for each)."""


def _epoch_params(f: Followed) -> None:
    """The parameters after each epoch: the next epoch's first step's; after the last, its last step taken by the
    rule the loop followed on the step before (spec SGD, or the factor, decay or momentum it was seen to use;
    unknown when no rule fitted).  And the file's own costs there, where it computed them."""
    own = f.status.get("own_costs", {})
    fits = _fits(f)
    out: list[Params | None] = []
    for e, epoch in enumerate(f.epochs[: f.E]):
        if e + 1 < len(f.epochs):
            nxt = f.epochs[e + 1][0]
            out.append(nxt.params)
            f.own[e] = own.get(f"k{nxt.calls[0].index}", [])
            continue
        last = epoch[-1]
        if f.status.get("exception") or last.grad() is None:
            out.append(None)
            continue
        if f.optimizer is not None and last is f.steps[-1]:  # the rule found, on the last step too
            out.append({k: last.params[k] + f.optimizer.deltas[-1][k] for k in PARAM_KEYS})
            continue
        if not fits:  # one step in all: the spec's step
            rule = StepFit(last, f.problem.lr, "mean")
            previous = None
        else:
            rule, previous = fits[-1], fits[-1].delta
        after = rule.apply(last, previous)
        out.append(after)
        spec_step = rule.factor is not None and _close(rule.factor, f.problem.lr) and rule.decay_again is None
        if after is not None and len(last.calls) == 1 and spec_step and rule.momentum is None:
            f.own[e] = own.get(f"s{last.calls[0].index}", [])
    f.epoch_params = out + [None] * (f.E - len(out))


ALIASES = {
    "batch_size": {"batch_size", "bs", "batch", "batchsize", "minibatch_size", "mini_batch_size", "n_batch"},
    "lr": {"lr", "learning_rate", "eta", "alpha", "step_size", "rate"},
    "c": {"c", "reg", "lam", "lmbda", "lambda_", "weight_decay", "wd", "l2", "reg_strength"},
    "epochs": {"epochs", "num_epochs", "n_epochs", "epoch", "max_epochs", "n_epoch"},
}
"""Names by which fit's last four parameters are known, to see a file whose order differs from the course's."""


def _signature_note(status: dict[str, Any]) -> Finding | None:
    """A warning where fit's parameters 6 to 9 have the names of others (so they received other values)."""
    names = status.get("fit_parameters")
    if not names or len(names) < 9:
        return None
    given = [name.lower() for name in names[5:9]]
    misplaced = [
        (name, spec)
        for name, spec in zip(given, ALIASES)
        if name not in ALIASES[spec] and any(name in ALIASES[other] for other in ALIASES if other != spec)
    ]
    if not misplaced:
        return None
    spec_order = "X_train, y_train, X_val, y_val, init_params, batch_size, lr, c, epochs"
    return Finding(
        "fit-signature",
        f"fit's parameters are ({', '.join(names[:9])}), in another order than the course's ({spec_order}); "
        f"they were passed by position, so {', '.join(f'{n} received {s}' for n, s in misplaced)}",
    )


def judge(problem: TrainProblem, status: dict[str, Any], arrays: dict[str, np.ndarray]) -> TrainingResult:
    """The training result of a followed run: the catalogue's findings, the history and self.params."""
    if status.get("interface") == "cs231n":
        return judge_cs231n(problem, status, arrays)
    f = follow(problem, status, arrays)
    result = TrainingResult(
        PASS, problem=problem.describe(), calls=status.get("total_calls", 0), steps=len(f.steps), epochs=len(f.epochs)
    )
    found: list[tuple[str, str, str]] = []
    if any(fit.factor is None for fit in _fits(f)):  # some step is no multiple of its gradient
        f.optimizer = find_optimizer(f)
    for entry in CATALOGUE:
        if f.optimizer is not None and entry.code in EXPLAINED_BY_OPTIMIZER:
            continue
        message = entry.find(f)
        if message is not None:
            found.append((entry.code, entry.level, message))
    if f.optimizer is not None:
        found.append((f.optimizer.code, DIAGNOSIS, f.optimizer.message))
    crashed = bool(status.get("exception"))
    if not crashed and f.steps and f.optimizer is None:
        factor = _update_factor(f)
        if factor is not None:
            found.append((factor[0], DIAGNOSIS, factor[1]))
    if not crashed:
        _epoch_params(f)
        if f.steps:
            found += _history(f)
        else:
            history = history_of(f.status)
            if history is None or any(len(v) != problem.epochs for v in history[1].values()):
                found.append(
                    ("history-length", DIAGNOSIS, f"the history does not hold {problem.epochs} entries per curve")
                )
        found += _params_after(f)
        ran = len(f.epochs)  # epochs never trained (an early stop) are not "could not be followed"
        unknown = [e + 1 for e, p in enumerate(f.epoch_params) if p is None and e < ran]
        if unknown and f.steps:
            result.notes.append(
                Finding(
                    "epochs-unchecked",
                    f"the history and self.params were not checked against epoch(s) {', '.join(map(str, unknown))}: the parameters after them could not be followed (see the steps above)",
                )
            )
    elif status.get("init_changed"):
        found += [x for x in _params_after(f) if x[0] == "init-modified"]
    for code, level, message in found:
        target = {DIAGNOSIS: result.diagnoses, WARNING: result.warnings, NOTE: result.notes}[level]
        target.append(Finding(code, message))
    signature = _signature_note(status)
    if signature is not None:
        result.warnings.append(signature)
    for level, finding in f.findings:
        {DIAGNOSIS: result.diagnoses, WARNING: result.warnings, NOTE: result.notes}[level].append(finding)
    if status.get("total_calls", 0) > train_worker.MAX_CALLS:
        result.notes.append(
            Finding(
                "calls-capped",
                f"fit made {status['total_calls']} cost_grad calls; the first {train_worker.MAX_CALLS} were followed",
            )
        )
    result.verdict = FAIL if result.diagnoses else PASS
    return result


def check_training(path: Path, options: Any, staged: Path | None = None) -> TrainingResult | None:
    """Run ``NetClassifier.fit`` of the file at ``path`` in the sandbox and judge it; None when the file has no
    training method (or could not be imported: the cost_grad check reports that)."""
    run: Run = run_worker(
        Path(path),
        problem_file(),
        interface=options.interface,
        banned=options.banned,
        limits=options.limits,
        contain=options.contained,
        staged=staged,
        script=Path(train_worker.__file__),
    )
    status = run.status
    problem = make_problem()
    if status is None:
        why = (
            f"fit did not finish within {options.limits.timeout:g} s: a loop that does not end, or far too slow"
            if run.timed_out
            else f"the process running fit exited with code {run.returncode} before reporting"
        )
        error = Finding("training-timeout" if run.timed_out else "worker-crashed", why)
        return TrainingResult(
            ERROR, problem=problem.describe(), error=error if run.unreadable is None else run.unreadable_finding()
        )
    if status.get("error") is not None or status.get("fit") is None:
        return None
    return judge(problem, status, run.arrays)


# ---- CS231n: TwoLayerNet.train ------------------------------------------------------------------------------


CS231N_HISTORY = ("loss_history", "train_acc_history", "val_acc_history")


def judge_cs231n(problem: TrainProblem, status: dict[str, Any], arrays: dict[str, np.ndarray]) -> TrainingResult:
    """CS231n's spec: each iteration a minibatch of batch_size rows (sampling with replacement is the
    assignment's), ``loss`` called with reg, ``params -= learning_rate·grads``, the learning rate multiplied by
    learning_rate_decay once per epoch (max(n/batch_size, 1) iterations), num_iters iterations,
    ``loss_history`` the loss of every iteration, ``train_acc_history`` and ``val_acc_history`` the accuracies
    the assignment records once per epoch, and ``self.params`` the parameters after the last iteration."""
    f = follow(problem, status, arrays)
    result = TrainingResult(
        PASS, entry="TwoLayerNet.train", interface="cs231n", problem=problem.describe_cs231n(),
        calls=status.get("total_calls", 0), steps=len(f.steps), epochs=0,
    )  # fmt: skip
    found: list[tuple[str, str]] = []
    exc = status.get("exception")
    if exc:
        t = len(f.steps)
        where = (
            f"at or after iteration {t} (its last call of loss with labels)" if t else "before its first call of loss"
        )
        inside = " inside loss" if exc.get("in_cost_grad") else ""
        found.append(("fit-crash", f"train raised {exc['message']}{inside} {where}"))
    elif not f.steps:
        found.append(("not-followed", "train never calls loss with labels: its steps cannot be followed"))
    for code, finder in (("xy-separated", _xy_separated), ("c-not-passed", _c_not_passed)):
        message = finder(f)
        if message is not None:
            found.append((code, message))
    bs, iters, lr, decay = problem.batch_size, problem.num_iters, problem.lr, problem.learning_rate_decay
    sizes = sorted({len(step.rows) for step in f.steps})
    if sizes and sizes != [bs]:
        found.append(
            (
                "batch-size-ignored",
                f"the minibatches have {', '.join(map(str, sizes))} rows where batch_size={bs} was given",
            )
        )
    if not exc and f.steps and len(f.steps) != iters:
        found.append(("epochs-ignored", f"train takes {len(f.steps)} steps where num_iters={iters} was given"))
    per_epoch = max(problem.cs_n / bs, 1)  # the assignment's iterations_per_epoch
    steps_found = _cs231n_steps(f, lr, decay, per_epoch)
    found += steps_found
    if not exc:
        found += _cs231n_history(f)
        found += _cs231n_acc_history(f, per_epoch)
        if not steps_found and len(f.steps) == iters:
            found += _cs231n_params(f)
    for code, message in found:
        result.diagnoses.append(Finding(code, message))
    result.verdict = FAIL if result.diagnoses else PASS
    return result


def _cs231n_steps(f: Followed, lr: float, decay: float, per_epoch: float) -> list[tuple[str, str]]:
    """The step sizes against learning_rate·learning_rate_decay^k, k growing by one once per epoch."""
    fits = _fits(f)
    bad = [
        i for i, fit in enumerate(fits) if fit.factor is None or fit.decay_again is not None or fit.momentum is not None
    ]
    if bad:
        return [
            (
                "update-other",
                f"iteration {bad[0]} is not params −= learning_rate·grads with the grads loss returned ({len(bad)} of {len(fits)} iterations followed differ)",
            )
        ]
    factors = [fit.factor for fit in fits if fit.factor is not None]
    if not factors:
        return []
    if all(a < 0 for a in factors):
        return [("wrong-sign", "every step adds learning_rate·grads instead of subtracting it: the loss climbs")]
    powers = [math.log(a / lr) / math.log(decay) if a > 0 else math.nan for a in factors]
    if any(not math.isfinite(k) or abs(k - round(k)) > 1e-6 for k in powers):
        i = next(i for i, k in enumerate(powers) if not math.isfinite(k) or abs(k - round(k)) > 1e-6)
        return [
            (
                "lr-ignored",
                f"iteration {i} steps by {factors[i]:.6g}·grads, which is learning_rate={lr:g} times no power of learning_rate_decay={decay:g}",
            )
        ]
    ks = [round(k) for k in powers]
    changes = [i for i in range(1, len(ks)) if ks[i] != ks[i - 1]]
    if not changes:
        if len(ks) > per_epoch + 1:
            return [
                (
                    "lr-no-decay",
                    f"every step uses learning_rate={lr:g}: the rate never decays, where the spec multiplies it by learning_rate_decay={decay:g} once per epoch (every {per_epoch:g} iterations)",
                )
            ]
        return []
    steady = all(ks[i] - ks[i - 1] == 1 for i in changes) and changes[0] <= per_epoch
    steady = steady and all(math.isclose(b - a, per_epoch) for a, b in zip(changes, changes[1:]))
    if steady:
        return []
    return [
        (
            "lr-schedule",
            f"the learning rate changes at iterations (0-based) {', '.join(map(str, changes[:6]))} (to {', '.join(f'{lr * decay ** ks[i]:.4g}' for i in changes[:6])}), where the spec multiplies it by learning_rate_decay={decay:g} once per epoch, every {per_epoch:g} iterations",
        )
    ]


def _cs231n_history(f: Followed) -> list[tuple[str, str]]:
    history = f.status.get("returned")
    if not isinstance(history, dict):
        return [
            (
                "history-missing",
                f"train returns {_described(history)}, not the dict of loss_history, train_acc_history, val_acc_history",
            )
        ]
    missing = [key for key in CS231N_HISTORY if not isinstance(history.get(key), list)]
    out = []
    if missing:
        out.append(
            (
                "history-keys",
                f"train's history has no {', '.join(missing)} (keys found: {', '.join(history) or 'none'})",
            )
        )
    losses = history.get("loss_history")
    costs = [step.calls[0].cost for step in f.steps]
    if isinstance(losses, list) and len(losses) != len(costs):
        out.append(("history-length", f"loss_history has {len(losses)} entries for {len(costs)} iterations"))
    elif isinstance(losses, list):
        wrong = [i for i, (v, c) in enumerate(zip(losses, costs)) if c is None or not _matches(v, [c])]
        if wrong:
            i = wrong[0]
            out.append(
                (
                    "history-wrong",
                    f"loss_history[{i}] is {losses[i]} where loss returned {costs[i]} at iteration {i} ({len(wrong)} of {len(costs)} entries differ)",
                )
            )
    return out


def _cs231n_after(f: Followed, it: int) -> Params | None:
    """The parameters after iteration ``it``: the next iteration's; after the last one, self.params (judged on
    its own by :func:`_cs231n_params`)."""
    if it + 1 < len(f.steps):
        return f.steps[it + 1].params
    if isinstance(f.status.get("params"), dict):
        return {k: _course(f.arrays[f"final_{k}"], k) for k in PARAM_KEYS}
    return None


def _cs231n_acc_history(f: Followed, per_epoch: float) -> list[tuple[str, str]]:
    """The assignment's accuracies: at each iteration with ``it % iterations_per_epoch == 0``, after that
    iteration's update, the accuracy on that iteration's minibatch and on the whole validation set."""
    history = f.status.get("returned")
    if not isinstance(history, dict):
        return []  # history-missing said it
    p = f.problem
    its = [it for it in range(len(f.steps)) if it % per_epoch == 0]
    out = []
    for key, split in (("train_acc_history", "train"), ("val_acc_history", "val")):
        entries = history.get(key)
        if not isinstance(entries, list):
            continue  # history-keys said it
        if len(entries) != len(its):
            out.append(
                (
                    "history-length",
                    f"{key} has {len(entries)} entries where the assignment records one per epoch: {len(its)} "
                    f"(iterations {_positions(its, 6)}, 0-based, where it % iterations_per_epoch == 0)",
                )
            )
            continue
        wrong, whole = [], True
        for j, it in enumerate(its):
            params = _cs231n_after(f, it)
            if params is None:
                continue
            step = f.steps[it]
            if split == "train":
                rows = step.rows
                labels = step.calls[0].labels
                y = np.asarray(labels if labels is not None and len(labels) == len(rows) else p.y_train[rows])
                acc = net.score(p.X_train[rows], y, params)
                whole = whole and _matches(entries[j], [net.score(p.X_train[: p.cs_n], p.y_train[: p.cs_n], params)])
            else:
                acc = net.score(p.X_val, p.y_val, params)
            if not _matches(entries[j], [acc, 100 * acc]):
                wrong.append((j, it, acc))
        if wrong:
            j, it, acc = wrong[0]
            what = "that iteration's minibatch" if split == "train" else "the validation set"
            why = (
                "; every entry is the accuracy on the whole training set, where the assignment records the current "
                "minibatch's (X_batch)"
                if split == "train" and whole
                else ""
            )
            out.append(
                (
                    "history-wrong",
                    f"{key}[{j}] is {_number(entries[j])} where the assignment's is {acc:.4g}, the accuracy on {what} "
                    f"after iteration {it}'s update ({len(wrong)} of {len(its)} entries differ){why}",
                )
            )
    return out


def _number(value: Any) -> str:
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return repr(value)


def _cs231n_params(f: Followed) -> list[tuple[str, str]]:
    """self.params after train: the parameters after the last iteration (params −= learning_rate·grads, at the
    learning rate decayed once per epoch so far)."""
    info = f.status.get("params")
    if not isinstance(info, dict):
        return [("params-missing", "self.params after train is not a dict of W1, b1, W2, b2")]
    last = f.steps[-1]
    g = last.grad()
    if g is None:
        return []
    p = f.problem
    final = {k: _course(f.arrays[f"final_{k}"], k) for k in PARAM_KEYS}
    # the rate of the last iteration: decayed once per epoch so far, whichever phase the decay has (the steps
    # before it were checked to follow one); any power of the decay up to one per iteration is accepted
    for decays in range(len(f.steps) + 1):
        rate = p.lr * p.learning_rate_decay**decays
        expected = {k: last.params[k] - rate * g[k] for k in PARAM_KEYS}
        if all(final[k].shape == expected[k].shape and np.allclose(final[k], expected[k], rtol=1e-9, atol=1e-12)
               for k in PARAM_KEYS):  # fmt: skip
            return []
    return [
        (
            "params-other",
            f"self.params after train is not the parameters after its last iteration ({len(f.steps) - 1}, 0-based: "
            "params −= learning_rate·grads at the decayed learning rate)",
        )
    ]
