"""Theorem 4 (Sec. 5) and Eq. (18) (Sec. 6.4): SGD on x ↦ wᵀx + vᵀf_θ(x) competes with the best
linear predictor; explicit constants K(c)·b·l/√T and 2r√(2 log(1/δ)/T)."""

import json
from dataclasses import replace

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings

from strategies.sgd import skip_sgd_attaining_instances
from tests.support import check_claim, check_control, scaled
from theorems import CLAIMS, HypothesisNotMet
from theorems.model import losses as L
from theorems.model.convex_sets import Ball, Box, Product
from theorems.model.data import iris
from theorems.model.residual_net import ResidualNet, phi_bound
from theorems.model.skip_sgd import SGDExperiment, SkipSGDInstance
from theorems.model.training import sgd_runs
from theorems.theorem4 import evaluate_eq17, example_eq18, example_theorem4

EQ18, GEN, THM4 = CLAIMS["theorem4.eq18"], CLAIMS["theorem4.eq18.general"], CLAIMS["theorem4"]


@settings(max_examples=scaled(30))
@given(inst=EQ18.strategy(max_T=16))
def test_eq18_avg_excess_over_u0_in_M1_le_K_c_b_l_over_sqrtT_for_any_theta_updates(inst):
    check_claim(EQ18, inst)


@settings(max_examples=scaled(30))
@given(inst=GEN.strategy(max_T=16))
def test_avg_excess_over_every_wv_in_M1_le_K_c_b_l_over_sqrtT(inst):
    check_claim(GEN, inst)


@settings(max_examples=scaled(10))
@given(inst=THM4.strategy(max_T=64, max_runs=128))
def test_failure_frequency_of_best_iterate_bound_is_consistent_with_delta(inst):
    ev = check_claim(THM4, inst)
    q = ev.quantities
    assert 0 <= q["failures"] <= q["runs"] and 0 <= q["p_value"] <= 1


def test_backpropagation_matches_central_differences():
    net = ResidualNet(3, 4, 2)
    rng = np.random.default_rng(0)
    th, x, g = net.init(1)[None], rng.normal(size=(1, 3)), rng.normal(size=(1, 4))
    phi, cache = net.forward_one(th, x)
    grad = net.backward(cache, g)
    h = 1e-6
    for i in range(net.P):
        e = np.zeros_like(th)
        e[0, i] = h
        num = float(np.sum(g * (net.forward_one(th + e, x)[0] - net.forward_one(th - e, x)[0])) / (2 * h))
        assert abs(num - grad[0, i]) <= 1e-6 * (1 + abs(num)), f"∂/∂θ[{i}]: backprop {grad[0, i]}, central {num}"


def test_phi_bound_dominates_the_features_over_M2():
    net = ResidualNet(2, 3, 2)
    M2 = Product(tuple(Ball(np.zeros(int(np.prod(s))), 1.0) for s in net.shapes))
    rng = np.random.default_rng(3)
    X = rng.normal(size=(20, 2))
    for seed in range(10):
        th = M2.project(net.init(seed, scale=5.0))
        Phi = net.forward(th, X)
        assert np.all(np.linalg.norm(Phi, axis=1) <= phi_bound(net, M2, np.linalg.norm(X, axis=1)) * (1 + 1e-12))


@pytest.mark.parametrize("dataset", ["synthetic", "iris"])
def test_real_residual_network_trained_by_backprop_meets_theorem4(dataset):
    ex = example_theorem4(dataset)
    ev = THM4.evaluate(ex)
    q = ev.quantities
    assert ev.holds, ev.message()
    assert q["runs"] == 32 and q["failures"] == 0 and q["p_value"] == 1.0
    assert ev.informative and q["bound"] < q["r"], f"bound {q['bound']} ≥ r = {q['r']}: the example cannot fail"
    assert q["flin_fw_gap"] <= 1e-6, "min F_lin not located accurately"
    # θ really moves under backpropagation and stays in M2
    idx = np.zeros((1, ex.T), dtype=int) + np.arange(ex.T) % ex.X.shape[0]
    tr = sgd_runs(ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.y, idx, ex.wv1, ex.theta1, float(q["eta"]))
    moved = np.linalg.norm(tr.theta[-1] - tr.theta[0])
    assert moved > 0 and ex.M2.contains(tr.theta[-1][0], tol=1e-12)


def test_iris_data_ships_with_the_package():
    X, y = iris()
    assert X.shape == (100, 4) and sorted(set(y)) == [-1.0, 1.0] and np.allclose(X.mean(axis=0), 0)


def test_high_precision_reruns_sgd_with_backprop():
    inst = example_eq18(1, T=16, theta_rule="ascent")
    ev, ev_mp = EQ18.evaluate(inst), EQ18.evaluate(inst, dps=60)
    assert ev.holds and ev_mp.holds and ev_mp.precision == "mp60"
    assert abs(float(ev.lhs) - float(ev_mp.lhs)) < 1e-10
    ex = example_theorem4("synthetic", runs=5, T=8)
    ev4 = THM4.evaluate(ex, dps=60)
    assert ev4.holds and ev4.quantities["failures"] == 0


def test_json_round_trips():
    inst = example_eq18(2, theta_rule="random")
    again = SkipSGDInstance.from_json(json.loads(json.dumps(inst.to_json())))
    assert float(EQ18.evaluate(again).lhs) == float(EQ18.evaluate(inst).lhs)
    ex = example_theorem4(runs=5, T=6)
    ex2 = SGDExperiment.from_json(json.loads(json.dumps(ex.to_json())))
    assert THM4.evaluate(ex2).quantities["_run_excess"] == THM4.evaluate(ex).quantities["_run_excess"]


def test_bad_arguments_and_unmet_hypotheses_are_named():
    inst = example_eq18()
    from dataclasses import replace
    with pytest.raises(ValueError, match=r"argument 'theta_rule'"):
        replace(inst, theta_rule="newton")
    with pytest.raises(ValueError, match=r"argument 'M1'"):
        replace(inst, M1=Ball(np.zeros(2), 1.0))
    off = Product((Ball(np.zeros(3), 1.0), Box(np.ones(3), 2 * np.ones(3))))   # v-block excludes 0
    with pytest.raises(HypothesisNotMet, match=r"\(u, 0\) ∈ M1\} is empty"):
        EQ18.evaluate(replace(inst, M1=off, wv1=off.project(np.zeros(6))))
    ex = example_theorem4(runs=5, T=4)
    with pytest.raises(ValueError, match=r"argument 'delta'"):
        replace(ex, delta=1.5)


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (EQ18, GEN, THM4) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(claim, variant):
    check_control(claim, variant)


def test_informative_needs_the_bound_below_r_and_a_test_able_to_reject():
    ok = THM4.evaluate(example_theorem4(T=256, runs=32, delta=0.5))
    q = ok.quantities
    assert ok.informative is True and float(q["bound"]) < float(q["excess_cap"]) == float(q["r"])
    assert q["k_crit"] == 30 and q["power_2delta"] == 1.0 and q["false_alarm"] <= 1e-6 and q["undecided"] == 0
    short = THM4.evaluate(example_theorem4(T=4, runs=32, delta=0.5))          # the Azuma term alone ≥ r
    assert short.informative is False and float(short.quantities["bound"]) >= float(short.quantities["r"])
    few = THM4.evaluate(example_theorem4(T=256, runs=5, delta=0.5))           # 0.5⁵ ≥ α: no count rejects
    assert few.informative is False and few.quantities["k_crit"] == -1 and few.quantities["power_2delta"] == 0.0


@pytest.mark.parametrize("delta,runs,k,power", [(0.5, 32, 30, 1.0), (0.25, 128, None, 0.85), (0.1, 400, 72, 0.85)])
def test_binomial_test_rejects_at_its_critical_count_and_has_the_stated_power(delta, runs, k, power):
    from scipy.stats import binom

    from theorems.model.statistics import ALPHA, critical_failures, test_power
    kc = critical_failures(runs, delta)
    assert binom.sf(kc - 1, runs, delta) < ALPHA <= binom.sf(kc - 2, runs, delta)
    assert k is None or kc == k
    assert test_power(runs, delta, delta) < ALPHA and test_power(runs, delta, 2 * delta) >= power
    assert critical_failures(5, 0.5) is None and test_power(5, 0.5, 1.0) == 0.0


def test_a_run_within_the_comparator_gap_of_failing_is_undecided_not_failed():
    from theorems.model.statistics import repeated_runs_verdict

    F = np.array([[1.0, 1.0], [2.0, 2.0]])                 # min_t F per run: 1, 2; flin 0, bound 1.5
    v = repeated_runs_verdict(2, 2, 0.1, F, lambda ids: F[ids], None, flin=0.0, bound=1.5, ulps=0, gap=0.6)
    assert (v.failures, v.undecided) == (1, 1)
    v = repeated_runs_verdict(2, 2, 0.1, F, lambda ids: F[ids], None, flin=0.0, bound=1.5, ulps=0, gap=0.0)
    assert (v.failures, v.undecided) == (1, 0)


@settings(max_examples=scaled(10))
@given(inst=skip_sgd_attaining_instances())
def test_eq18_attaining_family_reaches_the_bound(inst):
    # the family's defining property: ≥ 45% of K(c)·b·l/√T in every regime (≥ 90% except alternating
    # targets, where the ratio is (c/2)/(2/c + c/2) ≥ 0.86 for c ≥ 5), and all of it at T = 1, c = 2
    ev = EQ18.evaluate(inst)
    assert ev.holds and float(ev.ratio) >= 0.85, f"tightness {float(ev.ratio):.3f}, but should be ≥ 0.85"


def test_eq18_informative_needs_the_bound_below_l_diam_M1():
    ev = EQ18.evaluate(example_eq18(T=2, seed=0))
    q = ev.quantities
    assert ev.informative is (float(q["bound"]) < float(q["excess_cap"]))
    long = EQ18.evaluate(example_eq18(T=64, seed=0))
    assert long.informative is True and float(long.quantities["comparator_gap"]) < 1e-6
    one = EQ18.evaluate(SkipSGDInstance(np.ones((1, 1)), np.ones(1), L.linear(), ResidualNet(1, 1, 0),
                                        Ball(np.zeros(2), 1.0), Product((Box(np.zeros(1), np.zeros(1)),
                                                                         Box(np.zeros(1), np.zeros(1)))),
                                        np.array([-1.0, 0.0]), np.zeros(2), 2.0, "frozen"))
    assert one.informative is False and abs(float(one.ratio) - 1) < 1e-12      # attained, at the cap


EQ17, PROJ, MART = CLAIMS["theorem4.eq17"], CLAIMS["theorem4.eq17.projection"], CLAIMS["theorem4.martingale"]


@settings(max_examples=scaled(10))
@given(inst=EQ17.strategy(max_T=16))
def test_eq17_sgd_iterates_equal_ogd_iterates_on_g_t_over_M1(inst):
    check_claim(EQ17, inst)


def _replay_inner_product_off_by_its_rounding_bound(monkeypatch):
    """The OGD replay's ⟨a, c⟩ moved up by its forward rounding bound n·u·Σ|a_i c_i| at every step
    (float64 only): the most two machines' inner products (another BLAS, another SIMD sum) can
    disagree by."""
    import theorems.model.convex_functions as CF

    exact = CF.ConvexFn._u

    def u_off(self, x):
        u = exact(self, x)
        if isinstance(u, mpmath.mpf):
            return u
        terms = np.abs(np.asarray(x, float) * self.A[0])
        return u + len(terms) * 2.0 ** -53 * float(np.sum(terms))

    monkeypatch.setattr(CF.ConvexFn, "_u", u_off)


def test_eq17_tolerance_absorbs_a_replay_that_rounds_differently_and_not_frozen_features(monkeypatch):
    # the tolerance's scale (max‖a_t‖ + ηl, T + d + k units; theorem4 docstring) against a rounding-level
    # disagreement of the two replays at every one of the T = 24 steps, and against the control's gross one
    inst = EQ17.example()
    assert float(EQ17.evaluate(inst).lhs) == 0.0          # on this code the replays agree bit for bit
    _replay_inner_product_off_by_its_rounding_bound(monkeypatch)
    ev = EQ17.evaluate(inst)
    assert 0 < float(ev.lhs) < 1e-2 * float(ev.tol), ev.message()
    frozen = evaluate_eq17(inst, features="theta_1")
    assert float(frozen.lhs) > 1e6 * float(frozen.tol), frozen.message()


@settings(max_examples=scaled(10))
@given(inst=PROJ.strategy(max_T=16))
def test_eq17_projection_on_M1_x_M2_is_blockwise(inst):
    check_claim(PROJ, inst)


@settings(max_examples=scaled(10))
@given(ex=MART.strategy(max_T=8, max_runs=24))
def test_conditional_mean_of_Z_t_given_history_equals_F_minus_F_lin(ex):
    check_claim(MART, ex)


def test_new_proof_steps_are_informative_on_their_examples_and_not_when_nothing_moves():
    ex18 = example_eq18()
    assert EQ17.evaluate(ex18).informative is True and PROJ.evaluate(ex18).informative is True
    frozen = example_eq18(theta_rule="frozen")       # θ_t = θ_1: plain OGD, the reduction has nothing to show
    assert EQ17.evaluate(frozen).informative is False
    big = replace(ex18, M1=Product((Ball(np.zeros(3), 1e6), Ball(np.zeros(3), 1e6))),
                  M2=Product(tuple(Ball(np.zeros(int(np.prod(s))), 1e6) for s in ex18.net.shapes)))
    assert PROJ.evaluate(big).informative is False      # no step leaves M: no projection to check
    assert MART.evaluate(example_theorem4(T=8)).informative is True


def test_product_projection_certificate_detects_a_point_outside_M():
    from theorems.model.training import product_projection_certificate
    M1, M2 = Ball(np.zeros(2), 1.0), Box(-np.ones(1), np.ones(1))
    z_wv, z_th = np.array([3.0, 0.0]), np.array([2.0])
    cert, dist = product_projection_certificate(M1, M2, z_wv, z_th)
    assert cert <= 1e-15 and dist == pytest.approx(np.sqrt(5.0))
    bad, _ = product_projection_certificate(M1, M2, z_wv, z_th, project=lambda a, b: (a / 2, b / 2))
    assert bad > 0.1                                     # (1.5, 0), 1: outside M1


# found by the nightly audit (seed 1, 5,000 examples): ℓ ~ 2e-8 at an interpolating iterate while the
# prediction q ~ 1; with the loss values alone as the rounding scale the 60-digit verdict failed by
# 1.7e-65 against a tolerance of 4e-66 — a false alarm; q's terms now enter the scale
MARTINGALE_INTERPOLATING = json.loads('{"type": "SGDExperiment", "X": [[-0.25, -0.75]], "y": [-1.0], "p": [1.0], "loss": {"name": "squared"}, "net": {"d": 2, "k": 3, "depth": 0}, "M1": {"kind": "box", "lo": [0.0, -2.5, 0.0, -5.0, -5.0], "hi": [0.0, 2.5, 0.0, 5.0, 5.0]}, "M2": {"kind": "product", "parts": [{"kind": "box", "lo": [-0.05, -0.05, -0.05, -0.05, -0.05, -0.05], "hi": [0.05, 0.05, 0.05, 0.05, 0.05, 0.05]}, {"kind": "box", "lo": [-0.05, -0.05, -0.05], "hi": [0.05, 0.05, 0.05]}]}, "wv1": [0.0, -2.5, 0.0, 0.0, 0.0], "theta1": [0.0012301533574825742, 0.05, -0.05, -0.05, -0.05, -0.05, 0.006014360259743849, 0.05, -0.04922065185513297], "c": 2.0, "T": 32, "delta": 0.5, "runs": 32, "seed": 0, "meta": {"distribution": "synthetic linear, 1 points"}}')  # noqa: E501 - the exact instance


def test_the_martingale_step_holds_at_an_interpolating_iterate_in_both_precisions():
    from theorems.audit.engine import confirm
    from theorems.model.skip_sgd import SGDExperiment

    claim = CLAIMS["theorem4.martingale"]
    inst = SGDExperiment.from_json(MARTINGALE_INTERPOLATING)
    ev, ev_mp = claim.evaluate(inst), confirm(claim.evaluate, inst)
    assert ev.holds and ev_mp.holds, f"float64: {ev.message()}; 60 digits: {ev_mp.message()}"
    assert abs(float(ev_mp.lhs) - float(ev_mp.rhs)) < 1e-60, "the identity is exact up to 60-digit rounding"


# ---------------------------------------------------------------- issue 22: g_t, the averaged display, Eq. (17)'s ratio

GLIP, GCVX, AVG = CLAIMS["theorem4.g_lipschitz"], CLAIMS["theorem4.g_convex"], CLAIMS["theorem4.average"]


@settings(max_examples=scaled(10))
@given(inst=GLIP.strategy(max_T=8))
def test_each_g_t_is_convex_and_l_lipschitz_over_M1(inst):
    check_claim(GLIP, inst)
    check_claim(GCVX, inst)


def test_projection_ratio_is_attained_where_the_relation_holds():
    ev = CLAIMS["theorem4.eq17.projection"].evaluate(example_eq18())
    assert ev.holds and ev.ratio == 1.0, ev.message()


def test_averaged_display_holds_on_the_default_experiment():
    ev = AVG.evaluate(example_theorem4(T=64))
    assert ev.holds, ev.message()


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (GLIP, GCVX, AVG) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_new_negative_controls_are_refuted(claim, variant):
    check_control(claim, variant)


# ---------------------------------------------------------------- issue 22: Sec. 5's h_t, Sec. 6.4's Azuma step

HDIFF, AZUMA = CLAIMS["theorem4.h_differentiable"], CLAIMS["theorem4.azuma"]


@settings(max_examples=scaled(20))
@given(inst=HDIFF.strategy())
def test_h_t_one_sided_quotients_in_w_v_agree_with_the_gradient(inst):
    check_claim(HDIFF, inst)


def test_h_t_at_a_relu_kink__differentiable_in_w_v_but_not_in_theta__60_digits():
    from theorems.theorem4 import _quotient_errors, example_h_kink

    inst = example_h_kink()
    ev = HDIFF.evaluate(inst, dps=60)
    assert ev.holds and ev.informative and float(ev.quantities["quotient_error_ratio"]) <= 1
    with mpmath.workdps(60):
        e = _quotient_errors(inst.to_mp(), "theta")
        # θ = (W0 (2 entries), b0): at W0x + b0 = 0 the right derivative in b0 is ℓ′(0; 1)·v = −½, the left 0
        assert abs(e["plus"][2] + mpmath.mpf(1) / 2) < 1e-15 and abs(e["minus"][2]) < 1e-50
    assert not HDIFF.controls[0].check(inst).holds


@settings(max_examples=scaled(10))
@given(ex=AZUMA.strategy())
def test_azuma_step_exact_tail_probability_over_all_sample_paths(ex):
    check_claim(AZUMA, ex)


def test_azuma_enumeration_is_a_martingale__mean_zero_and_total_probability_one__60_digits():
    from theorems.model.convex_sets import v_zero_slice
    from theorems.model.repeated_runs import all_sample_paths, martingale_averages, path_probabilities
    from theorems.model.skip_sgd import experiment_constants
    from theorems.model.training import minimize_over
    from theorems.theorem4 import example_azuma

    with mpmath.workdps(60):
        ex = replace(example_azuma(), T=4).to_mp()        # 2⁴ = 16 paths
        b, l, r = experiment_constants(ex)
        U = v_zero_slice(ex.M1, ex.net.d)
        u = U.project(np.array([mpmath.mpf(a) for a in minimize_over(U, ex.X, ex.y, ex.p, ex.loss)[0]], dtype=object))
        idx = all_sample_paths(2, ex.T)
        prob = path_probabilities(ex.p, idx)
        A, _ = martingale_averages(ex, u, ex.c * b / (l * mpmath.sqrt(ex.T)), idx)
        assert idx.shape == (16, 4) and abs(sum(prob) - 1) < mpmath.mpf(10) ** -55
        # E[Σ_t D_t] = 0 exactly: D_t has conditional mean 0 given every history (the martingale property)
        assert abs(sum(p * a for p, a in zip(prob, A))) < mpmath.mpf(10) ** -50


def test_azuma_tight_family_pins_its_tail_ratio():
    ex = SGDExperiment(np.array([[1.0], [1.0]]), np.array([1.0, -1.0]), np.array([0.5, 0.5]), L.squared(),
                       ResidualNet(1, 1, 0), Ball(np.zeros(2), 1.0),
                       Product((Ball(np.zeros(1), 1e-3), Ball(np.zeros(1), 1e-3))), np.array([1.0, 0.0]), np.zeros(2),
                       1.0, 1, 0.5, 8, 0)
    ev = AZUMA.evaluate(ex, dps=60)
    # T = 1: D_1 = w_1·y_1 = ±1 w.p. ½, r = ½(1 + 1.001)² ≈ 2.002: ratio ½·exp(1/(8r²)) ≈ 0.5158
    r = float(ev.quantities["r"])
    assert ev.holds and abs(float(ev.quantities["tail_ratio"]) - 0.5 * np.exp(1 / (8 * r * r))) < 1e-12
    # the constant divided by 8: ½·exp(64/(8r²)) ≈ 3.7 > 1, refuted
    assert not AZUMA.controls[0].check(ex).holds


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", [(c, v) for c in (HDIFF, AZUMA) for v in c.controls],
                         ids=lambda x: getattr(x, "name", getattr(x, "id", "")))
def test_issue22_theorem4_controls_are_refuted(claim, variant):
    check_control(claim, variant)


# A frozen-θ run whose last two iterates are 1.6e-16 apart on the sphere ‖(w, v)‖ = 1 (found by the audit with
# the half_l family searched): their quotient is rounding noise (1.21 in float64).
_CLOSE_PAIR = {"type": "SkipSGDInstance", "X": [[-0.1, 0.1, -0.025]] * 5, "y": [0.75] * 5,
               "loss": {"name": "linear"}, "net": {"d": 3, "k": 2, "depth": 0},
               "M1": {"kind": "ball", "center": [0.0] * 5, "radius": 1.0},
               "M2": {"kind": "product", "parts": [{"kind": "box", "lo": [-0.001] * 6, "hi": [0.001] * 6},
                                                    {"kind": "box", "lo": [-0.001] * 2, "hi": [0.001] * 2}]},
               "wv1": [0.0] * 5, "theta1": [0.001, -0.001, 0.001, 0.001, -0.001, 0.001, 0.001, 0.001], "c": 1.0,
               "theta_rule": "frozen", "r_seed": 2, "r_scale": 0.1}


def test_g_lipschitz_judges_each_pair_with_its_own_tolerance():
    """A close pair's rounding noise (tolerance ∝ 1/‖a − a′‖) must neither read as a tightness above 1 nor
    hide a far pair's violation: before, one scale for all pairs judged a quotient of 1.21 as holding
    (tolerance 446), and l/1.25 (every far pair at 1.25) held as well."""
    from theorems.core.serialization import instance_from_json
    from theorems.theorem4 import evaluate_g_lipschitz

    inst = instance_from_json(_CLOSE_PAIR)
    ev = CLAIMS["theorem4.g_lipschitz"].evaluate(inst)
    assert ev.holds and ev.informative and 0.999 < float(ev.ratio) <= 1.0, ev
    assert float(ev.tol) < 1e-9, f"tolerance {float(ev.tol)!r}: a close pair's scale leaked into the judged pair"
    sharper = evaluate_g_lipschitz(inst, factor=1.25)
    assert not sharper.holds and float(sharper.ratio) > 1.2, sharper
    with mpmath.workdps(60):
        assert not evaluate_g_lipschitz(inst.to_mp(), factor=1.25).holds
