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

- ``section2.local_minimum_is_sopsp`` — after Definition 1: *"any local minimum (w, V, θ) of F must
  be a 0-SOPSP: … hence ‖∇F_θ(w, V)‖ = 0 and λ_min(∇²F_θ(w, V)) ≥ 0"*. Checking it at certified local
  minima would be circular (they are certified by these two conditions), so the contrapositive is
  tested, at any point x = (w, V): if x is not a 0-SOPSP beyond rounding, an explicit nearby point
  x + tD has F_θ(x + tD) < F_θ(x) beyond F's rounding — a descent certificate, so x is no local
  minimum. D = −∇F_θ/‖∇F_θ‖ when ‖∇F_θ‖ exceeds the rounding of its terms (order 1: F(x + tD) =
  F(x) − t‖∇F_θ‖ + O(t²)); else, when λ_min < 0 beyond the rounding of ∇²F_θ's terms, D = ± the unit
  eigenvector of λ_min (order 2: F(x ± tD) = F(x) + ½λ_min t² + O(t³), both signs tried); the order-1
  branch falls back to order 2 when it cannot certify and λ_min < 0. Step: t = 2^j scanned upward
  from the octave where the leading Taylor term equals F's rounding bound, keeping the step of
  largest decrease − bound until a step certifies by 2¹⁰ × the bound or a certified step stops
  improving (the first basin of descent: the small-t regime), at most 64 octaves. At 60 digits the
  same search runs in 60-digit arithmetic (its bound is ~10⁻⁵⁸ relative, so t shrinks accordingly).
  Verdict: lhs = decrease = Σ p_i(ℓ(q_i) − ℓ(q'_i)) (``Loss.diff``, no cancellation of two F's) ≥
  rhs = F's rounding bound (strict: a zero decrease never certifies); ratio = bound/decrease (1: the
  certificate is at the edge of rounding). Tolerance: ``first_order(n, d, k)`` ulps of
  Σ p_i(|ℓ(q_i)| + |ℓ(q'_i)| + |ℓ'(q_i)|m_i + |ℓ'(q'_i)|m'_i), F's terms at both points plus the
  rounding of the predictions (m_i = Σ_j |w_j|(|x_ij| + Σ_l |V_jl||φ_il|)) through ℓ'. Informative:
  the point is not a 0-SOPSP beyond rounding (a 0-SOPSP, e.g. a point where all data vanish, gives
  0 ≥ 0, uninformative). Quantities ``grad_norm``, ``lambda_min``, ``t``, ``F``, ``F_moved``,
  ``decrease``, ``order`` (1, 2; 0 when uninformative), ``F_rounding``. Instances: Section 3's points
  (order 1, almost all) one_of the exact saddles above (order 2). Controls: the step along ± the TOP
  eigenvector at the exact saddles (positive curvature: F increases), and the fixed step t = 1.
  Not polished: its ratio measures rounding, and polishing would only chase near-stationary points.

Not encoded here (see the report of issue 22): "spurious local minima" needs θ as a variable (for
a fixed θ every second-order stationary point of F_θ is a global minimum of F_θ, so spurious
minima of F come from θ alone, and the model has no θ-parametrised feature map); "ε-SOPSP ⇔ ε-SOSP
of F_θ" restates the definitions (both are the same two inequalities on ∇F_θ and ∇²F_θ).
"""

from __future__ import annotations

import math
from dataclasses import replace

import mpmath
import numpy as np
from hypothesis import strategies as st

from strategies import section3_points
from strategies.batches import batch_searched
from strategies.core import forwards_filters
from strategies.second_order import exact_saddles, theorem2_points
from theorems.contract import Claim, Evaluation, Form, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.instance import random_point
from theorems.model.objective import gradient, hessian, linear_objective
from theorems.model.saddles import exact_saddle_at_zero
from theorems.model.second_order import at_zero, hessian_lambda_min, lambda_min

SOURCE = "Sec. 2 (Setting and Preliminaries)"
SOURCE_SOPSP = "Sec. 2 (Setting and Preliminaries), after Definition 1"


def _beyond(value, scale, ulps) -> bool:
    """|value| > the rounding bound of terms of magnitude ``scale`` in the value's own arithmetic
    (2⁻⁵³ in float64, 2⁻ᵖʳᵉᶜ at high precision), so a 60-digit re-evaluation sharpens the test."""
    return bool(abs(value) > tolerance.rounding(abs(scale) + 0 * value, ops=ulps))


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
    return Evaluation.truth(neg, quantities=q, hypotheses={"r != 0": True}, source=SOURCE, label=label,
                            informative=True)


def _example_zero():
    p = random_point(22, d=3, k=2)
    return replace(p, w=0 * p.w)


register(Claim(
    id="section2.not_convex", source=SOURCE, kind="literal",
    no_ratio="a truth value: the conclusion holds or not; its quantities are reported instead",
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
    return Evaluation.truth(saddle, quantities=q, source=SOURCE, informative=True,
                            label="∇F_θ(0,V) = 0 and λ_min(∇²F_θ(0,V)) < 0 (a saddle point)")


register(Claim(
    id="section2.saddle_points", source=SOURCE, kind="literal",
    no_ratio="a truth value: the conclusion holds or not; its quantities are reported instead",
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


# ---------------------------------------------------------------- any local minimum is a 0-SOPSP
#
# The contrapositive, checked at any point x = (w, V): if x is not a 0-SOPSP (∇F_θ ≠ 0 or
# λ_min(∇²F_θ) < 0 beyond rounding), an explicit nearby x' = x + t·D has F_θ(x') < F_θ(x) beyond the
# rounding of F, so x is no local minimum. (Checking the statement at certified local minima would be
# circular: they are certified by these very two conditions.) The helpers below are this claim's own.

ENOUGH = 2 ** 10      # a certificate whose decrease is 2¹⁰ × F's rounding bound needs no larger step
OCTAVES = 64          # steps t = 2^j scanned upward from the smallest one whose leading Taylor term could certify;
                      # that term grows as 2^j (first order) or 4^j (second order): ENOUGH is reached within 10
                      # octaves while Taylor's regime lasts, so 64 octaves leave the small-t regime far behind


def _magnitudes(s, loss, w, V):
    """Per-sample q_i, m_i and the scales behind ∇F_θ and ∇²F_θ at (w, V).

    m_i = Σ_j |w_j|(|x_ij| + Σ_l |V_jl||φ_il|) is the magnitude of the terms of q_i = wᵀ(x_i + Vφ_i),
    so q_i carries rounding ≲ (d + k)·u·m_i. With ‖J_i‖ = (‖z_i‖² + ‖w‖²‖φ_i‖²)^½ (J_i = ∂q_i/∂(w, V)):
    g_scale = Σ p_i(|ℓ'_i| + |ℓ''_i| m_i)‖J_i‖ (the gradient's terms, and the rounding of q_i through
    ℓ'), h_scale = Σ p_i((|ℓ''_i| + |ℓ'''_i| m_i)‖J_i‖² + |ℓ'_i|‖φ_i‖) ≥ ‖∇²F_θ‖ (Eq. 8–9's terms)."""
    aX, aP, aV, aw = B.abs_(s.X), B.abs_(s.Phi), B.abs_(V), B.abs_(w)
    Z = s.X + s.Phi @ V.T
    q = Z @ w
    m = (aX + aP @ aV.T) @ aw
    J2 = B.row_norms(Z) ** 2 + B.asum(w * w) * B.row_norms(s.Phi) ** 2
    J = B.sqrt(J2)
    d1, d2, d3 = B.abs_(loss.d1(q, s.y)), B.abs_(loss.d2(q, s.y)), B.abs_(loss.d3(q, s.y))
    g_scale = B.asum(s.p * (d1 + d2 * m) * J)
    h_scale = B.asum(s.p * ((d2 + d3 * m) * J2 + d1 * B.row_norms(s.Phi)))
    return q, m, g_scale, h_scale


def _moved(w, V, D, t):
    """(w, V) + t·D, D in the coordinates (w, vec V), vec row-major (``objective.hessian``)."""
    d = w.shape[0]
    return w + t * D[:d], V + t * D[d:].reshape(V.shape)


def _decrease(s, loss, w, V, w2, V2, ops):
    """(F_θ(w, V) − F_θ(w2, V2), F_θ(w2, V2), its rounding bound), the difference summed per sample as
    ℓ(q_i) − ℓ(q'_i) (``Loss.diff``: no cancellation of the two F's). Rounding bound: ``ops`` units of
    Σ p_i(|ℓ(q_i)| + |ℓ(q'_i)| + |ℓ'(q_i)| m_i + |ℓ'(q'_i)| m'_i) — F's terms at both points and the
    rounding of the predictions q_i, q'_i (magnitude m_i, see ``_magnitudes``) through ℓ'."""
    q, m, _, _ = _magnitudes(s, loss, w, V)
    q2, m2, _, _ = _magnitudes(s, loss, w2, V2)
    dec = B.asum(s.p * loss.diff(q, q2, s.y))
    F2 = B.asum(s.p * loss.value(q2, s.y))
    scale = B.asum(s.p * (B.abs_(loss.value(q, s.y)) + B.abs_(loss.value(q2, s.y))
                          + B.abs_(loss.d1(q, s.y)) * m + B.abs_(loss.d1(q2, s.y)) * m2))
    return dec, F2, tolerance.rounding(scale, ops=ops)


def _power_of_two(j, like):
    return mpmath.mpf(2) ** j if B.is_mp(like) else math.ldexp(1.0, j)


def _search_step(s, loss, w, V, D, t_min, ops, *, fixed_t=None):
    """The step t = 2^j of a descent certificate along D: j from ⌊log₂ t_min⌋ upward (t_min: the
    smallest step whose leading Taylor term could exceed F's rounding), keeping the step with the
    largest margin decrease − bound, and stopping once a step certifies by ``ENOUGH`` or a certified
    step stops improving (the first basin of descent, where Taylor's small-t argument lives), or F
    is no longer finite. Returns (t, decrease, F_moved, bound); ``fixed_t`` evaluates that step alone."""
    if fixed_t is not None:
        js = [None]
    else:
        j0 = math.floor(float(mpmath.log(t_min, 2))) if t_min > 0 else -60
        lo = j0 - 1 if B.is_mp(t_min) else max(j0 - 1, -1074)
        js = range(lo, lo + OCTAVES + 1) if B.is_mp(t_min) else range(lo, min(lo + OCTAVES, 1023) + 1)
    best = None
    for j in js:
        t = fixed_t if j is None else _power_of_two(j, t_min)
        w2, V2 = _moved(w, V, D, t)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            dec, F2, bound = _decrease(s, loss, w, V, w2, V2, ops)
        if not (B.is_finite(dec) and B.is_finite(F2) and B.is_finite(bound)):
            break
        cand = (t, dec, F2, bound)
        if best is None or dec - bound > best[1] - best[3]:
            best = cand
            if dec >= ENOUGH * bound and dec > 0:
                break
        elif best[1] >= best[3] and best[1] > 0:
            break
    if best is None:     # F overflows at the first step already: no certificate
        t = fixed_t if fixed_t is not None else t_min
        return t, 0 * t_min, math.inf, 0 * t_min
    return best


def evaluate_local_minimum(inst, *, direction="descent", unit_step=False) -> Evaluation:
    """The contrapositive of "any local minimum is a 0-SOPSP" on one point (see the claim's docstring).

    ``direction``: "descent" (−∇F_θ/‖∇F_θ‖, else ± the unit eigenvector of λ_min) or "top" (± the
    eigenvector of λ_max: the control); ``unit_step``: the control with t = 1 instead of a search."""
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    n, d, k = s.n, s.d, s.k
    g_w, g_V = gradient(s, loss, w, V, validate=False)
    gn = B.norm(g_w, g_V)
    lam = hessian_lambda_min(s, loss, w, V)
    q, _, g_scale, h_scale = _magnitudes(s, loss, w, V)
    F = B.asum(s.p * loss.value(q, s.y))
    ops = tolerance.first_order(n, d, k)
    moving = _beyond(gn, g_scale, tolerance.first_order(n, d, k))
    curved = bool(lam < 0) and _beyond(lam, h_scale, tolerance.second_order(n, d, k))
    _, _, bound0 = _decrease(s, loss, w, V, w, V, ops)      # F's rounding bound at x (both points x)
    q_ = dict(grad_norm=gn, lambda_min=lam, F=F)
    label = "not a 0-SOPSP ⇒ F_θ(x + tD) < F_θ(x) for an explicit step t (so x is no local minimum)"
    if direction == "top" and (moving or not curved):
        raise HypothesisNotMet("argument 'inst': the top-eigenvector control is stated at stationary points with "
                               "λ_min(∇²F_θ) < 0 [Sec. 2, after Definition 1]")
    if not (moving or curved):
        # a 0-SOPSP up to rounding: the statement asks nothing of it (0 ≥ 0)
        q_.update(t=0 * F, F_moved=F, decrease=0 * F, order=0, F_rounding=bound0)
        return Evaluation.compare(0 * F, ">=", 0 * F, scale=1.0, ulps=0, quantities=q_, source=SOURCE_SOPSP,
                                  label=label, informative=False)
    cands = []
    if moving and direction == "descent":
        D = np.concatenate([g_w, g_V.reshape(-1)]) * (-1 / gn)
        cands.append((1, (D,), bound0 / gn))                               # F(x + tD) ≈ F − t‖∇F‖
    if curved or direction == "top":
        H = hessian(s, loss, w, V, validate=False)
        _, Q = B.eigh(H)
        col = 0 if direction == "descent" else -1
        v = Q[:, col].copy()
        cands.append((2, (v, -v), B.sqrt(2 * bound0 / -lam)))             # F(x ± tv) ≈ F + ½λ_min t²
    best = None
    for order, dirs, t_min in cands:
        for D in dirs:
            t, dec, F2, bound = _search_step(s, loss, w, V, D, t_min, ops, fixed_t=(0 * F + 1) if unit_step else None)
            if best is None or dec - bound > best[2] - best[4]:
                best = (order, t, dec, F2, bound)
        if best[2] >= best[4] and best[2] > 0:
            break
    order, t, dec, F2, bound = best
    q_.update(t=t, F_moved=F2, decrease=dec, order=order, F_rounding=bound)
    if unit_step:
        label = "not a 0-SOPSP ⇒ the step t = 1 along the descent direction decreases F_θ"
    elif direction == "top":
        label = "at a stationary point, a step along ± the top eigenvector of ∇²F_θ decreases F_θ"
    # strict: a decrease of 0 certifies nothing, even where F's terms (and so its bound) vanish
    rhs = bound if bound > 0 else bound + 2.0 ** -1074
    return Evaluation.compare(dec, ">=", rhs, scale=1.0, ulps=0, quantities=q_, source=SOURCE_SOPSP, label=label,
                              informative=True)


_SADDLE_FILTERS = {"losses", "max_d", "max_width", "max_n"}


@forwards_filters(section3_points)
def local_minimum_points(**filters):
    """Section 3's points (random w, V: almost all non-stationary, the first-order certificate) and
    the exact stationary strict saddles (∇F_θ = 0 exactly, λ_min < 0: the second-order certificate),
    one_of the two. A filter the saddles cannot meet (``w``, ``feature_kinds``, ``corners``, a list
    of ``losses`` without "squared") gives Section 3's points alone."""
    own = section3_points(**filters)
    losses = filters.get("losses")
    if set(filters) - _SADDLE_FILTERS or (losses is not None and "squared" not in losses):
        return own
    return st.one_of(own, exact_saddles(max_d=min(filters.get("max_d", 3), 3),
                                        max_k=min(filters.get("max_width", 3), 3)))


register(Claim(
    id="section2.local_minimum_is_sopsp", source=SOURCE_SOPSP, kind="literal",
    statement=("Importantly, note that any local minimum (w, V, θ) of F must be a 0-SOPSP: This is because (w, V) "
               "is a local minimum of the (differentiable) function F_θ, hence ‖∇F_θ(w, V)‖ = 0 and "
               "λ_min(∇²F_θ(w, V)) ≥ 0."),
    notes=("Tested through the contrapositive: at every point that is not a 0-SOPSP beyond rounding, an explicit "
           "step t = 2^j along −∇F_θ (or ± the eigenvector of λ_min) decreases F_θ beyond its rounding."),
    evaluate_fn=evaluate_local_minimum, strategy_fn=local_minimum_points, example_fn=lambda: random_point(24),
    quantities=("grad_norm", "lambda_min", "t", "F", "F_moved", "decrease", "order", "F_rounding"), polish=False,
    informative_rule=("the point is not a 0-SOPSP beyond rounding (‖∇F_θ‖ or −λ_min(∇²F_θ) above the rounding of "
                      "its terms), so a descent certificate is needed"),
    controls=(
        Variant("section2.local_minimum_is_sopsp.top_eigenvector",
                "at a stationary point with λ_min < 0, a step along ± the TOP eigenvector of ∇²F_θ (positive "
                "curvature) also decreases F_θ", lambda i: evaluate_local_minimum(i, direction="top"),
                strategy=exact_saddles, max_examples=50, searched_with_claim=True),
        Variant("section2.local_minimum_is_sopsp.unit_step",
                "at a point that is not a 0-SOPSP, the step t = 1 along the descent direction always decreases F_θ",
                lambda i: evaluate_local_minimum(i, unit_step=True)),
    ),
))
