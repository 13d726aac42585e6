"""First-order quantities of Appendix A at a ``VectorPoint`` (Lemma 3, Theorem 6), with their scales.

``first_order(inst)`` computes, once, what Lemma 3, Eq. (21)–(22), Theorem 6 and Eq. (19) talk
about: ∇F_θ(W, V) (from ``vector_objective.gradient_terms``), ‖∇F_θ‖, the gap
F(W, V, θ) − F_lin(W*) (summed per sample, without cancellation), the norms ‖W‖_Fr, ‖W*‖_Fr,
‖V‖, ‖W‖ (spectral), and the *scales* the tolerance policy needs:

    grad_scale = Σ π_i ‖d_ℓ,i‖ (‖x_i‖ + (‖V‖ + ‖W‖)‖φ_i‖)
    gap_scale  = Σ π_i (|ℓ(p_i)| + |ℓ(p*_i)| + ‖d_ℓ,i‖‖p_i‖ + ‖d*_ℓ,i‖‖p*_i‖),

the magnitudes of the terms behind ∇F and the gap.

Lemma 3's matrix G = (W − W*; Wᵀ(WWᵀ)⁻¹W*V) (``G_blocks``) needs WWᵀ invertible, i.e. W of
full row rank — the hypothesis of Theorem 6. ``require_full_row_rank`` checks it as m ≤ d and
s_min(W) > 10⁻⁸·‖W‖_Fr (a numerically meaningful inverse of WWᵀ) and raises
:class:`HypothesisNotMet` naming the result otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B
from theorems.core.backend import row_norms
from theorems.core.errors import HypothesisNotMet

from .linalg import right_inverse as _right_inverse
from .linalg import s_min
from .objective import gradient_terms
from .point import VectorPoint

__all__ = ["VectorFirstOrder", "first_order", "G_blocks", "require_full_row_rank", "RANK_RTOL"]

RANK_RTOL = 1e-8     # W has full row rank when s_min(W) > RANK_RTOL·‖W‖_Fr


@dataclass(frozen=True)
class VectorFirstOrder:
    g_W: np.ndarray
    g_V: np.ndarray
    grad_norm: object
    gap: object
    W_fro: object
    W_star_fro: object
    V_norm: object
    W_norm: object
    D: np.ndarray          # rows π_i d_ℓ,i
    Z: np.ndarray          # rows z_i = x_i + V φ_i
    P: np.ndarray          # predictions W z_i
    P_star: np.ndarray     # W* x_i
    grad_scale: object
    gap_scale: object


def first_order(inst: VectorPoint) -> VectorFirstOrder:
    """∇F_θ(W, V), the gap and the norms of Appendix A at ``inst`` (W* = 0 when absent), with scales."""
    s, loss, W, V = inst.sample, inst.loss, inst.W, inst.V
    W_star = inst.W_star if inst.W_star is not None else 0 * W
    t = gradient_terms(s, loss, W, V)
    P_star = s.X @ W_star.T
    grad_norm = B.norm(t.g_W, t.g_V)
    gap = B.asum(s.p * loss.diff(t.P, P_star, s.Y))
    V_norm, W_norm = B.spectral_norm(V), B.spectral_norm(W)
    gn, phin, xn = row_norms(t.G), row_norms(s.Phi), row_norms(s.X)
    grad_scale = B.asum(s.p * gn * (xn + (V_norm + W_norm) * phin))
    gs = row_norms(loss.grad(P_star, s.Y))
    gap_scale = B.asum(s.p * (B.abs_(loss.value(t.P, s.Y)) + B.abs_(loss.value(P_star, s.Y))
                              + gn * row_norms(t.P) + gs * row_norms(P_star)))
    return VectorFirstOrder(t.g_W, t.g_V, grad_norm, gap, B.norm(W), B.norm(W_star), V_norm, W_norm, t.D, t.Z, t.P,
                            P_star, grad_scale, gap_scale)


def require_full_row_rank(inst: VectorPoint, source: str):
    """s_min(W) for W of full row rank (and a W* given); raises HypothesisNotMet naming the violated
    hypothesis and ``source`` (the result that needs it)."""
    if inst.W_star is None:
        raise HypothesisNotMet(f"argument 'W_star': {source} needs a comparison matrix W*")
    m, d = inst.W.shape
    if m > d:
        raise HypothesisNotMet(f"argument 'W': W is {m}×{d} with m > d, so it cannot have full row rank, "
                               f"but {source} requires W of full row rank")
    smin = s_min(inst.W)
    if not smin > RANK_RTOL * B.norm(inst.W):
        raise HypothesisNotMet(f"argument 'W': s_min(W) = {float(smin):.3g} ≤ 1e-8·‖W‖_Fr, but {source} "
                               "requires W of full row rank (WWᵀ invertible)")
    return smin


def G_blocks(inst: VectorPoint, *, right_inverse=_right_inverse):
    """Lemma 3's G = (W − W*; Wᵀ(WWᵀ)⁻¹ W* V) as its W-block and V-block (``right_inverse`` may be
    replaced, for a negative control)."""
    return inst.W - inst.W_star, right_inverse(inst.W) @ (inst.W_star @ inst.V)
