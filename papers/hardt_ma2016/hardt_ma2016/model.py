"""The mathematics of Hardt & Ma (2016), Section 2, once, for float64 and mpmath object arrays.

Setting (Sec. 2): y = Rx + ξ with ξ ~ N(0, Id_d) independent of x; 𝒟, the law of x, is a finite
weighted sample (rows x_i of ``X``, probabilities p_i); Σ = E[xxᵀ] = Σ_i p_i x_i x_iᵀ (the second
moment, "its covariance matrix" in the paper). Parameters: a tensor ``A`` of shape (ℓ, d, d) with
slices A_1, …, A_ℓ (``A[j-1]`` is A_j).

How ξ enters: f(A) = E‖Ex − ξ‖² with E = (Id + A_ℓ)…(Id + A_1) − R. Only the first two moments of
ξ matter (the integrand is quadratic in ξ): E‖ξ‖² = tr Id_d = d and E⟨Ex, ξ⟩ = E⟨Ex, E[ξ|x]⟩ = 0
exactly, so f(A) = Σ_i p_i ‖E x_i‖² + d (``risk``), C = E‖ξ‖² = d (``noise_constant``) and
C_opt = min_A f(A) = d (``c_opt``): the minimum is attained at A° = (R − Id, 0, …, 0), where
E = 0 (the model expresses every R, so the minimum is always attained). When Σ is singular C_opt is
still d, attained on the larger set {A : EΣ = 0} (E may be non-zero on null(Σ)). ``cubature_risk``
recomputes f(A) from the joint distribution (x_i, ξ_k) with ξ uniform on {±1}^d — a distribution
with the Gaussian's mean 0 and second moment Id, hence exact for this quadratic integrand — without
the closed form, so the claims about (2.2) and Claim 2.3 compare two independent computations.

Every function takes float64 arrays or object arrays of ``mpmath.mpf`` (``theorems.core.backend``).
Norms follow the paper: ‖·‖ spectral, ``_fro`` Frobenius, |||A||| = max_i ‖A_i‖ (``tensor_norm``).
"""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np

from theorems.core import backend as B

__all__ = ["second_moment", "factors", "product", "residual", "forward", "risk", "risk_closed", "cubature_risk",
           "noise_constant", "c_opt", "optimum", "gradient", "forward_derivative", "forward_gradient",
           "symmetric_root", "tensor_norm", "gamma", "fro2", "probs", "rademacher_points",
           "theorem2_1_layers", "theorem2_1_bound", "product_range"]


# ------------------------------------------------------------------------- backend helpers
# The generic linear algebra (Id, products, inverses, determinants, eigendecompositions, singular
# values, the PSD root Σ^{1/2}) is the engine's, in both arithmetics: ``theorems.core.backend``.

def fro2(M):
    """‖M‖_F² (exactly rounded sum)."""
    M = np.asarray(M)
    return B.asum(M * M)


def symmetric_root(S, signs):
    """Q diag(s_k √λ_k) Qᵀ: a symmetric B with B² = S for every sign vector s — the roots that make
    "the unique symmetric matrix B" false (Claim 2.3's sentence). The engine has only the PSD root;
    this one takes the same steps as ``B.psd_sqrt`` (symmetric part, ``B.eigh``, negative eigenvalues
    clipped to 0, symmetrised result), so that s = (+1, …, +1) reproduces Σ^{1/2} bit for bit."""
    vals, Q = B.eigh((S + S.T) / 2)
    zero = 0 * vals[0] if len(vals) else 0.0
    roots = [B.sqrt(v if v > zero else zero) * (1 if s >= 0 else -1) for v, s in zip(vals, np.asarray(signs).tolist())]
    D = np.array(roots, dtype=object if B.is_mp(S) else np.float64)
    R = (Q * D) @ Q.T
    return (R + R.T) / 2


# ------------------------------------------------------------------------- the model (2.1)-(2.2)

def probs(p):
    """p / Σp in the arithmetic of p: a float64 probability vector sums to 1 only to rounding, and at 60
    digits that 1e-16 would show as a spurious E‖ξ‖² ≠ d (the sample's law is normalised exactly)."""
    p = np.asarray(p)
    return p / B.asum(p)


def second_moment(X, p):
    """Σ = E[xxᵀ] = Σ_i p_i x_i x_iᵀ (the paper's Σ; X has rows x_i)."""
    return X.T @ (X * probs(p).reshape(-1, 1))


def factors(A, transpose=False):
    """[Id + A_1, …, Id + A_ℓ] (or their transposes)."""
    d = A.shape[1]
    I = B.eye(d, A)
    return [I + (A[j].T if transpose else A[j]) for j in range(A.shape[0])]


def product_range(A, lo, hi, transpose=False):
    """(Id + A_hi)…(Id + A_lo) for 1 ≤ lo ≤ hi ≤ ℓ (Id when lo > hi); with ``transpose`` the
    paper's (Id + A_loᵀ)…(Id + A_hiᵀ) = ((Id + A_hi)…(Id + A_lo))ᵀ."""
    I = B.eye(A.shape[1], A)
    mats = [I + A[j - 1] for j in range(hi, lo - 1, -1)]
    P = B.matmul_chain(mats) if mats else I
    return P.T if transpose else P


def product(A):
    """(Id + A_ℓ)…(Id + A_1)."""
    return product_range(A, 1, A.shape[0])


def residual(A, R):
    """E = (Id + A_ℓ)…(Id + A_1) − R."""
    return product(A) - R


def forward(A, X):
    """ŷ for every sample by the recursion (2.1): h_0 = x, h_j = h_{j−1} + A_j h_{j−1} (columns)."""
    H = X.T
    for j in range(A.shape[0]):
        H = H + A[j] @ H
    return H


def noise_constant(d, like=None):
    """C = E‖ξ‖² = d for ξ ~ N(0, Id_d) (the constant of Claim 2.3)."""
    return B.scalar_like(d, like) if like is not None else float(d)


def risk(A, R, X, p):
    """f(A) = E‖ŷ − Rx − ξ‖² = Σ_i p_i ‖ŷ_i − R x_i‖² + E‖ξ‖² (ŷ by the recursion (2.1))."""
    res = forward(A, X) - R @ X.T
    per = B.last_axis_sum((res * res).T) if res.dtype != object else np.array(
        [mpmath.fsum(res[:, i] * res[:, i]) for i in range(res.shape[1])], dtype=object)
    return B.asum(probs(p) * per) + noise_constant(X.shape[1], X)


def rademacher_points(d, like=None):
    """The 2^d points of {±1}^d (rows), each of weight 2^−d: mean 0 and second moment Id exactly."""
    pts = np.array(list(itertools.product((-1.0, 1.0), repeat=d)))
    return B.to_mp(pts) if like is not None and B.is_mp(like) else pts


def cubature_risk(E, X, p, parts=False):
    """E‖Ex − ξ‖² over the joint law of (x_i, ξ_k), ξ uniform on {±1}^d (exact for N(0, Id): see
    the module docstring). With ``parts``: (E‖Ex‖², E‖ξ‖², E⟨Ex, ξ⟩, E‖Ex − ξ‖²), each summed
    over the joint law separately (the second line of the proof of Claim 2.3)."""
    d = X.shape[1]
    p = probs(p)
    Xi = rademacher_points(d, X)
    w = B.scalar_like(2.0 ** -d, X)
    V = X @ E.T                       # rows E x_i
    terms = {"Ex2": [], "xi2": [], "cross": [], "total": []}
    for i in range(X.shape[0]):
        v = V[i]
        for xi in Xi:
            pw = p[i] * w
            r = v - xi
            terms["Ex2"].append(pw * B.dot(v, v))
            terms["xi2"].append(pw * B.dot(xi, xi))
            terms["cross"].append(pw * B.dot(v, xi))
            terms["total"].append(pw * B.dot(r, r))
    out = {k: B.asum(np.array(v, dtype=object if B.is_mp(X) else np.float64)) for k, v in terms.items()}
    return (out["Ex2"], out["xi2"], out["cross"], out["total"]) if parts else out["total"]


def risk_closed(A, R, Sigma):
    """tr(EΣEᵀ) + C (Claim 2.3's right-hand side before the square root)."""
    E = residual(A, R)
    return B.asum(E * (E @ Sigma)) + noise_constant(R.shape[0], R)


def optimum(R, ell):
    """A° = (R − Id, 0, …, 0): E = 0, a global minimiser (the model "can express any R")."""
    d = R.shape[0]
    A = np.zeros((ell, d, d), dtype=object if B.is_mp(R) else np.float64)
    if B.is_mp(R):
        A[:, :, :] = mpmath.mpf(0)
    A[0] = R - B.eye(d, R)
    return A


def c_opt(R, X, p, ell):
    """C_opt = min_A f(A), computed as f(A°) at the explicit minimiser A° (recursion (2.1) + noise)."""
    return risk(optimum(R, ell), R, X, p)


# ------------------------------------------------------------------------- gradient (2.5)

def gradient(A, R, Sigma):
    """∂f/∂A_i = 2(Id + A_ℓᵀ)…(Id + A_{i+1}ᵀ) E Σ (Id + A_{i−1}ᵀ)…(Id + A_1ᵀ), i = 1..ℓ (Lemma 2.4)."""
    ell = A.shape[0]
    E = residual(A, R)
    ES = E @ Sigma
    out = []
    for i in range(1, ell + 1):
        top = product_range(A, i + 1, ell, transpose=True)
        bottom = product_range(A, 1, i - 1, transpose=True)
        out.append(2 * (top @ ES @ bottom))
    return np.array(out, dtype=A.dtype if A.dtype == object else np.float64)


def forward_derivative(A, D, R, X, p):
    """d/dt f(A + tD) at t = 0 by forward mode through the recursion (2.1), sample by sample
    (h_j' = h_{j−1}' + A_j h_{j−1}' + D_j h_{j−1}); independent of the closed form (2.5)."""
    H, dH = X.T, 0 * X.T
    for j in range(A.shape[0]):
        H, dH = H + A[j] @ H, dH + A[j] @ dH + D[j] @ H
    res = H - R @ X.T
    return 2 * B.asum(probs(p).reshape(1, -1) * res * dH)


def forward_gradient(A, R, X, p):
    """∇f(A) entry by entry from ``forward_derivative`` along the basis tensors (ℓ·d² passes)."""
    ell, d, _ = A.shape
    out = np.empty(A.shape, dtype=object if B.is_mp(A) else np.float64)
    zero = 0 * A
    for j in range(ell):
        for r in range(d):
            for c in range(d):
                D = zero.copy()
                D[j, r, c] = 1 + 0 * A[j, r, c]
                out[j, r, c] = forward_derivative(A, D, R, X, p)
    return out


# ------------------------------------------------------------------------- norms, γ

def tensor_norm(A):
    """|||A||| = max_i ‖A_i‖ (spectral norms of the slices)."""
    vals = [B.spectral_norm(A[j]) for j in range(A.shape[0])]
    return max(vals) if vals else 0.0


def gamma(R):
    """γ = max{|log σ_max(R)|, |log σ_min(R)|} (R non-singular)."""
    s = B.singular_values(R)          # descending
    return max(abs(B.log(s[0])), abs(B.log(s[-1])))


# ------------------------------------------------------------------------- Theorem 2.1 construction

def theorem2_1_bound(gam, ell):
    """2(√π + √(3γ))²/ℓ."""
    pi = mpmath.pi if isinstance(gam, mpmath.mpf) else math.pi
    return 2 * (B.sqrt(pi + 0 * gam) + B.sqrt(3 * gam)) ** 2 / ell


def _rotation_root(Q, q):
    """The principal q-th root of a rotation Q ∈ SO(d) (float64): real Schur form, each plane's
    angle θ ∈ (−π, π] divided by q; pairs of −1 eigenvalues are rotations by π."""
    from scipy.linalg import schur

    T, Z = schur(Q, output="real")
    d = Q.shape[0]
    Tq = np.eye(d)
    i, minus = 0, []
    while i < d:
        if i + 1 < d and abs(T[i + 1, i]) > 1e-12:
            th = math.atan2(T[i + 1, i], T[i, i]) / q
            c, s = math.cos(th), math.sin(th)
            Tq[i:i + 2, i:i + 2] = [[c, -s], [s, c]]
            i += 2
        else:
            if T[i, i] < 0:
                minus.append(i)
            i += 1
    for a, b in zip(minus[::2], minus[1::2]):      # det Q = 1: an even number of −1's
        th = math.pi / q
        c, s = math.cos(th), math.sin(th)
        Tq[a, a], Tq[a, b], Tq[b, a], Tq[b, b] = c, -s, s, c
    return Z @ Tq @ Z.T


def _float_layers(R, ell, p):
    """Layers of the construction with p symmetric layers S^{1/p} − Id then q = ℓ − p rotation
    layers Q^{1/q} − Id, from the polar decomposition R = QS (float64)."""
    from scipy.linalg import polar

    Q, S = polar(R)                       # R = Q S, S ≻ 0, det Q = sign det R = +1
    d = R.shape[0]
    q = ell - p
    layers = []
    if p:
        w, V = B.eigh(S)
        layers += [(V * w ** (1.0 / p)) @ V.T - np.eye(d)] * p
    if q:
        layers += [_rotation_root(Q, q) - np.eye(d)] * q
    return layers


def theorem2_1_layers(R, ell):
    """A⋆ for Theorem 2.1 (det R > 0): from the polar decomposition R = QS, S = (RᵀR)^{1/2} ≻ 0 and
    Q ∈ SO(d), p layers S^{1/p} − Id (‖·‖ = max_k |s_k^{1/p} − 1| ≤ e^{γ/p} − 1) followed by q = ℓ − p
    layers Q^{1/q} − Id (‖·‖ = max 2|sin(θ/2q)| ≤ π/q); p is the split with the smallest |||A|||.
    The layers are computed in float64 from R's float64 values; the last one is then *closed* in the
    arithmetic of R, Id + A_ℓ = R·((Id + A_{ℓ−1})…(Id + A_1))^{−1}, so that E = 0 to the working
    precision (A⋆ is a global optimum at 60 digits too, not only to float64 rounding)."""
    Rf = B.to_float(R)
    best = None
    for p in range(0, ell + 1):
        try:
            layers = _float_layers(Rf, ell, p)
        except (np.linalg.LinAlgError, ValueError):
            continue
        A = np.array(layers)
        A[-1] = Rf @ B.inv(product_range(A, 1, ell - 1)) - B.eye(Rf.shape[0])
        n = tensor_norm(A)
        if best is None or n < best[0]:
            best = (n, A)
    A = best[1]
    if B.is_mp(R):
        A = B.to_mp(A)
    A = A.copy()
    A[-1] = R @ B.inv(product_range(A, 1, ell - 1)) - B.eye(R.shape[0], R)
    return A
