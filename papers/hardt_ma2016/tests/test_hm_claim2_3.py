"""Claim 2.3, each line of its proof, and the definition of Σ^{1/2} (two errata)."""

import numpy as np
import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy, refuted_at_60_digits
from hardt_ma2016 import model as M
from hardt_ma2016.claim2_3 import line4_counterexample, root_counterexample

HOLDING = ["hardt_ma2016.claim2_3", "hardt_ma2016.claim2_3.line1", "hardt_ma2016.claim2_3.line2",
           "hardt_ma2016.claim2_3.line3", "hardt_ma2016.claim2_3.line4.corrected", "hardt_ma2016.claim2_3.line5",
           "hardt_ma2016.claim2_3.sqrt_unique.corrected"]


@pytest.mark.parametrize("cid", HOLDING)
def test_claim_holds_on_its_strategy(cid):
    holds_on_strategy(CLAIMS[cid], n=15)


def test_line4_as_printed_is_refuted__C_is_E_norm_xi_squared_not_E_xx_T():
    ev = refuted_at_60_digits(CLAIMS["hardt_ma2016.claim2_3.line4"], line4_counterexample())
    assert float(ev.quantities["f"]) == 1.0 and float(ev.quantities["trace_term"]) == 0.0   # f = 1, rhs = 0 + Σ = 0
    assert CLAIMS["hardt_ma2016.claim2_3.line4.corrected"].evaluate(line4_counterexample(), dps=60).holds


def test_unique_symmetric_root_is_refuted_by_minus_one():
    ev = refuted_at_60_digits(CLAIMS["hardt_ma2016.claim2_3.sqrt_unique"], root_counterexample())
    assert float(ev.quantities["discrepancy"]) == 2.0            # B = −1 vs Σ^{1/2} = 1


def test_psd_root_squares_to_sigma_at_both_precisions():
    X = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]])
    S = M.second_moment(X, np.full(3, 1 / 3))
    R = M.psd_sqrt(S)
    assert np.allclose(R @ R, S, atol=1e-14) and np.all(np.linalg.eigvalsh(R) >= -1e-15)
    import mpmath

    from theorems.core import backend as B
    with mpmath.workdps(60):
        Sm = M.second_moment(B.to_mp(X), B.to_mp(np.full(3, 1 / 3)))
        Rm = M.psd_sqrt(Sm)
        assert max(abs(v) for v in (Rm @ Rm - Sm).reshape(-1)) < mpmath.mpf(10) ** -55


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.claim2_3"), ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
