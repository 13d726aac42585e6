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
``theorem6.svd_step.corrected``. Theorem 6's bound as written uses s_min(W) and holds.

Quantities (``theorem6``): ``grad_norm`` = ‖∇F_θ(W, V)‖, ``gap`` = F(W, V, θ) − F_lin(W*),
``W_fro``, ``W_star_fro``, ``V_norm`` (spectral), ``s_min`` = s_min(W), ``denominator``,
``bound`` = gap/denominator. ``ratio`` = bound/‖∇F‖ (0 when gap ≤ 0).
Hypotheses: W of full row rank (m ≤ d, s_min(W) > 10⁻⁸‖W‖_Fr; see ``theorems.model.vector_quantities``).
Tolerance: scale = grad_scale + gap_scale·(1 + κ²)/denominator (κ = ‖W‖/s_min: s_min² comes
from an eigenvalue of WWᵀ, accurate to u‖W‖²), ``tolerance.vector_first_order`` = 64·(n + d + m + k) ulps.
"""

from __future__ import annotations

import numpy as np

from strategies.vector import full_rank_points, square_points
from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register, tolerance
from theorems.model import backend as B
from theorems.model import vector as VM
from theorems.model.vector_quantities import G_blocks, first_order, require_full_row_rank

SOURCE = "Theorem 6, Appendix A"
SOURCE_EQ19 = "Eq. (19), proof of Theorem 6, Appendix A"
SOURCE_EQ20 = "Eq. (20), proof of Theorem 6, Appendix A"
SOURCE_SVD = "Proof of Theorem 6 (after Eq. 20), Appendix A"


def _norms(inst, smin):
    fo = first_order(inst)
    return fo, fo.W_norm / smin


def evaluate(inst, *, factor=1, two=2) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE)
    ulps = tolerance.vector_first_order(*inst.dims)
    fo, kappa = _norms(inst, smin)
    denom = B.sqrt(two * fo.W_fro ** 2 + fo.W_star_fro ** 2 * (two + fo.V_norm ** 2 / smin ** 2))
    bound = fo.gap / denom
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, W_fro=fo.W_fro, W_star_fro=fo.W_star_fro, V_norm=fo.V_norm,
             s_min=smin, denominator=denom, bound=bound)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound,
                              scale=fo.grad_scale + fo.gap_scale * (1 + kappa ** 2) / denom, ulps=ulps,
                              quantities=q, hypotheses={"W full row rank": True}, source=SOURCE,
                              label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))")


def evaluate_eq19(inst, *, factor=1) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE_EQ19)
    ulps = tolerance.vector_first_order(*inst.dims)
    fo, kappa = _norms(inst, smin)
    GW, GV = G_blocks(inst)
    G_fro = B.norm(GW, GV)
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, s_min=smin)
    if G_fro == 0:
        # G = 0 (W* = W, W*V = 0): the undivided form ‖G‖_Fr·‖∇F‖ ≥ F − F_lin(W*) reads 0 ≥ gap
        return Evaluation.compare(0 * fo.gap, ">=", factor * fo.gap, scale=fo.gap_scale, ulps=ulps,
                                  quantities=dict(q, bound=None), hypotheses={"W full row rank": True},
                                  source=SOURCE_EQ19, label="‖G‖_Fr·‖∇F_θ(W,V)‖ ≥ F − F_lin(W*) at G = 0")
    bound = fo.gap / G_fro
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound,
                              scale=fo.grad_scale + fo.gap_scale * (1 + kappa) / G_fro, ulps=ulps,
                              quantities=dict(q, bound=bound), hypotheses={"W full row rank": True},
                              source=SOURCE_EQ19, label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/‖G‖_Fr  (19)")


def evaluate_eq20(inst, *, s_max_control=False) -> Evaluation:
    """‖G‖_Fr ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr·‖V‖)²); the control uses 1/‖W‖ for ‖Wᵀ(WWᵀ)⁻¹‖."""
    smin = require_full_row_rank(inst, SOURCE_EQ20)
    ulps = tolerance.vector_first_order(*inst.dims)
    GW, GV = G_blocks(inst)
    G_fro = B.norm(GW, GV)
    Ws = B.norm(inst.W_star)
    R_norm = 1 / B.spectral_norm(inst.W) if s_max_control else B.spectral_norm(VM.right_inverse(inst.W))
    rhs = B.sqrt(B.asum(GW * GW) + (R_norm * Ws * B.spectral_norm(inst.V)) ** 2)
    kappa = B.spectral_norm(inst.W) / smin
    return Evaluation.compare(G_fro, "<=", rhs, scale=rhs * (1 + kappa), ulps=ulps,
                              quantities=dict(G_fro=G_fro, eq20=rhs, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_EQ20,
                              label="‖G‖_Fr ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖‖W*‖_Fr‖V‖)²)  (20)")


# -------------------------------------------------------------- the SVD sentence

def evaluate_svd_literal(inst) -> Evaluation:
    """‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ as printed (defined only for square W)."""
    m, d = inst.W.shape
    if m != d:
        raise HypothesisNotMet(f"argument 'W': W is {m}×{d}; W(WWᵀ)⁻¹ is only defined for square W "
                               f"(m = d) [{SOURCE_SVD}]")
    smin = require_full_row_rank(inst, SOURCE_SVD)
    ulps = tolerance.vector_first_order(*inst.dims)
    lhs = B.spectral_norm(inst.W @ VM.solve(inst.W @ inst.W.T, np.eye(m)))
    rhs = 1 / smin
    kappa = B.spectral_norm(inst.W) / smin
    return Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa ** 2), ulps=ulps,
                              quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin), hypotheses={"W square": True},
                              source=SOURCE_SVD, label="‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ (as printed)")


def evaluate_svd_corrected(inst, *, use_s_max=False) -> Evaluation:
    """‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹ for W of full row rank (the control uses ‖W‖⁻¹)."""
    smin = require_full_row_rank(inst, SOURCE_SVD)
    ulps = tolerance.vector_first_order(*inst.dims)
    lhs = B.spectral_norm(VM.right_inverse(inst.W))
    kappa = B.spectral_norm(inst.W) / smin
    rhs = 1 / (B.spectral_norm(inst.W) if use_s_max else smin)
    return Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa ** 2), ulps=ulps,
                              quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_SVD,
                              label="‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹")


def svd_counterexample():
    """The minimal pinned counterexample to the printed SVD sentence: W = [[1, 1], [0, 1]] (m = d = 2).

    WWᵀ = [[2, 1], [1, 1]], W(WWᵀ)⁻¹ = [[0, 1], [−1, 2]] with norm √(3 + 2√2) = 1 + √2 = 2.414…,
    while s_min(W) = (√5 − 1)/2, so s_min(W)⁻¹ = (1 + √5)/2 = 1.618…"""
    s = VM.VectorSample(np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]), np.array([1.0]), np.array([[1.0]]))
    return VM.VectorPoint(s, VM.squared(), np.array([[1.0, 1.0], [0.0, 1.0]]), np.zeros((2, 1)),
                          np.zeros((2, 2)), {}, {"corner": "pinned counterexample"})


def _example():
    return VM.random_vector_point(8, loss="squared", n=5, d=3, m=2, k=2)


def _example_square():
    return VM.random_vector_point(9, loss="squared", n=4, d=2, m=2, k=2)


theorem6 = register(Claim(
    id="theorem6", source=SOURCE, kind="literal",
    statement=("Suppose that F is defined as above, where ℓ is differentiable and convex in its first argument. "
               "Then at any point (W, V, θ), for which W has full row rank and minimal singular value "
               "s_min(W) > 0, it holds that ‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / "
               "√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))."),
    evaluate_fn=evaluate, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",),
    quantities=("grad_norm", "gap", "W_fro", "W_star_fro", "V_norm", "s_min", "denominator", "bound"),
    controls=(
        # both controls are false only near the tight corner: 300–700 examples at some seeds
        Variant("theorem6.sharper_x2", "Theorem 6 with the bound multiplied by 2", lambda i: evaluate(i, factor=2),
                max_examples=2000),
        Variant("theorem6.without_factor_2", "Theorem 6 with denominator √(‖W‖²_Fr + ‖W*‖²_Fr(1 + ‖V‖²/s_min²)) "
                "(the 2s from ‖W − W*‖² ≤ 2‖W‖² + 2‖W*‖² dropped)", lambda i: evaluate(i, two=1),
                # false only where the ratio exceeds 1/√2: searched where Theorem 6 is tight
                # (squared loss, W* = −W: refuted by the audit's search within 109–697 examples
                # at seeds 0–9; unfocused, it needed 371–2,237 and missed at seed 3 within 3,000)
                strategy=lambda: full_rank_points(losses=["squared"], corners=["W_star=-W"]), max_examples=2000),
    ),
))

theorem6_eq19 = register(Claim(
    id="theorem6.eq19", source=SOURCE_EQ19, kind="proof-step",
    statement=("‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / √(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr)  (19)"),
    evaluate_fn=evaluate_eq19, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("grad_norm", "gap", "G_fro", "s_min", "bound"),
    controls=(
        Variant("theorem6.eq19.sharper_x1.5", "Eq. (19) with the bound multiplied by 1.5",
                lambda i: evaluate_eq19(i, factor=1.5)),
    ),
))

theorem6_eq20 = register(Claim(
    id="theorem6.eq20", source=SOURCE_EQ20, kind="proof-step",
    statement=("√(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr) ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr‖V‖)²)  (20)"),
    evaluate_fn=evaluate_eq20, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("G_fro", "eq20", "s_min"),
    controls=(
        Variant("theorem6.eq20.s_max", "Eq. (20) with ‖W‖⁻¹ = s_max(W)⁻¹ in place of ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹",
                lambda i: evaluate_eq20(i, s_max_control=True)),
    ),
))

theorem6_svd_corrected = register(Claim(
    id="theorem6.svd_step.corrected", source=SOURCE_SVD, kind="corrected",
    statement="For W of full row rank, ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹ (the printed sentence with the transpose restored).",
    evaluate_fn=evaluate_svd_corrected, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("lhs", "inv_s_min", "s_min"), polish=False,
    controls=(
        Variant("theorem6.svd_step.corrected.s_max",
                "‖Wᵀ(WWᵀ)⁻¹‖ = ‖W‖⁻¹ (largest in place of smallest singular value)",
                lambda i: evaluate_svd_corrected(i, use_s_max=True)),
    ),
))

theorem6_svd = register(Claim(
    id="theorem6.svd_step", source=SOURCE_SVD, kind="literal",
    statement=("It is easily verified that if USVᵀ is the SVD decomposition of W, then Wᵀ(WWᵀ)⁻¹ equals "
               "VS(SS)⁻¹Uᵀ. Since V, U are orthogonal, it follows that ‖W(WWᵀ)⁻¹‖ = ‖S(SS)⁻¹‖ = s_min(W)⁻¹"),
    evaluate_fn=evaluate_svd_literal, strategy_fn=square_points, example_fn=_example_square,
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
