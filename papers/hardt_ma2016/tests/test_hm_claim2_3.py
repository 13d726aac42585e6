"""Claim 2.3, each line of its proof, and the definition of Σ^{1/2} (two errata)."""

import numpy as np
import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy, refuted_at_60_digits
from hardt_ma2016 import model as M
from hardt_ma2016.claim2_3 import line4_counterexample, root_counterexample

from theorems.core import backend as B

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
    R = B.psd_sqrt(S)
    assert np.allclose(R @ R, S, atol=1e-14) and np.all(np.linalg.eigvalsh(R) >= -1e-15)
    import mpmath

    with mpmath.workdps(60):
        Sm = M.second_moment(B.to_mp(X), B.to_mp(np.full(3, 1 / 3)))
        Rm = B.psd_sqrt(Sm)
        assert max(abs(v) for v in (Rm @ Rm - Sm).reshape(-1)) < mpmath.mpf(10) ** -55


def test_all_plus_signs_give_the_engines_psd_root_bit_for_bit():
    # the uniqueness erratum compares a signed root with Σ^{1/2}: with no sign flipped they must be the
    # same matrix to the last bit, so a non-informative instance never shows a rounding discrepancy
    import mpmath

    X = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]])
    S = M.second_moment(X, np.full(3, 1 / 3))
    assert np.array_equal(M.symmetric_root(S, np.ones(2)), B.psd_sqrt(S))
    with mpmath.workdps(60):
        Sm = M.second_moment(B.to_mp(X), B.to_mp(np.full(3, 1 / 3)))
        assert all(a == b for a, b in zip(M.symmetric_root(Sm, np.ones(2)).reshape(-1), B.psd_sqrt(Sm).reshape(-1)))
    flipped = M.symmetric_root(S, np.array([1.0, -1.0]))
    assert np.allclose(flipped @ flipped, S, atol=1e-13) and not np.allclose(flipped, B.psd_sqrt(S))


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.claim2_3"), ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
