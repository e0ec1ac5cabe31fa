"""The checker's judgement, run in this process: the fast tests that `make mutate` runs against the mutated engine
(impl_check/engine.py) and catalogue (impl_check/catalogue.py).

A fixture of tests/impls is checked as check_impl checks it, with the worker's steps run here instead of in a
sandboxed child (tests/inprocess.py): the same values reach the same engine.  Each test checks one file, so that
a mutant runs only the tests that reach the mutated code.  The expected diagnoses are test_impl_check.py's tables
(one source of truth); the sandboxed run of every fixture stays there.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from inprocess import check_here
from test_impl_check import CORRECT, HALF, NOTES, WRONG

from impl_check import engine, reference, worker
from impl_check.catalogue import CATALOGUE, Mistake, decay_terms, spec_decay
from impl_check.probes import SOFTMAX_Z, Problem, make_problems
from impl_check.reference import Variant
from impl_check.result import DIAGNOSIS, NOTE, WARNING
from scratch_net.tolerance import normwise_rel_err, softmax_tolerances

# One or more fixtures for every code of the catalogue and of the engine's own findings, the fastest that show it
# (a check here takes 0.01 to 0.9 s).
NAMED = [
    "sum_not_mean",
    "grads_not_divided_by_n",
    "decay_cw",
    "decay_half",
    "decay_c_over_2n",
    "decay_grad_missing",
    "decay_missing",
    "decay_cost_half",
    "decay_cost_missing",
    "decay_doubled",
    "bias_decayed",
    "labels_not_one_hot",
    "labels_shifted",
    "bug_onehot_broadcast_column",
    "grads_transposed",
    "grads_swapped",
    "bias_shape",
    "relu_derivative",
    "bug_leaky_relu_02",
    "bug_sigmoid_hidden",
    "bug_tanh_hidden",
    "bug_lr_folded",
    "bug_negative_gradient",
    "bug_float32",
    "bug_log_eps_1e3",
    "bug_clip_1e2",
    "bug_template_zeros",
    "bug_template_cost_only",
    "bug_template_none_grads",
    "softmax_no_max",
    "softmax_global_max",
    "layer1_backward",
    "large_logits_clipped_grad",
    "unexplained_noise",
    "odd_shapes_and_inf",
    "two_sum_and_decay_cw",
    "two_relu_and_log_eps",
    "two_w2_transposed_and_log_eps",
    "multi_grads_times_n_no_decay",
    "multi_grads_times_n_cost_c_over_2n",
    "multi_onehot_column_sum_grads_cw",
    "multi_softmax_no_max_decay_half",
]
PASSING = [
    "correct_vectorised",
    "style_columns_layout",
    "style_relu_mask_from_activation",
    "correct_loop",
    "log_eps",
    "warn_log_eps_1e12",
    "warn_log_eps_1e16",
    "warn_clip_probs",
    "cost_inf_large_logits",
    "warn_logits_clipped_in_cost",
    "warn_softmax_helper_wrong",
    "warn_softmax_vector_only",
]
MESSAGES = {  # fixture -> what its findings must say: the numbers fitted to it, its own effect, its alternatives
    "decay_cw": ["the cost adds c·ΣW² and d_w1, d_w2 carry c·W: the gradient of this cost is 2c·W"],
    "decay_c_over_2n": ["(c/(2n))·ΣW²"],
    "labels_shifted": ["shifted by −1"],
    "relu_derivative": ["relu(z1), the activation itself"],
    "bug_leaky_relu_02": ["leaky ReLU with slope 0.2 "],
    "bug_lr_folded": ["every gradient is 0.01 times the reference's"],
    "bug_negative_gradient": ["every gradient is -1 times the reference's"],
    "bug_log_eps_1e3": ["log(p_y + 0.001): this moves it about 0.004 low (relative) on the ordinary problems"],
    "bug_clip_1e2": ["log(clip(p_y, 0.01, 1))", "capped at −ln(0.01)"],
    "bug_template_zeros": ["the same number (0) on every problem"],
    "bug_float32": ["d_w1, d_b1, d_w2 and d_b2 carry rounding errors of up to 1e-0", "cost,"],
    "sum_not_mean": ["the cross-entropy part of cost, d_w1, d_b1, d_w2 and d_b2 is n times the mean's"],
    "multi_grads_times_n_no_decay": ["the gradients leave out the decay term"],
    "multi_grads_times_n_cost_c_over_2n": ["the cost adds (c/(2n))·ΣW² and d_w1, d_w2 carry no decay term"],
    "multi_onehot_column_sum_grads_cw": ["d_b1 and d_b2 come back as columns (h, 1) and (k, 1)"],
    "log_eps": ["log(p_y + 1e-12)"],
    "warn_log_eps_1e12": [
        "this moves it about 4e-12 low (relative) on the ordinary problems",
        "every gradient matches",
    ],
    "warn_clip_probs": ["the same numbers for log(clip(p, 1e-15, 1))"],
}
HALF_NAMED = ["decay_half", "correct_vectorised", "decay_cw", "warn_log_eps_1e12"]


def codes(findings):
    return {f.code for f in findings}


# -- a probe: the reference and the tolerances it is judged by (engine.Probe.build)


def test_under_penalty_half_a_probe_is_the_spec_problem_at_half_its_c():
    """(c/2)·ΣW² with gradient c·W is the spec's c·ΣW² at c/2: the same reference values and the same tolerances."""
    p = next(p for p in make_problems() if p.c > 0)
    half = engine.Probe.build(p, {"status": "ok"}, {}, "course", "half")
    spec = engine.Probe.build(Problem(f"{p.name} at c/2", p.X, p.y, p.params, p.c / 2), {"status": "ok"}, {})
    assert half.tol == spec.tol and half.tol32 == spec.tol32
    assert half.ref["cost"] == spec.ref["cost"]
    for q in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(half.ref[q], spec.ref[q])


def empty_caches(monkeypatch):
    """Every cache of the engine's module emptied for one test (a value kept by an earlier test would hide a
    mutant)."""
    for name, value in vars(engine).items():
        if name.startswith("_") and not name.startswith("__") and isinstance(value, dict):
            monkeypatch.setattr(engine, name, {})


def test_a_check_from_empty_caches_gives_the_same_findings(monkeypatch):
    """The engine keeps the reference and every prediction for a run's files; a file checked first, with nothing
    kept yet, gets the same findings as one checked after others (here from a mistake in the targets, whose
    predictions need the data part of their own net)."""
    empty_caches(monkeypatch)
    result = check_here("labels_shifted")
    assert codes(result.diagnoses) == WRONG["labels_shifted"] and "shifted by −1" in result.diagnoses[0].message


# -- the module's own softmax, as students write it: judged row by row at SOFTMAX_Z (engine.softmax_row)


def softmax_rowwise(z):
    z = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_columns(z):  # samples as columns: each column sums to 1
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def softmax_one_vector(z):  # written for a single vector: the max and the sum of the whole array
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def softmax_no_max(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_global_max(z):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=1, keepdims=True)


def softmax_plus_one(z):  # a stray +1 in the denominator: wrong on every row
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / (1 + e.sum(axis=1, keepdims=True))


def softmax_python_max(z):  # one vector only: max() of a 2-D array compares its rows, which raises
    e = np.exp(z - max(z))
    return e / sum(e)


def softmax_loop(z):  # one vector only, element by element, and no max
    out = np.zeros(len(z))
    total = 0.0
    for i in range(len(z)):
        total += np.exp(z[i])
    for i in range(len(z)):
        out[i] = np.exp(z[i]) / total
    return out


def softmax_clipped(z):  # clips the logits against overflow instead of subtracting the max
    e = np.exp(np.clip(z, -500, 500))
    return e / e.sum(axis=1, keepdims=True)


def softmax_needs_axis(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def judge_softmax(fn):
    info, outputs = worker.probe_softmax(fn, SOFTMAX_Z, "student.py")
    return engine.softmax_row(info, outputs)


def test_a_module_without_softmax_gets_no_softmax_row():
    assert engine.softmax_row(None, {}) == (None, None)


def test_a_row_wise_softmax_passes_with_its_worst_row():
    row, finding = judge_softmax(softmax_rowwise)
    assert finding is None and row.result == "PASS" and not row.note
    assert row.name == "softmax" and row.rel_err <= row.tol
    worst, j = row.index
    assert row.got == pytest.approx(softmax_rowwise(SOFTMAX_Z)[worst, j], rel=1e-12)
    assert row.expected == pytest.approx(reference.softmax_rows(SOFTMAX_Z)[worst, j], rel=1e-12)
    assert row.problem == "softmax rows"  # the report's "softmax rows (1, 1): 0.244728 vs 0.244728" (README)
    # the row shown is the one nearest its tolerance, not the one with the largest error: here the first row's
    # error is exactly 0 and the others' are rounding, under tolerances that differ by a factor of 100
    ratios = [
        normwise_rel_err(a, b) / t
        for a, b, t in zip(softmax_rowwise(SOFTMAX_Z), reference.softmax_rows(SOFTMAX_Z), softmax_tolerances(SOFTMAX_Z))
    ]
    assert row.rel_err / row.tol == pytest.approx(max(ratios), rel=1e-12) and ratios[worst] == max(ratios)


def test_a_softmax_over_columns_passes_with_a_note():
    row, finding = judge_softmax(softmax_columns)
    assert finding is None and row.result == "PASS" and "samples as columns" in row.note
    worst, j = row.index  # the numbers shown are the columns' (transposed back), not the failing 2-D call's
    assert row.rel_err <= row.tol and row.got == softmax_columns(SOFTMAX_Z.T)[j, worst]


def test_a_softmax_for_one_vector_is_a_warning_that_shows_the_batch_result():
    row, finding = judge_softmax(softmax_one_vector)
    assert row.result == "FAIL" and "one vector at a time" in row.note
    assert finding.code == "softmax-vector-only" and finding.quantities == ("softmax",)
    shown = "[" + ", ".join(f"{x:.3g}" for x in softmax_one_vector(SOFTMAX_Z)[1]) + "]"
    assert f"softmax([0, 1, 2]) next to [1000, 0, −1000] gives {shown}" in finding.message
    assert finding.message.endswith("a batch needs each row's own max and sum (axis=1, keepdims=True)")


def test_a_softmax_without_max_is_named_from_the_row_that_overflows():
    row, finding = judge_softmax(softmax_no_max)
    assert row.result == "FAIL" and row.index[0] == 0  # the worst row is the one that overflows
    assert finding.code == "softmax-no-max" and finding.quantities == ("softmax",)
    assert "softmax([1000, 0, −1000]) gives [nan, 0, 0] instead of [1, 0, 0]" in finding.message
    assert finding.message.endswith("subtract each row's max first")


def test_a_softmax_with_the_global_max_is_named_from_the_row_that_becomes_0_over_0():
    row, finding = judge_softmax(softmax_global_max)
    assert row.result == "FAIL" and finding.code == "softmax-global-max"
    assert row.index[0] in (1, 2) and np.isnan(row.got)  # the row shown is a failing one, not the first
    assert "softmax([0, 1, 2]) next to a row [1000, 0, −1000] gives [nan, nan, nan]" in finding.message
    assert finding.message.endswith("subtract each row's own max") and finding.quantities == ("softmax",)


def test_a_softmax_for_one_vector_that_a_2d_array_breaks_is_judged_row_by_row():
    """Neither the 2-D call nor the transposed one returns: the rows, one at a time, are right."""
    row, finding = judge_softmax(softmax_python_max)
    assert row.result == "FAIL" and row.note.startswith("right on one vector at a time")
    worst, j = row.index
    assert row.got == softmax_python_max(SOFTMAX_Z[worst])[j] and row.rel_err <= row.tol
    assert finding.code == "softmax-vector-only" and finding.quantities == ("softmax",)
    # no batch result to show: the sentence goes straight on
    assert "not on a 2-D array of rows: a batch needs each row's own max and sum" in finding.message


def test_a_loop_softmax_without_max_is_named_from_its_rows_one_at_a_time():
    row, finding = judge_softmax(softmax_loop)
    assert row.result == "FAIL" and row.index[0] == 0 and np.isnan(row.got)
    assert finding.code == "softmax-no-max" and "gives [nan, 0, 0] instead of [1, 0, 0]" in finding.message


def test_a_softmax_wrong_on_the_last_row_only_is_no_global_max():
    """Clipped logits: [1000, 0, −1000] comes out right, [−1000, −999, −998] uniform; the middle row, which a
    global max breaks, is right, so no cause is named, and the wrong row is shown."""
    row, finding = judge_softmax(softmax_clipped)
    assert row.result == "FAIL" and row.index[0] == 2
    assert finding.code == "softmax-wrong" and "got [0.333, 0.333, 0.333] on row 2" in finding.message


def test_a_row_off_by_a_little_more_than_its_tolerance_fails():
    """The error is relative to the row's own largest probability (0.67 on the middle row), with no floor of 1 that
    would shrink it: a row off by 1.2 tolerances fails, and the row reports that error."""
    expected = reference.softmax_rows(SOFTMAX_Z)
    tols = softmax_tolerances(SOFTMAX_Z)
    got = expected.copy()
    got[1] *= 1 + 1.2 * tols[1]
    row, finding = engine.softmax_row({"status": "ok", "messages": []}, {"softmax": got})
    assert row.result == "FAIL" and finding is not None and row.index[0] == 1
    assert row.rel_err == normwise_rel_err(got[1], expected[1]) and row.rel_err > row.tol


def test_a_softmax_wrong_everywhere_names_the_rows_and_the_worst():
    row, finding = judge_softmax(softmax_plus_one)
    assert row.result == "FAIL" and finding.code == "softmax-wrong" and finding.quantities == ("softmax",)
    assert "wrong on rows 0, 1, 2 of [[1000, 0, −1000], [0, 1, 2], [−1000, −999, −998]]" in finding.message
    errors = [
        np.linalg.norm(a - b) / np.linalg.norm(b)
        for a, b in zip(softmax_plus_one(SOFTMAX_Z), reference.softmax_rows(SOFTMAX_Z))
    ]
    worst = int(np.argmax(errors))
    assert row.index[0] == worst and f"on row {worst}, expected" in finding.message


def test_a_softmax_that_cannot_be_called_is_unchecked_with_the_reason_once():
    row, finding = judge_softmax(softmax_needs_axis)
    assert row.name == "softmax" and row.result == "WARN" and row.note == "could not be called"
    assert finding.code == "softmax-unchecked" and finding.quantities == ("softmax",)
    assert finding.message.count("missing 1 required positional argument: 'axis'") == 1


# -- the level of a finding, from the finding alone (engine.level)


@pytest.mark.parametrize("code", sorted(engine.NOTE_CODES))
def test_a_note_code_is_a_note_whatever_its_effect(code):
    assert engine.level(code, engine.Effect(grads=True, cost_shift=1.0, ordinary=True)) == NOTE


@pytest.mark.parametrize("code", sorted(engine.WARNING_CODES))
def test_a_warning_code_is_a_warning_whatever_its_effect(code):
    assert engine.level(code, engine.Effect(grads=True, cost_shift=1.0, ordinary=True)) == WARNING


@pytest.mark.parametrize("code", sorted(engine.DIAGNOSIS_CODES))
def test_nothing_to_judge_is_a_diagnosis_without_any_effect(code):
    assert engine.level(code, engine.Effect()) == DIAGNOSIS


def test_a_wrong_gradient_is_a_diagnosis_even_without_a_cost_shift():
    assert engine.level("any-mistake", engine.Effect(grads=True)) == DIAGNOSIS


def test_a_cost_shift_is_a_warning_up_to_the_limit_and_a_diagnosis_beyond():
    limit = engine.WARN_COST_SHIFT
    assert engine.level("any-mistake", engine.Effect(cost_shift=limit, ordinary=True)) == WARNING
    assert engine.level("any-mistake", engine.Effect(cost_shift=limit * 1.01, ordinary=True)) == DIAGNOSIS


def test_what_shows_only_at_large_logits_is_a_note():
    assert engine.level("any-mistake", engine.Effect(cost_shift=engine.WARN_COST_SHIFT / 2)) == NOTE


def test_quantities_are_listed_by_their_report_names():
    assert engine.names(["W2"]) == "d_w2"
    assert engine.names(["cost", "b1"]) == "cost and d_b1"
    assert engine.names(["W1", "b1", "W2", "b2"]) == "d_w1, d_b1, d_w2 and d_b2"
    assert engine.names(["softmax"]) == "softmax"  # not a quantity of cost_grad: as given


# -- one value against the expected one (engine.judge, engine.passes)


def test_a_value_of_another_shape_fails_without_an_error():
    verdict = engine.judge(np.zeros((2, 3)), np.zeros((3, 2)), 1e-8, 0.0)
    assert not verdict.passed and verdict.err is None and verdict.tol == 1e-8
    assert not engine.passes(np.zeros((2, 3)), np.zeros((3, 2)), 1e-8, 0.0)


def test_the_error_is_normwise_and_relative_and_passes_up_to_the_tolerance():
    expected = np.array([[1.0, -4.0], [2.0, 0.5]])
    got = expected + np.array([[0.0, 0.0], [0.0, 1e-3]])
    verdict = engine.judge(got, expected, 1.0, 0.0)
    assert verdict.err == pytest.approx(1e-3 / 4) and verdict.index == (1, 1)
    err = verdict.err  # a value passes at an error equal to its tolerance, and fails just above it
    assert engine.judge(got, expected, err, 0.0).passed and engine.passes(got, expected, err, 0.0)
    assert not engine.judge(got, expected, err * 0.999, 0.0).passed and not engine.passes(
        got, expected, err * 0.999, 0.0
    )


def test_the_floor_holds_small_values_to_an_absolute_error():
    assert engine.judge(np.array([2e-9]), np.array([1e-9]), 1e-8, 1.0).passed
    assert not engine.judge(np.array([2e-9]), np.array([1e-9]), 1e-8, 0.0).passed
    assert engine.passes(np.array([2e-9]), np.array([1e-9]), 1e-8, 1.0)


def test_a_nan_is_the_largest_difference():
    verdict = engine.judge(np.array([1.5, np.nan, 3.0]), np.array([1.0, 2.0, 3.0]), 1e-8, 0.0)
    assert not verdict.passed and verdict.index == (1,)


def test_a_scalar_has_no_index():
    verdict = engine.judge(np.array(2.0), 2.0, 1e-12, 1.0)
    assert verdict.passed and verdict.err == 0.0 and verdict.index == ()


# -- the catalogue's entries: what each changes and what its message speaks of


def entry(code, **change):
    return next(m for m in CATALOGUE if m.code == code and all(m.change.get(k) == v for k, v in change.items()))


def test_an_entry_is_the_spec_net_with_its_change():
    tanh = Mistake("activation-tanh", {"activation": "tanh"}, "a message")
    assert tanh.variant == Variant(activation="tanh") and tanh.variant != Variant()
    assert Mistake("scaled", {}, "a message", fit=("grad_scale", (1.0,), "linear")).variant == Variant()


def test_a_weight_decay_entry_speaks_of_the_cost_and_the_weight_gradients():
    assert entry("decay-cw").claims == {"cost", "W1", "W2"}


def test_a_bias_decay_speaks_of_the_bias_gradients_and_its_cost_term_only_where_it_has_one():
    assert entry("bias-decayed", bias_decay_grad="2c").claims == {"b1", "b2"}
    assert "bias_decay_cost" not in entry("bias-decayed", bias_decay_grad="2c").change
    assert entry("bias-decayed", bias_decay_cost="c").claims == {"cost", "b1", "b2"}


def test_an_entry_outside_the_decay_claims_nothing_beyond_what_it_changes():
    assert entry("sum-not-mean").claims == frozenset()
    assert entry("log-eps").claims == frozenset()


def test_a_fitted_entry_sets_its_number_on_top_of_another_net():
    leaky = entry("activation-leaky-relu")
    base = entry("sum-not-mean").variant
    made = leaky.on(base, 0.25)
    assert made.activation == "leaky" and made.slope == 0.25  # its own change and its fitted number
    assert made.reduction == "sum" and made.grad_reduction == "sum"  # the other net's mistake kept
    assert leaky.changes(0.25) == {"activation": "leaky", "slope": 0.25}
    assert leaky.fields() == {"activation", "slope"}


def test_an_entry_without_a_number_makes_exactly_its_change():
    shifted = entry("labels-shifted", targets="shift+1", targets_in_cost=True)
    assert shifted.changes() == shifted.change and shifted.changes(3.0) == shifted.change
    assert shifted.on(Variant()) == shifted.variant == Variant(targets="shift+1")
    assert shifted.fields() == {"targets", "targets_in_cost"}


@pytest.mark.parametrize(
    "variant, terms",
    [
        (
            Variant(decay_cost="c/2", decay_grad="0"),
            {"decay_cost": "(c/2)·ΣW²", "decay_grad": "no decay term", "bias_decay_cost": "no decay"},
        ),
        (Variant(decay_cost="0", decay_grad="2c/n"), {"decay_cost": "no decay", "decay_grad": "(2c/n)·W"}),
        (Variant(bias_decay_cost="c", bias_decay_grad="2c"), {"bias_decay_cost": "c·Σb²", "bias_decay_grad": "2c·b"}),
    ],
)
def test_decay_terms_say_each_coefficient_and_what_it_multiplies(variant, terms):
    said = decay_terms(variant.resolved("full"))
    assert {key: said[key] for key in terms} == terms


def test_each_convention_says_its_own_cost_and_gradient():
    assert "c·ΣW², whose gradient is 2c·W" in spec_decay("full")
    assert "(c/2)·ΣW², whose gradient is c·W" in spec_decay("half")


def test_every_reason_a_softmax_could_not_be_called_is_given_once():
    info = {"status": "exception", "messages": ["TypeError: needs axis", "ValueError: 1-D", "TypeError: needs axis"]}
    row, finding = engine.softmax_row(info, {})
    assert finding.code == "softmax-unchecked" and row.result == "WARN"
    assert finding.message.endswith("TypeError: needs axis; ValueError: 1-D")


# -- entry by entry, where no stage explains everything (engine._Search.fallback): a file with a named mistake next
# to one that no entry makes, searched over a few entries (the whole catalogue's pairs and triples take seconds)

PROBLEMS = make_problems()
FEW_CODES = {"relu-derivative", "grads-scaled", "sum-not-mean", "grads-not-divided-by-n", "transposed", "log-eps"}
FEW_CODES |= {"bias-sum", "pre-activation"}
FEW = tuple(m for m in CATALOGUE if m.code in FEW_CODES)


def file_of(changes, edit):
    """What a file returns on every probe: a net with the catalogue's mistake ``changes`` (reference.Variant's
    fields), then ``edit(problem, values)``, a second mistake that no entry of FEW makes."""
    variant = reference.changed(Variant(), changes)
    probes = []
    for problem in PROBLEMS:
        probe = engine.Probe.build(problem, {"status": "ok"}, {})
        probe.got = {q: np.array(v, dtype=np.float64) for q, v in probe.predict(variant).items()}
        edit(problem, probe.got)
        probes.append(probe)
    return engine.Scope(probes, ("cost", "W1", "b1", "W2", "b2"))


def explained(scope):
    """The explanations of FEW, and the failing items that none of them takes."""
    failing = scope.failing()
    found = engine.explain(scope, failing, FEW)
    return found, failing - set().union(*(e.items for e in found))


def d_w2_rounded(problem, values):  # d_w2 rounded to 4 decimals: no entry rounds
    values["W2"] = np.round(values["W2"], 4)


def test_a_named_mistake_takes_its_own_quantities_and_leaves_the_unexplained_one():
    scope = file_of({"relu_grad": "one"}, d_w2_rounded)
    (e,), left = explained(scope)
    assert e.mistake.code == "relu-derivative" and e.mistake.change == {"relu_grad": "one"}
    assert e.variant == Variant(relu_grad="one") and e.value is None
    failing = scope.failing()
    assert e.items == {(i, q) for i, q in failing if q in ("W1", "b1")}  # every probe's d_w1, d_b1 and nothing else
    assert left == {(i, q) for i, q in failing if q == "W2"} and len(left) == len(PROBLEMS)


def test_a_fitted_mistake_keeps_its_number_next_to_an_unexplained_cost():
    def cost_off(problem, values):  # the cost off by 0.1%: no entry of FEW moves only the cost by that
        values["cost"] = values["cost"] * 1.001

    scope = file_of({"grad_scale": 0.01}, cost_off)
    (e,), left = explained(scope)
    assert e.mistake.code == "grads-scaled" and e.value == pytest.approx(0.01, rel=1e-6)
    assert e.variant.grad_scale == pytest.approx(0.01, rel=1e-6)
    assert {q for _, q in e.items} == {"W1", "b1", "W2", "b2"} and {q for _, q in left} == {"cost"}


def test_a_mistake_keeps_its_ordinary_items_where_the_cost_at_large_logits_has_a_weakness_of_its_own():
    """Sum instead of mean, and a log clipped at 1e-100 (which only logits ~1e3 reach): the sum takes every item but
    the cost at logits ~1e3, which it changes too but not to what the file returns."""
    scope = file_of({"reduction": "sum", "grad_reduction": "sum", "clip_eps": 1e-100}, lambda problem, values: None)
    rc = scope.robust_cost
    assert rc is not None and rc in scope.failing()
    (e,), left = explained(scope)
    assert e.mistake.code == "sum-not-mean" and left == {rc} and e.items == scope.failing() - {rc}


@pytest.mark.parametrize("eps, ordinary", [(1e-3, True), (1e-16, False)])
def test_a_log_eps_takes_the_cost_at_large_logits_that_it_explains(eps, ordinary):
    """log(p + eps) moves the cost at logits ~1e3 most (and the ordinary costs too, at 1e-3): it takes that cost
    with the others, where the file's d_w2 is left unexplained."""
    scope = file_of({"log_eps": eps}, d_w2_rounded)
    rc = scope.robust_cost
    (e,), left = explained(scope)
    assert e.mistake.code == "log-eps" and e.value == pytest.approx(eps, rel=1e-3)
    costs = {(i, q) for i, q in scope.failing() if q == "cost"}
    assert rc in costs and e.items == costs and (len(costs) > 1) == ordinary
    assert {q for _, q in left} == {"W2"}


def test_four_mistakes_on_different_quantities_are_each_named_entry_by_entry():
    """No stage tries four entries: each takes its own quantities, the last one exactly what is left."""
    changes = {"relu_grad": "one", "log_eps": 1e-3, "w2_input": "z1", "b2_sum": "mean"}
    scope = file_of(changes, lambda problem, values: None)
    found, left = explained(scope)
    assert not left and len(found) == 4
    taken = {e.mistake.code: {q for _, q in e.items} for e in found}
    assert taken == {"relu-derivative": {"W1", "b1"}, "log-eps": {"cost"}, "pre-activation": {"W2"}, "bias-sum": {"b2"}}


def test_a_number_is_fitted_on_a_probe_at_c_0_where_a_wrong_decay_cannot_mix_into_it():
    """Gradients times 0.01 and no decay term in them: on the probes at c > 0 the missing term would pull a factor
    fitted there away from 0.01 (the decay is not settled here: the search's base is the spec's net)."""
    scope = file_of({"grad_scale": 0.01, "decay_grad": "0"}, lambda problem, values: None)
    scaled = next(m for m in FEW if m.code == "grads-scaled")
    variant, value = engine._fit(scope, scaled, scope.items(), Variant())
    assert value == pytest.approx(0.01, rel=1e-9) and variant == Variant(grad_scale=value)


# -- whole checks of the fixtures (last: the slowest; a mutant that a unit test above kills stops there)


@pytest.mark.parametrize("name", NAMED)
def test_each_mistake_is_named_in_process(name):
    result = check_here(name)
    assert result.verdict == "fail"
    assert codes(result.diagnoses) == WRONG[name], [f.message for f in result.diagnoses]
    assert codes(result.notes) == NOTES.get(name, set()), [f.message for f in result.notes]
    said = [f.message for f in result.diagnoses + result.warnings + result.notes]
    for fragment in MESSAGES.get(name, []):
        assert any(fragment in message for message in said), (fragment, said)


@pytest.mark.parametrize("name", PASSING)
def test_correct_gradients_pass_in_process(name):
    result = check_here(name)
    assert result.verdict == "pass" and not result.diagnoses, [f.message for f in result.diagnoses]
    assert codes(result.warnings) == CORRECT[name], [f.message for f in result.warnings]
    assert codes(result.notes) == NOTES.get(name, set()), [f.message for f in result.notes]
    said = [f.message for f in result.warnings + result.notes]
    for fragment in MESSAGES.get(name, []):
        assert any(fragment in message for message in said), (fragment, said)


@pytest.mark.parametrize("name", HALF_NAMED)
def test_penalty_half_in_process(name):
    result = check_here(name, penalty="half")
    assert codes(result.diagnoses) == HALF[name], [f.message for f in result.diagnoses]


# -- reference.Variant as the search uses it: made by reference.changed, hashed once, pickled without its hash


def test_changed_is_replace_and_refuses_an_unknown_field():
    import dataclasses

    base = Variant()
    for changes in ({"grad_scale": 2.0}, {"b2_sum": "mean", "layout": ("T_w2",)}, {}):
        made, replaced = reference.changed(base, changes), dataclasses.replace(base, **changes)
        assert made == replaced and hash(made) == hash(replaced) and made is not base
    assert hash(reference.changed(base, {"grad_scale": 3.0})) != hash(base)  # the cached hash is not carried over
    with pytest.raises(TypeError, match=r"Variant has no field\(s\) \['scale'\]"):
        reference.changed(base, {"scale": 2.0})


def test_a_variant_pickles_without_its_cached_hash():
    import pickle

    variant = reference.changed(Variant(), {"grad_scale": 0.5})
    hash(variant)  # cached
    assert "_hash" not in variant.__getstate__()
    again = pickle.loads(pickle.dumps(variant))
    assert again == variant and hash(again) == hash(variant)


def test_the_references_caches_forget_the_oldest_entry_at_their_limit(monkeypatch):
    monkeypatch.setattr(reference, "CACHE_LIMIT", 2)
    cache: dict = {}
    for key in "abc":
        reference._remember(cache, key, key.upper())
    assert cache == {"b": "B", "c": "C"}


def softmax_float32(z):  # right, but computed in single precision
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_a_softmax_merely_off_is_not_given_a_cause_it_does_not_have():
    """A float32 softmax is off on the rows [0, 1, 2] and [−1000, −999, −998] by its rounding, and finite: it was
    named softmax-global-max, whose message says a row became 0/0."""
    row, finding = engine.softmax_row(*worker.probe_softmax(softmax_float32, SOFTMAX_Z, "net.py"))
    assert row.result == "FAIL" and finding is not None and finding.code == "softmax-wrong", finding
    assert "0/0" not in finding.message and "overflow" not in finding.message


# -- two or three entries at once (engine._combination, through engine._Search.stage on the entries of FEW): which
# combinations are tried, in what order, and how a fitted number is fitted again on top of another entry


def stage(changes, size):
    """The stage ``size`` of the search on FEW for a file with the mistakes ``changes``, its scope and failing items."""
    scope = file_of(changes, lambda problem, values: None)
    failing = scope.failing()
    return engine._Search(scope, failing, FEW, None).stage(size), scope, failing


def changed_by(scope, changes):
    """The items on which a net with ``changes`` differs from the reference beyond the tolerance."""
    variant = reference.changed(Variant(), changes)
    return {(i, q) for i, q in scope.items() if scope.probes[i].differs(q, scope.probes[i].predict(variant)[q])}


def grads_of(items):
    return {(i, q) for i, q in items if q != "cost"}


def test_a_number_is_fitted_again_on_top_of_the_other_entry_of_a_pair():
    """Sum instead of mean and gradients times 0.01: the factor fitted alone meets gradients n times too large, so it
    is fitted again on top of the sum, which reproduces the cost that the factor cannot change; the factor takes the
    gradients only, the sum everything it changes."""
    found, scope, failing = stage({"reduction": "sum", "grad_reduction": "sum", "grad_scale": 0.01}, 2)
    assert found is not None and [e.mistake.code for e in found] == ["sum-not-mean", "grads-scaled"]  # catalogue order
    summed, scaled = found
    assert summed.items == failing and summed.value is None and summed.variant == Variant(**summed.mistake.change)
    assert scaled.value == pytest.approx(0.01, rel=1e-6)
    assert scaled.variant == Variant(grad_scale=scaled.value)
    assert scaled.items == grads_of(failing) and len(scaled.items) == 4 * len(PROBLEMS)


@pytest.mark.parametrize("relu", ["one", "inverted"])
def test_a_pair_is_found_past_an_entry_that_sets_the_same_field_as_its_first(relu):
    """A ReLU derivative and gradients times 0.01: the other ReLU entries (which set the same field) sit between the
    two in the catalogue (one) or none does (inverted); the pair is found either way, each entry with what it
    changes."""
    found, scope, failing = stage({"relu_grad": relu, "grad_scale": 0.01}, 2)
    assert found is not None and [e.mistake.code for e in found] == ["relu-derivative", "grads-scaled"]
    assert found[0].mistake.change == {"relu_grad": relu}
    assert found[0].items == changed_by(scope, {"relu_grad": relu}) & failing
    assert {q for _, q in found[0].items} == {"W1", "b1"}
    assert found[1].value == pytest.approx(0.01, rel=1e-6) and found[1].items == failing


def test_a_pair_without_numbers_names_each_entry_with_its_own_items():
    """A ReLU derivative of 1 and d_w2 transposed: each entry takes the items it changes, not the other's."""
    found, scope, failing = stage({"relu_grad": "one", "layout": ("W2.T",)}, 2)
    assert found is not None and [e.mistake.change for e in found] == [{"relu_grad": "one"}, {"layout": ("W2.T",)}]
    assert found[0].items == changed_by(scope, {"relu_grad": "one"}) & failing
    assert found[1].items == {(i, q) for i, q in failing if q == "W2"} and len(found[1].items) == len(PROBLEMS)
    assert found[0].items | found[1].items == failing


def test_a_pair_whose_two_entries_set_the_same_field_is_never_accepted():
    """Sum instead of mean is one entry (stage 1); the gradients' sum sets one of its fields, so the two together
    (which make the same net) are no pair."""
    found, scope, failing = stage({"reduction": "sum", "grad_reduction": "sum"}, 2)
    assert found is None


def test_a_triple_whose_entries_set_the_same_field_is_never_accepted():
    """Gradients not divided by n and an inverted ReLU mask: with a ReLU entry that comes before the inverted mask in
    the catalogue as a third, the net made entry after entry is the file's (the later entry's field wins); but two
    ReLU entries set the same field."""
    found, scope, failing = stage({"grad_reduction": "sum", "relu_grad": "inverted"}, 3)
    assert found is None


def test_a_triple_of_two_generated_entries_is_not_tried():
    """A ReLU derivative of 1 and both bias gradients averaged: the two bias entries are generated ones, and a
    triple holds one generated entry at most (the fallback names them one by one)."""
    found, scope, failing = stage({"relu_grad": "one", "b2_sum": "mean", "b1_sum": "mean"}, 3)
    assert found is None


def test_a_triple_with_one_fitted_and_one_generated_entry_is_found():
    """A ReLU derivative of 1, log(p + 0.001) and d_b2 averaged (a generated entry): the number fitted alone is right,
    and the three come in the catalogue's order, each with its own items."""
    found, scope, failing = stage({"relu_grad": "one", "b2_sum": "mean", "log_eps": 1e-3}, 3)
    assert found is not None and [e.mistake.code for e in found] == ["relu-derivative", "log-eps", "bias-sum"]
    relu, eps, bias = found
    assert eps.value == pytest.approx(1e-3, rel=1e-6) and eps.variant == Variant(log_eps=eps.value)
    assert eps.items == {(i, q) for i, q in failing if q == "cost"} and len(eps.items) == len(PROBLEMS)
    assert bias.mistake.step and bias.mistake.change == {"b2_sum": "mean"}
    assert bias.items == {(i, q) for i, q in failing if q == "b2"}
    assert relu.items == changed_by(scope, {"relu_grad": "one"}) & failing


def test_three_entries_next_to_each_other_in_the_catalogue_are_found_in_its_order():
    """The triple of the test above searched over its three entries alone: each one's neighbour is the next one
    tried, and the findings come in the catalogue's order (the order the report lists them in)."""
    three = tuple(m for m in FEW if m.change in ({"relu_grad": "one"}, {"b2_sum": "mean"}) or m.code == "log-eps")
    assert [m.code for m in three] == ["relu-derivative", "log-eps", "bias-sum"]
    scope = file_of({"relu_grad": "one", "b2_sum": "mean", "log_eps": 1e-3}, lambda problem, values: None)
    found = engine._Search(scope, scope.failing(), three, None).stage(3)
    assert found is not None and [e.mistake for e in found] == list(three)


def test_a_number_is_fitted_again_on_top_of_one_other_entry_never_two():
    """Sum instead of mean, a ReLU derivative of 1 and gradients times 0.01: the factor fitted alone is off (the
    other two change the gradients too), and a triple does not fit it again on top of the other two (time): stage 3
    finds nothing, and the fallback names what it can."""
    found, scope, failing = stage(
        {"reduction": "sum", "grad_reduction": "sum", "relu_grad": "one", "grad_scale": 0.01}, 3
    )
    assert found is None


def test_a_number_fitted_again_on_top_of_a_settled_decay_takes_what_it_changes_against_that_net():
    """The same pair on top of the decay (c/2)·ΣW² with c·W (settled: the search's base): the factor changes the
    gradients of that net, not its cost, though the settled net's cost differs from the reference's wherever c > 0."""
    half = next(m for m in CATALOGUE if m.code == "decay-half")
    changes = {"decay_cost": "c/2", "decay_grad": "c", "reduction": "sum", "grad_reduction": "sum", "grad_scale": 0.01}
    scope = file_of(changes, lambda problem, values: None)
    search = engine._Search(scope, scope.failing(), FEW, half)
    assert search.base == half.variant and any(p.problem.c > 0 for p in scope.probes)
    found = search.stage(2)
    assert found is not None and [e.mistake.code for e in found] == ["decay-half", "sum-not-mean", "grads-scaled"]
    scaled = found[2]
    assert scaled.value == pytest.approx(0.01, rel=1e-6) and scaled.items == grads_of(search.failing)
    assert scaled.variant == reference.changed(half.variant, {"grad_scale": scaled.value})


# -- the search's own parts (engine.judge, engine.Probe, engine.explain, engine._either, engine._Search,
# engine.softmax_row): what the whole checks above leave untested


def test_a_value_of_another_shape_is_a_verdict_that_did_not_pass():
    """``passed`` is a bool (False), not merely something false."""
    assert engine.judge(np.zeros(2), np.zeros(3), 1e-8, 0.0).passed is False


def test_a_nan_difference_counts_as_infinite_and_the_first_of_equal_ones_is_located():
    """An inf before a NaN: both are infinitely off, and the first is the one shown (not the NaN after it)."""
    verdict = engine.judge(np.array([1.0, np.inf, np.nan]), np.array([1.0, 2.0, 3.0]), 1e-8, 0.0)
    assert not verdict.passed and verdict.index == (1,)


def robust_at(c):
    """The problem at logits ~1e3, under a decay: the only probe whose tolerances depend on c (its gradients'
    conditioning), named apart from the real one."""
    p = next(p for p in make_problems() if p.robust)
    return Problem(f"{p.name} at c={c}", p.X, p.y, p.params, c)


def test_each_penalty_convention_is_judged_by_the_tolerances_at_its_own_c(monkeypatch):
    """Full: the tolerances at c, in float64 and float32; half ((c/2)·ΣW², gradient c·W): those of the spec's cost
    at c/2."""
    from scratch_net.tolerance import conditioned_tolerances

    empty_caches(monkeypatch)
    p = robust_at(0.5)
    full = engine.Probe.build(p, {"status": "ok"}, {}, "course", "full")
    half = engine.Probe.build(p, {"status": "ok"}, {}, "course", "half")
    assert full.tol == conditioned_tolerances(p.X, p.y, p.params, 0.5, np.float64)
    assert full.tol32 == conditioned_tolerances(p.X, p.y, p.params, 0.5, np.float32)
    assert half.tol == conditioned_tolerances(p.X, p.y, p.params, 0.25, np.float64)
    assert half.tol32 == conditioned_tolerances(p.X, p.y, p.params, 0.25, np.float32)
    assert full.tol["W1"] != half.tol["W1"]  # the problem tells the two apart
    assert all(half.tol32[q] > half.tol[q] for q in half.tol)  # single precision rounds more


def test_a_float32_verdict_is_held_to_the_float32_tolerance(monkeypatch):
    empty_caches(monkeypatch)
    probe = engine.Probe.build(robust_at(0.5), {"status": "ok"}, {})
    probe.got = {"W1": np.asarray(probe.ref["W1"]) * (1 + 1e-9)}
    assert probe.verdict("W1", probe.ref["W1"], "float32").tol == probe.tol32["W1"]
    assert probe.verdict("W1", probe.ref["W1"]).tol == probe.tol["W1"] < probe.tol32["W1"]


def test_the_spec_net_predicts_the_reference_under_either_convention(monkeypatch):
    """Under half, the net without mistakes is the reference of half's convention (not the full penalty's)."""
    empty_caches(monkeypatch)
    p = next(p for p in make_problems() if p.c == 0.5)
    for convention in ("full", "half"):
        probe = engine.Probe.build(p, {"status": "ok"}, {}, "course", convention)
        predicted = probe.predict(Variant())
        assert predicted["cost"] == pytest.approx(probe.ref["cost"], rel=1e-12)
        for q in ("W1", "b1", "W2", "b2"):
            np.testing.assert_allclose(predicted[q], probe.ref[q], rtol=1e-12)


def test_predictions_are_shared_up_to_the_limit_and_a_fits_steps_are_not_kept(monkeypatch):
    """Each prediction is kept for the run's other files, the oldest forgotten at PREDICTED_LIMIT; one asked with
    remember=False is computed but kept nowhere."""
    empty_caches(monkeypatch)
    monkeypatch.setattr(engine, "PREDICTED_LIMIT", 2)
    p = next(p for p in make_problems() if p.c == 0.5)
    probe = engine.Probe.build(p, {"status": "ok"}, {})
    variants = [reference.changed(Variant(), {"grad_scale": s}) for s in (0.5, 2.0, 3.0)]
    values = [probe.predict(v) for v in variants]
    key = lambda v: (p.name, "course", "full", v)  # noqa: E731
    assert list(engine._PREDICTED) == [key(variants[1]), key(variants[2])]
    assert engine._PREDICTED[key(variants[2])]["W1"] is values[2]["W1"]
    step = reference.changed(Variant(), {"grad_scale": 4.0})
    probe.predict(step, remember=False)
    assert key(step) not in engine._PREDICTED and step not in probe.predicted


def test_the_cost_is_held_to_an_absolute_error_below_1(monkeypatch):
    """A cost below 1 (here ln 2: two classes, zero weights) has COST_FLOOR as its scale; a gradient has its own."""
    from scratch_net.tolerance import COST_FLOOR

    empty_caches(monkeypatch)
    p = next(p for p in make_problems() if p.params["W2"].shape[1] == 2)
    zero = {k: np.zeros_like(v) for k, v in p.params.items()}
    probe = engine.Probe.build(Problem(f"{p.name}, zero weights", p.X, p.y, zero, 0.0), {"status": "ok"}, {})
    assert probe.ref["cost"] == pytest.approx(np.log(2)) and COST_FLOOR > np.log(2)
    assert probe.floor("cost") == COST_FLOOR
    assert probe.floor("b2") == float(np.max(np.abs(probe.ref["b2"])))


def test_a_prediction_differs_from_the_reference_or_from_what_it_is_held_against():
    p = next(p for p in make_problems() if p.c == 0.5)
    probe = engine.Probe.build(p, {"status": "ok"}, {})
    off = np.asarray(probe.ref["W1"]) * (1 + 1e-6)
    assert probe.differs("W1", off) and not probe.differs("W1", off, against=off)
    assert not probe.differs("W1", probe.ref["W1"]) and probe.differs("W1", probe.ref["W1"], against=off)


def test_the_decay_is_settled_from_the_catalogue_given_only():
    """A file whose gradients leave out the decay term, searched with entries none of which is about the decay:
    nothing found names an entry outside them (the decay entries of the whole catalogue are not tried)."""
    scope = file_of({"decay_grad": "0"}, lambda problem, values: None)
    found, left = explained(scope)
    assert all(e.mistake in FEW for e in found) and left


def test_a_softmax_that_cannot_be_called_gives_each_reason_once_in_order():
    row, finding = engine.softmax_row({"status": "error", "messages": ["no axis", "bad shape", "no axis"]}, {})
    assert row.result == "WARN" and finding.code == "softmax-unchecked"
    assert finding.message.endswith("could not be checked: no axis; bad shape")


def test_a_softmax_report_without_messages_is_unchecked_without_an_error():
    """A worker's report (read as untrusted) that names no reason: the row and the finding, with no reason."""
    row, finding = engine.softmax_row({"status": "error"}, {})
    assert row.result == "WARN" and finding.code == "softmax-unchecked"
    assert finding.message.endswith("could not be checked: ")


def test_a_softmax_for_one_vector_shows_the_middle_row_of_its_batch_result():
    """The message quotes what the 2-D call gave on [0, 1, 2] (row 1), here unlike its row 2, and the note says
    the 2-D array is what it gets wrong."""
    right = reference.softmax_rows(SOFTMAX_Z)
    batch = right.copy()
    batch[1] = [0.5, 0.25, 0.25]
    batch[2] = [0.125, 0.125, 0.75]
    row, finding = engine.softmax_row({"status": "ok", "messages": []}, {"softmax": batch, "softmax_rows": right})
    assert finding.code == "softmax-vector-only"
    assert "softmax([0, 1, 2]) next to [1000, 0, −1000] gives [0.5, 0.25, 0.25])" in finding.message
    assert "wrong on a 2-D array" in row.note


def softmax_no_max_plus_one(z):  # no max, and a stray +1 in the denominator: wrong on every row, not just the first
    e = np.exp(z)
    return e / (1 + e.sum(axis=1, keepdims=True))


def test_a_softmax_without_max_that_is_wrong_elsewhere_too_is_given_no_cause():
    """The overflow explains the first row only: with the other rows wrong as well, no-max is not the cause."""
    row, finding = judge_softmax(softmax_no_max_plus_one)
    assert row.result == "FAIL" and finding.code == "softmax-wrong"
    assert "wrong on rows 0, 1, 2 of" in finding.message


def test_a_nan_on_the_middle_row_alone_is_the_global_max():
    """Row [0, 1, 2] becomes 0/0 while [1000, 0, −1000] is right: the global max, whatever the last row gives (here
    right); the message shows the middle row."""
    got = reference.softmax_rows(SOFTMAX_Z).copy()
    got[1] = np.nan
    row, finding = engine.softmax_row({"status": "ok", "messages": []}, {"softmax": got})
    assert finding.code == "softmax-global-max" and row.index[0] == 1
    assert "next to a row [1000, 0, −1000] gives [nan, nan, nan]:" in finding.message


def test_entry_by_entry_a_single_mistake_is_its_entry_alone():
    """The fallback stops once nothing is left: the entry that takes every failing item is the whole answer (the
    smaller entries after it are not tried)."""
    scope = file_of({"relu_grad": "one"}, lambda problem, values: None)
    found = engine._Search(scope, scope.failing(), FEW, True).fallback()
    assert [e.mistake.code for e in found] == ["relu-derivative"] and found[0].items == scope.failing()


def test_entry_by_entry_an_entry_that_changes_only_the_cost_at_large_logits_takes_it():
    """log(p + 1e-100) changes nothing but the cost at logits ~1e3: that item is all the entry has, and it takes
    it."""
    scope = file_of({"log_eps": 1e-100}, lambda problem, values: None)
    rc = scope.robust_cost
    assert scope.failing() == {rc}
    (e,) = engine._Search(scope, {rc}, FEW, True).fallback()
    assert e.mistake.code == "log-eps" and e.items == {rc} and e.value == pytest.approx(1e-100, rel=1e-6)


def test_two_mistakes_on_the_same_gradients_are_found_as_a_pair():
    """Gradients times 0.5 and the ReLU's derivative taken as 1: each changes d_w1 and d_b1, so neither reproduces
    them alone (entry by entry finds nothing); the pair explains every item."""
    scope = file_of({"grad_scale": 0.5, "relu_grad": "one"}, lambda problem, values: None)
    found, left = explained(scope)
    assert not left and {e.mistake.code for e in found} == {"relu-derivative", "grads-scaled"}
    assert next(e.value for e in found if e.mistake.code == "grads-scaled") == pytest.approx(0.5, rel=1e-9)


class Found(list):
    source: tuple


class ScriptedSearch:
    """A search whose stages and fallback are given: what _either may ask of engine._Search, and nothing more.

    ``settled``: a settled decay is one finding of every result; ``never``: items no stage or fallback can
    explain (only on top of a settled decay); ``stages``: the sizes that succeed; ``fallback``: the items it leaves
    unexplained and its number of findings (never below :meth:`fallback_floor`, as the real one)."""

    def __init__(self, failing, settled, never, stages, fallback):
        self.failing, self.settled, self.never, self.stages = failing, settled, never, stages
        self.left, self.count = fallback
        self.asked = 0

    def found(self, left, count, source):
        """``count`` findings that leave the first ``left`` failing items unexplained, marked with their source."""
        items = sorted(self.failing)
        found = Found(SimpleNamespace(items=set(items[left:]) if k == 0 else set()) for k in range(count))
        found.source = (self, source)
        return found

    def stage_score(self, size):
        return self.never, int(self.settled) + size

    def stage(self, size):
        self.asked += 1
        return self.found(*self.stage_score(size), size) if size in self.stages else None

    def fallback_floor(self):
        return self.never, int(self.settled) + (1 if len(self.failing) > self.never else 0)

    def fallback(self):
        return self.found(self.left, self.count, "fallback")

    def result(self):
        return next((self.stage(s) for s in range(4) if s in self.stages), None) or self.fallback()


def scripted(rng, failing, settled):
    never = int(rng.integers(0, 3)) if settled else 0  # without a settled decay, every failing item is searched
    stages = {s for s in range(0 if settled else 1, 4) if rng.random() < 0.3}
    if settled and never < len(failing):
        stages.discard(0)  # the settled decay alone explains everything only where nothing else fails
    while True:
        fallback = int(rng.integers(never, len(failing) + 1)), int(settled) + int(rng.integers(0, 4))
        search = ScriptedSearch(failing, settled, never, stages, fallback)
        if fallback >= search.fallback_floor():
            return search


def test_the_two_searches_side_by_side_give_the_better_of_their_results():
    """_either is min(on.result(), off.result()) by (items left unexplained, findings), ties to the settled decay,
    however early it stops: over many scripted pairs of searches, every order of success and every fallback."""
    rng = np.random.default_rng(0)
    failing = {(i, "W1") for i in range(6)}

    def score(found):
        return len(failing - set().union(*(e.items for e in found))), len(found)

    for _ in range(600):
        on, off = scripted(rng, failing, True), scripted(rng, failing, False)
        expected = min(on.result(), off.result(), key=score)
        got = engine._either(failing, on, off)
        assert (score(got), got.source) == (score(expected), expected.source)


def test_a_fallback_that_names_one_entry_for_what_is_left_scores_its_floor():
    """The floor of the fallback's score (the never explained items; the settled decay, and one entry if anything is
    left on top of it) is what a one-mistake file's fallback reaches: the decay alone, settled; one entry, not."""
    from impl_check.catalogue import DECAY_FIELDS

    catalogue = FEW + tuple(m for m in CATALOGUE if m.fit is None and m.change and set(m.change) <= DECAY_FIELDS)
    for changes, settled in (({"decay_grad": "0"}, True), ({"grad_scale": 0.5}, False)):
        scope = file_of(changes, lambda problem, values: None)
        failing = scope.failing()
        decay = engine.settle_decay(scope, catalogue) if settled else None
        assert isinstance(decay, Mistake) == settled
        search = engine._Search(scope, failing, catalogue, decay)
        found = search.fallback()
        assert search.fallback_floor() == (len(failing - set().union(*(e.items for e in found))), len(found)) == (0, 1)


def test_a_settled_decay_takes_only_the_items_it_changes_and_wins_a_tie():
    """Gradients without the decay term and the ReLU's derivative taken as 1: both searches name the two; the
    settled decay's comes first (it wins the tie) and takes d_w1 and d_w2 on the probes at c > 0 only, never the d_b1
    that the ReLU's entry alone changes."""
    from impl_check.catalogue import DECAY_FIELDS

    catalogue = FEW + tuple(m for m in CATALOGUE if m.fit is None and m.change and set(m.change) <= DECAY_FIELDS)
    scope = file_of({"decay_grad": "0", "relu_grad": "one"}, lambda problem, values: None)
    decay, relu = engine.explain(scope, scope.failing(), catalogue)
    assert (decay.mistake.code, relu.mistake.code) == ("decay-grad-missing", "relu-derivative")
    assert {q for _, q in decay.items} == {"W1", "W2"} and all(scope.probes[i].problem.c > 0 for i, _ in decay.items)
    assert {q for _, q in relu.items} == {"W1", "b1"}


def test_an_entry_without_a_number_is_named_as_an_alternative_by_its_label():
    """Another entry that makes the same numbers is named beside the one found, by its label (which has no number
    to show)."""
    twin = Mistake("relu-as-one", {"relu_grad": "one"}, "{names} take the ReLU's derivative as 1", label="relu' = 1")
    scope = file_of({"relu_grad": "one"}, d_w2_rounded)
    (e,) = [e for e in engine.explain(scope, scope.failing(), (*FEW, twin)) if e.mistake.code == "relu-derivative"]
    assert e.alternatives == ["relu' = 1"]


def test_entry_by_entry_a_decay_entry_is_not_named_where_the_cost_it_speaks_of_is_wrong():
    """Gradients without the decay term, and the cost off by 0.1% on the ordinary probes: decay-grad-missing changes
    d_w1 and d_w2 only, but its message says the cost has the spec's decay term, which these costs do not match
    (the cost at logits ~1e3, at c = 0, is right): the fallback does not name it."""
    from impl_check.catalogue import DECAY_FIELDS

    def cost_off(problem, values):
        if not problem.robust:
            values["cost"] = values["cost"] * 1.001

    catalogue = FEW + tuple(m for m in CATALOGUE if m.fit is None and m.change and set(m.change) <= DECAY_FIELDS)
    scope = file_of({"decay_grad": "0"}, cost_off)
    assert scope.robust_cost not in scope.failing()
    assert engine._Search(scope, scope.failing(), catalogue, None).fallback() == []


# -- a mistake's footprint, a fitted number, the settled decay and a finding's own effect (engine._footprint,
# engine._fit, engine._same_but_c, engine.settle_decay, engine._difference_agrees, engine._own_effect)


def fresh_footprints(monkeypatch):
    """The footprints of this test only: a mutant must not hide behind one that an earlier test computed."""
    monkeypatch.setattr(engine, "_FOOTPRINTS", {})


def correct_file():
    return file_of({}, lambda problem, values: None)


def test_an_entry_judged_at_another_precision_changes_exactly_the_quantities_it_names(monkeypatch):
    """The float32 entry predicts the reference's values: its footprint is the items of the quantities it names."""
    fresh_footprints(monkeypatch)
    scope = correct_file()
    single = entry("single-precision")
    some = [item for item in scope.items() if item[1] in ("cost", "W2")]
    assert engine._footprint(scope, single, single.variant, some) == set(some)


def test_a_footprint_on_top_of_a_settled_decay_is_what_the_entry_changes_there(monkeypatch):
    """The mean of dz2 for d_b2 on top of the c·W gradient: against that net it changes d_b2 alone, on every probe;
    against the spec's net the decay's own d_w1 and d_w2 (at c > 0) would be counted as its own."""
    fresh_footprints(monkeypatch)
    scope = correct_file()
    mean = entry("bias-sum", b2_sum="mean")
    base = entry("decay-cw").variant
    footprint = engine._footprint(scope, mean, mean.on(base), scope.items(), base)
    assert footprint == {(i, "b2") for i in range(len(scope.probes))}


def test_a_footprint_is_remembered_for_the_next_file_of_the_run(monkeypatch):
    """The footprint depends on the probes only: a second file's search reads it without predicting again."""
    fresh_footprints(monkeypatch)
    scope = correct_file()
    mean = entry("bias-sum", b2_sum="mean")
    first = engine._footprint(scope, mean, mean.variant, scope.items())
    assert first == {(i, "b2") for i in range(len(scope.probes))}

    def no_prediction(*args, **kwargs):
        raise AssertionError("predicted again")

    monkeypatch.setattr(engine.ref_mod, "assemble", no_prediction)
    monkeypatch.setattr(engine, "_PREDICTED", {})
    for p in scope.probes:
        p.predicted.clear()
    assert engine._footprint(scope, mean, mean.variant, scope.items()) == first


def test_the_footprints_forget_the_oldest_at_their_limit(monkeypatch):
    fresh_footprints(monkeypatch)
    scope = correct_file()
    monkeypatch.setattr(engine, "PREDICTED_LIMIT", 2)
    monkeypatch.setattr(engine, "_PREDICTED", {})
    keys = []
    for code, change in (("bias-sum", {"b2_sum": "mean"}), ("bias-sum", {"b1_sum": "mean"}), ("sum-not-mean", {})):
        m = entry(code, **change)
        engine._footprint(scope, m, m.variant, scope.items())
        keys.append(next(reversed(engine._FOOTPRINTS)))
    assert list(engine._FOOTPRINTS) == keys[1:]


def test_a_problem_at_large_logits_is_never_paired_for_the_decay():
    """Only ordinary probes that differ in c alone are paired: one judged for robustness only is not, even where it
    shares the data and the parameters of another."""
    a, b = PROBLEMS[0], PROBLEMS[2]
    assert engine._same_but_c(a, b)
    robust = Problem("A c=0.5 at logits ~1e3", a.X, a.y, a.params, 0.5, robust=True)
    assert not engine._same_but_c(a, robust) and not engine._same_but_c(robust, a)


def test_the_decay_of_a_correct_file_is_settled_as_the_conventions_own():
    assert engine.settle_decay(correct_file()) is True


def test_a_decay_entry_after_the_one_equal_to_the_spec_is_still_tried():
    """(c/(2n))·ΣW² with c/n·W comes after decay-full in the catalogue (which is the spec's own under --penalty full,
    so skipped): the entry is still found."""
    settled = engine.settle_decay(file_of({"decay_cost": "c/(2n)", "decay_grad": "c/n"}, lambda problem, values: None))
    assert settled is not None and settled is not True
    assert settled.code == "decay-c-over-2n" and settled.change == {"decay_cost": "c/(2n)", "decay_grad": "c/n"}


def test_a_bias_gradient_in_another_shape_is_the_same_vector_but_a_weight_gradient_is_not():
    """d_b1 flattened to (h,) is compared as the vector it is; d_w1 flattened is not d_w1 (its layout is wrong)."""
    scope = correct_file()
    for i in (0, 2):
        scope.probes[i].got["b1"] = scope.probes[i].got["b1"].ravel()
    assert engine._difference_agrees(scope, Variant(), 0, 2)
    for i in (0, 2):
        scope.probes[i].got["W1"] = scope.probes[i].got["W1"].ravel()
    assert not engine._difference_agrees(scope, Variant(), 0, 2)


def test_a_gradient_in_the_wrong_shape_on_one_probe_of_the_pair_does_not_agree():
    """A file whose d_w2 comes back transposed at c = 0.5 only (a branch on c)."""
    scope = correct_file()
    scope.probes[2].got["W2"] = scope.probes[2].got["W2"].T
    assert not engine._difference_agrees(scope, Variant(), 0, 2)


@pytest.mark.parametrize("share, agrees", [(0.9, True), (1.5, False)])
def test_the_change_between_two_probes_may_err_by_both_tolerances(share, agrees):
    """Each value may err by its own tolerance at its own scale (tol · floor): a change off by less than their sum
    agrees, one off by more does not (d_w1's scales at c = 0 and c = 0.5 differ: 0.25 against 1.1)."""
    scope = correct_file()
    a, b = scope.probes[0], scope.probes[2]
    allowed = a.tol["W1"] * a.floor("W1") + b.tol["W1"] * b.floor("W1")
    b.got["W1"] = b.got["W1"].copy()
    b.got["W1"][0, 0] += share * allowed
    assert engine._difference_agrees(scope, Variant(), 0, 2) == agrees


def test_an_effect_on_the_cost_seen_on_any_ordinary_probe_is_visible():
    """No decay term in the cost: seen at c = 0.5, not at c = 0 (the last probe here)."""
    scope = correct_file()
    scope = engine.Scope([scope.probes[2], scope.probes[0]], scope.judged)
    missing = entry("decay-cost-missing")
    e = engine.Explanation(missing, missing.variant, {(0, "cost")})
    engine._own_effect(scope, [e], e)
    assert e.cost_visible and e.cost_shift < 0


def test_without_an_ordinary_probe_a_finding_has_no_effect_on_the_cost():
    """Only the probe at logits ~1e3 returned: no ordinary cost moves, and nothing is measured."""
    scope = correct_file()
    scope = engine.Scope([scope.probes[-1]], scope.judged)
    missing = entry("decay-cost-missing")
    e = engine.Explanation(missing, missing.variant, set())
    engine._own_effect(scope, [e], e)
    assert e.cost_shift == 0.0 and not e.cost_visible and e.size == 0.0


def test_a_findings_size_is_measured_at_the_references_scale():
    """d_b2 from the mean of dz2, next to every gradient times 0.01: its error against the net with the scaling is
    0.01 times its error alone, at the reference's scale (not relative to the scaled-down values)."""
    mean, scaled = entry("bias-sum", b2_sum="mean"), entry("grads-scaled")
    b2 = {(i, "b2") for i in range(len(PROBLEMS))}

    def size(changes, found):
        scope = file_of(changes, lambda problem, values: None)
        e = found[-1]
        engine._own_effect(scope, found, e)
        return e.size

    alone = size({"b2_sum": "mean"}, [engine.Explanation(mean, mean.variant, b2)])
    with_scale = size(
        {"b2_sum": "mean", "grad_scale": 0.01},
        [
            engine.Explanation(scaled, Variant(grad_scale=0.01), set(), value=0.01),
            engine.Explanation(mean, mean.variant, b2),
        ],
    )
    assert alone > 0.1 and with_scale == pytest.approx(0.01 * alone, rel=1e-6)


def test_a_probe_at_c_0_where_the_file_is_exact_is_not_where_a_number_is_fitted():
    """Gradients times 0.01 on the probes at c > 0 only: the probes at c = 0 (the first, and the one at logits
    ~1e3) show nothing of the factor, so it is fitted where the file differs (fitted at c = 0 it would be 1)."""
    scope = file_of({"grad_scale": 0.01}, lambda problem, values: None)
    at_0 = [p for p in scope.probes if p.problem.c == 0]
    assert len(at_0) == 2
    for p in at_0:
        p.got = {q: np.array(v, dtype=np.float64) for q, v in p.ref.items()}
    variant, value = engine._fit(scope, entry("grads-scaled"), scope.items(), Variant())
    assert value == pytest.approx(0.01, rel=1e-9) and variant == Variant(grad_scale=value)


def test_a_number_is_fitted_at_c_0_even_where_a_probe_at_c_above_0_differs_more():
    """Gradients times 0.999999 and no decay term: the missing term makes the probes at c = 0.5 differ most, but
    the factor is fitted at c = 0, where no decay mixes into it."""
    scope = file_of({"grad_scale": 0.999999, "decay_grad": "0"}, lambda problem, values: None)
    first = scope.probes[0]
    worst = max(range(len(scope.probes)), key=lambda i: scope.probes[i].ref_verdict("W1").err)
    assert scope.probes[worst].problem.c > 0 and first.problem.c == 0
    variant, value = engine._fit(scope, entry("grads-scaled"), scope.items(), Variant())
    assert value == pytest.approx(0.999999, rel=1e-12)


def test_no_number_is_fitted_to_values_that_are_not_finite():
    def inf_in_d_w2(problem, values):
        values["W2"] = values["W2"].copy()
        values["W2"][0, 0] = np.inf

    scope = file_of({"grad_scale": 0.01}, inf_in_d_w2)
    assert engine._fit(scope, entry("grads-scaled"), scope.items(), Variant()) is None


def test_a_number_is_fitted_on_the_quantities_given_of_the_probe_that_shows_them():
    """Given d_w2 at c = 0 and the cost at c = 0.5 (which a factor on the gradients leaves alone): the factor is
    fitted on the d_w2 of c = 0, not on the other probe's quantities."""
    scope = file_of({"grad_scale": 0.01}, lambda problem, values: None)
    variant, value = engine._fit(scope, entry("grads-scaled"), [(0, "W2"), (2, "cost")], Variant())
    assert value == pytest.approx(0.01, rel=1e-9)


def test_a_number_that_changes_none_of_the_quantities_given_keeps_its_start():
    """A factor on the gradients, fitted on costs only: nothing to fit, so the start (1) is kept for the whole
    check to judge, and the entry is not dropped here."""
    scope = file_of({"grad_scale": 0.01}, lambda problem, values: None)
    assert engine._fit(scope, entry("grads-scaled"), [(0, "cost"), (2, "cost")], Variant()) == (
        Variant(grad_scale=1.0),
        1.0,
    )


@pytest.mark.parametrize("eps", [1e-10, 3e-5])
def test_an_eps_is_fitted_in_log_space(eps):
    scope = file_of({"log_eps": eps}, lambda problem, values: None)
    variant, value = engine._fit(scope, entry("log-eps"), scope.items(), Variant())
    assert value == pytest.approx(eps, rel=1e-6)


def test_each_convention_says_its_decay_in_one_sentence():
    """The spec's penalty and its gradient, said alone (a message puts the sentence after a semicolon)."""
    assert spec_decay("full") == "the spec's cost is c·ΣW², whose gradient is 2c·W"
    assert spec_decay("half") == "with --penalty half the cost is (c/2)·ΣW², whose gradient is c·W"


def test_a_change_of_exactly_the_allowance_agrees():
    """The bound is inclusive, as a verdict's ``err <= tol``: d_b1 does not depend on c (no bias decay), so a file
    whose d_b1[0, 0] is 0 at c = 0 and exactly the allowance at c = 0.5 changes by exactly the allowance."""
    scope = correct_file()
    a, b = scope.probes[0], scope.probes[2]
    allowed = a.tol["b1"] * a.floor("b1") + b.tol["b1"] * b.floor("b1")
    a.got["b1"], b.got["b1"] = a.got["b1"].copy(), b.got["b1"].copy()
    a.got["b1"][0, 0], b.got["b1"][0, 0] = 0.0, allowed
    assert engine._difference_agrees(scope, Variant(), 0, 2)
    b.got["b1"][0, 0] = np.nextafter(allowed, np.inf)
    assert not engine._difference_agrees(scope, Variant(), 0, 2)


def test_a_number_is_the_least_squares_fit_with_each_quantity_at_the_references_scale():
    """Gradients times 0.01, and d_b2 doubled besides (no single factor fits): the factor fitted at c = 0 minimises
    the sum over the gradients of |(s·ref - got) / scale|², each at its reference's scale (max |ref|); a factor on
    the gradients leaves the cost alone, so the cost adds nothing.  For a linear model that minimum is closed-form."""

    def d_b2_doubled(problem, values):
        values["b2"] = 2 * values["b2"]

    scope = file_of({"grad_scale": 0.01}, d_b2_doubled)
    p = scope.probes[0]
    weights = {q: 1 / float(np.max(np.abs(p.ref[q]))) ** 2 for q in ("W1", "b1", "W2", "b2")}
    expected = sum(w * float(np.sum(p.ref[q] * p.got[q])) for q, w in weights.items()) / sum(
        w * float(np.sum(p.ref[q] ** 2)) for q, w in weights.items()
    )
    assert 0.0101 < expected < 0.02  # the doubled d_b2 pulls it up
    variant, value = engine._fit(scope, entry("grads-scaled"), scope.items(), Variant())
    assert value == pytest.approx(expected, rel=1e-9)


def test_a_slope_fitted_where_no_slope_fits_is_the_least_squares_minimum():
    """A leaky ReLU of slope 0.2 with d_b2 doubled besides: the slope fitted at c = 0 is where the sum of squares of
    the residuals (each quantity at the reference's scale) is least; a step either way makes it larger."""

    def d_b2_doubled(problem, values):
        values["b2"] = 2 * values["b2"]

    scope = file_of({"activation": "leaky", "slope": 0.2}, d_b2_doubled)
    variant, value = engine._fit(scope, entry("activation-leaky-relu"), scope.items(), Variant())
    p = scope.probes[0]

    def squares(slope):
        predicted = p.predict(Variant(activation="leaky", slope=slope), remember=False)
        return sum(np.sum(((np.asarray(predicted[q]) - p.got[q]) / p.floor(q)) ** 2) for q in scope.judged)

    least = squares(value)
    assert 0.1 < value < 0.2 and all(squares(value * (1 + step)) > least for step in (-1e-4, 1e-4))


def test_no_number_is_fitted_where_the_step_of_its_slope_leaves_the_floats():
    """A cost of −194.8289 (a file can return anything) sends log(p + eps)'s first Gauss-Newton step to
    eps ≈ e^709.7824, just under the largest float (e^709.7827): the prediction there is finite, the one at
    t + h (h = 7e-4) is not, so there is no slope to step along: no number, and no exception."""
    scope = correct_file()
    scope.probes[0].got["cost"] = np.array(-194.8289)
    with np.errstate(over="ignore", invalid="ignore"):  # the overflow is the point
        assert engine._fit(scope, entry("log-eps"), [(0, "cost")], Variant()) is None


# -- a fitted number beside a quantity returned in another shape (engine._fit)


def test_a_number_is_fitted_on_the_quantities_returned_in_their_shape():
    """log(p + 1e-3) beside a transposed, non-square d_w2: eps is fitted on the cost and the other gradients (the
    transposed one cannot say anything about it), and the two are named together, every failing item taken."""
    scope = file_of({"layout": ("W2.T",), "log_eps": 1e-3}, lambda problem, values: None)
    assert any(p.got["W2"].shape != p.ref["W2"].shape for p in scope.probes)  # not square: shapes differ
    variant, value = engine._fit(scope, entry("log-eps"), scope.items(), Variant())
    assert value == pytest.approx(1e-3, rel=1e-6) and variant == Variant(log_eps=value)
    found = engine.explain(scope, scope.failing(), FEW)
    assert {e.mistake.code for e in found} == {"log-eps", "transposed"}
    assert set().union(*(e.items for e in found)) == scope.failing()


def test_no_number_is_fitted_where_no_quantity_comes_back_in_its_shape():
    """Every quantity of every probe returned in another shape (the cost as a 1-element array, every gradient
    flattened to 1-D): nothing to fit on, so the entry is no candidate (and the fit raises nothing)."""

    def flattened(problem, values):
        for q in values:
            values[q] = np.reshape(values[q], (-1,))

    scope = file_of({"log_eps": 1e-3}, flattened)
    assert engine._fit(scope, entry("log-eps"), scope.items(), Variant()) is None
