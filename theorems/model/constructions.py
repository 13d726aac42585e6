"""Instances constructed so that a bound of the paper is attained (used to show tightness).

Each construction says which inequalities of the proof become equalities, and why.
"""

from __future__ import annotations

import numpy as np

from . import losses as L
from .instance import Point
from .sample import Sample

__all__ = ["theorem1_attaining_instance"]


def theorem1_attaining_instance(d: int = 2, k: int = 2, seed: int = 0):
    """An instance where Theorem 1 (and Eq. 6) hold with equality, by construction.

    Linear loss ℓ(p; y) = −yp (Lemma 1 is then an equality), one sample with y = −1, w* = −w, V with
    top left singular vector w/‖w‖ (so ‖Vᵀw*‖ = ‖V‖‖w*‖), φ = −Vᵀw/‖w‖² and
    x = 2w + VVᵀw/‖w‖², which makes ∇F_θ(w, V) = G exactly (Cauchy–Schwarz is tight).
    """
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)
    u = w / np.linalg.norm(w)
    # V = 2·u aᵀ + (I − uuᵀ) B (I − aaᵀ) with ‖B‖ < 2: u is V's top left singular vector
    a = rng.normal(size=k)
    a /= np.linalg.norm(a)
    B_ = 0.1 * rng.normal(size=(d, k))
    V = 2.0 * np.outer(u, a) + (np.eye(d) - np.outer(u, u)) @ B_ @ (np.eye(k) - np.outer(a, a))
    phi = -V.T @ w / (w @ w)
    x = 2 * w + V @ (V.T @ w) / (w @ w)
    s = Sample(x[None, :], np.array([-1.0]), np.array([1.0]), phi[None, :])
    return Point(s, L.linear(), w, V, -w, {}, {"feature_map": "constructed", "corner": "attaining"})
