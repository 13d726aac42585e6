"""Each step of the proof of Theorem 2.2: three errata pinned, the other steps and the corrections hold."""

import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy, refuted_at_60_digits
from hardt_ma2016.proof_theorem2_2 import exponent_counterexample, line2_counterexample, scaling_counterexample

P = "hardt_ma2016.proof_theorem2_2."
HOLDING = ["line1", "line2.corrected", "line3", "sum.corrected", "claim23.corrected", "c_opt"]


@pytest.mark.parametrize("step", HOLDING)
def test_step_holds_on_its_strategy(step):
    holds_on_strategy(CLAIMS[P + step], n=12)


@pytest.mark.parametrize("step,witness,lhs,rhs", [
    ("line2", line2_counterexample, 0.5, 1.0),
    ("sum", exponent_counterexample, 0.125, 0.25),
    ("claim23", scaling_counterexample, 1.0, 4.0),
], ids=["index i inside the product", "exponent l-1 for 2(l-1)", "norm E squared >= f - C"])
def test_printed_step_is_refuted_by_its_pinned_witness(step, witness, lhs, rhs):
    ev = refuted_at_60_digits(CLAIMS[P + step], witness())
    assert (float(ev.lhs), float(ev.rhs)) == (lhs, rhs)
    assert CLAIMS[P + step + ".corrected"].evaluate(witness(), dps=60).holds


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.proof_theorem2_2"),
                         ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
