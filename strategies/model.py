"""Strategies for the model: convex losses, feature maps f_θ, samples and points (w, V, w*)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model import Point, Sample
from theorems.model import features as FM
from theorems.model import losses as L

from .batches import expands
from .core import (
    array_recipes,
    cached_strategy,
    check_bool,
    check_choice,
    check_int,
    probability_recipes,
    scaled_arrays,
)

__all__ = ["losses", "feature_maps", "samples", "points", "PointRecipe", "SampleRecipe",
           "CORNERS", "LOSS_NAMES", "FEATURE_KINDS"]

LOSS_NAMES = tuple(L.names())
FEATURE_KINDS = FM.KINDS + FM.DEGENERATE
# structured corners of the point (w, V, w*) where the paper's bounds can be tight
CORNERS = ("generic", "w_star=-w", "w_star=w", "w_star=0", "V=0", "V aligned with w",
           "w_star top singular of V", "w_star=-w, V aligned with w")


_HOW = st.sampled_from(["plain", "plain", "combination", "affine"])
# affine maps a·p + c and combination weights: simple dyadic values first (shrink targets), then
# generic ones; never subnormal (issue 15)
_AFFINE_A = st.sampled_from([1.0, -1.0, 0.5, 2.0]) | st.floats(-3, 3).filter(lambda a: abs(a) > 0.1)
_AFFINE_C = st.sampled_from([0.0, 1.0, -1.0, 0.5, -0.5]) | st.integers(-1024, 1024).map(lambda i: i / 1024)
_COEF = st.sampled_from([0.0, 1.0, 0.5, 2.0]) | st.floats(1e-3, 3.0)


@lru_cache(maxsize=256)
def _loss_base(names):
    base = st.sampled_from(names).map(_by_name)
    if "pseudo_huber" in names:
        base = st.one_of(base, st.floats(0.05, 20.0).map(L.pseudo_huber))
    return base, st.lists(st.tuples(_COEF, base), min_size=1, max_size=3)


@lru_cache(maxsize=64)
def _by_name(name):
    return L.by_name(name)      # losses are immutable: one object per catalogue name


@st.composite
def _losses(draw, names, allow_constructions):
    base, terms_strategy = _loss_base(names)
    if not allow_constructions:
        return draw(base, label="loss")
    how = draw(_HOW, label="loss construction")
    if how == "plain":
        return draw(base, label="loss")
    if how == "affine":
        a = draw(_AFFINE_A)
        c = draw(_AFFINE_C)
        return L.affine(draw(base, label="loss"), a, c)
    terms = draw(terms_strategy, label="terms")
    if all(c == 0 for c, _ in terms):
        terms[0] = (1.0, terms[0][1])
    return L.combination(terms)


def losses(*, names=None, allow_constructions: bool = True):
    """Convex C² losses from the catalogue, their non-negative combinations and affine maps of p."""
    names = check_choice("names", names, LOSS_NAMES) or list(LOSS_NAMES)
    check_bool("allow_constructions", allow_constructions)
    return cached_strategy(_losses, tuple(names), allow_constructions)


_WEIGHT_SCALE = st.sampled_from([1.0, 0.1, 3.0])


@st.composite
def _feature_maps(draw, d, kinds, max_depth, max_width):
    kind = draw(_choice(kinds), label="feature kind")
    if kind in FM.KINDS:
        return FM.network(kind, d, depth=draw(_ints(0 if kind != "maxpool" else 1, max_depth), label="depth"),
                          width=draw(_ints(1, max_width), label="width"),
                          seed=draw(_Y_SEED, label="theta seed"),
                          weight_scale=draw(_WEIGHT_SCALE, label="weight scale"))
    base = FM.network("relu", d, depth=draw(_ints(0, 2)), width=draw(_ints(1, max_width)),
                      seed=draw(_Y_SEED))
    if kind == "zero":
        return FM.zero(d, draw(st.integers(1, max_width)))
    if kind == "constant":
        return FM.constant(d, draw(scaled_arrays((draw(st.integers(1, max_width)),)), label="constant"))
    if kind == "duplicated":
        idx = draw(st.lists(st.integers(0, base.out_dim - 1), min_size=2, max_size=max_width))
        return FM.duplicated(base, idx)
    if kind == "rank_deficient":
        k = draw(st.integers(1, max_width))
        u = draw(scaled_arrays((k,), min_exp=0, max_exp=0))
        v = draw(scaled_arrays((base.out_dim,), min_exp=0, max_exp=0))
        return FM.rank_deficient(base, np.outer(u, v))      # rank ≤ 1
    if kind == "scaled":
        return FM.scaled(base, draw(st.sampled_from([1e-8, 1e-4, 1e4, 1e8]), label="feature scale"))
    if kind == "bias_augmented":
        return FM.bias_augmented(base)
    raise InvalidArgument(f"unknown feature kind {kind!r}")


def feature_maps(d: int, *, kinds=None, max_depth: int = 6, max_width: int = 8):
    """Feature maps R^d → R^k: deep nets of depth 0..max_depth, width 1..max_width, and degenerate maps."""
    check_int("d", d, 1, 64)
    kinds = check_choice("kinds", kinds, FEATURE_KINDS) or list(FEATURE_KINDS)
    check_int("max_depth", max_depth, 0, 6)
    check_int("max_width", max_width, 1, 8)
    return cached_strategy(_feature_maps, d, tuple(kinds), max_depth, max_width)


_Y_SEED = st.integers(0, 2**32 - 1)


@lru_cache(maxsize=512)
def _ints(lo, hi):
    return st.integers(lo, hi)


@lru_cache(maxsize=512)
def _choice(values):
    return st.sampled_from(values)


@dataclass(frozen=True, eq=False)
class SampleRecipe:
    """The choices behind a ``samples`` draw: n, d, f_θ (shared by a batch's members) and the
    recipes of X, y and p. ``sample()`` is the drawn sample, ``sample(rng)`` a batch member's."""

    f: object
    X: object                 # ArrayRecipe
    y: object                 # ArrayRecipe, or the ±1 targets' seed (0: all +1)
    p: object                 # ProbabilityRecipe
    n: int
    d: int

    def sample(self, rng=None) -> Sample:
        X = self.X.expand(rng)
        Phi = self.f(X)
        if not np.all(np.isfinite(Phi)) or np.max(np.abs(Phi), initial=0) > 1e12:
            Phi = np.clip(np.nan_to_num(Phi), -1e12, 1e12)
        if isinstance(self.y, (int, np.integer)):
            # one choice, not one per row: a seed expanded by NumPy (0 → all +1 after shrinking)
            if self.y == 0:
                y = np.ones(self.n)
            else:
                y = (rng or np.random.Generator(np.random.PCG64(self.y))).choice([-1.0, 1.0], self.n)
        else:
            y = self.y.expand(rng)
        return Sample(X, y, self.p.expand(rng), Phi)


@st.composite
def _sample_recipe(draw, y_domain, max_n, max_d, feature_kinds, max_width, d):
    n = draw(_ints(1, max_n), label="n")
    d = d if d is not None else draw(_ints(1, max_d), label="d")
    X = draw(array_recipes((n, d), min_exp=-2, max_exp=2), label="X")
    f = draw(feature_maps(d, kinds=feature_kinds, max_width=max_width), label="f_theta")
    y = draw(_Y_SEED, label="y") if y_domain == "pm1" else draw(array_recipes((n,), min_exp=-2, max_exp=2), label="y")
    p = draw(probability_recipes(n), label="p")
    return SampleRecipe(f, X, y, p, n, d)


def _sample_and_map(recipe):
    return recipe.sample(), recipe.f


def samples(*, loss=None, max_n: int = 6, max_d: int = 6, feature_kinds=None, max_width: int = 6,
            d: int | None = None):
    """(Sample, FeatureMap) pairs: Phi = f_θ(X) for a drawn f_θ; targets in the loss's domain."""
    check_int("max_n", max_n, 1, 64)
    check_int("max_d", max_d, 1, 64)
    check_int("max_width", max_width, 1, 8)
    if d is not None:
        check_int("d", d, 1, 64)
    feature_kinds = check_choice("feature_kinds", feature_kinds, FEATURE_KINDS) or list(FEATURE_KINDS)
    if loss is None:
        loss = L.squared()
    if not isinstance(loss, L.Loss):
        raise InvalidArgument(f"loss={loss!r} must be a theorems.model.losses.Loss")
    return cached_strategy(_cached_samples, loss.y_domain, max_n, max_d, tuple(feature_kinds), max_width, d)


def _cached_sample_recipes(*args):
    return cached_strategy(_sample_recipe, *args)


def _cached_samples(*args):
    return _cached_sample_recipes(*args).map(_sample_and_map)


def _safe_scale(loss):
    # keep |predictions| where every catalogue loss is finite in float64: e^|3q| for exponential
    # (affine maps scale p by up to 3)
    return 100.0 if _uses_exp(loss.spec) else 1e6


def _uses_exp(spec):
    if spec.get("name") == "exponential":
        return True
    if spec.get("name") == "affine":
        return _uses_exp(spec["loss"])
    if spec.get("name") == "combination":
        return any(_uses_exp(s) for _, s in spec["terms"])
    return False


_ALPHA = st.sampled_from([1.0, 2.0, 0.5]) | st.floats(0.1, 10.0)


@dataclass(frozen=True, eq=False)
class PointRecipe:
    """The choices behind a ``points`` draw. ``member()`` is the drawn point; ``member(rng)`` a
    batch member: the same loss, n, d, f_θ, corner, α, extras and array styles and scales, with
    the entries of X, y, p, w, V, w* drawn from ``rng`` (issue 14, ``strategies.batches``)."""

    loss: object
    sample: SampleRecipe
    corner: str
    w_mode: str
    w: object                 # ArrayRecipe or None (w = 0)
    V: object
    w_star: object            # ArrayRecipe or None
    V_row: object             # ArrayRecipe or None
    alpha: float | None
    extras: dict

    def member(self, rng=None) -> Point:
        s = self.sample.sample(rng)
        d, k = s.d, s.k
        corner = self.corner
        if self.w is None:
            w = np.zeros(d)
        else:
            w = self.w.expand(rng)
            if self.w_mode == "nonzero" and not np.any(w):
                # w ≠ 0 by construction: a zero draw becomes the first basis vector at the drawn scale
                w[0] = 1.0
        V = self.V.expand(rng)
        w_star = self.w_star.expand(rng) if self.w_star is not None else None
        if corner == "V=0":
            V = np.zeros((d, k))
        elif corner in ("V aligned with w", "w_star=-w, V aligned with w") and np.any(w) and self.V_row is not None:
            V = np.outer(w / np.linalg.norm(w), self.V_row.expand(rng))
        if w_star is not None:
            alpha = self.alpha
            if corner in ("w_star=-w", "w_star=-w, V aligned with w"):
                w_star = -alpha * w
            elif corner == "w_star=w":
                w_star = w.copy()
            elif corner == "w_star=0":
                w_star = np.zeros(d)
            elif corner == "w_star top singular of V" and np.any(V):
                U, S, _ = np.linalg.svd(V)
                w_star = alpha * U[:, 0]
        # keep predictions finite for the loss (documented range), by scaling w and w*
        Z = s.X + s.Phi @ V.T
        qmax = max(np.max(np.abs(Z @ w), initial=0.0),
                   np.max(np.abs(s.X @ w_star), initial=0.0) if w_star is not None else 0.0)
        lim = _safe_scale(self.loss)
        if qmax > lim:
            w = w * (lim / qmax)
            if w_star is not None:
                w_star = w_star * (lim / qmax)
        return Point(s, self.loss, w, V, w_star, dict(self.extras),
                     {"feature_map": self.sample.f.describe(), "corner": corner})


@st.composite
def _point_recipe(draw, loss_names, allow_constructions, max_n, max_d, feature_kinds, max_width, w_mode,
                  with_w_star, corners, extras):
    loss = draw(losses(names=loss_names, allow_constructions=allow_constructions), label="loss")
    sr = draw(_cached_sample_recipes(loss.y_domain, max_n, max_d, tuple(feature_kinds), max_width, None),
              label="sample")
    d = sr.d
    k = sr.f.out_dim
    corner = draw(_choice(corners), label="corner")
    w0 = None
    w = None
    if w_mode != "zero":
        w = draw(array_recipes((d,), allow_sparse=w_mode != "nonzero"), label="w")
        w0 = w.expand()
        if w_mode == "nonzero" and not np.any(w0):
            w0[0] = 1.0
    V = draw(array_recipes((d, k)), label="V")
    w_star = draw(array_recipes((d,)), label="w_star") if with_w_star else None
    V_row = None
    if corner in ("V aligned with w", "w_star=-w, V aligned with w") and w0 is not None and np.any(w0):
        V_row = draw(array_recipes((k,)), label="V row")
    alpha = draw(_ALPHA, label="alpha") if with_w_star else None
    ex = {name: draw(strat, label=name) for name, strat in extras(d, k).items()} if extras else {}
    return PointRecipe(loss, sr, corner, w_mode, w, V, w_star, V_row, alpha, ex)


@expands
def _member0(recipe):
    return recipe.member()


def points(*, losses=None, allow_constructions: bool = True, max_n: int = 6, max_d: int = 6,
           feature_kinds=None, max_width: int = 6, w: str = "any", with_w_star: bool = True,
           corners=None, extras=None):
    """Instances ``Point(sample, loss, w, V, w*)`` of Section 3's setting.

    ``w``: "any", "nonzero" (w ≠ 0 by construction: Theorem 1, Lemma 1) or "zero" (Theorem 2).
    ``corners``: structured corners to mix in (see ``CORNERS``), default all.
    ``extras``: optional ``callable(d, k) -> {name: strategy}`` of claim-specific arrays.
    """
    loss_names = check_choice("losses", losses, LOSS_NAMES) or list(LOSS_NAMES)
    check_bool("allow_constructions", allow_constructions)
    check_int("max_n", max_n, 1, 64)
    check_int("max_d", max_d, 1, 64)
    check_int("max_width", max_width, 1, 8)
    feature_kinds = check_choice("feature_kinds", feature_kinds, FEATURE_KINDS) or list(FEATURE_KINDS)
    if w not in ("any", "nonzero", "zero"):
        raise InvalidArgument(f"w={w!r} must be 'any', 'nonzero' or 'zero'")
    check_bool("with_w_star", with_w_star)
    corners = check_choice("corners", corners, CORNERS) or list(CORNERS)
    if extras is not None and not callable(extras):
        raise InvalidArgument(f"extras={extras!r} must be a callable (d, k) -> dict of strategies")
    recipes = _point_recipe(tuple(loss_names), allow_constructions, max_n, max_d, tuple(feature_kinds),
                            max_width, w, with_w_star, tuple(corners), extras)
    return recipes.map(_member0)      # batched search expands its recipes (strategies.batches)
