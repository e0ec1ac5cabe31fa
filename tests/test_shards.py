"""A class split across machines: ``check --impl --shard K/N`` grades one part, ``compare.py merge`` puts the
parts' JSON reports together into exactly what one run over the whole class writes and prints."""

import contextlib
import io
import json
import re
import shutil
import types
import zipfile
from pathlib import Path

import nbformat
import pytest

import compare
from impl_check import batch, report
from impl_check.result import CheckResult, TrainingResult
from impl_check.shards import combine, part

TESTS = Path(__file__).resolve().parent
IMPLS, TRAIN = TESTS / "impls", TESTS / "train_impls"
SHARDS = 3


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def sections(tmp_path_factory):
    """Two class folders (sections), given in this order, whose students interleave by name: the whole run's
    order (sec1's, then sec2's) is not the order of the names that the shards are cut from."""
    root = tmp_path_factory.mktemp("course")
    sec1, sec2 = root / "sec1", root / "sec2"
    (sec1 / "amy").mkdir(parents=True)
    sec2.mkdir()
    shutil.copy(IMPLS / "correct_vectorised.py", sec1 / "amy" / "net.py")  # PASS, with a note: two nets
    shutil.copy(IMPLS / "bug_grads_doubled.py", sec1 / "amy" / "net_old.py")
    (sec1 / "amy" / "train.py").write_text("from net import NetClassifier\n\nnet = NetClassifier()\n")
    with zipfile.ZipFile(sec1 / "dan.zip", "w") as archive:  # PASS with warnings, from an archive
        archive.writestr("dan/net.py", (IMPLS / "warn_log_eps_1e12.py").read_text())
    shutil.copy(TRAIN / "wrong_sign.py", sec1 / "gus.py")  # the training loop FAILs
    shutil.copy(IMPLS / "bug_grads_doubled.py", sec2 / "ben.py")  # FAIL
    (sec2 / "eve.ipynb").write_text(  # ERROR, named by the notebook's cell
        notebook(["import numpy as np", "def cost_grad(X, y, params, c):\n    pass", "x = 1\ny = undefined_name"])
    )
    shutil.copy(TRAIN / "correct_for_range.py", sec2 / "hal.py")  # both parts PASS
    return [str(sec1), str(sec2)]


WHOLE_ORDER = ["amy", "dan.zip", "gus.py", "ben.py", "eve.ipynb", "hal.py"]


def grade(capsys, args):
    """Run compare.py in this process: (exit code, what it printed on stdout)."""
    capsys.readouterr()
    code = compare.main(args)
    return code, capsys.readouterr().out


def outputs(folder):
    """The report flags of a run writing into ``folder``."""
    return [
        "--json",
        str(folder / "r.json"),
        "--junit-xml",
        str(folder / "r.xml"),
        "--feedback-dir",
        str(folder / "fb"),
        "--csv",
        str(folder / "grades.csv"),
        "--gradescope",
        str(folder / "gradescope"),
        "--prairielearn",
        str(folder / "prairielearn"),
    ]


@pytest.fixture(scope="module")
def runs(sections, tmp_path_factory):
    """The whole class graded once (its CheckResults kept), then in 3 shards, then the shards merged."""
    base = tmp_path_factory.mktemp("runs")
    kept = []
    check_many = batch.check_many

    def keeping(*args, **kwargs):
        results = check_many(*args, **kwargs)
        kept.append(results)
        return results

    def run(args):  # capsys is per test: stdout captured by hand
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = compare.main(args)
        return code, out.getvalue()

    common = ["check", "--impl", *sections, "--jobs", "2", "--timeout", "10"]
    with pytest.MonkeyPatch.context() as patch:
        # A row's "seconds" (and Gradescope's execution_time from it) is the one value measured, not computed: two
        # runs of one class differ in it. The check's clock is stopped so that every other byte can be compared.
        patch.setattr(batch, "time", types.SimpleNamespace(perf_counter=lambda: 0.0))
        with pytest.MonkeyPatch.context() as keep:
            keep.setattr(batch, "check_many", keeping)
            (base / "whole").mkdir()
            whole = run([*common, *outputs(base / "whole")])
        shards = []
        for k in range(1, SHARDS + 1):
            (base / f"s{k}").mkdir()
            shards.append(run([*common, "--shard", f"{k}/{SHARDS}", "--json", str(base / f"s{k}" / "r.json")]))
    (base / "merged").mkdir()
    given = [str(base / f"s{k}" / "r.json") for k in (3, 1, 2)]  # in any order
    merged = run(["merge", *given, *outputs(base / "merged")])
    return {"base": base, "whole": whole, "shards": shards, "merged": merged, "results": kept[0]}


def test_the_class_covers_every_kind_of_row(runs):
    """What the round trip is tested on: a pass with a note, warnings, a failure, an error in a notebook, an
    archive, a training part that fails and one that passes."""
    results = {r.name: r for r in runs["results"]}
    assert list(results) == WHOLE_ORDER
    assert [n.code for n in results["amy"].notes] == ["several-nets"]
    assert results["dan.zip"].warnings and results["dan.zip"].path == "dan.zip: dan/net.py"
    assert results["ben.py"].verdict == "fail"
    assert "code cell 3 of eve.ipynb" in results["eve.ipynb"].error.message
    assert results["gus.py"].training.verdict == "fail" and results["hal.py"].training.verdict == "pass"


def test_a_result_read_back_from_its_json_row_reports_the_same(runs):
    for r in runs["results"]:
        back = CheckResult.from_dict(json.loads(json.dumps(r.to_dict())))
        assert back.to_dict() == r.to_dict(), r.name
        for strict in (False, True):
            assert report.render(back, back.path, strict) == report.render(r, r.path, strict), r.name
        assert batch.junit_xml([back], lambda x: x.path) == batch.junit_xml([r], lambda x: x.path), r.name
    assert isinstance(CheckResult.from_dict(runs["results"][2].to_dict()).training, TrainingResult)


def test_non_finite_numbers_come_back_as_floats():
    from impl_check.result import Row

    row = Row("cost", "FAIL", float("inf"), 1e-14, "A", (0, 1), float("nan"), float("-inf"))
    back = Row.from_dict(json.loads(json.dumps(CheckResult("x.py", "fail", rows=[row]).to_dict()["rows"][0])))
    assert back.index == (0, 1) and back.rel_err == float("inf") and back.expected == float("-inf")
    assert back.got != back.got  # nan


@pytest.mark.parametrize(
    "change, message",
    [
        ({"verdict": 3}, "CheckResult.verdict: expected str, got 3"),
        ({"parts": "cost_grad"}, "CheckResult.parts: expected a list, got 'cost_grad'"),
        ({"notes": [{"code": "x"}]}, "CheckResult.notes: Finding: "),
        ({"error": "import-error"}, "CheckResult.error: Finding: expected an object, got str"),
        ({"training": {"verdict": "pass", "steps": True}}, "CheckResult.training: TrainingResult.steps: expected int"),
    ],
)
def test_a_value_of_another_type_is_refused_naming_its_field(change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        CheckResult.from_dict({**CheckResult("x.py", "pass").to_dict(), **change})


def test_an_unknown_key_is_refused_not_dropped():
    data = {**CheckResult("x.py", "pass").to_dict(), "grade": 3}
    with pytest.raises(ValueError, match="CheckResult: unknown key\\(s\\) 'grade'"):
        CheckResult.from_dict(data)


def test_each_shard_is_a_contiguous_part_of_the_sorted_names_with_the_whole_runs_rows(runs):
    whole = json.loads((runs["base"] / "whole" / "r.json").read_text())
    names = []
    for k in range(1, SHARDS + 1):
        data = json.loads((runs["base"] / f"s{k}" / "r.json").read_text())
        shard = data.pop("shard")
        assert (shard["index"], shard["count"], shard["students"]) == (k, SHARDS, len(WHOLE_ORDER))
        assert data["files"] == [whole["files"][i] for i in shard["positions"]]  # nothing else differs
        assert data["summary"] == batch.summary([CheckResult.from_dict(f) for f in data["files"]])
        names.append(sorted(f["name"] for f in data["files"]))
    assert [n for shard in names for n in shard] == sorted(WHOLE_ORDER)
    assert [len(shard) for shard in names] == [2, 2, 2]


def test_each_shard_prints_and_exits_as_a_run_over_its_students_alone(runs):
    codes = []
    for k, (code, printed) in enumerate(runs["shards"], 1):
        files = json.loads((runs["base"] / f"s{k}" / "r.json").read_text())["files"]
        results = [CheckResult.from_dict(f) for f in files]
        assert printed == report.summary_text(results, Path.cwd()) + "\n", k
        assert code == report.exit_code(results, strict=False), k
        codes.append(code)
    assert codes == [1, 1, 1]  # each shard has a student who fails or cannot be run


def test_three_shards_merged_equal_one_whole_run_file_by_file(runs):
    base = runs["base"]
    whole, merged = (json.loads((base / run / "r.json").read_text()) for run in ("whole", "merged"))
    assert [f["name"] for f in merged["files"]] == WHOLE_ORDER
    for a, b in zip(merged["files"], whole["files"], strict=True):
        assert a == b, a["name"]
    for name in ("r.json", "r.xml", "grades.csv"):
        assert (base / "merged" / name).read_bytes() == (base / "whole" / name).read_bytes(), name
    for folder in ("fb", "gradescope", "prairielearn"):  # one file per student each
        files = {run: {p.name: p.read_bytes() for p in (base / run / folder).iterdir()} for run in ("whole", "merged")}
        assert len(files["whole"]) == len(WHOLE_ORDER) and files["merged"] == files["whole"], folder


def test_merge_prints_the_whole_runs_table_and_exits_as_it_does(runs):
    code, printed = runs["merged"]
    assert (code, printed) == runs["whole"]
    assert code == 1 and "6 submissions: 3 pass, 2 fail, 1 cannot be run" in printed


def test_a_whole_runs_report_alone_passes_through(runs, tmp_path, capsys):
    code, printed = grade(capsys, ["merge", str(runs["base"] / "whole" / "r.json"), "--json", str(tmp_path / "r.json")])
    assert (code, printed) == runs["whole"]
    assert (tmp_path / "r.json").read_bytes() == (runs["base"] / "whole" / "r.json").read_bytes()


def merge_fails(capsys, paths):
    code = compare.main(["merge", *map(str, paths)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    return err[0]


def test_merge_refuses_a_missing_shard_and_a_shard_twice(runs, capsys):
    s = [runs["base"] / f"s{k}" / "r.json" for k in range(1, SHARDS + 1)]
    assert merge_fails(capsys, s[:2]).endswith("shard 3/3 missing")
    assert merge_fails(capsys, [s[1]]).endswith("shards 1/3, 3/3 missing")
    assert f"shard 2/3 given twice: {s[1]}, {s[1]}" in merge_fails(capsys, [*s, s[1]])


def test_merge_refuses_a_shard_of_another_class(runs, tmp_path, capsys):
    other = tmp_path / "other"
    other.mkdir()
    for name in ("amy.py", "bo.py"):
        shutil.copy(IMPLS / "correct_vectorised.py", other / name)
    # 1/3 of a class of 2 holds nobody: a real shard, graded in no time
    assert compare.main(["check", "--impl", str(other), "--shard", "1/3", "--json", str(tmp_path / "o.json")]) == 0
    capsys.readouterr()
    s = [tmp_path / "o.json", *(runs["base"] / f"s{k}" / "r.json" for k in (2, 3))]
    assert "are shards of different classes" in merge_fails(capsys, s)


def edited(runs, tmp_path, change):
    """Shard 1's report with ``change`` made to its JSON, beside the real shards 2 and 3."""
    data = json.loads((runs["base"] / "s1" / "r.json").read_text())
    change(data)
    (tmp_path / "s1.json").write_text(json.dumps(data))
    return [tmp_path / "s1.json", *(runs["base"] / f"s{k}" / "r.json" for k in (2, 3))]


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda d: d["shard"].update(count=4, index=1), "is shard 2/3 and "),
        (lambda d: d["shard"]["options"].update(penalty="half"), "were graded with different options (penalty)"),
        (lambda d: d["shard"]["options"].update(extra=1), "were graded with different options (extra)"),
        (lambda d: d["shard"].update(options=["half"]), "its options are not a table of the options it was graded"),
        (lambda d: d["shard"].update({"class": "0" * 64}), "are shards of different classes"),
        (lambda d: d["files"][0].update(level="PASS with warnings"), "row 1 (amy) does not read back as written"),
        (lambda d: d["summary"].update({"pass": 2}), "does not count its rows"),
        (lambda d: d["shard"]["positions"].pop(), "2 rows but 1 positions"),
        (lambda d: d["shard"].update(positions=[0, 0]), "position 0 of ben.py is taken"),
        (lambda d: d["shard"].update(index="1"), "its shard is '1'/3, not K/N with 1 <= K <= N"),
        (lambda d: d["shard"].update(positions=["0", "3"]), "its positions are not a list of row numbers"),
        (lambda d: d["files"][1]["rows"][0].update(got="0.5"), "row 2: CheckResult.rows: Row.got: expected float"),
        (lambda d: d["shard"].pop("roots"), "its 'shard' is not a shard header (keys: index, count, students,"),
        (lambda d: d["shard"].update(roots="/class"), "its roots are not a list of folders"),
        (lambda d: d["files"][0].update(name="zed"), "the shards' students are not the class their headers name"),
        (lambda d: d.pop("shard"), "a whole run's report, not a shard's (--shard K/N): give it alone"),
        (lambda d: d.update(files={}), "not a JSON report of a class"),
    ],
)
def test_merge_refuses_a_shard_that_does_not_fit(runs, tmp_path, capsys, change, fragment):
    assert fragment in merge_fails(capsys, edited(runs, tmp_path, change))


def test_merge_refuses_files_that_are_not_reports(runs, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not json\n")
    (tmp_path / "one.json").write_text(json.dumps(CheckResult("x.py", "pass").to_dict()))  # one file's report
    assert "notes.txt: not a JSON report (Expecting value, line 1)" in merge_fails(capsys, [tmp_path / "notes.txt"])
    assert "one.json: not a JSON report of a class" in merge_fails(capsys, [tmp_path / "one.json"])
    assert "nowhere.json: No such file or directory" in merge_fails(capsys, [tmp_path / "nowhere.json"])
    (tmp_path / "latin1.json").write_bytes(b'{"files": "\xe9t\xe9"}')
    assert "latin1.json: not a JSON report (not UTF-8 text)" in merge_fails(capsys, [tmp_path / "latin1.json"])
    with pytest.raises(ValueError, match="no report to merge"):
        combine([])


@pytest.mark.parametrize("value", ["0/3", "4/3", "3", "1/0", "-1/2", "a/b", "1/2/3", "", "1.5/3"])
def test_shard_must_be_k_of_n(value, capsys):
    assert compare.main(["check", "--impl", str(IMPLS), f"--shard={value}"]) == 2  # "-1/2" is no option
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"--shard: expected K/N with 1 <= K <= N (e.g. 2/8), got {value!r}" in err[0]


def test_shard_splits_a_class_not_one_file(capsys):
    assert compare.main(["check", "--impl", str(IMPLS / "correct_vectorised.py"), "--shard", "1/2"]) == 2
    assert "--shard splits a class: give its folder" in capsys.readouterr().err
    assert compare.main(["check", "--shard", "1/2"]) == 2
    assert "--shard need --impl PATH" in capsys.readouterr().err


@pytest.mark.parametrize("students", [0, 1, 5, 7, 1000])
@pytest.mark.parametrize("count", [1, 2, 3, 8])
def test_the_parts_cover_the_class_once_in_sizes_within_one(students, count):
    parts = [range(students)[part(students, k, count)] for k in range(1, count + 1)]
    assert [i for p in parts for i in p] == list(range(students))
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


def test_a_part_out_of_range_is_refused():
    with pytest.raises(ValueError, match="shard must be K/N with 1 <= K <= N; got 4/3"):
        part(5, 4, 3)


def test_shards_writing_into_one_folder_name_each_student_as_the_whole_run_does(tmp_path):
    """ "a b" and "a_b" clean up to one file name: the whole run writes a_b.txt and a_b-2.txt; two shards, each
    with one of them, wrote a_b.txt both (the second overwrote the first) until the names were chosen over the
    whole class."""
    from impl_check.checker import Options
    from impl_check.shards import select
    from impl_check.units import Unit

    names = ["a_b", "bob", "a b"]  # the whole run's order; sorted by name, the shards': "a b", a_b, bob
    units = [Unit(name, tmp_path / name, "folder") for name in names]
    results = [CheckResult(str(tmp_path / n / "net.py"), "pass", name=n, interface="course") for n in names]
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    batch.write_reports(results, [str(tmp_path)], single=False, feedback_dir=whole, gradescope_path=whole / "gs")
    for k in (1, 2, 3):
        chosen, header = select(units, k, 3, Options(), [str(tmp_path)])
        rows = [results[i] for i in header["positions"]]
        assert [r.name for r in rows] == [u.name for u in chosen]
        batch.write_reports(rows, [str(tmp_path)], single=False, shard=header, feedback_dir=sharded,
                            gradescope_path=sharded / "gs")  # fmt: skip
    assert sorted(p.name for p in whole.glob("*.txt")) == ["a_b-2.txt", "a_b.txt", "bob.txt"]
    for folder in (".", "gs"):
        made = {p.name: p.read_bytes() for p in (whole / folder).iterdir() if p.is_file()}
        assert {p.name: p.read_bytes() for p in (sharded / folder).iterdir() if p.is_file()} == made
    assert (whole / "a_b-2.txt").read_text().startswith("check --impl a b: ")


def test_file_names_chosen_for_other_students_are_refused():
    """A shard's names are its own students' (as many as its rows): a list of another length is a bug, not a
    silent zip that drops students."""
    results = [CheckResult("/c/a.py", "pass", name="a.py"), CheckResult("/c/b.py", "pass", name="b.py")]
    assert report.file_names(results, ".json") == ["a.py.json", "b.py.json"]
    with pytest.raises(ValueError, match="1 file names for 2 students"):
        report.file_names(results, ".json", ["a.py"])
