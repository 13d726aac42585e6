"""Sec. 2's statements outside numbered results: ‖·‖_Fr ≥ ‖·‖, F not convex, saddle points, F_lin convex."""

import numpy as np
import pytest
from hypothesis import given, settings

from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS, HypothesisNotMet
from theorems.model.saddles import exact_saddle_at_zero

IDS = ("section2.fro_ge_spectral", "section2.not_convex", "section2.saddle_points", "section2.flin_convex")
FRO, NOT_CONVEX, SADDLE, FLIN = (CLAIMS[i] for i in IDS)


@settings(max_examples=scaled(20))
@given(inst=FRO.strategy())
def test_frobenius_norm_upper_bounds_the_spectral_norm(inst):
    check_claim(FRO, inst)


@settings(max_examples=scaled(10))
@given(inst=SADDLE.strategy())
def test_exact_stationary_points_at_w_zero_are_strict_saddles(inst):
    check_claim(SADDLE, inst)


@settings(max_examples=scaled(20))
@given(inst=FLIN.strategy())
def test_F_lin_is_midpoint_convex(inst):
    check_claim(FLIN, inst)


def test_not_convex_certificate_on_examples_and_at_60_digits():
    # the drawn strategy is exercised by the audit; here: the example and the exact saddles, both precisions
    for inst in (NOT_CONVEX.example(), exact_saddle_at_zero(3, -2, 5, 2, 3)):
        for dps in (None, 60):
            ev = NOT_CONVEX.evaluate(inst, dps=dps)
            assert ev.holds and float(ev.quantities["quad"]) < 0, ev.message()
            assert abs(float(ev.quantities["quad"]) - float(ev.quantities["lambda_2"])) <= 1e-9 * (
                1 + abs(float(ev.quantities["lambda_2"]))), "DᵀHD should equal λ₂ of the 2 × 2 matrix"


def test_not_convex_needs_r_nonzero():
    from dataclasses import replace
    inst = NOT_CONVEX.example()
    zero_phi = replace(inst, sample=replace(inst.sample, Phi=0 * inst.sample.Phi))
    with pytest.raises(HypothesisNotMet, match="r = E"):
        NOT_CONVEX.evaluate(zero_phi)


def test_exact_saddle_is_exactly_stationary_at_60_digits():
    inst = exact_saddle_at_zero(7, 3, -3, 3, 2)
    ev = SADDLE.evaluate(inst, dps=60)
    assert ev.holds and float(ev.quantities["grad_norm"]) == 0.0 and float(ev.quantities["lambda_min"]) < 0


def test_exact_saddle_rejects_bad_arguments_naming_them():
    with pytest.raises(ValueError, match="argument 'a'"):
        exact_saddle_at_zero(0, 1, 1)
    with pytest.raises(ValueError, match="argument 'c'"):
        exact_saddle_at_zero(1, 100, 1)
    with pytest.raises(ValueError, match="argument 'd'"):
        exact_saddle_at_zero(1, 1, 1, d=0)


def test_fro_equals_spectral_at_rank_one():
    from dataclasses import replace
    inst = FRO.example()
    V = np.outer(np.arange(1.0, inst.sample.d + 1), np.ones(inst.sample.k))
    ev = FRO.evaluate(replace(inst, V=V), dps=60)
    assert ev.holds and abs(float(ev.ratio) - 1) < 1e-40


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (FRO, NOT_CONVEX, SADDLE, FLIN) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


# ---------------------------------------------------------------- any local minimum is a 0-SOPSP (contrapositive)

LOCMIN = CLAIMS["section2.local_minimum_is_sopsp"]


@settings(max_examples=scaled(20))
@given(inst=LOCMIN.strategy())
def test_a_point_that_is_not_a_0_SOPSP_has_a_nearby_point_with_smaller_F(inst):
    from hypothesis import event
    ev = check_claim(LOCMIN, inst)
    order = int(ev.quantities["order"])
    event({0: "a 0-SOPSP up to rounding (uninformative)", 1: "certificate along −∇F_θ (order 1)",
           2: "certificate along ± the eigenvector of λ_min (order 2)"}[order])


def test_descent_certificates_of_both_orders_hold_at_60_digits():
    cases = ((LOCMIN.example(), 1), (exact_saddle_at_zero(3, 1, 2, 2, 2), 2),
             (exact_saddle_at_zero(-7, -3, 5, 3, 3), 2))
    for inst, order in cases:
        for dps in (None, 60):
            ev = LOCMIN.evaluate(inst, dps=dps)
            q = {k: float(v) for k, v in ev.quantities.items()}
            assert ev.holds and ev.informative and q["order"] == order, ev.message()
            assert q["decrease"] > q["F_rounding"] > 0 and q["t"] > 0, q
            if order == 2:
                assert q["grad_norm"] == 0.0 and q["lambda_min"] < 0, q
    # the exact saddle's λ_min is −‖r‖ = −|y|·2^c (Lemma 2 with b = 0): the branch reads the right curvature
    ev = LOCMIN.evaluate(exact_saddle_at_zero(3, 1, 2, 2, 2), dps=60)
    assert abs(float(ev.quantities["lambda_min"]) + 4.0) < 1e-40


def test_a_global_minimum_is_a_0_SOPSP_and_asks_for_no_certificate():
    from theorems.model import Point, Sample, losses
    # one sample, squared loss, q = wᵀ(x + Vφ) = y exactly: ∇F_θ = 0 and ∇²F_θ = JJᵀ ⪰ 0
    s = Sample(np.array([[1.0]]), np.array([1.0]), np.array([1.0]), np.array([[0.0]]))
    inst = Point(s, losses.squared(), np.array([1.0]), np.array([[0.0]]), None, {}, {"corner": "global minimum"})
    for dps in (None, 60):
        ev = LOCMIN.evaluate(inst, dps=dps)
        assert ev.holds and ev.informative is False and float(ev.quantities["order"]) == 0, ev.message()


@pytest.mark.control
@pytest.mark.parametrize("variant", LOCMIN.controls, ids=lambda v: v.name)
def test_local_minimum_controls_are_refuted(variant):
    check_control(LOCMIN, variant)
