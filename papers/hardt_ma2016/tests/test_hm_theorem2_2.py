"""Theorem 2.2 and Eq. (2.3) (erratum: homogeneity and exponent), with its correction."""

import numpy as np
import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy, refuted_at_60_digits
from hardt_ma2016.instances import ResNetPoint
from hardt_ma2016.theorem2_2 import eq2_3_exponent_counterexample, eq2_3_scaling_counterexample

THM, EQ, FIX = (CLAIMS[c] for c in ("hardt_ma2016.theorem2_2", "hardt_ma2016.theorem2_2.eq2_3",
                                    "hardt_ma2016.theorem2_2.eq2_3.corrected"))


def test_theorem2_2_and_corrected_eq2_3_hold_on_their_strategies():
    holds_on_strategy(THM, n=20)
    holds_on_strategy(FIX, n=40)


def test_eq2_3_refuted_by_scaling_x_by_2():
    ev = refuted_at_60_digits(EQ, eq2_3_scaling_counterexample())
    assert float(ev.lhs) == 64.0 and float(ev.rhs) == 256.0
    assert FIX.evaluate(eq2_3_scaling_counterexample(), dps=60).holds


def test_eq2_3_refuted_by_the_minus_tau_corner__exponent():
    ev = refuted_at_60_digits(EQ, eq2_3_exponent_counterexample())
    assert float(ev.lhs) == 0.125 and float(ev.rhs) == 0.25
    fix = FIX.evaluate(eq2_3_exponent_counterexample(), dps=60)
    assert fix.holds and float(fix.lhs) == float(fix.rhs) == 0.125          # attained with equality


@pytest.mark.parametrize("s", [0.5, 1.0, 3.0, 10.0])
def test_corrected_eq2_3_is_scale_invariant__both_sides_scale_as_s4(s):
    X = np.array([[1.0, 0.5], [-0.25, 2.0]])
    base = ResNetPoint(X, np.array([0.5, 0.5]), np.array([[0.5, 1.0], [0.0, 2.0]]), np.full((2, 2, 2), 0.125), 0.25)
    scaled = ResNetPoint(s * X, base.p, base.R, base.A, base.tau)
    e0, e1 = FIX.evaluate(base), FIX.evaluate(scaled)
    assert float(e1.lhs) == pytest.approx(s ** 4 * float(e0.lhs), rel=1e-12)
    assert float(e1.rhs) == pytest.approx(s ** 4 * float(e0.rhs), rel=1e-12)


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.theorem2_2"), ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
