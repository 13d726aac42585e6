"""Theorem 4's high-probability bound over repeated SGD runs (Sec. 5; proof in Sec. 6.4), for the
scalar network (``skip_sgd.SGDExperiment``) and the vector one (Appendix A;
``vector_sgd.VectorSGDExperiment``) alike.

With η = c·b/(l√T), K(c) = 2/c + c/2 (Theorem 5) and probability ≥ 1 − δ,

    min_t F(w_t, v_t, θ_t) ≤ (1/T)Σ_t F(w_t, v_t, θ_t) ≤ min_{(u,0)∈M1} F_lin(u) + K(c)·b·l/√T + 2r·√(2 log(1/δ)/T).

*Derivation of the Azuma term.* Fix u with (u, 0) ∈ M1 (the minimiser: it does not depend on the
samples). Z_t = ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(uᵀx_t; y_t) ∈ [−2r, 2r] since |ℓ| ≤ r;
given the history, E[Z_t] = F(w_t, v_t, θ_t) − F_lin(u), so D_t = E_t[Z_t] − Z_t is a martingale
difference sequence lying in an interval of length 4r (the range of Z_t, shifted by a predictable
amount). Azuma–Hoeffding: P(Σ_t D_t ≥ ε) ≤ exp(−2ε²/(T(4r)²)); setting this to δ gives
ε = 2r√(2T log(1/δ)) (the same value as the |D_t| ≤ 2r form, exp(−ε²/(2T(2r)²))). So with
probability ≥ 1 − δ, (1/T)Σ_t (F(w_t, v_t, θ_t) − F_lin(u)) ≤ (1/T)Σ_t Z_t + 2r√(2 log(1/δ)/T)
≤ K(c)bl/√T + 2r√(2 log(1/δ)/T) by Eq. (18), and the smallest term is at most the average.

F is an exact expectation: the distributions are finite (probabilities p over support rows X).
min F_lin over U = {u : (u, 0) ∈ M1} is computed numerically (``training.minimize_over``); the
value used is F_lin(ũ) ≥ min F_lin, with the Frank–Wolfe gap bounding F_lin(ũ) − min F_lin. The
verdict over the runs (failure count, binomial test, the float64 → dps-digit hand-off) is
``statistics.repeated_runs_verdict``. *Which direction is conservative.* A failure is declared only
against F_lin(ũ) (ũ is feasible: min_t F > F_lin(ũ) + bound implies min_t F > min F_lin + bound, so
no false alarm); the certified lower bound F_lin(ũ) − gap of min F_lin enters the upper bound
min_t F − F_lin(ũ) + gap on the true excess, and a run whose upper bound exceeds the bound while its
excess against F_lin(ũ) does not is ``undecided`` (a failure the comparator's inaccuracy could mask);
an instance with an undecided run is not informative.

*Informative* (``HighProbabilityRuns.informative``): the bound is below ``excess_cap`` (r for the
non-negative losses, since 0 ≤ ℓ ≤ r makes F − F_lin ≤ r; 2r otherwise), the binomial test can
reject (δ^runs < α, ``k_crit``), and no run is undecided. Reported with it: ``power_2delta``, the
test's power against a failure rate 2δ, and ``false_alarm``, its rejection rate at δ (≤ α).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B

from .convex_sets import v_zero_slice
from .ogd import K
from .skip_sgd import experiment_constants
from .statistics import ALPHA, RunsHandoff, RunsVerdict, critical_failures, repeated_runs_verdict, test_power
from .training import minimize_over, sgd_runs

__all__ = ["sample_indices", "run_objectives", "objectives", "HighProbabilityRuns", "high_probability_runs",
           "NONNEGATIVE_LOSSES", "excess_cap"]

# the losses of the experiments that are ≥ 0 everywhere (scalar and vector)
NONNEGATIVE_LOSSES = ("logistic", "softplus", "squared", "logcosh", "pseudo_huber", "softmax_ce")


def excess_cap(loss, r):
    """The largest value F(iterate) − F_lin(u) can take when |ℓ| ≤ r over M1 × M2 × support: r for a
    non-negative loss (0 ≤ ℓ ≤ r), 2r otherwise. A bound at or above it cannot fail."""
    return r if loss.name in NONNEGATIVE_LOSSES else 2 * r


def sample_indices(seed, p, runs, T):
    """(runs, T) i.i.d. draws of support indices with probabilities p (seeded numpy RNG): the
    "fresh samples" (x_t, y_t) of every run, shared by Theorem 4 and its vector version."""
    rng = np.random.default_rng(seed)
    pf = B.to_float(p)
    return rng.choice(pf.size, size=(runs, T), p=pf / pf.sum())


# iterates per block of ``run_objectives``: F over the support is evaluated for this many iterates
# (times n support points) at a time, so that its temporaries stay in cache; the values are the same,
# bit for bit, as one pass over all (R, T) iterates (the same elementwise operations, and every
# reduction runs within one iterate's row)
OBJECTIVE_BLOCK_ROWS = 1 << 14


def run_objectives(net, loss, M1, M2, X, y, p, idx, wv1, theta1, eta):
    """F(iterate_t) along SGD runs that see the samples X[idx[ρ, t]]: an (R, T) array of exact
    expectations over the finite distribution (X, y, p). Vector outputs (y of shape (n, m)):
    F(W, U, θ) = Σ_i p_i ℓ(W x_i + U f_θ(x_i); y_i), (W, U) laid out as in ``sgd_runs``."""
    tr = sgd_runs(net, loss, M1, M2, X, y, idx, M1.project(wv1), M2.project(theta1), eta, record="iterates")
    WV = np.stack(tr.wv, axis=1)           # (R, T, D)
    TH = np.stack(tr.theta, axis=1)        # (R, T, P)
    R, T = WV.shape[:2]
    WV, TH = WV.reshape(R * T, -1), TH.reshape(R * T, -1)
    step = max(1, OBJECTIVE_BLOCK_ROWS // X.shape[0])
    F = [objectives(net, loss, X, y, p, WV[i:i + step], TH[i:i + step]) for i in range(0, R * T, step)]
    return np.concatenate(F).reshape(R, T)


def objectives(net, loss, X, y, p, WV, TH):
    """F at N iterates: (w, v) (or (vec W, vec U)) rows WV (N, D), θ rows TH (N, P) -> (N,), each an
    exact expectation over the finite distribution (X, y, p)."""
    Phi = net.forward(TH, X)               # (N, n, k)
    d = net.d
    if np.ndim(y) == 1:
        pred = B.last_axis_sum(X * WV[:, None, :d]) + B.last_axis_sum(Phi * WV[:, None, d:])
        return np.sum(p * loss.value(pred, y), axis=-1)       # (N,): exact expectations
    N = WV.shape[0]
    n, m, k = X.shape[0], y.shape[1], net.k
    W = WV[:, :m * d].reshape(N, m, d)
    U = WV[:, m * d:].reshape(N, m, k)
    P = X @ np.swapaxes(W, -1, -2) + Phi @ np.swapaxes(U, -1, -2)          # (N, n, m)
    vals = loss.value(P.reshape(-1, m), np.tile(y, (N, 1))).reshape(N, n)
    return np.sum(p * vals, axis=-1)


@dataclass(frozen=True)
class HighProbabilityRuns:
    """Everything the high-probability claims report (the quantities of ``theorem4``)."""

    b: object
    l: object
    r: object
    T: int
    c: object
    delta: object
    eta: object
    ogd_term: object          # K(c)·b·l/√T
    azuma_term: object        # 2r√(2 log(1/δ)/T)
    bound: object             # (ogd_term + azuma_term)·bound_factor
    flin: object              # F_lin(ũ)
    fw_gap: float             # Frank–Wolfe gap of ũ: F_lin(ũ) − min F_lin ≤ fw_gap
    runs: int
    verdict: RunsVerdict
    cap: object = None        # excess_cap(ℓ, r): the largest possible excess

    @property
    def k_crit(self):
        """The failure count at which the binomial test rejects (None: it cannot reject)."""
        return critical_failures(self.runs, self.delta)

    @property
    def informative(self) -> bool:
        """The instance could have failed the claim: the bound is below the largest possible excess,
        the test can reject (δ^runs < α), and no run is undecided by the comparator's certified gap."""
        return bool(self.bound < self.cap) and self.k_crit is not None and self.verdict.undecided == 0

    @property
    def handoff(self) -> RunsHandoff:
        return self.verdict.handoff(self.bound)

    def quantities(self, names) -> dict:
        """The claim's documented quantities ``names`` (in that order), then the float64 → dps-digit
        hand-off (``_run_excess``, ``_run_avg_excess``, ``_run_tol``)."""
        v = self.verdict
        q = dict(runs=self.runs, failures=v.failures, p_value=v.p_value, delta=self.delta, alpha=ALPHA, T=self.T,
                 b=self.b, l=self.l, r=self.r, eta=self.eta, c=self.c, bound=self.bound, ogd_term=self.ogd_term,
                 azuma_term=self.azuma_term, flin_min=self.flin, flin_fw_gap=self.fw_gap,
                 worst_excess=max(v.min_excess), worst_avg_excess=max(v.avg_excess), excess_cap=self.cap,
                 k_crit=-1 if self.k_crit is None else self.k_crit,
                 power_2delta=test_power(self.runs, self.delta, 2 * float(self.delta)),
                 false_alarm=test_power(self.runs, self.delta, float(self.delta)), undecided=v.undecided)
        return {name: q[name] for name in names} | self.handoff.quantities()

    def p_value_test(self):
        """(p-value, ALPHA) in the arithmetic of the experiment: the claim holds when p ≥ ALPHA."""
        p = self.verdict.p_value
        return (B.to_mp(p), B.to_mp(ALPHA)) if B.is_mp(self.c) else (p, ALPHA)


def high_probability_runs(ex, *, b, l, r, comparator_set, ulps, gate="min", bound_factor=1) -> HighProbabilityRuns:
    """Run the experiment ``ex`` (in the arithmetic of its arrays) and judge the bound (module
    docstring) with the constants (b, l, r) of its hypotheses (b, l > 0) and the comparator set
    {u : (u, 0) ∈ M1} (non-empty); ``ulps`` is the per-run tolerance budget, ``gate`` the per-run
    statistic ("min": min_t F, "mean": (1/T)Σ_t F), ``bound_factor`` scales the bound (controls)."""
    like, T = ex.X, ex.T
    mp = B.is_mp(like)
    rootT = B.sqrt(B.scalar_like(T, like))
    c = B.scalar_like(ex.c, like)
    delta = B.scalar_like(ex.delta, like)
    eta = c * b / (l * rootT)
    ogd = K(c) * b * l / rootT
    azuma = 2 * r * B.sqrt(2 * B.log(1 / delta) / T)
    bound = (ogd + azuma) * bound_factor
    a, fw_gap = minimize_over(comparator_set, ex.X, ex.targets, ex.p, ex.loss)
    flin = ex.linear_objective(comparator_set.project(B.to_mp(a) if mp else a))
    idx = sample_indices(ex.seed, ex.p, ex.runs, T)

    def run_F(ids):
        return run_objectives(ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.targets, ex.p, idx[ids], ex.wv1, ex.theta1,
                              eta)

    def float_pass():
        exf = ex.to_float()
        bf, lf, rf = experiment_constants(exf)
        return high_probability_runs(exf, b=bf, l=lf, r=rf, comparator_set=v_zero_slice(exf.M1, exf.comparator_dim),
                                     ulps=ulps, gate=gate, bound_factor=bound_factor).handoff

    verdict = repeated_runs_verdict(ex.runs, T, ex.delta, like, run_F, float_pass, flin=flin, bound=bound, ulps=ulps,
                                    gate=gate, gap=B.scalar_like(fw_gap, like))
    return HighProbabilityRuns(b, l, r, T, c, delta, eta, ogd, azuma, bound, flin, fw_gap, ex.runs, verdict,
                               excess_cap(ex.loss, r))


# -- Sec. 6.4, the Azuma step, exactly: every sample path of a small finite distribution --------------------
def all_sample_paths(n: int, T: int):
    """Every sequence of T support indices, in lexicographic order: an (n^T, T) int array."""
    if n < 1 or T < 1:
        raise ValueError(f"arguments 'n', 'T': need n ≥ 1 and T ≥ 1, got n={n}, T={T}")
    return np.array(list(itertools.product(range(n), repeat=T)), dtype=int).reshape(-1, T)


def path_probabilities(p, idx):
    """P(path) = Π_t p[idx[ρ, t]] for every path ρ (the samples are i.i.d.), in the arithmetic of p."""
    out = p[idx[:, 0]]
    for t in range(1, idx.shape[1]):
        out = out * p[idx[:, t]]
    return out


def martingale_averages(ex, u, eta, idx):
    """(A, scale): along every path ρ of ``idx``, A_ρ = (1/T)Σ_t D_t with Sec. 6.4's martingale
    differences D_t = (F(w_t, v_t, θ_t) − F_lin(u)) − (ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(uᵀx_t; y_t)),
    F an exact expectation over the finite distribution (scalar outputs); ``scale`` (per path) is the
    mean over t of |F| + |F_lin(u)| + |ℓ(iterate)| + |ℓ(uᵀx_t)|, the size of the terms that cancel in D_t."""
    tr = sgd_runs(ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.y, idx, ex.M1.project(ex.wv1), ex.M2.project(ex.theta1),
                  eta)
    R, T = idx.shape
    WV = np.stack(tr.wv, axis=1).reshape(R * T, -1)
    TH = np.stack(tr.theta, axis=1).reshape(R * T, -1)
    F = objectives(ex.net, ex.loss, ex.X, ex.y, ex.p, WV, TH).reshape(R, T)
    flin = ex.linear_objective(u)
    lu = ex.loss.value(ex.X @ u, ex.y)
    L_it = np.stack(tr.loss_t, axis=1)                    # (R, T): ℓ at the iterate on its own sample
    Z = L_it - lu[idx]
    D = (F - flin) - Z
    scale = (B.abs_(F) + abs(flin) + B.abs_(L_it) + B.abs_(lu[idx])).sum(axis=1) / T
    return D.sum(axis=1) / T, scale
