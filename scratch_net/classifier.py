"""``NetClassifier``: the course-compatible class face over the functions in ``net``."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import net
from .checks import Params
from .training import NumpyTrainer, TrainConfig, fit_classifier


class NetClassifier:
    """A two-layer ReLU/softmax classifier with the course interface.

    Attributes
    ----------
    params : dict or None
        The parameters used by :meth:`predict` and :meth:`score`.
    """

    def __init__(self) -> None:
        self.params: Params | None = None
        self.final_params: Params | None = None
        self.history: dict[str, list[float]] | None = None
        self.best_epoch: int | None = None

    def fit(
        self,
        X_train: ArrayLike,
        y_train: ArrayLike,
        X_val: ArrayLike,
        y_val: ArrayLike,
        init_params: Params,
        batch_size: int = 32,
        lr: float = 0.1,
        c: float = 1e-4,
        epochs: int = 30,
        *,
        shuffle: bool = True,
        seed: int | None = None,
    ) -> dict[str, list[float]]:
        """Mini-batch SGD on :meth:`cost_grad`, starting from a copy of ``init_params``.

        Parameters
        ----------
        X_train (n, d), y_train (n,) : training data.
        X_val (m, d), y_val (m,) : validation data, used to pick the best epoch.
        init_params : course layout; never modified.
        batch_size, lr, c, epochs : SGD hyper-parameters; the last batch of an
            epoch may be smaller than ``batch_size``.
        shuffle, seed : the batch order, from :func:`scratch_net.batch_order`.

        Returns
        -------
        dict
            The history, one entry per epoch: ``train_loss``, ``train_acc``,
            ``val_loss``, ``val_acc``. The losses are the full cost, penalty
            ``c * (sum W1^2 + sum W2^2)`` included, after the epoch.

        After fitting, ``self.params`` holds the parameters of the epoch with
        the best validation accuracy (the first such epoch), ``self.final_params``
        those after the last step, ``self.history`` the history and
        ``self.best_epoch`` the 0-based best epoch.
        """
        config = TrainConfig(batch_size, lr, c, epochs, shuffle, seed)
        trainer = self._make_trainer(X_train, y_train, X_val, y_val, init_params, config)
        return fit_classifier(self, trainer, len(trainer.data["train"][1]), config)

    def _make_trainer(
        self,
        X_train: ArrayLike,
        y_train: ArrayLike,
        X_val: ArrayLike,
        y_val: ArrayLike,
        init_params: Params,
        config: TrainConfig,
    ) -> NumpyTrainer:
        """What takes the steps: plain SGD in NumPy here; ``torch_ref.TorchClassifier`` overrides it."""
        return NumpyTrainer(X_train, y_train, X_val, y_val, init_params, config)

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
