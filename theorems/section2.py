"""Sec. 2 (Setting and Preliminaries): the statements that belong to no numbered result.

- ``section2.fro_ge_spectral`` — *"‖·‖_Fr for matrices denotes the Frobenius norm (which always upper
  bounds the spectral norm)"*: ‖V‖_Fr ≥ ‖V‖ on the drawn matrices V of Section 3's points (every shape
  d × k, sparse, rank-deficient, over many magnitudes). Quantities ``V_fro``, ``V_norm``. Informative:
  V ≠ 0 (beyond rounding). Tolerance: scale ‖V‖_Fr, ``tolerance.eigenvalue(d + k)`` (an SVD). The
  bound is attained by rank-1 V, so the control ‖V‖_Fr ≥ 1.01‖V‖ is refuted there.
- ``section2.not_convex`` — *"this objective is not convex in (w, V, θ)"*. What is tested: at every
  drawn point (0, V) with r = E[ℓ'(0; y) f_θ(x)] ≠ 0, the explicit direction
  D = (v₁e₁, v₂ e₁ r̂ᵀ) — (v₁, v₂) the unit eigenvector of [[b, ‖r‖], [‖r‖, 0]] for its smaller
  eigenvalue, b = [∂²F/∂w²]₁₁ — has Dᵀ∇²F_θ(0, V)D < 0, computed with the full closed-form Hessian
  (``theorems.model.objective.hessian``), not the 2 × 2 formula. A C² function is convex iff its
  Hessian is positive semidefinite everywhere, so a negative quadratic form is a certificate that
  F_θ is not convex in (w, V); F is then not convex in (w, V, θ) either (a convex function is convex
  on the slice θ fixed). The verdict is the implication "r ≠ 0 ⇒ Dᵀ∇²F_θD < 0" as two truth values
  (lhs = [DᵀHD < 0 beyond rounding] ≥ rhs = 1); r = 0, or λ₂ below the rounding of h_scale in the
  instance's precision, raises ``HypothesisNotMet``. Instances: Theorem 2's w = 0 families. Quantities
  ``quad`` = DᵀHD, ``lambda_2`` = λ_min([[b, ‖r‖], [‖r‖, 0]]), ``r_norm``. Informative: every
  example meeting r ≠ 0. Tolerance: rounding of h_scale (≥ ‖∇²F_θ(0, V)‖), ``second_order`` ulps.
  Control: the same quadratic form along the w-part of D alone (F_θ *is* convex in w for fixed V,
  b v₁² ≥ 0), refuted whenever the w-part is non-zero.
- ``section2.saddle_points`` — *"… and can easily have … saddle points"*: the exact binary
  construction of ``theorems.model.saddles`` (one sample, squared loss, x + V f_θ(x) = 0 at w = 0):
  ∇F_θ(0, V) = 0 and λ_min(∇²F_θ(0, V)) < 0, a strict saddle, at every precision. Verdict: lhs =
  [‖∇F_θ‖ = 0 up to rounding and λ_min < 0 beyond rounding] ≥ 1. Quantities ``grad_norm``,
  ``lambda_min``, ``r_norm``. Control: "the point is a local minimum's second-order condition",
  λ_min ≥ 0, refuted on every member.
- ``section2.flin_convex`` — *"F_lin … By Assumption 1, this function is convex and
  twice-differentiable"*: midpoint convexity F_lin(½(w + w*)) ≤ ½(F_lin(w) + F_lin(w*)) on the two
  vectors of every drawn point (float64 and 60 digits). Quantities ``F_lin_mid``, ``F_lin_avg``,
  ``dist`` = ‖w − w*‖. Informative: the two sides differ beyond rounding or ... — where w = w* the
  sides agree: informative iff ‖w − w*‖ > 0 and the averaged side is non-zero beyond rounding.
  Tolerance: scale Σ p(|ℓ(q_w)| + |ℓ(q_*)| + |ℓ(q_m)|), ``first_order`` ulps. Control: μ-strong
  convexity with μ = 10⁻³ (relative to the loss scale), refuted by the linear loss and by
  directions in the kernel of X. Twice differentiability: ∇²F_lin(w) = ∂²F/∂w²(w, 0) is the Hessian
  block checked against difference quotients by ``theorem2.second_derivatives``/``gradients``.

Not encoded here (see the report of issue 22): "spurious local minima" needs θ as a variable (for
a fixed θ every second-order stationary point of F_θ is a global minimum of F_θ, so spurious
minima of F come from θ alone, and the model has no θ-parametrised feature map); "any local minimum
is a 0-SOPSP" and "ε-SOPSP ⇔ ε-SOSP of F_θ" restate the definitions (both are the same two
inequalities on ∇F_θ and ∇²F_θ).
"""

from __future__ import annotations

from hypothesis import strategies as st

from strategies import section3_points
from strategies.batches import batch_searched
from strategies.second_order import theorem2_points
from theorems.contract import Claim, Evaluation, Form, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.instance import random_point
from theorems.model.objective import gradient, hessian, linear_objective
from theorems.model.saddles import exact_saddle_at_zero
from theorems.model.second_order import at_zero, lambda_min

SOURCE = "Sec. 2 (Setting and Preliminaries)"


def _beyond(value, scale, ulps) -> bool:
    """|value| > the rounding bound of terms of magnitude ``scale`` in the value's own arithmetic
    (2⁻⁵³ in float64, 2⁻ᵖʳᵉᶜ at high precision), so a 60-digit re-evaluation sharpens the test."""
    return bool(abs(value) > tolerance.rounding(abs(scale) + 0 * value, ops=ulps))


def _truth(flag: bool):
    return 1.0 if flag else 0.0


# ---------------------------------------------------------------- ‖·‖_Fr ≥ ‖·‖

def evaluate_fro(inst, *, factor=1) -> Evaluation:
    V = inst.V
    fro, spec = B.norm(V), B.spectral_norm(V)
    d, k = V.shape
    return Evaluation.compare(fro, ">=", factor * spec, scale=fro, ulps=tolerance.eigenvalue(d + k),
                              quantities=dict(V_fro=fro, V_norm=spec), source=SOURCE,
                              informative=tolerance.beyond_rounding(fro, 1.0) and float(fro) > 0,
                              label="‖V‖_Fr ≥ ‖V‖ (Frobenius upper-bounds spectral)")


register(Claim(
    id="section2.fro_ge_spectral", source=SOURCE, kind="literal",
    statement="‖·‖_Fr for matrices denotes the Frobenius norm (which always upper bounds the spectral norm).",
    evaluate_fn=evaluate_fro, strategy_fn=section3_points, example_fn=lambda: random_point(21),
    quantities=("V_fro", "V_norm"), form=Form("V_fro >= V_norm"),
    informative_rule="V ≠ 0",
    controls=(Variant("section2.fro_ge_spectral.x1.01", "‖V‖_Fr ≥ 1.01·‖V‖ (equality at rank 1 excluded)",
                      lambda i: evaluate_fro(i, factor=1.01)),),
))


# ---------------------------------------------------------------- F is not convex

def _eigvec_2x2(b, rho):
    """Unit eigenvector (v₁, v₂) of [[b, ρ], [ρ, 0]] for its smaller eigenvalue λ₂ (ρ > 0):
    (b − λ₂)v₁ + ρv₂ = 0, so v ∝ (ρ, λ₂ − b) = (ρ, λ₂ − b); λ₂ − b ≤ −ρ²/… < 0 never cancels."""
    lam = (b - B.sqrt(b * b + 4 * rho * rho)) / 2 if b <= 0 else -2 * rho * rho / (b + B.sqrt(b * b + 4 * rho * rho))
    v1, v2 = rho, lam - b
    n = B.sqrt(v1 * v1 + v2 * v2)
    return v1 / n, v2 / n, lam


def evaluate_not_convex(inst, *, w_part_only=False) -> Evaluation:
    if B.to_float(inst.w).any():
        raise HypothesisNotMet("argument 'w': the certificate of Sec. 2's non-convexity is built at (0, V)")
    s, loss = inst.sample, inst.loss
    z = at_zero(inst, need_gap=False)
    ulps = tolerance.second_order(s.n, s.d, s.k)
    H = hessian(s, loss, inst.w, inst.V, validate=False)
    b = H[0, 0]
    if not (z.r_norm > 0):
        raise HypothesisNotMet("argument 'sample': r = E[ℓ'(0; y) f_θ(x)] = 0, where no direction is certified "
                               "[Sec. 2, not convex]")
    v1, v2, lam2 = _eigvec_2x2(b, z.r_norm)
    if not _beyond(lam2, z.h_scale, ulps):
        # the certified curvature λ₂ ≈ −‖r‖²/b is below the rounding of the Hessian's entries in this precision
        raise HypothesisNotMet("argument 'sample': r = E[ℓ'(0; y) f_θ(x)] ≠ 0 but λ₂ is below rounding, so no "
                               "direction is certified in this precision [Sec. 2, not convex]")
    d, k = s.d, s.k
    D = 0 * H[0]
    D[0] = v1
    if not w_part_only:
        D[d:d + k] = v2 * z.r / z.r_norm
    quad = B.asum(D * (H @ D))
    neg = quad < 0 and _beyond(quad, z.h_scale, ulps)
    q = dict(quad=quad, lambda_2=lam2, r_norm=z.r_norm)
    label = ("r ≠ 0 ⇒ Dᵀ∇²F_θ(0,V)D < 0 (F not convex)" if not w_part_only
             else "Dᵀ∇²F_θ(0,V)D < 0 along the w-part of D alone")
    return Evaluation.compare(_truth(neg), ">=", 1.0, scale=1.0, ulps=0, quantities=q, hypotheses={"r != 0": True},
                              source=SOURCE, label=label, informative=True)


def _example_zero():
    from dataclasses import replace
    p = random_point(22, d=3, k=2)
    return replace(p, w=0 * p.w)


register(Claim(
    id="section2.not_convex", source=SOURCE, kind="literal",
    statement=("In general, this objective is not convex in (w, V, θ), and can easily have spurious local minima "
               "and saddle points."),
    notes="Tested: 'not convex' — a direction of negative curvature at every (0, V) with r ≠ 0.",
    evaluate_fn=evaluate_not_convex, strategy_fn=batch_searched(theorem2_points), example_fn=_example_zero,
    hypotheses=("r != 0",), quantities=("quad", "lambda_2", "r_norm"), polish=False,
    informative_rule="r = E[ℓ'(0; y) f_θ(x)] ≠ 0 beyond rounding (every tested example)",
    controls=(Variant("section2.not_convex.w_only", "F_θ has negative curvature along the w-part of D alone "
                      "(false: F_θ is convex in w for fixed V)", lambda i: evaluate_not_convex(i, w_part_only=True)),),
))


# ---------------------------------------------------------------- saddle points

def exact_saddles(*, max_d: int = 3, max_k: int = 3):
    """Exact binary stationary strict saddles (0, V) (``theorems.model.saddles``)."""
    from strategies.core import check_int
    check_int("max_d", max_d, 1, 8)
    check_int("max_k", max_k, 1, 8)
    nz = st.integers(-64, 64).filter(bool)
    return st.builds(exact_saddle_at_zero, a=nz, c=st.integers(-4, 4), y=nz,
                     d=st.integers(1, max_d), k=st.integers(1, max_k))


def evaluate_saddle(inst, *, flip=False) -> Evaluation:
    s, loss = inst.sample, inst.loss
    g_w, g_V = gradient(s, loss, inst.w, inst.V, validate=False)
    gn = B.norm(g_w, g_V)
    H = hessian(s, loss, inst.w, inst.V, validate=False)
    lam = lambda_min(H)
    z = at_zero(inst, need_gap=False)
    ulps = tolerance.second_order(s.n, s.d, s.k)
    q = dict(grad_norm=gn, lambda_min=lam, r_norm=z.r_norm)
    if flip:
        return Evaluation.compare(lam, ">=", 0 * lam, scale=z.h_scale, ulps=ulps, quantities=q, source=SOURCE,
                                  label="λ_min(∇²F_θ) ≥ 0 at the stationary point", informative=True)
    stationary = not _beyond(gn, z.g_scale + z.h_scale, ulps)
    saddle = stationary and lam < 0 and _beyond(lam, z.h_scale, ulps)
    return Evaluation.compare(_truth(saddle), ">=", 1.0, scale=1.0, ulps=0, quantities=q, source=SOURCE,
                              label="∇F_θ(0,V) = 0 and λ_min(∇²F_θ(0,V)) < 0 (a saddle point)", informative=True)


register(Claim(
    id="section2.saddle_points", source=SOURCE, kind="literal",
    statement="In general, this objective … can easily have … saddle points.",
    evaluate_fn=evaluate_saddle, strategy_fn=exact_saddles, example_fn=lambda: exact_saddle_at_zero(3, 1, 2, 2, 2),
    quantities=("grad_norm", "lambda_min", "r_norm"), polish=False,
    informative_rule="every member (an exact construction whose saddle property could fail)",
    controls=(Variant("section2.saddle_points.local_min", "the stationary point satisfies λ_min(∇²F_θ) ≥ 0",
                      lambda i: evaluate_saddle(i, flip=True)),),
))


# ---------------------------------------------------------------- F_lin is convex

def evaluate_flin_convex(inst, *, mu=0) -> Evaluation:
    s, loss = inst.sample, inst.loss
    a, b = inst.w, inst.w_star if inst.w_star is not None else 0 * inst.w
    m = (a + b) / 2
    Fa, Fb, Fm = linear_objective(s, loss, a), linear_objective(s, loss, b), linear_objective(s, loss, m)
    avg = (Fa + Fb) / 2
    dist = B.norm(a - b)
    qa, qb, qm = s.X @ a, s.X @ b, s.X @ m
    scale = B.asum(s.p * (B.abs_(loss.value(qa, s.y)) + B.abs_(loss.value(qb, s.y)) + B.abs_(loss.value(qm, s.y))))
    ulps = tolerance.first_order(s.n, s.d, s.k)
    rhs = avg - (mu * scale * dist * dist / 8 if mu else 0)
    q = dict(F_lin_mid=Fm, F_lin_avg=avg, dist=dist)
    return Evaluation.compare(Fm, "<=", rhs, scale=scale, ulps=ulps, quantities=q, source=SOURCE,
                              informative=bool(dist > 0) and tolerance.beyond_rounding(avg - Fm, scale),
                              label="F_lin(½(w + w*)) ≤ ½(F_lin(w) + F_lin(w*))" + (" − μ‖w − w*‖²/8" if mu else ""))


register(Claim(
    id="section2.flin_convex", source=SOURCE, kind="literal",
    statement=("F_lin(w) := F(w, 0, θ) = E_{x,y}[ℓ(wᵀx; y)] … By Assumption 1, this function is convex and "
               "twice-differentiable."),
    notes="Tested: convexity, as midpoint convexity on (w, w*).",
    evaluate_fn=evaluate_flin_convex, strategy_fn=section3_points, example_fn=lambda: random_point(23),
    quantities=("F_lin_mid", "F_lin_avg", "dist"),
    informative_rule="w ≠ w* and F_lin's midpoint gap non-zero beyond rounding",
    controls=(Variant("section2.flin_convex.strongly", "F_lin is μ-strongly convex, μ = 10⁻³ × the loss scale",
                      lambda i: evaluate_flin_convex(i, mu=1e-3)),),
))
