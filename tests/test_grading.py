"""A folder of submissions: discovery, parallel checks, the JSON summary and the JUnit XML that CI systems read."""

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from impl_check.batch import check_many, defines_a_net, discover, junit_xml, summary
from impl_check.checker import Options
from impl_check.report import exit_code, render, summary_table
from impl_check.sandbox import Limits

IMPLS = Path(__file__).resolve().parent / "impls"
HOSTILE = Path(__file__).resolve().parent / "hostile"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A class: two students in folders of their own (one with a helper), two files side by side, a README."""
    root = tmp_path_factory.mktemp("class")
    (root / "alice").mkdir()
    shutil.copy(IMPLS / "style_einsum.py", root / "alice" / "net.py")
    (root / "alice" / "notes.py").write_text("ALPHA = 1\n")  # a helper: importable, not checked
    (root / "bob").mkdir()
    shutil.copy(IMPLS / "cs231n_decay_half.py", root / "bob" / "neural_net.py")
    shutil.copy(IMPLS / "warn_log_eps_1e12.py", root / "carol.py")
    shutil.copy(IMPLS / "syntax_error.py", root / "dave.py")
    (root / "README.md").write_text("hand-ins\n")
    (root / ".hidden").mkdir()
    shutil.copy(IMPLS / "style_einsum.py", root / ".hidden" / "copy.py")
    return root


@pytest.fixture(scope="module")
def checked(classroom):
    paths = discover([classroom])
    return paths, check_many(paths, Options(limits=Limits(timeout=5.0)), jobs=2)


def test_a_folder_is_searched_for_the_files_that_define_a_net(classroom, checked):
    paths, _ = checked
    assert [p.relative_to(classroom).as_posix() for p in paths] == [
        "carol.py",
        "dave.py",
        "alice/net.py",
        "bob/neural_net.py",
    ]


@pytest.mark.parametrize(
    "source, defines",
    [
        ("def cost_grad(X, y, params, c):\n    pass\n", True),
        ("class NetClassifier:\n    @staticmethod\n    def cost_grad(X, y, p, c):\n        pass\n", True),
        ("class TwoLayerNet:\n    def loss(self, X, y=None, reg=0.0):\n        pass\n", True),
        ("from helpers import net\ncost_grad = net\n", True),
        ("from mynet import cost_grad\n", True),
        ("def softmax(z):\n    return z\n", False),
        ("class TwoLayerNet:\n    def train(self):\n        pass\n", False),
        ("def broken(:\n", True),
    ],
)
def test_what_counts_as_a_submission(tmp_path, source, defines):
    (tmp_path / "f.py").write_text(source)
    assert defines_a_net(tmp_path / "f.py") is defines


def test_files_and_folders_mix_and_each_counts_once(classroom):
    paths = discover([classroom / "carol.py", classroom, classroom / "carol.py"])
    assert len(paths) == 4 and paths[0].name == "carol.py"


def test_a_missing_path_is_named():
    with pytest.raises(ValueError, match="no such file or folder: nowhere/"):
        discover(["nowhere/"])


def test_each_submission_gets_its_verdict(checked):
    _, results = checked
    assert [r.level for r in results] == ["PASS with warnings", "ERROR", "PASS", "FAIL"]
    assert results[3].interface == "cs231n" and results[3].diagnoses[0].code == "decay-half"
    assert summary(results) == {"pass": 2, "fail": 1, "error": 1}
    assert exit_code(results, strict=False) == 1 and exit_code(results[:1], strict=False) == 0
    assert exit_code(results[:1], strict=True) == 1


def test_the_summary_table_names_each_submission_with_its_findings(classroom, checked):
    _, results = checked
    table = summary_table(results, classroom).splitlines()
    assert table[0].split() == ["submission", "verdict", "findings"]
    assert table[2].split() == ["carol.py", "PASS", "with", "warnings", "log-eps"]
    assert table[3].split() == ["dave.py", "ERROR", "import-error"]
    assert table[5].split() == ["bob/neural_net.py", "FAIL", "decay-half"]


def test_junit_xml_has_one_testcase_per_submission(classroom, checked):
    _, results = checked
    suite = ET.fromstring(junit_xml(results, lambda r: render(r, r.path)))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"carol.py", "dave.py", "net.py", "neural_net.py"}
    assert cases["net.py"].get("classname") == str(classroom / "alice")
    failure = cases["neural_net.py"].find("failure")
    assert failure.get("message").startswith("[decay-half] the cost adds (c/2)·ΣW²")
    assert cases["dave.py"].find("error").get("type") == "import-error"
    assert cases["carol.py"].find("failure") is None and cases["carol.py"].find("error") is None
    assert "warning [log-eps]" in cases["carol.py"].find("system-out").text


def test_the_grader_goes_on_after_each_hostile_file(tmp_path):
    for path in HOSTILE.glob("*.py"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "PORT.txt").write_text("9")  # connects.py: the discard port, closed
    paths = discover([tmp_path])
    assert "_correct.py" in {p.name for p in paths}  # it defines cost_grad: a submission too
    results = check_many(paths, Options(limits=Limits(timeout=3.0)), jobs=2)
    levels = {Path(r.path).name: r.level for r in results}
    assert levels["allocates_8gib.py"] == levels["hangs.py"] == levels["exits.py"] == "ERROR"
    assert levels["prints_forever.py"] == "ERROR" and levels["torch_autograd.py"] == "FAIL"
    assert levels["_correct.py"] == levels["detaches.py"] == levels["writes_outside.py"] == "PASS"


def test_jobs_must_be_positive():
    with pytest.raises(ValueError, match="jobs must be at least 1; got 0"):
        check_many([], Options(), jobs=0)


def test_cli_checks_a_folder_prints_a_summary_and_writes_json_and_junit(classroom, tmp_path, capsys):
    import json

    import compare

    code = compare.main(
        [
            "check",
            "--impl",
            str(classroom),
            "--jobs",
            "2",
            "--json",
            str(tmp_path / "r.json"),
            "--junit-xml",
            str(tmp_path / "r.xml"),
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    assert "4 submissions: 2 pass, 1 fail, 1 cannot be run" in captured.out
    assert "Traceback" not in captured.err
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"] == {"pass": 2, "fail": 1, "error": 1}
    assert [Path(f["path"]).name for f in data["files"]] == ["carol.py", "dave.py", "net.py", "neural_net.py"]
    assert ET.parse(tmp_path / "r.xml").getroot().get("tests") == "4"


def test_cli_exit_0_when_every_file_passes(classroom, capsys):
    import compare

    assert compare.main(["check", "--impl", str(classroom / "alice"), str(classroom / "carol.py")]) == 0
    assert compare.main(["check", "--impl", str(classroom / "alice"), str(classroom / "carol.py"), "--strict"]) == 1


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--impl", "nowhere/"], "--impl: no such file or folder: nowhere/"),
        (["--impl", str(HOSTILE.parent / "impls" / "__pycache__")], "--impl: no submission found in"),
        (["--impl", "x.py", "--jobs", "0"], "--jobs: expected an integer >= 1, got 0"),
        (
            ["--impl", str(IMPLS / "style_einsum.py"), "--allow-import", "scratch_net"],
            "the project's own packages never are",
        ),
        (["--junit-xml", "r.xml"], "need --impl PATH"),
        (
            ["--impl", str(IMPLS / "style_einsum.py"), "--junit-xml", "/no/such/folder/r.xml"],
            "--junit-xml: folder /no/such/folder does not exist",
        ),
    ],
)
def test_cli_exit_2_with_one_line(args, fragment, tmp_path):
    import subprocess
    import sys

    (IMPLS / "__pycache__").mkdir(exist_ok=True)
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, str(root / "compare.py"), "check", *args], capture_output=True, text=True)
    lines = [line for line in result.stderr.strip().splitlines() if "bubblewrap" not in line]
    assert result.returncode == 2 and result.stdout == "" and len(lines) == 1 and fragment in lines[0], result.stderr


def test_cli_penalty_applies_to_every_file(classroom, tmp_path):
    import json

    import compare

    args = ["check", "--impl", str(classroom / "bob"), str(classroom / "alice"), "--penalty", "half"]
    assert compare.main([*args, "--json", str(tmp_path / "r.json")]) == 1
    files = json.loads((tmp_path / "r.json").read_text())["files"]
    # bob's (c/2)·ΣW² is right under half; alice's c·ΣW² is now the mistake
    assert [(Path(f["path"]).parent.name, f["level"], f["penalty"]) for f in files] == [
        ("bob", "PASS", "half"),
        ("alice", "FAIL", "half"),
    ]
    assert [d["code"] for d in files[1]["diagnoses"]] == ["decay-full"]


# ---- levels in the reports: notes, the main mistake first, the legend, the count, feedback to hand back ----


def _result(verdict="fail", name="", diagnoses=(), warnings=(), notes=(), path="/class/alice/net.py"):
    from impl_check.result import CheckResult, Finding

    found = lambda items: [Finding(code, f"{code} message", tuple(q)) for code, q in items]  # noqa: E731
    return CheckResult(path, verdict, name=name, diagnoses=found(diagnoses), warnings=found(warnings),
                       notes=found(notes), interface="course", entry="module-level cost_grad")  # fmt: skip


CALL, COST, GRAD = ("exception", ()), ("log-eps", ("cost",)), ("decay-cw", ("cost", "d_w1", "d_w2"))


@pytest.mark.parametrize(
    "diagnoses, main",
    [
        ([CALL, COST, GRAD], "decay-cw"),  # a gradient first, wherever it stands
        ([CALL, COST], "log-eps"),  # then the cost
        ([CALL, ("softmax-no-max", ("softmax",))], "softmax-no-max"),  # then anything else named, then the call
        ([CALL], "exception"),
    ],
)
def test_junit_and_the_summary_lead_with_the_main_mistake(diagnoses, main):
    from impl_check.result import main_diagnosis

    result = _result(diagnoses=diagnoses, warnings=[("prints", ())], notes=[("cost-not-finite", ("cost",))])
    assert main_diagnosis(result).code == main
    failure = ET.fromstring(junit_xml([result], lambda r: "")).find("testcase/failure")
    assert failure.get("type") == main and failure.get("message") == f"[{main}] {main} message"
    codes = summary_table([result], Path("/class")).splitlines()[2].split(maxsplit=2)[2].split(", ")
    assert codes[0] == main and codes[-2:] == ["prints", "cost-not-finite"]  # warnings, then notes, listed too


def test_a_warning_or_a_note_is_never_the_main_mistake():
    from impl_check.result import main_diagnosis

    assert main_diagnosis(_result("pass", warnings=[GRAD], notes=[GRAD])) is None


def test_a_note_is_shown_and_never_changes_the_verdict_or_the_exit():
    result = _result("pass", notes=[("cost-not-finite", ("cost",))])
    text = render(result, "alice")
    assert "note [cost-not-finite]: cost-not-finite message" in text
    assert result.level == "PASS" and text.splitlines()[-1].startswith("PASS: alice agrees with torch_ref")
    assert exit_code([result], strict=False) == exit_code([result], strict=True) == 0
    assert summary_table([result], Path("/class")).splitlines()[2].split()[1:] == ["PASS", "cost-not-finite"]


def test_notes_come_after_warnings_and_count_in_no_line():
    text = render(_result("pass", warnings=[("prints", ())], notes=[("cost-not-finite", ("cost",))]), "alice")
    lines = text.splitlines()
    assert lines.index("warning [prints]: prints message") < lines.index(
        "note [cost-not-finite]: cost-not-finite message"
    )
    assert lines[-1].endswith("on every gradient; 1 warning(s)")
    failed = render(_result(diagnoses=[CALL], notes=[("cost-not-finite", ("cost",))]), "alice").splitlines()
    assert failed[-1] == "FAIL: 1 problem(s) found in alice"


def test_a_row_shows_the_units_name_where_it_is_set():
    table = summary_table([_result(name="alice"), _result(path="/class/bob/net.py")], Path("/class")).splitlines()
    assert [line.split()[0] for line in table[2:]] == ["alice", "bob/net.py"]


@pytest.mark.parametrize("count, line", [(1, "1 submission: 0 pass, 1 fail, 0 cannot be run"), (3, "3 submissions:")])
def test_the_summary_counts_students(count, line):
    from impl_check.report import summary_text

    assert summary_text([_result(diagnoses=[CALL])] * count, Path("/class")).splitlines()[-1].startswith(line)


def test_the_summary_has_a_legend_of_the_codes_it_shows(classroom, checked):
    from impl_check.codes import LEGEND
    from impl_check.report import summary_text

    _, results = checked
    lines = summary_text(results, classroom).splitlines()
    legend = lines[2 + len(results) : -1]
    assert legend == [f"{code}: {LEGEND[code]}" for code in ("log-eps", "import-error", "decay-half")]


def test_every_code_the_checker_can_produce_has_a_legend_line():
    import re

    from impl_check.catalogue import CATALOGUE
    from impl_check.codes import LEGEND

    produced = {m.code for m in CATALOGUE}
    for source in (Path(__file__).resolve().parents[1] / "impl_check").glob("*.py"):
        text = source.read_text()
        produced |= set(re.findall(r'Finding\(\s*"([a-z0-9-]+)"', text))  # Finding("code", ...)
        produced |= set(re.findall(r'"code"\]?\s*[:=]\s*"([a-z0-9-]+)"', text))  # worker status errors
    assert {"prints", "missing-module", "memory-cap", "timeout", "decay-half"} <= produced  # the search finds them
    assert produced - set(LEGEND) == set(), "codes without a legend line"
    assert set(LEGEND) - produced == set(), "legend lines for codes nothing produces"


def test_feedback_files_never_overwrite_each_other():
    from impl_check.report import feedback

    results = [_result(name="a b"), _result(name="a_b"), _result(name="A_B"), _result(name="../x"), _result()]
    files = feedback(results)
    assert list(files) == ["a_b.txt", "a_b-2.txt", "A_B-3.txt", "x.txt", "net.py.txt"]
    assert files["a_b-2.txt"].startswith("check --impl a_b: ")


LEAKY = """import os
import sys

import numpy as np

print("working in", os.getcwd())
print("python", sys.executable, np.__file__)
data = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data.npz"))
"""


def test_cli_writes_one_feedback_file_per_student_without_grader_paths(tmp_path, capsys):
    import sys
    import tempfile

    import compare

    root = tmp_path / "class"
    for student, fixture in (("alice", "style_einsum"), ("bob", "prints")):
        (root / student).mkdir(parents=True)
        shutil.copy(IMPLS / f"{fixture}.py", root / student / "net.py")  # two units, one file name
    (root / "carol.py").write_text(LEAKY + "\ndef cost_grad(X, y, params, c):\n    return None\n")
    (root / "dave.py").write_text("print('loaded from', __file__)\n" + (IMPLS / "correct_course_keys.py").read_text())
    folder = tmp_path / "feedback"  # made: its parent exists
    assert compare.main(["check", "--impl", str(root), "--feedback-dir", str(folder)]) == 1
    capsys.readouterr()
    texts = {path.name: path.read_text() for path in folder.iterdir()}
    assert len(texts) == 4, sorted(texts)  # one per student, none overwritten
    levels = sorted(text.splitlines()[0 if text.startswith("ERROR") else -1].split(":")[0] for text in texts.values())
    assert levels == ["ERROR", "PASS", "PASS with warnings", "PASS with warnings"]
    assert any("what it printed" in text and "working in ." in text for text in texts.values())  # its own folder
    grader = {str(tmp_path), str(Path(__file__).resolve().parents[1]), sys.prefix, tempfile.gettempdir()}
    for name, text in texts.items():
        assert not {path for path in grader if path in text}, (name, text)
        assert "impl_check_" not in text, (name, text)  # the sandbox's temporary folder
