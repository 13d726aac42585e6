"""Eq. (2.1), the expressiveness sentence and Eq. (2.2)."""

import mpmath
import numpy as np
import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy
from hardt_ma2016 import model as M
from hardt_ma2016.eq2_1 import example


@pytest.mark.parametrize("cid", ["hardt_ma2016.eq2_1", "hardt_ma2016.eq2_1.expressive", "hardt_ma2016.eq2_2"])
def test_claim_holds_on_its_strategy(cid):
    holds_on_strategy(CLAIMS[cid])


def test_noise_enters_through_its_first_two_moments_exactly():
    # E‖ξ‖² = d and E⟨Ex, ξ⟩ = 0 under the ±1 cubature, exactly at 60 digits
    with mpmath.workdps(60):
        inst = example().to_mp()
        E = M.residual(inst.A, inst.R)
        Ex2, xi2, cross, total = M.cubature_risk(E, inst.X, inst.p, parts=True)
        assert xi2 == inst.d and cross == 0, f"E‖ξ‖² = {xi2}, E⟨Ex, ξ⟩ = {cross}; should be d = {inst.d} and 0"
        assert abs(total - (Ex2 + xi2)) < mpmath.mpf(10) ** -55


def test_c_opt_is_attained_at_r_minus_identity_for_singular_sigma_too():
    X = np.array([[1.0, 0.0], [2.0, 0.0]])      # Σ singular
    R = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert M.c_opt(R, X, np.array([0.5, 0.5]), 3) == pytest.approx(2.0, abs=1e-14)


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.eq2_1") + all_controls("hardt_ma2016.eq2_2"),
                         ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
