"""compare.py autograder gradescope: the bundle Gradescope runs, end to end in a folder that stands in for
/autograder, with a correct, a wrong and an unrunnable submission. The grading is done by the bundle's own copy
of the project, installed as setup.sh installs it (``pip install ./project``; here without its dependencies,
which are this environment's, and into a folder of its own, with no network)."""

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

import compare

ROOT = Path(__file__).resolve().parents[1]
IMPLS = ROOT / "tests" / "impls"
SCHEMA = json.loads((ROOT / "schemas" / "gradescope-results.schema.json").read_text())
# the submissions have no training loop: this course's rubric leaves its parts out
RUBRIC = '[training]\nif_missing = "omit"\n\n[cost_grad]\nd_w1 = 20\n'


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bundle")
    (tmp / "course.toml").write_text(RUBRIC)
    out = tmp / "out"
    assert compare.main(["autograder", "gradescope", "--out", str(out), "--rubric", str(tmp / "course.toml")]) == 0
    return out


def test_the_zip_holds_both_scripts_at_its_root_executable_the_rubric_and_the_project(bundle):
    with zipfile.ZipFile(bundle / "autograder.zip") as z:
        names = z.namelist()
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(z.getinfo(script).external_attr >> 16) == 0o755
            assert z.read(script).decode() == (bundle / script).read_text()
        assert z.read("rubric.toml").decode() == RUBRIC
    for needed in ("pyproject.toml", "README.md", "compare.py", "impl_check/default_rubric.toml",
                   "impl_check/checker.py", "scratch_net/net.py", "commands/autograder.py"):  # fmt: skip
        assert f"project/{needed}" in names
    assert not [n for n in names if "__pycache__" in n or n.startswith("project/tests/")]


def test_setup_installs_the_cpu_build_of_torch_before_the_project(bundle):
    setup = (bundle / "setup.sh").read_text()
    torch = setup.index('--index-url https://download.pytorch.org/whl/cpu "torch')
    assert torch < setup.index("pip install -q ./project")
    for script in ("setup.sh", "run_autograder"):
        assert subprocess.run(["bash", "-n", str(bundle / script)]).returncode == 0


SUBMISSIONS = {"correct": "correct_vectorised.py", "wrong": "grads_transposed.py", "unrunnable": "syntax_error.py"}


@pytest.fixture(scope="module")
def graded(bundle, tmp_path_factory):
    """Gradescope's steps for each submission: the zip unpacked into source/, run_autograder copied next to it,
    the student's files in submission/; then run_autograder, on the bundle's copy of the project (the three at
    once, as Gradescope's containers would)."""
    runs = {}
    unpacked = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(bundle / "autograder.zip") as z:
        z.extractall(unpacked)
    installed = unpacked / "site"  # setup.sh's `pip install ./project`, into a folder of its own
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
    done = subprocess.run([*pip, "--target", str(installed), str(unpacked / "project")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (installed / "impl_check" / "default_rubric.toml").is_file() and (installed / "compare.py").is_file()
    for kind, fixture in SUBMISSIONS.items():
        root = tmp_path_factory.mktemp(kind) / "autograder"
        with zipfile.ZipFile(bundle / "autograder.zip") as z:
            z.extractall(root / "source")
        (root / "run_autograder").write_bytes((root / "source" / "run_autograder").read_bytes())
        (root / "run_autograder").chmod(0o755)
        (root / "submission").mkdir()
        (root / "submission" / "two_layer_net.py").write_text((IMPLS / fixture).read_text())
        (root / "submission" / "notes.txt").write_text("I used the course's template.\n")
        env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable,
               "PYTHONPATH": str(installed)}  # fmt: skip
        process = subprocess.Popen([str(root / "run_autograder")], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)  # fmt: skip
        runs[kind] = (root, process)
    out = {}
    for kind, (root, process) in runs.items():
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        out[kind] = json.loads((root / "results" / "results.json").read_text())
        jsonschema.validate(out[kind], SCHEMA)
    return out


def test_a_correct_submission_gets_full_marks(graded):
    results = graded["correct"]
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0
    parts = ("cost", "d_w1", "d_b1", "d_w2", "d_b2", "softmax", "calls")
    assert {t["name"] for t in results["tests"]} == {f"cost_grad: {p}" for p in parts}
    assert next(t for t in results["tests"] if t["name"] == "cost_grad: d_w1")["max_score"] == 20  # the rubric's


def test_a_wrong_submission_loses_the_parts_it_gets_wrong(graded):
    results = graded["wrong"]
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["score"] == 0 and t["output"].startswith(t["name"].split(": ")[1] + ": [") for t in failed)
    assert (
        0
        < results["score"]
        == sum(t["score"] for t in results["tests"])
        < sum(t["max_score"] for t in results["tests"])
    )


def test_an_unrunnable_submission_scores_zero_and_says_why(graded):
    results = graded["unrunnable"]
    assert results["score"] == 0 and all(t["status"] == "failed" for t in results["tests"])
    assert "SyntaxError" in results["output"]


def test_a_bad_rubric_writes_no_bundle(tmp_path, capsys):
    (tmp_path / "bad.toml").write_text("[cost_grad]\ncost = -5\n")
    args = ["autograder", "gradescope", "--out", str(tmp_path / "out"), "--rubric", str(tmp_path / "bad.toml")]
    assert compare.main(args) == 2
    assert f"--rubric {tmp_path / 'bad.toml'}: cost_grad.cost must be a number >= 0" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
