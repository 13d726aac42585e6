"""The biased predictor of Remark 1, x ↦ wᵀ(x + V f_θ(x) + a) + a₀, trained in (w, V, a, a₀).

Through Remark 1's augmentation (x̃ = (x; 1), f̃ = (f; 1), w̃ = (w; a₀), Ṽ = [[V, a], [0ᵀ, 0]]) the
biased objective is F(w̃, Ṽ) with Ṽ's bottom row *fixed at 0*: its gradient in (w, V, a, a₀) is
∇F(w̃, Ṽ) without that row (``biased_gradient``). The comparison class is the linear predictor
with a bias, w̃*ᵀx̃ = w*ᵀx + a₀*.

``biased_stationary_point`` builds a stationary point of the biased objective with w = 0 and
a₀ ≠ 0 (so w̃ ≠ 0), squared loss, above the best biased linear predictor: a₀ = E[y] makes
E[ℓ'] = 0, and V = −E[ℓ'x]E[ℓ'φ]ᵀ/‖E[ℓ'φ]‖² makes E[ℓ'(x + Vφ + a)] = 0; the V- and a-gradients
are w·E[…] = 0. Theorem 1 read on the augmented point (w̃ ≠ 0) then fails there, because its
Lemma 1 uses the gradient in Ṽ's bottom row, a₀E[ℓ'f̃], which the biased model does not have.
"""

from __future__ import annotations

import numpy as np

from theorems.core import backend as B

from . import losses as L
from .instance import Point
from .objective import gradient
from .sample import Sample

__all__ = ["augment_point", "biased_gradient", "biased_stationary_point", "pinned_biased_stationary_point"]


def augment_point(inst) -> tuple[Point, np.ndarray]:
    """(the augmented Point (x̃, f̃, w̃, Ṽ, w̃*), the block [V a]) of a biased point with extras
    a (d,), a0 (1,) and (for a comparison w̃* = (w*; a₀*)) a0_star (1,); w̃* is None without one."""
    s, w, V = inst.sample, inst.w, inst.V
    a, a0 = inst.extras["a"], inst.extras["a0"]
    one = s.X[:, :1] * 0 + 1
    X = np.concatenate([s.X, one], axis=1)
    Phi = np.concatenate([s.Phi, one], axis=1)
    Va = np.concatenate([V, a[:, None]], axis=1)
    Vt = np.concatenate([Va, 0 * Va[:1, :]], axis=0)
    wt = np.concatenate([w, a0])
    # without a comparison (w*, a₀*) — Corollary 1 compares with inf F_lin — w̃* is None
    wst = None
    if inst.w_star is not None and "a0_star" in inst.extras:
        wst = np.concatenate([inst.w_star, inst.extras["a0_star"]])
    return Point(Sample(X, s.y, s.p, Phi), inst.loss, wt, Vt, wst), Va


def biased_gradient(aug: Point):
    """(∂/∂(w, a₀), ∂/∂[V a]): ∇F(w̃, Ṽ) without Ṽ's bottom row (not a parameter)."""
    g_w, g_V = gradient(aug.sample, aug.loss, aug.w, aug.V)
    return g_w, g_V[:-1, :]


def biased_stationary_point(X, y, Phi, p=None, a=None, w_star=None, a0_star=None) -> Point:
    """A stationary point of the biased objective (squared loss) with w = 0, a₀ = E[y] (module
    docstring); needs E[ℓ'φ] ≠ 0."""
    X, Phi, y = np.asarray(X, float), np.asarray(Phi, float), np.asarray(y, float)
    n, d = X.shape
    k = Phi.shape[1]
    p = np.full(n, 1.0 / n) if p is None else np.asarray(p, float)
    a = np.zeros(d) if a is None else np.asarray(a, float)
    a0 = float(p @ y)
    d1 = a0 - y                                  # ℓ'(a₀; y) for ½(p − y)², at w = 0
    ex, ef = (p * d1) @ X, (p * d1) @ Phi
    if not B.above_rounding(ef, (p * np.abs(d1)) @ np.abs(Phi)):
        raise ValueError("argument 'Phi': E[ℓ'(a₀; y)φ] = 0 (up to rounding) at w = 0, a₀ = E[y]; a biased "
                         "stationary point needs it ≠ 0 (V = −E[ℓ'x]E[ℓ'φ]ᵀ/‖E[ℓ'φ]‖²)")
    V = -np.outer(ex, ef) / (ef @ ef)
    w_star = np.zeros(d) if w_star is None else np.asarray(w_star, float)
    extras = {"a": a, "a0": np.array([a0]), "a0_star": np.array([0.0 if a0_star is None else float(a0_star)])}
    return Point(Sample(X, y, p, Phi), L.squared(), np.zeros(d), V.reshape(d, k), w_star, extras,
                 {"feature_map": "constructed", "corner": "biased stationary, w = 0"})


def pinned_biased_stationary_point() -> Point:
    """The minimal exact one: x = (1, −1), y = (2, 0), f(x) = x, weights ½: a₀ = 1, V = −1, w = 0,
    ∇ = 0 exactly, F = ½, while w* = 1, a₀* = 1 fits y exactly (F_lin = 0)."""
    return biased_stationary_point([[1.0], [-1.0]], [2.0, 0.0], [[1.0], [-1.0]], w_star=[1.0], a0_star=1.0)
