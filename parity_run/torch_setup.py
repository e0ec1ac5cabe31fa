"""How torch runs in ``compare.py train``: threads, deterministic algorithms, TF32, the device.

One thread each for torch and NumPy's BLAS, fixed so that two runs with one
seed give the same numbers. The matrices of this net are small: with two pools
of busy-waiting threads (OpenMP for torch, OpenBLAS for NumPy) on two cores, a
lockstep step is 10-40x slower.

Deterministic algorithms are on for every device. On the CPU they change no
result of this net (``tests/test_torch_setup.py`` runs a lockstep with them
off and on and gets the same bits), so they could be left off there; but
``torch.use_deterministic_algorithms`` costs a run nothing either: the
``torch._dynamo`` that it imports (through Inductor's config, about 0.9 s) is
imported anyway by ``torch.optim.SGD`` at its first use, module for module.
"""

from __future__ import annotations

import os
from typing import Any

TORCH_THREADS = 1
BLAS_THREADS = 1


def configure_torch(device: str) -> dict[str, Any]:
    """Deterministic torch, fixed threads, TF32 off, for the rest of the process; returns what is in force.

    Parameters
    ----------
    device : str
        ``"cpu"`` or ``"cuda"``; for CUDA, also the cuBLAS workspace that deterministic matrix products need.

    Returns
    -------
    dict
        ``torch_threads``, ``deterministic_algorithms``, ``tf32_matmul``, ``tf32_cudnn``, read back from torch.

    Raises
    ------
    ValueError
        For ``"cuda"`` when this torch has no CUDA device.
    """
    import torch
    from threadpoolctl import threadpool_limits

    threadpool_limits(BLAS_THREADS)  # for the rest of the process
    torch.set_num_threads(TORCH_THREADS)
    torch.use_deterministic_algorithms(True)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if device == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                "--device cuda: CUDA is not available to this torch build (torch.cuda.is_available() is False)"
            )
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    return {
        "torch_threads": torch.get_num_threads(),
        "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
        "tf32_matmul": torch.backends.cuda.matmul.allow_tf32,
        "tf32_cudnn": torch.backends.cudnn.allow_tf32,
    }
