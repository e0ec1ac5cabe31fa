#!/usr/bin/env bash
# The CUDA checks (issue 3), run once on a lent GPU machine whose python3 holds a CUDA build
# of torch: the CUDA parity tests, one lockstep run per dtype with the torch side on the GPU,
# then the whole suite. Results land in $OUT (default /tmp/gpu-check).
set -u -o pipefail
export PYTHONUNBUFFERED=1 PYTHONPATH=. PYTHONDONTWRITEBYTECODE=1
OUT=${OUT:-/tmp/gpu-check}
mkdir -p "$OUT"
python3 -c 'import platform, numpy, torch
print("python", platform.python_version(), "numpy", numpy.__version__, "torch", torch.__version__,
      "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' 2>&1 | tee "$OUT/env.txt"
timeout 150 python3 -m pytest -q -p no:cacheprovider -rA tests/test_parity.py tests/test_training.py -k cuda 2>&1 \
    | tail -n 25 | tee "$OUT/cuda-tests.log"
for dt in float32 float64; do
    timeout 150 python3 compare.py train --device cuda --dtype "$dt" --epochs 30 --seed 0 --out "/tmp/run-$dt" 2>&1 \
        | tail -n 25 | tee "$OUT/train-$dt.log"
    cp "/tmp/run-$dt/report.json" "$OUT/report-$dt.json"
done
cp /tmp/run-float32/divergence.png "$OUT/divergence-cuda-float32.png"
timeout 240 python3 -m pytest -q -p no:cacheprovider tests 2>&1 | tail -n 30 | tee "$OUT/full-suite.log"
