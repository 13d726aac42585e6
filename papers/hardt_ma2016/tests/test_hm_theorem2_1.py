"""Theorem 2.1 (erratum: det R < 0), its correction, the construction, and the κ sentence."""

import numpy as np
import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy, refuted_at_60_digits
from hardt_ma2016 import model as M
from hardt_ma2016.instances import DepthTarget
from hardt_ma2016.theorem2_1 import counterexample

from theorems.contract import HypothesisNotMet

LITERAL, CORRECTED = CLAIMS["hardt_ma2016.theorem2_1"], CLAIMS["hardt_ma2016.theorem2_1.corrected"]


def test_literal_theorem2_1_is_refuted_by_R_minus_one_at_depth_7():
    ev = refuted_at_60_digits(LITERAL, counterexample())
    assert float(ev.lhs) == 1.0 and float(ev.rhs) == pytest.approx(2 * np.pi / 7)


def test_at_depth_6_the_same_R_is_not_decided_by_sampling():
    # 2π/6 > 1: the certified lower bound no longer refutes, and no construction exists for det R < 0
    with pytest.raises(HypothesisNotMet, match="cannot decide"):
        LITERAL.evaluate(DepthTarget(np.array([[-1.0]]), 6, np.array([[1.0]]), np.array([1.0])))


def test_corrected_theorem2_1_holds_on_its_strategy():
    holds_on_strategy(CORRECTED, n=25)
    holds_on_strategy(CLAIMS["hardt_ma2016.theorem2_1.kappa"], n=15)


@pytest.mark.parametrize("R", [np.array([[0.0, -1.0], [1.0, 0.0]]), -np.eye(2), np.diag([4.0, 0.25]),
                               np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]])],
                         ids=["rotation pi/2", "rotation pi (-Id)", "diag(4, 1/4)", "two -1 eigenvalues"])
def test_construction_is_a_global_optimum_within_the_bound_at_60_digits(R):
    gam = float(M.gamma(R))
    ell = max(1, int(np.ceil(3 * gam)) + 1)
    inst = DepthTarget(R, ell, np.eye(R.shape[0]), np.full(R.shape[0], 1 / R.shape[0]))
    ev = CORRECTED.evaluate(inst, dps=60)
    assert ev.holds and float(ev.quantities["upper"]) <= float(ev.quantities["bound"]), ev.message()
    A = M.theorem2_1_layers(R, ell)
    assert np.allclose(M.product(A), R, atol=1e-13)


def test_bad_instances_are_rejected_naming_the_argument():
    with pytest.raises(ValueError, match="argument 'ell'"):
        DepthTarget(np.eye(1), 0, np.eye(1), np.ones(1))
    with pytest.raises(HypothesisNotMet, match="argument 'R'"):
        LITERAL.evaluate(DepthTarget(np.zeros((1, 1)), 3, np.eye(1), np.ones(1)))


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.theorem2_1"), ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
