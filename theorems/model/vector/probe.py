"""A search for local minima of F_θ(W, V) above the linear level (the open question of Remark 2).

Remark 2 / Appendix A leave open whether, for vector outputs and W not of full row rank, F_θ has
a local minimum with value above inf F_lin. ``probe_local_minima`` searches for one:

1. a linear reference level F_lin(W*_ref) ≥ inf F_lin (``linear_reference``: W*_ref from a
   trust-region minimisation of the convex F_lin; any W* gives an upper bound on the infimum, so
   the comparison is sound even when the infimum is not attained);
2. SciPy's ``trust-exact`` (exact Hessian) from every start, in float64;
3. a run reaches a **local minimum** when ‖∇F‖ ≤ 10⁻⁶(1 + grad scale) and
   λ_min(∇²F) ≥ −10⁻⁶‖∇²F‖ (float64);
4. ``certify`` checks those with F − F_lin(W*_ref) > 0 in the precision of the sample (60 digits
   when the engine confirms): a few pseudo-Newton refinements (the Hessian's eigenpairs with
   |λ| > τ), then F − level > √u·(1 + |F|), ‖∇F‖ ≤ √u·(1 + scale), λ_min(∇²F) ≥ −√u·‖∇²F‖, and
   F(z + r·v) − F(z) ≥ −64u·(1 + |F|) for r ∈ {10⁻³, 10⁻⁵}·(1 + ‖z‖), v in 16 fixed random unit
   directions and ± the eigenvectors of the three smallest Hessian eigenvalues.

A certified candidate is evidence of a spurious local minimum, not a proof.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import mpmath
import numpy as np
from scipy.optimize import minimize

from theorems.core import backend as B

from .losses import VectorLoss
from .objective import FlatObjective, linear_gradient, linear_hessian, linear_objective, split
from .sample import VectorSample

__all__ = ["MAXITER", "N_DIRECTIONS", "DESCENT_ULPS", "linear_reference", "eigh", "certify", "ProbeResult",
           "probe_local_minima"]

MAXITER = 200          # trust-region iterations per run
N_DIRECTIONS = 16      # random unit directions of the local-minimality test
DESCENT_ULPS = 64      # F(z + r·v) − F(z) ≥ −DESCENT_ULPS·u·(1 + |F|): no descent beyond rounding


def linear_reference(sf: VectorSample, loss: VectorLoss):
    """W*_ref (float64) minimising the convex F_lin by trust-region from 0."""
    m, d = sf.m, sf.d
    f = lambda w: linear_objective(sf, loss, w.reshape(m, d))
    g = lambda w: linear_gradient(sf, loss, w.reshape(m, d)).reshape(-1)
    h = lambda w: linear_hessian(sf, loss, w.reshape(m, d))
    # the trust region may step where the loss overflows (exp in softmax cross-entropy); such a step
    # is rejected by the method itself, so its warnings are harmless here
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = minimize(f, np.zeros(m * d), jac=g, hess=h, method="trust-exact",
                       options={"gtol": 1e-12, "maxiter": MAXITER})
    return res.x.reshape(m, d)


def eigh(H):
    """Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix."""
    if H.dtype == object:
        E, Q = mpmath.eigsy(mpmath.matrix(H.tolist()))
        n = H.shape[0]
        lam = np.array([E[i] for i in range(n)], dtype=object)
        Qa = np.array([[Q[i, j] for j in range(n)] for i in range(n)], dtype=object)
        order = sorted(range(n), key=lambda i: lam[i])
        return lam[order], Qa[:, order]
    return np.linalg.eigh(H)


def _unit(v):
    return v / B.norm(v)


def certify(fun: FlatObjective, z, level, u):
    """(certified, details) for a float local minimum z, in the precision of ``fun``'s sample."""
    mp = fun.s.is_mp
    z = B.to_mp(np.asarray(z, dtype=float)) if mp else np.asarray(z, dtype=float)
    for _ in range(8 if mp else 3):
        # pseudo-Newton on the eigenspace with |λ| > 10⁻⁸‖H‖: near-null directions are tangent to a
        # manifold of minimisers (or flat), and dividing by their tiny λ would throw z off it
        lam, Q = eigh(fun.h(z))
        tau = 1e-8 * max(abs(lam[0]), abs(lam[-1]), 1)
        c = Q.T @ fun.g(z)
        step = 0 * z
        for j in range(len(lam)):
            if abs(lam[j]) > tau:
                step = step + (c[j] / lam[j]) * Q[:, j]
        z = z - step
    F, g, H = fun.f(z), fun.g(z), fun.h(z)
    lam, Q = eigh(H)
    Hn = max(abs(lam[0]), abs(lam[-1]))
    su = math.sqrt(u) if not mp else mpmath.sqrt(u)
    gscale = 1 + B.norm(z) * (1 + abs(F))
    det = dict(F=F, excess=F - level, grad_norm=B.norm(g), lambda_min=lam[0])
    if not (F - level > su * (1 + abs(F))):
        return False, dict(det, reason="not above the linear level")
    if not (B.norm(g) <= su * gscale and lam[0] >= -su * max(Hn, 1)):
        return False, dict(det, reason="not second-order stationary")
    rng = np.random.default_rng(12345)
    dirs = [rng.normal(size=z.size) for _ in range(N_DIRECTIONS)]
    dirs = [B.to_mp(v) if mp else v for v in dirs]
    dirs += [s * Q[:, j] for j in range(min(3, len(lam))) for s in (1, -1)]
    ftol = DESCENT_ULPS * u * (1 + abs(F))
    zn = 1 + B.norm(z)
    for r in (1e-3, 1e-5):
        for v in dirs:
            if fun.f(z + (r * zn) * _unit(v)) - F < -ftol:
                return False, dict(det, reason=f"descent at radius {r:g}")
    return True, dict(det, reason="certified")


@dataclass(frozen=True)
class ProbeResult:
    local_minima: int              # runs reaching a float64 local minimum
    certified: int                 # certified candidates above the level
    rank_deficient_minima: int     # local minima with m > d or s_min(W) ≤ 10⁻⁶‖W‖
    best_excess: float | None      # the largest F − level among local minima reached
    iterations: int                # total trust-region iterations


def probe_local_minima(s: VectorSample, loss: VectorLoss, starts, level) -> ProbeResult:
    """Trust-region runs of F_θ from every row of ``starts`` ((vec W, vec V), float64), then the
    certification of the local minima above ``level`` in the precision of ``s``."""
    m, d, k = s.m, s.d, s.k
    fl, cur = FlatObjective(s.to_float(), loss), FlatObjective(s, loss)
    u = mpmath.mpf(2) ** (-mpmath.mp.prec) if s.is_mp else 2.0 ** -53
    n_min = n_cert = n_def = iters = 0
    best = None
    for x0 in starts:
        # overflowing trial steps are rejected by the trust region itself (see linear_reference)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            res = minimize(fl.f, x0, jac=fl.g, hess=fl.h, method="trust-exact",
                           options={"gtol": 1e-10, "maxiter": MAXITER})
        iters += int(res.nit)
        z = res.x
        if not np.all(np.isfinite(z)):
            continue
        g, H = fl.g(z), fl.h(z)
        lam = np.linalg.eigvalsh(H)
        gscale = 1 + np.linalg.norm(z) * (1 + abs(res.fun))
        if not (np.linalg.norm(g) <= 1e-6 * gscale and lam[0] >= -1e-6 * max(abs(lam[-1]), abs(lam[0]), 1)):
            continue
        n_min += 1
        W, _ = split(z, m, d, k)
        sv = np.linalg.svd(W, compute_uv=False)
        n_def += bool(m > d or sv[-1] <= 1e-6 * max(sv[0], 1e-300))
        excess = float(fl.f(z) - float(level))
        best = excess if best is None else max(best, excess)
        if excess > 0:
            ok, _ = certify(cur, z, level, u)
            n_cert += ok
    return ProbeResult(n_min, n_cert, n_def, best, iters)
