"""A from-scratch NumPy two-layer classifier: X -> affine -> ReLU -> affine -> softmax.

Pure NumPy: importing this package never imports torch.
"""

from .checks import PARAM_KEYS, Params
from .classifier import NetClassifier
from .io import load_params, save_params
from .net import (
    DECAYED_KEYS,
    cost,
    cost_grad,
    forward,
    init_params,
    log_softmax,
    numerical_grad,
    one_in_k_encoding,
    predict,
    relu,
    score,
    softmax,
    weight_decay_cost,
    weight_decay_grad,
)
from .tolerance import compare, normwise_rel_err, tolerance
from .training import TrainConfig, batch_order, run_epochs

__all__ = [
    "DECAYED_KEYS",
    "PARAM_KEYS",
    "TrainConfig",
    "batch_order",
    "run_epochs",
    "NetClassifier",
    "Params",
    "compare",
    "cost",
    "cost_grad",
    "forward",
    "init_params",
    "load_params",
    "log_softmax",
    "normwise_rel_err",
    "numerical_grad",
    "one_in_k_encoding",
    "predict",
    "relu",
    "save_params",
    "score",
    "softmax",
    "tolerance",
    "weight_decay_cost",
    "weight_decay_grad",
]
