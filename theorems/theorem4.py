"""Theorem 4 (Sec. 5) and Eq. (18) of its proof (Sec. 6.4), with the O(·) made explicit.

Architecture x ↦ wᵀx + vᵀf_θ(x); F(w, v, θ) = E[ℓ(wᵀx + vᵀf_θ(x); y)]; F_lin(w) = E[ℓ(wᵀx; y)].
SGD: (w_{t+1}, v_{t+1}, θ_{t+1}) = Π_M((w_t, v_t, θ_t) − η∇h_t(w_t, v_t, θ_t)),
h_t(w, v, θ) = ℓ(wᵀx_t + vᵀf_θ(x_t); y_t), (x_t, y_t) a fresh sample.

**Theorem 4.** *Suppose the domain M satisfies the following for some positive constants b, r, l:
M = {(w, v, θ) : (w, v) ∈ M1, θ ∈ M2} for some closed convex sets M1, M2 in Euclidean spaces; for
any (x, y) in the support of the data distribution, and any θ ∈ M2, ℓ(wᵀx + vᵀf_θ(x); y) is
l-Lipschitz in (w, v) over M1, and bounded in absolute value by r; for any (w, v) ∈ M1,
√(‖w‖² + ‖v‖²) ≤ b. Suppose we perform T iterations of stochastic gradient descent as described
above, with any step size η = Θ(b/(l√T)). Then with probability at least 1 − δ, one of the
iterates {(w_t, v_t, θ_t)}_{t=1}^T satisfies*

    F(w_t, v_t, θ_t) ≤ min_{u:(u,0)∈M1} F_lin(u) + O((bl + r√log(1/δ))/√T).

**Eq. (18)** (deterministic, any sample sequence, any θ updates): for every w with (w, 0) ∈ M1,
(1/T) Σ_t (ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(wᵀx_t; y_t)) ≤ O(bl/√T); and, the line before
it, the same for every (w, v) ∈ M1 with ℓ(wᵀx_t + vᵀf_{θ_t}(x_t); y_t) subtracted.

**Explicit constants** (η = c·b/(l√T), K(c) = 2/c + c/2 of Theorem 5, ``theorems.model.ogd.K``):

- ``theorem4.eq18`` / ``theorem4.eq18.general``: average excess ≤ K(c)·b·l/√T. The (w, v)
  iterates are exactly OGD on g_t(w, v) = ℓ(wᵀx_t + vᵀf_{θ_t}(x_t); y_t) over M1 (Eq. 16–17),
  whatever θ_t is, so Theorem 5's explicit bound applies verbatim.
- ``theorem4``: with probability ≥ 1 − δ, min_t F(w_t, v_t, θ_t) ≤ min_{(u,0)∈M1} F_lin(u)
  + K(c)·b·l/√T + 2r·√(2 log(1/δ)/T).
  *Derivation of the Azuma term.* Fix u with (u, 0) ∈ M1 (the minimiser: it does not depend on
  the samples). Z_t = ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(uᵀx_t; y_t) ∈ [−2r, 2r] since |ℓ| ≤ r;
  given the history, E[Z_t] = F(w_t, v_t, θ_t) − F_lin(u), so D_t = E_t[Z_t] − Z_t is a martingale
  difference sequence lying in an interval of length 4r (the range of Z_t, shifted by a
  predictable amount). Azuma–Hoeffding: P(Σ_t D_t ≥ ε) ≤ exp(−2ε²/(T(4r)²)); setting this to δ
  gives ε = 2r√(2T log(1/δ)) (the same value as the |D_t| ≤ 2r form, exp(−ε²/(2T(2r)²))). So
  with probability ≥ 1 − δ, (1/T)Σ_t (F(w_t, v_t, θ_t) − F_lin(u)) ≤ (1/T)Σ_t Z_t + 2r√(2 log(1/δ)/T)
  ≤ K(c)bl/√T + 2r√(2 log(1/δ)/T) by Eq. (18), and the smallest term is at most the average.

Constants used (valid for the paper's hypotheses, computed from the instance by
``theorems.model.skip_sgd.skip_constants``):
b = max_{(w,v)∈M1} ‖(w, v)‖ (exact for balls, boxes and products). For each support point
(x, y): Z(x) = √(‖x‖² + Φ(x)²) with Φ(x) ≥ sup_{θ∈M2}‖f_θ(x)‖ (``residual_net.phi_bound``), so every
prediction over M1 × M2 lies in [−bZ, bZ]; ℓ is convex, so |ℓ'| and |ℓ| (ℓ ≥ 0 or linear) are
largest at an end of that interval: l = max_x max_± |ℓ'(±bZ(x); y)|·Z(x),
r = max_x max_± |ℓ(±bZ(x); y)|. (Any larger l is OGD with a smaller c for this l, and
K(c′)·b·l ≤ K(c)·b·l′ then, so the tightest valid l gives the strictest check.)

F is an exact expectation: the distributions are finite (synthetic ones with stated
probabilities, or the Iris data set with its empirical distribution, sampled with replacement).
min F_lin over U = {u : (u, 0) ∈ M1} is computed numerically (projected gradient); the value
used is F_lin(ũ) ≥ min F_lin, and the Frank–Wolfe gap bounding F_lin(ũ) − min F_lin is reported
(``flin_fw_gap``); the runs, the comparator and the verdict are ``theorems.model.repeated_runs``
and ``theorems.model.statistics``. A run *fails* when min_t F(w_t, v_t, θ_t) > F_lin(ũ) + bound; the failure count
over ``runs`` independent runs is tested against δ with an exact one-sided binomial test
(``scipy.stats.binomtest``, H0: P(fail) ≤ δ); the claim holds when p ≥ ALPHA = 1e-6 (a family-wise
false-alarm rate ≤ 1e-6 per evaluated instance if the theorem holds).

Quantities (``theorem4``): ``runs``, ``failures``, ``p_value``, ``delta``, ``alpha``, ``T``, ``b``,
``l``, ``r``, ``eta``, ``c``, ``bound``, ``ogd_term``, ``azuma_term``, ``flin_min`` (F_lin(ũ)),
``flin_fw_gap``, ``worst_excess`` (max over runs of min_t F − F_lin(ũ)), ``worst_avg_excess``
(same for the average over t). ratio = worst_excess/bound (0 if ≤ 0).
Quantities (eq18): ``avg_excess``, ``T``, ``b``, ``l``, ``eta``, ``c``, ``bound``, ``K_c``,
``excess_cap`` = l·diam(M1) (the largest average excess: each round's difference is at most
l·‖(w_t, v_t) − comparator‖ ≤ l·diam(M1)), ``comparator_gap`` (the Frank–Wolfe certificate of the
comparator ũ: (1/T)Σ_t ℓ(ũ) − min ≤ gap; the excess is measured against ũ itself, a feasible
comparator, so a violation is never a false alarm, and an instance with avg_excess ≤ bound <
avg_excess + gap is undecided). ratio = avg_excess/bound.

*Informative examples* (eq18, general): bound < ``excess_cap`` and not undecided. *Necessity*:
the Form (2/c + c/2)·b·l/√T is searched on ``strategies.sgd.skip_sgd_attaining_instances`` first
(the linear loss on a ball, with a far start and small c, alternating targets and large c, T = 1
and c = 2), where every part of the constant is refuted. Tolerance: scale = mean |ℓ| terms + bound, 64·(T + d + k) ulps
(``tolerance.sgd_iterates``).

Quantities (``theorem4``, continued): ``excess_cap`` (r: the losses are non-negative, so
F − F_lin ≤ r), ``k_crit`` (the failure count at which the test rejects; −1: it cannot),
``power_2delta`` (the test's power against a failure rate 2δ), ``false_alarm`` (its rejection rate at
δ, ≤ α), ``undecided`` (runs a comparator inaccuracy within its certified Frank–Wolfe gap could
make fail; ``repeated_runs`` explains the conservative direction: failures are counted against the
feasible ũ, never against F_lin(ũ) − gap).

*Informative examples* (``theorem4``): bound < r, k_crit exists (δ^runs < α) and no run undecided.
The strategy (``strategies.sgd.sgd_experiments``) draws T mostly 64–256, (δ, runs) ∈ {(½, 32),
(¼, 128), (1/10, 400)} — power against 2δ 1.000, 0.875 and 0.856, false-alarm rate ≤ 10⁻⁶ — M2 with
per-entry radius ≤ ½ and depth ≤ 1 (so r and l are the instance's own sizes), and adversarial
starts (the far end of M1 against the targets' least-squares direction).

**Proof steps** (kind ``proof-step``):

- ``theorem4.eq17``: SGD's (w_t, v_t) are the iterates of Eq. (17), "identical to those produced by
  an online gradient descent algorithm … with respect to the sequence of functions g_1, g_2, …":
  Theorem 5's OGD (``ogd.run_ogd``, the convex functions g_t(a) = ℓ(⟨a, z_t⟩; y_t) as
  ``ConvexFn``, z_t = (x_t, f_{θ_t}(x_t)) from SGD's own θ_t) replays them independently of
  ``training.sgd_runs``; claim: max_t ‖Δ_t‖ = 0 (64·(T + d + k) ulps of max‖(w_t, v_t)‖ + ηl).
  Losses with such a family: logistic, linear. Informative: the iterates and θ_t both move.
  Quantities ``deviation``, ``T``, ``eta``, ``b``, ``l``.
  *Tolerance.* Δ_t is the difference of two float64 computations of a_{t+1} = Π_{M1}(a_t −
  ηℓ'(⟨a_t, z_t⟩; y_t)z_t) (the same z_t, the same θ_t): the terms that cancel in it are the
  iterates (≤ max_t‖a_t‖) and the steps (η‖∇g_t‖ ≤ ηl), hence the scale max_t‖a_t‖ + ηl; each step
  rounds them and an inner product of d + k terms, and Π_{M1} is 1-Lipschitz, so the rounding adds
  up over the T steps: T + d + k units (``tolerance.sgd_iterates``). The inner product's rounding
  also reaches the step through ℓ'' (η·|ℓ''|·‖z_t‖²·‖a_t‖, i.e. κ = η·max|ℓ''|·max‖z_t‖² times
  the iterate's size; κ = 0 for the linear loss). It is not in the scale, by measurement: with the
  replay's inner product moved by its whole rounding bound (d + k)·u·Σ|a_i z_i| at every step
  (what another BLAS or SIMD sum could do at most), the largest deviation over the 1,000 examples
  of seed 29 was 4.5·10⁻³ of the tolerance (κ up to 34 there); recomputed correctly rounded
  (math.fsum), 5·10⁻⁴ (seed 29) and 1.6·10⁻³ (seed 1). On this code the two replays agree bit for
  bit (deviation 0 on every example; no rounding artifact at seeds 0, 1 and 29), so a float64
  violation would be over 200 times what rounding can make the replays disagree by: the 60-digit
  re-evaluation decides it, as for every claim (``tests/test_theorem4.py`` pins the margin).
- ``theorem4.eq17.projection``: "the projection of (w, v, θ) on the product set M = M1 × M2 is
  equivalent to separately projecting": at every SGD step z, p = (Π_{M1}, Π_{M2})(z) satisfies the
  variational inequality of Π_M — sup_{q∈M}⟨z − p, q − p⟩ ≤ 0 and p ∈ M
  (``training.product_projection_certificate``). Informative: some step leaves M. Quantities
  ``certificate``, ``step_outside``, ``T``. Tightness: ratio 1 (attained) wherever it holds — q = p ∈ M
  gives ⟨z − p, q − p⟩ = 0, so the sup is ≥ 0 and the relation is an equality (∞ where it fails).
- ``theorem4.martingale``: "conditioned on this history, the expectation of ℓ(w_tᵀx_t +
  v_tᵀf_{θ_t}(x_t); y_t) − ℓ(wᵀx_t; y_t) (over (x_t, y_t)) equals F(w_t, v_t, θ_t) − F_lin(w)" —
  exactly on a finite distribution: one history of T − 1 samples is branched n ways (run i sees
  x_i as its T-th sample, all n runs batched), and Σ_i p_i Z_T(i) is compared with
  F(w_T, v_T, θ_T) − F_lin(ũ) from ``repeated_runs.run_objectives`` on the unbranched history; a
  θ or (w, v) update that used (x_T, y_T) before the loss would break it. Informative:
  F − F_lin ≠ 0 beyond rounding. Quantities ``conditional_mean``, ``gap_F``, ``T``, ``eta``.
  (The Azuma step itself, P((1/T)Σ D_t > 2r√(2 log(1/δ)/T)) ≤ δ, is ``theorem4.azuma``: exact over
  all n^T sample paths of a small finite distribution, for every δ at once.)

High precision: eq18 re-runs SGD (backpropagation included) on mpmath arrays. For ``theorem4``
the float64 pass picks the runs to re-run at dps digits — every failing run, every run within
10⁶ per-run tolerances of the bound, and the tightest run (``statistics.repeated_runs_verdict``,
shared with ``theorem6.vector_sgd.high_probability``; the float64 pass's per-run margins are handed
over as a ``statistics.RunsHandoff``, reported as the quantities ``_run_excess``, ``_run_avg_excess``
and ``_run_tol``); the failure count uses the high-precision verdicts of those runs (a violation is
therefore only confirmed by runs that fail at dps digits).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from strategies.core import forwards_filters
from strategies.sgd import sgd_experiments, skip_sgd_attaining_instances, skip_sgd_instances
from theorems.contract import Claim, Evaluation, Form, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model import losses as L
from theorems.model.convex_functions import ConvexFn
from theorems.model.convex_sets import Ball, Product, v_zero_slice
from theorems.model.data import iris
from theorems.model.ogd import K, run_ogd
from theorems.model.repeated_runs import high_probability_runs, run_objectives, sample_indices
from theorems.model.residual_net import ResidualNet
from theorems.model.skip_sgd import SGDExperiment, SkipSGDInstance, experiment_constants, skip_constants
from theorems.model.training import minimize_over, product_projection_certificate, sgd_runs

SOURCE = "Theorem 4, Sec. 5 (proof in Sec. 6.4)"
SOURCE_EQ18 = "Eq. (18), proof of Theorem 4, Sec. 6.4"
SOURCE_GEN = "proof of Theorem 4, Sec. 6.4 (the display before Eq. 18)"
SOURCE_EQ17 = "Eq. (17), proof of Theorem 4, Sec. 6.4"
SOURCE_MART = "proof of Theorem 4, Sec. 6.4 (after Eq. 18: the martingale-difference sequence)"

__all__ = ["evaluate_eq18", "evaluate_theorem4", "example_eq18", "example_theorem4"]

EQ18_QUANTITIES = ("avg_excess", "T", "b", "l", "eta", "c", "bound", "K_c", "excess_cap", "comparator_gap")
THM4_QUANTITIES = ("runs", "failures", "p_value", "delta", "alpha", "T", "b", "l", "r", "eta", "c", "bound",
                   "ogd_term", "azuma_term", "flin_min", "flin_fw_gap", "worst_excess", "worst_avg_excess",
                   "excess_cap", "k_crit", "power_2delta", "false_alarm", "undecided")


def _hyps():
    return {"M = M1 × M2 closed convex, ‖(w,v)‖ ≤ b on M1": True,
            "ℓ l-Lipschitz in (w,v) and |ℓ| ≤ r over M1 × M2 × support": True,
            "{u : (u,0) ∈ M1} nonempty": True}


HYPS = tuple(_hyps())


def _require(b, l, U):
    if not (b > 0 and l > 0):
        raise HypothesisNotMet("argument 'M1': needs b > 0 and l > 0 (positive constants b, l of Theorem 4)")
    if U is None:
        raise HypothesisNotMet("argument 'M1': {u : (u, 0) ∈ M1} is empty (or not a ball/box/product slice)")


# ---------------------------------------------------------------------------- Eq. (18)

def evaluate_eq18(inst: SkipSGDInstance, *, general: bool = False, factor=1) -> Evaluation:
    net, loss, T, d = inst.net, inst.loss, inst.T, inst.net.d
    b, l, _ = skip_constants(net, loss, inst.M1, inst.M2, inst.X, inst.y)
    U = inst.M1 if general else v_zero_slice(inst.M1, d)
    _require(b, l, U)
    like = inst.wv1
    rootT = B.sqrt(B.scalar_like(T, like))
    c = B.scalar_like(inst.c, like)
    eta = c * b / (l * rootT)
    wv1, th1 = inst.M1.project(inst.wv1), inst.M2.project(inst.theta1)
    tr = sgd_runs(net, loss, inst.M1, inst.M2, inst.X, inst.y, np.arange(T)[None, :], wv1, th1, eta,
                  theta_rule=inst.theta_rule, r_seed=inst.r_seed, r_scale=inst.r_scale)
    Z = np.stack([z[0] for z in tr.z])                      # (T, d + k)
    Zc = Z if general else Z[:, :d]
    a, gap = minimize_over(U, Zc, inst.y, np.full(T, 1.0 / T), loss)
    a = U.project(B.to_mp(a) if B.is_mp(like) else a)
    alg = np.array([lt[0] for lt in tr.loss_t])
    comp = loss.value(Zc @ a, inst.y)
    diff = loss.diff(np.array([B.asum(tr.wv[t][0] * Z[t]) for t in range(T)]), Zc @ a, inst.y)
    avg = B.asum(diff) / T
    K_c = K(c)
    bound = K_c * b * l / rootT
    scale = (B.asum(np.array([abs(v) for v in alg])) + B.asum(np.array([abs(v) for v in comp]))) / T + bound
    cap = l * inst.M1.diameter()
    q = dict(avg_excess=avg, T=T, b=b, l=l, eta=eta, c=c, bound=bound, K_c=K_c, excess_cap=cap, comparator_gap=gap)
    what = "(w, v) ∈ M1" if general else "(u, 0) ∈ M1"
    # informative: the bound is below the largest possible average excess l·diam(M1), and the
    # comparator's certified gap cannot hide a violation (avg ≤ bound < avg + gap is undecided)
    informative = bool(bound / factor < cap) and not bool(avg <= bound / factor < avg + gap)
    return Evaluation.compare(avg, "<=", bound / factor, scale=scale, ulps=tolerance.sgd_iterates(T, d, net.k),
                              quantities=q, hypotheses=_hyps(), source=SOURCE_GEN if general else SOURCE_EQ18,
                              informative=informative,
                              label=f"(1/T)Σ_t(ℓ(iterate) − ℓ(comparator)) ≤ (2/c + c/2)·b·l/√T over {what}")


# ---------------------------------------------------------------------------- Theorem 4

def evaluate_theorem4(ex: SGDExperiment, *, bound_factor=1) -> Evaluation:
    return _repeated_runs_test(ex, gate="min", statistic="min_t F", source=SOURCE, bound_factor=bound_factor)


def _repeated_runs_test(ex: SGDExperiment, *, gate: str, statistic: str, source: str,
                        bound_factor=1) -> Evaluation:
    """Theorem 4's high-probability bound over repeated runs, judged by an exact binomial test, with the
    per-run statistic ``gate`` ("min": min_t; "mean": the average over t) — shared by ``theorem4`` and
    ``theorem4.average``."""
    b, l, r = experiment_constants(ex)
    U = v_zero_slice(ex.M1, ex.net.d)
    _require(b, l, U)
    hp = high_probability_runs(ex, b=b, l=l, r=r, comparator_set=U, bound_factor=bound_factor, gate=gate,
                               ulps=tolerance.sgd_iterates(ex.T, ex.net.d, ex.net.k))
    lhs, rhs = hp.p_value_test()
    fails = hp.verdict.failures
    return Evaluation.compare(lhs, ">=", rhs, scale=1.0, ulps=tolerance.closed_form(),
                              quantities=hp.quantities(THM4_QUANTITIES),
                              hypotheses=_hyps(), source=source, ratio=hp.verdict.ratio, informative=hp.informative,
                              label=(f"binomial p-value of {fails}/{ex.runs} runs with {statistic} > min F_lin + "
                                     + ("" if bound_factor == 1 else f"{bound_factor:g}·")
                                     + f"(K(c)bl/√T + 2r√(2log(1/δ)/T)), H0: P(fail) ≤ δ = {float(hp.delta):.3g}"))


# ---------------------------------------------------------------------------- Eq. (17) and the martingale step

REPLAY_FAMILIES = {"logistic": "logistic", "linear": "linear"}   # ℓ(⟨a, z⟩; y) as a ConvexFn of a


def _eta_run(inst):
    net, loss, T = inst.net, inst.loss, inst.T
    b, l, _ = skip_constants(net, loss, inst.M1, inst.M2, inst.X, inst.y)
    _require(b, l, inst.M1)
    like = inst.wv1
    eta = B.scalar_like(inst.c, like) * b / (l * B.sqrt(B.scalar_like(T, like)))
    wv1, th1 = inst.M1.project(inst.wv1), inst.M2.project(inst.theta1)
    tr = sgd_runs(net, loss, inst.M1, inst.M2, inst.X, inst.y, np.arange(T)[None, :], wv1, th1, eta,
                  theta_rule=inst.theta_rule, r_seed=inst.r_seed, r_scale=inst.r_scale)
    return b, l, eta, wv1, tr


def _moved(seq, scale):
    return tolerance.beyond_rounding(max(B.norm(s[0] - seq[0][0]) for s in seq), scale)


@forwards_filters(skip_sgd_instances, fixed=("losses",))
def eq17_instances(**filters):
    """Eq. (17) instances: ``skip_sgd_instances`` with the losses the OGD replay can express."""
    return skip_sgd_instances(losses=["logistic", "linear"], **filters)


@forwards_filters(sgd_experiments)
def martingale_experiments(**filters):
    """Experiments for the martingale step: T ≤ 32 by default (one history, branched n ways)."""
    return sgd_experiments(**({"max_T": 32, "max_runs": 32} | filters))


def evaluate_eq17(inst: SkipSGDInstance, *, features: str = "theta_t") -> Evaluation:
    """SGD's (w_t, v_t) = the OGD iterates on g_t over M1 (Eq. 17), replayed independently."""
    fam = REPLAY_FAMILIES.get(inst.loss.name)
    if fam is None:
        raise HypothesisNotMet(f"argument 'loss': the independent OGD replay needs ℓ(⟨a, z⟩; y) as a convex "
                               f"function family ({', '.join(REPLAY_FAMILIES)}), got {inst.loss.name!r}")
    b, l, eta, wv1, tr = _eta_run(inst)
    T = inst.T
    # g_t(a) = ℓ(⟨a, z_t⟩; y_t), z_t = (x_t, f_{θ_t}(x_t)) from SGD's own θ_t: −y_t·⟨a, z_t⟩ (linear loss)
    # or log(1 + e^{−y_t⟨a, z_t⟩}) (logistic), played by Theorem 5's projected OGD (``ogd.run_ogd``)
    # (the control ``features="theta_1"`` builds g_t from f_{θ_1}: the features frozen at the start)
    z = tr.z if features == "theta_t" else [np.concatenate([inst.X[t:t + 1], inst.net.forward_one(
        tr.theta[0], inst.X[t:t + 1])[0]], axis=-1) for t in range(T)]
    fns = [ConvexFn(fam, (-inst.y[t] * z[t][0])[None, :], 0 * inst.y[t:t + 1]) for t in range(T)]
    run = run_ogd(inst.M1, fns, T, eta, wv1, adversary="fixed")
    dev = max(B.norm(run.xs[t] - tr.wv[t][0]) for t in range(T))
    scale = max(B.norm(w[0]) for w in tr.wv) + eta * l
    informative = _moved(tr.wv, scale) and _moved(tr.theta, max(B.norm(t[0]) for t in tr.theta) + eta * l)
    return Evaluation.compare(dev, "==", 0 * dev, scale=scale, ulps=tolerance.sgd_iterates(T, inst.net.d, inst.net.k),
                              quantities=dict(deviation=dev, T=T, eta=eta, b=b, l=l), hypotheses=_hyps(),
                              source=SOURCE_EQ17, informative=informative,
                              label="max_t ‖(w_t, v_t)_SGD − (w_t, v_t)_OGD on g_t over M1‖ = 0 (Eq. 17)")


def _radial(M1, M2):
    """The control's wrong 'projection': rescale the whole (w, v, θ) onto the ball of radius max‖M‖."""
    R = B.sqrt(M1.max_norm() ** 2 + M2.max_norm() ** 2)

    def proj(z_wv, z_th):
        n = B.sqrt(B.asum(z_wv * z_wv) + B.asum(z_th * z_th))
        s = R / n if n > R else 1 + 0 * n
        return z_wv * s, z_th * s
    return proj


def evaluate_eq17_projection(inst: SkipSGDInstance, *, radial: bool = False) -> Evaluation:
    """The blockwise projection is Π_{M1 × M2} at every SGD step (variational inequality)."""
    b, l, eta, _, tr = _eta_run(inst)
    certs = [product_projection_certificate(inst.M1, inst.M2, tr.wv_step[t][0], tr.theta_step[t][0],
                                            project=_radial(inst.M1, inst.M2) if radial else None)
             for t in range(inst.T)]
    sup = max(s for s, _ in certs)
    dist = max(r for _, r in certs)
    # rounding: p = Π(z) is exact to a few ulps of ‖p‖ ≤ max‖M‖, so ⟨z − p, q − p⟩ carries an error of
    # ulps·(‖z − p‖ + max‖M‖)·(diam(M) + ‖z − p‖) even when z is just outside M
    big = B.sqrt(inst.M1.max_norm() ** 2 + inst.M2.max_norm() ** 2)
    scale = (dist + big) * (B.sqrt(inst.M1.diameter() ** 2 + inst.M2.diameter() ** 2) + dist)
    ev = Evaluation.compare(sup, "<=", 0 * sup, scale=scale, ulps=tolerance.sgd_iterates(inst.T, inst.net.d,
                                                                                        inst.net.k),
                            quantities=dict(certificate=sup, step_outside=dist, T=inst.T), hypotheses=_hyps(),
                            source=SOURCE_EQ17, informative=tolerance.beyond_rounding(dist, big + dist),
                            label="sup_{q∈M1×M2}⟨z − p, q − p⟩ ≤ 0 for p = (Π_M1, Π_M2)(z) at every SGD step")
    # tightness: the sup over q ∈ M includes q = p, where ⟨z − p, q − p⟩ = 0, so sup ≥ 0 always and the
    # relation sup ≤ 0 is attained (= 0) wherever it holds: ratio 1, ∞ where it fails. (A hard-coded 0
    # said "never tight".) The control keeps the discrepancy in tolerance units as its search target.
    return ev if radial else replace(ev, ratio=1.0 if ev.holds else math.inf)


def evaluate_martingale(ex: SGDExperiment, *, uniform: bool = False) -> Evaluation:
    """E[ℓ(w_tᵀx + v_tᵀf_{θ_t}(x); y) − ℓ(uᵀx; y) | history] = F(w_t, v_t, θ_t) − F_lin(u), exactly."""
    b, l, r = experiment_constants(ex)
    U = v_zero_slice(ex.M1, ex.net.d)
    _require(b, l, U)
    like, T = ex.X, ex.T
    mp = B.is_mp(like)
    eta = B.scalar_like(ex.c, like) * b / (l * B.sqrt(B.scalar_like(T, like)))
    a, _ = minimize_over(U, ex.X, ex.y, ex.p, ex.loss)
    u = U.project(B.to_mp(a) if mp else a)
    n = ex.X.shape[0]
    hist = sample_indices(ex.seed, ex.p, 1, T)[0]
    # n branches of the same history: run i sees x_i as its T-th sample (the history's first T − 1 fixed)
    idx = np.concatenate([np.tile(hist[:-1], (n, 1)), np.arange(n)[:, None]], axis=1)
    tr = sgd_runs(ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.y, idx, ex.M1.project(ex.wv1), ex.M2.project(ex.theta1), eta)
    Z = tr.loss_t[T - 1] - ex.loss.value(ex.X @ u, ex.y)                  # Z_T(i), i = 1..n
    w = ex.p if not uniform else 0 * ex.p + B.scalar_like(1, like) / n     # the control: uniform weights
    cond = B.asum(w * Z)                                                   # E[Z_T | history]
    F_T = run_objectives(ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.y, ex.p, hist[None, :], ex.wv1, ex.theta1,
                         eta)[0, T - 1]
    rhs = F_T - ex.linear_objective(u)
    # rounding of ℓ(q; y) is |ℓ'(q)| times that of q = (w, v)·(x, φ), i.e. relative to q's terms, not to
    # ℓ: near an interpolating iterate ℓ ~ 1e-8 while q ~ 1 (a 60-digit false alarm with the values
    # alone as scale, found by the nightly audit, seed 1, 5,000 examples)
    wv, z = tr.wv[T - 1], tr.z[T - 1]
    q_terms = np.sum(B.abs_(wv * z), axis=-1)
    slope = B.asum(ex.p * B.abs_(ex.loss.d1(np.sum(wv * z, axis=-1), ex.y)) * q_terms)
    q_lin = ex.X @ u
    slope_lin = B.asum(ex.p * B.abs_(ex.loss.d1(q_lin, ex.y)) * (B.abs_(ex.X) @ B.abs_(u)))
    scale = (B.asum(ex.p * np.array([abs(z) for z in tr.loss_t[T - 1]])) + abs(ex.linear_objective(u))
             + slope + slope_lin)
    return Evaluation.compare(cond, "==", rhs, scale=scale, ulps=tolerance.sgd_iterates(T, ex.net.d, ex.net.k),
                              quantities=dict(conditional_mean=cond, gap_F=rhs, T=T, eta=eta),
                              hypotheses=_hyps(), source=SOURCE_MART,
                              informative=tolerance.beyond_rounding(rhs, scale),
                              label="E[Z_t | history] = F(w_t, v_t, θ_t) − F_lin(u) (the martingale-difference step)")


# ---------------------------------------------------------------------------- claims

def example_eq18(seed: int = 0, T: int = 24, theta_rule: str = "sgd") -> SkipSGDInstance:
    rng = np.random.default_rng(seed)
    net = ResidualNet(3, 3, 1)
    X = rng.normal(size=(T, 3))
    y = np.sign(X[:, 0] * X[:, 1] + 0.1)
    M1 = Product((Ball(np.zeros(3), 2.0), Ball(np.zeros(3), 1.0)))
    M2 = Product(tuple(Ball(np.zeros(int(np.prod(s))), 1.5) for s in net.shapes))
    return SkipSGDInstance(X, y, L.logistic(), net, M1, M2, np.zeros(6), M2.project(net.init(seed)), 2.0, theta_rule)


def example_theorem4(dataset: str = "synthetic", *, runs: int = 32, T: int = 256, delta: float = 0.5,
                     seed: int = 0, depth: int = 1) -> SGDExperiment:
    """A residual network trained by backpropagation: on an XOR-type synthetic distribution (8
    support points) or on Iris (versicolor vs virginica, empirical distribution, n = 100). The
    defaults are informative: T = 256, δ = 1/2 with 32 runs (the test rejects from 30 failures; power 1
    against 2δ) and M2 small (per-entry radius ½), so the bound is below r."""
    rng = np.random.default_rng(seed)
    if dataset == "iris":
        X, y = iris()
        meta = {"distribution": "iris (versicolor vs virginica), empirical"}
    elif dataset == "synthetic":
        X = rng.normal(size=(8, 2))
        y = np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0)
        meta = {"distribution": "xor-type, 8 points"}
    else:
        raise ValueError(f"argument 'dataset': expected 'synthetic' or 'iris', got {dataset!r}")
    n, d = X.shape
    net = ResidualNet(d, 4, depth)
    M1 = Product((Ball(np.zeros(d), 3.0), Ball(np.zeros(4), 2.0)))
    M2 = Product(tuple(Ball(np.zeros(int(np.prod(s))), 0.5 * np.sqrt(np.prod(s))) for s in net.shapes))
    return SGDExperiment(X, y, np.full(n, 1.0 / n), L.logistic(), net, M1, M2, np.zeros(d + 4),
                         M2.project(net.init(seed)), 2.0, T, delta, runs, seed, meta)


def _eq18_necessity():
    return st.one_of(skip_sgd_attaining_instances(), skip_sgd_instances(max_T=16))


theorem4_eq18 = register(Claim(
    id="theorem4.eq18", cost=11, source=SOURCE_EQ18, kind="explicit-constant",
    statement=("(1/T) Σ_t (ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(wᵀx_t; y_t)) ≤ O(bl/√T) for every w with "
               "(w, 0) ∈ M1, deterministically, for any sample sequence and any θ updates (18). Explicit: "
               "≤ (2/c + c/2)·b·l/√T for η = c·b/(l√T)."),
    evaluate_fn=evaluate_eq18, strategy_fn=skip_sgd_instances, example_fn=example_eq18,
    hypotheses=HYPS, quantities=EQ18_QUANTITIES, polish=False,
    form=Form("avg_excess <= (2/c + c/2)*b*l/sqrt(T)", strategy=lambda: _eq18_necessity(), max_examples=40),
    controls=(
        Variant("theorem4.eq18.sharper_x4", "Eq. (18) with the explicit bound divided by 4",
                lambda i: evaluate_eq18(i, factor=4),
                strategy=lambda: skip_sgd_instances(max_T=16, losses=["linear"], max_depth=0),
                searched_with_claim=True),
    ),
))

theorem4_eq18_general = register(Claim(
    id="theorem4.eq18.general", cost=12, source=SOURCE_GEN, kind="explicit-constant",
    statement=("∀(w, v) ∈ M1: (1/T) Σ_t (ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(wᵀx_t + vᵀf_{θ_t}(x_t); y_t)) ≤ "
               "O(bl/√T). Explicit: ≤ (2/c + c/2)·b·l/√T for η = c·b/(l√T)."),
    evaluate_fn=lambda i, **kw: evaluate_eq18(i, general=True, **kw), strategy_fn=skip_sgd_instances,
    example_fn=example_eq18, hypotheses=HYPS, quantities=EQ18_QUANTITIES,
    polish=False,
    form=Form("avg_excess <= (2/c + c/2)*b*l/sqrt(T)", strategy=lambda: _eq18_necessity(), max_examples=40),
    controls=(
        Variant("theorem4.eq18.general.sharper_x4", "the general form with the explicit bound divided by 4",
                lambda i: evaluate_eq18(i, general=True, factor=4),
                strategy=lambda: skip_sgd_instances(max_T=16, losses=["linear"], max_depth=0),
                searched_with_claim=True),
    ),
))

theorem4 = register(Claim(
    id="theorem4", cost=18, source=SOURCE, kind="explicit-constant",
    statement=("With probability at least 1 − δ, one of the SGD iterates satisfies F(w_t, v_t, θ_t) ≤ "
               "min_{u:(u,0)∈M1} F_lin(u) + O((bl + r√log(1/δ))/√T). Explicit: + (2/c + c/2)·b·l/√T + "
               "2r√(2 log(1/δ)/T) for η = c·b/(l√T); checked by an exact binomial test over repeated runs."),
    evaluate_fn=evaluate_theorem4, strategy_fn=sgd_experiments, example_fn=example_theorem4,
    hypotheses=HYPS,
    quantities=THM4_QUANTITIES,
    polish=False,
    controls=(
        Variant("theorem4.bound_div_1000",
                "the same high-probability statement with the explicit bound divided by 1000 (v pinned to 0)",
                lambda i: evaluate_theorem4(i, bound_factor=1e-3),
                strategy=lambda: sgd_experiments(datasets=["synthetic"], v_pinned=True, max_T=8, max_runs=24),
                max_examples=100, searched_with_claim=True),
    ),
))


theorem4_eq17 = register(Claim(
    id="theorem4.eq17", source=SOURCE_EQ17, kind="proof-step",
    statement=("Our stochastic gradient descent algorithm produces iterates (w_t, v_t) which are identical to those "
               "produced by the updates (w_{t+1}, v_{t+1}) = Π_{M1}((w_t, v_t) − η∇g_t((w_t, v_t))) (17), "
               "g_t((w, v)) = ℓ(wᵀx_t + vᵀf_{θ_t}(x_t); y_t) (16) — and these are the iterates of online gradient "
               "descent on g_1, g_2, … (replayed independently by Theorem 5's OGD)."),
    evaluate_fn=evaluate_eq17, strategy_fn=eq17_instances,
    example_fn=example_eq18, hypotheses=HYPS, quantities=("deviation", "T", "eta", "b", "l"), polish=False,
    informative_rule="the (w, v) iterates and θ_t both move beyond rounding",
    controls=(
        Variant("theorem4.eq17.frozen_theta_replay",
                "the OGD replay on g_t built from θ_1 instead of θ_t (the features frozen at the start)",
                lambda i: evaluate_eq17(i, features="theta_1"),
                strategy=lambda: skip_sgd_instances(losses=["linear"], theta_rules=["ascent"], max_T=8),
                searched_with_claim=True),
    ),
))

theorem4_eq17_projection = register(Claim(
    id="theorem4.eq17.projection", source=SOURCE_EQ17, kind="proof-step",
    statement=("The projection of (w, v, θ) on the product set M = M1 × M2 is equivalent to separately projecting "
               "(w, v) on M1 and θ on M2 (Sec. 6.4, after Eq. 17); checked at every SGD step by the variational "
               "inequality sup_{q∈M}⟨z − p, q − p⟩ ≤ 0 of p = (Π_{M1}, Π_{M2})(z)."),
    evaluate_fn=evaluate_eq17_projection, strategy_fn=skip_sgd_instances, example_fn=example_eq18,
    hypotheses=HYPS, quantities=("certificate", "step_outside", "T"), polish=False,
    informative_rule="some SGD step leaves M (‖z − p‖ beyond rounding)",
    controls=(
        Variant("theorem4.eq17.projection.radial",
                "the radial rescaling of the whole vector onto M's max-norm ball is the projection on M1 × M2",
                lambda i: evaluate_eq17_projection(i, radial=True),
                strategy=lambda: skip_sgd_instances(max_T=4), searched_with_claim=True),
    ),
))

theorem4_martingale = register(Claim(
    id="theorem4.martingale", source=SOURCE_MART, kind="proof-step",
    statement=("Each (x_t, y_t) is a fresh sample, independent of the history up to round t, and conditioned on this "
               "history, the expectation of ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(wᵀx_t; y_t) (over (x_t, y_t)) "
               "equals F(w_t, v_t, θ_t) − F_lin(w); checked exactly on finite distributions by branching the "
               "history on every support point."),
    evaluate_fn=evaluate_martingale, strategy_fn=martingale_experiments,
    example_fn=example_theorem4, hypotheses=HYPS, quantities=("conditional_mean", "gap_F", "T", "eta"),
    polish=False, informative_rule="F(w_t, v_t, θ_t) − F_lin(w) is non-zero beyond rounding",
    controls=(
        Variant("theorem4.martingale.uniform_weights",
                "the conditional mean taken with uniform weights instead of the distribution's p",
                lambda e: evaluate_martingale(e, uniform=True),
                strategy=lambda: sgd_experiments(datasets=["synthetic"], max_T=8, max_runs=24),
                searched_with_claim=True),
    ),
))


# ---------------------------------------------------------------------------- Sec. 6.4: g_t and the averaged bound

SOURCE_G = "proof of Theorem 4, Sec. 6.4 (after Theorem 5: each g_t is convex and l-Lipschitz)"
SOURCE_AVG = "proof of Theorem 4, Sec. 6.4 (the averaged high-probability display and its rearranged form)"


def _g_pairs(inst, tr, t):
    """Pairs (a, a′) in M1 at which g_t is probed: consecutive iterates, and the two points of M1 farthest
    along ±z_t (where |g_t(a) − g_t(a′)| comes closest to l‖a − a′‖)."""
    z = tr.z[t][0]
    far = z * (inst.M1.max_norm() * 4 / (B.norm(z) + (1 if not B.norm(z) > 0 else 0)))
    pairs = [(inst.M1.project(far), inst.M1.project(-far))]
    if t + 1 < len(tr.wv):
        pairs.append((tr.wv[t][0], tr.wv[t + 1][0]))
    return z, pairs


def evaluate_g_lipschitz(inst: SkipSGDInstance, *, factor=1) -> Evaluation:
    """"Each function g_t is also … l-Lipschitz": max over t and probe pairs (a, a′) ⊂ M1 (``_g_pairs``) of
    |g_t(a) − g_t(a′)| / (l‖a − a′‖) ≤ 1, g_t(a) = ℓ(⟨a, z_t⟩; y_t) on SGD's own z_t = (x_t, f_{θ_t}(x_t)),
    l from ``skip_constants`` (the hypothesis of Theorem 4). ``factor`` (the control) divides l.

    Each pair is judged with its own tolerance: the quotient's rounding error is u·|ℓ′|·Σ|a_i z_i|/(l‖a − a′‖),
    which grows as the pair closes, so one scale for all pairs (the largest) let a close pair's noise hide a
    far pair's violation (a quotient of 1.21 once held with tolerance 446). The pair judged is the one most
    violating in its own tolerance units. A pair whose predictions ⟨a, z_t⟩, ⟨a′, z_t⟩ differ only by rounding
    (e.g. two projected iterates 1e-16 apart) probes nothing and is skipped: its quotient is noise.
    ratio = the largest quotient over the pairs that probe (its real tightness). Informative: some pair
    probes."""
    b, l, eta, _, tr = _eta_run(inst)
    loss, informative = inst.loss, False
    judged, tight = None, None          # judged: (violation in its own units, quotient, scale)
    for t in range(inst.T):
        z, pairs = _g_pairs(inst, tr, t)
        y = inst.y[t:t + 1]
        for a, a2 in pairs:
            dist = B.norm(a - a2)
            q, q2 = B.asum(a * z), B.asum(a2 * z)
            terms = B.asum(B.abs_(a * z)) + B.asum(B.abs_(a2 * z))
            if not (dist > 0 and tolerance.beyond_rounding(q - q2, terms)):
                continue
            informative = True
            diff = abs(loss.diff(np.array([q]), np.array([q2]), y)[0])
            quotient = diff / (l / factor * dist)
            scale = 1 + float(abs(loss.d1(np.array([q]), y)[0]) * terms / (l / factor * dist))
            units = (float(quotient) - 1) / scale
            if judged is None or units > judged[0]:
                judged = (units, quotient, scale)
            if tight is None or quotient > tight:
                tight = quotient
    _, lhs, scale = judged if judged is not None else (None, 0 * l, 1.0)
    tight = lhs if tight is None else tight
    return Evaluation.compare(lhs, "<=", 1 + 0 * lhs, scale=scale,
                              ulps=tolerance.sgd_iterates(inst.T, inst.net.d, inst.net.k),
                              quantities=dict(lipschitz_ratio=tight, l=l, T=inst.T, b=b), hypotheses=_hyps(),
                              source=SOURCE_G, informative=informative, ratio=tight,
                              label="max_t |g_t(a) − g_t(a′)|/(l‖a − a′‖) ≤ 1 over probe pairs in M1")


def evaluate_g_convex(inst: SkipSGDInstance, *, concave=False) -> Evaluation:
    """"Each function g_t is also convex": midpoint convexity g_t((a + a′)/2) ≤ (g_t(a) + g_t(a′))/2 at the
    probe pairs of every round, checked as the largest normalised excess (g_t(mid) − mean)/scale ≤ 0,
    scale = |g_t(a)| + |g_t(a′)| + |ℓ′|·Σ|a_i z_i|. ratio None: the Jensen gap has no scale-free tightness
    (its attained case, a loss linear between the two predictions, gives 0 ≤ 0). ``concave`` (the control)
    uses −ℓ. Informative: some pair with ⟨a − a′, z_t⟩ ≠ 0."""
    b, l, eta, _, tr = _eta_run(inst)
    loss, worst, informative = inst.loss, None, False
    sign = -1 if concave else 1
    for t in range(inst.T):
        z, pairs = _g_pairs(inst, tr, t)
        y = inst.y[t:t + 1]
        for a, a2 in pairs:
            qs = np.array([B.asum(a * z), B.asum(a2 * z), B.asum((a + a2) / 2 * z)])
            g = sign * loss.value(qs, np.repeat(y, 3))
            sc = abs(g[0]) + abs(g[1]) + abs(loss.d1(qs[:1], y)[0]) * (B.asum(B.abs_(a * z)) + B.asum(B.abs_(a2 * z)))
            excess = (g[2] - (g[0] + g[1]) / 2) / (sc if sc > 0 else 1)
            informative = informative or bool(qs[0] != qs[1])
            if worst is None or excess > worst:
                worst = excess
    worst = 0 * l if worst is None else worst
    ev = Evaluation.compare(worst, "<=", 0 * worst, scale=1.0,
                            ulps=tolerance.sgd_iterates(inst.T, inst.net.d, inst.net.k),
                            quantities=dict(jensen_excess=worst, T=inst.T), hypotheses=_hyps(), source=SOURCE_G,
                            informative=informative,
                            label="max_t (g_t((a + a′)/2) − (g_t(a) + g_t(a′))/2)/scale ≤ 0 (midpoint convexity)")
    return replace(ev, ratio=None)      # (compare's default would be 0 or ∞ from dividing by the bound 0)


def evaluate_average(ex: SGDExperiment, *, bound_factor=1) -> Evaluation:
    """The averaged display, w.p. ≥ 1 − δ: (1/T)Σ_t (F(w_t, v_t, θ_t) − F_lin(w)) ≤ K(c)bl/√T +
    2r√(2 log(1/δ)/T), checked as ``theorem4`` is (exact binomial test over repeated runs) with the per-run
    statistic the average over t instead of the minimum (``high_probability_runs(gate="mean")``). Its
    rearranged form (1/T)Σ_t F(w_t, v_t, θ_t) ≤ F_lin(w) + (…) is the same inequality (F_lin(w) moved across),
    so one check covers both. Informative as ``theorem4``."""
    return _repeated_runs_test(ex, gate="mean", statistic="(1/T)Σ_t F", source=SOURCE_AVG,
                               bound_factor=bound_factor)


theorem4_g_lipschitz = register(Claim(
    id="theorem4.g_lipschitz", source=SOURCE_G, kind="proof-step",
    statement=("Since ℓ is convex and assumed to be l-Lipschitz in (w, v), each function g_t is also convex and "
               "l-Lipschitz (the l-Lipschitz half), g_t((w, v)) = ℓ(wᵀx_t + vᵀf_{θ_t}(x_t); y_t) (16)."),
    evaluate_fn=evaluate_g_lipschitz, strategy_fn=skip_sgd_instances, example_fn=example_eq18,
    hypotheses=HYPS, quantities=("lipschitz_ratio", "l", "T", "b"), polish=False,
    informative_rule="some probe pair whose predictions ⟨a, z_t⟩ ≠ ⟨a′, z_t⟩ differ beyond rounding",
    controls=(Variant("theorem4.g_lipschitz.half_l", "each g_t is (l/2)-Lipschitz over M1",
                      lambda i: evaluate_g_lipschitz(i, factor=2),
                      strategy=lambda: skip_sgd_instances(max_T=8, losses=["linear"]), searched_with_claim=True),),
))

theorem4_g_convex = register(Claim(
    id="theorem4.g_convex", source=SOURCE_G, kind="proof-step",
    no_ratio="a sign: the largest normalised Jensen gap ≤ 0 has no scale-free tightness (its attained case, a "
             "loss linear between the two predictions, is 0 ≤ 0)",
    statement=("Since ℓ is convex and assumed to be l-Lipschitz in (w, v), each function g_t is also convex and "
               "l-Lipschitz (the convex half)."),
    evaluate_fn=evaluate_g_convex, strategy_fn=skip_sgd_instances, example_fn=example_eq18,
    hypotheses=HYPS, quantities=("jensen_excess", "T"), polish=False,
    informative_rule="some probe pair with ⟨a − a′, z_t⟩ ≠ 0",
    controls=(Variant("theorem4.g_convex.negated_loss", "each g_t built from −ℓ is convex",
                      lambda i: evaluate_g_convex(i, concave=True),
                      strategy=lambda: skip_sgd_instances(max_T=8, losses=["logistic"]), searched_with_claim=True),),
))

theorem4_average = register(Claim(
    id="theorem4.average", cost=18, source=SOURCE_AVG, kind="explicit-constant",
    statement=("With probability at least 1 − δ, (1/T) Σ_t (F(w_t, v_t, θ_t) − F_lin(w)) ≤ O(bl/√T + "
               "r√(log(1/δ)/T)); rearranging, (1/T) Σ_t F(w_t, v_t, θ_t) ≤ F_lin(w) + O((bl + r√log(1/δ))/√T). "
               "Explicit: K(c)·b·l/√T + 2r√(2 log(1/δ)/T), as for theorem4; exact binomial test over runs."),
    evaluate_fn=evaluate_average, strategy_fn=sgd_experiments, example_fn=example_theorem4,
    hypotheses=HYPS, quantities=THM4_QUANTITIES, polish=False,
    informative_rule="bound < r, the test can reject (δ^runs < α) and no run undecided",
    controls=(Variant("theorem4.average.bound_div_1000", "the averaged statement with the bound divided by 1000",
                      lambda i: evaluate_average(i, bound_factor=1e-3),
                      strategy=lambda: sgd_experiments(datasets=["synthetic"], v_pinned=True, max_T=8, max_runs=24),
                      not_searched_why="its v-pinned short runs slow the audit (13.9 → 25.4 s at seed 0) and lower its "
                                       "informative count and tightest ratio (measured)",
                      max_examples=100),),
))


# ---------------------------------------------------------------------------- Sec. 5: h_t is differentiable in (w, v)

SOURCE_H = "Sec. 5, after the SGD update (h_t is always differentiable with respect to w, v)"


def _quotient_errors(inst, wrt):
    """One-sided difference quotients of h_t at (w_1, v_1, θ_1) and the first sample, along every
    coordinate of (w, v) (``wrt="wv"``) or of θ (``wrt="theta"``), with their rounding bounds."""
    from theorems.model.skip_sgd import difference_step, h_value, one_sided_quotients

    loss, net = inst.loss, inst.net
    x, y = inst.X[0], inst.y[0]
    wv, th = inst.M1.project(inst.wv1), inst.M2.project(inst.theta1)
    h0, q, z = h_value(loss, net, x, y, wv, th)
    a = wv if wrt == "wv" else th
    fn = (lambda a_: h_value(loss, net, x, y, a_, th)[0]) if wrt == "wv" else \
        (lambda t_: h_value(loss, net, x, y, wv, t_)[0])
    step = difference_step(a)
    steps = [step * (1 + abs(ai)) for ai in a]
    plus, minus, _ = one_sided_quotients(fn, a, steps)
    slope = loss.d1(np.array([q]), np.array([y]))[0]
    d1 = abs(slope)
    d2 = loss.d2_sup if loss.d2_sup is not None else 0
    zmax = max(abs(zi) for zi in z)
    # the values fn(a ± s e_i): ℓ at a prediction carrying rounding of its terms Σ|a_j z_j| (times |ℓ′| there,
    # ≤ |ℓ′(q)| + ℓ''_sup·s·max|z|), plus the rounding of ℓ itself; each quotient divides two of them by s_i
    terms = abs(h0) + (d1 + d2 * max(steps) * zmax) * (B.asum(B.abs_(wv * z)) + max(steps) * zmax)
    rnd = [4 * tolerance.rounding(terms, ops=tolerance.chain(net.d + net.k, net.depth + 1)) / s for s in steps]
    return dict(plus=plus, minus=minus, q=q, z=z, slope=slope, d2=d2, steps=steps, rnd=rnd, h=h0)


def evaluate_h_differentiable(inst: SkipSGDInstance, *, wrt: str = "wv") -> Evaluation:
    """Both one-sided difference quotients of h_t(w, v, θ) = ℓ(wᵀx_t + vᵀf_θ(x_t); y_t) along every
    coordinate of (w, v) equal the gradient ℓ′(q)·z, z = (x_t, f_θ(x_t)), up to the exact Taylor bound.

    What is tested (the statement's content at a point): in (w, v), h_t = ℓ(⟨(w, v), z⟩; y) is a C² loss
    of a linear map, so for every coordinate i and step s, |D^±_i − ℓ′(q)z_i| ≤ s·z_i²·sup ℓ''/2
    (Taylor with the loss's ``d2_sup``): the right and left derivatives exist and agree, whatever θ
    is — including θ at a ReLU kink of f_θ, where h_t is not differentiable in θ (the control, which
    runs the same quotients along θ and finds a jump |D⁺ − D⁻| ≫ √s). Checked at the first sample and
    at (w_1, v_1, θ_1) of SGD instances (``skip_sgd_instances``) and of exact binary ReLU-kink instances
    (``h_kink_instances``); s = u^{1/3}(1 + |a_i|). Verdict: max over i and ± of
    |D^±_i − ℓ′(q)z_i| / (s_i z_i² sup ℓ''/2 + rounding_i) ≤ 1, rounding_i = 4 × the rounding of h's
    terms (|ℓ| + |ℓ′|·Σ|a_j z_j|) / s_i. Informative: some ℓ′(q)z_i non-zero beyond rounding_i·s_i
    (a derivative the quotients resolve). ``wrt="theta"`` (the control): max_j |D⁺_j − D⁻_j| /
    (√s_j(1 + |D⁺_j| + |D⁻_j|) + 2·rounding_j) ≤ 1 along θ — met by every C² function, refuted at a kink."""
    if inst.loss.d2_sup is None:
        raise HypothesisNotMet(f"argument 'loss': {inst.loss.name!r} has no bound on ℓ'' (the Taylor bound needs it)")
    e = _quotient_errors(inst, wrt)
    plus, minus, steps, rnd = e["plus"], e["minus"], e["steps"], e["rnd"]
    worst, resolved, jump = 0 * e["h"], False, 0 * e["h"]
    for i in range(len(plus)):
        jump = max(jump, abs(plus[i] - minus[i]))
        if wrt == "wv":
            g = e["slope"] * e["z"][i]
            allow = steps[i] * e["z"][i] ** 2 * e["d2"] / 2 + rnd[i]
            err = max(abs(plus[i] - g), abs(minus[i] - g))
            resolved = resolved or bool(abs(g) > rnd[i])
        else:
            allow = B.sqrt(steps[i]) * (1 + abs(plus[i]) + abs(minus[i])) + 2 * rnd[i]
            err = abs(plus[i] - minus[i])
            resolved = resolved or bool(abs(plus[i]) + abs(minus[i]) > rnd[i])
        r = err / allow if allow > 0 else (0 * err if err == 0 else math.inf)
        worst = max(worst, r)
    what = "(w, v)" if wrt == "wv" else "θ"
    return Evaluation.compare(worst, "<=", 1 + 0 * worst, scale=1.0, ulps=0,
                              quantities=dict(quotient_error_ratio=worst, max_jump=jump, step=steps[0],
                                              dims=len(plus)),
                              hypotheses={"ℓ'' bounded (d2_sup)": True}, source=SOURCE_H, informative=resolved,
                              label=(f"one-sided difference quotients of h_t along every coordinate of {what} agree "
                                     + ("with ℓ′(q)·z (Taylor bound)" if wrt == "wv" else "(jump ≤ √s)")))


def _dyadic(lo, hi):
    return st.integers(lo, hi).map(lambda n: n / 4)


@st.composite
def h_kink_instances(draw, *, max_dim: int = 3):
    """SkipSGDInstances (T = 1, depth 0: f_θ(x) = relu(W0x + b0)) with one pre-activation exactly 0 at x:
    dyadic x, W0 (quarters, so W0x is exact in binary) and b0_c = −(W0x)_c; v_c ≠ 0 and a loss with
    ℓ′ ≠ 0 (logistic), so that h_t has a kink in θ at the instance (the right and left derivatives in
    b0_c are ℓ′(q)v_c and 0)."""
    d = draw(st.integers(1, max_dim), label="d")
    k = draw(st.integers(1, max_dim), label="k")
    net = ResidualNet(d, k, 0)
    x = np.array(draw(st.lists(_dyadic(-8, 8), min_size=d, max_size=d), label="x"))
    W0 = np.array(draw(st.lists(_dyadic(-8, 8), min_size=k * d, max_size=k * d), label="W0")).reshape(k, d)
    b0 = np.array(draw(st.lists(_dyadic(-8, 8), min_size=k, max_size=k), label="b0"))
    c = draw(st.integers(0, k - 1), label="kink unit")
    b0[c] = -float(W0[c] @ x)
    wv = np.array(draw(st.lists(_dyadic(-8, 8), min_size=d + k, max_size=d + k), label="(w, v)"))
    wv[d + c] = draw(st.sampled_from([-1.0, -0.5, 0.5, 1.0]), label="v_c")
    y = draw(st.sampled_from([-1.0, 1.0]), label="y")
    theta = np.concatenate([W0.reshape(-1), b0])
    M1 = Ball(np.zeros(d + k), float(np.linalg.norm(wv)) + 1.0)
    M2 = Product((Ball(np.zeros(k * d), float(np.linalg.norm(W0)) + 1.0),
                  Ball(np.zeros(k), float(np.linalg.norm(b0)) + 1.0)))
    return SkipSGDInstance(x[None, :], np.array([y]), L.logistic(), net, M1, M2, wv, theta, 1.0)


def h_instances():
    """The points of ``theorem4.h_differentiable``: SGD instances and ReLU-kink instances."""
    return st.one_of(skip_sgd_instances(max_T=2), h_kink_instances())


def example_h_kink() -> SkipSGDInstance:
    """x = (1, 2), W0 = ((1, −½)), b0 = (0): the pre-activation W0x + b0 is 0 exactly; v = 1, y = 1."""
    net = ResidualNet(2, 1, 0)
    return SkipSGDInstance(np.array([[1.0, 2.0]]), np.array([1.0]), L.logistic(), net, Ball(np.zeros(3), 4.0),
                           Product((Ball(np.zeros(2), 3.0), Ball(np.zeros(1), 3.0))), np.array([0.5, -0.25, 1.0]),
                           np.array([1.0, -0.5, 0.0]), 1.0)


theorem4_h_differentiable = register(Claim(
    id="theorem4.h_differentiable", source=SOURCE_H, kind="literal",
    statement=("Note that h_t(w, v, θ) is always differentiable with respect to w, v. Tested: both one-sided "
               "difference quotients of h_t along every coordinate of (w, v) equal ℓ′(q)·(x_t, f_θ(x_t)) up to the "
               "Taylor bound s·z_i²·sup ℓ''/2, also where f_θ has a ReLU kink at x_t."),
    evaluate_fn=evaluate_h_differentiable, strategy_fn=h_instances, example_fn=example_h_kink,
    hypotheses=("ℓ'' bounded (d2_sup)",), quantities=("quotient_error_ratio", "max_jump", "step", "dims"),
    polish=False, informative_rule="some ℓ′(q)·z_i non-zero beyond the rounding of its quotient",
    controls=(Variant("theorem4.h_differentiable.in_theta",
                      "h_t is differentiable with respect to θ as well (one-sided quotients along θ agree)",
                      lambda i: evaluate_h_differentiable(i, wrt="theta"), strategy=h_kink_instances,
                      searched_with_claim=True,
                      max_examples=20),),
))


# ---------------------------------------------------------------------------- Sec. 6.4: the Azuma step, exactly

SOURCE_AZUMA = "proof of Theorem 4, Sec. 6.4 (\"by Azuma's inequality, with probability at least 1 − δ …\")"
AZUMA_MAX_PATHS = 256      # n^T sample paths, all run at once (``training.sgd_runs``)


def _azuma_tail(A, prob, T, r, factor):
    """max over path values a > 0 of P(A ≥ a)·exp(T(factor·a)²/(8r²)) (with that a, P, and the bound)."""
    order = sorted(range(len(A)), key=lambda i: A[i], reverse=True)
    worst, at, cum, j = None, None, 0 * prob[0], 0
    while j < len(order):
        a = A[order[j]]
        while j < len(order) and A[order[j]] == a:        # a group of equal values: P(A ≥ a) includes all
            cum = cum + prob[order[j]]
            j += 1
        if not a > 0:
            break
        bound = B.exp(-T * (factor * a) ** 2 / (8 * r * r))
        ratio = cum / bound
        if worst is None or ratio > worst:
            worst, at = ratio, (a, cum, bound)
    return worst, at


def evaluate_azuma(ex: SGDExperiment, *, factor=1) -> Evaluation:
    """The Azuma step with its O(·) explicit, decided exactly over all n^T sample paths.

    Printed (Sec. 6.4): D_t = (F(w_t, v_t, θ_t) − F_lin(w)) − (ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(wᵀx_t; y_t))
    "is a martingale difference sequence. Moreover, we assume that the losses ℓ are bounded by r, so by
    Azuma's inequality, with probability at least 1 − δ, the average of the expression above over
    t = 1, …, T is at most O(r√(log(1/δ)/T))". Explicit (as ``theorem4``): 2r√(2 log(1/δ)/T) — D_t lies
    in an interval of length 4r, so Azuma–Hoeffding gives P((1/T)Σ_t D_t ≥ a) ≤ exp(−Ta²/(8r²)).

    What is tested: for *every* δ ∈ (0, 1), P((1/T)Σ_t D_t > 2r√(2 log(1/δ)/T)) ≤ δ, with the exact
    probability — all n^T paths of T i.i.d. samples from the finite distribution (X, y, p), each run by
    SGD (θ by backpropagation) and weighted by Π_t p_{i_t}; w = ũ the comparator of ``theorem4`` (it does
    not depend on the samples), r from ``skip_constants``. Equivalently (δ ↦ a = 2r√(2log(1/δ)/T)):
    max over the path values a > 0 of P(A ≥ a)·exp(Ta²/(8r²)) ≤ 1, A the path average — the sup over δ
    is attained as the threshold rises to a path value. ``factor`` (controls) multiplies the threshold
    (factor > 1: a smaller O-constant). Informative: some path has A > 0 beyond rounding (the bound is
    below 1 there). ratio = the maximum itself. Tolerance: that maximum × (1 + T·a·scale_A/(4r²)) at
    ``sgd_iterates`` ulps, scale_A the size of D_t's terms (the exponent's sensitivity to A's rounding)."""
    from theorems.model.repeated_runs import all_sample_paths, martingale_averages, path_probabilities

    b, l, r = experiment_constants(ex)
    U = v_zero_slice(ex.M1, ex.net.d)
    _require(b, l, U)
    n, T = ex.X.shape[0], ex.T
    if n ** T > AZUMA_MAX_PATHS:
        raise HypothesisNotMet(f"argument 'T': n^T = {n}^{T} sample paths > {AZUMA_MAX_PATHS} (the exact "
                               "probability enumerates them all)")
    like = ex.X
    mp = B.is_mp(like)
    eta = B.scalar_like(ex.c, like) * b / (l * B.sqrt(B.scalar_like(T, like)))
    a_u, _ = minimize_over(U, ex.X, ex.y, ex.p, ex.loss)
    u = U.project(B.to_mp(a_u) if mp else a_u)
    idx = all_sample_paths(n, T)
    prob = path_probabilities(ex.p, idx)
    A, scale_A = martingale_averages(ex, u, eta, idx)
    worst, at = _azuma_tail(list(A), list(prob), T, r, factor)
    delta = B.scalar_like(ex.delta, like)
    thr = 2 * r * B.sqrt(2 * B.log(1 / delta) / T) / factor
    p_exceed = B.asum(np.array([prob[i] for i in range(len(A)) if A[i] > thr] or [0 * prob[0]]))
    s_max = max(scale_A)
    a_max = max(A)
    informative = bool(a_max > 0) and tolerance.beyond_rounding(a_max, s_max)
    lhs = 0 * r if worst is None else worst
    a, P, bound = at if at is not None else (0 * r, 0 * r, 1 + 0 * r)
    q = dict(tail_ratio=lhs, worst_avg=a, tail_prob=P, azuma_bound=bound, max_avg=a_max, paths=len(A), T=T, r=r,
             delta=delta, threshold=thr, p_exceed_delta=p_exceed, eta=eta)
    scale = lhs * (1 + T * abs(a) * s_max / (4 * r * r))
    return Evaluation.compare(lhs, "<=", 1 + 0 * lhs, scale=scale, ulps=tolerance.sgd_iterates(T, ex.net.d, ex.net.k),
                              quantities=q, hypotheses=_hyps(), source=SOURCE_AZUMA, informative=informative,
                              ratio=float(lhs),
                              label=("max_a P((1/T)Σ_t D_t ≥ a)·exp(T(" + ("" if factor == 1 else f"{factor:g}·")
                                     + "a)²/(8r²)) ≤ 1 over all n^T paths, i.e. P(avg D > 2r√(2log(1/δ)/T)"
                                     + ("" if factor == 1 else f"/{factor:g}") + ") ≤ δ for every δ"))


@st.composite
def azuma_experiments(draw, *, max_paths: int = AZUMA_MAX_PATHS, min_n: int = 2, max_n: int = 3):
    """Theorem 4 experiments (``sgd_experiments``, synthetic) cut to n ∈ [min_n, max_n] support points
    (probabilities renormalised; uniform if the kept ones carry no mass) and T with n^T ≤ max_paths."""
    ex = draw(sgd_experiments(datasets=["synthetic"], max_T=16, max_runs=8), label="experiment")
    n = min(ex.X.shape[0], draw(st.integers(min_n, max_n), label="support size"))
    T_cap = max(1, int(math.floor(math.log(max_paths) / math.log(n) + 1e-9))) if n > 1 else 16
    T = draw(st.integers(1, T_cap), label="T")
    p = np.asarray(ex.p[:n], dtype=float)
    p = p / p.sum() if p.sum() > 1e-6 else np.full(n, 1.0 / n)
    p = p / math.fsum(p)
    return replace(ex, X=ex.X[:n], y=ex.y[:n], p=p, T=T)


@st.composite
def azuma_tight_experiments(draw, *, max_T: int = 8):
    """Experiments where the Azuma term can bite: one x = 1 with labels ±1 (probabilities p, 1 − p), a
    depth-0 network with M2 a tiny ball (f_θ ≈ 0, so r ≈ max ℓ(±b; ±1) is the instance's own size), the
    squared or logistic loss, and the start at the far end of M1 = {‖(w, v)‖ ≤ b}: D_t = w_t·y_t for the
    squared loss, of the order of r·b/(b + 1)², with P(all labels +1) = p^T."""
    b = draw(st.sampled_from([0.5, 1.0, 2.0]), label="b")
    loss = draw(st.sampled_from([L.squared(), L.logistic()]), label="loss")
    p1 = draw(st.sampled_from([0.5, 0.25, 0.75, 0.1]), label="p(y = +1)")
    T = draw(st.integers(1, max_T), label="T")
    c = draw(st.sampled_from([0.25, 1.0, 2.0, 4.0]), label="c")
    side = draw(st.sampled_from([1.0, -1.0]), label="start side")
    net = ResidualNet(1, 1, 0)
    M1 = Ball(np.zeros(2), b)
    M2 = Product((Ball(np.zeros(1), 1e-3), Ball(np.zeros(1), 1e-3)))
    return SGDExperiment(np.array([[1.0], [1.0]]), np.array([1.0, -1.0]), np.array([p1, 1 - p1]), loss, net, M1, M2,
                         np.array([side * b, 0.0]), np.zeros(2), c, T, 0.5, 8, 0, {"distribution": "x = 1, y = ±1"})


def azuma_search():
    """The points of ``theorem4.azuma``: the tight family (two draws in three) and cut Theorem 4
    experiments. On the cut experiments r is far above every path average, so almost none could fail
    (the audit at seed 0 found 94 informative of 200 with the two families drawn equally: vacuous);
    the tight family is where the bound bites."""
    return st.one_of(azuma_tight_experiments(), azuma_tight_experiments(), azuma_experiments())


def example_azuma() -> SGDExperiment:
    """The synthetic ``example_theorem4`` cut to 2 support points and T = 6 (64 paths)."""
    ex = example_theorem4(runs=8, T=6)
    return replace(ex, X=ex.X[:2], y=ex.y[:2], p=np.array([0.5, 0.5]))


theorem4_azuma = register(Claim(
    id="theorem4.azuma", source=SOURCE_AZUMA, kind="explicit-constant",
    statement=("(F(w_t, v_t, θ_t) − F_lin(w)) − (ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(wᵀx_t; y_t)) is a martingale "
               "difference sequence … the losses ℓ are bounded by r, so by Azuma's inequality, with probability at "
               "least 1 − δ, the average of the expression above over t = 1, …, T is at most O(r√(log(1/δ)/T)). "
               "Explicit: 2r√(2 log(1/δ)/T), for every δ, with the exact probability over all n^T sample paths."),
    evaluate_fn=evaluate_azuma, strategy_fn=azuma_search, example_fn=example_azuma,
    hypotheses=HYPS, quantities=("tail_ratio", "worst_avg", "tail_prob", "azuma_bound", "max_avg", "paths", "T", "r",
                                 "delta", "threshold", "p_exceed_delta", "eta"),
    polish=False, informative_rule="some sample path has a positive average of D_t beyond rounding",
    notes=("Measured (audit, seed 0, 200 examples): tightest ratio 0.857, on the tight family (x = 1, y = ±1, "
           "f_θ ≈ 0, far start), where r is the instance's own size. On the cut Theorem 4 experiments r (a sup over "
           "M1 × M2 × support) is far above the D_t (r ≈ 35 against path averages ≤ 0.23 on the example), so "
           "their ratio comes from small averages a, where exp(−Ta²/(8r²)) ≈ 1. Mean zero of the path averages "
           "(the martingale property) is pinned at 60 digits in tests/test_theorem4.py."),
    controls=(Variant("theorem4.azuma.constant_div_8",
                      "the same with the O-constant divided by 8: P(avg D > r√(2 log(1/δ)/T)/4) ≤ δ",
                      lambda e: evaluate_azuma(e, factor=8),
                      strategy=lambda: azuma_tight_experiments(max_T=4), max_examples=50,
                      not_searched_why="its T ≤ 4 family takes draws from the tight family: 154 → 107 informative of "
                                       "200 at seed 0, at the vacuity cut of 100 (measured)"),),
))

