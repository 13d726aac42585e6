"""Matrix algebra of Appendix A: s_min(W), the right inverse Wᵀ(WWᵀ)⁻¹ and a solve, in both precisions.

Lemma 3's matrix G = (W − W*; Wᵀ(WWᵀ)⁻¹W*V) and Eq. (20) of the proof of Theorem 6 use the
right inverse Wᵀ(WWᵀ)⁻¹ of a W ∈ R^{m×d} of full row rank, whose spectral norm is s_min(W)⁻¹
(the sentence after Eq. 20, with the transpose restored).
"""

from __future__ import annotations

import mpmath
import numpy as np

from . import backend as B

__all__ = ["solve", "s_min", "right_inverse"]


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


def s_min(W):
    """Smallest singular value of W ∈ R^{m×d} among its min(m, d) singular values."""
    W = np.asarray(W)
    G = W @ W.T if W.shape[0] <= W.shape[1] else W.T @ W
    lo = B.eigvalsh(G)[0]
    return B.sqrt(lo if lo > 0 else 0 * lo)


def right_inverse(W):
    """Wᵀ(WWᵀ)⁻¹ (needs W of full row rank): the matrix of Lemma 3's G and Eq. (20)."""
    return solve(W @ W.T, W).T
