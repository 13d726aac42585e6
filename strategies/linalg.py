"""Generic matrix strategies (any paper): orthogonal matrices, matrices in a spectral-norm ball, PSD
matrices of controlled conditioning or exact rank, rank-deficient matrices, covariance matrices.

Style of ``strategies.core``: keyword-only options, ``InvalidArgument`` naming a bad argument, valid by
construction (no ``assume``), and each matrix costs Hypothesis a few choices — a named *corner* (the
structured family it comes from, simplest first so that shrinking reaches it), a scale exponent and a
32-bit seed that NumPy expands. With ``labelled=True`` a strategy returns ``(corner, matrix)``, so that a
paper's instance strategy can record the corner in its ``meta["corner"]`` (the engine polishes from
one instance per corner and reports them).

Validity holds for the float64 matrix *as exact binary numbers*, i.e. at 60 digits too, so the engine's
high-precision re-check sees the same hypotheses as float64:

- an exact rank or an exact zero eigenvalue is built from small-integer factors scaled by a power of
  2: every product and sum is exact in float64 (no rounding can lift a zero singular value);
- a condition-number bound leaves room for the rounding of Q diag(λ) Qᵀ (see ``psd_matrix``);
- the ball ‖A‖ ≤ τ is certified at 60 digits on its boundary (see ``ball_matrix``).

The pure builders (``orthogonal_matrix``, ``ball_matrix``, ``psd_matrix``, ``rank_deficient_matrix``)
take a corner and a seed, for a paper's own strategies to call.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .core import MAX_EXP, MIN_EXP, cached_strategy, check_bool, check_choice, check_int

__all__ = ["orthogonal_matrices", "spectral_ball_matrices", "psd_matrices", "rank_deficient_matrices",
           "covariances", "orthogonal_matrix", "ball_matrix", "psd_matrix", "rank_deficient_matrix",
           "ORTHOGONAL_CORNERS", "BALL_CORNERS", "BOUNDARY_CORNERS", "PSD_KINDS", "RANK_CORNERS",
           "COVARIANCE_KINDS", "WELL_CONDITIONED", "MAX_CONDITION"]

ORTHOGONAL_CORNERS = ("identity", "signed permutation", "reflection", "rotation", "haar")
BALL_CORNERS = ("zero", "-tau*I", "tau*I", "rank-one", "boundary", "interior")
BOUNDARY_CORNERS = ("-tau*I", "tau*I", "rank-one", "boundary")        # ‖A‖ = τ up to a few ulps
PSD_KINDS = ("well-conditioned", "ill-conditioned", "singular")
RANK_CORNERS = ("zero", "zero columns", "zero rows", "dyadic factors")
COVARIANCE_KINDS = ("scaled identity", "diagonal", "well-conditioned", "ill-conditioned", "singular", "sample")
WELL_CONDITIONED = 10.0          # κ(S) ≤ 10 for the "well-conditioned" kind
MAX_CONDITION = 1e10             # the largest condition bound a float64 Q diag(λ) Qᵀ honours (psd_matrix)
MAX_DIM = 64
_SEED = st.integers(0, 2**32 - 1)
_CERT_DPS = 60
_INT_BOUND = 2**10               # integer factor entries: products and sums stay exact in float64
_LOG2_10 = math.log2(10.0)


def _rng(seed):
    return np.random.Generator(np.random.PCG64(seed))


def _pow2(E):
    """2^k with 2^k ≈ 10^E: an exact scale for the integer constructions."""
    return 2.0 ** round(E * _LOG2_10)


def _check_exps(min_exp, max_exp):
    check_int("min_exp", min_exp, -12, 12)
    check_int("max_exp", max_exp, -12, 12)
    if min_exp > max_exp:
        raise InvalidArgument(f"min_exp={min_exp} must be <= max_exp={max_exp}")


def _check_real(name, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidArgument(f"{name}={value!r} must be a real number")
    if not (math.isfinite(float(value)) and lo <= float(value) <= hi):
        raise InvalidArgument(f"{name}={value!r} must be finite and in [{lo:g}, {hi:g}]")
    return float(value)


def _check_name(name, value, allowed):
    if value not in allowed:
        raise InvalidArgument(f"{name}={value!r} must be one of {list(allowed)}")


def _label(corner, A, labelled):
    return (corner, A) if labelled else A


# ---------------------------------------------------------------------------- orthogonal matrices

def _haar(rng, n):
    """A Haar-distributed orthogonal matrix: QR of a Gaussian with R's diagonal made positive."""
    Q, R = np.linalg.qr(rng.normal(size=(n, n)))
    return Q * np.sign(np.where(np.diag(R) == 0, 1.0, np.diag(R)))


def orthogonal_matrix(corner: str, n: int, seed: int) -> np.ndarray:
    """An n × n orthogonal matrix of a corner: "identity"; "signed permutation" (exactly orthogonal);
    "reflection" (Householder I − 2vvᵀ/vᵀv, det −1); "rotation" (Haar with det +1); "haar". QᵀQ = I to
    ~n ulps (LAPACK's Householder QR)."""
    _check_name("corner", corner, ORTHOGONAL_CORNERS)
    rng = _rng(seed)
    if corner == "identity":
        return np.eye(n)
    if corner == "signed permutation":
        P = np.eye(n)[rng.permutation(n)]
        return P * rng.choice([-1.0, 1.0], size=n)
    if corner == "reflection":
        v = rng.normal(size=n)
        return np.eye(n) - (2.0 / (v @ v)) * np.outer(v, v)
    Q = _haar(rng, n)
    if corner == "rotation" and np.linalg.det(Q) < 0:
        Q[:, 0] = -Q[:, 0]
    return Q


def orthogonal_matrices(n: int, *, corners=None, labelled: bool = False):
    """n × n orthogonal matrices (QᵀQ = I to ~n ulps) from ``ORTHOGONAL_CORNERS`` (default all):
    identity, signed permutations, reflections, rotations (det +1) and Haar draws."""
    check_int("n", n, 1, MAX_DIM)
    corners = tuple(check_choice("corners", corners, ORTHOGONAL_CORNERS) or ORTHOGONAL_CORNERS)
    check_bool("labelled", labelled)
    return cached_strategy(_orthogonal_strategy, int(n), corners, labelled)


def _orthogonal_strategy(n, corners, labelled):
    @st.composite
    def draw_it(draw):
        corner = draw(st.sampled_from(corners), label="orthogonal corner")
        return _label(corner, orthogonal_matrix(corner, n, draw(_SEED, label="orthogonal seed")), labelled)
    return draw_it()


# ---------------------------------------------------------------------------- the spectral-norm ball

def _in_ball(A, tau) -> bool:
    """‖A‖ ≤ τ certified at 60 digits on the exact binary entries: τ²I − AᵀA is positive
    semidefinite, read off an LDLᵀ factorisation whose pivots must all exceed 2⁻¹⁵⁰τ² (the
    factorisation's rounding is ~1e-58·τ²; a pivot below the threshold counts as a failure, so a
    matrix on the sphere to 60 digits is nudged inward too)."""
    n = A.shape[1]
    with mpmath.workdps(_CERT_DPS):
        t2 = mpmath.mpf(float(tau)) ** 2
        Am = [[mpmath.mpf(float(v)) for v in row] for row in A]
        M = [[(t2 if i == j else 0) - mpmath.fsum(Am[k][i] * Am[k][j] for k in range(A.shape[0]))
              for j in range(n)] for i in range(n)]
        floor = t2 * mpmath.mpf(2) ** -150
        for j in range(n):
            d = M[j][j]
            if not d > floor:
                return False
            for i in range(j + 1, n):
                f = M[i][j] / d
                for k in range(j + 1, i + 1):
                    M[i][k] -= f * M[k][j]
    return True


def _onto_sphere(A, tau):
    """A scaled to ‖A‖ = τ as closely as float64 allows while ‖A‖ ≤ τ holds at 60 digits: scale by
    τ/σ̂ (σ̂ LAPACK's ‖A‖), then, while the 60-digit certificate fails, multiply the scaled matrix by
    1 − 2^k·2⁻⁵³ for k = 1, 2, … (a uniform shrink, exactly representable; an entrywise nudge by one
    ulp each would not be monotone in ‖·‖). The result is within a factor 2 of the smallest such
    shrink: measured ‖A‖ ≥ τ(1 − 2⁻⁴⁷) for n ≤ 6 (tests/test_linalg_strategies.py). A subnormal τ
    gets halvings beyond that (the sphere is not representable there)."""
    s = float(np.linalg.norm(A, 2))
    if s == 0.0:
        return np.zeros_like(A)
    base = A * (tau / s)
    if _in_ball(base, tau):
        return base
    for k in range(1, 53):
        cand = base * (1.0 - 2.0 ** (k - 53))
        if _in_ball(cand, tau):
            return cand
    # only for a subnormal τ (e.g. 5e-324), where τ/σ̂ rounds up by whole ulps and a shrink rounds back:
    # halve until certified (the zero matrix is, as τ > 0)
    while not _in_ball(cand, tau):
        cand = cand * 0.5
    return cand


def ball_matrix(corner: str, n: int, tau: float, seed: int) -> np.ndarray:
    """An n × n matrix with ‖A‖ ≤ τ (spectral norm, certified on the exact entries):

    "zero"; "-tau*I" and "tau*I" (‖A‖ = τ exactly: fl(±τ) = ±τ); "rank-one" (τ·x yᵀ/(‖x‖‖y‖)) and
    "boundary" (a Gaussian matrix) scaled onto the sphere ‖A‖ = τ as far as float64 allows and
    certified ≤ τ at 60 digits (``_onto_sphere``); "interior": ‖A‖ = cτ with c ≤ 1 − 2⁻³⁶ (sometimes
    within 2⁻³⁶…2⁻¹⁰ of 1), where the rounding of the scaling (≲ (n + 3)·2⁻⁵³ relative) cannot reach
    τ, so no certificate is needed."""
    _check_name("corner", corner, BALL_CORNERS)
    rng = _rng(seed)
    tau = float(tau)
    if corner == "zero" or tau == 0.0:
        return np.zeros((n, n))
    if corner in ("-tau*I", "tau*I"):
        return np.diag(np.full(n, -tau if corner == "-tau*I" else tau))
    if corner == "rank-one":
        return _onto_sphere(np.outer(rng.normal(size=n), rng.normal(size=n)), tau)
    G = rng.normal(size=(n, n))
    if corner == "boundary":
        return _onto_sphere(G, tau)
    c = 1.0 - 2.0 ** -float(rng.integers(10, 37)) if rng.random() < 0.3 else rng.uniform(0.0, 1.0 - 2.0 ** -10)
    return G * (c * tau / float(np.linalg.norm(G, 2)))


def spectral_ball_matrices(n: int, tau: float, *, boundary: bool = True, corners=None, labelled: bool = False):
    """n × n matrices A with ‖A‖ ≤ τ (spectral norm) from ``BALL_CORNERS``: the zero matrix, −τI, τI,
    rank-one matrices on the sphere, generic matrices on the sphere (‖A‖ = τ to a few ulps, never
    above τ at 60 digits: see ``ball_matrix``) and in the interior.

    ``boundary=False`` draws only ‖A‖ < τ (corners "zero" and "interior", strictly inside at 60
    digits); naming a boundary corner with it is an InvalidArgument. ``tau`` ∈ [0, 1e100]."""
    check_int("n", n, 1, MAX_DIM)
    tau = _check_real("tau", tau, 0.0, 1e100)
    check_bool("boundary", boundary)
    allowed = BALL_CORNERS if boundary else tuple(c for c in BALL_CORNERS if c not in BOUNDARY_CORNERS)
    if not boundary and corners is not None and not isinstance(corners, str):
        on_sphere = [c for c in corners if c in BOUNDARY_CORNERS]
        if on_sphere:
            raise InvalidArgument(f"corners={list(corners)!r}: {on_sphere} lie on the sphere ‖A‖ = τ, "
                                  f"but boundary=False asks for ‖A‖ < τ")
    corners = tuple(check_choice("corners", corners, allowed) or allowed)
    check_bool("labelled", labelled)
    return cached_strategy(_ball_strategy, int(n), tau, corners, labelled)


def _ball_strategy(n, tau, corners, labelled):
    @st.composite
    def draw_it(draw):
        corner = draw(st.sampled_from(corners), label="ball corner")
        return _label(corner, ball_matrix(corner, n, tau, draw(_SEED, label="ball seed")), labelled)
    return draw_it()


# ---------------------------------------------------------------------------- exact-rank integer factors

def _full_column_rank_ints(rng, rows, r):
    """A rows × r integer matrix of rank exactly r: a row permutation of [T; M] with T upper
    triangular with a non-zero diagonal, entries |·| ≤ 2¹⁰."""
    b = _INT_BOUND
    T = np.triu(rng.integers(-b, b + 1, size=(r, r))).astype(np.float64)
    T[np.diag_indices(r)] = rng.integers(1, b + 1, size=r) * rng.choice([-1.0, 1.0], size=r)
    M = rng.integers(-b, b + 1, size=(rows - r, r)).astype(np.float64)
    return np.concatenate([T, M])[rng.permutation(rows)]


def rank_deficient_matrix(corner: str, m: int, n: int, rank: int, seed: int, E: int = 0) -> np.ndarray:
    """An m × n matrix of rank exactly ``rank`` (in exact arithmetic, hence at 60 digits), entries of
    size ~10^E: "zero" (rank 0), "zero columns" (n − rank zero columns, the others independent),
    "zero rows" (likewise for rows), "dyadic factors" (L·R with integer L of full column rank and R
    of full row rank, scaled by a power of 2: every product and sum is exact in float64)."""
    _check_name("corner", corner, RANK_CORNERS)
    rng = _rng(seed)
    if corner == "zero" or rank == 0:
        return np.zeros((m, n))
    scale = _pow2(E) * 2.0 ** -10
    if corner == "zero columns":
        A = np.zeros((m, n))
        A[:, np.sort(rng.choice(n, size=rank, replace=False))] = _full_column_rank_ints(rng, m, rank)
        return A * scale
    if corner == "zero rows":
        A = np.zeros((m, n))
        A[np.sort(rng.choice(m, size=rank, replace=False)), :] = _full_column_rank_ints(rng, n, rank).T
        return A * scale
    L = _full_column_rank_ints(rng, m, rank)
    R = _full_column_rank_ints(rng, n, rank).T
    return (L @ R) * (scale * 2.0 ** -10)      # |entries of L R| ≤ rank·2²⁰ < 2⁵³: exact


def rank_deficient_matrices(m: int, n: int, *, rank=None, corners=None, min_exp: int = MIN_EXP,
                            max_exp: int = MAX_EXP, labelled: bool = False):
    """m × n matrices of rank exactly r < min(m, n) (exact, so at 60 digits too) from ``RANK_CORNERS``.

    ``rank``: an int in [0, min(m, n) − 1], or None to draw it (shrinking toward 0, the zero
    matrix). Entries have magnitude ~10^E, E ∈ [min_exp, max_exp]."""
    check_int("m", m, 1, MAX_DIM)
    check_int("n", n, 1, MAX_DIM)
    if min(m, n) < 2 and rank is None:
        rank = 0
    if rank is not None:
        check_int("rank", rank, 0, min(m, n) - 1)
    _check_exps(min_exp, max_exp)
    # rank 0 is the zero matrix, and the zero corner has rank 0
    allowed = RANK_CORNERS if rank is None else (("zero",) if rank == 0 else RANK_CORNERS[1:])
    corners = tuple(check_choice("corners", corners, allowed) or allowed)
    check_bool("labelled", labelled)
    return cached_strategy(_rank_strategy, int(m), int(n), rank, corners, min_exp, max_exp, labelled)


def _rank_strategy(m, n, rank, corners, min_exp, max_exp, labelled):
    ranks = st.integers(1, min(m, n) - 1) if min(m, n) >= 2 else st.just(0)

    @st.composite
    def draw_it(draw):
        corner = draw(st.sampled_from(corners), label="rank corner")
        r = rank if rank is not None else (0 if corner == "zero" else draw(ranks, label="rank"))
        E = draw(st.integers(min_exp, max_exp), label="scale exponent")
        A = rank_deficient_matrix(corner, m, n, r, draw(_SEED, label="rank seed"), E)
        return _label(corner if r else "zero", A, labelled)
    return draw_it()


# ---------------------------------------------------------------------------- PSD and covariance matrices

def _spectrum_matrix(rng, n, lam_max, kappa):
    """Q diag(λ) Qᵀ, Q Haar, λ log-uniform in [λ_max/κ, λ_max] with both ends attained, computed as
    B Bᵀ (B = Q diag(√λ)) and symmetrised exactly ((S + Sᵀ)/2 is symmetric bit for bit)."""
    if n == 1:
        return np.array([[lam_max]])
    lam = lam_max * 10.0 ** -rng.uniform(0.0, math.log10(kappa), n)
    lam[0], lam[1] = lam_max, lam_max / kappa
    Bm = _haar(rng, n) * np.sqrt(lam)
    S = Bm @ Bm.T
    return (S + S.T) / 2


def psd_matrix(kind: str, n: int, seed: int, E: int = 0, max_condition: float = 1e8) -> np.ndarray:
    """An n × n symmetric PSD matrix of a kind (PSD_KINDS or COVARIANCE_KINDS), largest eigenvalue ~10^E:

    - "well-conditioned": κ ≤ WELL_CONDITIONED; "ill-conditioned": κ log-uniform in
      [√max_condition, max_condition] (n ≥ 2; κ = 1 at n = 1). The target κ is drawn ≤
      (1 − 2⁻¹⁰)·bound: the float64 product perturbs each eigenvalue by ≲ n²·2⁻⁵³·λ_max (Q's own
      error only scales eigenvalues by 1 ± O(n·2⁻⁵³): Ostrowski), i.e. λ_min by ≲ 4e-5 relative at
      κ = MAX_CONDITION and n = 6, well inside that room — so κ(S) ≤ bound and S ≻ 0 hold exactly;
    - "singular": 2^k·G Gᵀ with G an n × r integer matrix of full column rank, r ∈ [0, n − 1]: exactly
      PSD, symmetric and of rank r (every product and sum exact);
    - "scaled identity": 10^E·I; "diagonal": non-negative diagonal, some entries 0;
    - "sample": 2^k·XᵀX for an N × n integer sample X, N ∈ [1, 2n] (singular when N < n): an
      unnormalised second moment, exact."""
    _check_name("kind", kind, COVARIANCE_KINDS)
    rng = _rng(seed)
    lam_max = 10.0 ** E
    if kind == "well-conditioned":
        return _spectrum_matrix(rng, n, lam_max, 1.0 + (WELL_CONDITIONED * (1 - 2.0 ** -10) - 1.0) * rng.random())
    if kind == "ill-conditioned":
        lo = 0.5 * math.log10(max_condition)
        kappa = 10.0 ** rng.uniform(lo, math.log10(max_condition)) * (1 - 2.0 ** -10)
        return _spectrum_matrix(rng, n, lam_max, kappa)
    if kind == "scaled identity":
        return lam_max * np.eye(n)
    if kind == "diagonal":
        d = lam_max * 10.0 ** -rng.uniform(0.0, 3.0, n)
        d[rng.random(n) < 0.25] = 0.0
        return np.diag(d)
    scale = _pow2(E)
    if kind == "singular":
        r = int(rng.integers(0, n))
        if r == 0:
            return np.zeros((n, n))
        G = _full_column_rank_ints(rng, n, r)
        return (G @ G.T) * (scale * 2.0 ** -20)          # |entries| ≤ r·2²⁰ < 2⁵³: exact
    N = int(rng.integers(1, 2 * n + 1))
    X = rng.integers(-2**8, 2**8 + 1, size=(N, n)).astype(np.float64)
    return (X.T @ X) * (scale * 2.0 ** -(16 + math.ceil(math.log2(N))))    # a power of 2 ≈ 1/N: exact


def _check_condition(max_condition):
    return _check_real("max_condition", max_condition, WELL_CONDITIONED, MAX_CONDITION)


def psd_matrices(n: int, *, kinds=None, max_condition: float = 1e8, min_exp: int = MIN_EXP,
                 max_exp: int = MAX_EXP, labelled: bool = False):
    """n × n symmetric positive semidefinite matrices of the kinds in ``PSD_KINDS`` (default all):
    well-conditioned (κ ≤ 10), ill-conditioned (κ up to ``max_condition`` ∈ [10, 1e10]) and singular
    (exact rank < n). Symmetric bit for bit; PSD, κ and rank hold exactly (see ``psd_matrix``);
    largest eigenvalue ~10^E, E ∈ [min_exp, max_exp]."""
    check_int("n", n, 1, MAX_DIM)
    kinds = tuple(check_choice("kinds", kinds, PSD_KINDS) or PSD_KINDS)
    max_condition = _check_condition(max_condition)
    _check_exps(min_exp, max_exp)
    check_bool("labelled", labelled)
    return cached_strategy(_psd_strategy, int(n), kinds, max_condition, min_exp, max_exp, labelled)


def covariances(n: int, *, kinds=None, max_condition: float = 1e8, min_exp: int = MIN_EXP,
                max_exp: int = MAX_EXP, labelled: bool = False):
    """n × n covariance (second-moment) matrices mixing ``COVARIANCE_KINDS``: a scaled identity, a
    diagonal with zero variances, the three ``psd_matrices`` kinds, and an exact sample second moment
    (singular when the sample has fewer than n points). Same guarantees as ``psd_matrices``."""
    check_int("n", n, 1, MAX_DIM)
    kinds = tuple(check_choice("kinds", kinds, COVARIANCE_KINDS) or COVARIANCE_KINDS)
    max_condition = _check_condition(max_condition)
    _check_exps(min_exp, max_exp)
    check_bool("labelled", labelled)
    return cached_strategy(_psd_strategy, int(n), kinds, max_condition, min_exp, max_exp, labelled)


def _psd_strategy(n, kinds, max_condition, min_exp, max_exp, labelled):
    @st.composite
    def draw_it(draw):
        kind = draw(st.sampled_from(kinds), label="PSD kind")
        E = draw(st.integers(min_exp, max_exp), label="scale exponent")
        S = psd_matrix(kind, n, draw(_SEED, label="PSD seed"), E, max_condition)
        return _label(kind, S, labelled)
    return draw_it()
