"""Run one submission contained: its own temporary folder, resource caps, a scrubbed environment, and nothing
left behind; inside bubblewrap where it is installed.

What each run gets:

- a fresh temporary folder holding the unit's own files and nothing of any
  other student's (:func:`impl_check.units.stage`: a student's folder, a
  hand-in alone, a file given with the modules beside it that it imports, a
  notebook's code, an archive's contents), the worker script and the
  problems; only that folder is writable;
- caps: address space (``Limits.memory_mb``), CPU time (the timeout plus one
  second), the size of any file it writes (``Limits.file_mb``; its output
  goes to one such file, of which the report keeps the first and the last
  ``Limits.output_kb``), no core dumps;
- a scrubbed environment (no variable of the grader's), one BLAS thread;
- its own session, whose whole process group is killed when the run ends or
  times out, and then every process that still carries the run's token in
  its environment;
- with bubblewrap (``bwrap``): a file system of its own that holds only the
  interpreter, its standard library and the environment's site-packages
  (read-only), the system's shared libraries (``SYSTEM_LIBRARIES``,
  read-only), a one-line ``/etc/passwd``, its own ``/dev`` and ``/proc``, a
  private empty ``/tmp`` and its temporary folder, at the same path as
  outside; nothing else of the host: no other submission, no class folder,
  no home, no project checkout, not the host's ``/tmp``.  Its own network
  namespace (no network at all), PID namespace (every process it started
  dies with it), user, IPC and UTS namespaces, no capabilities, and it dies
  with the grader.

Without bubblewrap the caps still hold, and nothing else: ``NOT_CONTAINED``
says what a submission can then do; :func:`bwrap_available` says which, and
the caller says so.
"""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

from . import worker
from .result import Finding
from .units import SUB, stage_file

PROJECT_PACKAGES = ("scratch_net", "torch_ref", "impl_check", "parity_run")
"""Never importable by a submission (refused by the worker; inside bubblewrap the checkout is not there at all)."""
AUTOGRAD_PACKAGES = ("torch", "jax", "jaxlib", "autograd", "tensorflow")
"""Importable only with ``allow_imports``: a submission computes its gradients by hand."""
SYSTEM_LIBRARIES = ("/usr/lib", "/usr/lib64", "/lib", "/lib64")
"""What the interpreter, NumPy, SciPy and torch load from outside the Python installation and the environment
(measured: libc, libm, the loader and the multiarch folder below them; on a merged-/usr system /lib and /lib64 are
links into /usr). The loader finds them on its default path: /etc/ld.so.cache is not needed, nor any other file of
/etc but a passwd line."""
TMPFS_BYTES = 64 << 20
"""The size of the private /tmp and /dev/shm (memory, which the address-space cap does not count)."""
CONTAINED = (
    "bubblewrap: the submission saw only the interpreter and its libraries (read-only), its own folder and an "
    "empty /tmp; no network"
)
"""What a run inside bubblewrap could reach, for the JSON report."""
NOT_CONTAINED = (
    "bubblewrap (bwrap) not found or not usable: submissions run with resource caps only, not contained: "
    "a submission can read every file the grader's user can read (other submissions, the home folder, "
    "the project checkout), write wherever that user can, use the network, and leave behind processes that "
    "clear their environment"
)
"""What is not contained without bubblewrap: one line, on stderr and in each report."""


@dataclass(frozen=True)
class Limits:
    """The caps of one run."""

    timeout: float = 30.0  # seconds of wall time for the import and every call
    memory_mb: int = 2048  # address space
    file_mb: int = 64  # the largest file it may write, its output included
    output_kb: int = 4  # the report keeps the first and the last this many KiB of its output


@dataclass
class Run:
    """What came back from one contained run."""

    status: dict[str, Any] | None  # the worker's status.json; None when it never wrote one
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    output: str = ""  # what the file printed: the first and the last Limits.output_kb
    returncode: int | None = None
    timed_out: bool = False
    sandboxed: bool = False
    unreadable: str | None = None  # why the worker's report could not be read back (then status is None)

    def unreadable_finding(self) -> Finding:
        """The finding "report-unreadable" for a report that could not be read back (:attr:`unreadable`)."""
        return Finding(
            "report-unreadable",
            f"the report the checker's worker wrote could not be read back ({self.unreadable}): it was changed "
            "after the worker wrote it (by the file's own code, e.g. an atexit handler or a thread writing into "
            "its run folder) or cut short (a full disk)",
        )


@lru_cache(maxsize=1)
def bwrap_available() -> bool:
    """Can bubblewrap run the interpreter and NumPy here, in the sandbox a check uses?

    False where bwrap is not installed, where it cannot make the namespaces (a container may forbid them), or
    where the interpreter does not start inside (a library outside what :func:`_bwrap` mounts).
    """
    if shutil.which("bwrap") is None:
        return False
    folder = Path(tempfile.mkdtemp(prefix="impl_check_probe_"))
    try:
        probe = _bwrap(folder, folder) + [sys.executable, "-I", "-c", "import numpy"]
        done = subprocess.run(probe, env=_environment(folder, "probe"), capture_output=True, timeout=30)
        return done.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _caps(limits: Limits) -> Callable[[], None]:
    """The child's resource limits, set between fork and exec."""
    cpu = int(limits.timeout) + 1

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb << 20, limits.memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb << 20, limits.file_mb << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _environment(folder: Path, token: str) -> dict[str, str]:
    """Nothing of the grader's: a path, a home and a temporary folder inside the run's folder, one thread."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(folder),
        "TMPDIR": str(folder),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "IMPL_CHECK_RUN": token,
    }


@lru_cache(maxsize=1)
def _python_mounts() -> tuple[str, ...]:
    """bwrap arguments for the interpreter, read-only: its binary, its standard library and libpython, and the
    environment's site-packages; of a virtual environment only pyvenv.cfg and site-packages, never the folder it
    lies in (it may be the project checkout)."""
    mounts = ["--ro-bind", os.path.realpath(sys.executable), os.path.realpath(sys.executable)]
    if os.path.realpath(sys.executable) != sys.executable:  # a venv's bin/python: a link to the installation's
        mounts += ["--symlink", os.path.realpath(sys.executable), sys.executable]
    venv = Path(sys.prefix, "pyvenv.cfg")
    if sys.prefix != sys.base_prefix and venv.is_file():
        mounts += ["--ro-bind", str(venv), str(venv)]
    folders = [
        sysconfig.get_path("stdlib"),
        sysconfig.get_path("platstdlib", vars={"platbase": sys.base_exec_prefix}),  # lib-dynload
        sysconfig.get_config_var("LIBDIR"),  # libpython
        *site.getsitepackages(),
    ]
    bound: list[str] = []
    for folder in sorted({f for f in folders if f and os.path.isdir(f)}, key=len):
        if not any(folder == b or folder.startswith(b + os.sep) for b in bound):
            bound.append(folder)
            mounts += ["--ro-bind", os.path.realpath(folder), folder]
    return tuple(mounts)


@lru_cache(maxsize=1)
def _system_mounts() -> tuple[str, ...]:
    """bwrap arguments for SYSTEM_LIBRARIES, read-only: each folder bound, each link made again, as on the host."""
    mounts: list[str] = []
    for path in SYSTEM_LIBRARIES:
        if os.path.islink(path):
            mounts += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            mounts += ["--ro-bind", path, path]
    return tuple(mounts)


def _bwrap_path() -> str:
    """bwrap as found on the grader's PATH (the run's own PATH is not the grader's)."""
    return shutil.which("bwrap") or "bwrap"


@lru_cache(maxsize=1)
def _tmpfs_size() -> tuple[str, ...]:
    """``--size`` before a tmpfs, where this bubblewrap has the option (older ones leave the tmpfs uncapped)."""
    try:
        usage = subprocess.run([_bwrap_path(), "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return ("--size", str(TMPFS_BYTES)) if "--size" in usage else ()


def _bwrap(folder: Path, cwd: Path) -> list[str]:
    """bubblewrap: a file system that holds only the interpreter, the libraries and the run's folder; no network,
    own PIDs, no capabilities.

    Writes ``folder/etc_passwd``, the one line mounted as /etc/passwd (the user's id, its home the run's folder:
    ``pwd.getpwuid`` works, and names nothing of the host). The run's folder is mounted after the private /tmp, at
    its own path, so that the worker's arguments hold inside.
    """
    passwd = folder / "etc_passwd"
    passwd.write_text(f"sandbox:x:{os.getuid()}:{os.getgid()}::{folder}:/nonexistent\n")
    return [
        _bwrap_path(),
        "--unshare-all", "--hostname", "sandbox",  # user, IPC, PID, network, UTS, cgroup
        "--cap-drop", "ALL",
        "--die-with-parent",
        "--new-session",
        # the private /tmp first: the Python environment may itself lie under /tmp (a checkout made with mktemp
        # -d), and is then mounted into it; a later tmpfs would hide it
        *_tmpfs_size(), "--tmpfs", "/tmp",
        *_system_mounts(),
        *_python_mounts(),
        "--ro-bind", str(passwd), "/etc/passwd",
        "--dev", "/dev",
        *_tmpfs_size(), "--tmpfs", "/dev/shm",
        "--remount-ro", "/dev",  # not recursive: /dev/shm stays writable
        "--proc", "/proc",
        "--bind", str(folder), str(folder),
        "--remount-ro", "/",
        "--chdir", str(cwd),
    ]  # fmt: skip


def _kill_leftovers(pgid: int, token: str) -> None:
    """The run's process group, then any process that still carries its token (a detached grandchild)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    marker = f"IMPL_CHECK_RUN={token}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _read_output(path: Path, status: dict[str, Any] | None, limits: Limits) -> str:
    """The report's excerpt of everything printed; and into ``status``, what the import and each call printed."""
    size = path.stat().st_size
    limit = limits.output_kb << 10
    with open(path, "rb") as handle:

        def read(start: int, end: int) -> str:
            handle.seek(start)
            return handle.read(max(0, end - start)).decode(errors="replace")

        if status is not None:  # each span's first 2 KiB: enough for a finding to quote
            start, end = status.get("import_span", (0, 0))
            status["import_output"] = read(start, min(end, start + 2048))
            for call in status.get("calls", []):
                start, end = call.pop("output_span", (0, 0))
                call["output"] = read(start, min(end, start + 2048))
        if size <= 2 * limit:
            return read(0, size)
        return read(0, limit) + f"\n[... {size - 2 * limit} bytes left out ...]\n" + read(size - limit, size)


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays a worker saved (:func:`impl_check.worker.save_arrays`), each a view of its dtype's flat array.

    The file comes from a process that ran someone else's code: it is read without pickles, and an index that
    points outside its members, or names one that is not there, is refused.

    Raises
    ------
    ValueError
        naming the array whose entry in the index is not a member, shape and offset within that member.
    """
    with np.load(path, allow_pickle=False) as data:
        members = {key: data[key] for key in data.files}
    index = json.loads(members.pop(worker.INDEX, np.zeros(0, np.uint8)).tobytes() or b"{}")
    if not isinstance(index, dict):
        raise ValueError(f"{path.name}: its index is not a table of arrays")
    arrays: dict[str, np.ndarray] = {}
    for name, entry in index.items():
        try:
            member, shape, offset = entry
            flat = members[member]
            if not (flat.ndim == 1 and all(type(n) is int and n >= 0 for n in (*shape, offset))):
                raise ValueError
            size = math.prod(shape)  # Python ints: a huge shape cannot overflow
            if offset + size > flat.size:
                raise ValueError
            arrays[name] = flat[offset : offset + size].reshape(shape)
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{path.name}: array {name!r} is not where its index says ({entry!r})") from None
    return arrays


class UnreadableReport(Exception):
    """A worker's status.json or results.npz that cannot be read back as the worker writes them."""


def read_report(out: Path) -> tuple[dict[str, Any] | None, dict[str, np.ndarray]]:
    """The worker's status and arrays from its ``out`` folder; (None, {}) when it wrote no status.

    Both files lie in a folder the submission could write to: they are read as untrusted.

    Raises
    ------
    UnreadableReport
        naming the file and what is wrong with it: status.json not a JSON object with an ``error`` entry,
        results.npz not an archive of arrays with a valid index.
    """
    status_file, results = out / "status.json", out / "results.npz"
    if not status_file.exists():
        return None, {}
    try:
        status = json.loads(status_file.read_bytes())
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise UnreadableReport(f"status.json: {type(exc).__name__}: {exc}") from None
    if not isinstance(status, dict) or "error" not in status:
        raise UnreadableReport("status.json: not the table the worker writes")
    if not results.exists():
        return status, {}
    try:
        return status, load_arrays(results)
    except Exception as exc:  # whatever np.load raises on a file that is no archive of arrays (BadZipFile, ...)
        raise UnreadableReport(f"results.npz: {type(exc).__name__}: {exc}") from None


def run_worker(
    submission: Path,
    problems_file: Path,
    *,
    interface: str | None,
    banned: tuple[str, ...],
    limits: Limits,
    contain: bool,
    staged: Path | None = None,
    script: Path | None = None,
    helpers: tuple[Path, ...] = (),
) -> Run:
    """Run the worker on ``submission`` in a fresh folder, capped, inside bubblewrap when ``contain``.

    Parameters
    ----------
    submission : the .py file to check (inside ``staged`` when that is given).
    problems_file : the probes (``impl_check.probes.save_problems``).
    interface : "course", "cs231n" or None (found by the worker).
    banned : top-level packages the file may not import.
    limits : the caps.
    contain : run inside bubblewrap (the caller has checked :func:`bwrap_available`).
    staged : the run folder, its ``sub/`` filled by :func:`impl_check.units.stage` (the caller removes it); None:
        a fresh one with the file and the modules beside it that it imports (a path given directly).
    script : another worker to run with the same arguments and protocol (the training check's
        :mod:`impl_check.train_worker`), copied beside worker.py, whose helpers it loads; None: worker.py.
    helpers : more scripts copied beside it, which it loads by path (:mod:`impl_check.stream_worker` loads
        :mod:`impl_check.train_worker`).
    """
    folder = Path(tempfile.mkdtemp(prefix="impl_check_")) if staged is None else staged
    token = uuid.uuid4().hex
    try:
        impl = stage_file(submission, folder / SUB) if staged is None else submission
        run = folder / ("run" if script is None else f"run_{script.stem}")  # two checks may share a staged folder
        (run / "out").mkdir(parents=True)
        shutil.copy(worker.__file__, run / "worker.py")
        if script is not None:
            shutil.copy(script, run / script.name)
        for helper in helpers:
            shutil.copy(helper, run / helper.name)
        shutil.copy(problems_file, run / "problems.npz")
        entry = run / ("worker.py" if script is None else script.name)
        command = [sys.executable, "-I", str(entry), str(impl), str(run / "problems.npz")]
        command += [str(run / "out"), interface or "auto", ",".join(banned)]
        if contain:
            command = _bwrap(folder, impl.parent) + command
        output = run / "output.txt"
        with open(output, "wb") as out:
            proc = subprocess.Popen(
                command,
                cwd=impl.parent,
                env=_environment(folder, token),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_caps(limits),
                start_new_session=True,
            )
            try:
                proc.wait(timeout=limits.timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
            _kill_leftovers(proc.pid, token)
            proc.wait()
        status: dict[str, Any] | None = None
        arrays: dict[str, np.ndarray] = {}
        unreadable = None
        if not timed_out:
            try:
                status, arrays = read_report(run / "out")
            except UnreadableReport as exc:
                unreadable = str(exc)
        text = _read_output(output, status, limits)
        return Run(status, arrays, text, proc.returncode, timed_out, contain, unreadable)
    finally:
        if staged is None:
            shutil.rmtree(folder, ignore_errors=True)
