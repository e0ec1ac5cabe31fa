"""tests/impls/families.json tells the truth about every fam_*.py fixture (tools/verify_families.py, in-process)."""

import copy
import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("verify_families", ROOT / "tools" / "verify_families.py")
assert _spec is not None and _spec.loader is not None
verify = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(verify)

MANIFEST = verify.manifest()
FAMILIES = ("div", "mask", "act", "transpose", "axis", "decay", "dropout", "two")
"""The mistake families of issue 19 that must each keep a fixture (fam_<family>_*.py)."""


def test_manifest_lists_every_family_fixture():
    assert set(MANIFEST) == {p.stem for p in verify.IMPLS.glob("fam_*.py")}


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_manifest_entry_is_true(stem):
    assert verify.check_entry(stem, MANIFEST[stem]) == []


def test_every_family_has_a_wrong_fixture_and_three_are_correct():
    wrong = {stem.split("_")[1] for stem, entry in MANIFEST.items() if not entry["correct"]}
    assert set(FAMILIES) <= wrong
    assert sum(entry["correct"] for entry in MANIFEST.values()) >= 3


def test_reference_gradient_matches_central_differences():
    X, y, params, c = verify.problems()[2]
    grads = verify.reference(X, y, params, c)
    step = 1e-6
    for key in ("W1", "b1", "W2", "b2"):
        numeric = np.zeros_like(params[key])
        for index in np.ndindex(params[key].shape):
            plus, minus = copy.deepcopy(params), copy.deepcopy(params)
            plus[key][index] += step
            minus[key][index] -= step
            numeric[index] = (verify.reference(X, y, plus, c)["cost"] - verify.reference(X, y, minus, c)["cost"]) / (
                2 * step
            )
        np.testing.assert_allclose(grads["d_" + key.lower()], numeric, atol=1e-7)


def test_a_quantity_left_out_of_wrong_is_caught():
    entry = dict(MANIFEST["fam_decay_w2_only"], wrong=["cost"])
    assert any("d_w1 not listed" in line for line in verify.check_entry("fam_decay_w2_only", entry))


def test_a_quantity_listed_but_right_is_caught():
    entry = dict(MANIFEST["fam_mask_db1_before"], wrong=["d_b1", "d_w1"])
    assert any("d_w1 listed as wrong" in line for line in verify.check_entry("fam_mask_db1_before", entry))


def test_a_correct_file_marked_wrong_is_caught():
    entry = {"correct": False, "wrong": ["d_w2"], "mistake": "a claim"}
    assert any("d_w2 listed as wrong" in line for line in verify.check_entry("fam_correct_sample_loop", entry))


def test_a_random_mask_claimed_deterministic_is_caught():
    entry = {key: value for key, value in MANIFEST["fam_dropout_left_on"].items() if key != "deterministic"}
    assert any("deterministic" in line for line in verify.check_entry("fam_dropout_left_on", entry))
