"""Theorem 1 and Eq. (6) (Sec. 3, Sec. 6.1): ‖∇F_θ(w,V)‖ ≥ gap / denominator whenever w ≠ 0."""

import pytest
from hypothesis import given

from theorems import CLAIMS, HypothesisNotMet
from theorems.theorem1 import attaining_instance
from tests.support import check_claim, check_control

THM1, EQ6 = CLAIMS["theorem1"], CLAIMS["theorem1.eq6"]


@given(inst=THM1.strategy())
def test_w_nonzero__grad_norm_ge_gap_over_sqrt_2w2_plus_wstar2_times_2_plus_V2_over_w2(inst):
    check_claim(THM1, inst)


@given(inst=EQ6.strategy())
def test_eq6__grad_norm_ge_gap_over_frobenius_norm_of_G(inst):
    check_claim(EQ6, inst)


@pytest.mark.parametrize("d,k", [(1, 1), (2, 3), (5, 2)])
def test_bound_is_attained_by_the_linear_loss_construction(d, k):
    inst = attaining_instance(d, k, seed=d + k)
    for claim in (THM1, EQ6):
        ev = claim.evaluate(inst, dps=60)
        assert ev.holds and abs(float(ev.ratio) - 1) < 1e-40, \
            f"tightness ratio {float(ev.ratio)!r}, but should be 1 (attained) [{claim.source}]"


def test_eq6_is_never_weaker_than_theorem1():
    # the proof only enlarges the denominator from Eq. (6) to Theorem 1
    inst = THM1.example()
    assert EQ6.evaluate(inst).quantities["G_fro"] <= THM1.evaluate(inst).quantities["denominator"]


def test_w_zero_is_rejected_naming_the_hypothesis():
    from dataclasses import replace
    inst = THM1.example()
    bad = replace(inst, w=0 * inst.w)
    for claim in (THM1, EQ6):
        with pytest.raises(HypothesisNotMet, match=r"argument 'w': w = 0.*requires w ≠ 0"):
            claim.evaluate(bad)


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (THM1, EQ6) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)
