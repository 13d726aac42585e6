"""Example 1 (Sec. 4) and the classification of the stationary points of F."""

import json

import pytest
from hypothesis import given

from tests.support import check_claim, check_control
from theorems import CLAIMS
from theorems.model.planar import EpsPoint

HOLDING = ["example1.objective", "example1.gradient", "example1.hessian", "example1.stationary_point",
           "example1.value", "example1.sopsp", "example1.stationary_points.corrected"]
LITERAL = CLAIMS["example1.stationary_points"]


@pytest.mark.parametrize("cid", HOLDING)
def test_example1_statement_holds(cid):
    claim = CLAIMS[cid]

    @given(inst=claim.strategy())
    def prop(inst):
        check_claim(claim, inst)
    prop()


@pytest.mark.parametrize("eps", [1.0, 0.5, 1e-3, 37.0])
def test_stated_saddle_1_minus_1_over_eps_is_not_stationary__erratum(eps):
    # ∇F(1, −1/ε) = (0, −ε) exactly, so the paper's saddle location is refuted at 60 digits
    ev = LITERAL.evaluate(EpsPoint(eps), dps=60)
    assert not ev.holds, f"∇F(1, −1/ε) = 0 at ε = {eps}, but the erratum says it is (0, −ε) [{LITERAL.source}]"
    assert abs(float(ev.quantities["grad_v"]) + eps) <= 1e-40 * (1 + eps)
    assert abs(float(ev.quantities["grad_w"])) <= 1e-40
    assert LITERAL.erratum["correction"] in CLAIMS


def test_the_true_saddle_is_0_minus_1_over_eps_with_eigenvalues_pm_eps():
    from theorems.model.planar import hess_F, sym2_eigs
    with __import__("mpmath").workdps(60):
        import mpmath
        e = mpmath.mpf(0.25)
        lo, hi = sym2_eigs(*hess_F(e, 0 * e, -1 / e))
        assert abs(lo + e) < 1e-50 and abs(hi - e) < 1e-50


def test_sopsp_parameter_vanishes_with_eps():
    ev_small = CLAIMS["example1.sopsp"].evaluate(EpsPoint(1e-3))
    ev_big = CLAIMS["example1.sopsp"].evaluate(EpsPoint(1.0))
    q1, q2 = ev_small.quantities, ev_big.quantities
    assert float(q1["sopsp_eps_min"]) < 1e-3 * float(q2["sopsp_eps_min"]) * 1.01
    assert float(q1["gap"]) == pytest.approx(0.5) and float(q2["gap"]) == pytest.approx(0.5)


def test_eps_point_validates_and_round_trips():
    with pytest.raises(ValueError, match="argument 'eps'.*ε > 0"):
        EpsPoint(0.0)
    with pytest.raises(ValueError, match="argument 'h'"):
        EpsPoint(1.0, 0.0, 0.0, 0.0, 0.0)
    p = EpsPoint(0.3, 1.5, -2.0, 0.6, 0.8)
    assert EpsPoint.from_json(json.loads(json.dumps(p.to_json()))) == p


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(CLAIMS[c], v) for c in HOLDING + ["example1.stationary_points"]
                                           for v in CLAIMS[c].controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


@pytest.mark.parametrize("claim_id", ["example1.objective", "example1.gradient",
                                      "example1.stationary_points.corrected"])
def test_informative__identities_on_the_valley_test_nothing(claim_id):
    # on the valley w(1 + εv) = 1 the objective, its gradient and ‖∇F‖² = 2F(…) are all 0
    claim = CLAIMS[claim_id]
    assert claim.evaluate(EpsPoint(0.5, 1.0, 0.0)).informative is False
    assert claim.evaluate(EpsPoint(0.5, 0.7, -3.0)).informative is True


def test_informative__the_point_minus_one_over_eps_is_informative_at_every_eps():
    for claim_id in ("example1.stationary_point", "example1.value", "example1.sopsp", "example1.hessian"):
        for eps in (1e-6, 0.3, 50.0):
            assert CLAIMS[claim_id].evaluate(EpsPoint(eps)).informative is True, claim_id
