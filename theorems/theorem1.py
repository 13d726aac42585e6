"""Theorem 1 (Sec. 3) and its intermediate bound, Eq. (6) (proof in Sec. 6.1).

**Theorem 1.** *At any point (w, V, θ) such that w ≠ 0, and for any vector w\\* of the same
dimension as w,*

    ‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²)).

**Eq. (6)** (the sharper bound the proof passes through, from Lemma 1 and Cauchy–Schwarz):

    ‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(‖w − w*‖² + ‖(1/‖w‖²) w (w*)ᵀ V‖²_Fr).

Hypotheses: w ≠ 0 (raises :class:`HypothesisNotMet` otherwise); ℓ convex and C² in p
(Assumption 1, guaranteed by the loss catalogue). ‖V‖ is the spectral norm.

Quantities: ``grad_norm`` = ‖∇F_θ(w, V)‖, ``gap`` = F(w, V, θ) − F_lin(w*), ``w_norm``,
``w_star_norm``, ``V_norm`` (spectral), ``denominator`` (of the bound), ``bound`` = gap/denominator.
Tightness ``ratio`` = bound / ‖∇F‖ (0 when gap ≤ 0). Both bounds are attained, e.g. by the linear
loss with w* = −w, w* a top left singular vector of V and ∇F parallel to Lemma 1's G.

Informative examples: those with a positive gap F(w, V, θ) − F_lin(w*) (beyond rounding): where
the gap is ≤ 0 the bound is ≤ 0 and ‖∇F‖ ≥ 0 holds whatever the instance.

Tolerance: scale = grad_scale + gap_scale/denominator (magnitudes of the terms behind ‖∇F‖
and the gap, see ``theorems.model.quantities``), ``tolerance.first_order(n, d, k)`` = 64·(n + d + k) ulps.
"""

from __future__ import annotations

import numpy as np

from strategies.instances import concave_loss_points, theorem1_points
from theorems.contract import Claim, Evaluation, Form, HypothesisDrop, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.constructions import theorem1_attaining_instance as attaining_instance  # noqa: F401
from theorems.model.instance import random_point
from theorems.model.quantities import first_order
from theorems.model.requirements import require_w_nonzero

SOURCE = "Theorem 1, Sec. 3"
SOURCE_EQ6 = "Eq. (6), proof of Theorem 1, Sec. 6.1"


def _ulps(inst):
    s = inst.sample
    return tolerance.first_order(s.n, s.d, s.k)


def _positive_gap(fo) -> bool:
    # a lower bound on ‖∇F‖ can only fail where it is positive: F(w, V, θ) > F_lin(w*) beyond rounding
    return fo.gap > 0 and tolerance.beyond_rounding(fo.gap, fo.gap_scale)


def theorem1_bound(inst, fo=None):
    fo = fo or first_order(inst)
    denom = B.sqrt(2 * fo.w_norm ** 2 + fo.w_star_norm ** 2 * (2 + fo.V_norm ** 2 / fo.w_norm ** 2))
    return fo, denom


def evaluate(inst, *, factor=1) -> Evaluation:
    require_w_nonzero(inst, SOURCE)
    fo, denom = theorem1_bound(inst)
    bound = fo.gap / denom
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, w_norm=fo.w_norm, w_star_norm=fo.w_star_norm,
             V_norm=fo.V_norm, denominator=denom, bound=bound)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound, scale=fo.grad_scale + fo.gap_scale / denom,
                              ulps=_ulps(inst), quantities=q, hypotheses={"w != 0": True},
                              informative=_positive_gap(fo),
                              source=SOURCE, label="‖∇F_θ(w,V)‖ ≥ (F − F_lin(w*))/√(2‖w‖²+‖w*‖²(2+‖V‖²/‖w‖²))")


def eq6_denominator(inst, fo):
    w, w_star, V = inst.w, inst.w_star, inst.V
    M = np.outer(w, w_star) @ V / fo.w_norm ** 2
    dw = w - w_star
    return B.norm(dw, M)


def evaluate_eq6(inst, *, factor=1) -> Evaluation:
    require_w_nonzero(inst, SOURCE_EQ6)
    fo = first_order(inst)
    G_fro = eq6_denominator(inst, fo)
    if G_fro == 0:
        # G = 0 (w* = w, Vᵀw* = 0): the quotient is undefined; the proof's undivided form
        # ‖G‖_Fr·‖∇F‖ ≥ F − F_lin(w*) reads 0 ≥ gap, which is what is checked here.
        q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, bound=None, w_norm=fo.w_norm,
                 w_star_norm=fo.w_star_norm, V_norm=fo.V_norm)
        return Evaluation.compare(0 * fo.gap, ">=", factor * fo.gap, scale=fo.gap_scale, ulps=_ulps(inst),
                                  quantities=q, hypotheses={"w != 0": True}, source=SOURCE_EQ6,
                                  informative=_positive_gap(fo),
                                  label="‖G‖_Fr·‖∇F_θ(w,V)‖ ≥ F − F_lin(w*) at G = 0")
    bound = fo.gap / G_fro
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, bound=bound, w_norm=fo.w_norm,
             w_star_norm=fo.w_star_norm, V_norm=fo.V_norm)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound, scale=fo.grad_scale + fo.gap_scale / G_fro,
                              ulps=_ulps(inst), quantities=q, hypotheses={"w != 0": True},
                              informative=_positive_gap(fo),
                              source=SOURCE_EQ6, label="‖∇F_θ(w,V)‖ ≥ (F − F_lin(w*))/‖G‖_Fr")


def _example():
    return random_point(1)


theorem1 = register(Claim(
    id="theorem1", source=SOURCE, kind="literal",
    statement=("At any point (w, V, θ) such that w ≠ 0, and for any vector w* of the same dimension "
               "as w, ‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²))."),
    evaluate_fn=evaluate, strategy_fn=theorem1_points, example_fn=_example,
    hypotheses=("w != 0",),
    quantities=("grad_norm", "gap", "w_norm", "w_star_norm", "V_norm", "denominator", "bound"),
    form=Form("grad_norm >= gap/sqrt(2*w_norm**2 + w_star_norm**2*(2 + V_norm**2/w_norm**2))",
              without_hypothesis=(HypothesisDrop("ℓ convex in p (Assumption 1)", concave_loss_points, evaluate,
                                                 "Theorem 1 for the concave 'loss' −½(p − y)²"),)),
    controls=(
        Variant("theorem1.sharper_x2", "‖∇F‖ ≥ 2·(F − F_lin(w*))/√(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²)) "
                "(constant sharpened by 2)", lambda i: evaluate(i, factor=2)),
    ),
))

theorem1_eq6 = register(Claim(
    id="theorem1.eq6", source=SOURCE_EQ6, kind="proof-step",
    statement=("‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(‖w − w*‖² + ‖(1/‖w‖²) w (w*)ᵀ V‖²_Fr)  (6)"),
    evaluate_fn=evaluate_eq6, strategy_fn=theorem1_points, example_fn=_example,
    hypotheses=("w != 0",),
    quantities=("grad_norm", "gap", "G_fro", "bound", "w_norm", "w_star_norm", "V_norm"),
    form=Form("grad_norm >= gap/G_fro",
              without_hypothesis=(HypothesisDrop("ℓ convex in p (Assumption 1)", concave_loss_points, evaluate_eq6,
                                                 "Eq. (6) for the concave 'loss' −½(p − y)²"),)),
    controls=(
        Variant("theorem1.eq6.sharper_x1.5", "‖∇F‖ ≥ 1.5·(F − F_lin(w*))/‖G‖_Fr (constant sharpened by 1.5)",
                lambda i: evaluate_eq6(i, factor=1.5)),
    ),
))
