"""Basic strategies: dimensions, scale-aware floats and arrays, probability vectors.

Plain ``floats()`` over-sample zeros, bounds and "simple" numbers, and uniform draws miss the
structured corners where the paper's bounds are tight. The arrays here draw a *scale* for the
whole array (a power of ten over several orders) and per-entry mantissas and exponent jitter,
so magnitudes spread over orders while every value stays finite and in a documented range.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

__all__ = ["dims", "scaled_floats", "scaled_arrays", "probability_vectors", "check_int",
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
    """m · 10^e with m ∈ [−1, 1] \\ tiny, e ∈ [min_exp, max_exp]: magnitudes over several orders."""
    _check_exps(min_exp, max_exp)
    check_bool("allow_zero", allow_zero)
    base = st.builds(lambda m, e: m * 10.0 ** e,
                     st.floats(0.1, 1.0).flatmap(lambda a: st.sampled_from([a, -a])),
                     st.integers(min_exp, max_exp))
    return st.one_of(st.just(0.0), base) if allow_zero else base


_MANTISSA = st.floats(-1.0, 1.0, allow_subnormal=False)
_MANTISSAS = [st.tuples(*[_MANTISSA] * i) for i in range(65)]


@st.composite
def _scaled_array(draw, shape, min_exp, max_exp, jitter, zero_prob):
    size = int(np.prod(shape)) if shape else 1
    E = draw(st.integers(min_exp, max_exp), label="array scale exponent")
    # fixed-size tuples, not lists: no continuation choices, so shrinking stays cheap
    mant = draw(_MANTISSAS[size] if size < len(_MANTISSAS) else
                st.tuples(*[_MANTISSA] * size), label="mantissas")
    if jitter:
        jit = draw(st.tuples(*[st.integers(-jitter, jitter)] * size), label="jitter")
    else:
        jit = [0] * size
    a = np.array(mant, dtype=np.float64) * 10.0 ** (E + np.array(jit, dtype=np.float64))
    # mantissas below 1e-6 of the scale are rounded to exact zeros: keeps the range documented
    a[np.abs(np.array(mant)) < 1e-6] = 0.0
    if zero_prob and draw(st.booleans(), label="sparse"):
        mask = draw(st.tuples(*[st.booleans()] * size), label="zero mask")
        a[np.array(mask, dtype=bool)] = 0.0
    return a.reshape(shape)


def scaled_arrays(shape, *, min_exp: int = MIN_EXP, max_exp: int = MAX_EXP, jitter: int = 0,
                  allow_sparse: bool = True):
    """Float64 arrays of the given shape: one scale 10^E per array (E ∈ [min_exp, max_exp]),
    per-entry mantissa in [−1, 1] and exponent jitter in [−jitter, jitter]; optionally sparse.

    Every entry is finite with |entry| ≤ 10^(max_exp + jitter)."""
    if isinstance(shape, int):
        shape = (shape,)
    if not isinstance(shape, tuple) or not all(isinstance(s, (int, np.integer)) and s >= 0 for s in shape):
        raise InvalidArgument(f"shape={shape!r} must be a tuple of non-negative ints")
    _check_exps(min_exp, max_exp)
    check_int("jitter", jitter, 0, 6)
    check_bool("allow_sparse", allow_sparse)
    return _cached_array(tuple(int(s) for s in shape), min_exp, max_exp, jitter, allow_sparse)


@lru_cache(maxsize=4096)
def _cached_array(shape, min_exp, max_exp, jitter, allow_sparse):
    # strategies are immutable: reuse them rather than re-validating one per draw
    return _scaled_array(shape, min_exp, max_exp, jitter, allow_sparse)


@st.composite
def _prob(draw, n, allow_degenerate):
    kind = draw(st.sampled_from(["uniform", "random", "one-hot"] if allow_degenerate else ["uniform", "random"]),
                label="probability kind")
    if kind == "uniform" or n == 1:
        return np.full(n, 1.0 / n)
    if kind == "one-hot":
        p = np.zeros(n)
        p[draw(st.integers(0, n - 1), label="support")] = 1.0
        return p
    raw = np.array(draw(st.tuples(*[st.one_of(st.just(0.0), st.floats(1e-3, 1.0))] * n), label="weights"))
    if raw.sum() <= 0:
        raw[0] = 1.0
    return raw / raw.sum()


def probability_vectors(n: int, *, allow_degenerate: bool = True):
    """Probability vectors of length n: uniform, random (with zero weights), one-hot."""
    check_int("n", n, 1, 10_000)
    check_bool("allow_degenerate", allow_degenerate)
    return _cached_prob(n, allow_degenerate)


@lru_cache(maxsize=1024)
def _cached_prob(n, allow_degenerate):
    return _prob(n, allow_degenerate)


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
