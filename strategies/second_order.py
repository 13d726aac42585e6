"""Instance strategies for the second-order results: Lemma 2, Theorem 2, Theorem 3, Corollary 1.

- ``lemma2_matrices``: (b, u) with b of either sign or 0 and u over several magnitudes, including
  u = 0 (every case of "some scalar b" and "a vector u").
- ``zero_w_direction_points``: w = 0 points with a direction (D_w, D_V) (Eq. 8–9 directional check).
- ``box_points``: Theorem 3's setting — a point inside the box max(‖w‖, ‖V‖) < b with the box
  size b and the radius r stored as ``extras["b"]``, ``extras["r"]`` (shape (1,)).
- ``start_points``: small instances whose (w, V) is a start for a second-order method (Cor. 1).

All take keyword-only arguments and raise ``InvalidArgument`` naming a bad one.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model.arrow import Lemma2Matrix

from .core import check_int, scaled_arrays, scaled_floats
from .model import points

__all__ = ["lemma2_matrices", "zero_w_direction_points", "box_points", "start_points", "B_SIGNS"]

B_SIGNS = ("any", "nonnegative", "negative")


@st.composite
def _lemma2(draw, max_size, b_sign, min_exp, max_exp):
    k = draw(st.integers(1, max_size - 1), label="len(u)")
    b = draw(scaled_floats(min_exp=min_exp, max_exp=max_exp), label="b")
    if b_sign == "nonnegative":
        b = abs(b)
    elif b_sign == "negative":
        b = -abs(b) if b != 0 else -(10.0 ** min_exp)
    kind = draw(st.sampled_from(["generic", "u=0", "one entry"]), label="u kind")
    if kind == "u=0":
        u = np.zeros(k)
    else:
        u = draw(scaled_arrays((k,), min_exp=min_exp, max_exp=max_exp, jitter=1), label="u")
        if kind == "one entry":
            u[1:] = 0.0
    return Lemma2Matrix(b, u, {"u kind": kind})


def lemma2_matrices(*, max_size: int = 6, b_sign: str = "any", min_exp: int = -3, max_exp: int = 3):
    """Lemma 2 instances: M = [[b, uᵀ], [u, 0]] of size 2..max_size."""
    check_int("max_size", max_size, 2, 64)
    if b_sign not in B_SIGNS:
        raise InvalidArgument(f"b_sign={b_sign!r} must be one of {B_SIGNS}")
    check_int("min_exp", min_exp, -12, 12)
    check_int("max_exp", max_exp, -12, 12)
    if min_exp > max_exp:
        raise InvalidArgument(f"min_exp={min_exp} must be <= max_exp={max_exp}")
    return _lemma2(max_size, b_sign, min_exp, max_exp)


def _direction(d, k):
    return {"D_w": scaled_arrays((d,), min_exp=0, max_exp=0),
            "D_V": scaled_arrays((d, k), min_exp=0, max_exp=0)}


def _only(filters, forbidden):
    bad = sorted(set(filters) & set(forbidden))
    if bad:
        raise InvalidArgument(f"{bad[0]}= is fixed by this claim's hypotheses and cannot be set")
    return filters


def zero_w_direction_points(**filters):
    """Points with w = 0 and a direction (D_w, D_V) (Eq. 8–9 checked along it)."""
    return points(w="zero", extras=_direction, **_only(filters, ["w", "extras"]))


def any_w_direction_points(**filters):
    """Points with any w and a direction (negative control: Eq. 8–9 away from w = 0)."""
    return points(w="nonzero", extras=_direction, **_only(filters, ["w", "extras"]))


_SLACK = st.sampled_from([2.0 ** -30, 1e-3, 0.1, 1.0, 10.0])


@st.composite
def _box(draw, base):
    inst = draw(base, label="point")
    wn = float(np.linalg.norm(inst.w))
    Vn = float(np.linalg.norm(inst.V, 2)) if inst.V.size else 0.0
    m = max(wn, Vn)
    if m > 0:
        b = m * (1.0 + draw(_SLACK, label="box slack"))     # strictly inside the open box
    else:
        b = draw(scaled_floats(min_exp=-2, max_exp=2, allow_zero=False), label="b").__abs__()
    r = abs(draw(scaled_floats(min_exp=-2, max_exp=2, allow_zero=False), label="r"))
    ex = dict(inst.extras)
    ex.update(b=np.array([b]), r=np.array([r]))
    return replace(inst, extras=ex, w_star=None)


def box_points(*, w: str = "any", **filters):
    """Points inside Theorem 3's box max(‖w‖, ‖V‖) < b, with b and the radius r in ``extras``."""
    if w not in ("any", "nonzero", "zero"):
        raise InvalidArgument(f"w={w!r} must be 'any', 'nonzero' or 'zero'")
    filters = _only(filters, ["extras", "with_w_star"])
    filters.setdefault("max_d", 6)
    return _box(points(w=w, with_w_star=False, **filters))


def start_points(**filters):
    """Small instances (n ≤ 5, d ≤ 3, k ≤ 3 by default) whose (w, V) starts a local search."""
    filters = _only(filters, ["with_w_star", "extras"])
    filters.setdefault("max_n", 5)
    filters.setdefault("max_d", 3)
    filters.setdefault("max_width", 3)
    return points(with_w_star=False, **filters)
