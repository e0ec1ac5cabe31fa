"""The catalogue's families generated from the reference's steps, in process: the step-by-step net, the merge with
the hand-written entries, the search for one and two generated mistakes, and the check of repeated calls.

The fixtures written the way students write these mistakes, and the codes they get, are
tests/test_generated_families.py's.
"""

import string

import numpy as np
import pytest
from parity_helpers import assert_close, make_problem

import scratch_net as sn
from impl_check import checker, reference
from impl_check.catalogue import CATALOGUE, GENERATED, HAND_WRITTEN, MERGED, STEPS
from impl_check.codes import LEGEND
from impl_check.engine import Probe, Scope, explain
from impl_check.probes import make_problems
from impl_check.reference import SPEC, Variant


@pytest.mark.parametrize("relu_grad", ["mask", "one", "activation", "inverted"])
def test_the_step_by_step_net_is_the_autograd_one(relu_grad):
    """reference._steps, which every generated structure uses, computes what autograd does for the spec's net."""
    X, y, params = make_problem(9, 4, 5, 3, seed=7)
    structure = (*SPEC.structure[:3], relu_grad, *reference.STRUCTURE_DEFAULTS)
    steps = reference._steps(X, y, params, structure)
    with reference._one_thread():
        autograd = reference._data_part(X, y, params, structure)
    for key in sn.PARAM_KEYS:
        assert_close(key, steps.grads[key], autograd.grads[key], np.float64)
    assert_close("logp", steps.logp, autograd.logp, np.float64)


def test_a_variant_with_a_generated_step_differs_where_that_step_does():
    """d_w2 from the pre-activation changes d_w2 only; d_b1 before the mask changes d_b1 only."""
    X, y, params = make_problem(9, 4, 5, 3, seed=7)
    spec = reference.assemble(SPEC, reference.data_part(X, y, params, SPEC.structure), params, 0.5, 9)
    for change, changed in (({"w2_input": "z1"}, {"W2"}), ({"b1_grad_from": "da1"}, {"b1"})):
        v = Variant(**change)
        out = reference.assemble(v, reference.data_part(X, y, params, v.structure), params, 0.5, 9)
        differ = {q for q in sn.PARAM_KEYS if not np.allclose(out[q], spec[q], rtol=1e-12, atol=1e-14)}
        assert differ == changed and np.isclose(out["cost"], spec["cost"], rtol=1e-14)


def test_the_divisors_and_the_l1_penalty_are_applied_as_named():
    X, y, params = make_problem(6, 4, 5, 3, seed=3)
    part = reference.data_part(X, y, params, SPEC.structure)
    spec = reference.assemble(SPEC, part, params, 0.0, 6)
    nk = reference.assemble(Variant(reduction="n·k", grad_reduction="n²"), part, params, 0.0, 6)
    assert np.isclose(nk["cost"], spec["cost"] / 3) and np.allclose(nk["W1"], spec["W1"] / 6)
    l1 = reference.assemble(Variant(decay_norm="L1", decay_cost="c", decay_grad="c"), part, params, 0.5, 6)
    at0 = reference.assemble(SPEC, part, params, 0.0, 6)
    penalty = 0.5 * (np.abs(params["W1"]).sum() + np.abs(params["W2"]).sum())
    assert np.isclose(l1["cost"], at0["cost"] + penalty)
    assert np.allclose(l1["W2"], at0["W2"] + 0.5 * np.sign(params["W2"])) and np.allclose(l1["b1"], at0["b1"])


def test_a_generated_duplicate_of_a_written_entry_is_merged_into_it():
    """The written entry stays with its code and message; no entry of the catalogue makes another's net."""
    merged = {tuple(sorted(g.change.items())): w.code for g, w in MERGED}
    assert merged[(("relu_grad", "one"),)] == "relu-derivative"
    assert merged[(("grad_reduction", "sum"),)] == "grads-not-divided-by-n"
    assert merged[(("layout", ("W2.T",)),)] == "transposed"
    assert not any(g in CATALOGUE for g, _ in MERGED)
    plain = [m for m in CATALOGUE if m.fit is None]
    for i, m in enumerate(plain):
        assert all(m.variant != other.variant for other in plain[i + 1 :] if m.step or other.step), m.change
    assert all(w in HAND_WRITTEN for _, w in MERGED) and len(GENERATED) > len(MERGED)


def test_every_generated_entry_names_its_step_and_has_a_legend_line():
    placeholders = {"names", "spec_decay", "b1_shape", "b2_shape"}
    for m in CATALOGUE:
        if not m.step:
            continue
        assert m.step in STEPS and m.code in LEGEND
        used = {name for _, name, _, _ in string.Formatter().parse(m.message) if name}
        assert used <= placeholders, (m.code, used)


def _file_with(variant: Variant) -> Scope:
    """The probes as a file with ``variant``'s mistakes returns them (its numbers exactly the prediction)."""
    probes = []
    for problem in make_problems():
        probe = Probe.build(problem, {"status": "ok"}, {})
        probe.got = {q: np.asarray(v, dtype=np.float64) for q, v in probe.predict(variant).items()}
        probes.append(probe)
    return Scope(probes, ("cost", "W1", "b1", "W2", "b2"))


@pytest.mark.parametrize(
    "change, codes",
    [
        ({"softmax_axis": 0}, {"softmax-axis"}),
        ({"w2_input": "z1"}, {"pre-activation"}),
        ({"reduction": "n·k", "decay_weights": "W2"}, {"cost-divisor", "decay-one-matrix"}),
        ({"w2_input": "z1", "b1_grad_from": "da1"}, {"pre-activation", "relu-mask"}),
        (
            {"grad_reduction": "n²", "decay_norm": "L1", "decay_cost": "c", "decay_grad": "c"},
            {"grad-divisor", "decay-l1"},
        ),
    ],
)
def test_one_or_two_generated_mistakes_are_found(change, codes):
    scope = _file_with(Variant(**change))
    found = explain(scope, scope.failing())
    assert {e.mistake.code for e in found} == codes and len(found) == len(codes)
    assert set().union(*(e.items for e in found)) == scope.failing()


def _probes_of(got: dict[str, np.ndarray]) -> list[Probe]:
    problem = make_problems()[0]
    return [Probe.build(problem, {"status": "ok"}, got)]


def test_a_second_call_that_differs_is_not_deterministic():
    problem = make_problems()[0]
    cost, grads = reference.reference(problem.X, problem.y, problem.params, problem.c)
    got = {"cost": np.asarray(cost), **grads}
    again = {f"again_{q}": v for q, v in got.items()}
    status = {"again": {"problem": 0, "status": "ok"}}
    assert checker._not_deterministic(_probes_of(got), status, again) is None
    nan = {**got, "W1": np.full_like(got["W1"], np.nan), "b1": np.full_like(got["b1"], np.inf)}
    same_nan = {f"again_{q}": v.copy() for q, v in nan.items()}
    assert checker._not_deterministic(_probes_of(nan), status, same_nan) is None  # NaN and inf again: the same
    again["again_W2"] = got["W2"] * (1 + 1e-6)
    found = checker._not_deterministic(_probes_of(got), status, again)
    assert found.code == "not-deterministic" and found.quantities == ("d_w2",)
    assert found.message.startswith("cost_grad is not deterministic: a dropout or sampling left on?")
    failed = checker._not_deterministic(_probes_of(got), {"again": {"problem": 0, "status": "exception"}}, {})
    assert "the second call failed" in failed.message
