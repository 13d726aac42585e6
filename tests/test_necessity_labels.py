"""Necessity says what it means (issue 21, friction 11): a mutation inside an exponent is named as a
rewrite of that exponent, and the sharper variants of a refuted statement are "n/a", not
"necessary" (a variant stronger than a false statement is trivially false)."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from tests.support import Num
from theorems.audit import Evaluation
from theorems.audit.necessity import REFUTED_REASON, STATUSES, derive_parts, run_necessity
from theorems.contract import Claim, Form, HypothesisDrop


def _evaluate(n):
    return Evaluation.compare(3 * n.x, ">=", 2 * n.x + 1, quantities={"g": 3 * n.x, "h": n.x})


def _claim(relation: str, *, quantities, erratum=None, drops=()) -> Claim:
    return Claim(id="test.necessity_labels", source="a test", statement=relation, kind="literal", evaluate_fn=_evaluate,
                 strategy_fn=lambda: st.just(Num(1.0)),
                 example_fn=lambda: Num(1.0), quantities=quantities, erratum=erratum,
                 form=Form(relation, without_hypothesis=drops, max_examples=50))


def _names(claim) -> dict:
    return {p.name: p for p in derive_parts(claim)}


def test_a_rewritten_exponent_is_named_as_one_not_as_a_term():
    # (1 + r)^(ℓ+1) with 1 + r > 1: dropping ℓ from the exponent sharpens "g ≤ …"; raising the
    # exponent's constant 1 → 2 sharpens "g ≥ …". Neither is a term of the bound
    upper = _names(_claim("g <= gap*(1 + r)**(ell + 1)", quantities=("g", "gap", "r", "ell")))
    assert "exponent of r + 1: ell + 1 → 1 (rhs)" in upper, sorted(upper)
    assert upper["exponent of r + 1: ell + 1 → 1 (rhs)"].kind == "exponent"
    assert upper["exponent of r + 1: ell + 1 → 1 (rhs)"].variant == "g <= gap*(r + 1)"
    lower = _names(_claim("g >= gap*(1 + r)**(ell + 1)", quantities=("g", "gap", "r", "ell")))
    assert "exponent of r + 1: ell + 1 → ell + 2 (rhs)" in lower, sorted(lower)
    assert "constant 1 in r + 1 (rhs)" in lower, "a constant of the base is still a constant"
    for names in (upper, lower):
        assert not any(n.startswith(("term ell", "constant 1 in ell + 1")) for n in names), sorted(names)


def test_a_numeric_exponent_stays_structure():
    names = _names(_claim("g >= 2*w**2", quantities=("g", "w")))
    assert set(names) == {"constant 2 in 2*w**2 (rhs)"}, sorted(names)


def test_hardt_ma_exponent_parts_are_named_as_exponents():
    pytest.importorskip("hardt_ma2016", reason="the second paper's package (papers/hardt_ma2016) is not installed")
    from theorems import CLAIMS
    names = _names(CLAIMS["hardt_ma2016.proof_theorem2_2.line3"])
    assert "exponent of 1 - tau: ell - 1 → -1 (rhs)" in names and "term ell (rhs)" not in names, sorted(names)


# ---- the sharper variants of a refuted statement -------------------------------------------

def _other_statement_drop():
    # the claim outside its hypothesis, checked against another (true or false) statement: x² ≥ x
    # fails on (0, 1), so this drop is refuted whatever the claim's own statement says
    return HypothesisDrop("x ≥ 1", lambda: st.floats(0.01, 0.99).map(Num),
                          lambda n: Evaluation.compare(n.x * n.x, ">=", n.x, informative=True),
                          "x² ≥ x for x < 1 (another statement)", sharpens=False)


def _own_statement_drop():
    return HypothesisDrop("x ≤ 2", lambda: st.floats(2.0, 3.0).map(Num),
                          lambda n: Evaluation.compare(n.x, "<=", 2, informative=True), "the claim for x > 2")


ERRATUM = {"location": "a test", "statement": "g >= 2*h + 1", "correction": "", "why": "a test"}


def test_sharper_variants_of_a_refuted_statement_are_not_applicable():
    claim = _claim("g >= 2*h + 1", quantities=("g", "h"), erratum=ERRATUM,
                   drops=(_own_statement_drop(), _other_statement_drop()))
    rows = {r["part"]: r for r in run_necessity(claim, seed=0, max_examples=200)}
    derived = [p for p in derive_parts(claim) if p.kind != "hypothesis"]
    assert derived, "the form has terms and constants to derive"
    for p in derived + [next(p for p in derive_parts(claim) if p.name == "hypothesis x ≤ 2")]:
        r = rows[p.name]
        assert r["status"] == "n/a" and r["reason"] == REFUTED_REASON, r
        assert r["examples"] == 0 and r["witness"] is None, "a sharper variant of a refuted statement is not searched"
    other = rows["hypothesis x ≥ 1"]
    assert other["status"] == "necessary" and other["witness"]["confirmed"], \
        "a drop that checks another statement stays meaningful when the claim is refuted"
    assert all(r["status"] in STATUSES for r in rows.values())


def test_refuted_follows_the_search_when_given_and_the_erratum_otherwise():
    claim = _claim("g >= 2*h + 1", quantities=("g", "h"), drops=(_own_statement_drop(),))
    rows = run_necessity(claim, seed=0, max_examples=50, refuted=True)
    assert rows and all(r["status"] == "n/a" for r in rows)
    searched = run_necessity(claim, seed=0, max_examples=50)
    drop = next(r for r in searched if r["part"] == "hypothesis x ≤ 2")
    assert drop["status"] == "necessary", "without an erratum or a refutation the variants are searched"
