"""The engine: judge what a file returned on the probes, then explain the differences with the catalogue.

1. Every returned quantity of every probe is compared with the reference
   under that probe's own tolerance (``scratch_net.tolerance.conditioned_tolerances``:
   64·eps at ordinary logits, more where the problem's conditioning allows
   correct programs to differ by more).
2. The differences are explained by entries of :data:`impl_check.catalogue.CATALOGUE`:
   an entry explains an *item* (a quantity on a probe) when its predicted
   value passes the same tolerance against what the file returned.  On top
   of the weight decay (settled first), one entry that explains everything,
   then a pair, then three at once, then entry by entry, each taking the
   items it changes; what is left is reported as unexplained, located
   (which quantities, which probes).
3. Each explanation's own effect is its prediction on top of the other
   mistakes found against the same without it: the size its message states,
   and what :func:`level` reads.  A finding's level depends on the finding
   alone (its code, the quantities it changes, its own effect on the cost),
   never on the rest of the file.

The engine knows no mistake by name: the catalogue's codes and messages pass
through it.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import numpy as np

from scratch_net import PARAM_KEYS
from scratch_net.tolerance import (
    COST_FLOOR,
    conditioned_tolerances,
    normwise_rel_err,
    softmax_tolerances,
)

from . import reference as ref_mod
from .catalogue import CATALOGUE, DECAY_FIELDS, Mistake
from .probes import SOFTMAX_Z, Problem
from .reference import SPEC, DataPart, Variant
from .result import DIAGNOSIS, NOTE, WARNING, Finding, Row

NAMES = {"cost": "cost", "W1": "d_w1", "b1": "d_b1", "W2": "d_w2", "b2": "d_b2"}
GRADS = PARAM_KEYS  # the gradients, by the parameters' keys
GRAD_NAMES = tuple(NAMES[q] for q in GRADS)  # as the report names them
WARN_COST_SHIFT = 1e-6
"""Largest relative change of the cost, on every ordinary probe, that can be a warning (with exact gradients)."""
ROBUST = "logits ~1e3"

NOTE_CODES = frozenset({"cost-not-finite", "cost-at-large-logits", "softmax-no-max", "softmax-global-max"})
"""Findings about the cost or the module's softmax at logits ~1e3 only, beyond what the assignment asks: notes."""
WARNING_CODES = frozenset({"softmax-wrong", "softmax-vector-only", "softmax-unchecked"})
"""A module softmax that is wrong, or could not be called, where cost_grad's own numbers are judged apart: warnings."""
DIAGNOSIS_CODES = frozenset({"not-implemented", "returns-none"})
"""No number to judge (None, or a template's placeholders): always a diagnosis."""


@dataclass(frozen=True)
class Effect:
    """What a finding changes by itself: any gradient (ordinary problems or logits ~1e3), the cost on the ordinary
    problems (the largest relative shift), anything on the ordinary problems at all."""

    grads: bool = False
    cost_shift: float = 0.0
    ordinary: bool = False


def level(code: str, effect: Effect) -> str:
    """The level of a finding, from the finding alone: the one rule.

    A note concerns only logits ~1e3 (an infinite cost from log(softmax), a
    module softmax that overflows there) where the gradients are right; a
    warning changes no gradient and moves the cost by at most
    :data:`WARN_COST_SHIFT` (relative) on the ordinary problems; anything
    else, a gradient wrong or NaN anywhere (logits ~1e3 included: real inputs
    reach them) or a cost off by more, is a diagnosis.  (Call-level habits,
    printing, are warnings too: :func:`impl_check.checker._call_findings`.)
    """
    if code in NOTE_CODES:
        return NOTE
    if code in WARNING_CODES:
        return WARNING
    if code in DIAGNOSIS_CODES or effect.grads or effect.cost_shift > WARN_COST_SHIFT:
        return DIAGNOSIS
    return WARNING if effect.ordinary else NOTE


def names(quantities: Iterable[str]) -> str:
    """``"d_w1, d_b1 and cost"`` from quantity keys (or names)."""
    out = [NAMES.get(q, q) for q in quantities]
    return out[0] if len(out) == 1 else ", ".join(out[:-1]) + " and " + out[-1]


@dataclass(frozen=True)
class Verdict:
    """One quantity on one probe against an expected value."""

    passed: bool
    err: float | None  # normwise relative error; None when the shapes differ
    tol: float
    index: tuple[int, ...] = ()


def judge(got: np.ndarray, expected: Any, tol: float, floor: float) -> Verdict:
    """Shape first, then the normwise relative error against ``tol``."""
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return Verdict(False, None, tol)
    err = normwise_rel_err(got, expected, floor=floor)
    diff = np.abs(got - expected)
    diff = np.where(np.isnan(diff), np.inf, diff)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), got.shape)) if got.ndim else ()
    return Verdict(bool(err <= tol), err, tol, index)


def passes(got: np.ndarray, expected: Any, tol: float, floor: float) -> bool:
    """``judge(got, expected, tol, floor).passed``, without locating the largest difference (the search's test)."""
    expected = np.asarray(expected, dtype=np.float64)
    return got.shape == expected.shape and bool(normwise_rel_err(got, expected, floor=floor) <= tol)


_REFERENCES: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, float], dict[str, float]]] = {}
"""(problem, interface, convention) -> reference values, tolerances, float32 tolerances."""
_PARTS: dict[tuple[str, tuple[Any, ...]], DataPart] = {}
"""(problem, structure) -> the data part of a mistaken net."""
_PREDICTED: dict[tuple[str, str, str, Variant], dict[str, Any]] = {}
"""(problem, interface, convention, variant) -> :meth:`Probe.predict`'s values, for every file of a run."""
PREDICTED_LIMIT = 20000
"""At most this many in :data:`_PREDICTED` (fitted numbers make new variants without end)."""
_PREDICTED_LOCK = threading.Lock()


@dataclass
class Probe:
    """A problem, what the file returned for it, the reference and the tolerances."""

    problem: Problem
    call: dict[str, Any]  # the worker's report: status, message, output, modified, none
    got: dict[str, np.ndarray]  # returned quantities as float64 arrays (any shape); None-valued ones absent
    interface: str = "course"  # a key of reference.INTERFACES: the layout the values come back in
    convention: str = "full"  # a key of reference.CONVENTIONS: the penalty the reference uses
    ref: dict[str, Any] = field(default_factory=dict)  # cost (float), W1, b1, W2, b2 (course layout)
    tol: dict[str, float] = field(default_factory=dict)  # conditioned tolerance, float64
    tol32: dict[str, float] = field(default_factory=dict)  # the same bound at single precision
    predicted: dict[Variant, dict[str, Any]] = field(default_factory=dict, repr=False)  # predict's cache
    floors: dict[str, float] = field(default_factory=dict, repr=False)  # floor's cache
    ref_verdicts: dict[str, Verdict] = field(default_factory=dict, repr=False)  # ref_verdict's cache

    @classmethod
    def build(
        cls,
        problem: Problem,
        call: dict[str, Any],
        got: dict[str, np.ndarray],
        interface: str = "course",
        convention: str = "full",
    ) -> Probe:
        probe = cls(problem, call, got, interface, convention)
        key = (problem.name, interface, convention)
        if key not in _REFERENCES:  # the same for every file of a run: computed once
            p = problem
            cost, grads = ref_mod.reference(p.X, p.y, p.params, p.c, convention)
            c = p.c if convention == "full" else p.c / 2  # the (c/2)·ΣW² convention is the spec's at c/2
            _REFERENCES[key] = (
                ref_mod.interface_layout({"cost": cost, **grads}, interface),
                conditioned_tolerances(p.X, p.y, p.params, c, np.float64),
                conditioned_tolerances(p.X, p.y, p.params, c, np.float32),
            )
        probe.ref, probe.tol, probe.tol32 = _REFERENCES[key]
        return probe

    @property
    def ok(self) -> bool:
        return self.call["status"] == "ok"

    @property
    def name(self) -> str:
        return self.problem.name

    def predict(self, variant: Variant, remember: bool = True) -> dict[str, Any]:
        """What a file with ``variant``'s mistakes returns on this probe (computed once per variant).

        ``remember=False``: computed where no cache has it, and not kept (a fit's steps: numbers of this file's
        alone, which would push the run's shared predictions out of :data:`_PREDICTED`)."""
        known = self.predicted.get(variant)
        if known is not None:
            return known
        p = self.problem
        shared = (p.name, self.interface, self.convention, variant)
        out = _PREDICTED.get(shared)
        if out is None:  # the same on every file of a run: shared by its files, the oldest forgotten first
            key = (p.name, variant.structure)
            if key not in _PARTS:  # a mistaken net's data part does not depend on the file: shared by a run's files
                _PARTS[key] = ref_mod.data_part(p.X, p.y, p.params, variant.structure)
            values = ref_mod.assemble(variant, _PARTS[key], p.params, p.c, p.n, self.convention)
            out = ref_mod.apply_layout(variant, values, self.interface)
            if not remember:
                return out
            with _PREDICTED_LOCK:  # a class's files are checked in threads (impl_check.batch)
                while len(_PREDICTED) >= PREDICTED_LIMIT:
                    del _PREDICTED[next(iter(_PREDICTED))]
                _PREDICTED[shared] = out
        self.predicted[variant] = out
        return out

    def floor(self, q: str) -> float:
        """The scale below which errors in ``q`` are absolute: the reference's own size (the cost: at least 1).

        So a prediction is held to the rounding of the reference's scale,
        whatever its own size (a mistaken net's cost at logits ~1e3 can be
        1.3 where the reference's is 1e3, with the same rounding in it).
        """
        if q not in self.floors:
            self.floors[q] = max(float(np.max(np.abs(self.ref[q]))), COST_FLOOR if q == "cost" else 0.0)
        return self.floors[q]

    def verdict(self, q: str, expected: Any, precision: str = "float64") -> Verdict:
        """What the file returned for ``q`` against ``expected``, under this probe's tolerance."""
        tol = (self.tol32 if precision == "float32" else self.tol)[q]
        return judge(self.got[q], expected, tol, self.floor(q))

    def ref_verdict(self, q: str) -> Verdict:
        """``verdict(q, self.ref[q])``, computed once (the search and every fit ask for it)."""
        known = self.ref_verdicts.get(q)
        if known is None:
            known = self.ref_verdicts[q] = self.verdict(q, self.ref[q])
        return known

    def passes(self, q: str, expected: Any, precision: str = "float64") -> bool:
        """``verdict(q, expected, precision).passed``, without locating the largest difference."""
        return passes(self.got[q], expected, (self.tol32 if precision == "float32" else self.tol)[q], self.floor(q))

    def differs(self, q: str, value: Any, against: Any = None) -> bool:
        """Does ``value`` (a prediction) differ from the reference (or from ``against``) beyond the tolerance?"""
        expected = self.ref[q] if against is None else against
        return not passes(np.asarray(value, dtype=np.float64), expected, self.tol[q], self.floor(q))


Item = tuple[int, str]  # (index of the probe in the scope, quantity)


@dataclass
class Scope:
    """The probes that returned, and the items judged on them."""

    probes: list[Probe]  # the ordinary probes that returned, then the robust one if it returned
    judged: tuple[str, ...]  # the quantities returned (not None) on every ordinary probe
    _items: tuple[Item, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def items(self) -> list[Item]:
        """Every judged quantity of every ordinary probe, and the finite ones at logits ~1e3."""
        if self._items is None:  # the search asks again and again
            self._items = tuple(
                (i, q)
                for i, p in enumerate(self.probes)
                for q in self.judged
                if not p.problem.robust or (q in p.got and np.all(np.isfinite(p.got[q])))
            )
        return list(self._items)

    @property
    def robust_cost(self) -> Item | None:
        """The cost at logits ~1e3, where a capped or rounded log shows most (when it is judged)."""
        last = len(self.probes) - 1
        item = (last, "cost")
        return item if self.probes[last].problem.robust and item in self.items() else None

    def failing(self) -> set[Item]:
        return {(i, q) for i, q in self.items() if not self.probes[i].ref_verdict(q).passed}


@dataclass
class Explanation:
    """A catalogue entry, the variant it was fitted to, and the items it explains."""

    mistake: Mistake
    variant: Variant
    items: set[Item]
    value: float | None = None
    alternatives: list[str] = field(default_factory=list)  # labels of other entries with the same numbers
    cost_shift: float = 0.0  # its own effect on the cost: the largest relative shift on the ordinary probes (signed)
    cost_visible: bool = False  # does that shift exceed the cost's tolerance on some ordinary probe?
    size: float = 0.0  # the largest normwise error of its items against the net with every other mistake found

    @property
    def changes(self) -> dict[str, Any]:
        return self.mistake.changes(self.value)

    @property
    def effect(self) -> Effect:
        """Its own effect, for :func:`level`."""
        return Effect(
            grads=any(q in GRADS for _, q in self.items),
            cost_shift=abs(self.cost_shift),
            ordinary=self.cost_visible or any(q != "cost" for _, q in self.items),
        )


def _predictions(scope: Scope, variant: Variant, items: Iterable[Item]) -> dict[Item, Any]:
    cache: dict[int, dict[str, Any]] = {}
    out = {}
    for i, q in items:
        if i not in cache:
            cache[i] = scope.probes[i].predict(variant)
        out[(i, q)] = cache[i][q]
    return out


def _agrees(scope: Scope, variant: Variant, items: Iterable[Item]) -> bool:
    """Does ``variant`` reproduce the file on every item (stops at the first that it does not)?"""
    cache: dict[int, dict[str, Any]] = {}
    for i, q in items:
        if i not in cache:
            cache[i] = scope.probes[i].predict(variant)
        if not scope.probes[i].passes(q, cache[i][q], variant.precision):
            return False
    return True


_FOOTPRINTS: dict[tuple[Any, ...], frozenset[Item]] = {}
"""(probes, items, variant, base) -> :func:`_footprint`: it depends on the probes, never on the file's numbers, so
a run's files share it (the catalogue's generated families make the search's footprints most of its work)."""


def _footprint(scope: Scope, mistake: Mistake, variant: Variant, items: list[Item], base: Variant = SPEC) -> set[Item]:
    """The items whose value the mistake changes: where its prediction differs from ``base``'s (the reference's)."""
    if mistake.footprint is not None:
        return {(i, q) for i, q in items if q in mistake.footprint}
    probes = tuple((p.name, p.interface, p.convention) for p in scope.probes)
    key = (probes, tuple(items), variant, base)
    known = _FOOTPRINTS.get(key)
    if known is not None:
        return set(known)
    predicted = _predictions(scope, variant, items)
    if base == SPEC:
        found = {(i, q) for (i, q), value in predicted.items() if scope.probes[i].differs(q, value)}
    else:
        against = _predictions(scope, base, items)
        found = {(i, q) for (i, q), value in predicted.items() if scope.probes[i].differs(q, value, against[(i, q)])}
    with _PREDICTED_LOCK:
        while len(_FOOTPRINTS) >= PREDICTED_LIMIT:
            del _FOOTPRINTS[next(iter(_FOOTPRINTS))]
        _FOOTPRINTS[key] = frozenset(found)
    return found


def _fit(scope: Scope, mistake: Mistake, items: list[Item], base: Variant) -> tuple[Variant, float] | None:
    """Estimate the entry's free number on the probe that shows the difference most (Gauss-Newton)."""
    assert mistake.fit is not None
    fld, grid, space = mistake.fit

    def deviation(i: int) -> float:
        p = scope.probes[i]
        total = 0.0
        for j, q in items:
            if j == i:
                v = p.ref_verdict(q)
                total += np.inf if v.err is None else min(v.err / v.tol, 1e12)
        return total

    # a probe at c = 0 if one shows it: there no weight-decay term, right or wrong, mixes into the fit
    undecayed = [j for j in {j for j, _ in items} if scope.probes[j].problem.c == 0 and deviation(j) > 0]
    i = max(undecayed or {j for j, _ in items}, key=deviation)
    probe = scope.probes[i]
    # a quantity returned in a shape the entry does not predict (a transposed d_w2 beside the fitted mistake)
    # cannot inform the fit: the number is fitted on the others, and the candidate is judged on every item after
    shapes = {q: np.shape(v) for q, v in probe.predict(_on(mistake, base, grid[0]), False).items()}
    quantities = [q for j, q in items if j == i and shapes.get(q) == probe.got[q].shape]
    if not quantities:
        return None
    scales = {q: max(probe.floor(q), 1e-300) for q in quantities}

    def residual(t: float, remember: bool = False) -> np.ndarray | None:
        value = float(np.exp(t)) if space == "log" else t
        predicted = probe.predict(_on(mistake, base, value), remember)  # the grid's starts are every file's
        parts = []
        for q in quantities:
            pred = np.asarray(predicted[q], dtype=np.float64)
            if pred.shape != probe.got[q].shape:
                return None
            parts.append(((pred - probe.got[q]) / scales[q]).ravel())
        r = np.concatenate(parts)
        return r if np.all(np.isfinite(r)) else None

    starts = [(float(np.log(g)) if space == "log" else g) for g in grid]
    scored = [(float(np.dot(r, r)), t) for t in starts if (r := residual(t, True)) is not None]
    if not scored:
        return None
    t = min(scored)[1]
    for _ in range(60):
        r0 = residual(t)
        h = 1e-6 * max(abs(t), 1.0)
        r_plus, r_minus = residual(t + h), residual(t - h)
        if r0 is None or r_plus is None or r_minus is None:
            return None
        jac = (r_plus - r_minus) / (2 * h)
        jj = float(np.dot(jac, jac))
        if jj == 0.0:
            break
        step = -float(np.dot(jac, r0)) / jj
        t += step
        if abs(step) <= 1e-15 * max(abs(t), 1.0):
            break
    value = float(np.exp(t)) if space == "log" else t
    return _on(mistake, base, value), value


def _on(mistake: Mistake, base: Variant, value: float | None = None) -> Variant:
    """``mistake.on(base, value)``, made by :func:`impl_check.reference.changed` (the search makes many)."""
    return ref_mod.changed(base, mistake.changes(value))


def _candidate(scope: Scope, mistake: Mistake, base: Variant) -> tuple[Variant, float | None, list[Item]] | None:
    items = scope.items()
    if mistake.fit is None:
        return _on(mistake, base), None, items
    fitted = _fit(scope, mistake, items, base)
    return None if fitted is None else (fitted[0], fitted[1], items)


def _same_but_c(a: Problem, b: Problem) -> bool:
    return a.X is b.X and a.params is b.params and a.c != b.c and not (a.robust or b.robust)


def settle_decay(scope: Scope, catalogue: tuple[Mistake, ...] = CATALOGUE) -> Mistake | None | bool:
    """The file's weight decay, from probes that differ only in c (all else cancels in their difference).

    Returns
    -------
    True when it is the convention's own, the catalogue entry whose decay it is, or None when no entry's is
    (then the decay is not settled, and the search tries the decay entries like any other).
    """
    pairs = [
        (i, j)
        for i, j in itertools.combinations(range(len(scope.probes)), 2)
        if _same_but_c(scope.probes[i].problem, scope.probes[j].problem)
    ]
    if not pairs:
        return None
    spec = SPEC.resolved(scope.probes[0].convention)
    options: list[Mistake | None] = [None]
    options += [m for m in catalogue if m.fit is None and m.change and set(m.change) <= DECAY_FIELDS]
    for option in options:
        variant = SPEC if option is None else option.variant
        if option is not None and variant.resolved(scope.probes[0].convention) == spec:
            continue
        if all(_difference_agrees(scope, variant, i, j) for i, j in pairs):
            return True if option is None else option
    return None


def _difference_agrees(scope: Scope, variant: Variant, i: int, j: int) -> bool:
    """Does the file change between probes i and j (the same problem at two c) as ``variant`` does?"""
    a, b = scope.probes[i], scope.probes[j]
    pred_a, pred_b = a.predict(variant), b.predict(variant)
    for q in scope.judged:
        got_a, got_b = a.got[q], b.got[q]
        if q in ("b1", "b2") and got_a.size == np.size(pred_a[q]) and got_b.size == np.size(pred_b[q]):
            # a bias in another shape of its size is the same vector: its layout is found later
            got_a, got_b = got_a.reshape(np.shape(pred_a[q])), got_b.reshape(np.shape(pred_b[q]))
        if got_a.shape != np.shape(pred_a[q]) or got_b.shape != np.shape(pred_b[q]):
            return False
        change = (got_b - got_a) - (np.asarray(pred_b[q]) - np.asarray(pred_a[q]))
        allowed = a.tol[q] * a.floor(q) + b.tol[q] * b.floor(q)  # each value may err by its tolerance
        if not np.all(np.abs(change) <= allowed):
            return False
    return True


def explain(scope: Scope, failing: set[Item], catalogue: tuple[Mistake, ...] = CATALOGUE) -> list[Explanation]:
    """The entries that explain the failing items, each with its own effect.

    First the weight decay, settled from probes that differ only in c; then,
    on top of it, one entry that explains everything left, else a pair, else
    three, else entry by entry (the largest first).  A mistake that also
    scales the decay (a factor on every gradient) or hides it (zero
    gradients) makes the settled decay look wrong: so the search without
    settling runs too, and the explanation that leaves fewer items
    unexplained wins, then the one with fewer findings, then the settled one
    (the two searches go side by side and stop early: :func:`_either`).
    """
    settled = settle_decay(scope, catalogue)
    if isinstance(settled, Mistake):
        best = _either(failing, _Search(scope, failing, catalogue, settled), _Search(scope, failing, catalogue, None))
    else:
        best = _Search(scope, failing, catalogue, settled).result()
    for e in best:
        _own_effect(scope, best, e)
    return best


def _either(failing: set[Item], on: _Search, off: _Search) -> list[Explanation]:
    """``min(on.result(), off.result(), key=score)`` (ties to ``on``, the settled decay), without running both.

    Every stage of a search that succeeds has the same score,
    :meth:`_Search.stage_score`: so the stages of both go in the order of
    their scores (``on`` first at a tie), and the first full explanation
    beats every later stage of the other search.  Only the other's fallback
    can still beat it, and only where every later stage of the other fails:
    that is checked, cheapest first, before the first is taken.
    """

    def score(found: list[Explanation]) -> tuple[int, int]:
        return len(failing - set().union(*(e.items for e in found))), len(found)

    order = sorted(
        [(on, 0), *((search, size) for size in (1, 2, 3) for search in (on, off))],
        key=lambda stage: (stage[0].stage_score(stage[1]), stage[0] is off),
    )
    for position, (search, size) in enumerate(order):
        found = search.stage(size)
        if found is None:
            continue
        other = off if search is on else on
        theirs, found_wins_ties = score(found), other is off  # on wins a tie
        least = other.fallback_floor()
        if least > theirs or (found_wins_ties and least == theirs):
            return found
        fallback = score(other.fallback())
        if fallback > theirs or (found_wins_ties and fallback == theirs):
            return found
        if any(other.stage(s) is not None for o, s in order[position + 1 :] if o is other):
            return found
        return other.fallback()
    return min(on.fallback(), off.fallback(), key=score)


def combined(explanations: Iterable[Explanation]) -> Variant:
    """The net with every one of these mistakes."""
    changes: dict[str, Any] = {}
    for e in explanations:
        changes.update(e.changes)
    return ref_mod.changed(SPEC, changes)


def _own_effect(scope: Scope, found: list[Explanation], e: Explanation) -> None:
    """Set e's own effect: its prediction on top of the other mistakes found against the same without it."""
    others = combined(x for x in found if x is not e)
    both = combined(found)
    shifts = []
    for p in scope.probes:
        if p.problem.robust:
            continue
        with_e, without = p.predict(both)["cost"], p.predict(others)["cost"]
        scale = max(abs(p.ref["cost"]), COST_FLOOR)
        shifts.append((with_e - without) / scale)
        e.cost_visible |= abs(with_e - without) > p.tol["cost"] * p.floor("cost")
    e.cost_shift = max(shifts, key=abs, default=0.0)
    errors = []
    for i, q in e.items:
        p = scope.probes[i]
        expected = p.predict(others)[q]
        if p.got[q].shape == np.shape(expected):
            errors.append(normwise_rel_err(p.got[q], np.asarray(expected, dtype=np.float64), floor=p.floor(q)))
    e.size = max(errors, default=0.0)


Candidate = tuple[Mistake, Variant, "float | None", list[Item]]


class _Search:
    """The search on top of a settled decay (or none): its stages one at a time (:meth:`stage`), then
    :meth:`fallback`; the candidates, their fitted numbers and footprints are computed where first needed."""

    def __init__(
        self, scope: Scope, failing: set[Item], catalogue: tuple[Mistake, ...], settled: Mistake | None | bool
    ) -> None:
        self.scope, self.catalogue, self.settled = scope, catalogue, settled
        self.base: Variant = SPEC
        self.explained: list[Explanation] = []
        self.failing = self.everything = failing
        if isinstance(settled, Mistake):
            self.base = settled.variant
            self.explained.append(
                Explanation(settled, self.base, _footprint(scope, settled, self.base, scope.items()) & failing)
            )
            self.failing = {(i, q) for i, q in failing if not _agrees(scope, self.base, [(i, q)])}
        self._candidates: list[Candidate] | None = None
        self._known: dict[int, set[Item]] = {}
        self._agrees_by: dict[tuple[str, frozenset[int]], bool] = {}
        self._fallback: list[Explanation] | None = None

    def stage_score(self, size: int) -> tuple[int, int]:
        """The score of this search's stage ``size`` where it succeeds: the items it can never explain (neither
        settled nor failing on top of the settled decay), and its number of findings."""
        covered = set().union(*(e.items for e in self.explained))
        return len(self.everything - covered - self.failing), len(self.explained) + size

    def fallback_floor(self) -> tuple[int, int]:
        """No score of :meth:`fallback` is lower: a failing item on top of the settled decay needs an entry."""
        covered = set().union(*(e.items for e in self.explained))
        return self.stage_score(0)[0], len(self.explained) + (1 if self.failing - covered else 0)

    def result(self) -> list[Explanation]:
        """The first stage that explains everything, else the fallback."""
        for size in range(4):
            found = self.stage(size)
            if found is not None:
                return found
        return self.fallback()

    @property
    def candidates(self) -> list[Candidate]:
        if self._candidates is None:
            convention = self.scope.probes[0].convention
            spec = SPEC.resolved(convention)
            self._candidates = []
            for mistake in self.catalogue:
                if self.settled is not None and set(mistake.change) & DECAY_FIELDS:
                    continue  # the decay is settled
                if not mistake.fit and mistake.variant.resolved(convention) == spec:
                    continue  # the chosen convention itself
                found = _candidate(self.scope, mistake, self.base)
                if found is not None:
                    self._candidates.append((mistake, *found))
        return self._candidates

    def footprint(self, k: int) -> set[Item]:  # computed where needed: a single entry usually explains the file
        if k not in self._known:
            m, v, _, items = self.candidates[k]
            self._known[k] = _footprint(self.scope, m, v, items, self.base)
        return self._known[k]

    def with_alternatives(self, e: Explanation) -> Explanation:
        for k, (m, v, value, _items) in enumerate(self.candidates):
            if m.label and m.code != e.mistake.code and self.footprint(k) == e.items:
                if _agrees(self.scope, v, sorted(e.items)):
                    e.alternatives.append(m.label.format(value=f"{value:.3g}" if value is not None else ""))
        return e

    def stage(self, size: int) -> list[Explanation] | None:
        """``size`` entries on top of the settled decay that explain every failing item, or None.

        0: the settled decay alone; 1: one entry that reproduces every item,
        changing only failing ones; 2, 3: entries that change different
        fields, each changing some failing item (:func:`_combination`).
        """
        scope, failing, explained = self.scope, self.failing, self.explained
        if size == 0:
            return list(explained) if explained and not failing else None
        if size == 1:
            for k, (mistake, variant, value, items) in enumerate(self.candidates):
                if failing <= set(items) and _agrees(scope, variant, items):
                    if self.footprint(k) <= failing:
                        return [*explained, self.with_alternatives(Explanation(mistake, variant, failing, value))]
            return None
        footprints = [self.footprint(k) for k in range(len(self.candidates))]
        together = _combination(scope, failing, self.base, self.candidates, footprints, size, self._agrees_by)
        return None if together is None else [*explained, *together]

    def fallback(self) -> list[Explanation]:
        """Entry by entry, the largest first: each takes the failing items it changes, if it reproduces exactly
        those.  The cost at logits ~1e3 may be left to a later entry: a capped log there is a weakness of its own."""
        if self._fallback is not None:
            return self._fallback
        scope = self.scope
        explained = list(self.explained)
        footprints = [self.footprint(k) for k in range(len(self.candidates))]
        left = set(self.failing)
        rc = scope.robust_cost
        ranked = sorted(zip(self.candidates, footprints), key=lambda c: -len(c[1]))
        for (mistake, variant, value, items), changed in ranked:
            if not left:
                break
            core = (changed - {rc}) if rc is not None and changed - {rc} else changed
            claimed = {(i, q) for i, q in items if q in mistake.claims and (i, q) != rc}  # what its message says
            if not core or not core <= left or not _agrees(scope, variant, sorted(core | claimed)):
                continue
            take = set(core)
            if rc is not None and rc in changed and rc not in core and rc in left and _agrees(scope, variant, [rc]):
                take.add(rc)
            explained.append(self.with_alternatives(Explanation(mistake, variant, take, value)))
            left -= take
        self._fallback = explained
        return explained


def _combination(
    scope: Scope,
    failing: set[Item],
    base: Variant,
    candidates: list[Candidate],
    footprints: list[set[Item]],
    size: int,
    agrees_by: dict[tuple[str, frozenset[int]], bool],
) -> list[Explanation] | None:
    """``size`` (two or three) entries that together reproduce every item, each changing some failing item, all of them
    the failing ones: first those without a free number, then with one (its number fitted again on top of the
    others where they reproduce everything it does not change).

    Pruned before any prediction: entries whose footprint misses the failing items, entries that set the same
    field, combinations whose footprints do not cover the failing items, triples of more than one generated entry;
    and each quantity of a combination is judged once for each set of its entries that change that quantity (the
    others cannot move it).
    """
    items = scope.items()
    useful = [k for k, changed in enumerate(footprints) if changed & failing]
    by_quantity = {q: [(i, q_) for i, q_ in items if q_ == q] for q in dict.fromkeys(q for _, q in items)}
    movers = {q: {k for k in useful if any(q_ == q for _, q_ in footprints[k])} for q in by_quantity}
    generated = {k for k in useful if candidates[k][0].step}

    # the fields each entry sets, the failing items it changes and whether it is generated, each as bits (the
    # triples are hundreds of thousands: set operations on them were most of this function's own time)
    names = {name: 1 << n for n, name in enumerate(sorted(set().union(*(candidates[k][0].fields() for k in useful))))}
    fields = {k: sum(names[name] for name in candidates[k][0].fields()) for k in useful}
    order = sorted(failing)
    covers = {k: sum(1 << order.index(item) for item in footprints[k] & failing) for k in useful}  # as bits
    every = (1 << len(order)) - 1
    is_generated = {k: int(k in generated) for k in useful}

    def combinations() -> Iterator[tuple[int, ...]]:
        """``itertools.combinations(useful, size)``, in its order, of compatible entries that cover the failing
        items."""
        for x, a in enumerate(useful):
            for y in range(x + 1, len(useful)):
                b = useful[y]
                if fields[a] & fields[b]:
                    continue
                if size == 2:
                    if covers[a] | covers[b] == every:
                        yield a, b
                    continue
                ab_fields, ab_covers, ab_generated = (
                    fields[a] | fields[b],
                    covers[a] | covers[b],
                    is_generated[a] + is_generated[b],
                )
                for c in useful[y + 1 :]:
                    if (
                        not fields[c] & ab_fields
                        and ab_covers | covers[c] == every
                        and ab_generated + is_generated[c] <= 1  # one generated entry at most (time)
                    ):
                        yield a, b, c

    made: dict[tuple[int, ...], Variant] = {}

    def variant_of(ks: Iterable[int], fitted: dict[int, float | None] | None = None) -> Variant:
        if fitted is None:
            key = tuple(sorted(ks))
            if key not in made:
                made[key] = variant_of(key, {})
            return made[key]
        changes: dict[str, Any] = {}
        for k in ks:
            mistake, _, value, _ = candidates[k]
            changes.update(mistake.changes(value if fitted is None or k not in fitted else fitted[k]))
        return ref_mod.changed(base, changes)

    def accept(ks: tuple[int, ...], variant: Variant, values: dict[int, float | None]) -> list[Explanation] | None:
        own = []
        for k in ks:
            mistake = candidates[k][0]
            if k in values:  # refitted: its footprint at the new number
                mine = _footprint(scope, mistake, _on(mistake, base, values[k]), items, base) & failing
            else:
                mine = footprints[k] & failing
            if not mine:
                return None
            own.append(mine)
        if set().union(*own) != failing:
            return None
        return [
            Explanation(
                candidates[k][0],
                _on(candidates[k][0], base, values.get(k, candidates[k][2])),
                mine,
                values.get(k, candidates[k][2]),
            )
            for k, mine in zip(ks, own)
        ]

    combos = list(combinations())
    fitted = {k: int(candidates[k][0].fit is not None) for k in useful}
    plain = [ks for ks in combos if not any(fitted[k] for k in ks)]
    one_fitted = [ks for ks in combos if sum(fitted[k] for k in ks) == 1]

    bit = {k: 1 << n for n, k in enumerate(useful)}
    mover_bits = {q: sum(bit[k] for k in movers[q]) for q in by_quantity}
    seen: dict[tuple[str, int], bool] = {}  # agrees_by's answers here, by the entries' bits (no set to build)

    def agrees_on(q: str, ks: tuple[int, ...], bits: int) -> bool:
        """The combination on the items of ``q``, judged once for each set of its entries that change ``q``."""
        known = seen.get((q, bits & mover_bits[q]))
        if known is None:
            key = (q, frozenset(ks) & movers[q])
            known = agrees_by.get(key)
            if known is None:
                known = agrees_by[key] = _agrees(scope, variant_of(key[1]), by_quantity[q])
            seen[(q, bits & mover_bits[q])] = known
        return known

    for ks in plain:
        bits = bit[ks[0]] | bit[ks[1]] | (bit[ks[2]] if len(ks) > 2 else 0)
        if not all(agrees_on(q, ks, bits) for q in by_quantity):
            continue
        if _agrees(scope, variant_of(ks), items):
            found = accept(ks, variant_of(ks), {})
            if found is not None:
                return found
    for ks in one_fitted:
        (f,) = [k for k in ks if candidates[k][0].fit is not None]
        if _agrees(scope, variant_of(ks), items):
            found = accept(ks, variant_of(ks), {})
            if found is not None:
                return found
        rest = [k for k in ks if k != f]
        if len(rest) > 1:
            continue  # its number is fitted again on top of one other entry, not two (time)
        outside = [item for item in items if item not in footprints[f]]
        if not _agrees(scope, variant_of(rest), outside):
            continue
        refit = _fit(scope, candidates[f][0], items, variant_of(rest))
        if refit is not None and _agrees(scope, refit[0], items):
            found = accept(ks, refit[0], {f: refit[1]})
            if found is not None:
                return found
    return None


# The softmax row of a module softmax that normalises each column: right where the file keeps samples as columns.
COLUMNS_NOTE = "normalises each column: samples as columns"


def softmax_row(info: dict[str, Any] | None, arrays: dict[str, np.ndarray]) -> tuple[Row | None, Finding | None]:
    """The module's own softmax on rows that expose a missing or a global max, judged per row by its conditioning.

    It is tried on the 2-D array (rows = samples), row by row (a softmax
    written for one vector) and on the transpose (samples as columns).
    """
    if info is None:
        return None, None
    got = arrays.get("softmax")
    if got is None and "softmax_rows" not in arrays:
        messages = "; ".join(dict.fromkeys(info.get("messages", [])))  # each message once
        return Row("softmax", "WARN", note="could not be called"), Finding(
            "softmax-unchecked", f"the module's softmax could not be checked: {messages}", ("softmax",)
        )
    expected = ref_mod.softmax_rows(SOFTMAX_Z)
    tols = softmax_tolerances(SOFTMAX_Z, np.float64)

    def rows_ok(out: np.ndarray | None) -> list[bool] | None:
        if out is None:
            return None
        return [judge(o, e, t, 0.0).passed for o, e, t in zip(out, expected, tols)]

    outputs = {
        "2-D": got,
        "columns": None if arrays.get("softmax_columns") is None else arrays["softmax_columns"].T,
        "rows": arrays.get("softmax_rows"),
    }
    layouts = {name: rows_ok(out) for name, out in outputs.items()}
    # the row shows the layout that passed, else the 2-D call (else the row-by-row one)
    shown_as = next(
        (name for name, ok in layouts.items() if ok is not None and all(ok)), "2-D" if got is not None else "rows"
    )
    shown = outputs[shown_as]
    assert shown is not None
    verdicts = [judge(o, e, t, 0.0) for o, e, t in zip(shown, expected, tols)]
    worst = max(range(len(verdicts)), key=lambda r: (verdicts[r].err or 0.0) / verdicts[r].tol)
    v = verdicts[worst]
    j = v.index[0]

    def row(result: str, note: str = "") -> Row:
        return Row(
            "softmax",
            result,
            v.err,
            v.tol,
            "softmax rows",
            (worst, j),
            float(shown[worst, j]),
            float(expected[worst, j]),
            note,
        )

    if layouts["2-D"] is not None and all(layouts["2-D"]):
        return row("PASS"), None
    if layouts["columns"] is not None and all(layouts["columns"]):
        return row("PASS", COLUMNS_NOTE), None
    show = lambda r: "[" + ", ".join(f"{x:.3g}" for x in r) + "]"  # noqa: E731
    if layouts["rows"] is not None and all(layouts["rows"]):
        detail = f" (softmax([0, 1, 2]) next to [1000, 0, −1000] gives {show(got[1])})" if got is not None else ""
        return row("FAIL", "right on one vector at a time, wrong on a 2-D array"), Finding(
            "softmax-vector-only",
            f"softmax is right on one vector at a time, but not on a 2-D array of rows{detail}: "
            "a batch needs each row's own max and sum (axis=1, keepdims=True)",
            ("softmax",),
        )
    bad = [not ok for ok in (layouts[shown_as] or [])]
    # each named cause is a NaN or an inf where it says (exp overflowing, a 0/0); a row that is merely off (a
    # softmax in float32, say) is not one of them
    broken = [not np.isfinite(r).all() for r in shown]
    if bad[0] and not bad[1] and broken[0]:
        return row("FAIL"), Finding(
            "softmax-no-max",
            f"softmax([1000, 0, −1000]) gives {show(shown[0])} instead of [1, 0, 0]: exp overflows because no max "
            "is subtracted; subtract each row's max first",
            ("softmax",),
        )
    if bad[1] and not bad[0] and broken[1]:
        return row("FAIL"), Finding(
            "softmax-global-max",
            f"softmax([0, 1, 2]) next to a row [1000, 0, −1000] gives {show(shown[1])}: the softmax subtracts the "
            "global max, so a row far below it becomes 0/0; subtract each row's own max",
            ("softmax",),
        )
    rows = [str(r) for r, b in enumerate(bad) if b]
    return row("FAIL"), Finding(
        "softmax-wrong",
        f"the module's softmax is wrong on rows {', '.join(rows)} of [[1000, 0, −1000], [0, 1, 2], "
        f"[−1000, −999, −998]] beyond the rounding those logits allow ({v.tol:.1e}): got {show(shown[worst])} "
        f"on row {worst}, expected {show(expected[worst])}",
        ("softmax",),
    )
