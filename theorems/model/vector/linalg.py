"""Matrix algebra of Appendix A: s_min(W), the right inverse Wᵀ(WWᵀ)⁻¹ and a solve, in both precisions.

Lemma 3's matrix G = (W − W*; Wᵀ(WWᵀ)⁻¹W*V) and Eq. (20) of the proof of Theorem 6 use the
right inverse Wᵀ(WWᵀ)⁻¹ of a W ∈ R^{m×d} of full row rank, whose spectral norm is s_min(W)⁻¹
(the sentence after Eq. 20, with the transpose restored).

Accuracy at ill-conditioned W (κ = ‖W‖/s_min(W) up to 10⁶), float64:

- ``s_min``: an eigenvalue of WWᵀ (or a singular value from any backward-stable SVD) carries an
  absolute error ≈ u‖W‖² (resp. u‖W‖), i.e. a *relative* error ≈ uκ² (resp. uκ) — 10⁻⁴ at
  κ = 10⁶, which a tolerance must then allow for, and which hides near-violations of Theorem 6.
  Instead s_min is the Rayleigh quotient ‖Wᵀv‖/‖v‖ at the left singular vector v of the smallest
  singular value from LAPACK's SVD, with Wᵀv computed in doubled precision (Dekker's error-free
  products and Knuth's two-sum: the result is as if computed with unit roundoff u², then
  rounded). The Rayleigh quotient is stationary at the singular vector: an angle error θ ≈ uκ·(s_max/gap)
  in v moves it by ≈ θ²κ² relative (second order), and the doubled-precision product by ≈ u + u²κ.
  So the computed s_min has relative error ≈ d·u + u·s_max⁴/(gap²s_min²) (gap = s_{m−1} − s_min)
  — about one unit of roundoff for κ ≤ 10⁶ and separated singular values (measured against 60
  digits up to κ = 10⁶ in ``tests/test_theorem6.py``); a clustered bottom (gap ≪ s_max) is no
  worse than the SVD's ≈ uκ. ``s_min_error_units(W)`` is that estimate in units of roundoff, for
  the tolerances (mpmath: κ², an eigenvalue of WWᵀ at the working precision).
- ``right_inverse``: Q R⁻ᵀ from a Householder QR Wᵀ = QR (backward stable; relative error ≈ uκ),
  not (WWᵀ)⁻¹ from the normal equations (≈ uκ²).
"""

from __future__ import annotations

import mpmath
import numpy as np
from scipy.linalg import solve_triangular

from theorems.core import backend as B

__all__ = ["solve", "s_min", "s_min_error_units", "right_inverse", "dot2_left"]


def solve(A, Bm):
    """A⁻¹ Bm for a square non-singular A (float64 LAPACK, or mpmath LU at high precision)."""
    A, Bm = np.asarray(A), np.asarray(Bm)
    if A.dtype == object or Bm.dtype == object:
        Am = mpmath.matrix(A.tolist())
        cols = Bm.reshape(Bm.shape[0], -1)
        out = np.empty(cols.shape, dtype=object)
        for j in range(cols.shape[1]):
            x = mpmath.lu_solve(Am, mpmath.matrix([B.to_mp(v) for v in cols[:, j]]))
            for i in range(cols.shape[0]):
                out[i, j] = x[i]
        return out.reshape(Bm.shape)
    return np.linalg.solve(A, Bm)


_SPLIT = 134217729.0     # 2²⁷ + 1: Dekker's splitting constant for float64


def _split(a):
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


def _two_prod(a, b):
    """p + e = a·b exactly (Dekker), elementwise."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _two_sum(a, b):
    """s + e = a + b exactly (Knuth), elementwise."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def dot2_left(W, v):
    """Wᵀv for float64 W (m × d) and v (m,), as if computed with unit roundoff u² and then rounded
    (Ogita–Rump–Oishi's Dot2 with error-free transformations, vectorized over the d columns)."""
    s = np.zeros(W.shape[1])
    c = np.zeros(W.shape[1])
    for i in range(W.shape[0]):
        p, e = _two_prod(W[i], np.full(W.shape[1], v[i]))
        s, q = _two_sum(s, p)
        c = c + (q + e)
    return s + c


def s_min(W):
    """Smallest singular value of W ∈ R^{m×d} among its min(m, d) singular values.

    float64, m ≤ d: the Rayleigh quotient ‖Wᵀv‖ at LAPACK's unit left singular vector v of the
    smallest singular value, Wᵀv in doubled precision (relative error a few u where LAPACK's
    value has uκ; see the module docstring). mpmath: √λ_min(WWᵀ) at the working precision."""
    W = np.asarray(W)
    if W.dtype != object and W.shape[0] <= W.shape[1] and W.size:
        U, S, _ = np.linalg.svd(W)
        if S[-1] == 0:
            return 0.0
        v = U[:, -1] / np.sqrt(np.sum(U[:, -1] ** 2))
        r = dot2_left(np.asarray(W, dtype=np.float64), v)
        rq = float(np.sqrt(np.sum(r * r)))
        # the quotient is ≥ s_min exactly; LAPACK's value is within u‖W‖ of it: keep the smaller
        # only where the quotient is off by more than that (a clustered bottom, θ large)
        return rq if rq <= S[-1] + 8 * S[0] * 2.0 ** -53 * max(W.shape) else float(S[-1])
    G = W @ W.T if W.shape[0] <= W.shape[1] else W.T @ W
    lo = B.eigvalsh(G)[0]
    return B.sqrt(lo if lo > 0 else 0 * lo)


def s_min_error_units(W) -> float:
    """The relative error of ``s_min(W)`` in units of the backend's roundoff (module docstring):
    float64 (m ≤ d): 4d + min(8κ·max(m, d), u·s_max⁴/(gap²·s_min²)); mpmath: 4(1 + κ²)."""
    W = np.asarray(W)
    Sf = np.linalg.svd(np.asarray(B.to_float(W), dtype=np.float64), compute_uv=False)
    if Sf.size == 0 or Sf[-1] == 0:
        return float("inf")
    kappa = float(Sf[0] / Sf[-1])
    if W.dtype == object or W.shape[0] > W.shape[1]:
        return 4 * (1 + kappa ** 2)
    gap = float(Sf[-2] - Sf[-1]) if Sf.size > 1 else float(Sf[0])
    second = 2.0 ** -53 * Sf[0] ** 4 / (gap ** 2 * Sf[-1] ** 2) if gap > 0 else float("inf")
    return float(4 * W.shape[1] + min(8 * kappa * max(W.shape), second))


def right_inverse(W):
    """Wᵀ(WWᵀ)⁻¹ (needs W of full row rank): the matrix of Lemma 3's G and Eq. (20).

    float64: Q R⁻ᵀ from the Householder QR Wᵀ = QR (relative error ≈ uκ, where the normal
    equations give ≈ uκ²); mpmath: the solve with WWᵀ at the working precision."""
    W = np.asarray(W)
    if W.dtype != object and 0 < W.shape[0] <= W.shape[1]:
        Q, R = np.linalg.qr(W.T)
        return solve_triangular(R, Q.T, lower=False).T
    return solve(W @ W.T, W).T
