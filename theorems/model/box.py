"""Theorem 3's setting (Sec. 3, Sec. 6.3): a point of the box 𝓜_b = {(w, V): ‖w‖ < b, ‖V‖ < b}
and every quantity the theorem and Eq. (14)–(15) talk about there.

An instance (``Point``) carries the box size b and the radius r of the linear comparison class in
``extras["b"]``, ``extras["r"]``. :func:`box` computes, in the instance's precision:

- μ0, μ1, μ2: provable Lipschitz constants of F_θ, ∇F_θ, ∇²F_θ on 𝓜_b (``lipschitz``); μ1 ≥
  sup‖∇²F_θ‖ on 𝓜_b also gives the theorem's third hypothesis. Float64 bounds that overflow
  (exponential loss on a large box) raise :class:`InfiniteConstants`: the theorem needs finite ones.
- û: a feasible minimiser of F_lin over ‖u‖ ≤ r (``linear.linear_ball_min``, float64; converted
  exactly to mpf at high precision), and F(w, V, θ) − F_lin(û) summed per sample without cancellation.
- ‖∇F_θ(w, V)‖, λ_min(∇²F_θ(w, V)) (structured, ``second_order.hessian_lambda_min``) and the
  smallest ε for which the point is an ε-SOPSP (Definition 1):
  ε = max(‖∇F_θ‖, max(0, −λ_min)²/μ2).
- gap_scale = Σ p(|ℓ(q)| + |ℓ(q̂)| + |ℓ'(q)q|), the magnitude behind the gap (for the tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B
from theorems.core.errors import HypothesisNotMet

from .instance import Point
from .linear import linear_ball_min
from .lipschitz import lipschitz_constants
from .objective import gradient
from .second_order import hessian_lambda_min

__all__ = ["Box", "box", "InfiniteConstants"]


class InfiniteConstants(Exception):
    """Theorem 3 needs finite μ's; the float64 bounds overflowed (exponential loss on a large box)."""


@dataclass(frozen=True)
class Box:
    b: object
    r: object
    mu0: object
    mu1: object
    mu2: object
    u_hat: np.ndarray
    F_gap: object          # F(w, V, θ) − F_lin(û)
    gap_scale: object
    grad_norm: object
    lam: object            # λ_min(∇²F_θ(w, V))
    eps: object
    w_norm: object
    V_norm: object


def box(inst: Point, source: str) -> Box:
    """Theorem 3's constants and quantities at an instance of ``strategies.second_order.box_points``;
    ``source`` names the result in the messages of ``HypothesisNotMet`` / ``InfiniteConstants``."""
    if "b" not in inst.extras or "r" not in inst.extras:
        raise HypothesisNotMet(f"argument 'extras': {source} needs the box size b and radius r "
                               "(extras['b'], extras['r'])")
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    b, r = inst.extras["b"][0], inst.extras["r"][0]
    if not (b > 0 and r > 0):
        raise HypothesisNotMet(f"argument 'extras': {source} needs positive b and r, "
                               f"got b={float(b)!r}, r={float(r)!r}")
    w_norm, V_norm = B.norm(w), B.spectral_norm(V)
    if not (w_norm < b and V_norm < b):
        raise HypothesisNotMet(f"argument 'w'/'V': max(‖w‖, ‖V‖) = {float(max(w_norm, V_norm)):.6g} is not < b = "
                               f"{float(b):.6g}: the point is outside 𝓜 [{source}]")
    mu0, mu1, mu2 = lipschitz_constants(s, loss, b)
    if not all(np.isfinite(float(m)) for m in (mu0, mu1, mu2)):
        raise InfiniteConstants(f"μ0, μ1, μ2 overflow float64 on this box (b = {float(b):.3g}, loss {loss.name})")
    u_hat, _ = linear_ball_min(s, loss, float(r))
    if inst.is_mp:
        u_hat = B.to_mp(u_hat)
    q = (s.X + s.Phi @ V.T) @ w
    q_hat = s.X @ u_hat
    F_gap = B.asum(s.p * loss.diff(q, q_hat, s.y))
    gap_scale = B.asum(s.p * (B.abs_(loss.value(q, s.y)) + B.abs_(loss.value(q_hat, s.y))
                              + B.abs_(loss.d1(q, s.y) * q)))
    g_w, g_V = gradient(s, loss, w, V, validate=False)
    grad_norm = B.norm(g_w, g_V)
    lam = hessian_lambda_min(s, loss, w, V)
    neg = -lam if lam < 0 else 0 * lam
    eps = max(grad_norm, neg * neg / mu2)
    return Box(b, r, mu0, mu1, mu2, u_hat, F_gap, gap_scale, grad_norm, lam, eps, w_norm, V_norm)
