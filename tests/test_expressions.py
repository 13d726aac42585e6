"""The allow-list expression parser (theorems/model/expressions.py): what comes from outside — a
reviewer's variant, a replayed loss's expr — is parsed without ever running Python."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from theorems.model import losses as L
from theorems.model.expressions import UnsafeExpressionError, parse_expression, parse_relation
from theorems.model.instance import random_point
from theorems.model.serialization import instance_from_json

ATTACKS = [
    "__import__('os').system('touch {canary}')",
    "open('{canary}', 'w')",
    "p.__class__.__mro__",
    "(lambda: open('{canary}', 'w'))()",
    "exec(\"open('{canary}', 'w')\")",
    "eval('1')",
    "[open('{canary}', 'w') for _ in (1,)]",
    "sqrt(p, key=open('{canary}', 'w'))",
    "p[0]",
    "'{canary}'",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_are_rejected_and_nothing_runs(attack, tmp_path):
    canary = tmp_path / "canary"
    with pytest.raises(UnsafeExpressionError):
        parse_expression(attack.format(canary=canary), ("p", "y"))
    with pytest.raises(ValueError, match="argument 'expr'"):
        L.from_expression(attack.format(canary=canary))
    assert not canary.exists(), "the expression was executed"


def test_replayed_instance_with_a_malicious_loss_is_rejected_without_running(tmp_path):
    canary = tmp_path / "canary"
    d = random_point(0).to_json()
    d["loss"] = {"name": "expression", "expr": f"__import__('os').system('touch {canary}')", "y_domain": "real"}
    with pytest.raises(ValueError, match="not allowed"):
        instance_from_json(json.dumps(d))
    assert not canary.exists()


def test_the_grammar_builds_the_intended_sympy_expression():
    p, y = sp.Symbol("p", real=True), sp.Symbol("y", real=True)
    e = parse_expression("log(1 + exp(-y*p)) + abs(p)**2/2 - 3.5e-1*pi", ("p", "y"))
    assert sp.simplify(e - (sp.log(1 + sp.exp(-y * p)) + sp.Abs(p) ** 2 / 2 - sp.Float("0.35") * sp.pi)) == 0


@pytest.mark.parametrize("text,relation", [("a >= 2*b", ">="), ("a <= b", "<="), ("a == b", "=="),
                                           ("a > b", ">="), ("a < sqrt(b)", "<=")])
def test_relations(text, relation):
    r = parse_relation(text, ("a", "b"))
    assert r.relation == relation and set(r.symbols) <= {"a", "b"}


@pytest.mark.parametrize("text", ["a >= b >= c", "a", "a and b", "a >= q", "a >= b; 1"])
def test_bad_relations_are_rejected(text):
    with pytest.raises(UnsafeExpressionError):
        parse_relation(text, ("a", "b", "c") if "c" in text and "q" not in text else ("a", "b"))


def test_expression_loss_replays_exactly():
    loss = L.from_expression("log(cosh(p - y))")
    again = L.from_spec(json.loads(json.dumps(loss.spec)))
    assert again.value(0.3, 1.0) == loss.value(0.3, 1.0)
