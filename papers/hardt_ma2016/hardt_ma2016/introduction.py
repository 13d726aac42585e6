"""The two sentences of Sec. 1.1 (Hardt & Ma 2016) that summarise Section 2.

Objective (1.1): min over A_1, …, A_ℓ of E‖y − (I + A_ℓ)···(I + A_1)x‖², y = Rx (no noise: its
value is f(A) − d = ‖EΣ^{1/2}‖_F², Claim 2.3, and its minimisers are those of f).

**(1.2)** *"there exists a global optimizer (A_1, …, A_ℓ) of (1.1) such that for large enough depth ℓ,
max_{1≤i≤ℓ} ‖A_i‖ ≤ O(1/ℓ)"* ("the constant factor depends on the conditioning of R").

*"we can show that the gradients of vanish only when f(A) = 0 provided that max_i ‖A_i‖ ≤ O(1/ℓ). See
Theorem 2.2. This result implies that linear residual networks have no critical points other than the
global optimum."*

Claims:
- ``hardt_ma2016.introduction.eq1_2`` (explicit-constant): ℓ·min{|||A⋆|||} ≤ c with Theorem 2.1's
  c = 2(√π + √(3γ))², "large enough" read as ℓ ≥ 3γ (``quantities.existence_verdict``). **Refuted**:
  for det R < 0 and Σ ≻ 0 every global optimum has |||A⋆||| ≥ 1 *for every ℓ*, so no constant makes
  max‖A_i‖ ≤ c/ℓ for large ℓ (witness d = 1, R = −1, x = 1, ℓ = 7: 7 > 2π). Corrected: det R > 0.
- ``hardt_ma2016.introduction.gradients_vanish`` (explicit-constant): ∇f(A) = 0 with |||A||| ≤ τ
  (the O(1/ℓ) made explicit as any τ < 1) implies ‖EΣ^{1/2}‖_F² = 0, the noiseless risk (1.1).
  Tested on constructed critical points as Theorem 2.2. Quantity ``risk_noiseless``.
- ``hardt_ma2016.introduction.no_other_critical_points`` (literal): every critical point is a global
  optimum. **Refuted**: A with two slices −Id has ∇f(A) = 0 (every ∂f/∂A_i has a zero factor) and
  f(A) − C_opt = ‖RΣ^{1/2}‖_F² > 0; minimal witness d = 1, ℓ = 2, A = (−1, −1), x = 1, R = 1.
  Corrected (``…no_other_critical_points.corrected``): inside 𝓑_τ, τ < 1 (Theorem 2.2). ("the global
  optimum" is not unique either: every A with Π(A) = R is one.)
Informative: as in ``theorem2_1`` and ``theorem2_2`` (a critical point with E ≠ 0).
Tolerance: ``tolerance.chain(n, d·(ℓ + 2))`` ulps of the magnitudes of the terms.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register
from theorems.core import backend as B

from .instances import DepthTarget, ResNetPoint
from .quantities import beyond, existence_verdict, require_ball, section2
from .strategies import critical_points, depth_targets, make_sample, make_tensor, spurious_critical_points

SOURCE_12 = "Hardt & Ma (2016), Eq. (1.2), Sec. 1.1"
SOURCE_GV = "Hardt & Ma (2016), Sec. 1.1 (\"the gradients vanish only when f(A) = 0\")"
SOURCE_NC = "Hardt & Ma (2016), Sec. 1.1 (\"no critical points other than the global optimum\")"


def counterexample_12():
    return DepthTarget(np.array([[-1.0]]), 7, np.array([[1.0]]), np.array([1.0]), {"corner": "erratum"})


def counterexample_nc():
    """d = 1, ℓ = 2, A = (−1, −1), x = 1, R = 1: ∇f = 0, f − C_opt = 1."""
    return ResNetPoint(np.array([[1.0]]), np.array([1.0]), np.array([[1.0]]), np.full((2, 1, 1), -1.0), 1.0,
                       meta={"corner": "erratum"})


def critical_example():
    from . import model as M
    X, p = make_sample("singular", 2, 3, 31)
    A, tau = make_tensor("interior", 2, 2, 0.5, 32)
    return ResNetPoint(X, p, M.product(A) + np.array([[0.0, 1.0], [0.0, 2.0]]), A, tau, meta={"corner": "critical"})


def evaluate_12(inst, *, det_positive=False, factor=1) -> Evaluation:
    return existence_verdict(inst, source=SOURCE_12, factor=factor, require_det_positive=det_positive,
                             scale_by_ell=True)


def _critical(inst, source, ball):
    if ball:
        require_ball(inst, source)
    s = section2(inst)
    g = B.sqrt(s.grad_norm_sq)
    if not g <= s.ulps * B.eps(s.f) * s.grad_scale:
        raise HypothesisNotMet(f"argument 'A': ‖∇f(A)‖_F = {float(g):.3g} is not 0 to rounding: not a critical point")
    return s


def evaluate_gv(inst, *, ball=True) -> Evaluation:
    s = _critical(inst, SOURCE_GV, ball)
    r0 = s.f - s.C                        # E‖y − Πx‖² with y = Rx: the noiseless risk (1.1)
    return Evaluation.compare(r0, "==", 0 * r0, scale=s.f_scale, ulps=s.ulps,
                              quantities=dict(risk_noiseless=r0, A_norm=s.A_norm, tau=inst.tau),
                              informative=beyond(s.E_fro, s.P + s.R_norm),
                              label="∇f(A) = 0, |||A||| ≤ τ < 1 ⇒ E‖Rx − Πx‖² = 0")


def evaluate_nc(inst, *, ball=False, e_zero=False) -> Evaluation:
    s = _critical(inst, SOURCE_NC, ball)
    if e_zero:
        return Evaluation.compare(s.E_fro, "==", 0 * s.E_fro, scale=s.P + s.R_norm, ulps=s.ulps,
                                  quantities=dict(gap=s.gap, A_norm=s.A_norm), informative=True,
                                  label="∇f(A) = 0 ⇒ Π(A) = R")
    return Evaluation.compare(s.gap, "==", 0 * s.gap, scale=s.f_scale, ulps=s.ulps,
                              quantities=dict(gap=s.gap, A_norm=s.A_norm),
                              informative=beyond(s.E_fro, s.P + s.R_norm),
                              label="∇f(A) = 0 ⇒ f(A) = C_opt")


Q12 = ("gamma", "bound", "ell", "det_R", "upper", "lower")

register(Claim(
    id="hardt_ma2016.introduction.eq1_2", source=SOURCE_12, kind="explicit-constant",
    statement=("there exists a global optimizer (A_1, …, A_ℓ) of (1.1) such that for large enough depth ℓ, "
               "max_{1≤i≤ℓ} ‖A_i‖ ≤ O(1/ℓ) — constant made explicit: ℓ·max‖A_i‖ ≤ 2(√π + √(3γ))² for ℓ ≥ 3γ"),
    evaluate_fn=evaluate_12, strategy_fn=depth_targets, example_fn=counterexample_12, polish=False, quantities=Q12,
    informative_rule="every tested instance (a construction or a certified lower bound decides)",
    erratum={"location": "Hardt & Ma (2016), Eq. (1.2), Sec. 1.1",
             "statement": "a global optimizer with max_i ‖A_i‖ ≤ O(1/ℓ) for large enough ℓ",
             "correction": "hardt_ma2016.introduction.eq1_2.corrected",
             "why": ("For det R < 0 and Σ ≻ 0 every global optimum has max‖A_i‖ ≥ 1 for every ℓ (Π(A) = R needs a "
                     "factor with non-positive determinant), so no constant works. Witness d = 1, R = −1, x = 1, "
                     "ℓ = 7: ℓ·1 = 7 > 2π.")},
    controls=(Variant("hardt_ma2016.introduction.eq1_2.sharper_64", "ℓ·max‖A_i‖ ≤ 2(√π + √(3γ))²/64",
                      lambda i: evaluate_12(i, factor=1 / 64),
                      strategy=lambda: depth_targets(det_sign=1, max_gamma=3.0), max_examples=300,
                      searched_with_claim=True),),
))

register(Claim(
    id="hardt_ma2016.introduction.eq1_2.corrected", source=SOURCE_12, kind="corrected",
    statement="for det R > 0 and ℓ ≥ 3γ there is a global optimizer with ℓ·max‖A_i‖ ≤ 2(√π + √(3γ))²",
    evaluate_fn=lambda i: evaluate_12(i, det_positive=True), strategy_fn=partial(depth_targets, det_sign=1),
    example_fn=lambda: DepthTarget(np.diag([2.0, 0.5]), 5, np.eye(2), np.array([0.5, 0.5])), polish=False,
    quantities=Q12, informative_rule="every tested instance",
    controls=(Variant("hardt_ma2016.introduction.eq1_2.corrected.sharper_64", "with the constant divided by 64",
                      lambda i: evaluate_12(i, det_positive=True, factor=1 / 64),
                      strategy=lambda: depth_targets(det_sign=1, max_gamma=3.0), max_examples=300,
                      searched_with_claim=True),),
))

register(Claim(
    id="hardt_ma2016.introduction.gradients_vanish", source=SOURCE_GV, kind="explicit-constant",
    statement=("the gradients of [f] vanish only when f(A) = 0 provided that max_i ‖A_i‖ ≤ O(1/ℓ) — f the noiseless "
               "risk (1.1), O(1/ℓ) made explicit as max_i ‖A_i‖ ≤ τ < 1"),
    evaluate_fn=evaluate_gv, strategy_fn=critical_points, example_fn=critical_example, polish=False,
    quantities=("risk_noiseless", "A_norm", "tau"),
    informative_rule="a critical point with E ≠ 0 beyond rounding",
    controls=(Variant("hardt_ma2016.introduction.gradients_vanish.tau_one", "without max‖A_i‖ < 1",
                      lambda i: evaluate_gv(i, ball=False), strategy=spurious_critical_points,
                      not_searched_why="draws A with slices −Id, outside the statement's max‖A_i‖ ≤ τ < 1"),),
))

register(Claim(
    id="hardt_ma2016.introduction.no_other_critical_points", source=SOURCE_NC, kind="literal",
    statement=("This result implies that linear residual networks have no critical points other than the global "
               "optimum."),
    evaluate_fn=evaluate_nc, strategy_fn=spurious_critical_points, example_fn=counterexample_nc, polish=False,
    quantities=("gap", "A_norm"), informative_rule="a critical point with E ≠ 0 beyond rounding",
    erratum={"location": "Hardt & Ma (2016), Sec. 1.1, sentence after \"See Theorem 2.2.\"",
             "statement": "linear residual networks have no critical points other than the global optimum",
             "correction": "hardt_ma2016.introduction.no_other_critical_points.corrected",
             "why": ("Only inside 𝓑_τ, τ < 1 (Theorem 2.2). A with two slices −Id is a critical point (every ∂f/∂A_i "
                     "has a zero factor) with f(A) − C_opt = ‖RΣ^{1/2}‖_F² > 0: d = 1, ℓ = 2, A = (−1, −1), x = 1, "
                     "R = 1 gives 1 > 0.")},
    controls=(Variant("hardt_ma2016.introduction.no_other_critical_points.E_zero",
                      "a critical point in 𝓑_τ has Π(A) = R (E = 0), not only EΣ = 0",
                      lambda i: evaluate_nc(i, ball=True, e_zero=True), strategy=critical_points,
                      searched_with_claim=True),),
))

register(Claim(
    id="hardt_ma2016.introduction.no_other_critical_points.corrected", source=SOURCE_NC, kind="corrected",
    statement="inside 𝓑_τ, τ < 1, linear residual networks have no critical points other than global optima",
    evaluate_fn=lambda i: evaluate_nc(i, ball=True), strategy_fn=critical_points, example_fn=critical_example,
    polish=False, quantities=("gap", "A_norm"), informative_rule="a critical point with E ≠ 0 beyond rounding",
    controls=(Variant("hardt_ma2016.introduction.no_other_critical_points.corrected.unrestricted",
                      "the same without the ball", lambda i: evaluate_nc(i, ball=False),
                      strategy=spurious_critical_points,
                      not_searched_why="draws A outside 𝓑_τ (slices −Id, τ ≥ 1), outside the statement's τ < 1"),),
))
