"""``NetClassifier``: the course-compatible class face over the functions in ``net``."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import net
from .checks import Params


class NetClassifier:
    """A two-layer ReLU/softmax classifier with the course interface.

    Attributes
    ----------
    params : dict or None
        The parameters used by :meth:`predict` and :meth:`score`.
    """

    def __init__(self) -> None:
        self.params: Params | None = None

    def _params(self, params: Params | None) -> Params:
        chosen = self.params if params is None else params
        if chosen is None:
            raise ValueError("no params: pass params or fit the classifier first")
        return chosen

    def predict(self, X: ArrayLike, params: Params | None = None) -> np.ndarray:
        """Predicted class per row of X (n, d): (n,) ints."""
        return net.predict(X, self._params(params))

    def score(self, X: ArrayLike, y: ArrayLike, params: Params | None = None) -> float:
        """Accuracy on (X, y)."""
        return net.score(X, y, self._params(params))

    @staticmethod
    def cost_grad(X: ArrayLike, y: ArrayLike, params: Params, c: float = 0.0) -> tuple[float, Params]:
        """See :func:`scratch_net.cost_grad`."""
        return net.cost_grad(X, y, params, c)

    def __repr__(self) -> str:
        shapes: Any = None if self.params is None else {k: v.shape for k, v in self.params.items()}
        return f"NetClassifier(params={shapes})"
