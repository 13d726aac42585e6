"""First-order quantities of Section 3 at a point, with the magnitudes the tolerance policy needs.

``first_order(inst)`` computes, once, everything Lemma 1, Theorem 1 and Eq. (3)–(7) talk about:
the gradient blocks, ‖∇F_θ(w, V)‖, the gap F(w, V, θ) − F_lin(w*) (summed per sample, without
cancellation), the norms ‖w‖, ‖w*‖, ‖V‖ (spectral), and *scales*: sums of absolute values of
the terms behind each computed number, from which the claims derive their float tolerance.
The gradient is the model's one gradient (``objective.gradient_terms``, Eq. 7).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B

from .instance import Point
from .objective import gradient_terms

__all__ = ["FirstOrder", "first_order"]


@dataclass(frozen=True)
class FirstOrder:
    g_w: np.ndarray
    g_V: np.ndarray
    grad_norm: object
    gap: object
    w_norm: object
    w_star_norm: object
    V_norm: object
    d1: np.ndarray            # ℓ'(q_i; y_i)
    Z: np.ndarray             # z_i = x_i + V φ_i (rows)
    q: np.ndarray             # predictions wᵀz_i
    q_star: np.ndarray        # w*ᵀx_i
    grad_scale: object        # Σ p_i |ℓ'_i| (‖x_i‖ + ‖V‖‖φ_i‖ + ‖w‖‖φ_i‖): magnitude behind ∇F
    gap_scale: object         # Σ p_i (|ℓ(q_i)| + |ℓ(q*_i)| + |ℓ'| · magnitude of q): behind the gap


def first_order(inst: Point) -> FirstOrder:
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    w_star = inst.w_star if inst.w_star is not None else 0 * w
    t = gradient_terms(s, loss, w, V, validate=False)     # the instance is validated already
    Z, q, d1, g_w, g_V = t.Z, t.q, t.d1, t.g_w, t.g_V
    q_star = s.X @ w_star
    grad_norm = B.norm(g_w, g_V)
    gap = B.asum(s.p * loss.diff(q, q_star, s.y))
    w_norm, ws_norm = B.norm(w), B.norm(w_star)
    V_norm = B.spectral_norm(V)
    phin, xn = B.row_norms(s.Phi), B.row_norms(s.X)
    zn = xn + V_norm * phin          # magnitude behind z_i = x_i + V φ_i (before cancellation)
    absc = B.abs_(t.c)
    grad_scale = B.asum(absc * (zn + w_norm * phin))
    d1s = B.abs_(loss.d1(q_star, s.y))
    gap_scale = B.asum(s.p * (B.abs_(loss.value(q, s.y)) + B.abs_(loss.value(q_star, s.y))
                              + B.abs_(d1) * w_norm * zn + d1s * ws_norm * xn))
    return FirstOrder(g_w, g_V, grad_norm, gap, w_norm, ws_norm, V_norm, d1, Z, q, q_star,
                      grad_scale, gap_scale)
