"""Lemma 1 (Sec. 6.1) and the identity Eq. (5) in its proof.

**Lemma 1.** *Fix some w, V (where w ≠ 0) and a vector w\\* of the same size as w. Define the
matrix G = (w − w\\* ; (1/‖w‖²) w (w\\*)ᵀ V). Then*

    ⟨vec(G), ∇F_θ(w, V)⟩ ≥ F(w, V, θ) − F_lin(w*).

**Eq. (5).** ⟨vec(G), vec(∇F_θ(w, V))⟩ = E[d_ℓ (wᵀ(x + V f_θ(x)) − (w*)ᵀx)], with
d_ℓ = ℓ'(wᵀ(x + V f_θ(x)); y).

The inequality is the convexity of ℓ applied per sample to Eq. (5); it is an equality for
losses with ℓ'' = 0 (the linear loss ℓ(p; y) = −yp), so its tightness ratio reaches 1.

Hypotheses: w ≠ 0; ℓ convex in p (Assumption 1). Quantities: ``inner`` = ⟨vec G, ∇F⟩,
``gap`` = F(w, V, θ) − F_lin(w*), ``G_fro`` = ‖G‖_Fr. ``ratio`` = gap / inner (0 when gap ≤ 0).
Informative examples (Lemma 1): those where the inequality is not settled by signs alone, i.e. a
positive gap or a negative inner product (beyond rounding); (Eq. 5): a non-zero expectation.

Tolerance: scale = ‖G‖_Fr · grad_scale + gap_scale, 64·(n + d + k) ulps.
"""

from __future__ import annotations

import numpy as np

from strategies import nonzero_w_points
from strategies.batches import batch_searched
from strategies.instances import concave_loss_points
from theorems.contract import Claim, Evaluation, Form, HypothesisDrop, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.instance import random_point
from theorems.model.quantities import first_order
from theorems.model.requirements import require_w_nonzero


def _ulps(inst):
    s = inst.sample
    return tolerance.first_order(s.n, s.d, s.k)

SOURCE = "Lemma 1, Sec. 6.1"
SOURCE_EQ5 = "Eq. (5), proof of Lemma 1, Sec. 6.1"


def G_blocks(inst, fo):
    """G = (w − w*; (1/‖w‖²) w (w*)ᵀ V), as its w-block and V-block."""
    return inst.w - inst.w_star, np.outer(inst.w, inst.w_star) @ inst.V / fo.w_norm ** 2


def inner_G_grad(inst, fo):
    Gw, GV = G_blocks(inst, fo)
    return B.asum(Gw * fo.g_w) + B.asum(GV * fo.g_V), B.norm(Gw, GV)


def _not_decided_by_signs(inner, fo, G_fro) -> bool:
    # inner ≥ gap can only fail where it is not settled by signs (inner ≥ 0 ≥ gap): a positive gap
    # or a negative inner product, beyond rounding
    scale = G_fro * fo.grad_scale + fo.gap_scale
    return bool((fo.gap > 0 and tolerance.beyond_rounding(fo.gap, scale))
                or (inner < 0 and tolerance.beyond_rounding(inner, scale)))


def evaluate(inst, *, factor=1) -> Evaluation:
    require_w_nonzero(inst, SOURCE)
    fo = first_order(inst)
    inner, G_fro = inner_G_grad(inst, fo)
    q = dict(inner=inner, gap=fo.gap, G_fro=G_fro)
    return Evaluation.compare(inner, ">=", factor * fo.gap, scale=G_fro * fo.grad_scale + fo.gap_scale,
                              ulps=_ulps(inst), quantities=q, hypotheses={"w != 0": True},
                              source=SOURCE, label="⟨vec(G), ∇F_θ(w,V)⟩ ≥ F(w,V,θ) − F_lin(w*)",
                              informative=_not_decided_by_signs(inner, fo, G_fro))


def evaluate_eq5(inst) -> Evaluation:
    require_w_nonzero(inst, SOURCE_EQ5)
    fo = first_order(inst)
    inner, G_fro = inner_G_grad(inst, fo)
    s = inst.sample
    rhs = B.asum(s.p * fo.d1 * (fo.q - fo.q_star))
    return Evaluation.compare(inner, "==", rhs, scale=G_fro * fo.grad_scale + fo.gap_scale,
                              ulps=_ulps(inst), quantities=dict(inner=inner, expectation=rhs),
                              hypotheses={"w != 0": True}, source=SOURCE_EQ5,
                              label="⟨vec(G), ∇F⟩ = E[d_ℓ(wᵀ(x+Vf_θ(x)) − (w*)ᵀx)]",
                              informative=tolerance.beyond_rounding(rhs, G_fro * fo.grad_scale + fo.gap_scale))


def _example():
    return random_point(2)


# the engine searches Lemma 1 in batches of instances per Hypothesis example (strategies.batches)
_points = batch_searched(nonzero_w_points)


lemma1 = register(Claim(
    id="lemma1", source=SOURCE, kind="literal",
    statement=("Fix some w, V (where w ≠ 0) and a vector w* of the same size as w. Define the matrix "
               "G = (w − w*; (1/‖w‖²) w (w*)ᵀ V). Then ⟨vec(G), ∇F_θ(w, V)⟩ ≥ F(w, V, θ) − F_lin(w*)."),
    evaluate_fn=evaluate, strategy_fn=_points, example_fn=_example,
    hypotheses=("w != 0",), quantities=("inner", "gap", "G_fro"),
    form=Form("inner >= gap", without_hypothesis=(
        HypothesisDrop("ℓ convex in p (Assumption 1)", concave_loss_points, evaluate,
                       "Lemma 1 for the concave 'loss' −½(p − y)²"),)),
    controls=(
        Variant("lemma1.sharper_x2", "⟨vec(G), ∇F⟩ ≥ 2·(F − F_lin(w*)) (constant sharpened by 2)",
                lambda i: evaluate(i, factor=2)),
    ),
))

lemma1_eq5 = register(Claim(
    id="lemma1.eq5", source=SOURCE_EQ5, kind="proof-step",
    statement="⟨vec(G), vec(∇F_θ(w, V))⟩ = E_{x,y}[d_ℓ (wᵀ(x + V f_θ(x)) − (w*)ᵀx)]  (5)",
    evaluate_fn=evaluate_eq5, strategy_fn=_points, example_fn=_example,
    hypotheses=("w != 0",), quantities=("inner", "expectation"), polish=False,
    controls=(
        Variant("lemma1.eq5.without_V", "Eq. (5) with the V f_θ(x) term dropped from the prediction",
                lambda i: _eq5_without_V(i)),
    ),
))


def _eq5_without_V(inst) -> Evaluation:
    fo = first_order(inst)
    inner, G_fro = inner_G_grad(inst, fo)
    s = inst.sample
    rhs = B.asum(s.p * fo.d1 * (s.X @ inst.w - fo.q_star))
    return Evaluation.compare(inner, "==", rhs, scale=G_fro * fo.grad_scale + fo.gap_scale,
                              ulps=_ulps(inst), source=SOURCE_EQ5, label="Eq. (5) without V f_θ(x)")


# ---------------------------------------------------------------- the convexity step (issue 22)
#
# ``lemma1.convexity_step`` (proof-step): "by convexity of ℓ, (∂/∂p)ℓ(p; y)(p − p̃) ≥ ℓ(p; y) − ℓ(p̃; y)
# for all p, p̃", checked per sample at p = wᵀ(x + Vf_θ(x)) and p̃ = (w*)ᵀx (the pairs the proof uses),
# reporting the sample with the smallest margin. Quantities ``tangent`` = ℓ'(p)(p − p̃), ``difference``
# = ℓ(p) − ℓ(p̃). Informative: a non-zero difference beyond rounding. Tolerance: scale
# |ℓ(p)| + |ℓ(p̃)| + |ℓ'(p)|(|p| + |p̃|), ``closed_form`` ulps. Control: the derivative taken at p̃ (false
# for strictly convex ℓ); the Form's hypothesis drop: the concave "loss" −½(p − y)², where it reverses.

SOURCE_CONV = "Convexity step, proof of Lemma 1, Sec. 6.1"


def evaluate_convexity_step(inst, *, wrong_point=False) -> Evaluation:
    fo = first_order(inst)
    s, loss = inst.sample, inst.loss
    p, pt = fo.q, fo.q_star
    tangent = loss.d1(pt if wrong_point else p, s.y) * (p - pt)
    diff = loss.diff(p, pt, s.y)
    scale = (B.abs_(loss.value(p, s.y)) + B.abs_(loss.value(pt, s.y))
             + B.abs_(loss.d1(p, s.y)) * (B.abs_(p) + B.abs_(pt)))
    margins = [float(tangent[i] - diff[i]) / max(float(scale[i]), 1e-300) for i in range(s.n)]
    i = int(np.argmin(margins))
    return Evaluation.compare(tangent[i], ">=", diff[i], scale=scale[i], ulps=tolerance.closed_form(),
                              quantities=dict(tangent=tangent[i], difference=diff[i]), source=SOURCE_CONV,
                              informative=tolerance.beyond_rounding(diff[i], scale[i]),
                              label="ℓ'(p; y)(p − p̃) ≥ ℓ(p; y) − ℓ(p̃; y) (p = wᵀ(x+Vf_θ(x)), p̃ = w*ᵀx)")


register(Claim(
    id="lemma1.convexity_step", source=SOURCE_CONV, kind="proof-step",
    statement="by convexity of ℓ, (∂/∂p)ℓ(p; y)(p − p̃) ≥ ℓ(p; y) − ℓ(p̃; y) for all p, p̃",
    evaluate_fn=evaluate_convexity_step, strategy_fn=_points, example_fn=_example,
    quantities=("tangent", "difference"),
    form=Form("tangent >= difference", without_hypothesis=(
        HypothesisDrop("ℓ convex in p (Assumption 1)", concave_loss_points, evaluate_convexity_step,
                       "the step for the concave 'loss' −½(p − y)²"),)),
    informative_rule="ℓ(p; y) − ℓ(p̃; y) non-zero beyond rounding",
    controls=(Variant("lemma1.convexity_step.wrong_point", "ℓ'(p̃; y)(p − p̃) ≥ ℓ(p; y) − ℓ(p̃; y) (the derivative "
                      "taken at p̃ instead of p)", lambda i: evaluate_convexity_step(i, wrong_point=True)),),
))
