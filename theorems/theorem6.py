"""Theorem 6 (Appendix A), Eq. (19)–(20) of its proof, and the SVD step.

**Theorem 6.** *Suppose that F is defined as above, where ℓ is differentiable and convex in its
first argument. Then at any point (W, V, θ), for which W has full row rank and minimal singular
value s_min(W) > 0, it holds that*

    ‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / √(2‖W‖²_Fr + ‖W*‖²_Fr (2 + ‖V‖²/s_min(W)²)).

**Eq. (19).** ‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / √(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr).
**Eq. (20).** the denominator of (19) is at most √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr‖V‖)²).
**SVD step (as printed).** "‖W(WWᵀ)⁻¹‖ = ‖S(SS)⁻¹‖ = s_min(W)⁻¹". W(WWᵀ)⁻¹ is only defined
for square W (m = d), and then it is *not* s_min⁻¹ in general (W = USVᵀ gives
W(WWᵀ)⁻¹ = U S (VᵀU) S⁻² Uᵀ): claim ``theorem6.svd_step`` (literal, refuted) with the erratum;
the sentence before it, and Eq. (20), use Wᵀ(WWᵀ)⁻¹, whose norm is s_min(W)⁻¹ —
``theorem6.svd_step.corrected``. Theorem 6's bound as written uses s_min(W) and holds. Both SVD
claims read W alone: their instances are ``RowRankMatrix`` (W only, small integer entries in half
the draws), so the literal claim's witness is the erratum's own W = [[1, 1], [0, 1]].

**Appendix A's rank sentence.** "This theorem already establishes that our objective in the
vector-valued case has no stationary point (W, V, θ) (with respect to (W, V)) with values above
F_lin(W*), except possibly when W is not full row rank, or s_min(W) = 0." Both halves are claims:
``theorem6.no_stationary_point`` (at W of full row rank, ‖∇F‖ = 0 forces F ≤ F_lin(W*): checked
as gap ≤ ‖∇F‖·denominator, Theorem 6 undivided, at points and at the constructed stationary
points with full-rank W) and ``theorem6.rank_deficient_stationary`` (the exception is real:
``theorems.model.vector.constructions.rank_deficient_stationary`` builds stationary points with
W of rank < m and F − F_lin(W*) = ½‖y‖² > 0; checked exactly, at 60 digits too).

Quantities (``theorem6``): ``grad_norm`` = ‖∇F_θ(W, V)‖, ``gap`` = F(W, V, θ) − F_lin(W*),
``W_fro``, ``W_star_fro``, ``V_norm`` (spectral), ``s_min`` = s_min(W), ``denominator``,
``bound`` = gap/denominator; for the necessity analysis's norm swaps also ``W_norm``,
``W_star_norm`` (spectral norms) and ``s_max`` = ‖W‖ (largest singular value).
``ratio`` = bound/‖∇F‖ (0 when gap ≤ 0).
Hypotheses: W of full row rank (m ≤ d, s_min(W) > 10⁻⁸‖W‖_Fr; see ``theorems.model.vector.quantities``).

Attaining family (``theorems.model.vector.constructions.theorem6_attaining``): linear loss,
W = diag(s)Q, W* = −W, V with PV of m equal singular values ‖V‖ — every inequality of the proof is
an equality when the s_i are equal, so every part of the bound is necessary there; with unequal
s_i only Eq. (20) is loose, which is where the s_min → s_max swap fails.

Informative examples (``theorem6``, ``theorem6.eq19``): a positive gap F(W, V, θ) − F_lin(W*)
beyond rounding (elsewhere the bound is ≤ 0 ≤ ‖∇F‖ whatever the instance). ``theorem6.eq20``:
W*V ≠ 0 (beyond rounding), where ‖Wᵀ(WWᵀ)⁻¹W*V‖_Fr can exceed its bound; otherwise both sides
are ‖W − W*‖_Fr. The SVD claims: every instance (non-zero sides of an identity).

Tolerance (``theorem6``): scale = grad_scale + gap_scale/denominator + |bound|·e_s, where e_s =
``vector_linalg.s_min_error_units(W)`` is the relative error of s_min(W) in units of roundoff —
a few units up to κ = 10⁶ (s_min is a Rayleigh quotient at LAPACK's singular vector with Wᵀv in
doubled precision; an eigenvalue of WWᵀ, as before, carried uκ², so the scale had to carry
gap_scale·κ²/denominator: 10 % of the bound at κ ≈ 10⁶, and near-violations at ill-conditioned
W were never escalated to 60 digits). The denominator has relative error ≤ that of s_min plus a
few u (its other terms are norms), so the bound's error is ≤ u(gap_scale/denominator + |bound|·e_s)
up to the ``ulps`` factor ``tolerance.vector_first_order`` = 64·(n + d + m + k).
Eq. (19), Eq. (20): the right inverse Wᵀ(WWᵀ)⁻¹ is computed from a QR of Wᵀ (relative error ≈ uκ),
so their scales carry (1 + κ).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from strategies.vector import (
    full_rank_points,
    rank_deficient_stationary_points,
    row_rank_matrices,
    theorem6_attaining_points,
    vector_points,
)
from theorems.contract import Claim, Evaluation, Form, HypothesisDrop, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model import vector as VM
from theorems.model.vector.constructions import theorem6_attaining_instance
from theorems.model.vector.linalg import s_min as _s_min
from theorems.model.vector.linalg import s_min_error_units
from theorems.model.vector.matrix import RowRankMatrix
from theorems.model.vector.quantities import RANK_RTOL, G_blocks, first_order, require_full_row_rank

SOURCE = "Theorem 6, Appendix A"
SOURCE_EQ19 = "Eq. (19), proof of Theorem 6, Appendix A"
SOURCE_EQ20 = "Eq. (20), proof of Theorem 6, Appendix A"
SOURCE_SVD = "Proof of Theorem 6 (after Eq. 20), Appendix A"
SOURCE_RANK = "Appendix A, paragraph after Theorem 6 (stationary points)"


def _positive_gap(fo) -> bool:
    return fo.gap > 0 and tolerance.beyond_rounding(fo.gap, fo.gap_scale)


def theorem6_terms(inst, smin, fo=None, *, two=2, swap=()):
    """(first-order quantities, Theorem 6's denominator); ``swap`` names norms replaced by a
    sharper one (negative controls): "W" → ‖W‖, "W_star" → ‖W*‖ (spectral for Frobenius),
    "s_min" → s_max(W)."""
    fo = fo or first_order(inst)
    W_ = fo.W_norm if "W" in swap else fo.W_fro
    Ws_ = B.spectral_norm(inst.W_star) if "W_star" in swap else fo.W_star_fro
    s_ = fo.W_norm if "s_min" in swap else smin
    denom = B.sqrt(two * W_ ** 2 + Ws_ ** 2 * (two + fo.V_norm ** 2 / s_ ** 2))
    return fo, denom


def evaluate(inst, *, factor=1, two=2, smin=None, source=SOURCE, hypotheses=None, swap=()) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE) if smin is None else smin
    ulps = tolerance.vector_first_order(*inst.dims)
    fo, denom = theorem6_terms(inst, smin, two=two, swap=swap)
    bound = fo.gap / denom
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, W_fro=fo.W_fro, W_star_fro=fo.W_star_fro, V_norm=fo.V_norm,
             s_min=smin, denominator=denom, bound=bound, W_norm=fo.W_norm,
             W_star_norm=B.spectral_norm(inst.W_star), s_max=fo.W_norm)
    scale = fo.grad_scale + fo.gap_scale / denom + abs(bound) * s_min_error_units(inst.W)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound, scale=scale, ulps=ulps,
                              quantities=q, hypotheses=hypotheses or {"W full row rank": True}, source=source,
                              informative=_positive_gap(fo),
                              label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))")


def smallest_positive_singular_value(W):
    """The smallest singular value of W above 10⁻⁸·‖W‖_Fr (W ≠ 0): s_min(W) read for a W that is
    not of full row rank, the only reading under which Theorem 6's bound is not 0."""
    S = np.linalg.svd(np.asarray(B.to_float(W), dtype=np.float64), compute_uv=False)
    pos = S[S > RANK_RTOL * np.sqrt(np.sum(S ** 2))]
    if pos.size == 0:
        raise HypothesisNotMet("argument 'W': W = 0 has no positive singular value")
    if B.is_mp(*np.asarray(W).ravel()):
        # the same singular value at the working precision: the eigenvalue of WᵀW nearest to it
        ev = B.eigvalsh(W.T @ W)
        return B.sqrt(min((e for e in ev if e > 0), key=lambda e: abs(float(e) - float(pos[-1]) ** 2)))
    return float(pos[-1])


def evaluate_rank_dropped(inst) -> Evaluation:
    """Theorem 6 at W not of full row rank, s_min(W) read as the smallest positive singular value
    (with s_min(W) = 0 the bound is 0 and holds trivially)."""
    m, d = inst.W.shape
    if m <= d and _s_min(inst.W) > RANK_RTOL * B.norm(inst.W):
        raise HypothesisNotMet("argument 'W': W has full row rank; this check is for W without it")
    return evaluate(inst, smin=smallest_positive_singular_value(inst.W), source=SOURCE,
                    hypotheses={"W full row rank": False})


def evaluate_eq19(inst, *, factor=1) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE_EQ19)
    ulps = tolerance.vector_first_order(*inst.dims)
    fo = first_order(inst)
    kappa = fo.W_norm / smin
    GW, GV = G_blocks(inst)
    G_fro = B.norm(GW, GV)
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, s_min=smin)
    if G_fro == 0:
        # G = 0 (W* = W, W*V = 0): the undivided form ‖G‖_Fr·‖∇F‖ ≥ F − F_lin(W*) reads 0 ≥ gap
        return Evaluation.compare(0 * fo.gap, ">=", factor * fo.gap, scale=fo.gap_scale, ulps=ulps,
                                  quantities=dict(q, bound=None), hypotheses={"W full row rank": True},
                                  informative=_positive_gap(fo),
                                  source=SOURCE_EQ19, label="‖G‖_Fr·‖∇F_θ(W,V)‖ ≥ F − F_lin(W*) at G = 0")
    bound = fo.gap / G_fro
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound,
                              scale=fo.grad_scale + fo.gap_scale / G_fro + abs(bound) * (1 + kappa), ulps=ulps,
                              quantities=dict(q, bound=bound), hypotheses={"W full row rank": True},
                              informative=_positive_gap(fo),
                              source=SOURCE_EQ19, label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/‖G‖_Fr  (19)")


def evaluate_eq20(inst, *, s_max_control=False) -> Evaluation:
    """‖G‖_Fr ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr·‖V‖)²); the control uses 1/‖W‖ for ‖Wᵀ(WWᵀ)⁻¹‖."""
    smin = require_full_row_rank(inst, SOURCE_EQ20)
    ulps = tolerance.vector_first_order(*inst.dims)
    GW, GV = G_blocks(inst)
    G_fro = B.norm(GW, GV)
    Ws = B.norm(inst.W_star)
    R_norm = 1 / B.spectral_norm(inst.W) if s_max_control else B.spectral_norm(VM.right_inverse(inst.W))
    V_norm = B.spectral_norm(inst.V)
    rhs = B.sqrt(B.asum(GW * GW) + (R_norm * Ws * V_norm) ** 2)
    kappa = B.spectral_norm(inst.W) / smin
    WsV = B.norm(inst.W_star @ inst.V)
    return Evaluation.compare(G_fro, "<=", rhs, scale=rhs * (1 + kappa), ulps=ulps,
                              quantities=dict(G_fro=G_fro, eq20=rhs, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_EQ20,
                              informative=tolerance.beyond_rounding(WsV, Ws * V_norm),
                              label="‖G‖_Fr ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖‖W*‖_Fr‖V‖)²)  (20)")


# -------------------------------------------------------------- the SVD sentence

def _matrix_rank_check(W, source):
    m, d = W.shape
    if m > d:
        raise HypothesisNotMet(f"argument 'W': W is {m}×{d} with m > d, so it cannot have full row rank, "
                               f"but {source} requires W of full row rank")
    smin = _s_min(W)
    if not smin > RANK_RTOL * B.norm(W):
        raise HypothesisNotMet(f"argument 'W': s_min(W) = {float(smin):.3g} ≤ 1e-8·‖W‖_Fr, but {source} "
                               "requires W of full row rank (WWᵀ invertible)")
    return smin


def _svd_ulps(W):
    return tolerance.eigenvalue(sum(W.shape))


def evaluate_svd_literal(inst) -> Evaluation:
    """‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ as printed (defined only for square W)."""
    W = inst.W
    m, d = W.shape
    if m != d:
        raise HypothesisNotMet(f"argument 'W': W is {m}×{d}; W(WWᵀ)⁻¹ is only defined for square W "
                               f"(m = d) [{SOURCE_SVD}]")
    smin = _matrix_rank_check(W, SOURCE_SVD)
    lhs = B.spectral_norm(W @ VM.solve(W @ W.T, np.eye(m)))
    rhs = 1 / smin
    kappa = B.spectral_norm(W) / smin
    return Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa ** 2), ulps=_svd_ulps(W),
                              quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin), hypotheses={"W square": True},
                              informative=True, source=SOURCE_SVD, label="‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ (as printed)")


def evaluate_svd_corrected(inst, *, use_s_max=False) -> Evaluation:
    """‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹ for W of full row rank (the control uses ‖W‖⁻¹)."""
    W = inst.W
    smin = _matrix_rank_check(W, SOURCE_SVD)
    lhs = B.spectral_norm(VM.right_inverse(W))
    kappa = B.spectral_norm(W) / smin
    rhs = 1 / (B.spectral_norm(W) if use_s_max else smin)
    ev = Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa), ulps=_svd_ulps(W),
                            quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin),
                            hypotheses={"W full row rank": True}, informative=True, source=SOURCE_SVD,
                            label="‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹")
    # tightness of the identity: 1 wherever it holds (attained everywhere), ∞ where it fails. Without
    # it the search's target is the discrepancy in tolerance units — rounding noise (< 10⁻² of the
    # tolerance), which Hypothesis's hill climbing chased through ~13,000 draws of float W per audit,
    # 98 % of them invalid, for 130 valid examples; with it every draw is a valid example. The
    # control (‖W‖⁻¹ for s_min⁻¹) keeps the discrepancy as its target (it fails by construction).
    return ev if use_s_max else replace(ev, ratio=1.0 if ev.holds else math.inf)


def svd_counterexample():
    """The minimal pinned counterexample to the printed SVD sentence: W = [[1, 1], [0, 1]] (m = d = 2).

    WWᵀ = [[2, 1], [1, 1]], W(WWᵀ)⁻¹ = [[0, 1], [−1, 2]] with norm √(3 + 2√2) = 1 + √2 = 2.414…,
    while s_min(W) = (√5 − 1)/2, so s_min(W)⁻¹ = (1 + √5)/2 = 1.618…"""
    return RowRankMatrix(np.array([[1.0, 1.0], [0.0, 1.0]]))


# -------------------------------------------------------------- stationary points (rank sentence)

def evaluate_no_stationary(inst) -> Evaluation:
    """At W of full row rank: F − F_lin(W*) ≤ ‖∇F_θ(W, V)‖·√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min²)),
    so ∇F = 0 forces F ≤ F_lin(W*) (the first half of the rank sentence)."""
    smin = require_full_row_rank(inst, SOURCE_RANK)
    fo, denom = theorem6_terms(inst, smin)
    rhs = fo.grad_norm * denom
    scale = fo.gap_scale + denom * fo.grad_scale + abs(rhs) * s_min_error_units(inst.W)
    return Evaluation.compare(fo.gap, "<=", rhs, scale=scale, ulps=tolerance.vector_first_order(*inst.dims),
                              quantities=dict(gap=fo.gap, grad_norm=fo.grad_norm, denominator=denom, s_min=smin),
                              hypotheses={"W full row rank": True}, informative=_positive_gap(fo),
                              source=SOURCE_RANK,
                              label="F − F_lin(W*) ≤ ‖∇F_θ(W,V)‖·√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min²))")


def evaluate_rank_deficient_stationary(inst) -> Evaluation:
    """Probe: "no stationary point above F_lin(W*) even at rank-deficient W": F − F_lin(W*) ≤ 0
    wherever ∇F_θ(W, V) = 0 (exactly). Where ∇F ≠ 0 the point is not stationary and nothing is
    claimed (the right side is then |gap| + gap_scale, not informative)."""
    m, d = inst.W.shape
    if m <= d and _s_min(inst.W) > RANK_RTOL * B.norm(inst.W):
        raise HypothesisNotMet("argument 'W': W has full row rank (Theorem 6 covers it); this probe is "
                               "about W that is not of full row rank")
    fo = first_order(inst)
    stationary = fo.grad_norm == 0
    rhs = 0 * fo.gap if stationary else abs(fo.gap) + fo.gap_scale
    return Evaluation.compare(fo.gap, "<=", rhs, scale=fo.gap_scale, ulps=tolerance.vector_first_order(*inst.dims),
                              quantities=dict(gap=fo.gap, grad_norm=fo.grad_norm),
                              hypotheses={"W not of full row rank": True},
                              informative=bool(stationary) and _positive_gap(fo), source=SOURCE_RANK,
                              label="F − F_lin(W*) ≤ 0 at a stationary point (∇F = 0) with W rank-deficient")


def _example():
    return VM.random_vector_point(8, loss="squared", n=5, d=3, m=2, k=2)


def _example_matrix():
    return RowRankMatrix(np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 1.0]]))


def _example_square():
    return RowRankMatrix(np.array([[2.0, 1.0], [1.0, 3.0]]))


def theorem6_points(**filters):
    """Theorem 6's instances: full-row-rank points (κ up to 10⁶), plus — when no filter narrows the
    search — the attaining family (``strategies.vector.theorem6_attaining_points``)."""
    base = full_rank_points(**filters)
    return base if filters else st.one_of(base, theorem6_attaining_points())


theorem6_points.forwards_to = full_rank_points
theorem6_points.fixed_filters = ("rank",)


def _necessity_points():
    return st.one_of(theorem6_attaining_points(), full_rank_points())


def _concave_points():
    """Full-row-rank points with the concave 'loss' −½‖p − y‖² (convexity dropped), on the attaining
    family's geometry (W* = −W) where the chain of Theorem 6 is tight for a linear loss."""
    return vector_points(losses=["squared"], corners=["W_star=-W", "generic"]).map(
        lambda i: replace(i, loss=VM.negated(VM.squared())))


_FORM = Form(
    "grad_norm >= gap/sqrt(2*W_fro**2 + W_star_fro**2*(2 + V_norm**2/s_min**2))",
    norms={"W_fro": "W_norm", "W_star_fro": "W_star_norm", "s_min": "s_max"},
    strategy=_necessity_points, max_examples=200,
    without_hypothesis=(
        HypothesisDrop("W full row rank", rank_deficient_stationary_points, evaluate_rank_dropped,
                       "Theorem 6 at W not of full row rank, s_min(W) read as its smallest positive singular "
                       "value (read as 0, the bound is 0 and holds trivially)"),
        HypothesisDrop("ℓ convex in p (Appendix A)", _concave_points, evaluate,
                       "Theorem 6 for the concave 'loss' −½‖p − y‖²"),
    ),
)

theorem6 = register(Claim(
    id="theorem6", source=SOURCE, kind="literal",
    statement=("Suppose that F is defined as above, where ℓ is differentiable and convex in its first argument. "
               "Then at any point (W, V, θ), for which W has full row rank and minimal singular value "
               "s_min(W) > 0, it holds that ‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / "
               "√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))."),
    evaluate_fn=evaluate, strategy_fn=theorem6_points, example_fn=_example,
    hypotheses=("W full row rank",),
    quantities=("grad_norm", "gap", "W_fro", "W_star_fro", "V_norm", "s_min", "denominator", "bound",
                "W_norm", "W_star_norm", "s_max"),
    form=_FORM,
    controls=(
        Variant("theorem6.sharper_x2", "Theorem 6 with the bound multiplied by 2", lambda i: evaluate(i, factor=2),
                strategy=theorem6_attaining_points, max_examples=200,
                searched_with_claim=True),
        Variant("theorem6.without_factor_2", "Theorem 6 with denominator √(‖W‖²_Fr + ‖W*‖²_Fr(1 + ‖V‖²/s_min²)) "
                "(the 2s from ‖W − W*‖² ≤ 2‖W‖² + 2‖W*‖² dropped)", lambda i: evaluate(i, two=1),
                # false only where the ratio exceeds 1/√2: searched on the attaining family, where
                # Theorem 6 is an equality (needed 109–697 examples of the old W* = −W corner)
                strategy=theorem6_attaining_points, max_examples=200,
                searched_with_claim=True),
        # the Form's norm swaps, as controls: the necessity analysis derives a swap only where it is
        # uniformly sharper on independent positive values, which a norm pair never is there
        Variant("theorem6.W_spectral", "Theorem 6 with the spectral norm ‖W‖ in place of ‖W‖_Fr",
                lambda i: evaluate(i, swap=("W",)), strategy=theorem6_attaining_points, max_examples=200,
                searched_with_claim=True),
        Variant("theorem6.W_star_spectral", "Theorem 6 with the spectral norm ‖W*‖ in place of ‖W*‖_Fr",
                lambda i: evaluate(i, swap=("W_star",)), strategy=theorem6_attaining_points, max_examples=200,
                searched_with_claim=True),
        Variant("theorem6.s_max", "Theorem 6 with s_max(W) = ‖W‖ in place of s_min(W)",
                lambda i: evaluate(i, swap=("s_min",)), strategy=theorem6_attaining_points, max_examples=200,
                searched_with_claim=True),
    ),
))

theorem6_eq19 = register(Claim(
    id="theorem6.eq19", source=SOURCE_EQ19, kind="proof-step",
    statement=("‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / √(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr)  (19)"),
    evaluate_fn=evaluate_eq19, strategy_fn=theorem6_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("grad_norm", "gap", "G_fro", "s_min", "bound"),
    form=Form("grad_norm >= gap/G_fro", strategy=_necessity_points, max_examples=100,
              without_hypothesis=(HypothesisDrop("ℓ convex in p (Appendix A)", _concave_points, evaluate_eq19,
                                                 "Eq. (19) for the concave 'loss' −½‖p − y‖²"),)),
    controls=(
        Variant("theorem6.eq19.sharper_x1.5", "Eq. (19) with the bound multiplied by 1.5",
                lambda i: evaluate_eq19(i, factor=1.5)),
    ),
))

theorem6_eq20 = register(Claim(
    id="theorem6.eq20", source=SOURCE_EQ20, kind="proof-step",
    statement=("√(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr) ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr‖V‖)²)  (20)"),
    evaluate_fn=evaluate_eq20, strategy_fn=theorem6_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("G_fro", "eq20", "s_min"),
    controls=(
        Variant("theorem6.eq20.s_max", "Eq. (20) with ‖W‖⁻¹ = s_max(W)⁻¹ in place of ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹",
                lambda i: evaluate_eq20(i, s_max_control=True)),
    ),
))

theorem6_svd_corrected = register(Claim(
    id="theorem6.svd_step.corrected", source=SOURCE_SVD, kind="corrected",
    statement="For W of full row rank, ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹ (the printed sentence with the transpose restored).",
    evaluate_fn=evaluate_svd_corrected, strategy_fn=row_rank_matrices, example_fn=_example_matrix,
    hypotheses=("W full row rank",), quantities=("lhs", "inv_s_min", "s_min"), polish=False,
    controls=(
        Variant("theorem6.svd_step.corrected.s_max",
                "‖Wᵀ(WWᵀ)⁻¹‖ = ‖W‖⁻¹ (largest in place of smallest singular value)",
                lambda i: evaluate_svd_corrected(i, use_s_max=True)),
    ),
))


def _square_matrices(*, integer: bool = True, max_d: int = 4):
    """Square W of full rank with small integer entries (the printed sentence reads W alone; its
    witness then shrinks to a 2 × 2 0/1 matrix such as the erratum's [[1, 1], [0, 1]])."""
    return row_rank_matrices(square=True, integer=integer, max_d=max_d)


theorem6_svd = register(Claim(
    id="theorem6.svd_step", source=SOURCE_SVD, kind="literal",
    statement=("It is easily verified that if USVᵀ is the SVD decomposition of W, then Wᵀ(WWᵀ)⁻¹ equals "
               "VS(SS)⁻¹Uᵀ. Since V, U are orthogonal, it follows that ‖W(WWᵀ)⁻¹‖ = ‖S(SS)⁻¹‖ = s_min(W)⁻¹"),
    evaluate_fn=evaluate_svd_literal, strategy_fn=_square_matrices, example_fn=_example_square,
    hypotheses=("W square",), quantities=("lhs", "inv_s_min", "s_min"), polish=False,
    erratum={"location": "Appendix A, proof of Theorem 6, sentence after Eq. (20)",
             "statement": "‖W(WWᵀ)⁻¹‖ = ‖S(SS)⁻¹‖ = s_min(W)⁻¹",
             "correction": "theorem6.svd_step.corrected",
             "why": ("W(WWᵀ)⁻¹ is undefined unless m = d, and for square W it equals U S (VᵀU) S⁻² Uᵀ, whose norm "
                     "exceeds s_min⁻¹ in general (W = [[1, 1], [0, 1]]: 1 + √2 vs (1 + √5)/2). The transpose is "
                     "missing: ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹, which is what Eq. (20) and Theorem 6 use, so "
                     "Theorem 6 as stated is unaffected.")},
    notes="A typo inside the proof; Theorem 6's bound holds as written (claim theorem6).",
))

theorem6_no_stationary = register(Claim(
    id="theorem6.no_stationary_point", source=SOURCE_RANK, kind="literal",
    statement=("This theorem already establishes that our objective in the vector-valued case has no stationary "
               "point (W, V, θ) (with respect to (W, V)) with values above F_lin(W*), except possibly when W is "
               "not full row rank, or s_min(W) = 0."),
    evaluate_fn=evaluate_no_stationary, strategy_fn=theorem6_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("gap", "grad_norm", "denominator", "s_min"),
    controls=(
        Variant("theorem6.no_stationary_point.any_rank",
                "no stationary point above F_lin(W*) at any W (the exception dropped)",
                evaluate_rank_dropped, strategy=rank_deficient_stationary_points, max_examples=50,
                not_searched_why="draws W not of full row rank, outside the claim's hypothesis"),
    ),
    notes=("Checked as F − F_lin(W*) ≤ ‖∇F_θ‖·√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min²)) at W of full row rank "
           "(Theorem 6 undivided), which forces F ≤ F_lin(W*) at ∇F = 0. The exception is real: "
           "theorem6.rank_deficient_stationary."),
))

theorem6_rank_deficient = register(Claim(
    id="theorem6.rank_deficient_stationary", source=SOURCE_RANK, kind="open-question",
    statement=("(probe of 'except possibly when W is not full row rank') Even at W not of full row rank, the "
               "objective has no stationary point (∇F_θ(W, V) = 0) with F(W, V, θ) > F_lin(W*)."),
    evaluate_fn=evaluate_rank_deficient_stationary, strategy_fn=rank_deficient_stationary_points,
    example_fn=lambda: theorem6_rank_deficient_example(),
    hypotheses=("W not of full row rank",), quantities=("gap", "grad_norm"), polish=False,
    notes=("Refuted = the exception is realized: one sample with x = −Vφ (so x + Vφ = 0), squared loss and "
           "y ⟂ col(W) give ∇F = 0 exactly and F − F_lin(W*) = ½‖y‖² (theorems.model.vector.constructions."
           "rank_deficient_stationary); small integer entries keep every identity exact at both precisions."),
))


def theorem6_rank_deficient_example():
    from theorems.model.vector.constructions import rank_deficient_stationary
    return rank_deficient_stationary(np.array([[1.0, 0.0], [0.0, 0.0]]), np.eye(2), np.array([1.0, 1.0]),
                                     np.array([0.0, 1.0]))


__all__ = ["theorem6_attaining_instance"]


# -------------------------------------------------------------- further steps of the proof of Theorem 6

SOURCE_NORMS = "Proof of Theorem 6 (before Eq. 20), Appendix A: the three norm facts"
SOURCE_PAR = "Proof of Theorem 6 (after Eq. 20), Appendix A"


def thin_svd(W):
    """(U, s, V) with W = U diag(s) Vᵀ, U m × m orthogonal, V d × m with orthonormal columns (W of full row
    rank). float64: LAPACK's SVD; mpmath: WWᵀ = U diag(s²) Uᵀ at the working precision and V = WᵀU diag(s)⁻¹."""
    if np.asarray(W).dtype != object:
        U, s, Vt = np.linalg.svd(np.asarray(W, dtype=np.float64), full_matrices=False)
        return U, s, Vt.T
    lam, U = B.eigh(W @ W.T)
    s = np.array([B.sqrt(v) for v in lam], dtype=object)
    return U, s, (W.T @ U) / s[None, :]


def evaluate_svd_identity(inst, *, inverse=True) -> Evaluation:
    """Wᵀ(WWᵀ)⁻¹ = VS(SS)⁻¹Uᵀ for the SVD W = USVᵀ — as printed, with the thin SVD (S = diag(s) m × m,
    V d × m), where every product is defined (with the full SVD, S is m × d and VS, SS are not).
    Compared entrywise as ‖Wᵀ(WWᵀ)⁻¹ − VS(SS)⁻¹Uᵀ‖_Fr = 0, scale (1 + κ)·‖Wᵀ(WWᵀ)⁻¹‖_Fr. Informative:
    every instance (both sides are non-zero). ``inverse=False`` (the control) drops (SS)⁻¹."""
    W = inst.W
    smin = _matrix_rank_check(W, SOURCE_SVD)
    R = VM.right_inverse(W)
    U, s, V = thin_svd(W)
    S = np.diag(s) if W.dtype != object else np.array([[s[i] if i == j else 0 * s[0] for j in range(len(s))]
                                                       for i in range(len(s))], dtype=object)
    mid = S @ VM.solve(S @ S, np.eye(len(s))) if inverse else S
    rhs = V @ mid @ U.T
    diff = B.norm(R - rhs)
    kappa = B.spectral_norm(W) / smin
    R_fro = B.norm(R)
    ev = Evaluation.compare(diff, "==", 0 * diff, scale=R_fro * (1 + kappa) + (0 if inverse else B.norm(rhs)),
                            ulps=_svd_ulps(W), quantities=dict(difference=diff, R_fro=R_fro, s_min=smin),
                            hypotheses={"W full row rank": True}, informative=True, source=SOURCE_SVD,
                            label="‖Wᵀ(WWᵀ)⁻¹ − VS(SS)⁻¹Uᵀ‖_Fr = 0 (thin SVD W = USVᵀ)")
    # an identity that holds is attained everywhere (ratio 1), as for theorem6.svd_step.corrected
    return replace(ev, ratio=1.0 if ev.holds else math.inf) if inverse else ev


def norm_fact_ratios(inst):
    """The three norm facts at the proof's own matrices, R = Wᵀ(WWᵀ)⁻¹, W*, V (Eq. 19 → 20):
    ‖R(W*V)‖ ≤ ‖R‖·‖W*V‖, ‖R(W*V)‖_Fr ≤ ‖R‖·‖W*V‖_Fr, ‖W*V‖_Fr ≤ ‖W*‖_Fr·‖V‖ — each as lhs/rhs (None
    where its right side is 0, then so is its left)."""
    R, A = VM.right_inverse(inst.W), inst.W_star @ inst.V
    RA = R @ A
    pairs = ((B.spectral_norm(RA), B.spectral_norm(R) * B.spectral_norm(A)),
             (B.norm(RA), B.spectral_norm(R) * B.norm(A)),
             (B.norm(A), B.norm(inst.W_star) * B.spectral_norm(inst.V)))
    return [(lhs, rhs) for lhs, rhs in pairs]


def evaluate_norm_facts(inst, *, spectral_fro=False) -> Evaluation:
    """‖AB‖ ≤ ‖A‖‖B‖, ‖AB‖_Fr ≤ ‖A‖‖B‖_Fr and ‖AB‖_Fr ≤ ‖A‖_Fr‖B‖ at the products the proof bounds
    (``norm_fact_ratios``), checked as the largest of the three ratios lhs/rhs ≤ 1 — each its own fact's
    tightness, so the claim's ratio is the tightest fact's. ``spectral_fro`` (the control): the third
    fact with spectral norms on the right, ‖W*V‖_Fr ≤ ‖W*‖·‖V‖. Informative: W*V ≠ 0 beyond rounding."""
    smin = require_full_row_rank(inst, SOURCE_NORMS)
    pairs = norm_fact_ratios(inst)
    if spectral_fro:
        pairs[2] = (pairs[2][0], B.spectral_norm(inst.W_star) * B.spectral_norm(inst.V))
    ratios = [lhs / rhs if rhs > 0 else 0 * lhs for lhs, rhs in pairs]
    worst = max(ratios)
    kappa = B.spectral_norm(inst.W) / smin
    Ws_V = B.norm(inst.W_star) * B.spectral_norm(inst.V)
    return Evaluation.compare(worst, "<=", 1 + 0 * worst, scale=1 + kappa,
                              ulps=tolerance.vector_first_order(*inst.dims),
                              quantities=dict(spectral_ratio=ratios[0], fro_spectral_ratio=ratios[1],
                                              fro_fro_ratio=ratios[2], s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_NORMS,
                              informative=tolerance.beyond_rounding(pairs[2][0], Ws_V),
                              label="max of ‖AB‖/(‖A‖‖B‖), ‖AB‖_Fr/(‖A‖‖B‖_Fr), ‖AB‖_Fr/(‖A‖_Fr‖B‖) ≤ 1")


def evaluate_parallelogram(inst, *, two=2) -> Evaluation:
    """‖W − W*‖²_Fr ≤ 2‖W‖²_Fr + 2‖W*‖²_Fr (slack ‖W + W*‖²_Fr: attained iff W* = −W, the attaining family).
    Informative: W ≠ 0 and W* ≠ 0 (with one of them 0 it reads ‖X‖² ≤ 2‖X‖²)."""
    if inst.W_star is None:
        raise HypothesisNotMet(f"argument 'W_star': {SOURCE_PAR} needs W*")
    D = inst.W - inst.W_star
    lhs = B.asum(D * D)
    W2, Ws2 = B.asum(inst.W * inst.W), B.asum(inst.W_star * inst.W_star)
    rhs = two * W2 + two * Ws2
    return Evaluation.compare(lhs, "<=", rhs, scale=lhs + 2 * (W2 + Ws2), ulps=tolerance.vector_first_order(*inst.dims),
                              quantities=dict(diff_fro2=lhs, W_fro2=W2, W_star_fro2=Ws2),
                              source=SOURCE_PAR, informative=bool(W2 > 0 and Ws2 > 0),
                              label="‖W − W*‖²_Fr ≤ 2‖W‖²_Fr + 2‖W*‖²_Fr")


def evaluate_eq20_at_most(inst, *, two=2) -> Evaluation:
    """Eq. (20) ≤ √(2‖W‖²_Fr + 2‖W*‖²_Fr + (s_min(W)⁻¹‖W*‖_Fr‖V‖)²) ("Therefore, Eq. (20) is at most …"),
    with ‖Wᵀ(WWᵀ)⁻¹‖ computed (not replaced by s_min⁻¹). Informative: W, W* ≠ 0."""
    smin = require_full_row_rank(inst, SOURCE_PAR)
    D = inst.W - inst.W_star
    Rn, Ws, Vn = B.spectral_norm(VM.right_inverse(inst.W)), B.norm(inst.W_star), B.spectral_norm(inst.V)
    eq20 = B.sqrt(B.asum(D * D) + (Rn * Ws * Vn) ** 2)
    W2, Ws2 = B.asum(inst.W * inst.W), Ws * Ws
    rhs = B.sqrt(two * W2 + two * Ws2 + (Ws * Vn / smin) ** 2)
    kappa = B.spectral_norm(inst.W) / smin
    return Evaluation.compare(eq20, "<=", rhs, scale=rhs * (1 + kappa), ulps=tolerance.vector_first_order(*inst.dims),
                              quantities=dict(eq20=eq20, bound=rhs, s_min=smin), hypotheses={"W full row rank": True},
                              source=SOURCE_PAR, informative=bool(W2 > 0 and Ws2 > 0),
                              label="Eq. (20) ≤ √(2‖W‖²_Fr + 2‖W*‖²_Fr + (s_min(W)⁻¹‖W*‖_Fr‖V‖)²)")


theorem6_svd_identity = register(Claim(
    id="theorem6.svd_identity", source=SOURCE_SVD, kind="literal",
    statement="It is easily verified that if USVᵀ is the SVD decomposition of W, then Wᵀ(WWᵀ)⁻¹ equals VS(SS)⁻¹Uᵀ.",
    evaluate_fn=evaluate_svd_identity, strategy_fn=row_rank_matrices, example_fn=_example_matrix,
    hypotheses=("W full row rank",), quantities=("difference", "R_fro", "s_min"), polish=False,
    informative_rule="every instance (both sides non-zero)",
    notes="Read with the thin SVD (S = diag(s), m × m; V d × m), the only reading in which VS(SS)⁻¹Uᵀ is defined "
          "for m < d; it then holds exactly.",
    controls=(Variant("theorem6.svd_identity.no_inverse", "Wᵀ(WWᵀ)⁻¹ = VSUᵀ ((SS)⁻¹ dropped)",
                      lambda i: evaluate_svd_identity(i, inverse=False)),),
))

theorem6_norm_facts = register(Claim(
    id="theorem6.norm_facts", source=SOURCE_NORMS, kind="literal",
    statement=("Using the facts that ‖AB‖ ≤ ‖A‖·‖B‖, that ‖AB‖_Fr ≤ ‖A‖·‖B‖_Fr, and that ‖AB‖_Fr ≤ ‖A‖_Fr‖B‖ "
               "(at the products of the proof: A = Wᵀ(WWᵀ)⁻¹ with B = W*V, and A = W* with B = V)"),
    evaluate_fn=evaluate_norm_facts, strategy_fn=theorem6_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("spectral_ratio", "fro_spectral_ratio", "fro_fro_ratio", "s_min"),
    informative_rule="W*V ≠ 0 beyond rounding",
    controls=(Variant("theorem6.norm_facts.spectral_only", "‖W*V‖_Fr ≤ ‖W*‖·‖V‖ (spectral norms on the right)",
                      lambda i: evaluate_norm_facts(i, spectral_fro=True)),),
))

theorem6_parallelogram = register(Claim(
    id="theorem6.parallelogram", source=SOURCE_PAR, kind="literal",
    statement="Moreover, we have ‖W − W*‖²_Fr ≤ 2‖W‖²_Fr + 2‖W*‖²_Fr.",
    evaluate_fn=evaluate_parallelogram, strategy_fn=theorem6_points, example_fn=_example,
    quantities=("diff_fro2", "W_fro2", "W_star_fro2"), informative_rule="W ≠ 0 and W* ≠ 0",
    controls=(Variant("theorem6.parallelogram.one", "‖W − W*‖²_Fr ≤ ‖W‖²_Fr + ‖W*‖²_Fr (the 2s dropped)",
                      lambda i: evaluate_parallelogram(i, two=1)),),
))

theorem6_eq20_at_most = register(Claim(
    id="theorem6.eq20_at_most", source=SOURCE_PAR, kind="proof-step",
    statement=("Therefore, Eq. (20) is at most √(2‖W‖²_Fr + 2‖W*‖²_Fr + (s_min(W)⁻¹‖W*‖_Fr‖V‖)²)."),
    evaluate_fn=evaluate_eq20_at_most, strategy_fn=theorem6_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("eq20", "bound", "s_min"), informative_rule="W ≠ 0 and W* ≠ 0",
    controls=(Variant("theorem6.eq20_at_most.one", "Eq. (20) ≤ √(‖W‖²_Fr + ‖W*‖²_Fr + (s_min⁻¹‖W*‖_Fr‖V‖)²)",
                      lambda i: evaluate_eq20_at_most(i, two=1), strategy=theorem6_attaining_points,
                      searched_with_claim=True),),
))
