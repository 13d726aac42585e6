"""Shared assertions: the suite's one vocabulary for "observed X, but should be Y [where]"."""

from __future__ import annotations

import json

import mpmath
from hypothesis import event, note, target

from theorems.audit import refute
from theorems.audit.engine import confirm


def targeting() -> bool:
    """Whether properties ``target()`` their tightness under the active profile.

    Hypothesis keeps a Pareto front of targeted examples whenever an example database is set, and
    maintaining it (shortlex dominance over our ~90-choice instances) made one 200-example
    property 3× slower (1.6 → 4.9 s, measured on lemma1). The ``dev`` profile has a database only to
    replay stored failures and nightly finds, so it searches without targets; ``ci`` (no database),
    ``nightly`` (whose Pareto front is worth keeping) and the audit's search all target."""
    from hypothesis import settings
    return settings.get_current_profile_name() != "dev"


def check_claim(claim, inst):
    """Evaluate ``claim`` on ``inst`` as a property: target the tightness, note the witness, and
    fail only on a violation confirmed at 60 digits (float-only violations are rounding artifacts)."""
    ev = claim.evaluate(inst)
    for h, ok in ev.hypotheses.items():
        assert ok, f"hypothesis '{h}' does not hold for a generated instance [{claim.source}]"
        event(f"hypothesis held: {h}")
    if ev.ratio is not None and targeting():
        # one label per claim: a test may check several claims on the same instance
        target(min(float(ev.ratio), 1e6), label=f"tightness ratio {claim.id}")
    if hasattr(inst, "describe"):
        note(f"instance: {inst.describe()}")
    note(ev.message())
    if ev.holds:
        return ev
    ev_mp = confirm(claim.evaluate, inst)
    if ev_mp.holds:
        event("rounding artifact (float64 violation that vanished at 60 digits)")
        return ev
    witness = json.dumps(inst.to_json()) if hasattr(inst, "to_json") else repr(inst)
    raise AssertionError(f"{ev_mp.message()}\nconfirmed at 60 digits; instance (Point.from_json):\n{witness}")


# Per-change budget (README: `pytest -n auto` within 60 s on 2 cores). Shrinking a control's
# counterexample is bounded to CONTROL_SHRINK_SECONDS here; the audit shrinks fully.
CONTROL_SHRINK_SECONDS = 0.1


def scaled(n: int) -> int:
    """``n`` examples under the default 200-example profiles, scaled with the active profile
    (nightly: 20,000 / 200 = 100×). Claims outside the foundation use this for their property
    tests so the per-change suite fits its time budget; the audit runs 200 per claim."""
    from hypothesis import settings
    return max(1, round(n * settings.default.max_examples / 200))


def check_control(claim, variant, *, seed=0):
    """A negative control must be refuted with a confirmed, shrunk counterexample."""
    strat = variant.strategy() if variant.strategy is not None else claim.strategy()
    ce = refute(variant.check, strat, max_examples=variant.max_examples, seed=seed,
                shrink_seconds=CONTROL_SHRINK_SECONDS)
    assert ce is not None, (f"negative control {variant.name!r} ({variant.statement}) was not refuted in "
                            f"{variant.max_examples} examples, but should be: the predicate of "
                            f"{claim.id} cannot fail [{claim.source}]")
    assert ce.confirmed and ce.evaluation_mp is not None and not ce.evaluation_mp.holds, \
        f"counterexample to {variant.name} not confirmed at high precision: {ce}"
    assert not ce.evaluation.holds
    # the witness is re-runnable: its JSON round-trip gives the same verdict
    if hasattr(ce.instance, "to_json"):
        again = type(ce.instance).from_json(json.loads(json.dumps(ce.instance.to_json())))
        assert not variant.check(again).holds, f"counterexample to {variant.name} does not replay from JSON"
    return ce


class Num:
    """A scalar instance for engine tests (exact in both backends)."""

    def __init__(self, x):
        self.x = x

    def to_mp(self):
        return Num(mpmath.mpf(self.x))

    def to_json(self):
        return {"x": float(self.x)}

    @classmethod
    def from_json(cls, d):
        return cls(d["x"])


def one_line_error(capsys, code):
    """A CLI call that failed on bad input: exit 2, one 'error:' line on stderr, no traceback; the line."""
    out = capsys.readouterr()
    assert code == 2, out
    lines = [x for x in out.err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in out.err + out.out, out
    return lines[0]
