""""Arrow" matrices M = [[b, uᵀ], [u, 0]] of Lemma 2 (Sec. 6.2, proof of Theorem 2).

All entries of M other than the first row and column are 0. Its smallest eigenvalue is that of
the 2 × 2 matrix [[b, ‖u‖], [‖u‖, 0]] (Lemma 2's proof), λ_min = ½(b − √(b² + 4‖u‖²)), which
``arrow_lambda_min`` evaluates without cancellation. Backend-generic (float64 or mpmath).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mpmath
import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import ARRAY, MP_SCALAR, Instance

from .sample import check_array

__all__ = ["lemma2_matrix", "Lemma2Matrix", "arrow_lambda_min"]


def lemma2_matrix(b, u):
    """M = [[b, uᵀ], [u, 0]] (Lemma 2): first row (b, uᵀ), first column (b; u), zeros elsewhere."""
    u = np.asarray(u)
    m = u.shape[0] + 1
    M = np.zeros((m, m), dtype=u.dtype)
    if u.dtype == object:
        M[:, :] = mpmath.mpf(0)
    M[0, 0] = b
    M[0, 1:] = u
    M[1:, 0] = u
    return M


def arrow_lambda_min(alpha, rho):
    """½(α − √(α² + 4ρ²)) without cancellation: λ_min of [[α, ρ], [ρ, 0]] (Lemma 2's proof)."""
    if alpha > 0:
        return -2 * rho * rho / (alpha + B.sqrt(alpha * alpha + 4 * rho * rho))
    return (alpha - B.sqrt(alpha * alpha + 4 * rho * rho)) / 2


@dataclass(frozen=True, eq=False, repr=False)
class Lemma2Matrix(Instance):
    """An instance of Lemma 2: a scalar b and a vector u (length ≥ 1)."""

    CODECS = {"b": MP_SCALAR, "u": ARRAY}

    b: object
    u: np.ndarray
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        u = check_array("u", self.u, ndim=1, hypothesis="Lemma 2: u is a vector")
        if u.shape[0] < 1:
            raise ValueError("argument 'u': Lemma 2 needs a vector u with at least one entry "
                             "(M has a zero block below the first row)")
        b = self.b
        if not isinstance(b, mpmath.mpf):
            b = float(b)
            if not math.isfinite(b):
                raise ValueError(f"argument 'b': must be a finite scalar, got {self.b!r}")
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "u", u)

    @property
    def is_mp(self):
        return isinstance(self.b, mpmath.mpf)

    def matrix(self):
        return lemma2_matrix(self.b, self.u)

    def to_vector(self):
        return np.concatenate([[float(self.b)], B.to_float(self.u)])

    def from_vector(self, x):
        x = np.asarray(x, dtype=np.float64)
        return Lemma2Matrix(float(x[0]), x[1:].copy(), dict(self.meta))

    def describe(self):
        return f"b={float(self.b):.6g}, ‖u‖={float(B.norm(self.u)):.6g}, size={self.u.shape[0] + 1}"
