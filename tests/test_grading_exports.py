"""Grades: the rubric (points, partial credit), and the exports that course platforms read (Gradescope's
results.json, PrairieLearn's result, CSV), validated against the JSON Schemas in schemas/ written from the
platforms' documentation."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

import compare
from impl_check import exports
from impl_check.result import ERROR, FAIL, PASS, CheckResult, Finding, Row, TrainingResult
from impl_check.rubric import COST_GRAD_PARTS, TRAINING_PARTS, load_rubric, parse_rubric, score

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "tests" / "train_impls"
SCHEMAS = {name: json.loads((ROOT / "schemas" / f"{name}-results.schema.json").read_text())
           for name in ("gradescope", "prairielearn")}  # fmt: skip
DEFAULT = load_rubric()
FULL = DEFAULT.max_score

# Bob's hand-in: the correct net with one wrong term, the weight decay's gradient in d_w2 (c·W2, not 2c·W2).
CORRECT_TERM = "d_w2 = a1.T @ dz2 + 2 * c * W2"
WRONG_TERM = "d_w2 = a1.T @ dz2 + c * W2"
CAROL = "import numpy as np\n\n\ndef cost_grad(X, y, params, c=0.0)\n    return 0.0, {}\n"


def validate(data, platform):
    jsonschema.validate(data, SCHEMAS[platform])


def write_class(folder):
    correct = (TRAIN / "correct_for_range.py").read_text()
    assert CORRECT_TERM in correct
    for student, text in (("alice", correct), ("bob", correct.replace(CORRECT_TERM, WRONG_TERM)), ("carol", CAROL)):
        (folder / student).mkdir(parents=True)
        (folder / student / "net_classifier.py").write_text(text)
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A class of three, checked once with every export: alice right, bob one wrong term, carol cannot run."""
    tmp = tmp_path_factory.mktemp("graded")
    klass = write_class(tmp / "class")
    out = {"csv": tmp / "grades.csv", "gradescope": tmp / "gradescope", "prairielearn": tmp / "prairielearn"}
    args = ["check", "--impl", str(klass), "--jobs", "3"]
    code = compare.main([*args, *(x for flag, path in out.items() for x in (f"--{flag}", str(path)))])
    assert code == 1  # bob fails, carol cannot be run
    return out


def gradescope_of(graded, student):
    data = json.loads((graded["gradescope"] / f"{student}.json").read_text())
    validate(data, "gradescope")
    return data


def prairielearn_of(graded, student):
    data = json.loads((graded["prairielearn"] / f"{student}.json").read_text())
    validate(data, "prairielearn")
    return data


def csv_rows(graded):
    return {row["student"]: row for row in csv.DictReader(io.StringIO(graded["csv"].read_text()))}


def test_a_correct_net_scores_full_marks_in_every_format(graded, capsys):
    gs = gradescope_of(graded, "alice")
    assert gs["score"] == FULL == sum(t["max_score"] for t in gs["tests"])
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in gs["tests"])
    assert gs["visibility"] == "visible" and gs["execution_time"] >= 1
    pl = prairielearn_of(graded, "alice")
    assert pl["gradable"] is True and pl["score"] == 1
    assert [t["points"] for t in pl["tests"]] == [t["max_points"] for t in pl["tests"]]
    row = csv_rows(graded)["alice"]
    assert (row["verdict"], float(row["score"]), float(row["max_score"]), row["codes"]) == ("PASS", FULL, FULL, "")


def test_one_wrong_term_loses_its_part_and_keeps_the_others_in_every_format(graded):
    lost = DEFAULT.cost_grad["d_w2"]
    gs = gradescope_of(graded, "bob")
    assert gs["score"] == FULL - lost
    failed = [t for t in gs["tests"] if t["status"] == "failed"]
    assert [t["name"] for t in failed] == ["cost_grad: d_w2"] and failed[0]["score"] == 0
    assert failed[0]["output"].startswith("d_w2: [unexplained] d_w2 differs from the reference")
    pl = prairielearn_of(graded, "bob")
    assert pl["gradable"] is True and pl["score"] == pytest.approx((FULL - lost) / FULL)
    assert sum(t["points"] for t in pl["tests"]) == FULL - lost
    assert [t["name"] for t in pl["tests"] if t["points"] < t["max_points"]] == ["cost_grad: d_w2"]
    row = csv_rows(graded)["bob"]
    assert (row["verdict"], float(row["score"]), row["codes"]) == ("FAIL", FULL - lost, "unexplained")


def test_a_file_that_cannot_be_run_is_not_gradable_and_scores_zero(graded):
    gs = gradescope_of(graded, "carol")
    assert gs["score"] == 0 and all(t["score"] == 0 and t["status"] == "failed" for t in gs["tests"])
    assert "SyntaxError" in gs["output"]
    pl = prairielearn_of(graded, "carol")
    assert pl["gradable"] is False and pl["score"] == 0
    assert len(pl["format_errors"]) == 1 and "SyntaxError" in pl["format_errors"][0]
    row = csv_rows(graded)["carol"]
    assert (row["verdict"], float(row["score"]), float(row["max_score"]), row["codes"]) == (
        "ERROR",
        0,
        FULL,
        "import-error",
    )


def test_the_csv_has_one_row_per_student_in_order(graded):
    lines = graded["csv"].read_text().splitlines()
    assert lines[0] == "student,verdict,score,max_score,codes"
    assert [line.split(",")[0] for line in lines[1:]] == ["alice", "bob", "carol"]


def test_one_file_writes_the_results_themselves_not_a_folder(tmp_path, capsys):
    (tmp_path / "handin.py").write_text(CAROL)
    gs, pl = tmp_path / "results.json", tmp_path / "pl.json"
    args = ["check", "--impl", str(tmp_path / "handin.py"), "--gradescope", str(gs), "--prairielearn", str(pl)]
    assert compare.main(args) == 2  # one file that cannot be run: exit 2, as before, and the results written
    validate(json.loads(gs.read_text()), "gradescope")
    assert json.loads(gs.read_text())["score"] == 0
    assert json.loads(pl.read_text())["gradable"] is False


# ---- the rubric, on results made by hand: each rule -------------------------------------------------------


def passing(**changes):
    rows = [Row(q, "PASS", 1e-16, 1e-14, "A", None, 1.0, 1.0) for q in ("cost", "d_w1", "d_b1", "d_w2", "d_b2")]
    base = dict(path="net.py", verdict=PASS, name="dana", interface="course", rows=rows,
                training=TrainingResult(PASS), seconds=2.5)  # fmt: skip
    return CheckResult(**{**base, **changes})


def points(result, rubric=DEFAULT):
    grade = score(result, rubric)
    return grade.score, {t.name: t.score for t in grade.tests if t.score < t.max_score}


def test_every_part_of_the_default_rubric_is_worth_points_and_a_clean_result_gets_them_all():
    assert set(DEFAULT.cost_grad) == set(COST_GRAD_PARTS) and set(DEFAULT.training) == set(TRAINING_PARTS)
    assert points(passing()) == (FULL, {})


def test_a_diagnosis_loses_the_parts_it_names_only():
    bad = Finding("transposed", "d_w1 is returned transposed", ("d_w1",))
    assert points(passing(verdict=FAIL, diagnoses=[bad])) == (FULL - DEFAULT.cost_grad["d_w1"], {"cost_grad: d_w1": 0})
    both = Finding("swapped", "the gradients of the two layers are swapped", ("d_w1", "d_w2"))
    got, lost = points(passing(verdict=FAIL, diagnoses=[both]))
    assert set(lost) == {"cost_grad: d_w1", "cost_grad: d_w2"}
    assert got == FULL - DEFAULT.cost_grad["d_w1"] - DEFAULT.cost_grad["d_w2"]


def test_a_diagnosis_of_the_call_itself_loses_the_calls_part():
    modified = Finding("modifies-inputs", "cost_grad modifies its inputs in place (X)")
    assert points(passing(verdict=FAIL, diagnoses=[modified]))[1] == {"cost_grad: calls": 0}


def test_notes_and_warnings_cost_nothing_unless_the_rubric_prices_the_warning():
    warned = passing(warnings=[Finding("prints", "cost_grad prints")], notes=[Finding("several-nets", "two nets")])
    assert points(warned) == (FULL, {})
    priced = parse_rubric({"warnings": {"prints": 2}})
    grade = score(warned, priced)
    assert grade.score == FULL - 2 and grade.max_score == FULL
    assert [t.name for t in grade.tests if t.score < t.max_score] == ["warnings"]


def test_a_training_mistake_loses_its_part_and_a_crash_loses_every_training_part():
    no_shuffle = TrainingResult(FAIL, diagnoses=[Finding("no-shuffle", "the same order every epoch")])
    assert points(passing(training=no_shuffle))[1] == {"training: rows": 0}
    crash = TrainingResult(FAIL, diagnoses=[Finding("fit-crash", "fit raised IndexError")])
    assert set(points(passing(training=crash))[1]) == {f"training: {part}" for part in TRAINING_PARTS}


def test_every_training_code_the_judgement_gives_belongs_to_one_part_or_stops_the_loop():
    from impl_check.training import CODES

    stopping = {"fit-crash", "not-followed"}
    placed = [code for codes in TRAINING_PARTS.values() for code in codes]
    assert len(placed) == len(set(placed))  # each code in one part
    assert set(CODES) - set(placed) == stopping
    assert set(placed) <= set(CODES) | {"history-penalty", "epochs-unchecked"}  # no code the judgement lost (notes)


def test_a_file_without_a_training_method_scores_zero_there_or_leaves_it_out():
    without = passing(training=None)
    assert points(without)[0] == sum(DEFAULT.cost_grad.values())
    omit = parse_rubric({"training": {"if_missing": "omit"}})
    assert score(without, omit).max_score == score(without, omit).score == sum(DEFAULT.cost_grad.values())


def test_the_csv_says_why_a_file_without_a_training_method_lost_those_points():
    without, omit = passing(training=None), parse_rubric({"training": {"if_missing": "omit"}})
    rows = list(
        csv.DictReader(io.StringIO(exports.class_csv([without] * 2, [score(without, DEFAULT), score(without, omit)])))
    )
    assert [(r["verdict"], float(r["score"]), r["codes"]) for r in rows] == [
        ("PASS", sum(DEFAULT.cost_grad.values()), "no-fit"),  # the training parts scored 0, and the row says why
        ("PASS", sum(DEFAULT.cost_grad.values()), ""),  # left out: nothing lost, nothing to explain
    ]
    assert [
        r["codes"] for r in csv.DictReader(io.StringIO(exports.class_csv([passing()], [score(passing(), DEFAULT)])))
    ] == [""]


def test_a_part_not_checked_or_worth_nothing_is_left_out():
    grade = score(passing(parts=("cost_grad",)), parse_rubric({"cost_grad": {"softmax": 0}}))
    assert {t.name for t in grade.tests} == {f"cost_grad: {p}" for p in COST_GRAD_PARTS if p != "softmax"}


def test_an_unrunnable_file_scores_zero_and_is_not_gradable():
    result = CheckResult("x.py", ERROR, error=Finding("import-error", "importing the file failed: SyntaxError"))
    grade = score(result, DEFAULT)
    assert (grade.score, grade.max_score, grade.gradable) == (0, FULL, False)
    assert exports.prairielearn(result, grade, "")["format_errors"] == ["importing the file failed: SyntaxError"]
    validate(exports.gradescope(result, grade, ""), "gradescope")


def test_a_rubric_file_overrides_the_default_key_by_key(tmp_path):
    (tmp_path / "r.toml").write_text("[cost_grad]\nd_w2 = 30\n\n[training]\nhistory = 0\n")
    rubric = load_rubric(tmp_path / "r.toml")
    assert rubric.cost_grad == {**DEFAULT.cost_grad, "d_w2": 30}
    assert rubric.training == {**DEFAULT.training, "history": 0}
    assert "training: history" not in {t.name for t in score(passing(), rubric).tests}


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("[cost_grad]\nd_w3 = 1\n", "unknown part cost_grad.d_w3"),
        ("[cost_grad]\ncost = -1\n", "cost_grad.cost must be a number >= 0; got -1"),
        ("[cost_grad]\ncost = 'ten'\n", "cost_grad.cost must be a number >= 0; got 'ten'"),
        ("[grades]\n", "unknown table [grades]"),
        ("[warnings]\nprint = 1\n", "unknown finding code warnings.print"),
        ("[training]\nif_missing = 'skip'\n", 'training.if_missing must be "zero" or "omit"; got \'skip\''),
        ("[cost_grad\n", "not valid TOML"),
        ("training = 3\n", "training must be a table [training]"),
        ("warnings = 'none'\n", "warnings must be a table [warnings]"),
    ],
)
def test_a_bad_rubric_is_one_line_and_exit_2_before_any_work(tmp_path, capsys, text, fragment):
    (tmp_path / "r.toml").write_text(text)
    hangs = ROOT / "tests" / "impls" / "hangs.py"  # never run: the rubric is refused first
    assert compare.main(["check", "--impl", str(hangs), "--rubric", str(tmp_path / "r.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"--rubric {tmp_path / 'r.toml'}: {fragment}" in err[0]


def test_a_missing_rubric_file_is_named(capsys):
    assert compare.main(["check", "--impl", "x.py", "--rubric", "/no/such/rubric.toml"]) == 2
    assert "--rubric /no/such/rubric.toml: cannot read it" in capsys.readouterr().err


def test_a_class_report_path_must_be_a_folder_and_one_file_a_file(tmp_path, capsys):
    (tmp_path / "taken").write_text("")
    args = ["check", "--impl", str(ROOT / "tests" / "impls"), "--gradescope", str(tmp_path / "taken")]
    assert compare.main(args) == 2
    assert f"--gradescope {tmp_path / 'taken'}: not a folder" in capsys.readouterr().err


def test_the_docs_show_the_default_rubric_as_it_is_shipped():
    doc = (ROOT / "docs" / "grading-exports.md").read_text()
    shown = doc.split("<!-- default-rubric -->\n```toml\n")[1].split("```\n<!-- /default-rubric -->")[0]
    assert shown == (ROOT / "impl_check" / "default_rubric.toml").read_text()


def test_a_training_loop_that_times_out_loses_the_training_parts_only_and_stays_gradable():
    timed_out = TrainingResult(ERROR, error=Finding("training-timeout", "fit did not finish within 30 s"))
    grade = score(passing(training=timed_out), DEFAULT)
    assert grade.gradable and grade.score == sum(DEFAULT.cost_grad.values())
    assert all(
        t.output.endswith("[training-timeout] fit did not finish within 30 s") for t in grade.tests if t.score == 0
    )


@pytest.mark.parametrize("seconds, shown", [(0.0, 1), (0.2, 1), (1.0, 1), (1.001, 2), (3.0, 3), (2.5, 3)])
def test_gradescope_execution_time_is_the_check_rounded_up_to_whole_seconds(seconds, shown):
    result = CheckResult("x.py", ERROR, error=Finding("import-error", "importing the file failed"), seconds=seconds)
    assert exports.gradescope(result, score(result, DEFAULT), "")["execution_time"] == shown
