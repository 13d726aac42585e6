"""Hypothesis strategies for Section 2: samples (Σ well- or ill-conditioned, scaled, singular), target
maps R with controlled conditioning and determinant sign, tensors A in the ball 𝓑_τ (interior,
boundary |||A||| = τ, the −τ·Id corner, mixed), critical points, and Theorem 2.1's (R, ℓ).

Each object is a few Hypothesis choices (a kind, a size, a seed) expanded by NumPy, in the style of
``strategies.core``: simple kinds come first in every choice so that shrinking reaches d = 1, ℓ = 1,
identity-like data. Preconditions (A ∈ 𝓑_τ, τ < 1, ℓ ≥ 3γ, a critical point) hold by construction.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from strategies.core import check_choice, check_int
from strategies.linalg import ball_matrix, orthogonal_matrix

from . import model as M
from .instances import DepthTarget, ResNetPoint

__all__ = ["samples", "target_maps", "ball_tensors", "ball_points", "critical_points", "spurious_critical_points",
           "outside_ball_points", "depth_targets", "direction_points", "pair_points", "root_points"]

SAMPLE_KINDS = ("unit", "random", "scaled", "ill-conditioned", "singular")
TENSOR_KINDS = ("zero", "minus_tau", "boundary", "interior", "mixed")
TAUS = (0.5, 0.25, 0.75, 0.875, 0.0, 0.125, 0.9375)
SEEDS = st.integers(0, 2**32 - 1)


def _kinds(name, kinds, allowed):
    """The kinds asked for (all of ``allowed`` when None), checked by the engine's ``check_choice``."""
    return check_choice(name, kinds, allowed) or list(allowed)


def _rng(seed):
    return np.random.Generator(np.random.PCG64(seed))


def _seed(rng):
    """A 32-bit seed for an engine builder, drawn from this object's generator."""
    return int(rng.integers(0, 2**32))


def make_sample(kind, d, n, seed, scale=1.0):
    """(X, p) of a sample kind: "unit" (x = ±e_k, Σ = Id/d), "random", "scaled" (random × scale),
    "ill-conditioned" (columns scaled by 10^{−k}), "singular" (the last ⌈d/2⌉ columns are 0)."""
    rng = _rng(seed)
    if kind == "unit":
        X = np.concatenate([np.eye(d), -np.eye(d)]) * scale
        return X, np.full(2 * d, 1.0 / (2 * d))
    X = rng.normal(size=(n, d))
    p = rng.uniform(0.2, 1.0, n)
    p = p / p.sum()
    if kind == "scaled":
        X = X * scale
    elif kind == "ill-conditioned":
        X = X * 10.0 ** -np.arange(d)
    elif kind == "singular":
        X[:, d - (d + 1) // 2:] = 0.0
    return X, p


@st.composite
def samples(draw, d, *, kinds=None, max_n=6):
    kinds = _kinds("kinds", kinds, SAMPLE_KINDS)
    kind = draw(st.sampled_from(kinds), label="sample kind")
    n = draw(st.integers(1, max_n), label="n")
    if kind in ("random", "scaled") and n < d and draw(st.booleans(), label="full rank"):
        n = d            # Σ ≻ 0 almost surely
    scale = draw(st.sampled_from([1.0, 2.0, 4.0, 0.5, 10.0, 0.25, 30.0]), label="scale") \
        if kind in ("scaled", "unit") else 1.0
    return make_sample(kind, d, n, draw(SEEDS, label="sample seed"), scale)


def make_target(kind, d, seed, max_gamma=1.0, det_sign=None):
    """R of a kind: "identity", "diagonal", "rotation" (Haar orthogonal, det ±1), "random" (U diag(s) Vᵀ,
    U, V Haar, |log s_k| ≤ max_gamma); ``det_sign`` = ±1 forces the sign of det R (one singular direction
    reflected). Orthogonal factors are the engine's (``strategies.linalg.orthogonal_matrix``)."""
    rng = _rng(seed)
    if kind == "identity":
        R = np.eye(d)
    elif kind == "diagonal":
        R = np.diag(np.exp(rng.uniform(-max_gamma, max_gamma, d)))
    elif kind == "rotation":
        R = orthogonal_matrix("haar", d, seed)
    else:
        s = np.exp(rng.uniform(-max_gamma, max_gamma, d))
        R = (orthogonal_matrix("haar", d, _seed(rng)) * s) @ orthogonal_matrix("haar", d, _seed(rng)).T
    if det_sign is not None and np.sign(np.linalg.det(R)) != det_sign:
        R = R.copy()
        R[0] = -R[0]
    return R


@st.composite
def target_maps(draw, d, *, max_gamma=1.0, det_sign=None, kinds=("identity", "diagonal", "rotation", "random")):
    kind = draw(st.sampled_from(list(kinds)), label="R kind")
    return make_target(kind, d, draw(SEEDS, label="R seed"), max_gamma, det_sign)


def _round_up(x):
    """A float τ ≥ x with room for the rounding of a computed spectral norm (A ∈ 𝓑_τ at 60 digits too),
    for slices not built by the engine's certified ``ball_matrix`` (the −Id slices of spurious points)."""
    return float(np.nextafter(x * (1 + 2.0 ** -48), np.inf)) if x > 0 else 0.0


_SLICE_CORNERS = {"zero": ("zero",), "minus_tau": ("-tau*I",), "boundary": ("boundary",),
                  "interior": ("interior",), "mixed": ("-tau*I", "boundary")}


def make_tensor(kind, ell, d, tau, seed):
    """(A, τ') with |||A||| ≤ τ': "zero", "minus_tau" (every A_i = −τ·Id, exact), "boundary" (every
    ‖A_i‖ = τ), "interior" (‖A_i‖ < τ when τ > 0), "mixed" (each slice −τ·Id or on the sphere). Slices are the
    engine's ``ball_matrix``, whose ‖A_i‖ ≤ τ holds on the exact entries (so at 60 digits); τ' is τ
    raised to the float64 |||A||| where LAPACK's norm of a sphere slice rounds a few ulps above τ."""
    if kind not in _SLICE_CORNERS:
        raise ValueError(f"argument 'kind': expected one of {list(_SLICE_CORNERS)}, got {kind!r}")
    rng = _rng(seed)
    A = np.array([ball_matrix(str(rng.choice(_SLICE_CORNERS[kind])), d, tau, _seed(rng)) for _ in range(ell)])
    return A, max(tau, float(M.tensor_norm(A)))


@st.composite
def ball_tensors(draw, ell, d, *, kinds=None, taus=TAUS):
    kinds = _kinds("kinds", kinds, TENSOR_KINDS)
    kind = draw(st.sampled_from(kinds), label="A kind")
    tau = draw(st.one_of(st.sampled_from(taus), st.floats(0.0, 0.99)), label="tau")
    return (kind, *make_tensor(kind, ell, d, tau, draw(SEEDS, label="A seed")))


def _dims(draw, max_d, max_ell, min_ell=1):
    d = draw(st.integers(1, max_d), label="d")
    ell = draw(st.integers(min_ell, max_ell), label="ell")
    return d, ell


@st.composite
def ball_points(draw, *, max_d=4, max_ell=5, sample_kinds=None, tensor_kinds=None, taus=TAUS):
    """ResNetPoint with A ∈ 𝓑_τ, τ < 1 (all the paper's ball hypotheses by construction)."""
    check_int("max_d", max_d, 1, 6)
    check_int("max_ell", max_ell, 1, 8)
    d, ell = _dims(draw, max_d, max_ell)
    X, p = draw(samples(d, kinds=sample_kinds), label="sample")
    R = draw(target_maps(d), label="R")
    kind, A, tau = draw(ball_tensors(ell, d, kinds=tensor_kinds, taus=taus), label="A")
    return ResNetPoint(X, p, R, A, tau, meta={"corner": kind})


@st.composite
def direction_points(draw, *, max_d=4, max_ell=5):
    """A ball point with a direction D (extras) for directional derivatives (Lemma 2.4)."""
    base = draw(ball_points(max_d=max_d, max_ell=max_ell), label="point")
    D = _rng(draw(SEEDS, label="D seed")).normal(size=base.A.shape)
    return ResNetPoint(base.X, base.p, base.R, base.A, base.tau, {"D": D}, dict(base.meta))


@st.composite
def pair_points(draw, *, max_d=4, max_ell=5):
    """A ball point with a second tensor A2 (extras): Claim 2.3's C must not depend on A."""
    base = draw(ball_points(max_d=max_d, max_ell=max_ell), label="point")
    A2 = _rng(draw(SEEDS, label="A2 seed")).normal(size=base.A.shape) * draw(
        st.sampled_from([0.5, 0.0, 2.0]), label="A2 scale")
    return ResNetPoint(base.X, base.p, base.R, base.A, base.tau, {"A2": A2}, dict(base.meta))


@st.composite
def root_points(draw, *, max_d=3):
    """A point with a sign vector (extras "signs"): B = Q diag(s_k √λ_k) Qᵀ is symmetric with B² = Σ;
    A = 0 and R drawn, so E = Id − R."""
    d = draw(st.integers(1, max_d), label="d")
    X, p = draw(samples(d, kinds=["unit", "random", "scaled", "ill-conditioned"]), label="sample")
    signs = np.array(draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=d, max_size=d), label="signs"))
    R = draw(target_maps(d, kinds=("diagonal", "random")), label="R")     # A = 0: E = Id − R ≠ 0
    return ResNetPoint(X, p, R, np.zeros((1, d, d)), 0.0, {"signs": signs}, {"corner": "root"})


@st.composite
def critical_points(draw, *, max_d=4, max_ell=5, singular=None):
    """Critical points of f in 𝓑_τ, τ < 1, by construction: A ∈ 𝓑_τ drawn, then R = Π(A) + N with N
    supported on the zero columns of a singular sample (EΣ = −NΣ = 0 exactly, E = −N ≠ 0) or N = 0
    (Σ arbitrary, E = 0 up to rounding). ∇f(A) = 0 up to rounding: the premise of Theorem 2.2."""
    d, ell = _dims(draw, max_d, max_ell)
    sing = draw(st.booleans(), label="singular Σ") if singular is None else singular
    kind, A, tau = draw(ball_tensors(ell, d), label="A")
    rng = _rng(draw(SEEDS, label="N seed"))
    if sing and d >= 2:
        X, p = make_sample("singular", d, draw(st.integers(1, 6), label="n"), draw(SEEDS, label="sample seed"))
        N = np.zeros((d, d))
        zero_cols = np.all(X == 0, axis=0)
        N[:, zero_cols] = rng.normal(size=(d, int(zero_cols.sum())))
    else:
        X, p = draw(samples(d, kinds=["unit", "random", "scaled", "ill-conditioned"]), label="sample")
        N = np.zeros((d, d))
    R = M.product(A) + N
    return ResNetPoint(X, p, R, A, tau, meta={"corner": f"critical, {'singular' if sing and d >= 2 else 'E=0'}"})


@st.composite
def spurious_critical_points(draw, *, max_d=3, max_ell=5, tau=1.0):
    """Points outside 𝓑_τ for τ < 1: at least two slices A_j = −Id (so every ∂f/∂A_i has a zero factor
    and ∇f(A) = 0 exactly) and the others in the ball of radius ``tau`` ≥ 1; R, Σ drawn (f(A) > C_opt
    whenever RΣ ≠ 0: Π(A) = 0, E = −R)."""
    d = draw(st.integers(1, max_d), label="d")
    ell = draw(st.integers(2, max(2, max_ell)), label="ell")
    X, p = draw(samples(d, kinds=["unit", "random", "scaled"]), label="sample")
    R = draw(target_maps(d), label="R")
    rng = _rng(draw(SEEDS, label="A seed"))
    k = draw(st.integers(2, ell), label="singular slices")
    A = rng.normal(size=(ell, d, d))
    for j in range(ell):
        A[j] *= 0.5 / max(np.linalg.norm(A[j], 2), 1e-300)
    idx = sorted(rng.choice(ell, size=k, replace=False).tolist())
    for j in idx:
        A[j] = -np.eye(d)
    return ResNetPoint(X, p, R, A, max(float(tau), _round_up(M.tensor_norm(A))),
                       extras={"singular_slices": np.array(idx, dtype=float)},
                       meta={"corner": f"{k} slices = -Id"})


@st.composite
def outside_ball_points(draw, *, max_d=3, max_ell=5):
    """Spurious critical points with τ ∈ [1, 2] (the hypothesis τ < 1 dropped), including τ > 1 where
    (1 − τ)^{2(ℓ−1)} > 0."""
    tau = draw(st.sampled_from([2.0, 1.0, 1.5]), label="tau ≥ 1")
    return draw(spurious_critical_points(max_d=max_d, max_ell=max_ell, tau=tau))


@st.composite
def depth_targets(draw, *, max_d=4, max_ell=12, det_sign=None, max_gamma=1.5, sigma="positive"):
    """Theorem 2.1's (R, ℓ) with ℓ ≥ 3γ (by construction, with a margin) and a sample with Σ ≻ 0
    (``sigma="positive"``) or any Σ (``"any"``); ``det_sign`` = +1 / −1 / None (either)."""
    d = draw(st.integers(1, max_d), label="d")
    sign = det_sign if det_sign is not None else draw(st.sampled_from([1, -1]), label="det sign")
    gam_max = draw(st.sampled_from([0.0, 0.5, 1.0, max_gamma]), label="max gamma")
    R = make_target(draw(st.sampled_from(["identity", "diagonal", "rotation", "random"]), label="R kind"),
                    d, draw(SEEDS, label="R seed"), gam_max, sign)
    gam = float(M.gamma(R))
    lo = max(1, math.ceil(3 * gam * (1 + 1e-9) + 1e-12))
    ell = draw(st.integers(lo, max(lo, max_ell)), label="ell")
    kinds = ["unit", "random", "scaled"] if sigma == "positive" else list(SAMPLE_KINDS)
    kind = draw(st.sampled_from(kinds), label="sample kind")
    X, p = make_sample(kind, d, d + draw(st.integers(0, 3), label="extra n"), draw(SEEDS, label="sample seed"))
    return DepthTarget(R, ell, X, p, {"corner": f"det {'+' if sign > 0 else '-'}, {kind}"})
