"""Loss-derivative bounds on an interval and Theorem 3's Lipschitz constants μ0, μ1, μ2 (Sec. 3, Sec. 6.3).

Lipschitz constants on the box 𝓜_b = {(w, V): ‖w‖ < b, ‖V‖ < b} (Theorem 3)
--------------------------------------------------------------------------------
Distances in (w, V) are Euclidean in (w, vec V), i.e. ‖h‖² = ‖h_w‖² + ‖h_V‖²_Fr; matrix-valued
maps are measured in the spectral norm (the paper's ‖·‖), which is what Weyl's inequality
|λ_min(A) − λ_min(B)| ≤ ‖A − B‖ in the proof of Theorem 3 needs. On 𝓜_b, for every sample i,

    ‖z_i‖ ≤ ‖x_i‖ + b‖φ_i‖,   ‖J_i‖ ≤ j_i := √((‖x_i‖ + b‖φ_i‖)² + b²‖φ_i‖²),   |q_i| ≤ Q_i := b(‖x_i‖ + b‖φ_i‖),

and with L1_i, L2_i, L3_i upper bounds of |ℓ'|, ℓ'', |ℓ'''| over |q| ≤ Q_i (``loss_sup``):

* μ0 ≥ sup ‖∇F_θ‖ (mean value theorem on the convex 𝓜_b): ‖∇F_θ‖ = ‖Σ p_i ℓ'_i J_i‖ ≤ Σ p_i L1_i j_i.
* μ1 ≥ sup ‖∇²F_θ‖: ‖a_i J_i J_iᵀ‖ ≤ p_i L2_i j_i², and ‖[[0, C], [Cᵀ, 0]]‖ = ‖C‖ = ‖r_w‖ ≤ Σ p_i L1_i ‖φ_i‖:
  μ1 = Σ p_i (L2_i j_i² + L1_i ‖φ_i‖).
* μ2 ≥ sup ‖D³F_θ[h]‖/‖h‖: along h, da_i = p_i ℓ'''_i J_iᵀh, dJ_i = (h_V φ_i, vec(h_w φ_iᵀ)) with
  ‖dJ_i‖ ≤ ‖φ_i‖‖h‖, d(J_iJ_iᵀ) ≤ 2‖J_i‖‖dJ_i‖, and dr_w = Σ p_i ℓ''_i (J_iᵀh) φ_i, so
  μ2 = Σ p_i (L3_i j_i³ + 3 L2_i j_i ‖φ_i‖).

The theorem requires *positive* constants; a bound that is exactly 0 (e.g. μ2 for the squared
loss with f_θ ≡ 0) is replaced by ``MU_FLOOR`` — any larger number is still a Lipschitz constant.

``loss_sup``: |ℓ'| is monotone in p for a convex ℓ, so its sup over [−Q, Q] is attained at ±Q
(exact). For ℓ'' and |ℓ'''| the loss's global bounds ``d2_sup``/``d3_sup`` are used; where they
are ``None`` (exponential, and constructions containing it) the bound is built from the loss's
``spec``: e^(−yp) has monotone |derivatives| (endpoints), ℓ(a p + c) maps the interval to
[−|a|Q − |c|, |a|Q + |c|] and scales by |a|^k, combinations add. Anything else raises
``HypothesisNotMet`` naming the loss.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from theorems.core import backend as B
from theorems.core.errors import HypothesisNotMet

from . import losses as L
from .sample import Sample

__all__ = ["loss_sup", "lipschitz_constants", "MU_FLOOR"]

MU_FLOOR = 2.0 ** -40


def _const_like(v, like):
    return mpmath.mpf(v) if B.is_mp(like) else float(v)


def loss_sup(loss, order: int, Q, y):
    """Per-sample upper bounds of sup_{|q| ≤ Q_i} |ℓ^(order)(q; y_i)| (order 1, 2 or 3)."""
    if order == 1:
        # ℓ' is non-decreasing (ℓ convex): |ℓ'| is maximal at an endpoint
        lo, hi = loss.d1(-Q, y), loss.d1(Q, y)
        return _vmax(B.abs_(lo), B.abs_(hi))
    return _sup_spec(loss.spec, order, Q, y, loss)


def _vmax(a, b):
    if isinstance(a, np.ndarray) and a.dtype == object or isinstance(b, np.ndarray) and b.dtype == object:
        a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
        return np.array([x if x >= z else z for x, z in zip(a, b)], dtype=object)
    return np.maximum(a, b)


def _sup_spec(spec, order, Q, y, loss=None):
    loss = loss or L.from_spec(spec)
    glob = loss.d2_sup if order == 2 else loss.d3_sup
    if glob is not None:
        return 0 * Q + _const_like(glob, Q)
    name = spec.get("name")
    if name == "exponential":
        # |dᵏ/dpᵏ e^(−yp)| = e^(−yp) (y = ±1) is monotone in p: endpoints
        return _vmax(B.exp(-y * Q), B.exp(y * Q))
    if name == "affine":
        a, c = abs(spec["a"]), abs(spec["c"])
        return _const_like(a ** order, Q) * _sup_spec(spec["loss"], order, a * Q + c, y)
    if name == "combination":
        out = 0 * Q
        for coef, sub in spec["terms"]:
            out = out + _const_like(coef, Q) * _sup_spec(sub, order, Q, y)
        return out
    raise HypothesisNotMet(
        f"argument 'loss': no bound on |ℓ^({order})| is known for loss {loss.name!r}; Theorem 3's "
        "explicit constants μ1, μ2 need Loss.d2_sup / d3_sup (or a catalogue construction)")


def lipschitz_constants(s: Sample, loss, b):
    """(μ0, μ1, μ2): provable Lipschitz constants of F_θ, ∇F_θ, ∇²F_θ on the box
    max(‖w‖, ‖V‖) < b (derivation in the module docstring); each at least ``MU_FLOOR``, +inf where
    a float64 bound overflows."""
    xn, phin = B.row_norms(s.X), B.row_norms(s.Phi)
    zb = xn + b * phin
    j = B.sqrt(zb * zb + (b * phin) * (b * phin))
    Q = b * zb
    # float64 bounds overflow to +inf (e^(b·…) for the exponential loss on a large box): intended,
    # the constants are then reported infinite (Theorem 3 untested there), never used as numbers
    with np.errstate(over="ignore", invalid="ignore"):
        L1 = loss_sup(loss, 1, Q, s.y)
        L2 = loss_sup(loss, 2, Q, s.y)
        L3 = loss_sup(loss, 3, Q, s.y)
        mus = (B.asum(s.p * L1 * j), B.asum(s.p * (L2 * j * j + L1 * phin)),
               B.asum(s.p * (L3 * j * j * j + 3 * L2 * j * phin)))
    floor = _const_like(MU_FLOOR, b)
    inf = _const_like(math.inf, b)
    # a bound that overflows float64 (e^(b·…) for the exponential loss) is +inf, never NaN → floor
    return tuple(inf if not math.isfinite(float(m)) else (m if m >= floor else floor) for m in mus)
