"""A class of students: one row each (folders, flat hand-ins, notebooks, archives), parallel checks, the JSON
summary and the JUnit XML that CI systems read."""

import json
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import nbformat
import pytest

from impl_check import units
from impl_check.batch import check_many, defines_a_net, discover, junit_xml, report_data, summary
from impl_check.checker import Options
from impl_check.report import exit_code, render, summary_table
from impl_check.sandbox import Limits

IMPLS = Path(__file__).resolve().parent / "impls"
HOSTILE = Path(__file__).resolve().parent / "hostile"

ALICE_NET = '''"""Assignment 2: a two-layer net.  Alice Martin"""
import numpy as np
from utils import softmax, one_hot


class NetClassifier:
    def __init__(self):
        self.params = None

    @staticmethod
    def cost_grad(X, y, params, c=0.0):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        n = X.shape[0]
        Y = one_hot(y, W2.shape[1])
        H = np.maximum(X @ W1 + b1, 0)
        S = H @ W2 + b2
        P = softmax(S)
        shifted = S - S.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        cost = -np.sum(Y * log_p) / n + c * (np.sum(W1 * W1) + np.sum(W2 * W2))
        G = (P - Y) / n
        grads = {"d_w2": H.T @ G + 2 * c * W2, "d_b2": G.sum(axis=0, keepdims=True)}
        G = (G @ W2.T) * (H > 0)
        grads["d_w1"] = X.T @ G + 2 * c * W1
        grads["d_b1"] = G.sum(axis=0, keepdims=True)
        return cost, grads
'''
ALICE_UTILS = """import numpy as np


def softmax(S):
    E = np.exp(S - S.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, k):
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1
    return Y
"""
ALICE_DRIVER = """import numpy as np
from net_classifier import NetClassifier

if __name__ == "__main__":
    X = np.random.randn(100, 3072)
    print(NetClassifier.cost_grad(X, np.zeros(100, int), {}, 0.01))
"""
FRANK_DRIVER = """from net import NetClassifier  # the final version
import numpy as np

net = NetClassifier()
"""


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbformat.v4.new_code_cell(c) for c in cells
    ]
    return nbformat.writes(nb)


BOB_CELLS = [
    "md:# Assignment 2 -- Bob\nTwo-layer network",
    "import numpy as np\n%matplotlib inline\n%load_ext autoreload\n%autoreload 2",
    "!pip install tqdm",
    "def softmax(z):\n    z = z - np.max(z, axis=1, keepdims=True)\n    e = np.exp(z)\n    return e / np.sum(e, axis=1, keepdims=True)",
    (IMPLS / "correct_vectorised.py").read_text().split("class NetClassifier:", 1)[0].replace('"""', "# ")
    + "class NetClassifier:"
    + (IMPLS / "correct_vectorised.py").read_text().split("class NetClassifier:", 1)[1],
    "%%time\nnet = NetClassifier()\nX_small = np.random.randn(5, 4)",
]


def write_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A class as teachers get one: student folders (a net with a helper and a driver; a notebook; a zip; nothing;
    a misspelt class; two nets), a flat hand-in, notes only, a zip-slip archive and one over the caps, a README."""
    root = tmp_path_factory.mktemp("class")
    alice = root / "alice"
    alice.mkdir()
    (alice / "net_classifier.py").write_text(ALICE_NET)
    (alice / "utils.py").write_text(ALICE_UTILS)
    (alice / "run_experiments.py").write_text(ALICE_DRIVER)
    (root / "bob").mkdir()
    (root / "bob" / "handin2.ipynb").write_text(notebook(BOB_CELLS))
    (root / "carol").mkdir()
    write_zip(
        root / "carol" / "handin.zip",
        {
            "carol/net.py": (IMPLS / "warn_log_eps_1e12.py").read_text(),
            "__MACOSX/carol/._net.py": b"\x00\x05\x16\x07 mac resource fork",
        },
    )
    (root / "dave").mkdir()
    (root / "erin").mkdir()
    (root / "erin" / "net.py").write_text(
        (IMPLS / "correct_vectorised.py").read_text().replace("class NetClassifier", "class NetClassifer")
    )
    (root / "frank").mkdir()
    shutil.copy(IMPLS / "correct_vectorised.py", root / "frank" / "net.py")
    shutil.copy(IMPLS / "bug_grads_doubled.py", root / "frank" / "net_old.py")
    (root / "frank" / "train.py").write_text(FRANK_DRIVER)
    shutil.copy(IMPLS / "cs231n_decay_half.py", root / "greg.py")
    (root / "henry").mkdir()
    (root / "henry" / "notes.txt").write_text("I ran out of time, sorry\n")
    (root / "henry" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    write_zip(
        root / "mallory.zip", {"../../escaped.py": "print('out')\n", "net.py": "def cost_grad(X, y, p, c):\n    pass\n"}
    )
    write_zip(root / "oscar.zip", {f"data/{i}.txt": "" for i in range(units.ZIP_MAX_FILES + 1)})
    (root / "README.md").write_text("hand-ins of assignment 2\n")
    (root / ".hidden").mkdir()
    shutil.copy(IMPLS / "style_einsum.py", root / ".hidden" / "copy.py")
    (root / "__pycache__").mkdir()
    return root


UNITS = ["alice", "bob", "carol", "dave", "erin", "frank", "greg.py", "henry", "mallory.zip", "oscar.zip"]


@pytest.fixture(scope="module")
def checked(classroom):
    for folder in (Path(tempfile.gettempdir()), classroom.parent, classroom.parent.parent):
        (folder / "escaped.py").unlink(missing_ok=True)
    found = discover([classroom])
    return found, check_many(found, Options(limits=Limits(timeout=5.0)), jobs=2)


def by_name(results):
    return {r.name: r for r in results}


def test_each_student_folder_and_hand_in_is_one_unit_sorted_by_name(checked):
    found, results = checked
    assert [u.name for u in found] == UNITS
    assert [r.name for r in results] == UNITS


def test_each_student_gets_exactly_one_row_in_the_json_and_the_junit(checked):
    _, results = checked
    data = report_data(results, single=False)
    assert [f["name"] for f in data["files"]] == UNITS
    suite = ET.fromstring(junit_xml(results, lambda r: render(r, r.path)))
    cases = list(suite.iter("testcase"))
    assert len(cases) == len(UNITS) and suite.get("tests") == str(len(UNITS))
    assert [case.get("classname") for case in cases] == UNITS


def test_each_student_gets_the_verdict_of_the_file_checked(checked):
    _, results = checked
    got = {name: (r.path, r.level) for name, r in by_name(results).items() if r.level != "ERROR"}
    assert got == {
        "alice": ("alice/net_classifier.py", "PASS"),  # the helper it imports was copied; the driver is no row
        "bob": ("bob/handin2.ipynb", "PASS"),  # its magics and shell escapes commented out
        "carol": ("carol/handin.zip: carol/net.py", "PASS with warnings"),  # __MACOSX skipped
        "frank": ("frank/net.py", "PASS"),
        "greg.py": ("greg.py", "FAIL"),
    }
    assert summary(results) == {"pass": 4, "fail": 1, "error": 5}
    assert exit_code(results, strict=False) == 1 and exit_code(results[:1], strict=False) == 0


@pytest.mark.parametrize(
    "name, code, message",
    [
        ("dave", "empty-folder", "nothing to check: the folder dave is empty"),
        (
            "erin",
            "misnamed",
            "no file defines NetClassifier.cost_grad, cost_grad or TwoLayerNet.loss; erin/net.py defines "
            "class NetClassifer: did you mean NetClassifier?",
        ),
        ("henry", "no-code", "nothing to check: no .py, .ipynb or .zip file (found henry/notes.txt, henry/report.pdf)"),
        (
            "mallory.zip",
            "archive-refused",
            "mallory.zip: member ../../escaped.py would be written outside the folder it is extracted into; "
            "nothing extracted",
        ),
        ("oscar.zip", "archive-capped", f"oscar.zip holds {units.ZIP_MAX_FILES + 1} members, over the cap of 1000"),
    ],
)
def test_a_student_with_nothing_gradable_is_an_error_saying_what_was_found(checked, name, code, message):
    result = by_name(checked[1])[name]
    assert result.level == "ERROR" and result.path == name
    assert (result.error.code, result.error.message) == (code, message)


def test_two_nets_in_one_folder_a_note_says_which_was_checked_and_why(checked):
    frank = by_name(checked[1])["frank"]
    assert [(n.code, n.message) for n in frank.notes] == [
        (
            "several-nets",
            "2 files define a net (frank/net.py, frank/net_old.py); checked frank/net.py: frank/train.py imports it",
        )
    ]
    assert frank.level == "PASS"  # net_old.py's doubled gradients are not what was checked


def test_a_zip_slip_writes_nothing_outside_the_run_folder(checked, classroom):
    assert not [
        p
        for p in (Path(tempfile.gettempdir()), classroom.parent, classroom.parent.parent)
        if (p / "escaped.py").exists()
    ]


def test_no_absolute_grader_path_in_the_json_or_the_junit(checked, classroom):
    _, results = checked
    text = json.dumps(report_data(results, single=False)) + junit_xml(results, lambda r: render(r, r.path))
    assert str(classroom) not in text and str(classroom.parent) not in text
    assert tempfile.gettempdir() + "/impl_check_" not in json.dumps(report_data(results, single=False))


@pytest.mark.parametrize(
    "source, defines",
    [
        ("def cost_grad(X, y, params, c):\n    pass\n", True),
        ("class NetClassifier:\n    @staticmethod\n    def cost_grad(X, y, p, c):\n        pass\n", True),
        ("class TwoLayerNet:\n    def loss(self, X, y=None, reg=0.0):\n        pass\n", True),
        ("from helpers import net\ncost_grad = net\n", True),
        ("from mynet import cost_grad\n", False),  # a driver or a re-export: part of a submission, not one
        ("from net_classifier import NetClassifier\nNetClassifier.cost_grad(1, 2, 3, 4)\n", False),
        ("def softmax(z):\n    return z\n", False),
        ("class TwoLayerNet:\n    def train(self):\n        pass\n", False),
        ("def broken(:\n", False),  # checked only when nothing in its folder parses, to name the syntax error
    ],
)
def test_only_a_file_that_defines_a_net_is_one(tmp_path, source, defines):
    (tmp_path / "f.py").write_text(source)
    assert defines_a_net(tmp_path / "f.py") is defines


@pytest.mark.parametrize(
    "source, misses",
    [
        (
            "class NetClassifer:\n    def cost_grad(X, y, p, c):\n        pass\n",
            ["class NetClassifer: did you mean NetClassifier?"],
        ),
        ("def cost_gard(X, y, p, c):\n    pass\n", ["cost_gard: did you mean cost_grad?"]),
        (
            "class TwoLayerNett:\n    def loss(self, X):\n        pass\n",
            ["class TwoLayerNett: did you mean TwoLayerNet?"],
        ),
        (
            "class TwoLayerNet:\n    def los(self, X):\n        pass\n",
            ["TwoLayerNet.los: did you mean TwoLayerNet.loss?"],
        ),
        ("class Model:\n    def forward(self, X):\n        pass\n", []),
    ],
)
def test_a_misspelt_name_is_suggested(source, misses):
    import ast

    assert units.near_misses(units._defined(ast.parse(source))) == misses


def test_a_flat_hand_in_with_a_misspelt_class_says_what_was_meant(tmp_path):
    (tmp_path / "erin.py").write_text(
        (IMPLS / "correct_vectorised.py").read_text().replace("class NetClassifier", "class NetClassifer")
    )
    [result] = check_many(discover([tmp_path]), Options(limits=Limits(timeout=5.0)), jobs=1)
    assert (
        result.error.code == "no-cost-grad"
        and "class NetClassifer: did you mean NetClassifier?" in result.error.message
    )


def test_a_flat_hand_in_is_copied_alone(tmp_path):
    """A student's file must not see another's: greg.py cannot import alice.py lying beside it."""
    shutil.copy(IMPLS / "correct_vectorised.py", tmp_path / "alice.py")
    (tmp_path / "greg.py").write_text("from alice import NetClassifier  # copied\n")
    results = check_many(discover([tmp_path]), Options(limits=Limits(timeout=5.0)), jobs=2)
    assert [(r.name, r.level) for r in results] == [("alice.py", "PASS"), ("greg.py", "ERROR")]
    assert "alice" in results[1].error.message


def test_an_error_in_a_notebook_names_its_cell_and_line(tmp_path):
    (tmp_path / "zoe.ipynb").write_text(
        notebook(
            [
                "import numpy as np",
                "def cost_grad(X, y, params, c):\n    pass",
                "%matplotlib inline\nx = 1\ny = undefined_name",
            ]
        )
    )
    [result] = check_many(discover([tmp_path]), Options(limits=Limits(timeout=5.0)), jobs=1)
    assert result.error.code == "import-error"
    assert (
        "NameError: name 'undefined_name' is not defined (line 3 of code cell 3 of zoe.ipynb)" in result.error.message
    )


def test_an_unreadable_notebook_is_an_error_naming_it(tmp_path):
    (tmp_path / "yves").mkdir()
    (tmp_path / "yves" / "handin.ipynb").write_text("{not json")
    [result] = check_many(discover([tmp_path]), Options(), jobs=1)
    assert result.error.code == "notebook-unreadable"
    assert result.error.message.startswith("yves/handin.ipynb cannot be read as a notebook:")


def test_an_archive_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(units, "ZIP_MAX_BYTES", 1000)
    write_zip(tmp_path / "zed.zip", {"net.py": "#" * 2000})
    [result] = check_many(discover([tmp_path]), Options(), jobs=1)
    assert (result.error.code, result.error.message) == (
        "archive-capped",
        "zed.zip holds 0.0 MiB uncompressed, over the cap of 0 MiB",
    )


def test_a_damaged_archive_is_an_error_not_a_crash(tmp_path):
    write_zip(tmp_path / "yann.zip", {"net": "a file", "net/cost.py": "def cost_grad(X, y, p, c):\n    pass\n"})
    [result] = check_many(discover([tmp_path]), Options(), jobs=1)
    assert (result.error.code, result.error.message) == (
        "archive-refused",
        "yann.zip: member net/cost.py cannot be extracted (File exists)",
    )


def test_a_student_folder_is_copied_with_its_subfolders_and_without_links(tmp_path):
    student = tmp_path / "class" / "ada"
    (student / "utils").mkdir(parents=True)
    (student / "utils" / "__init__.py").write_text("from .maths import softmax\n")
    (student / "utils" / "maths.py").write_text("def softmax(z):\n    return z\n")
    (student / "net.py").write_text("from utils import softmax\n\ndef cost_grad(X, y, params, c):\n    pass\n")
    (student / "secret").symlink_to(tmp_path)
    [unit] = discover([tmp_path / "class"])
    with units.staging() as folder:
        staged = units.stage(unit, folder / units.SUB)
        copied = sorted(p.relative_to(folder / units.SUB).as_posix() for p in (folder / units.SUB).rglob("*"))
        assert copied == ["net.py", "utils", "utils/__init__.py", "utils/maths.py"]
        assert [(n.code, n.message) for n in staged.problems] == [
            ("left-out", "not copied into the run folder: ada/secret/ (a link)")
        ]


def test_files_and_folders_mix_and_each_counts_once(classroom):
    found = discover([classroom / "greg.py", classroom, classroom / "greg.py"])
    assert [u.name for u in found] == [str(classroom / "greg.py"), *(n for n in UNITS if n != "greg.py")]


@pytest.mark.parametrize("path, message", [("nowhere/", "no such file or folder: nowhere/")])
def test_a_missing_path_is_named(path, message):
    with pytest.raises(ValueError, match=message):
        discover([path])


def test_a_folder_with_no_unit_is_named_even_beside_others(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no submission found in .*empty"):
        discover([tmp_path / "empty", IMPLS / "style_einsum.py"])


def test_the_summary_table_names_each_student_with_its_findings(classroom, checked):
    _, results = checked
    table = summary_table(results, classroom).splitlines()
    assert table[0].split() == ["submission", "verdict", "findings"]
    assert table[2].split()[:2] == ["alice/net_classifier.py", "PASS"]


def test_junit_xml_one_testcase_per_student(checked):
    _, results = checked
    suite = ET.fromstring(junit_xml(results, lambda r: render(r, r.path)))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("10", "1", "5")
    cases = {case.get("classname"): case for case in suite.iter("testcase")}
    assert cases["alice"].get("name") == "alice/net_classifier.py"
    assert cases["greg.py"].find("failure").get("message").startswith("[decay-half] the cost adds (c/2)·ΣW²")
    assert cases["dave"].find("error").get("type") == "empty-folder"
    assert cases["carol"].find("failure") is None and cases["carol"].find("error") is None
    assert "warning [log-eps]" in cases["carol"].find("system-out").text


def test_the_grader_goes_on_after_each_hostile_file(tmp_path):
    for path in HOSTILE.glob("*.py"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "_port.py").write_text("PORT = 9\n")  # connects.py: the discard port, closed
    given = sorted(tmp_path.glob("[!_]*.py"))  # each given by path: copied with the _correct.py it imports
    results = check_many(discover(given), Options(limits=Limits(timeout=3.0)), jobs=2)
    levels = {Path(r.name).stem: r.level for r in results}
    assert levels["allocates_8gib"] == levels["hangs"] == levels["exits"] == levels["prints_forever"] == "ERROR"
    assert levels["torch_autograd"] == "FAIL"
    assert levels["detaches"] == levels["writes_outside"] == levels["connects"] == "PASS"


def test_jobs_must_be_positive():
    with pytest.raises(ValueError, match="jobs must be at least 1; got 0"):
        check_many([], Options(), jobs=0)


def test_cli_checks_a_class_prints_a_summary_and_writes_json_and_junit(classroom, tmp_path, capsys):
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
    assert "Traceback" not in captured.err
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"] == {"pass": 4, "fail": 1, "error": 5}
    assert [f["name"] for f in data["files"]] == UNITS
    assert ET.parse(tmp_path / "r.xml").getroot().get("tests") == "10"


def test_cli_exit_0_when_every_student_passes(classroom):
    import compare

    args = ["check", "--impl", str(classroom / "alice" / "net_classifier.py"), str(classroom / "carol")]
    assert compare.main(args) == 0  # a file given with the helper it imports; a class of one zip
    assert compare.main([*args, "--strict"]) == 1  # carol's log-eps warning


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


def test_cli_penalty_applies_to_every_student(classroom, tmp_path):
    import compare

    args = [
        "check",
        "--impl",
        str(classroom / "greg.py"),
        str(classroom / "alice" / "net_classifier.py"),
        "--penalty",
        "half",
    ]
    assert compare.main([*args, "--json", str(tmp_path / "r.json")]) == 1
    files = json.loads((tmp_path / "r.json").read_text())["files"]
    # greg's (c/2)·ΣW² is right under half; alice's c·ΣW² is now the mistake
    assert [(Path(f["path"]).name, f["level"], f["penalty"]) for f in files] == [
        ("greg.py", "PASS", "half"),
        ("net_classifier.py", "FAIL", "half"),
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
    named = _result(name="alice", path="alice/net_classifier.py")  # a unit graded: the file checked, as reported
    table = summary_table([named, _result(name="dave", path="dave"), _result(path="/class/bob/net.py")], Path("/class"))
    assert [line.split()[0] for line in table.splitlines()[2:]] == ["alice/net_classifier.py", "dave", "bob/net.py"]


@pytest.mark.parametrize("count, line", [(1, "1 submission: 0 pass, 1 fail, 0 cannot be run"), (3, "3 submissions:")])
def test_the_summary_counts_students(count, line):
    from impl_check.report import summary_text

    assert summary_text([_result(diagnoses=[CALL])] * count, Path("/class")).splitlines()[-1].startswith(line)


def test_the_summary_has_a_legend_of_the_codes_it_shows(classroom, checked):
    from impl_check.codes import LEGEND
    from impl_check.report import summary_text

    _, results = checked
    lines = summary_text(results, classroom).splitlines()
    rows, legend = lines[2 : 2 + len(results)], lines[2 + len(results) : -1]
    start = lines[0].index("findings")  # the column's own position: a file name may hold two spaces
    shown = [code for row in rows for code in row[start:].split(", ") if code]
    assert {"log-eps", "decay-half", "empty-folder", "misnamed", "several-nets"} <= set(shown)  # the class's codes
    assert legend == [f"{code}: {LEGEND[code]}" for code in dict.fromkeys(shown)]  # each once, in the table's order


def test_every_code_the_checker_can_produce_has_a_legend_line():
    import re

    from impl_check.catalogue import CATALOGUE
    from impl_check.codes import LEGEND
    from impl_check.training import CODES as TRAINING_CODES

    produced = {m.code for m in CATALOGUE} | set(TRAINING_CODES)
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
