"""Check a third-party ``cost_grad`` against the reference and name the bug.

:func:`check_impl` runs the file in a child process (:mod:`impl_check.worker`)
on the probes of :mod:`impl_check.probes`, compares every quantity with
``torch_ref`` under the project tolerance, and then tests hypotheses: for
each known mistake, a prediction of what a net with exactly that mistake
returns on every probe.  A hypothesis explains a quantity when its
prediction passes the same tolerance on every problem -- so a diagnosis
rests on how the error scales with c, n and W, never on the source text.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from scratch_net import PARAM_KEYS
from scratch_net.tolerance import COST_FLOOR, Comparison, compare

from . import reference as ref_mod
from .probes import SOFTMAX_Z, Problem, make_problems, save_problems
from .result import ERROR, FAIL, PASS, CheckResult, Finding, Row

DEFAULT_TIMEOUT = 30.0
"""Seconds the child may take to import the file and make every call."""

ROOT = Path(__file__).resolve().parents[1]
F64 = np.dtype(np.float64)
NAMES = {"cost": "cost", "W1": "d_w1", "b1": "d_b1", "W2": "d_w2", "b2": "d_b2"}
QUANTITIES = tuple(NAMES)
OTHER_LAYER = {"W1": "W2", "W2": "W1", "b1": "b2", "b2": "b1"}

# Linear hypotheses: got = data_factor(n) * (reference at c=0) + decay(c, n) * parameter.
DATA_FACTORS: dict[str, Callable[[int], float]] = {"mean": lambda n: 1.0, "sum": lambda n: float(n)}
WEIGHT_DECAY_GRADS: dict[str, Callable[[float, int], float]] = {
    "2c·W": lambda c, n: 2 * c,  # the spec
    "c·W": lambda c, n: c,
    "no decay": lambda c, n: 0.0,
    "c·W/n": lambda c, n: c / n,
    "2c·W/n": lambda c, n: 2 * c / n,
}
COST_DECAYS: dict[str, Callable[[float, int], float]] = {
    "c·ΣW²": lambda c, n: c,  # the spec
    "(c/2)·ΣW²": lambda c, n: c / 2,
    "no decay": lambda c, n: 0.0,
    "(c/(2n))·ΣW²": lambda c, n: c / (2 * n),
    "(c/n)·ΣW²": lambda c, n: c / n,
}
BIAS_DECAY_GRADS: dict[str, Callable[[float, int], float]] = {
    "no decay": lambda c, n: 0.0,
    "2c·b": lambda c, n: 2 * c,
    "c·b": lambda c, n: c,
}
COST_BIAS_DECAYS: dict[str, Callable[[float, int], float]] = {
    "no decay": lambda c, n: 0.0,
    "c·Σb²": lambda c, n: c,
    "(c/2)·Σb²": lambda c, n: c / 2,
}
SPEC_LINEAR = {
    "cost": ("mean", "c·ΣW²", "no decay"),
    "W1": ("mean", "2c·W"),
    "W2": ("mean", "2c·W"),
    "b1": ("mean", "no decay"),
    "b2": ("mean", "no decay"),
}


@dataclass
class Probe:
    """A problem, what the file returned for it and the reference."""

    problem: Problem
    call: dict[str, Any]  # the worker's report: status, message, output, modified, warnings
    got: dict[str, np.ndarray]  # cost, W1, b1, W2, b2 as returned (any shape); empty when the call failed
    ref: dict[str, Any] = field(default_factory=dict)  # cost (float), W1, ... (course layout)
    data: dict[str, Any] = field(default_factory=dict)  # the reference at c = 0

    @property
    def ok(self) -> bool:
        return self.call["status"] == "ok"


def check_impl(path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Check the ``cost_grad`` in a Python file against the reference.

    Parameters
    ----------
    path : a .py file with ``NetClassifier.cost_grad`` or a module-level
        ``cost_grad(X, y, params, c)`` returning ``(cost, grads)``, grads keyed
        d_w1, d_b1, d_w2, d_b2 (or W1, b1, W2, b2) in the course layout
        W1 (d,h), b1 (1,h), W2 (h,k), b2 (1,k).
    timeout : seconds for the child process to import the file and make every call.

    Returns
    -------
    CheckResult
        verdict "pass" (warnings allowed), "fail" (with diagnoses) or
        "error" (could not be run; ``error`` says why).
    """
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        return CheckResult(path, ERROR, error=Finding("file-not-found", f"no such file: {path}"))
    problems = make_problems()
    described = [
        f"{p.name}: n={p.n} d={p.X.shape[1]} h={p.params['W1'].shape[1]} k={p.params['W2'].shape[1]} c={p.c:g}"
        for p in problems
    ]
    with tempfile.TemporaryDirectory(prefix="impl_check_") as tmp:
        outcome = _run_worker(path, problems, Path(tmp), timeout)
    if isinstance(outcome, Finding):
        return CheckResult(path, ERROR, error=outcome, problems=described)
    status, arrays = outcome
    if status["error"] is not None:
        return CheckResult(path, ERROR, entry=status.get("entry"), error=Finding(**status["error"]), problems=described)

    probes = []
    for i, (problem, call) in enumerate(zip(problems, status["calls"])):
        got = {q: arrays[f"p{i}_{q}"] for q in QUANTITIES if f"p{i}_{q}" in arrays}
        probe = Probe(problem, call, got)
        probe.ref["cost"], grads = ref_mod.reference(problem.X, problem.y, problem.params, problem.c)
        probe.ref.update(grads)
        probe.data["cost"], grads0 = ref_mod.reference(problem.X, problem.y, problem.params, 0.0)
        probe.data.update(grads0)
        probes.append(probe)

    result = CheckResult(path, PASS, entry=status["entry"], problems=described)
    if status.get("import_output", "").strip():
        first = status["import_output"].strip().splitlines()[0]
        result.warnings.append(
            Finding(
                "import-prints",
                f'importing the file prints ("{first[:60]}"); harmless here, but a module should not print on import',
            )
        )
    spec = [p for p in probes if not p.problem.robust]
    _call_findings(spec, result)
    _spec_rows_and_diagnoses([p for p in spec if p.ok], len(spec), result)
    _robust_probe(next(p for p in probes if p.problem.robust), result)
    if status.get("softmax") is not None:
        _softmax_probe(status["softmax"], arrays, result)
    failed = result.diagnoses or any(row.result == "FAIL" for row in result.rows)
    result.verdict = FAIL if failed else PASS
    return result


def _run_worker(
    path: str, problems: list[Problem], tmp: Path, timeout: float
) -> tuple[dict[str, Any], dict[str, np.ndarray]] | Finding:
    """Run the child; its report and arrays, or a Finding saying why there are none."""
    save_problems(problems, str(tmp / "problems.npz"))
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # leave no __pycache__ next to the user's file
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "impl_check.worker", path, str(tmp / "problems.npz"), str(tmp)]
    # files, not pipes: a child that leaves grandchildren behind cannot block us on a pipe
    with open(tmp / "stdout.txt", "w") as out, open(tmp / "stderr.txt", "w") as err:
        try:
            proc = subprocess.run(
                command,
                cwd=os.path.dirname(path),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return Finding(
                "timeout",
                f"no result within {timeout:g} s: the file hangs (on import or in cost_grad) or is far too slow",
            )
    status_file = tmp / "status.json"
    if not status_file.exists():
        lines = (tmp / "stderr.txt").read_text(errors="replace").strip().splitlines()
        why = f": {lines[-1]}" if lines else ""
        return Finding(
            "worker-crashed", f"the process running the file exited with code {proc.returncode} before reporting{why}"
        )
    status = json.loads(status_file.read_text())
    arrays: dict[str, np.ndarray] = {}
    if (tmp / "results.npz").exists():
        with np.load(tmp / "results.npz", allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    return status, arrays


def _names(quantities: list[str] | tuple[str, ...]) -> str:
    names = [NAMES[q] for q in quantities]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _compare(q: str, got: np.ndarray, expected: Any) -> Comparison:
    return compare(NAMES[q], got, expected, F64, floor=COST_FLOOR if q == "cost" else 0.0)


def _matches(probes: list[Probe], q: str, predict: Callable[[Probe], Any]) -> bool:
    """Does ``predict`` reproduce what the file returned for ``q`` on every probe?"""
    for p in probes:
        expected = np.asarray(predict(p), dtype=np.float64)
        if p.got[q].shape != expected.shape or not _compare(q, p.got[q], expected).passed:
            return False
    return True


def _call_findings(spec: list[Probe], result: CheckResult) -> None:
    """Calls that returned None, raised or returned the wrong structure; prints; modified inputs."""
    groups: dict[tuple[str, str], list[Probe]] = {}
    for p in spec:
        if not p.ok:  # one sentence per kind of failure: exceptions by type, the first one's message
            kind = p.call["message"].split(":", 1)[0] if p.call["status"] == "exception" else p.call["message"]
            groups.setdefault((p.call["status"], kind), []).append(p)
    for (status, _), failed in groups.items():
        message = failed[0].call["message"]
        where = f"on {len(failed)} of {len(spec)} problems (first: {failed[0].problem.name})"
        if status == "none":
            result.diagnoses.append(
                Finding(
                    "returns-none",
                    f"cost_grad returns None {where}: it is not implemented yet, or a return statement is missing",
                )
            )
        elif status == "exception":
            result.diagnoses.append(Finding("exception", f"cost_grad raised {message} {where}"))
        else:
            result.diagnoses.append(
                Finding("bad-return", f"{message} {where}; it must return (cost, {{'d_w1', 'd_b1', 'd_w2', 'd_b2'}})")
            )
    printed = [p for p in spec if p.call["output"].strip()]
    if printed:
        first = printed[0].call["output"].strip().splitlines()[0][:60]
        result.diagnoses.append(
            Finding(
                "prints",
                f'cost_grad prints on {len(printed)} of {len(spec)} calls ("{first}"): a training loop calls it once per minibatch, so it should return values and let the caller print',
            )
        )
    modified = sorted({name for p in spec for name in p.call["modified"]})
    if modified:
        result.diagnoses.append(
            Finding(
                "modifies-inputs",
                f"cost_grad modifies its inputs in place ({', '.join(modified)}): the caller's data and weights change on every call; compute on new arrays instead",
            )
        )


def _spec_rows_and_diagnoses(ok: list[Probe], n_spec: int, result: CheckResult) -> None:
    """A row per quantity over the spec problems, then the hypotheses for whatever fails."""
    if not ok:
        result.rows.extend(Row(NAMES[q], "FAIL", note="no result (see diagnoses)") for q in QUANTITIES)
        return
    failing, shape_bad = [], []
    for q in QUANTITIES:
        wrong_shape = next((p for p in ok if p.got[q].shape != np.shape(p.ref[q])), None)
        if wrong_shape is not None:
            note = f"{NAMES[q]} has shape {wrong_shape.got[q].shape}, expected {np.shape(wrong_shape.ref[q])}"
            result.rows.append(Row(NAMES[q], "FAIL", tol=None, problem=wrong_shape.problem.name, note=note))
            failing.append(q)
            shape_bad.append(q)
            continue
        rows = [(p, _compare(q, p.got[q], p.ref[q])) for p in ok]
        p, worst = max(rows, key=lambda item: item[1].rel)
        index = worst.worst_index
        got = float(p.got[q][index]) if index else float(p.got[q])
        expected = float(np.asarray(p.ref[q])[index]) if index else float(p.ref[q])
        passed = all(c.passed for _, c in rows)
        result.rows.append(
            Row(NAMES[q], "PASS" if passed else "FAIL", worst.rel, worst.tol, p.problem.name, index, got, expected)
        )
        if not passed:
            failing.append(q)
    if not failing:
        return
    unexplained = [q for q in failing if q not in shape_bad]
    _shape_diagnoses(ok, shape_bad, result)
    unexplained = _linear_diagnoses(ok, unexplained, failing, result)
    unexplained = _label_diagnoses(ok, unexplained, result)
    unexplained = _relu_diagnoses(ok, unexplained, failing, result)
    unexplained = _eps_diagnosis(ok, unexplained, failing, result)
    for q in unexplained:
        row = next(r for r in result.rows if r.name == NAMES[q])
        result.diagnoses.append(
            Finding(
                "unexplained",
                f"{NAMES[q]} differs from the reference (normwise relative error {row.rel_err:.2g}; worst on {row.problem} at {row.index}: "
                f"got {row.got:.6g}, expected {row.expected:.6g}) in a way none of the tested mistakes explains",
                (NAMES[q],),
            )
        )


def _shape_diagnoses(ok: list[Probe], shape_bad: list[str], result: CheckResult) -> None:
    """Transposed, swapped between layers, or only the shape wrong."""
    swapped = [
        q
        for q in shape_bad
        if any(
            _matches(ok, q, lambda p, f=f: f(np.asarray(p.ref[OTHER_LAYER[q]]))) for f in (lambda a: a, lambda a: a.T)
        )
    ]
    pairs = sorted({tuple(sorted((q, OTHER_LAYER[q]))) for q in swapped})
    for a, b in pairs:
        both = a in swapped and b in swapped
        text = (
            f"{NAMES[a]} and {NAMES[b]} are swapped: each holds the other layer's gradient"
            if both
            else (
                f"{NAMES[a if a in swapped else b]} holds the gradient of {b if a in swapped else a}, the other layer's parameter"
            )
        )
        result.diagnoses.append(Finding("swapped", text, (NAMES[a], NAMES[b])))
    for q in shape_bad:
        if q in swapped:
            continue
        p = ok[0]
        shape_msg = f"{NAMES[q]} has shape {p.got[q].shape}, expected {np.shape(p.ref[q])}"
        if q != "cost" and _matches(ok, q, lambda p: np.asarray(p.ref[q]).T):
            result.diagnoses.append(
                Finding(
                    "transposed",
                    f"{shape_msg} and equals the transpose of the reference: the gradient of W (in, out) must have W's shape, e.g. X.T @ dz1, not dz1.T @ X",
                    (NAMES[q],),
                )
            )
        elif all(p.got[q].size == np.size(p.ref[q]) for p in ok) and _matches(
            ok, q, lambda p: np.asarray(p.ref[q]).reshape(p.got[q].shape)
        ):
            result.diagnoses.append(
                Finding(
                    "shape",
                    f"{shape_msg}; its values are right, only the shape is not (keepdims=True keeps the row axis)",
                    (NAMES[q],),
                )
            )
        else:
            result.diagnoses.append(Finding("shape", shape_msg, (NAMES[q],)))


def _linear_prediction(q: str, labels: tuple[str, ...]) -> Callable[[Probe], Any]:
    """What a net with the data factor and decay(s) named by ``labels`` returns for ``q``."""
    data_factor = DATA_FACTORS[labels[0]]
    if q == "cost":
        decay, bias_decay = COST_DECAYS[labels[1]], COST_BIAS_DECAYS[labels[2]]

        def predict(p: Probe) -> float:
            w = p.problem.params
            sum_w = sum(float(np.vdot(w[k], w[k])) for k in ("W1", "W2"))
            sum_b = sum(float(np.vdot(w[k], w[k])) for k in ("b1", "b2"))
            c, n = p.problem.c, p.problem.n
            return data_factor(n) * p.data["cost"] + decay(c, n) * sum_w + bias_decay(c, n) * sum_b

        return predict
    decay_grad = (WEIGHT_DECAY_GRADS if q.startswith("W") else BIAS_DECAY_GRADS)[labels[1]]
    return lambda p: data_factor(p.problem.n) * p.data[q] + decay_grad(p.problem.c, p.problem.n) * p.problem.params[q]


def _linear_diagnoses(ok: list[Probe], unexplained: list[str], failing: list[str], result: CheckResult) -> list[str]:
    """Sum instead of mean, and the weight-decay conventions: errors that scale with n, or with c and W."""
    matched: dict[str, tuple[str, ...]] = {}
    for q in unexplained:
        if q == "cost":
            options = itertools.product(DATA_FACTORS, COST_DECAYS, COST_BIAS_DECAYS)
        else:
            options = itertools.product(DATA_FACTORS, WEIGHT_DECAY_GRADS if q.startswith("W") else BIAS_DECAY_GRADS)
        found = next(
            (
                labels
                for labels in options
                if labels != SPEC_LINEAR[q] and _matches(ok, q, _linear_prediction(q, labels))
            ),
            None,
        )
        if found is not None:
            matched[q] = found
    # every quantity's convention: the spec's where it passes, the matched one, or None (unknown)
    labels = {q: SPEC_LINEAR[q] if q not in failing else matched.get(q) for q in QUANTITIES}

    summed = [q for q in QUANTITIES if labels[q] and labels[q][0] == "sum"]
    if summed:
        verb = "is" if len(summed) == 1 else "are"
        result.diagnoses.append(
            Finding(
                "sum-not-mean",
                f"{_names(summed)} {verb} n times the reference's cross-entropy part on every problem (the error grows with n): the loss sums over the samples instead of taking the mean",
                tuple(NAMES[q] for q in summed),
            )
        )
    grad_decays = {labels[q][1] for q in ("W1", "W2") if labels[q]}
    cost_decay = labels["cost"][1] if labels["cost"] else None
    if len(grad_decays) == 1 and cost_decay and (grad_decays != {"2c·W"} or cost_decay != "c·ΣW²"):
        result.diagnoses.append(_decay_finding(grad_decays.pop(), cost_decay))
    elif len(grad_decays) == 2:
        text = "; ".join(f"{NAMES[q]} carries the decay gradient {labels[q][1]}" for q in ("W1", "W2"))  # type: ignore[index]
        result.diagnoses.append(
            Finding(
                "decay-other",
                f"{text}: the two layers disagree, and the spec's cost c·ΣW² needs 2c·W in both",
                ("d_w1", "d_w2"),
            )
        )
    decayed_biases = [q for q in ("b1", "b2") if labels[q] and labels[q][1] != "no decay"]
    cost_bias = labels["cost"][2] if labels["cost"] else "no decay"
    if decayed_biases or cost_bias != "no decay":
        parts = (
            [f"{_names(decayed_biases)} differ from the reference by exactly {labels[decayed_biases[0]][1]}"]
            if decayed_biases
            else []
        )  # type: ignore[index]
        if cost_bias != "no decay":
            parts.append(f"the cost adds {cost_bias}")
        result.diagnoses.append(
            Finding(
                "bias-decayed",
                f"{' and '.join(parts)}: the biases are decayed, but the spec decays only W1 and W2",
                tuple(NAMES[q] for q in decayed_biases),
            )
        )
    return [q for q in unexplained if q not in matched]


def _decay_finding(grad: str, cost: str) -> Finding:
    """One sentence for a weight-decay convention: gradient ``grad``, cost ``cost``."""
    known = {
        ("c·W", "c·ΣW²"): (
            "decay-cw",
            "d_w1 and d_w2 differ from the reference by exactly −c·W (the error is linear in c and proportional to W): the decay gradient is c·W, but the cost c·ΣW² needs 2c·W",
        ),
        ("c·W", "(c/2)·ΣW²"): (
            "decay-half",
            "the cost adds (c/2)·ΣW² and the gradients c·W: consistent with each other, so a finite-difference check passes, but the spec's cost is c·ΣW², whose gradient is 2c·W",
        ),
        ("c·W/n", "(c/(2n))·ΣW²"): (
            "decay-c-over-2n",
            "the decay is (c/(2n))·ΣW² in the cost and c·W/n in the gradients (its share shrinks like 1/n): the spec's decay is c·ΣW² with gradient 2c·W, not divided by n",
        ),
        ("no decay", "c·ΣW²"): (
            "decay-grad-missing",
            "d_w1 and d_w2 differ from the reference by exactly −2c·W: the gradients leave out the decay term although the cost includes c·ΣW²",
        ),
        ("no decay", "no decay"): (
            "decay-missing",
            "neither the cost nor the gradients include the weight decay, so c is ignored: the cost needs c·ΣW² and the gradients 2c·W",
        ),
    }
    code, text = known.get(
        (grad, cost),
        (
            "decay-other",
            f"the weight decay is {cost} in the cost and {grad} in the gradients: the spec's is c·ΣW² with gradient 2c·W",
        ),
    )
    return Finding(code, text, ("cost", "d_w1", "d_w2"))


def _hypothesis_matches(ok: list[Probe], quantities: list[str], **change: Any) -> list[str]:
    """The quantities for which the reference with ``change`` reproduces the file on every probe."""
    outs = []
    for p in ok:
        cost, grads = ref_mod.hypothesis(
            p.problem.X,
            p.problem.y,
            p.problem.params,
            p.problem.c,
            **{k: v(p) if callable(v) else v for k, v in change.items()},
        )
        outs.append({"cost": cost, **grads})
    return [
        q
        for q in quantities
        if all(p.got[q].shape == np.shape(o[q]) and _compare(q, p.got[q], o[q]).passed for p, o in zip(ok, outs))
    ]


def _one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    return np.eye(k)[labels]


def _label_diagnoses(ok: list[Probe], unexplained: list[str], result: CheckResult) -> list[str]:
    """Targets that are shifted one-hot rows, or the raw labels broadcast across the classes."""
    grads = [q for q in unexplained if q != "cost"]
    if not grads:
        return unexplained
    k_of = lambda p: p.problem.params["W2"].shape[1]  # noqa: E731
    hypotheses = [
        (
            "labels-shifted",
            "every gradient matches the reference for labels shifted by +1 (mod k): the one-hot targets put the 1 in the wrong column",
            lambda p: _one_hot((p.problem.y + 1) % k_of(p), k_of(p)),
        ),
        (
            "labels-shifted",
            "every gradient matches the reference for labels shifted by −1 (mod k), as with y − 1 on 0-based labels: the one-hot targets put the 1 in the wrong column",
            lambda p: _one_hot((p.problem.y - 1) % k_of(p), k_of(p)),
        ),
        (
            "labels-not-one-hot",
            "the gradients equal those of softmax − y with the raw label values broadcast across the k columns: the labels are not one-hot encoded (the target row must be 1 at column y[i] and 0 elsewhere)",
            lambda p: np.repeat(p.problem.y[:, None].astype(np.float64), k_of(p), axis=1),
        ),
    ]
    for code, text, targets in hypotheses:
        hits = _hypothesis_matches(ok, unexplained, targets=targets)
        if set(grads) <= set(hits):
            if "cost" in hits:
                text += " (the cost matches that too)"
            result.diagnoses.append(Finding(code, text, tuple(NAMES[q] for q in hits)))
            return [q for q in unexplained if q not in hits]
    return unexplained


def _relu_diagnoses(ok: list[Probe], unexplained: list[str], failing: list[str], result: CheckResult) -> list[str]:
    """Only the first layer's gradients wrong: test the ReLU derivative, else blame the layer-1 backward pass."""
    layer1 = [q for q in ("W1", "b1") if q in unexplained]
    if not layer1 or set(failing) - {"W1", "b1"}:
        return unexplained
    sentences = {
        "one": "the ReLU derivative is taken as 1 everywhere (the backward pass drops the mask)",
        "activation": "the ReLU derivative is taken as relu(z1), the activation itself",
        "inverted": "the ReLU mask is inverted (z1 < 0 instead of z1 > 0)",
    }
    for relu_grad, what in sentences.items():
        if set(_hypothesis_matches(ok, layer1, relu_grad=relu_grad)) == set(layer1):
            result.diagnoses.append(
                Finding(
                    "relu-derivative",
                    f"{_names(layer1)} match the reference only if {what}, while the cost, d_w2 and d_b2 are right: the derivative of ReLU is 1 where z1 > 0 and 0 elsewhere",
                    tuple(NAMES[q] for q in layer1),
                )
            )
            return [q for q in unexplained if q not in layer1]
    result.diagnoses.append(
        Finding(
            "layer1-backward",
            f"{_names(layer1)} are wrong while the cost, d_w2 and d_b2 are right: the error is in the backward pass through the first layer (the ReLU mask or the product with W2ᵀ)",
            tuple(NAMES[q] for q in layer1),
        )
    )
    return [q for q in unexplained if q not in layer1]


def _eps_diagnosis(ok: list[Probe], unexplained: list[str], failing: list[str], result: CheckResult) -> list[str]:
    """Cost off by a little while every gradient is exact: fit log(p + eps) and test it on every problem."""
    if failing != ["cost"] or "cost" not in unexplained:
        return unexplained
    p_label = [ref_mod.probabilities(p.problem.X, p.problem.params)[np.arange(p.problem.n), p.problem.y] for p in ok]
    # cost - reference = -mean log(1 + eps/p_y) ~ -eps * mean(1/p_y): estimate eps on the problem that shows it most
    errors = [float(p.got["cost"]) - p.ref["cost"] for p in ok]
    i = int(np.argmax(np.abs(errors)))
    eps = -errors[i] / float(np.mean(1.0 / p_label[i]))
    if 0 < eps < 1e-2:

        def predict(p: Probe) -> float:
            p_y = p_label[ok.index(p)]
            return float(np.mean(-np.log(p_y + eps))) + p.problem.c * sum(
                float(np.vdot(p.problem.params[k], p.problem.params[k])) for k in ("W1", "W2")
            )

        if _matches(ok, "cost", predict):
            result.diagnoses.append(
                Finding(
                    "log-eps",
                    f"the cost is below the reference by about eps·mean(1/p_y) with eps ≈ {eps:.0e} on every problem while every gradient is exact: it takes log(p + eps) instead of a log-softmax, which biases every cost and caps the loss of a confident mistake at −ln(eps)",
                    ("cost",),
                )
            )
            return []
    row = next(r for r in result.rows if r.name == "cost")
    result.diagnoses.append(
        Finding(
            "cost-off",
            f"the cost is off (normwise relative error {row.rel_err:.2g}) while every gradient is exact: the cost adds or drops a term that the gradients do not see",
            ("cost",),
        )
    )
    return []


def _robust_probe(p: Probe, result: CheckResult) -> None:
    """Logits around 1e3: NaN gradients fail; a cost of inf or a capped cost with right gradients is a warning."""
    name = "logits ~1e3"
    if not p.ok:
        if p.call["status"] == "exception":
            result.diagnoses.append(
                Finding("large-logits", f"at logits around 1e3 cost_grad raised {p.call['message']}")
            )
        result.rows.append(Row(name, "FAIL", note=p.call["message"] or p.call["status"]))
        return
    grads = [q for q in PARAM_KEYS if p.got[q].shape == np.shape(p.ref[q])]
    nonfinite = [q for q in grads if not np.all(np.isfinite(p.got[q]))]
    comps = {q: _compare(q, p.got[q], p.ref[q]) for q in grads}
    cost_cmp = _compare("cost", p.got["cost"], p.ref["cost"])
    worst = max([*comps.values(), cost_cmp], key=lambda c: c.rel)
    q_worst = next((q for q, c in comps.items() if c is worst), "cost")
    got_w = float(p.got[q_worst][worst.worst_index]) if worst.worst_index else float(p.got[q_worst])
    exp_w = float(np.asarray(p.ref[q_worst])[worst.worst_index]) if worst.worst_index else float(p.ref[q_worst])

    def row(verdict: str, note: str = "") -> Row:
        return Row(
            f"{name} ({NAMES[q_worst]})" if verdict != "PASS" else name,
            verdict,
            worst.rel,
            worst.tol,
            p.problem.name,
            worst.worst_index,
            got_w,
            exp_w,
            note,
        )

    if nonfinite:
        result.diagnoses.append(
            Finding(
                "nan-at-large-logits",
                f"at logits around 1e3 cost_grad returns NaN or inf in {_names(nonfinite)}, where the reference is finite: exp overflows (no per-row max subtracted) or a row becomes 0/0 (a global max subtracted); subtract each row's own max",
                tuple(NAMES[q] for q in nonfinite),
            )
        )
        result.rows.append(row("FAIL"))
        return
    if not all(c.passed for c in comps.values()):
        if not result.diagnoses and all(r.result == "PASS" for r in result.rows):
            bad = [q for q, c in comps.items() if not c.passed]
            result.diagnoses.append(
                Finding(
                    "large-logits",
                    f"at logits around 1e3 {_names(bad)} differ from the reference (normwise relative error {worst.rel:.2g}) although every ordinary problem passes",
                    tuple(NAMES[q] for q in bad),
                )
            )
        result.rows.append(row("FAIL"))
        return
    cost = float(p.got["cost"])
    if cost_cmp.passed:
        result.rows.append(row("PASS"))
    elif not np.isfinite(cost):
        why = (
            "log(softmax) is log(0) for a confident mistake"
            if cost == np.inf
            else "0·log(0) appears where Y·log(p) is summed over every class"
        )
        result.warnings.append(
            Finding(
                "cost-not-finite",
                f"the cost is {cost} at logits around 1e3 (the reference gives {p.ref['cost']:.6g}) although every gradient is right: {why}; a log-softmax (z − max − log Σ exp(z − max)) keeps it finite",
                ("cost",),
            )
        )
        result.rows.append(row("WARN", "cost not finite"))
    elif "log-eps" not in result.codes:
        result.warnings.append(
            Finding(
                "cost-capped",
                f"the cost is {cost:.6g} at logits around 1e3, the reference {p.ref['cost']:.6g}, although every gradient is right: the loss of a confident mistake is capped (the log of a clipped probability); a log-softmax is exact",
                ("cost",),
            )
        )
        result.rows.append(row("WARN", "cost capped"))
    else:
        result.rows.append(row("FAIL", "see log-eps"))


def _softmax_probe(info: dict[str, Any], arrays: dict[str, np.ndarray], result: CheckResult) -> None:
    """The module's own softmax on rows that expose a missing or a global max.

    A softmax written for one vector (``exp(z - z.max())``) is a global-max
    softmax on a 2-D array.  If it is right row by row and cost_grad stays
    finite at large logits, the file uses it on vectors: a warning only.
    """
    expected = ref_mod.softmax_rows(SOFTMAX_Z)
    got = arrays.get("softmax", arrays.get("softmax_rows"))
    if got is None:
        messages = "; ".join(info.get("messages", []))
        result.warnings.append(Finding("softmax-unchecked", f"the module's softmax could not be checked: {messages}"))
        result.rows.append(Row("softmax", "WARN", note="could not be called"))
        return
    comps = [compare("softmax", g, e, F64) for g, e in zip(got, expected)]
    bad = [not c.passed or not np.all(np.isfinite(g)) for c, g in zip(comps, got)]
    i = int(np.argmax([c.rel for c in comps]))
    j = comps[i].worst_index[0]
    rows_right = "softmax_rows" in arrays and all(
        compare("softmax", g, e, F64).passed for g, e in zip(arrays["softmax_rows"], expected)
    )
    vector_only = any(bad) and rows_right and "nan-at-large-logits" not in result.codes
    verdict = "PASS" if not any(bad) else "WARN" if vector_only else "FAIL"
    result.rows.append(
        Row(
            "softmax",
            verdict,
            comps[i].rel,
            comps[i].tol,
            "softmax rows",
            (i, j),
            float(got[i, j]),
            float(expected[i, j]),
        )
    )
    show = lambda row: "[" + ", ".join(f"{v:.3g}" for v in row) + "]"  # noqa: E731
    if verdict == "PASS":
        return
    if vector_only:
        result.warnings.append(
            Finding(
                "softmax-vector-only",
                f"softmax is right on one vector at a time, but on a 2-D array it subtracts the global max (softmax([0, 1, 2]) next to [1000, 0, −1000] gives {show(got[1])}); cost_grad stays finite at large logits, so it seems to use it per vector, but a batch needs each row's own max",
                ("softmax",),
            )
        )
    elif bad[0] and not bad[1]:
        result.diagnoses.append(
            Finding(
                "softmax-no-max",
                f"softmax([1000, 0, −1000]) gives {show(got[0])} instead of [1, 0, 0]: exp overflows because no max is subtracted; subtract each row's max first",
                ("softmax",),
            )
        )
    elif bad[1] and not bad[0]:
        result.diagnoses.append(
            Finding(
                "softmax-global-max",
                f"softmax([0, 1, 2]) next to a row [1000, 0, −1000] gives {show(got[1])}: the softmax subtracts the global max, so a row far below it becomes 0/0; subtract each row's own max",
                ("softmax",),
            )
        )
    else:
        rows = [str(r) for r, b in enumerate(bad) if b]
        result.diagnoses.append(
            Finding(
                "softmax-wrong",
                f"the module's softmax is wrong on rows {', '.join(rows)} of [[1000, 0, −1000], [0, 1, 2], [−1000, −999, −998]]: got {show(got[i])} on row {i}, expected {show(expected[i])}",
                ("softmax",),
            )
        )
