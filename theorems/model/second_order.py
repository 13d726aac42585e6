"""Second-order helpers for Lemma 2, Theorem 2, Theorem 3 and Corollary 1 (Sec. 3, Sec. 6.2–6.3).

Everything here is backend-generic (float64 arrays or mpmath object arrays, see ``backend``)
unless it says "float only".

Hessian
-------
``hessian_fast`` is ``theorems.model.objective.hessian`` without argument re-validation (the
claims' hot path; tested entry-for-entry against it): w.r.t. (w, vec V), vec row-major,

    ∇²F_θ = Σ_i a_i J_i J_iᵀ + [[0, C], [Cᵀ, 0]],  J_i = (z_i, vec(w φ_iᵀ)),  a_i = p_i ℓ''(q_i),
    C = I_d ⊗ r_wᵀ,  r_w = Σ_i p_i ℓ'(q_i) φ_i,  z_i = x_i + V φ_i,  q_i = wᵀz_i.

``r_vector`` is Eq. (10): r = E[ℓ'(0; y) f_θ(x)] = r_w at w = 0.

Lipschitz constants on the box 𝓜_b = {(w, V): ‖w‖ < b, ‖V‖ < b} (Theorem 3)
--------------------------------------------------------------------------------
Distances in (w, V) are Euclidean in (w, vec V), i.e. ‖h‖² = ‖h_w‖² + ‖h_V‖²_Fr; matrix-valued
maps are measured in the spectral norm (the paper's ‖·‖), which is what Weyl's inequality
|λ_min(A) − λ_min(B)| ≤ ‖A − B‖ in the proof of Theorem 3 needs. On 𝓜_b, for every sample i,

    ‖z_i‖ ≤ ‖x_i‖ + b‖φ_i‖,   ‖J_i‖ ≤ j_i := √((‖x_i‖ + b‖φ_i‖)² + b²‖φ_i‖²),   |q_i| ≤ Q_i := b(‖x_i‖ + b‖φ_i‖),

and with L1_i, L2_i, L3_i upper bounds of |ℓ'|, ℓ'', |ℓ'''| over |q| ≤ Q_i (``loss_sup``):

* μ0 ≥ sup ‖∇F_θ‖ (mean value theorem on the convex 𝓜_b): ‖∇F_θ‖ = ‖Σ p_i ℓ'_i J_i‖ ≤ Σ p_i L1_i j_i.
* μ1 ≥ sup ‖∇²F_θ‖: ‖a_i J_i J_iᵀ‖ ≤ p_i L2_i j_i², and ‖[[0, C], [Cᵀ, 0]]‖ = ‖C‖ = ‖r_w‖ ≤ Σ p_i L1_i ‖φ_i‖:
  μ1 = Σ p_i (L2_i j_i² + L1_i ‖φ_i‖).
* μ2 ≥ sup ‖D³F_θ[h]‖/‖h‖: along h, da_i = p_i ℓ'''_i J_iᵀh, dJ_i = (h_V φ_i, vec(h_w φ_iᵀ)) with
  ‖dJ_i‖ ≤ ‖φ_i‖‖h‖, d(J_iJ_iᵀ) ≤ 2‖J_i‖‖dJ_i‖, and dr_w = Σ p_i ℓ''_i (J_iᵀh) φ_i, so
  μ2 = Σ p_i (L3_i j_i³ + 3 L2_i j_i ‖φ_i‖).

The theorem requires *positive* constants; a bound that is exactly 0 (e.g. μ2 for the squared
loss with f_θ ≡ 0) is replaced by ``MU_FLOOR`` — any larger number is still a Lipschitz constant.

``loss_sup``: |ℓ'| is monotone in p for a convex ℓ, so its sup over [−Q, Q] is attained at ±Q
(exact). For ℓ'' and |ℓ'''| the loss's global bounds ``d2_sup``/``d3_sup`` are used; where they
are ``None`` (exponential, and constructions containing it) the bound is built from the loss's
``spec``: e^(−yp) has monotone |derivatives| (endpoints), ℓ(a p + c) maps the interval to
[−|a|Q − |c|, |a|Q + |c|] and scales by |a|^k, combinations add. Anything else raises
``HypothesisNotMet`` naming the loss.

Constrained linear optimum (Theorem 3) — float only, cached per (sample, loss, r)
---------------------------------------------------------------------------------
min_{‖u‖ ≤ r} F_lin(u) is convex. ``linear_ball_min`` solves the ridge problems
u(ν) = argmin F_lin(u) + ν‖u‖²/2 by damped Newton (exact Hessian); ‖u(ν)‖ is non-increasing in ν.
If ‖u(ν_min)‖ ≤ r the optimum is interior (ν → 0); otherwise ν is found by Brent's method on
log ν so that ‖u(ν)‖ = r, which is the KKT system ∇F_lin(u) + νu = 0, ‖u‖ = r, ν ≥ 0. The
returned feasible û comes with its *certified* suboptimality (Frank–Wolfe gap, by convexity)

    F_lin(û) − min_{‖u‖≤r} F_lin ≤ ∇F_lin(û)ᵀû + r‖∇F_lin(û)‖  (``fw_gap``, evaluated in any backend),

so claims use F_lin(û) and add ``fw_gap`` to their tolerance: a reported violation is then a
violation of the true minimum.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache

import mpmath
import numpy as np

from . import backend as B
from . import losses as L
from .sample import Sample, check_array
from .serialization import ARRAY, MP_SCALAR, Instance

__all__ = [
    "hessian_fast", "gradient_fast", "lambda_min", "r_vector", "lemma2_matrix", "Lemma2Matrix",
    "loss_sup", "lipschitz_constants", "linear_ball_min", "linear_inf", "fw_gap", "MU_FLOOR",
    "row_norms",
]

MU_FLOOR = 2.0 ** -40


# ---------------------------------------------------------------- derivatives

def row_norms(A):
    if A.dtype == object:
        return np.array([B.norm(r) for r in A], dtype=object)
    return np.sqrt(np.einsum("ij,ij->i", A, A))


def gradient_fast(s: Sample, loss, w, V):
    """(∂F/∂w, ∂F/∂V) of Eq. (7) without re-validation; ∂F/∂V as a d × k matrix."""
    Z = s.X + s.Phi @ V.T
    c = s.p * loss.d1(Z @ w, s.y)
    return Z.T @ c, np.outer(w, s.Phi.T @ c)


def hessian_fast(s: Sample, loss, w, V):
    """∇²F_θ(w, V) (vec row-major), the formula of ``objective.hessian`` without re-validation."""
    n, d, k = s.n, s.d, s.k
    Z = s.X + s.Phi @ V.T
    q = Z @ w
    a = s.p * loss.d2(q, s.y)
    c = s.p * loss.d1(q, s.y)
    JV = (w[None, :, None] * s.Phi[:, None, :]).reshape(n, d * k)
    J = np.concatenate([Z, JV], axis=1)
    H = J.T @ (a[:, None] * J)
    r_w = s.Phi.T @ c
    C = (np.eye(d)[:, :, None] * r_w[None, None, :]).reshape(d, d * k)   # I_d ⊗ r_wᵀ
    H[:d, d:] = H[:d, d:] + C
    H[d:, :d] = H[d:, :d] + C.T
    return H


def lambda_min(H):
    """Smallest eigenvalue of a symmetric matrix (float64 or mpmath)."""
    return B.eigvalsh(H)[0]


def _complement(u):
    """d × (d − 1) matrix whose orthonormal columns span u⊥ (u a unit vector): columns 2..d of
    the Householder reflector that maps u to ∓e_1 (backend-generic)."""
    d = u.shape[0]
    v = u.copy()
    v[0] = v[0] + (1 if u[0] >= 0 else -1)          # no cancellation: |v_1| ≥ 1
    E = np.multiply.outer(v, v[1:]) * (-2 / B.dot(v, v))
    diag = E[1:].reshape(-1)[::d]                    # a view: E[1:] is a contiguous (d−1)² block
    diag[...] = diag + 1
    return E


def hessian_lambda_min(s: Sample, loss, w, V):
    """λ_min(∇²F_θ(w, V)) through the Hessian's structure: an eigenproblem of size 2d + k − 1
    instead of d + dk (float64 and mpmath alike).

    With J_i = (z_i, w ⊗ φ_i), a_i = p_i ℓ''(q_i), r_w = Σ p_i ℓ'(q_i) φ_i and C = I_d ⊗ r_wᵀ,
    ∇²F_θ = Σ a_i J_iJ_iᵀ + [[0, C], [Cᵀ, 0]]. Let u = w/‖w‖ (any unit vector if w = 0),
    E (d × (d−1)) an orthonormal basis of u⊥ and r̂ = r_w/‖r_w‖. The V-directions
    {u ⊗ e_j}_{j ≤ k} ∪ {e ⊗ r̂}_{e ∈ cols E} are orthonormal, and every (0, v) orthogonal to them
    is in the kernel: J_iᵀ(0, v) = ‖w‖(u ⊗ φ_i)·v = 0, and e_m ⊗ r_w lies in their span, so
    Cv = 0. The Hessian therefore splits into zero on a subspace of dimension (d − 1)(k − 1) and,
    in the coordinates (w, α ∈ ℝᵏ, β ∈ ℝ^{d−1}), the matrix

        M = [[Σ a_i z_iz_iᵀ,      ‖w‖ Σ a_i z_iφ_iᵀ + u r_wᵀ,  ‖r_w‖ E],
             [·,                   ‖w‖² Σ a_i φ_iφ_iᵀ,          0      ],
             [·,                   0,                            0      ]]

    (when r_w = 0 the β-block is zero and stands for kernel directions, so the count still adds
    up to d + dk). λ_min = min(λ_min(M), 0) if (d − 1)(k − 1) > 0, else λ_min(M). Tested against
    ``eigvalsh`` of the full closed-form Hessian in both precisions (tests/test_hessian.py)."""
    d, k = s.d, s.k
    Z = s.X + s.Phi @ V.T
    q = Z @ w
    a = s.p * loss.d2(q, s.y)
    r_w = s.Phi.T @ (s.p * loss.d1(q, s.y))
    wn, rn = B.norm(w), B.norm(r_w)
    if wn > 0:
        u = w / wn
    else:
        u = 0 * w
        u[0] = u[0] + 1
    m = 2 * d + k - 1
    M = np.zeros((m, m), dtype=Z.dtype)    # object zeros are ints: exact, and mpf-compatible
    Jt = np.concatenate([Z, wn * s.Phi], axis=1)
    M[:d + k, :d + k] = Jt.T @ (a[:, None] * Jt)    # [[Σ a zzᵀ, ‖w‖Σ a zφᵀ], [·, ‖w‖²Σ a φφᵀ]] at once
    ur = np.multiply.outer(u, r_w)
    M[:d, d:d + k] = M[:d, d:d + k] + ur
    M[d:d + k, :d] = M[d:d + k, :d] + ur.T
    if d > 1:
        E = rn * _complement(u)
        M[:d, d + k:] = E
        M[d + k:, :d] = E.T
    lam = B.eigvalsh(M)[0]
    if (d - 1) * (k - 1) > 0 and lam > 0:
        lam = 0 * lam
    return lam


def r_vector(s: Sample, loss):
    """r = E[ℓ'(0; y) f_θ(x)]  (Eq. 10)."""
    return s.Phi.T @ (s.p * loss.d1(0 * s.y, s.y))


# ---------------------------------------------------------------- Lemma 2 matrices

def lemma2_matrix(b, u):
    """M = [[b, uᵀ], [u, 0]] (Lemma 2): first row (b, uᵀ), first column (b; u), zeros elsewhere."""
    u = np.asarray(u)
    m = u.shape[0] + 1
    M = np.zeros((m, m), dtype=u.dtype)
    if u.dtype == object:
        M[:, :] = mpmath.mpf(0)
    M[0, 0] = b
    M[0, 1:] = u
    M[1:, 0] = u
    return M


@dataclass(frozen=True, eq=False, repr=False)
class Lemma2Matrix(Instance):
    """An instance of Lemma 2: a scalar b and a vector u (length ≥ 1)."""

    CODECS = {"b": MP_SCALAR, "u": ARRAY}

    b: object
    u: np.ndarray
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        u = check_array("u", self.u, ndim=1, hypothesis="Lemma 2: u is a vector")
        if u.shape[0] < 1:
            raise ValueError("argument 'u': Lemma 2 needs a vector u with at least one entry "
                             "(M has a zero block below the first row)")
        b = self.b
        if not isinstance(b, mpmath.mpf):
            b = float(b)
            if not math.isfinite(b):
                raise ValueError(f"argument 'b': must be a finite scalar, got {self.b!r}")
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "u", u)

    @property
    def is_mp(self):
        return isinstance(self.b, mpmath.mpf)

    def matrix(self):
        return lemma2_matrix(self.b, self.u)

    def to_vector(self):
        return np.concatenate([[float(self.b)], B.to_float(self.u)])

    def from_vector(self, x):
        x = np.asarray(x, dtype=np.float64)
        return Lemma2Matrix(float(x[0]), x[1:].copy(), dict(self.meta))

    def describe(self):
        return f"b={float(self.b):.6g}, ‖u‖={float(B.norm(self.u)):.6g}, size={self.u.shape[0] + 1}"


# ---------------------------------------------------------------- loss bounds on an interval

def _const_like(v, like):
    return mpmath.mpf(v) if B.is_mp(like) else float(v)


def loss_sup(loss, order: int, Q, y):
    """Per-sample upper bounds of sup_{|q| ≤ Q_i} |ℓ^(order)(q; y_i)| (order 1, 2 or 3)."""
    if order == 1:
        # ℓ' is non-decreasing (ℓ convex): |ℓ'| is maximal at an endpoint
        lo, hi = loss.d1(-Q, y), loss.d1(Q, y)
        return _vmax(B.abs_(lo), B.abs_(hi))
    return _sup_spec(loss.spec, order, Q, y, loss)


def _vmax(a, b):
    if isinstance(a, np.ndarray) and a.dtype == object or isinstance(b, np.ndarray) and b.dtype == object:
        a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
        return np.array([x if x >= z else z for x, z in zip(a, b)], dtype=object)
    return np.maximum(a, b)


def _sup_spec(spec, order, Q, y, loss=None):
    from .errors import HypothesisNotMet

    loss = loss or L.from_spec(spec)
    glob = loss.d2_sup if order == 2 else loss.d3_sup
    if glob is not None:
        return 0 * Q + _const_like(glob, Q)
    name = spec.get("name")
    if name == "exponential":
        # |dᵏ/dpᵏ e^(−yp)| = e^(−yp) (y = ±1) is monotone in p: endpoints
        return _vmax(B.exp(-y * Q), B.exp(y * Q))
    if name == "affine":
        a, c = abs(spec["a"]), abs(spec["c"])
        return _const_like(a ** order, Q) * _sup_spec(spec["loss"], order, a * Q + c, y)
    if name == "combination":
        out = 0 * Q
        for coef, sub in spec["terms"]:
            out = out + _const_like(coef, Q) * _sup_spec(sub, order, Q, y)
        return out
    raise HypothesisNotMet(
        f"argument 'loss': no bound on |ℓ^({order})| is known for loss {loss.name!r}; Theorem 3's "
        "explicit constants μ1, μ2 need Loss.d2_sup / d3_sup (or a catalogue construction)")


def lipschitz_constants(s: Sample, loss, b):
    """(μ0, μ1, μ2): provable Lipschitz constants of F_θ, ∇F_θ, ∇²F_θ on the box
    max(‖w‖, ‖V‖) < b (derivation in the module docstring); each at least ``MU_FLOOR``."""
    xn, phin = row_norms(s.X), row_norms(s.Phi)
    zb = xn + b * phin
    j = B.sqrt(zb * zb + (b * phin) * (b * phin))
    Q = b * zb
    L1 = loss_sup(loss, 1, Q, s.y)
    L2 = loss_sup(loss, 2, Q, s.y)
    L3 = loss_sup(loss, 3, Q, s.y)
    with np.errstate(over="ignore", invalid="ignore"):
        mus = (B.asum(s.p * L1 * j), B.asum(s.p * (L2 * j * j + L1 * phin)),
               B.asum(s.p * (L3 * j * j * j + 3 * L2 * j * phin)))
    floor = _const_like(MU_FLOOR, b)
    inf = _const_like(math.inf, b)
    # a bound that overflows float64 (e^(b·…) for the exponential loss) is +inf, never NaN → floor
    return tuple(inf if not math.isfinite(float(m)) else (m if m >= floor else floor) for m in mus)


# ---------------------------------------------------------------- min of F_lin over a ball (float only)

def _flin_parts(X, y, p, loss, u):
    q = X @ u
    return (float(np.sum(p * loss.value(q, y))), X.T @ (p * loss.d1(q, y)),
            X.T @ ((p * loss.d2(q, y))[:, None] * X))


def _ridge(X, y, p, loss, nu, u0, iters=200):
    """argmin F_lin(u) + ν‖u‖²/2 by damped Newton (ν > 0: strongly convex)."""
    u = u0.copy()
    d = u.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        f, g, H = _flin_parts(X, y, p, loss, u)
        f, g, H = f + 0.5 * nu * (u @ u), g + nu * u, H + nu * np.eye(d)
        for _ in range(iters):
            step = np.linalg.solve(H, -g)
            dec = -(g @ step)
            if not math.isfinite(dec) or dec <= 1e-30 * (1 + abs(f)):
                break
            t = 1.0
            while t > 1e-12:
                un = u + t * step
                fn = float(np.sum(p * loss.value(X @ un, y))) + 0.5 * nu * (un @ un)
                if math.isfinite(fn) and fn <= f - 0.25 * t * dec:
                    break
                t *= 0.5
            else:
                break
            u = un
            f, g, H = _flin_parts(X, y, p, loss, u)
            f, g, H = f + 0.5 * nu * (u @ u), g + nu * u, H + nu * np.eye(d)
            if t == 1.0 and dec < 1e-24 * (1 + abs(f)):
                break
    return u


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
    from scipy.optimize import brentq
    hi = max(float(np.linalg.norm(c)) / r, 1e-300)
    while nrm(hi) > r:
        hi *= 2
    mu = brentq(lambda m: nrm(m) - r, 0.0, hi, xtol=1e-300, rtol=1e-15, maxiter=500)
    return -(Q @ (ct / (lam + mu))), mu


def _ball_newton(X, y, p, loss, r, iters=200):
    """min F_lin over ‖u‖ ≤ r by proximal Newton steps: each step solves the ball-constrained
    quadratic model exactly (``_trs``; Hessian + τI, τ = 10⁻¹²·scale) and backtracks on F_lin
    along the segment (feasible: the ball is convex). Stops when the Frank–Wolfe gap vanishes."""
    d = X.shape[1]
    tau = 1e-12 * _curv_scale(X, p)
    u = np.zeros(d)
    mu = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        f, g, H = _flin_parts(X, y, p, loss, u)
        for _ in range(iters):
            fw = float(g @ u + r * np.linalg.norm(g))
            fscale = float(np.sum(p * np.abs(loss.value(X @ u, y)))) + r * float(np.linalg.norm(g)) + 1e-300
            if fw <= 1e-15 * fscale:
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
    return u, nu


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
    u, nu = _ball_newton(X, y, p, loss, r)
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
    g = s.X.T @ (s.p * loss.d1(s.X @ u, s.y))
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
    where the loss would overflow, see ``_safe_prediction``); the infimum counts as *attained* when that minimum is interior
    (‖û‖ < R(1 − 10⁻⁶) and a vanishing gradient), i.e. an unconstrained minimizer exists. Logistic
    loss on separable data and the linear loss push û to the sphere: ``attained = False``."""
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
