"""Lemma 3 (Appendix A), the identities Eq. (21) and Eq. (22) of its proof, and its gradient formulas.

Setting (Appendix A): F(W, V, θ) = E_{x,y}[ℓ(W(x + V f_θ(x)); y)], W ∈ R^{m×d}, ℓ convex in
p ∈ R^m; F_lin(W*) = E[ℓ(W* x; y)].

**Lemma 3.** *Fix some W, V and a matrix W\\* of the same size as W. Define the matrix
G = (W − W\\* ; Wᵀ(WWᵀ)⁻¹W\\*V). Then ⟨vec(G), ∇F_θ(W, V)⟩ ≥ F(W, V, θ) − F_lin(W\\*).*

(WWᵀ must be invertible, i.e. W of full row rank — the hypothesis of Theorem 6, which Lemma 3
serves; the lemma's statement leaves it implicit.)

**Gradients** (proof of Lemma 3): ∂F/∂W = E[d_ℓ (x + V f_θ(x))ᵀ], ∂F/∂V = E[Wᵀ d_ℓ f_θ(x)ᵀ],
with d_ℓ = ∇_p ℓ(W(x + V f_θ(x)); y). ``lemma3.gradients`` checks them against the derivative of
t ↦ F_θ((W, V) + t(D_W, D_V)) at 0 (Richardson central differences in both precisions, with
the truncation estimate in the tolerance), as ``gradients`` does for Eq. (7).

**Eq. (21).** ⟨vec(W − W*), vec(∂F/∂W)⟩ = E[d_ℓᵀ(W − W*)(x + V f_θ(x))].
**Eq. (22).** ⟨vec(Wᵀ(WWᵀ)⁻¹W*V), vec(∂F/∂V)⟩ = E[d_ℓᵀ W* V f_θ(x)].

Hypotheses: W of full row rank, checked as m ≤ d and s_min(W) > 10⁻⁸·‖W‖_Fr (a numerically
meaningful inverse of WWᵀ; raises :class:`HypothesisNotMet` otherwise, see
``theorems.model.vector.quantities``); ℓ convex in p (the catalogue of
``theorems.model.vector.losses``). Eq. (21) and the gradients need no rank hypothesis.

Quantities: ``inner`` = ⟨vec G, ∇F_θ(W, V)⟩, ``gap`` = F(W, V, θ) − F_lin(W*), ``G_fro`` =
‖G‖_Fr, ``s_min`` = s_min(W), ``kappa`` = ‖W‖/s_min(W). ``ratio`` = gap/inner (0 when gap ≤ 0).
By Eq. (21) + (22) the slack inner − gap is exactly E[ℓ(W*x) − ℓ(p) − ∇ℓ(p)ᵀ(W*x − p)] (a Bregman
divergence, tested), so the ratio approaches 1 where ℓ is nearly linear between p and W*x
(e.g. saturated softmax cross-entropy).

Instances: full-row-rank points with κ = ‖W‖/s_min(W) up to 10⁶ (``strategies.vector``), plus
Theorem 6's attaining family (linear loss: Lemma 3 is an equality there, ratio 1).

Informative examples (``lemma3``): F − F_lin(W*) ≠ 0 beyond rounding and > −‖G‖_Fr·‖∇F_θ‖ —
elsewhere the comparison is 0 ≥ 0, or implied by Cauchy–Schwarz (inner ≥ −‖G‖_Fr‖∇F‖ ≥ gap)
whatever the loss. ``lemma3.eq21``/``eq22``/``gradients``
(identities): the compared terms are not all zero beyond rounding.

Tolerance: scale = ‖G‖_Fr·grad_scale + κ·‖Wᵀ(WWᵀ)⁻¹‖·‖W*V‖_Fr·‖∇_V F‖ + gap_scale, where
grad_scale = Σ π_i ‖d_ℓ,i‖ (‖x_i‖ + (‖V‖ + ‖W‖)‖φ_i‖) and gap_scale = Σ π_i (|ℓ(p_i)| + |ℓ(p*_i)| +
‖d_ℓ,i‖‖p_i‖ + ‖d*_ℓ,i‖‖p*_i‖) are the magnitudes of the terms behind ∇F and the gap; the middle
term is the error of the V-block Wᵀ(WWᵀ)⁻¹W*V, whose right inverse comes from a QR of Wᵀ with
normwise relative error ≈ uκ (the normal equations gave uκ²; ``theorems.model.vector.linalg``);
``tolerance.vector_first_order`` = 64·(n + d + m + k) ulps.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from strategies.vector import (
    any_rank_points,
    directional_vector_points,
    full_rank_points,
    theorem6_attaining_points,
    vector_points,
)
from theorems.contract import Claim, Evaluation, Form, HypothesisDrop, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model import vector as VM
from theorems.model.calculus import prediction_path, richardson_derivative
from theorems.model.vector.quantities import G_blocks, first_order, require_full_row_rank

SOURCE = "Lemma 3, Appendix A"
SOURCE_EQ21 = "Eq. (21), proof of Lemma 3, Appendix A"
SOURCE_EQ22 = "Eq. (22), proof of Lemma 3, Appendix A"
SOURCE_GRAD = "Proof of Lemma 3, Appendix A (∂F/∂W, ∂F/∂V)"


def _lemma3_informative(G_fro, fo) -> bool:
    # gap ≠ 0 beyond rounding, and not below −‖G‖_Fr‖∇F‖ (where Cauchy–Schwarz alone gives inner ≥ gap)
    return tolerance.beyond_rounding(fo.gap, fo.gap_scale) and fo.gap > -G_fro * fo.grad_norm


def evaluate(inst, *, factor=1) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE)
    fo = first_order(inst)
    GW, GV = G_blocks(inst)
    inner, G_fro = B.asum(GW * fo.g_W) + B.asum(GV * fo.g_V), B.norm(GW, GV)
    kappa = fo.W_norm / smin
    q = dict(inner=inner, gap=fo.gap, G_fro=G_fro, s_min=smin, kappa=kappa)
    vblock = kappa / smin * B.norm(inst.W_star @ inst.V) * B.norm(fo.g_V)
    return Evaluation.compare(inner, ">=", factor * fo.gap, scale=G_fro * fo.grad_scale + vblock + fo.gap_scale,
                              ulps=tolerance.vector_first_order(*inst.dims), quantities=q,
                              hypotheses={"W full row rank": True}, informative=_lemma3_informative(G_fro, fo),
                              source=SOURCE, label="⟨vec(G), ∇F_θ(W,V)⟩ ≥ F(W,V,θ) − F_lin(W*)")


def evaluate_eq21(inst, *, sign=1) -> Evaluation:
    if inst.W_star is None:
        raise HypothesisNotMet(f"argument 'W_star': {SOURCE_EQ21} needs W*")
    fo = first_order(inst)
    dW = inst.W - inst.W_star
    inner = B.asum(dW * fo.g_W)
    expectation = sign * B.asum(fo.D * (fo.Z @ dW.T))
    terms = B.norm(dW) * fo.grad_scale
    return Evaluation.compare(inner, "==", expectation, scale=terms + abs(inner),
                              ulps=tolerance.vector_first_order(*inst.dims),
                              informative=tolerance.beyond_rounding(max(abs(inner), abs(expectation)), terms),
                              quantities=dict(inner=inner, expectation=expectation),
                              source=SOURCE_EQ21, label="⟨vec(W − W*), vec(∂F/∂W)⟩ = E[d_ℓᵀ(W − W*)(x + Vf_θ(x))]")


def _transpose_only(W):
    return W.T


def evaluate_eq22(inst, *, right_inverse=VM.right_inverse) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE_EQ22)
    fo = first_order(inst)
    _, M = G_blocks(inst, right_inverse=right_inverse)
    inner = B.asum(M * fo.g_V)
    expectation = B.asum(fo.D * (inst.sample.Phi @ (inst.W_star @ inst.V).T))
    kappa = fo.W_norm / smin
    terms = B.norm(M) * fo.grad_scale
    scale = terms * (1 + kappa) + abs(inner)
    return Evaluation.compare(inner, "==", expectation, scale=scale, ulps=tolerance.vector_first_order(*inst.dims),
                              informative=tolerance.beyond_rounding(max(abs(inner), abs(expectation)), terms),
                              quantities=dict(inner=inner, expectation=expectation, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_EQ22,
                              label="⟨vec(Wᵀ(WWᵀ)⁻¹W*V), vec(∂F/∂V)⟩ = E[d_ℓᵀ W* V f_θ(x)]")


def _line(inst):
    s, loss, W, V = inst.sample, inst.loss, inst.W, inst.V
    DW, DV = inst.extras["D_W"], inst.extras["D_V"]
    return lambda t: VM.objective(s, loss, W + t * DW, V + t * DV)


def closed_form_gradient(inst):
    fo = first_order(inst)
    return fo.g_W, fo.g_V


def _gradient_without_Vf(inst):
    """∂F/∂W with the V f_θ(x) term dropped (a plausible slip), ∂F/∂V as stated."""
    fo = first_order(inst)
    return fo.D.T @ inst.sample.X, fo.g_V


def evaluate_gradients(inst, *, gradient_fn=closed_form_gradient) -> Evaluation:
    fo = first_order(inst)
    DW, DV = inst.extras["D_W"], inst.extras["D_V"]
    g_W, g_V = gradient_fn(inst)
    directional = B.asum(g_W * DW) + B.asum(g_V * DV)
    F = _line(inst)
    D_norm = B.norm(DW, DV)
    scale = fo.grad_scale * D_norm
    # the difference quotient of theorems/gradients.py (float64 and high precision alike)
    s = inst.sample
    rate, curv = prediction_path(fo.Z, s.Phi, inst.W, DW, DV)
    numerical, extra = richardson_derivative(F, rate, mp=inst.is_mp, scale=fo.gap_scale, curvature=curv)
    return Evaluation.compare(directional, "==", numerical, scale=scale, extra_tol=extra,
                              informative=tolerance.beyond_rounding(max(abs(directional), abs(numerical)),
                                                                    scale + float(extra) / 2.0 ** -53),
                              ulps=tolerance.vector_first_order(*inst.dims),
                              quantities=dict(directional=directional, numerical=numerical, D_norm=D_norm),
                              source=SOURCE_GRAD, label="⟨(∂F/∂W, ∂F/∂V), D⟩ = d/dt F_θ((W,V) + tD)|_{t=0}")


# a concave "loss" −½‖p − y‖²: Lemma 3 without convexity (negative control)
_CONCAVE = VM.negated(VM.squared())


def _concave_points():
    return vector_points(losses=["squared"]).map(lambda i: replace(i, loss=_CONCAVE))


def lemma3_points(**filters):
    """Lemma 3's instances: full-row-rank points (κ up to 10⁶), plus — when no filter narrows the
    search — Theorem 6's attaining family, where Lemma 3 is an equality (linear loss)."""
    base = full_rank_points(**filters)
    return base if filters else st.one_of(base, theorem6_attaining_points())


lemma3_points.forwards_to = full_rank_points
lemma3_points.fixed_filters = ("rank",)


def _example():
    return VM.random_vector_point(6, loss="softmax_ce", n=5, d=3, m=2, k=2)


def _example_dir():
    return VM.random_vector_point(7, loss="softmax_ce", n=5, d=3, m=3, k=2,
                                  extras={"D_W": (3, 3), "D_V": (3, 2)})


lemma3 = register(Claim(
    id="lemma3", source=SOURCE, kind="literal",
    statement=("Fix some W, V and a matrix W* of the same size as W. Define the matrix "
               "G = (W − W*; Wᵀ(WWᵀ)⁻¹W*V). Then ⟨vec(G), ∇F_θ(W, V)⟩ ≥ F(W, V, θ) − F_lin(W*)."),
    evaluate_fn=evaluate, strategy_fn=lemma3_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("inner", "gap", "G_fro", "s_min", "kappa"),
    form=Form("inner >= gap", max_examples=100,
              without_hypothesis=(HypothesisDrop("ℓ convex in p (Appendix A)", _concave_points, evaluate,
                                                 "Lemma 3 for the concave 'loss' −½‖p − y‖²"),)),
    controls=(
        Variant("lemma3.sharper_x2", "⟨vec(G), ∇F⟩ ≥ 2·(F − F_lin(W*)) (constant sharpened by 2)",
                lambda i: evaluate(i, factor=2)),
    ),
    notes="WWᵀ invertible (W of full row rank) is implicit in the statement; it is Theorem 6's hypothesis.",
))

lemma3_eq21 = register(Claim(
    id="lemma3.eq21", source=SOURCE_EQ21, kind="proof-step",
    statement="⟨vec(W − W*), vec(∂F(W, V, θ)/∂W)⟩ = E_{x,y}[d_ℓᵀ(W − W*)(x + V f_θ(x))]  (21)",
    evaluate_fn=evaluate_eq21, strategy_fn=any_rank_points, example_fn=_example,
    quantities=("inner", "expectation"), polish=False,
    controls=(
        Variant("lemma3.eq21.sign", "Eq. (21) with (W* − W) on the right (sign slip)",
                lambda i: evaluate_eq21(i, sign=-1)),
    ),
))

lemma3_eq22 = register(Claim(
    id="lemma3.eq22", source=SOURCE_EQ22, kind="proof-step",
    statement="⟨vec(Wᵀ(WWᵀ)⁻¹W*V), vec(∂F(W, V, θ)/∂V)⟩ = E_{x,y}[(d_ℓ)ᵀ W* V f_θ(x)]  (22)",
    evaluate_fn=evaluate_eq22, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("inner", "expectation", "s_min"), polish=False,
    controls=(
        Variant("lemma3.eq22.no_inverse", "Eq. (22) with Wᵀ in place of Wᵀ(WWᵀ)⁻¹ (inverse dropped)",
                lambda i: evaluate_eq22(i, right_inverse=_transpose_only)),
    ),
))

lemma3_gradients = register(Claim(
    id="lemma3.gradients", source=SOURCE_GRAD, kind="literal",
    statement=("∂F(W, V, θ)/∂W = E_{x,y}[d_ℓ (x + V f_θ(x))ᵀ],  ∂F(W, V, θ)/∂V = E_{x,y}[Wᵀ d_ℓ f_θ(x)ᵀ]"),
    evaluate_fn=evaluate_gradients, strategy_fn=directional_vector_points, example_fn=_example_dir,
    quantities=("directional", "numerical", "D_norm"), polish=False,
    controls=(
        Variant("lemma3.gradients.missing_Vf", "∂F/∂W = E[d_ℓ xᵀ] (the V f_θ(x) term dropped)",
                lambda i: evaluate_gradients(i, gradient_fn=_gradient_without_Vf)),
    ),
))


SOURCE_SUM = "Proof of Lemma 3 (Eq. 21 + Eq. 22), Appendix A"


def evaluate_summed(inst, *, cancel=True) -> Evaluation:
    """⟨vec(G), ∇F_θ(W, V)⟩ = E[d_ℓᵀ(W(x + Vf_θ(x)) − W*x)] (the sum of Eq. (21) and (22)): the left side
    from the gradient and G's two blocks, the right side from the predictions alone. ``cancel=False`` (the
    control) keeps W*(x + Vf_θ(x)) on the right, as if Eq. (22)'s W*Vf_θ(x) did not cancel.
    Informative: the terms are not all zero beyond rounding. Tolerance as Eq. (22): scale ‖G‖_Fr·grad_scale
    (1 + κ) + |inner|, ``tolerance.vector_first_order``."""
    smin = require_full_row_rank(inst, SOURCE_SUM)
    fo = first_order(inst)
    GW, GV = G_blocks(inst)
    inner = B.asum(GW * fo.g_W) + B.asum(GV * fo.g_V)
    target = fo.Z @ inst.W.T - (inst.sample.X if cancel else fo.Z) @ inst.W_star.T
    expectation = B.asum(fo.D * target)
    kappa = fo.W_norm / smin
    terms = B.norm(GW, GV) * fo.grad_scale
    return Evaluation.compare(inner, "==", expectation, scale=terms * (1 + kappa) + abs(inner),
                              ulps=tolerance.vector_first_order(*inst.dims),
                              informative=tolerance.beyond_rounding(max(abs(inner), abs(expectation)), terms),
                              quantities=dict(inner=inner, expectation=expectation, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_SUM,
                              label="⟨vec(G), ∇F_θ(W,V)⟩ = E[d_ℓᵀ(W(x + Vf_θ(x)) − W*x)]")


lemma3_summed = register(Claim(
    id="lemma3.summed", source=SOURCE_SUM, kind="proof-step",
    statement=("Summing Eq. (21) and Eq. (22), and recalling the definition of G, it follows that ⟨vec(G), "
               "∇F_θ(W, V)⟩ = E_{x,y}[(d_ℓ)ᵀ(W(x + V f_θ(x)) − W*x)]."),
    evaluate_fn=evaluate_summed, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("inner", "expectation", "s_min"), polish=False,
    informative_rule="the compared terms are not all zero beyond rounding",
    controls=(
        Variant("lemma3.summed.no_cancellation", "⟨vec(G), ∇F_θ⟩ = E[d_ℓᵀ(W − W*)(x + Vf_θ(x))] (Eq. (22)'s "
                "W*Vf_θ(x) not cancelled)", lambda i: evaluate_summed(i, cancel=False)),
    ),
))
