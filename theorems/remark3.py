"""Remark 3 (Sec. 4): the Lipschitz constants of ∇F and ∇²F in Example 1.

**Remark 3.** *In the example above, F does not have gradients and Hessians with a uniformly bounded
Lipschitz constant (over all of Euclidean space). However, for any ε > 0, the Lipschitz constants are
bounded by a numerical constant over (w, v) ∈ [−2/ε, 2/ε]² (which includes the stationary point
studied in the construction). This indicates that the problem indeed lies with the norm of (w, v) being
unbounded, and not with the Lipschitz constants of the derivatives of F.*

F(w, v) = ½(w(1 + εv) − 1)² (Example 1). Norms as in the paper: Euclidean on (w, v), spectral on
matrices. On a convex set with interior, the best Lipschitz constant of ∇F is sup ‖∇²F‖ and that of
∇²F is sup_{‖h‖=1} ‖D³F[h]‖ (mean-value theorem both ways).

**Exact constants on the box** (derivation; re-derived in ``tests/symbolic/test_section4_sympy.py``).
Write a = εw ∈ [−2, 2], u = 1 + εv ∈ [−1, 3]. Then ∇²F = ((u², 2au − ε), (2au − ε, a²)), whose
spectral norm (u² + a²)/2 + √(((u² − a²)/2)² + (2au − ε)²) is increasing in u², a² and |2au − ε|,
all maximal at u = 3, a = −2. Hence

    μ₁(ε) = 13/2 + √(25/4 + (12 + ε)²)         (attained at (w, v) = (−2/ε, 2/ε)).

D³F[h] = 2ε((h₂u, h₁u + h₂a), (h₁u + h₂a, h₁a)); sup_h ‖D³F[h]‖ = sup_{‖x‖=1} |D³F[x, x, x]|
(Banach: symmetric trilinear form) = 6ε·sup |x₁x₂(ux₁ + ax₂)|, convex in (u, a), so maximal at a
vertex, (u, a) = (3, ±2):

    μ₂(ε) = 6κε,  κ = max_{‖x‖=1} |x₁x₂(3x₁ + 2x₂)| = |3s + 2s²|/(1 + s²)^{3/2} ≈ 1.774797,

s the maximizing real root of 2s³ + 6s² − 4s − 3 = 0 (the slope x₂/x₁). So μ₂(ε) → 0 as ε → 0, but
both μ₁(ε) ≥ ε and μ₂(ε) = 6κε grow without bound as ε → ∞: **the literal "for any ε > 0 … bounded
by a numerical constant" is false** for large ε (erratum). The example only needs small ε, and for
ε in any bounded range (0, ε₀] the constants are bounded by μ₁(ε₀), μ₂(ε₀): ``remark3.corrected``
uses ε₀ = 1, μ₁(1) = (13 + √701)/2 ≈ 19.738, μ₂(1) = 6κ ≈ 10.649.

Claims (instances :class:`theorems.model.planar.EpsPoint`: ε, a point of the box and a direction h;
ĥ = h/‖h‖):

- ``remark3`` (literal, **refuted**): ‖∇²F(w, v)‖ ≤ C and ‖D³F(w, v)[ĥ]‖ ≤ C with the numerical
  constant C = 100 (any fixed C fails once ε > C/(6κ); the test pins this for several C).
- ``remark3.corrected``: for 0 < ε ≤ 1, ‖∇²F‖ ≤ (13 + √701)/2 and ‖D³F[ĥ]‖ ≤ 6κ on the box.
- ``remark3.sup`` (explicit-constant): for every ε > 0, ‖∇²F‖ ≤ μ₁(ε) and ‖D³F[ĥ]‖ ≤ μ₂(ε) on the
  box; tightness ratio = the larger of the two ratios (1 at the corners).
- ``remark3.unbounded``: over ℝ², ‖∇²F(w, v)‖ ≥ max((1 + εv)², ε²w²) and ‖D³F(w, v)[e_v]‖ ≥ 2ε²|w|,
  right-hand sides unbounded on ℝ², so no finite Lipschitz constant exists for ∇F or ∇²F.

Informative examples: for the box bounds, those where ‖∇²F‖/μ₁ or ‖D³F[ĥ]‖/μ₂ is non-zero beyond
rounding — every point (∇²F never vanishes: at w = 0, 1 + εv = 0 its off-diagonal is −ε); for
``remark3.unbounded``, those where a lower bound is non-zero (not at (0, −1/ε), where both are 0).

Quantities: ``hess_norm`` = ‖∇²F(w, v)‖, ``third_norm`` = ‖D³F(w, v)[ĥ]‖, ``mu1``, ``mu2``, ``C``.
Tolerances: scale = the bound (or the norms), ``tolerance.closed_form()`` = 64 ulps.

The constants κ, μ₁(ε), μ₂(ε) and the norms are computed in :mod:`theorems.model.planar`.
"""

from __future__ import annotations

from functools import partial

from strategies.section4 import eps_points
from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.planar import EpsPoint, hess_norm, mu1_box, mu2_box, third_norm

SOURCE = "Remark 3, Sec. 4"
C_NUMERICAL = 100


def _require_box(inst):
    if not inst.in_box():
        raise HypothesisNotMet(f"argument 'inst': (w, v) = ({float(inst.w):.6g}, {float(inst.v):.6g}) is outside "
                               f"[−2/ε, 2/ε]² for ε = {float(inst.eps):.6g}, the box of Remark 3")


def _bounds(inst, C1, C2, source, label, max_eps=None):
    _require_box(inst)
    if max_eps is not None and not inst.eps <= max_eps:
        raise HypothesisNotMet(f"argument 'eps': ε = {float(inst.eps):.6g}, but this claim needs ε ≤ {max_eps}")
    hn, tn = hess_norm(inst), third_norm(inst)
    r1, r2 = hn / C1, tn / C2
    lhs = max(r1, r2)
    one = 1 + 0 * inst.eps
    hyps = {"(w, v) in the box": True} | ({f"eps <= {max_eps}": True} if max_eps is not None else {})
    return Evaluation.compare(lhs, "<=", one, scale=one, ulps=tolerance.closed_form(),
                              informative=tolerance.beyond_rounding(lhs, one),
                              quantities=dict(hess_norm=hn, third_norm=tn, mu1=C1, mu2=C2, ratio_hess=r1,
                                              ratio_third=r2), hypotheses=hyps, source=source, label=label)


def evaluate_literal(inst, *, C=C_NUMERICAL) -> Evaluation:
    C = C + 0 * inst.eps
    return _bounds(inst, C, C, SOURCE, f"‖∇²F‖/C, ‖D³F[ĥ]‖/C ≤ 1 on [−2/ε, 2/ε]² with the numerical constant C = {C}")


def corrected_constants(eps_like):
    """(μ₁(1), μ₂(1)) = ((13 + √701)/2, 6κ): the constants for every ε ∈ (0, 1]."""
    return mu1_box(1 + 0 * eps_like), mu2_box(1 + 0 * eps_like)


def evaluate_corrected(inst, *, limit_constants=False) -> Evaluation:
    C1, C2 = corrected_constants(inst.eps)
    if limit_constants:   # μ₁'s ε → 0 limit, (13 + √601)/2, in place of μ₁(1)
        C1 = 13 / (2 + 0 * inst.eps) + B.sqrt(601 / (4 + 0 * inst.eps))
    return _bounds(inst, C1, C2, SOURCE, "for ε ≤ 1: ‖∇²F‖ ≤ (13+√701)/2 and ‖D³F[ĥ]‖ ≤ 6κ on [−2/ε, 2/ε]²",
                   max_eps=1)


def evaluate_sup(inst, *, drop_eps_in_mu1=False) -> Evaluation:
    mu1 = mu1_box(inst.eps) if not drop_eps_in_mu1 else mu1_box(0 * inst.eps)
    return _bounds(inst, mu1, mu2_box(inst.eps), SOURCE,
                   "‖∇²F‖ ≤ 13/2 + √(25/4 + (12+ε)²) and ‖D³F[ĥ]‖ ≤ 6κε on [−2/ε, 2/ε]²")


def evaluate_unbounded(inst, *, factor=1) -> Evaluation:
    eps, w, v = inst.eps, inst.w, inst.v
    hn = hess_norm(inst)
    tv = third_norm(inst, h=(0 * eps, 1 + 0 * eps))
    rhs_h = factor * max((1 + eps * v) ** 2, (eps * w) ** 2)
    rhs_t = 2 * eps ** 2 * abs(w)
    margin = min(hn - rhs_h, tv - rhs_t)
    scale = hn + rhs_h + tv + rhs_t + 1
    return Evaluation.compare(margin, ">=", 0 * margin, scale=scale, ulps=tolerance.closed_form(),
                              informative=tolerance.beyond_rounding(max(rhs_h, rhs_t), scale),
                              ratio=float(max(rhs_h / hn if hn else 0, rhs_t / tv if tv else 0)),
                              quantities=dict(hess_norm=hn, third_norm_v=tv, hess_lower=rhs_h, third_lower=rhs_t),
                              source=SOURCE, label="‖∇²F‖ ≥ max((1+εv)², ε²w²), ‖D³F[e_v]‖ ≥ 2ε²|w| (unbounded on ℝ²)")


def _example():
    return EpsPoint(0.5, -4.0, 4.0, 1.0, 0.5)


remark3_corrected = register(Claim(
    id="remark3.corrected", source=SOURCE, kind="corrected",
    statement=("For every ε ∈ (0, 1] (any bounded range of ε), the Lipschitz constants of ∇F and ∇²F over "
               "[−2/ε, 2/ε]² are bounded by numerical constants: μ₁ ≤ (13 + √701)/2 ≈ 19.74, μ₂ ≤ 6κ ≈ 10.65."),
    evaluate_fn=evaluate_corrected, strategy_fn=partial(eps_points, max_eps=1.0), example_fn=_example,
    hypotheses=("(w, v) in the box", "eps <= 1"),
    quantities=("hess_norm", "third_norm", "mu1", "mu2", "ratio_hess", "ratio_third"), polish=False,
    controls=(Variant("remark3.corrected.limit_constant", "for ε ≤ 1, ‖∇²F‖ ≤ (13 + √601)/2 (the ε → 0 value of μ₁)",
                      lambda i: evaluate_corrected(i, limit_constants=True)),),
))

remark3 = register(Claim(
    id="remark3", source=SOURCE, kind="literal",
    statement=("For any ε > 0, the Lipschitz constants [of ∇F and ∇²F] are bounded by a numerical constant over "
               "(w, v) ∈ [−2/ε, 2/ε]²."),
    evaluate_fn=evaluate_literal, strategy_fn=eps_points, example_fn=_example,
    hypotheses=("(w, v) in the box",),
    quantities=("hess_norm", "third_norm", "mu1", "mu2", "ratio_hess", "ratio_third"), polish=False,
    notes=f"Encoded with the numerical constant C = {C_NUMERICAL}; any fixed C is exceeded once ε > C/(6κ).",
    erratum={"location": "Remark 3, Sec. 4 (\"for any ε > 0, the Lipschitz constants are bounded by a numerical "
                         "constant over (w, v) ∈ [−2/ε, 2/ε]²\")",
             "statement": "sup over ε > 0 of the Lipschitz constants of ∇F, ∇²F on [−2/ε, 2/ε]² is finite",
             "correction": "remark3.corrected",
             "why": ("exactly μ₁(ε) = 13/2 + √(25/4 + (12+ε)²) ≥ ε and μ₂(ε) = 6κε (κ ≈ 1.7748): both are O(1) for "
                     "ε ≤ 1 (μ₂ → 0 as ε → 0) but unbounded as ε → ∞; the example only needs small ε.")},
    controls=(Variant("remark3.half_constant", "the same with C = 5 (below μ₁ ≥ 18.76)",
                      lambda i: evaluate_literal(i, C=5)),),
))

remark3_sup = register(Claim(
    id="remark3.sup", source=SOURCE, kind="explicit-constant",
    statement=("Over [−2/ε, 2/ε]², ∇F is μ₁(ε)-Lipschitz and ∇²F is μ₂(ε)-Lipschitz with the exact constants "
               "μ₁(ε) = 13/2 + √(25/4 + (12 + ε)²) and μ₂(ε) = 6κε, κ = max_{‖x‖=1}|x₁x₂(3x₁ + 2x₂)|."),
    evaluate_fn=evaluate_sup, strategy_fn=eps_points, example_fn=_example,
    hypotheses=("(w, v) in the box",),
    quantities=("hess_norm", "third_norm", "mu1", "mu2", "ratio_hess", "ratio_third"), polish=False,
    controls=(Variant("remark3.sup.mu1_without_eps", "‖∇²F‖ ≤ 13/2 + √(25/4 + 144) (the ε in μ₁ dropped)",
                      lambda i: evaluate_sup(i, drop_eps_in_mu1=True)),),
))

remark3_unbounded = register(Claim(
    id="remark3.unbounded", source=SOURCE, kind="literal",
    statement=("F does not have gradients and Hessians with a uniformly bounded Lipschitz constant (over all of "
               "Euclidean space)."),
    evaluate_fn=evaluate_unbounded, strategy_fn=partial(eps_points, region="plane"), example_fn=_example,
    quantities=("hess_norm", "third_norm_v", "hess_lower", "third_lower"), polish=False,
    notes="Per instance: lower bounds unbounded on ℝ²; the exact limits (∞) are in tests/symbolic.",
    controls=(Variant("remark3.unbounded.factor2", "‖∇²F‖ ≥ 2·max((1+εv)², ε²w²)",
                      lambda i: evaluate_unbounded(i, factor=2)),),
))
