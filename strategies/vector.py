"""Strategies for Appendix A's vector-valued model: points (W, V, W*) and probe starts (the vector
SGD strategies are in ``strategies.sgd``).

- ``vector_points(rank="full"|"deficient"|"any", ...)``: ``VectorPoint`` instances with losses
  softmax cross-entropy (one-hot targets), ½‖p − y‖² and their non-negative combinations, f_θ
  drawn from ``strategies.model.feature_maps``. ``rank="full"`` builds W of full row rank by
  construction (m ≤ d and condition number ≤ 10⁶: singular values below 10⁻⁶·s_max are lifted);
  with κ = 10², 10⁴, 10⁵ or 10⁶ set on purpose in a third of the draws (``with_condition``);
  ``full_rank_points``, ``any_rank_points``, ``square_points`` and ``directional_vector_points``
  are its forms for Lemma 3 and Theorem 6.
- ``theorem6_attaining_points(...)``: Theorem 6 attained (or tight up to Eq. 20 at κ > 1), and
  ``rank_deficient_stationary_points(...)``: stationary points above F_lin(W*) with W rank-deficient
  (both from ``theorems.model.vector.constructions``).
- ``row_rank_matrices(...)``: ``RowRankMatrix`` (W alone) for the SVD sentence of Theorem 6's proof.
- ``probe_points(...)``: ``VectorPoint`` with ``extras["starts"]`` (S × (md + dk)) for the
  Remark 2 probe, rank-deficient W starts (rank ≤ 1, zero rows, W = 0, m > d) in particular.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model import vector as VM
from theorems.model.vector import constructions as VC
from theorems.model.vector import matrix as VMX

from .core import (
    cached_strategy,
    check_bool,
    check_choice,
    check_int,
    forwards_filters,
    probability_vectors,
    scaled_arrays,
    scaled_floats,
)
from .model import feature_maps

__all__ = ["vector_losses", "vector_samples", "vector_points", "full_rank_points", "any_rank_points", "square_points",
           "directional_vector_points", "probe_points", "with_condition",
           "theorem6_attaining_points", "rank_deficient_stationary_points", "row_rank_matrices",
           "VECTOR_LOSSES", "VECTOR_CORNERS", "RANKS"]

VECTOR_LOSSES = ("softmax_ce", "squared", "combination")
VECTOR_CORNERS = ("generic", "W_star=-W", "W_star=W", "W_star=0", "V=0")
RANKS = ("full", "deficient", "any")
START_KINDS = ("generic", "rank_one", "zero_row", "zero_W", "tiny")
_FEATURES = ("relu", "leaky_relu", "tanh", "maxpool", "residual", "zero", "constant", "duplicated",
             "rank_deficient", "bias_augmented")
P_LIMIT = 1e6      # |predictions| ≤ 10⁶: every loss is finite and its derivatives meaningful in float64


@st.composite
def _vlosses(draw, names):
    how = draw(st.sampled_from(names), label="vector loss")
    if how != "combination":
        return VM.by_name(how)
    coef = st.floats(1e-3, 3.0)
    return VM.combination([(draw(coef, label="c_ce"), VM.softmax_ce()), (draw(coef, label="c_sq"), VM.squared())])


def vector_losses(*, names=None):
    """softmax_ce, squared, or a positive combination of the two."""
    names = check_choice("names", names, VECTOR_LOSSES) or list(VECTOR_LOSSES)
    return cached_strategy(_vlosses, tuple(names))


@st.composite
def _vsamples(draw, targets, max_n, d, m, max_width, feature_kinds):
    n = draw(st.integers(1, max_n), label="n")
    X = draw(scaled_arrays((n, d), min_exp=-2, max_exp=2), label="X")
    f = draw(feature_maps(d, kinds=list(feature_kinds), max_width=max_width, max_depth=3), label="f_theta")
    Phi = np.clip(np.nan_to_num(f(X)), -1e12, 1e12)
    p = draw(probability_vectors(n), label="p")
    if targets == "one-hot":
        labels = np.array(draw(st.tuples(*[st.integers(0, m - 1)] * n), label="labels"))
        return VM.VectorSample.from_labels(X, labels, m, p, Phi), f
    Y = draw(scaled_arrays((n, m), min_exp=-2, max_exp=2), label="Y")
    return VM.VectorSample(X, Y, p, Phi), f


def vector_samples(*, loss=None, max_n: int = 5, d: int = 2, m: int = 2, max_width: int = 4,
                   feature_kinds=None):
    """(VectorSample, FeatureMap) pairs with Phi = f_θ(X) and targets in the loss's domain."""
    check_int("max_n", max_n, 1, 32)
    check_int("d", d, 1, 16)
    check_int("m", m, 1, 16)
    check_int("max_width", max_width, 1, 8)
    kinds = check_choice("feature_kinds", feature_kinds, _FEATURES) or list(_FEATURES)
    loss = loss or VM.squared()
    if not isinstance(loss, VM.VectorLoss):
        raise InvalidArgument(f"loss={loss!r} must be a theorems.model.vector.VectorLoss")
    return cached_strategy(_vsamples, loss.targets, max_n, d, m, max_width, tuple(kinds))


def _full_row_rank(W):
    """Lift singular values below 10⁻⁶·s_max (condition number ≤ 10⁶); W = 0 becomes [I 0]."""
    m, d = W.shape
    U, S, Vt = np.linalg.svd(W, full_matrices=False)
    if S[0] == 0:
        return np.eye(m, d)
    S = np.maximum(S, 1e-6 * S[0])
    return (U * S) @ Vt


def with_condition(W, kappa: float):
    """W with its singular values replaced by s_max·κ^(−j/(m−1)), j = 0…m − 1 (same singular
    vectors): condition number exactly κ up to rounding, s_min = s_max/κ."""
    m = W.shape[0]
    U, S, Vt = np.linalg.svd(W, full_matrices=False)
    S = S[0] * kappa ** (-np.arange(m) / max(m - 1, 1))
    return (U * S) @ Vt


@st.composite
def _vpoints(draw, loss_names, max_n, max_d, max_m, max_width, rank, with_W_star, corners, feature_kinds,
             extras, square):
    loss = draw(vector_losses(names=loss_names), label="loss")
    m_lo = 2 if loss.targets == "one-hot" else 1
    if square:
        d = m = draw(st.integers(max(m_lo, 2), max(max_d, 2)), label="d = m")
    elif rank == "full":
        d = draw(st.integers(m_lo, max_d), label="d")
        m = draw(st.integers(m_lo, min(d, max_m)), label="m")
    else:
        d = draw(st.integers(1, max_d), label="d")
        m = draw(st.integers(m_lo, max_m), label="m")
    s, f = draw(vector_samples(loss=loss, max_n=max_n, d=d, m=m, max_width=max_width,
                               feature_kinds=feature_kinds), label="sample")
    k = s.k
    W = draw(scaled_arrays((m, d), allow_sparse=rank != "full"), label="W")
    if rank == "full":
        W = _full_row_rank(W)
        if m >= 2:
            # ill-conditioned W on purpose (κ = 10², 10⁴, 10⁵, 10⁶): where s_min and the right
            # inverse lose digits, so the tolerances of Lemma 3 / Theorem 6 are exercised there
            e = draw(st.sampled_from((0, 0, 2, 4, 5, 6)), label="log10 condition number")
            if e:
                W = with_condition(W, 10.0 ** e)
    elif rank == "deficient" and m <= d:
        # rank ≤ m − 1 by construction: a rank-(m−1) truncation of the drawn W
        U, S, Vt = np.linalg.svd(W, full_matrices=False)
        S[-1] = 0.0
        W = (U * S) @ Vt
    V = draw(scaled_arrays((d, k)), label="V")
    corner = draw(st.sampled_from(corners), label="corner")
    W_star = draw(scaled_arrays((m, d)), label="W_star") if with_W_star else None
    if corner == "V=0":
        V = np.zeros((d, k))
    if with_W_star:
        alpha = draw(st.floats(0.1, 10.0), label="alpha")
        if corner == "W_star=-W":
            W_star = -alpha * W
        elif corner == "W_star=W":
            W_star = W.copy()
        elif corner == "W_star=0":
            W_star = np.zeros((m, d))
    P = (s.X + s.Phi @ V.T) @ W.T
    pmax = max(np.max(np.abs(P), initial=0.0),
               np.max(np.abs(s.X @ W_star.T), initial=0.0) if W_star is not None else 0.0)
    if pmax > P_LIMIT:
        W = W * (P_LIMIT / pmax)
        if W_star is not None:
            W_star = W_star * (P_LIMIT / pmax)
    ex = {name: draw(strat, label=name) for name, strat in extras(m, d, k).items()} if extras else {}
    return VM.VectorPoint(s, loss, W, V, W_star, ex, {"feature_map": f.describe(), "corner": corner})


def vector_points(*, losses=None, max_n: int = 5, max_d: int = 4, max_m: int = 3, max_width: int = 4,
                  rank: str = "full", with_W_star: bool = True, corners=None, feature_kinds=None,
                  extras=None, square: bool = False):
    """``VectorPoint`` instances of Appendix A.

    ``rank``: "full" (W full row rank by construction, m ≤ d), "deficient" (rank W < m), "any".
    ``square``: d = m (for the literal proof sentence about W(WWᵀ)⁻¹, defined only then).
    ``extras``: optional ``callable(m, d, k) -> {name: strategy}``."""
    loss_names = check_choice("losses", losses, VECTOR_LOSSES) or list(VECTOR_LOSSES)
    check_int("max_n", max_n, 1, 32)
    check_int("max_d", max_d, 1, 8)
    check_int("max_m", max_m, 1, 8)
    check_int("max_width", max_width, 1, 8)
    if rank not in RANKS:
        raise InvalidArgument(f"rank={rank!r} must be one of {RANKS}")
    check_bool("with_W_star", with_W_star)
    check_bool("square", square)
    corners = check_choice("corners", corners, VECTOR_CORNERS) or list(VECTOR_CORNERS)
    kinds = check_choice("feature_kinds", feature_kinds, _FEATURES) or list(_FEATURES)
    if extras is not None and not callable(extras):
        raise InvalidArgument(f"extras={extras!r} must be a callable (m, d, k) -> dict of strategies")
    return _vpoints(tuple(loss_names), max_n, max_d, max_m, max_width, rank, with_W_star, tuple(corners),
                    tuple(kinds), extras, square)


@forwards_filters(vector_points, fixed=("rank",))
def full_rank_points(**filters):
    """Vector points with W of full row rank by construction (Lemma 3, Theorem 6)."""
    if "rank" in filters:
        raise InvalidArgument("rank= is fixed by this claim's hypotheses and cannot be set")
    return vector_points(rank="full", **filters)


@forwards_filters(vector_points, fixed=())
def any_rank_points(**filters):
    """Vector points with W of any rank unless ``rank`` is given (Eq. 21 needs no rank hypothesis)."""
    filters.setdefault("rank", "any")
    return vector_points(**filters)


@forwards_filters(vector_points, fixed=("rank",))
def square_points(**filters):
    """Full-row-rank points with W square (m = d): the printed SVD sentence of Theorem 6's proof."""
    return vector_points(rank="full", square=True, **filters)


def _direction(m, d, k):
    return {"D_W": scaled_arrays((m, d), min_exp=0, max_exp=0), "D_V": scaled_arrays((d, k), min_exp=0, max_exp=0)}


@forwards_filters(vector_points, fixed=("extras", "rank"))
def directional_vector_points(*, rank: str = "any", **filters):
    """Vector points (any rank by default) with a direction (D_W, D_V) for directional derivatives."""
    return vector_points(extras=_direction, rank=rank, **filters)


def _start(draw, kind, m, d, k):
    W = draw(scaled_arrays((m, d), min_exp=-1, max_exp=0, allow_sparse=False), label="W0")
    V = draw(scaled_arrays((d, k), min_exp=-1, max_exp=0, allow_sparse=False), label="V0")
    if kind == "rank_one":
        W = np.outer(W[:, 0], draw(scaled_arrays((d,), min_exp=0, max_exp=0), label="W0 row"))
    elif kind == "zero_row":
        W[draw(st.integers(0, m - 1), label="zero row")] = 0.0
    elif kind == "zero_W":
        W = np.zeros((m, d))
    elif kind == "tiny":
        W = W * 1e-4
    return np.concatenate([W.reshape(-1), V.reshape(-1)])


@st.composite
def _probe(draw, loss_names, max_n, max_d, max_m, max_width, max_starts, start_kinds):
    loss = draw(vector_losses(names=loss_names), label="loss")
    d = draw(st.integers(1, max_d), label="d")
    m = draw(st.integers(2, max_m), label="m")      # m ≥ 2: rank deficiency needs two outputs
    s, f = draw(vector_samples(loss=loss, max_n=max_n, d=d, m=m, max_width=max_width,
                               feature_kinds=("relu", "tanh", "residual", "constant", "rank_deficient")),
                label="sample")
    # bounded data keeps the trust-region runs short: rescale X and Phi to unit max-norm
    X = s.X / max(np.max(np.abs(s.X)), 1e-300)
    Phi = s.Phi / max(np.max(np.abs(s.Phi)), 1e-300) if np.any(s.Phi) else s.Phi
    s = VM.VectorSample(X, s.Y, s.p, Phi)
    S = draw(st.integers(1, max_starts), label="number of starts")
    kinds = [draw(st.sampled_from(start_kinds), label="start kind") for _ in range(S)]
    starts = np.array([_start(draw, kd, m, d, s.k) for kd in kinds])
    W0 = starts[0, :m * d].reshape(m, d)
    V0 = starts[0, m * d:].reshape(d, s.k)
    return VM.VectorPoint(s, loss, W0, V0, None, {"starts": starts},
                          {"feature_map": f.describe(), "corner": ",".join(kinds)})


def probe_points(*, losses=None, max_n: int = 4, max_d: int = 2, max_m: int = 3, max_width: int = 3,
                 max_starts: int = 2, start_kinds=None):
    """Instances for the Remark 2 probe: a sample, a loss and S starting points (rows of
    ``extras['starts']``, each (vec W, vec V) row-major), rank-deficient W starts in particular."""
    loss_names = check_choice("losses", losses, VECTOR_LOSSES) or list(VECTOR_LOSSES)
    check_int("max_n", max_n, 1, 16)
    check_int("max_d", max_d, 1, 4)
    check_int("max_m", max_m, 2, 4)
    check_int("max_width", max_width, 1, 4)
    check_int("max_starts", max_starts, 1, 16)
    kinds = check_choice("start_kinds", start_kinds, START_KINDS) or list(START_KINDS)
    return cached_strategy(_probe, tuple(loss_names), max_n, max_d, max_m, max_width, max_starts, tuple(kinds))


# ------------------------------------------------------------- constructed families (Theorem 6)

@st.composite
def _theorem6_attaining(draw, max_m, max_d, max_k, max_log_kappa):
    m = draw(st.integers(1, max_m), label="m")
    d = draw(st.integers(m, max(m, max_d)), label="d")
    k = draw(st.integers(m, max(m, max_k)), label="k")
    top = 10.0 ** draw(st.integers(-2, 2), label="log10 s_max")
    e = draw(st.sampled_from((0, 0, 1, max_log_kappa)), label="log10 condition number") if m > 1 else 0
    s = top * 10.0 ** (-e * np.arange(m) / max(m - 1, 1))       # all equal (attained) when e = 0
    sigma = abs(draw(scaled_floats(min_exp=-2, max_exp=2, allow_zero=False), label="sigma"))
    Q = draw(scaled_arrays((m, d), min_exp=0, max_exp=0, allow_sparse=False), label="Q")
    A = draw(scaled_arrays((k, m), min_exp=0, max_exp=0, allow_sparse=False), label="A")
    # orthonormalizing needs full rank: add the identity's leading block when a draw is degenerate
    if np.linalg.matrix_rank(Q) < m:
        Q = Q + np.eye(m, d)
    if np.linalg.matrix_rank(A) < m:
        A = A + np.eye(k, m)
    B_ = draw(scaled_arrays((d, k), min_exp=-2, max_exp=0), label="B")
    return VC.theorem6_attaining(s, sigma, Q, A, B_)


def theorem6_attaining_points(*, max_m: int = 3, max_d: int = 4, max_k: int = 3, max_log_kappa: int = 6):
    """Instances of ``theorems.model.vector.constructions.theorem6_attaining``: Theorem 6 attained
    when W's singular values are equal (half the draws), and tight up to Eq. (20) otherwise
    (κ = 10 or 10^max_log_kappa) — the family on which every part of the bound matters."""
    check_int("max_m", max_m, 1, 4)
    check_int("max_d", max_d, 1, 6)
    check_int("max_k", max_k, 1, 6)
    check_int("max_log_kappa", max_log_kappa, 1, 6)
    return cached_strategy(_theorem6_attaining, max_m, max_d, max_k, max_log_kappa)


def _small_ints(draw, shape, label, lo=-3, hi=3):
    n = int(np.prod(shape))
    return np.array(draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n), label=label),
                    dtype=np.float64).reshape(shape)


@st.composite
def _rank_deficient_stationary(draw, max_m, max_d, max_k):
    # small integer entries: z = x + Vφ = 0 and Wᵀy = 0 hold exactly, in float64 and at 60 digits
    m = draw(st.integers(2, max_m), label="m")
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    y = _small_ints(draw, (m,), "y")
    if not np.any(y):
        y[-1] = 1.0
    # integer vectors orthogonal to y: (y₂, −y₁, 0, …), (0, y₃, −y₂, …), … (e_1 when y₁ = y₂ = 0)
    perps = []
    for j in range(m - 1):
        u = np.zeros(m)
        u[j], u[j + 1] = y[j + 1], -y[j]
        perps.append(u if np.any(u) else np.eye(m)[j] * (y[j] == 0))
    W = sum(np.outer(u, _small_ints(draw, (d,), f"r{j}")) for j, u in enumerate(perps))
    V = _small_ints(draw, (d, k), "V")
    phi = _small_ints(draw, (k,), "phi")
    if not np.any(V @ phi):
        V, phi = V.copy(), np.eye(k)[0]
        V[0, 0] = 1.0                    # Vφ = V e₁ ≠ 0: x = −Vφ ≠ 0
    return VC.rank_deficient_stationary(W, V, phi, y)


def rank_deficient_stationary_points(*, max_m: int = 3, max_d: int = 3, max_k: int = 2):
    """Stationary points of F_θ(W, V) above F_lin(W*) with W not of full row rank
    (``theorems.model.vector.constructions.rank_deficient_stationary``): Appendix A's "except
    possibly when W is not full row rank" made real, and Theorem 6 without its rank hypothesis."""
    check_int("max_m", max_m, 2, 4)
    check_int("max_d", max_d, 1, 4)
    check_int("max_k", max_k, 1, 4)
    return cached_strategy(_rank_deficient_stationary, max_m, max_d, max_k)


# ------------------------------------------------------------- W alone (the SVD sentence)

@st.composite
def _row_rank_matrices(draw, square, max_m, max_d, integer):
    if square:
        m = d = draw(st.integers(2, max(2, max_d)), label="d = m")
    else:
        d = draw(st.integers(1, max_d), label="d")
        m = draw(st.integers(1, min(d, max_m)), label="m")
    if integer or not draw(st.booleans(), label="float entries"):
        # small exact entries first: they shrink to the simplest witness (e.g. [[1, 1], [0, 1]])
        W = np.array(draw(st.lists(st.integers(-2, 2), min_size=m * d, max_size=m * d), label="entries"),
                     dtype=np.float64).reshape(m, d)
        if np.linalg.matrix_rank(W) < m:
            W = W + np.eye(m, d)
        if np.linalg.matrix_rank(W) < m:
            W = np.eye(m, d)
    else:
        W = _full_row_rank(draw(scaled_arrays((m, d), allow_sparse=False), label="W"))
        e = draw(st.sampled_from((0, 2, 4, 6)), label="log10 condition number") if m >= 2 else 0
        if e:
            W = with_condition(W, 10.0 ** e)
    return VMX.RowRankMatrix(W)


def row_rank_matrices(*, square: bool = False, max_m: int = 3, max_d: int = 4, integer: bool = False):
    """``RowRankMatrix`` instances: W of full row rank (m ≤ d), square when ``square``; half of them
    with small integer entries (−2…2), half float with κ up to 10⁶ — or all integer (``integer``)."""
    check_bool("square", square)
    check_bool("integer", integer)
    check_int("max_m", max_m, 1, 6)
    check_int("max_d", max_d, 1, 6)
    return cached_strategy(_row_rank_matrices, square, max_m, max_d, integer)
