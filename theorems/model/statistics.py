"""The repeated-runs statistics of Theorem 4's high-probability bound (Sec. 5; proof in Sec. 6.4)
and of its vector-valued version (Appendix A, last paragraph).

"With probability at least 1 − δ" is checked over ``runs`` independent SGD runs: a run *fails*
when its statistic (min_t F, Theorem 4's "one of the iterates", or the average over t of the
proof's display before Eq. 18's conclusion, which implies it) exceeds F_lin(ũ) + bound by more
than its tolerance, and the failure count is tested against δ with the exact one-sided binomial
test (H0: P(fail) ≤ δ); the claim holds when p ≥ ``ALPHA`` = 10⁻⁶ (a family-wise false-alarm
rate ≤ 10⁻⁶ per evaluated instance if the theorem holds). ``critical_failures`` is the failure count
at which the test rejects (None when δ^runs ≥ α: the test can never reject, and the instance is not
informative); ``test_power(runs, δ, rate)`` its power against a failure rate ``rate`` — the claims
report it against 2δ (``power_2delta``) and at δ (``false_alarm``, ≤ α).

High precision (the float64 → dps-digit hand-off). Re-running every SGD run (backpropagation
included) at 60 digits is slow, so the float64 pass picks the runs to re-run: every failing run,
every run within 10⁶ per-run tolerances of the bound, and the tightest. What the float64 pass
hands over is a :class:`RunsHandoff` — per run min_t F − F_lin and mean_t F − F_lin, the per-run
tolerance and the float64 bound; an Evaluation reports it as the quantities ``_run_excess``,
``_run_avg_excess`` and ``_run_tol``. The runs not re-run keep their float64 values (more than
10⁶ tolerances below the bound); a violation is therefore only confirmed by runs that fail at
dps digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from theorems.core import backend as B

__all__ = ["ALPHA", "GATES", "NEAR_BOUND", "binomial_p_value", "critical_failures", "test_power", "RunsHandoff",
           "RunsVerdict", "repeated_runs_verdict"]

ALPHA = 1e-6
GATES = ("min", "mean")
NEAR_BOUND = 1e6      # runs within this many per-run tolerances of the bound are re-run at dps digits


def binomial_p_value(failures: int, runs: int, delta) -> float:
    """The exact one-sided binomial test of H0: P(fail) ≤ δ: P(Bin(runs, δ) ≥ failures)."""
    from scipy.stats import binomtest  # scipy.stats is slow to import; only the SGD claims need it

    return float(binomtest(failures, runs, float(delta), alternative="greater").pvalue)


def critical_failures(runs: int, delta, alpha: float = ALPHA):
    """The smallest failure count k at which the test rejects, P(Bin(runs, δ) ≥ k) < α; None when even
    ``runs`` failures out of ``runs`` do not reject (δ^runs ≥ α: the test cannot fail the claim)."""
    return _critical_failures(int(runs), float(delta), float(alpha))


@lru_cache(maxsize=256)
def _critical_failures(runs: int, d: float, alpha: float):
    # a pure function of (runs, δ, α), of which the experiments use a handful: computed once each
    # (a bisection of ~9 binomial tails, three times per evaluated experiment, was ~15 % of theorem4's audit)
    from scipy.stats import binom

    if d ** runs >= alpha:
        return None
    lo, hi = 0, runs                       # the tail P(Bin ≥ k) decreases in k: bisect for the first k below α
    while lo < hi:
        mid = (lo + hi) // 2
        if binom.sf(mid - 1, runs, d) < alpha:
            hi = mid
        else:
            lo = mid + 1
    return lo


def test_power(runs: int, delta, rate, alpha: float = ALPHA) -> float:
    """P(the test rejects) when each run fails independently with probability ``rate``: the power
    against ``rate`` (2δ in the claims' reports), or the false-alarm rate at ``rate`` = δ (≤ α)."""
    return _test_power(int(runs), float(delta), min(1.0, float(rate)), float(alpha))


@lru_cache(maxsize=256)
def _test_power(runs: int, delta: float, rate: float, alpha: float) -> float:
    from scipy.stats import binom

    k = critical_failures(runs, delta, alpha)
    return 0.0 if k is None else float(binom.sf(k - 1, runs, rate))


test_power.__test__ = False       # not a pytest test, whatever its name


@dataclass(frozen=True)
class RunsHandoff:
    """What the float64 pass hands to the high-precision pass (module docstring)."""

    min_excess: list      # per run: min_t F(iterate_t) − F_lin(ũ), float64
    avg_excess: list      # per run: (1/T)Σ_t F(iterate_t) − F_lin(ũ), float64
    tol: float            # the per-run tolerance of the float64 pass
    bound: float          # the float64 bound

    def quantities(self) -> dict:
        """The hand-off as Evaluation quantities (their names are part of the audit's output)."""
        return {"_run_excess": list(self.min_excess), "_run_avg_excess": list(self.avg_excess), "_run_tol": self.tol}

    def gated(self, gate: str) -> list:
        return self.min_excess if gate == "min" else self.avg_excess


@dataclass(frozen=True)
class RunsVerdict:
    """The failure count and its binomial p-value over the runs, with the per-run excesses."""

    failures: int
    p_value: float
    min_excess: list      # per run: min_t F − F_lin(ũ) (in the arithmetic of the experiment)
    avg_excess: list      # per run: (1/T)Σ_t F − F_lin(ũ)
    worst: object         # max over runs of the gated excess
    ratio: float          # worst/bound (0 if ≤ 0)
    tol: object           # the per-run tolerance
    undecided: int = 0    # runs within the comparator's certified gap of failing (see repeated_runs_verdict)

    def handoff(self, bound) -> RunsHandoff:
        return RunsHandoff([float(e) for e in self.min_excess], [float(e) for e in self.avg_excess],
                           float(self.tol), float(bound))


def repeated_runs_verdict(runs: int, T: int, delta, like, run_F: Callable, float_pass: Callable[[], RunsHandoff], *,
                          flin, bound, ulps, gate: str = "min", gap=0.0) -> RunsVerdict:
    """The high-probability verdict over ``runs`` runs of length T (module docstring).

    ``run_F(run_ids)`` -> (R, T) exact F along those runs, in the arithmetic of ``like``;
    ``float_pass()`` -> the float64 pass's :class:`RunsHandoff` (called only at high precision);
    ``flin`` the comparator value F_lin(ũ), ``bound`` the explicit bound, ``ulps`` the per-run
    tolerance in units of roundoff × (|F| + |flin| + bound). ``gate``: the per-run statistic that
    must stay ≤ flin + bound — "min" (min_t F) or "mean" (the average over t).

    ``gap``: the comparator's certified Frank–Wolfe gap, F_lin(ũ) − min F_lin ∈ [0, gap]. A run is
    counted as failing only when it fails against F_lin(ũ) itself (ũ is feasible, so such a failure
    is a failure against min F_lin too: no false alarm); a run that would fail against the certified
    lower bound F_lin(ũ) − gap but not against F_lin(ũ) is ``undecided`` (its failure could be masked
    by the comparator's inaccuracy), reported, and makes the instance non-informative in the claims."""
    if gate not in GATES:
        raise ValueError(f"argument 'gate': expected one of {GATES}, got {gate!r}")
    if not B.is_mp(like):
        F = run_F(np.arange(runs))
        best = [min(row) for row in F]
        avg = [B.asum(row) / T for row in F]
    else:
        handoff = float_pass()
        exc = np.asarray(handoff.gated(gate))
        near = np.flatnonzero(exc > handoff.bound - NEAR_BOUND * handoff.tol)
        pick = sorted(set(near.tolist()) | {int(np.argmax(exc))})
        F = run_F(np.array(pick))
        # runs not re-run keep their float64 margin (> 10⁶ tolerances below the bound)
        best = [flin + B.scalar_like(e, like) for e in handoff.min_excess]
        avg = [flin + B.scalar_like(e, like) for e in handoff.avg_excess]
        for j, i in enumerate(pick):
            best[i], avg[i] = min(F[j]), B.asum(F[j]) / T
    gated = best if gate == "min" else avg
    excess = [v - flin for v in gated]
    tol = ulps * B.eps(like) * max(abs(v) + abs(flin) + bound for v in gated)
    fails = sum(1 for e in excess if e > bound + tol)
    undecided = sum(1 for e in excess if e + gap > bound + tol) - fails
    worst = max(excess)
    ratio = max(0.0, float(worst / bound)) if bound > 0 else 0.0
    return RunsVerdict(fails, binomial_p_value(fails, runs, delta), [v - flin for v in best],
                       [v - flin for v in avg], worst, ratio, tol, undecided)
