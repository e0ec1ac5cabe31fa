"""Hostile submissions: each contained, with its outcome asserted (tests/hostile/).

The caps (memory, CPU time, file size, output), the scrubbed environment and the killing of whatever a
submission started hold everywhere; the network namespace and the file system of its own need bubblewrap,
and those tests skip, saying why, where it is not installed (CI installs it).
"""

import json
import os
import pwd
import shutil
import socket
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import impl_check.checker
from impl_check import check_impl, sandbox
from impl_check.batch import check_many, discover, junit_xml
from impl_check.checker import Options
from impl_check.report import render
from impl_check.sandbox import NOT_CONTAINED, Limits, bwrap_available

HOSTILE = Path(__file__).resolve().parent / "hostile"
IMPLS = Path(__file__).resolve().parent / "impls"
ROOT = Path(__file__).resolve().parents[1]
needs_bwrap = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed or not usable here")
FAST = Options(limits=Limits(timeout=4.0))


def check(name, options=FAST, folder=HOSTILE):
    return check_impl(folder / f"{name}.py", options=options)


def sleepers():
    """Processes left by detaches.py (their command line carries a marker)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"impl_check_hostile_sleeper" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_large_allocation_at_import_is_an_error_naming_the_memory_cap():
    result = check("allocates_8gib")
    assert result.level == "ERROR" and result.error.code == "memory-cap"
    assert "the memory cap is 2048 MiB" in result.error.message


def test_the_memory_cap_is_a_choice():
    result = check("allocates_8gib", Options(limits=Limits(timeout=4.0, memory_mb=512)))
    assert result.error.code == "memory-cap" and "the memory cap is 512 MiB" in result.error.message


def test_nothing_a_submission_starts_survives_it():
    assert not sleepers()
    result = check("detaches")
    assert result.level == "PASS"  # its cost_grad is right; what it started is gone
    time.sleep(0.2)
    assert not sleepers()


def test_output_without_end_is_an_error_with_a_bounded_report():
    result = check("prints_forever")
    assert result.level == "ERROR"
    assert len(result.output) < 3 * 4096 and "bytes left out" in result.output and "spam" in result.output


def test_a_hang_is_an_error_at_the_timeout():
    start = time.monotonic()
    result = check("hangs")
    assert result.level == "ERROR" and result.error.code == "timeout" and "within 4 s" in result.error.message
    assert time.monotonic() - start < 10


def test_exiting_at_import_is_an_error():
    result = check("exits")
    assert result.level == "ERROR" and result.error.code == "worker-crashed"


def test_a_report_written_over_is_that_students_error_and_the_class_goes_on(tmp_path):
    """overwrites_report.py writes over the worker's results.npz or status.json at exit (its run folder is
    writable): that student gets an ERROR saying so, never a crash of the class run or a false "crashed"."""
    given = []
    for tamper in ("results", "status", "list", "claims"):
        (tmp_path / tamper).mkdir()
        for name in ("overwrites_report.py", "_correct.py"):
            shutil.copy(HOSTILE / name, tmp_path / tamper / name)
        (tmp_path / tamper / "_tamper.py").write_text(f"TAMPER = {tamper!r}\n")
        given.append(tmp_path / tamper / "overwrites_report.py")
    shutil.copy(HOSTILE / "_correct.py", tmp_path / "_correct.py")  # a correct student after them
    results = check_many(discover([*given, tmp_path / "_correct.py"]), FAST, jobs=2)
    assert [r.level for r in results] == ["ERROR"] * 4 + ["PASS"]
    errors = {tamper: r.error for tamper, r in zip(("results", "status", "list", "claims"), results)}
    for tamper, why in [("results", "results.npz: BadZipFile"), ("status", "status.json: JSONDecodeError"),
                        ("list", "status.json: not the table the worker writes")]:  # fmt: skip
        assert errors[tamper].code == "report-unreadable", tamper
        assert f"could not be read back ({why}" in errors[tamper].message
    # a status.json that parses but lacks what the worker writes: the checker fails on it, and says so
    assert errors["claims"].code == "checker-error" and "KeyError: 'interface'" in errors["claims"].message


def test_a_report_written_over_by_fit_is_the_training_parts_error(tmp_path):
    """The same from the training check's worker: the cost_grad part passes, the training loop is an ERROR."""
    source = (Path(__file__).resolve().parent / "train_impls" / "correct_for_range.py").read_text()
    (tmp_path / "net.py").write_text(
        source + "\n\nimport atexit, sys, pathlib\n\n"
        "if sys.argv[0].endswith('train_worker.py'):\n"
        "    atexit.register(lambda: (pathlib.Path(sys.argv[3]) / 'results.npz').write_bytes(b'PK garbage'))\n"
    )
    result = check_impl(tmp_path / "net.py", options=Options(limits=Limits(timeout=20.0)))
    assert result.level == "PASS" and result.training is not None
    assert result.training.level == "ERROR" and result.training.error.code == "report-unreadable"
    assert "could not be read back (results.npz: " in result.training.error.message


def test_train_impl_says_a_report_could_not_be_read_back():
    from impl_check.side_by_side import CannotRun, explain

    with pytest.raises(CannotRun, match=r"could not be read back \(results.npz: BadZipFile"):
        explain(sandbox.Run(None, unreadable="results.npz: BadZipFile"), None, FAST)


@needs_bwrap
def test_writes_outside_its_folder_leave_nothing():
    targets = [Path("/tmp"), Path("/var/tmp"), Path(pwd.getpwuid(os.getuid()).pw_dir), HOSTILE.parent]
    for folder in targets:
        (folder / "impl_check_escaped.txt").unlink(missing_ok=True)
    result = check("writes_outside")
    assert result.level == "PASS" and result.sandbox == "bubblewrap"
    assert not [folder for folder in targets if (folder / "impl_check_escaped.txt").exists()]


@needs_bwrap
def test_no_connection_reaches_a_socket_on_loopback(tmp_path):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.5)
        for name in ("connects.py", "_correct.py"):
            shutil.copy(HOSTILE / name, tmp_path / name)
        (tmp_path / "_port.py").write_text(f"PORT = {server.getsockname()[1]}\n")
        result = check("connects", folder=tmp_path)
        assert result.level == "PASS"
        with pytest.raises(socket.timeout):
            server.accept()


def test_the_environment_is_scrubbed(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET", "s3cret")
    (tmp_path / "net.py").write_text(
        (HOSTILE / "_correct.py").read_text()
        + "\nimport os\nassert 'GRADER_SECRET' not in os.environ, 'the grader environment leaked'\n"
    )
    assert check("net", folder=tmp_path).level == "PASS"


def test_the_projects_packages_are_refused():
    result = check_impl(IMPLS / "scratch_net_wrapper.py")
    assert result.level == "FAIL" and [f.code for f in result.diagnoses] == ["forbidden-import"]
    assert "the file imports scratch_net: those are this project's own packages" in result.diagnoses[0].message


def test_autograd_is_refused_unless_allowed():
    refused = check("torch_autograd")
    assert refused.level == "FAIL" and [f.code for f in refused.diagnoses] == ["forbidden-import"]
    assert (
        "the file imports torch" in refused.diagnoses[0].message
        and "--allow-import torch" in refused.diagnoses[0].message
    )
    allowed = check("torch_autograd", Options(allow_imports=("torch",), limits=Limits(timeout=30.0, memory_mb=8192)))
    assert allowed.level == "PASS", allowed.error or [f.message for f in allowed.diagnoses]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"allow_imports": ("scratch_net",)}, "the project's own packages never are"),
        ({"allow_imports": ("numpy",)}, "only torch, jax, jaxlib, autograd, tensorflow can be allowed; got numpy"),
        ({"sandbox": "maybe"}, "sandbox must be one of auto, require"),
    ],
)
def test_options_refuse_what_cannot_be(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Options(**kwargs)


def test_a_bwrap_that_cannot_make_its_namespaces_is_not_used(tmp_path, monkeypatch):
    fake = tmp_path / "bwrap"  # as in a container that forbids user namespaces
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    sandbox._tmpfs_size.cache_clear()
    try:
        assert sandbox.bwrap_available.__wrapped__() is False  # the probe itself, not its cached answer
    finally:
        sandbox._tmpfs_size.cache_clear()


def test_without_bubblewrap_the_caps_alone_and_one_line_saying_so(monkeypatch, capsys):
    import compare

    monkeypatch.setattr(impl_check.checker, "bwrap_available", lambda: False)
    assert compare.main(["check", "--impl", str(IMPLS / "style_einsum.py")]) == 0
    out, err = capsys.readouterr()
    assert err.strip().splitlines() == [f"compare.py: {NOT_CONTAINED}"]
    assert out.strip().splitlines()[-1] == NOT_CONTAINED  # and in the report
    result = check_impl(IMPLS / "style_einsum.py")
    assert result.sandbox == "caps only" and result.to_dict()["containment"] == NOT_CONTAINED
    assert compare.main(["check", "--impl", str(IMPLS / "style_einsum.py"), "--sandbox", "require"]) == 2
    assert "--sandbox require: bubblewrap (bwrap) is not installed" in capsys.readouterr().err


@pytest.fixture
def canaries(tmp_path):
    """A class of two students, and a canary holding its own random secret in each place a submission must not
    read: bob's folder beside alice's, the class folder, the grader's home, the project checkout and a mode-600
    file in the host's /tmp. alice/net.py is tests/hostile/reads_around.py, told those paths in TARGETS.txt;
    alice/notes.txt holds her own secret. Yields (alice's net.py, her secret, {place: secret})."""
    class_folder = tmp_path / "class"
    alice, bob = class_folder / "alice", class_folder / "bob"
    alice.mkdir(parents=True)
    bob.mkdir()
    shutil.copy(HOSTILE / "reads_around.py", alice / "net.py")
    shutil.copy(HOSTILE / "_correct.py", alice / "_correct.py")
    shutil.copy(HOSTILE / "_correct.py", bob / "net.py")
    secrets = {place: f"canary-{uuid.uuid4().hex}" for place in ("alice", "bob", "class", "home", "checkout", "tmp")}
    own = secrets.pop("alice")
    (alice / "notes.txt").write_text(own + "\n")
    name = f"impl_check_canary_{uuid.uuid4().hex}"  # not a secret: alice is told the paths
    planted = {
        "bob": bob / "notes.txt",
        "class": class_folder / "grades.csv",
        "home": Path.home() / f".{name}",
        "checkout": ROOT / f"{name}.txt",
    }
    handle, tmp_file = tempfile.mkstemp(prefix=name, dir="/tmp")  # mode 600
    planted["tmp"] = Path(tmp_file)
    os.close(handle)
    try:
        for place, path in planted.items():
            path.write_text(f"student,grade\n{secrets[place]},A\n" if place == "class" else secrets[place] + "\n")
        assert oct(planted["tmp"].stat().st_mode & 0o777) == "0o600"
        (alice / "TARGETS.txt").write_text("".join(f"{path}\n" for path in planted.values()))
        yield alice / "net.py", own, secrets
    finally:
        for place in ("home", "checkout", "tmp"):
            planted[place].unlink(missing_ok=True)


def everything_reported(net, tmp_path, capsys):
    """Every output of a check of the class that holds ``net`` (alice's folder, a unit of its own), as text:
    alice's result's dict as JSON, her text report and JUnit XML; and what ``compare.py check --impl CLASS``
    prints and writes with ``--json``, ``--junit-xml`` and ``--feedback-dir`` (her feedback file)."""
    import compare

    class_folder = net.parent.parent
    options = Options(limits=Limits(timeout=20.0))
    result = next(r for r in check_many(discover([class_folder]), options, jobs=1) if r.name == "alice")
    texts = {
        "to_dict": json.dumps(result.to_dict()),
        "render": render(result, "alice/net.py"),
        "junit_xml": junit_xml([result], lambda r: render(r, r.path)),
    }
    report, xml, feedback = tmp_path / "report.json", tmp_path / "report.xml", tmp_path / "feedback"
    capsys.readouterr()
    compare.main(["check", "--impl", str(class_folder), "--json", str(report), "--junit-xml", str(xml),
                  "--feedback-dir", str(feedback), "--timeout", "20"])  # fmt: skip
    out, err = capsys.readouterr()
    texts.update({"stdout": out, "stderr": err, "--json": report.read_text(), "--junit-xml": xml.read_text()})
    texts["--feedback-dir"] = (feedback / "alice.txt").read_text()
    return result, texts


@needs_bwrap
def test_a_submission_reads_nothing_outside_its_own_folder(canaries, tmp_path, capsys):
    net, own, secrets = canaries
    result, texts = everything_reported(net, tmp_path, capsys)
    assert result.sandbox == "bubblewrap"
    # it read its own folder, and each output carries what it read there: the channels work (the terminal shows
    # the class's summary table, which quotes no output)
    assert [where for where, text in texts.items() if own not in text] == ["stdout", "stderr"]
    leaks = [(place, where) for place, secret in secrets.items() for where, text in texts.items() if secret in text]
    assert leaks == []


def test_without_bubblewrap_a_submission_reads_what_the_report_says_it_can(canaries, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(impl_check.checker, "bwrap_available", lambda: False)
    net, own, secrets = canaries
    result, texts = everything_reported(net, tmp_path, capsys)
    assert result.sandbox == "caps only" and NOT_CONTAINED in texts["render"] and NOT_CONTAINED in texts["stderr"]
    # what NOT_CONTAINED says is so: other submissions, the class folder, the home, the checkout, the host's /tmp
    assert [place for place, secret in secrets.items() if secret not in texts["to_dict"]] == []
