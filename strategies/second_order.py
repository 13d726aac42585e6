"""Instance strategies for the second-order results: Lemma 2, Theorem 2, Theorem 3, Corollary 1.

- ``lemma2_matrices``: (b, u) with b of either sign or 0 and u over several magnitudes, including
  u = 0 (every case of "some scalar b" and "a vector u").
- ``zero_w_direction_points``: w = 0 points with a direction (D_w, D_V) (Eq. 8–9 directional check).
- ``box_points``: Theorem 3's setting — a point inside the box max(‖w‖, ‖V‖) < b with the box
  size b and the radius r stored as ``extras["b"]``, ``extras["r"]`` (shape (1,)).
- ``start_points``: small instances whose (w, V) is a start for a second-order method (Cor. 1).
- ``theorem2_points``: w = 0 points in named families (``meta["corner"]``, each its own share of
  the budget): drawn points whose w* is non-trivial at w = 0 (generic, or w* ∝ −∇F_lin(0)),
  stationary points (0, V) (∇F_θ(0, V) = 0, λ_min < 0: only the curvature term carries the bound),
  and the two families where Theorem 2 is attained (``theorems.model.second_order_constructions``).
- ``theorem3_points``: box points plus near-ε-SOPSPs with negative curvature and a positive gap:
  stationary points (0, V) and Example 1 embedded in higher dimension, at w = 0 or moved by a
  small w, inside the box.
- ``linear_box_points``, ``weak_curvature_points``: the families where the parts of Theorem 3's and
  Eq. (15)'s bounds bite (``theorem3_necessity_points``, ``eq15_necessity_points``).
- ``corollary1_points``: starts for Corollary 1 whose local minima are non-degenerate (X ≠ 0,
  informative features, a start away from (0, 0)), plus ``start_points``.

All take keyword-only arguments and raise ``InvalidArgument`` naming a bad one.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model import Point, Sample
from theorems.model import losses as L
from theorems.model.arrow import Lemma2Matrix
from theorems.model.lipschitz import lipschitz_constants
from theorems.model.second_order_constructions import (
    augmented_minimum,
    descent_w_star,
    example1_embedded,
    linear_box_point,
    linear_optimum_sopsp,
    stationary_at_zero,
    stationary_V,
    theorem2_attaining,
    weak_curvature_stationary,
)

from .core import check_int, forwards_filters, not_fixed, scaled_arrays, scaled_floats
from .instances import direction_extras
from .model import points

__all__ = ["lemma2_matrices", "zero_w_direction_points", "box_points", "start_points", "B_SIGNS",
           "theorem2_points", "theorem3_points", "corollary1_points", "stationary_zero_points",
           "flat_feature_points",
           "theorem2_attaining_points", "example1_embedded_points", "theorem2_necessity_points", "sopsp_points",
           "augmented_minimum_points",
           "far_box_points", "theorem3_necessity_points", "linear_box_points", "weak_curvature_points",
           "eq14_necessity_points", "eq15_necessity_points", "large_b_points", "LIPSCHITZ_LOSSES",
           "smaller_region_points", "max_display_points", "max_eps_points"]

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


@forwards_filters(points, fixed=("w", "extras"))
def zero_w_direction_points(**filters):
    """Points with w = 0 and a direction (D_w, D_V) (Eq. 8–9 checked along it)."""
    return points(w="zero", extras=direction_extras, **not_fixed(filters, ["w", "extras"]))


@forwards_filters(points, fixed=("w", "extras"))
def any_w_direction_points(**filters):
    """Points with any w and a direction (negative control: Eq. 8–9 away from w = 0)."""
    return points(w="nonzero", extras=direction_extras, **not_fixed(filters, ["w", "extras"]))


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
    # Theorem 3 needs finite μ0, μ1, μ2: where the float64 bounds overflow (the exponential loss on a
    # large box), shrink the point and its box together until they are finite (by construction)
    w, V = inst.w, inst.V
    for _ in range(40):
        if all(np.isfinite(float(m)) for m in lipschitz_constants(inst.sample, inst.loss, b)):
            break
        w, V, b = w / 4, V / 4, b / 4
    ex = dict(inst.extras)
    ex.update(b=np.array([b]), r=np.array([r]))
    return replace(inst, w=w, V=V, extras=ex, w_star=None)


@forwards_filters(points, fixed=("extras", "with_w_star"))
def box_points(*, w: str = "any", **filters):
    """Points inside Theorem 3's box max(‖w‖, ‖V‖) < b, with b and the radius r in ``extras``."""
    if w not in ("any", "nonzero", "zero"):
        raise InvalidArgument(f"w={w!r} must be 'any', 'nonzero' or 'zero'")
    filters = not_fixed(filters, ["extras", "with_w_star"])
    filters.setdefault("max_d", 6)
    return _box(points(w=w, with_w_star=False, **filters))


@forwards_filters(points, fixed=("with_w_star", "extras"))
def start_points(**filters):
    """Small instances (n ≤ 5, d ≤ 3, k ≤ 3 by default) whose (w, V) starts a local search."""
    filters = not_fixed(filters, ["with_w_star", "extras"])
    filters.setdefault("max_n", 5)
    filters.setdefault("max_d", 3)
    filters.setdefault("max_width", 3)
    return points(with_w_star=False, **filters)


# ---------------------------------------------------------------- Theorem 2's constructed regimes

# the corners of ``points`` that stay distinct at w = 0 (w* = ±w, w* = 0 and "V aligned with w"
# all collapse to w* = 0 there, where Theorem 2 reads 0 ≥ 0)
ZERO_W_CORNERS = ("generic", "V=0", "w_star top singular of V")
FEATURE_KINDS_RICH = ("relu", "leaky_relu", "tanh", "maxpool", "residual")   # no degenerate f_θ
_T = st.sampled_from([1e-6, 1e-3, 0.1, 1.0, 10.0])
_PHI_SCALE = st.sampled_from([1.0, 1.0, 1e-2, 0.1, 10.0, 100.0])


def _ramp(n, m, shift=0.0):
    return (np.arange(1, n * m + 1, dtype=np.float64).reshape(n, m) / (n * m) + shift) * (-1.0) ** np.arange(m)


def _nondegenerate(inst):
    """``inst`` with X ≠ 0, f_θ(X) ≠ 0 and ℓ'(0; y) ≠ 0 (a deterministic repair of the all-zero
    draws Hypothesis shrinks towards), so that r and ∇F_lin(0) can be non-zero."""
    s, loss = inst.sample, inst.loss
    if not np.any(s.X):
        s = replace(s, X=_ramp(s.n, s.d))
    if not np.any(s.Phi):
        s = replace(s, Phi=_ramp(s.n, s.k, 0.5))
    if not np.any(loss.d1(0 * s.y, s.y)):
        try:
            loss.check_targets(s.y + 1.0)
            s = replace(s, y=s.y + 1.0)
        except Exception:
            pass
    return replace(inst, sample=s)


def _rescale_phi(inst, c):
    return replace(inst, sample=replace(inst.sample, Phi=inst.sample.Phi * c)) if c != 1.0 else inst


@st.composite
def _descent(draw, base):
    inst = _nondegenerate(draw(base, label="point"))
    ws = descent_w_star(inst.sample, inst.loss, draw(_T, label="t"))
    if ws is None:
        return inst
    return replace(inst, w_star=ws, meta=dict(inst.meta, corner="w_star ∝ −∇F_lin(0)"))


@st.composite
def _stationary(draw, base):
    inst = _nondegenerate(draw(base, label="point"))
    inst = _rescale_phi(inst, draw(_PHI_SCALE, label="f_θ scale"))
    d, k = inst.sample.d, inst.sample.k
    N = draw(st.one_of(st.just(np.zeros((d, k))), scaled_arrays((d, k), min_exp=-2, max_exp=1)), label="N")
    t = draw(_T, label="t")
    out = stationary_at_zero(inst, N, t)
    if out is None:         # r = 0 or ∇F_lin(0) = 0: no stationary (0, V) with a positive gap
        ws = descent_w_star(inst.sample, inst.loss, t)
        out = replace(inst, w_star=inst.w_star if ws is None else ws,
                      meta=dict(inst.meta, corner="stationary unavailable (r = 0 or ∇F_lin(0) = 0)"))
        return _nonzero_w_star(out)
    return out


def flat_feature_points(*, max_n: int = 5, max_d: int = 4):
    """w = 0 with f_θ ≡ 0 (a network whose every feature vanishes) and w* = −t∇F_lin(0): then
    ∇²F_θ(0, V) = [[E[ℓ″xxᵀ], 0], [0, 0]], so λ_min = 0 exactly, while ∇F_θ(0, V) = ∇F_lin(0) ≠ 0 and
    the gap is positive — where Theorem 2's dichotomy rests on its gradient alternative alone."""
    check_int("max_n", max_n, 1, 16)
    check_int("max_d", max_d, 1, 8)
    return _flat(points(w="zero", max_n=max_n, max_d=max_d, feature_kinds=["zero"], corners=("generic",)))


@st.composite
def _flat(draw, base):
    inst = draw(base, label="point")
    s = inst.sample
    if np.any(s.Phi):           # the "zero" feature map draws f_θ ≡ 0; keep it so (no _nondegenerate repair)
        s = replace(s, Phi=0 * s.Phi)
    if not np.any(s.X):
        s = replace(s, X=_ramp(s.n, s.d))
    ws = descent_w_star(s, inst.loss, draw(_T, label="t"))
    assume(ws is not None)      # ∇F_lin(0) = 0: no descent direction, no positive gap
    return replace(inst, sample=s, w_star=ws, meta=dict(inst.meta, corner="f_θ ≡ 0, w* ∝ −∇F_lin(0)"))


def stationary_zero_points(*, max_n: int = 5, max_d: int = 4, max_width: int = 3):
    """Stationary points (0, V): V = −∇F_lin(0) rᵀ/‖r‖² + N(I − r rᵀ/‖r‖²), w* = −t∇F_lin(0) with a
    positive gap (``second_order_constructions.stationary_at_zero``); f_θ rescaled over several
    orders so ‖r‖ ranges over them. A drawn point whose r or ∇F_lin(0) is 0 is kept unchanged."""
    check_int("max_n", max_n, 1, 16)
    check_int("max_d", max_d, 1, 8)
    check_int("max_width", max_width, 1, 6)
    base = points(w="zero", max_n=max_n, max_d=max_d, max_width=max_width, feature_kinds=FEATURE_KINDS_RICH,
                  corners=("generic",))
    return _stationary(base)


@st.composite
def _attaining(draw, max_n, max_d, max_k):
    n = draw(st.integers(1, max_n), label="n")
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=0, max_exp=0, allow_sparse=False), label="y")
    Phi = draw(scaled_arrays((n, k), min_exp=-2, max_exp=2, allow_sparse=False), label="Phi")
    s = Sample(X, y, np.full(n, 1.0 / n), Phi)
    stationary = draw(st.booleans(), label="stationary V")
    out = theorem2_attaining(s, draw(_T, label="t"), stationary=stationary)
    if out is None:
        out = theorem2_attaining(replace(s, X=X + 1.0, y=y + 1.0), 1.0)
    # (both fail only when ∇F_lin(0) = 0 on the shifted data too: a rare draw, discarded, never None)
    assume(out is not None)
    return out


def theorem2_attaining_points(*, max_n: int = 4, max_d: int = 3, max_k: int = 3):
    """Instances where Theorem 2 is attained (``second_order_constructions.theorem2_attaining``):
    linear loss, w* = −t∇F_lin(0), V = 0 or the stationary V."""
    check_int("max_n", max_n, 1, 16)
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    return _attaining(max_n, max_d, max_k)


@forwards_filters(points, fixed=("w",))
def theorem2_points(**filters):
    """Theorem 2's instances (w = 0). With no filter: drawn points with a non-trivial w*
    (``ZERO_W_CORNERS``), w* ∝ −∇F_lin(0), stationary points (0, V) and the attaining family, each
    a named corner with its own share; with filters, ``points(w="zero", **filters)``."""
    not_fixed(filters, ["w"])
    if filters:
        return points(w="zero", **filters).map(_nonzero_w_star)
    base = points(w="zero", corners=ZERO_W_CORNERS).map(_nonzero_w_star)
    return st.one_of(base, _descent(base), stationary_zero_points(), theorem2_attaining_points())


def _nonzero_w_star(inst):
    """w* ≠ 0 (Theorem 2's right side is 0/0 at w* = 0): a zero draw becomes e_1, or −∇F_lin(0)·t."""
    if inst.w_star is not None and np.any(inst.w_star):
        return inst
    ws = descent_w_star(inst.sample, inst.loss)
    if ws is None:
        ws = np.zeros(inst.sample.d)
        ws[0] = 1.0
    return replace(inst, w_star=ws)


def theorem2_necessity_points():
    """Where every part of Theorem 2's bound bites: stationary points (0, V) (the gradient term is 0)
    and the attaining family (the bound is an equality)."""
    return st.one_of(stationary_zero_points(), theorem2_attaining_points())


# ---------------------------------------------------------------- Theorem 3's constructed regimes

@st.composite
def _example1(draw, max_d, max_k):
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    i = draw(st.integers(0, d - 1), label="i")
    j = draw(st.integers(0, k - 1), label="j")
    m = draw(st.integers(0, 6), label="m (ε = 2^−m)")
    N = draw(st.one_of(st.just(np.zeros((d, k))), scaled_arrays((d, k), min_exp=-1, max_exp=0)), label="N")
    inst, _ = example1_embedded(d, k, i, j, m, N)
    return inst


def example1_embedded_points(*, max_d: int = 3, max_k: int = 3):
    """Example 1 embedded in ℝ^d × ℝ^{d×k} (``second_order_constructions.example1_embedded``): an exact
    stationary point (0, V) with λ_min = −ε, F = ½ and inf F_lin = 0."""
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    return _example1(max_d, max_k)


@st.composite
def _sopsp(draw, max_n, max_d, max_k):
    n = draw(st.integers(1, max_n), label="n")
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=-1, max_exp=1, allow_sparse=False), label="y")
    Phi = draw(scaled_arrays((n, k), min_exp=-2, max_exp=1), label="Phi")
    p = draw(st.sampled_from(["uniform", "skewed"]), label="p")
    p = np.full(n, 1.0 / n) if p == "uniform" else np.arange(1, n + 1, dtype=np.float64) / (n * (n + 1) / 2)
    N = draw(scaled_arrays((d, k), min_exp=-2, max_exp=1), label="N")
    out = linear_optimum_sopsp(Sample(X, y, p, Phi), N)
    if out is None:
        out = linear_optimum_sopsp(Sample(X + 1.0, y + 1.0, p, Phi), N)
    # the shifted sample can fail too (found by the nightly-size audit, seed 1: the strategy returned
    # None): a rare draw, discarded, as in ``_attaining``
    assume(out is not None)
    return out


def sopsp_points(*, max_n: int = 5, max_d: int = 3, max_k: int = 3):
    """Second-order stationary points at w ≠ 0 (``second_order_constructions.linear_optimum_sopsp``):
    ε at rounding level, so Theorem 3's bound is small and can fail."""
    check_int("max_n", max_n, 1, 16)
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    return _sopsp(max_n, max_d, max_k)


_W_MOVE = st.sampled_from([0.0, 0.0, 1e-8, 1e-5, 1e-3])


@st.composite
def _near_sopsp(draw, base):
    inst = draw(base, label="stationary point")
    a = draw(_W_MOVE, label="‖w‖")
    if a > 0:
        u = draw(scaled_arrays((inst.sample.d,), min_exp=0, max_exp=0, allow_sparse=False), label="w direction")
        nu = float(np.linalg.norm(u))
        if nu > 0:
            inst = replace(inst, w=u * (a / nu))
    corner = inst.meta.get("corner", "?") + (", w moved" if a > 0 else "")
    return replace(inst, meta=dict(inst.meta, corner=corner))


@forwards_filters(points, fixed=("extras", "with_w_star"))
def theorem3_points(**filters):
    """Theorem 3's instances: ``box_points`` and, with no filter, near-ε-SOPSPs with negative
    curvature and a positive gap (stationary points (0, V), Example 1 embedded; w = 0 or moved by
    ‖w‖ ≤ 10⁻³) placed in a box, second-order stationary points at w ≠ 0, stationary points rescaled to
    a large b (``large_b_points``: b is a free choice of the theorem) and all of these on a smaller
    convex 𝓜 with its own μ's (``smaller_region_points``: 𝓜 is one too)."""
    if filters:
        return box_points(**filters)
    near = _near_sopsp(st.one_of(stationary_zero_points(max_d=3), example1_embedded_points()))
    # the two families of the theorem's free choices (b, 𝓜) share one branch: the drawn and constructed
    # points keep 4/5 of the budget (as two branches they took 1/3 of it)
    return st.one_of(box_points(), _box(near), _box(sopsp_points()), _box(sopsp_points()),
                     st.one_of(large_b_points(), smaller_region_points()))


# losses with bounded first three derivatives: the μ's of a rescaled point do not grow with b (large_b_points)
LIPSCHITZ_LOSSES = ("logistic", "softplus", "pseudo_huber", "logcosh")
_B_TARGET = st.sampled_from([1e2, 1e3, 1e4, 1e5])


@st.composite
def _large_b(draw, max_n):
    n = draw(st.integers(2, max_n), label="n")
    X = draw(scaled_arrays((n, 1), min_exp=-1, max_exp=0, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=-1, max_exp=0, allow_sparse=False), label="y")
    Phi = draw(scaled_arrays((n, 1), min_exp=-3, max_exp=0, allow_sparse=False), label="Phi")
    loss = L.from_spec({"name": draw(st.sampled_from(LIPSCHITZ_LOSSES), label="loss")})
    try:
        loss.check_targets(y)
    except ValueError:                        # a classification loss: labels ±1 by the drawn signs
        y = np.where(y >= 0, 1.0, -1.0)
    s = Sample(X, y, np.full(n, 1.0 / n), Phi)
    V = stationary_V(s, loss)
    if V is None or not np.any(V):             # r̃ = 0 or ∇F_lin(0) = 0: a fixed non-degenerate sample
        s = replace(s, X=_ramp(n, 1, 1.0), y=np.ones(n), Phi=_ramp(n, 1, 0.5) ** 2)
        V = stationary_V(s, loss)
    assume(V is not None and np.any(V))      # (both degenerate: a rare draw, discarded)
    goal = draw(_B_TARGET, label="‖V‖ after rescaling")
    c = 2.0 ** round(float(np.log2(goal / np.linalg.norm(V, 2))))    # a power of 2: the rescaling is exact
    slack = draw(st.sampled_from([2.0 ** -30, 1e-3, 0.1]), label="box slack")
    r = abs(draw(scaled_floats(min_exp=-2, max_exp=1, allow_zero=False), label="r"))
    b = float(np.linalg.norm(V * c, 2)) * (1 + slack)
    return Point(replace(s, Phi=s.Phi / c), loss, np.zeros(1), V * c, None,
                 {"b": np.array([b]), "r": np.array([r])},
                 {"feature_map": "drawn", "corner": "stationary (0, V) rescaled to a large b"})


def large_b_points(*, max_n: int = 4):
    """Stationary points (0, V) with d = k = 1 and a loss with bounded ℓ', ℓ'', ℓ''' (``LIPSCHITZ_LOSSES``),
    rescaled by (V, Φ) → (cV, Φ/c), c a power of 2, to ‖V‖ ≈ 10²–10⁵, in a box b just above ‖V‖.

    The rescaling keeps z = x + Vf_θ(x), hence F, ∇F_lin(0), the gap and stationarity, and keeps μ0, μ1,
    μ2 (they see b only through b‖φ‖ when the loss's derivatives are bounded), while r̃ = E[ℓ'(0)f_θ(x)]
    shrinks as 1/c. With d = 1 and n ≥ 2 the w-block E[ℓ''(0)z²] of ∇²F_θ(0, V) is positive, so λ_min ≈
    −‖r̃‖²/E[ℓ''(0)z²] ∝ 1/c² and ε = λ_min²/μ2 ∝ 1/c⁴: the term of the δ = √ε display with √(2b)·ε^¼
    shrinks as c^−½ while √2·b·ε^¼ (the derived display, Theorem 3's P) stays put — the family where the
    printed √(2b) fails (``theorems.theorem3``; the nightly's witness, b = 715, is one of it). With d > n
    or n = 1 that block is singular, λ_min ≈ −‖r̃‖ ∝ 1/c, and nothing shrinks."""
    check_int("max_n", max_n, 2, 16)
    return _large_b(max_n)


@st.composite
def _smaller(draw, base):
    inst = draw(base, label="point in a box")
    w, V = inst.w, inst.V
    wn = float(np.linalg.norm(w))
    slack = draw(st.sampled_from([2.0 ** -30, 1e-3, 0.1]), label="set slack")
    ex = dict(inst.extras)
    rho = float(np.linalg.norm(np.concatenate([w.ravel(), V.ravel()])))
    b = float(ex["b"][0])
    b_w = wn * (1 + slack) if wn > 0 else b * draw(st.sampled_from([1e-1, 1e-3, 1e-6]), label="b_w/b")
    # always a smaller 𝓜: the ball needs (w, V) ≠ 0, the w-box needs ‖w‖ < b_w ≤ b; where the drawn kind
    # cannot hold the point, the other one can (before, the plain box came back unchanged)
    ball = draw(st.booleans(), label="ball")
    if ball and not rho > 0:
        ball = False
    if not ball and not wn < min(b_w, b):
        ball = rho > 0
        assume(ball)
    if ball:
        ex.update(b=np.array([rho * (1 + slack)]), ball=np.array([1.0]))
        kind = "ball ‖w‖² + ‖V‖_Fr² < b²"
    else:
        ex.update(b_w=np.array([min(b_w, b)]))
        kind = "‖w‖ < b_w, ‖V‖ < b"
    return replace(inst, extras=ex, meta=dict(inst.meta, corner=f"smaller 𝓜 ({kind}): {inst.meta.get('corner', '?')}"))


def smaller_region_points():
    """Theorem 3's points on a smaller convex 𝓜 than the box max(‖w‖, ‖V‖) < b: a ball ‖w‖² + ‖V‖_Fr² < b²
    (``extras["ball"]``, b just above ‖(w, V)‖) or a box with its own w-radius, ‖w‖ < b_w ≤ b, ‖V‖ < b
    (``extras["b_w"]``, b_w just above ‖w‖, or 10⁻¹–10⁻⁶·b at w = 0). Theorem 3 holds for any such 𝓜 with
    the μ's of that set, which are smaller (``theorems.theorem3.region_constants``), and so is its bound. Built
    on the near-ε-SOPSPs, the second-order stationary points at w ≠ 0 and ``large_b_points``."""
    near = _near_sopsp(st.one_of(stationary_zero_points(max_d=3), example1_embedded_points()))
    return _smaller(st.one_of(_box(near), _box(sopsp_points()), large_b_points()))


def _seen_direction(X, u):
    """(X, u) with u ≠ 0 and X u ≠ 0, by construction: a zero entry of u becomes 1 and the first
    sample is put along u where the sample did not see it (X u = 0). (Shifting both by 1, as before,
    gave u = 0 for u = −1: a NaN w, found by the nightly.)"""
    if np.any(X @ u) and np.any(u):
        return X, u
    u = np.where(u != 0, u, 1.0)
    X = X.copy()
    X[0] = u
    return X, u


@st.composite
def _far(draw, max_n, max_d, max_k):
    n = draw(st.integers(1, max_n), label="n")
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    X = draw(scaled_arrays((n, d), min_exp=0, max_exp=0, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=-1, max_exp=0), label="y")
    Phi = draw(scaled_arrays((n, k), min_exp=-1, max_exp=0), label="Phi")
    u = draw(scaled_arrays((d,), min_exp=0, max_exp=0, allow_sparse=False), label="w direction")
    X, u = _seen_direction(X, u)
    t = draw(st.sampled_from([10.0, 100.0, 1000.0]), label="‖w‖")
    w = u * (t / np.linalg.norm(u))
    r = draw(st.sampled_from([0.01, 0.1, 1.0]), label="r")
    s = Sample(X, y, np.full(n, 1.0 / n), Phi)
    ex = {"b": np.array([t * 1.01]), "r": np.array([r])}
    return Point(s, L.squared(), w, np.zeros((d, k)), None, ex, {"feature_map": "drawn", "corner": "far point"})


def far_box_points(*, max_n: int = 4, max_d: int = 3, max_k: int = 2):
    """Points with a large ‖w‖ (10–1000) near the edge of their box, V = 0, squared loss, small r:
    typically ε = ‖∇F‖ ≫ 1 and F(w, V, θ) − min F_lin ~ ‖w‖². Not where Theorem 3's ε term carries the
    bound: the squared loss's μ0 ~ b³ makes ε^¼·P ≥ μ0·ε^¼ far above the gap (measured: the ε-dropped
    variant is never refuted here); ``linear_box_points(features=False)`` is that family."""
    check_int("max_n", max_n, 1, 16)
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    return _far(max_n, max_d, max_k)


@st.composite
def _linear_box(draw, max_d, max_k, features):
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    u = draw(scaled_arrays((d,), min_exp=0, max_exp=0, allow_sparse=False), label="w direction")
    a = draw(scaled_arrays((k,), min_exp=0, max_exp=0, allow_sparse=False), label="top right singular vector of V")
    if not np.any(u):
        u = np.ones(d)
    if not np.any(a):
        a = np.ones(k)
    slack = draw(st.sampled_from([1e-3, 1e-2]), label="box slack")
    if features:
        # r/b in (½, 1): every constant of Eq. (15) bites (theorems.theorem3 docstring)
        b = draw(st.sampled_from([0.1, 1.0, 10.0, 100.0]), label="b")
        r = b * draw(st.sampled_from([0.6, 0.75, 0.9]), label="r/b")
        g = draw(st.sampled_from([1e-2, 1.0, 16.0]), label="‖∇F‖")
        t = b / (1 + slack)
        B_ = draw(st.one_of(st.none(), scaled_arrays((d, k), min_exp=-1, max_exp=0)), label="B")
        out = linear_box_point(u, a, t, t, r, b, g, features=True, B_=B_)
    else:
        # g^¾(‖w‖ + r) > r + √(2b² + 2r²) + g + rb on this grid: the ε term carries the bound
        b = draw(st.sampled_from([10.0, 100.0]), label="b")
        r = draw(st.sampled_from([0.5, 1.0, 2.0]), label="r")
        g = draw(st.sampled_from([16.0, 81.0]), label="ε = ‖∇F‖")
        sigma = b * draw(st.sampled_from([0.0, 0.5, 0.99]), label="‖V‖/b")
        out = linear_box_point(u, a, b / (1 + slack), sigma, r, b, g, features=False)
    return out


def linear_box_points(*, features: bool = True, max_d: int = 3, max_k: int = 3):
    """Linear-loss points of Theorem 3's box (``second_order_constructions.linear_box_point``).
    ``features=True``: Eq. (6) attained with w* = the ball minimiser, ‖w‖ = ‖V‖ → b and r/b ∈ (½, 1)
    (Eq. 15 within a factor (t + r)/√(2b² + 2r²) of equality). ``features=False``: f_θ ≡ 0, ‖w‖ → b,
    ε = ‖∇F_θ‖ = μ0 ∈ {16, 81}, b ∈ {10, 100}: the gap ε(‖w‖ + r) exceeds ε^¼·P."""
    if not isinstance(features, bool):
        raise InvalidArgument(f"features={features!r} must be a bool")
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    return _linear_box(max_d, max_k, features)


@st.composite
def _weak(draw, max_d, max_k):
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    i = draw(st.integers(0, d - 1), label="i")
    j = draw(st.integers(0, k - 1), label="j")
    a = draw(st.sampled_from([0.1, 0.2, 0.3]), label="a")
    y = draw(st.sampled_from([1e-3, 1e-2, -1e-2]), label="y")
    c = draw(st.sampled_from([1e-4, 1e-2, 0.1]), label="c")
    r = draw(st.sampled_from([0.5, 1.0, 2.0]), label="r·a/|y|") * abs(y) / a
    slack = draw(st.sampled_from([1e-3, 0.1]), label="box slack")
    return weak_curvature_stationary(d, k, i, j, a, y, c, r, slack)


def weak_curvature_points(*, max_d: int = 2, max_k: int = 2):
    """Exact stationary points (0, V) with weak negative curvature
    (``second_order_constructions.weak_curvature_stationary``) on the grid where ε·P < gap (the ε^¼
    term of Theorem 3 carries the bound)."""
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    return _weak(max_d, max_k)


def theorem3_necessity_points():
    """Where each part of Theorem 3's bound bites: linear-loss points with f_θ ≡ 0 far in the box
    (ε = μ0 ≫ 1: the ε term), weak-curvature stationary points (ε ≪ 1: the ε^¼ term), then
    ``theorem3_points``."""
    return st.one_of(linear_box_points(features=False), weak_curvature_points(), theorem3_points())


def eq15_necessity_points():
    """Where every part of Eq. (15) bites: the linear-loss family where Eq. (6) is attained at the ball
    minimiser with ‖w‖, ‖V‖ → b and r/b ∈ (½, 1), then box points with w ≠ 0."""
    return st.one_of(linear_box_points(features=True), box_points(w="nonzero"))


def eq14_necessity_points():
    """``theorem3_necessity_points`` plus drawn points at w = 0 (Eq. 14's gradient term bites where
    λ_min(∇²F_θ(0, V)) = 0, e.g. f_θ ≡ 0)."""
    return st.one_of(theorem3_necessity_points(), box_points(w="zero"))


# ---------------------------------------------------------------- Corollary 1

@st.composite
def _augmented(draw, max_d, max_k):
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    n = draw(st.integers(d + 1, d + k + 2), label="n")
    X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=-1, max_exp=1, allow_sparse=False), label="y")
    Phi = draw(scaled_arrays((n, k), min_exp=-1, max_exp=1, allow_sparse=False), label="Phi")
    N = draw(st.one_of(st.just(np.zeros((d, k))), scaled_arrays((d, k), min_exp=-1, max_exp=0)), label="N")
    s = Sample(X, y, np.full(n, 1.0 / n), Phi)
    out = augmented_minimum(s, N)
    if out is None:
        out = augmented_minimum(replace(s, X=X + 1.0, y=y + 1.0), N)
    jitter = draw(st.sampled_from([0.0, 1e-6, 1e-3]), label="start jitter")
    if jitter > 0:      # start near the minimum: trust-exact converges to it
        out = replace(out, w=out.w * (1 + jitter), V=out.V * (1 - jitter))
    return out


def augmented_minimum_points(*, max_d: int = 3, max_k: int = 3):
    """Starts at (or within 10⁻³ relative of) a global minimum of F_θ with w ≠ 0 and F < inf F_lin
    (``second_order_constructions.augmented_minimum``, squared loss, n > d)."""
    check_int("max_d", max_d, 1, 6)
    check_int("max_k", max_k, 1, 6)
    return _augmented(max_d, max_k)


@forwards_filters(start_points)
def corollary1_points(**filters):
    """Corollary 1's starts: with a filter, ``start_points``; with none, starts on data with X ≠ 0 and
    informative features (no degenerate f_θ), w ≠ 0, and starts at or near non-degenerate global
    minima (``augmented_minimum_points``). With no filter the plain ``start_points`` are not drawn:
    measured at seed 0, they were informative in 1 of 35 draws (X = 0 or a start already stationary
    at gap 0), and Hypothesis's choice between families varies so much from seed to seed (one seed drew
    116 plain starts in 200) that they left Corollary 1 with fewer than 100 informative examples."""
    if filters:
        return start_points(**filters)
    rich = points(with_w_star=False, w="nonzero", max_n=5, max_d=3, max_width=3,
                  feature_kinds=FEATURE_KINDS_RICH, corners=("generic",))
    return st.one_of(augmented_minimum_points(), rich.map(_rich))


def _rich(inst):
    inst = _nondegenerate(inst)
    return replace(inst, meta=dict(inst.meta, corner="non-degenerate start"))


# ---------------------------------------------------------------- the max{·,·} display's δ

@st.composite
def _with_log_uniform(draw, base, name, lo, hi, label):
    """``base``'s instance with ``extras[name]`` = 10^t, t drawn from [lo, hi] (a continuum targeting moves)."""
    inst = draw(base, label="point")
    t = draw(st.floats(lo, hi, allow_nan=False), label=label)
    return replace(inst, extras=dict(inst.extras, **{name: np.array([10.0 ** t])}))


@forwards_filters(points, fixed=("extras", "with_w_star"))
def max_display_points(**filters):
    """``theorem3_points`` with a drawn δ = 10^t, t ∈ [−12, 6] a continuum (``extras["delta"]``): the
    display of Sec. 6.3 holds "for any δ", so δ is part of the instance and targeting moves t."""
    return _with_log_uniform(theorem3_points(**filters), "delta", -12.0, 6.0, "log10 δ")


@forwards_filters(points, fixed=("extras", "with_w_star"))
def max_eps_points(**filters):
    """``theorem3_points`` with a drawn ε = 10^t ≥ 0, t ∈ [−8, 8] a continuum (``extras["eps_any"]``): the
    last sentence of Theorem 3's proof says max{ε, ε^¼} ≥ √ε "for any ε ≥ 0"."""
    return _with_log_uniform(theorem3_points(**filters), "eps_any", -8.0, 8.0, "log10 ε")


def exact_saddles(*, max_d: int = 3, max_k: int = 3):
    """Exact binary stationary strict saddles (0, V) (``theorems.model.saddles``): ∇F_θ(0, V) = 0 exactly,
    λ_min < 0, F(0, V, θ) > F_lin(w*). Shared by Sec. 2's saddle claim and the controls of Theorem 1's
    "unless w = 0" sentence and Theorem 2's dichotomy."""
    from theorems.model.saddles import exact_saddle_at_zero

    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    nz = st.integers(1, 64) | st.integers(-64, -1)       # non-zero by construction (no filter)
    return st.builds(exact_saddle_at_zero, a=nz, c=st.integers(-4, 4), y=nz,
                     d=st.integers(1, max_d), k=st.integers(1, max_k))
