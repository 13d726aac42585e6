"""Shamir's citation: every constructed spurious critical point is shown not to be a local minimum."""

import numpy as np
import pytest
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy
from hardt_ma2016 import model as M
from hardt_ma2016.shamir_citation import descent_direction, example

CLAIM = CLAIMS["hardt_ma2016.shamir_citation"]


def test_citation_holds_on_the_spurious_critical_points():
    holds_on_strategy(CLAIM, n=20)


def test_descent_curve_is_exactly_t_to_the_k_times_R_sigma():
    inst = example()
    D, k, a, b = descent_direction(inst)
    S = M.second_moment(inst.X, inst.p)
    for t in (0.5, 0.125):
        assert np.allclose(M.product(inst.A + t * D), t ** k * inst.R @ S, atol=1e-15)
    ev = CLAIM.evaluate(inst, dps=60)
    assert ev.holds and ev.informative and float(ev.quantities["decrease"]) > 0


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.shamir_citation"),
                         ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
