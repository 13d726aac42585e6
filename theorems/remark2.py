"""Remark 2 (Sec. 3) and Appendix A: the open question of vector outputs with W not of full row rank.

**Remark 2** (Generalization to vector-valued outputs). *One can consider a generalization of our
setting to networks with vector-valued outputs, namely x ↦ W(x + V f_θ(x)), where W is a
matrix, and with losses ℓ(p, y) taking vector-valued arguments and convex in p (e.g. the
cross-entropy loss). In this more general setting, it is possible to prove a variant of Thm. 1
using a similar proof technique (see Appendix A). However, it is not clear to us how to prove an
analog of Thm. 2 and hence Thm. 3. We leave this as a question for future research.*
Appendix A: *"This theorem already establishes that our objective in the vector-valued case has
no stationary point (W, V, θ) (with respect to (W, V)) with values above F_lin(W\\*), except
possibly when W is not full row rank, or s_min(W) = 0."*

``remark2.open`` (kind ``open-question``, never a CI gate) is a **probe** for the analog of
Corollary 1: *does F_θ(W, V) have a local minimum with value above inf F_lin?* (Any such point
must have W rank-deficient, or m > d, by Theorem 6.) An instance is a sample, a vector loss and
S starting points (rows of ``extras['starts']``, rank-deficient W in particular, see
``strategies.vector.probe_points``). The evaluation

1. computes a linear reference level F_lin(W*_ref) ≥ inf F_lin (W*_ref from a trust-region
   minimisation of the convex F_lin; any W* gives an upper bound on the infimum, so the
   comparison below is sound even when the infimum is not attained);
2. runs SciPy's ``trust-exact`` (exact Hessian) from every start, in float64;
3. counts the runs that reach a **local minimum**: ‖∇F‖ ≤ 10⁻⁶(1 + grad scale) and
   λ_min(∇²F) ≥ −10⁻⁶‖∇²F‖ (float64);
4. **certifies** those with F − F_lin(W*_ref) above √u·(1 + |F|), in the precision of the
   evaluation (60 digits when the engine confirms): a few pseudo-Newton refinements (the
   Hessian's eigenpairs with |λ| > τ), then ‖∇F‖ ≤ √u·(1 + scale), λ_min(∇²F) ≥ −√u·‖∇²F‖, and
   F(z + r·v) − F(z) ≥ −64u·(1 + |F|) for r ∈ {10⁻³, 10⁻⁵}·(1 + ‖z‖), v in 16 fixed random unit
   directions and ± the eigenvectors of the three smallest Hessian eigenvalues.

A certified candidate is evidence of a spurious local minimum (a point that is stationary,
second-order non-negative and locally minimal along every tested direction at 60 digits),
not a proof; it is reported for a human to examine. The verdict is ``certified ≤ 0``: a
confirmed "counterexample" is a certified candidate.

Quantities: ``starts`` (S), ``local_minima`` (runs reaching a float local minimum),
``certified`` (certified candidates above the linear level), ``rank_deficient_minima`` (local
minima with m > d or s_min(W) ≤ 10⁻⁶‖W‖), ``lin_level`` = F_lin(W*_ref), ``best_excess`` (the
largest F − F_lin(W*_ref) among local minima reached, or None), ``iterations`` (total trust-region
iterations). The audit's search volume is the sum of ``starts`` over its valid examples.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
from scipy.optimize import minimize

from strategies.vector import probe_points
from theorems.contract import Claim, Evaluation, Variant, register
from theorems.model import backend as B
from theorems.model import vector as VM

SOURCE = "Remark 2, Sec. 3 and Appendix A (open question)"
MAXITER = 200
N_DIRECTIONS = 16


def _split(z, m, d, k):
    return z[:m * d].reshape(m, d), z[m * d:].reshape(d, k)


class _Fun:
    """F_θ as a function of the long vector z = (vec W, vec V) in the precision of ``sample``."""

    def __init__(self, s, loss):
        self.s, self.loss = s, loss
        self.m, self.d, self.k = s.m, s.d, s.k

    def f(self, z):
        return VM.objective(self.s, self.loss, *_split(z, self.m, self.d, self.k))

    def g(self, z):
        gW, gV = VM.gradient(self.s, self.loss, *_split(z, self.m, self.d, self.k))
        return np.concatenate([gW.reshape(-1), gV.reshape(-1)])

    def h(self, z):
        return VM.hessian(self.s, self.loss, *_split(z, self.m, self.d, self.k))


def _float_sample(s):
    return VM.VectorSample(B.to_float(s.X), B.to_float(s.Y), B.to_float(s.p), B.to_float(s.Phi))


def linear_reference(sf, loss):
    """W*_ref (float64) minimising the convex F_lin by trust-region from 0."""
    m, d = sf.m, sf.d
    f = lambda w: VM.linear_objective(sf, loss, w.reshape(m, d))
    g = lambda w: VM.linear_gradient(sf, loss, w.reshape(m, d)).reshape(-1)
    h = lambda w: VM.linear_hessian(sf, loss, w.reshape(m, d))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = minimize(f, np.zeros(m * d), jac=g, hess=h, method="trust-exact",
                       options={"gtol": 1e-12, "maxiter": MAXITER})
    return res.x.reshape(m, d)


def _eigh(H):
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


def certify(fun: _Fun, z, level, u):
    """(certified, details) for a float local minimum z, in the precision of ``fun``'s sample."""
    mp = fun.s.is_mp
    z = B.to_mp(np.asarray(z, dtype=float)) if mp else np.asarray(z, dtype=float)
    for _ in range(8 if mp else 3):
        # pseudo-Newton on the eigenspace with |λ| > 10⁻⁸‖H‖: near-null directions are tangent to a
        # manifold of minimisers (or flat), and dividing by their tiny λ would throw z off it
        lam, Q = _eigh(fun.h(z))
        tau = 1e-8 * max(abs(lam[0]), abs(lam[-1]), 1)
        c = Q.T @ fun.g(z)
        step = 0 * z
        for j in range(len(lam)):
            if abs(lam[j]) > tau:
                step = step + (c[j] / lam[j]) * Q[:, j]
        z = z - step
    F, g, H = fun.f(z), fun.g(z), fun.h(z)
    lam, Q = _eigh(H)
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
    ftol = 64 * u * (1 + abs(F))
    zn = 1 + B.norm(z)
    for r in (1e-3, 1e-5):
        for v in dirs:
            if fun.f(z + (r * zn) * _unit(v)) - F < -ftol:
                return False, dict(det, reason=f"descent at radius {r:g}")
    return True, dict(det, reason="certified")


def evaluate(inst, *, level_shift=None) -> Evaluation:
    s, loss = inst.sample, inst.loss
    starts = np.asarray(B.to_float(inst.extras["starts"]), dtype=float)
    m, d, k = s.m, s.d, s.k
    if starts.ndim != 2 or starts.shape[1] != m * d + d * k:
        raise ValueError(f"argument 'extras[\"starts\"]': expected shape (S, {m * d + d * k}) (vec W, vec V), "
                         f"got {starts.shape}")
    sf = _float_sample(s)
    fl, cur = _Fun(sf, loss), _Fun(s, loss)
    W_ref = linear_reference(sf, loss)
    Wr = B.to_mp(W_ref) if s.is_mp else W_ref
    level = VM.linear_objective(s, loss, Wr)
    if level_shift is not None:      # negative control: a deliberately wrong level
        level = level - level_shift(level)
    u = mpmath.mpf(2) ** (-mpmath.mp.prec) if s.is_mp else 2.0 ** -53
    n_min = n_cert = n_def = iters = 0
    best = None
    for x0 in starts:
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
        W, _ = _split(z, m, d, k)
        sv = np.linalg.svd(W, compute_uv=False)
        n_def += bool(m > d or sv[-1] <= 1e-6 * max(sv[0], 1e-300))
        excess = float(fl.f(z) - float(level))
        best = excess if best is None else max(best, excess)
        if excess > 0:
            ok, _ = certify(cur, z, level, u)
            n_cert += ok
    zero = 0 * level
    q = dict(starts=len(starts), local_minima=n_min, certified=n_cert, rank_deficient_minima=n_def,
             lin_level=level, best_excess=best, iterations=iters)
    return Evaluation.compare(zero + n_cert, "<=", zero, scale=1, ulps=0, quantities=q,
                              hypotheses={"starts given": len(starts) > 0}, source=SOURCE,
                              label="certified local minima of F_θ above inf F_lin ≤ 0")


def _example():
    pt = VM.random_vector_point(10, loss="squared", n=3, d=1, m=2, k=2)
    rng = np.random.default_rng(10)
    starts = np.concatenate([rng.normal(size=(2, 2)), rng.normal(size=(2, 2))], axis=1)
    starts[0, :2] = 0.0       # W = 0: rank-deficient start
    return VM.VectorPoint(pt.sample, pt.loss, pt.W, pt.V, None, {"starts": starts}, {"corner": "zero_W,generic"})


remark2_open = register(Claim(
    id="remark2.open", source=SOURCE, kind="open-question",
    statement=("Open (Remark 2, Appendix A): for vector outputs x ↦ W(x + V f_θ(x)) and losses convex in p, "
               "is there a local minimum of F_θ(W, V) (W not of full row rank) with value above inf F_lin? "
               "Probe: certified local minima above inf F_lin ≤ 0."),
    evaluate_fn=evaluate, strategy_fn=probe_points, example_fn=_example,
    hypotheses=("starts given",),
    quantities=("starts", "local_minima", "certified", "rank_deficient_minima", "lin_level", "best_excess",
                "iterations"),
    polish=False,
    controls=(
        Variant("remark2.open.any_local_min",
                "F_θ has no certified local minimum at all (level lowered below every value of F ≥ 0): "
                "refuted as soon as the probe certifies one local minimum",
                lambda i: evaluate(i, level_shift=lambda lv: 1 + abs(lv)),
                strategy=lambda: probe_points(losses=["squared"], max_starts=1), max_examples=50),
    ),
    notes="A probe, never a CI gate: status is 'inconclusive' unless a certified candidate is confirmed at 60 digits.",
))
