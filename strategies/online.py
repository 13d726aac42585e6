"""Strategies for Theorem 5 (Sec. 6.4): convex sets (balls, boxes, products), convex Lipschitz
functions and online-gradient-descent instances.

Every instance meets its claim's hypotheses by construction: X is closed, convex and bounded
(b = max_{x∈X} ‖x‖ > 0), every g_t is convex with a finite Lipschitz constant l > 0 over X,
x_1 ∈ X. (The sets also serve Theorem 4's M1, M2: ``strategies.sgd``.)
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model.convex_functions import FAMILIES, ConvexFn
from theorems.model.convex_sets import Ball, Box, Product
from theorems.model.ogd import ADVERSARIES, OGDInstance

from .core import cached_strategy, check_choice, check_int, scaled_arrays

__all__ = ["convex_sets", "convex_functions", "ogd_instances", "ogd_attaining_instances", "SET_KINDS"]

SET_KINDS = ("ball", "box", "product")


@st.composite
def _set(draw, d, kinds, centered):
    kind = draw(st.sampled_from(kinds if d > 1 or "product" not in kinds else
                                [k for k in kinds if k != "product"] or ["ball"]), label="set kind")
    if kind == "product":
        d1 = draw(st.integers(1, d - 1), label="split")
        return Product((draw(_set(d1, ("ball", "box"), centered)), draw(_set(d - d1, ("ball", "box"), centered))))
    if kind == "ball":
        c = np.zeros(d) if centered else draw(scaled_arrays((d,), min_exp=-2, max_exp=1), label="center")
        R = draw(st.floats(0.1, 1.0), label="radius mantissa") * 10.0 ** draw(st.integers(-2, 1), label="radius exp")
        return Ball(c, R)
    mid = np.zeros(d) if centered else draw(scaled_arrays((d,), min_exp=-2, max_exp=1), label="box middle")
    half = np.abs(draw(scaled_arrays((d,), min_exp=-2, max_exp=1), label="half widths"))
    lo, hi = mid - half, mid + half
    if centered:
        lo, hi = np.minimum(lo, 0.0), np.maximum(hi, 0.0)
    if not np.any(lo) and not np.any(hi):
        hi[0] = 1.0       # b > 0 by construction
    return Box(lo, hi)


def convex_sets(d: int, *, kinds=None, centered: bool = False):
    """Closed convex bounded sets in R^d with max norm b > 0: balls, boxes (possibly flat in some
    coordinates) and products of two of them. ``centered``: every set contains 0."""
    check_int("d", d, 1, 64)
    kinds = check_choice("kinds", kinds, SET_KINDS) or list(SET_KINDS)
    if not isinstance(centered, bool):
        raise InvalidArgument(f"centered={centered!r} must be a bool")
    return cached_strategy(_set, d, tuple(kinds), centered)


@st.composite
def _fn(draw, d, families):
    kind = draw(st.sampled_from(families), label="family")
    m = draw(st.integers(1, 3), label="pieces") if kind == "max_affine" else 1
    A = draw(scaled_arrays((m, d), min_exp=-2, max_exp=2), label="slopes")
    c = draw(scaled_arrays((m,), min_exp=-2, max_exp=2), label="offsets")
    if kind == "squared":
        c = np.abs(c)
    return ConvexFn(kind, A, c)


def convex_functions(d: int, *, families=None):
    """Convex functions on R^d from ``theorems.model.convex_functions.FAMILIES``."""
    check_int("d", d, 1, 64)
    families = check_choice("families", families, FAMILIES) or list(FAMILIES)
    return cached_strategy(_fn, d, tuple(families))


@st.composite
def _point_in(draw, X, label, g1):
    how = draw(st.sampled_from(["random", "boundary", "opposite", "corner"]), label=f"{label} kind")
    d = X.dim
    if how == "corner":
        # the structured corner where the bound is tight: x_1 maximises g_1 over X, the
        # comparator minimises it (for a linear g_1 these are the two ends of X along its slope)
        a = g1.grad(X.argmin_linear(np.zeros(d)))
        return X.argmin_linear(a if label == "comparator" else -a)
    g = draw(scaled_arrays((d,), min_exp=0, max_exp=0), label=f"{label} direction")
    if how == "boundary":
        return X.argmin_linear(g)
    if how == "opposite":
        return X.argmin_linear(-g)
    raw = draw(scaled_arrays((d,), min_exp=-2, max_exp=2), label=label)
    return X.project(raw)


@st.composite
def _ogd(draw, max_dim, max_T, families, adversaries, set_kinds):
    d = draw(st.integers(1, max_dim), label="d")
    # centred sets half the time: an off-centre set has b = max‖x‖ ≫ diam(X), and the bound then
    # exceeds the largest regret T·l·diam(X) the instance can have (a non-informative example)
    X = draw(convex_sets(d, kinds=set_kinds, centered=draw(st.booleans(), label="centred X")), label="X")
    m = draw(st.integers(1, 3), label="base functions")
    fns = [draw(convex_functions(d, families=families), label="g") for _ in range(m)]
    if max(float(f.lipschitz(X)) for f in fns) == 0:
        fns[0] = ConvexFn("linear", np.eye(1, d), np.zeros(1))     # l > 0 by construction
    # T mostly in the upper part of its range and c mostly in [1/4, 8]: K(c)·b·l·√T below the
    # largest possible regret T·l·diam(X) needs √T > K(c)·(b/diam)·(l/Lip), so small T with extreme c
    # (and inflated b, l) only make non-informative examples; they stay in the mix, rarer
    T = draw(st.one_of(st.integers(max(1, max_T // 8), max_T), st.sampled_from([max_T // 2, max_T]),
                       st.integers(1, max_T)), label="T")
    T = min(T, max_T)
    c = draw(st.one_of(st.sampled_from([2.0, 0.5, 4.0]), st.floats(0.25, 8.0), st.sampled_from([0.05, 20.0]),
                       st.floats(0.05, 20.0)), label="c")
    x1 = draw(_point_in(X, "x1", fns[0]))
    x_cmp = draw(_point_in(X, "comparator", fns[0]))
    adv = draw(st.sampled_from(adversaries), label="adversary")
    seed = draw(st.integers(0, 2**16), label="sign seed")
    lf = draw(st.sampled_from([1.0, 1.0, 1.0, 1.25, 2.0, 4.0]), label="l factor")
    bf = draw(st.sampled_from([1.0, 1.0, 1.0, 1.25, 2.0, 4.0]), label="b factor")
    return OGDInstance(X, tuple(fns), T, c, x1, x_cmp, adv, seed, lf, bf)


def ogd_instances(*, max_dim: int = 4, max_T: int = 128, families=None, adversaries=None, set_kinds=None):
    """Theorem 5 instances: X, base functions, T ≤ max_T, c, x_1 ∈ X, a comparator, an adversary."""
    check_int("max_dim", max_dim, 1, 16)
    check_int("max_T", max_T, 1, 2000)
    families = check_choice("families", families, FAMILIES) or list(FAMILIES)
    adversaries = check_choice("adversaries", adversaries, ADVERSARIES) or list(ADVERSARIES)
    set_kinds = check_choice("set_kinds", set_kinds, SET_KINDS) or list(SET_KINDS)
    return cached_strategy(_ogd, max_dim, max_T, tuple(families), tuple(adversaries), tuple(set_kinds))


@st.composite
def _attaining(draw, max_dim):
    d = draw(st.integers(1, max_dim), label="d")
    R = draw(st.floats(0.1, 1.0), label="radius mantissa") * 10.0 ** draw(st.integers(-1, 1), label="radius exp")
    a = draw(scaled_arrays((d,), min_exp=-1, max_exp=1), label="slope")
    if not np.any(a):
        a[0] = 1.0
    u = a / np.linalg.norm(a)
    regime = draw(st.sampled_from(["small c, far start", "large c, chasing adversary", "T = 1, c = 2"]),
                  label="regime")
    if regime == "T = 1, c = 2":
        T, c, adv = 1, 2.0, "fixed"
    elif regime == "small c, far start":
        # c√T ≥ 3: the iterate crosses X (from x_1 to the comparator) within the T rounds
        T, c, adv = draw(st.integers(100, 200), label="T"), draw(st.floats(0.3, 0.5), label="c"), "fixed"
    else:
        T, c, adv = draw(st.integers(50, 200), label="T"), draw(st.floats(5.0, 12.0), label="c"), "chase"
    g = ConvexFn("linear", a[None], np.zeros(1))
    return OGDInstance(Ball(np.zeros(d), R), (g,), T, c, R * u, -R * u, adv)


def ogd_attaining_instances(*, max_dim: int = 3):
    """Theorem 5 instances where the bound (2/c + c/2)·b·l·√T is nearly attained, one regime per part
    of the constant: a linear g on a centred ball with x_1 at its far end and the comparator at the
    other (small c ∈ [0.3, 0.5], T ≥ 100: the iterate crawls across X, regret ≈ ‖x_1 − x‖²/(2η) ≈ (2/c)·b·l·√T);
    the iterate-chasing adversary (large c ∈ [5, 12]: every step is orthogonal to the comparator
    direction, regret ≈ (η/2)·T·l² = (c/2)·b·l·√T); and T = 1, c = 2 (regret = 2bl = the bound)."""
    check_int("max_dim", max_dim, 1, 16)
    return cached_strategy(_attaining, max_dim)
