"""Lemma 1 and Eq. (5) (Sec. 6.1): ⟨vec(G), ∇F_θ(w,V)⟩ ≥ F(w,V,θ) − F_lin(w*) for w ≠ 0."""


import pytest
from hypothesis import given, settings

from strategies import nonzero_w_points
from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS
from theorems.model import losses

LEMMA1, EQ5 = CLAIMS["lemma1"], CLAIMS["lemma1.eq5"]


@given(inst=LEMMA1.strategy())
def test_w_nonzero__inner_product_of_G_and_gradient_ge_gap(inst):
    check_claim(LEMMA1, inst)


@given(inst=EQ5.strategy())
def test_eq5__inner_product_equals_expected_dl_times_prediction_difference(inst):
    check_claim(EQ5, inst)


@settings(max_examples=scaled(30))
@given(inst=nonzero_w_points(losses=["linear"], allow_constructions=False))
def test_linear_loss__lemma1_is_an_equality(inst):
    # ℓ'' = 0: the convexity step is exact, so ⟨vec G, ∇F⟩ = gap at 60 digits
    ev = LEMMA1.evaluate(inst, dps=60)
    assert abs(float(ev.lhs - ev.rhs)) <= ev.tol, \
        f"⟨vec G, ∇F⟩ − gap = {float(ev.lhs - ev.rhs):.3g}, but should be 0 for ℓ = −yp [Lemma 1]"


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (LEMMA1, EQ5) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


def test_nonconvex_control_loss_is_really_nonconvex():
    # the control drops Assumption 1: its 'loss' must be rejected by the convexity check
    with pytest.raises(losses.NonConvexLossError, match="not convex"):
        losses.from_expression("-(p - y)**2/2")


@settings(max_examples=scaled(100))
@given(inst=nonzero_w_points(losses=["linear"], allow_constructions=False))
def test_tolerance_absorbs_float64_rounding_where_lemma1_and_eq5_are_exact(inst):
    # ℓ'' = 0 makes Lemma 1 an equality, and Eq. (5) is an identity for every loss: float64 must
    # land within the stated tolerance of the exact value (a tolerance too tight turns every
    # search into a stream of rounding artifacts; too loose, and it hides violations)
    for claim in (LEMMA1, EQ5):
        ev, ev_mp = claim.evaluate(inst), claim.evaluate(inst, dps=60)
        err = abs(float(ev.lhs - ev.rhs) - float(ev_mp.lhs - ev_mp.rhs))
        assert ev.holds and err <= float(ev.tol), \
            (f"{claim.id}: float64 lhs − rhs is {err:.3g} away from its 60-digit value, but the tolerance is "
             f"{float(ev.tol):.3g} [{claim.source}]")


def test_convexity_step_holds_and_its_wrong_point_control_is_refuted():
    claim = CLAIMS["lemma1.convexity_step"]

    @settings(max_examples=scaled(20))
    @given(inst=claim.strategy())
    def prop(inst):
        check_claim(claim, inst)
    prop()
    for v in claim.controls:
        check_control(claim, v)
