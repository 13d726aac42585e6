"""F_θ(w, V), F_lin, their gradients and the Hessian of F_θ (Eq. 2, 7; Sec. 6.2).

Notation (Sec. 2): the network is x ↦ wᵀ(x + V f_θ(x)); with z_i = x_i + V φ_i (φ_i = f_θ(x_i))
and prediction q_i = wᵀz_i,

    F_θ(w, V) = Σ_i p_i ℓ(q_i; y_i),          F_lin(u) = F_θ(u, 0) = Σ_i p_i ℓ(uᵀx_i; y_i).

Gradient (Eq. 7):  ∂F/∂w = Σ p_i ℓ'_i z_i,   ∂F/∂V = w rᵀ_w  with  r_w = Σ p_i ℓ'_i φ_i.

Hessian w.r.t. (w, vec V), **vec row-major (C order)**: coordinate d + i·k + j is V[i, j].
With the Jacobian J_i = ∂q_i/∂(w, vec V) = (z_i, vec(w φ_iᵀ)) and a_i = p_i ℓ''_i,

    ∇²F_θ = Σ_i a_i J_i J_iᵀ + [[0, C], [Cᵀ, 0]],   C = I_d ⊗ r_wᵀ  (∂²q/∂w_m∂V_ij = δ_mi φ_j).

At w = 0 this is Eq. (8)–(9): the V–V block vanishes and the w–V block is e_i rᵀ with
r = Σ p_i ℓ'(0; y_i) φ_i (Eq. 10).

All functions run unchanged on float64 arrays and on mpmath object arrays (see backend).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from theorems.core import backend as B

from .losses import Loss
from .sample import Sample, check_array

__all__ = [
    "objective", "linear_objective", "gradient", "gradient_terms", "GradientTerms", "linear_gradient",
    "hessian", "predictions", "gap", "check_point",
]


def _check_sample(s):
    if not isinstance(s, Sample):
        raise TypeError(f"argument 's': expected a Sample, got {type(s).__name__}")


def _check_loss(loss, s: Sample):
    _check_sample(s)     # before s.y is read: a dict must not end in an AttributeError
    if not isinstance(loss, Loss):
        raise TypeError(f"argument 'loss': expected a theorems.model.losses.Loss, got {type(loss).__name__}"
                        " (use losses.by_name(...))")
    loss.check_targets(s.y)


def check_point(s: Sample, w, V=None):
    """Validate (w, V) against the sample's dimensions; returns (w, V)."""
    _check_sample(s)
    w = check_array("w", w, (s.d,), hypothesis="w has the dimension d of x")
    if V is not None:
        V = check_array("V", V, (s.d, s.k), hypothesis="V maps f_θ(x) ∈ R^k to R^d")
    return w, V


def _Z(s: Sample, V):
    return s.X + s.Phi @ V.T


def predictions(s: Sample, w, V):
    """q_i = wᵀ(x_i + V f_θ(x_i))."""
    w, V = check_point(s, w, V)
    return _Z(s, V) @ w


def objective(s: Sample, loss: Loss, w, V):
    """F_θ(w, V) = E[ℓ(wᵀ(x + V f_θ(x)); y)]  (Eq. 2)."""
    _check_loss(loss, s)
    q = predictions(s, w, V)
    return B.asum(s.p * loss.value(q, s.y))


def linear_objective(s: Sample, loss: Loss, u):
    """F_lin(u) = E[ℓ(uᵀx; y)]  (Sec. 2)."""
    _check_loss(loss, s)
    u, _ = check_point(s, u)
    return B.asum(s.p * loss.value(s.X @ u, s.y))


def gap(s: Sample, loss: Loss, w, V, w_star):
    """F_θ(w, V) − F_lin(w*), summed per sample as ℓ(q_i) − ℓ(q*_i) to avoid cancellation."""
    _check_loss(loss, s)
    q = predictions(s, w, V)
    w_star, _ = check_point(s, w_star)
    q_star = s.X @ w_star
    return B.asum(s.p * loss.diff(q, q_star, s.y))


class GradientTerms(NamedTuple):
    """The gradient of Eq. (7) with the per-sample terms it is built from; the two blocks are
    computed on access (the Hessian and the structured λ_min need only the terms)."""

    w: np.ndarray
    Z: np.ndarray       # rows z_i = x_i + V φ_i
    q: np.ndarray       # predictions q_i = wᵀz_i
    d1: np.ndarray      # ℓ'(q_i; y_i)
    c: np.ndarray       # p_i ℓ'(q_i; y_i)
    r_w: np.ndarray     # Σ p_i ℓ'_i φ_i (r of Eq. 10 at w = 0)

    @property
    def g_w(self):
        """∂F/∂w = Σ p_i ℓ'_i z_i."""
        return self.Z.T @ self.c

    @property
    def g_V(self):
        """∂F/∂V = w r_wᵀ (d × k)."""
        return np.outer(self.w, self.r_w)


def gradient_terms(s: Sample, loss: Loss, w, V, *, validate: bool = True) -> GradientTerms:
    """The one gradient of F_θ (Eq. 7), in both precisions, with the terms behind it (z_i, q_i,
    ℓ'_i, r_w) for the callers that also need those (scales, the Hessian, Theorem 2 at w = 0).

    ``validate=False`` skips the argument checks (hot paths whose (w, V) come from an already
    validated instance); the arithmetic is the same."""
    if validate:
        _check_loss(loss, s)
        w, V = check_point(s, w, V)
    Z = _Z(s, V)
    q = Z @ w
    d1 = loss.d1(q, s.y)
    c = s.p * d1
    return GradientTerms(w, Z, q, d1, c, s.Phi.T @ c)


def gradient(s: Sample, loss: Loss, w, V, *, validate: bool = True):
    """(∂F/∂w, ∂F/∂V) in closed form (Eq. 7); ∂F/∂V is returned as a d × k matrix
    (``gradient_terms`` without the terms; ``validate=False`` skips the argument checks only)."""
    t = gradient_terms(s, loss, w, V, validate=validate)
    return t.g_w, t.g_V


def linear_gradient(s: Sample, loss: Loss, u):
    """∇F_lin(u) = E[ℓ'(uᵀx; y) x]."""
    _check_loss(loss, s)
    u, _ = check_point(s, u)
    return s.X.T @ (s.p * loss.d1(s.X @ u, s.y))


def hessian(s: Sample, loss: Loss, w, V, *, validate: bool = True):
    """∇²F_θ(w, V) w.r.t. (w, vec V), vec row-major; a (d + d·k) square, exactly symmetric matrix.

    The one Hessian of F_θ in both precisions; ``validate=False`` skips the argument checks only."""
    if validate:
        _check_loss(loss, s)
        w, V = check_point(s, w, V)
    n, d, k = s.n, s.d, s.k
    t = gradient_terms(s, loss, w, V, validate=False)
    Z = t.Z
    a = s.p * loss.d2(t.q, s.y)
    # J[i] = (z_i, vec(w φ_iᵀ)) with vec row-major: entry (m, j) -> m*k + j
    JV = (w[None, :, None] * s.Phi[:, None, :]).reshape(n, d * k)
    J = np.concatenate([Z, JV], axis=1)
    H = J.T @ (a[:, None] * J)
    H = 0.5 * (H + H.T)      # BLAS need not return an exactly symmetric product
    r_w = t.r_w
    C = np.zeros((d, d * k), dtype=H.dtype)
    for m in range(d):  # C = I_d ⊗ r_wᵀ: d small block copies, not a loop over entries
        C[m, m * k:(m + 1) * k] = r_w
    H[:d, d:] = H[:d, d:] + C
    H[d:, :d] = H[d:, :d] + C.T
    return H
