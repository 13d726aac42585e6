"""Corollary 1 (Sec. 3): local minima of F are no worse than the best linear predictor.

**Corollary 1.** *Suppose that on any bounded subset of the domain of F, it holds that F_θ(w, V),
∇F_θ(w, V) and ∇²F_θ(w, V) are all Lipschitz continuous in (w, V). Then every local minimum
(w, V, θ) of F satisfies*

    F(w, V, θ) ≤ inf_w F_lin(w).

Encoding. The hypothesis holds for every catalogue loss (C³ with bounded derivatives on bounded
sets). Local minima are *reached*, not assumed: from a Hypothesis-chosen start (w₀, V₀), SciPy's
``trust-exact`` (exact Hessian, ``theorems.model.objective.hessian``) minimises F_θ; the
end point is **certified** as an approximate second-order stationary point when
‖∇F_θ‖ ≤ 10⁻⁹·g and λ_min(∇²F_θ) ≥ −10⁻⁷·h
(h = Σ p ℓ''‖J‖² + Σ p|ℓ'|‖φ‖ ≥ ‖∇²F_θ‖), with g = Σ p(|ℓ'| + ℓ''‖J‖‖(ŵ, V̂)‖)‖J‖ (the
gradient's magnitude; |ℓ'| alone vanishes at an interpolating minimum). inf_w F_lin is computed by
``theorems.model.linear.linear_inf`` (the minimum over a ball on which predictions reach 10³),
*attained* only if that minimum is interior. The optimiser, the certification and the comparison
quantities are ``theorems.model.local_minima`` (``local_minimum``, ``certify``).

What is compared: gap = F(ŵ, V̂, θ) − F_lin(û) ≤ 0 with an allowance for ŵ, V̂ being an
approximate minimum: extra_tol = ‖∇F_θ(ŵ, V̂)‖·√(2‖ŵ‖² + ‖û‖²(2 + ‖V̂‖²/‖ŵ‖²)) (Theorem 1's
first-order slack; 0 at an exact minimum) — certified points make it ≤ 10⁻⁶ of the scale, or the
point is not counted as a local minimum (w ≈ 0 end points make it blow up) — plus
ν‖û‖(‖û‖ + 1) for F_lin(û) − inf F_lin (convexity, ∇F_lin(û) = −νû).

Not passing silently: when no certified local minimum is reached (including a solver failure,
whose message is kept: SciPy's trust-exact can raise, e.g. UnboundLocalError), the evaluation
raises ``HypothesisNotMet`` — counted by the audit as *not tested*, never as an example. When
inf F_lin is not attained (logistic loss on separable data, the linear loss), F_lin(û) ≥ inf F_lin
still holds for the feasible û, so F(ŵ, V̂, θ) > F_lin(û) would already violate the corollary: the
claim then checks F(ŵ, V̂, θ) ≤ F_lin(û) (hypothesis "inf F_lin attained" flagged false, no
ν-allowance). The optimiser runs in float64 (deterministic, cached); at high precision the *same*
end point is re-evaluated in mpmath.

Starts (``strategies.second_order.corollary1_points``): ``start_points``, starts on non-degenerate
data (X ≠ 0, non-degenerate f_θ, ℓ'(0; y) ≠ 0, w ≠ 0), and — 3/5 of the draws — starts at or near a
non-degenerate global minimum with w ≠ 0 (squared loss, the least-squares fit on [x, f_θ(x)],
``second_order_constructions.augmented_minimum``), strictly better than the linear predictor
(gap < 0), instead of the degenerate X = 0 instances where (0, 0) is already stationary and gap = 0.

Informative examples: |gap| = |F(ŵ, V̂, θ) − F_lin(û)| > 0 beyond rounding (of gap_scale + |F|):
a local minimum whose value equals the linear one (X = 0, start already stationary) compares
0 ≤ 0.

Quantities: ``gap``, ``F``, ``inf_F_lin``, ``grad_norm``, ``lambda_min``, ``allowance``,
``w_norm``, ``V_norm``, ``u_norm``, ``iterations``.
"""

from __future__ import annotations

from dataclasses import replace

from strategies.second_order import corollary1_points
from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register, tolerance
from theorems.model.instance import random_point
from theorems.model.local_minima import certify

SOURCE = "Corollary 1, Sec. 3"
H_LOCAL, H_INF = "local minimum reached (certified)", "inf F_lin attained"


def evaluate(inst, *, margin=0) -> Evaluation:
    m = certify(inst)           # the comparison's terms are the model's (MinimumComparison), shared with Remark 1
    reason = m.uncertified_reason()
    if reason:
        raise HypothesisNotMet(f"{H_LOCAL}: {reason} [{SOURCE}]")
    s, gap, scale = inst.sample, m.gap, m.scale
    label = ("F(ŵ, V̂, θ) ≤ inf_w F_lin(w) at a certified local minimum" if m.attained else
             "F(ŵ, V̂, θ) ≤ F_lin(û) (inf F_lin not attained; F_lin(û) ≥ inf F_lin)")
    return Evaluation.compare(gap, "<=", 0 * gap - margin * scale, scale=scale, extra_tol=m.gap_allowance,
                              ulps=tolerance.second_order(s.n, s.d, s.k), quantities=m.quantities(),
                              hypotheses={H_LOCAL: m.certified, H_INF: m.attained}, source=SOURCE, ratio=m.ratio,
                              label=label, informative=tolerance.beyond_rounding(gap, scale))


def _example():
    p = random_point(9, d=2, k=2, n=4, feature="tanh")
    return replace(p, w_star=None)


register(Claim(
    id="corollary1", cost=14, source=SOURCE, kind="literal",
    statement=("If F_θ, ∇F_θ and ∇²F_θ are Lipschitz on bounded sets, every local minimum (w, V, θ) of F satisfies "
               "F(w, V, θ) ≤ inf_w F_lin(w)."),
    evaluate_fn=evaluate, strategy_fn=corollary1_points, example_fn=_example,
    hypotheses=(H_LOCAL, H_INF), polish=False,
    quantities=("gap", "F", "inf_F_lin", "grad_norm", "lambda_min", "allowance", "w_norm", "V_norm", "u_norm",
                "iterations"),
    controls=(Variant("corollary1.strictly_better", "every local minimum beats the best linear predictor by 10⁻³ "
                      "of the loss scale: F ≤ inf F_lin − 10⁻³·scale", lambda i: evaluate(i, margin=1e-3),
                      max_examples=200),),
))
