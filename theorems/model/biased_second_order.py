"""Second-order quantities of Remark 1's biased objective F_b(w, V, a, a₀) = E[ℓ(wᵀ(x + Vf_θ(x) + a) + a₀; y)].

Coordinates. Through the augmentation (``biased.augment_point``: x̃ = (x; 1), φ̃ = (φ; 1),
w̃ = (w; a₀), Ṽ = [[V, a], [0ᵀ, 0]]) the biased parameters are θ_b = (w̃, vec[V a]) with vec
row-major: the augmented model's coordinates (w̃, vec Ṽ) *without* the last k + 1 (Ṽ's bottom row,
fixed at 0 in the biased model). Size (d + 1) + d(k + 1).

Hessian (``biased_hessian``). With q = w̃ᵀz̃, z̃ = x̃ + Ṽφ̃ = (x + Vφ + a; 1), the prediction's
gradient is J = (z̃, vec(w φ̃ᵀ)) and its only second derivatives are ∂²q/∂w_m∂[V a]_{mj} = φ̃_j, so

    ∇²F_b = Σ_i p_i ℓ''(q_i) J_iJ_iᵀ + [[0, C], [Cᵀ, 0]],   C = [I_d ⊗ r̃ᵀ; 0ᵀ]  ((d + 1) × d(k + 1)),

r̃ = Σ_i p_i ℓ'(q_i) φ̃_i. It is the augmented Hessian (``objective.hessian`` on x̃, φ̃, w̃, Ṽ)
restricted to the biased coordinates (its leading principal block), pinned by tests against
that restriction and against SymPy (tests/symbolic/test_biased_sympy.py).

At w = 0 (any a₀): q = a₀, J = (z̃, 0), so ∇²F_b = [[A, C], [Cᵀ, 0]] with A = ∂²F_b/∂w̃² =
Σ p ℓ''(a₀) z̃z̃ᵀ and r̃ = E[ℓ'(a₀; y)(f_θ(x); 1)]; the gradient is ∂F_b/∂w̃ = ∇F_lin,b(0, a₀) +
([V a] r̃; 0) and 0 in [V a], where F_lin,b(w̃) = E[ℓ(w̃ᵀx̃; y)] is the biased linear predictor.
The principal submatrix on {w₁} ∪ {[V a]₁ⱼ} is Eq. (11)'s M = [[b, r̃ᵀ], [r̃, 0]]: Sec. 6.2's
argument needs only Ṽ's *first* row, which the biased model trains. ``biased_at_zero`` computes
every quantity of Theorem 2 there (``BiasedAtZero``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B

from .biased import augment_point, biased_gradient
from .instance import Point
from .objective import gradient_terms, hessian

__all__ = ["biased_hessian", "biased_hessian_at", "biased_hessian_by_restriction", "BiasedAtZero", "biased_at_zero",
           "biased_size",
           "biased_stationary_at_origin", "biased_attaining", "descent_star", "augmented_sample"]


def biased_size(d: int, k: int) -> int:
    """Number of biased parameters (w, a₀, vec[V a]): (d + 1) + d(k + 1)."""
    return d + 1 + d * (k + 1)


def biased_hessian(aug: Point):
    """∇²F_b w.r.t. (w, a₀, vec[V a]) (row-major) in closed form (module docstring), for the augmented
    point ``aug`` of ``biased.augment_point``; backend-generic, exactly symmetric."""
    return biased_hessian_at(aug.sample, aug.loss, aug.w, aug.V)


def biased_hessian_at(s, loss, wt, Vt):
    """``biased_hessian`` from the augmented sample and (w̃, Ṽ) directly (no Point: the solver's hot path)."""
    n, d1_, k1 = s.n, s.d, s.k            # d + 1 and k + 1
    d = d1_ - 1
    t = gradient_terms(s, loss, wt, Vt, validate=False)
    a = s.p * loss.d2(t.q, s.y)
    w = wt[:d]
    JV = (w[None, :, None] * s.Phi[:, None, :]).reshape(n, d * k1)
    J = np.concatenate([t.Z, JV], axis=1)
    H = J.T @ (a[:, None] * J)
    H = 0.5 * (H + H.T)
    r = t.r_w                              # r̃ = Σ p ℓ'(q) φ̃
    for m in range(d):                     # C = [I_d ⊗ r̃ᵀ; 0ᵀ]
        H[m, d1_ + m * k1:d1_ + (m + 1) * k1] = H[m, d1_ + m * k1:d1_ + (m + 1) * k1] + r
        H[d1_ + m * k1:d1_ + (m + 1) * k1, m] = H[d1_ + m * k1:d1_ + (m + 1) * k1, m] + r
    return H


def biased_hessian_by_restriction(aug: Point):
    """The augmented model's Hessian (``objective.hessian``) without Ṽ's bottom row (the last k + 1
    coordinates): an independent derivation of ``biased_hessian``."""
    H = hessian(aug.sample, aug.loss, aug.w, aug.V, validate=False)
    m = H.shape[0] - aug.sample.k
    return H[:m, :m]


@dataclass(frozen=True)
class BiasedAtZero:
    """Theorem 2's quantities for the biased objective at w = 0 (module docstring), with the
    magnitudes behind them: g_scale = Σ p|ℓ'(a₀)|(‖x̃‖ + ‖[V a]‖‖φ̃‖), h_scale = Σ p|ℓ''(a₀)|(‖x̃‖ +
    ‖[V a]‖‖φ̃‖)² + Σ p|ℓ'(a₀)|‖φ̃‖ ≥ ‖∇²F_b‖, gap_scale = Σ p(|ℓ(a₀)| + |ℓ(q*)| + |ℓ'(q*)q*|)."""

    lam: object            # λ_min(∇²F_b)
    H_ww_norm: object      # ‖∂²F_b/∂w̃²‖, w̃ = (w; a₀)
    grad_norm: object      # ‖∇F_b‖ in (w, V, a, a₀)
    r_norm: object         # ‖r̃‖, r̃ = E[ℓ'(a₀; y)(f_θ(x); 1)]
    V_norm: object         # ‖[V a]‖ = ‖Ṽ‖ (spectral)
    a0: object
    gap: object            # F_b(0, V, a, a₀) − F_lin,b(w̃*)
    w_star_norm: object    # ‖w̃*‖ = ‖(w*; a₀*)‖
    shift_norm: object     # ‖w̃* − (0; a₀)‖
    grad_lin_norm: object  # ‖∇F_lin,b(0, a₀)‖
    g_scale: object
    h_scale: object
    gap_scale: object


def biased_at_zero(inst: Point) -> BiasedAtZero:
    """Every quantity of Theorem 2 for a biased point with w = 0 (extras a, a0, a0_star; w*)."""
    aug, Va = augment_point(inst)
    s, loss = aug.sample, aug.loss
    d = inst.sample.d
    g_w, g_Va = biased_gradient(aug)
    H = biased_hessian(aug)
    lam = B.eigvalsh(H)[0]
    ev = B.eigvalsh(H[:d + 1, :d + 1])
    H_ww_norm = max(ev[-1], -ev[0])
    t = gradient_terms(s, loss, aug.w, aug.V, validate=False)
    a0 = aug.w[-1]
    q0 = t.q                                   # = a₀ on every sample at w = 0
    d1, d2 = t.d1, loss.d2(q0, s.y)
    r = t.r_w
    V_norm = B.spectral_norm(Va)
    xn, phin = B.row_norms(s.X), B.row_norms(s.Phi)
    zn = xn + V_norm * phin
    ad1 = B.abs_(d1)
    g_scale = B.asum(s.p * ad1 * zn)
    h_scale = B.asum(s.p * (B.abs_(d2) * zn * zn + ad1 * phin))
    g_lin = s.X.T @ (s.p * d1)                 # ∇F_lin,b(0, a₀) = E[ℓ'(a₀; y) x̃]
    q_star = s.X @ aug.w_star
    gap = B.asum(s.p * loss.diff(q0, q_star, s.y))
    gap_scale = B.asum(s.p * (B.abs_(loss.value(q0, s.y)) + B.abs_(loss.value(q_star, s.y))
                              + B.abs_(loss.d1(q_star, s.y) * q_star)))
    shift = aug.w_star - aug.w
    return BiasedAtZero(lam, H_ww_norm, B.norm(g_w, g_Va), B.norm(r), V_norm, a0, gap, B.norm(aug.w_star),
                        B.norm(shift), B.norm(g_lin), g_scale, h_scale, gap_scale)


# ---------------------------------------------------------------- constructions (Theorem 2 for F_b)

def descent_star(aug_s, loss, base, t, tries=60):
    """w̃* = base − t∇F_lin,b(base), t halved until F_lin,b(w̃*) < F_lin,b(base); None if ∇ = 0."""
    from .objective import linear_gradient, linear_objective
    g = linear_gradient(aug_s, loss, base)
    if not np.any(g) or not np.all(np.isfinite(g)):
        return None
    f0 = linear_objective(aug_s, loss, base)
    for _ in range(tries):
        ws = base - t * g
        with np.errstate(all="ignore"):
            f = linear_objective(aug_s, loss, ws)
        if np.isfinite(f) and f < f0 and np.any(ws):
            return ws
        t *= 0.5
    return None


def augmented_sample(X, y, p, Phi):
    from .sample import Sample
    one = np.ones((X.shape[0], 1))
    return Sample(np.concatenate([X, one], axis=1), y, p, np.concatenate([Phi, one], axis=1))


def _biased_point(X, y, p, Phi, loss, V, a, a0, w_star_tilde, corner):
    from .sample import Sample
    d = X.shape[1]
    extras = {"a": np.asarray(a, float), "a0": np.array([float(a0)]), "a0_star": np.array([float(w_star_tilde[-1])])}
    return Point(Sample(X, y, p, Phi), loss, np.zeros(d), V, np.asarray(w_star_tilde[:-1], float), extras,
                 {"feature_map": "constructed", "corner": corner})


def biased_stationary_at_origin(X, y, Phi, p=None, a=None, N=None, t=1.0):
    """A stationary point of F_b at w̃ = (w; a₀) = 0 (squared loss) above the best biased linear
    predictor, or None: y is p-centred (so ∂F_b/∂a₀ = E[ℓ'(0; y)] = 0), [V a] has V = −g rᵀ/‖r‖² +
    N(I − r rᵀ/‖r‖²) with g = E[ℓ'(0; y)x], r = E[ℓ'(0; y)f_θ(x)] (so ∂F_b/∂w = g + Vr + aE[ℓ'] = 0),
    a free, and w̃* = −t∇F_lin,b(0) (t halved until the gap is positive). None if r = 0 or g = 0."""
    from . import losses as L
    X, Phi, y = (np.asarray(v, float) for v in (X, Phi, y))
    n, d = X.shape
    k = Phi.shape[1]
    p = np.full(n, 1.0 / n) if p is None else np.asarray(p, float)
    y = y - p @ y
    d1 = -y                                    # ℓ'(0; y) for ½(p − y)²
    g, r = X.T @ (p * d1), Phi.T @ (p * d1)
    rr = float(r @ r)
    if not rr > 0 or not np.any(g):
        return None
    V = -np.outer(g, r) / rr
    if N is not None:
        N = np.asarray(N, float).reshape(d, k)
        V = V + N - np.outer(N @ r, r) / rr
    a = np.zeros(d) if a is None else np.asarray(a, float)
    loss = L.squared()
    ws = descent_star(augmented_sample(X, y, p, Phi), loss, np.zeros(d + 1), t)
    if ws is None or not np.all(np.isfinite(V)):
        return None
    return _biased_point(X, y, p, Phi, loss, V, a, 0.0, ws, "biased stationary at w̃ = 0")


def biased_attaining(X, y, Phi, p=None, a0=0.0, t=1.0, *, stationary=False, align=None):
    """Theorem 2 for F_b with equality, at w = 0 and a given a₀: linear loss ℓ(p; y) = −yp (F_lin,b
    affine, ∂²F_b/∂w̃² = 0, λ_min = −‖r̃‖), w̃* = (0; a₀) − t∇F_lin,b (so gap/‖w̃* − (0; a₀)‖ =
    ‖∇F_lin,b‖), and [V a] = 0 (left side ‖∇F_b‖ = ‖∇F_lin,b‖) or — with y p-centred, so that
    ∂F_b/∂a₀ = 0 — the stationary V = −g rᵀ/‖r‖², a = 0 (left side ‖V‖‖r̃‖ = ‖g‖ = ‖∇F_lin,b‖).
    ``align`` = c sets a₀ = c·t·∂F_lin,b/∂a₀ instead (then ‖w̃*‖ < ‖w̃* − (0; a₀)‖ for 0 < c < 2).
    None if ∇F_lin,b = 0 (or r = 0 for the stationary one)."""
    from . import losses as L
    X, Phi, y = (np.asarray(v, float) for v in (X, Phi, y))
    n, d = X.shape
    k = Phi.shape[1]
    p = np.full(n, 1.0 / n) if p is None else np.asarray(p, float)
    if stationary:
        y = y - p @ y
    d1 = -y
    g = np.concatenate([X.T @ (p * d1), [p @ d1]])          # ∇F_lin,b (constant)
    g_terms = np.concatenate([np.abs(X).T @ (p * np.abs(d1)), [p @ np.abs(d1)]])
    if not B.above_rounding(g, g_terms):
        return None
    if align is not None:
        a0 = float(align) * t * g[-1]
    V = np.zeros((d, k))
    if stationary:
        # r and g_w must be non-zero beyond rounding: centring y can leave a residue ~1e-18 that
        # V = −g rᵀ/‖r‖² turns into entries ~1e15 (found by the nightly: Φ's rows equal, r = 0 exactly)
        r = Phi.T @ (p * d1)
        if not B.above_rounding(r, np.abs(Phi).T @ (p * np.abs(d1))) or \
                not B.above_rounding(g[:d], g_terms[:d]):
            return None
        V = -np.outer(g[:d], r) / float(r @ r)
    base = np.concatenate([np.zeros(d), [float(a0)]])
    corner = "biased attaining, stationary V" if stationary else "biased attaining, [V a] = 0"
    return _biased_point(X, y, p, Phi, L.linear(), V, np.zeros(d), a0, base - t * g, corner)
