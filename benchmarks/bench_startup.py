"""Start-up of the main job: where the seconds of a one-epoch ``compare.py train`` go.

    .venv/bin/python benchmarks/bench_startup.py [--repeats N] [--datasets digits mnist5k] [--json PATH]

For each data set, ``compare.py train --dataset D --epochs 1`` runs in a fresh
process, ``--repeats`` times (default 5), interleaved with as many runs of
``python -c "import torch"``. The start-up overhead is the median time of a run
minus the median time of importing torch; the targets are 1.5 s (digits) and
2.5 s (mnist5k).

Each run goes through ``compare.main`` in a child process that wraps the
functions of each phase with a timer (a call inside another timed call counts
for the outer one only):

- import torch, then the other imports of the project (``compare``,
  ``scratch_net``, ``torch_ref`` and what they import);
- torch set-up (threads, deterministic algorithms, TF32), data (read, check,
  split), lockstep (both nets, step by step), report (accuracies, environment),
  figures (drawn and written), writing (``report.json``);
- other: the rest of ``compare.main`` (lazy imports, printing);
- python start-up and exit: the run's wall time minus all of the above.

The runs use an empty cache folder of their own (``XDG_CACHE_HOME``): the first
run of each data set fills it (reported on its own), the others read it.
Medians per phase do not add up exactly to the median total.
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
    "torch set-up": ["compare:configure_torch"],
    "data": ["compare:load_dataset"],
    "lockstep": ["torch_ref:lockstep"],
    "report": ["compare:environment", "compare:side_report"],
    "figures": ["compare:plot_curves", "compare:plot_divergence"],
    "writing": ["compare:atomic_write", "scratch_net:save_params"],
}
ROWS = ["python start-up and exit", "import torch", "other imports", *PHASES, "other"]


# ---------------------------------------------------------------- the child: one timed run


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
    start = time.perf_counter()
    import importlib

    import torch  # noqa: F401

    torch_done = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import compare

    totals = {phase: 0.0 for phase in PHASES}
    busy = [False]
    for phase, targets in PHASES.items():
        for target in targets:
            module_name, name = target.split(":")
            module = importlib.import_module(module_name)
            setattr(module, name, timed(getattr(module, name), phase, totals, busy))
    imports_done = time.perf_counter()
    code = compare.main(["train", "--dataset", dataset, "--epochs", "1", "--out", out])
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


def run_once(dataset: str, work: Path, env: dict[str, str]) -> dict[str, float]:
    result_path = work / "result.json"
    command = [sys.executable, __file__, "--child", dataset, str(work / "run"), str(result_path)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    result = json.loads(result_path.read_text())
    return {**result, "total": wall, "python start-up and exit": wall - result["child"]}


def time_import_torch(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True, env=env)
    return time.perf_counter() - start


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


def table(results: dict[str, Any], import_torch: list[float], repeats: int) -> str:
    """The breakdown as a markdown table: one column per data set."""
    datasets = list(results)
    median = {ds: {row: statistics.median(run[row] for run in results[ds]["warm"]) for row in [*ROWS, "total"]}
              for ds in datasets}  # fmt: skip
    torch_s = statistics.median(import_torch)
    overhead = {ds: median[ds]["total"] - torch_s for ds in datasets}

    def line(label: str, cell: Callable[[str], str]) -> str:
        return f"| {label} | " + " | ".join(cell(ds) for ds in datasets) + " |"

    return "\n".join([
        line("seconds (median of the runs after the first)", lambda ds: ds),
        "|---|" + "---|" * len(datasets),
        *(line(row, lambda ds, row=row: f"{median[ds][row]:.2f}") for row in ROWS),
        line(f"**total** ({repeats} runs)", lambda ds: f"**{median[ds]['total']:.2f}**"),
        line(f'`python -c "import torch"` ({len(import_torch)} runs)', lambda ds: f"{torch_s:.2f}"),
        line("**total − import torch**", lambda ds: f"**{overhead[ds]:.2f}**"),
        line("target", lambda ds: f"≤ {TARGETS[ds]} ({'met' if overhead[ds] <= TARGETS[ds] else 'not met'})"),
        line("first run (empty cache): total", lambda ds: f"{results[ds]['first']['total']:.2f}"),
        line("first run (empty cache): data", lambda ds: f"{results[ds]['first']['data']:.2f}"),
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per data set after the first (default 5)")
    parser.add_argument("--datasets", nargs="+", default=["digits", "mnist5k"], choices=["digits", "mnist5k"])
    parser.add_argument("--json", type=Path, default=None, help="also write every time to this file")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.repeats < 1:
        parser.error(f"--repeats must be >= 1, got {args.repeats}")
    with tempfile.TemporaryDirectory(prefix="bench_startup-") as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        results: dict[str, Any] = {ds: {"warm": []} for ds in args.datasets}
        import_torch = []
        for ds in args.datasets:  # the first run of each fills the cache
            results[ds]["first"] = run_once(ds, Path(tmp), env)
        for round_ in range(args.repeats):
            import_torch.append(time_import_torch(env))
            for ds in args.datasets:
                results[ds]["warm"].append(run_once(ds, Path(tmp), env))
            print(f"round {round_ + 1}/{args.repeats} done", file=sys.stderr, flush=True)
    m = machine()
    print(f"one-epoch `compare.py train --dataset D --epochs 1`; {m['cpu']}, {m['nproc']} CPUs; "
          f"Python {m['python']}, NumPy {m['numpy']}, torch {m['torch']}")  # fmt: skip
    print(table(results, import_torch, args.repeats))
    if args.json is not None:
        record = {"machine": m, "import_torch": import_torch, "results": results, "targets": TARGETS}
        args.json.write_text(json.dumps(record, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
