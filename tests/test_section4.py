"""Sec. 4, regularization and constraint (Figure 1 (b), (c)): all stationary / KKT points, classified."""

import json
import random

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import check_claim, check_control
from theorems import CLAIMS
from theorems.model.figure1 import (
    LAMBDA_STAR,
    PAPER_READINGS,
    Objective2D,
    constrained_kkt_points,
    regularized_stationary_points,
)

HOLDING = ["section4.regularization.caption", "section4.regularization.corrected", "section4.constraint"]
TEXT = Objective2D(**PAPER_READINGS["text"], reading="text")
CAPTION = Objective2D(**PAPER_READINGS["caption"], reading="caption")


@pytest.mark.parametrize("cid", HOLDING)
def test_section4_statement_holds(cid):
    claim = CLAIMS[cid]

    @given(inst=claim.strategy())
    def prop(inst):
        check_claim(claim, inst)
    prop()


def test_text_reading_has_no_spurious_local_minimum__erratum():
    # ½(w(1+v) − 1)² + ¼(w² + v²): one stationary point only, the global minimum (0.5986, 0.2799)
    claim = CLAIMS["section4.regularization"]
    ev = claim.evaluate(TEXT, dps=60)
    assert not ev.holds and ev.quantities["n_spurious"] == 0
    with mpmath.workdps(60):
        pts = regularized_stationary_points(TEXT.to_mp())
    assert [p["cls"] for p in pts] == ["local min"]
    assert abs(float(pts[0]["w"]) - 0.5985923017) < 1e-9 and abs(float(pts[0]["v"]) - 0.2799440645) < 1e-9
    assert claim.erratum["correction"] in CLAIMS


def test_caption_reading_has_the_spurious_minimum_at_the_stated_location():
    ev = CLAIMS["section4.regularization.caption"].evaluate(CAPTION, dps=60)
    q = ev.quantities
    assert ev.holds and q["n_spurious"] == 1 and q["n_stationary"] == 3
    assert abs(float(q["spurious_w"]) + 0.9828062627) < 1e-9 and abs(float(q["spurious_v"]) + 1.6026822525) < 1e-9
    classes = sorted(p["cls"] for p in regularized_stationary_points(CAPTION))
    assert classes == ["local min", "local min", "saddle"]


def test_lambda_star_is_the_threshold_for_example1_F():
    below = Objective2D(0.5, LAMBDA_STAR * (1 - 1e-6), 1.0, 2.0)
    above = Objective2D(0.5, LAMBDA_STAR * (1 + 1e-6), 1.0, 2.0)
    with mpmath.workdps(60):
        nb = len(regularized_stationary_points(below.to_mp()))
        na = len(regularized_stationary_points(above.to_mp()))
    assert (nb, na) == (3, 1), f"stationary points below/above λ*: {nb}/{na}, but should be 3/1"


@pytest.fixture(scope="module")
def caption_spurious_minimizer():
    with mpmath.workdps(60):
        o = CAPTION.to_mp()
        return o, [q for q in regularized_stationary_points(o) if q["w"] < 0 and q["cls"] == "local min"][0]


def test_caption_spurious_minimum_is_a_local_minimum_on_a_ball(caption_spurious_minimizer):
    o, p = caption_spurious_minimizer

    @given(r=st.floats(0, 0.2), t=st.floats(0, 6.283185307179586))
    def prop(r, t):
        # G(p) ≥ G(p*) on the ball of radius 0.2 around the certified minimizer p*, at 60 digits
        with mpmath.workdps(60):
            w, v = p["w"] + r * mpmath.cos(t), p["v"] + r * mpmath.sin(t)
            assert o.G(w, v) >= p["G"] - mpmath.mpf(10) ** -50, f"G({float(w)}, {float(v)}) < G(p*)"
    prop()


@pytest.mark.parametrize("reading", ["text", "caption"])
def test_constraint_spurious_minimum_is_the_exact_kkt_point(reading):
    o = Objective2D(**PAPER_READINGS[reading], reading=reading)
    with mpmath.workdps(60):
        pts = constrained_kkt_points(o.to_mp())
        mins = [p for p in pts if p["cls"] == "local min"]
        assert len(mins) == 1
        v_exact = (-1 - mpmath.sqrt(33)) / 4
        assert abs(mins[0]["v"] - v_exact) < 1e-50 and abs(mins[0]["w"] + mpmath.sqrt(4 - v_exact ** 2)) < 1e-50
        assert mins[0]["F"] > 0 and mins[0]["mu"] > 0
    assert sorted(p["cls"] for p in pts) == ["global min", "global min", "local max", "local max", "local max",
                                             "local min", "saddle"]


def test_objective2d_validates_and_round_trips():
    with pytest.raises(ValueError, match="need c > 0"):
        Objective2D(0.0, 0.5)
    assert Objective2D.from_json(json.loads(json.dumps(CAPTION.to_json()))) == CAPTION


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(CLAIMS[c], v) for c in HOLDING + ["section4.regularization"]
                                           for v in CLAIMS[c].controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


# -- the remedy: small λ or a large domain (Sec. 4, last paragraph) --------------------------------
from theorems.model.figure1 import Objective2D  # noqa: E402


def test_remedy_small_lambda_does_not_remove_the_spurious_minimum():
    # erratum: at ε = 1 the spurious minimum exists for every λ ∈ (0, λ*); pinned at λ = 2⁻⁷ ≤ ε³/100
    claim = CLAIMS["section4.remedy.regularization"]
    obj = Objective2D(0.5, 2.0 ** -7, 1.0, 2.0, "c=0.5")
    ev = claim.evaluate(obj, dps=60)
    assert not ev.holds and ev.quantities["n_spurious"] == 1
    assert ev.quantities["spurious_w"] < 0 and ev.quantities["spurious_v"] < 0
    assert claim.erratum["correction"] == "section4.remedy.regularization.value"
    # … but it is harmless: F there is ≈ 1.11·λ² ≤ 2λ²/ε³
    assert CLAIMS["section4.remedy.regularization.value"].evaluate(obj, dps=60).holds


def test_remedy_value__F_at_the_spurious_minimum_is_the_stationarity_identity():
    # at a stationary point of G: F = λ²‖(w, v)‖²/(2‖(1 + εv, εw)‖²)
    obj = Objective2D(0.5, 1e-4, 0.3, 2.0, "c=0.5")
    ev = CLAIMS["section4.remedy.regularization.value"].evaluate(obj, dps=60)
    from theorems.section4 import _regularized_spurious
    with mpmath.workdps(60):
        (p,) = _regularized_spurious(obj.to_mp())
        w, v, e, lam = p["w"], p["v"], obj.to_mp().eps, obj.to_mp().lam
        identity = lam ** 2 * (w * w + v * v) / (2 * ((1 + e * v) ** 2 + (e * w) ** 2))
        assert abs(p["F"] - identity) < mpmath.mpf(10) ** -40
    assert ev.holds and ev.informative


def test_remedy_value_informative_only_where_a_spurious_minimum_exists():
    claim = CLAIMS["section4.remedy.regularization.value"]
    assert claim.evaluate(Objective2D(0.5, 1.0, 1.0, 2.0, "c=0.5")).informative is False    # λ > λ*: none
    assert claim.evaluate(Objective2D(0.5, 0.005, 1.0, 2.0, "c=0.5")).informative is True


@pytest.mark.parametrize("eps", [1.0, 0.3, 0.1, 0.01])
def test_remedy_domain__radius_3_over_eps_works_and_1_1_over_eps_does_not(eps):
    from strategies.section4 import _radius_at_least

    big = Objective2D(0.5, 0.0, eps, _radius_at_least(3.0, eps), "c=0.5")
    near = Objective2D(0.5, 0.0, eps, (1 + eps / 10) / eps, "c=0.5")
    ev_big = CLAIMS["section4.remedy.domain"].evaluate(big, dps=60)
    assert ev_big.holds and ev_big.informative and ev_big.hypotheses["R >= 3/eps"]
    ev = CLAIMS["section4.remedy.depends_on_eps"].evaluate(near, dps=60)
    assert ev.holds and ev.quantities["n_spurious"] >= 1
    assert 0.45 < float(ev.quantities["spurious_F"]) <= 0.5       # about the saddle's value ½


@settings(max_examples=10)
@given(obj=CLAIMS["section4.remedy.depends_on_eps"].strategy())
def test_remedy_depends_on_eps_family(obj):
    assert obj.radius * obj.eps == pytest.approx(1 + obj.eps / 10) and obj.lam == 0
    check_claim(CLAIMS["section4.remedy.depends_on_eps"], obj)


# -- λ > 0 (Sec. 4's regularizer): the strategies draw it by construction, the model rejects the rest --

def _drawn_lambda_at_most_zero(strategy):
    """An instance with λ ≤ 0 that Hypothesis finds in the strategy, or None."""
    from hypothesis import HealthCheck, find
    from hypothesis.errors import NoSuchExample

    try:
        return find(strategy, lambda o: not o.lam > 0,
                    settings=settings(max_examples=1000, database=None, suppress_health_check=list(HealthCheck)),
                    random=random.Random(29))
    except NoSuchExample:
        return None


@pytest.mark.parametrize("cid", ["section4.remedy.regularization", "section4.remedy.regularization.value",
                                 "section4.regularization.corrected"])
def test_the_strategy_of_a_regularized_claim_draws_lambda_positive(cid):
    # before: f·ε³ with a subnormal f ∈ (0, 10⁻²] rounded to λ = 0 (ZeroDivisionError in the audit, seed 29)
    assert _drawn_lambda_at_most_zero(CLAIMS[cid].strategy()) is None


@pytest.mark.parametrize("lam", [0.0, -0.25])
def test_regularized_stationary_points_reject_lambda_not_positive(lam):
    obj = Objective2D(0.5, lam, 0.5884856761443172, 2.0, "c=0.5") if lam == 0 else Objective2D(0.5, 0.25, 1.0)
    if lam < 0:
        object.__setattr__(obj, "lam", lam)   # Objective2D itself admits λ ≥ 0 (the constrained F has λ = 0)
    with pytest.raises(ValueError, match=r"'lambda'.*λ > 0") as err:
        regularized_stationary_points(obj)
    assert "\n" not in str(err.value)


def test_remedy_lam_factor_must_leave_lambda_a_positive_float():
    from hypothesis.errors import InvalidArgument

    from strategies.section4 import remedy_objectives

    for bad in [(0.0, 0.0), (0.01, 0.001), (0.0, 1e-300)]:
        with pytest.raises(InvalidArgument, match="lam_factor"):
            remedy_objectives(min_exp=-3, lam_factor=bad)


# -- issue 22: "can be arbitrarily bad if the norm is sufficiently large"; other regularizers ----------
from hypothesis import given as _given  # noqa: E402

from tests.support import scaled  # noqa: E402
from theorems.model.figure1 import OtherRegularized2D, certified_spurious_minimum  # noqa: E402
from theorems.model.planar import EpsPoint, kappa, theorem3_bound_on_example1  # noqa: E402

NORM, OTHER = CLAIMS["section4.norm_unbounded"], CLAIMS["section4.other_regularization"]


@settings(max_examples=scaled(20))
@_given(inst=NORM.strategy())
def test_theorem3_bound_at_example1_grows_at_least_as_the_root_of_the_norm(inst):
    check_claim(NORM, inst)


@pytest.mark.parametrize("M", [10.0, 1e3, 1e6])
def test_for_every_M_the_instance_eps_1_over_M2_has_a_bound_above_M__60_digits(M):
    # ε = 1/M²: bound² = √13(6 + ε)/(3κε) ≈ 4.06·M², while the gap stays ½ and the SOPSP parameter → 0
    with mpmath.workdps(60):
        eps = mpmath.mpf(1) / mpmath.mpf(M) ** 2
        q = theorem3_bound_on_example1(eps)
        exact = mpmath.sqrt(13) * (6 + eps) / (3 * kappa(True) * eps)
        assert abs(q["bound_lower"] ** 2 - exact) < mpmath.mpf(10) ** -40 * exact
        assert q["bound_lower"] > M and q["gap"] == mpmath.mpf(1) / 2
        assert abs(q["sopsp_eps"] - eps / (6 * kappa(True))) < mpmath.mpf(10) ** -50
    assert NORM.evaluate(EpsPoint(1 / M ** 2), dps=60).holds


@settings(max_examples=scaled(20))
@_given(obj=OTHER.strategy())
def test_other_regularizers_have_a_certified_spurious_minimum(obj):
    check_claim(OTHER, obj)


@pytest.mark.parametrize("reg,lam,w,v", [("quartic", 0.1, -1.2123922686, -1.5643639316),
                                         ("pseudo_huber", 0.1, -1.0551067576, -1.8685726295)])
def test_other_regularizer_witness_is_a_local_minimum_on_a_ball__60_digits(reg, lam, w, v):
    with mpmath.workdps(60):
        o = OtherRegularized2D(reg, lam).to_mp()
        p = certified_spurious_minimum(o)
        assert p["stationary"] and p["strict"] and p["worse"] and p["bottom_left"]
        assert p["grad_norm"] < mpmath.mpf(10) ** -50 and p["F"] > 0          # F > 0 = F_lin(1)
        assert abs(p["w"] - w) < 1e-9 and abs(p["v"] - v) < 1e-9
        for t in range(16):                                                     # G ≥ G(p*) on a circle r = 0.05
            a = 2 * mpmath.pi * t / 16
            assert o.G(p["w"] + mpmath.mpf(0.05) * mpmath.cos(a), p["v"] + mpmath.mpf(0.05) * mpmath.sin(a)) > p["G"]


def test_without_the_regularizer_descent_ends_on_the_valley_not_at_a_spurious_minimum():
    with mpmath.workdps(60):
        p = certified_spurious_minimum(OtherRegularized2D("quartic", 0.0).to_mp())
    assert not p["strict"] and not p["worse"] and abs(p["F"]) < mpmath.mpf(10) ** -50


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (NORM, OTHER) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_issue22_section4_controls_are_refuted(claim, variant):
    check_control(claim, variant)


# -- issue 22: the domain remedy quantifies R ("R ≥ 3/ε suffices"): R·ε is drawn and exposed -----------
from theorems.audit.variants import variant_from_expression  # noqa: E402

DOMAIN = CLAIMS["section4.remedy.domain"]
REMEDY_IDS = ["section4.remedy.domain", "section4.remedy.depends_on_eps", "section4.remedy.regularization",
              "section4.remedy.regularization.value"]


def test_remedy_domain_exposes_the_radius_as_quantities():
    for name in ("R_eps", "R", "eps", "n_spurious"):
        assert name in DOMAIN.quantities and name in CLAIMS["section4.remedy.depends_on_eps"].quantities
    q = DOMAIN.evaluate(Objective2D(0.5, 0.0, 0.5, 6.0, "c=0.5")).quantities
    assert q["R_eps"] == 3.0 and q["R"] == 6.0 and q["eps"] == 0.5 and q["n_spurious"] == 0


def test_remedy_domain_strategy_draws_r_eps_on_both_sides_of_3():
    seen = []

    @settings(max_examples=100, database=None)
    @given(obj=DOMAIN.strategy())
    def prop(obj):
        seen.append(float(obj.radius * obj.eps))
    prop()
    assert any(r < 3 for r in seen) and sum(r >= 3 for r in seen) > len(seen) / 2
    assert all(1 <= r <= 30 * (1 + 1e-15) for r in seen)


def test_below_3_over_eps_the_domain_claim_is_uninformative_not_violated():
    # Figure 1 (c): R = 2, ε = 1 has the spurious boundary minimum, but R·ε = 2 < 3 is outside the statement
    ev = DOMAIN.evaluate(Objective2D(0.5, 0.0, 1.0, 2.0, "c=0.5"), dps=60)
    assert ev.holds and ev.informative is False and ev.hypotheses["R >= 3/eps"] is False
    assert ev.quantities["n_spurious"] == 1 and ev.ratio is None


@pytest.mark.parametrize("text", ["n_spurious * (R_eps - 2) <= 0", "n_spurious * R_eps <= 2"])
def test_r_eps_at_least_2_suffices_is_refuted__60_digits(text):
    # "R ≥ 2/ε suffices" is false: at ε = 1, R = 2.1 (R·ε ∈ (2, r(1)], r(1) ≈ 2.19) F on the disk has a
    # spurious boundary minimum; confirmed by the 60-digit KKT solve
    check = variant_from_expression(DOMAIN, text)
    witness = Objective2D(0.5, 0.0, 1.0, 2.1, "c=0.5")
    assert not check(witness).holds
    with mpmath.workdps(60):
        ev = check(witness.to_mp())
    assert not ev.holds and ev.precision == "mp60" and ev.informative
    assert DOMAIN.evaluate(witness, dps=60).quantities["n_spurious"] == 1


def test_r_eps_at_least_2_suffices_is_refuted_by_the_search():
    from theorems.audit.engine import search

    rep = search(variant_from_expression(DOMAIN, "n_spurious * (R_eps - 2) <= 0"), DOMAIN.strategy(),
                 max_examples=300, seed=0)
    ce = rep.counterexample
    assert ce is not None and ce.confirmed and ce.evaluation_mp.precision == "mp60"
    assert 2 < float(ce.instance.radius * ce.instance.eps) < 2.2 and ce.instance.c == 0.5


@pytest.mark.parametrize("cid", ["section4.remedy.domain", "section4.remedy.depends_on_eps",
                                 "section4.remedy.regularization"])
def test_remedy_count_claims_report_no_ratio(cid):
    # a count against 0 (or ≥ 1) has no tightness: None, not the default 0 (or a constant 1)
    claim = CLAIMS[cid]
    assert claim.evaluate(claim.example()).ratio is None


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(CLAIMS[c], v) for c in REMEDY_IDS for v in CLAIMS[c].controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_remedy_controls_are_refuted(claim, variant):
    check_control(claim, variant)
