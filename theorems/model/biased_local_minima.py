"""Certified approximate local minima of Remark 1's biased objective F_b(w, V, a, a₀) and their
comparison with the best biased linear predictor inf_{w̃} F_lin(w̃) = inf_{u, u₀} E[ℓ(uᵀx + u₀; y)]
(Corollary 1 through the augmentation).

Local minima are *reached*, not assumed: an exact-Hessian trust-region method
(:func:`trust_region_newton`, SciPy's ``trust-exact`` scheme with a dense eigendecomposition) minimises F_b over θ_b =
(w, a₀, vec[V a]) from the instance's parameters, with the closed-form biased gradient
(``biased.biased_gradient``) and Hessian (``biased_second_order.biased_hessian``); float64,
deterministic, cached. :func:`certify_biased` evaluates the end point in the instance's precision
and certifies it as an approximate second-order stationary point when

    ‖∇F_b‖ ≤ 10⁻⁹·g,   λ_min(∇²F_b) ≥ −10⁻⁷·h,   allowance ≤ 10⁻⁶·(gap_scale + |F_b|),

g, h the magnitudes of the gradient and Hessian (as ``local_minima.certify``, with J = (z̃, w ⊗ φ̃)).
The comparison gap = F_b(θ̂) − F_lin(ũ) ≤ 0 (ũ from ``linear.linear_inf`` on x̃ = (x; 1)) carries:

- ``allowance``: the first-order slack of an approximate minimum — at ŵ ≠ 0 the corrected biased
  Theorem 1, ‖∇F_b‖·√(2‖w̃‖² + ‖ũ‖²(2 + ‖[V a]‖²/‖w‖²)); at ŵ = 0 exactly the biased Theorem 2 at
  w = 0 (``remark1.theorem2_biased.at_w_zero``), (‖∇F_b‖ + ‖[V a]‖√(|λ⁻|·‖∂²F_b/∂w̃²‖ + λ⁻²))·
  ‖ũ − (0; a₀)‖ with λ⁻ = min(λ_min, 0). Both are 0 at an exact local minimum.
- ``nu_term`` = ‖∇F_lin(ũ)‖(‖ũ‖ + 1) ≥ F_lin(ũ) − inf F_lin (convexity).

Constructions (non-degenerate, by construction): :func:`biased_global_minimum` (squared loss, w ≠ 0:
predictions wᵀx + (Vᵀw)ᵀφ + wᵀa + a₀ range over every affine function of (x, φ) with x-part w ≠ 0,
so the weighted least-squares fit on [X, Φ, 1] is attained; strictly better than the biased linear
predictor when Φ explains part of the residual) and :func:`biased_zero_minimum` (squared loss, w = 0:
y = c + e with e p-orthogonal to x, f_θ(x) and 1, a₀ = c: ∇F_b = 0, r̃ = 0, ∇²F_b ⪰ 0 — a global
minimum with F_b = inf F_lin exactly).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np

from theorems.core import backend as B

from . import losses as L
from .biased import augment_point, biased_gradient
from .biased_second_order import biased_hessian, biased_hessian_at
from .instance import Point
from .linear import linear_inf
from .local_minima import MinimumComparison
from .objective import gradient_terms, linear_gradient
from .sample import Sample

__all__ = ["biased_local_minimum", "certify_biased", "BiasedMinimum", "biased_global_minimum",
           "biased_zero_minimum", "with_biased_params", "biased_linear_inf",
           "trust_region_newton"]

_CACHE: dict = {}


def with_biased_params(inst: Point, theta):
    """``inst`` with θ_b = (w, a₀, vec[V a]) (row-major) set."""
    d, k = inst.sample.d, inst.sample.k
    Va = theta[d + 1:].reshape(d, k + 1)
    return replace(inst, w=theta[:d], V=Va[:, :k],
                   extras=dict(inst.extras, a=Va[:, k], a0=theta[d:d + 1]))


def _theta(inst):
    return np.concatenate([B.to_float(inst.w), B.to_float(inst.extras["a0"]),
                           np.concatenate([B.to_float(inst.V), B.to_float(inst.extras["a"])[:, None]],
                                          axis=1).reshape(-1)])


def trust_region_newton(fun, jac, hess, x0, *, maxiter: int = 100, gtol: float = 1e-13):
    """(x, iterations): an exact-Hessian trust-region method (the subproblem min gᵀs + ½sᵀHs over
    ‖s‖ ≤ Δ solved through H's eigendecomposition and Newton on the shift, the hard case by a step
    along the lowest eigenvector) — SciPy's ``trust-exact`` scheme, with a dense eigh in place of its
    Cholesky-based subproblem (the biased problems have at most a few dozen parameters). Stops when
    ‖∇‖ ≤ gtol (as ``trust-exact``), after ``maxiter`` iterations, or when the radius falls below
    float64 resolution of x."""
    x, f, delta = np.asarray(x0, dtype=np.float64).copy(), fun(x0), 1.0
    it = 0
    for it in range(maxiter):
        g = jac(x)
        gn = float(np.linalg.norm(g))
        if not gn > gtol:
            return x, it
        H = hess(x)
        lam, U = np.linalg.eigh(H)
        c = U.T @ g
        if lam[0] > 0 and np.linalg.norm(c / lam) <= delta:
            step = -U @ (c / lam)
        else:
            # the shift μ > max(0, −λ_min) with ‖c/(λ + μ)‖ = Δ: Newton on 1/‖s(μ)‖ (Moré–Sorensen),
            # monotone from the left; started just right of the pole
            lo = max(0.0, -lam[0])
            mu = lo + 1e-12 * (1.0 + abs(lam).max())
            for _ in range(60):
                den = lam + mu
                sn2 = float(np.sum((c / den) ** 2))
                sn = np.sqrt(sn2)
                if sn <= delta * (1 + 1e-10):
                    break
                mu = mu + (sn / delta - 1.0) * sn2 / float(np.sum(c * c / den ** 3))
            step = -U @ (c / (lam + mu))
            sn = float(np.linalg.norm(step))
            if sn < 0.99 * delta and lam[0] < 0:          # hard case: fill the radius along the lowest mode
                u = U[:, 0]
                step = step + np.sqrt(max(delta ** 2 - sn ** 2, 0.0)) * (-1.0 if u @ g > 0 else 1.0) * u
        pred = -(g @ step + 0.5 * step @ H @ step)
        fn = fun(x + step)
        rho = (f - fn) / pred if pred > 0 and np.isfinite(fn) else -1.0
        sn = float(np.linalg.norm(step))
        if rho < 0.25:
            delta = 0.25 * sn
        elif rho > 0.75 and sn >= 0.99 * delta:
            delta = 2.0 * delta
        if rho > 0.15:
            x, f = x + step, fn
        if not delta > 1e-15 * (1.0 + float(np.linalg.norm(x))):     # no float64 step is left
            break
    return x, it + 1


def biased_local_minimum(inst: Point):
    """(θ̂_b, iterations, message): the end point of ``trust_region_newton`` on F_b from the instance's
    parameters (float, cached); iterations = −1 and the start returned when the solver failed."""
    key = json.dumps(inst.to_json(), sort_keys=True)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    f = inst if not inst.is_mp else type(inst).from_json(inst.to_json())
    aug0, _ = augment_point(f)
    s, loss = aug0.sample, aug0.loss
    d, k = f.sample.d, f.sample.k
    zero_row = np.zeros((1, k + 1))

    def split(x):                       # (w̃, Ṽ) with Ṽ's bottom row fixed at 0
        return x[:d + 1], np.concatenate([x[d + 1:].reshape(d, k + 1), zero_row])

    def fun(x):
        wt, Vt = split(x)
        q = (s.X + s.Phi @ Vt.T) @ wt
        return float(np.sum(s.p * loss.value(q, s.y)))

    def jac(x):
        t = gradient_terms(s, loss, *split(x), validate=False)
        return np.concatenate([t.g_w, t.g_V[:-1].reshape(-1)])

    def hess(x):
        return biased_hessian_at(s, loss, *split(x))

    x0 = _theta(f)
    msg = ""
    with np.errstate(all="ignore"):
        try:
            x, it = trust_region_newton(fun, jac, hess, x0)
        except (np.linalg.LinAlgError, FloatingPointError, ValueError) as err:
            x, it, msg = x0, -1, f"the trust-region solver raised {type(err).__name__}: {err}"
    if not np.all(np.isfinite(x)):
        x, it, msg = x0, -1, "SciPy trust-exact reached a non-finite point"
    out = (x.copy(), it, msg)
    if len(_CACHE) > 2048:
        _CACHE.clear()
    _CACHE[key] = out
    return out


@dataclass(frozen=True)
class BiasedMinimum(MinimumComparison):
    theta: np.ndarray       # θ̂_b = (ŵ, â₀, vec[V̂ â])
    iterations: int
    u_hat: np.ndarray       # ũ = (u; u₀), the biased linear predictor's (approximate) minimiser
    attained: bool
    certified: bool
    gap: object             # F_b(θ̂) − F_lin(ũ)
    F: object
    grad_norm: object
    lam: object             # λ_min(∇²F_b(θ̂))
    allowance: object
    nu_term: object
    w_norm: object
    V_norm: object          # ‖[V̂ â]‖
    u_norm: object
    gap_scale: object
    message: str = ""


def certify_biased(inst: Point) -> BiasedMinimum:
    """The local minimum of F_b reached from ``inst``, certified and compared with inf F_lin (module
    docstring)."""
    theta, it, msg = biased_local_minimum(inst)
    if inst.is_mp:
        theta = B.to_mp(theta)
    end = with_biased_params(inst, theta)
    aug, Va = augment_point(end)
    s, loss = aug.sample, aug.loss
    d = inst.sample.d
    u_hat, attained = biased_linear_inf(s, loss)
    if inst.is_mp:
        u_hat = B.to_mp(u_hat)
    t = gradient_terms(s, loss, aug.w, aug.V, validate=False)
    q, q_lin = t.q, s.X @ u_hat
    gap = B.asum(s.p * loss.diff(q, q_lin, s.y))
    F = B.asum(s.p * loss.value(q, s.y))
    g_w, g_Va = biased_gradient(aug)
    grad_norm = B.norm(g_w, g_Va)
    H = biased_hessian(aug)
    lam = B.eigvalsh(H)[0]
    w = aug.w[:d]
    w_norm, V_norm, u_norm, wt_norm = B.norm(w), B.spectral_norm(Va), B.norm(u_hat), B.norm(aug.w)
    phin = B.row_norms(s.Phi)
    Jn = B.sqrt(B.row_norms(t.Z) ** 2 + (w_norm * phin) ** 2)
    theta_norm = B.sqrt(wt_norm ** 2 + B.asum(Va * Va))
    d2 = loss.d2(q, s.y)
    g_scale = B.asum(s.p * (B.abs_(t.d1) + B.abs_(d2) * Jn * theta_norm) * Jn)
    h_scale = B.asum(s.p * (B.abs_(d2) * Jn * Jn + B.abs_(t.d1) * phin))
    gap_scale = B.asum(s.p * (B.abs_(loss.value(q, s.y)) + B.abs_(loss.value(q_lin, s.y)) + B.abs_(t.d1 * q)))
    if w_norm > 0:
        allowance = grad_norm * B.sqrt(2 * wt_norm ** 2 + u_norm ** 2 * (2 + V_norm ** 2 / w_norm ** 2))
    else:
        ev = B.eigvalsh(H[:d + 1, :d + 1])
        lam_m = lam if lam < 0 else 0 * lam
        root = B.sqrt(abs(lam_m) * max(ev[-1], -ev[0]) + lam_m * lam_m)
        allowance = (grad_norm + V_norm * root) * B.norm(u_hat - aug.w)
    g_lin = linear_gradient(s, loss, u_hat)
    nu_term = B.norm(g_lin) * (u_norm + 1)
    certified = bool(it >= 0 and grad_norm <= 1e-9 * g_scale + 1e-300 and lam >= -1e-7 * h_scale
                     and allowance <= 1e-6 * (gap_scale + abs(F)))
    return BiasedMinimum(theta, it, u_hat, bool(attained), certified, gap, F, grad_norm, lam, allowance, nu_term,
                         w_norm, V_norm, u_norm, gap_scale, msg)


def biased_linear_inf(s_aug: Sample, loss):
    """(ũ, attained): inf over the biased linear predictors (x̃ = (x; 1)); for the squared loss the
    weighted least-squares solution (always attained), else ``linear.linear_inf``."""
    if loss.name == "squared":
        X, y, p = (np.asarray(B.to_float(v), dtype=np.float64) for v in (s_aug.X, s_aug.y, s_aug.p))
        return _wls(X, y, p), True
    return linear_inf(s_aug, loss)


def _wls(X, y, p):
    r = np.sqrt(p)
    return np.linalg.lstsq(X * r[:, None], y * r, rcond=None)[0]


def biased_global_minimum(X, y, Phi, p=None, N=None, a=None):
    """A global minimum of F_b with w ≠ 0 (squared loss; module docstring), or None if the
    least-squares fit on [X, Φ, 1] has x-part 0 (below 10⁻⁶ of the fit's norm)."""
    X, Phi, y = (np.asarray(v, float) for v in (X, Phi, y))
    n, d = X.shape
    k = Phi.shape[1]
    p = np.full(n, 1.0 / n) if p is None else np.asarray(p, float)
    c = _wls(np.concatenate([X, Phi, np.ones((n, 1))], axis=1), y, p)
    cx, cf, c0 = c[:d], c[d:d + k], c[-1]
    nx = float(np.linalg.norm(cx))
    if not nx > 1e-6 * float(np.linalg.norm(c)) or not np.all(np.isfinite(c)):
        return None                      # x-part 0 (up to rounding): the minimum is not at w ≠ 0
    u = cx / nx
    V = np.outer(cx, cf) / nx ** 2
    if N is not None:
        N = np.asarray(N, float).reshape(d, k)
        V = V + N - np.outer(u, u @ N)
    a = np.zeros(d) if a is None else np.asarray(a, float)
    a0 = c0 - cx @ a
    return Point(Sample(X, y, p, Phi), L.squared(), cx, V, None, {"a": a, "a0": np.array([a0])},
                 {"feature_map": "drawn", "corner": "biased global minimum, w ≠ 0"})


def biased_zero_minimum(X, Phi, v, c=1.0, p=None, V=None, a=None):
    """A global minimum of F_b at w = 0 (squared loss; module docstring): y = c + e with e the part of
    ``v`` p-orthogonal to the columns of [X, Φ, 1], a₀ = c. None if e = 0."""
    X, Phi, v = (np.asarray(t, float) for t in (X, Phi, v))
    n, d = X.shape
    k = Phi.shape[1]
    p = np.full(n, 1.0 / n) if p is None else np.asarray(p, float)
    A = np.concatenate([X, Phi, np.ones((n, 1))], axis=1)
    e = v - A @ _wls(A, v, p)
    if not np.any(np.abs(e) > 1e-9 * (1 + np.abs(v).max())):
        return None
    V = np.zeros((d, k)) if V is None else np.asarray(V, float)
    a = np.zeros(d) if a is None else np.asarray(a, float)
    return Point(Sample(X, c + e, p, Phi), L.squared(), np.zeros(d), V, None, {"a": a, "a0": np.array([float(c)])},
                 {"feature_map": "drawn", "corner": "biased minimum at w = 0"})
