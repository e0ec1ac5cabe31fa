"""The torch reference: the same two-layer net as a ``torch.nn`` model.

``torch_ref`` may import ``scratch_net`` (for the parameter layout, the input
checks and the batch order); ``scratch_net`` never imports torch.
"""

from .model import (
    TorchNet,
    cost,
    cost_grad,
    course_to_linear,
    forward,
    linear_to_course,
    to_tensors,
    weight_parameters,
)

__all__ = [
    "TorchNet",
    "cost",
    "cost_grad",
    "course_to_linear",
    "forward",
    "linear_to_course",
    "to_tensors",
    "weight_parameters",
]
from .training import (  # noqa: E402
    LockstepResult,
    TorchClassifier,
    TorchTrainer,
    check_device,
    lockstep,
    param_divergence,
)

__all__ += ["LockstepResult", "TorchClassifier", "TorchTrainer", "check_device", "lockstep", "param_divergence"]
