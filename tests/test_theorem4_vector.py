"""The vector-valued Theorem 4 (Appendix A, last paragraph): its deterministic regret bound (Eq. 18
for (W, U)) and its high-probability bound over repeated SGD runs."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies.sgd import sgd_experiments, sgd_runs, vector_attaining_runs, vector_experiments
from tests.support import check_claim, check_control, scaled
from theorems import HypothesisNotMet
from theorems.core import backend as B
from theorems.model import losses as L
from theorems.model import vector as VM
from theorems.model.convex_sets import Ball, Box, Product
from theorems.model.repeated_runs import run_objectives, sample_indices
from theorems.model.residual_net import ResidualNet
from theorems.model.vector.experiment import VectorSGDExperiment
from theorems.theorem4_vector import attaining_run, example_high_probability, example_sgd
from theorems.theorem4_vector import theorem6_vector_sgd as SGD
from theorems.theorem4_vector import theorem6_vector_sgd_high_probability as HP


@settings(max_examples=scaled(30))
@given(run=SGD.strategy(max_T=12))
def test_vector_sgd__average_regret_le_2_over_c_plus_c_over_2_times_bl_over_sqrtT(run):
    check_claim(SGD, run)


@settings(max_examples=scaled(30))
@given(run=sgd_runs(max_T=12))
def test_projected_sgd_iterates_stay_in_the_ball(run):
    # a large step (η = 1): the projection is what keeps the iterates in M₁
    its, hs = VM.projected_sgd(run.loss, run.X, run.Phi, run.Y, b=run.b, eta=1.0, W1=run.W1, U1=run.U1)
    for W, U in its:
        r = math.sqrt(np.sum(W ** 2) + np.sum(U ** 2))
        assert r <= run.b * (1 + 1e-12), f"‖(W_t, U_t)‖_Fr = {r}, but should be ≤ b = {run.b} [projection]"
    assert len(hs) == run.T


def test_vector_sgd_rejects_a_start_outside_the_ball():
    run = SGD.example()
    from dataclasses import replace
    with pytest.raises(HypothesisNotMet, match=r"argument 'W1, U1'"):
        SGD.evaluate(replace(run, W1=10 * np.ones_like(run.W1)))


@settings(max_examples=scaled(10))
@given(ex=HP.strategy(max_T=64, max_runs=128))
def test_vector_sgd_failure_frequency_of_average_iterate_bound_is_consistent_with_delta(ex):
    ev = check_claim(HP, ex)
    q = ev.quantities
    assert 0 <= q["failures"] <= q["runs"] and 0 <= q["p_value"] <= 1
    # the average over t bounds the best iterate: Theorem 4's "one of the iterates" follows
    assert q["worst_excess"] <= q["worst_avg_excess"] + 1e-12 * (1 + abs(q["flin_min"]))


def test_vector_resnet_trained_by_backprop_on_three_iris_classes_meets_the_high_probability_bound():
    ex = example_high_probability("iris")
    ev = HP.evaluate(ex)
    q = ev.quantities
    assert ev.holds, ev.message()
    assert q["runs"] == 32 and q["failures"] == 0 and q["p_value"] == 1.0 and ex.m == 3
    assert ev.informative and q["bound"] < q["r"], f"bound {q['bound']} ≥ r = {q['r']}: the example cannot fail"
    assert q["flin_fw_gap"] <= 1e-6, f"min F_lin located to FW gap {q['flin_fw_gap']}, but should be ≤ 1e-6"
    assert 0 < q["worst_avg_excess"] < q["bound"], f"average excess {q['worst_avg_excess']} vs bound {q['bound']}"
    assert q["bound"] == pytest.approx(q["ogd_term"] + q["azuma_term"], rel=1e-12)


def test_vector_high_probability_re_runs_sgd_at_60_digits_and_replays_from_json():
    ex = example_high_probability("synthetic", runs=5, T=8, loss="squared")
    ev, ev_mp = HP.evaluate(ex), HP.evaluate(ex, dps=60)
    assert ev.holds and ev_mp.holds and ev_mp.precision == "mp60"
    assert abs(float(ev_mp.quantities["worst_avg_excess"]) - ev.quantities["worst_avg_excess"]) < 1e-10
    again = VectorSGDExperiment.from_json(json.loads(json.dumps(ex.to_json())))
    assert HP.evaluate(again).quantities["_run_avg_excess"] == ev.quantities["_run_avg_excess"]


def test_vector_sgd_with_one_output_and_squared_loss_is_theorem4s_scalar_sgd():
    # m = 1, ½‖p − y‖²: (vec W, vec U) is (w, v) and F is Theorem 4's F with the scalar ½(p − y)²
    rng = np.random.default_rng(5)
    net = ResidualNet(2, 3, 1)
    X, y, p = rng.normal(size=(6, 2)), rng.normal(size=6), np.full(6, 1 / 6)
    M1 = Product((Ball(np.zeros(2), 2.0), Box(-np.ones(3), np.ones(3))))
    M2 = Product(tuple(Ball(np.zeros(int(np.prod(s))), 1.0) for s in net.shapes))
    idx, wv1, th1 = sample_indices(1, p, 4, 7), M1.project(rng.normal(size=5)), M2.project(net.init(2))
    F_scalar = run_objectives(net, L.squared(), M1, M2, X, y, p, idx, wv1, th1, 0.3)
    F_vector = run_objectives(net, VM.squared(), M1, M2, X, y[:, None], p, idx, wv1, th1, 0.3)
    assert F_vector.shape == (4, 7) and np.allclose(F_vector, F_scalar, rtol=1e-13, atol=0)


BAD_EXPERIMENTS = [
    (dict(delta=0.0), "delta", "delta=0"), (dict(delta=1.0), "delta", "delta=1"),
    (dict(delta=float("nan")), "delta", "delta=NaN"), (dict(delta=-0.1), "delta", "delta<0"),
    (dict(T=0), "T", "T=0"), (dict(T=2.5), "T", "T not an int"), (dict(runs=0), "runs", "runs=0"),
    (dict(c=0.0), "c", "c=0"), (dict(c=float("nan")), "c", "c=NaN"),
    (dict(X=np.full((8, 2), np.nan)), "X", "X has NaN"), (dict(Y=np.zeros((8, 3))), "Y", "Y not one-hot"),
    (dict(Y=np.ones((7, 3)) / 3), "Y", "Y has the wrong number of rows"),
    (dict(p=np.full(8, 0.2)), "p", "p does not sum to 1"),
    (dict(M1=Ball(np.zeros(5), 1.0)), "M1", "M1 not in R^(m(d+k))"),
    (dict(wv1=np.zeros(3)), "wv1", "wv1 of the wrong length"),
    (dict(theta1=np.full(28, np.inf)), "theta1", "theta1 has inf"),
]


@pytest.mark.parametrize("kw,name", [b[:2] for b in BAD_EXPERIMENTS], ids=[f"{b[2]} -> error naming '{b[1]}'"
                                                                          for b in BAD_EXPERIMENTS])
def test_bad_vector_experiment_is_rejected_naming_the_argument(kw, name):
    ex = example_high_probability("synthetic", runs=5, T=4)
    with pytest.raises(ValueError, match=rf"argument '{name}'"):
        replace(ex, **kw)


def test_vector_experiment_strategy_rejects_bad_arguments_by_name():
    for kw, name in ((dict(max_T=0), "max_T"), (dict(max_runs=2), "max_runs"), (dict(U_pinned=1), "U_pinned"),
                     (dict(datasets=["mnist"]), "datasets"), (dict(losses=["hinge"]), "losses")):
        with pytest.raises(InvalidArgument, match=name):
            vector_experiments(**kw).example()


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (SGD, HP) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


@pytest.mark.parametrize("kappa", [1.0, 1e3, 1e6])
def test_vector_sgd_bound_is_attained_in_the_limit_by_the_linearised_squared_loss(kappa):
    ev = SGD.evaluate(attaining_run(kappa), dps=60)
    assert ev.holds and abs(float(ev.ratio) - kappa / (1 + kappa)) < 1e-9, \
        f"tightness ratio {float(ev.ratio)!r}, but should be κ/(1 + κ) = {kappa / (1 + kappa)!r} [{SGD.source}]"


@settings(max_examples=scaled(10))
@given(run=vector_attaining_runs())
def test_vector_attaining_family_reaches_most_of_the_bound(run):
    # the family's defining property: ≥ 80% of K(c)·b·l/√T (a far start with small c, or alternating
    # targets with large c, on a nearly linear ½‖p − y‖²)
    ev = SGD.evaluate(run)
    assert ev.holds and float(ev.ratio) >= 0.8, f"tightness {float(ev.ratio):.3f}, but should be ≥ 0.8"


def test_vector_regret_is_taken_at_the_worst_comparator_over_M1():
    run = example_sgd()
    ev = SGD.evaluate(run)
    q = ev.quantities
    own = VM.SGDRun(run.loss, run.X, run.Phi, run.Y, run.b, run.c, run.W1, run.U1, 0 * run.W_c)
    # W_c = 0 is not the worst comparator: the claim's regret does not depend on the drawn W_c
    assert float(SGD.evaluate(own).quantities["regret"]) == pytest.approx(float(q["regret"]), rel=1e-9)
    assert float(q["comparator_gap"]) < 1e-6 * (1 + abs(float(q["regret"])))
    assert ev.informative is (float(q["bound"]) < float(q["regret_cap"]))
    # T = 1, c = 2: the bound 2bl equals the largest possible regret, so it cannot fail there
    one = SGD.evaluate(attaining_run(1e3))
    assert one.informative is False and float(one.ratio) > 0.99


@settings(max_examples=scaled(8), deadline=None)
@given(ex=vector_experiments(max_T=48, max_runs=40) | sgd_experiments(max_T=48, max_runs=40))
def test_blocked_run_objectives_equal_one_pass_over_all_iterates_bit_for_bit(ex):
    # run_objectives evaluates F in blocks of iterates (cache-sized temporaries) and runs SGD without
    # recording ℓ at every step: the same values, bit for bit, as recording everything and
    # evaluating F over all (R, T) iterates at once
    from theorems.model.repeated_runs import objectives
    from theorems.model.skip_sgd import experiment_constants
    from theorems.model.training import sgd_runs as train
    b, l, _ = experiment_constants(ex)
    eta = ex.c * b / (l * np.sqrt(ex.T))
    idx = sample_indices(ex.seed, ex.p, ex.runs, ex.T)
    args = (ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.targets, idx, ex.M1.project(ex.wv1), ex.M2.project(ex.theta1), eta)
    full, lean = train(*args), train(*args, record="iterates")
    assert all(np.array_equal(a, c) for a, c in zip(full.wv + full.theta, lean.wv + lean.theta))
    assert lean.loss_t == [] and len(full.loss_t) == ex.T
    R, T = idx.shape
    WV = np.stack(full.wv, axis=1).reshape(R * T, -1)
    TH = np.stack(full.theta, axis=1).reshape(R * T, -1)
    one_pass = objectives(ex.net, ex.loss, ex.X, ex.targets, ex.p, WV, TH).reshape(R, T)
    blocked = run_objectives(ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.targets, ex.p, idx, ex.wv1, ex.theta1, eta)
    assert np.array_equal(blocked, one_pass)


def test_columnwise_row_reductions_of_the_vector_losses_equal_numpys_bit_for_bit(monkeypatch):
    # vector_losses reduces float64 rows of m < 8 entries column by column (fast for millions of
    # short rows); numpy sums fewer than 8 elements left to right, so the values must be identical
    from theorems.model.vector import losses as VL
    rng = np.random.default_rng(0)
    for m in range(1, 10):
        A = rng.normal(size=(4096, m)) * 10.0 ** rng.integers(-8, 8, size=(4096, m))
        A[rng.random(A.shape) < 0.1] = 0.0
        assert np.array_equal(VL._row_sums(A), np.sum(A, axis=1))
        assert np.array_equal(VL._rows_max(A), np.max(A, axis=1))
    P = rng.normal(size=(256, 3)) * 10.0 ** rng.integers(-3, 3, size=(256, 3))
    Y = np.eye(3)[rng.integers(0, 3, size=256)]
    losses = (VM.softmax_ce(), VM.squared(), VM.combination([(0.5, VM.softmax_ce()), (2.0, VM.squared())]))
    fast = [(loss.value(P, Y), loss.grad(P, Y), loss.hess(P, Y)) for loss in losses]
    monkeypatch.setattr(VL, "_COLUMNWISE", 0)            # numpy's own reductions
    slow = [(loss.value(P, Y), loss.grad(P, Y), loss.hess(P, Y)) for loss in losses]
    assert all(np.array_equal(a, b) for f, s in zip(fast, slow) for a, b in zip(f, s))


def test_last_axis_sum_equals_numpys_bit_for_bit():
    from theorems.core.backend import last_axis_sum as _last_axis_sum
    rng = np.random.default_rng(1)
    for d in range(1, 10):
        A = rng.normal(size=(50, 7, d)) * 10.0 ** rng.integers(-8, 8, size=(50, 7, d))
        assert np.array_equal(_last_axis_sum(A), np.sum(A, axis=-1))
    A = np.array(rng.normal(size=(3, 4)), dtype=object)
    assert np.array_equal(_last_axis_sum(A), np.sum(A, axis=-1))


@settings(max_examples=scaled(40), deadline=None)
@given(run=sgd_runs() | vector_attaining_runs(), eta=st.sampled_from([None, 1.0]))
def test_projected_sgd_losses_equal_the_reference_run_bit_for_bit(run, eta):
    # projected_sgd evaluates ℓ once over all prediction rows (and theorem6.vector_sgd memoises the runs
    # on their content): the same numbers, bit for bit, as ℓ evaluated at every step on its own — also
    # with η = 1, where the projection acts
    from theorems.model.vector import sgd as vector_sgd
    from theorems.model.vector.experiment import sgd_run_lipschitz
    l = sgd_run_lipschitz(run)
    lb = None
    for t in range(run.T):       # the reference Lipschitz constant: B.norm row by row
        a = B.norm(run.X[t], run.Phi[t])
        l_t = a * run.loss.grad_sup(run.b * a, run.Y[t])
        lb = l_t if lb is None or l_t > lb else lb
    assert l == lb
    eta = eta or float(run.c * run.b / (l * math.sqrt(run.T)))
    kw = dict(b=run.b, eta=eta, W1=run.W1, U1=run.U1)
    with np.errstate(all="ignore"):
        its, _ = VM.projected_sgd(run.loss, run.X, run.Phi, run.Y, **kw)
        ref = [run.loss.value(VM.skip_predictions(W, U, run.X[t:t + 1], run.Phi[t:t + 1]), run.Y[t:t + 1])[0]
               for t, (W, U) in enumerate(its)]
        vector_sgd._LOSSES_CACHE.clear()
        fast = vector_sgd.projected_sgd_losses(run.loss, run.X, run.Phi, run.Y, **kw)
        again = vector_sgd.projected_sgd_losses(run.loss, run.X, run.Phi, run.Y, **kw)      # memoised
    assert np.array_equal(np.array(ref, dtype=np.float64), fast, equal_nan=True)
    assert again is fast and not fast.flags.writeable


def test_projected_sgd_losses_memo_is_keyed_on_the_full_content_and_bounded():
    # a run differing in one bit of one entry, or in η, is a different run; the memo stays bounded
    from theorems.model.vector import sgd as vector_sgd
    run = SGD.example()
    kw = dict(b=run.b, eta=0.3, W1=run.W1, U1=run.U1)
    vector_sgd._LOSSES_CACHE.clear()
    base = vector_sgd.projected_sgd_losses(run.loss, run.X, run.Phi, run.Y, **kw)
    X2 = run.X.copy()
    X2[0, 0] = np.nextafter(X2[0, 0], np.inf)
    moved = vector_sgd.projected_sgd_losses(run.loss, X2, run.Phi, run.Y, **kw)
    assert moved is not base
    assert np.array_equal(moved, VM.projected_sgd(run.loss, X2, run.Phi, run.Y, **kw)[1])
    assert vector_sgd.projected_sgd_losses(run.loss, run.X, run.Phi, run.Y, **dict(kw, eta=0.3000001)) is not base
    for i in range(vector_sgd._LOSSES_CACHE.size + 5):
        vector_sgd.projected_sgd_losses(run.loss, run.X, run.Phi, run.Y, **dict(kw, eta=0.1 + i / 1000))
    assert len(vector_sgd._LOSSES_CACHE) == vector_sgd._LOSSES_CACHE.size


def test_minimize_over_memo_returns_the_computed_minimiser_and_a_fresh_copy():
    from theorems.model import training
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(20, 3)), np.eye(2)[rng.integers(0, 2, size=20)]
    S, w, loss = Ball(np.zeros(6), 1.5), np.full(20, 1 / 20), VM.softmax_ce()
    training._MINIMIZE_CACHE.clear()
    a, gap = training.minimize_over(S, X, Y, w, loss)
    ref = training._minimize_over(S, X, Y, w, loss, 300)
    assert np.array_equal(a, ref[0]) and gap == ref[1]
    a[:] = 0                                            # the caller owns its copy
    b, gap2 = training.minimize_over(Ball(np.zeros(6), 1.5), X.copy(), Y, w, loss)
    assert np.array_equal(b, ref[0]) and gap2 == gap
    c, _ = training.minimize_over(Ball(np.zeros(6), 1.25), X, Y, w, loss)     # another set: recomputed
    assert np.array_equal(c, training._minimize_over(Ball(np.zeros(6), 1.25), X, Y, w, loss, 300)[0])
