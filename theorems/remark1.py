"""Remark 1 (Biases), Sec. 2.

*"We note that this model can easily incorporate biases, namely predictors of the form
x ↦ wᵀ(x + V f_θ(x) + a) + a for some tunable a, **a**, by the standard trick of augmenting x with
an additional coordinate whose value is always 1, and assuming that f_θ(x) outputs a vector with
an additional coordinate of value 1."*

Encoded: every biased predictor equals an augmented unbiased one. With x̃ = (x; 1),
f̃_θ(x) = (f_θ(x); 1), w̃ = (w; a₀) and Ṽ = [[V, **a**], [0ᵀ, 0]] ∈ R^{(d+1)×(k+1)},

    w̃ᵀ(x̃ + Ṽ f̃_θ(x)) = wᵀ(x + V f_θ(x) + **a**) + a₀   for every x.

``evaluate`` compares the two predictions on every sample point (lhs = max_i |difference|,
relation "=" 0) and reports both objectives. Tolerance: scale = max_i of the sum of absolute
values of the terms of the biased prediction, 64·(d + k + 2) ulps.

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
  unaffected with ‖w‖ (not ‖w̃‖) in the last term. (Theorem 2 and Corollary 1 for the biased
  objective are not encoded yet.)

Informative examples (both): a positive gap F_b − F_lin(w̃*) beyond rounding.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from strategies import biased_points
from strategies.remark1 import biased_nonzero_w_points, biased_star_points, biased_stationary_points
from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register, tolerance
from theorems.model import backend as B
from theorems.model.biased import augment_point, biased_gradient, pinned_biased_stationary_point
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
    lhs = max(diff.tolist())
    absw = B.abs_(w)
    terms = (B.abs_(s.X) + B.abs_(s.Phi) @ B.abs_(V).T + B.abs_(a)) @ absw + B.abs_(a0[0])
    scale = max(terms.tolist())
    # the two objectives are reported, not compared: the biases can push an exponential loss's
    # prediction past e^709, where its value overflows in float64 (finite at 60 digits); such a
    # value (inf, or 0·inf at a zero weight) is reported as undefined (None), not as a warning
    with np.errstate(over="ignore", invalid="ignore"):
        F_b = B.asum(s.p * inst.loss.value(biased, s.y))
        F_a = objective(st, inst.loss, wt, Vt)
    finite = lambda v: v if math.isfinite(float(v)) else None
    q = dict(max_abs_difference=lhs, F_biased=finite(F_b), F_augmented=finite(F_a))
    return Evaluation.compare(lhs, "==", 0 * lhs, scale=scale, ulps=tolerance.biased_prediction(s.d, s.k),
                              quantities=q, source=SOURCE, label="w̃ᵀ(x̃ + Ṽf̃_θ(x)) = wᵀ(x + Vf_θ(x) + a) + a₀",
                              informative=float(scale) > 0)


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
