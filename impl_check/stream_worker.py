"""The child process of ``compare.py train --impl``: run a file's ``NetClassifier.fit`` on a real data set and
stream every ``cost_grad`` call it makes to the grader, as it happens.

    python -I stream_worker.py IMPL.py PROBLEM.npz OUT_DIR [course|auto] [BANNED,NAMES]

Run by the sandbox as :mod:`impl_check.train_worker` is, with that script and worker.py beside it (loaded by
path: the recorder, the wrapping of ``cost_grad`` and the JSON of a history are theirs).  The difference is where
the record goes: a real data set trains for thousands of steps, and the parameters of every step do not fit in
memory (mnist5k, h=256: 200k parameters, 1.6 MB a step, ~2,660 steps), nor in a capped file.  So each call is
written to the pipe named by the problem's ``stream`` as soon as it is made, and the grader, reading the other
end, replays the step on the reference and keeps only the divergence.  The pipe holds 64 KiB: the loop waits
while the grader catches up, so neither side holds more than a step.

A message is ``<Q`` (the header's length), the header as JSON, then ``header["payload"]`` bytes.  One per call:
``{"split", "rows", "labels", "c", "c_passed", "params": "new"|"same"|null, "shapes"}``, the payload the four
parameters as float64, in ``PARAM_KEYS`` order, sent only when they differ from the last ones sent ("same": as
before; a batch assembled row by row is one set of parameters).  After fit, OUT_DIR/status.json holds what
``train_worker`` writes for fit (returned, history, exception, init_changed) and results.npz the final
``self.params``.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import struct
import sys
from pathlib import Path
from typing import Any, BinaryIO, Callable

import numpy as np


def _load(name: str) -> Any:
    """A script from beside this one, under a name no submission uses."""
    spec = importlib.util.spec_from_file_location(f"_impl_check_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TW = _load("train_worker")
W = TW.W
PARAM_KEYS = TW.PARAM_KEYS


def pack(header: dict[str, Any], payload: bytes = b"") -> bytes:
    """One message: the header's length, the header, the payload."""
    header = {**header, "payload": len(payload)}
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + payload


class StreamRecorder(TW.Recorder):  # type: ignore[name-defined]
    """The training check's recorder, writing each call to ``stream`` instead of keeping it."""

    def __init__(self, problem: dict[str, Any], impl: str, stream: BinaryIO) -> None:
        super().__init__(problem, impl)
        self.stream = stream
        self.sent: list[np.ndarray] | None = None  # the parameters last sent

    def record(
        self,
        original: Callable[..., Any],
        signature: inspect.Signature | None,
        skip: int,
        via: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        index = self.total
        self.total += 1
        call = self.describe_safely(signature, skip, via, args, kwargs, index)
        if call is None:
            self.total -= 1
            return original(*args, **kwargs)
        payload = b""
        params = [self.arrays.pop(f"k{index}_{key}") for key in PARAM_KEYS if f"k{index}_{key}" in self.arrays]
        if call.get("params") and len(params) == len(PARAM_KEYS):
            call["shapes"] = [list(p.shape) for p in params]
            if self.sent is not None and all(
                a.shape == b.shape and np.array_equal(a, b) for a, b in zip(params, self.sent)
            ):
                call["params"] = "same"
            else:
                call["params"] = "new"
                payload = b"".join(np.ascontiguousarray(p, dtype="<f8").tobytes() for p in params)
                self.sent = params
        else:
            call["params"] = None
        self.stream.write(pack({"call": index, **call}, payload))
        try:
            return original(*args, **kwargs)
        except BaseException as exc:
            self.stream.write(pack({"raised": W.describe_exception(exc, self.impl), "call": index}))
            raise


def main(argv: list[str]) -> int:
    impl, problem_file, out_dir = os.path.abspath(argv[0]), argv[1], Path(argv[2])
    ban = W.ImportBan({name for name in (argv[4] if len(argv) > 4 else "").split(",") if name})
    sys.meta_path.insert(0, ban)
    status: dict[str, Any] = {"stage": "import", "error": None, "fit": None}
    with np.load(problem_file, allow_pickle=False) as data:
        problem = {key: data[key] for key in data.files}
    sys.path.insert(0, os.path.dirname(impl))
    with W.captured():
        try:
            module = W.load_module(impl)
        except BaseException as exc:  # noqa: BLE001 -- the grader reports it
            status["error"] = {"code": "import-error", "message": W.describe_exception(exc, impl)}
    if status["error"] is not None:
        W.write_json(out_dir / "status.json", status)
        return 0
    cls = W.find_fit(module)
    if cls is None:
        status["stage"] = "done"
        status["cs231n"] = W.find_train(module) is not None
        W.write_json(out_dir / "status.json", status)
        return 0
    status["interface"], status["fit"] = "course", "NetClassifier.fit"
    with open(str(problem["stream"]), "wb") as stream:
        recorder = StreamRecorder(problem, impl, stream)
        status["wrapped"] = TW.install(module, cls, recorder)
        init = {key: problem[key].copy() for key in PARAM_KEYS}
        args = [problem["X_train"].copy(), problem["y_train"].copy(), problem["X_val"].copy()]
        args += [problem["y_val"].copy(), init, int(problem["batch_size"]), float(problem["lr"])]
        args += [float(problem["c"]), int(problem["epochs"])]
        np.random.seed(int(problem["seed"]))  # a loop that shuffles with the global state: the same on every run
        status["stage"] = "fit"
        instance = returned = None
        with W.captured():
            try:
                instance = cls()
                returned = instance.fit(*args)
            except BaseException as exc:  # noqa: BLE001 -- the user's exception is the result
                status["exception"] = {
                    "message": W.describe_exception(exc, impl),
                    "calls_before": recorder.total,
                    "in_init": instance is None,
                }
    status["total_calls"] = recorder.total
    status["returned"] = TW.plain(returned)
    status["history"] = TW.plain(getattr(instance, "history", None)) if instance is not None else None
    status["init_changed"] = [k for k in PARAM_KEYS if not np.array_equal(init[k], problem[k])]
    final = getattr(instance, "params", None) if instance is not None else None
    arrays: dict[str, Any] = {}
    if isinstance(final, dict) and all(k in final for k in PARAM_KEYS):
        try:
            arrays = {f"final_{k}": np.array(final[k], dtype=np.float64) for k in PARAM_KEYS}
        except (TypeError, ValueError):
            arrays = {}
    W.save_arrays(out_dir / "results.npz", arrays)
    status["banned_imports"] = ban.attempted
    status["stage"] = "done"
    W.write_json(out_dir / "status.json", status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
