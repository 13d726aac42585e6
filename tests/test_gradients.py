"""Eq. (7) (closed-form gradient), Eq. (3) and Eq. (4) (Sec. 6.1–6.2)."""

import numpy as np
import pytest
from hypothesis import given, settings

from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS

GRAD, EQ3, EQ4 = CLAIMS["gradients"], CLAIMS["gradients.eq3"], CLAIMS["gradients.eq4"]


@settings(max_examples=scaled(100))   # a difference quotient per example: half the default
@given(inst=GRAD.strategy())
def test_eq7__closed_form_gradient_equals_directional_derivative(inst):
    check_claim(GRAD, inst)


@settings(max_examples=scaled(100))   # a difference quotient per example: half the default
@given(inst=EQ3.strategy())
def test_eq3__inner_product_with_w_minus_wstar_equals_expectation(inst):
    check_claim(EQ3, inst)


@settings(max_examples=scaled(100))   # a difference quotient per example: half the default
@given(inst=EQ4.strategy())
def test_eq4__inner_product_with_w_wstarT_V_over_w2_equals_expectation(inst):
    check_claim(EQ4, inst)


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (GRAD, EQ3, EQ4) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


def test_step_respects_the_quadratic_path_of_the_predictions():
    # found by search (seed 1, 1,000 examples): the predictions' first-order rate along D is ~2e-6,
    # so a rate-only step h = 10⁻³/rate ≈ 550 moved wᵀVφ (quadratic in t) to ~10³, e^(−yp)
    # overflowed and the difference quotient was NaN; the step is now also capped by h²·curvature
    from theorems.model import Point, Sample, losses
    X = np.zeros((2, 5))
    s = Sample(X, np.array([-1.0, -1.0]), np.array([0.5, 0.5]), np.full((2, 1), 0.00361595))
    e3 = np.eye(5)[2]
    inst = Point(s, losses.exponential(), 5e-4 * e3, np.zeros((5, 1)), np.zeros(5),
                 {"D_w": e3, "D_V": e3[:, None]}, {"feature_map": "pinned", "corner": "generic"})
    for dps in (None, 60):
        ev = CLAIMS["gradients"].evaluate(inst, dps=dps)
        assert ev.holds, f"{ev.message()} (dps={dps})"
