"""A safe parser for expressions that come from outside: a reviewer's variant of a statement
(``python -m theorems refute CLAIM "EXPR"``) and a replayed loss's ``expr``.

``sympy.sympify`` and ``parse_expr`` evaluate Python, so a crafted string can run code. Here the
string is parsed by :mod:`ast` (which never executes anything) and every node is checked against
an allow-list — names, numbers, + − × ÷ **, unary minus, one comparison, and calls of a fixed set
of functions — before a SymPy expression is built from it node by node. Anything else (attribute
access, subscripts, lambdas, keywords, strings, names that are not declared) is rejected with an
:class:`UnsafeExpressionError` naming what was found, and nothing is run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import sympy as sp

__all__ = ["UnsafeExpressionError", "FUNCTIONS", "CONSTANTS", "Relation", "parse_expression",
           "parse_relation"]

MAX_LENGTH = 2000


class UnsafeExpressionError(ValueError):
    """An expression that is not in the allowed grammar (it was not evaluated)."""


FUNCTIONS = {
    "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "abs": sp.Abs, "Abs": sp.Abs,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
    "atan": sp.atan, "max": sp.Max, "min": sp.Min, "Max": sp.Max, "Min": sp.Min,
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}

_BINOPS = {ast.Add: sp.Add, ast.Sub: lambda a, b: a - b, ast.Mult: sp.Mul, ast.Div: lambda a, b: a / b,
           ast.Pow: sp.Pow}
_RELATIONS = {ast.GtE: ">=", ast.LtE: "<=", ast.Eq: "==", ast.Gt: ">=", ast.Lt: "<="}


@dataclass(frozen=True)
class Relation:
    lhs: sp.Expr
    relation: str           # ">=", "<=" or "=="
    rhs: sp.Expr
    symbols: tuple[str, ...]


def _build(node, symbols: dict):
    if isinstance(node, ast.Expression):
        return _build(node.body, symbols)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise UnsafeExpressionError(f"only numbers are allowed as constants, found {node.value!r}")
        return sp.Integer(node.value) if isinstance(node.value, int) else sp.Float(repr(node.value))
    if isinstance(node, ast.Name):
        if node.id in symbols:
            return symbols[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise UnsafeExpressionError(f"unknown name {node.id!r}; allowed: {', '.join(sorted(symbols))} "
                                    f"and the constants {', '.join(sorted(CONSTANTS))}")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_build(node.left, symbols), _build(node.right, symbols))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        x = _build(node.operand, symbols)
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            what = ast.unparse(node.func)[:60]
            raise UnsafeExpressionError(f"call of {what!r} is not allowed; allowed functions: "
                                        f"{', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            raise UnsafeExpressionError("keyword arguments are not allowed")
        if not node.args:
            raise UnsafeExpressionError(f"{node.func.id}() needs an argument")
        return FUNCTIONS[node.func.id](*(_build(a, symbols) for a in node.args))
    raise UnsafeExpressionError(f"{type(node).__name__} is not allowed in an expression "
                                "(only names, numbers, + - * / **, comparisons and the allowed functions)")


def _parse(text: str) -> ast.Expression:
    if not isinstance(text, str):
        raise UnsafeExpressionError(f"an expression must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise UnsafeExpressionError(f"expression longer than {MAX_LENGTH} characters")
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise UnsafeExpressionError(f"cannot parse {text!r}: {err.msg}") from None


def _symbols(names, assumptions):
    return {n: sp.Symbol(n, **assumptions) for n in names}


def parse_expression(text: str, names, *, real: bool = True) -> sp.Expr:
    """A SymPy expression over the given variable ``names`` (no comparison)."""
    tree = _parse(text)
    if isinstance(tree.body, ast.Compare):
        raise UnsafeExpressionError(f"expected an expression, found a comparison in {text!r}")
    return _build(tree, _symbols(names, {"real": True} if real else {}))


def parse_relation(text: str, names, *, real: bool = True) -> Relation:
    """``lhs R rhs`` with R one of >=, <=, ==, >, < (strict ones are judged as their closure, since a
    float comparison cannot tell them apart) over the given variable ``names``."""
    tree = _parse(text)
    body = tree.body
    if not isinstance(body, ast.Compare) or len(body.ops) != 1 or type(body.ops[0]) not in _RELATIONS:
        raise UnsafeExpressionError(f"expected one relation 'LHS >= RHS', 'LHS <= RHS' or 'LHS == RHS', "
                                    f"got {text!r}")
    symbols = _symbols(names, {"real": True} if real else {})
    lhs, rhs = _build(body.left, symbols), _build(body.comparators[0], symbols)
    used = sorted(str(s) for s in (lhs.free_symbols | rhs.free_symbols))
    return Relation(lhs, _RELATIONS[type(body.ops[0])], rhs, tuple(used))
