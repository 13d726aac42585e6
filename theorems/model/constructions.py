"""Instances constructed so that a bound of the paper is attained (used to show tightness).

Each construction says which inequalities of the proof become equalities, and why.
"""

from __future__ import annotations

import numpy as np

from . import losses as L
from .instance import Point
from .sample import Sample

__all__ = ["theorem1_attaining", "theorem1_attaining_instance"]


def theorem1_attaining(w, a, sigma: float, B_) -> Point:
    """An instance where Theorem 1 (and Eq. 6) hold with equality, by construction.

    Linear loss ℓ(p; y) = −yp (Lemma 1 is then an equality), one sample with y = −1, w* = −w (so
    ‖w − w*‖² = 2‖w‖² + 2‖w*‖²), V = σ·u aᵀ + (I − uuᵀ) B (I − aaᵀ) with u = w/‖w‖, ‖a‖ = 1 and
    ‖B‖ ≤ σ, so u is a top left singular vector of V and ‖Vᵀw*‖ = ‖V‖‖w*‖; φ = −Vᵀw/‖w‖² and
    x = 2w + VVᵀw/‖w‖², which make ∇F_θ(w, V) = G exactly (Cauchy–Schwarz is tight).
    """
    w = np.asarray(w, dtype=np.float64)
    a = np.asarray(a, dtype=np.float64)
    d, k = w.shape[0], a.shape[0]
    u = w / np.linalg.norm(w)
    a = a / np.linalg.norm(a)
    B_ = np.asarray(B_, dtype=np.float64).reshape(d, k)
    nb = np.linalg.norm(B_, 2)
    if nb > sigma:
        B_ = B_ * (sigma / nb)
    V = sigma * np.outer(u, a) + (np.eye(d) - np.outer(u, u)) @ B_ @ (np.eye(k) - np.outer(a, a))
    phi = -V.T @ w / (w @ w)
    x = 2 * w + V @ (V.T @ w) / (w @ w)
    s = Sample(x[None, :], np.array([-1.0]), np.array([1.0]), phi[None, :])
    return Point(s, L.linear(), w, V, -w, {}, {"feature_map": "constructed", "corner": "attaining"})


def theorem1_attaining_instance(d: int = 2, k: int = 2, seed: int = 0) -> Point:
    """:func:`theorem1_attaining` with normal random w, a and B (‖B‖ ~ 0.1) and σ = 2."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)
    a = rng.normal(size=k)
    return theorem1_attaining(w, a, 2.0, 0.1 * rng.normal(size=(d, k)))
