"""Example 1 (Sec. 4) and the classification of its stationary points (Sec. 4, after Remark 3).

**Example 1.** *Fix some ε > 0. Suppose x, w, V, w\\* are all scalars, w\\* = 1, f_θ(x) = εx (with no
dependence on a parameter θ), ℓ(p; y) = ½(p − y)² is the squared loss, and x = y = 1 w.p. 1. Then
the objective can be equivalently written as*

    F(w, v) = ½ (w(1 + εv) − 1)²

*The gradient and Hessian of F(w, v) equal*

    ( (w − 1 + εwv)(1 + εv) )        ( (1 + εv)²            ε(2w + 2εwv − 1) )
    ( (w − 1 + εwv) εw      )  and   ( ε(2w + 2εwv − 1)     ε²w²             )

*respectively. In particular, at (w, v) = (0, −1/ε), the gradient is 0 and the Hessian equals
((0, −ε), (−ε, 0)), which is arbitrarily close to 0 if ε is small enough. However, the objective
value at that point equals F(0, −1/ε) = ½ > 0 = F_lin(1).*

Sec. 4, after Remark 3: *"Whereas the stationary points of F(w, v) are either global minima (along
two valleys, corresponding to {(w, v) : w(1 + εv) = 1}) or a saddle point (at (w, v) = (1, −1/ε)),
…"*

Claims (instances: :class:`theorems.model.planar.EpsPoint` (ε, w, v, h) with ε > 0; the point (0, −1/ε) is computed from
ε inside each predicate, in the arithmetic of the evaluation):

- ``example1.objective``: the model's F (``theorems.model.objective`` on the one-sample data
  above) equals ½(w(1 + εv) − 1)². Quantities ``F_model``, ``F_paper``.
- ``example1.gradient``: the model's gradient equals the stated vector. ``grad_error`` (max abs).
- ``example1.hessian``: the model's Hessian equals the stated matrix. ``hess_error`` (max abs).
- ``example1.stationary_point``: at (0, −1/ε) the gradient is 0 and the Hessian is
  ((0, −ε), (−ε, 0)). ``grad_norm``, ``hess_error``.
- ``example1.value``: F(0, −1/ε) = ½ and F_lin(1) = 0. ``F_at_point``, ``F_lin_1``.
- ``example1.sopsp``: (0, −1/ε) is an ε-SOPSP (Definition 1) of F on the open box
  M = (−2/ε, 2/ε)² of Remark 3, with μ₂ the exact Lipschitz constant of ∇²F on M
  (μ₂ = 6κε, Remark 3; :func:`theorems.model.planar.mu2_box`): ‖∇F‖ = 0 ≤ ε and λ_min = −ε ≥ −√(μ₂ε) = −√(6κ)·ε. The
  paper leaves the SOPSP parameter implicit ("arbitrarily close to 0"); the smallest ε' for which the
  point is an ε'-SOPSP is ε²/μ₂ = ε/(6κ) → 0. ``lambda_min``, ``mu2``, ``sopsp_eps_min``, ``gap``.
  Tightness ratio = ε/√(μ₂ε) = 1/√(6κ) ≈ 0.306 for every ε.
- ``example1.stationary_points`` (literal, **refuted**): the stated saddle (1, −1/ε) is a stationary
  point. It is not: ∇F(1, −1/ε) = (0, −ε) exactly. ``grad_norm``.
- ``example1.stationary_points.corrected``: the stationary points of F are exactly the global minima
  on the two valley branches {w(1 + εv) = 1} and the strict saddle (0, −1/ε). Per instance this is
  the exact identity ‖∇F(w, v)‖² = 2F(w, v)·((1 + εv)² + ε²w²) (so ∇F = 0 iff F = 0, or 1 + εv = 0
  and w = 0); the saddle's eigenvalues ±ε are ``example1.stationary_point``; the exhaustive SymPy
  solution is in ``tests/symbolic/test_section4_sympy.py``. ``grad_norm_sq``, ``identity_rhs``.

Informative examples: for the identities (objective, gradient, Hessian, the classification
identity) those where some compared term is non-zero beyond rounding (on the valley F = 0 with
∇F = 0 every term vanishes and nothing is tested); ``example1.stationary_point``,
``example1.value``, ``example1.stationary_points`` and ``example1.sopsp`` compare non-zero
constants at every ε > 0 (H_vw = −ε, F = ½, ∂F/∂v(1, −1/ε) = −ε, λ_min = −ε against −√(μ₂ε)), so
every instance is informative (pinned in ``tests/test_example1.py``).

Tolerances: scale = the sum of absolute values of the terms of the compared expressions (e.g.
(|w|(1 + ε|v|) + 1)² for F), ``tolerance.closed_form()`` = 64 ulps.
"""

from __future__ import annotations

import math
from functools import partial

from strategies.section4 import eps_points, example1_eps
from theorems.contract import Claim, Evaluation, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model import losses as L
from theorems.model.objective import gradient, hessian, linear_objective, objective
from theorems.model.planar import (
    EpsPoint,
    F,
    grad_F,
    hess_F,
    model_point,
    model_sample,
    mu2_box,
    saddle_point,
    sym2_eigs,
)

SOURCE = "Example 1, Sec. 4"
SOURCE_CLASSIFY = "Sec. 4, text after Remark 3 (stationary points of F)"


def _max_abs(*xs):
    return max(abs(x) for x in xs)


def _nonzero(*terms, scale) -> bool:
    """Some compared term is non-zero beyond rounding of magnitude ``scale`` (an identity between
    terms that are all 0 tests nothing)."""
    return tolerance.beyond_rounding(_max_abs(*terms), scale)


# -- example1.objective / gradient / hessian -------------------------------------------------------
def _F_scale(eps, w, v):
    return (abs(w) * (1 + eps * abs(v)) + 1) ** 2


def evaluate_objective(inst, *, half=True) -> Evaluation:
    s, loss, w, V, _ = model_point(inst)
    F_model = objective(s, loss, w, V)
    F_paper = F(inst.eps, inst.w, inst.v) * (1 if half else 2)
    scale = _F_scale(inst.eps, inst.w, inst.v)
    return Evaluation.compare(F_model, "==", F_paper, scale=scale, ulps=tolerance.closed_form(),
                              informative=_nonzero(F_model, F_paper, scale=scale),
                              quantities=dict(F_model=F_model, F_paper=F_paper), source=SOURCE,
                              label="F(w, V, θ) of Example 1 = ½(w(1+εv) − 1)²")


def evaluate_gradient(inst, *, variant=None) -> Evaluation:
    s, loss, w, V, _ = model_point(inst)
    g_w, g_V = gradient(s, loss, w, V)
    eps, w_, v_ = inst.eps, inst.w, inst.v
    p_w, p_v = grad_F(eps, w_, v_)
    if variant == "no_eps_in_dv":
        p_v = p_v / eps
    err = _max_abs(g_w[0] - p_w, g_V[0, 0] - p_v)
    scale = math.sqrt(float(_F_scale(eps, w_, v_))) * (1 + eps * abs(v_) + eps * abs(w_))
    return Evaluation.compare(err, "==", 0 * err, scale=scale, ulps=tolerance.closed_form(),
                              informative=_nonzero(g_w[0], g_V[0, 0], p_w, p_v, scale=scale),
                              quantities=dict(grad_error=err, g_w=g_w[0], g_v=g_V[0, 0], paper_w=p_w, paper_v=p_v),
                              source=SOURCE, label="∇F(w, v) = ((w−1+εwv)(1+εv), (w−1+εwv)εw)")


def evaluate_hessian(inst, *, variant=None) -> Evaluation:
    s, loss, w, V, _ = model_point(inst)
    H = hessian(s, loss, w, V)
    eps, w_, v_ = inst.eps, inst.w, inst.v
    h_ww, h_wv, h_vv = hess_F(eps, w_, v_)
    if variant == "no_minus_one":
        h_wv = h_wv + eps
    err = _max_abs(H[0, 0] - h_ww, H[0, 1] - h_wv, H[1, 0] - h_wv, H[1, 1] - h_vv)
    a = 1 + eps * abs(v_)
    scale = a * a + eps * (2 * abs(w_) * a + 1) + (eps * w_) ** 2 + 1
    return Evaluation.compare(err, "==", 0 * err, scale=scale, ulps=tolerance.closed_form(),
                              informative=_nonzero(h_ww, h_wv, h_vv, scale=scale),
                              quantities=dict(hess_error=err), source=SOURCE,
                              label="∇²F(w, v) = ((1+εv)², ε(2w+2εwv−1); ε(2w+2εwv−1), ε²w²)")


# -- the point (0, −1/ε) --------------------------------------------------------------------------------
def evaluate_stationary_point(inst, *, sign=-1) -> Evaluation:
    eps = inst.eps
    w, v = saddle_point(eps)
    gw, gv = grad_F(eps, w, v)
    h_ww, h_wv, h_vv = hess_F(eps, w, v)
    grad_norm = B.sqrt(gw * gw + gv * gv)
    hess_error = _max_abs(h_ww, h_wv - sign * eps, h_vv)
    lhs = grad_norm + hess_error
    # −1/ε is rounded: 1 + εv and the gradient are O(u), the Hessian entries O(ε + u)
    return Evaluation.compare(lhs, "==", 0 * lhs, scale=1 + eps, ulps=tolerance.closed_form(),
                              informative=_nonzero(h_wv, scale=1 + eps),
                              quantities=dict(grad_norm=grad_norm, hess_error=hess_error, H_wv=h_wv),
                              source=SOURCE, label="at (0, −1/ε): ∇F = 0 and ∇²F = ((0, −ε), (−ε, 0))")


def evaluate_value(inst, *, stated=None) -> Evaluation:
    eps = inst.eps
    w, v = saddle_point(eps)
    s, arr = model_sample(eps)
    F_point = objective(s, L.squared(), arr([w]), arr([[v]]))
    F_lin_1 = linear_objective(s, L.squared(), arr([1 + 0 * eps]))
    half = 1 / (2 + 0 * eps)
    target = half if stated is None else stated(eps)
    lhs = abs(F_point - target) + abs(F_lin_1)
    return Evaluation.compare(lhs, "==", 0 * lhs, scale=1, ulps=tolerance.closed_form(),
                              informative=_nonzero(F_point, scale=1),
                              quantities=dict(F_at_point=F_point, F_lin_1=F_lin_1, gap=F_point - F_lin_1),
                              hypotheses={"eps > 0": True}, source=SOURCE,
                              label="F(0, −1/ε) = ½ > 0 = F_lin(1)")


def evaluate_sopsp(inst, *, sopsp_eps=None) -> Evaluation:
    eps = inst.eps
    w, v = saddle_point(eps)
    gw, gv = grad_F(eps, w, v)
    lam_min, _ = sym2_eigs(*hess_F(eps, w, v))
    mu2 = mu2_box(eps)
    e_prime = eps if sopsp_eps is None else sopsp_eps(eps)
    grad_norm = B.sqrt(gw * gw + gv * gv)
    rhs = -B.sqrt(mu2 * e_prime)
    # both conditions of Definition 1 in one margin: ‖∇F‖ ≤ ε' and λ_min ≥ −√(μ₂ε')
    lhs = lam_min - max(grad_norm - e_prime, 0 * eps)
    gap = F(eps, w, v) - F(eps, 1 + 0 * eps, 0 * eps)
    return Evaluation.compare(lhs, ">=", rhs, scale=1 + eps + abs(rhs), ulps=tolerance.closed_form(),
                              informative=_nonzero(lam_min, rhs, scale=1 + eps + abs(rhs)),
                              ratio=float(abs(lam_min) / abs(rhs)) if rhs != 0 else None,
                              quantities=dict(lambda_min=lam_min, grad_norm=grad_norm, mu2=mu2, sopsp_eps=e_prime,
                                              sopsp_eps_min=eps ** 2 / mu2, gap=gap),
                              hypotheses={"(0, -1/eps) in the box": True}, source=SOURCE,
                              label="(0, −1/ε) is an ε-SOPSP of F on (−2/ε, 2/ε)²: λ_min(∇²F) ≥ −√(μ₂ε)")


# -- classification of all stationary points ------------------------------------------------------------
def evaluate_stated_saddle(inst, *, w=None) -> Evaluation:
    eps = inst.eps
    gw, gv = grad_F(eps, 1 + 0 * eps if w is None else w, -1 / eps)
    grad_norm = B.sqrt(gw * gw + gv * gv)
    return Evaluation.compare(grad_norm, "==", 0 * grad_norm, scale=1 + eps, ulps=tolerance.closed_form(),
                              informative=True,
                              quantities=dict(grad_norm=grad_norm, grad_w=gw, grad_v=gv), source=SOURCE_CLASSIFY,
                              label="∇F(1, −1/ε) = 0 (the stated saddle point is stationary)")


def evaluate_classification(inst, *, eps_in_second=True) -> Evaluation:
    eps, w, v = inst.eps, inst.w, inst.v
    gw, gv = grad_F(eps, w, v)
    lhs = gw * gw + gv * gv
    k = eps if eps_in_second else 1 + 0 * eps
    rhs = 2 * F(eps, w, v) * ((1 + eps * v) ** 2 + k ** 2 * w ** 2)
    scale = _F_scale(eps, w, v) * ((1 + eps * abs(v)) ** 2 + (eps * w) ** 2)
    return Evaluation.compare(lhs, "==", rhs, scale=scale, ulps=tolerance.closed_form(),
                              informative=_nonzero(lhs, rhs, scale=scale),
                              quantities=dict(grad_norm_sq=lhs, identity_rhs=rhs, F=F(eps, w, v)),
                              source=SOURCE_CLASSIFY,
                              label="‖∇F‖² = 2F·((1+εv)² + ε²w²): ∇F = 0 ⇔ F = 0 or (w, v) = (0, −1/ε)")


def _example():
    return EpsPoint(0.1, 0.7, -3.0, 0.6, 0.8)


objective_claim = register(Claim(
    id="example1.objective", source=SOURCE, kind="literal",
    statement=("x, w, V, w* scalars, w* = 1, f_θ(x) = εx, squared loss, x = y = 1 w.p. 1: the objective can be "
               "written as F(w, v) = ½(w(1 + εv) − 1)²."),
    evaluate_fn=evaluate_objective, strategy_fn=eps_points, example_fn=_example,
    quantities=("F_model", "F_paper"), polish=False,
    controls=(Variant("example1.objective.without_half", "F(w, v) = (w(1 + εv) − 1)² (the Figure 1 caption's "
                      "form, without ½)", lambda i: evaluate_objective(i, half=False)),),
))

gradient_claim = register(Claim(
    id="example1.gradient", source=SOURCE, kind="literal",
    statement="The gradient of F(w, v) equals ((w − 1 + εwv)(1 + εv), (w − 1 + εwv)εw).",
    evaluate_fn=evaluate_gradient, strategy_fn=eps_points, example_fn=_example,
    quantities=("grad_error", "g_w", "g_v", "paper_w", "paper_v"), polish=False,
    controls=(Variant("example1.gradient.no_eps_in_dv", "∂F/∂v = (w − 1 + εwv)w (factor ε dropped)",
                      lambda i: evaluate_gradient(i, variant="no_eps_in_dv")),),
))

hessian_claim = register(Claim(
    id="example1.hessian", source=SOURCE, kind="literal",
    statement="The Hessian of F(w, v) equals ((1 + εv)², ε(2w + 2εwv − 1); ε(2w + 2εwv − 1), ε²w²).",
    evaluate_fn=evaluate_hessian, strategy_fn=eps_points, example_fn=_example,
    quantities=("hess_error",), polish=False,
    controls=(Variant("example1.hessian.no_minus_one", "off-diagonal ε(2w + 2εwv) (the −1 dropped)",
                      lambda i: evaluate_hessian(i, variant="no_minus_one")),),
))

stationary_point_claim = register(Claim(
    id="example1.stationary_point", source=SOURCE, kind="literal",
    statement=("At (w, v) = (0, −1/ε), the gradient is 0 and the Hessian equals ((0, −ε), (−ε, 0)), which is "
               "arbitrarily close to 0 if ε is small enough."),
    evaluate_fn=evaluate_stationary_point, strategy_fn=example1_eps, example_fn=_example,
    quantities=("grad_norm", "hess_error", "H_wv"), polish=False,
    controls=(Variant("example1.stationary_point.plus_eps", "the Hessian at (0, −1/ε) is ((0, ε), (ε, 0))",
                      lambda i: evaluate_stationary_point(i, sign=+1)),),
))

value_claim = register(Claim(
    id="example1.value", source=SOURCE, kind="literal",
    statement="The objective value at (0, −1/ε) equals F(0, −1/ε) = ½ > 0 = F_lin(1).",
    evaluate_fn=evaluate_value, strategy_fn=example1_eps, example_fn=_example,
    hypotheses=("eps > 0",), quantities=("F_at_point", "F_lin_1", "gap"), polish=False,
    controls=(Variant("example1.value.vanishing", "F(0, −1/ε) = ε/2 (a value vanishing with ε)",
                      lambda i: evaluate_value(i, stated=lambda e: e / 2)),),
))

sopsp_claim = register(Claim(
    id="example1.sopsp", source=SOURCE, kind="literal",
    statement=("(0, −1/ε) has gradient 0 and Hessian arbitrarily close to 0 for small ε, i.e. (Definition 1, "
               "with μ₂ the Lipschitz constant of ∇²F on the box (−2/ε, 2/ε)² of Remark 3) it is an ε-SOPSP of F, "
               "while F(0, −1/ε) − F_lin(1) = ½."),
    evaluate_fn=evaluate_sopsp, strategy_fn=example1_eps, example_fn=_example,
    hypotheses=("(0, -1/eps) in the box",),
    quantities=("lambda_min", "grad_norm", "mu2", "sopsp_eps", "sopsp_eps_min", "gap"), polish=False,
    notes=("The smallest SOPSP parameter is ε²/μ₂ = ε/(6κ) ≈ 0.0939ε, κ = max_{‖x‖=1} |x₁x₂(3x₁ + 2x₂)|."),
    controls=(Variant("example1.sopsp.eps_squared", "(0, −1/ε) is an ε²-SOPSP on the box (false for ε < 1/(6κ))",
                      lambda i: evaluate_sopsp(i, sopsp_eps=lambda e: e * e)),),
))

stationary_points_corrected = register(Claim(
    id="example1.stationary_points.corrected", source=SOURCE_CLASSIFY, kind="corrected",
    statement=("The stationary points of F(w, v) are either global minima (along two valleys, corresponding to "
               "{(w, v) : w(1 + εv) = 1}) or a strict saddle point at (w, v) = (0, −1/ε) [paper: (1, −1/ε)]."),
    evaluate_fn=evaluate_classification, strategy_fn=partial(eps_points, region="plane"),
    example_fn=_example, quantities=("grad_norm_sq", "identity_rhs", "F"), polish=False,
    notes="Per instance: ‖∇F‖² = 2F((1+εv)² + ε²w²); exhaustive SymPy solution in tests/symbolic.",
    controls=(Variant("example1.stationary_points.corrected.no_eps", "‖∇F‖² = 2F((1+εv)² + w²) (ε dropped)",
                      lambda i: evaluate_classification(i, eps_in_second=False)),),
))

stationary_points_literal = register(Claim(
    id="example1.stationary_points", source=SOURCE_CLASSIFY, kind="literal",
    statement=("The stationary points of F(w, v) are either global minima (along two valleys, corresponding to "
               "{(w, v) : w(1 + εv) = 1}) or a saddle point (at (w, v) = (1, −1/ε))."),
    evaluate_fn=evaluate_stated_saddle, strategy_fn=example1_eps, example_fn=_example,
    quantities=("grad_norm", "grad_w", "grad_v"), polish=False,
    erratum={"location": "Sec. 4, paragraph after Remark 3 (\"or a saddle point (at (w, v) = (1, −1/ε))\")",
             "statement": "the saddle point of F is at (1, −1/ε)",
             "correction": "example1.stationary_points.corrected",
             "why": ("∇F(1, −1/ε) = (0, −ε) ≠ 0 exactly, so (1, −1/ε) is not stationary; the only stationary point "
                     "off the valleys is (0, −1/ε) — the point of Example 1 itself — a strict saddle with "
                     "Hessian eigenvalues ±ε.")},
    controls=(Variant("example1.stationary_points.half_way", "the saddle point is at (½, −1/ε)",
                      lambda i: evaluate_stated_saddle(i, w=1 / (2 + 0 * i.eps))),),
))
