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
    step: str = ""  # a generated entry (:data:`GENERATED`): the step of the reference's computation it changes
    variant: Variant = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "variant", Variant(**self.change))

    @property
    def claims(self) -> frozenset[str]:
        """The quantities its message speaks of for every problem: for a weight-decay entry, the cost (its
        term in the cost) and the gradients its terms go into; for the others, none beyond what it changes."""
        quantities: set[str] = set()
        if "decay_weights" in self.change:  # the decay of the weights it names only
            return frozenset({"cost", *self.change["decay_weights"].split()})
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


STEPS = {
    "cost": "cost = −Σ Y·log P / n + c·(ΣW1² + ΣW2²)",
    "dz2": "dz2 = (P − Y)/n",
    "softmax": "P = softmax(z2) over each row",
    "z2": "z2 = relu(z1)·W2 + b2, no activation on z2",
    "d_w2": "d_w2 = a1ᵀ·dz2 + 2c·W2",
    "d_b2": "d_b2 = Σ_rows dz2",
    "mask": "dz1 = (dz2·W2ᵀ) ⊙ (z1 > 0)",
    "d_w1": "d_w1 = Xᵀ·dz1 + 2c·W1",
    "d_b1": "d_b1 = Σ_rows dz1",
    "layout": "d_w1, d_w2 in the shapes of W1 (d, h), W2 (h, k)",
    "decay": "the penalty c·(ΣW1² + ΣW2²) and its gradient 2c·W",
}
"""The steps of the reference's forward and backward pass that the generated families change, as the spec
writes them (P = softmax(z2), z1 = X·W1 + b1, a1 = relu(z1)); ``docs/generated-mistakes.md`` lists them."""

_DIVIDED = {
    "sum": "nothing (a sum over the samples)",
    "n²": "n twice (n²)",
    "k": "k, the number of classes",
    "n·k": "n·k, every entry of the (n, k) matrix (a mean over all of Y·log P)",
}
_BIAS_SUMS = {
    "mean": "takes the mean of {up} over the samples (np.mean(..., axis=0)): {up} is already divided by n, so it "
    "needs the sum over the samples",
    "columns": "sums {up} over axis 1, each sample's row, and comes back as a column (n, 1): it needs the sum "
    "over the samples, axis 0, in the shape {shape}",
    "columns flat": "sums {up} over axis 1, each sample's row, and comes back as (n,): it needs the sum over "
    "the samples, axis 0, in the shape {shape}",
}


def _generated() -> tuple[Mistake, ...]:
    """One entry for each mistake that a step of the reference's computation admits (issue 19), in the order of the
    steps; each message says what the step computes in that file and what it needs."""
    # pragma: no mutate block -- this runs once, at import, to build the entries (data, like the hand-written ones):
    # mutmut forks each mutant's run from a process that has imported this module already, so no mutant here could
    # run. The entries are tested through the fixtures that each one names (tests/test_generated_families.py).
    out = [
        *(
            Mistake(
                "cost-divisor",
                {"reduction": div},
                f"the cost divides its cross-entropy by {what}, not by n: the cost is the mean over the n samples, "
                "−Σ Y·log P / n",
                step="cost",
            )
            for div, what in _DIVIDED.items()
        ),
        *(
            Mistake(
                "grads-not-divided-by-n" if div == "sum" else "grad-divisor",
                {"grad_reduction": div},
                f"{{names}} match a backward pass that divides P − Y by {what}, not by n: the gradient of the mean "
                "cross-entropy starts from dz2 = (P − Y)/n",
                step="dz2",
            )
            for div, what in _DIVIDED.items()
        ),
        Mistake(
            "softmax-axis",
            {"softmax_axis": 0},
            "{names} match a softmax normalised over axis 0, each column across the samples: each sample's row of "
            "scores must be normalised over its k classes (axis=1)",
            step="softmax",
        ),
        Mistake(
            "softmax-axis",
            {"max_axis": "other"},
            "{names} match a softmax that subtracts each column's max (axis 0), not each row's: only one shift for "
            "the whole row leaves a row's softmax unchanged, z2 − z2.max(axis=1, keepdims=True)",
            step="softmax",
        ),
        Mistake(
            "activation-on-scores",
            {"scores_activation": "relu"},
            "{names} match scores passed through the ReLU, relu(a1·W2 + b2), in the forward pass: the softmax "
            "needs the output layer's pre-activation a1·W2 + b2 (only the hidden layer has an activation)",
            step="z2",
        ),
        Mistake(
            "pre-activation",
            {"z2_input": "z1"},
            "{names} match an output layer fed the pre-activation: z2 is computed from X·W1 + b1; it needs the "
            "hidden activation relu(X·W1 + b1)",
            step="z2",
        ),
        Mistake(
            "pre-activation",
            {"w2_input": "z1"},
            "d_w2 is computed from the pre-activation X·W1 + b1; it needs the hidden activation relu(X·W1 + b1)",
            step="d_w2",
        ),
        *(
            Mistake(
                "bias-sum",
                {f"{b}_sum": how},
                f"d_{b} {text.format(up=up, shape='{' + b + '_shape}')}",
                step=f"d_{b}",
            )
            for b, up in (("b2", "dz2"), ("b1", "dz1"))
            for how, text in _BIAS_SUMS.items()
        ),
        Mistake(
            "relu-mask",
            {"relu_grad": "upstream"},
            "{names} match a ReLU mask taken from the wrong tensor, the upstream gradient (dz2·W2ᵀ > 0): the "
            "mask is z1 > 0, from the pre-activation",
            step="mask",
        ),
        Mistake(
            "relu-mask",
            {"relu_grad": "without bias"},
            "{names} match a ReLU mask taken from X·W1 without the bias: the mask is z1 > 0 with z1 = X·W1 + b1",
            step="mask",
        ),
        Mistake(
            "relu-mask",
            {"b1_grad_from": "da1"},
            "d_b1 is summed from dz2·W2ᵀ before the ReLU mask: it needs dz1 = (dz2·W2ᵀ) ⊙ (z1 > 0), as d_w1 does",
            step="d_b1",
        ),
        Mistake(
            "relu-mask",
            {"w1_grad_from": "da1"},
            "d_w1 is computed from dz2·W2ᵀ before the ReLU mask: it needs Xᵀ·dz1 with dz1 = (dz2·W2ᵀ) ⊙ (z1 > 0), as "
            "d_b1 does",
            step="d_w1",
        ),
        # these three are the hand-written relu-derivative entries (merged): the mask dropped, relu(z1), inverted
        *(Mistake("relu-mask", {"relu_grad": grad}, "", step="mask") for grad in ("one", "activation", "inverted")),
        # a missing or extra transpose: where the probes' shapes allow one (h ≠ k, d ≠ h), only on a returned
        # weight gradient, which are the hand-written transposed entries (merged)
        *(
            Mistake("transposed", {"layout": layout}, "", step="layout")
            for layout in (("W1.T",), ("W2.T",), ("W1.T", "W2.T"))
        ),
        *(
            Mistake(
                "decay-one-matrix",
                {"decay_weights": key},
                f"the weight decay covers {key} alone, in the cost and in d_{key.lower()}, and not {other}: "
                "{spec_decay}, with ΣW² over both W1 and W2",
                step="decay",
            )
            for key, other in (("W1", "W2"), ("W2", "W1"))
        ),
        Mistake(
            "decay-l1",
            {"decay_norm": "L1", "decay_cost": "c", "decay_grad": "c"},
            "the cost adds c·Σ|W| and d_w1, d_w2 carry c·sign(W): an L1 penalty; {spec_decay} (L2, squared)",
            step="decay",
        ),
        Mistake(
            "decay-l1",
            {"decay_norm": "L1", "decay_cost": "c/2", "decay_grad": "c/2"},
            "the cost adds (c/2)·Σ|W| and d_w1, d_w2 carry (c/2)·sign(W): an L1 penalty; {spec_decay} (L2, squared)",
            step="decay",
        ),
        # on the biases: the hand-written bias-decayed entries (merged)
        *(
            Mistake("bias-decayed", {"bias_decay_cost": cost, "bias_decay_grad": grad}, "", step="decay")
            for cost, grad in (("0", "2c"), ("0", "c"), ("c", "2c"), ("c/2", "c"))
        ),
    ]
    return tuple(out)


HAND_WRITTEN: tuple[Mistake, ...] = (
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
"""The hand-written entries, in the order they are tried (an earlier entry wins a tie)."""

GENERATED = _generated()
"""The entries generated from the steps of the reference's computation, before the merge."""


def _duplicate(generated: Mistake) -> Mistake | None:
    """The hand-written entry that makes the same net as a generated one (the same Variant), if any."""
    # pragma: no mutate block -- called at import only (the merge below): no mutant here could run (see _generated)
    return next((m for m in HAND_WRITTEN if m.fit is None and m.variant == generated.variant), None)


MERGED: tuple[tuple[Mistake, Mistake], ...] = tuple((g, w) for g in GENERATED if (w := _duplicate(g)) is not None)
"""(generated, hand-written) pairs of the same net: the hand-written entry stays, with its code and message."""

CATALOGUE: tuple[Mistake, ...] = (
    *(m for m in HAND_WRITTEN if m.code != "single-precision"),
    *(g for g in GENERATED if _duplicate(g) is None),
    *(m for m in HAND_WRITTEN if m.code == "single-precision"),
)
"""Every known mistake, in the order they are tried (an earlier entry wins a tie): the hand-written ones, then the
generated ones that no hand-written entry makes, then single precision (last: a float32 net is judged at float32
tolerances, which would also cover the small mistakes before it)."""

DECAY_FIELDS = frozenset(
    {"decay_cost", "decay_grad", "bias_decay_cost", "bias_decay_grad", "decay_weights", "decay_norm"}
)
"""The Variant fields of the weight decay: their effect is all that changes between two probes that differ
only in c, so the engine settles them first (:func:`impl_check.engine.settle_decay`)."""
