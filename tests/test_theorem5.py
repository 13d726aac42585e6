"""Theorem 5 (Sec. 6.4): projected OGD has regret ≤ (2/c + c/2)·b·l·√T for η = c·b/(l√T)."""

import json

import numpy as np
import pytest
from hypothesis import given, settings

from strategies.online import ogd_attaining_instances
from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS, HypothesisNotMet
from theorems.model.convex_functions import ConvexFn
from theorems.model.convex_sets import Ball, Box
from theorems.model.ogd import K, OGDInstance
from theorems.theorem5 import example

THM5, TELE = CLAIMS["theorem5"], CLAIMS["theorem5.telescoping"]


@settings(max_examples=scaled(30))
@given(inst=THM5.strategy(max_T=64))
def test_regret_le_2_over_c_plus_c_over_2_times_b_l_sqrtT(inst):
    check_claim(THM5, inst)


@settings(max_examples=scaled(30))
@given(inst=TELE.strategy(max_T=64))
def test_regret_le_dist_x1_x_sq_over_2eta_plus_eta_over_2_sum_grad_sq(inst):
    check_claim(TELE, inst)


@pytest.mark.parametrize("d", [1, 3])
def test_the_constant_is_attained_at_T_1_and_c_2(d):
    # T = 1: regret = g(x_1) − g(x) = l·‖x_1 − x‖ = 2bl for x_1 = b·u, x = −b·u, g = l·⟨u, ·⟩; K(2) = 2
    u = np.eye(d)[0]
    inst = OGDInstance(Ball(np.zeros(d), 1.5), (ConvexFn("linear", 0.7 * u[None], np.zeros(1)),), 1, 2.0,
                       1.5 * u, -1.5 * u)
    ev = THM5.evaluate(inst, dps=60)
    assert ev.holds and abs(float(ev.ratio) - 1) < 1e-40, f"ratio {float(ev.ratio)}, but should be 1 (attained)"


@pytest.mark.parametrize("c", [0.2, 10.0])
def test_both_terms_of_the_constant_are_needed(c):
    # a fixed linear g from the far end (small c: the 2/c term) and the iterate-chasing adversary
    # (large c: the c/2 term) each reach ≥ 70% of (2/c + c/2)·b·l·√T at 60 digits
    inst = example(T=100, c=c, adversary="fixed" if c < 1 else "chase")
    ev = THM5.evaluate(inst, dps=60)
    assert ev.holds and float(ev.ratio) >= 0.7, f"tightness {float(ev.ratio):.3f}, but should be ≥ 0.7 [c={c}]"


def test_high_precision_rerun_agrees_with_float64_for_an_oblivious_sequence():
    inst = OGDInstance(Box(np.array([-1.0, 0.0]), np.array([1.0, 2.0])),
                       (ConvexFn("logistic", np.array([[1.0, -2.0]]), np.array([0.3])),
                        ConvexFn("max_affine", np.array([[1.0, 0.0], [-1.0, 1.0]]), np.array([0.0, -0.5]))),
                       200, 1.0, np.array([0.0, 0.0]), np.array([1.0, 2.0]), "random_signs", 7)
    ev, ev_mp = THM5.evaluate(inst), THM5.evaluate(inst, dps=60)
    assert ev.holds and ev_mp.holds
    assert abs(float(ev.quantities["regret"]) - float(ev_mp.quantities["regret"])) < 1e-9 * float(ev.rhs)
    assert ev.quantities["T"] == 200 and float(ev.quantities["eta"]) == pytest.approx(1.0 * 2 ** 0.5 * 1 / (
        float(ev.quantities["l"]) * 200 ** 0.5) * float(ev.quantities["b"]) / 2 ** 0.5)


def test_K_is_minimal_at_c_2():
    cs = np.linspace(0.1, 10, 1000)
    assert K(2.0) == 2.0 and np.all(K(cs) >= 2.0 - 1e-15)


def test_instance_json_round_trip_gives_the_same_verdict():
    inst = example(T=30, c=0.5)
    again = OGDInstance.from_json(json.loads(json.dumps(inst.to_json())))
    assert float(THM5.evaluate(again).lhs) == float(THM5.evaluate(inst).lhs)


def test_degenerate_hypotheses_are_rejected_naming_them():
    g = ConvexFn("linear", np.ones((1, 1)), np.zeros(1))
    point = OGDInstance(Ball(np.zeros(1), 0.0), (g,), 5, 1.0, np.zeros(1), np.zeros(1))
    with pytest.raises(HypothesisNotMet, match=r"argument 'X'.*b > 0"):
        THM5.evaluate(point)
    flat = OGDInstance(Ball(np.zeros(1), 1.0), (ConvexFn("linear", np.zeros((1, 1)), np.ones(1)),), 5, 1.0,
                       np.zeros(1), np.zeros(1))
    with pytest.raises(HypothesisNotMet, match=r"argument 'fns'.*l = 0"):
        THM5.evaluate(flat)
    with pytest.raises(ValueError, match=r"argument 'c'"):
        OGDInstance(Ball(np.zeros(1), 1.0), (g,), 5, -1.0, np.zeros(1), np.zeros(1))
    with pytest.raises(ValueError, match=r"argument 'adversary'"):
        OGDInstance(Ball(np.zeros(1), 1.0), (g,), 5, 1.0, np.zeros(1), np.zeros(1), "clairvoyant")


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (THM5, TELE) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


def test_informative_means_the_bound_is_below_the_largest_possible_regret():
    # T = 1, c = 2 on a centred ball: the bound 2bl equals T·l·diam(X), so it cannot fail there
    at_cap = OGDInstance(Ball(np.zeros(2), 1.0), (ConvexFn("linear", np.array([[1.0, 0.0]]), np.zeros(1)),), 1, 2.0,
                         np.array([1.0, 0.0]), np.array([-1.0, 0.0]))
    ev = THM5.evaluate(at_cap)
    assert ev.informative is False and float(ev.rhs) >= float(ev.quantities["regret_cap"])
    ev = THM5.evaluate(example(T=100, c=2.0))
    assert ev.informative is True and float(ev.rhs) < float(ev.quantities["regret_cap"])
    # the telescoping bound: ‖x_1 − x‖²/(2η) + (η/2)Σ‖∇‖² vs the same cap
    assert TELE.evaluate(example(T=100, c=2.0)).informative is True


@pytest.mark.parametrize("X,diam", [(Ball(np.zeros(3), 1.5), 3.0),
                                    (Box(np.array([0.0, -1.0]), np.array([3.0, 3.0])), 5.0)])
def test_set_diameter_is_exact(X, diam):
    assert float(X.diameter()) == pytest.approx(diam, rel=1e-15)


@settings(max_examples=scaled(20))
@given(inst=ogd_attaining_instances())
def test_attaining_family_reaches_the_bound(inst):
    # the family's defining property: ≥ 90% of (2/c + c/2)·b·l·√T in every regime (T = 1, c = 2: all of it)
    ev = THM5.evaluate(inst)
    assert ev.holds and float(ev.ratio) >= 0.9, \
        f"tightness {float(ev.ratio):.3f}, but should be ≥ 0.9 [{inst.describe()}]"


def test_a_convex_functions_offset_is_named_offset_and_old_files_with_c_still_load():
    # in Theorem 5's instance JSON, "c" is the step constant; the offset vector of each g_t is "offset"
    import numpy as np

    from theorems.model.convex_functions import ConvexFn

    g = ConvexFn.from_json({"kind": "hinge", "A": [[1.0, 0.0]], "c": [0.5]})   # written before the rename
    assert "offset" in g.to_json() and "c" not in g.to_json()
    assert np.array_equal(ConvexFn.from_json(g.to_json()).c, np.array([0.5]))
