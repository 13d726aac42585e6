"""Remark 3 (Sec. 4): Lipschitz constants of ∇F and ∇²F over [−2/ε, 2/ε]² and over ℝ²."""

import pytest
from hypothesis import given

from tests.support import check_claim, check_control
from theorems import CLAIMS
from theorems.model.planar import EpsPoint, kappa, mu1_box, mu2_box

HOLDING = ["remark3.corrected", "remark3.sup", "remark3.unbounded"]
LITERAL = CLAIMS["remark3"]


@pytest.mark.parametrize("cid", HOLDING)
def test_remark3_statement_holds(cid):
    claim = CLAIMS[cid]

    @given(inst=claim.strategy())
    def prop(inst):
        check_claim(claim, inst)
    prop()


@pytest.mark.parametrize("C", [100, 1e4, 1e8])
def test_no_numerical_constant_bounds_the_hessian_lipschitz_constant_for_all_eps__erratum(C):
    # μ₂(ε) = 6κε: at ε = C/(6κ)·1.01, the corner (2/ε, 2/ε) and the maximizing direction beat C
    import numpy as np

    from theorems.remark3 import evaluate_literal
    k = kappa()
    eps = 1.01 * C / (6 * k)
    s = max((r.real for r in np.roots([2, 6, -4, -3])), key=lambda s: abs(3 * s + 2 * s * s) / (1 + s * s) ** 1.5)
    inst = EpsPoint(eps, 2 / eps * (1 - 1e-15), 2 / eps * (1 - 1e-15), 1.0, float(s))
    assert inst.in_box()
    with __import__("mpmath").workdps(60):
        ev = evaluate_literal(inst.to_mp(), C=C)
    assert not ev.holds, f"‖D³F[ĥ]‖ = {float(ev.quantities['third_norm']):.6g}, but should exceed C = {C}"
    assert LITERAL.erratum["correction"] == "remark3.corrected"


def test_exact_constants_are_attained_at_the_corners():
    for eps in (1e-3, 0.5, 1.0, 20.0):
        from strategies.section4 import _inside
        corner = EpsPoint(eps, _inside(-2 / eps, eps), _inside(2 / eps, eps))
        hv = CLAIMS["remark3.sup"].evaluate(corner, dps=60).quantities
        assert abs(float(hv["ratio_hess"]) - 1) < 1e-12, f"‖∇²F‖/μ₁ = {float(hv['ratio_hess'])}, should be 1"
    assert mu1_box(0.0) == pytest.approx((13 + 601 ** 0.5) / 2)
    assert mu1_box(1.0) == pytest.approx((13 + 701 ** 0.5) / 2)
    assert mu2_box(1.0) == pytest.approx(6 * 1.7747972275911, rel=1e-10)


def test_box_hypothesis_is_enforced():
    from theorems import HypothesisNotMet
    with pytest.raises(HypothesisNotMet, match="outside"):
        CLAIMS["remark3.sup"].evaluate(EpsPoint(1.0, 3.0, 0.0))


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(CLAIMS[c], v) for c in HOLDING + ["remark3"] for v in CLAIMS[c].controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


def test_informative__unbounded_lower_bounds_vanish_at_the_saddle():
    # at (0, −1/ε): (1 + εv)² = ε²w² = 0 and 2ε²|w| = 0, so the lower bounds test nothing there
    eps = 0.5
    assert CLAIMS["remark3.unbounded"].evaluate(EpsPoint(eps, 0.0, -1 / eps)).informative is False
    assert CLAIMS["remark3.unbounded"].evaluate(EpsPoint(eps, 3.0, 1.0)).informative is True


def test_informative__box_bounds_are_informative_everywhere():
    # ∇²F never vanishes (w = 0 and 1 + εv = 0 leave the off-diagonal −ε), so ‖∇²F‖/μ₁ > 0
    for eps, w, v in [(0.5, 0.0, -2.0), (1.0, 1.0, 0.0), (0.1, -19.0, 19.0)]:
        assert CLAIMS["remark3.sup"].evaluate(EpsPoint(eps, w, v)).informative is True
