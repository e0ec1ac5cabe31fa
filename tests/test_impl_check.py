"""compare.py check --impl: every fixture in tests/impls gets its verdict and its diagnosis.

Each fixture has one mistake, or two or three at once (multi_*, two_*; its
docstring says which); the checker must name each by its code and flag nothing
in the correct ones.  All fixtures run once for the whole module: those whose
verdict needs the sandbox (SANDBOXED: they hang, exit, print or import what is
banned) and a sample of the others in sandboxed child processes, as
compare.py runs them; the rest with the worker's same steps run in this
process (tests/inprocess.py), which is ten times faster.  The sample checks
that the two paths give the same result.
"""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from inprocess import check_path
from parity_helpers import assert_close, make_problem

import compare
import scratch_net as sn
from impl_check import check_impl, reference, worker
from impl_check.catalogue import CATALOGUE
from impl_check.checker import Options
from impl_check.engine import DIAGNOSIS_CODES, NOTE_CODES, WARNING_CODES
from impl_check.result import distinct
from impl_check.sandbox import Limits

ROOT = Path(__file__).resolve().parents[1]
IMPLS = ROOT / "tests" / "impls"
TIMEOUT = 3.0  # seconds; the hanging fixture costs exactly this

STYLES = sorted(p.stem for p in IMPLS.glob("style_*.py"))  # correct nets, each in a style unlike scratch_net's
CORRECT = {  # fixture -> the warnings it carries (correct gradients, a weakness of the cost or a helper)
    "correct_vectorised": set(),
    "correct_loop": {"softmax-vector-only"},
    "correct_course_keys": set(),
    "correct_reg_no_default": set(),
    "correct_instance_method": set(),
    **{name: set() for name in STYLES},
    "style_subtract_at_label": {"risky-default"},  # cost_grad(X, y, params, reg=1e-3)
    "cost_inf_large_logits": set(),  # a note only: log(softmax) is inf at logits ~1e3
    "log_eps": {"log-eps"},
    "log_eps_1e8": {"log-eps"},
    "warn_log_eps_1e12": {"log-eps"},
    "warn_log_eps_1e16": set(),  # a note: log(p + 1e-16) shows only at logits ~1e3
    "warn_clip_probs": set(),
    "warn_softmax_vector_only": {"softmax-vector-only"},
    "warn_logits_clipped_in_cost": set(),  # a note only
    "warn_softmax_helper_wrong": {"softmax-wrong"},
    "warn_softmax_unchecked": {"softmax-unchecked", "import-prints"},
    "prints": {"prints"},  # printing changes no number: a warning, not a mistake
    "warn_default_c": {"risky-default"},  # c=1e-4 by default: weight decay when called without c
}
WRONG = {  # fixture -> the diagnosis codes it must get, and no others
    "sum_not_mean": {"sum-not-mean"},
    "decay_cw": {"decay-cw"},
    "decay_half": {"decay-half"},
    "decay_c_over_2n": {"decay-c-over-2n"},
    "decay_grad_missing": {"decay-grad-missing"},
    "decay_missing": {"decay-missing"},
    "decay_cost_half": {"decay-cost-half"},
    "decay_cost_missing": {"decay-cost-missing"},
    "bias_decayed": {"bias-decayed"},
    "labels_not_one_hot": {"labels-not-one-hot"},
    "labels_shifted": {"labels-shifted"},
    "bug_onehot_broadcast_column": {"onehot-broadcast"},
    "grads_transposed": {"transposed"},
    "grads_swapped": {"swapped"},
    "relu_derivative": {"relu-derivative"},
    "bug_leaky_relu": {"activation-leaky-relu"},
    "bug_leaky_relu_02": {"activation-leaky-relu"},
    "bug_sigmoid_hidden": {"activation-sigmoid"},
    "bug_tanh_hidden": {"activation-tanh"},
    "bug_lr_folded": {"grads-scaled"},
    "bug_grads_doubled": {"grads-scaled"},
    "bug_float32": {"single-precision"},
    "bug_log_eps_1e3": {"log-eps"},
    "bug_log_eps_1e1": {"log-eps"},
    "bug_clip_1e2": {"cost-clipped"},
    "bug_template_none_grads": {"not-implemented"},
    "bug_template_zeros": {"not-implemented"},
    "bug_template_cost_only": {"not-implemented"},
    "returns_none": {"not-implemented"},
    "two_sum_and_decay_cw": {"sum-not-mean", "decay-cw"},
    "two_relu_and_log_eps": {"relu-derivative", "log-eps"},
    "two_w2_transposed_and_log_eps": {"transposed", "log-eps"},  # a shape mismatch does not stop the fit of eps
    "softmax_no_max": {"nan-at-large-logits"},
    "softmax_global_max": {"nan-at-large-logits"},
    "modifies_inputs": {"modifies-inputs"},
    "raises": {"exception"},
    "bad_return": {"bad-return"},
    "bias_shape": {"shape"},
    "scratch_net_wrapper": {"forbidden-import"},
    "returns_none_sometimes": {"returns-none"},
    "layer1_backward": {"layer1-backward"},
    "large_logits_clipped_grad": {"large-logits"},
    "unexplained_noise": {"unexplained"},
    "decay_doubled": {"decay-other"},
    "bug_negative_gradient": {"grads-scaled"},
    "odd_none_at_large_logits": {"returns-none"},
    "odd_shapes_and_inf": {"unexplained"},  # NaN and inf on every problem: not a large-logit weakness
    "grads_not_divided_by_n": {"grads-not-divided-by-n"},
    # several mistakes in one file, each named
    "multi_onehot_column_sum_grads_cw": {"onehot-broadcast", "grads-not-divided-by-n", "decay-cw", "shape"},
    "multi_grads_times_n_no_decay": {"grads-not-divided-by-n", "decay-grad-missing"},
    "multi_grads_times_n_cost_c_over_2n": {"grads-not-divided-by-n", "decay-other"},
    "multi_softmax_no_max_decay_half": {"nan-at-large-logits", "decay-half"},
}
NOTES = {  # fixture -> the notes it carries (behaviour at logits ~1e3 beyond the assignment); none where not listed
    "cost_inf_large_logits": {"cost-not-finite"},
    "warn_logits_clipped_in_cost": {"cost-at-large-logits"},
    "warn_log_eps_1e16": {"log-eps"},
    "warn_clip_probs": {"log-eps"},
    "softmax_no_max": {"softmax-no-max"},
    "softmax_global_max": {"softmax-global-max"},
    "odd_none_at_large_logits": {"cost-not-finite"},
    "multi_onehot_column_sum_grads_cw": {"cost-not-finite"},
    "multi_softmax_no_max_decay_half": {"cost-not-finite", "softmax-no-max"},
}
CANNOT_RUN = {
    "syntax_error": "import-error",
    "import_error": "import-error",
    "missing_module": "missing-module",
    "hangs": "timeout",
    "no_cost_grad": "no-cost-grad",
    "exits_at_import": "worker-crashed",
}
GRAD_ROWS = ("d_w1", "d_b1", "d_w2", "d_b2")

# Every fixture but one (a wrapper of scratch_net, course-only) has a CS231n twin, cs231n_<name>.py: the same
# mistake behind TwoLayerNet.loss, with the same diagnosis; and four more correct CS231n nets.
TWINS = [name for name in (*CORRECT, *WRONG, *CANNOT_RUN) if not name.startswith(("style_", "scratch_net_"))]
CS231N_STYLES = sorted(p.stem for p in IMPLS.glob("cs231n_style_*.py"))
for table in (CORRECT, WRONG, CANNOT_RUN, NOTES):
    table.update({f"cs231n_{name}": table[name] for name in TWINS if name in table})  # type: ignore[attr-defined]
CORRECT.update({name: set() for name in CS231N_STYLES})

# With --penalty half, (c/2)·ΣW² with gradient c·W is right: decay_half passes, a file with the spec's c·ΣW² is
# decay-full, and every other mistake is still found. Expected codes besides the file's own under "full":
HALF = {
    "decay_half": set(),
    "cs231n_decay_half": set(),
    "correct_vectorised": {"decay-full"},
    "style_course_recipe": {"decay-full"},
    "cs231n_style_karpathy": {"decay-full"},
    "decay_cw": {"decay-cw"},
    "decay_missing": {"decay-missing"},
    "decay_doubled": {"decay-other"},
    "sum_not_mean": {"sum-not-mean", "decay-full"},
    "cs231n_sum_not_mean": {"sum-not-mean", "decay-full"},
    "labels_shifted": {"labels-shifted", "decay-full"},
    "relu_derivative": {"relu-derivative", "decay-full"},
    "bug_leaky_relu_02": {"activation-leaky-relu", "decay-full"},
    "bug_lr_folded": {"grads-scaled", "decay-full"},
    "bug_float32": {"single-precision", "decay-full"},
    "bias_decayed": {"bias-decayed", "decay-full"},
    "bias_shape": {"shape", "decay-full"},
    "cs231n_bias_shape": {"shape", "decay-full"},
    "two_relu_and_log_eps": {"relu-derivative", "log-eps", "decay-full"},
    "two_w2_transposed_and_log_eps": {"transposed", "log-eps", "decay-full"},
    "warn_log_eps_1e12": {"decay-full"},  # log(p + 1e-12) moves the cost by 4e-12 itself: a warning
    "log_eps_1e8": {"decay-full"},
    "grads_not_divided_by_n": {"grads-not-divided-by-n", "decay-full"},
    "cs231n_log_eps_1e8": {"decay-full"},
}


# Checked in the sandbox, as compare.py checks them: what they test is the sandbox's (a file that cannot be run,
# hangs or exits; what a file prints at import or in a call; an import that is banned although this process has
# the package loaded) ...
NEEDS_SANDBOX = {*CANNOT_RUN, "prints", "warn_softmax_unchecked", "scratch_net_wrapper"}
NEEDS_SANDBOX |= {f"cs231n_{name}" for name in NEEDS_SANDBOX if (IMPLS / f"cs231n_{name}.py").exists()}
# ... and a sample of the rest, in both interfaces, correct and wrong, whose in-process result must be the same.
AGREE = ("correct_vectorised", "cs231n_correct_vectorised", "style_einsum", "decay_cw", "cs231n_relu_derivative")
AGREE += ("multi_onehot_column_sum_grads_cw", "odd_shapes_and_inf", "modifies_inputs", "cs231n_bad_return")
SANDBOXED = NEEDS_SANDBOX | set(AGREE)
OPTIONS = Options(limits=Limits(timeout=TIMEOUT))


@pytest.fixture(scope="module")
def sandboxed():
    names = sorted(SANDBOXED)
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(names, pool.map(lambda name: check_impl(IMPLS / f"{name}.py", options=OPTIONS), names)))


@pytest.fixture(scope="module")
def results(sandboxed):
    """Every fixture's result: the sandboxed ones' from the sandbox, the others' from this process."""
    here = {name: check_path(IMPLS / f"{name}.py", OPTIONS) for name in (*CORRECT, *WRONG) if name not in SANDBOXED}
    return {**here, **sandboxed}


@pytest.fixture(scope="module")
def half():
    return {name: check_path(IMPLS / f"{name}.py", Options(penalty="half")) for name in HALF}


def comparable(result) -> dict:
    """The result's JSON without the seconds it took (measured: no two runs agree)."""
    data = result.to_dict()
    data.pop("seconds", None)
    return data


@pytest.mark.parametrize("name", AGREE)
def test_the_sandbox_and_this_process_give_the_same_result(sandboxed, name):
    assert comparable(check_path(IMPLS / f"{name}.py", OPTIONS)) == comparable(sandboxed[name])


def test_every_fixture_is_listed():
    # fam_*.py are accounted for by tests/impls/families.json (tests/test_families_manifest.py)
    listed = {p.stem for p in IMPLS.glob("*.py") if not p.stem.startswith("fam_")}
    assert listed == {*CORRECT, *WRONG, *CANNOT_RUN}


def test_at_least_twelve_independent_correct_styles():
    assert len(STYLES) >= 12 and len(CS231N_STYLES) >= 3


@pytest.mark.parametrize("name", [n for n in (*CORRECT, *WRONG) if n.startswith("cs231n_")])
def test_cs231n_files_are_found_without_flags(results, name):
    assert results[name].interface == "cs231n" and results[name].entry.startswith("TwoLayerNet.loss")


@pytest.mark.parametrize("name", HALF)
def test_penalty_half_accepts_exactly_its_convention_and_finds_every_other_mistake(half, name):
    result = half[name]
    assert result.penalty == "half"
    assert {f.code for f in result.diagnoses} == HALF[name], [f.message for f in result.diagnoses]


@pytest.mark.parametrize("name", ["log_eps_1e8", "cs231n_log_eps_1e8"])
def test_a_size_is_the_mistakes_own_under_either_convention(results, half, name):
    """log(p + 1e-8) moves the cost by ~4e-8 whether or not the decay convention differs too (it does under half)."""
    for result in (results[name], half[name]):
        (finding,) = result.warnings
        assert finding.code == "log-eps" and "this moves it about 4e-08 low (relative)" in finding.message
    assert [f.code for f in half[name].diagnoses] == ["decay-full"]


def test_penalty_half_names_its_convention(half):
    (finding,) = half["correct_vectorised"].diagnoses
    assert "the cost adds c·ΣW² and d_w1, d_w2 carry 2c·W" in finding.message
    assert "with --penalty half the cost is (c/2)·ΣW², whose gradient is c·W" in finding.message


def test_interface_can_be_forced():
    course = check_impl(IMPLS / "correct_vectorised.py", interface="cs231n")
    assert course.level == "ERROR" and "no TwoLayerNet class with a loss method" in course.error.message
    assert check_impl(IMPLS / "cs231n_correct_vectorised.py", interface="cs231n").level == "PASS"


@pytest.mark.parametrize(
    "kwargs, message", [({"interface": "keras"}, "interface must be"), ({"penalty": "l1"}, "penalty must be")]
)
def test_check_impl_refuses_unknown_conventions(kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_impl(IMPLS / "correct_vectorised.py", **kwargs)


def test_every_catalogue_entry_has_a_fixture_that_gets_it():
    """The hand-written entries here; the generated families' fixtures are tests/test_generated_families.py's."""
    named = set().union(*WRONG.values(), *CORRECT.values(), *HALF.values())
    assert {m.code for m in CATALOGUE if not m.step} <= named


@pytest.mark.parametrize("name", [n for n, w in CORRECT.items() if not w])
def test_correct_implementation_passes(results, name):
    result = results[name]
    assert result.verdict == "pass" and result.level == "PASS", [f.message for f in result.diagnoses + result.warnings]
    assert not result.diagnoses and not result.warnings
    assert {f.code for f in result.notes} == NOTES.get(name, set())
    shown = {"PASS", "NOTE"} if result.notes else {"PASS"}
    assert all(row.result in shown for row in result.rows), [r for r in result.rows if r.result != "PASS"]


@pytest.mark.parametrize("name", [n for n, w in CORRECT.items() if w])
def test_weak_numerics_pass_with_warnings(results, name):
    result = results[name]
    assert result.verdict == "pass" and result.level == "PASS with warnings", [f.message for f in result.diagnoses]
    assert not result.diagnoses
    assert {f.code for f in result.warnings} == CORRECT[name]
    assert {f.code for f in result.notes} == NOTES.get(name, set())
    assert all(row.result in ("PASS", "WARN", "NOTE") for row in result.rows)
    assert all(row.result == "PASS" for row in result.rows if row.name.split()[0] in GRAD_ROWS)


@pytest.mark.parametrize("name", WRONG)
def test_each_mistake_gets_its_diagnosis(results, name):
    result = results[name]
    assert result.verdict == "fail" and result.level == "FAIL"
    assert {f.code for f in result.diagnoses} == WRONG[name], [f.message for f in result.diagnoses]
    assert {f.code for f in result.notes} == NOTES.get(name, set()), [f.message for f in result.notes]


def test_a_finding_has_one_level_in_every_file(results, half):
    """A level depends on the finding alone, not on whether the rest of the file passed."""
    levels: dict[str, set[str]] = {}
    for result in (*results.values(), *half.values()):
        for found, level in ((result.diagnoses, "diagnosis"), (result.warnings, "warning"), (result.notes, "note")):
            for f in found:
                levels.setdefault(f.code, set()).add(level)
    fixed = {**{c: "note" for c in NOTE_CODES}, **{c: "warning" for c in WARNING_CODES}}
    fixed.update({c: "diagnosis" for c in (*DIAGNOSIS_CODES, "nan-at-large-logits", "large-logits", "layer1-backward")})
    for code, level in fixed.items():
        assert levels.get(code, {level}) == {level}, code
    assert levels["cost-not-finite"] == {"note"} and levels["nan-at-large-logits"] == {"diagnosis"}


@pytest.mark.parametrize("name", CANNOT_RUN)
def test_files_that_cannot_run_are_errors_with_the_reason(results, name):
    result = results[name]
    assert result.verdict == "error" and result.level == "ERROR" and result.error.code == CANNOT_RUN[name]
    assert not result.rows


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("decay_cw", "the cost adds c·ΣW² and d_w1, d_w2 carry c·W: the gradient of this cost is 2c·W"),
        ("decay_half", "(c/2)·ΣW²"),
        ("decay_c_over_2n", "(c/(2n))·ΣW²"),
        ("log_eps", "log(p_y + 1e-12)"),
        ("warn_log_eps_1e12", "log(p_y + 1e-12): this moves it about 4e-12 low (relative) on the ordinary problems"),
        ("warn_log_eps_1e16", "log(p_y + 1e-16)"),
        ("warn_clip_probs", "the same numbers for log(clip(p, 1e-15, 1))"),
        ("bug_log_eps_1e3", "log(p_y + 0.001): this moves it about 0.004 low"),
        ("bug_log_eps_1e1", "log(p_y + 0.1)"),
        ("bug_clip_1e2", "log(clip(p_y, 0.01, 1))"),
        ("labels_shifted", "shifted by −1"),
        ("multi_onehot_column_sum_grads_cw", "the labels passed in as a column (y[:, np.newaxis]"),
        ("multi_onehot_column_sum_grads_cw", "d_b1 and d_b2 come back as columns (h, 1) and (k, 1)"),
        ("multi_onehot_column_sum_grads_cw", "the cost adds c·ΣW² and d_w1, d_w2 carry c·W"),
        ("multi_grads_times_n_no_decay", "while the cost is the mean: the gradients are not divided by n"),
        ("grads_not_divided_by_n", "while the cost is the mean: the gradients are not divided by n"),
        ("multi_grads_times_n_no_decay", "the gradients leave out the decay term"),
        ("multi_grads_times_n_cost_c_over_2n", "the gradients are not divided by n"),
        ("multi_grads_times_n_cost_c_over_2n", "the cost adds (c/(2n))·ΣW² and d_w1, d_w2 carry no decay term"),
        ("multi_softmax_no_max_decay_half", "the softmax itself gives NaN at these logits"),
        ("multi_softmax_no_max_decay_half", "exp overflows because no max is subtracted"),
        ("cost_inf_large_logits", "the cost is inf at logits around 1e3"),
        ("bug_onehot_broadcast_column", "a 1 in every column whose class occurs anywhere in the batch"),
        ("relu_derivative", "relu(z1), the activation itself"),
        ("bug_leaky_relu", "leaky ReLU with slope 0.01"),
        ("bug_leaky_relu_02", "leaky ReLU with slope 0.2"),
        ("bug_sigmoid_hidden", "sigmoid"),
        ("bug_tanh_hidden", "tanh"),
        ("bug_lr_folded", "every gradient is 0.01 times the reference's"),
        ("bug_grads_doubled", "every gradient is 2 times the reference's"),
        ("bug_negative_gradient", "every gradient is -1 times the reference's"),
        ("odd_none_at_large_logits", "cost_grad returns None for d_w1 on 1 of 8 problems (first: logits ~1e3)"),
        ("cs231n_odd_none_at_large_logits", "TwoLayerNet.loss returns None for d_w1 on 1 of 8 problems"),
        (
            "bad_return",
            "cost_grad must return (cost, {'d_w1', 'd_b1', 'd_w2', 'd_b2'}); got a dict, not a pair on 8 of 8",
        ),
        ("cs231n_bad_return", "TwoLayerNet.loss must return (loss, {'W1', 'b1', 'W2', 'b2'}); got a dict"),
        ("bug_negative_gradient", "a sign flipped for a descent step"),
        ("odd_shapes_and_inf", "d_w2 differs from the reference (d_w2 has shape (2, 2, 2), expected (6, 3))"),
        ("bug_float32", "float32"),
        ("bug_template_zeros", "the same number (0) on every problem: cost_grad is not implemented yet"),
        ("bug_template_cost_only", "the gradients are not implemented yet"),
        ("bug_template_none_grads", "returns None for the cost and every gradient: it is not implemented yet"),
        ("returns_none", "returns None on every problem: it is not implemented yet"),
        ("raises", "ValueError: matmul"),
        ("missing_module", "'not_an_installed_module_xyz'"),
        ("missing_module", "The grader's environment lacks not_an_installed_module_xyz: if it is a third-party"),
        ("missing_module", "if it is a file of the student's (not_an_installed_module_xyz.py, or a folder"),
        ("prints", 'cost_grad prints on 8 of 8 calls ("cost: '),
        ("warn_default_c", "cost_grad gives c the default 0.0001: if it is called without c, it applies weight decay"),
        ("cs231n_warn_default_c", "TwoLayerNet.loss gives reg the default 0.5: if it is called without reg"),
        ("returns_none_sometimes", "returns None on 2 of 8 problems (first: A c=0)"),
        ("large_logits_clipped_grad", "at logits around 1e3 d_w1, d_b1, d_w2 and d_b2 differ from the reference"),
        ("unexplained_noise", "d_w2 differs from the reference (normwise relative error 0.0044"),
        ("warn_logits_clipped_in_cost", "the cost is 500.533 at logits around 1e3 where the reference gives 999.56"),
        ("warn_softmax_helper_wrong", "got [nan, 0, 0] on row 0, expected [1, 0, 0]"),
        ("warn_softmax_unchecked", "TypeError: softmax() missing 1 required positional argument: 'axis'"),
    ],
)
def test_messages_name_the_specifics(results, name, fragment):
    result = results[name]
    findings = result.diagnoses + result.warnings + result.notes
    messages = [f.message for f in findings] + ([result.error.message] if result.error else [])
    assert any(fragment in m for m in messages), messages


@pytest.mark.parametrize("name", [*CORRECT, *WRONG])
def test_nothing_false_in_a_report(results, name):
    """ "every gradient matches" only after every gradient passed; each failed row's quantity is named by a finding."""
    result = results[name]
    grads_rows = [r for r in result.rows if r.name.split()[0] in GRAD_ROWS]
    every_grad_passed = len(grads_rows) == 8 and all(r.result == "PASS" for r in grads_rows)
    for finding in result.diagnoses + result.warnings:
        if "every gradient matches" in finding.message:
            assert every_grad_passed, (finding.message, result.rows)
        assert "although every gradient is right" not in finding.message
    named = {q for f in result.diagnoses + result.warnings + result.notes for q in f.quantities}
    for finding in result.notes:  # a NaN cost is put down to 0·log(0) only where the gradients are finite
        if "0·log(0)" in finding.message:
            assert "nan-at-large-logits" not in {f.code for f in result.diagnoses}
    for row in result.rows:
        if row.result != "PASS":
            assert row.name.split()[0] in named or row.note == "no result (see diagnoses)", (row, named)


def test_robust_rows_name_their_quantity(results):
    rows = {r.name: r for r in results["softmax_no_max"].rows}
    assert {f"{q} at logits ~1e3" for q in ("cost", *GRAD_ROWS)} <= set(rows)
    assert rows["d_w1 at logits ~1e3"].result == "FAIL"


def test_a_softmax_over_columns_passes_with_a_note(results):
    row = next(r for r in results["style_columns_layout"].rows if r.name == "softmax")
    assert row.result == "PASS" and row.note == "normalises each column: samples as columns"


def test_a_correct_softmax_within_its_conditioning_is_not_a_finding(results):
    """The course recipe exp(z - lse) errs by ~|z|·eps at logits of 1e3: more than 64·eps, less than its bound."""
    row = next(r for r in results["style_course_recipe"].rows if r.name == "softmax")
    assert row.result == "PASS" and row.rel_err > sn.tolerance(np.float64) and row.rel_err <= row.tol


def test_shape_mismatch_is_a_row_note(results):
    row = next(r for r in results["bias_shape"].rows if r.name == "d_b1")
    assert row.result == "FAIL" and row.note == "d_b1 has shape (6,), expected (1, 6)"


def test_rows_give_rel_error_and_worst_element(results):
    row = next(r for r in results["decay_cw"].rows if r.name == "d_w2")
    assert row.result == "FAIL" and row.rel_err > 1e-3 and row.problem.endswith("c=0.5")
    assert isinstance(row.index, tuple) and len(row.index) == 2 and row.got != row.expected


def test_result_is_json_able(results):
    data = json.loads(json.dumps(results["softmax_no_max"].to_dict(), allow_nan=False))
    assert data["verdict"] == "fail" and {d["code"] for d in data["diagnoses"]} == WRONG["softmax_no_max"]


def test_the_spec_variant_is_the_reference():
    X, y, params = make_problem(9, 4, 5, 3, seed=7)
    part = reference.data_part(X, y, params, reference.SPEC.structure)
    out = reference.assemble(reference.SPEC, part, params, 0.5, 9)
    cost, grads = out["cost"], {key: out[key] for key in sn.PARAM_KEYS}
    cost_t, grads_t = reference.reference(X, y, params, 0.5)
    assert abs(cost - cost_t) <= sn.tolerance(np.float64)
    for key in sn.PARAM_KEYS:
        assert_close(key, grads[key], grads_t[key], np.float64)


def test_missing_file_is_an_error():
    assert check_impl(IMPLS / "no_such_file.py").error.code == "file-not-found"


def test_worker_does_not_import_torch():
    code = "import sys, impl_check.worker; assert 'torch' not in sys.modules, 'torch was imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def run_cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "compare.py"), "check", *args], capture_output=True, text=True)


def test_cli_exit_0_for_a_correct_file(capsys):
    assert compare.main(["check", "--impl", str(IMPLS / "correct_course_keys.py")]) == 0
    out = capsys.readouterr().out
    assert "PASS:" in out and "d_w1" in out and "normwise rel err" in out


@pytest.mark.parametrize("strict, code", [([], 0), (["--strict"], 1)])
def test_cli_pass_with_warnings_exits_0_unless_strict(capsys, strict, code):
    assert compare.main(["check", "--impl", str(IMPLS / "warn_log_eps_1e12.py"), *strict]) == code
    out = capsys.readouterr().out
    assert "warning [log-eps]: the cost matches −mean log(p_y + 1e-12)" in out
    assert "PASS with warnings:" in out and "FAIL" not in out


def test_cli_header_names_the_interface_and_the_penalty(capsys):
    path = IMPLS / "cs231n_decay_half.py"
    assert compare.main(["check", "--impl", str(path), "--penalty", "half"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"check --impl {path}: interface cs231n, TwoLayerNet.loss")
    assert out[1].startswith("penalty half ((c/2)·ΣW², gradient c·W)")


@pytest.mark.parametrize("name", ["cost_inf_large_logits", "cs231n_cost_inf_large_logits"])
def test_cli_strict_passes_a_correct_file_whose_only_remark_is_at_large_logits(capsys, name):
    """The textbook log(softmax) is inf at logits ~1e3: a note, which --strict ignores."""
    assert compare.main(["check", "--impl", str(IMPLS / f"{name}.py"), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "FAIL" not in out and "warning" not in out


def test_cli_strict_leaves_a_clean_pass_at_exit_0(capsys):
    assert compare.main(["check", "--impl", str(IMPLS / "style_einsum.py"), "--strict"]) == 0
    assert "PASS: " in capsys.readouterr().out


def test_cli_exit_1_prints_table_and_diagnosis_and_writes_json(tmp_path, capsys):
    target = tmp_path / "report.json"
    assert compare.main(["check", "--impl", str(IMPLS / "decay_grad_missing.py"), "--json", str(target)]) == 1
    out = capsys.readouterr().out
    assert "diagnosis [decay-grad-missing]" in out and "FAIL" in out
    data = json.loads(target.read_text())
    assert data["verdict"] == "fail" and [d["code"] for d in data["diagnoses"]] == ["decay-grad-missing"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--impl", str(IMPLS / "hangs.py"), "--timeout", "1"], "no result within 1 s"),
        (["--impl", "nowhere.py"], "--impl: no such file: nowhere.py"),
        (
            ["--impl", str(IMPLS / "hangs.py"), "--json", "/no/such/folder/x.json"],
            "--json: folder /no/such/folder does not exist",
        ),
        (
            ["--json", "x.json"],
            "--interface, --penalty, --jobs, --memory-mb, --sandbox, --allow-import and --shard need --impl PATH",
        ),
        (
            ["--strict"],
            "--interface, --penalty, --jobs, --memory-mb, --sandbox, --allow-import and --shard need --impl PATH",
        ),
        (
            ["--penalty", "half"],
            "--interface, --penalty, --jobs, --memory-mb, --sandbox, --allow-import and --shard need --impl PATH",
        ),
        (["--impl", "x.py", "--penalty", "l2"], "--penalty: invalid choice: 'l2'"),
        (["--impl", "x.py", "--interface", "keras"], "--interface: invalid choice: 'keras'"),
        (["--impl", "x.py", "--timeout", "0"], "--timeout: expected a finite number > 0, got 0"),
    ],
)
def test_cli_exit_2_with_one_line_when_it_cannot_run(args, fragment):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_cli_exit_2_names_the_missing_module_and_how_to_install_it(capsys):
    assert compare.main(["check", "--impl", str(IMPLS / "missing_module.py")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert "cannot be found: 'not_an_installed_module_xyz'" in captured.err
    pip = Path(sys.executable).parent / "pip"  # the grader's own environment: where the worker's Python is
    if Path.cwd() in pip.parents:  # shown as the grader would type it here: .venv/bin/pip
        pip = pip.relative_to(Path.cwd())
    command = f"{pip} install" if pip.exists() else f"{sys.executable} -m pip install"
    assert f"`{command} not_an_installed_module_xyz`" in captured.err


@pytest.mark.parametrize(
    "module, has_pip, inside, expected",
    [
        ("termcolor", True, True, ".venv/bin/pip install termcolor"),
        ("termcolor.colors", True, True, ".venv/bin/pip install termcolor"),
        ("sklearn", True, True, ".venv/bin/pip install scikit-learn"),  # `pip install sklearn` installs nothing
        ("termcolor", False, True, ".venv/bin/python -m pip install termcolor"),
        ("termcolor", True, False, "{venv}/bin/pip install termcolor"),  # not under the current folder: absolute
    ],
)
def test_the_install_command_is_the_graders_own_pip(tmp_path, monkeypatch, module, has_pip, inside, expected):
    from impl_check import checker

    venv = tmp_path / "course" / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    if has_pip:
        (venv / "bin" / "pip").touch()
    monkeypatch.setattr(sys, "executable", str(venv / "bin" / "python"))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / ("course" if inside else "elsewhere"))
    assert checker.install_command(module) == expected.format(venv=venv)


def _net(signature):
    namespace = {}
    exec(f"def cost_grad{signature}:\n    return None\n", namespace)
    return namespace["cost_grad"]


@pytest.mark.parametrize(
    "signature, default",
    [
        ("(X, y, params, c=1e-4)", ["c", 1e-4]),
        ("(X, y, params, lam=2)", ["lam", 2.0]),
        ("(X, y, params, c=0)", ["c", 0.0]),  # read, and no warning for it (test below)
        ("(X, y, params, c)", None),
        ("(X, y, params, c=None)", None),
        ("(X, y, params, *, c=0.5)", None),  # keyword-only: not the c that the checker passes
        ("(X, y, params, c, verbose=True)", None),
    ],
)
def test_worker_reads_the_default_of_c(signature, default):
    assert worker.decay_default(None, _net(signature), "course") == default


def test_worker_reads_the_default_of_reg_in_twolayernet():
    module = type(sys)("m")
    exec("class TwoLayerNet:\n    def loss(self, X, y=None, reg=0.25):\n        pass\n", module.__dict__)
    assert worker.decay_default(module, None, "cs231n") == ["reg", 0.25]


@pytest.mark.parametrize("default, warned", [(None, False), (["c", 0.0], False), (["reg", 0.5], True)])
def test_only_a_default_other_than_0_is_risky(default, warned):
    from impl_check import checker

    assert (checker._risky_default(default, "cost_grad") is not None) is warned


class _Static:
    @staticmethod
    def cost_grad(X, y, params, c):
        return "static"


class _Class:
    @classmethod
    def cost_grad(cls, X, y, params, c):
        return "class"


class _NeedsArgs:
    def __init__(self, hidden):
        self.hidden = hidden

    def cost_grad(self, X, y, params, c):
        return "instance"


@pytest.mark.parametrize(
    "returned, status, fragment",
    [
        (None, "none", "returned None"),
        ((1.0,), "bad_return", "got a tuple of length 1"),
        (3.0, "bad_return", "got a float"),
        ((1.0, [1, 2]), "bad_return", "grads must be a dict with keys d_w1, d_b1, d_w2, d_b2; got list"),
        (("x", {}), "bad_return", "the cost must be a number; got str"),
        ((np.ones(2), {}), "bad_return", "the cost must be a scalar; got shape (2,)"),
        ((1.0, {"d_w1": 1, "d_b1": 1}), "bad_return", "grads lacks d_w2, d_b2 (keys found: d_w1, d_b1)"),
        ((1.0, {"d_w1": "a", "d_b1": 1, "d_w2": 1, "d_b2": 1}), "bad_return", "grads['d_w1'] is not a numeric array"),
    ],
)
def test_worker_names_what_is_wrong_with_a_return_value(returned, status, fragment):
    got_status, message, arrays, none = worker.unpack(returned)
    assert got_status == status and fragment in message and not arrays and not none


def test_worker_reads_none_placeholders_as_not_implemented():
    status, _, arrays, none = worker.unpack((None, {"dW1": None, "db1": np.zeros((1, 2)), "dW2": None, "db2": None}))
    assert status == "ok" and none == ["cost", "W1", "W2", "b2"] and list(arrays) == ["b1"]


@pytest.mark.parametrize(
    "cls, entry", [(_Static, "staticmethod"), (_Class, "classmethod")], ids=["staticmethod", "classmethod"]
)
def test_worker_finds_cost_grad_in_the_class(cls, entry):
    module = type(sys)("m")
    module.NetClassifier = cls
    found, described = worker.find_cost_grad(module)
    assert described == f"NetClassifier.cost_grad ({entry})" and found(1, 2, 3, 4) == entry.replace("method", "")


def test_worker_says_when_the_class_cannot_be_built():
    module = type(sys)("m")
    module.NetClassifier = _NeedsArgs
    with pytest.raises(LookupError, match=r"cannot be built without arguments \(TypeError"):
        worker.find_cost_grad(module)


@pytest.mark.parametrize(
    "got, expected, shown",
    [
        (10.505056, 10.505057, ("10.505056", "10.505057")),
        (0.0101298, 0.0111296, ("0.0101298", "0.0111296")),
        (1.0, 1.0, ("1", "1")),
        (0.1 + 0.2, 0.3, ("0.30000000000000004", "0.29999999999999999")),
    ],
)
def test_a_failed_value_prints_with_the_digits_that_tell_it_from_the_expected(got, expected, shown):
    assert distinct(got, expected) == shown
