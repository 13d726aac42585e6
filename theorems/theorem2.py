"""Theorem 2 (Sec. 3) and the steps of its proof, Eq. (8)–(13) (Sec. 6.2).

**Theorem 2.** *For any V, θ, w\\*,*

    λ_min(∇²F_θ(0, V)) ≤ 0

*and*

    ‖∇F_θ(0, V)‖ + ‖V‖ √(|λ_min(∇²F_θ(0, V))| · ‖∂²F_θ(0, V)/∂w²‖ + λ_min(∇²F_θ(0, V))²)
        ≥ (F(0, V, θ) − F_lin(w*)) / ‖w*‖.

**Eq. (8)** ∂²F(0, V, θ)/∂V² = 0.   **Eq. (9)** ∂²F(0, V, θ)/∂w_i∂V = e_i rᵀ, with
**Eq. (10)** r = E[ℓ'(0; y) f_θ(x)].
**Eq. (11)** with b = [∂²F_θ(0, V)/∂w²]₁₁ and M = [[b, rᵀ], [r, 0]] (a submatrix of ∇²F_θ(0, V)):
‖r‖² = |bλ_min(M)| + λ_min(M)².
**Eq. (12)** ‖r‖² ≤ |λ_min(∇²F_θ(0, V))| · ‖∂²F_θ(0, V)/∂w²‖ + λ_min(∇²F_θ(0, V))².
**Eq. (13)** ‖∇F_θ(0, V)‖ + ‖V‖·‖r‖ ≥ ‖∇F_lin(0)‖.

Hypotheses: the point is (0, V) (instances have w = 0; ``HypothesisNotMet`` otherwise); ℓ convex
(Assumption 1). ‖V‖ and ‖∂²F/∂w²‖ are spectral norms. With w\\* = 0 the right-hand side is 0/0
(F(0, V) − F_lin(0) = 0); there the proof's undivided form reads 0 ≥ 0, so w* = 0 raises
``HypothesisNotMet`` (not tested) instead of counting as an example.
Eq. (11) uses Lemma 2 with b ≥ 0 (convexity), the case where Lemma 2 is true (see lemma2.py).

Coordinates: vec V is row-major, so M is the principal submatrix on {w₁} ∪ {V₁ⱼ}, coordinates
0 and d + j (j < k); its off-diagonal row is checked to be Eq. (10)'s r, not assumed.

Quantities (theorem2): ``grad_norm``, ``V_norm``, ``lambda_min`` (of ∇²F_θ(0, V)), ``H_ww_norm``,
``gap`` = F(0, V, θ) − F_lin(w*) (per-sample, cancellation-free), ``w_star_norm``, ``r_norm``.
Eq. (8)–(9): directional check along a drawn D = (D_w, D_V): the V-rows of ∇²F_θ(0, V)·D predicted
by Eq. (8)–(9), D_w rᵀ, against the central difference of the closed-form gradient (Eq. 7,
audited by ``gradients``) along D; quantity ``discrepancy`` = ‖numerical − predicted‖_F.

Constructed regimes (``strategies.second_order.theorem2_points``, each a named ``meta["corner"]``):
drawn w = 0 points with a w* that stays non-trivial at w = 0 (generic, top singular vector of V,
and w* = −t∇F_lin(0)); **stationary points** (0, V), V = −∇F_lin(0) rᵀ/‖r‖² + N(I − r rᵀ/‖r‖²),
where ∇F_θ(0, V) = ∇F_lin(0) + V r = 0 and λ_min < 0, so only the curvature term carries the bound;
and the **attaining** family: linear loss ℓ(p; y) = −yp (F_lin affine, ∂²F/∂w² = 0, λ_min = −‖r‖),
w* = −t∇F_lin(0) so that (F(0, V, θ) − F_lin(w*))/‖w*‖ = ‖∇F_lin(0)‖, and V = 0 (left side
‖∇F_lin(0)‖) or the stationary V with N = 0 (left side ‖V‖‖r‖ = ‖∇F_lin(0)‖): Theorem 2 holds with
equality, so its reported tightness is 1 (``theorems.model.second_order_constructions``).

Informative examples: theorem2 — w* ≠ 0 and a positive gap F(0, V, θ) − F_lin(w*) beyond rounding
(elsewhere the right side is ≤ 0 and the left side ≥ 0 holds whatever the instance);
theorem2.lambda_min — λ_min ≠ 0 beyond rounding (λ_min(∇²F_θ(0, V)) ≤ 0 is implied by the zero
V–V diagonal, so only a strict saddle tests the sign of a computed non-zero eigenvalue);
theorem2.hessian — the predicted D_w rᵀ is non-zero beyond rounding; theorem2.eq11, eq12 — ‖r‖² > 0
beyond rounding (with r = 0 both sides are 0 = 0); theorem2.eq13 — ‖∇F_lin(0)‖ > 0 beyond rounding.

Further steps (issue 22): ``theorem2.dichotomy``, ``theorem2.second_derivatives``,
``theorem2.hessian_display``, ``theorem2.interlacing``, ``theorem2.b_le_Hww``,
``theorem2.flin_gradient_bound`` — see the comment block before their definitions.

Quantities at (0, V), one derivation in both precisions: ``theorems.model.second_order.at_zero``.
Tolerance: ``tolerance.second_order`` = 64·(n + d + dk) ulps (Eq. 8–9: ``tolerance.hessian_blocks``)
of the magnitudes behind each side: g = Σ p|ℓ'(0)|(‖x‖ + ‖V‖‖φ‖) (gradient),
h = Σ p ℓ''(0)‖z‖² + Σ p|ℓ'(0)|‖φ‖ ≥ ‖∇²F_θ(0, V)‖ (Hessian entries and eigenvalues),
gap_scale = Σ p(|ℓ(0)| + |ℓ(q*)| + |ℓ'(q*) q*|). Float violations are re-checked at 60 digits.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from strategies import zero_w_points
from strategies.batches import batch_searched
from strategies.second_order import (
    any_w_direction_points,
    exact_saddles,
    flat_feature_points,
    theorem2_necessity_points,
    theorem2_points,
    zero_w_direction_points,
)
from theorems.contract import Claim, Evaluation, Form, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.calculus import prediction_path, richardson_derivative
from theorems.model.instance import random_point
from theorems.model.objective import gradient, gradient_terms, hessian, linear_gradient, linear_objective, objective
from theorems.model.second_order import at_zero, lambda_min

SOURCE = "Theorem 2, Sec. 3"
SRC = {k: f"Eq. ({k}), proof of Theorem 2, Sec. 6.2" for k in ("8–9", "11", "12", "13")}


def require_w_zero(inst, source):
    if np.any(B.to_float(inst.w) != 0):
        raise HypothesisNotMet(f"argument 'w': w ≠ 0, but {source} is about the point (0, V)")


def _ulps(inst):
    s = inst.sample
    return tolerance.second_order(s.n, s.d, s.k)


def evaluate_lambda_min(inst, *, flip=False) -> Evaluation:
    require_w_zero(inst, SOURCE)
    z = at_zero(inst, need_gap=False)
    ulps = _ulps(inst)
    q = dict(lambda_min=z.lam, h_scale=z.h_scale)
    ratio = max(0.0, 1.0 + float(z.lam) / float(z.h_scale)) if z.h_scale > 0 else 1.0
    inf = tolerance.beyond_rounding(z.lam, z.h_scale)
    if flip:   # negative control: "(0, V) is never a strict saddle"
        return Evaluation.compare(z.lam, ">=", 0 * z.lam, scale=z.h_scale, ulps=ulps, quantities=q,
                                  source=SOURCE, label="λ_min(∇²F_θ(0,V)) ≥ 0", ratio=ratio, informative=inf)
    return Evaluation.compare(z.lam, "<=", 0 * z.lam, scale=z.h_scale, ulps=ulps, quantities=q,
                              hypotheses={"w = 0": True}, source=SOURCE, ratio=ratio, informative=inf,
                              label="λ_min(∇²F_θ(0,V)) ≤ 0")


def evaluate(inst, *, factor=1, curvature=True) -> Evaluation:
    require_w_zero(inst, SOURCE)
    if inst.w_star is None:
        raise HypothesisNotMet(f"argument 'w_star': {SOURCE} needs a comparison vector w*")
    z = at_zero(inst)
    ulps = _ulps(inst)
    lam, Hn = z.lam, z.H_ww_norm
    root = B.sqrt(abs(lam) * Hn + lam * lam)
    lhs = z.grad_norm + (z.V_norm * root if curvature else 0)
    q = dict(grad_norm=z.grad_norm, V_norm=z.V_norm, lambda_min=lam, H_ww_norm=Hn, gap=z.gap,
             w_star_norm=z.w_star_norm, r_norm=z.r_norm)
    scale_l = z.g_scale + z.V_norm * z.h_scale
    label = "‖∇F_θ(0,V)‖ + ‖V‖√(|λ_min|·‖∂²F/∂w²‖ + λ_min²) ≥ (F(0,V,θ) − F_lin(w*))/‖w*‖"
    if not curvature:
        label = "‖∇F_θ(0,V)‖ ≥ (F(0,V,θ) − F_lin(w*))/‖w*‖ (curvature term dropped)"
    inf = positive_gap(z)
    if z.w_star_norm == 0:
        # F(0, V, θ) − F_lin(0) = 0 exactly: the right side is 0/0 and the undivided form reads 0 ≥ 0
        raise HypothesisNotMet(f"argument 'w_star': w* = 0, where the right side of {SOURCE} is 0/0 "
                               "(the undivided form 0 ≥ 0 tests nothing)")
    rhs = factor * z.gap / z.w_star_norm
    return Evaluation.compare(lhs, ">=", rhs, scale=scale_l + z.gap_scale / z.w_star_norm, ulps=ulps,
                              quantities=q, hypotheses={"w = 0": True}, source=SOURCE, label=label,
                              informative=inf)


def positive_gap(z) -> bool:
    """Theorem 2's informative examples: w* ≠ 0 and F(0, V, θ) − F_lin(w*) > 0 beyond rounding."""
    return bool(z.w_star_norm is not None and z.w_star_norm > 0 and z.gap > 0
                and tolerance.beyond_rounding(z.gap, z.gap_scale))


# ---------------------------------------------------------------- Eq. (8)–(9)

def _grad_V_line(inst):
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    Dw, DV = inst.extras["D_w"], inst.extras["D_V"]
    return lambda t: gradient(s, loss, w + t * Dw, V + t * DV, validate=False)[1]


def evaluate_hessian(inst, *, at_zero_required=True) -> Evaluation:
    """V-rows of ∇²F_θ(w, V)·D predicted by Eq. (8)–(9) (= D_w rᵀ) vs a central difference."""
    if at_zero_required:
        require_w_zero(inst, SRC["8–9"])
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    Dw, DV = inst.extras["D_w"], inst.extras["D_V"]
    # Eq. (9) summed over D_w (Σ_i D_w,i e_i rᵀ) plus Eq. (8) applied to D_V (zero); at w ≠ 0 the
    # (false) control uses r_w = E[ℓ'(q) f_θ(x)] in place of r
    t = gradient_terms(s, loss, w, V, validate=False)
    q_pred, d1, r = t.q, t.d1, t.r_w
    predicted = np.outer(Dw, r)
    G = _grad_V_line(inst)
    phin, xn = B.row_norms(s.Phi), B.row_norms(s.X)
    D_norm = B.norm(Dw, DV)
    zn = xn + B.spectral_norm(V) * phin
    h_scale = B.asum(s.p * (B.abs_(loss.d2(q_pred, s.y)) * (zn + B.norm(w) * phin) ** 2 + B.abs_(d1) * phin))
    scale = D_norm * h_scale
    # the same difference quotient as theorems/gradients.py, of the V-gradient along D
    rate, curv = prediction_path(t.Z, s.Phi, w, Dw, DV)
    numerical, extra = richardson_derivative(G, rate, mp=inst.is_mp, scale=B.norm(predicted), curvature=curv)
    diff = numerical - predicted
    disc = B.norm(diff)
    q = dict(discrepancy=disc, predicted_norm=B.norm(predicted), D_norm=D_norm, r_norm=B.norm(r))
    return Evaluation.compare(disc, "==", 0 * disc, scale=scale, extra_tol=extra,
                              ulps=tolerance.hessian_blocks(s.n, s.d, s.k), quantities=q,
                              informative=tolerance.beyond_rounding(B.norm(predicted), scale),
                              hypotheses={"w = 0": True} if at_zero_required else {}, source=SRC["8–9"],
                              label="∂²F/∂V² = 0 (8) and ∂²F/∂w_i∂V = e_i rᵀ (9), along D")


# ---------------------------------------------------------------- Eq. (11)–(13)

def M_submatrix(inst, H):
    """The principal submatrix of ∇²F_θ(0, V) on coordinates {w₁} ∪ {V₁ⱼ : j < k} (row-major vec)."""
    d, k = inst.sample.d, inst.sample.k
    idx = [0] + [d + j for j in range(k)]
    return H[np.ix_(idx, idx)]


def evaluate_eq11(inst, *, use_full_lambda=False) -> Evaluation:
    require_w_zero(inst, SRC["11"])
    z = at_zero(inst, need_gap=False)
    M = M_submatrix(inst, hessian(inst.sample, inst.loss, inst.w, inst.V, validate=False))
    b = M[0, 0]
    lam = z.lam if use_full_lambda else lambda_min(M)
    r2 = B.asum(z.r * z.r)
    rhs = abs(b * lam) + lam * lam
    # the proof's M has off-diagonal r (Eq. 10): check it is the Hessian's, not assume it
    off = B.norm(M[0, 1:] - z.r) + B.norm(M[1:, 1:])
    Mn = B.norm(M)
    q = dict(r_norm=z.r_norm, b=b, lambda_min_M=lambda_min(M), lambda_min=z.lam, identity_rhs=rhs,
             M_offdiag_error=off)
    lhs = r2 + off        # exactly ‖r‖² iff M = [[b, rᵀ], [r, 0]]
    return Evaluation.compare(lhs, "==", rhs, scale=r2 + (abs(b) + 2 * abs(lam)) * Mn + z.h_scale,
                              ulps=_ulps(inst), quantities=q, hypotheses={"w = 0": True}, source=SRC["11"],
                              informative=tolerance.beyond_rounding(r2, z.h_scale * z.h_scale),
                              label="M = [[b, rᵀ],[r, 0]] ⊂ ∇²F_θ(0,V) and ‖r‖² = |bλ_min(M)| + λ_min(M)²")


def evaluate_eq12(inst, *, first_term=True) -> Evaluation:
    require_w_zero(inst, SRC["12"])
    z = at_zero(inst, need_gap=False)
    lam = z.lam
    r2 = B.asum(z.r * z.r)
    rhs = (abs(lam) * z.H_ww_norm if first_term else 0) + lam * lam
    q = dict(r_norm=z.r_norm, lambda_min=lam, H_ww_norm=z.H_ww_norm, bound=rhs)
    return Evaluation.compare(r2, "<=", rhs, scale=r2 + (z.H_ww_norm + 2 * abs(lam)) * z.h_scale,
                              ulps=_ulps(inst), quantities=q, hypotheses={"w = 0": True}, source=SRC["12"],
                              informative=tolerance.beyond_rounding(r2, z.h_scale * z.h_scale),
                              label="‖r‖² ≤ |λ_min(∇²F_θ(0,V))|·‖∂²F/∂w²‖ + λ_min²")


def evaluate_eq13(inst, *, with_Vr=True) -> Evaluation:
    require_w_zero(inst, SRC["13"])
    z = at_zero(inst, need_gap=False)
    g_lin = linear_gradient(inst.sample, inst.loss, 0 * inst.w)      # ∇F_lin(0)
    gl = B.norm(g_lin)
    lhs = z.grad_norm + (z.V_norm * z.r_norm if with_Vr else 0)
    q = dict(grad_norm=z.grad_norm, V_norm=z.V_norm, r_norm=z.r_norm, grad_lin_norm=gl)
    return Evaluation.compare(lhs, ">=", gl, scale=z.g_scale, ulps=_ulps(inst), quantities=q,
                              hypotheses={"w = 0": True}, source=SRC["13"],
                              informative=tolerance.beyond_rounding(gl, z.g_scale),
                              label="‖∇F_θ(0,V)‖ + ‖V‖·‖r‖ ≥ ‖∇F_lin(0)‖")


def _example():
    p = random_point(6, d=3, k=2)
    return replace(p, w=0 * p.w)


def _example_dir_any():
    return random_point(8, d=3, k=2, extras={"D_w": (3,), "D_V": (3, 2)})


def _example_dir():
    p = random_point(7, d=3, k=2, extras={"D_w": (3,), "D_V": (3, 2)})
    return replace(p, w=0 * p.w)


_HYP = ("w = 0",)
# the engine searches Theorem 2 in batches of instances per Hypothesis example (strategies.batches):
# its drawn points and its constructed regimes (each member built by the regime's construction)
_batched_points = batch_searched(theorem2_points)

register(Claim(
    id="theorem2.lambda_min", source=SOURCE, kind="literal",
    statement="For any V, θ: λ_min(∇²F_θ(0, V)) ≤ 0.",
    evaluate_fn=evaluate_lambda_min, strategy_fn=zero_w_points, example_fn=_example, hypotheses=_HYP,
    quantities=("lambda_min", "h_scale"),
    notes="ratio = 1 − |λ_min|/h (h ≥ ‖∇²F_θ(0,V)‖): 1 when λ_min = 0 (e.g. r = 0).",
    controls=(Variant("theorem2.lambda_min.flipped", "λ_min(∇²F_θ(0, V)) ≥ 0 ((0, V) is never a strict saddle)",
                      lambda i: evaluate_lambda_min(i, flip=True)),),
))

register(Claim(
    id="theorem2", source=SOURCE, kind="literal",
    statement=("For any V, θ, w*: ‖∇F_θ(0, V)‖ + ‖V‖√(|λ_min(∇²F_θ(0, V))|·‖∂²F_θ(0, V)/∂w²‖ + "
               "λ_min(∇²F_θ(0, V))²) ≥ (F(0, V, θ) − F_lin(w*))/‖w*‖."),
    evaluate_fn=evaluate, strategy_fn=_batched_points, example_fn=_example, hypotheses=_HYP,
    quantities=("grad_norm", "V_norm", "lambda_min", "H_ww_norm", "gap", "w_star_norm", "r_norm"),
    form=Form("grad_norm + V_norm*sqrt(Abs(lambda_min)*H_ww_norm + lambda_min**2) >= gap/w_star_norm",
              strategy=theorem2_necessity_points, max_examples=300),
    controls=(
        Variant("theorem2.sharper_x2", "the right-hand side doubled", lambda i: evaluate(i, factor=2)),
        Variant("theorem2.without_curvature", "‖∇F_θ(0, V)‖ ≥ (F(0, V, θ) − F_lin(w*))/‖w*‖ (the curvature "
                "term ‖V‖√(…) dropped; Example 1 at (0, −1/ε): 0 vs 0.5)", lambda i: evaluate(i, curvature=False)),
    ),
))

register(Claim(
    id="theorem2.hessian", source=SRC["8–9"], kind="proof-step",
    statement=("∂²F(0, V, θ)/∂V² = 0  (8);  ∂²F(0, V, θ)/∂w_i∂V = E[ℓ'(0; y) e_i f_θ(x)ᵀ] = e_i rᵀ  (9), "
               "r = E[ℓ'(0; y) f_θ(x)]  (10)"),
    evaluate_fn=evaluate_hessian, strategy_fn=zero_w_direction_points, example_fn=_example_dir,
    hypotheses=_HYP, quantities=("discrepancy", "predicted_norm", "D_norm", "r_norm"), polish=False,
    controls=(Variant("theorem2.hessian.at_nonzero_w", "Eq. (8)–(9) at a point with w ≠ 0 (with r_w = E[ℓ'(q) f_θ(x)])",
                      lambda i: evaluate_hessian(i, at_zero_required=False), strategy=any_w_direction_points,
                      not_searched_why="draws w ≠ 0, outside the claim's hypothesis w = 0"),),
))

register(Claim(
    id="theorem2.eq11", source=SRC["11"], kind="proof-step",
    statement=("M = [[b, rᵀ], [r, 0]] (b the first diagonal entry of ∂²F_θ(0, V)/∂w²) is a submatrix of "
               "∇²F_θ(0, V), λ_min(M) ≤ 0, and ‖r‖² = |bλ_min(M)| + λ_min(M)²  (11)"),
    evaluate_fn=evaluate_eq11, strategy_fn=zero_w_points, example_fn=_example, hypotheses=_HYP,
    quantities=("r_norm", "b", "lambda_min_M", "lambda_min", "identity_rhs", "M_offdiag_error"),
    controls=(Variant("theorem2.eq11.full_lambda", "Eq. (11) with λ_min(∇²F_θ(0, V)) in place of λ_min(M)",
                      lambda i: evaluate_eq11(i, use_full_lambda=True)),),
))

register(Claim(
    id="theorem2.eq12", source=SRC["12"], kind="proof-step",
    statement="‖r‖² ≤ |λ_min(∇²F_θ(0, V))|·‖∂²F_θ(0, V)/∂w²‖ + λ_min(∇²F_θ(0, V))²  (12)",
    evaluate_fn=evaluate_eq12, strategy_fn=zero_w_points, example_fn=_example, hypotheses=_HYP,
    quantities=("r_norm", "lambda_min", "H_ww_norm", "bound"),
    form=Form("r_norm**2 <= Abs(lambda_min)*H_ww_norm + lambda_min**2", strategy=theorem2_necessity_points,
              max_examples=100),
    controls=(Variant("theorem2.eq12.without_first_term", "‖r‖² ≤ λ_min(∇²F_θ(0, V))² (first term dropped)",
                      lambda i: evaluate_eq12(i, first_term=False)),),
))

register(Claim(
    id="theorem2.eq13", source=SRC["13"], kind="proof-step",
    statement="‖∇F_θ(0, V)‖ + ‖V‖·‖r‖ ≥ ‖∇F_lin(0)‖  (13)",
    evaluate_fn=evaluate_eq13, strategy_fn=zero_w_points, example_fn=_example, hypotheses=_HYP,
    quantities=("grad_norm", "V_norm", "r_norm", "grad_lin_norm"),
    form=Form("grad_norm + V_norm*r_norm >= grad_lin_norm", strategy=theorem2_necessity_points, max_examples=100),
    controls=(Variant("theorem2.eq13.without_Vr", "‖∇F_θ(0, V)‖ ≥ ‖∇F_lin(0)‖ (the ‖V‖·‖r‖ term dropped)",
                      lambda i: evaluate_eq13(i, with_Vr=False)),),
))


# ---------------------------------------------------------------- ∂F/∂w(0, V) = ∇F_lin(0) + V r (Sec. 6.2)

SRC_GRAD = "∂F/∂w(0, V) display, proof of Theorem 2, Sec. 6.2"


def evaluate_grad_at_zero(inst, *, with_Vr=True) -> Evaluation:
    """∂F/∂w(0, V, θ) (Eq. 7's closed form, E[ℓ'(0; y)(x + V f_θ(x))]) against ∇F_lin(0) + V r.

    Informative examples: ∇F_lin(0) or V r non-zero beyond rounding (else both sides are 0)."""
    require_w_zero(inst, SRC_GRAD)
    z = at_zero(inst, need_gap=False)
    g_lin = linear_gradient(inst.sample, inst.loss, 0 * inst.w)
    Vr = inst.V @ z.r
    pred = g_lin + (Vr if with_Vr else 0 * Vr)
    disc = B.norm(z.g_w - pred)
    q = dict(discrepancy=disc, grad_w_norm=B.norm(z.g_w), grad_lin_norm=B.norm(g_lin), Vr_norm=B.norm(Vr))
    inf = tolerance.beyond_rounding(B.norm(g_lin), z.g_scale) or tolerance.beyond_rounding(B.norm(Vr), z.g_scale)
    return Evaluation.compare(disc, "==", 0 * disc, scale=z.g_scale, ulps=_ulps(inst), quantities=q,
                              hypotheses={"w = 0": True}, source=SRC_GRAD, informative=inf,
                              label="∂F/∂w(0, V, θ) = ∇F_lin(0) + V r")


register(Claim(
    id="theorem2.grad_at_zero", source=SRC_GRAD, kind="proof-step",
    statement=("∂F(0, V, θ)/∂w = E[ℓ'(0; y)(x + V f_θ(x))] = E[ℓ'(0; y) x] + E[ℓ'(0; y) V f_θ(x)] = "
               "∇F_lin(0) + V r"),
    evaluate_fn=evaluate_grad_at_zero, strategy_fn=_batched_points, example_fn=_example, hypotheses=_HYP,
    quantities=("discrepancy", "grad_w_norm", "grad_lin_norm", "Vr_norm"),
    controls=(Variant("theorem2.grad_at_zero.without_Vr", "∂F/∂w(0, V, θ) = ∇F_lin(0) (the V r term dropped)",
                      lambda i: evaluate_grad_at_zero(i, with_Vr=False)),),
))


# ---------------------------------------------------------------- further steps (issue 22)
#
# ``theorem2.dichotomy`` (Sec. 3, opening paragraph): at w = 0, "if they are suboptimal with respect to
# the best linear predictor, then either ‖∇F_θ(w, V)‖ is strictly positive, or λ_min(∇²F_θ(w, V)) is
# strictly negative": [gap > 0] ⇒ [‖∇F_θ(0, V)‖ > 0 or λ_min < 0], as truth values in the instance's
# precision (thresholds: rounding of g_scale, h_scale, gap_scale). Informative: a positive gap.
# Controls: without the curvature alternative, on exact stationary saddles (``theorems.model.saddles``);
# without the gradient alternative (features with r = 0 have λ_min = 0).
#
# ``theorem2.second_derivatives`` (the general-w displays before Eq. (9)): ∂²F/∂V_ij∂V =
# E[ℓ''·(w_i f_j)·w fᵀ] and ∂²F/∂w_i∂V = E[ℓ''·z_i·w fᵀ] + E[ℓ'·e_i fᵀ], summed along a drawn
# D = (D_w, D_V): the V-rows of ∇²F_θ(w, V)·D are E[ℓ''(D_wᵀz + wᵀD_Vf)·w fᵀ] + E[ℓ'·D_w fᵀ], against a
# Richardson central difference of Eq. (7)'s V-gradient along D, at any w. Control: the ℓ' term dropped.
#
# ``theorem2.hessian_display``: the block display of ∇²F_θ(0, V) = [[∂²F/∂w², I ⊗ rᵀ], [I ⊗ r, 0]] (vec
# row-major), applied to D and compared with the central difference of the full gradient (w- and
# V-rows): predicted (A D_w + D_V r; D_w rᵀ), A = E[ℓ''(0)zzᵀ]. Control: the off-diagonal r blocks dropped.
#
# ``theorem2.interlacing``: λ_min(∇²F_θ(0, V)) ≤ λ_min(M) ≤ 0 (both eigenvalues by LAPACK/mpmath on the
# matrices, M the principal submatrix on {w₁} ∪ {V₁ⱼ}). Control: λ_min(M) ≤ λ_min(∇²F_θ(0, V)).
# ``theorem2.b_le_Hww``: b = [∂²F/∂w²]₁₁ ≤ ‖∂²F/∂w²(0, V)‖. Control: b ≤ λ_min(∂²F/∂w²).
# ``theorem2.flin_gradient_bound``: ‖∇F_lin(0)‖ ≥ (F_lin(0) − F_lin(w*))/‖w*‖ = (F(0, V, θ) − F_lin(w*))/‖w*‖
# (the identity F_lin(0) = F(0, V, θ) is checked too). Informative: a positive gap. Control: ‖w*‖/2
# in the denominator (attained by the linear-loss family).

SRC_DICH = "Opening paragraph of Sec. 3 (Theorem 2's dichotomy)"
SRC_SD = "Second derivatives before Eq. (9), proof of Theorem 2, Sec. 6.2"
SRC_DISP = "Block display of ∇²F_θ(0, V), proof of Theorem 2, Sec. 6.2"
SRC_INT = "Interlacing step, proof of Theorem 2, Sec. 6.2"
SRC_LIN = "Convexity of F_lin at 0, proof of Theorem 2, Sec. 6.2"


def _beyond(value, scale, ulps) -> bool:
    return bool(abs(value) > tolerance.rounding(abs(scale) + 0 * value, ops=ulps))


def evaluate_dichotomy(inst, *, gradient_alt=True, curvature_alt=True) -> Evaluation:
    require_w_zero(inst, SRC_DICH)
    if inst.w_star is None:
        raise HypothesisNotMet(f"argument 'w_star': {SRC_DICH} compares with a linear predictor w*")
    z = at_zero(inst)
    ulps = _ulps(inst)
    suboptimal = z.gap > 0 and _beyond(z.gap, z.gap_scale, ulps)
    moving = gradient_alt and _beyond(z.grad_norm, z.g_scale + z.h_scale, ulps)
    curved = curvature_alt and z.lam < 0 and _beyond(z.lam, z.h_scale, ulps)
    q = dict(grad_norm=z.grad_norm, lambda_min=z.lam, gap=z.gap)
    return Evaluation.truth(moving or curved, premise=suboptimal, quantities=q, hypotheses={"w = 0": True},
                            source=SRC_DICH, informative=suboptimal,
                            label="F(0,V,θ) > F_lin(w*) ⇒ ‖∇F_θ(0,V)‖ > 0 or λ_min(∇²F_θ(0,V)) < 0")


def _full_grad_line(inst):
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    Dw, DV = inst.extras["D_w"], inst.extras["D_V"]

    def g(t):
        gw, gV = gradient(s, loss, w + t * Dw, V + t * DV, validate=False)
        return np.concatenate([gw, gV.reshape(-1)])
    return g


def evaluate_second_derivatives(inst, *, with_d1=True) -> Evaluation:
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    Dw, DV = inst.extras["D_w"], inst.extras["D_V"]
    t = gradient_terms(s, loss, w, V, validate=False)
    a = s.p * loss.d2(t.q, s.y)
    dq = t.Z @ Dw + s.Phi @ (DV.T @ w)                       # D_wᵀz_i + wᵀD_Vφ_i
    predicted = np.outer(w, s.Phi.T @ (a * dq))             # Σ_ij D_V,ij ∂²F/∂V_ij∂V + ℓ'' part of ∂²F/∂w_i∂V
    if with_d1:
        predicted = predicted + np.outer(Dw, t.r_w)          # E[ℓ' D_w fᵀ]
    rate, curv = prediction_path(t.Z, s.Phi, w, Dw, DV)
    numerical, extra = richardson_derivative(_grad_V_line(inst), rate, mp=inst.is_mp, scale=B.norm(predicted),
                                             curvature=curv)
    disc = B.norm(numerical - predicted)
    phin, xn = B.row_norms(s.Phi), B.row_norms(s.X)
    zn = xn + B.spectral_norm(V) * phin
    h_scale = B.asum(s.p * (B.abs_(loss.d2(t.q, s.y)) * (zn + B.norm(w) * phin) ** 2 + B.abs_(t.d1) * phin))
    scale = B.norm(Dw, DV) * h_scale
    q = dict(discrepancy=disc, predicted_norm=B.norm(predicted))
    return Evaluation.compare(disc, "==", 0 * disc, scale=scale, extra_tol=extra,
                              ulps=tolerance.hessian_blocks(s.n, s.d, s.k), quantities=q, source=SRC_SD,
                              informative=tolerance.beyond_rounding(B.norm(predicted), scale) and
                              abs(float(B.norm(predicted))) > float(extra),
                              label=("∂²F/∂V_ij∂V = E[ℓ''w_i f_j w fᵀ], ∂²F/∂w_i∂V = E[ℓ''z_i w fᵀ] + E[ℓ' e_i fᵀ], "
                                     "along D"))


def evaluate_hessian_display(inst, *, with_r=True) -> Evaluation:
    require_w_zero(inst, SRC_DISP)
    s, loss = inst.sample, inst.loss
    Dw, DV = inst.extras["D_w"], inst.extras["D_V"]
    z = at_zero(inst, need_gap=False)
    t = gradient_terms(s, loss, inst.w, inst.V, validate=False)
    A = t.Z.T @ ((s.p * loss.d2(0 * s.y, s.y))[:, None] * t.Z)
    r = z.r if with_r else 0 * z.r
    pred = np.concatenate([A @ Dw + DV @ r, np.outer(Dw, r).reshape(-1)])
    rate, curv = prediction_path(t.Z, s.Phi, inst.w, Dw, DV)
    numerical, extra = richardson_derivative(_full_grad_line(inst), rate, mp=inst.is_mp, scale=B.norm(pred),
                                             curvature=curv)
    disc = B.norm(numerical - pred)
    scale = B.norm(Dw, DV) * z.h_scale
    q = dict(discrepancy=disc, predicted_norm=B.norm(pred), r_norm=z.r_norm)
    return Evaluation.compare(disc, "==", 0 * disc, scale=scale, extra_tol=extra,
                              ulps=tolerance.second_order(s.n, s.d, s.k), quantities=q,
                              hypotheses={"w = 0": True}, source=SRC_DISP,
                              informative=tolerance.beyond_rounding(B.norm(pred), scale)
                              and abs(float(B.norm(pred))) > float(extra),
                              label="∇²F_θ(0,V)·D = (∂²F/∂w²·D_w + D_V r; D_w rᵀ) (block display)")


def evaluate_interlacing(inst, *, reversed_=False) -> Evaluation:
    require_w_zero(inst, SRC_INT)
    z = at_zero(inst, need_gap=False)
    H = hessian(inst.sample, inst.loss, inst.w, inst.V, validate=False)
    lam_H, lam_M = lambda_min(H), lambda_min(M_submatrix(inst, H))
    ulps = tolerance.eigenvalue(H.shape[0])
    q = dict(lambda_min=lam_H, lambda_min_M=lam_M)
    if reversed_:
        return Evaluation.compare(lam_M, "<=", lam_H, scale=z.h_scale, ulps=ulps, quantities=q, source=SRC_INT,
                                  informative=True, label="λ_min(M) ≤ λ_min(∇²F_θ(0,V))")
    second = Evaluation.compare(lam_M, "<=", 0 * lam_M, scale=z.h_scale, ulps=ulps)
    if not second.holds:
        return Evaluation.compare(lam_M, "<=", 0 * lam_M, scale=z.h_scale, ulps=ulps, quantities=q,
                                  hypotheses={"w = 0": True}, source=SRC_INT, informative=True, label="λ_min(M) ≤ 0")
    ratio = float(lam_M / lam_H) if lam_H < 0 else 1.0     # 1 when the full λ_min is M's (equality)
    return Evaluation.compare(lam_H, "<=", lam_M, scale=z.h_scale, ulps=ulps, quantities=q, ratio=ratio,
                              hypotheses={"w = 0": True}, source=SRC_INT,
                              informative=tolerance.beyond_rounding(lam_M, z.h_scale),
                              label="λ_min(∇²F_θ(0,V)) ≤ λ_min(M) ≤ 0")


def evaluate_b_le_Hww(inst, *, smallest=False) -> Evaluation:
    require_w_zero(inst, SRC_INT)
    s, loss = inst.sample, inst.loss
    z = at_zero(inst, need_gap=False)
    t = gradient_terms(s, loss, inst.w, inst.V, validate=False)
    A = t.Z.T @ ((s.p * loss.d2(0 * s.y, s.y))[:, None] * t.Z)
    b = A[0, 0]
    ev = B.eigvalsh(A)
    bound = ev[0] if smallest else max(ev[-1], -ev[0])
    q = dict(b=b, H_ww_norm=max(ev[-1], -ev[0]))
    return Evaluation.compare(b, "<=", bound, scale=z.h_scale, ulps=tolerance.eigenvalue(s.d), quantities=q,
                              hypotheses={"w = 0": True}, source=SRC_INT,
                              informative=tolerance.beyond_rounding(b, z.h_scale),
                              label="b ≤ " + ("λ_min(∂²F/∂w²)" if smallest else "‖∂²F_θ(0,V)/∂w²‖"))


def evaluate_flin_bound(inst, *, factor=1) -> Evaluation:
    require_w_zero(inst, SRC_LIN)
    if inst.w_star is None or not np.any(B.to_float(inst.w_star) != 0):
        raise HypothesisNotMet(f"argument 'w_star': {SRC_LIN} divides by ‖w*‖, so w* ≠ 0 is needed")
    s, loss = inst.sample, inst.loss
    z = at_zero(inst)
    g_lin = linear_gradient(s, loss, 0 * inst.w)
    gl = B.norm(g_lin)
    F0, Flin0 = objective(s, loss, inst.w, inst.V), linear_objective(s, loss, 0 * inst.w)
    q = dict(grad_lin_norm=gl, gap=z.gap, w_star_norm=z.w_star_norm, F0_minus_Flin0=F0 - Flin0)
    ulps = _ulps(inst)
    ident = Evaluation.compare(F0, "==", Flin0, scale=z.gap_scale, ulps=ulps)
    if not ident.holds:
        return Evaluation.compare(F0, "==", Flin0, scale=z.gap_scale, ulps=ulps, quantities=q,
                                  hypotheses={"w = 0": True}, source=SRC_LIN, informative=True,
                                  label="F_lin(0) = F(0, V, θ)")
    return Evaluation.compare(gl, ">=", factor * z.gap / z.w_star_norm, scale=z.g_scale + z.gap_scale / z.w_star_norm,
                              ulps=ulps, quantities=q, hypotheses={"w = 0": True}, source=SRC_LIN,
                              informative=positive_gap(z),
                              label="‖∇F_lin(0)‖ ≥ (F_lin(0) − F_lin(w*))/‖w*‖ = (F(0,V,θ) − F_lin(w*))/‖w*‖")


register(Claim(
    id="theorem2.dichotomy", source=SRC_DICH, kind="literal",
    no_ratio="a truth value: the conclusion holds or not; its quantities are reported instead",
    statement=("We then consider the case w = 0, and show that for such points, if they are suboptimal with respect "
               "to the best linear predictor, then either ‖∇F_θ(w, V)‖ is strictly positive, or "
               "λ_min(∇²F_θ(w, V)) is strictly negative (Thm. 2)."),
    evaluate_fn=evaluate_dichotomy, strategy_fn=_batched_points, example_fn=_example, hypotheses=_HYP,
    quantities=("grad_norm", "lambda_min", "gap"), polish=False,
    informative_rule="a positive gap F(0, V, θ) − F_lin(w*) beyond rounding",
    controls=(
        Variant("theorem2.dichotomy.without_curvature", "suboptimal ⇒ ‖∇F_θ(0, V)‖ > 0 (λ_min alternative dropped)",
                lambda i: evaluate_dichotomy(i, curvature_alt=False), strategy=exact_saddles, searched_with_claim=True),
        Variant("theorem2.dichotomy.without_gradient", "suboptimal ⇒ λ_min(∇²F_θ(0, V)) < 0 (gradient alternative "
                "dropped)", lambda i: evaluate_dichotomy(i, gradient_alt=False), strategy=flat_feature_points,
                searched_with_claim=True),
    ),
))

register(Claim(
    id="theorem2.second_derivatives", source=SRC_SD, kind="proof-step",
    statement=("∂²F(w, V, θ)/∂V_ij∂V = E[ℓ''(wᵀ(x + Vf_θ(x)); y)·(w_i (f_θ(x))_j)·w f_θ(x)ᵀ];  ∂²F(w, V, θ)/∂w_i∂V = "
               "E[ℓ''(wᵀ(x + Vf_θ(x)); y)·(x + Vf_θ(x))_i·w f_θ(x)ᵀ] + E[ℓ'(wᵀ(x + Vf_θ(x)); y)·e_i f_θ(x)ᵀ]"),
    evaluate_fn=evaluate_second_derivatives, strategy_fn=any_w_direction_points, example_fn=_example_dir_any,
    quantities=("discrepancy", "predicted_norm"), polish=False,
    informative_rule="the predicted V-rows non-zero beyond rounding and beyond the difference quotient's allowance",
    controls=(Variant("theorem2.second_derivatives.without_d1", "∂²F/∂w_i∂V without its E[ℓ' e_i fᵀ] term",
                      lambda i: evaluate_second_derivatives(i, with_d1=False)),),
))

register(Claim(
    id="theorem2.hessian_display", source=SRC_DISP, kind="proof-step",
    statement=("∇²F_θ(0, V) = [[∂²F_θ(0, V)/∂w², rᵀ 0 0 …; 0 rᵀ 0 …; 0 0 rᵀ …], [r 0 0; 0 r 0; 0 0 r; …], 0]] "
               "(the w-block, the blocks e_i rᵀ, and a zero V-block)"),
    evaluate_fn=evaluate_hessian_display, strategy_fn=zero_w_direction_points, example_fn=_example_dir,
    hypotheses=_HYP, quantities=("discrepancy", "predicted_norm", "r_norm"), polish=False,
    informative_rule="the predicted ∇²F_θ(0, V)·D non-zero beyond rounding and the quotient's allowance",
    controls=(Variant("theorem2.hessian_display.without_r", "the display without its r blocks",
                      lambda i: evaluate_hessian_display(i, with_r=False)),),
))

register(Claim(
    id="theorem2.interlacing", source=SRC_INT, kind="proof-step",
    statement=("Since M is a submatrix of ∇²F_θ(0, V), we must also have λ_min(∇²F_θ(0, V)) ≤ λ_min(M) ≤ 0 by the "
               "interlacing theorem"),
    evaluate_fn=evaluate_interlacing, strategy_fn=zero_w_points, example_fn=_example, hypotheses=_HYP,
    quantities=("lambda_min", "lambda_min_M"),
    informative_rule="λ_min(M) ≠ 0 beyond rounding",
    controls=(Variant("theorem2.interlacing.reversed", "λ_min(M) ≤ λ_min(∇²F_θ(0, V))",
                      lambda i: evaluate_interlacing(i, reversed_=True)),),
))

register(Claim(
    id="theorem2.b_le_Hww", source=SRC_INT, kind="proof-step",
    statement="since b is an element in the diagonal of ∂²F(0, V, θ)/∂w², we also have b ≤ ‖∂²F_θ(0, V)/∂w²‖",
    evaluate_fn=evaluate_b_le_Hww, strategy_fn=zero_w_points, example_fn=_example, hypotheses=_HYP,
    quantities=("b", "H_ww_norm"), form=Form("b <= H_ww_norm"),
    informative_rule="b ≠ 0 beyond rounding",
    controls=(Variant("theorem2.b_le_Hww.smallest", "b ≤ λ_min(∂²F_θ(0, V)/∂w²)",
                      lambda i: evaluate_b_le_Hww(i, smallest=True)),),
))

register(Claim(
    id="theorem2.flin_gradient_bound", source=SRC_LIN, kind="proof-step",
    statement=("‖∇F_lin(0)‖ ≥ (F_lin(0) − F_lin(w*))/‖w*‖ = (F(0, V, θ) − F_lin(w*))/‖w*‖ for any V, θ"),
    evaluate_fn=evaluate_flin_bound, strategy_fn=_batched_points, example_fn=_example, hypotheses=_HYP,
    quantities=("grad_lin_norm", "gap", "w_star_norm", "F0_minus_Flin0"),
    form=Form("grad_lin_norm >= gap/w_star_norm", strategy=theorem2_necessity_points, max_examples=100),
    informative_rule="w* ≠ 0 and a positive gap F(0, V, θ) − F_lin(w*) beyond rounding",
    controls=(Variant("theorem2.flin_gradient_bound.half", "‖∇F_lin(0)‖ ≥ (F(0, V, θ) − F_lin(w*))/(‖w*‖/2)",
                      lambda i: evaluate_flin_bound(i, factor=2)),),
))
