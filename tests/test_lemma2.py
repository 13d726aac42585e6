"""Lemma 2 (Sec. 6.2): λ_min([[b, uᵀ], [u, 0]]) ≤ 0 and ‖u‖² = |bλ_min| + λ_min² — true iff b ≥ 0."""

import math

import numpy as np
import pytest
from hypothesis import given, settings

from strategies.second_order import lemma2_matrices
from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS
from theorems.audit.engine import confirm
from theorems.lemma2 import counterexample
from theorems.lemma2 import evaluate as lemma2_evaluate
from theorems.model.arrow import Lemma2Matrix

LEMMA2, CORRECTED = CLAIMS["lemma2"], CLAIMS["lemma2.corrected"]


@settings(max_examples=scaled(30))
@given(inst=CORRECTED.strategy())
def test_b_nonnegative__lambda_min_nonpositive_and_u2_eq_abs_b_lambda_plus_lambda2(inst):
    check_claim(CORRECTED, inst)


def test_literal_lemma2_is_refuted_by_the_pinned_minimal_counterexample():
    # erratum: b = −1, u = (0): M = diag(−1, 0), λ_min = −1, ‖u‖² = 0 but |bλ_min| + λ_min² = 2
    inst = counterexample()
    ev = LEMMA2.evaluate(inst, dps=60)
    assert not ev.holds, f"{ev.message()}, but the pinned counterexample should refute Lemma 2"
    assert float(ev.quantities["lambda_min"]) == -1.0 and float(ev.lhs) == 0.0 and float(ev.rhs) == 2.0
    assert LEMMA2.erratum["correction"] == "lemma2.corrected" and "lemma2.corrected" in CLAIMS


@settings(max_examples=scaled(30))
@given(inst=lemma2_matrices(b_sign="negative"))
def test_every_negative_b_refutes_the_literal_identity(inst):
    # exactly when it holds: the identity fails for every b < 0 (it differs by 2bλ_min > 0)
    ev = LEMMA2.evaluate(inst)
    if ev.holds:
        ev = confirm(LEMMA2.evaluate, inst)
    assert not ev.holds, f"{ev.message()}: b = {inst.b} < 0 should refute the identity [Lemma 2]"


@settings(max_examples=scaled(30))
@given(inst=lemma2_matrices())
def test_first_part_lambda_min_nonpositive_and_the_sign_free_identity_hold_for_every_b(inst):
    ev = lemma2_evaluate(inst, identity=lambda b, l: l * l - b * l)   # ‖u‖² = λ² − bλ for all b
    assert ev.holds, ev.message()
    lam, b, u2 = ev.quantities["lambda_min"], inst.b, float(inst.u @ inst.u)
    closed = 0.5 * (b - math.sqrt(b * b + 4 * u2))
    assert abs(lam - closed) <= 1e-13 * (abs(b) + math.sqrt(u2) + 1e-300) * 8, \
        f"λ_min = {lam!r}, but should be ½(b − √(b² + 4‖u‖²)) = {closed!r} [Lemma 2, proof]"


@pytest.mark.parametrize("b,u,holds", [(0.0, [0.0], True), (2.0, [0.0, 0.0], True), (-3.0, [0.0], False),
                                       (0.0, [3.0, 4.0], True), (-1e-3, [1.0], False), (5.0, [1.0, 2.0], True)],
                         ids=lambda x: repr(x))
def test_lemma2_cases_u_zero_and_both_signs_of_b(b, u, holds):
    ev = LEMMA2.evaluate(Lemma2Matrix(b, np.array(u)), dps=60)
    assert ev.holds is holds, f"{ev.message()}; expected holds={holds} (identity holds iff b ≥ 0)"


def test_bad_instances_are_rejected_naming_the_argument():
    with pytest.raises(ValueError, match="argument 'u'"):
        Lemma2Matrix(1.0, np.array([]))
    with pytest.raises(ValueError, match="argument 'b'"):
        Lemma2Matrix(float("nan"), np.array([1.0]))
    from theorems import HypothesisNotMet
    with pytest.raises(HypothesisNotMet, match="argument 'b'.*requires b ≥ 0"):
        CORRECTED.evaluate(counterexample())


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (LEMMA2, CORRECTED) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


# ---------------------------------------------------------------- steps of Lemma 2's proof

CLOSED, NEG, NEG_FIX = CLAIMS["lemma2.closed_form"], CLAIMS["lemma2.lambda_negative"], \
    CLAIMS["lemma2.lambda_negative.corrected"]


@settings(max_examples=scaled(20))
@given(inst=CLOSED.strategy())
def test_lambda_min_is_the_circle_minimum_and_half_b_minus_sqrt(inst):
    check_claim(CLOSED, inst)


@settings(max_examples=scaled(20))
@given(inst=NEG_FIX.strategy())
def test_lambda_min_negative_when_u_nonzero_or_b_negative(inst):
    check_claim(NEG_FIX, inst)


def test_proofs_lambda_min_negative_is_refuted_by_b_zero_u_zero():
    # erratum: b = 0, u = (0): M = 0, λ_min = 0, not < 0 (harmless for Lemma 2's identity)
    ev = NEG.evaluate(Lemma2Matrix(0.0, np.array([0.0])), dps=60)
    assert not ev.holds and float(ev.quantities["lambda_min"]) == 0.0, ev.message()
    assert NEG.erratum["correction"] == "lemma2.lambda_negative.corrected"


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (CLOSED, NEG_FIX) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_proof_step_control_is_refuted(claim, variant):
    check_control(claim, variant)
