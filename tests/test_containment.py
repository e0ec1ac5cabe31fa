"""Hostile submissions: each contained, with its outcome asserted (tests/hostile/).

The caps (memory, CPU time, file size, output), the scrubbed environment and the killing of whatever a
submission started hold everywhere; the network namespace and the read-only file system need bubblewrap,
and those tests skip, saying why, where it is not installed (CI installs it).
"""

import os
import pwd
import shutil
import socket
import time
from pathlib import Path

import pytest

from impl_check import check_impl
from impl_check.checker import Options
from impl_check.sandbox import Limits, bwrap_available

HOSTILE = Path(__file__).resolve().parent / "hostile"
IMPLS = Path(__file__).resolve().parent / "impls"
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


def test_without_bubblewrap_the_caps_alone_and_one_line_saying_so(monkeypatch, capsys):
    import compare
    import impl_check.checker

    monkeypatch.setattr(impl_check.checker, "bwrap_available", lambda: False)
    assert compare.main(["check", "--impl", str(IMPLS / "style_einsum.py")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bubblewrap (bwrap) not found or not usable" in err[0]
    assert check_impl(IMPLS / "style_einsum.py").sandbox == "caps only"
    assert compare.main(["check", "--impl", str(IMPLS / "style_einsum.py"), "--sandbox", "require"]) == 2
    assert "--sandbox require: bubblewrap (bwrap) is not installed" in capsys.readouterr().err
