"""Search and refutation: Hypothesis drives the search, mpmath has the last word.

``search(check, strategy, ...)`` runs ``check`` (instance -> Evaluation) on generated instances,
``target()``-ing the tightness ratio (or, for equalities, the discrepancy in tolerance units), so
Hypothesis hill-climbs toward the bound. A float64 violation is re-evaluated on the *same*
instance converted exactly to mpmath at ``dps`` digits; only a violation that survives counts,
and only then does the test case fail — so Hypothesis shrinks confirmed counterexamples, and
the minimal one it replays last is the one reported. (Gross violations, beyond ``CONFIRM_LATER``
tolerances, are shrunk on their float verdict to save time and confirmed after shrinking,
walking back to the last failing example that survives high precision — once a first violation has
been confirmed: until then every violation is confirmed on the spot, so a gross float64 verdict that
vanishes at high precision is an artifact and the search goes on instead of ending there.) Violations
that vanish at high precision are counted as rounding artifacts.

Batched examples (issue 14, ``strategies.batches``): where a claim marks its strategy
``batch_searched``, one Hypothesis example is a ``Batch`` of instances sharing their structure;
every member is evaluated and counted (``SearchReport.examples`` counts instances,
``hypothesis_examples`` the examples), the example targets its tightest informative member, and
it fails on its first violating member that survives high precision (with
``keep_most_violating``: its most violating one) — that member is the counterexample Hypothesis
shrinks (on "some member violates") and ``simplify`` then simplifies.

``polish(check, instance)`` takes a tight instance and pushes its ratio up with a local
optimizer (SciPy) over the instance's free real parameters; every polished instance is
re-evaluated by the check itself, and a polished float violation goes through the same
high-precision confirmation.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings, target
from hypothesis import seed as hseed
from hypothesis.errors import InvalidArgument
from hypothesis.statistics import collector

from strategies.batches import BATCH_SIZE, Batch, batched, marked
from theorems.contract import Evaluation, HypothesisNotMet
from theorems.core import backend as B

__all__ = ["search", "refute", "polish", "confirm", "simplify", "Counterexample", "SearchReport", "Confirmed",
           "CheckError", "check_name"]

DEFAULT_DPS = B.DEFAULT_DPS   # digits of every high-precision confirmation
# violations beyond this many tolerances are shrunk on their float verdict and confirmed at high
# precision after shrinking (the reported counterexample is always a confirmed one)
CONFIRM_LATER = 1e3
# a batched example (strategies.batches, BATCH_SIZE instances) costs about as much CPU as this many
# unbatched ones (benchmarks/bench_hypothesis_rate.py: theorem1 118 → 32 examples per CPU-second,
# lemma1 119 → 38, theorem2 106 → 26), so it counts this many toward ``max_examples``. A search is
# batched only when its budget buys at least MIN_BATCHED_EXAMPLES batched examples (max_examples ≥
# 100), for Hypothesis's generation and targeting to reach every branch of the strategy; a
# smaller budget runs unbatched, one instance per example, as asked
BATCH_COST = 4
MIN_BATCHED_EXAMPLES = 25
# time bound of the post-shrink simplification of a counterexample (``simplify``)
SIMPLIFY_SECONDS = 5.0


class Confirmed(AssertionError):
    """Raised inside the Hypothesis test when a violation survives high precision."""


@dataclass
class Counterexample:
    instance: object
    evaluation: Evaluation            # float64 verdict
    evaluation_mp: Evaluation | None  # high-precision verdict on the same inputs
    confirmed: bool
    shrinks: int = 0                  # failing examples seen while shrinking
    found_by: str = "hypothesis"      # or "polish"
    simplified: int = 0               # accepted steps of the post-shrink pass (see ``simplify``)

    def to_json(self) -> dict:
        inst = self.instance.to_json() if hasattr(self.instance, "to_json") else repr(self.instance)
        return {"instance": inst, "lhs": self.evaluation.to_json()["lhs"],
                "rhs": self.evaluation.to_json()["rhs"], "confirmed": self.confirmed,
                "evaluation": self.evaluation.to_json(),
                "evaluation_mp": None if self.evaluation_mp is None else self.evaluation_mp.to_json(),
                "shrinks": self.shrinks, "found_by": self.found_by, "simplified": self.simplified,
                "violation": _violation(self.evaluation_mp or self.evaluation)}

    def __str__(self) -> str:
        mp = self.evaluation_mp.message() if self.evaluation_mp else "not re-evaluated"
        desc = self.instance.describe() if hasattr(self.instance, "describe") else repr(self.instance)
        return (f"{'confirmed' if self.confirmed else 'UNCONFIRMED'} counterexample ({desc}; "
                f"{self.shrinks} shrinks, {self.simplified} simplifications; violated by "
                f"{_violation(self.evaluation_mp or self.evaluation):.6g})\n"
                f"  float64: {self.evaluation.message()}\n  high precision: {mp}")


@dataclass
class CheckError:
    """A check that raised on an instance: recorded as an outcome (never certified, never a
    traceback from inside Hypothesis), with the check's name, the exception and the instance."""

    check: str
    error: str
    instance: object

    def to_json(self) -> dict:
        inst = self.instance.to_json() if hasattr(self.instance, "to_json") else repr(self.instance)
        return {"check": self.check, "error": self.error, "instance": inst}

    def __str__(self) -> str:
        desc = self.instance.describe() if hasattr(self.instance, "describe") else repr(self.instance)
        return f"{self.check} raised {self.error} on the instance ({desc})"


def check_name(check) -> str:
    label = getattr(check, "label", None)
    if isinstance(label, str):
        return label
    return getattr(check, "__qualname__", None) or getattr(check, "__name__", None) or type(check).__name__


@dataclass
class SearchReport:
    """What one ``search`` saw. Counts first, then what it found.

    Counts (each instance is counted once per evaluation; shrinking's and ``simplify``'s re-runs
    inside Hypothesis are counted too, the post-shrink ``simplify`` candidates are not):

    - ``examples``: instances evaluated that met the check's hypotheses (a batched Hypothesis
      example counts each of its members);
    - ``hypothesis_examples``: Hypothesis examples run (each one instance, or a ``Batch``);
    - ``informative``: examples whose evaluation says the statement could have failed there
      (``Evaluation.informative`` not False): the denominator of every "not refuted";
    - ``not_tested``: instances the check declined (``HypothesisNotMet``): outside the hypotheses,
      not examples;
    - ``errors``: evaluations that raised (float64, or the high-precision re-check of a float
      violation); ``first_error`` is the first of them as a ``CheckError`` (check, exception,
      instance), None if none raised;
    - ``discarded``: test cases Hypothesis itself rejected (filters, ``assume``, overruns of its
      data buffer), from its statistics;
    - ``hypotheses``: hypothesis name → how many examples met it (``Evaluation.hypotheses``);
    - ``relations``: relation (``"=="``, ``"<="``, ``">="``) → examples judged with it, and
      ``with_ratio`` how many carried a tightness ratio (why a claim may have no tightest instance);
    - ``artifacts``: float64 violations that held at ``dps`` digits (rounding, not
      counterexamples); ``artifact_example`` the first as ``(instance, float evaluation,
      high-precision evaluation)``, or None;
    - ``first_failure_at``: the value of ``examples`` when the first float64 violation was seen
      (confirmed or not), None if none was;
    - ``seconds``: wall time of the search, shrinking and ``simplify`` included; ``seed`` the seed
      it ran with.

    Findings:

    - ``best``: up to ``keep_best`` tightest *holding*, informative instances with a finite ratio,
      as ``(ratio, instance, evaluation)`` tuples sorted by ratio, largest (tightest) first, at most
      one per named family (``meta["corner"]``); ``tightest`` is ``best[0]`` or None. Equalities
      (no ratio) never enter it;
    - ``counterexample``: the minimal confirmed ``Counterexample`` (shrunk by Hypothesis, then
      simplified by ``simplify``; neither with ``shrink=False``), or None — a reported
      counterexample is always confirmed at ``dps`` digits;
    - ``most_violating``: with ``keep_most_violating``, the confirmed failing example that violates
      most (``_violation``; possibly the minimal one itself), else None.
    """

    examples: int = 0                 # valid instances evaluated (a batched example counts each member)
    hypothesis_examples: int = 0      # Hypothesis examples run (each one instance, or a batch of them)
    discarded: int = 0                # instances Hypothesis rejected (filters, overruns)
    hypotheses: Counter = field(default_factory=Counter)
    best: list = field(default_factory=list)   # [(ratio, instance, evaluation)], tightest first
    counterexample: Counterexample | None = None
    artifacts: int = 0                # float violations that vanished at high precision
    artifact_example: object | None = None
    seconds: float = 0.0
    seed: int | None = None
    informative: int = 0              # examples whose evaluation says it could have failed there
    not_tested: int = 0               # instances outside the check's hypotheses (HypothesisNotMet)
    errors: int = 0                   # evaluations that raised (a solver's failure, a reviewer's bug)
    first_error: CheckError | None = None
    first_failure_at: int | None = None   # the example count when the first violation was seen
                                          # (examples counts shrinking's re-runs too)
    most_violating: Counterexample | None = None   # with keep_most_violating: the confirmed failing
                                                   # example that violates most (``_violation``)
    relations: Counter = field(default_factory=Counter)   # relation ("==", "<=", ">=") → evaluations
    with_ratio: int = 0               # evaluations that carried a tightness ratio

    @property
    def tightest(self):
        return self.best[0] if self.best else None


def confirm(check, instance, *, dps: int = DEFAULT_DPS) -> Evaluation:
    """Re-run ``check`` on ``instance`` converted exactly to mpmath at ``dps`` digits."""
    if not hasattr(instance, "to_mp"):
        raise TypeError(f"instance of type {type(instance).__name__} has no to_mp(): cannot confirm")
    with B.workdps(dps):
        return check(instance.to_mp())


def _score(ev: Evaluation) -> float:
    """What ``target()`` maximises: the tightness ratio, or the discrepancy in tolerance units."""
    if ev.ratio is not None:
        r = float(ev.ratio)
        return 1e6 if not math.isfinite(r) else max(min(r, 1e6), -1e6)
    m = -float(ev.margin) / max(ev.tol, 1e-300)
    return max(min(m, 1e6), -1e6)


def _violation(ev: Evaluation) -> float:
    """How far an evaluation violates its relation: the ratio when it has one (> 1 = violated),
    else the violation in tolerance units (> 0 = violated). Larger is more violating."""
    return _score(ev) if ev.ratio is not None else -float(ev.margin) / max(float(ev.tol), 1e-300)


def _family(inst):
    """The named family (corner) an instance was built in, None when its strategy names none."""
    meta = getattr(inst, "meta", None)
    return meta.get("corner") if isinstance(meta, dict) else None


def _push_best(best: list, keep: int, ev: Evaluation, inst) -> None:
    """Keep the ``keep`` tightest instances, at most one per structural family (the strategy's
    corner): polishing from several families avoids the local optima a single family stalls
    in (e.g. Theorem 1's ratio stalls at 1/√2 as w* → 0 from a single start)."""
    if ev.ratio is None or not ev.holds:
        return
    r = float(ev.ratio)
    if not math.isfinite(r):
        return
    if any(r == b[0] for b in best):
        return          # the same instance replayed (or an exact tie)
    fam = _family(inst)
    same = [b for b in best if fam is not None and _family(b[1]) == fam]
    if same:
        if r <= same[0][0]:
            return
        best.remove(same[0])
    best.append((r, inst, ev))
    best.sort(key=lambda t: -t[0])
    del best[keep:]


@contextlib.contextmanager
def _shrink_deadline(seconds):
    """Bound Hypothesis's shrinking time (its engine's MAX_SHRINKING_SECONDS, 300 s by default)."""
    if seconds is None:
        yield
        return
    from hypothesis.internal.conjecture import engine as _engine
    from hypothesis.reporting import current_reporter, with_reporter

    outer = current_reporter()

    def reporter(text):
        # Hypothesis reports hitting the deadline as a five-minute shrink to report upstream:
        # here the bound is ours and intended, so that message is noise
        if not str(text).startswith("WARNING: Hypothesis has spent more than five minutes"):
            outer(text)

    old = _engine.MAX_SHRINKING_SECONDS
    _engine.MAX_SHRINKING_SECONDS = seconds
    try:
        with with_reporter(reporter):
            yield
    finally:
        _engine.MAX_SHRINKING_SECONDS = old


def search(check, strategy, *, max_examples: int = 200, seed: int | None = 0, dps: int = DEFAULT_DPS,
           database=None, keep_best: int = 3, use_target: bool = True, shrink: bool = True,
           shrink_seconds: float | None = None, simplify_seconds: float | None = SIMPLIFY_SECONDS,
           keep_most_violating: bool = False, batch: int | None = None) -> SearchReport:
    """Evaluate ``check`` on instances from ``strategy``; see the module docstring.

    ``shrink_seconds`` bounds the time spent shrinking a counterexample (the per-change test
    suite uses a small bound; the audit shrinks fully by default). After Hypothesis's shrinking,
    ``simplify`` projects the counterexample onto fewer samples, input dimensions and features and
    rounds its entries to 0, integers and short dyadic rationals, keeping each step only if the
    violation still holds at high precision (``simplify_seconds`` bounds it; None or 0 skips it;
    when ``shrink_seconds`` is smaller, that bound applies). ``keep_most_violating`` records, in
    ``SearchReport.most_violating``, the confirmed failing example that violates most (largest
    ``_violation``) alongside the minimal one.

    ``batch``: instances per Hypothesis example (``strategies.batches``); None batches the
    strategies their claims mark (``batch_searched``) by ``BATCH_SIZE``, 1 never batches.
    ``max_examples`` is a budget in unbatched Hypothesis examples: a batched example counts
    ``BATCH_COST`` of them (``batched_budget``; budgets under 100 run unbatched);
    ``SearchReport.examples`` counts instances and ``hypothesis_examples`` the examples run.

    ``database``: a Hypothesis example database; the search first replays the finds saved under
    its key (the check and the strategy, ``_database_key``), then generates from ``seed``, and
    saves what fails. With a database a seeded search is reproducible given the database's
    contents (Hypothesis's ``@seed`` alone would switch the database off)."""
    if batch is not None and (not isinstance(batch, int) or batch < 1):
        raise InvalidArgument(f"batch={batch!r} must be an int >= 1 or None")
    if not isinstance(max_examples, int) or max_examples < 1:
        raise InvalidArgument(f"max_examples={max_examples!r} must be an int >= 1")
    if dps < 50:
        raise InvalidArgument(f"dps={dps!r}: confirmation needs at least 50 digits")
    rep = SearchReport(seed=seed)
    failures: list[Counterexample] = []

    def evaluate_member(inst):
        """The member's Evaluation (counted), or None where it was not tested or raised."""
        try:
            ev = check(inst)
        except HypothesisNotMet:
            rep.not_tested += 1          # outside the statement's hypotheses: not an example
            return None
        except Exception as err:  # noqa: BLE001 - recorded as an outcome, see CheckError
            rep.errors += 1
            if rep.first_error is None:
                rep.first_error = CheckError(check_name(check), f"{type(err).__name__}: {err}", inst)
            return None
        rep.examples += 1
        rep.informative += ev.informative is not False
        rep.relations[ev.relation] += 1
        rep.with_ratio += ev.ratio is not None
        for h, ok in ev.hypotheses.items():
            rep.hypotheses[h] += bool(ok)
        if ev.holds:
            if ev.informative is not False:
                _push_best(rep.best, keep_best, ev, inst)
        elif rep.first_failure_at is None:
            rep.first_failure_at = rep.examples
        return ev

    def run(drawn):
        # a Batch (strategies.batches) is several instances drawn by one example: each is evaluated
        # and counted and the example targets its tightest informative member. The example fails
        # on its first violating member that survives high precision (members are built and
        # evaluated lazily, so the rest of the batch costs nothing); with keep_most_violating every
        # member is evaluated and it fails on the most violating confirmed one. The failing member
        # is what shrinking (on "some member violates"), simplify and the report then see.
        rep.hypothesis_examples += 1
        scores, violating = {}, []
        try:
            for inst in drawn if isinstance(drawn, Batch) else (drawn,):
                ev = evaluate_member(inst)
                if ev is None:
                    continue
                # tightness is scored over informative examples only: a degenerate instance (0 ≥ 0,
                # a bound above anything the other side reaches) must not reward the search
                if use_target and ev.informative is not False:
                    family = _family(inst)
                    scores[family] = max(scores.get(family, -math.inf), _score(ev))
                if not ev.holds:
                    if keep_most_violating and not failures:
                        violating.append((inst, ev))
                    else:
                        fail_on(inst, ev)
            violating.sort(key=lambda t: -_violation(t[1]))
            for inst, ev in violating:
                fail_on(inst, ev)
        finally:
            # one target per named family (corner): Hypothesis keeps and climbs from the best of each, so
            # the search cannot collapse onto one family whose ratio happens to be high early
            for family, score in scores.items():
                target(score, label=f"tightness [{family}]" if family else "tightness")

    def fail_on(inst, ev):
        """Raise Confirmed if the violation of ``inst`` survives high precision, or is gross once a first
        violation has been confirmed (shrinking then works on float verdicts; see the module docstring).
        A first gross float64 violation is confirmed on the spot: at the weak-curvature stationary points
        a float64 gradient of exactly 0 against ~1e-16 at 60 digits makes ε^¼ vanish in float64 only, and
        deferring it ended the search on an artifact (theorem3.eps_from_gradient_alone, 2 seeds of 5)."""
        # ``failures`` is empty until a violation is confirmed: its first entry is always a confirmed one
        if failures and -float(ev.margin) > CONFIRM_LATER * ev.tol:
            # a gross violation: shrink on the float verdict, confirm after shrinking (below)
            ce = Counterexample(inst, ev, None, False, len(failures))
        else:
            try:
                ev_mp = confirm(check, inst, dps=dps)
            except Exception as err:  # noqa: BLE001 - the float violation stays unconfirmed: an outcome
                rep.errors += 1
                if rep.first_error is None:
                    rep.first_error = CheckError(check_name(check) + " (at high precision)",
                                                 f"{type(err).__name__}: {err}", inst)
                return
            if ev_mp.holds:
                _artifact(inst, ev, ev_mp)
                return
            ce = Counterexample(inst, ev, ev_mp, True, len(failures))
        failures.append(ce)
        # one raise site: Hypothesis tells failures apart by where they are raised, and the same example
        # takes the deferred branch once a first violation is confirmed
        raise Confirmed((ce.evaluation_mp or ce.evaluation).message())

    def _artifact(inst, ev, ev_mp):
        rep.artifacts += 1
        if rep.artifact_example is None:
            rep.artifact_example = (inst, ev, ev_mp)

    if batch is None:
        batch = BATCH_SIZE if marked(strategy) else 1
    hyp_examples = max_examples
    if batch > 1 and max_examples >= BATCH_COST * MIN_BATCHED_EXAMPLES:
        expanded = batched(strategy, batch)
        if expanded is not None:
            strategy = expanded
            hyp_examples = batched_budget(max_examples)
    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + ([Phase.shrink] if shrink else [])
    test = given(strategy)(run)
    if seed is not None:
        # ``@seed`` sets the test's database to None; the settings applied after it restore the
        # caller's: a seeded search with a database replays and saves its finds (see ``search``)
        test = hseed(seed)(test)
    test = settings(max_examples=hyp_examples, deadline=None, database=database, phases=phases,
                    suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                    derandomize=False, print_blob=False)(test)
    # Hypothesis keys its database by a digest of the test function's source, and ``run`` is the
    # same function for every check: key it by the check and the strategy instead, and without a
    # database skip the digest (inspect.getsource, ~2.5 ms of every search's start-up)
    test._hypothesis_internal_database_key = None if database is None else _database_key(check, strategy)
    stats = {}
    t0 = time.perf_counter()
    try:
        with collector.with_value(stats.update), _shrink_deadline(shrink_seconds):
            test()
    except Confirmed:
        # Hypothesis replays the minimal failing example last; walk back from it to the first
        # one that survives high precision (all of them, in practice)
        for ce in reversed(failures):
            if not ce.confirmed:
                ce.evaluation_mp = confirm(check, ce.instance, dps=dps)
                ce.confirmed = not ce.evaluation_mp.holds
                if not ce.confirmed:
                    _artifact(ce.instance, ce.evaluation, ce.evaluation_mp)
                    continue
            ce.shrinks = len(failures) - 1
            rep.counterexample = ce
            break
        if rep.counterexample is not None and keep_most_violating:
            rep.most_violating = _most_violating(check, failures, rep.counterexample, dps)
        budget = simplify_seconds if shrink_seconds is None or not simplify_seconds else \
            min(simplify_seconds, shrink_seconds)
        if rep.counterexample is not None and shrink and budget:
            rep.counterexample = simplify(check, rep.counterexample, seconds=budget, dps=dps)
    rep.seconds = time.perf_counter() - t0
    rep.discarded = _count_invalid(stats)
    return rep


def _database_key(check, strategy) -> bytes:
    """The example-database key of a search: the check (its claim's id when it is a claim's
    method, its module and name) and the strategy's repr, so two claims never replay each other's
    finds and a claim's finds are replayed by the next run of the same search (Hypothesis's own key, a
    digest of the test function's source, would be ``run``'s: the same for every search)."""
    from hypothesis.internal.reflection import function_digest

    owner = getattr(check, "__self__", None)
    parts = (str(getattr(owner, "id", "")), getattr(check, "__module__", "") or "", check_name(check), repr(strategy))
    h = hashlib.sha384("\n".join(parts).encode())
    if owner is None and callable(check) and hasattr(check, "__code__"):
        h.update(function_digest(check))    # a plain function (a lambda): its source, as Hypothesis keys tests
    return h.digest()


def batched_budget(max_examples: int) -> int:
    """The Hypothesis examples a batched search of ``max_examples`` (≥ 100) runs (see ``BATCH_COST``)."""
    return -(-max_examples // BATCH_COST)


def _most_violating(check, failures, minimal, dps):
    """The failing example with the largest violation that survives high precision."""
    for ce in sorted(failures, key=lambda c: -_violation(c.evaluation)):
        if ce is minimal:
            return ce
        if not ce.confirmed:
            ce.evaluation_mp = confirm(check, ce.instance, dps=dps)
            ce.confirmed = not ce.evaluation_mp.holds
        if ce.confirmed:
            return ce
    return minimal


# ---------------------------------------------------------------------------------------------
# Post-shrink simplification (issues 14, 15 and 21): Hypothesis shrinks the choice sequence, which
# does not always reach the fewest samples, dimensions and features where a counterexample
# exists, nor the simplest values. ``simplify`` tries explicit projections and roundings of a
# counterexample — the candidates its instance type offers (``simpler_moves``): Section 3's
# ``Point`` has its own (theorems.model.simplify); every other ``Instance`` gets the generic ones
# derived from its codecs and declared axes (theorems.core.serialization: ``axis_cuts``,
# ``simpler_values``) — and keeps every one under which the check still fails at high precision.

def _fails(check, inst, dps):
    """(float evaluation, high-precision evaluation) if ``inst`` is a confirmed counterexample."""
    try:
        ev = check(inst)
        if ev.holds:
            return None
        ev_mp = confirm(check, inst, dps=dps)
    except Exception:  # noqa: BLE001 - a candidate outside the check's domain is just not kept
        return None
    return None if ev_mp.holds else (ev, ev_mp)


def simplify(check, ce: Counterexample, *, seconds: float = SIMPLIFY_SECONDS, dps: int = DEFAULT_DPS) -> Counterexample:
    """Greedy post-shrink pass over a confirmed counterexample whose instance type offers simpler
    candidates (``simpler_moves``: for Section 3's ``Point``, projections onto fewer samples, input
    dimensions or features, then roundings of entries to 0 or a short dyadic rational; for any
    other ``Instance``, cuts along its declared ``AXES``, then entries rounded to 0, an integer, ±1
    or 1–3 significant digits): keep any under which ``check`` still fails in float64 *and* at
    ``dps`` digits, and revisit every family until a whole pass changes nothing. Objects without
    ``simpler_moves``, and unconfirmed counterexamples, are returned unchanged."""
    moves_of = getattr(ce.instance, "simpler_moves", None)
    if not ce.confirmed or moves_of is None or getattr(ce.instance, "is_mp", False):
        return ce
    deadline = time.perf_counter() + seconds
    inst, evs, steps = ce.instance, (ce.evaluation, ce.evaluation_mp), 0
    progress = True
    with np.errstate(all="ignore"):
        # families are revisited until a whole pass changes nothing: a later family (roundings) can
        # make an earlier one (cuts) possible, e.g. a sample rounded to 0 can then be dropped
        while progress and time.perf_counter() < deadline:
            progress = False
            for moves in moves_of():
                improved = True
                while improved and time.perf_counter() < deadline:
                    improved = False
                    for make in moves(inst):
                        if time.perf_counter() > deadline:
                            break
                        try:
                            cand = make()
                        except (ValueError, TypeError):
                            cand = None
                        if cand is None:
                            continue
                        got = _fails(check, cand, dps)
                        if got is not None:
                            inst, evs, steps, improved, progress = cand, got, steps + 1, True, True
                            break
    if not steps:
        return ce
    return Counterexample(inst, evs[0], evs[1], True, ce.shrinks, ce.found_by, steps)


def _count_invalid(stats: dict) -> int:
    n = 0
    for phase in stats.get("generate-phase", {}), stats.get("target-phase", {}), stats.get("reuse-phase", {}):
        for case in (phase or {}).get("test-cases", []):
            if case.get("status") in ("invalid", "overrun"):
                n += 1
    return n


def refute(check, strategy, *, max_examples: int = 1000, seed: int | None = 0, dps: int = DEFAULT_DPS,
           database=None, shrink_seconds: float | None = None,
           simplify_seconds: float | None = SIMPLIFY_SECONDS, batch: int | None = None) -> Counterexample | None:
    """A confirmed, shrunk (and simplified, see ``search``) counterexample to ``check`` over
    ``strategy``, or None."""
    return search(check, strategy, max_examples=max_examples, seed=seed, dps=dps, database=database,
                  shrink_seconds=shrink_seconds, simplify_seconds=simplify_seconds, batch=batch).counterexample


def polish(check, instance, *, maxiter: int = 600, dps: int = DEFAULT_DPS, seconds: float | None = None):
    """Locally maximise the tightness ratio of ``check`` starting from ``instance``.

    Returns ``(instance, evaluation, counterexample_or_None, artifacts)`` for the tightest holding
    instance found. Moves ``instance.to_vector()`` and reads candidates back with
    ``instance.from_vector(x)`` (every ``Instance`` has both, derived from its codecs; a vector
    ``from_vector`` refuses is a rejected step); an object without them, or without a free
    parameter, is returned as it is. ``seconds`` bounds the time spent (checked between
    optimizer iterations)."""
    from scipy.optimize import minimize

    if not hasattr(instance, "to_vector"):
        return instance, check(instance), None, 0
    x0 = instance.to_vector()
    if x0.size == 0:
        return instance, check(instance), None, 0
    state = {"best": (check(instance), instance), "ce": None, "artifacts": 0}

    def f(x):
        try:
            inst = instance.from_vector(x)
            ev = check(inst)
        except (HypothesisNotMet, ValueError, FloatingPointError, ZeroDivisionError, OverflowError):
            return 10.0
        if ev.ratio is None or not math.isfinite(float(ev.ratio)):
            return 10.0
        if not ev.holds:
            ev_mp = confirm(check, inst, dps=dps)
            if ev_mp.holds:
                state["artifacts"] += 1
            elif state["ce"] is None:
                state["ce"] = Counterexample(inst, ev, ev_mp, True, 0, "polish")
            return -1.0
        if float(ev.ratio) > float(state["best"][0].ratio or 0):
            state["best"] = (ev, inst)
        # float ratios a hair above 1 at attained bounds are rounding: do not chase them
        return -min(float(ev.ratio), 1.0)

    deadline = None if seconds is None else time.perf_counter() + seconds

    def attained(intermediate_result=None):
        # a bound attained to 1e-7 needs no more polishing, nor does a spent time budget
        # (SciPy stops on StopIteration)
        if float(state["best"][0].ratio or 0) >= 1 - 1e-7:
            raise StopIteration
        if deadline is not None and time.perf_counter() > deadline:
            raise StopIteration

    with np.errstate(all="ignore"):
        res = minimize(f, x0, method="L-BFGS-B", callback=attained,
                       options={"maxiter": maxiter, "maxfun": 20 * maxiter})
        if float(state["best"][0].ratio or 0) < 1 - 1e-7 and (deadline is None or time.perf_counter() < deadline):
            minimize(f, res.x, method="Nelder-Mead", callback=attained,
                     options={"maxiter": maxiter, "maxfev": 4 * maxiter, "xatol": 1e-12, "fatol": 1e-14})
    ev, inst = state["best"]
    return inst, ev, state["ce"], state["artifacts"]
