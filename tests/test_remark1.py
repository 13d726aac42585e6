"""Remark 1 (Sec. 2): a biased predictor equals an augmented unbiased one."""

import numpy as np
import pytest
from hypothesis import given, settings

from strategies.remark1 import biased_stationary_points
from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS, HypothesisNotMet
from theorems.remark1 import augment

R1 = CLAIMS["remark1"]


@given(inst=R1.strategy())
def test_biased_predictor_equals_augmented_unbiased_predictor(inst):
    ev = check_claim(R1, inst)
    # equal predictions give equal objectives
    q = ev.quantities
    if q["F_biased"] is None or q["F_augmented"] is None:
        q = R1.evaluate(inst, dps=60).quantities     # overflow in float64: compare at 60 digits
    assert abs(float(q["F_biased"]) - float(q["F_augmented"])) <= 1e-9 * (1 + abs(float(q["F_biased"]))) or \
        R1.evaluate(inst, dps=60).holds


def test_augmentation_has_the_stated_shape():
    inst = R1.example()
    s, wt, Vt = augment(inst)
    assert s.X.shape == (inst.sample.n, inst.sample.d + 1) and np.all(s.X[:, -1] == 1)
    assert s.Phi.shape == (inst.sample.n, inst.sample.k + 1) and np.all(s.Phi[:, -1] == 1)
    assert Vt.shape == (inst.sample.d + 1, inst.sample.k + 1) and np.all(Vt[-1] == 0)
    assert wt[-1] == inst.extras["a0"][0]


@pytest.mark.control
@pytest.mark.parametrize("variant", R1.controls, ids=lambda v: v.name)
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(variant):
    check_control(R1, variant)


# -- the second sentence: Theorem 1 for the biased predictor --------------------------------------

def test_theorem1_through_the_augmentation_fails_at_a_pinned_biased_stationary_point():
    import mpmath

    from theorems.model.biased import augment_point, biased_gradient, pinned_biased_stationary_point
    claim = CLAIMS["remark1.theorem1_biased"]
    inst = pinned_biased_stationary_point()
    ev = claim.evaluate(inst, dps=60)
    assert not ev.holds and ev.lhs == 0                          # ∇F_b = 0 exactly
    with mpmath.workdps(60):
        assert abs(ev.quantities["gap"] - mpmath.mpf(1) / 2) < mpmath.mpf(10) ** -50
    # the augmented model's gradient is not 0: its Ṽ bottom row a₀E[ℓ'f̃] ≠ 0 is what Lemma 1 uses
    from theorems.model.objective import gradient
    aug, _ = augment_point(inst)
    assert np.any(gradient(aug.sample, aug.loss, aug.w, aug.V)[1][-1] != 0)
    assert not np.any(np.concatenate([g.ravel() for g in biased_gradient(aug)]))
    assert claim.erratum["correction"] == "remark1.theorem1_biased.corrected"
    with pytest.raises(HypothesisNotMet, match="w ≠ 0"):
        CLAIMS["remark1.theorem1_biased.corrected"].evaluate(inst)


@settings(max_examples=scaled(20))
@given(inst=CLAIMS["remark1.theorem1_biased.corrected"].strategy())
def test_theorem1_for_the_biased_predictor_with_w_norm_in_the_V_term(inst):
    check_claim(CLAIMS["remark1.theorem1_biased.corrected"], inst)


@settings(max_examples=scaled(10))
@given(inst=biased_stationary_points())
def test_biased_stationary_family__gradient_vanishes_and_gap_is_positive(inst):
    from theorems.model.biased import augment_point, biased_gradient
    aug, _ = augment_point(inst)
    g = np.concatenate([x.ravel() for x in biased_gradient(aug)])
    big = 1 + np.abs(aug.sample.X).max() + np.abs(aug.V).max() * np.abs(aug.sample.Phi).max()
    assert np.abs(g).max() <= 1e-9 * big
    assert not inst.w.any() and inst.extras["a0"][0] != 0


def test_informative_definition_of_the_biased_theorem1():
    from theorems.model.biased import pinned_biased_stationary_point
    claim = CLAIMS["remark1.theorem1_biased"]
    assert claim.evaluate(pinned_biased_stationary_point()).informative is True
    inst = pinned_biased_stationary_point()
    from dataclasses import replace
    worse = replace(inst, w_star=np.array([0.0]), extras=dict(inst.extras, a0_star=np.array([5.0])))
    assert claim.evaluate(worse).informative is False                     # gap < 0
