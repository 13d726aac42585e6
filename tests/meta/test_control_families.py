"""Every control's own family is either the claim's ground (searched with it) or left out for a stated reason.

Issue 22: a claim's search includes the constructed families of its controls (``Claim.families``), so that a
reviewer's variant meets the instances the audit uses. A control family may join only if it draws the claim's
own statement — every instance meets the claim's hypotheses and fixed parameters — else the claim would be
judged on another statement (a λ above the threshold, w = 0 where w ≠ 0 is assumed) and reported refuted.
These tests pin both halves: no control family is silently left out, and a searched one holds its claim."""

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from theorems.audit import load_claims
from theorems.contract.registry import CLAIMS, _strategy_key
from theorems.core.errors import HypothesisNotMet

load_claims()


def _own_families():
    """(claim id, control) for every control that brings a strategy of its own (not the claim's)."""
    out = []
    for cid, c in CLAIMS.items():
        own = _strategy_key(c.strategy_fn)
        out += [(cid, v) for v in c.controls if v.strategy is not None and _strategy_key(v.strategy) != own]
    return out


def _searched(cid, v):
    keys = {_strategy_key(fn) for _, fn in CLAIMS[cid].families()}
    return _strategy_key(v.strategy) in keys


SEARCHED = [(cid, v) for cid, v in _own_families() if v.searched_with_claim]


def _holds_on_draws(claim, strategy_fn, n=3):
    """Draw ``n`` instances of ``strategy_fn()`` (derandomized) and require the claim's verdict to hold on each;
    a HypothesisNotMet (an instance outside the claim's hypotheses) propagates as the failure it is."""
    @settings(max_examples=n, database=None, derandomize=True, deadline=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @given(strategy_fn())
    def draw(inst):
        ev = claim.evaluate(inst)
        assert ev.holds, f"{claim.id}: the family's instance fails the claim ({ev.label}: {ev.lhs} vs {ev.rhs})"
    draw()


def test_every_control_family_is_searched_or_says_why_not():
    missing = [v.name for cid, v in _own_families() if not _searched(cid, v) and not v.not_searched_why.strip()]
    assert not missing, f"controls with their own strategy, neither searched nor with a reason: {missing}"
    both = [v.name for _, v in _own_families() if v.searched_with_claim and v.not_searched_why]
    assert not both, f"searched with the claim yet carrying a not_searched_why: {both}"
    # a flag that a repeat or an opt-out (search_families=False) silently drops is not a decision either
    dropped = [v.name for cid, v in SEARCHED if CLAIMS[cid].search_families and not _searched(cid, v)]
    assert not dropped, f"searched_with_claim=True but absent from Claim.families(): {dropped}"


@pytest.mark.parametrize("cid,v", SEARCHED, ids=[v.name for _, v in SEARCHED])
def test_a_searched_control_family_draws_the_claims_ground(cid, v):
    _holds_on_draws(CLAIMS[cid], v.strategy)


@pytest.mark.parametrize("cid,name", [
    ("theorem1.nonzero_gradient", "theorem1.nonzero_gradient.at_w_zero"),      # w = 0: outside w ≠ 0
    ("section4.constraint", "section4.constraint.radius_2_5"),                  # another radius: the claim fails
])
def test_the_ground_check_rejects_a_family_that_changes_the_statement(cid, name):
    v = next(v for v in CLAIMS[cid].controls if v.name == name)
    assert v.not_searched_why and not v.searched_with_claim
    with pytest.raises((AssertionError, HypothesisNotMet)):     # fails, or is not tested: never a pass
        _holds_on_draws(CLAIMS[cid], v.strategy)
