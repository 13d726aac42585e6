"""Constructed regimes for the second-order results (Theorem 2, Theorem 3, Sec. 3 and 6.2–6.3).

At w = 0 the gradient of F_θ is (Sec. 6.2)

    ∂F/∂w(0, V) = E[ℓ'(0; y)(x + V f_θ(x))] = ∇F_lin(0) + V r,   ∂F/∂V(0, V) = 0,

with r = E[ℓ'(0; y) f_θ(x)] (Eq. 10), so for r ≠ 0 the point (0, V) is **stationary** exactly when
V r = −∇F_lin(0), i.e.

    V = −∇F_lin(0) rᵀ/‖r‖² + N (I − r rᵀ/‖r‖²)      (N ∈ ℝ^{d×k} arbitrary).

There ‖∇F_θ(0, V)‖ = 0 and only the curvature term of Theorem 2 can carry its bound; λ_min < 0
(the arrow [[α, ‖r‖], [‖r‖, 0]] of Lemma 2 has a negative eigenvalue when r ≠ 0).

- :func:`stationary_at_zero`: the point (0, V) above for a given sample and loss.
- :func:`descent_w_star`: w* = −t∇F_lin(0) with t halved until F_lin(w*) < F_lin(0) (a positive gap
  F(0, V, θ) − F_lin(w*), as F(0, V, θ) = F_lin(0)); w* ∝ −∇F_lin(0) is where
  (F(0, V, θ) − F_lin(w*))/‖w*‖ approaches its supremum ‖∇F_lin(0)‖ (convexity) as t → 0.
- :func:`theorem2_attaining`: Theorem 2 with equality. Linear loss ℓ(p; y) = −yp (F_lin affine,
  ∂²F/∂w² = 0, λ_min = −‖r‖) and w* = −t∇F_lin(0), so (F(0, V, θ) − F_lin(w*))/‖w*‖ = ‖∇F_lin(0)‖
  exactly; with V = 0 the left side is ‖∇F_θ(0, 0)‖ = ‖∇F_lin(0)‖, and at the stationary
  V = −∇F_lin(0) rᵀ/‖r‖² it is ‖V‖·‖r‖ = ‖∇F_lin(0)‖. Both are equalities.
- :func:`example1_embedded`: Example 1 (Sec. 3) in dimension d, k: one sample x = e_i, y = 1,
  f_θ(x) = ε e_j, squared loss, V with column j equal to −e_i/ε (other columns free): an exact
  stationary point (w = 0, every product exact for ε a power of 2) with λ_min = −ε (the Example's
  (0, −1/ε)), F = ½ and inf F_lin = 0.
- :func:`linear_optimum_sopsp`: a second-order stationary point at w ≠ 0 (squared loss): w = u* the
  weighted least-squares solution (∇F_lin(u*) = Xᵀ(p∘e) = 0, e = Xu* − y), features projected so
  that r_w = Σ p_i e_i φ_i = 0, and V = (I − ŵŵᵀ)N so that Vᵀw = 0 (predictions q = Xu*). Then
  ∂F/∂w = ∇F_lin(u*) + V r_w = 0, ∂F/∂V = w r_wᵀ = 0 and ∇²F_θ = Σ p_i J_iJ_iᵀ ⪰ 0 (the C-block
  I ⊗ r_wᵀ vanishes): an ε-SOPSP with ε at rounding level, F = min F_lin.
- :func:`augmented_minimum`: a *global* (hence local) minimum of F_θ with w ≠ 0 (squared loss,
  Corollary 1): predictions wᵀ(x + Vφ) = wᵀx + (Vᵀw)ᵀφ range over every linear function of (x, φ)
  with an x-part w ≠ 0, so the weighted least-squares fit (a, c) on [X, Φ] with a ≠ 0 is attained at
  w = a, V = a cᵀ/‖a‖² + (I − ââᵀ)N. It is strictly better than the best linear predictor when Φ
  explains part of the residual: a non-degenerate local minimum with F < inf F_lin.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import losses as L
from .instance import Point
from .objective import linear_gradient, linear_objective
from .sample import Sample

__all__ = ["augmented_minimum", "linear_optimum_sopsp", "stationary_V", "stationary_at_zero", "descent_w_star",
           "theorem2_attaining",
           "example1_embedded"]


def _r_and_g(s: Sample, loss):
    d1 = loss.d1(0 * s.y, s.y)
    return s.Phi.T @ (s.p * d1), linear_gradient(s, loss, np.zeros(s.d))


def stationary_V(s: Sample, loss, N=None):
    """V = −∇F_lin(0) rᵀ/‖r‖² + N(I − r rᵀ/‖r‖²), or None when r = 0 (no stationary V unless ∇F_lin(0) = 0)."""
    r, g = _r_and_g(s, loss)
    rr = float(r @ r)
    if not rr > 0 or not np.isfinite(rr):
        return None
    V = -np.outer(g, r) / rr
    if N is not None:
        N = np.asarray(N, dtype=np.float64).reshape(s.d, s.k)
        V = V + N - np.outer(N @ r, r) / rr
    return V if np.all(np.isfinite(V)) else None


def descent_w_star(s: Sample, loss, t: float = 1.0, *, tries: int = 60):
    """w* = −t∇F_lin(0), t halved until F_lin(w*) < F_lin(0); None if ∇F_lin(0) = 0 or no t works."""
    g = linear_gradient(s, loss, np.zeros(s.d))
    if not np.any(g) or not np.all(np.isfinite(g)):
        return None
    f0 = linear_objective(s, loss, np.zeros(s.d))
    for _ in range(tries):
        ws = -t * g
        with np.errstate(all="ignore"):
            f = linear_objective(s, loss, ws)
        if np.isfinite(f) and f < f0 and np.any(ws):
            return ws
        t *= 0.5
    return None


def stationary_at_zero(inst: Point, N=None, t: float = 1.0, *, corner: str = "stationary at w = 0"):
    """``inst`` moved to a stationary point (0, V) with w* = ``descent_w_star`` (module docstring);
    None when r = 0 or ∇F_lin(0) = 0 (no such point with a positive gap)."""
    s, loss = inst.sample, inst.loss
    V = stationary_V(s, loss, N)
    ws = descent_w_star(s, loss, t)
    if V is None or ws is None:
        return None
    meta = dict(inst.meta, corner=corner)
    return replace(inst, w=np.zeros(s.d), V=V, w_star=ws, meta=meta)


def theorem2_attaining(s: Sample, t: float = 1.0, *, stationary: bool = False):
    """Theorem 2 with equality (module docstring): linear loss, w* = −t∇F_lin(0), V = 0 or the stationary V."""
    loss = L.linear()
    r, g = _r_and_g(s, loss)
    if not np.any(g):
        return None
    V = np.zeros((s.d, s.k))
    if stationary:
        V = stationary_V(s, loss)
        if V is None:
            return None
    corner = "attaining, stationary V" if stationary else "attaining, V = 0"
    return Point(s, loss, np.zeros(s.d), V, -t * g, {}, {"feature_map": "drawn", "corner": corner})


def example1_embedded(d: int, k: int, i: int, j: int, m: int, N=None):
    """Example 1 embedded in ℝ^d × ℝ^{d×k} at ε = 2^−m (module docstring): returns (Point, ε)."""
    eps = 2.0 ** -m
    X = np.zeros((1, d))
    X[0, i] = 1.0
    Phi = np.zeros((1, k))
    Phi[0, j] = eps
    V = np.zeros((d, k)) if N is None else np.asarray(N, dtype=np.float64).reshape(d, k).copy()
    V[:, j] = 0.0
    V[i, j] = -1.0 / eps
    s = Sample(X, np.array([1.0]), np.array([1.0]), Phi)
    return Point(s, L.squared(), np.zeros(d), V, None, {}, {"feature_map": "Example 1 (f_θ(x) = εx)",
                                                          "corner": "Example 1 embedded"}), eps


def linear_optimum_sopsp(s: Sample, N=None):
    """The second-order stationary point (u*, V) of the module docstring (squared loss); None if the
    least-squares solution is 0 (then w = 0) or the residual-projected features are not finite."""
    sw = np.sqrt(s.p)
    u, *_ = np.linalg.lstsq(sw[:, None] * s.X, sw * s.y, rcond=None)
    nu = float(np.linalg.norm(u))
    if not nu > 0 or not np.isfinite(nu):
        return None
    e_p = s.p * (s.X @ u - s.y)
    ee = float(e_p @ e_p)
    Phi = s.Phi if not ee > 0 else s.Phi - np.outer(e_p, e_p @ s.Phi) / ee
    uh = u / nu
    N = np.zeros((s.d, s.k)) if N is None else np.asarray(N, dtype=np.float64).reshape(s.d, s.k)
    V = N - np.outer(uh, uh @ N)
    if not (np.all(np.isfinite(Phi)) and np.all(np.isfinite(V))):
        return None
    s2 = Sample(s.X, s.y, s.p, Phi)
    return Point(s2, L.squared(), u, V, None, {},
                 {"feature_map": "projected", "corner": "SOPSP at w = u* (linear optimum)"})


def augmented_minimum(s: Sample, N=None):
    """The global minimum (w, V) of F_θ for the squared loss (module docstring), or None if a = 0."""
    sw = np.sqrt(s.p)
    A = np.concatenate([s.X, s.Phi], axis=1)
    coef, *_ = np.linalg.lstsq(sw[:, None] * A, sw * s.y, rcond=None)
    a, c = coef[:s.d], coef[s.d:]
    na = float(np.linalg.norm(a))
    if not na > 0 or not np.all(np.isfinite(coef)):
        return None
    ah = a / na
    V = np.outer(a, c) / (na * na)
    if N is not None:
        N = np.asarray(N, dtype=np.float64).reshape(s.d, s.k)
        V = V + N - np.outer(ah, ah @ N)
    if not np.all(np.isfinite(V)):
        return None
    return Point(s, L.squared(), a, V, None, {}, {"feature_map": "drawn", "corner": "global minimum (augmented LS)"})
