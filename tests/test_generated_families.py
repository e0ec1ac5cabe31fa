"""The fixtures of the generated families (tests/impls/fam_*.py, with the manifest tests/impls/families.json):
written the way students write these mistakes, by someone who had not read the engine.

The manifest says, for each file, which quantities are wrong and the mistake in plain words; this module says
which codes the checker must give it. Every fixture of the manifest is checked, and every generated code has a
fixture that gets it, but those listed in NO_FIXTURE_YET.
"""

import json
from pathlib import Path

import pytest
from inprocess import check_path

from impl_check.catalogue import CATALOGUE
from impl_check.checker import Options

IMPLS = Path(__file__).resolve().parent / "impls"
MANIFEST = json.loads((IMPLS / "families.json").read_text(encoding="utf-8"))
EXPECTED = {  # fixture -> the diagnosis codes it must get, and no others (the correct ones: none)
    "fam_correct_sample_loop": set(),
    "fam_correct_einsum_cs231n": set(),
    "fam_correct_columns_recipe": set(),
    "fam_correct_layers_cs231n": set(),
    "fam_correct_decay_loop": set(),
    "fam_correct_dropout_off": set(),
    "fam_div_cost_divided_twice": {"cost-divisor"},
    "fam_div_mean_over_nk": {"cost-divisor"},
    "fam_div_cost_over_k": {"cost-divisor"},
    "fam_div_cost_not_averaged": {"cost-divisor"},
    "fam_div_grads_twice": {"grad-divisor"},
    "fam_div_grads_not_divided": {"grads-not-divided-by-n"},  # the hand-written entry the generated one merged into
    "fam_mask_without_bias": {"relu-mask"},
    "fam_mask_from_upstream": {"relu-mask"},
    "fam_mask_db1_before": {"relu-mask"},
    "fam_act_dw2_from_preact": {"pre-activation"},
    "fam_act_relu_on_scores": {"activation-on-scores"},
    "fam_act_forward_no_relu": {"pre-activation"},
    "fam_transpose_dw2": {"transposed"},
    "fam_axis_softmax_axis0": {"softmax-axis"},
    "fam_axis_max_axis0": {"softmax-axis"},
    "fam_decay_w2_only": {"decay-one-matrix"},
    "fam_decay_biases_too": {"bias-decayed"},
    "fam_decay_l1": {"decay-l1"},
    "fam_bias_mean_cs231n": {"bias-sum"},
    "fam_dropout_left_on": {"not-deterministic", "unexplained"},  # located, not explained: the numbers are draws
    "fam_two_mean_nk_decay_w2_only": {"cost-divisor", "decay-one-matrix"},
    "fam_two_dw2_preact_db1_before_mask": {"pre-activation", "relu-mask"},
    "fam_two_grads_twice_l1": {"grad-divisor", "decay-l1"},
}
NO_FIXTURE_YET: set[str] = set()
"""Generated codes that no fixture of the manifest gets yet: none (bias-sum's fixture, fam_bias_mean_cs231n, takes a
bias gradient as a mean over the samples of a gradient already divided by n; none sums over axis 1)."""


@pytest.fixture(scope="module")
def results():
    """Each fixture checked once, the worker's steps run in this process (tests/inprocess.py): none of them needs
    the sandbox (test_impl_check.py compares the two paths)."""
    options = Options(parts=("cost_grad",))
    return {name: check_path(IMPLS / f"{name}.py", options) for name in MANIFEST}


def test_every_fixture_of_the_manifest_has_its_codes_and_exists():
    assert set(EXPECTED) == set(MANIFEST)
    assert all((IMPLS / f"{name}.py").is_file() for name in MANIFEST)
    assert {p.stem for p in IMPLS.glob("fam_*.py")} == set(MANIFEST)


def test_every_generated_code_has_a_fixture():
    generated = {m.code for m in CATALOGUE if m.step}
    assert generated - set().union(*EXPECTED.values()) == NO_FIXTURE_YET


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_family_fixture_gets_its_diagnosis(results, name):
    result, entry = results[name], MANIFEST[name]
    codes = [f.code for f in result.diagnoses]
    assert set(codes) == EXPECTED[name], [f.message for f in result.diagnoses]
    if entry.get("deterministic", True):  # one finding for each mistake (a random file: one for each quantity)
        assert len(codes) == len(set(codes)), [f.message for f in result.diagnoses]
    if entry["correct"]:
        assert result.verdict == "pass" and not result.warnings, [f.message for f in result.warnings]
        return
    assert result.verdict == "fail"
    # the quantities the diagnoses name are those the manifest says are wrong, no more and no fewer
    named = {q for f in result.diagnoses for q in f.quantities}
    assert named == set(entry["wrong"]), [f.message for f in result.diagnoses]
    if entry.get("deterministic", True) is False:
        assert codes[0] == "not-deterministic"
        assert result.diagnoses[0].message.split(" is not deterministic: a dropout or sampling left on?")[0] in (
            "cost_grad",
            "TwoLayerNet.loss",
        )


def test_a_column_softmax_is_not_passed_where_cost_grad_gives_it_rows(results):
    # fam_axis_softmax_axis0's module softmax normalises axis 0 and its loss applies it to (N, C) scores: the
    # column layout, right where a file keeps samples as columns, is this file's bug, not its layout
    rows = {row.name: row for row in results["fam_axis_softmax_axis0"].rows}
    assert rows["softmax"].result == "FAIL" and "axis 0" in rows["softmax"].note
    # (a file whose cost_grad keeps samples as columns keeps its column softmax's PASS: test_impl_check)
