"""The known mistakes of a hand-written two-layer net: one entry each, as data.

An entry says what a net with that mistake *returns*, as a
:class:`~impl_check.reference.Variant` of the spec's net (the fields it
changes), and how to say it.  The engine (:mod:`impl_check.engine`) knows no
mistake by name: it computes each entry's prediction on every probe and
names the entries whose predictions reproduce what the file returned.
Adding a mistake is one entry here and one fixture in ``tests/impls/``.

Fields of an entry:

- ``code``: stable, for scripts and tests.
- ``change``: the Variant fields that differ from the spec.
- ``message``: one sentence for the author.  Placeholders the engine fills
  (``{decay_cost}``, ``{decay_grad}``, ``{bias_decay_cost}``, ``{bias_decay_grad}``:
  the entry's own terms; ``{spec_decay}``: the chosen penalty convention's;
  ``{fn}``: the function checked; ``{b1_shape}``, ``{b2_shape}``: the
  interface's bias shapes; ``{b1_other}``, ``{b2_other}``: the other
  interface's), and:
  ``{value}`` (the fitted parameter, formatted ``:.3g``), ``{names}`` (the
  returned quantities that the mistake changes on the probes), ``{cost_shift}``
  (how far this mistake alone moves the cost, relative, on the ordinary
  problems: the file against the net with every other mistake found),
  ``{grads}`` (what was found of the gradients), ``{size}`` (the largest
  normwise relative error of the quantities it explains, against the net with
  every other mistake found).  A message states a cause only where the probes
  confirm it; where several lines of code give the same numbers it describes
  the effect and names the usual causes as usual.
- ``fit``: for a mistake with a free number (an eps, a slope, a factor): the
  Variant field to estimate and the starting values of the search; the
  engine fits it on one probe and then tests it on all.
- ``label``: a short form (e.g. ``log(p + {value})``), named when another
  entry reproduces the same numbers: the probes cannot tell the two apart.
- ``footprint``: the quantities the mistake changes, for an entry whose
  prediction equals the reference and is judged at another precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .reference import Variant


@dataclass(frozen=True)
class Mistake:
    """One known mistake: what such a net returns (``change``) and what to tell its author."""

    code: str
    change: dict[str, Any]
    message: str
    fit: tuple[str, tuple[float, ...], str] | None = None  # field, starting values, "log" or "linear"
    label: str = ""
    footprint: tuple[str, ...] | None = None  # the quantities it changes, where its prediction cannot show them
    variant: Variant = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "variant", Variant(**self.change))

    @property
    def claims(self) -> frozenset[str]:
        """The quantities its message speaks of for every problem: for a weight-decay entry, the cost (its
        term in the cost) and the gradients its terms go into; for the others, none beyond what it changes."""
        quantities: set[str] = set()
        for name in set(self.change) & DECAY_FIELDS:
            quantities |= (
                {"cost"} if name.endswith("cost") else {"b1", "b2"} if name.startswith("bias") else {"W1", "W2"}
            )
        return frozenset(quantities)

    def changes(self, value: float | None = None) -> dict[str, Any]:
        """The Variant fields this mistake sets, its fitted field set to ``value``."""
        return dict(self.change) if self.fit is None else {**self.change, self.fit[0]: value}

    def on(self, base: Variant, value: float | None = None) -> Variant:
        """This mistake made on top of ``base`` (another net's settled parts), its fitted field set to ``value``."""
        return replace(base, **self.changes(value))

    def fields(self) -> frozenset[str]:
        """The Variant fields it sets (the fitted one included): two entries that share one cannot both be made."""
        return frozenset(self.change) | ({self.fit[0]} if self.fit else set())


_EPS_GRID = tuple(10.0**e for e in range(-16, 0))
_DECAY = "the cost adds {decay_cost} and d_w1, d_w2 carry {decay_grad}: "
_NAMED_DECAYS = (  # code, cost, gradient, what to say ("spec": the convention's own term)
    ("decay-cw", "c", "c", "the gradient of this cost is 2c·W; {spec_decay}"),
    ("decay-half", "c/2", "c", "consistent with each other, so a finite-difference check passes, but {spec_decay}"),
    ("decay-full", "c", "2c", "consistent with each other, so a finite-difference check passes, but {spec_decay}"),
    ("decay-c-over-2n", "c/(2n)", "c/n", "the decay's share shrinks like 1/n; {spec_decay}, not divided by n"),
    ("decay-grad-missing", "spec", "0", "the gradients leave out the decay term; {spec_decay}"),
    ("decay-missing", "0", "0", "c is ignored; {spec_decay}"),
    ("decay-cost-missing", "0", "spec", "the cost leaves out the decay term; {spec_decay}"),
    ("decay-cost-half", "c/2", "2c", "{spec_decay}"),
)
_COEFFICIENT_TEXT = {
    "c": "c",
    "2c": "2c",
    "4c": "4c",
    "c/2": "(c/2)",
    "c/n": "(c/n)",
    "2c/n": "(2c/n)",
    "c/(2n)": "(c/(2n))",
}


def decay_terms(variant: Variant) -> dict[str, str]:
    """The weight-decay terms of a resolved variant in words: {decay_cost}, {decay_grad}, {bias_decay_*}."""

    def term(coefficient: str, what: str) -> str:
        return (
            f"no {'decay' if 'Σ' in what else 'decay term'}"
            if coefficient == "0"
            else f"{_COEFFICIENT_TEXT[coefficient]}·{what}"
        )

    return {
        "decay_cost": term(variant.decay_cost, "ΣW²"),
        "decay_grad": term(variant.decay_grad, "W"),
        "bias_decay_cost": term(variant.bias_decay_cost, "Σb²"),
        "bias_decay_grad": term(variant.bias_decay_grad, "b"),
    }


def spec_decay(convention: str) -> str:
    """What the chosen penalty convention asks for, in words."""
    if convention == "full":
        return "the spec's cost is c·ΣW², whose gradient is 2c·W"
    return "with --penalty half the cost is (c/2)·ΣW², whose gradient is c·W"


CATALOGUE: tuple[Mistake, ...] = (
    # -- an unfilled template: first, so that zeros are never read as a factor of 0
    Mistake(
        "not-implemented",
        {"zero_grads": True},
        "every gradient is all zeros on every problem: the gradients are not implemented yet (usually a "
        "template's np.zeros_like left in place)",
    ),
    Mistake(
        "not-implemented",
        {"zero_grads": True},
        "every gradient is all zeros and the cost is the same number ({value}) on every problem: "
        "{fn} is not implemented yet (usually a template's placeholders left in place)",
        fit=("const_cost", (0.0,), "linear"),
    ),
    # -- the reduction and the weight decay: errors that scale with n, or with c and W
    Mistake(
        "sum-not-mean",
        {"reduction": "sum", "grad_reduction": "sum"},
        "the cross-entropy part of {names} is n times the mean's on every problem (the error grows with n): "
        "the loss sums over the samples instead of taking the mean",
    ),
    Mistake(
        "grads-not-divided-by-n",
        {"grad_reduction": "sum"},
        "the cross-entropy part of {names} is n times the mean's on every problem (the error grows with n), "
        "while the cost is the mean: the gradients are not divided by n (usually the backward pass starts from "
        "P − Y where the mean's gradient is (P − Y)/n)",
    ),
    *(
        Mistake(code, {"decay_cost": cost, "decay_grad": grad}, _DECAY + hint)
        for code, cost, grad, hint in _NAMED_DECAYS
    ),
    *(
        Mistake(
            "bias-decayed",
            {"bias_decay_grad": grad},
            "d_b1 and d_b2 carry a decay term {bias_decay_grad}: the biases are decayed, but only W1 and W2 are",
        )
        for grad in ("2c", "c")
    ),
    *(
        Mistake(
            "bias-decayed",
            {"bias_decay_grad": grad, "bias_decay_cost": cost},
            "the cost adds {bias_decay_cost} and d_b1, d_b2 carry {bias_decay_grad}: the biases are decayed, "
            "but only W1 and W2 are",
        )
        for cost, grad in (("c", "2c"), ("c/2", "c"))
    ),
    # -- the targets: each twice, with the cost from the same targets or from the right ones
    *(
        Mistake(code, {"targets": targets, "targets_in_cost": in_cost}, text)
        for code, targets, text in (
            (
                "labels-shifted",
                "shift+1",
                "{names} match a net whose labels are shifted by +1 (mod k): the one-hot targets put the 1 in the "
                "wrong column",
            ),
            (
                "labels-shifted",
                "shift-1",
                "{names} match a net whose labels are shifted by −1 (mod k), as with y − 1 on 0-based labels: "
                "the one-hot targets put the 1 in the wrong column",
            ),
            (
                "labels-not-one-hot",
                "raw",
                "{names} match softmax − y with the raw label values broadcast across the k columns: the labels "
                "are not one-hot encoded (the target row must be 1 at column y[i] and 0 elsewhere)",
            ),
            (
                "onehot-broadcast",
                "present",
                "{names} match targets with a 1 in every column whose class occurs anywhere in the batch, in every "
                "row: the one-hot encoding's two index arrays broadcast to (n, n) pairs. The usual causes are "
                "the labels passed in as a column (y[:, np.newaxis] or y.reshape(-1, 1)) and a column of row "
                "numbers (Y[np.arange(n)[:, None], y] = 1); both indices must be 1-D, as in Y[np.arange(n), y] = 1",
            ),
        )
        for in_cost in (True, False)
    ),
    # -- the hidden layer
    Mistake(
        "relu-derivative",
        {"relu_grad": "one"},
        "{names} match a net whose ReLU derivative is taken as 1 everywhere (the backward pass drops the mask): "
        "the derivative of ReLU is 1 where z1 > 0 and 0 elsewhere",
    ),
    Mistake(
        "relu-derivative",
        {"relu_grad": "activation"},
        "{names} match a net whose ReLU derivative is taken as relu(z1), the activation itself: "
        "the derivative of ReLU is 1 where z1 > 0 and 0 elsewhere",
    ),
    Mistake(
        "relu-derivative",
        {"relu_grad": "inverted"},
        "{names} match a net whose ReLU mask is inverted (z1 < 0 instead of z1 > 0): "
        "the derivative of ReLU is 1 where z1 > 0 and 0 elsewhere",
    ),
    Mistake(
        "activation-leaky-relu",
        {"activation": "leaky"},
        "{names} match a net whose hidden activation is a leaky ReLU with slope {value} (max(z, {value}·z)), "
        "consistent in the forward and the backward pass: the spec's hidden activation is ReLU, max(z, 0)",
        fit=("slope", (0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5), "linear"),
    ),
    Mistake(
        "activation-sigmoid",
        {"activation": "sigmoid"},
        "{names} match a net whose hidden activation is the sigmoid 1/(1 + e^−z) (with its derivative s(1 − s)): "
        "the spec's hidden activation is ReLU, max(z, 0)",
    ),
    Mistake(
        "activation-tanh",
        {"activation": "tanh"},
        "{names} match a net whose hidden activation is tanh (with its derivative 1 − tanh²): "
        "the spec's hidden activation is ReLU, max(z, 0)",
    ),
    # -- the gradients as a whole
    Mistake(
        "grads-scaled",
        {},
        "every gradient is {value} times the reference's, on every problem, while the cost is right: the "
        "gradients carry a factor the cost does not explain (a learning rate folded in, a sign flipped for a "
        "descent step, a stray 2); {fn} must return the plain gradient of the cost",
        fit=("grad_scale", (1.0,), "linear"),
    ),
    # -- the cost's log: weaknesses that show most at logits ~1e3
    Mistake(
        "log-eps",
        {},
        "the cost matches −mean log(p_y + {value}): this moves it {cost_shift} on the ordinary problems, and the loss of a "
        "confident mistake is capped at −ln({value}); {grads}. A log-softmax (z − max − log Σ exp(z − max)) is exact",
        fit=("log_eps", _EPS_GRID, "log"),
        label="log(p + {value})",
    ),
    Mistake(
        "cost-clipped",
        {},
        "the cost matches −mean log(clip(p_y, {value}, 1)): the loss of a confident mistake is capped at −ln({value}), and this "
        "moves the cost {cost_shift} on the ordinary problems; {grads}. A log-softmax (z − max − log Σ exp(z − max)) is exact",
        fit=("clip_eps", _EPS_GRID, "log"),
        label="log(clip(p, {value}, 1))",
    ),
    # -- the layout of the returned gradients
    Mistake(
        "transposed",
        {"layout": ("W1.T",)},
        "d_w1 comes back transposed: the gradient of W (in, out) must have W's shape, e.g. X.T @ dz1, not dz1.T @ X",
    ),
    Mistake(
        "transposed",
        {"layout": ("W2.T",)},
        "d_w2 comes back transposed: the gradient of W (in, out) must have W's shape, e.g. a1.T @ dz2, not dz2.T @ a1",
    ),
    Mistake(
        "transposed",
        {"layout": ("W1.T", "W2.T")},
        "d_w1 and d_w2 come back transposed: the gradient of W (in, out) must have W's shape, "
        "e.g. X.T @ dz1, not dz1.T @ X",
    ),
    Mistake(
        "swapped",
        {"layout": ("swap W",)},
        "d_w1 and d_w2 are swapped: each holds the other layer's gradient",
    ),
    Mistake(
        "swapped",
        {"layout": ("swap W.T",)},
        "d_w1 and d_w2 are swapped and transposed: each holds the transpose of the other layer's gradient",
    ),
    Mistake(
        "swapped",
        {"layout": ("swap b",)},
        "d_b1 and d_b2 are swapped: each holds the other layer's gradient",
    ),
    Mistake(
        "shape",
        {"layout": ("b1 shape",)},
        "d_b1 comes back as {b1_other}, not in the shape of b1, {b1_shape}",
    ),
    Mistake(
        "shape",
        {"layout": ("b2 shape",)},
        "d_b2 comes back as {b2_other}, not in the shape of b2, {b2_shape}",
    ),
    Mistake(
        "shape",
        {"layout": ("b1 shape", "b2 shape")},
        "d_b1 and d_b2 come back as {b1_other} and {b2_other}, not in the shapes of b1 and b2, {b1_shape} and "
        "{b2_shape}",
    ),
    Mistake(
        "shape",
        {"layout": ("b1 column",)},
        "d_b1 comes back as a column (h, 1), not in the shape of b1, {b1_shape}",
    ),
    Mistake(
        "shape",
        {"layout": ("b2 column",)},
        "d_b2 comes back as a column (k, 1), not in the shape of b2, {b2_shape}",
    ),
    Mistake(
        "shape",
        {"layout": ("b1 column", "b2 column")},
        "d_b1 and d_b2 come back as columns (h, 1) and (k, 1), not in the shapes of b1 and b2, {b1_shape} and "
        "{b2_shape}",
    ),
    # -- any other pair of weight-decay terms, named by what it is
    *(
        Mistake("decay-other", {"decay_cost": cost, "decay_grad": grad}, _DECAY.rstrip(": ") + "; {spec_decay}")
        for cost in ("0", "c/2", "c", "2c", "c/n", "c/(2n)")
        for grad in ("0", "c/2", "c", "2c", "4c", "c/n", "2c/n")
        if (cost, grad) not in {(c, g) for _, c, g, _ in _NAMED_DECAYS}
    ),
    # last: a float32 net is judged at float32 tolerances, which would also cover the small mistakes above
    Mistake(
        "single-precision",
        {"precision": "float32"},
        "{names} carry rounding errors of up to {size} (normwise, relative), within the rounding of single "
        "precision on every problem: the arithmetic is done in single precision (usually an array created or cast "
        "with dtype float32); keep the inputs' float64",
        footprint=("cost", "W1", "b1", "W2", "b2"),
    ),
)
"""Every known mistake, in the order they are tried (an earlier entry wins a tie)."""

DECAY_FIELDS = frozenset({"decay_cost", "decay_grad", "bias_decay_cost", "bias_decay_grad"})
"""The Variant fields of the weight decay: their effect is all that changes between two probes that differ
only in c, so the engine settles them first (:func:`impl_check.engine.settle_decay`)."""
