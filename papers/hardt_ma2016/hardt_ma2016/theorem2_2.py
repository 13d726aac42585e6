"""Theorem 2.2 and Eq. (2.3) (Hardt & Ma 2016, Sec. 2).

𝓑_τ = {A ∈ ℝ^{ℓ×d×d} : |||A||| ≤ τ}.

**Theorem 2.2.** *For any τ < 1, we have that any critical point A of the objective function f(·)
inside the domain 𝓑_τ must also be a global minimum.*

*"Moreover, in addition to Theorem 2.2, we also have that any A inside the domain 𝓑_τ satisfies that*

    ‖∇f(A)‖_F² ≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² (f(A) − C_opt).                          (2.3)

*Here C_opt is the global minimal value of f(·) […] σ_min(Σ) denote the minimum singular value of Σ."*

C_opt = min_A f(A) = d (attained at A° = (R − Id, 0, …), see ``model``), for singular Σ too.

Claims:
- ``hardt_ma2016.theorem2_2`` (literal): on critical points in 𝓑_τ, τ < 1, f(A) − C_opt ≤ 0. The
  premise has measure zero, so the strategy builds critical points (``strategies.critical_points``):
  R = Π(A) + N with N on the zero columns of a singular sample (E = −N ≠ 0 but EΣ = 0), or N = 0.
  An instance whose ‖∇f(A)‖_F is not 0 to rounding at the working precision is not tested
  (HypothesisNotMet). Informative: E ≠ 0 beyond rounding (f(A) = C_opt is not a triviality of E = 0).
  Holds for singular Σ as well: ∇f = 0 in 𝓑_τ forces EΣ = 0, hence EΣ^{1/2} = 0.
- ``hardt_ma2016.theorem2_2.eq2_3`` (literal) — **refuted (erratum)**, for two independent reasons:
  (a) *homogeneity*: with x ↦ sx (Σ ↦ s²Σ) the left side scales as s⁴ and the right side as s⁶, so
  (2.3) fails for large data; minimal witness d = 1, ℓ = 1, x = 2 (Σ = 4), A = 0, R = 0, τ = 0:
  ‖∇f‖² = 64 < 4·16·4 = 256. The proof's step ‖E‖² ≥ f(A) − C = ‖EΣ^{1/2}‖_F² needs Σ ≼ Id.
  (b) *exponent*: the proof squares 2(1 − τ)^{ℓ−1} into 4(1 − τ)^{ℓ−1}; at A_i = −τ·Id (d = 1, x = 1,
  Σ = 1) ‖∇f‖² = 4ℓ(1 − τ)^{2(ℓ−1)}E² < 4ℓ(1 − τ)^{ℓ−1}E² for τ > 0, ℓ ≥ 2.
- ``hardt_ma2016.theorem2_2.eq2_3.corrected``: ‖∇f(A)‖_F² ≥ 4ℓ(1 − τ)^{2(ℓ−1)} σ_min(Σ) (f(A) − C_opt).
  Proof: ‖∂f/∂A_i‖_F ≥ 2∏_{j≠i}σ_min(Id + A_j)‖EΣ‖_F ≥ 2(1 − τ)^{ℓ−1}‖EΣ‖_F and ‖EΣ‖_F² ≥
  σ_min(Σ)‖EΣ^{1/2}‖_F² = σ_min(Σ)(f(A) − C_opt). Scale-invariant (both sides s⁴) and attained with
  equality at A_i = −τ·Id, d = 1 — so both changes are needed and neither can be sharpened. (The
  printed σ_min(Σ)² is then valid whenever σ_min(Σ) ≤ 1, e.g. for Σ ≼ Id; with σ_min(Σ) replaced by
  the least *positive* eigenvalue the bound stays true for singular Σ.)

Quantities: ``grad_norm_sq`` = ‖∇f(A)‖_F² (from (2.5), checked against forward mode by Lemma 2.4),
``gap`` = f(A) − C_opt, ``ell``, ``tau``, ``sigma_min_Sigma``, ``sigma_max_Sigma``, ``A_norm`` = |||A|||.
Informative for (2.3): the right side positive beyond rounding (σ_min(Σ) > 0, f(A) > C_opt, τ < 1).
Tolerance: ``tolerance.chain(n, d·(ℓ + 2))`` ulps of scale (grad scale)² + coefficient × (f scale).
"""

from __future__ import annotations

from dataclasses import replace

from theorems.contract import Claim, Evaluation, Form, HypothesisDrop, HypothesisNotMet, Variant, register
from theorems.core import backend as B

from .instances import ResNetPoint
from .quantities import beyond, require_ball, section2
from .strategies import ball_points, critical_points, make_sample, make_target, make_tensor, outside_ball_points

SOURCE = "Hardt & Ma (2016), Theorem 2.2, Sec. 2"
SOURCE_23 = "Hardt & Ma (2016), Eq. (2.3), Sec. 2"
STATEMENT = ("For any τ < 1, we have that any critical point A of the objective function f(·) inside the domain "
             "𝓑_τ must also be a global minimum.")
STATEMENT_23 = ("any A inside the domain 𝓑_τ satisfies that ‖∇f(A)‖_F² ≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² (f(A) − C_opt)"
                "  (2.3)")


def example():
    X, p = make_sample("random", 2, 3, 11)
    A, tau = make_tensor("interior", 3, 2, 0.5, 12)
    return ResNetPoint(X, p, make_target("random", 2, 13), A, tau, meta={"corner": "interior"})


def critical_example():
    """A critical point with E ≠ 0: singular sample (x_2 = 0), R = Π(A) + N with N on column 2."""
    import numpy as np

    from . import model as M
    X, p = make_sample("singular", 2, 3, 14)
    A, tau = make_tensor("interior", 3, 2, 0.5, 15)
    N = np.array([[0.0, 1.5], [0.0, -0.5]])
    return ResNetPoint(X, p, M.product(A) + N, A, tau, meta={"corner": "critical, singular"})


def _q(s, inst):
    return dict(grad_norm_sq=s.grad_norm_sq, gap=s.gap, ell=inst.ell, tau=inst.tau, sigma_min_Sigma=s.sigma_min_Sigma,
                sigma_max_Sigma=s.sigma_max_Sigma, A_norm=s.A_norm)


def evaluate(inst, *, strict=True) -> Evaluation:
    require_ball(inst, SOURCE, strict=strict)
    s = section2(inst)
    g = B.sqrt(s.grad_norm_sq)
    if not g <= s.ulps * B.eps(s.f) * s.grad_scale:
        raise HypothesisNotMet(f"argument 'A': ‖∇f(A)‖_F = {float(g):.3g} is not 0 to rounding at this precision: "
                               f"not a critical point")
    # "a global minimum" is f(A) ≤ C_opt (f ≥ C_opt everywhere, so it means f(A) = C_opt): the relation is
    # the Form's, "gap <= 0", so necessity can drop τ < 1. Where it holds it is attained (tightness 1); the
    # default ratio of "≤ 0" would read a rounding-size positive gap as infinitely tight.
    ev = Evaluation.compare(s.gap, "<=", 0 * s.gap, scale=s.f_scale, ulps=s.ulps, quantities=_q(s, inst),
                            informative=beyond(s.E_fro, s.P + s.R_norm),
                            label="∇f(A) = 0 in 𝓑_τ ⇒ f(A) = C_opt (f(A) − C_opt ≤ 0)")
    return replace(ev, ratio=1.0) if ev.holds else ev


def evaluate_23(inst, *, corrected=False, constant=4, exponent=None, sigma_power=None, strict=True) -> Evaluation:
    require_ball(inst, SOURCE_23, strict=strict)
    s = section2(inst)
    ell, tau = inst.ell, inst.tau
    if exponent is None:
        exponent = 2 * (ell - 1) if corrected else ell - 1
    if sigma_power is None:
        sigma_power = 1 if corrected else 2
    coef = constant * ell * (1 - tau) ** exponent * s.sigma_min_Sigma ** sigma_power
    rhs = coef * s.gap
    scale = s.grad_scale ** 2 + abs(coef) * s.f_scale
    return Evaluation.compare(s.grad_norm_sq, ">=", rhs, scale=scale, ulps=s.ulps, quantities=_q(s, inst),
                              informative=rhs > 0 and beyond(rhs, scale),
                              label=("‖∇f‖_F² ≥ 4ℓ(1−τ)^{2(ℓ−1)}σ_min(Σ)(f − C_opt)" if corrected else
                                     "‖∇f‖_F² ≥ 4ℓ(1−τ)^{ℓ−1}σ_min(Σ)²(f − C_opt)"))


def eq2_3_scaling_counterexample():
    """Erratum (a): d = 1, ℓ = 1, x = 2, A = 0, R = 0, τ = 0: ‖∇f‖² = 64 < 256."""
    import numpy as np
    return ResNetPoint(np.array([[2.0]]), np.array([1.0]), np.array([[0.0]]), np.zeros((1, 1, 1)), 0.0,
                       meta={"corner": "erratum (a)"})


def eq2_3_exponent_counterexample():
    """Erratum (b): d = 1, ℓ = 2, x = 1, A_i = −½, R = 0, τ = ½: ‖∇f‖² = 2·4·(½)²·(¼)² = 1/8 < ¼."""
    import numpy as np
    return ResNetPoint(np.array([[1.0]]), np.array([1.0]), np.array([[0.0]]), np.full((2, 1, 1), -0.5), 0.5,
                       meta={"corner": "erratum (b)"})


_TAU_DROP = HypothesisDrop("τ < 1", outside_ball_points,
                           lambda i: evaluate_23(i, corrected=True, strict=False),
                           "the corrected (2.3) for τ ≥ 1 (two slices −Id: ∇f = 0 but f > C_opt)")

register(Claim(
    id="hardt_ma2016.theorem2_2", source=SOURCE, kind="literal", statement=STATEMENT,
    evaluate_fn=evaluate, strategy_fn=critical_points, example_fn=critical_example,
    polish=False, quantities=("grad_norm_sq", "gap", "ell", "tau", "sigma_min_Sigma", "sigma_max_Sigma", "A_norm"),
    informative_rule="a critical point (∇f = 0 to rounding) with E ≠ 0 beyond rounding (singular Σ)",
    form=Form("gap <= 0", without_hypothesis=(HypothesisDrop(
        "τ < 1", outside_ball_points, lambda i: evaluate(i, strict=False),
        "Theorem 2.2 for τ ≥ 1: A with two slices −Id is critical and f(A) > C_opt"),)),
    controls=(Variant("hardt_ma2016.theorem2_2.tau_one", "Theorem 2.2 with τ = 1 (𝓑_1 allowed)",
                      lambda i: evaluate(i, strict=False), strategy=outside_ball_points,
                      not_searched_why="draws τ ≥ 1 (𝓑_1 and beyond), outside the statement's τ < 1"),),
))

register(Claim(
    id="hardt_ma2016.theorem2_2.eq2_3", source=SOURCE_23, kind="literal", statement=STATEMENT_23,
    evaluate_fn=evaluate_23, strategy_fn=ball_points, example_fn=eq2_3_scaling_counterexample, polish=False,
    quantities=("grad_norm_sq", "gap", "ell", "tau", "sigma_min_Sigma", "sigma_max_Sigma", "A_norm"),
    informative_rule="4ℓ(1 − τ)^{ℓ−1}σ_min(Σ)²(f(A) − C_opt) > 0 beyond rounding",
    notes="Refuted twice: homogeneity (σ_min(Σ)² for σ_min(Σ)) and the exponent ℓ − 1 for 2(ℓ − 1).",
    erratum={"location": "Hardt & Ma (2016), Eq. (2.3) and the last display of the proof of Theorem 2.2, Sec. 2",
             "statement": STATEMENT_23, "correction": "hardt_ma2016.theorem2_2.eq2_3.corrected",
             "why": ("(a) x ↦ sx scales the left side by s⁴ and the right side by s⁶: d = 1, ℓ = 1, x = 2, A = 0, "
                     "R = 0 gives 64 < 256 (the proof's ‖E‖² ≥ f − C needs Σ ≼ Id). (b) (2(1 − τ)^{ℓ−1})² = "
                     "4(1 − τ)^{2(ℓ−1)}, not 4(1 − τ)^{ℓ−1}: A_i = −τ·Id, d = 1, x = 1 violates it for every "
                     "τ > 0, ℓ ≥ 2. Corrected: ‖∇f‖_F² ≥ 4ℓ(1 − τ)^{2(ℓ−1)}σ_min(Σ)(f(A) − C_opt), attained at "
                     "A_i = −τ·Id.")},
    controls=(Variant("hardt_ma2016.theorem2_2.eq2_3.constant_8", "(2.3) with 8 for 4",
                      lambda i: evaluate_23(i, constant=8)),),
))

register(Claim(
    id="hardt_ma2016.theorem2_2.eq2_3.corrected", source=SOURCE_23, kind="corrected",
    statement="any A inside 𝓑_τ, τ < 1, satisfies ‖∇f(A)‖_F² ≥ 4ℓ(1 − τ)^{2(ℓ−1)} σ_min(Σ) (f(A) − C_opt)",
    evaluate_fn=lambda i: evaluate_23(i, corrected=True), strategy_fn=ball_points, example_fn=example, polish=False,
    quantities=("grad_norm_sq", "gap", "ell", "tau", "sigma_min_Sigma", "sigma_max_Sigma", "A_norm"),
    informative_rule="4ℓ(1 − τ)^{2(ℓ−1)}σ_min(Σ)(f(A) − C_opt) > 0 beyond rounding",
    form=Form("grad_norm_sq >= 4*ell*(1 - tau)**(2*(ell - 1))*sigma_min_Sigma*gap",
              without_hypothesis=(_TAU_DROP,)),
    controls=(
        Variant("hardt_ma2016.theorem2_2.eq2_3.corrected.constant_5", "the corrected bound with 5 for 4",
                lambda i: evaluate_23(i, corrected=True, constant=5)),
        Variant("hardt_ma2016.theorem2_2.eq2_3.corrected.exponent", "the corrected bound with (1 − τ)^{ℓ−1}",
                lambda i: evaluate_23(i, corrected=True, exponent=i.ell - 1)),
        Variant("hardt_ma2016.theorem2_2.eq2_3.corrected.sigma_squared", "the corrected bound with σ_min(Σ)²",
                lambda i: evaluate_23(i, corrected=True, sigma_power=2)),
    ),
))
