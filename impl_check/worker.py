"""The child process: import a third-party file, call its ``cost_grad`` on the probes, save what came back.

    python -I worker.py IMPL.py PROBLEMS.npz OUT_DIR [course|cs231n|auto] [BANNED,NAMES]

Runs in its own process (in a sandbox, with resource caps: :mod:`impl_check.sandbox`)
so that the file may print, hang, crash or import anything without touching
the checker.  It is a standalone script, copied next to the submission and
run by path: it needs only the standard library and NumPy (importing torch
here would cost seconds per check), and the project's packages are not
importable from it.  Results go to ``OUT_DIR/results.npz`` (float64 arrays, packed by :func:`save_arrays`,
read back with ``allow_pickle=False``) and ``OUT_DIR/status.json``.

Whatever the file prints goes to this process's stdout and stderr, which the
parent points at one capped file; the status records, for the import and for
each call, where its output starts and ends in that file.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib.abc
import importlib.util
import inspect
import json
import os
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np

PARAM_KEYS = ("W1", "b1", "W2", "b2")
GRAD_ALIASES = {
    "W1": ("d_w1", "W1", "dW1", "dw1", "d_W1"),
    "b1": ("d_b1", "b1", "db1", "d_B1"),
    "W2": ("d_w2", "W2", "dW2", "dw2", "d_W2"),
    "b2": ("d_b2", "b2", "db2", "d_B2"),
}
"""Accepted gradient keys per parameter: the course's d_w1 style or the params' own names."""


def describe_exception(exc: BaseException, path: str) -> str:
    """``"ValueError: message (line 12 of impl.py)"``, the line being the deepest one in the user's file."""
    text = f"{type(exc).__name__}: {exc}".rstrip(": ")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == path]
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"SyntaxError: {exc.msg} (line {exc.lineno} of {Path(path).name})"
    if frames:
        text += f" (line {frames[-1].lineno} of {Path(path).name})"
    return text


def output_offset() -> int:
    """Where the next byte of output goes in the parent's output file (stdout and stderr share it)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a full file (the size cap) or a stream the file closed
            pass
    try:
        return os.lseek(1, 0, os.SEEK_CUR)
    except OSError:  # not a file (run by hand in a terminal)
        return 0


@contextlib.contextmanager
def captured() -> Any:
    """Record where user code's output lands, and its Python warnings (the first 50 kinds)."""
    span = [output_offset(), 0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield span, caught
        finally:
            del caught[50:]
            span[1] = output_offset()


class ImportBan(importlib.abc.MetaPathFinder):
    """Refuses the top-level packages in ``banned`` and remembers who asked.

    Gradients must be computed by hand: a file that imports an autograd
    library, or this project's own packages, fails with a finding that names
    the import.  (Code in this process could remove the ban; the sandbox
    hides the project's packages as well.)
    """

    def __init__(self, banned: set[str]) -> None:
        self.banned = banned
        self.attempted: list[str] = []

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        top = fullname.split(".")[0]
        if top in self.banned:
            if top not in self.attempted:
                self.attempted.append(top)
            raise ImportError(f"{top} may not be imported by a submission: its gradients must be computed by hand")
        return None


def load_module(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("checked_impl", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules["checked_impl"] = module
    spec.loader.exec_module(module)
    return module


def find_cost_grad(module: Any) -> tuple[Callable[..., Any], str]:
    """``NetClassifier.cost_grad`` (static, class, plain or instance method) or a module-level ``cost_grad``."""
    cls = getattr(module, "NetClassifier", None)
    if inspect.isclass(cls) and "cost_grad" in vars(cls):
        klass: Any = cls  # the user's class: any attributes
        raw = vars(cls)["cost_grad"]
        if isinstance(raw, staticmethod):
            return klass.cost_grad, "NetClassifier.cost_grad (staticmethod)"
        if isinstance(raw, classmethod):
            return klass.cost_grad, "NetClassifier.cost_grad (classmethod)"
        if callable(raw):
            params = list(inspect.signature(raw).parameters)
            if params and params[0] == "self":
                try:
                    instance = klass()
                except Exception as exc:
                    raise LookupError(
                        "NetClassifier.cost_grad is an instance method and NetClassifier() cannot be "
                        f"built without arguments ({type(exc).__name__}: {exc}); make it a @staticmethod"
                    ) from None
                return instance.cost_grad, "NetClassifier.cost_grad (instance method)"
            return raw, "NetClassifier.cost_grad (plain function in the class)"
    if callable(getattr(module, "cost_grad", None)):
        return module.cost_grad, "module-level cost_grad"
    raise LookupError("no NetClassifier.cost_grad and no module-level cost_grad function")


def find_two_layer_net(module: Any) -> tuple[Callable[..., Any], str]:
    """CS231n's ``TwoLayerNet``: a call ``(X, y, params, c)`` that builds the net at the problem's size,
    gives it ``params`` in its own layout (biases (H,), (C,)) and returns ``net.loss(X, y, reg=c)``."""
    cls = getattr(module, "TwoLayerNet", None)
    if not (inspect.isclass(cls) and callable(getattr(cls, "loss", None))):
        raise LookupError("no TwoLayerNet class with a loss method")
    klass: Any = cls  # the user's class: any attributes

    def call(X: np.ndarray, y: np.ndarray, params: dict[str, np.ndarray], c: float) -> Any:
        d, h = params["W1"].shape
        net = klass(d, h, params["W2"].shape[1], std=1e-4)
        # views of the caller's arrays: an in-place change shows as a modified input
        net.params = {key: value.reshape(-1) if key.startswith("b") else value for key, value in params.items()}
        return net.loss(X, y, reg=c)

    return call, "TwoLayerNet.loss (cs231n: built at each problem's size, its params set, loss(X, y, reg=c))"


def find_fit(module: Any) -> Any:
    """The user's NetClassifier when it defines fit, else None."""
    cls = getattr(module, "NetClassifier", None)
    if inspect.isclass(cls) and callable(getattr(cls, "fit", None)):
        return cls
    return None


def find_train(module: Any) -> Any:
    """CS231n's TwoLayerNet when it defines train and loss, else None."""
    cls = getattr(module, "TwoLayerNet", None)
    if inspect.isclass(cls) and callable(getattr(cls, "train", None)) and callable(getattr(cls, "loss", None)):
        return cls
    return None


def find_entry(module: Any, interface: str) -> tuple[Callable[..., Any], str, str]:
    """The function to call ``(X, y, params, c)``, what it is, and the interface: as asked, or the first found."""
    if interface == "cs231n":
        return (*find_two_layer_net(module), "cs231n")
    try:
        return (*find_cost_grad(module), "course")
    except LookupError as course_missing:
        if interface == "course":
            raise
        try:
            return (*find_two_layer_net(module), "cs231n")
        except LookupError:
            raise LookupError(f"{course_missing}, and no TwoLayerNet class with a loss method") from None


def decay_default(module: Any, entry: Callable[..., Any], interface: str) -> list[Any] | None:
    """``[name, value]`` of the weight decay's parameter where it has a numeric default, else None: the 4th
    positional parameter of ``cost_grad(X, y, params, c)``, or ``reg`` of ``TwoLayerNet.loss``."""
    try:
        if interface == "cs231n":
            parameter = inspect.signature(module.TwoLayerNet.loss).parameters.get("reg")
        else:
            positional = [
                p
                for p in inspect.signature(entry).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            parameter = positional[3] if len(positional) > 3 else None
    except Exception:  # noqa: BLE001 -- no signature to read (a builtin; a class that makes reading it fail)
        return None
    if parameter is None or isinstance(parameter.default, bool):
        return None
    if not isinstance(parameter.default, (int, float, np.integer, np.floating)):
        return None  # no default, or None or a string: not a weight decay applied silently
    return [parameter.name, float(parameter.default)]


def near_misses(defined: dict[str, tuple[str, ...] | None]) -> list[str]:
    """What looks like a misspelt NetClassifier, cost_grad, TwoLayerNet or loss, with what was meant.

    ``defined`` maps each top-level name to its class's attribute names (None for what is not a class). Returns
    phrases such as ``"class NetClassifer: did you mean NetClassifier?"``; close is difflib's ratio of at least
    0.8 with case ignored. The grader (:mod:`impl_check.units`, from the source) and this worker (from the
    module, when no entry point is found) both use it.
    """

    def close(word: str, names: list[str]) -> str | None:
        lowered = {name.lower(): name for name in names}
        match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.8)
        return lowered[match[0]] if match else None

    classes = [name for name, attrs in defined.items() if attrs is not None]
    found = []
    for cls, method in (("NetClassifier", "cost_grad"), ("TwoLayerNet", "loss")):
        attrs = defined.get(cls)
        if attrs is not None and method not in attrs:
            near = close(method, list(attrs))
            if near is not None:
                found.append(f"{cls}.{near}: did you mean {cls}.{method}?")
        elif cls not in defined:
            near = close(cls, classes)
            if near is not None:
                found.append(f"class {near}: did you mean {cls}?")
    if "cost_grad" not in defined:
        near = close("cost_grad", [name for name, attrs in defined.items() if attrs is None])
        if near is not None:
            found.append(f"{near}: did you mean cost_grad?")
    return found


def unpack(returned: Any) -> tuple[str, str, dict[str, np.ndarray], list[str]]:
    """(status, message, arrays, quantities returned as None) from what cost_grad returned."""
    if returned is None:
        return "none", "cost_grad returned None", {}, []
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        what = f"a {type(returned).__name__}" + (
            f" of length {len(returned)}" if isinstance(returned, (tuple, list)) else ""
        )
        return "bad_return", f"got {what}, not a pair", {}, []
    cost, grads = returned
    if not isinstance(grads, dict):
        return (
            "bad_return",
            f"grads must be a dict with keys d_w1, d_b1, d_w2, d_b2; got {type(grads).__name__}",
            {},
            [],
        )
    arrays: dict[str, np.ndarray] = {}
    none = []  # a template's placeholders: judged as not implemented, not as numbers
    if cost is None:
        none.append("cost")
    else:
        try:
            cost_arr = np.asarray(cost, dtype=np.float64)
        except (TypeError, ValueError):
            return "bad_return", f"the cost must be a number; got {type(cost).__name__}", {}, []
        if cost_arr.size != 1:
            return "bad_return", f"the cost must be a scalar; got shape {cost_arr.shape}", {}, []
        arrays["cost"] = cost_arr.reshape(())
    missing = []
    for key, aliases in GRAD_ALIASES.items():
        found = next((alias for alias in aliases if alias in grads), None)
        if found is None:
            missing.append(aliases[0])
            continue
        if grads[found] is None:
            none.append(key)
            continue
        try:
            arrays[key] = np.array(grads[found], dtype=np.float64)
        except (TypeError, ValueError):
            return "bad_return", f"grads['{found}'] is not a numeric array; got {type(grads[found]).__name__}", {}, []
    if missing:
        got = ", ".join(map(str, grads)) or "none"
        return "bad_return", f"grads lacks {', '.join(missing)} (keys found: {got})", {}, []
    return "ok", "", arrays, none


def call_once(
    cost_grad: Callable[..., Any], problem: dict[str, Any], path: str
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """One call on fresh copies; report what it returned, printed, warned and modified."""
    X, y, c = problem["X"].copy(), problem["y"].copy(), float(problem["c"])
    params = {key: problem[key].copy() for key in PARAM_KEYS}
    originals = dict(params)  # the same array objects, to see replaced entries
    info: dict[str, Any] = {}
    with captured() as (span, caught):
        try:
            returned = cost_grad(X, y, params, c)  # c positional: some name it reg
        except BaseException as exc:  # noqa: BLE001 -- the user's exception is the result
            returned, info["exception"] = None, describe_exception(exc, path)
    info["output_span"] = span
    info["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    modified = [name for name, arr in (("X", X), ("y", y)) if not np.array_equal(arr, problem[name])]
    for key in PARAM_KEYS:
        if params.get(key) is not originals[key] or not np.array_equal(originals[key], problem[key]):
            modified.append(f"params['{key}']")
    info["modified"] = modified
    if "exception" in info:
        info["status"], info["message"] = "exception", info.pop("exception")
        return info, {}
    info["status"], info["message"], arrays, info["none"] = unpack(returned)
    return info, arrays


def probe_softmax(
    softmax: Callable[..., Any], Z: np.ndarray, path: str
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The module's softmax on a 2-D Z (rows = samples), row by row (some take one vector at a time), and on Z.T
    (some keep samples as columns)."""
    info: dict[str, Any] = {"status": "ok", "messages": []}
    outputs: dict[str, np.ndarray] = {}
    calls = {
        "softmax": lambda: softmax(Z.copy()),
        "softmax_rows": lambda: np.stack([np.reshape(softmax(row.copy()), -1) for row in Z]),
        "softmax_columns": lambda: softmax(Z.T.copy()),
    }
    with captured():
        for key, call in calls.items():
            try:
                out = np.asarray(call(), dtype=np.float64)
            except BaseException as exc:  # noqa: BLE001
                info["messages"].append(describe_exception(exc, path))
                continue
            if out.shape == Z.shape:  # Z is square: the transposed call keeps the shape
                outputs[key] = out
            else:
                info["messages"].append(f"softmax of a {Z.shape} array returned shape {out.shape}")
    if not outputs:
        info["status"] = "exception"
    return info, outputs


INDEX = "index"
"""The member of results.npz that says where each array lies (:func:`save_arrays`)."""


def save_arrays(path: Path, arrays: dict[str, Any]) -> None:
    """``arrays`` (name -> array) as one .npz of a few members: the arrays of each dtype end to end in one flat
    array (``flat0``, ``flat1``, ...), and ``index``, JSON as bytes: each name's member, shape and offset.

    A training run's record is thousands of small arrays; as members of their own they took a tenth of a second to
    write and more to read back (each member a zip entry with a header to parse), as a few they take milliseconds.
    The host reads them back with :func:`impl_check.sandbox.load_arrays`.
    """
    members: dict[str, list[np.ndarray]] = {}
    names: dict[str, str] = {}  # dtype -> its member
    sizes: dict[str, int] = {}
    index: dict[str, list[Any]] = {}
    for name, value in arrays.items():
        array = np.asarray(value)
        kind = array.dtype.str
        member = names.setdefault(kind, f"flat{len(names)}")
        index[name] = [member, list(array.shape), sizes.get(member, 0)]
        members.setdefault(member, []).append(array.reshape(-1))
        sizes[member] = sizes.get(member, 0) + array.size
    packed: dict[str, Any] = {member: np.concatenate(parts) for member, parts in members.items()}
    packed[INDEX] = np.frombuffer(json.dumps(index).encode(), dtype=np.uint8)
    np.savez(path, **packed)


def write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    impl, problems_file, out_dir = os.path.abspath(argv[0]), argv[1], Path(argv[2])
    interface = argv[3] if len(argv) > 3 else "auto"
    ban = ImportBan({name for name in (argv[4] if len(argv) > 4 else "").split(",") if name})
    sys.meta_path.insert(0, ban)
    status: dict[str, Any] = {"stage": "import", "error": None, "entry": None, "calls": [], "softmax": None}
    with np.load(problems_file, allow_pickle=False) as data:
        problems = [
            {key: data[f"p{i}_{key}"] for key in ("X", "y", "c", *PARAM_KEYS)} for i in range(int(data["count"]))
        ]
        softmax_Z = data["softmax_Z"]
    sys.path.insert(0, os.path.dirname(impl))  # sibling imports work as when the file runs as a script
    with captured() as (span, _):
        try:
            module = load_module(impl)
        except MemoryError as exc:
            status["error"] = {
                "code": "memory-cap",
                "message": f"importing the file ran out of memory: {describe_exception(exc, impl)}",
            }
        except ModuleNotFoundError as exc:
            status["error"] = {
                "code": "missing-module",
                "message": f"the file imports a module that cannot be found: {exc.name!r} ({describe_exception(exc, impl)})",
                "module": exc.name,  # the checker says how to install it
            }
        except BaseException as exc:  # noqa: BLE001 -- SyntaxError, SystemExit, anything at import
            status["error"] = {
                "code": "import-error",
                "message": f"importing the file failed: {describe_exception(exc, impl)}",
            }
    status["import_span"] = span
    status["banned_imports"] = ban.attempted
    if status["error"] is None:
        status["stage"] = "find"
        # whether the training check has a loop to follow (train_worker runs it): else it is not started at all
        status["trains"] = find_fit(module) is not None or find_train(module) is not None
        try:
            cost_grad, status["entry"], status["interface"] = find_entry(module, interface)
            status["decay_default"] = decay_default(module, cost_grad, status["interface"])
        except LookupError as exc:
            defined = {
                name: tuple(vars(value)) if inspect.isclass(value) else None
                for name, value in vars(module).items()
                if not name.startswith("__")
            }
            misses = near_misses(defined)
            status["error"] = {"code": "no-cost-grad", "message": "; ".join([str(exc), *misses])}
    if status["error"] is not None:
        write_json(out_dir / "status.json", status)
        return 0

    arrays: dict[str, Any] = {}  # Any: savez's stub types **kwds oddly
    for i, problem in enumerate(problems):
        info, returned = call_once(cost_grad, problem, impl)
        status["calls"].append(info)
        arrays.update({f"p{i}_{key}": value for key, value in returned.items()})
    # the first problem that returned, once more with the same inputs: a dropout or a sampling left on differs
    again = next((i for i, info in enumerate(status["calls"]) if info["status"] == "ok"), None)
    if again is not None:
        info, returned = call_once(cost_grad, problems[again], impl)
        status["again"] = {"problem": again, "status": info["status"]}
        arrays.update({f"again_{key}": value for key, value in returned.items()})
    softmax = getattr(module, "softmax", None)
    if callable(softmax):
        status["softmax"], outputs = probe_softmax(softmax, softmax_Z, impl)
        arrays.update(outputs)
    status["banned_imports"] = ban.attempted  # imports inside the calls count too
    save_arrays(out_dir / "results.npz", arrays)
    status["stage"] = "done"
    write_json(out_dir / "status.json", status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
