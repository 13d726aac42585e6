"""Batched examples (issue 14): one Hypothesis example standing for a batch of instances.

Hypothesis's per-example cost (choice recording, spans, the database, ``target()``'s Pareto
front) is about 7 ms on the Section 3 points, against ~0.15 ms to evaluate a claim. A *batch*
draws the structure of an instance once (loss, n, d, f_θ, corner, array styles and scales, see
``strategies.model.PointRecipe``) and expands B instances from seeds derived from the drawn ones,
so one example yields B evaluated instances. Member 0 is exactly the unbatched draw (the batch's
choices are the point's, plus one trailing "batch" choice whose shrink target, 0, stands for
member 0 alone), so shrinking a failing batch reaches what shrinking the point reaches.

``batched(strategy, size)`` turns a strategy tree into a strategy of ``Batch`` es: a ``points()``
strategy (or another recipe-backed one: ``scaled_arrays``, ``theorem1_attaining_points``) expands
into full batches; ``.map(f)`` maps every member; ``one_of`` batches each branch, so each branch
keeps its share of the Hypothesis examples and a corner's batch is all from that corner; a
constructed family written as an ``st.composite`` over such strategies is *replayed*: its
function runs once on the real draws (member 0), then once per member with its recipe-backed
draws expanded for that member and every other draw replayed as drawn — the family's
construction applied to each member (a member whose replay takes another path is dropped). Any
other strategy yields batches of one. Members identical to an earlier one are dropped (they are
not new instances). Returns None when nothing in the tree can be batched. Only strategies marked
with ``batch_searched`` are batched by the engine (``marked``): a claim opts in where its
evaluation is cheap next to generation.
"""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import UnsatisfiedAssumption
from hypothesis.strategies._internal.core import CompositeStrategy
from hypothesis.strategies._internal.lazy import LazyStrategy
from hypothesis.strategies._internal.strategies import MappedStrategy, OneOfStrategy

from .core import batch_rng

__all__ = ["Batch", "batched", "batch_searched", "marked", "distinct", "expands", "recipe_chain", "BATCH_SIZE",
           "BATCH_SEED"]

# instances per Hypothesis example (measured: benchmarks/bench_hypothesis_rate.py)
BATCH_SIZE = 32
_MARK = "_batch_searched"


class Batch:
    """Instances drawn by one Hypothesis example: ``first`` (the unbatched draw) and the members
    ``rest()`` yields (deterministic: it re-seeds its generator on every call). Members are built
    as they are iterated, so a consumer that stops early (the engine while shrinking) does not pay
    for the rest; a member equal to an earlier one is skipped. ``members`` is the full tuple."""

    def __init__(self, first, rest=None):
        self.first = first
        self._rest = rest
        self._members = None if rest is not None else (first,)

    def __iter__(self):
        if self._members is not None:
            yield from self._members
            return
        seen, out = {_fingerprint(self.first)}, [self.first]
        yield self.first
        for m in self._rest():
            f = _fingerprint(m)
            if f not in seen:
                seen.add(f)
                out.append(m)
                yield m
        self._members = tuple(out)

    @property
    def members(self) -> tuple:
        if self._members is None:
            for _ in self:
                pass
        return self._members

    def __len__(self):
        return len(self.members)

    def map(self, fn) -> Batch:
        rest = self._rest

        def mapped():
            for m in rest():
                try:
                    yield fn(m)
                except UnsatisfiedAssumption:
                    continue        # a member the map rejects is dropped, not the example
        return Batch(fn(self.first), mapped if rest is not None else None)

    def __repr__(self):
        return f"Batch(first={self.first!r}, ...)"


def _singleton(inst):
    return Batch(inst)


def _fingerprint(inst):
    parts = []
    for obj in (getattr(inst, "sample", None), inst):
        for name in ("X", "y", "p", "Phi", "w", "V", "w_star"):
            a = getattr(obj, name, None) if obj is not None else None
            if isinstance(a, np.ndarray):
                parts.append(a.tobytes())
    return tuple(parts) if parts else id(inst)


def distinct(members) -> tuple:
    """``members`` without repeats of an earlier member (a batch counts distinct instances only)."""
    seen, out = set(), []
    for m in members:
        f = _fingerprint(m)
        if f not in seen:
            seen.add(f)
            out.append(m)
    return tuple(out)


def expands(fn):
    """Mark ``fn`` (recipe -> its drawn instance, ``recipe.member()``) as the map by which a
    recipe-backed strategy is built: ``recipes.map(fn)`` is then recognised by ``batched`` (the
    mark is on the function, so it survives Hypothesis's unwrapping of lazy strategies)."""
    fn.expands_recipe = True
    return fn


def recipe_chain(strategy):
    """(recipes, maps) when ``strategy`` is ``recipes.map(expander).map(f1)…`` (see ``expands``):
    a member is ``fk(…f1(recipe.member(rng)))``; None otherwise."""
    maps = []
    s = strategy
    while True:
        while isinstance(s, LazyStrategy):
            s = s.wrapped_strategy
        if not isinstance(s, MappedStrategy):
            return None
        if getattr(s.pack, "expands_recipe", False):
            return s.mapped_strategy, tuple(reversed(maps))
        maps.append(s.pack)
        s = s.mapped_strategy


class _Member:
    """A recipe's members through the maps of its chain."""

    def __init__(self, recipe, maps):
        self.recipe, self.maps = recipe, maps

    def member(self, rng=None):
        x = self.recipe.member(rng)
        for f in self.maps:
            x = f(x)
        return x


@st.composite
def _chain_batches(draw, recipes, maps, size):
    r = _Member(draw(recipes), maps)
    seed = draw(BATCH_SEED, label="batch")
    first = r.member()
    if seed == 0 or size == 1:
        return Batch(first)

    def rest():
        rng = batch_rng(seed)
        for _ in range(size - 1):
            try:
                yield r.member(rng)
            except UnsatisfiedAssumption:
                continue
    return Batch(first, rest)


# a batch draws one extra choice after its first member's: 0 (the shrink target) stands for the
# first member alone, any other value seeds the generator of the other members' entries
BATCH_SEED = st.integers(0, 2**32 - 1)


@st.composite
def _replayed(draw, composite, size):
    recorded = []

    def recording(strategy, label=None):
        chain = recipe_chain(strategy)
        if chain is not None:
            recipe = _Member(draw(chain[0], label=label), chain[1])
            recorded.append((strategy, True, recipe))
            return recipe.member()
        value = draw(strategy, label=label)
        recorded.append((strategy, False, value))
        return value

    first = composite.definition(recording, *composite.args, **composite.kwargs)
    seed = draw(BATCH_SEED, label="batch")
    if seed == 0 or size == 1 or not any(r for _, r, _ in recorded):
        return Batch(first)

    def rest():
        rng = batch_rng(seed)
        for _ in range(size - 1):
            try:
                yield composite.definition(_replay(iter(recorded), rng), *composite.args, **composite.kwargs)
            except Exception:  # noqa: BLE001 - a member whose construction fails or diverges is dropped
                continue
    return Batch(first, rest)


def _replay(recorded, rng):
    def replay(strategy, label=None):
        s, is_recipe, value = next(recorded)
        # the same kind of draw at the same position (a family may build an equal strategy anew
        # on every call, e.g. one_of(just(0), scaled_arrays(shape))); otherwise the member's path
        # left member 0's and the member is dropped
        if s is not strategy and (type(s) is not type(strategy)
                                  or is_recipe != (recipe_chain(strategy) is not None)):
            raise _Diverged
        return value.member(rng) if is_recipe else value
    return replay


class _Diverged(Exception):
    """A replayed member asked for another draw than member 0 did."""


def batched(strategy, size: int = BATCH_SIZE):
    """A strategy of ``Batch`` es for ``strategy``'s instances, or None (see the module docstring)."""
    chain = recipe_chain(strategy)
    if chain is not None:
        return _chain_batches(chain[0], chain[1], size)
    s = strategy
    while isinstance(s, LazyStrategy):
        s = s.wrapped_strategy
    if isinstance(s, CompositeStrategy):
        return _replayed(s, size)
    if isinstance(s, MappedStrategy):
        inner = batched(s.mapped_strategy, size)
        return None if inner is None else inner.map(_mapper(s.pack))
    if isinstance(s, OneOfStrategy):
        parts = [batched(b, size) for b in s.original_strategies]
        if all(p is None for p in parts):
            return None
        return st.one_of([p if p is not None else b.map(_singleton) for p, b in zip(parts, s.original_strategies)])
    return None


def _mapper(pack):
    def apply(batch):
        return batch.map(pack)
    return apply


def marked(strategy) -> bool:
    """Did a ``batch_searched`` strategy function return ``strategy``?"""
    return bool(getattr(strategy, _MARK, False))


def batch_searched(fn):
    """Mark the strategies ``fn`` returns for batched search by the engine (``search`` expands
    them with ``batched``); ``fn``'s signature and declared filters are kept."""
    @functools.wraps(fn)
    def wrapper(*args, **filters):
        strategy = fn(*args, **filters)
        setattr(strategy, _MARK, True)
        return strategy
    return wrapper
