"""Sec. 1.1's summary sentences: (1.2) (erratum, det R < 0), gradients vanish, no other critical points (erratum)."""

import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy, refuted_at_60_digits
from hardt_ma2016.introduction import counterexample_12, counterexample_nc

P = "hardt_ma2016.introduction."


@pytest.mark.parametrize("cid", ["eq1_2.corrected", "gradients_vanish", "no_other_critical_points.corrected"])
def test_claim_holds_on_its_strategy(cid):
    holds_on_strategy(CLAIMS[P + cid], n=15)


def test_eq1_2_refuted_for_R_minus_one():
    ev = refuted_at_60_digits(CLAIMS[P + "eq1_2"], counterexample_12())
    assert float(ev.lhs) == 7.0                 # ℓ · (every optimum's norm ≥ 1) > 2π


def test_spurious_critical_point_refutes_no_other_critical_points():
    ev = refuted_at_60_digits(CLAIMS[P + "no_other_critical_points"], counterexample_nc())
    assert float(ev.quantities["gap"]) == 1.0 and float(ev.quantities["A_norm"]) == 1.0


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.introduction"),
                         ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
