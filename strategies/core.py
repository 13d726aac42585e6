"""Basic strategies: dimensions, scale-aware floats and arrays, probability vectors.

Plain ``floats()`` over-sample zeros, bounds and "simple" numbers, and uniform draws miss the
structured corners where the paper's bounds are tight. The arrays here draw a *scale* for the
whole array (a power of ten over several orders), a *style* (all zero, simple dyadic entries, or
generic mantissas with exponent jitter) and a seed that NumPy expands into the entries, so
magnitudes spread over orders while every value stays finite and in a documented range, and an
array costs Hypothesis three choices whatever its shape (issue 14: generation, not the model, was
the cost; a fixed number of choices also keeps later draws aligned when the shrinker lowers a
dimension). Simple values come first in every choice's shrink order (issue 15: witnesses with 0,
small dyadic rationals, no subnormals).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

__all__ = ["dims", "scaled_floats", "scaled_arrays", "expand_array", "probability_vectors", "array_recipes",
           "probability_recipes", "ArrayRecipe", "ProbabilityRecipe", "batch_rng", "check_int",
           "check_choice", "check_bool", "cached_strategy", "MIN_EXP", "MAX_EXP"]

MIN_EXP, MAX_EXP = -3, 3     # default magnitude range: |entries| ≤ 10^3 (times 10^jitter)


def check_int(name, value, lo, hi=None):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if value < lo or (hi is not None and value > hi):
        rng = f"in [{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise InvalidArgument(f"{name}={value!r} must be {rng}")
    return int(value)


def check_bool(name, value):
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be a bool")
    return value


def check_choice(name, values, allowed):
    if values is None:
        return None
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise InvalidArgument(f"{name}={values!r} must be a list of names from {sorted(allowed)}")
    values = list(values)
    bad = [v for v in values if v not in allowed]
    if bad or not values:
        raise InvalidArgument(f"{name}={values!r}: unknown or empty; choose from {sorted(allowed)}")
    return values


def _check_exps(min_exp, max_exp):
    check_int("min_exp", min_exp, -12, 12)
    check_int("max_exp", max_exp, -12, 12)
    if min_exp > max_exp:
        raise InvalidArgument(f"min_exp={min_exp} must be <= max_exp={max_exp}")


def dims(*, min_value: int = 1, max_value: int = 6):
    """A dimension in [min_value, max_value] (shrinks toward min_value)."""
    check_int("min_value", min_value, 1)
    check_int("max_value", max_value, 1, 64)
    if min_value > max_value:
        raise InvalidArgument(f"min_value={min_value} must be <= max_value={max_value}")
    return st.integers(min_value, max_value)


def scaled_floats(*, min_exp: int = MIN_EXP, max_exp: int = MAX_EXP, allow_zero: bool = True):
    """m · 10^e with m ∈ ±[1/8, 1] on a dyadic grid (or, less often, any m ∈ ±[0.1, 1]), e ∈
    [min_exp, max_exp]: magnitudes over several orders; shrinks toward 0 (if allowed), then ±1·10^0."""
    _check_exps(min_exp, max_exp)
    check_bool("allow_zero", allow_zero)
    return cached_strategy(_scaled_float, min_exp, max_exp, allow_zero)


_SIGN = st.sampled_from([1.0, -1.0])
_SIMPLE_M = st.sampled_from([1.0, 0.5, 0.25, 0.75, 0.125])
_GENERIC_M = st.floats(0.1, 1.0)


def _scaled_float(min_exp, max_exp, allow_zero):
    mant = st.one_of(_SIMPLE_M, _GENERIC_M)       # simple dyadic mantissas first (shrink target)
    e = st.integers(min_exp, max_exp)
    base = st.builds(lambda m, s, e: s * m * 10.0 ** e, mant, _SIGN, e)
    return st.one_of(st.just(0.0), base) if allow_zero else base


# How an array's entries are drawn. One Hypothesis choice (the style) and one 32-bit seed per
# array, expanded by NumPy: a fixed number of choices whatever the shape, so (i) generation costs
# the same few choices for a 1×1 or a 6×6 array and (ii) the shrinker can lower a dimension
# without misaligning every later draw. The styles are ordered from the simplest (the shrinker
# moves toward index 0): all zero, small dyadic entries k/4 (sparse or dense), dyadic k/1024,
# then generic uniform mantissas with per-entry exponent jitter.
_STYLES = ("zero", "quarters, sparse", "quarters", "dyadic", "generic, sparse", "generic", "entrywise")
_STYLE_DENSE = st.sampled_from(_STYLES[2:])
# "entrywise": one choice per entry (a mantissa k/2^16), the only style in which target()'s
# hill-climbing can move one entry at a time; its choices follow the style's, so lowering a
# dimension still leaves earlier draws aligned
_ENTRY = st.integers(-2**16, 2**16)
_ENTRIES = {}
_STYLE_ANY = st.sampled_from(_STYLES)
_SEED = st.integers(0, 2**32 - 1)
_EXP = {}


def _exp_strategy(lo, hi):
    s = _EXP.get((lo, hi))
    if s is None:
        s = _EXP[(lo, hi)] = st.integers(lo, hi)
    return s


def expand_array(style, seed, shape, E, jitter=0):
    """The array of ``shape`` that a (style, seed, scale exponent E) choice stands for (see _STYLES)."""
    size = int(np.prod(shape)) if shape else 1
    if style == "zero" or size == 0:
        return np.zeros(shape)
    return _fill(style, np.random.Generator(np.random.PCG64(seed)), shape, size, E, jitter)


def _fill(style, rng, shape, size, E, jitter):
    if style == "zero" or size == 0:
        return np.zeros(shape)
    if style.startswith("quarters"):
        m = rng.integers(-4, 5, size) / 4.0
    elif style == "dyadic":
        m = rng.integers(-1024, 1025, size) / 1024.0
    else:
        m = rng.uniform(-1.0, 1.0, size)
        if jitter:
            m = m * 10.0 ** rng.integers(-jitter, jitter + 1, size)
    if style.endswith("sparse"):
        m[rng.random(size) < 0.5] = 0.0
    return (m * 10.0 ** E).reshape(shape)


def batch_rng(seed: int) -> np.random.Generator:
    """The generator a batch's members 1, 2, … draw their entries from (one per batch: seeding a
    generator per array would cost more than the member's evaluation)."""
    return np.random.Generator(np.random.PCG64(seed))


@dataclass(frozen=True, eq=False)
class ArrayRecipe:
    """The choices behind one ``scaled_arrays`` draw: scale exponent E, style, seed (or, for the
    "entrywise" style, the drawn mantissas). ``expand()`` is the drawn array; ``expand(rng)`` is
    another array of the same shape, scale and style with entries from ``rng`` (an entrywise
    draw's are generic), so one Hypothesis example can stand for a batch of instances sharing every
    structural choice (issue 14, ``strategies.batches``)."""

    shape: tuple
    E: int
    style: str
    seed: int | None
    jitter: int = 0
    mantissas: np.ndarray | None = None

    def expand(self, rng: np.random.Generator | None = None) -> np.ndarray:
        if rng is not None:
            size = int(np.prod(self.shape)) if self.shape else 1
            style = "generic" if self.style == "entrywise" else self.style
            return _fill(style, rng, self.shape, size, self.E, self.jitter)
        if self.style == "entrywise":
            return (self.mantissas * 10.0 ** self.E).reshape(self.shape)
        return expand_array(self.style, self.seed, self.shape, self.E, self.jitter)

    member = expand      # a recipe's batch member (strategies.batches)


@st.composite
def _array_recipe(draw, shape, min_exp, max_exp, jitter, allow_sparse):
    E = draw(_exp_strategy(min_exp, max_exp), label="array scale exponent")
    style = draw(_STYLE_ANY if allow_sparse else _STYLE_DENSE, label="array style")
    if style == "entrywise":
        size = int(np.prod(shape)) if shape else 1
        if size not in _ENTRIES:
            _ENTRIES[size] = st.tuples(*[_ENTRY] * size)
        m = np.array(draw(_ENTRIES[size], label="mantissas"), dtype=np.float64) / 2**16
        return ArrayRecipe(shape, E, style, None, jitter, m)
    return ArrayRecipe(shape, E, style, draw(_SEED, label="array seed"), jitter)


def _expand0(recipe):
    return recipe.expand()


_expand0.expands_recipe = True      # see strategies.batches.expands (batches imports this module)


def scaled_arrays(shape, *, min_exp: int = MIN_EXP, max_exp: int = MAX_EXP, jitter: int = 0,
                  allow_sparse: bool = True):
    """Float64 arrays of the given shape: one scale 10^E per array (E ∈ [min_exp, max_exp]) and a
    style (simple dyadic k/4 or k/1024 entries, or generic mantissas in [−1, 1] with exponent jitter
    in [−jitter, jitter]); optionally sparse or all zero. Three Hypothesis choices per array whatever
    its shape (the entries expand from a drawn seed).

    Every entry is finite with |entry| ≤ 10^(max_exp + jitter)."""
    if isinstance(shape, int):
        shape = (shape,)
    if not isinstance(shape, tuple) or not all(isinstance(s, (int, np.integer)) and s >= 0 for s in shape):
        raise InvalidArgument(f"shape={shape!r} must be a tuple of non-negative ints")
    _check_exps(min_exp, max_exp)
    check_int("jitter", jitter, 0, 6)
    check_bool("allow_sparse", allow_sparse)
    return _cached_array(tuple(int(s) for s in shape), min_exp, max_exp, jitter, allow_sparse)


def array_recipes(shape, *, min_exp: int = MIN_EXP, max_exp: int = MAX_EXP, jitter: int = 0,
                  allow_sparse: bool = True):
    """The ``ArrayRecipe`` behind a ``scaled_arrays`` draw (the same choices, in the same order):
    ``recipe.expand(0)`` is what ``scaled_arrays`` returns; ``expand(i)`` a batch member's array."""
    if isinstance(shape, int):
        shape = (shape,)
    scaled_arrays(shape, min_exp=min_exp, max_exp=max_exp, jitter=jitter, allow_sparse=allow_sparse)  # validates
    return _cached_recipe(tuple(int(s) for s in shape), min_exp, max_exp, jitter, allow_sparse)


@lru_cache(maxsize=4096)
def _cached_recipe(shape, min_exp, max_exp, jitter, allow_sparse):
    return _array_recipe(shape, min_exp, max_exp, jitter, allow_sparse)


@lru_cache(maxsize=4096)
def _cached_array(shape, min_exp, max_exp, jitter, allow_sparse):
    # strategies are immutable: reuse them rather than re-validating one per draw. One source of
    # truth for the choices: an array is its recipe expanded (batch member 0)
    # (batched search re-expands the recipe: strategies.batches.recipe_chain)
    return _cached_recipe(shape, min_exp, max_exp, jitter, allow_sparse).map(_expand0)


_PROB_KINDS = {True: st.sampled_from(["uniform", "random", "one-hot"]), False: st.sampled_from(["uniform", "random"])}


@dataclass(frozen=True)
class ProbabilityRecipe:
    """The choices behind a ``probability_vectors`` draw; ``expand(rng)`` as for ``ArrayRecipe``
    (uniform and one-hot vectors are the same for every member; random weights redrawn)."""

    n: int
    kind: str
    support: int = 0
    seed: int = 0

    def expand(self, rng: np.random.Generator | None = None) -> np.ndarray:
        n = self.n
        if self.kind == "uniform" or n == 1:
            return np.full(n, 1.0 / n)
        if self.kind == "one-hot":
            p = np.zeros(n)
            p[self.support] = 1.0
            return p
        if rng is None:
            rng = np.random.Generator(np.random.PCG64(self.seed))
        raw = rng.uniform(1e-3, 1.0, n)
        raw[rng.random(n) < 0.25] = 0.0        # some zero weights
        if raw.sum() <= 0:
            raw[0] = 1.0
        return raw / raw.sum()

    member = expand      # a recipe's batch member (strategies.batches)


@st.composite
def _prob_recipe(draw, n, allow_degenerate):
    kind = draw(_PROB_KINDS[allow_degenerate], label="probability kind")
    if kind == "uniform" or n == 1:
        return ProbabilityRecipe(n, kind)
    if kind == "one-hot":
        return ProbabilityRecipe(n, kind, support=draw(_exp_strategy(0, n - 1), label="support"))
    return ProbabilityRecipe(n, kind, seed=draw(_SEED, label="weights seed"))


def probability_vectors(n: int, *, allow_degenerate: bool = True):
    """Probability vectors of length n: uniform, random (with zero weights), one-hot."""
    check_int("n", n, 1, 10_000)
    check_bool("allow_degenerate", allow_degenerate)
    return _cached_prob(n, allow_degenerate)


def probability_recipes(n: int, *, allow_degenerate: bool = True):
    """The ``ProbabilityRecipe`` behind a ``probability_vectors`` draw (same choices)."""
    check_int("n", n, 1, 10_000)
    check_bool("allow_degenerate", allow_degenerate)
    return _cached_prob_recipe(n, allow_degenerate)


@lru_cache(maxsize=1024)
def _cached_prob_recipe(n, allow_degenerate):
    return _prob_recipe(n, allow_degenerate)


@lru_cache(maxsize=1024)
def _cached_prob(n, allow_degenerate):
    return _cached_prob_recipe(n, allow_degenerate).map(_expand0)


def not_fixed(filters, fixed):
    """``filters``, unless one of them is ``fixed`` by the claim's hypotheses (e.g. w= for w ≠ 0)."""
    bad = sorted(set(filters) & set(fixed))
    if bad:
        raise InvalidArgument(f"{bad[0]}= is fixed by this claim's hypotheses and cannot be set")
    return filters


def forwards_filters(target, *, fixed=()):
    """Mark a per-claim strategy that passes its keyword filters on to ``target`` (minus the
    ``fixed`` ones its claim's hypotheses set): ``Claim.strategy`` then lists and checks them."""
    def mark(fn):
        fn.forwards_to = target
        fn.fixed_filters = tuple(fixed)
        return fn
    return mark


@lru_cache(maxsize=4096)
def cached_strategy(factory, *args):
    """``factory(*args)``, built once per argument tuple: strategies are immutable, so a public
    strategy function returns the same object for the same (validated, hashable) arguments."""
    return factory(*args)
