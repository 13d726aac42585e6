"""The Hessian's structure at any point and Theorem 2's quantities at w = 0 (Sec. 3, Sec. 6.2).

Everything here is backend-generic (float64 arrays or mpmath object arrays, see ``backend``).
The gradient and the Hessian themselves are ``theorems.model.objective.gradient_terms`` (Eq. 7) and
``theorems.model.objective.hessian``, w.r.t. (w, vec V) with vec row-major:

    ∇²F_θ = Σ_i a_i J_i J_iᵀ + [[0, C], [Cᵀ, 0]],  J_i = (z_i, vec(w φ_iᵀ)),  a_i = p_i ℓ''(q_i),
    C = I_d ⊗ r_wᵀ,  r_w = Σ_i p_i ℓ'(q_i) φ_i,  z_i = x_i + V φ_i,  q_i = wᵀz_i.

- ``hessian_lambda_min``: λ_min(∇²F_θ(w, V)) from that structure, an eigenproblem of size
  2d + k − 1 instead of d + dk (Theorem 3, Corollary 1).
- ``r_vector``: Eq. (10), r = E[ℓ'(0; y) f_θ(x)] = r_w at w = 0.
- ``at_zero``: every quantity of Theorem 2 and Eq. (11)–(13) at (0, V), one derivation for both
  precisions. At w = 0 the V–V block vanishes (Eq. 8) and the w–V block is C = I ⊗ rᵀ (Eq. 9), so
  in the basis (w, e_m ⊗ r/‖r‖) the Hessian is [[A, ‖r‖I], [‖r‖I, 0]] plus a zero block, with
  A = ∂²F_θ(0, V)/∂w² = Σ p_i ℓ''(0) z_i z_iᵀ. Diagonalising A splits it into 2 × 2 arrows
  [[α_j, ‖r‖], [‖r‖, 0]] (Lemma 2), whose λ_min = ½(α − √(α² + 4‖r‖²)) increases with α: hence
  λ_min(∇²F_θ(0, V)) = min(½(α − √(α² + 4‖r‖²)), 0) with α = λ_min(A), and ‖A‖ = max(λ_max(A), −λ_min(A)).

This module also re-exports the names other modules import from ``theorems.model.second_order``:
``gradient_fast``/``hessian_fast`` (``objective.gradient``/``hessian`` without argument checks),
``row_norms`` (``backend``), ``Lemma2Matrix``/``lemma2_matrix`` (``arrow``), ``loss_sup``,
``lipschitz_constants``, ``MU_FLOOR`` (``lipschitz``), ``linear_ball_min``, ``linear_inf``,
``fw_gap`` (``linear``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B
from theorems.core.backend import row_norms
from theorems.core.errors import HypothesisNotMet

from .arrow import Lemma2Matrix, arrow_lambda_min, lemma2_matrix
from .instance import Point
from .linear import fw_gap, linear_ball_min, linear_inf
from .lipschitz import MU_FLOOR, lipschitz_constants, loss_sup
from .objective import gradient, gradient_terms, hessian
from .sample import Sample

__all__ = [
    "hessian_lambda_min", "lambda_min", "r_vector", "AtZero", "at_zero",
    # re-exported
    "hessian_fast", "gradient_fast", "row_norms", "lemma2_matrix", "Lemma2Matrix", "arrow_lambda_min",
    "loss_sup", "lipschitz_constants", "MU_FLOOR", "linear_ball_min", "linear_inf", "fw_gap",
]


def gradient_fast(s: Sample, loss, w, V):
    """``objective.gradient`` without argument checks: (∂F/∂w, ∂F/∂V) of Eq. (7)."""
    return gradient(s, loss, w, V, validate=False)


def hessian_fast(s: Sample, loss, w, V):
    """``objective.hessian`` without argument checks: ∇²F_θ(w, V), vec row-major."""
    return hessian(s, loss, w, V, validate=False)


def lambda_min(H):
    """Smallest eigenvalue of a symmetric matrix (float64 or mpmath)."""
    return B.eigvalsh(H)[0]


def _complement(u):
    """d × (d − 1) matrix whose orthonormal columns span u⊥ (u a unit vector): columns 2..d of
    the Householder reflector that maps u to ∓e_1 (backend-generic)."""
    d = u.shape[0]
    v = u.copy()
    v[0] = v[0] + (1 if u[0] >= 0 else -1)          # no cancellation: |v_1| ≥ 1
    E = np.multiply.outer(v, v[1:]) * (-2 / B.dot(v, v))
    diag = E[1:].reshape(-1)[::d]                    # a view: E[1:] is a contiguous (d−1)² block
    diag[...] = diag + 1
    return E


def hessian_lambda_min(s: Sample, loss, w, V):
    """λ_min(∇²F_θ(w, V)) through the Hessian's structure: an eigenproblem of size 2d + k − 1
    instead of d + dk (float64 and mpmath alike).

    With J_i = (z_i, w ⊗ φ_i), a_i = p_i ℓ''(q_i), r_w = Σ p_i ℓ'(q_i) φ_i and C = I_d ⊗ r_wᵀ,
    ∇²F_θ = Σ a_i J_iJ_iᵀ + [[0, C], [Cᵀ, 0]]. Let u = w/‖w‖ (any unit vector if w = 0),
    E (d × (d−1)) an orthonormal basis of u⊥ and r̂ = r_w/‖r_w‖. The V-directions
    {u ⊗ e_j}_{j ≤ k} ∪ {e ⊗ r̂}_{e ∈ cols E} are orthonormal, and every (0, v) orthogonal to them
    is in the kernel: J_iᵀ(0, v) = ‖w‖(u ⊗ φ_i)·v = 0, and e_m ⊗ r_w lies in their span, so
    Cv = 0. The Hessian therefore splits into zero on a subspace of dimension (d − 1)(k − 1) and,
    in the coordinates (w, α ∈ ℝᵏ, β ∈ ℝ^{d−1}), the matrix

        M = [[Σ a_i z_iz_iᵀ,      ‖w‖ Σ a_i z_iφ_iᵀ + u r_wᵀ,  ‖r_w‖ E],
             [·,                   ‖w‖² Σ a_i φ_iφ_iᵀ,          0      ],
             [·,                   0,                            0      ]]

    (when r_w = 0 the β-block is zero and stands for kernel directions, so the count still adds
    up to d + dk). λ_min = min(λ_min(M), 0) if (d − 1)(k − 1) > 0, else λ_min(M). Tested against
    ``eigvalsh`` of the full closed-form Hessian in both precisions (tests/test_hessian.py)."""
    d, k = s.d, s.k
    t = gradient_terms(s, loss, w, V, validate=False)
    Z, r_w = t.Z, t.r_w
    a = s.p * loss.d2(t.q, s.y)
    wn, rn = B.norm(w), B.norm(r_w)
    if wn > 0:
        u = w / wn
    else:
        u = 0 * w
        u[0] = u[0] + 1
    m = 2 * d + k - 1
    M = np.zeros((m, m), dtype=Z.dtype)    # object zeros are ints: exact, and mpf-compatible
    Jt = np.concatenate([Z, wn * s.Phi], axis=1)
    M[:d + k, :d + k] = Jt.T @ (a[:, None] * Jt)    # [[Σ a zzᵀ, ‖w‖Σ a zφᵀ], [·, ‖w‖²Σ a φφᵀ]] at once
    ur = np.multiply.outer(u, r_w)
    M[:d, d:d + k] = M[:d, d:d + k] + ur
    M[d:d + k, :d] = M[d:d + k, :d] + ur.T
    if d > 1:
        E = rn * _complement(u)
        M[:d, d + k:] = E
        M[d + k:, :d] = E.T
    lam = B.eigvalsh(M)[0]
    if (d - 1) * (k - 1) > 0 and lam > 0:
        lam = 0 * lam
    return lam


def r_vector(s: Sample, loss):
    """r = E[ℓ'(0; y) f_θ(x)]  (Eq. 10)."""
    return s.Phi.T @ (s.p * loss.d1(0 * s.y, s.y))


@dataclass(frozen=True)
class AtZero:
    """Theorem 2's quantities at (0, V), with the magnitudes behind them (for the tolerance):
    g_scale = Σ p|ℓ'(0)|(‖x‖ + ‖V‖‖φ‖) behind ∇F_θ(0, V), h_scale = Σ p ℓ''(0)(‖x‖ + ‖V‖‖φ‖)² +
    Σ p|ℓ'(0)|‖φ‖ ≥ ‖∇²F_θ(0, V)‖, gap_scale = Σ p(|ℓ(0)| + |ℓ(q*)| + |ℓ'(q*) q*|) behind the gap."""

    lam: object            # λ_min(∇²F_θ(0, V))
    H_ww_norm: object      # ‖∂²F_θ(0, V)/∂w²‖
    g_w: np.ndarray
    grad_norm: object      # ‖∇F_θ(0, V)‖
    r: np.ndarray          # Eq. (10)
    r_norm: object
    V_norm: object
    gap: object            # F(0, V, θ) − F_lin(w*) (None without w*)
    w_star_norm: object
    g_scale: object
    h_scale: object
    gap_scale: object


def at_zero(inst: Point, *, need_gap: bool = True) -> AtZero:
    """Every quantity of Theorem 2 at (0, V) (module docstring), in the instance's precision.

    ``inst.w`` must be 0 (the claims check that hypothesis); the gap (and its scale, ‖w*‖) is
    computed when ``need_gap`` and ``inst.w_star`` is given. O(n·d·k + d³): one d × d eigenproblem."""
    s, loss, V = inst.sample, inst.loss, inst.V
    zero = 0 * s.y
    t = gradient_terms(s, loss, inst.w, V, validate=False)
    Z, d1_0, r = t.Z, t.d1, t.r_w              # at w = 0: q = 0, ℓ'(0; y) and r_w = r of Eq. (10)
    d2_0 = loss.d2(zero, s.y)
    A = Z.T @ ((s.p * d2_0)[:, None] * Z)          # ∂²F_θ(0, V)/∂w² (Eq. 8–9: the rest is C, 0)
    ev = B.eigvalsh(A)
    rho = B.norm(r)     # underflow-safe (hypot): ‖r‖ ~ 1e-200 is not 0
    lam = arrow_lambda_min(ev[0], rho)
    lam = lam if lam <= 0 else 0 * lam
    H_ww_norm = max(ev[-1], -ev[0])                # A is symmetric: ‖A‖ = max |eigenvalue|
    V_norm = B.spectral_norm(V)
    xn, phin = B.row_norms(s.X), B.row_norms(s.Phi)
    zn = xn + V_norm * phin
    ad1 = B.abs_(d1_0)
    g_scale = B.asum(s.p * ad1 * zn)
    h_scale = B.asum(s.p * (B.abs_(d2_0) * zn * zn + ad1 * phin))
    gap = gap_scale = ws_norm = None
    if need_gap and inst.w_star is not None:
        q_star = s.X @ inst.w_star
        with np.errstate(over="ignore", invalid="ignore"):   # (float64 only; checked just below)
            gap = B.asum(s.p * loss.diff(zero, q_star, s.y))
            gap_scale = B.asum(s.p * (B.abs_(loss.value(zero, s.y)) + B.abs_(loss.value(q_star, s.y))
                                      + B.abs_(loss.d1(q_star, s.y) * q_star)))
        if not (B.is_finite(gap) and B.is_finite(gap_scale)):
            # an overflowing F_lin(w*) has no float64 rounding scale: such a w* is not tested
            raise HypothesisNotMet("argument 'w_star': ℓ(x·w*; y) or ℓ'(x·w*; y)·x·w* overflows float64, so "
                                   "F_lin(w*) − F_lin(0) has no finite rounding scale")
        ws_norm = B.norm(inst.w_star)
    g_w = t.g_w
    return AtZero(lam, H_ww_norm, g_w, B.norm(g_w, t.g_V), r, rho, V_norm, gap, ws_norm, g_scale, h_scale,
                  gap_scale)
