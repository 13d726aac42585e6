"""Theorem 6, Eq. (19), Eq. (20) and the SVD step (erratum) (Appendix A)."""


from dataclasses import replace

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies.vector import (
    rank_deficient_stationary_points,
    row_rank_matrices,
    theorem6_attaining_points,
    with_condition,
)
from tests.support import CONTROL_SHRINK_SECONDS, check_claim, check_control, scaled
from theorems import CLAIMS, HypothesisNotMet, refute
from theorems.audit import search
from theorems.core import backend as B
from theorems.model import vector as VM
from theorems.model.vector.constructions import theorem6_attaining_instance
from theorems.model.vector.linalg import s_min, s_min_error_units
from theorems.model.vector.matrix import RowRankMatrix
from theorems.model.vector.quantities import G_blocks, first_order
from theorems.theorem6 import evaluate as thm6_evaluate
from theorems.theorem6 import svd_counterexample
from theorems.theorem6 import theorem6 as THM6
from theorems.theorem6 import theorem6_eq19 as EQ19
from theorems.theorem6 import theorem6_eq20 as EQ20
from theorems.theorem6 import theorem6_no_stationary as NO_STAT
from theorems.theorem6 import theorem6_rank_deficient as RANK_DEF
from theorems.theorem6 import theorem6_svd as SVD
from theorems.theorem6 import theorem6_svd_corrected as SVD_FIX


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


def test_svd_step_corrected_reports_tightness_1_so_the_search_draws_only_valid_examples():
    # an identity that holds is attained: ratio 1 (∞ where it fails); the search's target is then
    # constant instead of rounding noise, and no draw is wasted on hill climbing that noise
    from theorems.theorem6 import evaluate_svd_corrected
    ev = SVD_FIX.evaluate(RowRankMatrix(with_condition(np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 1.0]]), 1e6)))
    assert ev.holds and ev.ratio == 1.0
    bad = evaluate_svd_corrected(RowRankMatrix(np.array([[2.0, 0.0], [0.0, 1.0]])), use_s_max=True)
    assert not bad.holds and bad.ratio is None          # the control keeps the discrepancy as its target
    n = scaled(40)
    rep = search(SVD_FIX.evaluate, SVD_FIX.strategy(), max_examples=n, seed=0)
    assert rep.examples == n and rep.informative == n and rep.discarded <= n


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
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (THM6, EQ19, EQ20, SVD_FIX, NO_STAT) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


# ------------------------------------------------------------------ ill-conditioned W

@pytest.mark.parametrize("kappa", [1e2, 1e4, 1e5, 1e6])
def test_s_min_is_accurate_to_a_few_ulps_at_ill_conditioned_W(kappa):
    # the Rayleigh quotient with Wᵀv in doubled precision, against 60 digits; an eigenvalue of WWᵀ
    # (the former method) is off by ≈ uκ² relative
    rng = np.random.default_rng(int(np.log10(kappa)))
    for m, d in [(2, 2), (2, 3), (3, 4)]:
        W = with_condition(rng.normal(size=(m, d)), kappa)
        with mpmath.workdps(60):
            exact = s_min(B.to_mp(W))
        rel = abs(float((s_min(W) - exact) / exact))
        assert rel <= 8 * 2.0 ** -53, f"s_min relative error {rel:.3g} at κ = {kappa:g}, {m}×{d}"
        assert rel <= s_min_error_units(W) * 2.0 ** -53


def _kappa_instance(kappa=1e5, seed=4):
    inst = VM.random_vector_point(seed, loss="softmax_ce", n=4, d=3, m=2, k=2)
    return replace(inst, W=with_condition(inst.W, kappa))


def test_a_near_violation_within_1e_9_at_kappa_1e5_is_escalated_to_60_digits():
    inst = _kappa_instance()
    ev60 = THM6.evaluate(inst, dps=60)
    assert ev60.holds
    kappa = float(ev60.quantities["W_norm"] / ev60.quantities["s_min"])
    assert 0.9e5 < kappa < 1.1e5
    r = ev60.rhs / ev60.lhs                        # Theorem 6's ratio bound/‖∇F‖ at 60 digits
    assert 0 < r < 1

    def sharpened(factor):
        return lambda i: thm6_evaluate(i, factor=factor)

    above = float((1 + mpmath.mpf("1e-9")) / r)   # violated by 1e-9 relative
    below = float((1 - mpmath.mpf("1e-9")) / r)   # holds by 1e-9 relative
    ev = sharpened(above)(inst)
    assert not ev.holds, f"float64 waved a 1e-9 violation through at κ = {kappa:.3g}: tol {ev.tol:.3g}"
    assert ev.tol < 1e-10 * abs(ev.rhs)
    rep = search(sharpened(above), st.just(inst), max_examples=1)
    assert rep.counterexample is not None and rep.counterexample.confirmed   # judged by 60 digits
    assert sharpened(below)(inst).holds
    assert search(sharpened(below), st.just(inst), max_examples=1).counterexample is None
    # the former scale gap_scale·(1 + κ²)/denominator would have hidden it
    fo = first_order(inst)
    old_tol = 64 * sum(inst.dims) * 2.0 ** -53 * (
        fo.grad_scale + fo.gap_scale * (1 + kappa ** 2) / ev.quantities["denominator"])
    assert old_tol > 1e-9 * abs(ev.rhs)


# ------------------------------------------------------------------ attaining family, informative

@settings(max_examples=scaled(20))
@given(inst=theorem6_attaining_points())
def test_attaining_family__gradient_is_G_over_m_and_lemma3_is_an_equality(inst):
    fo = first_order(inst)
    GW, GV = G_blocks(inst)
    m = inst.W.shape[0]
    # x_i and Vφ_i are ~σ²/s_i and cancel in z_i = 2s_i q_i: rounding relative to their size
    big = (np.abs(inst.sample.X).max() + 1) * (np.abs(inst.W).max() + np.linalg.norm(inst.V, 2) + 1)
    assert float(B.norm(fo.g_W * m - GW, fo.g_V * m - GV)) <= 1e-12 * big * (B.norm(GW, GV) + 1)
    inner = B.asum(GW * fo.g_W) + B.asum(GV * fo.g_V)
    assert abs(float(inner - fo.gap)) <= 1e-12 * big * (float(fo.gap_scale) + 1)
    ev = THM6.evaluate(inst)
    assert ev.holds and ev.informative
    S = np.linalg.svd(inst.W, compute_uv=False)
    if np.allclose(S, S[0], rtol=1e-12):
        assert ev.ratio == pytest.approx(1.0, rel=1e-9)     # Theorem 6 attained


def test_theorem6_is_attained_at_60_digits():
    ev = THM6.evaluate(theorem6_attaining_instance(m=2, d=3, k=2, seed=1), dps=60)
    # attained up to the float64 rounding of the constructed data (orthonormalized Q, A)
    assert ev.holds and abs(ev.lhs - ev.rhs) < mpmath.mpf(10) ** -14 * ev.lhs


def test_informative_definition_of_theorem6():
    inst = VM.random_vector_point(2, loss="squared", n=3, d=3, m=2, k=2)
    zero_gap = replace(inst, W_star=inst.W.copy(), V=0 * inst.V)          # F(W, 0) = F_lin(W): gap = 0
    assert THM6.evaluate(zero_gap).informative is False
    assert THM6.evaluate(theorem6_attaining_instance()).informative is True


# ------------------------------------------------------------------ the rank sentence

@settings(max_examples=scaled(20))
@given(inst=rank_deficient_stationary_points())
def test_rank_deficient_family__exactly_stationary_above_F_lin_with_W_rank_deficient(inst):
    assert np.linalg.matrix_rank(inst.W) < inst.W.shape[0]
    for i in (inst, inst.to_mp()):
        fo = first_order(i)
        assert fo.grad_norm == 0
        assert fo.gap > 0


def test_the_exception_of_the_rank_sentence_is_real():
    ce = refute(RANK_DEF.evaluate, RANK_DEF.strategy(), max_examples=50, seed=0,
                shrink_seconds=CONTROL_SHRINK_SECONDS)
    assert ce is not None and ce.confirmed
    fo = first_order(ce.instance.to_mp())
    assert fo.grad_norm == 0 and fo.gap > 0


@settings(max_examples=scaled(20))
@given(inst=NO_STAT.strategy())
def test_no_stationary_point_above_F_lin_at_full_row_rank(inst):
    check_claim(NO_STAT, inst)


def test_theorem6_without_the_rank_hypothesis_fails_on_the_rank_deficient_family():
    form = THM6.form
    drop = {d.hypothesis: d for d in form.without_hypothesis}["W full row rank"]
    ce = refute(drop.check, drop.strategy(), max_examples=50, seed=0, shrink_seconds=CONTROL_SHRINK_SECONDS)
    assert ce is not None and ce.confirmed


# ------------------------------------------------------------------ the SVD witness is simple

def test_svd_step_witness_is_a_small_integer_matrix_and_nothing_else():
    # the audit's shrinking budget (2 s): the witness shrinks to a 2 × 2 0/1 matrix
    ce = refute(SVD.evaluate, SVD.strategy(), max_examples=200, seed=0, shrink_seconds=2.0)
    assert ce is not None and ce.confirmed
    assert isinstance(ce.instance, RowRankMatrix)
    assert set(ce.instance.to_json()) == {"type", "W"}
    W = ce.instance.W
    assert W.shape == (2, 2) and set(np.unique(W)) <= {0.0, 1.0}, W


@settings(max_examples=scaled(20))
@given(inst=row_rank_matrices())
def test_row_rank_matrices_have_full_row_rank(inst):
    m, d = inst.W.shape
    assert m <= d and np.linalg.matrix_rank(inst.W) == m


# ---------------------------------------------------------------- issue 22: further steps of the proof

NEW6 = ("theorem6.svd_identity", "theorem6.norm_facts", "theorem6.parallelogram", "theorem6.eq20_at_most")


@settings(max_examples=scaled(20))
@given(inst=row_rank_matrices())
def test_thin_svd_gives_the_right_inverse_as_printed(inst):
    check_claim(CLAIMS["theorem6.svd_identity"], inst)


@settings(max_examples=scaled(20))
@given(inst=CLAIMS["theorem6"].strategy())
def test_norm_facts_parallelogram_and_eq20_at_most(inst):
    for cid in NEW6[1:]:
        check_claim(CLAIMS[cid], inst)


def test_parallelogram_and_eq20_at_most_are_attained_on_the_attaining_family():
    @settings(max_examples=scaled(5))
    @given(inst=theorem6_attaining_points())
    def run(inst):
        ev = CLAIMS["theorem6.parallelogram"].evaluate(inst)
        assert ev.holds and ev.ratio == pytest.approx(1.0, abs=1e-12), ev.message()     # W* = −W
    run()


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(CLAIMS[c], v) for c in NEW6 for v in CLAIMS[c].controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_new_negative_controls_are_refuted(claim, variant):
    check_control(claim, variant)
