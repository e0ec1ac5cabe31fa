"""What a student handed in: the units of grading, their files, and the net to check in them.

    units = find_units(["submissions/"])    # one Unit per student: a folder, a hand-in file, or a path given
    with staging() as folder:               # the run folder (removed after)
        staged = stage(units[0], folder / SUB)
        chosen = choose(staged, interface=None)   # the file to check and notes, or the Finding of an ERROR

The unit of grading is a student:

- each direct subfolder of a class folder (every folder given to ``--impl`` is a class folder), hidden folders
  and ``__pycache__`` skipped: the student's whole folder is copied (subfolders too, within the caps below);
- each hand-in lying directly in a class folder (a flat class): a ``.py``, ``.ipynb`` or ``.zip`` file, alone
  (a README or a PDF beside them is not a hand-in);
- each file given by path: a ``.py`` with the sibling modules it imports (found with :mod:`ast`, transitively),
  a notebook likewise, an archive.

A notebook is checked from its code cells (read with ``nbformat``): IPython magics and shell escapes are commented
out, and the cells are joined into a ``.py`` in the run folder, in order, as "Run All" would run them. An archive
is extracted into the run folder (never beside the hand-in), within ``ZIP_MAX_FILES`` members and
``ZIP_MAX_BYTES`` uncompressed; one with a member that would land outside (an absolute path, ``..``, a link) is
refused whole. What is then in the run folder is searched like a student folder.

A file defines a net when it *defines* ``cost_grad`` (module level, or in ``NetClassifier``) or
``TwoLayerNet.loss``; importing one does not count (a driver script, a notebook that imports the student's
module). Nothing here imports a student's file: the grader reads it with :mod:`ast` only.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import stat
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

from .result import Finding
from .worker import near_misses

FOLDER, HANDIN, GIVEN = "folder", "hand-in", "given"
"""Kinds of unit: a student's folder in a class folder, a hand-in file lying in a class folder, a file given by path."""
HANDIN_SUFFIXES = (".py", ".ipynb", ".zip")
"""Files that are hand-ins when they lie directly in a class folder."""
SKIPPED_FOLDERS = {"__pycache__", "node_modules", "site-packages", "__MACOSX"}
"""Folders never units and never copied (with every hidden folder: .git, .venv, .ipynb_checkpoints, ...)."""
SUB = "sub"
"""The run folder's subfolder holding the unit's files."""

COPY_MAX_BYTES = 1 << 20
"""Files of a student's folder larger than this are not copied (data sets, checkpoints)."""
COPY_MAX_TOTAL = 32 << 20
"""At most this much is copied of one student's folder; files past it are left out."""
COPY_MAX_FILES = 500
"""At most this many files are copied of one student's folder."""
ZIP_MAX_FILES = 1000
"""An archive with more members than this is refused."""
ZIP_MAX_BYTES = 64 << 20
"""An archive whose members add up to more than this, uncompressed, is refused."""
NOTEBOOK_MAX_BYTES = 64 << 20
"""A larger notebook is not read (its outputs, images mostly, make the size)."""

PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
"""Cell magics whose cell body is Python: only their first line is commented out; any other cell magic
(``%%bash``, ``%%writefile``, ``%%html``, ...) comments out its whole cell."""

NET_NAMES = "NetClassifier.cost_grad, cost_grad or TwoLayerNet.loss"


@dataclass(frozen=True)
class Unit:
    """One student: what is graded together and gets one row."""

    name: str  # relative to the class folder ("alice", "carol.py"), or the path as given
    path: Path  # the folder or the file, absolute
    kind: str  # FOLDER, HANDIN or GIVEN


@dataclass
class Source:
    """A .py file in the run folder, as read with ast."""

    path: Path  # in the run folder
    shown: str  # as reports name it: "alice/net.py", "carol/handin.zip: carol/net.py", "bob/handin2.ipynb"
    parses: bool = True
    net: str | None = None  # "course", "cs231n" or None: the net it defines
    imports: set[Path] = field(default_factory=set)  # the run folder's files it imports
    defined: dict[str, tuple[str, ...] | None] = field(default_factory=dict)  # top-level names; a class's attributes


@dataclass
class Staged:
    """A unit's files in the run folder, and what was found on the way."""

    unit: Unit
    sub: Path
    entry: Path | None = None  # a .py hand-in: the file to run, whatever it defines
    shown: dict[Path, str] = field(default_factory=dict)  # every .py in the run folder: its name in reports
    notebooks: dict[Path, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)  # generated .py: the
    # notebook's name and, per line of the .py, (code cell, line in the cell)
    found: list[str] = field(default_factory=list)  # what the unit holds, for a message
    problems: list[Finding] = field(default_factory=list)  # archives refused, notebooks unreadable, files left out


@contextmanager
def staging() -> Iterator[Path]:
    """A fresh private run folder (``mkdtemp``), removed with everything in it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="impl_check_"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_FOLDERS


def find_units(paths: Iterable[str | os.PathLike[str]]) -> list[Unit]:
    """The students: each subfolder and hand-in file of each folder given (sorted by name), each file given.

    A unit found twice (a file given and its class folder) counts once, where it is first found.

    Raises
    ------
    ValueError
        naming a path that does not exist, or a folder that holds no unit.
    """
    found: list[Unit] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(Unit(str(raw), path.resolve(), GIVEN))
        elif path.is_dir():
            before = len(found)
            for entry in sorted(path.iterdir(), key=lambda p: p.name):
                if _skipped(entry.name):
                    continue
                if entry.is_dir():
                    found.append(Unit(entry.name, entry.resolve(), FOLDER))
                elif entry.is_file() and entry.suffix.lower() in HANDIN_SUFFIXES:
                    found.append(Unit(entry.name, entry.resolve(), HANDIN))
            if len(found) == before:  # given next to other paths, it would add nothing, silently
                raise ValueError(f"no submission found in {raw} (no student folder, and no .py, .ipynb or .zip file)")
        else:
            raise ValueError(f"no such {'file' if str(raw).endswith('.py') else 'file or folder'}: {raw}")
    seen: set[Path] = set()
    units = []
    for unit in found:
        if unit.path not in seen:
            seen.add(unit.path)
            units.append(unit)
    return units


# ---- reading a file with ast ---------------------------------------------------------------


def _defines_net(tree: ast.Module) -> str | None:
    """ "course" (cost_grad at module level or in NetClassifier), "cs231n" (TwoLayerNet.loss), or None."""
    course = cs231n = False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "cost_grad":
            course = True
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "cost_grad" for t in node.targets
        ):
            course = True
        elif isinstance(node, ast.ClassDef) and node.name in ("NetClassifier", "TwoLayerNet"):
            method = "cost_grad" if node.name == "NetClassifier" else "loss"
            if method in _attributes(node):
                course, cs231n = course or node.name == "NetClassifier", cs231n or node.name == "TwoLayerNet"
    return "course" if course else "cs231n" if cs231n else None


def _attributes(node: ast.ClassDef) -> tuple[str, ...]:
    names: list[str] = []
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(item.name)
        elif isinstance(item, ast.Assign):
            names += [t.id for t in item.targets if isinstance(t, ast.Name)]
    return tuple(names)


def _defined(tree: ast.Module) -> dict[str, tuple[str, ...] | None]:
    """Top-level names: a class's attribute names, None for anything else (for :func:`worker.near_misses`)."""
    defined: dict[str, tuple[str, ...] | None] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            defined[node.name] = _attributes(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defined[node.name] = None
        elif isinstance(node, ast.Assign):
            defined.update({t.id: None for t in node.targets if isinstance(t, ast.Name)})
    return defined


# CPython 3.11 (3.11.7 here) keeps ast.parse's recursion depth in interpreter-wide state: a parse in another
# thread at the same moment (check_many checks students in threads; a garbage collection inside the parse can hand
# the GIL over) makes it fail with "SystemError: AST constructor recursion depth mismatch", which would end a whole
# class's run. Our own parses take turns (the lock); one that still meets a parse of other code (a library, the
# test runner) is tried again: the same bytes parse the same way.
_AST_LOCK = threading.Lock()
_PARSE_ATTEMPTS = 5


def parse_source(source: bytes | str, filename: str) -> ast.Module:
    """``ast.parse`` of ``source``, one thread at a time, tried again on the spurious SystemError (_AST_LOCK).

    Raises
    ------
    SyntaxError, ValueError
        as ast.parse does (a syntax error; a null byte).
    """
    for attempt in range(_PARSE_ATTEMPTS):
        with _AST_LOCK:
            try:
                return ast.parse(source, filename=filename)
            except SystemError as exc:
                if "recursion depth mismatch" not in str(exc) or attempt == _PARSE_ATTEMPTS - 1:
                    raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def defines_a_net(path: Path) -> bool:
    """Does the file define ``cost_grad`` (at module level or in ``NetClassifier``) or ``TwoLayerNet.loss``?

    Importing one is not defining it: a driver script that imports the student's ``NetClassifier`` is part of the
    submission, not a second one.
    """
    try:
        return _defines_net(parse_source(path.read_bytes(), str(path))) is not None
    except (SyntaxError, ValueError):
        return False


def _module_files(name: str, base: Path) -> list[Path]:
    """The files under ``base`` that ``import name`` (dotted) would load: modules and packages' __init__."""
    files = []
    here = base
    for part in name.split("."):
        if (here / f"{part}.py").is_file():
            files.append(here / f"{part}.py")
            break
        if (here / part / "__init__.py").is_file():
            files.append(here / part / "__init__.py")
        if not (here / part).is_dir():
            break
        here = here / part
    return files


def _imported(tree: ast.Module, base: Path) -> set[Path]:
    """The files under ``base`` (the importing file's folder, first on its path) that the module imports."""
    files: set[Path] = set()
    for node in ast.walk(tree):  # imports inside functions and try blocks too
        if isinstance(node, ast.Import):
            for alias in node.names:
                files.update(_module_files(alias.name, base))
        elif isinstance(node, ast.ImportFrom) and node.level <= 1:
            module = node.module or ""
            files.update(_module_files(module, base) if module else [])
            for alias in node.names:  # from pkg import mod / from . import mod
                files.update(_module_files(f"{module}.{alias.name}" if module else alias.name, base))
    inside = base.resolve()
    return {f.resolve() for f in files if not f.is_symlink() and f.resolve().is_relative_to(inside)}


def _parse(path: Path) -> ast.Module | None:
    try:
        return parse_source(path.read_bytes(), str(path))
    except (SyntaxError, ValueError, OSError):
        return None


def imported_siblings(path: Path) -> list[Path]:
    """The .py files beside ``path`` (and in packages beside it) that it imports, and that they import."""
    base = path.parent.resolve()
    seen: set[Path] = set()
    todo = [path.resolve()]
    while todo:
        tree = _parse(todo.pop())
        for found in sorted(_imported(tree, base)) if tree is not None else []:
            if found not in seen and found != path.resolve():
                seen.add(found)
                todo.append(found)
    return sorted(seen)


# ---- notebooks ------------------------------------------------------------------------------


def _cell_lines(source: str) -> list[str]:
    """A code cell's lines, with IPython magics and shell escapes commented out."""
    lines = source.splitlines()
    first = lines[0].strip() if lines else ""
    if first.startswith("%%") and first[2:].split(" ")[0] not in PYTHON_CELL_MAGICS:
        return [f"# {line}" for line in lines]
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}pass  # {stripped}" if indent else f"# {stripped}")  # an indented block stays valid
        else:
            out.append(line)
    return out


def notebook_to_python(path: Path) -> tuple[str, list[tuple[int, int]]]:
    """The notebook's code cells as one module, and for each of its lines (code cell, line in the cell); 0: added.

    Raises
    ------
    ValueError
        saying why the notebook cannot be read.
    """
    import nbformat  # only where there is a notebook

    if path.stat().st_size > NOTEBOOK_MAX_BYTES:
        raise ValueError(f"it is larger than {NOTEBOOK_MAX_BYTES >> 20} MiB")
    try:
        notebook = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 -- nbformat raises many kinds; each is "unreadable"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ValueError(f"{type(exc).__name__}: {first[:200]}") from None
    lines = [f"# generated by impl_check from {path.name}: its code cells, magics commented out"]
    where = [(0, 0)]
    cells = [cell for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    for number, cell in enumerate(cells, start=1):
        lines.append(f"# code cell {number}")
        where.append((0, 0))
        body = _cell_lines(str(cell.get("source", "")))
        lines += body
        where += [(number, i) for i in range(1, len(body) + 1)]
    return "\n".join(lines) + "\n", where


def _free_name(folder: Path, stem: str, taken: set[Path], source: Path) -> Path:
    """``stem.py`` in ``folder``, or ``stem_ipynb.py``, ``stem_ipynb2.py``, ... where that is taken (in the run
    folder, or in ``source``, the folder of the notebook, whose files may be copied after it)."""
    for suffix in ("", "_ipynb", *(f"_ipynb{i}" for i in range(2, 100))):
        candidate = folder / f"{stem}{suffix}.py"
        if candidate not in taken and not candidate.exists() and not (source / candidate.name).exists():
            return candidate
    raise ValueError(f"no free name for {stem}.py in the run folder")


# ---- archives -------------------------------------------------------------------------------


class Refused(Exception):
    """An archive not extracted: the finding says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def extract(archive: Path, shown: str, target: Path) -> list[Path]:
    """Extract ``archive`` into ``target`` (created), each member checked before any is written.

    Returns the files written. Members in ``__MACOSX`` or hidden (``.DS_Store``) are skipped.

    Raises
    ------
    Refused
        ``archive-refused`` (not a zip, encrypted, a member that is a link or would land outside ``target``) or
        ``archive-capped`` (more than ZIP_MAX_FILES members, or more than ZIP_MAX_BYTES uncompressed).
    """
    try:
        handle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(Finding("archive-refused", f"{shown} is not a readable zip archive ({exc})")) from None
    with handle:
        members = handle.infolist()
        if len(members) > ZIP_MAX_FILES:
            raise Refused(
                Finding("archive-capped", f"{shown} holds {len(members)} members, over the cap of {ZIP_MAX_FILES}")
            )
        declared = sum(m.file_size for m in members)
        if declared > ZIP_MAX_BYTES:
            raise Refused(
                Finding(
                    "archive-capped",
                    f"{shown} holds {declared / 2**20:.1f} MiB uncompressed, over the cap of {ZIP_MAX_BYTES >> 20} MiB",
                )
            )
        for m in members:
            name = PurePosixPath(m.filename.replace("\\", "/"))
            escapes = name.is_absolute() or ".." in name.parts or re.match(r"^[A-Za-z]:", m.filename)
            link = stat.S_ISLNK(m.external_attr >> 16)
            if escapes or link:
                why = "is a symbolic link" if link else "would be written outside the folder it is extracted into"
                raise Refused(Finding("archive-refused", f"{shown}: member {m.filename} {why}; nothing extracted"))
            if m.flag_bits & 0x1:
                raise Refused(Finding("archive-refused", f"{shown}: member {m.filename} is encrypted"))
        target.mkdir(parents=True, exist_ok=True)
        written, total = [], 0
        for m in members:
            name = PurePosixPath(m.filename.replace("\\", "/"))
            if m.is_dir() or any(_skipped(part) for part in name.parts):
                continue
            destination = target.joinpath(*name.parts)
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                with handle.open(m) as src, open(destination, "wb") as dst:
                    while chunk := src.read(1 << 16):  # the sizes in the headers may lie: count what comes out
                        total += len(chunk)
                        if total > ZIP_MAX_BYTES:
                            raise Refused(
                                Finding(
                                    "archive-capped",
                                    f"{shown} unpacks to more than {ZIP_MAX_BYTES >> 20} MiB, over the cap",
                                )
                            )
                        dst.write(chunk)
            except (OSError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error) as exc:
                # a damaged member, a file where a folder is, ...: said without the run folder's path
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
                raise Refused(
                    Finding("archive-refused", f"{shown}: member {m.filename} cannot be extracted ({why})")
                ) from None
            written.append(destination)
    return written


# ---- staging a unit -------------------------------------------------------------------------


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)


def stage_file(path: Path, sub: Path, *, siblings: bool = True) -> Path:
    """A single .py file into ``sub``, with (``siblings``) the modules beside it that it imports; returns its copy.

    The file is copied whatever its size (it is the submission); each sibling up to COPY_MAX_BYTES.
    """
    path = path.resolve()
    entry = sub / path.name
    _copy(path, entry)
    for found in imported_siblings(path) if siblings else []:
        if found.stat().st_size <= COPY_MAX_BYTES:
            _copy(found, sub / found.relative_to(path.parent))
    return entry


def _notebook(staged: Staged, path: Path, shown: str, folder: Path) -> Path | None:
    """The notebook's code as a .py in ``folder``; an unreadable one is a problem (None)."""
    try:
        text, where = notebook_to_python(path)
    except ValueError as exc:
        staged.problems.append(Finding("notebook-unreadable", f"{shown} cannot be read as a notebook: {exc}"))
        return None
    target = _free_name(folder, path.stem, set(staged.shown), path.parent)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    staged.shown[target] = shown
    staged.notebooks[target] = (path.name, where)
    return target


def _archive(staged: Staged, path: Path, shown: str, target: Path) -> None:
    try:
        written = extract(path, shown, target)
    except Refused as refused:
        staged.problems.append(refused.finding)
        shutil.rmtree(target, ignore_errors=True)
        return
    for file in written:
        member = f"{shown}: {file.relative_to(target).as_posix()}"
        staged.found.append(member)
        if file.suffix == ".py":
            staged.shown[file] = member
        elif file.suffix == ".ipynb":
            _notebook(staged, file, member, file.parent)
    if not written:
        staged.found.append(f"{shown} (no file in it)")


def _copy_folder(staged: Staged, source: Path) -> None:
    """A student's folder, subfolders too: notebooks converted, archives extracted, other files copied up to
    COPY_MAX_BYTES each, COPY_MAX_FILES and COPY_MAX_TOTAL in all; what is left out becomes a ``left-out`` note."""
    left_out: list[str] = []
    count = total = 0
    name = staged.unit.name
    for folder, subfolders, files in os.walk(source):
        here = Path(folder)
        left_out += [
            f"{name}/{(here / d).relative_to(source).as_posix()}/ (a link)"
            for d in subfolders
            if (here / d).is_symlink()
        ]
        subfolders[:] = sorted(d for d in subfolders if not _skipped(d) and not (here / d).is_symlink())
        relative = here.relative_to(source)
        for file in sorted(f for f in files if not f.startswith(".")):
            path = here / file
            shown = f"{name}/{(relative / file).as_posix()}"
            if path.suffix.lower() != ".zip":  # an archive's members are listed instead
                staged.found.append(shown)
            if path.is_symlink() or not path.is_file():
                left_out.append(f"{shown} (a link)")
                continue
            if path.suffix.lower() == ".ipynb":
                _notebook(staged, path, shown, staged.sub / relative)
                continue
            if path.suffix.lower() == ".zip":
                _archive(staged, path, shown, staged.sub / relative / f"{file}.contents")
                continue
            size = path.stat().st_size
            if size > COPY_MAX_BYTES:
                left_out.append(f"{shown} ({size / 2**20:.1f} MiB, over {COPY_MAX_BYTES >> 20} MiB a file)")
                continue
            if count >= COPY_MAX_FILES or total + size > COPY_MAX_TOTAL:
                left_out.append(f"{shown} (past the {COPY_MAX_FILES} files or {COPY_MAX_TOTAL >> 20} MiB copied)")
                continue
            try:
                _copy(path, staged.sub / relative / file)
            except OSError as exc:
                left_out.append(f"{shown} (cannot be read: {exc.strerror})")
                continue
            count, total = count + 1, total + size
            if path.suffix == ".py":
                staged.shown[staged.sub / relative / file] = shown
    if left_out:
        more = f" and {len(left_out) - 5} more" if len(left_out) > 5 else ""
        text = f"not copied into the run folder: {', '.join(left_out[:5])}{more}"
        staged.problems.append(Finding("left-out", text))


def stage(unit: Unit, sub: Path) -> Staged:
    """Put the unit's own files into ``sub`` (nothing of any other student's): see the module's docstring."""
    staged = Staged(unit, sub)
    sub.mkdir(parents=True, exist_ok=True)
    suffix = unit.path.suffix.lower()
    if unit.kind == FOLDER:
        _copy_folder(staged, unit.path)
    elif suffix == ".zip":
        _archive(staged, unit.path, unit.name, sub)
    elif suffix == ".ipynb":
        staged.found.append(unit.name)
        generated = _notebook(staged, unit.path, unit.name, sub)
        if generated is not None and unit.kind == GIVEN:  # the modules beside it that it imports
            for found in imported_siblings_of(generated, unit.path.parent):
                relative = found.relative_to(unit.path.parent.resolve())
                _copy(found, sub / relative)
                staged.shown[sub / relative] = str(Path(unit.name).parent / relative)
    else:  # a .py (or any file given by path): run as it is
        staged.found.append(unit.name)
        staged.entry = stage_file(unit.path, sub, siblings=unit.kind == GIVEN)
        staged.shown[staged.entry] = unit.name
    return staged


def imported_siblings_of(generated: Path, base: Path) -> list[Path]:
    """The modules in ``base`` that a generated notebook module imports, and that they import."""
    tree = _parse(generated)
    direct = _imported(tree, base.resolve()) if tree is not None else set()
    found = set(direct)
    for path in direct:
        found.update(imported_siblings(path))
    return sorted(p for p in found if p.stat().st_size <= COPY_MAX_BYTES)


# ---- choosing the net -----------------------------------------------------------------------


def sources(staged: Staged) -> list[Source]:
    """Every .py in the run folder, read with ast, sorted by its name in reports."""
    found = []
    for path, shown in staged.shown.items():
        source = Source(path, shown)
        tree = _parse(path)
        if tree is None:
            source.parses = False
        else:
            source.net = _defines_net(tree)
            source.imports = _imported(tree, path.parent)
            source.defined = _defined(tree)
        found.append(source)
    return sorted(found, key=lambda s: s.shown)


INTERFACE_NAMES = {
    "course": "the course interface (NetClassifier.cost_grad or cost_grad)",
    "cs231n": "CS231n's TwoLayerNet.loss",
}


def choose(staged: Staged, interface: str | None) -> tuple[Path, list[Finding]] | Finding:
    """The file to check and the notes about the choice; or, with nothing gradable, the ERROR's finding.

    Of several files that define a net, the one checked is, in this order: in the interface asked (by default
    the course interface before CS231n's), imported by a file that is not itself a net (a driver script uses it),
    imported by no other net (a later version builds on an earlier one), the first by name. A note
    (``several-nets``) names them all and says which rule decided. A folder whose only candidates do not parse
    has the first of them checked, so that its report names the syntax error.
    """
    notes = list(staged.problems)
    if staged.entry is not None:
        return staged.entry, notes
    found = sources(staged)
    nets = [s for s in found if s.net is not None] or [s for s in found if not s.parses]
    if not nets:
        return _nothing(staged, found)
    if len(nets) == 1:
        return nets[0].path, notes
    by_driver: dict[Path, list[str]] = {}
    for s in found:
        if s.net is None:
            for path in s.imports:
                by_driver.setdefault(path, []).append(s.shown)
    by_net = {path: s.shown for s in nets for path in s.imports if path != s.path}
    wanted = interface or "course"

    def key(s: Source) -> tuple[bool, bool, bool, str]:
        return (s.net != wanted, s.path not in by_driver, s.path in by_net, s.shown)

    ranked = sorted(nets, key=key)
    chosen, runner = ranked[0], ranked[1]
    first, second = key(chosen), key(runner)
    if first[0] != second[0]:
        why = f"{INTERFACE_NAMES[wanted]} is checked before {INTERFACE_NAMES[str(runner.net)]}"
    elif first[1] != second[1]:
        why = f"{', '.join(by_driver[chosen.path])} imports it"
    elif first[2] != second[2]:
        why = f"no other net imports it ({by_net[runner.path]} imports {runner.shown})"
    else:
        why = "no driver script or import tells them apart: the first by name"
    listed = ", ".join(s.shown for s in nets)
    notes.append(Finding("several-nets", f"{len(nets)} files define a net ({listed}); checked {chosen.shown}: {why}"))
    return chosen.path, notes


def _nothing(staged: Staged, found: list[Source]) -> Finding:
    """The ERROR of a unit with nothing gradable, saying what it holds."""
    misses = [f"{s.shown} defines {miss}" for s in found for miss in near_misses(s.defined)]
    problems = "; ".join(p.message for p in staged.problems if p.code != "left-out")
    if misses:
        return Finding("misnamed", f"no file defines {NET_NAMES}; {'; '.join(misses)}")
    hard = [p for p in staged.problems if p.code in ("archive-refused", "archive-capped", "notebook-unreadable")]
    if hard:
        return Finding(hard[0].code, problems)
    if found:
        names = ", ".join(s.shown for s in found)
        return Finding("no-net", f"no file defines {NET_NAMES} (found {names})")
    what = ", ".join(staged.found[:8]) + (f" and {len(staged.found) - 8} more" if len(staged.found) > 8 else "")
    if what or staged.unit.kind != FOLDER:
        return Finding("no-code", f"nothing to check: no .py, .ipynb or .zip file (found {what or 'nothing'})")
    return Finding("empty-folder", f"nothing to check: the folder {staged.unit.name} is empty")


def cell_lines(message: str, staged: Staged) -> str:
    """``line 12 of handin2.py`` (the generated module) as ``line 3 of code cell 2 of handin2.ipynb``."""
    for generated, (notebook, where) in staged.notebooks.items():

        def cell(match: re.Match[str], notebook: str = notebook, where: list[tuple[int, int]] = where) -> str:
            number = int(match.group(1))
            if 1 <= number <= len(where) and where[number - 1][0]:
                cell_no, line = where[number - 1]
                return f"line {line} of code cell {cell_no} of {notebook}"
            return match.group(0)

        message = re.sub(rf"line (\d+) of {re.escape(generated.name)}\b", cell, message)
    return message
