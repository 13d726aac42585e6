"""Exact stationary points (0, V) of F_θ with negative curvature: saddle points (Sec. 2, Sec. 3).

Sec. 2 says F "can easily have spurious local minima and saddle points", and Sec. 3 that at w = 0
a suboptimal point may be stationary, so that only λ_min(∇²F_θ(0, V)) < 0 tells it is no local
minimum (Theorem 2's dichotomy). A float64 construction of such a point is stationary only up to
rounding, and at 60 digits its gradient is no longer 0; the points here are stationary *exactly in
binary*, so they stay stationary when re-evaluated at any precision.

Construction (one sample, squared loss ℓ(p; y) = ½(p − y)²): x = a·e₁, f_θ(x) = 2^c·e₁ and
V = −a·2^(−c)·e₁e₁ᵀ (an exact binary number for integer a and c), so z = x + V f_θ(x) = 0. Then at
w = 0: ∂F/∂w = ℓ'(0; y)·z = 0 and ∂F/∂V = ℓ'(0; y)·w f_θ(x)ᵀ = 0 exactly, while
r = E[ℓ'(0; y) f_θ(x)] = −y·2^c·e₁ ≠ 0 for y ≠ 0, so λ_min(∇²F_θ(0, V)) < 0 (Lemma 2 on
M = [[0, rᵀ], [r, 0]]: λ_min = −‖r‖). With w* = (y/a)·e₁, F_lin(w*) = ½(fl(y/a)·a − y)² ≈ 0 and
F(0, V, θ) = ½y² > 0: the point is suboptimal with respect to a linear predictor.
"""

from __future__ import annotations

import numpy as np

from . import losses as L
from .instance import Point
from .sample import Sample

__all__ = ["exact_saddle_at_zero"]


def exact_saddle_at_zero(a: int, c: int, y: int, d: int = 1, k: int = 1) -> Point:
    """The exact stationary strict saddle (0, V) of the module docstring, in R^d × R^{d×k}.

    ``a``, ``y``: non-zero integers (|·| ≤ 2⁵⁰, so every entry is an exact float64); ``c``: the
    exponent of f_θ(x) = 2^c·e₁ (|c| ≤ 60); ``d``, ``k`` ≥ 1: the dimensions (extra coordinates are 0)."""
    for name, v, lo in (("a", a, 1), ("y", y, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not (lo <= abs(int(v)) <= 2 ** 50):
            raise ValueError(f"argument {name!r}: must be a non-zero integer with |{name}| ≤ 2⁵⁰, got {v!r} "
                             "(the construction is exact in binary only then)")
    if isinstance(c, bool) or not isinstance(c, (int, np.integer)) or abs(int(c)) > 60:
        raise ValueError(f"argument 'c': must be an integer with |c| ≤ 60, got {c!r}")
    for name, v in (("d", d), ("k", k)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not (1 <= int(v) <= 8):
            raise ValueError(f"argument {name!r}: must be an integer in [1, 8], got {v!r}")
    a, c, y, d, k = int(a), int(c), int(y), int(d), int(k)
    X = np.zeros((1, d))
    X[0, 0] = float(a)
    Phi = np.zeros((1, k))
    Phi[0, 0] = 2.0 ** c
    V = np.zeros((d, k))
    V[0, 0] = -float(a) * 2.0 ** (-c)
    w_star = np.zeros(d)
    w_star[0] = float(y) / float(a)
    s = Sample(X, np.array([float(y)]), np.array([1.0]), Phi)
    return Point(s, L.squared(), np.zeros(d), V, w_star, {},
                 {"feature_map": "constructed", "corner": "exact saddle at w = 0"})
