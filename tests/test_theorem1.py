"""Theorem 1 and Eq. (6) (Sec. 3, Sec. 6.1): ‖∇F_θ(w,V)‖ ≥ gap / denominator whenever w ≠ 0."""

import pytest
from hypothesis import given

from tests.support import check_claim, check_control
from theorems import CLAIMS, HypothesisNotMet
from theorems.model.constructions import theorem1_attaining_instance as attaining_instance

THM1, EQ6 = CLAIMS["theorem1"], CLAIMS["theorem1.eq6"]


@given(inst=THM1.strategy())
def test_w_nonzero__grad_norm_ge_gap_over_sqrt_2w2_plus_wstar2_times_2_plus_V2_over_w2(inst):
    check_claim(THM1, inst)


@given(inst=EQ6.strategy())
def test_eq6__grad_norm_ge_gap_over_frobenius_norm_of_G(inst):
    check_claim(EQ6, inst)


@pytest.mark.parametrize("d,k", [(1, 1), (2, 3), (5, 2)])
def test_bound_is_attained_by_the_linear_loss_construction(d, k):
    inst = attaining_instance(d, k, seed=d + k)
    for claim in (THM1, EQ6):
        ev = claim.evaluate(inst, dps=60)
        assert ev.holds and abs(float(ev.ratio) - 1) < 1e-40, \
            f"tightness ratio {float(ev.ratio)!r}, but should be 1 (attained) [{claim.source}]"


def test_eq6_is_never_weaker_than_theorem1():
    # the proof only enlarges the denominator from Eq. (6) to Theorem 1
    inst = THM1.example()
    assert EQ6.evaluate(inst).quantities["G_fro"] <= THM1.evaluate(inst).quantities["denominator"]


def test_w_zero_is_rejected_naming_the_hypothesis():
    from dataclasses import replace
    inst = THM1.example()
    bad = replace(inst, w=0 * inst.w)
    for claim in (THM1, EQ6):
        with pytest.raises(HypothesisNotMet, match=r"argument 'w': w = 0.*requires w ≠ 0"):
            claim.evaluate(bad)


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (THM1, EQ6) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


def test_eq6_at_G_zero_checks_the_undivided_form_zero_ge_gap():
    # G = 0 when w* = w and Vᵀw* = 0: the quotient of Eq. (6) is undefined, the proof's
    # ‖G‖·‖∇F‖ ≥ gap reads 0 ≥ gap, and the gap is 0 there (the predictions equal wᵀx)
    from dataclasses import replace

    import numpy as np
    inst = THM1.example()
    w = np.zeros(len(inst.w))
    w[0] = 1.5                                   # w = w* ∝ e₁ and V's first row 0: Vᵀw* = 0 exactly
    V = inst.V.copy()
    V[0] = 0.0
    at_zero = replace(inst, w=w, V=V, w_star=w.copy())
    for dps in (None, 60):
        ev = EQ6.evaluate(at_zero, dps=dps)
        assert ev.holds and float(ev.quantities["G_fro"]) == 0 and ev.quantities["bound"] is None
        assert abs(float(ev.quantities["gap"])) <= ev.tol + 1e-12
        assert {"grad_norm", "gap", "G_fro", "w_norm", "w_star_norm", "V_norm"} <= set(ev.quantities)
        assert ev.hypotheses == {"w != 0": True} and ev.source == EQ6.source
    assert "G = 0" in ev.label


def test_gap_and_linear_gradient_agree_with_their_definitions():
    import numpy as np

    from theorems.model import gap, linear_gradient, linear_objective, objective
    inst = THM1.example()
    s, loss = inst.sample, inst.loss
    g = gap(s, loss, inst.w, inst.V, inst.w_star)
    direct = objective(s, loss, inst.w, inst.V) - linear_objective(s, loss, inst.w_star)
    assert abs(g - direct) <= 1e-12 * (1 + abs(direct))
    u, h = inst.w_star, 1e-6
    num = np.array([(linear_objective(s, loss, u + h * e) - linear_objective(s, loss, u - h * e)) / (2 * h)
                    for e in np.eye(len(u))])
    assert np.allclose(linear_gradient(s, loss, u), num, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- Sec. 6.1 steps and the remark after Theorem 1

_STEPS = ("theorem1.cauchy_schwarz.corrected", "theorem1.denominator_bound", "theorem1.parallelogram",
          "theorem1.footnote2", "theorem1.nonzero_gradient")


@pytest.mark.parametrize("cid", _STEPS)
def test_sec61_step_holds_on_its_strategy(cid):
    from hypothesis import settings

    from tests.support import scaled
    claim = CLAIMS[cid]

    @settings(max_examples=scaled(10))
    @given(inst=claim.strategy())
    def prop(inst):
        check_claim(claim, inst)
    prop()


def test_cauchy_schwarz_display_is_refuted_by_the_pinned_minimal_counterexample():
    # erratum: d = 2, k = 1, linear loss; G = ∇F = [[0, 1], [1, 0]]: ‖G‖ = 1, ‖∇F‖ = √2, gap = 2
    from theorems.theorem1 import cauchy_schwarz_counterexample
    claim = CLAIMS["theorem1.cauchy_schwarz"]
    ev = claim.evaluate(cauchy_schwarz_counterexample(), dps=60)
    assert not ev.holds, f"{ev.message()}, but the pinned counterexample should refute the spectral middle term"
    q = ev.quantities
    assert float(q["G_norm"]) == 1.0 and float(q["gap"]) == 2.0 and abs(q["grad_norm"] ** 2 - 2) < 1e-50
    fixed = CLAIMS["theorem1.cauchy_schwarz.corrected"].evaluate(cauchy_schwarz_counterexample(), dps=60)
    assert fixed.holds and abs(float(fixed.ratio) - 1) < 1e-40, "the Frobenius chain is attained there"
    assert claim.erratum["correction"] == "theorem1.cauchy_schwarz.corrected"


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(CLAIMS[c], v) for c in _STEPS for v in CLAIMS[c].controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_sec61_step_control_is_refuted(claim, variant):
    check_control(claim, variant)
