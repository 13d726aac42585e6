"""Eq. (7) (closed-form gradient), Eq. (3) and Eq. (4) (Sec. 6.1–6.2)."""

import pytest
from hypothesis import given

from theorems import CLAIMS
from tests.support import check_claim, check_control

GRAD, EQ3, EQ4 = CLAIMS["gradients"], CLAIMS["gradients.eq3"], CLAIMS["gradients.eq4"]


@given(inst=GRAD.strategy())
def test_eq7__closed_form_gradient_equals_directional_derivative(inst):
    check_claim(GRAD, inst)


@given(inst=EQ3.strategy())
def test_eq3__inner_product_with_w_minus_wstar_equals_expectation(inst):
    check_claim(EQ3, inst)


@given(inst=EQ4.strategy())
def test_eq4__inner_product_with_w_wstarT_V_over_w2_equals_expectation(inst):
    check_claim(EQ4, inst)


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (GRAD, EQ3, EQ4) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)
