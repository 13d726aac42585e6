"""One instance strategy per claim, satisfying the claim's hypotheses by construction.

Each takes the keyword-only filters of :func:`strategies.model.points` (``losses``,
``max_n``, ``max_d``, ``feature_kinds``, ``corners``, ...) so a reviewer can focus a search:
``CLAIMS["theorem1"].strategy(losses=["squared"], max_d=2)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from hypothesis import strategies as st

from theorems.model import losses as L
from theorems.model.constructions import theorem1_attaining

from .batches import batch_searched, expands
from .core import array_recipes, check_int, forwards_filters, not_fixed, scaled_arrays, scaled_floats
from .model import _safe_scale, points

__all__ = ["section3_points", "nonzero_w_points", "zero_w_points", "directional_points",
           "biased_points", "concave_loss_points", "CONCAVE", "theorem1_attaining_points", "theorem1_points"]


@forwards_filters(points, fixed=())
def section3_points(**filters):
    """Any point (w, V, w*) with a sample and a convex loss."""
    return points(**filters)


@forwards_filters(points, fixed=("w",))
def nonzero_w_points(**filters):
    """Points with w ≠ 0 (Lemma 1, Theorem 1): w is non-zero by construction."""
    return points(w="nonzero", **not_fixed(filters, ["w"]))


@forwards_filters(points, fixed=("w",))
def zero_w_points(**filters):
    """Points with w = 0 (Theorem 2)."""
    return points(w="zero", **not_fixed(filters, ["w"]))


def direction_extras(d, k):
    """A direction (D_w, D_V) with unit-scale entries, for directional derivatives."""
    return {"D_w": scaled_arrays((d,), min_exp=0, max_exp=0),
            "D_V": scaled_arrays((d, k), min_exp=0, max_exp=0)}


@forwards_filters(points, fixed=("extras",))
def directional_points(**filters):
    """Points with a direction (D_w, D_V) for directional derivatives (Eq. 7)."""
    return points(extras=direction_extras, **not_fixed(filters, ["extras"]))


def _bias(d, k):
    return {"a": scaled_arrays((d,)), "a0": scaled_arrays((1,))}


def _fit_biases(inst):
    # the biases add wᵀa + a₀ to every prediction: scale them so that this stays within the range
    # where the loss is finite in float64 (e^|3p| for the exponential loss), as the points keep
    # wᵀ(x + Vφ) — by construction, not by a filter
    safe = _safe_scale(inst.loss)
    a, a0 = inst.extras["a"], inst.extras["a0"]
    size = float(abs(inst.w @ a) + abs(a0[0]))
    if size <= safe:
        return inst
    f = safe / size
    return replace(inst, extras=dict(inst.extras, a=a * f, a0=a0 * f))


@forwards_filters(points, fixed=("extras",))
def biased_points(**filters):
    """Points with biases a ∈ R^d and a0 ∈ R (Remark 1), the biased predictions kept in the range
    where the loss is finite in float64."""
    return points(extras=_bias, **not_fixed(filters, ["extras"])).map(_fit_biases)


# A concave "loss": the statements of Section 3 without Assumption 1 (ℓ convex in p)
CONCAVE = L.from_expression("-(p - y)**2/2", name="concave -½(p−y)²", check_convex=False)


def concave_loss_points():
    """Points with w ≠ 0 whose 'loss' is the concave −½(p − y)²: Assumption 1 dropped."""
    return nonzero_w_points(losses=["squared"], allow_constructions=False).map(
        lambda i: replace(i, loss=CONCAVE))


@dataclass(frozen=True, eq=False)
class _AttainingRecipe:
    """The choices of a ``theorem1_attaining_points`` draw; ``member(rng)`` a batch member (the
    same d, k, σ and array styles, the entries of w, a, B from ``rng``; see ``strategies.batches``)."""

    w: object
    a: object
    sigma: float
    B: object

    def member(self, rng=None):
        w, a = self.w.expand(rng), self.a.expand(rng)
        if not np.any(w) or not np.any(a):
            w, a = w + (not np.any(w)), a + (not np.any(a))     # non-zero by construction
        return theorem1_attaining(w, a, self.sigma, self.B.expand(rng))


@st.composite
def _theorem1_attaining_recipe(draw, max_d, max_k):
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    w = draw(array_recipes((d,), min_exp=-2, max_exp=2, allow_sparse=False), label="w")
    a = draw(array_recipes((k,), min_exp=0, max_exp=0, allow_sparse=False), label="a")
    sigma = abs(draw(scaled_floats(min_exp=-2, max_exp=2, allow_zero=False), label="sigma"))
    B_ = draw(array_recipes((d, k), min_exp=-2, max_exp=0), label="B")
    return _AttainingRecipe(w, a, sigma, B_)


@expands
def _member0(recipe):
    return recipe.member()


def theorem1_attaining_points(*, max_d: int = 3, max_k: int = 3):
    """Instances where Theorem 1 and Eq. (6) are attained (``theorem1_attaining``): the family on
    which the bound's every part matters, so the necessity analysis searches it too."""
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    recipes = _theorem1_attaining_recipe(max_d, max_k)
    return recipes.map(_member0)      # batched search expands its recipes (strategies.batches)


@batch_searched
@forwards_filters(points, fixed=("w",))
def theorem1_points(**filters):
    """Theorem 1's and Eq. (6)'s instances: w ≠ 0 points, plus — when no filter narrows the search —
    the family where both bounds are attained (``theorem1_attaining_points``), so the search and its
    tightness start from the cases where every part of the bound matters."""
    base = nonzero_w_points(**filters)
    return base if filters else st.one_of(base, theorem1_attaining_points())

