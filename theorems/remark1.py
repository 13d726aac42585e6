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
"""

from __future__ import annotations

import numpy as np

from strategies import biased_points
from theorems.contract import Claim, Evaluation, Variant, register, tolerance
from theorems.model import backend as B
from theorems.model.instance import random_point
from theorems.model.objective import objective
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
    q = dict(max_abs_difference=lhs, F_biased=B.asum(s.p * inst.loss.value(biased, s.y)),
             F_augmented=objective(st, inst.loss, wt, Vt))
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
