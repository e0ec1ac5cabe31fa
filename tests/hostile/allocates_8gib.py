"""Hostile: allocates 8 GiB at import."""

import numpy as np
from _correct import cost_grad  # noqa: F401

BIG = np.ones(1 << 30)  # 8 GiB of float64
