"""Shared checks of the package's tests: a claim holds on its strategy, its controls are refuted, a
pinned erratum witness is refuted at 60 digits (the suite's vocabulary: tests.support).

Every test module imports this module before ``hardt_ma2016`` (its leading underscore sorts it first
among the imports, and ruff keeps that order). It loads the registry the way ``python -m theorems``
does — the engine's loader imports the paper through its entry point — so the paper's claims are
attributed to it (``theorems.contract.paper_of``) whichever test file pytest collects first: a paper
imported directly *before* ``load_claims()`` has its claims attributed to the reference paper.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from tests.support import check_claim, check_control, scaled
from theorems import load_claims
from theorems.contract import CLAIMS
from theorems.core.serialization import instance_from_json

load_claims()           # imports hardt_ma2016 through its entry point (see the module docstring)
OURS = sorted(c for c in CLAIMS if c.startswith("hardt_ma2016."))


def ids_of(prefix: str) -> list:
    return sorted(c for c in CLAIMS if c == prefix or c.startswith(prefix + "."))


def holds_on_strategy(claim, n=20):
    """The claim holds on ``n`` generated instances (confirmed at 60 digits before failing)."""
    @settings(max_examples=scaled(n), suppress_health_check=list(HealthCheck), deadline=None)
    @given(inst=claim.strategy())
    def run(inst):
        from theorems.contract import HypothesisNotMet
        try:
            check_claim(claim, inst)
        except HypothesisNotMet:
            pass            # outside the statement's hypotheses at this instance: not tested
    run()


def refuted_at_60_digits(claim, inst):
    """A pinned witness: refuted in float64 and at 60 digits, and again after a JSON round trip."""
    ev = claim.evaluate(inst)
    ev_mp = claim.evaluate(inst, dps=60)
    assert not ev.holds and not ev_mp.holds, f"{ev_mp.message()}, but the pinned witness should refute {claim.id}"
    again = instance_from_json(json.loads(json.dumps(inst.to_json())))
    assert not claim.evaluate(again, dps=60).holds, f"the witness of {claim.id} does not replay from JSON"
    assert claim.erratum and claim.erratum["correction"] in CLAIMS, \
        f"{claim.id}: erratum without a registered correction"
    return ev_mp


def all_controls(prefix):
    return [(CLAIMS[c], v) for c in ids_of(prefix) for v in CLAIMS[c].controls]


__all__ = ["OURS", "check_control", "holds_on_strategy", "refuted_at_60_digits", "all_controls", "ids_of", "CLAIMS"]
