"""One instance strategy per claim, satisfying the claim's hypotheses by construction.

Each takes the keyword-only filters of :func:`strategies.model.points` (``losses``,
``max_n``, ``max_d``, ``feature_kinds``, ``corners``, ...) so a reviewer can focus a search:
``CLAIMS["theorem1"].strategy(losses=["squared"], max_d=2)``.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis.errors import InvalidArgument

from theorems.model import losses as L

from .core import forwards_filters, scaled_arrays
from .model import points

__all__ = ["section3_points", "nonzero_w_points", "zero_w_points", "directional_points",
           "biased_points", "concave_loss_points", "CONCAVE"]


def _only(filters, forbidden):
    bad = sorted(set(filters) & set(forbidden))
    if bad:
        raise InvalidArgument(f"{bad[0]}= is fixed by this claim's hypotheses and cannot be set")
    return filters


@forwards_filters(points, fixed=())
def section3_points(**filters):
    """Any point (w, V, w*) with a sample and a convex loss."""
    return points(**filters)


@forwards_filters(points, fixed=("w",))
def nonzero_w_points(**filters):
    """Points with w ≠ 0 (Lemma 1, Theorem 1): w is non-zero by construction."""
    return points(w="nonzero", **_only(filters, ["w"]))


@forwards_filters(points, fixed=("w",))
def zero_w_points(**filters):
    """Points with w = 0 (Theorem 2)."""
    return points(w="zero", **_only(filters, ["w"]))


def _direction(d, k):
    return {"D_w": scaled_arrays((d,), min_exp=0, max_exp=0),
            "D_V": scaled_arrays((d, k), min_exp=0, max_exp=0)}


@forwards_filters(points, fixed=("extras",))
def directional_points(**filters):
    """Points with a direction (D_w, D_V) for directional derivatives (Eq. 7)."""
    return points(extras=_direction, **_only(filters, ["extras"]))


def _bias(d, k):
    return {"a": scaled_arrays((d,)), "a0": scaled_arrays((1,))}


@forwards_filters(points, fixed=("extras",))
def biased_points(**filters):
    """Points with biases a ∈ R^d and a0 ∈ R (Remark 1)."""
    return points(extras=_bias, **_only(filters, ["extras"]))


# A concave "loss": the statements of Section 3 without Assumption 1 (ℓ convex in p)
CONCAVE = L.from_expression("-(p - y)**2/2", name="concave -½(p−y)²", check_convex=False)


def concave_loss_points():
    """Points with w ≠ 0 whose 'loss' is the concave −½(p − y)²: Assumption 1 dropped."""
    return nonzero_w_points(losses=["squared"], allow_constructions=False).map(
        lambda i: replace(i, loss=CONCAVE))

