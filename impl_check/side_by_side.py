"""``compare.py train --impl``: a file's own ``NetClassifier.fit`` on a real data set, the torch reference beside
it, step for step.

    result = side_by_side(path, data, init, config, options, tol=..., on_step=...)   # SideBySide

The file's ``fit`` runs in the sandbox (:func:`impl_check.sandbox.run_worker`, the caps of ``check --impl``) with
:mod:`impl_check.stream_worker`, which sends every ``cost_grad`` call down a pipe as it is made.  Here, reading
the other end while fit runs, each step is replayed on :class:`torch_ref.TorchTrainer`: the same rows in the same
order (a step: the training calls made at one set of parameters), from the same initial parameters, with the
configured lr and c; the user's parameters after a step are those the next call is given.  After every step the
divergence ``max over W1, b1, W2, b2 of max|θ_user − θ_torch| / max|θ_torch|`` is kept, and nothing else: the
run needs memory for one step, whatever its length.

The reference takes the user's batches, so that the divergence measures the update (lr, c, the sign, momentum,
a schedule, the gradients).  Which rows a batch holds is measured on its own: each step is checked against the
spec's batches (every row once an epoch, batches of batch_size but the last, a new order each epoch, X and y
together), and the first step that leaves it is the batches' departure.  The two part at the earlier of the
parameters' first crossing and the batches' departure.
"""

from __future__ import annotations

import dataclasses
import json
import os
import select
import shutil
import struct
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from scratch_net import PARAM_KEYS, Params
from scratch_net.training import TrainConfig

from . import stream_worker, train_worker
from .sandbox import Run, run_worker
from .training import history_of
from .units import SUB, stage_file

READ_BYTES = 1 << 20
"""Read from the pipe this much at a time."""
CURVES = ("train_loss", "train_acc", "val_loss", "val_acc")
POLL_S = 0.05
"""How often the reader looks whether fit has ended, while the pipe is quiet."""


class CannotRun(Exception):
    """The file cannot be trained: it does not import, has no fit, crashed, or ran past its caps. One line."""


@dataclass
class Departure:
    """The first step whose batch leaves the spec's batches."""

    step: int
    epoch: int  # 0-based here, 1-based in the report
    code: str
    message: str


@dataclass
class SideBySide:
    """What came of a run: per step the divergence, the worst parameter, the epoch, the rows; both histories."""

    tol: float
    divergence: list[float | None] = field(default_factory=list)  # None: the step's result was not seen
    worst_param: list[str] = field(default_factory=list)
    epoch: list[int] = field(default_factory=list)
    batch_rows: list[int] = field(default_factory=list)
    reference_history: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in CURVES})
    user_history: dict[str, list[Any]] | None = None
    history_from: str | None = None  # "fit's return value" or "self.history"
    departure: Departure | None = None
    calls: int = 0
    unmeasured: str | None = None  # why the last step's result could not be compared, if it could not
    status: dict[str, Any] = field(default_factory=dict)

    def first_crossing(self) -> dict[str, Any] | None:
        """The first step whose divergence exceeds the tolerance (NaN counts), or None."""
        for step, div in enumerate(self.divergence):
            if div is not None and not div <= self.tol:
                return {"step": step, "epoch": self.epoch[step], "param": self.worst_param[step], "divergence": div}
        return None

    @property
    def max_divergence(self) -> float:
        return max((d for d in self.divergence if d is not None), default=0.0)


def problem_arrays(data: Mapping[str, np.ndarray], init: Params, config: TrainConfig, stream: Path) -> dict[str, Any]:
    """What the worker reads: the splits, the start, the hyper-parameters, the seed, the pipe's path."""
    arrays: dict[str, Any] = {key: np.asarray(data[key]) for key in ("X_train", "y_train", "X_val", "y_val")}
    arrays.update({key: np.asarray(init[key]) for key in PARAM_KEYS})
    arrays.update(batch_size=config.batch_size, lr=config.lr, c=config.c, epochs=config.epochs, seed=config.seed)
    arrays["stream"] = np.array(str(stream))
    return arrays


class _Messages:
    """The worker's messages, from the bytes read so far; refuses a message larger than a call's can be (the
    file's code shares the worker's process and could write on the pipe: it must not make the grader hold
    more than a step)."""

    def __init__(self, max_header: int, max_payload: int) -> None:
        self.buffer = bytearray()
        self.max_header, self.max_payload = max_header, max_payload

    def feed(self, chunk: bytes) -> list[tuple[dict[str, Any], bytes]]:
        self.buffer += chunk
        out = []
        while len(self.buffer) >= 8:
            (size,) = struct.unpack_from("<Q", self.buffer)
            if size > self.max_header:
                raise ValueError(f"a message header of {size} bytes (at most {self.max_header})")
            if len(self.buffer) < 8 + size:
                break
            header = json.loads(bytes(self.buffer[8 : 8 + size]))
            payload = int(header["payload"])
            if not 0 <= payload <= self.max_payload:
                raise ValueError(f"a payload of {payload} bytes (the parameters take {self.max_payload})")
            end = 8 + size + payload
            if len(self.buffer) < end:
                break
            out.append((header, bytes(self.buffer[8 + size : end])))
            del self.buffer[:end]
        return out


class _Replay:
    """Follows the calls: steps, epochs, the reference's step and the divergence after each, the batches' spec."""

    def __init__(self, data: Mapping[str, np.ndarray], init: Params, config: TrainConfig, result: SideBySide,
                 device: str, on_step: Callable[[int], None] | None, penalty: str = "full") -> None:  # fmt: skip
        from torch_ref import TorchTrainer

        # the reference's penalty is c·ΣW²; a file whose cost_grad takes (c/2)·ΣW² (--penalty half) is followed
        # by a reference given c/2
        reference = dataclasses.replace(config, c=config.c / 2) if penalty == "half" else config
        self.trainer = TorchTrainer(data["X_train"], data["y_train"], data["X_val"], data["y_val"], init, reference,
                                    device)  # fmt: skip
        self.y_train = np.asarray(data["y_train"])
        self.n = len(self.y_train)
        self.config, self.result, self.on_step = config, result, on_step
        self.params: Params | None = None  # the user's, as last sent
        self.pending: list[int] = []  # rows of the training calls made at self.params, not yet a step
        self.pending_mislabelled = 0  # rows given with another row's label
        self.pending_calls = 0
        self.pending_c: list[float | None] = []
        self.epoch = 0
        self.epoch_rows: set[int] = set()  # rows used in this epoch
        self.epoch_first: list[int] | None = None  # this epoch's first batch
        self.previous_first: list[int] | None = None
        self.evaluated = False  # an evaluation on a whole set since the last step
        self.evaluates = False  # the loop has made an evaluation between two steps
        self.steps_in_epoch = 0
        self.epoch_sizes: list[tuple[int, int]] = []  # (step, rows) of this epoch's steps

    # ---- messages
    def take(self, header: dict[str, Any], payload: bytes) -> None:
        if "raised" in header:
            return
        self.result.calls += 1
        if header.get("params") == "new":
            shapes = header["shapes"]
            values = np.frombuffer(payload, dtype="<f8")
            params, at = {}, 0
            for key, shape in zip(PARAM_KEYS, shapes):
                size = int(np.prod(shape))
                params[key] = values[at : at + size].reshape(shape)
                at += size
            self.finish_step(params)
            self.params = params
        rows = header.get("rows") or []
        if header.get("split") == "train" and rows and rows != list(range(self.n)):
            if header.get("params") == "same" and self.pending[-len(rows) :] == rows:
                return  # the same batch again at the same parameters (its cost logged, then its gradients)
            self.pending += rows
            labels = header.get("labels")
            if labels is not None and len(labels) == len(rows):
                self.pending_mislabelled += int(np.sum(np.asarray(labels) != self.y_train[rows]))
            self.pending_c.append(header.get("c"))
            self.pending_calls += 1
        elif header.get("split") in ("train", "val") and rows:
            self.evaluated = True

    def finish_step(self, after: Params | None) -> None:
        """The pending rows were one step, whose result is ``after`` (None: not seen)."""
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        mislabelled, self.pending_mislabelled = self.pending_mislabelled, 0
        calls, self.pending_calls = self.pending_calls, 0
        cs, self.pending_c = self.pending_c, []
        # epochs end at an evaluation when the loop makes them; until it has, when the next step would repeat a
        # row of the epoch or the epoch has used every row
        by_rows = not self.evaluates and (len(self.epoch_rows) >= self.n or bool(self.epoch_rows.intersection(rows)))
        new_epoch = self.steps_in_epoch > 0 and (self.evaluated or by_rows)
        self.evaluates = self.evaluates or (self.evaluated and self.steps_in_epoch > 0)
        if new_epoch:
            self.end_epoch()
        step = len(self.result.batch_rows)
        self.spec(step, rows, mislabelled, cs, new_epoch, calls)
        self.epoch_rows.update(rows)
        if self.epoch_first is None:
            self.epoch_first = rows
        self.steps_in_epoch += 1
        self.evaluated = False
        self.trainer.step(np.asarray(rows, dtype=np.int64), with_cost=False)
        self.result.batch_rows.append(len(rows))
        self.result.epoch.append(self.epoch)
        if after is None:
            self.result.unmeasured = (
                f"the result of the last step ({step}) was not seen: fit made no cost_grad call after it"
            )
            self.result.divergence.append(None)
            self.result.worst_param.append("-")
        else:
            from torch_ref import param_divergence

            div, worst = param_divergence(after, self.trainer.current_params())
            self.result.divergence.append(div)
            self.result.worst_param.append(worst)
        if self.on_step is not None:
            self.on_step(step)

    def end_epoch(self) -> None:
        """The reference's curves at the epoch's end; the epoch's batches against the spec, as a whole."""
        for split in ("train", "val"):
            loss, acc = self.trainer.evaluate(split)
            self.result.reference_history[f"{split}_loss"].append(loss)
            self.result.reference_history[f"{split}_acc"].append(acc)
        b, n, used, sizes = self.config.batch_size, self.n, len(self.epoch_rows), self.epoch_sizes
        e = self.epoch + 1
        short = [(step, size) for step, size in sizes[:-1] if size < b]  # the last batch may be smaller
        if used < n and short:  # the first batch the missing rows should have been in
            step, size = short[0]
            self.depart(step, "rows-unused", f"a batch of {size} rows where the spec takes {b}, and epoch {e} "
                                             f"leaves {n - used} of {n} rows unused")  # fmt: skip
        elif used < n:  # every batch full: the rows left over were the spec's last batch, the step after these
            self.depart(sizes[-1][0] + 1, "rows-unused", f"epoch {e} ended with {n - used} of {n} rows never used: "
                        f"the spec takes them in a last, smaller batch", epoch=self.epoch + 1)  # fmt: skip
        elif len(sizes) > 1 and len({size for _, size in sizes[:-1]}) == 1 and sizes[0][1] < b:
            self.depart(sizes[0][0], "batch-size-ignored",
                        f"epoch {e} takes batches of {sizes[0][1]} rows where batch_size={b} was given")  # fmt: skip
        self.previous_first, self.epoch_first = self.epoch_first, None
        self.epoch += 1
        self.epoch_rows = set()
        self.epoch_sizes = []
        self.steps_in_epoch = 0

    def depart(self, step: int, code: str, message: str, epoch: int | None = None) -> None:
        """Keep the earliest departure from the spec's batches."""
        if self.result.departure is None or step < self.result.departure.step:
            epoch = self.epoch if epoch is None else epoch
            if step < len(self.result.epoch):
                epoch = self.result.epoch[step]
            self.result.departure = Departure(step, epoch, code, message)

    def spec(
        self, step: int, rows: list[int], mislabelled: int, cs: list[float | None], new_epoch: bool, calls: int
    ) -> None:
        """The step's batch against the spec's (what an epoch's batches do as a whole: :meth:`end_epoch`)."""
        b, c = self.config.batch_size, self.config.c
        self.epoch_sizes.append((step, len(rows)))
        if len(set(rows)) < len(rows) or self.epoch_rows.intersection(rows):
            self.depart(step, "rows-resampled", "the batch repeats a row already used in this epoch")
        elif mislabelled:
            self.depart(step, "xy-separated", f"{mislabelled} of the batch's {len(rows)} rows reached cost_grad with "
                                              f"another row's label")  # fmt: skip
        elif len(rows) > b and calls > 1:  # a batch assembled call by call has at most batch_size rows
            self.depart(step, "stale-params", f"{calls} calls of cost_grad ({len(rows)} rows) at the same "
                        f"parameters, one step where batch_size={b} makes several: gradients taken at a stale "
                        f"snapshot of the parameters")  # fmt: skip
        elif len(rows) > b:
            self.depart(step, "batch-size-ignored", f"a batch of {len(rows)} rows where batch_size={b} was given")
        elif new_epoch and self.previous_first is not None and rows == self.previous_first:
            self.depart(step, "no-shuffle", f"epoch {self.epoch + 1} starts with the same batch, in the same order, "
                                            f"as epoch {self.epoch}: the order does not change between epochs")  # fmt: skip
        wrong = [v for v in cs if v is None or not np.isclose(v, c, rtol=1e-12, atol=0)]
        if wrong:
            self.depart(step, "c-not-passed", f"cost_grad was called with c={wrong[0]} (fit was given c={c:g})")

    def finish(self) -> None:
        """After fit: the last step (its result unseen), the last epoch, and the number of epochs."""
        self.finish_step(None)
        if self.steps_in_epoch:
            self.end_epoch()
        ran, given = self.epoch, self.config.epochs
        if ran > given:
            self.depart(self.result.epoch.index(given), "epochs-ignored",
                        f"fit trains for {ran} epochs where epochs={given} was given")  # fmt: skip
        elif ran < given:
            self.depart(len(self.result.epoch), "epochs-ignored",
                        f"fit stops after {ran} epochs where epochs={given} was given", epoch=ran)  # fmt: skip


def side_by_side(
    path: Path,
    data: Mapping[str, np.ndarray],
    init: Params,
    config: TrainConfig,
    options: Any,
    *,
    tol: float,
    device: str = "cpu",
    on_step: Callable[[int], None] | None = None,
) -> SideBySide:
    """Run the file's ``fit`` on ``data`` from ``init`` with ``config`` in the sandbox, the reference beside it.

    Parameters
    ----------
    path : the user's .py file.
    data : X_train (n, d), y_train (n,), X_val (m, d), y_val (m,) (:func:`parity_run.datasets.load_dataset`).
    init : the start of both, course layout (W1 (d, h), b1 (h,), W2 (h, k), b2 (k,)).
    config : batch_size, lr, c, epochs given to fit; seed seeds NumPy's global generator before fit.
    options : :class:`impl_check.checker.Options` (the caps, the containment, the imports allowed).
    tol : the divergence tolerance.
    on_step : called with each step's index as it is measured (a progress bar).

    Raises
    ------
    CannotRun
        One line: the file does not import, has no ``NetClassifier.fit``, fit raised (the exception, its line,
        the step and epoch), or ran past the time or memory cap.
    """
    result = SideBySide(tol)
    folder = Path(tempfile.mkdtemp(prefix="impl_check_train_"))
    try:
        impl = stage_file(Path(path), folder / SUB)
        fifo = folder / "steps.fifo"
        os.mkfifo(fifo)
        problem = folder / "problem.npz"
        np.savez(problem, **problem_arrays(data, init, config, fifo))
        replay = _Replay(data, init, config, result, device, on_step, getattr(options, "penalty", "full"))
        done: list[Run] = []
        failed: list[BaseException] = []

        def work() -> None:
            try:
                done.append(run_worker(impl, problem, interface="course", banned=options.banned,
                                       limits=options.limits, contain=options.contained, staged=folder,
                                       script=Path(stream_worker.__file__),
                                       helpers=(Path(train_worker.__file__),)))  # fmt: skip
            except BaseException as exc:  # noqa: BLE001 -- raised again in the caller's thread
                failed.append(exc)

        # read and write: opening never waits for the worker, and the pipe never ends while we hold it: the end
        # is the worker's exit (it may never open the pipe: an import error)
        fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        n_rows = len(data["y_train"]) + len(data["y_val"])
        messages = _Messages(
            max_header=4096 + 40 * n_rows, max_payload=8 * sum(int(np.size(init[k])) for k in PARAM_KEYS)
        )
        replay_error: BaseException | None = None
        try:
            while True:
                alive = thread.is_alive()
                ready, _, _ = select.select([fd], [], [], POLL_S if alive else 0)
                if not ready:
                    if alive:
                        continue
                    break
                chunk = os.read(fd, READ_BYTES)
                if replay_error is not None:
                    continue  # keep draining: fit waits on the pipe
                try:
                    for header, payload in messages.feed(chunk):
                        replay.take(header, payload)
                except Exception as exc:  # noqa: BLE001 -- raised once fit has ended
                    replay_error = exc
        finally:
            os.close(fd)
            thread.join()
        if failed:
            raise failed[0]
        run = done[0]
        explain(run, result, options)
        if replay_error is not None:  # what the file's process wrote on the pipe could not be read as calls
            raise CannotRun(
                f"the record of fit's calls could not be read: {type(replay_error).__name__}: {replay_error}"
            )
        replay.finish()
        history = history_of(run.status or {})
        if history is not None:
            result.history_from, result.user_history = history
        result.status = run.status or {}
        if not result.divergence:
            raise CannotRun(
                "fit never called cost_grad on the training rows as given: its steps cannot be followed "
                "(check --impl compares its results only)"
            )
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def explain(run: Run, result: SideBySide, options: Any) -> None:
    """Raise :class:`CannotRun` for a run that ended without a fit to compare."""
    status = run.status
    if status is None:
        if run.timed_out:
            raise CannotRun(f"fit did not finish within {options.limits.timeout:g} s (--timeout)")
        if run.unreadable is not None:
            raise CannotRun(run.unreadable_finding().message)
        raise CannotRun(
            f"the process running fit exited with code {run.returncode} before reporting"
            f" (the memory cap is {options.limits.memory_mb} MB: --memory-mb)"
        )
    if status.get("error"):
        raise CannotRun(f"cannot import it: {status['error']['message']}")
    if status.get("fit") is None:
        cs231n = " (CS231n's TwoLayerNet.train is not followed by train --impl yet)" if status.get("cs231n") else ""
        raise CannotRun(f"no NetClassifier.fit to train{cs231n}")
    exception = status.get("exception")
    if exception:
        steps = len(result.divergence)
        where = (
            "in NetClassifier()" if exception.get("in_init")
            else "before its first step" if not steps
            else f"after {steps} step(s), in epoch {result.epoch[-1] + 1}"
        )  # fmt: skip
        raise CannotRun(f"fit raised {exception['message']} {where}")


def build_report(
    config: Mapping[str, Any],
    result: SideBySide,
    training: Any,
    env: Mapping[str, Any],
) -> dict[str, Any]:
    """``report.json`` of a run (all but ``runtime_s``); epochs 1-based.

    Parameters
    ----------
    config : the settings in force, the file, the data's sizes.
    result : :func:`side_by_side`'s.
    training : the training-loop check of the file on its small problem (:func:`impl_check.training.check_training`,
        a ``TrainingResult`` or None), whose diagnoses explain a parting.
    env : :func:`parity_run.run_report.environment`.

    Keys: ``config``, ``environment``, ``user`` (its history and where it was found), ``reference`` (torch_ref's
    history on the same batches, penalty included), ``steps`` (per step: epoch, rows, divergence, parameter),
    ``ties`` (none: kept for the figures), ``tolerance``, ``max_divergence``, ``first_crossing`` (the
    parameters'), ``batch_departure`` (the batches'), ``parted`` (the earlier of the two), ``verdict``,
    ``diagnosis`` (``training``'s JSON), ``notes``, ``calls``.
    """
    crossing = result.first_crossing()
    if crossing is not None:
        crossing["epoch"] += 1
    departure = result.departure
    batch = None if departure is None else {"step": departure.step, "epoch": departure.epoch + 1,
                                              "code": departure.code, "message": departure.message}  # fmt: skip
    parted: dict[str, Any] | None = None
    if batch is not None and (crossing is None or batch["step"] <= crossing["step"]):
        if crossing is None:
            after = "; the parameters stayed within the tolerance"
        elif crossing["step"] == batch["step"]:
            after = f"; the parameters parted at the same step, in {crossing['param']}"
        else:
            after = f"; the parameters parted at step {crossing['step']} (epoch {crossing['epoch']}), in {crossing['param']}"
        parted = {"step": batch["step"], "epoch": batch["epoch"], "param": None, "by": "batches",
                  "why": f"the batches left the spec: {batch['message']} (the reference took the same rows, each with its own label{after})"}  # fmt: skip
    elif crossing is not None:
        parted = {"step": crossing["step"], "epoch": crossing["epoch"], "param": crossing["param"], "by": "parameters",
                  "why": f"the parameters differ by {crossing['divergence']:.3e} (relative) in {crossing['param']}, "
                         f"over the tolerance {result.tol:.3e}, after the same rows"}  # fmt: skip
    notes = [] if result.unmeasured is None else [result.unmeasured]
    if result.user_history is None:
        notes.append("fit returned no history and left none in self.history: curves.png shows the reference's alone")
    return {
        "config": dict(config),
        "environment": dict(env),
        "user": {"history": result.user_history, "history_from": result.history_from},
        "reference": {"history": result.reference_history},
        "steps": [
            {"step": i, "epoch": e + 1, "rows": r, "divergence": d, "param": p}
            for i, (e, r, d, p) in enumerate(
                zip(result.epoch, result.batch_rows, result.divergence, result.worst_param)
            )
        ],
        "ties": [],
        "tolerance": result.tol,
        "max_divergence": result.max_divergence,
        "first_crossing": crossing,
        "batch_departure": batch,
        "parted": parted,
        "verdict": "pass" if parted is None else "fail",
        "diagnosis": None if training is None else training.to_dict(),
        "notes": notes,
        "calls": result.calls,
    }
