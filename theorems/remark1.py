"""Remark 1 (Biases), Sec. 2.

*"We note that this model can easily incorporate biases, namely predictors of the form
x ↦ wᵀ(x + V f_θ(x) + a) + a for some tunable a, **a**, by the standard trick of augmenting x with
an additional coordinate whose value is always 1, and assuming that f_θ(x) outputs a vector with
an additional coordinate of value 1."*

Encoded: every biased predictor equals an augmented unbiased one. With x̃ = (x; 1),
f̃_θ(x) = (f_θ(x); 1), w̃ = (w; a₀) and Ṽ = [[V, **a**], [0ᵀ, 0]] ∈ R^{(d+1)×(k+1)},

    w̃ᵀ(x̃ + Ṽ f̃_θ(x)) = wᵀ(x + V f_θ(x) + **a**) + a₀   for every x.

``evaluate`` compares the two predictions on every sample point (lhs = max_i |difference|,
relation "=" 0) and reports both objectives. Tolerance: each sample at its own scale, the sum of
absolute values of the terms of its biased prediction, 64·(d + k + 2) ulps; judged is the sample
most off in those units.

Quantities: ``max_abs_difference``, ``F_biased``, ``F_augmented``. Informative examples: those whose
predictions are not all zero (scale > 0).

**Remark 1's second sentence**: *"Since our results do not depend on the data geometry or
specifics of f_θ, they would not be affected by such modifications."* Checked for Theorem 1 on the
biased objective F_b(w, V, a, a₀) = E[ℓ(wᵀ(x + Vf_θ(x) + a) + a₀; y)] with its gradient in all
four parameters (``theorems.model.biased``), against the biased linear predictor w*ᵀx + a₀*:

- ``remark1.theorem1_biased`` (literal, **refuted**): Theorem 1 read through the augmentation,
  ‖∇F_b‖ ≥ (F_b − F_lin(w̃*))/√(2‖w̃‖² + ‖w̃*‖²(2 + ‖Ṽ‖²/‖w̃‖²)) at w̃ = (w; a₀) ≠ 0. The
  augmented model's V has a bottom row that the biased model fixes at 0, and Lemma 1's G uses the
  gradient there (a₀E[ℓ'f̃]): at w = 0, a₀ = E[y] ≠ 0 and V cancelling E[ℓ'x], the biased
  objective is stationary (∇F_b = 0 exactly) with F_b = Var(y)/2 above a linear fit. Minimal
  witness: x = (1, −1), y = (2, 0), f(x) = x: ∇F_b = 0, F_b = ½, F_lin(w̃* = (1, 1)) = 0.
- ``remark1.theorem1_biased.corrected``: for w ≠ 0 (the paper's w, not w̃),
  ‖∇F_b‖ ≥ (F_b − F_lin(w̃*))/√(2‖w̃‖² + ‖w̃*‖²(2 + ‖[V a]‖²/‖w‖²)) — Lemma 1 with
  G = (w̃ − w̃*, w w*ᵀ[V a]/‖w‖²), which uses only the biased model's gradient; so Theorem 1 is
  unaffected with ‖w‖ (not ‖w̃‖) in the last term.

Informative examples (both): a positive gap F_b − F_lin(w̃*) beyond rounding.

**Theorem 2 for the biased objective** (gradient and Hessian in (w, a₀, vec[V a]),
``theorems.model.biased_second_order``; the Hessian is pinned against SymPy and against the
augmented Hessian restricted to these coordinates):

- ``remark1.theorem2_biased`` (literal, **holds**): Theorem 2 read through the augmentation, at
  w̃ = (w; a₀) = 0: ‖∇F_b‖ + ‖Ṽ‖√(|λ_min(∇²F_b)|·‖∂²F_b/∂w̃²‖ + λ_min²) ≥ (F_b(0, V, a, 0) −
  F_lin(w̃*))/‖w̃*‖, with ‖Ṽ‖ = ‖[V a]‖. Why it survives Ṽ's bottom row being fixed at 0: Sec. 6.2
  uses (i) ∂F/∂w̃(0, Ṽ) = ∇F_lin(0) + Ṽr̃ — the biased gradient in w̃ is exactly that (the bottom
  row of Ṽr̃ is 0 in both models) and the biased [V a]-gradient is w·(…) = 0; (ii) Eq. (13),
  ‖Ṽr̃‖ ≤ ‖Ṽ‖‖r̃‖; (iii) Eq. (11)–(12) on M = [[b, r̃ᵀ], [r̃, 0]], the principal submatrix on
  {w₁} ∪ {Ṽ₁ⱼ}: Ṽ's *first* row (V's first row and a₁), which the biased model trains; M is a
  principal submatrix of ∇²F_b, so λ_min(∇²F_b) ≤ λ_min(M) ≤ 0 and b ≤ ‖∂²F_b/∂w̃²‖. (The biased
  λ_min is ≥ the augmented one — interlacing — but the bound needs only M.) Needs d ≥ 1.
- ``remark1.theorem2_biased.lambda_min`` (literal, **holds**) and ``…at_w_zero.lambda_min`` (proof-step,
  **holds**): Theorem 2's first part, λ_min(∇²F_b) ≤ 0, at w̃ = 0 and at w = 0 with any a₀: the principal
  submatrix M = [[b, r̃ᵀ], [r̃, 0]] below has λ_min(M) ≤ 0 (Lemma 2) and λ_min(∇²F_b) ≤ λ_min(M).
  Informative: λ_min ≠ 0 beyond rounding; controls: λ_min ≥ 0, refuted at the strict saddles.
- ``remark1.theorem2_biased.at_w_zero`` (proof-step, **holds**): the case Remark 1's case split
  leaves open. Theorem 3 / Corollary 1 split on w̃ ≠ 0 (Theorem 1) versus w̃ = 0 (Theorem 2); for
  the biased model Theorem 1 needs w ≠ 0 (``remark1.theorem1_biased`` erratum), so the points
  w = 0, a₀ ≠ 0 are covered by neither. Sec. 6.2's argument at w = 0 and any a₀: ∂F_b/∂w̃ =
  ∇F_lin(0; a₀) + ([V a]r̃; 0) with r̃ = E[ℓ'(a₀; y)(f_θ(x); 1)], the same M, and convexity of
  F_lin at (0; a₀) instead of 0, give ‖∇F_b‖ + ‖[V a]‖√(|λ_min|·‖∂²F_b/∂w̃²‖ + λ_min²) ≥
  (F_b(0, V, a, a₀) − F_lin(w̃*))/‖w̃* − (0; a₀)‖. The denominator must be shifted: the control
  ``…at_w_zero.naive_denominator`` (‖w̃*‖) is refuted on the attaining family with a₀ aligned. At the
  Theorem 1 erratum's stationary points (∇F_b = 0, a₀ = E[y]) the curvature term carries the bound:
  they have r̃ ≠ 0 (V must cancel E[ℓ'x] ≠ 0), so λ_min(∇²F_b) < 0 — strict saddles (pinned:
  λ_min = −1 at x = (1, −1), y = (2, 0), f(x) = x).

Constructed families (``strategies.remark1``): stationary points at w̃ = 0 (squared loss, y
centred so ∂F_b/∂a₀ = 0, V = −g rᵀ/‖r‖² + N(I − r̂r̂ᵀ)); the attaining family (linear loss,
w̃* = (0; a₀) − t∇F_lin, [V a] = 0 or the stationary V: equality); the Theorem 1 erratum's
stationary points with f_θ rescaled (|λ_min| from ≈ ‖r̃‖ to ≈ ‖r̃‖²/b) and w̃* a descent step. Every
part of both Forms is refuted on them.

Informative examples (both): a positive gap F_b − F_lin(w̃*) beyond rounding (elsewhere the right
side is ≤ 0 ≤ the left side). Quantities: ``grad_norm`` = ‖∇F_b‖ (all four parameters),
``V_norm`` = ‖[V a]‖ (spectral), ``lambda_min`` = λ_min(∇²F_b), ``H_ww_norm`` = ‖∂²F_b/∂w̃²‖
(w̃ = (w; a₀)), ``gap`` = F_b(0, V, a, a₀) − F_lin(w̃*) (F_lin(w̃*) = E[ℓ(w*ᵀx + a₀*; y)]),
``w_star_norm`` = ‖w̃*‖, ``shift_norm`` = ‖w̃* − (0; a₀)‖, ``r_norm`` = ‖r̃‖, ``a0``. Tolerance:
``tolerance.second_order`` at (n, d + 1, k + 1) of g + ‖[V a]‖h + gap_scale/denominator
(``BiasedAtZero``).

**Corollary 1 for the biased objective** — ``remark1.corollary1_biased`` (literal, **holds**): every
local minimum of F_b (trained in (w, V, a, a₀)) satisfies F_b ≤ inf_(u, u₀) E[ℓ(uᵀx + u₀; y)], the
best linear predictor with a bias. Why it survives: at a local minimum ∇F_b = 0 and ∇²F_b ⪰ 0; at
w ≠ 0 the corrected biased Theorem 1 gives F_b ≤ F_lin(w̃*) for every w̃*; at w = 0 (any a₀)
``remark1.theorem2_biased.at_w_zero`` gives the same, because λ_min ≥ 0 forces r̃ = 0 (Eq. 11's M
has a negative eigenvalue otherwise) and then ∇F_lin(0; a₀) = ∂F_b/∂w̃ = 0. So the Theorem 1
erratum's stationary points (w = 0, a₀ = E[y], above the linear fit) are strict saddles, never local
minima: Corollary 1 is not affected by the biases, although Theorem 1's statement is.
Local minima are reached, not assumed: an exact-Hessian trust-region method on F_b from a start,
the end point certified (‖∇F_b‖ ≤ 10⁻⁹g, λ_min(∇²F_b) ≥ −10⁻⁷h, first-order allowance ≤ 10⁻⁶ of the
loss scale; ``theorems.model.biased_local_minima``), as for ``corollary1``. Starts
(``strategies.remark1.corollary1_biased_points``): at or near global minima with w ≠ 0 (squared
loss, F_b < inf F_lin when f_θ explains part of the residual; half the draws), global minima at w = 0
(y − c p-orthogonal to x, f_θ(x), 1: F_b = inf F_lin), starts next to the Theorem 1 erratum's
saddles, drawn starts with w ≠ 0 on non-degenerate features (every loss). A start whose end point is
not certified (a saddle, a solver failure, or both predictors interpolating so the allowance has no
scale) is not tested.

Informative examples: |F_b − F_lin(ũ)| > 0 beyond rounding (a minimum that only matches the linear
predictor compares 0 ≤ 0). Quantities (as ``corollary1``): ``gap``, ``F``, ``inf_F_lin``,
``grad_norm``, ``lambda_min``, ``allowance``, ``w_norm``, ``V_norm`` (= ‖[V̂ â]‖), ``u_norm`` (= ‖ũ‖),
``iterations``.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from strategies import biased_points
from strategies.remark1 import (
    biased_nonzero_w_points,
    biased_star_points,
    biased_stationary_points,
    corollary1_biased_points,
    theorem2_biased_necessity_points,
    theorem2_biased_points,
    w_zero_biased_necessity_points,
    w_zero_biased_points,
)
from theorems.contract import Claim, Evaluation, Form, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.biased import augment_point, biased_gradient, pinned_biased_stationary_point
from theorems.model.biased_local_minima import certify_biased
from theorems.model.biased_second_order import biased_at_zero
from theorems.model.instance import random_point
from theorems.model.objective import objective
from theorems.model.quantities import first_order
from theorems.model.sample import Sample

SOURCE = "Remark 1, Sec. 2"


def augment(inst, *, bias_feature=True):
    """(augmented sample, w̃, Ṽ) for a point with extras a (d,) and a0 (1,)."""
    s, w, V = inst.sample, inst.w, inst.V
    a, a0 = inst.extras["a"], inst.extras["a0"]
    one = s.X[:, :1] * 0 + 1
    Xt = np.concatenate([s.X, one], axis=1)
    Phit = np.concatenate([s.Phi, one], axis=1) if bias_feature else s.Phi
    Vt = np.concatenate([V, a[:, None]], axis=1) if bias_feature else V
    Vt = np.concatenate([Vt, 0 * Vt[:1, :]], axis=0)
    wt = np.concatenate([w, a0])
    return Sample(Xt, s.y, s.p, Phit), wt, Vt


def evaluate(inst, *, bias_feature=True) -> Evaluation:
    s, w, V = inst.sample, inst.w, inst.V
    a, a0 = inst.extras["a"], inst.extras["a0"]
    biased = (s.X + s.Phi @ V.T + a) @ w + a0[0]
    st, wt, Vt = augment(inst, bias_feature=bias_feature)
    unbiased = (st.X + st.Phi @ Vt.T) @ wt
    diff = B.abs_(biased - unbiased)
    absw = B.abs_(w)
    terms = (B.abs_(s.X) + B.abs_(s.Phi) @ B.abs_(V).T + B.abs_(a)) @ absw + B.abs_(a0[0])
    # each sample's prediction is judged at its own scale: one scale for all (the largest) would let a
    # large prediction's rounding hide a small one's discrepancy. Judged: the sample most off in its units
    i = max(range(len(terms)), key=lambda j: float(diff[j]) / max(float(terms[j]), 1e-300))
    lhs, scale = diff[i], terms[i]
    # the two objectives are reported, not compared: the biases can push an exponential loss's
    # prediction past e^709, where its value overflows in float64 (finite at 60 digits); such a
    # value (inf, or 0·inf at a zero weight) is reported as undefined (None), not as a warning
    with np.errstate(over="ignore", invalid="ignore"):
        F_b = B.asum(s.p * inst.loss.value(biased, s.y))
        F_a = objective(st, inst.loss, wt, Vt)
    finite = lambda v: v if math.isfinite(float(v)) else None
    q = dict(max_abs_difference=max(diff.tolist()), F_biased=finite(F_b), F_augmented=finite(F_a))
    return Evaluation.compare(lhs, "==", 0 * lhs, scale=scale, ulps=tolerance.biased_prediction(s.d, s.k),
                              quantities=q, source=SOURCE, label="w̃ᵀ(x̃ + Ṽf̃_θ(x)) = wᵀ(x + Vf_θ(x) + a) + a₀",
                              informative=float(max(terms.tolist())) > 0)


remark1 = register(Claim(
    id="remark1", source=SOURCE, kind="literal",
    statement=("The model can incorporate biases, predictors x ↦ wᵀ(x + V f_θ(x) + a) + a, by augmenting x "
               "with a coordinate always 1 and f_θ(x) with a coordinate of value 1."),
    evaluate_fn=evaluate, strategy_fn=biased_points,
    example_fn=lambda: random_point(6, extras={"a": (3,), "a0": (1,)}),
    quantities=("max_abs_difference", "F_biased", "F_augmented"), polish=False,
    controls=(
        Variant("remark1.x_only", "augmenting x alone (f_θ(x) without its constant coordinate) "
                "represents every biased predictor", lambda i: evaluate(i, bias_feature=False)),
    ),
))


SOURCE_BIASED = "Remark 1, Sec. 2 (second sentence: the results are not affected by biases)"


def evaluate_theorem1_biased(inst, *, corrected=False, factor=1) -> Evaluation:
    if "a0_star" not in inst.extras or inst.w_star is None:
        raise HypothesisNotMet("argument 'inst': needs w* and extras a, a0, a0_star (a biased comparison)")
    aug, Va = augment_point(inst)
    w_norm = B.norm(inst.w)
    if corrected and w_norm == 0:
        raise HypothesisNotMet("argument 'w': the corrected bound needs w ≠ 0 (the paper's w, not (w; a₀))")
    fo = first_order(aug)
    if fo.w_norm == 0:
        raise HypothesisNotMet("argument 'w': Theorem 1 needs w̃ = (w; a₀) ≠ 0")
    g_w, g_Va = biased_gradient(aug)
    grad_norm = B.norm(g_w, g_Va)
    if corrected:
        denom = B.sqrt(2 * fo.w_norm ** 2 + fo.w_star_norm ** 2 * (2 + B.spectral_norm(Va) ** 2 / w_norm ** 2))
    else:
        denom = B.sqrt(2 * fo.w_norm ** 2 + fo.w_star_norm ** 2 * (2 + fo.V_norm ** 2 / fo.w_norm ** 2))
    bound = fo.gap / denom
    s = aug.sample
    return Evaluation.compare(grad_norm, ">=", factor * bound, scale=fo.grad_scale + fo.gap_scale / denom,
                              ulps=tolerance.first_order(s.n, s.d, s.k),
                              quantities=dict(grad_norm=grad_norm, gap=fo.gap, denominator=denom, bound=bound,
                                              w_norm=w_norm, w_tilde_norm=fo.w_norm),
                              hypotheses={"w != 0" if corrected else "(w, a0) != 0": True},
                              informative=fo.gap > 0 and tolerance.beyond_rounding(fo.gap, fo.gap_scale),
                              source=SOURCE_BIASED,
                              label=("‖∇_(w,V,a,a₀)F_b‖ ≥ (F_b − F_lin(w̃*))/√(2‖w̃‖² + ‖w̃*‖²(2 + "
                                     + ("‖[V a]‖²/‖w‖²))" if corrected else "‖Ṽ‖²/‖w̃‖²))")))


def _biased_literal_points():
    return st.one_of(biased_star_points(), biased_stationary_points())


def _biased_example():
    inst = random_point(6, extras={"a": (3,), "a0": (1,), "a0_star": (1,)})
    return inst


remark1_theorem1_biased = register(Claim(
    id="remark1.theorem1_biased", source=SOURCE_BIASED, kind="literal",
    statement=("Since our results do not depend on the data geometry or specifics of f_θ, they would not be affected "
               "by such modifications — Theorem 1 for x ↦ wᵀ(x + Vf_θ(x) + a) + a₀ through the augmentation: "
               "‖∇F_b(w, V, a, a₀)‖ ≥ (F_b − F_lin(w̃*))/√(2‖w̃‖² + ‖w̃*‖²(2 + ‖Ṽ‖²/‖w̃‖²)) at w̃ = (w; a₀) ≠ 0."),
    evaluate_fn=evaluate_theorem1_biased, strategy_fn=_biased_literal_points, example_fn=_biased_example,
    hypotheses=("(w, a0) != 0",), quantities=("grad_norm", "gap", "denominator", "bound", "w_norm", "w_tilde_norm"),
    polish=False,
    erratum={"location": "Remark 1, Sec. 2 (\"they would not be affected by such modifications\")",
             "statement": "Theorem 1 holds for the biased predictor by the augmentation trick (with w̃ = (w; a₀))",
             "correction": "remark1.theorem1_biased.corrected",
             "why": ("the augmented Ṽ = [[V, a], [0ᵀ, 0]] has a bottom row the biased model fixes at 0, and Lemma 1's "
                     "G uses the gradient there; at w = 0, a₀ = E[y] ≠ 0 (w̃ ≠ 0) the biased objective has stationary "
                     "points above the best biased linear predictor (x = (1, −1), y = (2, 0), f(x) = x: ∇F_b = 0, "
                     "F_b = ½ > 0 = F_lin). Theorem 1 holds for the biased model with ‖w‖ in place of ‖w̃‖ in "
                     "‖V‖²/‖w‖² and w ≠ 0.")},
    notes="The pinned witness is theorems.model.biased.pinned_biased_stationary_point().",
))

remark1_theorem1_biased_corrected = register(Claim(
    id="remark1.theorem1_biased.corrected", source=SOURCE_BIASED, kind="corrected",
    statement=("For x ↦ wᵀ(x + Vf_θ(x) + a) + a₀ trained in (w, V, a, a₀), at w ≠ 0: ‖∇F_b‖ ≥ (F_b − F_lin(w̃*)) / "
               "√(2‖w̃‖² + ‖w̃*‖²(2 + ‖[V a]‖²/‖w‖²)), w̃ = (w; a₀), w̃* = (w*; a₀*)."),
    evaluate_fn=lambda i: evaluate_theorem1_biased(i, corrected=True), strategy_fn=biased_nonzero_w_points,
    example_fn=_biased_example, hypotheses=("w != 0",),
    quantities=("grad_norm", "gap", "denominator", "bound", "w_norm", "w_tilde_norm"), polish=False,
    controls=(Variant("remark1.theorem1_biased.corrected.sharper_x2",
                      "the corrected bound multiplied by 2",
                      lambda i: evaluate_theorem1_biased(i, corrected=True, factor=2), max_examples=300),),
))

__all__ = ["pinned_biased_stationary_point"]


# -- the second sentence: Theorem 2 for the biased predictor --------------------------------------

SOURCE_W_ZERO = SOURCE_BIASED + " with Theorem 2's proof, Sec. 6.2"


def _theorem2_point(inst, at_origin: bool):
    """Theorem 2's hypotheses for F_b (w = 0, and a₀ = 0 too ``at_origin``), then its quantities at that point."""
    if "a0_star" not in inst.extras or inst.w_star is None:
        raise HypothesisNotMet("argument 'inst': needs w* and extras a, a0, a0_star (a biased comparison)")
    if np.any(B.to_float(inst.w) != 0):
        raise HypothesisNotMet("argument 'w': w ≠ 0, but Theorem 2 is about the point w = 0")
    if at_origin and B.to_float(inst.extras["a0"])[0] != 0:
        raise HypothesisNotMet("argument 'a0': a₀ ≠ 0, but Theorem 2 through the augmentation is about w̃ = (w; a₀) = 0")
    return biased_at_zero(inst)


def evaluate_theorem2_biased(inst, *, at_origin=True, factor=1, curvature=True, naive=False) -> Evaluation:
    """Theorem 2 for F_b at w̃ = (w; a₀) = 0 (``at_origin``, the literal reading through the
    augmentation) or at w = 0 with any a₀ (``remark1.theorem2_biased.at_w_zero``, denominator
    ‖w̃* − (0; a₀)‖; ``naive`` keeps ‖w̃*‖ there)."""
    z = _theorem2_point(inst, at_origin)
    denom = z.w_star_norm if (at_origin or naive) else z.shift_norm
    if denom == 0:
        raise HypothesisNotMet("argument 'w_star': " + ("w̃* = 0" if at_origin or naive else "w̃* = (0; a₀)")
                               + ", where the right side is 0/0 (the undivided form 0 ≥ 0 tests nothing)")
    lam, Hn = z.lam, z.H_ww_norm
    root = B.sqrt(abs(lam) * Hn + lam * lam)
    lhs = z.grad_norm + (z.V_norm * root if curvature else 0)
    rhs = factor * z.gap / denom
    s = inst.sample
    q = dict(grad_norm=z.grad_norm, V_norm=z.V_norm, lambda_min=lam, H_ww_norm=Hn, gap=z.gap,
             w_star_norm=z.w_star_norm, shift_norm=z.shift_norm, r_norm=z.r_norm, a0=z.a0)
    inf = bool(z.gap > 0 and tolerance.beyond_rounding(z.gap, z.gap_scale))
    den = "‖w̃*‖" if at_origin or naive else "‖w̃* − (0; a₀)‖"
    label = (("‖∇F_b‖ + ‖[V a]‖√(|λ_min(∇²F_b)|·‖∂²F_b/∂w̃²‖ + λ_min²)" if curvature else "‖∇F_b‖")
             + f" ≥ (F_b − F_lin,b(w̃*))/{den} at " + ("w̃ = 0" if at_origin else "w = 0"))
    return Evaluation.compare(lhs, ">=", rhs, scale=z.g_scale + z.V_norm * z.h_scale + z.gap_scale / denom,
                              ulps=tolerance.second_order(s.n, s.d + 1, s.k + 1), quantities=q,
                              hypotheses={"w = 0, a0 = 0" if at_origin else "w = 0": True},
                              source=SOURCE_BIASED if at_origin else SOURCE_W_ZERO,
                              label=label, informative=inf)


def _biased_zero_example():
    inst = random_point(6, d=3, k=2, extras={"a": (3,), "a0": (1,), "a0_star": (1,)})
    return replace(inst, w=0 * inst.w, extras=dict(inst.extras, a0=0 * inst.extras["a0"]))


_T2_Q = ("grad_norm", "V_norm", "lambda_min", "H_ww_norm", "gap", "w_star_norm", "shift_norm", "r_norm", "a0")
_T2_LHS = "grad_norm + V_norm*sqrt(Abs(lambda_min)*H_ww_norm + lambda_min**2)"

remark1_theorem2_biased = register(Claim(
    id="remark1.theorem2_biased", source=SOURCE_BIASED, kind="literal",
    statement=("Since our results do not depend on the data geometry or specifics of f_θ, they would not be affected "
               "by such modifications — Theorem 2 for x ↦ wᵀ(x + Vf_θ(x) + a) + a₀ through the augmentation, at "
               "w̃ = (w; a₀) = 0: ‖∇F_b‖ + ‖Ṽ‖√(|λ_min(∇²F_b)|·‖∂²F_b/∂w̃²‖ + λ_min(∇²F_b)²) ≥ "
               "(F_b(0, V, a, 0) − F_lin(w̃*))/‖w̃*‖, gradient and Hessian in (w, V, a, a₀)."),
    evaluate_fn=evaluate_theorem2_biased, strategy_fn=theorem2_biased_points, example_fn=_biased_zero_example,
    hypotheses=("w = 0, a0 = 0",), quantities=_T2_Q,
    form=Form(f"{_T2_LHS} >= gap/w_star_norm", strategy=theorem2_biased_necessity_points, max_examples=100),
    controls=(
        Variant("remark1.theorem2_biased.sharper_x2", "the right-hand side doubled",
                lambda i: evaluate_theorem2_biased(i, factor=2)),
        Variant("remark1.theorem2_biased.without_curvature", "‖∇F_b‖ ≥ (F_b − F_lin(w̃*))/‖w̃*‖ at w̃ = 0 (the "
                "curvature term dropped)", lambda i: evaluate_theorem2_biased(i, curvature=False)),
    ),
))


def _w_zero_example():
    inst = random_point(6, d=3, k=2, extras={"a": (3,), "a0": (1,), "a0_star": (1,)})
    return replace(inst, w=0 * inst.w)


remark1_theorem2_biased_at_w_zero = register(Claim(
    id="remark1.theorem2_biased.at_w_zero", source=SOURCE_W_ZERO,
    kind="proof-step",
    statement=("The case of the biased Theorem 3/Corollary 1 that neither the corrected biased Theorem 1 (w ≠ 0) nor "
               "Theorem 2 through the augmentation (w̃ = 0) covers — w = 0, a₀ ≠ 0: ‖∇F_b‖ + ‖[V a]‖√(|λ_min(∇²F_b)|·"
               "‖∂²F_b/∂w̃²‖ + λ_min(∇²F_b)²) ≥ (F_b(0, V, a, a₀) − F_lin(w̃*))/‖w̃* − (0; a₀)‖."),
    evaluate_fn=lambda i: evaluate_theorem2_biased(i, at_origin=False), strategy_fn=w_zero_biased_points,
    example_fn=_w_zero_example, hypotheses=("w = 0",), quantities=_T2_Q,
    form=Form(f"{_T2_LHS} >= gap/shift_norm", strategy=w_zero_biased_necessity_points, max_examples=250),
    controls=(
        Variant("remark1.theorem2_biased.at_w_zero.naive_denominator", "Theorem 2 read at w = 0 with any a₀ and "
                "the augmentation's ‖w̃*‖ as denominator", lambda i: evaluate_theorem2_biased(i, at_origin=False,
                                                                                             naive=True)),
        Variant("remark1.theorem2_biased.at_w_zero.without_curvature", "‖∇F_b‖ ≥ (F_b − F_lin(w̃*))/‖w̃* − (0; a₀)‖ "
                "at w = 0 (the curvature term dropped; the Theorem 1 erratum's stationary points)",
                lambda i: evaluate_theorem2_biased(i, at_origin=False, curvature=False)),
    ),
))


# -- Theorem 2's first part for the biased predictor: λ_min ≤ 0 at w = 0 --------------------------

def evaluate_theorem2_biased_lambda_min(inst, *, at_origin=True, flip=False) -> Evaluation:
    """Theorem 2's first part for F_b: λ_min(∇²F_b) ≤ 0 at w̃ = (w; a₀) = 0 (``at_origin``, the reading
    through the augmentation) or at w = 0 with any a₀. Why it holds: the principal submatrix of ∇²F_b on
    {w₁} ∪ {first row of [V a]} is Lemma 2's M = [[b, r̃ᵀ], [r̃, 0]] (module docstring), whose λ_min is ≤ 0,
    and λ_min(∇²F_b) ≤ λ_min(M). Informative: λ_min ≠ 0 beyond rounding of h_scale ≥ ‖∇²F_b‖ (as for
    ``theorem2.lambda_min``: a zero λ_min is implied by the zero block). ``flip``: the control λ_min ≥ 0."""
    z = _theorem2_point(inst, at_origin)
    s = inst.sample
    ratio = max(0.0, 1.0 + float(z.lam) / float(z.h_scale)) if z.h_scale > 0 else 1.0
    where = "w̃ = 0" if at_origin else "w = 0"
    return Evaluation.compare(z.lam, ">=" if flip else "<=", 0 * z.lam, scale=z.h_scale,
                              ulps=tolerance.second_order(s.n, s.d + 1, s.k + 1),
                              quantities=dict(lambda_min=z.lam, h_scale=z.h_scale, r_norm=z.r_norm, a0=z.a0),
                              hypotheses={"w = 0, a0 = 0" if at_origin else "w = 0": True},
                              source=SOURCE_BIASED if at_origin else SOURCE_W_ZERO, ratio=ratio,
                              informative=tolerance.beyond_rounding(z.lam, z.h_scale),
                              label=f"λ_min(∇²F_b) {'≥' if flip else '≤'} 0 at {where}")


_LAM_Q = ("lambda_min", "h_scale", "r_norm", "a0")

remark1_theorem2_biased_lambda_min = register(Claim(
    id="remark1.theorem2_biased.lambda_min", source=SOURCE_BIASED, kind="literal",
    statement=("Since our results do not depend on the data geometry or specifics of f_θ, they would not be affected "
               "by such modifications — Theorem 2's first part for x ↦ wᵀ(x + Vf_θ(x) + a) + a₀ through the "
               "augmentation: λ_min(∇²F_b(0, V, a, 0)) ≤ 0 at w̃ = (w; a₀) = 0, Hessian in (w, V, a, a₀)."),
    evaluate_fn=evaluate_theorem2_biased_lambda_min, strategy_fn=theorem2_biased_points,
    example_fn=_biased_zero_example, hypotheses=("w = 0, a0 = 0",), quantities=_LAM_Q, polish=False,
    informative_rule="λ_min ≠ 0 beyond rounding of h_scale ≥ ‖∇²F_b‖",
    controls=(Variant("remark1.theorem2_biased.lambda_min.flipped", "λ_min(∇²F_b) ≥ 0 at w̃ = 0 ((0, V, a, 0) is "
                      "never a strict saddle)", lambda i: evaluate_theorem2_biased_lambda_min(i, flip=True),
                      strategy=theorem2_biased_necessity_points, searched_with_claim=True),),
))

remark1_theorem2_biased_at_w_zero_lambda_min = register(Claim(
    id="remark1.theorem2_biased.at_w_zero.lambda_min", source=SOURCE_W_ZERO, kind="proof-step",
    statement=("Theorem 2's first part in the case the biased case split needs (w = 0, any a₀): "
               "λ_min(∇²F_b(0, V, a, a₀)) ≤ 0, Hessian in (w, V, a, a₀)."),
    evaluate_fn=lambda i: evaluate_theorem2_biased_lambda_min(i, at_origin=False), strategy_fn=w_zero_biased_points,
    example_fn=_w_zero_example, hypotheses=("w = 0",), quantities=_LAM_Q, polish=False,
    informative_rule="λ_min ≠ 0 beyond rounding of h_scale ≥ ‖∇²F_b‖",
    controls=(Variant("remark1.theorem2_biased.at_w_zero.lambda_min.flipped", "λ_min(∇²F_b) ≥ 0 at w = 0 (the "
                      "Theorem 1 erratum's stationary points would be local minima)",
                      lambda i: evaluate_theorem2_biased_lambda_min(i, at_origin=False, flip=True),
                      strategy=w_zero_biased_necessity_points, searched_with_claim=True),),
))


# -- the second sentence: Corollary 1 for the biased predictor ------------------------------------

H_LOCAL_B, H_INF_B = "local minimum of F_b reached (certified)", "inf F_lin (biased) attained"


def evaluate_corollary1_biased(inst, *, margin=0) -> Evaluation:
    """Corollary 1 for F_b at the certified local minimum reached from ``inst``
    (``theorems.model.biased_local_minima``): F_b(ŵ, V̂, â, â₀) ≤ inf_{u, u₀} E[ℓ(uᵀx + u₀; y)]."""
    if "a" not in inst.extras or "a0" not in inst.extras:
        raise HypothesisNotMet("argument 'inst': needs extras a, a0 (a biased start)")
    m = certify_biased(inst)    # the comparison's terms: model.local_minima.MinimumComparison, as Corollary 1's
    reason = m.uncertified_reason("F_b")
    if reason:
        raise HypothesisNotMet(f"{H_LOCAL_B}: {reason} [{SOURCE_BIASED}]")
    s, gap, scale = inst.sample, m.gap, m.scale
    label = ("F_b(ŵ, V̂, â, â₀) ≤ inf_(u, u₀) F_lin at a certified local minimum of F_b" if m.attained else
             "F_b(ŵ, V̂, â, â₀) ≤ F_lin(ũ) (inf F_lin not attained; F_lin(ũ) ≥ inf F_lin)")
    return Evaluation.compare(gap, "<=", 0 * gap - margin * scale, scale=scale, extra_tol=m.gap_allowance,
                              ulps=tolerance.second_order(s.n, s.d + 1, s.k + 1), quantities=m.quantities(),
                              hypotheses={H_LOCAL_B: m.certified, H_INF_B: m.attained}, source=SOURCE_BIASED,
                              ratio=m.ratio, label=label, informative=tolerance.beyond_rounding(gap, scale))


def _corollary1_biased_example():
    p = random_point(9, d=2, k=2, n=4, feature="tanh", extras={"a": (2,), "a0": (1,)})
    return replace(p, w_star=None)


remark1_corollary1_biased = register(Claim(
    id="remark1.corollary1_biased", source=SOURCE_BIASED, kind="literal",
    statement=("Since our results do not depend on the data geometry or specifics of f_θ, they would not be affected "
               "by such modifications — Corollary 1 for x ↦ wᵀ(x + Vf_θ(x) + a) + a₀ trained in (w, V, a, a₀): every "
               "local minimum satisfies F_b(w, V, a, a₀) ≤ inf_(u, u₀) F_lin(u, u₀), the best linear predictor with "
               "a bias."),
    evaluate_fn=evaluate_corollary1_biased, strategy_fn=corollary1_biased_points,
    example_fn=_corollary1_biased_example, hypotheses=(H_LOCAL_B, H_INF_B), polish=False,
    quantities=("gap", "F", "inf_F_lin", "grad_norm", "lambda_min", "allowance", "w_norm", "V_norm", "u_norm",
                "iterations"),
    controls=(Variant("remark1.corollary1_biased.strictly_better", "every local minimum of F_b beats the best biased "
                      "linear predictor by 10⁻³ of the loss scale: F_b ≤ inf F_lin − 10⁻³·scale",
                      lambda i: evaluate_corollary1_biased(i, margin=1e-3), max_examples=200),),
))
