"""Theorem 6, Eq. (19), Eq. (20) and the SVD step (erratum) (Appendix A)."""


import mpmath
import pytest
from hypothesis import given, settings

from theorems import HypothesisNotMet, refute
from theorems.model import vector as VM
from theorems.theorem6 import (svd_counterexample, theorem6 as THM6, theorem6_eq19 as EQ19, theorem6_eq20 as EQ20,
                               theorem6_svd as SVD, theorem6_svd_corrected as SVD_FIX)
from tests.support import CONTROL_SHRINK_SECONDS, check_claim, check_control, scaled


@settings(max_examples=scaled(30))
@given(inst=THM6.strategy())
def test_W_full_row_rank__grad_norm_ge_gap_over_sqrt_2W2_plus_Wstar2_times_2_plus_V2_over_smin2(inst):
    check_claim(THM6, inst)


@settings(max_examples=scaled(30))
@given(inst=EQ19.strategy())
def test_eq19__grad_norm_ge_gap_over_frobenius_norm_of_G(inst):
    check_claim(EQ19, inst)


@settings(max_examples=scaled(30))
@given(inst=EQ20.strategy())
def test_eq20__frobenius_norm_of_G_le_its_norm_product_bound(inst):
    check_claim(EQ20, inst)


@settings(max_examples=scaled(30))
@given(inst=SVD_FIX.strategy())
def test_svd_step_corrected__norm_of_right_inverse_equals_one_over_smin(inst):
    check_claim(SVD_FIX, inst)


def test_eq19_is_never_weaker_than_theorem6():
    # the proof only enlarges the denominator from Eq. (19) to Theorem 6
    for seed in range(5):
        inst = VM.random_vector_point(seed, loss="squared", n=4, d=3, m=2, k=2)
        assert EQ19.evaluate(inst).quantities["G_fro"] <= THM6.evaluate(inst).quantities["denominator"]


def test_svd_step_as_printed_is_refuted_by_the_pinned_counterexample():
    # Erratum: ‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ is false for W = [[1, 1], [0, 1]]: 1 + √2 ≠ (1 + √5)/2
    inst = svd_counterexample()
    ev = SVD.evaluate(inst, dps=60)
    assert not ev.holds, f"{ev.message()}: the printed SVD step should fail here [{SVD.source}]"
    with mpmath.workdps(60):
        assert abs(ev.lhs - (1 + mpmath.sqrt(2))) < mpmath.mpf(10) ** -50
        assert abs(ev.rhs - (1 + mpmath.sqrt(5)) / 2) < mpmath.mpf(10) ** -50
    # the corrected statement (transpose restored) and Theorem 6 itself hold on the same W
    assert SVD_FIX.evaluate(inst, dps=60).holds
    assert SVD.erratum["correction"] == SVD_FIX.id and SVD.kind == "literal"


def test_svd_step_as_printed_is_refuted_by_search_with_a_confirmed_counterexample():
    ce = refute(SVD.evaluate, SVD.strategy(), max_examples=200, seed=0, shrink_seconds=CONTROL_SHRINK_SECONDS)
    assert ce is not None and ce.confirmed, "the printed SVD step should be refuted [Appendix A]"
    m, d = ce.instance.W.shape
    assert m == d


def test_svd_step_is_undefined_for_non_square_W():
    with pytest.raises(HypothesisNotMet, match=r"only defined for square W"):
        SVD.evaluate(VM.random_vector_point(0, loss="squared", n=3, d=3, m=2, k=1))


def test_theorem6_bound_is_unaffected_by_the_svd_typo():
    # Eq. (20) uses ‖Wᵀ(WWᵀ)⁻¹‖ = s_min⁻¹, so Eq. (20)'s right side equals Theorem 6's middle term
    inst = VM.random_vector_point(3, loss="softmax_ce", n=4, d=3, m=2, k=2)
    ev20, ev6 = EQ20.evaluate(inst, dps=60), THM6.evaluate(inst, dps=60)
    assert ev20.holds and ev6.holds


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (THM6, EQ19, EQ20, SVD_FIX) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)
