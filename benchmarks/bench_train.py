"""One epoch of training: scratch_net vs torch_ref vs scikit-learn vs the matmul floor.

    .venv/bin/python benchmarks/bench_train.py [--quick] [--repeats N] [--json PATH]

Trains one epoch at 784 -> 256 -> 10, lr 0.1, c 1e-4, on 20,000 synthetic rows
(speed does not depend on the values) with a validation set of 2,000 rows, at
batch 32 and 1024, in float64 and float32, and times:

- scratch: ``scratch_net.NetClassifier.fit`` (one epoch, then its evaluation
  of train and val, which fit always does);
- torch: ``torch_ref.TorchClassifier.fit`` (nn.Linear, F.cross_entropy, the
  explicit penalty, torch.optim.SGD), ``torch.set_num_threads(2)``;
- sklearn: ``MLPClassifier(solver="sgd", momentum=0, learning_rate="constant",
  learning_rate_init=0.1, alpha=2c*batch_size, max_iter=1, shuffle=True)``:
  its penalty is ``alpha/(2*batch) * sum W^2``, so this alpha is our c. It has
  no per-epoch evaluation (no validation set unless early stopping);
- floor: only the matrix products that scratch's fit performs, with nothing
  between them: the five of each step (X@W1, a1@W2, dz2@W2.T, a1.T@dz2,
  X.T@dz1) over every batch, the last smaller one included, and the two
  forward products of the evaluation of train and val, in the same chunks
  (``scratch_net.fast_sgd.EVAL_CHUNK``) -- same shapes, dtype, and NumPy's BLAS.

Each candidate runs in its own worker process, started once per (dtype,
batch), so that no two libraries' busy-waiting thread pools (NumPy's OpenBLAS,
torch's and scikit-learn's OpenMP) share a process, and each uses its own
default threads (torch's set to 2 explicitly). Each worker fits once to warm
up; then the rounds run the candidates one after another, the order rotated
each round, with a pause (1.5 s) between them so that the previous worker's spinning
threads go to sleep before the next one is timed. Medians, min-max and the
workers' peak resident memory are reported; the ratios are of medians from
the same run. The JSON also records the BLAS and thread pools of each worker
(threadpoolctl), the CPU and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
D, H, K = 784, 256, 10
N_TRAIN, N_VAL = 20_000, 2_000
LR, C = 0.1, 1e-4
CANDIDATES = ("scratch", "torch", "sklearn", "floor")
TORCH_THREADS = 2
TARGETS = {32: {"torch": 0.45, "floor": 1.7}, 1024: {"floor": 1.3}}
"""scratch's time as a fraction of the others' (ratios of medians), per batch size."""


# ---------------------------------------------------------------- the worker side


def make_data(dtype: np.dtype) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N_TRAIN, D)).astype(dtype)
    y = rng.integers(0, K, size=N_TRAIN)
    X_val = rng.normal(size=(N_VAL, D)).astype(dtype)
    y_val = rng.integers(0, K, size=N_VAL)
    return X, y, X_val, y_val


def make_fit(name: str, dtype: np.dtype, batch: int):
    """A function that trains one epoch of ``name``, from the same start each time."""
    X, y, X_val, y_val = make_data(dtype)
    if name == "scratch":
        import scratch_net as sn

        init = sn.init_params(D, H, K, seed=0, dtype=dtype)
        return lambda: sn.NetClassifier().fit(X, y, X_val, y_val, init, batch, LR, C, epochs=1, seed=0)
    if name == "torch":
        import torch

        import scratch_net as sn
        import torch_ref as tr

        torch.set_num_threads(TORCH_THREADS)
        init = sn.init_params(D, H, K, seed=0, dtype=dtype)
        return lambda: tr.TorchClassifier().fit(X, y, X_val, y_val, init, batch, LR, C, epochs=1, seed=0)
    if name == "sklearn":
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter=1 is the point

        def fit() -> None:
            MLPClassifier(
                hidden_layer_sizes=(H,), activation="relu", solver="sgd", learning_rate="constant",
                learning_rate_init=LR, momentum=0.0, nesterovs_momentum=False, alpha=2 * C * batch,
                batch_size=batch, max_iter=1, shuffle=True, random_state=0,
            ).fit(X, y)  # fmt: skip

        return fit
    if name == "floor":
        return make_floor(X, X_val, dtype, batch)
    raise ValueError(f"unknown candidate {name!r}")


def make_floor(X: np.ndarray, X_val: np.ndarray, dtype: np.dtype, batch: int):
    """The matrix products of one epoch of scratch's fit, into preallocated outputs."""
    from scratch_net.fast_sgd import EVAL_CHUNK

    rng = np.random.default_rng(1)
    W1, W2 = rng.normal(size=(D, H)).astype(dtype), rng.normal(size=(H, K)).astype(dtype)
    a1, dz2, dz1 = np.empty((batch, H), dtype), np.empty((batch, K), dtype), np.empty((batch, H), dtype)
    dW1, dW2 = np.empty((D, H), dtype), np.empty((H, K), dtype)
    chunk = {split: min(len(Xs), EVAL_CHUNK) for split, Xs in (("train", X), ("val", X_val))}
    eval_out = {split: (np.empty((m, H), dtype), np.empty((m, K), dtype)) for split, m in chunk.items()}
    dz2[...] = rng.normal(size=dz2.shape)

    def floor() -> None:
        for start in range(0, len(X), batch):
            Xb = X[start : start + batch]  # (b, d): the batch operand, b smaller at the end
            b = Xb.shape[0]
            np.matmul(Xb, W1, out=a1[:b])  # (b, h) forward
            np.matmul(a1[:b], W2, out=dz2[:b])  # (b, k)
            np.matmul(dz2[:b], W2.T, out=dz1[:b])  # (b, h) backward
            np.matmul(a1[:b].T, dz2[:b], out=dW2)  # (h, k)
            np.matmul(Xb.T, dz1[:b], out=dW1)  # (d, h)
        for split, Xs in (("train", X), ("val", X_val)):
            A, Z = eval_out[split]
            for start in range(0, len(Xs), chunk[split]):
                Xc = Xs[start : start + chunk[split]]
                m = Xc.shape[0]
                np.matmul(Xc, W1, out=A[:m])  # (m, h)
                np.matmul(A[:m], W2, out=Z[:m])  # (m, k)

    return floor


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def worker(name: str, dtype: str, batch: int) -> None:
    """Answer "run" with one timed fit, "stop" with the memory and thread pools; JSON lines on stdout."""
    from threadpoolctl import threadpool_info

    fit = make_fit(name, np.dtype(dtype), batch)
    before_fit = rss_mb()
    fit()  # warm-up: imports inside fit, first-touch of buffers, BLAS pools started
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip() == "run":
            start = time.perf_counter()
            fit()
            print(json.dumps({"seconds": time.perf_counter() - start}), flush=True)
        else:
            break
    pools = [
        {key: info.get(key) for key in ("user_api", "internal_api", "prefix", "version", "num_threads", "architecture")}
        for info in threadpool_info()
    ]
    if name == "torch":
        import torch

        pools.append({"user_api": "torch", "num_threads": torch.get_num_threads(), "version": torch.__version__})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"peak_rss_mb": peak, "rss_before_fit_mb": before_fit, "pools": pools}), flush=True)


# ---------------------------------------------------------------- the driver side


class Worker:
    def __init__(self, name: str, dtype: str, batch: int) -> None:
        self.name = name
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--dtype", dtype, "--batch", str(batch)]
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.times: list[float] = []

    def ask(self, command: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if command:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.name} died (exit code {self.proc.wait()})")
        return json.loads(line)


def bench_config(dtype: str, batch: int, repeats: int, pause: float, log) -> dict[str, Any]:
    workers = {name: Worker(name, dtype, batch) for name in CANDIDATES}
    for w in workers.values():
        w.ask("")  # wait for its warm-up; one at a time, since ask blocks
    load_before = os.getloadavg()[0]
    for r in range(repeats):
        order = CANDIDATES[r % len(CANDIDATES) :] + CANDIDATES[: r % len(CANDIDATES)]
        for name in order:
            time.sleep(pause)  # let the previous worker's thread pools stop spinning
            workers[name].times.append(workers[name].ask("run")["seconds"])
        log(f"  {dtype} batch {batch}: round {r + 1}/{repeats} " + " ".join(
            f"{name} {workers[name].times[-1]:.3f}s" for name in CANDIDATES))  # fmt: skip
    results: dict[str, Any] = {}
    for name, w in workers.items():
        info = w.ask("stop")
        w.proc.wait()
        results[name] = {
            "seconds": w.times,
            "median": statistics.median(w.times),
            "min": min(w.times),
            "max": max(w.times),
            **info,
        }
    med = {name: results[name]["median"] for name in CANDIDATES}
    ratios = {f"scratch/{other}": med["scratch"] / med[other] for other in ("torch", "sklearn", "floor")}
    targets = {
        f"scratch/{other}": {
            "target": bound,
            "ratio": ratios[f"scratch/{other}"],
            "met": ratios[f"scratch/{other}"] <= bound,
        }
        for other, bound in TARGETS.get(batch, {}).items()
    }
    return {
        "dtype": dtype, "batch_size": batch, "results": results, "ratios": ratios, "targets": targets,
        "load_before": load_before, "load_after": os.getloadavg()[0],
    }  # fmt: skip


def machine() -> dict[str, Any]:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")), "")
    except OSError:
        pass
    return {
        "cpu": model, "nproc": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "numpy": np.__version__,
    }  # fmt: skip


def blas_summary(pools: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{p.get('internal_api') or p.get('user_api')} {p.get('version') or ''} x{p.get('num_threads')}".replace(
            "  ", " "
        )
        for p in pools
    )


def table(configs: list[dict[str, Any]]) -> str:
    lines = [
        f"{'dtype':8} {'batch':>5}  {'candidate':9} {'median s':>9} {'min-max s':>13} {'peak MB':>8}  ratio scratch/x",
        "-" * 78,
    ]
    for cfg in configs:
        for name in CANDIDATES:
            res = cfg["results"][name]
            ratio = "" if name == "scratch" else f"{cfg['ratios'][f'scratch/{name}']:.2f}"
            target = cfg["targets"].get(f"scratch/{name}")
            mark = (
                "" if target is None else f"  (target <= {target['target']}: {'met' if target['met'] else 'NOT met'})"
            )
            lines.append(
                f"{cfg['dtype']:8} {cfg['batch_size']:>5}  {name:9} {res['median']:9.3f} "
                f"{res['min']:6.3f}-{res['max']:<6.3f} {res['peak_rss_mb']:8.0f}  {ratio}{mark}"
            )
        lines.append("")
    return "\n".join(lines).rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 7 (about a third of the time)")
    parser.add_argument("--repeats", type=int, default=None, help="timed rounds per configuration (default 7)")
    parser.add_argument("--dtypes", nargs="+", default=["float64", "float32"], choices=["float64", "float32"])
    parser.add_argument("--batches", nargs="+", type=int, default=[32, 1024])
    parser.add_argument("--pause", type=float, default=1.5, help="seconds between two timed fits (default 1.5)")
    parser.add_argument(
        "--json", type=Path, default=None, help="where to write the results (default runs/bench_train-<time>.json)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dtype", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.dtype, args.batch)
        return 0
    repeats = args.repeats or (3 if args.quick else 7)
    if repeats < 1 or any(b < 1 for b in args.batches):
        parser.error("--repeats and --batches must be >= 1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load = os.getloadavg()[0]
    if load > 0.5:
        log(
            f"warning: load average {load:.2f} before the start: other work shares the CPUs and the times will be noisy"
        )
    started = time.time()
    configs = [bench_config(dtype, batch, repeats, args.pause, log) for dtype in args.dtypes for batch in args.batches]
    report = {
        "command": " ".join(["benchmarks/bench_train.py", *(argv if argv is not None else sys.argv[1:])]),
        "setup": {"d": D, "h": H, "k": K, "n_train": N_TRAIN, "n_val": N_VAL, "lr": LR, "c": C,
                  "epochs": 1, "repeats": repeats, "pause_s": args.pause, "torch_threads": TORCH_THREADS},
        "machine": machine(),
        "wall_s": time.time() - started,
        "configs": configs,
    }  # fmt: skip
    out = args.json or ROOT / "runs" / f"bench_train-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    m = report["machine"]
    print(f"one epoch, {N_TRAIN} rows + {N_VAL} val, {D}->{H}->{K}, lr {LR}, c {C}; {repeats} rounds after a warm-up")
    print(f"machine: {m['cpu']}, {m['nproc']} CPUs; numpy {m['numpy']}")
    for name in CANDIDATES:
        print(f"  {name:8} pools: {blas_summary(configs[0]['results'][name]['pools'])}")
    print(table(configs))
    loads = [(c["load_before"], c["load_after"]) for c in configs]
    print("load average (1 min) before/after each configuration: " + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in loads))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
