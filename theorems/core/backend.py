"""One small numeric backend: float64 arrays and object arrays of ``mpmath.mpf``.

Every model function is written once against these helpers, so that any instance can be
re-evaluated at high precision (>= 50 digits) by converting its arrays with :func:`to_mp`
— the exact binary floats become exact mpf values — and calling the same code.

Each helper dispatches once on its argument: an object array (or an mpf) is computed with mpmath at
the working precision (:func:`workdps`), anything else with NumPy/LAPACK in float64. The linear
algebra a paper's model needs is here too (:func:`eye`, :func:`matmul_chain`, :func:`inv`,
:func:`det`, :func:`eigh`, :func:`eigvalsh`, :func:`singular_values`, :func:`sigma_min`,
:func:`sigma_max`, :func:`spectral_norm`, :func:`psd_sqrt`), so that no paper writes its own copy
with its own dispatch.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import mpmath
import numpy as np
from scipy.linalg import lapack as _lapack
from scipy.special import expit as _expit

__all__ = [
    "is_mp", "to_mp", "to_float", "exp", "log", "log1p", "sqrt", "tanh", "sigmoid",
    "softplus", "logcosh", "sech2", "abs_", "norm", "row_norms", "spectral_norm", "eigvalsh", "eps",
    "workdps", "DEFAULT_DPS", "asum", "dot", "scalar_like", "eye", "matmul_chain", "inv", "det", "eigh",
    "singular_values", "sigma_min", "sigma_max", "psd_sqrt",
]

DEFAULT_DPS = 60


def is_mp(*xs) -> bool:
    """True if any argument is (or contains) an mpmath number."""
    for x in xs:
        if isinstance(x, np.ndarray):
            if x.dtype == object:
                return True
        elif isinstance(x, (mpmath.mpf, mpmath.mpc)):
            return True
    return False


def to_mp(x):
    """Exact conversion of a float or float array to mpf (object array)."""
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            return x
        out = np.empty(x.shape, dtype=object)
        flat = out.reshape(-1)
        for i, v in enumerate(np.asarray(x, dtype=np.float64).reshape(-1)):
            flat[i] = mpmath.mpf(float(v))
        return out
    if isinstance(x, (int, float, np.floating, np.integer)):
        return mpmath.mpf(float(x))
    return x


def to_float(x):
    """Round an mpf value or object array to float64 (identity on floats)."""
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            return np.array([float(v) for v in x.reshape(-1)], dtype=np.float64).reshape(x.shape)
        return x
    if isinstance(x, (mpmath.mpf,)):
        return float(x)
    return x


def scalar_like(x, like):
    """The number x (an int or float parameter: T, c, δ) in the arithmetic of ``like``: an exact mpf
    if ``like`` is mpmath, else a float."""
    return to_mp(float(x)) if is_mp(like) else float(x)


def _elementwise(npf, mpf):
    def f(x):
        if isinstance(x, np.ndarray) and x.dtype == object:
            out = np.empty(x.shape, dtype=object)
            of, xf = out.reshape(-1), x.reshape(-1)
            for i in range(xf.size):
                of[i] = mpf(xf[i])
            return out
        if isinstance(x, mpmath.mpf):
            return mpf(x)
        return npf(x)
    return f


exp = _elementwise(np.exp, mpmath.exp)
log = _elementwise(np.log, mpmath.log)
log1p = _elementwise(np.log1p, mpmath.log1p)
sqrt = _elementwise(np.sqrt, mpmath.sqrt)
tanh = _elementwise(np.tanh, mpmath.tanh)
abs_ = _elementwise(np.abs, abs)


def _np_sigmoid(z):
    # scipy's expit is a ufunc with the overflow-free two-branch formula (≤ 1e-16 relative error
    # wherever the result is normal; it flushes below ~1e-308): 15× faster than boolean masking
    out = _expit(np.asarray(z, dtype=np.float64))
    return out if out.ndim else float(out)


def _mp_sigmoid(z):
    return 1 / (1 + mpmath.exp(-z))


def _np_softplus(z):
    # log(1 + e^z) without overflow: max(z, 0) + log1p(e^{-|z|})
    z = np.asarray(z, dtype=np.float64)
    out = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return out if out.ndim else float(out)


def _mp_softplus(z):
    return mpmath.log1p(mpmath.exp(z)) if z < 0 else z + mpmath.log1p(mpmath.exp(-z))


def _np_logcosh(x):
    # |x| < 1: log1p(2 sinh²(x/2)) (cosh x − 1 = 2 sinh²(x/2), no cancellation near 0, where the
    # other form loses everything below 1e-16 absolute); otherwise |x| + log1p(e^(−2|x|)) − log 2
    t = np.abs(np.asarray(x, dtype=np.float64))
    small = t < 1.0
    sh = np.sinh(np.where(small, t, 0.0) / 2)
    out = np.where(small, np.log1p(2 * sh * sh), t + np.log1p(np.exp(-2 * t)) - math.log(2.0))
    return out if out.ndim else float(out)


def _mp_logcosh(x):
    sh = mpmath.sinh(x / 2)
    return mpmath.log1p(2 * sh * sh)


def _np_sech2(x):
    # 1/cosh² = 4e/(1 + e)² with e = e^(−2|x|): no overflow, no 1 − tanh² cancellation in the tails
    e = np.exp(-2 * np.abs(np.asarray(x, dtype=np.float64)))
    out = 4 * e / ((1 + e) * (1 + e))
    return out if out.ndim else float(out)


def _mp_sech2(x):
    return 1 / mpmath.cosh(x) ** 2


sigmoid = _elementwise(_np_sigmoid, _mp_sigmoid)
logcosh = _elementwise(_np_logcosh, _mp_logcosh)
sech2 = _elementwise(_np_sech2, _mp_sech2)
softplus = _elementwise(_np_softplus, _mp_softplus)


def asum(x):
    """Sum of all entries (exact-rounding ``fsum`` for mpf, ``math.fsum`` for floats)."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return mpmath.fsum(x.reshape(-1))
    return math.fsum(np.asarray(x, dtype=np.float64).reshape(-1).tolist())


def is_finite(x) -> bool:
    """A scalar (float or mpf) is finite: neither ±inf nor NaN."""
    return bool(mpmath.isfinite(x)) if isinstance(x, mpmath.mpf) else bool(math.isfinite(float(x)))


def last_axis_sum(A):
    """np.sum(A, axis=-1), bit for bit: a float64 last axis of fewer than 8 entries is summed column by
    column, left to right — the order numpy uses below 8 entries (pairwise summation starts there) —
    at a fraction of the cost of numpy's reduction over a short axis."""
    if A.dtype != np.float64 or not 0 < A.shape[-1] < 8:
        return np.sum(A, axis=-1)
    out = A[..., 0].copy()
    for j in range(1, A.shape[-1]):
        out += A[..., j]
    return out


def dot(a, b):
    """Inner product of two vectors (flattened)."""
    a, b = np.asarray(a).reshape(-1), np.asarray(b).reshape(-1)
    if is_mp(a, b):
        return mpmath.fsum(x * y for x, y in zip(a, b))
    return float(np.dot(a, b))


def norm(*vs):
    """Euclidean norm of a vector, or of several arrays taken together (all entries flattened)."""
    # float64 arrays, the common case: the same entries in the same order as below, without the conversions
    if len(vs) == 1 and type(vs[0]) is np.ndarray and vs[0].dtype == np.float64:
        return math.hypot(*vs[0].ravel().tolist())
    if all(type(v) is np.ndarray and v.dtype == np.float64 for v in vs):
        return math.hypot(*[x for v in vs for x in v.ravel().tolist()])
    vs = [np.asarray(v) for v in vs]
    if any(v.dtype == object for v in vs):
        return mpmath.sqrt(mpmath.fsum(x * x for v in vs for x in v.reshape(-1)))
    # math.hypot scales internally: no underflow of Σv² (np.linalg.norm's √(v·v) returns 0 for
    # ‖v‖ ≈ 1e-200, which made a structured λ_min of ~1e-216 vanish) and no overflow either
    return math.hypot(*[x for v in vs for x in np.asarray(v, dtype=np.float64).reshape(-1).tolist()])


def row_norms(A):
    """Euclidean norm of each row of a matrix (‖x_i‖, ‖φ_i‖, ‖z_i‖ of the samples)."""
    if A.dtype == object:
        return np.array([norm(r) for r in A], dtype=object)
    return np.sqrt(np.einsum("ij,ij->i", A, A))


def eigvalsh(M):
    """Eigenvalues (ascending) of a symmetric matrix."""
    M = np.asarray(M)
    if M.dtype == object:
        n = M.shape[0]
        if n == 0:
            return np.empty(0, dtype=object)
        A = mpmath.matrix(M.tolist())
        E = mpmath.eigsy(A, eigvals_only=True)
        vals = sorted(E[i] for i in range(n))
        return np.array(vals, dtype=object)
    if M.size == 0:
        return np.empty(0)
    # LAPACK dsyev directly: the same QR-algorithm eigenvalues as np.linalg.eigvalsh at half its
    # call overhead on the small matrices of the claims' hot paths (15 vs 30 µs at 17 × 17)
    vals, _, info = _lapack.dsyev(np.asarray(M, dtype=np.float64), compute_v=0)
    if info != 0:
        raise np.linalg.LinAlgError(f"dsyev failed (info = {info}) on a {M.shape} matrix")
    return vals


def spectral_norm(M):
    """Largest singular value of a matrix (the paper's ‖·‖ on matrices)."""
    M = np.asarray(M)
    if M.size == 0:
        return mpmath.mpf(0) if M.dtype == object else 0.0
    if M.dtype == object:
        G = M.T @ M if M.shape[0] >= M.shape[1] else M @ M.T
        top = eigvalsh(G)[-1]
        return mpmath.sqrt(max(top, mpmath.mpf(0)))
    # the largest singular value, as np.linalg.norm(M, 2) computes it, straight from LAPACK's
    # dgesdd without numpy's wrapper (this sits on every Theorem 1/2 evaluation: 12 → 8 µs)
    out = _lapack.dgesdd(np.asarray(M, dtype=np.float64), compute_uv=0)
    if out[-1] != 0:
        raise np.linalg.LinAlgError(f"dgesdd failed (info = {out[-1]}) on a {M.shape} matrix")
    return float(out[1][0])


def eps(*xs) -> float:
    """Unit roundoff of the backend the arguments live in."""
    if is_mp(*xs):
        return float(mpmath.mpf(2) ** (-mpmath.mp.prec))
    return float(np.finfo(np.float64).eps)


def above_rounding(v, terms) -> bool:
    """Whether the float64 vector ``v``, computed as sums whose terms' absolute values sum to
    ``terms`` (same shape), is non-zero beyond its rounding (64 ulps of its terms): what a
    construction checks before dividing by ‖v‖ (a residue of cancellation would blow up)."""
    v, terms = np.asarray(v, dtype=np.float64), np.asarray(terms, dtype=np.float64)
    return bool(np.linalg.norm(v) > 64 * eps() * np.linalg.norm(terms))


# ---------------------------------------------------------------------------- linear algebra
# A float64 input may be symmetric or PSD only up to the rounding of the float64 computation that
# produced it (Σ = Xᵀ(pX) through BLAS is symmetric to a few ulps, a rank-deficient Σ may have an
# eigenvalue of −1e-17·‖Σ‖). Carried exactly to 60 digits it keeps those defects, so the slack of
# psd_sqrt is float64's unit roundoff in *both* arithmetics: the same matrix is accepted (or
# rejected) at either precision, and an engine re-check never fails where float64 passed.
_STRUCTURE_ULPS = 64
_U64 = 2.0 ** -53


def _square(M, name: str):
    M = np.asarray(M)
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise ValueError(f"argument {name!r}: expected a square matrix, got shape {M.shape}")
    return M


def _mp_matrix(M):
    return mpmath.matrix(M.tolist()) if M.size else mpmath.matrix(0, 0)


def _from_mp(A, shape):
    out = np.empty(shape, dtype=object)
    for i in range(shape[0]):
        for j in range(shape[1]):
            out[i, j] = A[i, j]
    return out


def eye(n: int, like=None):
    """Id_n in the arithmetic of ``like``: an object array of exact mpf 0 and 1 when ``like`` is
    mpmath, else float64 (``like=None``: float64)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"argument 'n': expected a non-negative int, got {n!r}")
    if like is not None and is_mp(like):
        out = np.full((n, n), mpmath.mpf(0), dtype=object)
        for i in range(n):
            out[i, i] = mpmath.mpf(1)
        return out
    return np.eye(int(n))


def matmul_chain(mats):
    """The product of the matrices in ``mats`` in the order written: ``matmul_chain([A, B, C])`` is
    A @ B @ C (the paper's (Id + A_ℓ)…(Id + A_1) is ``matmul_chain(factors[::-1])``). Evaluated left
    to right; if any factor is mpmath, every factor is carried to mpmath exactly first."""
    mats = [np.asarray(M) for M in mats]
    if not mats:
        raise ValueError("argument 'mats': the product of no matrices has no size; pass at least one")
    for i, M in enumerate(mats):
        if M.ndim != 2:
            raise ValueError(f"argument 'mats': entry {i} has shape {M.shape}, expected a matrix")
        if i and mats[i - 1].shape[1] != M.shape[0]:
            raise ValueError(f"argument 'mats': entry {i - 1} has {mats[i - 1].shape[1]} columns but entry {i} "
                             f"has {M.shape[0]} rows")
    if is_mp(*mats):
        mats = [to_mp(M) for M in mats]
    out = mats[0]
    for M in mats[1:]:
        out = out @ M
    return out


def inv(M):
    """M⁻¹; a singular M raises ``np.linalg.LinAlgError`` (a ``ValueError``) naming the argument."""
    M = _square(M, "M")
    if M.dtype == object:
        if not M.size:
            return np.empty((0, 0), dtype=object)
        try:
            return _from_mp(mpmath.inverse(_mp_matrix(M)), M.shape)
        except ZeroDivisionError:
            raise np.linalg.LinAlgError(f"argument 'M': singular at {mpmath.mp.dps} digits, no inverse") from None
    try:
        return np.linalg.inv(np.asarray(M, dtype=np.float64))
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError("argument 'M': singular in float64, no inverse") from None


def det(M):
    """det M (1 for a 0 × 0 matrix): LU with partial pivoting in either arithmetic."""
    M = _square(M, "M")
    if M.dtype == object:
        return mpmath.det(_mp_matrix(M)) if M.size else mpmath.mpf(1)
    return float(np.linalg.det(np.asarray(M, dtype=np.float64))) if M.size else 1.0


def eigh(M):
    """(λ, Q) of a symmetric matrix: eigenvalues ascending, orthonormal eigenvectors as the columns
    of Q (M = Q diag(λ) Qᵀ). mpmath: ``mpmath.eigsy`` at the working precision; float64: LAPACK via
    ``np.linalg.eigh`` (which reads only the lower triangle — symmetry is the caller's hypothesis)."""
    M = _square(M, "M")
    n = M.shape[0]
    if M.dtype == object:
        if n == 0:
            return np.empty(0, dtype=object), np.empty((0, 0), dtype=object)
        E, Q = mpmath.eigsy(_mp_matrix(M))
        order = sorted(range(n), key=lambda i: E[i])
        vals = np.array([E[i] for i in order], dtype=object)
        vecs = np.empty((n, n), dtype=object)
        for r in range(n):
            for c, i in enumerate(order):
                vecs[r, c] = Q[r, i]
        return vals, vecs
    return np.linalg.eigh(np.asarray(M, dtype=np.float64))


def singular_values(M):
    """Singular values of an m × n matrix, descending (min(m, n) of them). mpmath: ``mpmath.svd_r``
    at the working precision (not √eig(MᵀM), which would lose the small ones); float64: LAPACK
    dgesdd."""
    M = np.asarray(M)
    if M.ndim != 2:
        raise ValueError(f"argument 'M': expected a matrix, got shape {M.shape}")
    if M.dtype == object:
        if not M.size:
            return np.empty(0, dtype=object)
        S = mpmath.svd_r(_mp_matrix(M), compute_uv=False)
        return np.array(sorted((S[i] for i in range(min(M.shape))), reverse=True), dtype=object)
    if not M.size:
        return np.empty(0)
    out = _lapack.dgesdd(np.asarray(M, dtype=np.float64), compute_uv=0)
    if out[-1] != 0:
        raise np.linalg.LinAlgError(f"dgesdd failed (info = {out[-1]}) on a {M.shape} matrix")
    return out[1]


def sigma_min(M):
    """The smallest of the min(m, n) singular values (0 for a rank-deficient square matrix)."""
    s = singular_values(M)
    if not len(s):
        raise ValueError(f"argument 'M': a {np.shape(M)} matrix has no singular values")
    return s[-1]


def sigma_max(M):
    """The largest singular value: the same number as :func:`spectral_norm` (the paper's ‖M‖)."""
    if np.ndim(M) != 2:
        raise ValueError(f"argument 'M': expected a matrix, got shape {np.shape(M)}")
    return spectral_norm(M)


def psd_sqrt(S, *, name: str = "S"):
    """S^{1/2}: the symmetric positive semidefinite B with B² = S, as Q diag(√λ) Qᵀ.

    ``S`` must be symmetric and PSD up to float64 rounding of its entries — max|S − Sᵀ| and −λ_min
    at most 64·n·2⁻⁵³·max|S| (resp. ·max|λ|), in both arithmetics (see ``_STRUCTURE_ULPS``) — else
    ValueError naming the argument (``name``). Within that slack the symmetric part is used and
    eigenvalues below 0 are clipped to 0: the root of the nearest PSD matrix."""
    S = _square(S, name)
    n = S.shape[0]
    if n == 0:
        return S.copy()
    mp = S.dtype == object
    if not mp:
        S = np.asarray(S, dtype=np.float64)
    if not all(is_finite(v) for v in S.reshape(-1)):
        raise ValueError(f"argument {name!r}: has a non-finite entry")
    big = max(abs(v) for v in S.reshape(-1))
    asym = max(abs(v) for v in (S - S.T).reshape(-1))
    slack = _STRUCTURE_ULPS * n * _U64
    if asym > slack * big:
        raise ValueError(f"argument {name!r}: not symmetric (max |S − Sᵀ| = {float(asym):.3g}, beyond rounding of "
                         f"entries of size {float(big):.3g})")
    sym = (S + S.T) / 2
    vals, Q = eigh(sym)
    top = max(abs(vals[0]), abs(vals[-1]))
    if vals[0] < -slack * top:
        raise ValueError(f"argument {name!r}: not positive semidefinite (λ_min = {float(vals[0]):.3g} < 0 beyond "
                         f"rounding, λ_max = {float(vals[-1]):.3g})")
    zero = mpmath.mpf(0) if mp else 0.0
    roots = np.array([sqrt(v) if v > zero else zero for v in vals], dtype=object if mp else np.float64)
    R = (Q * roots) @ Q.T
    return (R + R.T) / 2


@contextmanager
def workdps(dps: int):
    """Work at ``dps`` decimal digits inside the block (mpmath's working precision), restored after."""
    with mpmath.workdps(dps):
        yield
