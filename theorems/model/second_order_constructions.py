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
- :func:`linear_box_point`: Theorem 3's box with the linear loss, where Theorem 1's Eq. (6) is attained
  with w* the *ball minimiser* û = −r·u (Eq. 15 nearly attained at ‖w‖, ‖V‖ → b), or, with f_θ ≡ 0,
  a point where ε = ‖∇F_θ‖ = μ0 and the gap is ε(‖w‖ + r) (Theorem 3's ε term carries the bound).
- :func:`weak_curvature_stationary`: an exact stationary point (0, V) with weak negative curvature
  (squared loss, x = a, y, f_θ(x) = c, V = −a/c): ε ~ y²c/a while the gap is ½y² (Theorem 3's ε^¼
  term carries the bound).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from theorems.core import backend as B

from . import losses as L
from .instance import Point
from .objective import linear_gradient, linear_objective
from .sample import Sample

__all__ = ["augmented_minimum", "linear_optimum_sopsp", "stationary_V", "stationary_at_zero", "descent_w_star",
           "theorem2_attaining",
           "example1_embedded", "linear_box_point", "weak_curvature_stationary"]


def _r_and_g(s: Sample, loss):
    d1 = loss.d1(0 * s.y, s.y)
    return s.Phi.T @ (s.p * d1), linear_gradient(s, loss, np.zeros(s.d))


def stationary_V(s: Sample, loss, N=None):
    """V = −∇F_lin(0) rᵀ/‖r‖² + N(I − r rᵀ/‖r‖²), or None when r = 0 (no stationary V unless ∇F_lin(0) = 0)."""
    r, g = _r_and_g(s, loss)
    rr = float(r @ r)
    r_terms = np.abs(s.Phi).T @ (s.p * np.abs(loss.d1(0 * s.y, s.y)))
    if not np.isfinite(rr) or not B.above_rounding(r, r_terms):
        return None             # r = 0 up to rounding: −g rᵀ/‖r‖² would divide by a residue
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
    g_terms = np.abs(s.X).T @ (s.p * np.abs(loss.d1(0 * s.y, s.y)))
    if not B.above_rounding(g, g_terms):
        return None             # ∇F_lin(0) = 0 up to rounding: w* = −tg would be a residue, the gap noise
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


def _unit(v):
    v = np.asarray(v, dtype=np.float64)
    n = float(np.linalg.norm(v))
    return v / n if n > 0 and np.isfinite(n) else None


def linear_box_point(u, a, t: float, sigma: float, r: float, b: float, g: float = 1.0, *,
                     features: bool = True, B_=None):
    """A point of Theorem 3's box max(‖w‖, ‖V‖) < b with the linear loss ℓ(p; y) = −yp (one sample,
    y = −1, so ℓ(p) = p); None for a zero u or a, or t, σ not < b.

    w = t·û (û = u/‖u‖), V = σ·û âᵀ + (I − ûûᵀ)B(I − ââᵀ) (â = a/‖a‖, ‖B‖ ≤ σ), so Vâ = σû and
    ‖V‖ = σ; x = c·α·û and φ = c·β·â. Then F_lin(v) = c·α ûᵀv is minimised over ‖v‖ ≤ r at
    û_r = −r·û (F_lin(û_r) = −rcα), F(w, V, θ) = c·t(α + βσ), ∇_w F = x + Vφ = c(α + βσ)û,
    ∇_V F = w φᵀ, so with s = α + βσ

        gap = c((t + r)s − rσβ),   ‖∇F_θ(w, V)‖ = c·√(s² + t²β²).

    ``features=True``: (s, tβ) ∝ (t + r, −rσ/t), i.e. β = −rσ/t², α = t + r + rσ²/t² (> 0), which
    makes Cauchy–Schwarz tight: gap/‖∇F‖ = √((t + r)² + r²σ²/t²), Eq. (6) of Theorem 1 with
    w* = û_r attained (‖w − w*‖ = t + r, ‖w w*ᵀV‖/‖w‖² = rσ/t); c normalises ‖∇F‖ to g. As t, σ → b
    this tends to Eq. (15)'s √(2b² + r²(2 + b²/δ²)) at δ = t except for the step
    ‖w − w*‖² ≤ 2‖w‖² + 2‖w*‖² ((t + r)² vs 2b² + 2r²).

    ``features=False``: f_θ ≡ 0 (β = 0, α = 1, c = g): ∇²F_θ = 0 (ℓ'' = 0 and no feature term), so
    the point's ε is ‖∇F_θ‖ = g, the gap is g(t + r), and the Lipschitz constants of
    ``lipschitz.lipschitz_constants`` are μ0 = |y|‖x‖ = g (exact: ‖∇F_θ‖ = g everywhere) and
    μ1 = μ2 = ``MU_FLOOR``."""
    uh, ah = _unit(u), _unit(a)
    if uh is None or ah is None or not (0 < t < b and 0 <= sigma < b and r > 0 and g > 0):
        return None
    d, k = uh.shape[0], ah.shape[0]
    V = sigma * np.outer(uh, ah)
    if B_ is not None:
        B_ = np.asarray(B_, dtype=np.float64).reshape(d, k)
        B_ = (np.eye(d) - np.outer(uh, uh)) @ B_ @ (np.eye(k) - np.outer(ah, ah))
        nb = float(np.linalg.norm(B_, 2))
        if nb > sigma:
            B_ = B_ * (sigma / nb)
        V = V + B_
    if features:
        beta = -r * sigma / (t * t)
        alpha = t + r + r * sigma * sigma / (t * t)
        c = g / float(np.hypot(t + r, r * sigma / t))
    else:
        beta, alpha, c = 0.0, 1.0, g
    x, phi = c * alpha * uh, c * beta * ah
    s = Sample(x[None, :], np.array([-1.0]), np.array([1.0]), phi[None, :])
    corner = "linear, Eq. (6) attained at û" if features else "linear, f_θ ≡ 0"
    return Point(s, L.linear(), t * uh, V, None, {"b": np.array([float(b)]), "r": np.array([float(r)])},
                 {"feature_map": "constructed", "corner": corner})


def weak_curvature_stationary(d: int, k: int, i: int, j: int, a: float, y: float, c: float, r: float,
                              slack: float = 1e-3):
    """An exact stationary point (0, V) with weak negative curvature in Theorem 3's box (squared loss).

    One sample x = a·e_i, target y, f_θ(x) = c·e_j, V = −(a/c)·e_i e_jᵀ: z = x + Vφ = 0, so
    ∇F_θ(0, V) = (ℓ'(0)z, 0) = 0 and ∇²F_θ(0, V) = [[ℓ''zzᵀ, C], [Cᵀ, 0]] with ‖C‖ = |ℓ'(0)|·c = |y|c:
    λ_min = −|y|c. The box is b = (1 + slack)·a/c (‖V‖ = a/c), so ‖z‖ ≤ a + bc ≈ 2a, j ≈ √5·a,
    and ``lipschitz_constants`` give μ2 = 3j·c (third derivative 0, second derivative 1), hence
    ε = λ_min²/μ2 ≈ y²c/(3√5·a), while the gap is F(0, V) − min_{|u|≤r} F_lin(u) = ½y² − ½max(0, |y| − ar)².
    μ0 = j(b(a + bc) + |y|) ≈ √5·a(2a²/c + |y|) gives εμ0 ≈ y²(2a² + |y|c)/3, and the b-terms of P
    give ε(√2 + r)b ≈ y²(√2 + r)/(3√5): for a ≲ 0.3, |y| ≪ a, r ≈ |y|/a and small c the product ε·P
    is below the gap (measured: ε·P/gap ≤ 0.79 over a ∈ {0.1, 0.2, 0.3}, y ∈ {10⁻³, ±10⁻²},
    c ∈ {10⁻⁴, 10⁻², 0.1}, r·a/|y| ∈ {½, 1, 2}) — a bound ε·P without ε^¼ fails: ε is quadratic in
    the curvature (λ_min² ~ y²c²) while the gap is not."""
    X = np.zeros((1, d))
    X[0, i] = a
    Phi = np.zeros((1, k))
    Phi[0, j] = c
    V = np.zeros((d, k))
    V[i, j] = -a / c
    s = Sample(X, np.array([float(y)]), np.array([1.0]), Phi)
    b = (1.0 + slack) * abs(a / c)
    return Point(s, L.squared(), np.zeros(d), V, None, {"b": np.array([b]), "r": np.array([float(r)])},
                 {"feature_map": "f_θ(x) = c·e_j", "corner": "weak-curvature stationary (0, V)"})
