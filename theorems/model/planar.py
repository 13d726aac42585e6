"""Example 1's objective F(w, v) = ½(w(1 + εv) − 1)² (Sec. 4) and Remark 3's Lipschitz constants.

Example 1 (Sec. 4): x, w, V, w* scalars, w* = 1, f_θ(x) = εx, the squared loss and x = y = 1 w.p. 1,
so that F(w, V, θ) = ½(w(1 + εv) − 1)². Everything here is written once for floats and for mpf (the
arithmetic of the arguments is kept):

- :func:`F`, :func:`grad_F`, :func:`hess_F` (entries (H_ww, H_wv, H_vv)) as the paper writes them,
  and :func:`third_F`, the non-zero third derivatives (F_wwv, F_wvv) = (2ε(1 + εv), 2ε²w);
- :func:`sym2_eigs`, :func:`sym2_norm`: eigenvalues and spectral norm of ((p, q), (q, r));
- :func:`model_sample`, :func:`model_point`: the same data in the terms of Sec. 2's model
  (:mod:`theorems.model.objective`), so that the claims compare the paper's formulas to it;
- :func:`saddle_point`: the point (0, −1/ε) of Example 1;
- Remark 3's exact Lipschitz constants on the box [−2/ε, 2/ε]²: with a = εw ∈ [−2, 2] and
  u = 1 + εv ∈ [−1, 3], ‖∇²F‖ is maximal at (u, a) = (3, −2), so μ₁(ε) = 13/2 + √(25/4 + (12 + ε)²)
  (:func:`mu1_box`); sup_{‖h‖=1} ‖D³F[h]‖ = 6ε·sup_{‖x‖=1} |x₁x₂(ux₁ + ax₂)| is convex in (u, a),
  maximal at (3, ±2), so μ₂(ε) = 6κε with κ = max_{‖x‖=1} |x₁x₂(3x₁ + 2x₂)| ≈ 1.774797
  (:func:`kappa`, :func:`mu2_box`); :func:`hess_norm` and :func:`third_norm` are the norms at an
  instance.

The instance type is :class:`EpsPoint` (ε, a point (w, v), a direction h = (h1, h2)).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import MP_SCALAR, Instance

from . import losses as L
from .sample import Sample

__all__ = ["EpsPoint", "F", "grad_F", "hess_F", "third_F", "sym2_eigs", "sym2_norm", "model_sample",
           "model_point", "saddle_point", "kappa", "mu1_box", "mu2_box", "hess_norm", "third_norm"]


# -- the instance ------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class EpsPoint(Instance):
    """ε > 0, a point (w, v) and a direction h = (h1, h2) (used by Remark 3's third derivative).

    Fields are floats, or mpf after :meth:`to_mp`."""

    CODECS = {"eps": MP_SCALAR, "w": MP_SCALAR, "v": MP_SCALAR, "h1": MP_SCALAR, "h2": MP_SCALAR}
    OMIT_DEFAULTS = True     # the claims about (0, −1/ε) read ε only: their witnesses show ε only

    eps: object
    w: object = 0.0
    v: object = 0.0
    h1: object = 1.0
    h2: object = 0.0

    def __post_init__(self):
        for name in ("eps", "w", "v", "h1", "h2"):
            x = getattr(self, name)
            if not isinstance(x, (int, float, mpmath.mpf, np.floating)) or not mpmath.isfinite(x):
                raise ValueError(f"argument {name!r}: expected a finite real number, got {x!r}")
        if not self.eps > 0:
            raise ValueError(f"argument 'eps': ε = {self.eps!r}, but Example 1 fixes some ε > 0")
        if self.h1 == 0 and self.h2 == 0:
            raise ValueError("argument 'h': the direction (h1, h2) must be non-zero")

    @property
    def is_mp(self) -> bool:
        return isinstance(self.eps, mpmath.mpf)

    def describe(self) -> str:
        return (f"ε={float(self.eps):.6g}, (w, v)=({float(self.w):.6g}, {float(self.v):.6g}), "
                f"h=({float(self.h1):.3g}, {float(self.h2):.3g})")

    def in_box(self) -> bool:
        """(w, v) ∈ [−2/ε, 2/ε]² (Remark 3's box), decided exactly on the binary values."""
        e = Fraction(float(self.eps))
        return abs(Fraction(float(self.w))) * e <= 2 and abs(Fraction(float(self.v))) * e <= 2


# -- F and its derivatives as the paper writes them ----------------------------------------------
def F(eps, w, v):
    """½(w(1 + εv) − 1)²."""
    return (w * (1 + eps * v) - 1) ** 2 / 2


def grad_F(eps, w, v):
    """The paper's gradient ((w − 1 + εwv)(1 + εv), (w − 1 + εwv)εw)."""
    r = w - 1 + eps * w * v
    return r * (1 + eps * v), r * eps * w


def hess_F(eps, w, v):
    """The paper's Hessian entries (H_ww, H_wv, H_vv)."""
    return (1 + eps * v) ** 2, eps * (2 * w + 2 * eps * w * v - 1), eps ** 2 * w ** 2


def third_F(eps, w, v):
    """The non-zero third derivatives (F_wwv, F_wvv) = (2ε(1 + εv), 2ε²w); F_www = F_vvv = 0."""
    return 2 * eps * (1 + eps * v), 2 * eps ** 2 * w


def sym2_eigs(p, q, r):
    """Eigenvalues (min, max) of the symmetric matrix ((p, q), (q, r))."""
    m, d = (p + r) / 2, B.sqrt(((p - r) / 2) ** 2 + q ** 2)
    return m - d, m + d


def sym2_norm(p, q, r):
    """Spectral norm of ((p, q), (q, r)) = |p + r|/2 + √(((p − r)/2)² + q²)."""
    return abs(p + r) / 2 + B.sqrt(((p - r) / 2) ** 2 + q ** 2)


def saddle_point(eps):
    """(0, −1/ε), Example 1's point with zero gradient, in the arithmetic of ε."""
    return 0 * eps, -1 / eps


# -- Example 1 in the terms of Sec. 2's model ----------------------------------------------------
def model_sample(eps):
    """The data of Example 1 in the model's terms: x = y = 1 w.p. 1, f_θ(x) = εx.

    Returns the :class:`Sample` and the array constructor of ε's arithmetic."""
    obj = isinstance(eps, mpmath.mpf)
    arr = (lambda x: np.array(x, dtype=object)) if obj else (lambda x: np.array(x, dtype=np.float64))
    one = mpmath.mpf(1) if obj else 1.0
    return Sample(arr([[one]]), arr([one]), arr([one]), arr([[eps * one]])), arr


def model_point(inst: EpsPoint):
    """(sample, squared loss, w = (w,), V = ((v,),), array constructor) for the model's F(w, V, θ)."""
    s, arr = model_sample(inst.eps)
    return s, L.squared(), arr([inst.w]), arr([[inst.v]]), arr


# -- Remark 3: Lipschitz constants on [−2/ε, 2/ε]² -------------------------------------------------
def kappa(mp: bool = False):
    """κ = max_{‖x‖=1} |x₁x₂(3x₁ + 2x₂)| (at the working precision when ``mp``)."""
    return _kappa(bool(mp), mpmath.mp.prec if mp else 53)


@lru_cache(maxsize=16)
def _kappa(mp, prec):
    coeffs = [2, 6, -4, -3]          # critical slopes s = x₂/x₁: 2s³ + 6s² − 4s − 3 = 0
    if mp:
        roots = [mpmath.re(r) for r in mpmath.polyroots(coeffs, maxsteps=200, extraprec=2 * mpmath.mp.prec)]
    else:
        roots = [float(np.real(r)) for r in np.roots(coeffs)]
    return max(abs(3 * s + 2 * s * s) / (1 + s * s) ** (B.to_mp(1.5) if mp else 1.5) for s in roots)


def mu1_box(eps):
    """Exact Lipschitz constant of ∇F on [−2/ε, 2/ε]²: 13/2 + √(25/4 + (12 + ε)²)."""
    return 13 / (2 + 0 * eps) + B.sqrt(25 / (4 + 0 * eps) + (12 + eps) ** 2)


def mu2_box(eps):
    """Exact Lipschitz constant of ∇²F on [−2/ε, 2/ε]²: 6κε."""
    return 6 * kappa(isinstance(eps, mpmath.mpf)) * eps


def hess_norm(inst: EpsPoint):
    """‖∇²F(w, v)‖ (spectral norm)."""
    return sym2_norm(*hess_F(inst.eps, inst.w, inst.v))


def third_norm(inst: EpsPoint, h=None):
    """‖D³F(w, v)[ĥ]‖, ĥ = h/‖h‖ (h defaults to the instance's direction)."""
    f_wwv, f_wvv = third_F(inst.eps, inst.w, inst.v)
    h1, h2 = h if h is not None else (inst.h1, inst.h2)
    n = B.sqrt(h1 * h1 + h2 * h2)
    h1, h2 = h1 / n, h2 / n
    return sym2_norm(f_wwv * h2, f_wwv * h1 + f_wvv * h2, f_wvv * h1)


# -- Sec. 4: Theorem 3's bound along Example 1 as the norm grows ---------------------------------------
def mu0_box(eps):
    """Exact Lipschitz constant of F on [−2/ε, 2/ε]²: sup ‖∇F‖ = √13·(6/ε + 1).

    ∇F = (wu − 1)·(u, a) with u = 1 + εv ∈ [−1, 3], a = εw ∈ [−2, 2] and wu − 1 = au/ε − 1: both
    |au/ε − 1| (bilinear, so largest at a vertex of the box) and ‖(u, a)‖ are largest at the vertex
    (u, a) = (3, −2), where they are 6/ε + 1 and √13 (F is Lipschitz with the sup of ‖∇F‖ over the
    convex box)."""
    return B.sqrt(13 + 0 * eps) * (6 / eps + 1)


def theorem3_bound_on_example1(eps) -> dict:
    """Theorem 3's constants at Example 1's point (0, −1/ε) in Remark 3's box 𝓜 = (−2/ε, 2/ε)², and a
    lower bound on every bound the proof of Theorem 3 (Sec. 6.3) gives there.

    b = 2/ε (sup of max{|w|, |v|} on 𝓜), r = 1 = ‖w*‖ (so min_{|w| ≤ r} F_lin = F_lin(1) = 0), μ0, μ1,
    μ2 the exact Lipschitz constants of F, ∇F, ∇²F on 𝓜 (:func:`mu0_box`, :func:`mu1_box`,
    :func:`mu2_box`), and s = max(‖∇F‖, λ_min(∇²F)²/μ2) the smallest SOPSP parameter of the point
    (Definition 1; s = ε/(6κ) exactly). For every δ > 0 the proof's bound max{μ0δ + r(…), s·√(2b² +
    r²(2 + b²/δ²))} is ≥ max{μ0δ, s·r·b/δ} ≥ √(μ0·s·r·b) =: ``bound_lower``, and Theorem 3's
    (s + s^¼)·poly is ≥ the δ = √s instance of it, so ``bound_lower`` bounds all of them from below.
    Exactly, bound_lower² = √13(6 + ε)/(3κε)."""
    w, v = saddle_point(eps)
    gw, gv = grad_F(eps, w, v)
    lam, _ = sym2_eigs(*hess_F(eps, w, v))
    mu0, mu1, mu2 = mu0_box(eps), mu1_box(eps), mu2_box(eps)
    b, r = 2 / eps, 1 + 0 * eps
    s = max(B.sqrt(gw * gw + gv * gv), lam * lam / mu2)
    return dict(b=b, r=r, mu0=mu0, mu1=mu1, mu2=mu2, sopsp_eps=s, lambda_min=lam, point_norm=abs(v),
                gap=F(eps, w, v) - F(eps, 1 + 0 * eps, 0 * eps), bound_lower=B.sqrt(mu0 * s * r * b))
