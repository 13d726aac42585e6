"""Instances of Appendix A constructed so that a statement is attained or its hypothesis fails.

Each construction says which inequalities of the proof become equalities, and why (the vector
analogue of ``theorems.model.constructions`` for Theorem 1).
"""

from __future__ import annotations

import numpy as np

from .losses import linear, squared
from .point import VectorPoint
from .sample import VectorSample

__all__ = ["theorem6_attaining", "theorem6_attaining_instance", "rank_deficient_stationary"]


def _orthonormal_rows(M):
    """Rows of M (m × d, m ≤ d, rank m) orthonormalized (QR of Mᵀ)."""
    Q, _ = np.linalg.qr(np.asarray(M, dtype=np.float64).T)
    return Q.T


def theorem6_attaining(s, sigma: float, Q, A, B_) -> VectorPoint:
    """Theorem 6's chain of inequalities made tight, except Eq. (20) when the s_i differ.

    W = diag(s)·Q (Q: m × d with orthonormal rows, so the singular values of W are the s_i > 0),
    W* = −W, so ‖W − W*‖²_Fr = 2‖W‖²_Fr + 2‖W*‖²_Fr and Wᵀ(WWᵀ)⁻¹W* = −QᵀQ =: −P;
    V = σ·QᵀAᵀ + (I − P) B (I − AAᵀ) with A (k × m) of orthonormal columns and ‖B‖ ≤ σ, so
    ‖V‖ = σ and PV = σ QᵀAᵀ has m singular values σ (‖PV‖²_Fr = mσ²).
    Linear loss ℓ(p; y) = −yᵀp (Lemma 3 is then an equality), n = m samples of weight 1/m,
    y_i = −e_i, φ_i = −σ a_i/s_i and x_i = (2s_i + σ²/s_i) q_i (a_i, q_i the i-th column of A and
    row of Q): then ∇F_θ(W, V) = G/m exactly (Cauchy–Schwarz is tight), gap =
    (1/m)·‖G‖²_Fr, and Eq. (19) holds with equality. Eq. (20) replaces ‖PV‖²_Fr = mσ² by
    ‖W*‖²_Fr σ²/s_min² = σ² Σ_i s_i²/s_min² ≥ mσ², with equality iff all s_i are equal: then
    Theorem 6 is attained; otherwise the ratio is √((4Σs_i² + mσ²)/(4Σs_i² + σ²Σs_i²/s_min²)).
    """
    s = np.asarray(s, dtype=np.float64)
    m = s.shape[0]
    Q = _orthonormal_rows(Q)
    A = _orthonormal_rows(np.asarray(A, dtype=np.float64).T).T      # k × m, orthonormal columns
    d, k = Q.shape[1], A.shape[0]
    if m > d or m > k or np.any(s <= 0) or not sigma > 0:
        raise ValueError(f"argument 's': need 0 < s_i, m = {m} ≤ d = {d}, m ≤ k = {k} and σ > 0")
    B_ = np.asarray(B_, dtype=np.float64).reshape(d, k)
    nb = np.linalg.norm(B_, 2)
    if nb > sigma:
        B_ = B_ * (sigma / nb)
    P = Q.T @ Q
    V = sigma * Q.T @ A.T + (np.eye(d) - P) @ B_ @ (np.eye(k) - A @ A.T)
    W = s[:, None] * Q
    X = (2 * s + sigma ** 2 / s)[:, None] * Q
    Phi = -(sigma / s)[:, None] * A.T
    Y = -np.eye(m)
    sample = VectorSample(X, Y, np.full(m, 1.0 / m), Phi)
    return VectorPoint(sample, linear(), W, V, -W, {}, {"feature_map": "constructed", "corner": "attaining"})


def theorem6_attaining_instance(m: int = 2, d: int = 3, k: int = 2, seed: int = 0,
                                equal: bool = True) -> VectorPoint:
    """:func:`theorem6_attaining` with normal random Q, A, B (‖B‖ ~ 0.1), σ = 2 and s_i = 1
    (``equal``: Theorem 6 attained) or s_i = 2^{-i}."""
    rng = np.random.default_rng(seed)
    s = np.ones(m) if equal else 2.0 ** -np.arange(m)
    return theorem6_attaining(s, 2.0, rng.normal(size=(m, d)), rng.normal(size=(k, m)),
                              0.1 * rng.normal(size=(d, k)))


def rank_deficient_stationary(W, V, phi, y, W_star=None) -> VectorPoint:
    """A stationary point of F_θ(W, V) with F above F_lin(W*), W not of full row rank.

    One sample with x = −Vφ, so z = x + Vφ = 0 and the prediction W z = 0; squared loss
    ½‖p − y‖² with y ⟂ the column space of W (so Wᵀ(p − y) = −Wᵀy = 0): then
    ∂F/∂W = (p − y) zᵀ = 0 and ∂F/∂V = Wᵀ(p − y) φᵀ = 0 — a stationary point — while
    F = ½‖y‖² > 0 = F_lin(W*) for any W* with W* x = y (x ≠ 0). W must be rank-deficient (y ≠ 0 is
    orthogonal to its column space), as Theorem 6 requires.
    """
    W = np.asarray(W, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    phi = np.asarray(phi, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    x = -V @ phi
    if W_star is None:
        W_star = np.outer(y, x) / (x @ x)
    sample = VectorSample(x[None, :], y[None, :], np.array([1.0]), phi[None, :])
    return VectorPoint(sample, squared(), W, V, np.asarray(W_star, dtype=np.float64), {},
                       {"feature_map": "constructed", "corner": "rank-deficient stationary"})
