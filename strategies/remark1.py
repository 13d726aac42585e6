"""Strategies for Remark 1's biased predictor x ↦ wᵀ(x + V f_θ(x) + a) + a₀ trained in (w, V, a, a₀):
biased points with a comparison bias a₀* (``biased_star_points``), and the constructed stationary
points with w = 0 (``biased_stationary_points``, ``theorems.model.biased``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from theorems.model.biased import biased_stationary_point
from theorems.model.biased_local_minima import biased_global_minimum, biased_zero_minimum
from theorems.model.biased_second_order import (
    augmented_sample,
    biased_attaining,
    biased_stationary_at_origin,
    descent_star,
)

from .core import check_bool, check_int, forwards_filters, scaled_arrays, scaled_floats
from .instances import biased_points
from .model import _safe_scale
from .second_order import FEATURE_KINDS_RICH

__all__ = ["biased_star_points", "biased_stationary_points", "biased_nonzero_w_points", "biased_origin_points",
           "biased_origin_stationary_points", "biased_attaining_points", "theorem2_biased_points",
           "theorem2_biased_necessity_points", "biased_w_zero_points", "w_zero_biased_points",
           "w_zero_biased_necessity_points", "scaled_biased_stationary_points",
           "biased_global_minimum_points", "biased_zero_minimum_points", "corollary1_biased_points"]


def _with_a0_star(inst, a0s):
    # keep the comparison's predictions x·w* + a0* where the loss is finite in float64 (as ``points``
    # does for w*): an exponential loss at a0* = 1000 overflows, and 0·inf made a NaN of F_lin
    room = _safe_scale(inst.loss) - np.max(np.abs(inst.sample.X @ inst.w_star), initial=0.0)
    a0s = np.clip(a0s, -max(room, 0.0), max(room, 0.0))
    return replace(inst, extras=dict(inst.extras, a0_star=a0s))


@forwards_filters(biased_points, fixed=())
def biased_star_points(**filters):
    """Biased points (extras a, a0) with w* and a comparison bias a0_star (1,)."""
    return st.builds(_with_a0_star, biased_points(**filters).filter(lambda i: i.w_star is not None),
                     scaled_arrays((1,)))


def _stationary(inst):
    s = inst.sample
    d1 = inst.extras["a0"] * 0 + (s.p @ s.y) - s.y
    if not np.any(np.abs((s.p * d1) @ s.Phi) > 1e-8 * (np.abs(s.Phi).max() * np.abs(d1).max() + 1e-300)):
        return None                                      # E[ℓ'φ] = 0: V cannot cancel E[ℓ'x]
    # compare with the best biased linear predictor (weighted least squares on x̃ = (x; 1))
    Xt = np.concatenate([s.X, np.ones((s.n, 1))], axis=1)
    r = np.sqrt(s.p)
    wt = np.linalg.lstsq(Xt * r[:, None], s.y * r, rcond=None)[0]
    return biased_stationary_point(s.X, s.y, s.Phi, s.p, inst.extras["a"], wt[:-1], wt[-1])


def biased_stationary_points():
    """Stationary points of the biased objective with w = 0, a₀ = E[y] ≠ 0 (squared loss)."""
    return biased_star_points(losses=["squared"]).map(_stationary).filter(
        lambda i: i is not None and i.extras["a0"][0] != 0 and np.all(np.isfinite(i.V)))


@forwards_filters(biased_points, fixed=())
def biased_nonzero_w_points(**filters):
    """``biased_star_points`` with w ≠ 0 (the corrected biased Theorem 1's hypothesis)."""
    return biased_star_points(**filters).filter(lambda i: bool(np.any(i.w)))


# ---------------------------------------------------------------- Theorem 2 for the biased objective

_T = st.sampled_from([1e-3, 0.1, 1.0, 10.0])
_PHI_SCALE = st.sampled_from([1.0, 1.0, 1e-2, 0.1, 10.0])


def _at_origin(inst):
    """w̃ = (w; a₀) = 0 and w̃* = (w*; a₀*) ≠ 0 (a zero draw becomes e_1)."""
    ex = dict(inst.extras, a0=0 * inst.extras["a0"])
    ws = inst.w_star
    if not np.any(ws) and not np.any(ex["a0_star"]):
        ws = np.zeros_like(ws)
        ws[0] = 1.0
    return replace(inst, w=0 * inst.w, w_star=ws, extras=ex)


@forwards_filters(biased_points, fixed=("w",))
def biased_origin_points(**filters):
    """Biased points at w̃ = (w; a₀) = 0 with any V, a and a comparison w̃* = (w*; a₀*) ≠ 0."""
    return biased_star_points(w="zero", **filters).map(_at_origin)


def _sample_draw(draw, max_n, max_d, max_k):
    n = draw(st.integers(2, max_n), label="n")
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=-1, max_exp=1, allow_sparse=False), label="y")
    Phi = draw(scaled_arrays((n, k), min_exp=-1, max_exp=1, allow_sparse=False), label="Phi")
    Phi = Phi * draw(_PHI_SCALE, label="f_θ scale")
    return n, d, k, X, y, Phi


def _ramp(n, m, shift=0.0):
    return (np.arange(1, n * m + 1, dtype=np.float64).reshape(n, m) / (n * m) + shift) * (-1.0) ** np.arange(m)


@st.composite
def _origin_stationary(draw, max_n, max_d, max_k):
    n, d, k, X, y, Phi = _sample_draw(draw, max_n, max_d, max_k)
    N = draw(st.one_of(st.just(np.zeros((d, k))), scaled_arrays((d, k), min_exp=-2, max_exp=1)), label="N")
    a = draw(scaled_arrays((d,), min_exp=-1, max_exp=1), label="a")
    t = draw(_T, label="t")
    out = biased_stationary_at_origin(X, y, Phi, None, a, N, t)
    if out is None:     # r = 0 or g = 0 after centring y: a fixed non-degenerate sample
        y2 = np.arange(n, dtype=np.float64) ** 2
        out = biased_stationary_at_origin(_ramp(n, d), y2, _ramp(n, k, 0.5) ** 2, None, a, N, t)
    return out


def biased_origin_stationary_points(*, max_n: int = 5, max_d: int = 3, max_k: int = 3):
    """Stationary points of F_b at w̃ = 0 (squared loss, y centred) with a positive gap
    (``biased_second_order.biased_stationary_at_origin``): ∇F_b = 0, only the curvature term of
    Theorem 2 carries the bound."""
    check_int("max_n", max_n, 2, 16)
    check_int("max_d", max_d, 1, 6)
    check_int("max_k", max_k, 1, 6)
    return _origin_stationary(max_n, max_d, max_k).filter(lambda i: i is not None)


@st.composite
def _attaining(draw, max_n, max_d, max_k, at_origin):
    n, d, k, X, y, Phi = _sample_draw(draw, max_n, max_d, max_k)
    stationary = draw(st.booleans(), label="stationary V")
    t = draw(_T, label="t")
    a0, align = 0.0, None
    if not at_origin:
        if draw(st.booleans(), label="a0 aligned with −∂F_lin,b/∂a₀"):
            align = draw(st.sampled_from([0.5, 1.0, 1.5]), label="align")
        else:
            a0 = draw(scaled_floats(min_exp=-1, max_exp=1), label="a0")
    out = biased_attaining(X, y, Phi, None, a0, t, stationary=stationary, align=align)
    if out is None:
        out = biased_attaining(_ramp(n, d), np.arange(n, dtype=np.float64) ** 2, _ramp(n, k, 0.5) ** 2, None,
                               a0, t, stationary=stationary, align=align)
    return out


def biased_attaining_points(*, at_origin: bool = True, max_n: int = 5, max_d: int = 3, max_k: int = 3):
    """Instances where Theorem 2 for F_b is an equality (``biased_second_order.biased_attaining``):
    linear loss, w = 0 and a₀ = 0 (``at_origin``) or any a₀, [V a] = 0 or the stationary V."""
    check_bool("at_origin", at_origin)
    check_int("max_n", max_n, 2, 16)
    check_int("max_d", max_d, 1, 6)
    check_int("max_k", max_k, 1, 6)
    return _attaining(max_n, max_d, max_k, at_origin).filter(lambda i: i is not None)


@forwards_filters(biased_points, fixed=("w",))
def theorem2_biased_points(**filters):
    """Theorem 2 for F_b at w̃ = 0: drawn biased points (``biased_origin_points``), stationary points
    and the attaining family, each its own share; with filters, ``biased_origin_points(**filters)``."""
    if filters:
        return biased_origin_points(**filters)
    return st.one_of(biased_origin_points(), biased_origin_stationary_points(), biased_attaining_points())


def theorem2_biased_necessity_points():
    """Where every part of the biased Theorem 2 bites: stationary points at w̃ = 0 (gradient term 0)
    and the attaining family (equality)."""
    return st.one_of(biased_origin_stationary_points(), biased_attaining_points())


def _shifted(inst):
    """w̃* ≠ (0; a₀) (the w = 0 bound's right side is 0/0 there): such a draw gets w*₁ = 1."""
    if np.any(inst.w_star) or inst.extras["a0_star"][0] != inst.extras["a0"][0]:
        return inst
    ws = np.zeros_like(inst.w_star)
    ws[0] = 1.0
    return replace(inst, w_star=ws)


@forwards_filters(biased_points, fixed=("w",))
def biased_w_zero_points(**filters):
    """Biased points with w = 0 and any a₀ and a comparison w̃* ≠ (0; a₀)."""
    return biased_star_points(w="zero", **filters).map(_shifted)


def w_zero_biased_points():
    """w = 0, any a₀: drawn points, the Theorem 1 erratum's stationary points (a₀ = E[y], ∇F_b = 0;
    w̃* the best biased linear fit, or a descent step from (0; a₀)) and the attaining family at any
    a₀ (half of it with a₀ aligned so that ‖w̃*‖ < ‖w̃* − (0; a₀)‖)."""
    return st.one_of(biased_w_zero_points(), biased_stationary_points(),
                     _descent_from(scaled_biased_stationary_points()), biased_attaining_points(at_origin=False))


def w_zero_biased_necessity_points():
    """Where every part of the w = 0 bound bites: the erratum's stationary points, the attaining family, and
    the stationary points at w̃ = 0 (a₀ = 0 is a case of any a₀; there the H_ww·|λ_min| term is the one
    that bites, which the shifted families did not reach in 100 examples at seeds 0–2)."""
    return st.one_of(_descent_from(scaled_biased_stationary_points()), biased_attaining_points(at_origin=False),
                     biased_origin_stationary_points())


@st.composite
def _descent_from(draw, base):
    """A w = 0 point with w̃* = (0; a₀) − t∇F_lin,b(0, a₀) (t halved until the gap is positive):
    where gap/‖w̃* − (0; a₀)‖ approaches its supremum ‖∇F_lin,b(0, a₀)‖ as t → 0."""
    inst = draw(base)
    t = draw(_T, label="t")
    s = inst.sample
    start = np.concatenate([0 * inst.w, inst.extras["a0"]])
    ws = descent_star(augmented_sample(s.X, s.y, s.p, s.Phi), inst.loss, start, t)
    if ws is None:
        return inst
    return replace(inst, w_star=ws[:-1], extras=dict(inst.extras, a0_star=ws[-1:]),
                   meta=dict(inst.meta, corner=inst.meta.get("corner", "") + ", w̃* descent from (0; a₀)"))


def _rescale_phi(inst, c):
    return replace(inst, sample=replace(inst.sample, Phi=inst.sample.Phi * c)) if c != 1.0 else inst


def scaled_biased_stationary_points():
    """``biased_stationary_points`` with f_θ rescaled over several orders before the construction: V ∝ 1/c
    keeps z = x + Vφ + a while ‖r̃‖ ∝ c, so |λ_min(∇²F_b)| ≈ ‖r̃‖²/b ranges from ≈ ‖r̃‖ to ≪ ‖r̃‖."""
    base = st.builds(_rescale_phi, biased_star_points(losses=["squared"]), _PHI_SCALE)
    return base.map(_stationary).filter(
        lambda i: i is not None and i.extras["a0"][0] != 0 and np.all(np.isfinite(i.V)))


# ---------------------------------------------------------------- Corollary 1 for the biased objective

@st.composite
def _global_minimum(draw, max_d, max_k):
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    n = draw(st.integers(d + 2, d + k + 3), label="n")
    X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=-1, max_exp=1, allow_sparse=False), label="y")
    Phi = draw(scaled_arrays((n, k), min_exp=-1, max_exp=1, allow_sparse=False), label="Phi")
    N = draw(st.one_of(st.just(np.zeros((d, k))), scaled_arrays((d, k), min_exp=-1, max_exp=0)), label="N")
    a = draw(scaled_arrays((d,), min_exp=-1, max_exp=0), label="a")
    out = biased_global_minimum(X, y, Phi, None, N, a)
    if out is None:
        out = biased_global_minimum(_ramp(n, d), np.arange(n, dtype=np.float64) ** 2, _ramp(n, k, 0.5) ** 2, None, N, a)
    if out is None:
        return None
    jitter = draw(st.sampled_from([0.0, 0.0, 1e-6, 1e-3]), label="start jitter")
    if jitter > 0:      # start near the minimum: trust-exact converges to it
        ex = dict(out.extras, a=out.extras["a"] * (1 + jitter), a0=out.extras["a0"] * (1 - jitter))
        out = replace(out, w=out.w * (1 + jitter), V=out.V * (1 - jitter), extras=ex)
    return out


def biased_global_minimum_points(*, max_d: int = 3, max_k: int = 3):
    """Starts at (or within 10⁻³ relative of) a global minimum of F_b with w ≠ 0 and, generically,
    F_b < inf F_lin (``biased_local_minima.biased_global_minimum``, squared loss, n ≥ d + 2)."""
    check_int("max_d", max_d, 1, 6)
    check_int("max_k", max_k, 1, 6)
    return _global_minimum(max_d, max_k).filter(lambda i: i is not None)


@st.composite
def _zero_minimum(draw, max_d, max_k):
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    n = draw(st.integers(d + k + 2, d + k + 4), label="n")
    X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1, allow_sparse=False), label="X")
    Phi = draw(scaled_arrays((n, k), min_exp=-1, max_exp=1, allow_sparse=False), label="Phi")
    v = draw(scaled_arrays((n,), min_exp=-1, max_exp=1, allow_sparse=False), label="v")
    c = draw(scaled_floats(min_exp=-1, max_exp=1), label="c")
    V = draw(scaled_arrays((d, k), min_exp=-1, max_exp=1), label="V")
    a = draw(scaled_arrays((d,), min_exp=-1, max_exp=1), label="a")
    out = biased_zero_minimum(X, Phi, v, c, None, V, a)
    if out is None:
        out = biased_zero_minimum(X, Phi, np.arange(n, dtype=np.float64) ** 3, c, None, V, a)
    return out


def biased_zero_minimum_points(*, max_d: int = 3, max_k: int = 2):
    """Global minima of F_b at w = 0 (``biased_local_minima.biased_zero_minimum``): F_b = inf F_lin."""
    check_int("max_d", max_d, 1, 6)
    check_int("max_k", max_k, 1, 6)
    return _zero_minimum(max_d, max_k).filter(lambda i: i is not None)


@st.composite
def _saddle_start(draw, max_d, max_k):
    """A start next to a Theorem 1 erratum stationary point (``biased.biased_stationary_point``, a strict
    saddle) on a sample with n ≥ d + 3, so that the biased linear predictor does not interpolate."""
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    n = draw(st.integers(d + 3, d + k + 4), label="n")
    X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1, allow_sparse=False), label="X")
    y = draw(scaled_arrays((n,), min_exp=-1, max_exp=1, allow_sparse=False), label="y")
    Phi = draw(scaled_arrays((n, k), min_exp=-1, max_exp=1, allow_sparse=False), label="Phi")
    try:
        inst = biased_stationary_point(X, y, Phi)
    except ValueError:          # E[ℓ'φ] = 0 up to rounding (the nightly-size audit drew one: V was NaN)
        inst = biased_stationary_point(_ramp(n, d), np.arange(n, dtype=np.float64) ** 2, _ramp(n, k, 0.5) ** 2)
    e = draw(st.sampled_from([1e-6, 1e-3, 0.1]), label="jitter")
    return replace(_drop_star(inst), w=inst.w + e,
                   meta=dict(inst.meta, corner="start near a biased stationary point (w = 0)"))


def _drop_star(inst):
    ex = {k: v for k, v in inst.extras.items() if k != "a0_star"}
    return replace(inst, w_star=None, extras=ex)


def corollary1_biased_points():
    """Corollary 1 for F_b: starts at or near global minima with w ≠ 0 (half the draws), global minima at
    w = 0, starts next to the Theorem 1 erratum's stationary points (strict saddles, so the solver
    leaves them), and drawn starts with w ≠ 0 on non-degenerate features (every loss)."""
    glob = biased_global_minimum_points()
    drawn = biased_points(w="nonzero", max_n=5, max_d=3, max_width=3, feature_kinds=FEATURE_KINDS_RICH,
                          corners=("generic",))
    return st.one_of(glob, glob, glob, biased_zero_minimum_points(),
                     _saddle_start(3, 2), drawn.map(_drop_star))
