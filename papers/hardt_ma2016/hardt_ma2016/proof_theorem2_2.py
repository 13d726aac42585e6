"""Each step of the proof of Theorem 2.2 (Hardt & Ma 2016, Sec. 2), as printed.

    ‖∂f/∂A_i‖_F = 2‖(Id + A_ℓᵀ) … (Id + A_{i+1}ᵀ) E Σ (Id + A_{i−1}ᵀ) … (Id + A_1ᵀ)‖_F      (line 1)
                ≥ 2 ∏_{j≠i} σ_min(Id + A_iᵀ) · σ_min(Σ) ‖E‖_F        (by Claim C.2)          (line 2)
                ≥ 2(1 − τ)^{ℓ−1} σ_min(Σ) ‖E‖.     (since σ_min(Id + A) ≥ 1 − ‖A‖)         (line 3)

*"It follows that*

    ‖∇f(A)‖_F² = Σ_{i=1}^{ℓ} ‖∂f/∂A_i‖_F² ≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² ‖E‖²              (sum)
               ≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² (f(A) − C)          (by E and Claim 2.3)         (claim23)
               ≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² (f(A) − C_opt).     (since C_opt = min_A f(A) ≥ C)  (c_opt)

*Therefore we complete the proof of equation (2.3). Finally, if A is a critical point, […] f(A) =
C_opt."* (that conclusion is ``hardt_ma2016.theorem2_2``). Every step is checked at A ∈ 𝓑_τ, τ < 1;
"for every i" is checked at the i where the step is tightest (largest right/left ratio).

Findings:
- line 2 (literal, **refuted**): the index i inside ∏_{j≠i} σ_min(Id + A_iᵀ) makes it
  σ_min(Id + A_i)^{ℓ−1}, false: d = 1, ℓ = 2, x = 1, R = 0, A = (0, −½), τ = ½, i = 1: E = ½,
  ‖∂f/∂A_1‖_F = 2·½·½ = ½ < 2·σ_min(1 + A_1)·1·½ = 1 (``line2_counterexample``).
  ``line2.corrected``: ∏_{j≠i} σ_min(Id + A_jᵀ) (true:
  ‖PMQ‖_F ≥ σ_min(P)σ_min(Q)‖M‖_F and ‖EΣ‖_F ≥ σ_min(Σ)‖E‖_F).
- sum (literal, **refuted**): squaring 2(1 − τ)^{ℓ−1} gives 4(1 − τ)^{2(ℓ−1)}; A_i = −τ·Id refutes the
  printed exponent. ``sum.corrected``: 4ℓ(1 − τ)^{2(ℓ−1)} σ_min(Σ)²‖E‖² (attained at A_i = −τ·Id, d = 1).
- claim23 (literal, **refuted**): needs ‖E‖² ≥ f(A) − C = ‖EΣ^{1/2}‖_F², false when Σ is large (x = 2:
  1 < 4) or when E has rank > 1 (spectral vs Frobenius). ``claim23.corrected``: ‖EΣ‖_F² ≥
  σ_min(Σ)(f(A) − C) (‖EΣ^{1/2}Σ^{1/2}‖_F² ≥ σ_min(Σ)‖EΣ^{1/2}‖_F²), the step of the corrected (2.3).
- line 1, line 3 and c_opt hold.

Quantities (every step): ``sigma_min_Sigma``, ``E_fro``, ``E_norm``, ``ES_fro`` = ‖EΣ‖_F, ``gap_C`` =
f(A) − C, ``grad_norm_sq`` = ‖∇f(A)‖_F², ``tau``, ``ell``, ``C``, ``C_opt``, ``f``; lines 1–3 add ``i``
(1-based: line 1's largest discrepancy, lines 2–3's tightest i) and ``lhs_norm`` = ‖∂f/∂A_i‖_F there;
lines 2–3 add ``prod_smin`` (line 2's product of σ_min's at that i).
Informative: the right side of the step positive beyond rounding (line 1: ∇f ≠ 0; c_opt: always —
C_opt and C are computed independently and the bound is attained).
Tolerance: ``tolerance.chain(n, d·(ℓ + 2))`` ulps of the magnitudes of the terms (``quantities.Section2``).
"""

from __future__ import annotations

import numpy as np

from theorems.contract import Claim, Evaluation, Form, Variant, register
from theorems.core import backend as B

from . import model as M
from .instances import ResNetPoint
from .quantities import beyond, require_ball, section2
from .strategies import ball_points, make_sample, make_target, make_tensor

SOURCE = "Hardt & Ma (2016), proof of Theorem 2.2, Sec. 2"


def example():
    X, p = make_sample("random", 2, 3, 21)
    A, tau = make_tensor("mixed", 3, 2, 0.5, 22)
    return ResNetPoint(X, p, make_target("random", 2, 23), A, tau, meta={"corner": "mixed"})


def line2_counterexample():
    """d = 1, ℓ = 2, x = 1, R = 0, A = (0, −½), τ = ½: at i = 1, E = ½, ‖∂f/∂A_1‖_F = ½ < 1."""
    return ResNetPoint(np.array([[1.0]]), np.array([1.0]), np.array([[0.0]]), np.array([[[0.0]], [[-0.5]]]), 0.5,
                       meta={"corner": "erratum"})


def exponent_counterexample():
    """d = 1, ℓ = 2, x = 1, R = 0, A_i = −½, τ = ½: E = ¼, Σ‖∂f/∂A_i‖² = 1/8 < 4·2·½·(¼)² = ¼."""
    return ResNetPoint(np.array([[1.0]]), np.array([1.0]), np.array([[0.0]]), np.full((2, 1, 1), -0.5), 0.5,
                       meta={"corner": "erratum"})


def scaling_counterexample():
    """d = 1, ℓ = 1, x = 2, A = 0, R = 0, τ = 0: ‖E‖² = 1 < f(A) − C = 4."""
    return ResNetPoint(np.array([[2.0]]), np.array([1.0]), np.array([[0.0]]), np.zeros((1, 1, 1)), 0.0,
                       meta={"corner": "erratum"})


def _smins(A, transpose=True):
    return [B.sigma_min(F) for F in M.factors(A, transpose=transpose)]


def _prod_except(vals, i, own=False):
    out = 1 + 0 * vals[0]
    for j, v in enumerate(vals):
        if j != i:
            out = out * (vals[i] if own else v)
    return out


def _worst(pairs):
    """The (lhs, rhs, i) with the largest rhs − lhs relative to max(|lhs|, |rhs|)."""
    def key(t):
        l, r, _ = t
        return float(r - l) / max(float(abs(l) + abs(r)), 1e-300)
    return max(pairs, key=key)


def _base(inst):
    require_ball(inst, SOURCE)
    return section2(inst)


def _symbols(s, inst, **step) -> dict:
    """Every symbol of the proof at this instance (any step's expression can use them), then the step's own."""
    q = dict(sigma_min_Sigma=s.sigma_min_Sigma, E_fro=s.E_fro, E_norm=s.E_norm, ES_fro=s.ES_fro, gap_C=s.f - s.C,
             grad_norm_sq=s.grad_norm_sq, tau=inst.tau, ell=inst.ell, C=s.C, C_opt=s.C_opt, f=s.f)
    q.update(step)
    return q


def evaluate_line1(inst, *, factor=2) -> Evaluation:
    s = _base(inst)
    fwd = M.forward_gradient(inst.A, inst.R, inst.X, inst.p)
    pairs = [(B.norm(fwd[i]), factor / 2 * s.slice_norms[i], i) for i in range(inst.ell)]
    lhs, rhs, i = max(pairs, key=lambda t: abs(t[0] - t[1]))
    diff = abs(lhs - rhs)
    return Evaluation.compare(diff, "==", 0 * diff, scale=s.grad_scale, ulps=s.ulps,
                              quantities=_symbols(s, inst, lhs_norm=lhs, i=i + 1),
                              informative=beyond(B.sqrt(s.grad_norm_sq), s.grad_scale),
                              label="‖∂f/∂A_i‖_F (forward mode) = 2‖(…)EΣ(…)‖_F for every i")


def evaluate_line2(inst, *, corrected=False, constant=2) -> Evaluation:
    s = _base(inst)
    sm = _smins(inst.A)
    pairs = [(s.slice_norms[i], constant * _prod_except(sm, i, own=not corrected) * s.sigma_min_Sigma * s.E_fro, i)
             for i in range(inst.ell)]
    lhs, rhs, i = _worst(pairs)
    scale = s.grad_scale + abs(rhs)
    q = _symbols(s, inst, lhs_norm=lhs, prod_smin=_prod_except(sm, i, own=not corrected), i=i + 1)
    return Evaluation.compare(lhs, ">=", rhs, scale=scale, ulps=s.ulps, quantities=q,
                              informative=rhs > 0 and beyond(rhs, scale),
                              label=("‖∂f/∂A_i‖_F ≥ 2∏_{j≠i}σ_min(Id + A_jᵀ)σ_min(Σ)‖E‖_F" if corrected else
                                     "‖∂f/∂A_i‖_F ≥ 2∏_{j≠i}σ_min(Id + A_iᵀ)σ_min(Σ)‖E‖_F (as printed)"))


def evaluate_line3(inst, *, exponent_shift=0, constant=2) -> Evaluation:
    s = _base(inst)
    sm = _smins(inst.A)
    tau, ell = inst.tau, inst.ell
    low = constant * (1 - tau) ** (ell - 1 - exponent_shift) * s.sigma_min_Sigma * s.E_norm
    pairs = [(2 * _prod_except(sm, i) * s.sigma_min_Sigma * s.E_fro, low, i) for i in range(ell)]
    lhs, rhs, i = _worst(pairs)
    scale = abs(lhs) + abs(rhs)
    q = _symbols(s, inst, lhs_norm=s.slice_norms[i], prod_smin=_prod_except(sm, i), i=i + 1)
    return Evaluation.compare(lhs, ">=", rhs, scale=scale, ulps=s.ulps * 2, quantities=q,
                              informative=rhs > 0 and beyond(rhs, scale),
                              label="2∏_{j≠i}σ_min(Id + A_jᵀ)σ_min(Σ)‖E‖_F ≥ 2(1 − τ)^{ℓ−1}σ_min(Σ)‖E‖")


def evaluate_sum(inst, *, corrected=False, constant=4) -> Evaluation:
    s = _base(inst)
    ell, tau = inst.ell, inst.tau
    expo = 2 * (ell - 1) if corrected else ell - 1
    lhs = sum(v * v for v in s.slice_norms)
    rhs = constant * ell * (1 - tau) ** expo * s.sigma_min_Sigma ** 2 * s.E_norm ** 2
    scale = s.grad_scale ** 2 + abs(rhs)
    q = _symbols(s, inst, grad_norm_sq=lhs)          # the sum as compared (= ‖∇f(A)‖_F² to rounding)
    return Evaluation.compare(lhs, ">=", rhs, scale=scale, ulps=s.ulps, quantities=q,
                              informative=rhs > 0 and beyond(rhs, scale),
                              label=f"Σ‖∂f/∂A_i‖_F² ≥ 4ℓ(1−τ)^{{{'2(ℓ−1)' if corrected else 'ℓ−1'}}}σ_min(Σ)²‖E‖²")


def evaluate_claim23(inst, *, corrected=False, factor=1) -> Evaluation:
    s = _base(inst)
    q = _symbols(s, inst)
    gap_C = q["gap_C"]
    if corrected:
        lhs, rhs = s.ES_fro ** 2, factor * s.sigma_min_Sigma * gap_C
        scale = s.grad_scale ** 2 + abs(s.sigma_min_Sigma) * s.f_scale
        label = "‖EΣ‖_F² ≥ σ_min(Σ)(f(A) − C)"
    else:
        lhs, rhs = s.E_norm ** 2, factor * gap_C
        scale = (s.P + s.R_norm) ** 2 + s.f_scale
        label = "‖E‖² ≥ f(A) − C (the step 'by E and Claim 2.3', coefficient 4ℓ(1−τ)^{ℓ−1}σ_min(Σ)² > 0 divided out)"
    # the printed step multiplies both sides by 4ℓ(1 − τ)^{ℓ−1}σ_min(Σ)² ≥ 0: it can only fail where that is > 0
    coef_pos = s.sigma_min_Sigma > 0 and beyond(s.sigma_min_Sigma, s.sigma_max_Sigma * inst.d)
    return Evaluation.compare(lhs, ">=", rhs, scale=scale, ulps=s.ulps, quantities=q,
                              informative=coef_pos and rhs > 0 and beyond(rhs, scale), label=label)


def evaluate_c_opt(inst, *, against_f=False) -> Evaluation:
    s = _base(inst)
    rhs = s.f if against_f else s.C
    return Evaluation.compare(s.C_opt, ">=", rhs, scale=s.f_scale, ulps=s.ulps,
                              quantities=_symbols(s, inst),
                              informative=True if not against_f else beyond(s.gap, s.f_scale),
                              label="C_opt = min_A f(A) ≥ C")


Q_SYMBOLS = ("sigma_min_Sigma", "E_fro", "E_norm", "ES_fro", "gap_C", "grad_norm_sq", "tau", "ell", "C", "C_opt", "f")
Q_LINE1 = Q_SYMBOLS + ("lhs_norm", "i")
Q_LINES23 = Q_LINE1 + ("prod_smin",)
COMMON = dict(source=SOURCE, strategy_fn=ball_points, example_fn=example, polish=False)

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.line1", kind="literal",
    statement="‖∂f/∂A_i‖_F = 2‖(Id + A_ℓᵀ) … (Id + A_{i+1}ᵀ) E Σ (Id + A_{i−1}ᵀ) … (Id + A_1ᵀ)‖_F",
    evaluate_fn=evaluate_line1, informative_rule="∇f(A) ≠ 0 beyond rounding",
    controls=(Variant("hardt_ma2016.proof_theorem2_2.line1.no_two", "without the factor 2",
                      lambda i: evaluate_line1(i, factor=1)),), quantities=Q_LINE1, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.line2", kind="literal",
    statement="‖∂f/∂A_i‖_F ≥ 2 ∏_{j≠i} σ_min(Id + A_iᵀ) · σ_min(Σ) ‖E‖_F  (by Claim C.2)",
    evaluate_fn=evaluate_line2, informative_rule="the right side > 0 beyond rounding (σ_min(Σ) > 0, E ≠ 0)",
    notes="Refuted: the printed index i inside the product over j ≠ i (line2.corrected uses A_j).",
    erratum={"location": "Hardt & Ma (2016), proof of Theorem 2.2, Sec. 2, second line (\"∏_{j≠i} σ_min(Id + A_iᵀ)\")",
             "statement": "∏_{j≠i} σ_min(Id + A_iᵀ)", "correction": "hardt_ma2016.proof_theorem2_2.line2.corrected",
             "why": ("As printed the product is σ_min(Id + A_i)^{ℓ−1}, which says nothing about the other factors: "
                     "d = 1, ℓ = 2, x = 1, R = 0, A = (0, −½), i = 1 gives ‖∂f/∂A_1‖_F = ½ < 2·1·1·½ = 1. "
                     "A typo for A_j; the corrected line holds.")},
    controls=(Variant("hardt_ma2016.proof_theorem2_2.line2.constant_4", "line 2 (as printed) with 4 for 2",
                      lambda i: evaluate_line2(i, constant=4)),), quantities=Q_LINES23, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.line2.corrected", kind="corrected",
    statement="‖∂f/∂A_i‖_F ≥ 2 ∏_{j≠i} σ_min(Id + A_jᵀ) · σ_min(Σ) ‖E‖_F",
    evaluate_fn=lambda i: evaluate_line2(i, corrected=True),
    informative_rule="the right side > 0 beyond rounding",
    form=Form("lhs_norm >= 2*prod_smin*sigma_min_Sigma*E_fro"),
    controls=(Variant("hardt_ma2016.proof_theorem2_2.line2.corrected.constant_3", "with 3 for 2",
                      lambda i: evaluate_line2(i, corrected=True, constant=3)),), quantities=Q_LINES23, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.line3", kind="proof-step",
    statement="2 ∏_{j≠i} σ_min(Id + A_jᵀ) σ_min(Σ) ‖E‖_F ≥ 2(1 − τ)^{ℓ−1} σ_min(Σ) ‖E‖ (since σ_min(Id + A) ≥ 1 − ‖A‖)",
    evaluate_fn=evaluate_line3, informative_rule="the right side > 0 beyond rounding",
    form=Form("2*prod_smin*sigma_min_Sigma*E_fro >= 2*(1 - tau)**(ell - 1)*sigma_min_Sigma*E_norm"),
    controls=(Variant("hardt_ma2016.proof_theorem2_2.line3.exponent", "with (1 − τ)^{ℓ−2}",
                      lambda i: evaluate_line3(i, exponent_shift=1)),), quantities=Q_LINES23, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.sum", kind="literal",
    statement="‖∇f(A)‖_F² = Σ_{i=1}^{ℓ} ‖∂f/∂A_i‖_F² ≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² ‖E‖²",
    evaluate_fn=evaluate_sum, informative_rule="the right side > 0 beyond rounding",
    notes="Refuted: the square of 2(1 − τ)^{ℓ−1} is 4(1 − τ)^{2(ℓ−1)} (sum.corrected).",
    erratum={"location": "Hardt & Ma (2016), proof of Theorem 2.2, Sec. 2, display after \"It follows that\"",
             "statement": "≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² ‖E‖²",
             "correction": "hardt_ma2016.proof_theorem2_2.sum.corrected",
             "why": ("Squaring 2(1 − τ)^{ℓ−1} gives 4(1 − τ)^{2(ℓ−1)}. At A_i = −τ·Id (d = 1, x = 1, R = 0) the sum "
                     "is 4ℓ(1 − τ)^{2(ℓ−1)}E², below 4ℓ(1 − τ)^{ℓ−1}E² for every τ > 0, ℓ ≥ 2.")},
    controls=(Variant("hardt_ma2016.proof_theorem2_2.sum.constant_8", "with 8 for 4",
                      lambda i: evaluate_sum(i, constant=8)),), quantities=Q_SYMBOLS, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.sum.corrected", kind="corrected",
    statement="Σ_{i=1}^{ℓ} ‖∂f/∂A_i‖_F² ≥ 4ℓ(1 − τ)^{2(ℓ−1)} σ_min(Σ)² ‖E‖²",
    evaluate_fn=lambda i: evaluate_sum(i, corrected=True), informative_rule="the right side > 0 beyond rounding",
    form=Form("grad_norm_sq >= 4*ell*(1 - tau)**(2*(ell - 1))*sigma_min_Sigma**2*E_norm**2"),
    controls=(Variant("hardt_ma2016.proof_theorem2_2.sum.corrected.constant_5", "with 5 for 4",
                      lambda i: evaluate_sum(i, corrected=True, constant=5)),), quantities=Q_SYMBOLS, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.claim23", kind="literal",
    statement="4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² ‖E‖² ≥ 4ℓ(1 − τ)^{ℓ−1} σ_min(Σ)² (f(A) − C)  (by E and Claim 2.3)",
    evaluate_fn=evaluate_claim23,
    informative_rule="σ_min(Σ) > 0 and f(A) − C > 0 beyond rounding (the common coefficient is then > 0)",
    notes="Refuted: ‖E‖² ≥ ‖EΣ^{1/2}‖_F² needs Σ ≼ Id and rank-one E (claim23.corrected).",
    erratum={"location": "Hardt & Ma (2016), proof of Theorem 2.2, Sec. 2 (\"by E and Claim 2.3\")",
             "statement": "‖E‖² ≥ f(A) − C", "correction": "hardt_ma2016.proof_theorem2_2.claim23.corrected",
             "why": ("f(A) − C = ‖EΣ^{1/2}‖_F² ≤ σ_max(Σ)‖E‖_F², not ≤ ‖E‖²: d = 1, ℓ = 1, x = 2 (Σ = 4), A = 0, "
                     "R = 0 gives ‖E‖² = 1 < 4; also Σ = Id, E = Id (d ≥ 2): 1 < d. Corrected step: "
                     "‖EΣ‖_F² ≥ σ_min(Σ)(f(A) − C), which gives the corrected (2.3).")},
    controls=(Variant("hardt_ma2016.proof_theorem2_2.claim23.double", "‖E‖² ≥ 2(f(A) − C)",
                      lambda i: evaluate_claim23(i, factor=2)),), quantities=Q_SYMBOLS, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.claim23.corrected", kind="corrected",
    statement="‖EΣ‖_F² ≥ σ_min(Σ)(f(A) − C) (= σ_min(Σ)‖EΣ^{1/2}‖_F², Claim 2.3)",
    evaluate_fn=lambda i: evaluate_claim23(i, corrected=True),
    informative_rule="σ_min(Σ)(f(A) − C) > 0 beyond rounding",
    form=Form("ES_fro**2 >= sigma_min_Sigma*gap_C"),
    controls=(Variant("hardt_ma2016.proof_theorem2_2.claim23.corrected.double", "‖EΣ‖_F² ≥ 2σ_min(Σ)(f(A) − C)",
                      lambda i: evaluate_claim23(i, corrected=True, factor=2)),), quantities=Q_SYMBOLS, **COMMON))

register(Claim(
    id="hardt_ma2016.proof_theorem2_2.c_opt", kind="literal",
    statement="C_opt = min_A f(A) ≥ C (by Claim 2.3)",
    evaluate_fn=evaluate_c_opt,
    informative_rule="always: C_opt (f at A° = (R − Id, 0, …) by the recursion) and C = E‖ξ‖² = d are computed "
                     "independently and C_opt = C, so any error in either shows",
    controls=(Variant("hardt_ma2016.proof_theorem2_2.c_opt.at_A", "C_opt ≥ f(A) (the minimum above the value at A)",
                      lambda i: evaluate_c_opt(i, against_f=True)),), quantities=Q_SYMBOLS, **COMMON))
