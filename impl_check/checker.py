"""Check a third-party ``cost_grad`` against the reference and name the mistake.

:func:`check_impl` runs the file in a child process (:mod:`impl_check.worker`)
on the probes of :mod:`impl_check.probes`, then hands what came back to the
engine (:mod:`impl_check.engine`): every quantity is compared with
``torch_ref`` under the tolerance of that probe's conditioning, and the
differences are explained by the catalogue of known mistakes
(:mod:`impl_check.catalogue`).  A diagnosis rests on how the returned values
change across the probes (with c, n, W and the logits), never on the source
text.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from scratch_net.tolerance import QUANTITIES

from .catalogue import decay_terms, spec_decay
from .engine import (
    COLUMNS_NOTE,
    GRADS,
    NAMES,
    ROBUST,
    Effect,
    Explanation,
    Probe,
    Scope,
    combined,
    explain,
    level,
    names,
    passes,
    softmax_row,
)
from .probes import make_problems, save_problems
from .reference import CONVENTIONS, FUNCTION, INTERFACES
from .result import DIAGNOSIS, ERROR, FAIL, NOTE, PASS, WARNING, CheckResult, Finding, Row, distinct
from .sandbox import (
    AUTOGRAD_PACKAGES,
    CONTAINED,
    NOT_CONTAINED,
    PROJECT_PACKAGES,
    Limits,
    Run,
    bwrap_available,
    run_worker,
)
from .training import check_training

DEFAULT_TIMEOUT = Limits.timeout
"""Seconds the child may take to import the file and make every call (the caps' default)."""


@dataclass(frozen=True)
class Options:
    """How to check: the interface, the penalty convention, the caps and the containment."""

    interface: str | None = None  # "course", "cs231n", or None to find it
    penalty: str = "full"  # "full" (c·ΣW², 2c·W) or "half" ((c/2)·ΣW², c·W)
    limits: Limits = Limits()
    sandbox: str = (
        "auto"  # "auto": bubblewrap where it works, caps alone elsewhere; "require": bubblewrap or ValueError
    )
    allow_imports: tuple[str, ...] = ()  # autograd packages a course permits
    parts: tuple[str, ...] = ("cost_grad", "training")  # what to check: PARTS, one or both

    def __post_init__(self) -> None:
        if not self.parts or set(self.parts) - set(PARTS):
            raise ValueError(f"parts must be one or more of {', '.join(PARTS)}; got {self.parts!r}")
        if self.interface not in (None, *INTERFACES):
            raise ValueError(f"interface must be one of {', '.join(INTERFACES)} or None; got {self.interface!r}")
        if self.penalty not in CONVENTIONS:
            raise ValueError(f"penalty must be one of {', '.join(CONVENTIONS)}; got {self.penalty!r}")
        if self.sandbox not in SANDBOX_MODES:
            raise ValueError(f"sandbox must be one of {', '.join(SANDBOX_MODES)}; got {self.sandbox!r}")
        refused = sorted(set(self.allow_imports) - set(AUTOGRAD_PACKAGES))
        if refused:
            raise ValueError(
                f"only {', '.join(AUTOGRAD_PACKAGES)} can be allowed; got {', '.join(refused)}"
                + (" (the project's own packages never are)" if set(refused) & set(PROJECT_PACKAGES) else "")
            )
        if self.sandbox == "require" and not bwrap_available():
            raise ValueError("--sandbox require: bubblewrap (bwrap) is not installed or cannot make namespaces here")

    @property
    def contained(self) -> bool:
        """Inside bubblewrap?"""
        return bwrap_available()

    @property
    def sandbox_name(self) -> str:
        """``CheckResult.sandbox``: "bubblewrap" or "caps only"."""
        return "bubblewrap" if self.contained else "caps only"

    @property
    def banned(self) -> tuple[str, ...]:
        return tuple(name for name in (*AUTOGRAD_PACKAGES, *PROJECT_PACKAGES) if name not in self.allow_imports)


SANDBOX_MODES = ("auto", "require")
PARTS = ("cost_grad", "training")
"""The parts of a file a check judges: its cost_grad, its training loop (:mod:`impl_check.training`)."""
RETURNS = {"course": "(cost, {'d_w1', 'd_b1', 'd_w2', 'd_b2'})", "cs231n": "(loss, {'W1', 'b1', 'W2', 'b2'})"}
"""What the function checked must return, by interface, as messages say it."""


def check_impl(
    path: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    interface: str | None = None,
    penalty: str = "full",
    options: Options | None = None,
    staged: Path | None = None,
) -> CheckResult:
    """Check the hand-written net in a Python file against the reference.

    Parameters
    ----------
    path : a .py file with, in the course interface, ``NetClassifier.cost_grad``
        or a module-level ``cost_grad(X, y, params, c)`` returning ``(cost, grads)``,
        grads keyed d_w1, d_b1, d_w2, d_b2 (or W1, b1, W2, b2) in the course layout
        W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k); or, in CS231n's, a class
        ``TwoLayerNet(input_size, hidden_size, output_size, std=1e-4)`` with
        ``self.params`` (W1 (D,H), b1 (H,), W2 (H,C), b2 (C,)) and
        ``loss(X, y=None, reg=0.0)`` returning ``(loss, grads)``.
    timeout : seconds for the child process to import the file and make every call.
    interface : "course", "cs231n", or None to find it (the course interface first).
    penalty : "full", the spec's c·ΣW² with gradient 2c·W, or "half", (c/2)·ΣW² with gradient c·W.
    options : everything at once (then ``timeout``, ``interface`` and ``penalty`` are ignored).
    staged : the run folder that :func:`impl_check.units.stage` filled, ``path`` inside it (a unit of a class);
        None: the file is copied, with the modules beside it that it imports, into a fresh one.

    Returns
    -------
    CheckResult
        verdict "pass" (maybe with warnings), "fail" (with diagnoses) or
        "error" (could not be run; ``error`` says why).
    """
    if options is None:
        options = Options(interface, penalty, Limits(timeout=timeout))
    path = os.path.abspath(path)
    penalty = options.penalty
    sandbox = options.sandbox_name
    containment = CONTAINED if options.contained else NOT_CONTAINED
    if not os.path.isfile(path):
        return CheckResult(
            path,
            ERROR,
            error=Finding("file-not-found", f"no such file: {path}"),
            sandbox=sandbox,
            containment=containment,
        )
    if "cost_grad" not in options.parts:
        return _training_only(path, options, staged, sandbox, containment)
    problems = make_problems()
    run = run_worker(
        Path(path),
        problems_file(),
        interface=options.interface,
        banned=options.banned,
        limits=options.limits,
        contain=options.contained,
        staged=staged,
    )
    described = [
        f"{p.name}: n={p.n} d={p.X.shape[1]} h={p.params['W1'].shape[1]} k={p.params['W2'].shape[1]} c={p.c:g}"
        for p in problems
    ]
    result = CheckResult(
        path, PASS, problems=described, penalty=penalty, output=run.output, sandbox=sandbox, containment=containment
    )
    status = run.status
    forbidden = _forbidden_imports(status, options)
    if status is None or status["error"] is not None:
        result.entry = None if status is None else status.get("entry")
        if forbidden is not None:  # it failed to import what it may not import: a FAIL, named
            result.verdict, result.diagnoses = FAIL, [forbidden]
            return result
        result.verdict, result.error = ERROR, _why_no_result(run, options.limits)
        return result

    found = status["interface"]
    result.entry, result.interface = status["entry"], found
    arrays = run.arrays
    probes = [
        Probe.build(
            problem, call, {q: arrays[f"p{i}_{q}"] for q in QUANTITIES if f"p{i}_{q}" in arrays}, found, penalty
        )
        for i, (problem, call) in enumerate(zip(problems, status["calls"]))
    ]
    repeat = _not_deterministic(probes, status, arrays)
    findings = [(f, Effect()) for f in _call_findings(probes, status, result)]
    row, finding = softmax_row(status.get("softmax"), arrays)
    # a file that returns other numbers on every call matches no mistake but by chance: not searched
    findings += _judge_values(probes, result, None if finding is None else finding.code, search=repeat is None)
    if row is not None:
        result.rows.append(row)
    if finding is not None:
        findings.append((finding, Effect()))
    _classify(findings, result)
    if row is not None and row.note == COLUMNS_NOTE and any(f.code == "softmax-axis" for f in result.diagnoses):
        # the column softmax is no layout of the file's: its cost_grad applies a softmax over axis 0 to rows
        note = "normalises each column (axis 0); cost_grad's rows are samples"
        result.rows[result.rows.index(row)] = replace(row, result="FAIL", note=note)
    if repeat is not None:  # first: every other number of the file may be a draw
        result.diagnoses.insert(0, repeat)
    if forbidden is not None:
        result.diagnoses.insert(0, forbidden)
    result.verdict = FAIL if result.diagnoses else PASS
    if "training" in options.parts and status.get("trains", True):  # no fit or train: no second run to start
        result.training = check_training(Path(path), options, staged)
    return result


def _training_only(path: str, options: Options, staged: Path | None, sandbox: str, containment: str) -> CheckResult:
    """``--part training``: the training loop's result alone; ERROR when the file has no NetClassifier.fit."""
    training = check_training(Path(path), options, staged)
    parts = {"parts": options.parts, "sandbox": sandbox, "containment": containment}
    if training is None:
        why = Finding(
            "no-fit", "no NetClassifier.fit to check (or the file cannot be imported: check --part cost_grad)"
        )
        return CheckResult(path, ERROR, error=why, **parts)  # type: ignore[arg-type]
    return CheckResult(
        path, training.verdict, entry=training.entry, interface=training.interface, error=training.error,
        training=training, **parts,  # type: ignore[arg-type]
    )  # fmt: skip


@lru_cache(maxsize=1)
def problems_file() -> Path:
    """The probes, written once per process for every run to copy (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="impl_check_problems_"))
    atexit.register(shutil.rmtree, folder, True)
    save_problems(make_problems(), str(folder / "problems.npz"))
    return folder / "problems.npz"


def _forbidden_imports(status: dict[str, Any] | None, options: Options) -> Finding | None:
    attempted = [] if status is None else status.get("banned_imports", [])
    if not attempted:
        return None
    names_ = ", ".join(attempted)
    own = set(attempted) & set(PROJECT_PACKAGES)
    why = (
        "those are this project's own packages, which compute the reference: a submission may not use them"
        if own
        else f"gradients must be computed by hand (--allow-import {attempted[0]} permits it, for a course that allows it)"
    )
    return Finding("forbidden-import", f"the file imports {names_}: {why}", ())


def _why_no_result(run: Run, limits: Limits) -> Finding:
    """The reason a run gave no result, naming the cap it hit."""
    if run.timed_out:
        return Finding(
            "timeout",
            f"no result within {limits.timeout:g} s: the file hangs (on import or in the function checked) or is far too slow",
        )
    if run.unreadable is not None:
        return run.unreadable_finding()
    if run.status is not None and run.status["error"] is not None:
        error = dict(run.status["error"])
        module = error.pop("module", None)  # a module the file imports and the environment lacks
        if error["code"] == "memory-cap" or "MemoryError" in error["message"]:
            error["code"] = "memory-cap"
            error["message"] += f" (the memory cap is {limits.memory_mb} MiB; --memory-mb raises it)"
        elif error["code"] == "missing-module" and module:
            error["message"] = _missing_module(module, error["message"])
        return Finding(**error)
    code = run.returncode
    if code is not None and code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL):
        return Finding(
            "cpu-cap", f"the process running the file was stopped by the CPU-time cap ({int(limits.timeout) + 1} s)"
        )
    lines = run.output.strip().splitlines()
    why = f": {lines[-1]}" if lines else ""
    return Finding("worker-crashed", f"the process running the file exited with code {code} before reporting{why}")


PYPI_NAMES = {"sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow", "yaml": "pyyaml",
              "skimage": "scikit-image", "bs4": "beautifulsoup4"}  # fmt: skip
"""Modules whose package on PyPI has another name: ``pip install sklearn`` installs nothing useful."""


def install_command(module: str) -> str:
    """The command that installs ``module``'s package into the grader's own Python (the one that runs the
    checks), its path relative to the current folder when it lies under it."""
    python = Path(sys.executable)
    try:
        python = python.relative_to(Path.cwd())
    except ValueError:
        pass
    top = module.split(".")[0]
    package = PYPI_NAMES.get(top, top)
    pip = python.parent / "pip"
    if (Path.cwd() / pip).exists():  # absolute stays absolute
        return f"{pip} install {package}"
    return f"{python} -m pip install {package}"


def _missing_module(module: str, message: str) -> str:
    """The worker's message and the way forward: install the package, or ask for the student's missing file."""
    top = module.split(".")[0]
    return (
        f"{message}. The grader's environment lacks {module}: if it is a third-party package, install it there "
        f"with `{install_command(module)}`; if it is a file of the student's ({top}.py, or a folder {top}/) that "
        "was not handed in, ask for it"
    )


def _call_findings(probes: list[Probe], status: dict[str, Any], result: CheckResult) -> list[Finding]:
    """Calls that returned None, raised or returned the wrong structure; prints; modified inputs; a risky default.

    Failed calls and modified inputs go straight to the diagnoses (a file that
    overwrites its inputs is wrong whatever its numbers); printing, on import
    or in the calls, changes no number and is a warning, as is a default for c
    other than 0.  Returns the numeric findings: quantities returned as None.
    """
    if status.get("import_output", "").strip():
        first = status["import_output"].strip().splitlines()[0]
        result.warnings.append(
            Finding(
                "import-prints",
                f'importing the file prints ("{first[:60]}"); harmless here, but a module should not print on import',
            )
        )
    fn = FUNCTION[probes[0].interface]
    groups: dict[tuple[str, str], list[Probe]] = {}
    for p in probes:
        if not p.ok:  # one sentence per kind of failure: exceptions by type, the first one's message
            kind = p.call["message"].split(":", 1)[0] if p.call["status"] == "exception" else p.call["message"]
            groups.setdefault((p.call["status"], kind), []).append(p)
    for (state, _), failed in groups.items():
        message = failed[0].call["message"]
        where = f"on {len(failed)} of {len(probes)} problems (first: {failed[0].name})"
        if state == "none" and len(failed) == len(probes):
            result.diagnoses.append(
                Finding(
                    "not-implemented",
                    f"{fn} returns None on every problem: it is not implemented yet, or its return statement is missing",
                )
            )
        elif state == "none":
            result.diagnoses.append(
                Finding("returns-none", f"{fn} returns None {where}: a return statement is missing on some path")
            )
        elif state == "exception":
            result.diagnoses.append(Finding("exception", f"{fn} raised {message} {where}"))
        else:
            result.diagnoses.append(
                Finding("bad-return", f"{fn} must return {RETURNS[probes[0].interface]}; {message} {where}")
            )
    printed = [p for p in probes if p.call["output"].strip()]
    if printed:
        first = printed[0].call["output"].strip().splitlines()[0][:60]
        result.warnings.append(  # printing changes no number: a warning, whatever the numbers are
            Finding(
                "prints",
                f'{fn} prints on {len(printed)} of {len(probes)} calls ("{first}"): a training loop calls it once per minibatch, so it should return values and let the caller print',
            )
        )
    risky = _risky_default(status.get("decay_default"), fn)
    if risky is not None:
        result.warnings.append(risky)
    modified = sorted({name for p in probes for name in p.call["modified"]})
    if modified:
        result.diagnoses.append(
            Finding(
                "modifies-inputs",
                f"{fn} modifies its inputs in place ({', '.join(modified)}): the caller's data and weights change on every call; compute on new arrays instead",
            )
        )
    returned = [p for p in probes if p.ok]
    none = [q for q in QUANTITIES if any(q in p.call.get("none", []) for p in returned)]
    if not none:
        return []
    always = [q for q in none if all(q in p.call.get("none", []) for p in returned)]
    if always == list(QUANTITIES):
        text = f"{fn} returns None for the cost and every gradient: it is not implemented yet (a template's placeholders left in place)"
        return [Finding("not-implemented", text, tuple(NAMES[q] for q in none))]
    if always == none:
        text = f"{fn} returns None for {names(none)} on every problem: {'it is' if len(none) == 1 else 'they are'} not implemented yet"
        return [Finding("not-implemented", text, tuple(NAMES[q] for q in none))]
    first = next(p for p in returned if set(none) & set(p.call.get("none", [])))
    count = sum(bool(set(none) & set(p.call.get("none", []))) for p in returned)
    text = f"{fn} returns None for {names(none)} on {count} of {len(probes)} problems (first: {first.name}): a value is missing on some path"
    return [Finding("returns-none", text, tuple(NAMES[q] for q in none))]


def _not_deterministic(probes: list[Probe], status: dict[str, Any], arrays: dict[str, np.ndarray]) -> Finding | None:
    """A diagnosis when a second call with the same inputs (the worker's ``again``) returned other numbers, beyond
    the probe's tolerance, or failed where the first returned."""
    again = status.get("again")
    if again is None:
        return None
    probe = probes[again["problem"]]
    fn = FUNCTION[probe.interface]
    if again["status"] != "ok":
        differ = ["what it returns (the second call failed)"]
    else:
        differ = []
        for q in QUANTITIES:
            first, second = probe.got.get(q), arrays.get(f"again_{q}")
            if first is None or second is None:
                if (first is None) != (second is None):
                    differ.append(NAMES[q])
            else:
                second = np.asarray(second, dtype=np.float64)
                same = second.shape == first.shape and np.array_equal(second, first, equal_nan=True)  # NaN, inf alike
                if not same and not passes(second, first, probe.tol[q], probe.floor(q)):
                    differ.append(NAMES[q])
    if not differ:
        return None
    return Finding(
        "not-deterministic",
        f"{fn} is not deterministic: a dropout or sampling left on? Two calls with the same inputs ({probe.name}) "
        f"returned different {names(differ)}; the differences from the reference are located, not explained: they change "
        "from call to call",
        tuple(d for d in differ if d in NAMES.values()),
    )


def _risky_default(default: list[Any] | None, fn: str) -> Finding | None:
    """A warning when the weight decay's parameter (the worker's ``[name, value]``) defaults to a number other
    than 0: a caller who leaves it out gets weight decay without asking."""
    if default is None or default[1] == 0:
        return None
    name, value = default
    return Finding(
        "risky-default",
        f"{fn} gives {name} the default {value:g}: if it is called without {name}, it applies weight decay "
        f"silently; give {name} no default, or 0",
    )


def _row(name: str, probes: list[Probe], q: str) -> Row:
    """The worst of ``q`` over ``probes`` (by error over tolerance), as a report row."""
    for p in probes:
        if q not in p.got:
            return Row(name, "FAIL", problem=p.name, note="returned None")
        if p.got[q].shape != np.shape(p.ref[q]):
            return Row(
                name,
                "FAIL",
                problem=p.name,
                note=f"{NAMES[q]} has shape {p.got[q].shape}, expected {np.shape(p.ref[q])}",
            )
    verdicts = [(p, p.verdict(q, p.ref[q])) for p in probes]
    p, v = max(verdicts, key=lambda pv: (pv[1].err or 0.0) / pv[1].tol)
    got = float(p.got[q][v.index]) if v.index else float(p.got[q])
    expected = float(np.asarray(p.ref[q])[v.index]) if v.index else float(p.ref[q])
    passed = all(verdict.passed for _, verdict in verdicts)
    return Row(name, "PASS" if passed else "FAIL", v.err, v.tol, p.name, v.index or None, got, expected)


def _judge_values(
    probes: list[Probe], result: CheckResult, softmax_code: str | None = None, search: bool = True
) -> list[tuple[Finding, Effect]]:
    """Rows for every quantity (ordinary problems, then logits ~1e3), and the findings that explain the failures,
    each with its own effect (for :func:`impl_check.engine.level`).  ``softmax_code``: the finding on the module's
    own softmax, if any (it can confirm why the cost is NaN).  ``search``: False where the catalogue is not searched
    (a file whose numbers differ from call to call), every failure then located as unexplained."""
    ordinary = [p for p in probes if not p.problem.robust and p.ok]
    robust = next((p for p in probes if p.problem.robust and p.ok), None)
    if not ordinary:
        result.rows.extend(Row(NAMES[q], "FAIL", note="no result (see diagnoses)") for q in QUANTITIES)
        return []
    judged = tuple(q for q in QUANTITIES if all(q in p.got for p in ordinary))
    result.rows.extend(_row(NAMES[q], ordinary, q) for q in QUANTITIES)
    if robust is not None:
        result.rows.extend(_row(f"{NAMES[q]} at {ROBUST}", [robust], q) for q in judged)
    scope = Scope(ordinary + ([robust] if robust else []), judged)
    failing = scope.failing()
    findings: list[tuple[Finding, Effect]] = []
    fn = FUNCTION[ordinary[0].interface]
    if robust is not None:
        # only where the ordinary problems are finite: a value that is NaN everywhere is not about large logits
        nonfinite = [
            q
            for q in judged
            if q in GRADS
            and q in robust.got
            and not np.all(np.isfinite(robust.got[q]))
            and all(np.all(np.isfinite(p.got[q])) for p in ordinary)
        ]
        if nonfinite:
            findings.append(
                (
                    Finding(
                        "nan-at-large-logits",
                        f"at logits around 1e3 {fn} returns NaN or inf in {names(nonfinite)}, where the reference is finite; the usual causes are exp overflowing (no per-row max subtracted) and a row becoming 0/0 (a global max subtracted): subtract each row's own max",
                        tuple(NAMES[q] for q in nonfinite),
                    ),
                    Effect(grads=True),
                )
            )
        cost = robust.got.get("cost")
        if (
            cost is not None
            and cost.shape == ()
            and not np.isfinite(cost)
            and all(np.all(np.isfinite(p.got["cost"])) for p in ordinary if "cost" in p.got)
        ):
            why = _why_not_finite(float(cost), robust, softmax_code)
            findings.append(
                (
                    Finding(
                        "cost-not-finite",
                        f"the cost is {float(cost)} at logits around 1e3 (the reference gives {robust.ref['cost']:.6g}): {why}. A log-softmax (z − max − log Σ exp(z − max)) keeps it finite",
                        ("cost",),
                    ),
                    Effect(),
                )
            )
    if not failing:
        return findings
    explained = explain(scope, failing) if search else []
    context = _context(scope)
    for e in explained:
        quantities = sorted({q for _, q in e.items}, key=QUANTITIES.index)
        text = e.mistake.message.format(
            names=names(quantities),
            value=f"{e.value:.3g}" if e.value is not None else "",
            size=f"{e.size:.1g}",
            cost_shift=_shift_text(e),
            **decay_terms(e.variant.resolved(scope.probes[0].convention)),
            **context,
        )
        if e.alternatives:
            text += f" (the probes give the same numbers for {' and '.join(e.alternatives)})"
        findings.append((Finding(e.mistake.code, text, tuple(NAMES[q] for q in quantities)), e.effect))
    left = failing - set().union(*(e.items for e in explained))
    findings += _unexplained(scope, left, result, explained)
    return findings


def _why_not_finite(cost: float, robust: Probe, softmax_code: str | None) -> str:
    """Why the cost is not finite at logits ~1e3, as far as the probes confirm it."""
    grads_finite = all(np.all(np.isfinite(robust.got[q])) for q in GRADS if q in robust.got)
    if np.isnan(cost) and (not grads_finite or softmax_code in ("softmax-no-max", "softmax-global-max")):
        how = {
            "softmax-no-max": "exp overflows because no max is subtracted (the module's softmax gives NaN on "
            "[1000, 0, −1000])",
            "softmax-global-max": "the softmax subtracts the global max, so a row far below it becomes 0/0 (the "
            "module's softmax shows it)",
        }.get(
            softmax_code or "",
            "the usual causes are exp overflowing (no per-row max subtracted) and a row becoming 0/0 (a global max "
            "subtracted)",
        )
        where = "the gradients are not finite there either" if not grads_finite else "the module's softmax fails there"
        return f"the softmax itself gives NaN at these logits ({where}): {how}"
    if np.isnan(cost):
        return (
            "the gradients it returns there are finite, so the softmax is not what fails: the NaN comes from the "
            "cost's own computation. The usual cause is 0·log(0), a probability that underflows to 0 multiplied by "
            "its 0 target, where Y·log(p) is summed over every class"
        )
    if cost == np.inf and grads_finite:
        return (
            "the gradients it returns there are finite, so the infinity comes from the cost's own computation. The "
            "usual causes are log(softmax) on a confident mistake, whose probability underflows to 0, and "
            "log Σ exp(z) with no max subtracted, which overflows"
        )
    return "the usual causes are the log of a probability that underflows to 0 and exp overflowing"


def _shift_text(e: Explanation) -> str:
    """How far the mistake alone moves the cost on the ordinary problems, in words."""
    if not e.cost_visible:
        return "by less than the rounding of the reference"
    return f"about {abs(e.cost_shift):.1g} {'low' if e.cost_shift < 0 else 'high'} (relative)"


def _context(scope: Scope) -> dict[str, str]:
    """The engine's placeholders for catalogue messages that do not depend on the mistake: what the gradients did,
    the convention, the function, the bias shapes."""
    grads_pass = all(p.verdict(q, p.ref[q]).passed for p in scope.probes for q in GRADS if q in p.got)
    every = grads_pass and scope.probes[-1].problem.robust and all(q in p.got for p in scope.probes for q in GRADS)
    grads = "every gradient matches the reference" if every else "this changes no gradient"
    interface, convention = scope.probes[0].interface, scope.probes[0].convention
    shapes = {"course": ("(1, h)", "(1, k)"), "cs231n": ("(h,)", "(k,)")}
    other = shapes["cs231n" if interface == "course" else "course"]
    own = shapes[interface]
    return {
        "grads": grads,
        "spec_decay": spec_decay(convention),
        "fn": FUNCTION[interface],
        "b1_shape": own[0],
        "b2_shape": own[1],
        "b1_other": other[0],
        "b2_other": other[1],
    }


def _unexplained(
    scope: Scope, left: set[tuple[int, str]], result: CheckResult, explained: list[Explanation]
) -> list[tuple[Finding, Effect]]:
    """Say where the differences that no entry explains are, and nothing more."""
    findings: list[tuple[Finding, Effect]] = []
    by_q: dict[str, set[bool]] = {}
    for i, q in left:
        by_q.setdefault(q, set()).add(scope.probes[i].problem.robust)
    robust_only = [q for q, where in by_q.items() if where == {True}]
    anywhere = [q for q in QUANTITIES if q in by_q and q not in robust_only]
    grads_robust = [q for q in GRADS if q in robust_only]
    if grads_robust:
        rows = [r for r in result.rows if r.name in {f"{NAMES[q]} at {ROBUST}" for q in grads_robust}]
        row = max(rows, key=lambda r: (r.rel_err or 0.0) / (r.tol or 1.0))
        findings.append(
            (
                Finding(
                    "large-logits",
                    f"at logits around 1e3 {names(grads_robust)} differ from the reference (normwise relative error {row.rel_err:.2g}, tolerance {row.tol:.2g}) although they pass every ordinary problem",
                    tuple(NAMES[q] for q in grads_robust),
                ),
                Effect(grads=True),
            )
        )
    if "cost" in robust_only:
        robust = scope.probes[-1]
        findings.append(
            (
                Finding(
                    "cost-at-large-logits",
                    f"the cost is {float(robust.got['cost']):.6g} at logits around 1e3 where the reference gives {robust.ref['cost']:.6g}, though it matches on every ordinary problem: some step loses the size of large logits (a clip, a cap, or the log of a clipped probability); a log-softmax (z − max − log Σ exp(z − max)) is exact",
                    ("cost",),
                ),
                Effect(),
            )
        )
    if set(anywhere) == {"W1", "b1"}:
        findings.append(
            (
                Finding(
                    "layer1-backward",
                    "d_w1 and d_b1 are wrong while the cost, d_w2 and d_b2 are right: the error is in the backward pass through the first layer (the ReLU mask or the product with W2ᵀ)",
                    ("d_w1", "d_b1"),
                ),
                Effect(grads=True, ordinary=True),
            )
        )
        return findings
    found = combined(explained)  # what is left is the file against the net with every mistake found
    for q in anywhere:
        row = next(r for r in result.rows if r.name == NAMES[q])
        if row.rel_err is None or row.tol is None or row.got is None or row.expected is None:
            where = row.note
        else:
            got, expected = distinct(row.got, row.expected)
            at = f" at {row.index}" if row.index else ""
            where = f"normwise relative error {row.rel_err:.2g}, tolerance {row.tol:.2g}; worst on {row.problem}{at}: got {got}, expected {expected}"
        shift = 0.0
        if q == "cost":
            shifts = [
                abs(float(scope.probes[i].got["cost"]) - scope.probes[i].predict(found)["cost"])
                / max(abs(scope.probes[i].ref["cost"]), 1.0)
                if scope.probes[i].got["cost"].shape == ()
                else np.inf
                for i, q_ in left
                if q_ == "cost" and not scope.probes[i].problem.robust
            ]
            shift = max(shifts, default=0.0)
        findings.append(
            (
                Finding(
                    "unexplained",
                    f"{NAMES[q]} differs from the reference ({where}) in a way none of the known mistakes explains",
                    (NAMES[q],),
                ),
                Effect(grads=q in GRADS, cost_shift=float(np.nan_to_num(shift, nan=np.inf)), ordinary=True),
            )
        )
    return findings


def _classify(findings: list[tuple[Finding, Effect]], result: CheckResult) -> None:
    """Each finding to its level (:func:`impl_check.engine.level`, from the finding alone); a row that failed only
    for warnings reads WARN, only for notes NOTE."""
    for f, effect in findings:
        {DIAGNOSIS: result.diagnoses, WARNING: result.warnings, NOTE: result.notes}[level(f.code, effect)].append(f)
    blamed = {q for f in result.diagnoses for q in f.quantities}
    warned = {q for f in result.warnings for q in f.quantities}
    noted = {q for f in result.notes for q in f.quantities}
    for i, r in enumerate(result.rows):
        q = r.name.split(" ")[0]
        if r.result == "FAIL" and q not in blamed and (q in warned or q in noted):
            result.rows[i] = Row(**{**r.__dict__, "result": "WARN" if q in warned else "NOTE"})
