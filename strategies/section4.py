"""Strategies for Sec. 4 (Example 1, Remark 3, Figure 1): ε > 0, points of the plane or of the box
[−2/ε, 2/ε]², directions, and the regularized / constrained objectives of Figure 1.

ε is drawn as m·10^e (m ∈ [1, 10), e ∈ [min_exp, max_exp]) so it spreads over orders of magnitude;
box points are drawn as fractions of the half-width 2/ε (with the corners and the point
(0, −1/ε) over-sampled) and are inside the closed box *exactly* (checked with fractions).
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model.figure1 import PAPER_READINGS, Objective2D, paper_objective
from theorems.model.planar import EpsPoint

from .core import check_choice, check_int

__all__ = ["epsilons", "eps_points", "example1_eps", "regularized_objectives", "constrained_objectives",
           "remedy_objectives", "remedy_domains",
           "PAPER_READINGS"]

# PAPER_READINGS (the paper's two readings of Figure 1) is the model's; it is re-exported here for
# the strategies' callers, which name readings by its keys


def _check_float(name, value, lo=None, hi=None):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidArgument(f"{name}={value!r} must be a finite real number")
    if (lo is not None and value <= lo) or (hi is not None and value > hi):
        raise InvalidArgument(f"{name}={value!r} must be in ({lo}, {hi}]")
    return float(value)


def epsilons(*, min_exp: int = -3, max_exp: int = 2, max_eps: float | None = None):
    """ε = m·10^e > 0, m ∈ [1, 10), e ∈ [min_exp, max_exp]; optionally capped at max_eps."""
    check_int("min_exp", min_exp, -8, 8)
    check_int("max_exp", max_exp, -8, 8)
    if min_exp > max_exp:
        raise InvalidArgument(f"min_exp={min_exp} must be <= max_exp={max_exp}")
    if max_eps is not None:
        _check_float("max_eps", max_eps, 0.0)
    base = st.builds(lambda m, e: m * 10.0 ** e, st.floats(1.0, 10.0, exclude_max=True), st.integers(min_exp, max_exp))
    if max_eps is None:
        return st.one_of(st.just(1.0), base)
    return st.one_of(st.just(min(1.0, max_eps)), base.map(lambda e: min(e, max_eps)))


def _inside(x: float, eps: float) -> float:
    """The float nearest x (toward 0) with |x|·ε ≤ 2 exactly."""
    while abs(Fraction(x)) * Fraction(eps) > 2:
        x = math.nextafter(x, 0.0)
    return x


_FRACTION = st.one_of(st.sampled_from([-1.0, 1.0, 0.0, -0.5]), st.floats(-1.0, 1.0, allow_subnormal=False))
_DIRECTION = st.one_of(st.sampled_from([(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, -1.0)]),
                       st.tuples(st.floats(-1, 1, allow_subnormal=False), st.floats(-1, 1, allow_subnormal=False))
                       .filter(lambda h: abs(h[0]) + abs(h[1]) > 1e-3))


@st.composite
def _eps_point(draw, region, eps_st):
    eps = draw(eps_st, label="eps")
    if region == "box":
        a, b = draw(_FRACTION, label="w·ε/2"), draw(_FRACTION, label="v·ε/2")
        w, v = _inside(a * 2 / eps, eps), _inside(b * 2 / eps, eps)
    else:
        mag = st.builds(lambda m, e: m * 10.0 ** e, st.floats(-1, 1, allow_subnormal=False), st.integers(-2, 3))
        w, v = draw(st.one_of(st.just(0.0), mag), label="w"), draw(st.one_of(st.just(-1 / eps), mag), label="v")
    h1, h2 = draw(_DIRECTION, label="direction h")
    return EpsPoint(eps, w, v, h1, h2)


def eps_points(*, region: str = "box", min_exp: int = -3, max_exp: int = 2, max_eps: float | None = None):
    """EpsPoint(ε, w, v, h): (w, v) in the closed box [−2/ε, 2/ε]² (region="box") or anywhere in
    the plane (region="plane", |w|, |v| ≤ 10³), and a non-zero direction h."""
    check_choice("region", [region], {"box", "plane"})
    return _eps_point(region, epsilons(min_exp=min_exp, max_exp=max_exp, max_eps=max_eps))


def example1_eps(*, min_exp: int = -3, max_exp: int = 2, max_eps: float | None = None):
    """EpsPoint(ε) for the claims about the point (0, −1/ε), which is computed from ε."""
    return epsilons(min_exp=min_exp, max_exp=max_exp, max_eps=max_eps).map(lambda e: EpsPoint(e))


def regularized_objectives(*, readings=None, lam_range=None, c: float = 0.5):
    """Figure 1 (b): the objectives c(w(1+v) − 1)² + (λ/2)(w² + v²).

    ``readings``: a list of names from PAPER_READINGS (the paper's parameters exactly);
    ``lam_range=(lo, hi)``: instead, λ drawn in (lo, hi] with the factor ``c`` and ε = 1."""
    if lam_range is None:
        names = check_choice("readings", readings if readings is not None else ["text"], set(PAPER_READINGS))
        return st.sampled_from(names).map(paper_objective)
    if not (isinstance(lam_range, tuple) and len(lam_range) == 2):
        raise InvalidArgument(f"lam_range={lam_range!r} must be a tuple (lo, hi)")
    lo = _check_float("lam_range[0]", lam_range[0], -1e-300)
    hi = _check_float("lam_range[1]", lam_range[1], max(lo, 0.0))
    c = _check_float("c", c, 0.0)
    # λ > 0 by construction (Sec. 4's regularizer needs it): (max(lo, 0), hi] without subnormals
    lam = st.floats(max(lo, 0.0), hi, exclude_min=True, allow_subnormal=False)
    return st.builds(lambda l: Objective2D(c=c, lam=l, eps=1.0, radius=2.0, reading=f"c={c:g}"), lam)


def constrained_objectives(*, readings=None):
    """Figure 1 (c): F restricted to the disk ‖(w, v)‖ ≤ 2, for the paper's readings of F."""
    names = check_choice("readings", readings if readings is not None else ["text", "caption"], set(PAPER_READINGS))
    return st.sampled_from(names).map(paper_objective)


def _pair(name, value):
    if not (isinstance(value, tuple) and len(value) == 2):
        raise InvalidArgument(f"{name}={value!r} must be a tuple (lo, hi)")
    lo = _check_float(f"{name}[0]", value[0], -1e-300)
    hi = _check_float(f"{name}[1]", value[1], -1e-300)
    if hi < lo:
        raise InvalidArgument(f"{name}={value!r}: needs lo ≤ hi")
    return lo, hi


def remedy_objectives(*, min_exp: int = -3, max_eps: float = 1.0, radius_factor=None, lam_factor=None):
    """Sec. 4's remedy for Example 1's F = ½(w(1 + εv) − 1)² (c = ½), ε = m·10^e ≤ ``max_eps``:
    ``radius_factor=(lo, hi)``: the disk ‖(w, v)‖ ≤ f/ε, f ∈ [lo, hi], λ = 0;
    ``lam_factor=(lo, hi)``: R = (λ/2)(w² + v²) with λ = f·ε³ > 0, f ∈ (lo, hi]."""
    if (radius_factor is None) == (lam_factor is None):
        raise InvalidArgument("give exactly one of radius_factor=(lo, hi) and lam_factor=(lo, hi)")
    eps = epsilons(min_exp=min_exp, max_exp=0, max_eps=max_eps)
    if radius_factor is not None:
        lo, hi = _pair("radius_factor", radius_factor)
        return st.builds(lambda e, f: Objective2D(c=0.5, lam=0.0, eps=e, radius=f / e, reading="c=0.5"),
                         eps, st.floats(lo, hi))
    lo, hi = _pair("lam_factor", lam_factor)
    if not hi * min(10.0 ** min_exp, max_eps) ** 3 >= _TINY or not hi > lo:
        raise InvalidArgument(f"lam_factor={lam_factor!r}: needs lo < hi and hi·ε³ a normal float at the smallest "
                              "ε drawn, so that λ = f·ε³ > 0 (Sec. 4's hypothesis λ > 0)")
    return _lam_objective(eps, max(lo, 0.0), hi)


_TINY = 2.0 ** -1022     # the smallest normal float64


def remedy_domains(*, min_exp: int = -2, max_eps: float = 1.0, covered=(3.0, 30.0), below=(1.0, 3.0)):
    """The disk ‖(w, v)‖ ≤ R for Example 1's F (c = ½, λ = 0), R·ε drawn over a continuum: in ``covered``
    three times in four (where a statement "R ≥ lo/ε suffices" is tested) and in ``below`` one time in
    four (where it says nothing, but a reviewer's variant with a smaller constant does: R·ε ∈ (1, 2.19]
    has a spurious minimum at ε = 1). ε = m·10^e ≤ ``max_eps`` as in :func:`epsilons`; the endpoints of
    both ranges are drawn as well (Hypothesis' float strategy favours them)."""
    c_lo, c_hi = _pair("covered", covered)
    b_lo, b_hi = _pair("below", below)
    eps = epsilons(min_exp=min_exp, max_exp=0, max_eps=max_eps)
    # which range: sampled (st.one_of's branch choice measured ≈ ½ below with 3 branches, 2 of them covered)
    factor = st.sampled_from([False, False, False, True]).flatmap(
        lambda below_: st.floats(b_lo, b_hi) if below_ else st.floats(c_lo, c_hi))
    return st.builds(lambda e, f: Objective2D(c=0.5, lam=0.0, eps=e, radius=_radius_at_least(f, e), reading="c=0.5"),
                     eps, factor)


def _radius_at_least(f: float, eps: float) -> float:
    """The least float R ≥ f/ε with R·ε ≥ f exactly (checked with fractions), so that a drawn R·ε = 3 is ≥ 3
    in float64 and at 60 digits alike (f/ε rounded to nearest gave 2.9999999999999996, outside "R ≥ 3/ε")."""
    r = f / eps
    while Fraction(r) * Fraction(eps) < Fraction(f):
        r = math.nextafter(r, math.inf)
    return r


@st.composite
def _lam_objective(draw, eps_st, lo, hi):
    """Objective2D with λ = f·ε³, f ∈ (lo, hi], and λ > 0 by construction (Sec. 4: λ > 0): f ≥ 2⁻¹⁰²²/ε³,
    so the product is at least the smallest normal float and cannot underflow to 0 (a subnormal f
    times ε³ < 1 did: λ = 0, where G's stationary points are a valley, not the quintic's roots;
    found by the audit of section4.remedy.regularization.value, seed 29, 1,000 examples)."""
    e = draw(eps_st, label="eps")
    f_min = max(lo, _TINY / e ** 3)
    f = draw(st.floats(f_min, hi, exclude_min=f_min == lo, allow_subnormal=False), label="f = λ/ε³")
    return Objective2D(c=0.5, lam=f * e ** 3, eps=e, radius=2.0, reading="c=0.5")
