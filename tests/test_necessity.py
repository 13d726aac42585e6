"""The necessity analysis (theorems/audit/necessity.py): parts derived from each claim's Form, the
Form agreeing with the claim's own predicate, and Theorem 1's every part shown necessary."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import scaled
from theorems import CLAIMS
from theorems.audit.necessity import derive_parts, run_necessity
from theorems.core.expressions import parse_relation

WITH_FORM = sorted(cid for cid, c in CLAIMS.items() if c.form is not None)


@pytest.mark.parametrize("cid", WITH_FORM)
@settings(max_examples=scaled(6), deadline=None)   # a form either computes the sides or not
@given(data=st.data())
def test_the_form_computes_the_claims_own_two_sides(cid, data):
    claim = CLAIMS[cid]
    names = tuple(dict.fromkeys((*claim.quantities, "lhs", "rhs", *claim.form.norms.values())))
    rel = parse_relation(claim.form.relation, names)
    for inst in (claim.example(), data.draw(claim.strategy(), label="instance")):
        ev = claim.evaluate(inst)
        syms = sorted(rel.lhs.free_symbols | rel.rhs.free_symbols, key=str)
        if any(ev.quantities.get(str(s)) is None for s in syms):
            continue               # a branch where the claim checks another form (e.g. Eq. 6 at G = 0)
        vals = [float(ev.quantities[str(s)]) for s in syms]
        try:
            lhs = float(sp.lambdify(syms, rel.lhs, modules="math")(*vals))
            rhs = float(sp.lambdify(syms, rel.rhs, modules="math")(*vals))
        except ZeroDivisionError:
            continue               # the form is undefined there (G = 0); the claim checks the undivided form
        assert rel.relation == ev.relation
        assert math.isclose(lhs, float(ev.lhs), rel_tol=1e-9, abs_tol=1e-300), (lhs, ev.lhs)
        assert math.isclose(rhs, float(ev.rhs), rel_tol=1e-9, abs_tol=1e-300), (rhs, ev.rhs)


def test_theorem1_parts_are_the_terms_factors_and_constants_of_its_bound():
    names = {p.name for p in derive_parts(CLAIMS["theorem1"])}
    assert names == {
        "term 2*w_norm**2 (rhs)", "constant 2 in 2*w_norm**2 (rhs)",
        "term w_star_norm**2*(V_norm**2/w_norm**2 + 2) (rhs)", "factor V_norm**2/w_norm**2 + 2 (rhs)",
        "term 2 (rhs)", "constant 2 in V_norm**2/w_norm**2 + 2 (rhs)", "term V_norm**2/w_norm**2 (rhs)",
        "hypothesis ℓ convex in p (Assumption 1)"}


def test_every_part_of_theorem1_is_necessary_with_a_confirmed_witness():
    rows = run_necessity(CLAIMS["theorem1"], seed=0, max_examples=100)
    assert rows and all(r["status"] == "necessary" for r in rows), [(r["part"], r["status"]) for r in rows]
    for r in rows:
        assert r["witness"]["confirmed"] and r["witness"]["evaluation_mp"]["holds"] is False


def test_statement_mutation_score_per_section():
    from theorems.audit.report import mutation_scores

    part = lambda status: {"status": status}
    result = {"claims": [{"id": "theorem1", "necessity": [part("necessary"), part("necessary"), part("open")]},
                         {"id": "lemma1", "necessity": [part("unnecessary")]},
                         {"id": "theorem6", "necessity": [part("necessary")]},
                         {"id": "example1.value", "necessity": None}]}
    rows = {r["section"]: r for r in mutation_scores(result)}
    sec3 = rows["Sec. 3 and its proofs, Sec. 6.1–6.3"]
    assert (sec3["necessary"], sec3["open"], sec3["unnecessary"]) == (2, 1, 1)
    assert abs(sec3["score"] - 2 / 3) < 1e-12          # unnecessary (true) variants are not counted
    assert rows["Appendix A (and Remark 2)"]["score"] == 1.0
    assert "Sec. 4 (Example 1, Remark 3, Figure 1)" not in rows
