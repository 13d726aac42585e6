"""Lemma 3, Eq. (21), Eq. (22) and the gradient formulas of its proof (Appendix A)."""

import json
from dataclasses import replace

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from strategies.sgd import sgd_runs
from strategies.vector import full_rank_points, probe_points, square_points, vector_points
from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS, HypothesisNotMet
from theorems.core import backend as B
from theorems.core.serialization import instance_from_json
from theorems.lemma3 import lemma3 as LEMMA3
from theorems.lemma3 import lemma3_eq21 as EQ21
from theorems.lemma3 import lemma3_eq22 as EQ22
from theorems.lemma3 import lemma3_gradients as GRADS
from theorems.model import vector as VM
from theorems.model.vector.quantities import first_order


@settings(max_examples=scaled(30))
@given(inst=LEMMA3.strategy())
def test_W_full_row_rank__inner_product_of_G_and_gradient_ge_gap(inst):
    check_claim(LEMMA3, inst)


@settings(max_examples=scaled(30))
@given(inst=EQ21.strategy())
def test_eq21__inner_product_with_W_minus_Wstar_equals_expectation(inst):
    check_claim(EQ21, inst)


@settings(max_examples=scaled(30))
@given(inst=EQ22.strategy())
def test_eq22__inner_product_with_right_inverse_term_equals_expectation(inst):
    check_claim(EQ22, inst)


@settings(max_examples=scaled(30))
@given(inst=GRADS.strategy())
def test_gradients__closed_form_equals_directional_derivative(inst):
    check_claim(GRADS, inst)


@pytest.mark.parametrize("loss", ["softmax_ce", "squared"])
def test_lemma3_slack_is_the_expected_bregman_divergence(loss):
    # ⟨vec G, ∇F⟩ − gap = E[ℓ(W*x) − ℓ(p) − ∇ℓ(p)ᵀ(W*x − p)]: the convexity step is the only slack
    inst = VM.random_vector_point(11, loss=loss, n=4, d=3, m=2, k=2)
    with mpmath.workdps(60):
        mi = inst.to_mp()
        ev = LEMMA3.evaluate_fn(mi)
        fo = first_order(mi)
        s = mi.sample
        G = mi.loss.grad(fo.P, s.Y)
        breg = B.asum(s.p * (-mi.loss.diff(fo.P, fo.P_star, s.Y)
                             - np.array([B.dot(G[i], fo.P_star[i] - fo.P[i]) for i in range(s.n)], dtype=object)))
        assert breg >= 0
        assert abs(ev.lhs - ev.rhs - breg) < mpmath.mpf(10) ** -45, \
            f"slack {float(ev.lhs - ev.rhs)!r}, but should equal E[Bregman] = {float(breg)!r} [Lemma 3]"


def test_rank_deficient_and_wide_W_are_rejected_naming_the_hypothesis():
    inst = LEMMA3.example()
    flat = replace(inst, W=np.outer(inst.W[:, 0], inst.W[0]))           # rank 1 < m = 2
    with pytest.raises(HypothesisNotMet, match=r"argument 'W': s_min\(W\).*full row rank"):
        LEMMA3.evaluate(flat)
    wide = VM.random_vector_point(1, loss="squared", n=3, d=1, m=2, k=1)   # m > d
    with pytest.raises(HypothesisNotMet, match=r"m > d.*full row rank"):
        LEMMA3.evaluate(wide)
    with pytest.raises(HypothesisNotMet, match=r"argument 'W_star'"):
        LEMMA3.evaluate(replace(inst, W_star=None))


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (LEMMA3, EQ21, EQ22, GRADS) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


# ----------------------------------------------------------------- bad input, named

def test_bad_model_input_raises_naming_the_argument():
    X, Phi, p = np.ones((2, 2)), np.ones((2, 1)), np.array([0.5, 0.5])
    with pytest.raises(ValueError, match=r"argument 'Y'"):
        VM.VectorSample(X, np.ones((3, 2)), p, Phi)
    with pytest.raises(ValueError, match=r"argument 'p'.*probability"):
        VM.VectorSample(X, np.ones((2, 2)), np.array([0.7, 0.7]), Phi)
    with pytest.raises(ValueError, match=r"argument 'labels'"):
        VM.VectorSample.from_labels(X, [0, 5], 3, p, Phi)
    s = VM.VectorSample(X, np.array([[0.5, 0.5], [1.0, 0.0]]), p, Phi)
    with pytest.raises(ValueError, match=r"argument 'Y'.*one-hot"):
        VM.VectorPoint(s, VM.softmax_ce(), np.ones((2, 2)), np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"argument 'W'.*shape"):
        VM.VectorPoint(s, VM.squared(), np.ones((3, 2)), np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"argument 'terms\[0\]'.*≥ 0"):
        VM.combination([(-1.0, VM.squared())])
    with pytest.raises(ValueError, match=r"argument 'name'"):
        VM.by_name("hinge")


@pytest.mark.parametrize("factory,kwargs", [
    (vector_points, {"rank": "low"}), (vector_points, {"max_d": 0}), (vector_points, {"losses": ["hinge"]}),
    (sgd_runs, {"max_T": 0}), (probe_points, {"max_m": 1}), (probe_points, {"start_kinds": ["nope"]}),
    (full_rank_points, {"rank": "any"}), (square_points, {"max_d": 0}),
], ids=lambda x: getattr(x, "__name__", str(x)))
def test_bad_strategy_arguments_raise_invalid_argument(factory, kwargs):
    with pytest.raises(InvalidArgument, match=next(iter(kwargs))):
        factory(**kwargs).example()


@settings(max_examples=scaled(30))
@given(inst=vector_points(rank="full"))
def test_full_rank_strategy_builds_full_row_rank_W(inst):
    m, d = inst.W.shape
    sv = np.linalg.svd(inst.W, compute_uv=False)
    assert m <= d and sv[-1] >= 1e-7 * sv[0] > 0, f"s = {sv}, but W should have full row rank [strategy]"


@settings(max_examples=scaled(30))
@given(inst=vector_points(rank="deficient"))
def test_deficient_strategy_builds_rank_deficient_W(inst):
    m, d = inst.W.shape
    assert m > d or np.linalg.matrix_rank(inst.W) < m, "W should be rank-deficient [strategy]"


def test_first_order_gradient_is_the_model_gradient_exactly():
    # one gradient for the vector model: Lemma 3's first-order quantities reuse it bit for bit
    for seed, loss in ((0, "softmax_ce"), (1, "squared")):
        inst = VM.random_vector_point(seed, loss=loss, n=4, d=3, m=2, k=2)
        fo = first_order(inst)
        g_W, g_V = VM.gradient(inst.sample, inst.loss, inst.W, inst.V)
        assert np.array_equal(fo.g_W, g_W) and np.array_equal(fo.g_V, g_V), "first_order's ∇F ≠ VM.gradient"


def test_vector_instances_keep_their_json_form_and_replay_by_type():
    inst = VM.random_vector_point(3, loss="squared", extras={"D_W": (2, 3)})
    d = inst.to_json()
    assert list(d) == ["type", "sample", "loss", "W", "V", "W_star", "extras", "meta"]
    assert d["type"] == "VectorPoint" and d["loss"] == {"name": "squared"}
    assert list(d["sample"]) == ["X", "Y", "p", "Phi"]
    again = instance_from_json(json.loads(json.dumps(d)))
    assert type(again) is VM.VectorPoint and again.to_json() == d
    run = VM.SGDRun(VM.squared(), np.ones((2, 1)), np.ones((2, 1)), np.zeros((2, 1)), 1.5, 2.0, np.zeros((1, 1)),
                    np.zeros((1, 1)), np.zeros((1, 1)), {"corner": "generic"})
    r = run.to_json()
    assert list(r) == ["type", "loss", "X", "Phi", "Y", "b", "c", "W1", "U1", "W_c", "meta"] and r["b"] == 1.5
    assert instance_from_json(json.dumps(r)).to_json() == r
    with mpmath.workdps(60):
        assert isinstance(run.to_mp().b, mpmath.mpf) and inst.to_mp().extras["D_W"].dtype == object


def test_informative_definition_of_lemma3():
    from theorems.model.vector.constructions import theorem6_attaining_instance
    inst = VM.random_vector_point(2, loss="squared", n=3, d=3, m=2, k=2)
    zero_gap = replace(inst, W_star=inst.W.copy(), V=0 * inst.V)          # gap = 0: 0 ≥ 0 tests nothing
    assert LEMMA3.evaluate(zero_gap).informative is False
    ev = LEMMA3.evaluate(theorem6_attaining_instance())
    assert ev.informative is True
    assert ev.ratio == pytest.approx(1.0, rel=1e-9)        # Lemma 3 is an equality for the linear loss


def test_lemma3_without_convexity_is_refuted_on_the_concave_family():
    from theorems import refute
    drop = LEMMA3.form.without_hypothesis[0]

    @settings(max_examples=scaled(10))
    @given(inst=drop.strategy())
    def family_loss_is_concave(inst):
        P = inst.sample.X @ inst.W.T
        assert np.all(np.linalg.eigvalsh(inst.loss.hess(P, inst.sample.Y)) <= 0)

    family_loss_is_concave()
    ce = refute(drop.check, drop.strategy(), max_examples=100, seed=0, shrink_seconds=0.1)
    assert ce is not None and ce.confirmed


@pytest.mark.parametrize("kappa", [1e4, 1e6])
def test_right_inverse_from_QR_is_accurate_to_u_kappa(kappa):
    from strategies.vector import with_condition
    W = with_condition(np.random.default_rng(1).normal(size=(2, 3)), kappa)
    with mpmath.workdps(60):
        exact = VM.right_inverse(B.to_mp(W))
        err = max(abs(float(a - b)) for a, b in zip(VM.right_inverse(W).ravel(), exact.ravel()))
        norm = float(B.spectral_norm(exact))
    assert err <= 64 * 2.0 ** -53 * kappa * norm


# ---------------------------------------------------------------- issue 22: the summed identity

SUMMED = CLAIMS["lemma3.summed"]


@settings(max_examples=scaled(20))
@given(inst=SUMMED.strategy())
def test_summed_identity__G_dot_gradient_equals_expectation_of_d_l_times_prediction_difference(inst):
    check_claim(SUMMED, inst)


@pytest.mark.control
@pytest.mark.parametrize("variant", SUMMED.controls, ids=lambda v: v.name)
def test_summed_negative_control_is_refuted(variant):
    check_control(SUMMED, variant)
