"""Start-up of the main job: where the seconds of a one-epoch ``compare.py train`` go.

    .venv/bin/python benchmarks/bench_startup.py [--repeats N] [--datasets digits mnist5k] [--baseline DIR] [--json PATH]

For each data set, ``python compare.py train --dataset D --epochs 1`` runs in
a fresh process ``--repeats`` times (default 5), interleaved with as many runs
of ``python -c "import torch"``. The start-up overhead is the median time of a
run minus the median time of importing torch; the targets are 1.5 s (digits)
and 2.5 s (mnist5k).

Each round also makes one instrumented run per data set, for the breakdown:
``compare.py`` run as a script (``runpy``) in a child process that first
wraps the functions of each phase with a timer (a call inside another timed
call counts for the outer one only):

- import torch, then the other imports of the project (the modules whose
  functions are timed, and what they import);
- torch set-up (threads, deterministic algorithms, TF32), data (read, check,
  split), lockstep (both nets, step by step), report (accuracies, environment),
  figures (drawn and written), writing (``report.json``);
- other: the rest of ``compare.py`` (its imports, parsing, printing);
- python start-up and exit: the run's wall time minus all of the above.

The child imports torch before ``compare.py`` starts (to time it apart), so
an instrumented run is a little slower than a plain one. All runs use an
empty cache folder of their own (``XDG_CACHE_HOME``): a first, instrumented
run of each data set fills it (reported on its own), the others read it.
Medians per phase do not add up exactly to the median total.

``--baseline DIR`` times, in the same rounds, the plain runs of another
version's ``compare.py`` (a checkout or an export, for instance
``git archive 5cb5c74 | tar -x -C DIR``, the commit before the start-up work)
with this ``.venv``: its totals and overhead are added to the table.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"digits": 1.5, "mnist5k": 2.5}  # seconds of a one-epoch run beyond `import torch`
PHASES: dict[str, list[str]] = {  # phase -> the functions whose calls it times, "module:attribute"
    "torch set-up": ["parity_run.train_run:configure_torch"],
    "data": ["parity_run.train_run:load_dataset"],
    "lockstep": ["parity_run.train_run:lockstep"],
    "report": ["parity_run.run_report:environment", "parity_run.run_report:build_report"],
    "figures": ["parity_run.figures:plot_curves", "parity_run.figures:plot_divergence"],
    "writing": ["parity_run.run_report:write_report", "scratch_net:save_params"],
}
ROWS = ["python start-up and exit", "import torch", "other imports", *PHASES, "other"]


# ---------------------------------------------------------------- the child: one instrumented run


def timed(function: Callable[..., Any], phase: str, totals: dict[str, float], busy: list[bool]) -> Callable[..., Any]:
    """``function``, adding its wall time to ``totals[phase]`` unless another timed call is running."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if busy[0]:
            return function(*args, **kwargs)
        busy[0] = True
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[phase] += time.perf_counter() - start
            busy[0] = False

    return wrapper


def child(dataset: str, out: str, result_path: str) -> None:
    """``python compare.py train --dataset DATASET --epochs 1 --out OUT``, timed; the times go to ``result_path``."""
    start = time.perf_counter()
    import importlib
    import runpy

    import torch  # noqa: F401

    torch_done = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    totals = {phase: 0.0 for phase in PHASES}
    busy = [False]
    for phase, targets in PHASES.items():
        for target in targets:
            module_name, name = target.split(":")
            module = importlib.import_module(module_name)
            setattr(module, name, timed(getattr(module, name), phase, totals, busy))
    imports_done = time.perf_counter()
    sys.argv = ["compare.py", "train", "--dataset", dataset, "--epochs", "1", "--out", out]
    try:
        runpy.run_path(str(ROOT / "compare.py"), run_name="__main__")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    end = time.perf_counter()
    result = {
        "exit_code": code,
        "import torch": torch_done - start,
        "other imports": imports_done - torch_done,
        **totals,
        "other": end - imports_done - sum(totals.values()),
        "child": end - start,
    }
    Path(result_path).write_text(json.dumps(result))


# ---------------------------------------------------------------- the parent: runs and the table


def wall_time(
    command: list[str], env: dict[str, str], cwd: Path = ROOT
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return wall, done


def plain_run(dataset: str, work: Path, env: dict[str, str], root: Path = ROOT) -> float:
    """Seconds of ``python compare.py train --dataset DATASET --epochs 1`` in ``root``, start to exit."""
    command = [sys.executable, "compare.py", "train", "--dataset", dataset, "--epochs", "1", "--out", str(work / "run")]
    return wall_time(command, env, cwd=root)[0]


def instrumented_run(dataset: str, work: Path, env: dict[str, str]) -> dict[str, float]:
    """Seconds per phase of one run, and its total."""
    result_path = work / "result.json"
    wall, done = wall_time([sys.executable, __file__, "--child", dataset, str(work / "run"), str(result_path)], env)
    result = json.loads(result_path.read_text())
    if result["exit_code"] != 0:
        raise RuntimeError(f"compare.py train --dataset {dataset} exited {result['exit_code']}:\n{done.stderr[-2000:]}")
    return {**result, "total": wall, "python start-up and exit": wall - result["child"]}


def machine() -> dict[str, Any]:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")), "")
    except OSError:
        pass
    import numpy
    import torch

    return {
        "cpu": model, "nproc": os.cpu_count(), "python": platform.python_version(),
        "numpy": numpy.__version__, "torch": torch.__version__,
    }  # fmt: skip


def table(results: dict[str, Any], import_torch: list[float], baseline: Path | None) -> str:
    """The breakdown and the totals as a markdown table: one column per data set."""
    datasets = list(results)
    phases = {ds: {row: statistics.median(run[row] for run in results[ds]["instrumented"]) for row in [*ROWS, "total"]}
              for ds in datasets}  # fmt: skip
    total = {ds: statistics.median(results[ds]["plain"]) for ds in datasets}
    torch_s = statistics.median(import_torch)
    overhead = {ds: total[ds] - torch_s for ds in datasets}
    runs = len(import_torch)

    def line(label: str, cell: Callable[[str], str]) -> str:
        return f"| {label} | " + " | ".join(cell(ds) for ds in datasets) + " |"

    return "\n".join([
        line(f"seconds, median of {runs} runs", lambda ds: ds),
        "|---|" + "---|" * len(datasets),
        *(line(row, lambda ds, row=row: f"{phases[ds][row]:.2f}") for row in ROWS),
        line("total of an instrumented run", lambda ds: f"{phases[ds]['total']:.2f}"),
        line("**total**, `python compare.py train --dataset D --epochs 1`", lambda ds: f"**{total[ds]:.2f}**"),
        line('`python -c "import torch"`', lambda ds: f"{torch_s:.2f}"),
        line("**total − import torch**", lambda ds: f"**{overhead[ds]:.2f}**"),
        line("target", lambda ds: f"≤ {TARGETS[ds]} ({'met' if overhead[ds] <= TARGETS[ds] else 'not met'})"),
        line("first run (empty cache): total, instrumented", lambda ds: f"{results[ds]['first']['total']:.2f}"),
        line("first run (empty cache): data", lambda ds: f"{results[ds]['first']['data']:.2f}"),
        *([] if baseline is None else [
            line(f"baseline `{baseline}`: total", lambda ds: f"{statistics.median(results[ds]['baseline']):.2f}"),
            line("baseline: total − import torch",
                 lambda ds: f"{statistics.median(results[ds]['baseline']) - torch_s:.2f}"),
        ]),
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="rounds after the first runs (default 5)")
    parser.add_argument("--datasets", nargs="+", default=["digits", "mnist5k"], choices=["digits", "mnist5k"])
    parser.add_argument("--baseline", type=Path, default=None, help="also time plain runs of this version's compare.py")
    parser.add_argument("--json", type=Path, default=None, help="also write every time to this file")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.repeats < 1:
        parser.error(f"--repeats must be >= 1, got {args.repeats}")
    if args.baseline is not None and not (args.baseline / "compare.py").is_file():
        parser.error(f"--baseline {args.baseline}: no compare.py there")
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="bench_startup-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        results: dict[str, Any] = {ds: {"plain": [], "instrumented": [], "baseline": []} for ds in args.datasets}
        import_torch = []
        for ds in args.datasets:  # the first run of each fills the cache
            results[ds]["first"] = instrumented_run(ds, work, env)
        for round_ in range(args.repeats):
            import_torch.append(wall_time([sys.executable, "-c", "import torch"], env)[0])
            for ds in args.datasets:
                results[ds]["plain"].append(plain_run(ds, work, env))
                results[ds]["instrumented"].append(instrumented_run(ds, work, env))
                if args.baseline is not None:
                    results[ds]["baseline"].append(plain_run(ds, work, env, root=args.baseline.resolve()))
            print(f"round {round_ + 1}/{args.repeats} done", file=sys.stderr, flush=True)
    m = machine()
    print(f"one-epoch `compare.py train --dataset D --epochs 1`; {m['cpu']}, {m['nproc']} CPUs; "
          f"Python {m['python']}, NumPy {m['numpy']}, torch {m['torch']}; {time.time() - started:.0f} s, "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(table(results, import_torch, args.baseline))
    if args.json is not None:
        record = {"machine": m, "import_torch": import_torch, "results": results, "targets": TARGETS,
                  "baseline": None if args.baseline is None else str(args.baseline)}  # fmt: skip
        args.json.write_text(json.dumps(record, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
