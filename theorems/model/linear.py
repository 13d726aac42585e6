"""Minima of the convex F_lin(u) = E[ℓ(uᵀx; y)] (Sec. 2) over a ball (Theorem 3's min_{‖u‖≤r} F_lin)
and over R^d (Corollary 1's inf_u F_lin), with certificates — float only, cached per (sample, loss[, r]).

``linear_ball_min``: min_{‖u‖ ≤ r} F_lin(u) is convex. It is solved by proximal Newton steps from
u = 0: each step minimises the quadratic model of F_lin (exact Hessian + τI, τ = 10⁻¹²·Σp‖x‖²)
over the ball exactly (secular equation of the trust-region subproblem, Brent's method on its
multiplier) and backtracks along the segment, which stays feasible. The multiplier ν ≥ 0 of the
KKT system ∇F_lin(u) + νu = 0, ‖u‖ = r is returned with û (0 for an interior optimum). The
returned feasible û comes with its *certified* suboptimality (Frank–Wolfe gap, by convexity)

    F_lin(û) − min_{‖u‖≤r} F_lin ≤ ∇F_lin(û)ᵀû + r‖∇F_lin(û)‖  (``fw_gap``, evaluated in any backend),

so claims use F_lin(û) and add ``fw_gap`` to their tolerance: a reported violation is then a
violation of the true minimum.

``linear_inf``: the ball minimum for a radius so large that predictions reach 10³ (less where the
loss would overflow); the infimum counts as *attained* when that minimum is interior.
"""

from __future__ import annotations

import json
import math

import numpy as np
from scipy.optimize import brentq

from theorems.core import backend as B

from .objective import linear_gradient
from .sample import Sample

__all__ = ["linear_ball_min", "linear_inf", "fw_gap"]


def _flin_parts(X, y, p, loss, u):
    q = X @ u
    return (float(np.sum(p * loss.value(q, y))), X.T @ (p * loss.d1(q, y)),
            X.T @ ((p * loss.d2(q, y))[:, None] * X))


def _key(s, loss):
    f = B.to_float
    return (f(s.X).tobytes(), f(s.y).tobytes(), f(s.p).tobytes(), s.X.shape,
            json.dumps(loss.spec, sort_keys=True))


_BALL_CACHE: dict = {}
_INF_CACHE: dict = {}


def _curv_scale(X, p):
    return float(np.sum(p * np.einsum("ij,ij->i", X, X))) + 1e-300


def _trs(H, c, r):
    """argmin_v cᵀv + ½vᵀHv over ‖v‖ ≤ r, H symmetric positive definite (d ≤ 6): secular equation."""
    lam, Q = np.linalg.eigh(H)
    ct = Q.T @ c
    nrm = lambda mu: math.sqrt(float(np.sum((ct / (lam + mu)) ** 2)))
    if nrm(0.0) <= r:
        return -(Q @ (ct / lam)), 0.0
    hi = max(float(np.linalg.norm(c)) / r, 1e-300)
    while nrm(hi) > r:
        hi *= 2
    mu = brentq(lambda m: nrm(m) - r, 0.0, hi, xtol=1e-300, rtol=1e-15, maxiter=500)
    return -(Q @ (ct / (lam + mu))), mu


def _ball_newton(X, y, p, loss, r, tau, u0, iters=200):
    """min F_lin over ‖u‖ ≤ r by proximal Newton steps from u0: each step solves the ball-constrained
    quadratic model exactly (``_trs``; Hessian + τI) and backtracks on F_lin along the segment
    (feasible: the ball is convex). Stops when the Frank–Wolfe gap vanishes; returns (u, ν, H(u),
    converged)."""
    d = X.shape[1]
    u = u0.copy()
    mu = 0.0
    converged = False
    with np.errstate(over="ignore", invalid="ignore"):
        f, g, H = _flin_parts(X, y, p, loss, u)
        for _ in range(iters):
            fw = float(g @ u + r * np.linalg.norm(g))
            fscale = float(np.sum(p * np.abs(loss.value(X @ u, y)))) + r * float(np.linalg.norm(g)) + 1e-300
            if fw <= 1e-15 * fscale:
                converged = True
                break
            v, mu = _trs(H + tau * np.eye(d), g - (H + tau * np.eye(d)) @ u, r)
            step = v - u
            t, ok = 1.0, False
            while t > 1e-14:
                un = u + t * step
                fn = float(np.sum(p * loss.value(X @ un, y)))
                if math.isfinite(fn) and fn <= f + 1e-4 * t * float(g @ step):
                    ok = True
                    break
                t *= 0.5
            if not ok:
                break
            u = un
            f, g, H = _flin_parts(X, y, p, loss, u)
    nu = max(0.0, -float(g @ u) / (r * r)) if np.linalg.norm(u) >= r * (1 - 1e-12) else 0.0
    return u, nu, H, converged


def linear_ball_min(s: Sample, loss, r):
    """A feasible û (‖û‖ ≤ r, float64) minimizing F_lin over the ball, and its multiplier ν ≥ 0
    (0 for an interior optimum); cached per (sample, loss, r). Certified suboptimality: :func:`fw_gap`."""
    r = float(r)
    if not (r > 0 and math.isfinite(r)):
        raise ValueError(f"argument 'r': must be a finite positive radius, got {r!r}")
    key = _key(s, loss) + (r,)
    hit = _BALL_CACHE.get(key)
    if hit is not None:
        return hit
    X, y, p = (np.asarray(B.to_float(a), dtype=np.float64) for a in (s.X, s.y, s.p))
    u, nu, H, converged = _ball_newton(X, y, p, loss, r, 1e-12 * _curv_scale(X, p), np.zeros(X.shape[1]))
    curvature = float(np.trace(H))
    if not converged and math.isfinite(curvature) and curvature > 0:
        # τ = 10⁻¹²·Σp‖x‖² dwarfs a tiny curvature (ℓ'' ~ e⁻⁵⁰ far in a loss's tail), and the damped
        # steps then crawl: go on from there with τ relative to the Hessian reached (descent only)
        u, nu, _, _ = _ball_newton(X, y, p, loss, r, 1e-12 * curvature, u)
    nrm = np.linalg.norm(u)
    if nrm > r:
        u = u * (r / nrm)           # feasible by construction
    out = (u, nu)
    if len(_BALL_CACHE) > 4096:
        _BALL_CACHE.clear()
    _BALL_CACHE[key] = out
    return out


def fw_gap(s: Sample, loss, u, r):
    """Certified bound F_lin(u) − min_{‖v‖≤r} F_lin(v) ≤ ∇F_lin(u)ᵀu + r‖∇F_lin(u)‖ (convexity)."""
    g = linear_gradient(s, loss, u)
    val = B.asum(g * u) + r * B.norm(g)
    return val if val > 0 else 0 * val


def _safe_prediction(loss, y) -> float:
    """The largest P in (10³, 10², 30, 10) with ℓ, ℓ', ℓ'' finite at ±P (e^(a·P) overflows for the
    exponential loss and its affine maps long before P = 10³)."""
    yv = np.unique(np.asarray(B.to_float(y), dtype=np.float64))
    for P in (1e3, 1e2, 30.0, 10.0):
        pp = np.array([-P, P])
        with np.errstate(all="ignore"):
            vals = [f(pp[:, None] + 0 * yv[None, :], yv[None, :] + 0 * pp[:, None])
                    for f in (loss.value, loss.d1, loss.d2)]
        if all(np.all(np.isfinite(v)) and np.max(np.abs(v)) < 1e100 for v in vals):
            return P
    return 10.0


def linear_inf(s: Sample, loss):
    """(û, attained) for inf_u F_lin(u), float only, cached per (sample, loss).

    û minimizes F_lin over the ball of radius R = P/max_i‖x_i‖, predictions up to P = 10³ (less
    where the loss would overflow, see ``_safe_prediction``); the infimum counts as *attained* when
    that minimum is interior (‖û‖ < R(1 − 10⁻⁶) and a vanishing gradient), i.e. an unconstrained
    minimizer exists. Logistic loss on separable data and the linear loss push û to the sphere:
    ``attained = False``."""
    key = _key(s, loss)
    hit = _INF_CACHE.get(key)
    if hit is not None:
        return hit
    X = np.asarray(B.to_float(s.X), dtype=np.float64)
    xmax = float(np.max(np.linalg.norm(X, axis=1)))
    R = _safe_prediction(loss, s.y) / xmax if xmax > 0 else 1.0
    u, _ = linear_ball_min(s, loss, R)
    y, p = (np.asarray(B.to_float(a), dtype=np.float64) for a in (s.y, s.p))
    g = X.T @ (p * loss.d1(X @ u, y))
    gscale = float(np.sum(p * (np.abs(loss.d1(X @ u, y)) + np.abs(loss.d2(X @ u, y)) * np.abs(X @ u))
                          * np.linalg.norm(X, axis=1))) + 1e-300
    attained = bool(np.linalg.norm(u) < R * (1 - 1e-6) and np.linalg.norm(g) <= 1e-9 * gscale)
    out = (u, attained)
    if len(_INF_CACHE) > 4096:
        _INF_CACHE.clear()
    _INF_CACHE[key] = out
    return out
