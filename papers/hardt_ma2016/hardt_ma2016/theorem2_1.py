"""Theorem 2.1 (Hardt & Ma 2016, Sec. 2) and the sentence after it.

**Theorem 2.1.** *Suppose ℓ ≥ 3γ. Then, there exists a global optimum solution A⋆ of the population
risk f(·) with norm*

    |||A⋆||| ≤ 2(√π + √(3γ))² / ℓ.

γ = max{|log σ_max(R)|, |log σ_min(R)|}; |||A||| = max_i ‖A_i‖ (spectral).
*"if σ_max(R)/σ_min(R) = κ, then we can scale the outputs properly so that σ_min(R) = 1/√κ and
σ_max(R) = √κ. In this case, we have γ = log √κ".*

An existence statement, decided per instance (``quantities.existence_verdict``):
- upper side: a construction (``model.theorem2_1_layers``; the appendix's proof is not in our text):
  the polar decomposition R = QS, p layers S^{1/p} − Id and q = ℓ − p layers Q^{1/q} − Id (Q's
  principal root from its real Schur form), the split p with the least |||A⋆|||, the last layer closed
  at the working precision so that Π(A⋆) = R to 60 digits; the claim holds on the instance when this
  A⋆ is a global optimum (residual 0 to rounding) with |||A⋆||| ≤ the bound;
- lower side, certified when Σ ≻ 0 (every global optimum then has Π(A) = R, by Claim 2.3):
  |||A||| ≥ max(σ_max(R)^{1/ℓ} − 1, 1 − σ_min(R)^{1/ℓ}), and |||A||| ≥ 1 when det R < 0;
- otherwise (det R < 0 with Σ singular; or the construction above the bound and the lower bound
  below it) sampling cannot decide: HypothesisNotMet with that reason (counted as not tested).

**Finding (erratum).** Theorem 2.1 as printed has no hypothesis on the sign of det R. If det R < 0
and Σ ≻ 0, every global optimum has |||A⋆||| ≥ 1 (a product of Id + A_j with ‖A_j‖ < 1 has positive
determinant), while 2(√π + √(3γ))²/ℓ < 1 once ℓ > 2(√π + √(3γ))². Minimal witness: d = 1, R = (−1),
x = 1 (Σ = 1), γ = 0, ℓ = 7: the bound is 2π/7 = 0.898 < 1. ``theorem2_1.corrected`` adds det R > 0,
the hypothesis the construction needs (Q = polar factor ∈ SO(d)); it holds on every instance tried.

Quantities: ``gamma``, ``bound`` = 2(√π + √(3γ))²/ℓ, ``ell``, ``det_R``, ``upper`` (the construction's
|||A⋆|||), ``lower`` (certified), ``sigma_positive``. Tightness ratio: |||A⋆|||/bound.
Informative: every tested instance (the bound is finite; the construction could exceed it).
Tolerance: 64·(1 + d(ℓ + 2))(d + 2) ulps of the bound (eigenvalue-based spectral norms of ℓ slices).

``hardt_ma2016.theorem2_1.kappa`` (literal): with R' = R/√(σ_min(R)σ_max(R)), σ_min(R') = 1/√κ,
σ_max(R') = √κ and γ(R') = log √κ; checked as γ(R') = log √κ (quantities ``kappa``, ``gamma_scaled``).
Informative: κ > 1 beyond rounding. Control: γ = log κ.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B

from . import model as M
from .instances import DepthTarget
from .quantities import beyond, existence_verdict
from .strategies import depth_targets

SOURCE = "Hardt & Ma (2016), Theorem 2.1, Sec. 2"
SOURCE_KAPPA = "Hardt & Ma (2016), sentence after Theorem 2.1, Sec. 2"
STATEMENT = ("Suppose ℓ ≥ 3γ. Then, there exists a global optimum solution A⋆ of the population risk f(·) "
             "with norm |||A⋆||| ≤ 2(√π + √(3γ))²/ℓ.")


def example():
    return DepthTarget(np.array([[1.5, 0.3], [-0.2, 0.8]]), 4, np.eye(2), np.array([0.5, 0.5]))


def counterexample():
    """The minimal confirmed witness: d = 1, R = (−1), x = 1, ℓ = 7 (bound 2π/7 < 1 ≤ every optimum)."""
    return DepthTarget(np.array([[-1.0]]), 7, np.array([[1.0]]), np.array([1.0]), {"corner": "erratum"})


def evaluate(inst, *, factor=1) -> Evaluation:
    return existence_verdict(inst, source=SOURCE, factor=factor)


def evaluate_corrected(inst, *, factor=1) -> Evaluation:
    return existence_verdict(inst, source=SOURCE, factor=factor, require_det_positive=True)


def evaluate_kappa(inst, *, log_kappa=False) -> Evaluation:
    sv = B.singular_values(inst.R)     # descending
    if not sv[-1] > 0:
        raise HypothesisNotMet("argument 'R': R is singular, so κ = σ_max/σ_min is infinite")
    kappa = sv[0] / sv[-1]
    R2 = inst.R / B.sqrt(sv[-1] * sv[0])
    g2 = M.gamma(R2)
    rhs = B.log(kappa) if log_kappa else B.log(B.sqrt(kappa))
    return Evaluation.compare(g2, "==", rhs, scale=abs(B.log(kappa)) + 1, ulps=tolerance.eigenvalue(inst.d) * 4,
                              quantities=dict(kappa=kappa, gamma_scaled=g2),
                              informative=beyond(kappa - 1, kappa), label="γ(R/√(σ_min σ_max)) = log √κ")


_CONTROL = Variant("hardt_ma2016.theorem2_1.corrected.sharper_64",
                   "|||A⋆||| ≤ 2(√π + √(3γ))²/(64ℓ) (constant 2 → 1/32): refuted by the certified lower bound",
                   lambda i: evaluate_corrected(i, factor=1 / 64),
                   strategy=lambda: depth_targets(det_sign=1, max_gamma=3.0), max_examples=300,
                   searched_with_claim=True)

register(Claim(
    id="hardt_ma2016.theorem2_1", source=SOURCE, kind="literal", statement=STATEMENT,
    evaluate_fn=evaluate, strategy_fn=depth_targets, example_fn=counterexample, polish=False,
    hypotheses=(), quantities=("gamma", "bound", "ell", "det_R", "upper", "lower"),
    informative_rule="every tested instance (the bound is finite; a construction or a certified lower bound decides)",
    notes="Refuted for det R < 0 (see the module docstring); hardt_ma2016.theorem2_1.corrected adds det R > 0.",
    erratum={"location": "Hardt & Ma (2016), Theorem 2.1, Sec. 2",
             "statement": STATEMENT, "correction": "hardt_ma2016.theorem2_1.corrected",
             "why": ("No hypothesis on det R. With det R < 0 and Σ ≻ 0 every global optimum has Π(A) = R, so some "
                     "Id + A_j has non-positive determinant and |||A⋆||| ≥ 1 > 2(√π + √(3γ))²/ℓ for large ℓ. "
                     "Minimal witness d = 1, R = −1, x = 1, γ = 0, ℓ = 7: 1 > 2π/7 = 0.898.")},
    controls=(Variant("hardt_ma2016.theorem2_1.sharper_64", "the literal bound with constant 2 → 1/32",
                      lambda i: evaluate(i, factor=1 / 64),
                      strategy=lambda: depth_targets(det_sign=1, max_gamma=3.0), max_examples=300,
                      searched_with_claim=True),),
))

register(Claim(
    id="hardt_ma2016.theorem2_1.corrected", source=SOURCE, kind="corrected",
    statement=STATEMENT.replace("Suppose ℓ ≥ 3γ.", "Suppose ℓ ≥ 3γ and det R > 0."),
    evaluate_fn=evaluate_corrected, strategy_fn=partial(depth_targets, det_sign=1),
    example_fn=example, polish=False, hypotheses=(),
    quantities=("gamma", "bound", "ell", "det_R", "upper", "lower"),
    informative_rule="every tested instance (the construction's |||A⋆||| could exceed the bound)",
    notes=("No Form: an existence statement's variants would be judged on one witness (the construction), "
           "not on every global optimum; the control uses the certified lower bound instead."),
    controls=(_CONTROL,),
))

register(Claim(
    id="hardt_ma2016.theorem2_1.kappa", source=SOURCE_KAPPA, kind="literal",
    statement=("if σ_max(R)/σ_min(R) = κ, then we can scale the outputs properly so that σ_min(R) = 1/√κ and "
               "σ_max(R) = √κ. In this case, we have γ = log √κ"),
    evaluate_fn=evaluate_kappa, strategy_fn=depth_targets, example_fn=example, polish=False,
    quantities=("kappa", "gamma_scaled"), informative_rule="κ > 1 beyond rounding",
    controls=(Variant("hardt_ma2016.theorem2_1.kappa.log_kappa", "γ = log κ",
                      lambda i: evaluate_kappa(i, log_kappa=True)),),
))
