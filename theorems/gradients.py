"""The gradient formulas of Sec. 6.1–6.2: Eq. (7), and the identities Eq. (3) and Eq. (4).

**Eq. (7).** ∂F/∂w = E[ℓ'(wᵀ(x + V f_θ(x)); y) · (x + V f_θ(x))],
            ∂F/∂V = E[ℓ'(wᵀ(x + V f_θ(x)); y) · w f_θ(x)ᵀ].

``gradients`` checks the closed form (``theorems.model.gradient``) against the derivative of
t ↦ F_θ((w, V) + t·(D_w, D_V)) at t = 0 along a drawn direction — the jax ``check_grads``
approach. In both precisions the derivative is a Richardson-extrapolated central difference
(``theorems.model.calculus.richardson_derivative``: the step moves every prediction by 10⁻³ in
float64 and 10^(−dps/4) at high precision); its truncation estimate and the rounding of the
quotients are added to the tolerance (``extra_tol``).

**Eq. (3).** ⟨w − w*, ∂F/∂w⟩ = E[d_ℓ (w − w*)ᵀ(x + V f_θ(x))].
**Eq. (4).** ⟨vec((1/‖w‖²) w (w*)ᵀ V), vec(∂F/∂V)⟩ = E[d_ℓ (w*)ᵀ V f_θ(x)]   (needs w ≠ 0).

The left sides of Eq. (3)/(4) are computed independently of the gradient formula, as the
derivative of F_θ along (w − w*, 0) and (0, (1/‖w‖²) w (w*)ᵀ V) (same Richardson scheme); the right
sides as the paper's expectations. (Computing the left side from Eq. (7)'s gradient would compare a
sum with a reordering of itself.)

Informative examples: those where the compared terms are non-zero beyond rounding (an identity
between zeros tests nothing); for Eq. (7) also beyond the difference quotient's error allowance.

Quantities: ``directional`` (closed form ⟨∇F, D⟩), ``numerical``; for Eq. (3)/(4) ``inner`` and
``expectation``.
"""

from __future__ import annotations

import numpy as np

from strategies import directional_points, nonzero_w_points, section3_points
from theorems.contract import Claim, Evaluation, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.calculus import prediction_path, richardson_derivative
from theorems.model.instance import random_point
from theorems.model.objective import objective
from theorems.model.quantities import first_order
from theorems.model.requirements import require_w_nonzero


def _ulps(inst):
    s = inst.sample
    return tolerance.first_order(s.n, s.d, s.k)

SOURCE_EQ7 = "Eq. (7), Sec. 6.2 (also Sec. 6.1)"
SOURCE_EQ3 = "Eq. (3), proof of Lemma 1, Sec. 6.1"
SOURCE_EQ4 = "Eq. (4), proof of Lemma 1, Sec. 6.1"


def _line(inst):
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    Dw, DV = inst.extras["D_w"], inst.extras["D_V"]
    return lambda t: objective(s, loss, w + t * Dw, V + t * DV)


def evaluate(inst, *, gradient_fn=None) -> Evaluation:
    fo = first_order(inst)
    Dw, DV = inst.extras["D_w"], inst.extras["D_V"]
    if gradient_fn is None:
        g_w, g_V = fo.g_w, fo.g_V
    else:
        g_w, g_V = gradient_fn(inst)
    directional = B.asum(g_w * Dw) + B.asum(g_V * DV)
    F = _line(inst)
    D_norm = B.norm(Dw, DV)
    scale = fo.grad_scale * D_norm
    s = inst.sample
    rate, curv = prediction_path(fo.Z, s.Phi, inst.w, Dw, DV)
    numerical, extra = richardson_derivative(F, rate, mp=inst.is_mp, scale=fo.gap_scale, curvature=curv)
    q = dict(directional=directional, numerical=numerical, D_norm=D_norm)
    return Evaluation.compare(directional, "==", numerical, scale=scale, extra_tol=extra,
                              ulps=_ulps(inst), quantities=q, source=SOURCE_EQ7,
                              label="⟨∇F_θ (Eq. 7), D⟩ = d/dt F_θ((w,V) + tD)|_{t=0}",
                              informative=(tolerance.beyond_rounding(directional, scale)
                                           and abs(float(directional)) > float(extra)))


def _wrong_gradient(inst):
    """Eq. (7) with the V f_θ(x) term dropped from ∂F/∂w (a plausible slip)."""
    s, fo = inst.sample, first_order(inst)
    c = s.p * fo.d1
    return s.X.T @ c, fo.g_V


def _directional_derivative(inst, fo, Dw, DV):
    """d/dt F_θ((w, V) + t(D_w, D_V)) at t = 0 from F alone (Richardson central differences): an
    inner product with ∇F computed without the gradient formula, so Eq. (3)/(4) are not checked
    against a reordering of their own right-hand side."""
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    rate, curv = prediction_path(fo.Z, s.Phi, w, Dw, DV)
    return richardson_derivative(lambda t: objective(s, loss, w + t * Dw, V + t * DV), rate, mp=inst.is_mp,
                                 scale=fo.gap_scale, curvature=curv)


def evaluate_eq3(inst, *, sign=1) -> Evaluation:
    if inst.w_star is None:
        raise ValueError("argument 'w_star': Eq. (3) needs w*")
    fo = first_order(inst)
    s = inst.sample
    dw = inst.w - inst.w_star
    # ⟨w − w*, ∂F/∂w⟩ as the derivative of F along (w − w*, 0)
    inner, extra = _directional_derivative(inst, fo, dw, 0 * inst.V)
    expectation = sign * B.asum(s.p * fo.d1 * (fo.Z @ dw))
    scale = B.norm(dw) * fo.grad_scale + abs(inner)
    return Evaluation.compare(inner, "==", expectation, scale=scale, extra_tol=extra,
                              ulps=_ulps(inst), quantities=dict(inner=inner, expectation=expectation),
                              source=SOURCE_EQ3, label="⟨w − w*, ∂F/∂w⟩ = E[d_ℓ (w − w*)ᵀ(x + Vf_θ(x))]",
                              informative=tolerance.beyond_rounding(expectation, scale))


def evaluate_eq4(inst, *, wrong=False) -> Evaluation:
    require_w_nonzero(inst, SOURCE_EQ4)
    fo = first_order(inst)
    s, w, ws, V = inst.sample, inst.w, inst.w_star, inst.V
    M = np.outer(w, ws) @ V / (fo.w_norm ** 2 if not wrong else fo.w_norm)
    # ⟨vec M, vec ∂F/∂V⟩ as the derivative of F along (0, M)
    inner, extra = _directional_derivative(inst, fo, 0 * w, M)
    expectation = B.asum(s.p * fo.d1 * (s.Phi @ (V.T @ ws)))
    scale = B.norm(M) * fo.grad_scale + abs(inner)
    return Evaluation.compare(inner, "==", expectation, scale=scale, extra_tol=extra, ulps=_ulps(inst),
                              quantities=dict(inner=inner, expectation=expectation),
                              hypotheses={"w != 0": True}, source=SOURCE_EQ4,
                              label="⟨vec(ww*ᵀV/‖w‖²), vec(∂F/∂V)⟩ = E[d_ℓ w*ᵀVf_θ(x)]",
                              informative=tolerance.beyond_rounding(expectation, scale))


def _example():
    return random_point(3, k=2, extras={"D_w": (3,), "D_V": (3, 2)})


gradients = register(Claim(
    id="gradients", source=SOURCE_EQ7, kind="literal",
    statement=("∂F/∂w = E[ℓ'(wᵀ(x + V f_θ(x)); y)·(x + V f_θ(x))],  ∂F/∂V = E[ℓ'(wᵀ(x + V f_θ(x)); y)·w f_θ(x)ᵀ]  (7)"),
    evaluate_fn=evaluate, strategy_fn=directional_points, example_fn=_example,
    quantities=("directional", "numerical", "D_norm"), polish=False,
    controls=(
        Variant("gradients.missing_Vf", "∂F/∂w = E[ℓ' x] (the V f_θ(x) term dropped)",
                lambda i: evaluate(i, gradient_fn=_wrong_gradient)),
    ),
))

gradients_eq3 = register(Claim(
    id="gradients.eq3", source=SOURCE_EQ3, kind="proof-step",
    statement="⟨w − w*, ∂F(w, V, θ)/∂w⟩ = E_{x,y}[d_ℓ (w − w*)ᵀ(x + V f_θ(x))]  (3)",
    evaluate_fn=evaluate_eq3, strategy_fn=section3_points, example_fn=lambda: random_point(4),
    quantities=("inner", "expectation"), polish=False,
    controls=(
        Variant("gradients.eq3.sign", "⟨w − w*, ∂F/∂w⟩ = E[d_ℓ (w* − w)ᵀ(x + Vf_θ(x))] (sign slip)",
                lambda i: evaluate_eq3(i, sign=-1)),
    ),
))


gradients_eq4 = register(Claim(
    id="gradients.eq4", source=SOURCE_EQ4, kind="proof-step",
    statement=("⟨vec((1/‖w‖²) w (w*)ᵀ V), vec(∂F(w, V, θ)/∂V)⟩ = E_{x,y}[d_ℓ (w*)ᵀ V f_θ(x)]  (4)"),
    evaluate_fn=evaluate_eq4, strategy_fn=nonzero_w_points, example_fn=lambda: random_point(5),
    hypotheses=("w != 0",), quantities=("inner", "expectation"), polish=False,
    controls=(
        Variant("gradients.eq4.norm_not_squared", "Eq. (4) with 1/‖w‖ in place of 1/‖w‖²",
                lambda i: evaluate_eq4(i, wrong=True)),
    ),
))
