"""The child process of the training check: import a file, run its ``NetClassifier.fit``, record every
``cost_grad`` call it makes.

    python -I train_worker.py IMPL.py PROBLEM.npz OUT_DIR [course|cs231n|auto] [BANNED,NAMES]

Run by the sandbox exactly as :mod:`impl_check.worker` is (that script lies beside this one in the run folder:
its helpers are loaded from it by path), standard library and NumPy only.  The user's ``cost_grad`` is wrapped
wherever ``fit`` may find it: the class attribute (keeping its kind: static, class or instance method) and the
module global, so that ``self.cost_grad``, ``NetClassifier.cost_grad`` and a bare ``cost_grad`` all go through
the recorder.  Then ``NetClassifier().fit(X_train, y_train, X_val, y_val, init_params, batch_size, lr, c,
epochs)`` is called positionally (the 2018 edition names c ``reg``) on the problem the checker made.

Recorded, per call (the first ``MAX_CALLS``): the rows received (each training and validation row is distinct,
so a row maps back to its index), the labels, c and whether it was passed, the parameters given, the cost and
gradients returned; after fit: what it returned, ``self.history``, ``self.params``, whether ``init_params``
changed, an exception with its line and the call at which it happened; and the file's own cost at the
parameters of every call, on the whole training and validation sets, with c and without (so that a history can
be judged against the file's own cost as well as the reference's).  Arrays go to ``OUT_DIR/results.npz``
(float64, no pickle), the rest to ``OUT_DIR/status.json``.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import math
import os
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

import numpy as np

MAX_CALLS = 400
NEAREST_FLOATS = 4_000_000  # floats compared at once when matching rounded rows (32 MB)
"""Calls recorded; later calls are counted only (the time cap still bounds the run)."""
CS231N_LOSS = "TwoLayerNet.loss"
"""How a call of CS231n's loss is marked: its parameters are ``self.params``, its c is ``reg``."""


def _load_worker() -> Any:
    """worker.py from beside this script, under a name no submission uses."""
    path = Path(__file__).with_name("worker.py")
    spec = importlib.util.spec_from_file_location("_impl_check_worker", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


W = _load_worker()
PARAM_KEYS = W.PARAM_KEYS


class Recorder:
    """Every outermost ``cost_grad`` call: rows, labels, c, parameters in, cost and gradients out."""

    def __init__(self, problem: dict[str, Any], impl: str) -> None:
        self.impl = impl
        self.d = problem["X_train"].shape[1]
        self.rows = {
            split: {row.tobytes(): i for i, row in enumerate(np.asarray(problem[f"X_{split}"], dtype=np.float64))}
            for split in ("train", "val")
        }
        self.data = {split: np.asarray(problem[f"X_{split}"], dtype=np.float64) for split in ("train", "val")}
        self.calls: list[dict[str, Any]] = []
        self.arrays: dict[str, np.ndarray] = {}
        self.total = 0
        self.depth = 0  # a cost_grad that calls the other wrapped one is recorded once
        self.last_params: Any = None  # the dict object the last call was given (to see updates in place)
        self.evaluate: Callable[..., Any] | None = None  # the original function, as fit called it

    def identify(self, X: Any) -> tuple[str, list[int]]:
        """("train"|"val"|"unknown", row indices) of the rows of X."""
        try:
            arr = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            return "unknown", []
        if arr.ndim == 1 and arr.shape[0] == self.d:
            arr = arr.reshape(1, -1)
        if arr.ndim != 2 or arr.shape[1] != self.d:
            return "unknown", []
        for split, index in self.rows.items():
            found = [index.get(np.ascontiguousarray(row).tobytes()) for row in arr]
            if found and all(i is not None for i in found):
                return split, [int(i) for i in found]  # type: ignore[arg-type]
        for split, data in self.data.items():  # rows rounded (float32): the nearest row, within float32's eps
            if arr.shape[0] == 0:
                break
            tol = 1e-6 * (1 + np.abs(arr).max())
            # a few rows at a time: all at once is (rows given × rows of the set × d) floats, gigabytes on a real
            # data set (64 × 5000 × 784 for mnist5k in train --impl), past the sandbox's memory cap
            step = max(1, NEAREST_FLOATS // data.size)
            nearest: list[int] = []
            for start in range(0, arr.shape[0], step):
                distance = np.abs(arr[start : start + step, None, :] - data[None, :, :]).max(axis=2)
                best = distance.argmin(axis=1)
                if not np.all(distance[np.arange(best.shape[0]), best] <= tol):
                    break  # a row with no match: not this set
                nearest += [int(i) for i in best]
            else:
                return split, nearest
        return "unknown", []

    def wrap(self, original: Callable[..., Any], signature_of: Callable[..., Any], skip: int, via: str) -> Any:
        """A function that records the call and returns what ``original`` returns. ``skip``: leading
        parameters that are not (X, y, params, c) (self or cls)."""
        try:
            signature: inspect.Signature | None = inspect.signature(signature_of)
        except (TypeError, ValueError):
            signature = None
        recorder = self

        def recorded(*args: Any, **kwargs: Any) -> Any:
            if recorder.depth:
                return original(*args, **kwargs)
            recorder.depth += 1
            try:
                return recorder.record(original, signature, skip, via, args, kwargs)
            finally:
                recorder.depth -= 1

        recorded.__wrapped__ = original  # type: ignore[attr-defined]
        return recorded

    def describe(
        self,
        signature: inspect.Signature | None,
        skip: int,
        via: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        index: int,
    ) -> dict[str, Any] | None:
        """What a call is given: its rows, labels, c, parameters (saved as arrays); None for CS231n's
        ``loss(X)`` without labels (predict's scores, not a step)."""
        X = y = params = None
        c: Any = None
        c_passed = False
        if signature is not None:
            try:
                bound = signature.bind(*args, **kwargs)
                names = [
                    p.name
                    for p in signature.parameters.values()
                    if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                ][skip:]
                given = bound.arguments
                bound.apply_defaults()
                values = [bound.arguments.get(n) for n in names] + [None] * 4  # short signatures padded
                if via == CS231N_LOSS:  # loss(self, X, y=None, reg=0.0): the parameters are the net's own
                    X, y, c = values[:3]
                    params = getattr(args[0], "params", None) if args else None
                    c_passed = len(names) > 2 and names[2] in given
                else:
                    X, y, params, c = values[:4]
                    c_passed = len(names) > 3 and names[3] in given
            except TypeError:  # arguments the signature does not take: the call itself raises below
                pass
        if X is None and len(args) > skip:  # no named parameters to bind (def cost_grad(*args)): by position
            X, y, params, c, *_ = [*args[skip:], None, None, None][:4]
            c_passed = len(args) > skip + 3
        if via == CS231N_LOSS and y is None:  # scores for predict: not a training call
            return None
        split, rows = self.identify(X)
        call: dict[str, Any] = {"via": via, "split": split, "rows": rows, "c_passed": c_passed}
        try:
            call["labels"] = [int(v) for v in np.asarray(y).reshape(-1)]
        except (TypeError, ValueError):
            call["labels"] = None
        try:
            call["c"] = None if c is None else float(c)
        except (TypeError, ValueError):
            call["c"] = None
        if isinstance(params, dict) and all(k in params for k in PARAM_KEYS):
            try:
                for key in PARAM_KEYS:
                    self.arrays[f"k{index}_{key}"] = np.array(params[key], dtype=np.float64)
                call["params"] = True
                call["dtype"] = str(np.asarray(params["W1"]).dtype)
            except (TypeError, ValueError):
                call["params"] = False
            self.last_params = params
        else:
            call["params"] = False
        return call

    def describe_safely(
        self,
        signature: inspect.Signature | None,
        skip: int,
        via: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        index: int,
    ) -> dict[str, Any] | None:
        """:meth:`describe`, or a call of unknown rows where describing it raised."""
        try:
            return self.describe(signature, skip, via, args, kwargs, index)
        except Exception:  # noqa: BLE001 -- recording must never break the user's call
            return {"via": via, "split": "unknown", "rows": [], "c_passed": False, "labels": None, "c": None,
                    "params": False}  # fmt: skip

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
        if index >= MAX_CALLS:
            return original(*args, **kwargs)
        described = self.describe_safely(signature, skip, via, args, kwargs, index)
        if described is None:
            self.total -= 1
            return original(*args, **kwargs)
        call = described
        self.calls.append(call)
        try:
            returned = original(*args, **kwargs)
        except BaseException as exc:
            call["raised"] = W.describe_exception(exc, self.impl)
            raise
        try:
            status, message, arrays, _ = W.unpack(returned)
        except Exception:  # noqa: BLE001 -- a return value NumPy cannot read: no gradients recorded
            status, message, arrays = "bad_return", "unreadable", {}
        call["status"] = status
        if message:
            call["message"] = message
        for key, value in arrays.items():
            self.arrays[f"g{index}_{key}"] = value
        return returned


def run_cs231n(cls: Any, problem: dict[str, Any], recorder: Recorder, status: dict[str, Any], impl: str) -> Any:
    """``TwoLayerNet(d, h, k, std=1e-4)``, its params set to the problem's, then ``train(X, y, X_val, y_val,
    learning_rate, learning_rate_decay, reg, num_iters, batch_size, verbose=False)`` positionally; returns the
    net (None if it could not be built)."""
    raw = vars(cls).get("loss")
    if raw is not None and callable(raw):
        cls.loss = recorder.wrap(raw, raw, 1, CS231N_LOSS)
        status["wrapped"] = ["TwoLayerNet.loss"]
    n = int(problem["cs_n"])
    d, h = problem["W1"].shape
    k = problem["W2"].shape[1]
    net = None
    with W.captured():
        try:
            net = cls(d, h, k, std=1e-4)
            net.params = {
                key: problem[key].reshape(-1).copy() if key[0] == "b" else problem[key].copy() for key in PARAM_KEYS
            }
            returned = net.train(
                problem["X_train"][:n].copy(), problem["y_train"][:n].copy(), problem["X_val"].copy(),
                problem["y_val"].copy(), float(problem["lr"]), float(problem["cs_decay"]), float(problem["c"]),
                int(problem["cs_iters"]), int(problem["batch_size"]), False,
            )  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 -- the user's exception is the result
            returned = None
            status["exception"] = {
                "message": W.describe_exception(exc, impl),
                "calls_before": recorder.total,
                "in_cost_grad": bool(recorder.calls and "raised" in recorder.calls[-1]),
                "in_init": net is None,
            }
    status["returned"] = plain(returned)
    status["history"] = None
    return net


def install(module: Any, cls: Any, recorder: Recorder) -> list[str]:
    """Replace NetClassifier.cost_grad (same kind) and the module's cost_grad with recorders; what was wrapped."""
    wrapped = []
    for klass in cls.__mro__:
        raw = vars(klass).get("cost_grad")
        if raw is None:
            continue
        if isinstance(raw, staticmethod):
            func = raw.__func__
            cls.cost_grad = staticmethod(recorder.wrap(func, func, 0, "NetClassifier.cost_grad"))
            wrapped.append("NetClassifier.cost_grad (staticmethod)")
        elif isinstance(raw, classmethod):
            func = raw.__func__
            cls.cost_grad = classmethod(recorder.wrap(func, func, 1, "NetClassifier.cost_grad"))
            wrapped.append("NetClassifier.cost_grad (classmethod)")
        elif callable(raw):
            params = list(inspect.signature(raw).parameters)
            skip = 1 if params and params[0] == "self" else 0
            wrapper = recorder.wrap(raw, raw, skip, "NetClassifier.cost_grad")
            cls.cost_grad = wrapper if skip else staticmethod(wrapper)
            wrapped.append("NetClassifier.cost_grad")
        break
    function = vars(module).get("cost_grad")
    if callable(function) and not inspect.isclass(function):
        module.cost_grad = recorder.wrap(function, function, 0, "cost_grad")
        wrapped.append("module-level cost_grad")
    return wrapped


SHALLOW_COPIES = ("copy", "dict")
"""``x.copy()``, ``dict(x)``, ``copy.copy(x)``: a new dict whose arrays are still the loop's."""


def best_references(function: Any, impl: str) -> list[dict[str, Any]]:
    """Assignments in ``function``'s source that keep "best" parameters without copying their arrays:
    ``best_params = params`` (or ``self.params``), or a shallow copy of the dict (``params.copy()``,
    ``dict(params)``, ``copy.copy(params)``) of a dict fit gives cost_grad.  Each as {"line" (in the user's file),
    "file", "text", "of" (the dict), "shallow"}; the
    judgement names the mistake only where the run shows that self.params ended as the arrays the steps updated.
    """
    try:
        lines, first = inspect.getsourcelines(function)
        if os.path.abspath(inspect.getsourcefile(function) or "") != impl:
            return []
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, ValueError):
        return []
    given = {"self.params"}  # what the steps train: the dicts fit hands to cost_grad
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node.func) == "cost_grad":
            argument = (
                node.args[2]
                if len(node.args) > 2
                else next((k.value for k in node.keywords if k.arg == "params"), None)
            )
            if argument is not None:
                given.add(ast.unparse(argument))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
        if "best" not in name.lower():
            continue
        value, shallow = node.value, False
        if isinstance(value, ast.Call):
            func = value.func
            called = _called(func)
            if called not in SHALLOW_COPIES:
                continue
            if isinstance(func, ast.Attribute) and called == "copy" and not value.args:
                value = func.value  # params.copy()
            elif len(value.args) == 1 and not value.keywords:
                value = value.args[0]  # dict(params), copy.copy(params)
            else:
                continue
            shallow = True
        if isinstance(value, (ast.Name, ast.Attribute)) and ast.unparse(value) in given:
            found.append(
                {
                    "line": first + node.lineno - 1,
                    "file": Path(impl).name,
                    "text": ast.unparse(node),
                    "of": ast.unparse(value),
                    "shallow": shallow,
                }
            )
    return found


def _called(func: ast.expr) -> str:
    """The name a call calls: ``f`` of ``f(...)``, ``m`` of ``x.m(...)``."""
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def plain(value: Any) -> Any:
    """A history as JSON: a dict of lists of numbers (non-finite as strings); anything else as its type's name."""
    if value is None:
        return None
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, entries in value.items():
            try:
                numbers = [float(v) for v in np.asarray(entries, dtype=np.float64).reshape(-1)]
            except (TypeError, ValueError):
                out[str(key)] = f"<{type(entries).__name__}>"
                continue
            out[str(key)] = [v if math.isfinite(v) else str(v) for v in numbers]
        return out
    return f"<{type(value).__name__}>"


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
        except BaseException as exc:  # noqa: BLE001 -- the cost_grad check reports import failures
            status["error"] = {"code": "import-error", "message": W.describe_exception(exc, impl)}
    if status["error"] is not None:
        W.write_json(out_dir / "status.json", status)
        return 0
    cls = W.find_fit(module)
    if cls is None:
        cs231n = W.find_train(module)
        if cs231n is None:
            status["stage"] = "done"  # no training method: nothing to check
            W.write_json(out_dir / "status.json", status)
            return 0
        recorder = Recorder(problem, impl)
        status["fit"], status["interface"] = "TwoLayerNet.train", "cs231n"
        np.random.seed(0)
        net = run_cs231n(cs231n, problem, recorder, status, impl)
        status["calls"], status["total_calls"] = recorder.calls, recorder.total
        status["init_changed"], status["own_costs"], status["banned_imports"] = [], {}, ban.attempted
        arrays: dict[str, Any] = recorder.arrays  # Any: savez's stub types **kwds oddly
        final = getattr(net, "params", None)
        status["params"] = None
        if isinstance(final, dict) and all(key in final for key in PARAM_KEYS):
            for key in PARAM_KEYS:
                arrays[f"final_{key}"] = np.array(final[key], dtype=np.float64)
            status["params"] = {"same_arrays": False, "is_init": False}
        W.save_arrays(out_dir / "results.npz", arrays)
        status["stage"] = "done"
        W.write_json(out_dir / "status.json", status)
        return 0
    recorder = Recorder(problem, impl)
    status["interface"] = "course"
    status["fit"] = "NetClassifier.fit"
    try:
        status["fit_parameters"] = [p for p in inspect.signature(cls.fit).parameters if p != "self"]
    except (TypeError, ValueError):
        status["fit_parameters"] = None
    status["wrapped"] = install(module, cls, recorder)
    init = {key: problem[key].copy() for key in PARAM_KEYS}
    args = [problem["X_train"].copy(), problem["y_train"].copy(), problem["X_val"].copy(), problem["y_val"].copy()]
    args += [init, int(problem["batch_size"]), float(problem["lr"]), float(problem["c"]), int(problem["epochs"])]
    np.random.seed(0)  # a loop that shuffles with the global state does the same on every run
    status["stage"] = "fit"
    instance = None
    with W.captured():
        try:
            instance = cls()
            returned = instance.fit(*args)
        except BaseException as exc:  # noqa: BLE001 -- the user's exception is the result
            returned = None
            status["exception"] = {
                "message": W.describe_exception(exc, impl),
                "calls_before": recorder.total,
                "in_cost_grad": bool(recorder.calls and "raised" in recorder.calls[-1]),
                "in_init": instance is None,
            }
    status["calls"] = recorder.calls
    status["total_calls"] = recorder.total
    status["returned"] = plain(returned)
    status["history"] = plain(getattr(instance, "history", None)) if instance is not None else None
    status["init_changed"] = [k for k in PARAM_KEYS if not np.array_equal(init[k], problem[k])]
    arrays = recorder.arrays
    final = getattr(instance, "params", None) if instance is not None else None
    status["params"] = None
    if isinstance(final, dict) and all(k in final for k in PARAM_KEYS):
        try:
            for key in PARAM_KEYS:
                arrays[f"final_{key}"] = np.array(final[key], dtype=np.float64)
            last = recorder.last_params
            status["params"] = {
                # the very arrays the last call was given (and the loop updates in place), not copies of them
                "same_arrays": bool(isinstance(last, dict) and all(final[k] is last.get(k) for k in PARAM_KEYS)),
                "is_init": all(final[k] is init[k] for k in PARAM_KEYS),
                "best_references": best_references(cls.fit, impl),
            }
        except (TypeError, ValueError):
            status["params"] = f"<{type(final).__name__}>"
    elif final is not None:
        status["params"] = f"<{type(final).__name__}>"
    status["own_costs"] = own_costs(recorder, problem, instance, cls, module, status)
    saved: dict[str, Any] = arrays  # Any: savez's stub types **kwds oddly
    status["banned_imports"] = ban.attempted
    W.save_arrays(out_dir / "results.npz", saved)
    status["stage"] = "done"
    W.write_json(out_dir / "status.json", status)
    return 0


def own_costs(
    recorder: Recorder, problem: dict[str, Any], instance: Any, cls: Any, module: Any, status: dict[str, Any]
) -> dict[str, list[Any]]:
    """The file's own cost on the whole training and validation sets, with c and with 0, at the parameters of
    each training-row call ("k{i}"), and at the last one that is not on the whole set in order, less lr times its
    gradients ("s{i}", after a spec step): each [train_c, train_0, val_c, val_0], None where it raised."""
    raw = vars(cls).get("cost_grad")
    if raw is not None:
        function: Any = (
            getattr(instance, "cost_grad", None) if instance is not None else getattr(cls, "cost_grad", None)
        )
    else:
        function = getattr(module, "cost_grad", None)
    out: dict[str, list[Any]] = {}
    if not callable(function):
        return out
    recorder.depth += 1  # not recorded
    lr, c = float(problem["lr"]), float(problem["c"])

    def costs(params: dict[str, np.ndarray]) -> list[Any]:
        values: list[Any] = []
        for split in ("train", "val"):
            for decay in (c, 0.0):
                try:
                    with W.captured():
                        cost = function(
                            problem[f"X_{split}"].copy(),
                            problem[f"y_{split}"].copy(),
                            {k: v.copy() for k, v in params.items()},
                            decay,
                        )[0]
                    values.append(float(cost))
                except BaseException:  # noqa: BLE001
                    values.append(None)
        return values

    arrays = recorder.arrays
    train = [i for i, call in enumerate(recorder.calls) if call["split"] == "train" and call["params"]]
    try:
        previous: dict[str, np.ndarray] | None = None
        values: list[Any] = []
        for i in train:  # computed once per distinct parameters (the calls of a step assembled row by row, an
            # evaluation and the next step share them), given for every call
            params = {key: arrays[f"k{i}_{key}"] for key in PARAM_KEYS}
            if previous is None or any(not np.array_equal(params[k], previous[k]) for k in PARAM_KEYS):
                values = costs(params)
            out[f"k{i}"] = values
            previous = params
        whole = list(range(len(problem["y_train"])))
        steps = [i for i in train if recorder.calls[i]["rows"] != whole]  # not an evaluation of the whole set
        last = steps[-1] if steps else None
        if last is not None and all(f"g{last}_{key}" in arrays for key in PARAM_KEYS):
            params = {key: arrays[f"k{last}_{key}"] for key in PARAM_KEYS}
            stepped = {}
            for key in PARAM_KEYS:
                g = arrays[f"g{last}_{key}"]
                stepped[key] = params[key] - lr * (g.reshape(params[key].shape) if g.size == params[key].size else 0)
            out[f"s{last}"] = costs(stepped)
    finally:
        recorder.depth -= 1
    status["own_costs_via"] = getattr(function, "__name__", "cost_grad")
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
