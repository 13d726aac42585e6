"""A tightest ratio is the statement's real tightness or "n/a" with a reason (issue 22): counts,
existences and truth values carry no ratio (never a hard-coded 1), equalities say they are
equalities, and a claim without informative examples says so."""

from __future__ import annotations

import pytest

from theorems.audit import load_claims
from theorems.audit.report import tightness
from theorems.audit.run import audit_claim
from theorems.contract.registry import CLAIMS

load_claims()

NO_RATIO = sorted(cid for cid, c in CLAIMS.items() if c.no_ratio)


def _quick(cid, n=8):
    return audit_claim(CLAIMS[cid], max_examples=n, seed=0, do_polish=False, controls=False, necessity=False)


def test_the_claims_that_say_they_have_no_ratio_are_the_counts_existences_and_truth_values():
    assert {"section4.regularization", "section4.other_regularization", "section2.not_convex",
            "theorem2.dichotomy", "theorem1.nonzero_gradient"} <= set(NO_RATIO)
    for cid in NO_RATIO:
        head = CLAIMS[cid].no_ratio.split(":")[0]
        assert head in {"a count", "an existence", "a truth value", "a sign"}, \
            f"{cid}: no_ratio {CLAIMS[cid].no_ratio!r}"


@pytest.mark.parametrize("cid", NO_RATIO)
def test_a_claim_without_a_ratio_never_returns_one(cid):
    ev = CLAIMS[cid].evaluate(CLAIMS[cid].example())
    assert ev.ratio is None, f"{cid} says it has no ratio ({CLAIMS[cid].no_ratio}) but returned ratio {ev.ratio!r}"


@pytest.mark.parametrize("cid, head", [("section4.other_regularization", "an existence"),
                                       ("gradients.eq3", "an equality")])
def test_the_audit_records_why_there_is_no_tightest_ratio(cid, head):
    out = _quick(cid)
    assert out["tightest"] is None
    assert out["tightness_na"].startswith(head), out["tightness_na"]
    assert tightness(out["tightest"], out["tightness_na"], short=True) == f"n/a ({head})"


def test_a_claim_with_a_ratio_has_no_na_reason():
    out = _quick("theorem1", n=20)
    assert out["tightest"] is not None and out["tightness_na"] is None
    assert not tightness(out["tightest"], out["tightness_na"]).startswith("n/a")


def test_without_a_reason_the_table_prints_a_dash():
    assert tightness(None) == "—"


def test_a_truth_value_is_judged_exactly_and_carries_no_ratio():
    from theorems.contract import Evaluation

    assert Evaluation.truth(True).holds and Evaluation.truth(True).ratio is None
    assert not Evaluation.truth(False).holds and Evaluation.truth(False).ratio is None
    assert Evaluation.truth(False, premise=False).holds        # a false premise implies anything
    assert Evaluation.truth(True, label="x", informative=False).informative is False
