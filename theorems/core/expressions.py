"""A safe parser for expressions that come from outside: a reviewer's variant of a statement
(``python -m theorems refute CLAIM "EXPR"``) and a replayed loss's ``expr``.

``sympy.sympify`` and ``parse_expr`` evaluate Python, so a crafted string can run code. Here the
string is parsed by :mod:`ast` (which never executes anything) and every node is checked against
an allow-list — names, numbers, + − × ÷ **, unary minus, one comparison, and calls of a fixed set
of functions with their arity — before a SymPy expression is built from it node by node. Anything
else (attribute access, subscripts, lambdas, keywords, strings, names that are not declared) is
rejected with an :class:`UnsafeExpressionError` naming what was found, and nothing is run.

Time and memory are bounded before SymPy sees anything (the design contract: "expression literals
and exponents capped before SymPy sees them"). SymPy evaluates integer powers and roots exactly
while it builds, so ``9**9**9**9`` would never finish; the checks below run on the ast:

- the text: a ``str`` of at most ``MAX_LENGTH`` characters, valid UTF-8 (no lone surrogate, which
  is how Python decodes a command-line byte that is not UTF-8);
- the tree: at most ``MAX_NODES`` nodes and ``MAX_DEPTH`` levels of nesting (a chain
  ``a + b + c`` or ``a*b*c`` counts as one level, as SymPy flattens it); integer literals of at
  most ``MAX_INT_DIGITS`` digits; finite float literals; each function called with its arity;
- every constant (symbol-free) sub-expression is estimated bottom-up at low precision, each power
  ``a**b`` bounded through ``b·log10|a|`` *before* it is computed: a constant beyond
  ``10**MAX_LOG10`` (float64's range, the only range an audit evaluates in), a division by zero,
  a logarithm of 0 or a non-real constant is rejected, naming the sub-expression;
- a constant exponent on a symbolic base is at most ``MAX_EXPONENT`` in size, and a bound on the
  number of digits SymPy's exact arithmetic could reach (``MAX_EXACT_DIGITS``) is kept per node.

After building, a result that still contains ``zoo``/``oo``/``nan`` or the imaginary unit is
rejected. Every rejection is one line; no other exception leaves :func:`parse_expression` or
:func:`parse_relation`.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

import mpmath
import sympy as sp

__all__ = ["UnsafeExpressionError", "FUNCTIONS", "CONSTANTS", "Relation", "parse_expression",
           "parse_relation", "MAX_LENGTH", "MAX_DEPTH", "MAX_NODES", "MAX_INT_DIGITS", "MAX_LOG10",
           "MAX_EXPONENT", "MAX_EXACT_DIGITS"]

MAX_LENGTH = 2000          # characters
MAX_DEPTH = 60             # nesting levels (an associative chain is one level)
MAX_NODES = 1000           # ast nodes (2,000 characters make at most about 1,000)
MAX_INT_DIGITS = 40        # digits of an integer literal
MAX_LOG10 = 300            # |constant| ≤ 10**300: float64's range (about 1.8e308)
MAX_EXPONENT = 1000        # |b| in base**b for a symbolic base
MAX_EXACT_DIGITS = 1000    # digits SymPy's exact arithmetic may reach (measured: roots of
#                            1,000-digit rationals take < 0.3 s; 4,300 digits take 17 s)


class UnsafeExpressionError(ValueError):
    """An expression that is not in the allowed grammar, or too costly to build (it was not
    evaluated)."""


FUNCTIONS = {
    "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "abs": sp.Abs, "Abs": sp.Abs,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
    "atan": sp.atan, "max": sp.Max, "min": sp.Min, "Max": sp.Max, "Min": sp.Min,
}
# (least, most) arguments; None: any number
ARITY = {name: (1, 1) for name in FUNCTIONS}
ARITY.update(log=(1, 2), max=(1, None), min=(1, None), Max=(1, None), Min=(1, None))
CONSTANTS = {"pi": sp.pi, "E": sp.E}

_BINOPS = {ast.Add: sp.Add, ast.Sub: lambda a, b: a - b, ast.Mult: sp.Mul, ast.Div: lambda a, b: a / b,
           ast.Pow: sp.Pow}
_RELATIONS = {ast.GtE: ">=", ast.LtE: "<=", ast.Eq: "==", ast.Gt: ">=", ast.Lt: "<="}
_FAMILY = {ast.Add: "+", ast.Sub: "+", ast.Mult: "*", ast.Div: "*"}   # associative chains

# the magnitude estimates run in a private mpmath context (the suite's global one is at 60 digits
# during confirmations and may be used by another thread)
_MP = mpmath.MPContext()
_MP.dps = 30
_MP_FUNCTIONS = {
    "sqrt": _MP.sqrt, "exp": _MP.exp, "abs": abs, "Abs": abs, "sin": _MP.sin, "cos": _MP.cos,
    "tan": _MP.tan, "sinh": _MP.sinh, "cosh": _MP.cosh, "tanh": _MP.tanh, "atan": _MP.atan,
    "max": lambda *a: max(a), "min": lambda *a: min(a), "Max": lambda *a: max(a), "Min": lambda *a: min(a),
}
_GROWS = {"exp", "sinh", "cosh"}          # |f(x)| ~ e^|x|: bounded before computing
_LN10 = math.log(10)


@dataclass(frozen=True)
class Relation:
    lhs: sp.Expr
    relation: str           # ">=", "<=" or "=="
    rhs: sp.Expr
    symbols: tuple[str, ...]


# ---------------------------------------------------------------- text and tree shape

def _check_text(text) -> str:
    """The text as given: a str, valid UTF-8, not too long."""
    if not isinstance(text, str):
        raise UnsafeExpressionError(f"an expression must be a string, got {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        bad = text[err.start]
        raise UnsafeExpressionError(
            f"the expression is not valid UTF-8 (character {ascii(bad)} at position {err.start}; "
            "a byte of the command line that is not UTF-8?)") from None
    if len(text) > MAX_LENGTH:
        raise UnsafeExpressionError(f"expression longer than {MAX_LENGTH} characters ({len(text)})")
    return text


def _too_deep() -> UnsafeExpressionError:
    return UnsafeExpressionError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")


def _parse(text: str) -> tuple[ast.Expression, str]:
    src = _check_text(text).strip()
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as err:
        if "too many nested" in (err.msg or "") or "too complex" in (err.msg or ""):
            raise _too_deep() from None
        raise UnsafeExpressionError(f"cannot parse {text!r}: {err.msg}") from None
    except (RecursionError, MemoryError):
        raise _too_deep() from None
    except ValueError as err:             # e.g. a NUL byte (Python < 3.12)
        raise UnsafeExpressionError(f"cannot parse {text!r}: {err}") from None
    _check_shape(tree)
    return tree, src


def _children(node) -> list:
    if isinstance(node, ast.Expression):
        return [node.body]
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return [*node.args]
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    return []


def _same_chain(parent, child) -> bool:
    """``child`` continues ``parent``'s associative chain (a + b + c, a*b/c): one nesting level."""
    return (isinstance(parent, ast.BinOp) and isinstance(child, ast.BinOp) and child is parent.left
            and _FAMILY.get(type(parent.op)) is not None
            and _FAMILY.get(type(parent.op)) == _FAMILY.get(type(child.op)))


def _check_shape(tree) -> None:
    """Node count and nesting depth, walked iteratively (a deep tree must not exhaust the stack)."""
    stack, count = [(tree, 1)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise UnsafeExpressionError(f"the expression has more than {MAX_NODES} parts")
        if depth > MAX_DEPTH:
            raise _too_deep()
        for child in _children(node):
            stack.append((child, depth if _same_chain(node, child) else depth + 1))


# ---------------------------------------------------------------- the allow-list and the bounds

@dataclass(frozen=True)
class _Info:
    """What the pre-pass knows of a node: its value if it is constant (an mpf estimate), and a bound
    on the number of digits SymPy's exact arithmetic could reach building it."""

    value: object        # mpf, or None when the node depends on a variable
    digits: float


def _segment(src: str, node) -> str:
    seg = ast.get_source_segment(src, node) or type(node).__name__
    return seg if len(seg) <= 60 else seg[:57] + "..."


def _log10(x) -> float:
    """log10|x| of an mpf (−inf for 0), without converting a huge value to float."""
    return -math.inf if x == 0 else float(_MP.log10(abs(x)))


def _constant_info(node, src: str) -> _Info:
    v = node.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise UnsafeExpressionError(f"only real numbers are allowed as constants, found {_segment(src, node)!r}")
    if isinstance(v, int):
        digits = v.bit_length() * math.log10(2)
        if digits > MAX_INT_DIGITS:
            raise UnsafeExpressionError(f"integer literal {_segment(src, node)!r} has more than "
                                        f"{MAX_INT_DIGITS} digits")
        return _Info(_MP.mpf(v), math.log10(abs(v) + 1))
    if not math.isfinite(v):
        raise UnsafeExpressionError(f"float literal {_segment(src, node)!r} is not finite "
                                    "(it overflows float64)")
    return _Info(_MP.mpf(v), abs(math.log10(abs(v))) if v else 0.0)


def _name_info(node, names) -> _Info:
    if node.id in names:
        return _Info(None, 0.0)
    if node.id in CONSTANTS:
        return _Info(_MP.pi if node.id == "pi" else _MP.e, 0.5)
    raise UnsafeExpressionError(f"unknown name {node.id!r}; allowed: {', '.join(sorted(names))} "
                                f"and the constants {', '.join(sorted(CONSTANTS))}")


def _check_call(node, src: str) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        what = _segment(src, node.func)
        raise UnsafeExpressionError(f"call of {what!r} is not allowed; allowed functions: "
                                    f"{', '.join(sorted(FUNCTIONS))}")
    if node.keywords:
        raise UnsafeExpressionError(f"keyword arguments are not allowed (in {_segment(src, node)!r})")
    name, n = node.func.id, len(node.args)
    least, most = ARITY[name]
    if n < least or (most is not None and n > most):
        want = (f"exactly {least}" if least == most else f"{least} to {most}" if most is not None
                else f"at least {least}")
        raise UnsafeExpressionError(f"{name}() takes {want} argument{'s' if most != 1 else ''}, "
                                    f"got {n} in {_segment(src, node)!r}")


def _pow_value(node, a, b, src: str):
    """a**b of two constant estimates, bounded by b·log10|a| before it is computed."""
    if a == 0:
        if b < 0:
            raise UnsafeExpressionError(f"division by zero in {_segment(src, node)!r}")
        return _MP.mpf(0) if b > 0 else _MP.mpf(1)
    size = float(b * _MP.log10(abs(a)))        # |b| ≤ 1e300 and |log10|a|| ≤ ~300: a float
    if size > MAX_LOG10:
        raise UnsafeExpressionError(
            f"the constant {_segment(src, node)!r} is about 10^{size:.4g}, beyond float64's range "
            f"(|x| ≤ 1e{MAX_LOG10}, the range an audit evaluates in)")
    return _MP.power(a, b)


def _call_value(name, args, node, src: str):
    x = args[0]
    if name in _GROWS and abs(x) > MAX_LOG10 * _LN10:
        if name != "exp" or x > 0:
            raise UnsafeExpressionError(f"the constant {_segment(src, node)!r} is beyond float64's range "
                                        f"(|x| ≤ 1e{MAX_LOG10})")
        return _MP.mpf(0)
    if name == "log":
        if any(a == 0 for a in args):
            raise UnsafeExpressionError(f"log(0) in {_segment(src, node)!r} is not finite")
        value = _MP.log(x) if len(args) == 1 else _MP.log(x) / _MP.log(args[1])
        return value
    return _MP_FUNCTIONS[name](*args)


def _combine(node, kids: list[_Info], src: str) -> _Info:
    """The info of an operator or call node from its children's (raises on what is unsafe)."""
    digits = sum(k.digits for k in kids)
    values = [k.value for k in kids]
    constant = all(v is not None for v in values)
    value = None
    if isinstance(node, ast.BinOp):
        op = type(node.op)
        if op is ast.Pow:
            b = values[1]
            if b is not None:
                if values[0] is None and abs(b) > MAX_EXPONENT:
                    raise UnsafeExpressionError(
                        f"exponent in {_segment(src, node)!r} exceeds {MAX_EXPONENT} in size "
                        "(a constant exponent on a variable is capped)")
                digits = kids[0].digits * max(1.0, float(abs(b))) + kids[1].digits
        elif op is ast.Div and values[1] is not None and values[1] == 0:
            raise UnsafeExpressionError(f"division by zero in {_segment(src, node)!r}")
        if constant:
            a, b = values
            try:
                value = (a + b if op is ast.Add else a - b if op is ast.Sub else a * b if op is ast.Mult
                         else a / b if op is ast.Div else _pow_value(node, a, b, src))
            except ZeroDivisionError:
                raise UnsafeExpressionError(f"division by zero in {_segment(src, node)!r}") from None
    elif isinstance(node, ast.UnaryOp):
        value = None if values[0] is None else (-values[0] if isinstance(node.op, ast.USub) else values[0])
    elif isinstance(node, ast.Call) and constant:
        try:
            value = _call_value(node.func.id, values, node, src)
        except ZeroDivisionError:
            raise UnsafeExpressionError(f"division by zero in {_segment(src, node)!r}") from None
    if digits > MAX_EXACT_DIGITS:
        raise UnsafeExpressionError(
            f"{_segment(src, node)!r} could make SymPy compute exact numbers of about {digits:.4g} "
            f"digits (limit {MAX_EXACT_DIGITS})")
    if value is not None:
        value = _check_constant(value, node, src)
    return _Info(value, digits)


def _check_constant(value, node, src: str):
    """A constant estimate must be real, finite and within float64's range; returns it as an mpf."""
    if isinstance(value, _MP.mpc):
        if value.imag != 0:
            raise UnsafeExpressionError(f"the constant {_segment(src, node)!r} is not real "
                                        "(a square root, power or logarithm of a negative number)")
        value = value.real
    if not _MP.isfinite(value):
        raise UnsafeExpressionError(f"the constant {_segment(src, node)!r} is not finite "
                                    "(a division by zero or log(0))")
    size = _log10(value)
    if size > MAX_LOG10:
        raise UnsafeExpressionError(
            f"the constant {_segment(src, node)!r} is about 10^{size:.4g}, beyond float64's range "
            f"(|x| ≤ 1e{MAX_LOG10}, the range an audit evaluates in)")
    return value


_ALLOWED = "only names, numbers, + - * / **, comparisons and the allowed functions"


def _check_node(node, src: str) -> None:
    """The allow-list, node by node."""
    if isinstance(node, (ast.Expression, ast.Constant, ast.Name, ast.Call)):
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return
    raise UnsafeExpressionError(f"{type(node).__name__} is not allowed in an expression ({_ALLOWED})")


def _prepass(root, names, src: str) -> dict:
    """Post-order over ``root`` without recursion: the allow-list, the arity, the literal caps and
    the magnitude and size bounds. Returns id(node) -> _Info."""
    info: dict[int, _Info] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            _check_node(node, src)
            if isinstance(node, ast.Call):
                _check_call(node, src)
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(_children(node)))
            continue
        if isinstance(node, ast.Constant):
            info[id(node)] = _constant_info(node, src)
        elif isinstance(node, ast.Name):
            info[id(node)] = _name_info(node, names)
        else:
            kids = [info[id(c)] for c in _children(node)]
            info[id(node)] = _combine(node, kids, src)
    return info


# ---------------------------------------------------------------- building

def _chain(node):
    """The operands of an associative chain, left to right, each with its operator (None first)."""
    family = _FAMILY[type(node.op)]
    parts = []
    while isinstance(node, ast.BinOp) and _FAMILY.get(type(node.op)) == family:
        parts.append((type(node.op), node.right))
        node = node.left
    parts.append((None, node))
    return family, parts[::-1]


def _build(node, symbols: dict):
    if isinstance(node, ast.Expression):
        return _build(node.body, symbols)
    if isinstance(node, ast.Constant):
        return sp.Integer(node.value) if isinstance(node.value, int) else sp.Float(repr(node.value))
    if isinstance(node, ast.Name):
        return symbols[node.id] if node.id in symbols else CONSTANTS[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _FAMILY:
        family, parts = _chain(node)
        if family == "+":
            return sp.Add(*(-_build(x, symbols) if op is ast.Sub else _build(x, symbols) for op, x in parts))
        out = None
        for op, x in parts:          # left to right, as Python reads a*b/c (SymPy flattens it)
            v = _build(x, symbols)
            out = v if out is None else (out / v if op is ast.Div else out * v)
        return out
    if isinstance(node, ast.BinOp):
        return sp.Pow(_build(node.left, symbols), _build(node.right, symbols))
    if isinstance(node, ast.UnaryOp):
        x = _build(node.operand, symbols)
        return -x if isinstance(node.op, ast.USub) else x
    return FUNCTIONS[node.func.id](*(_build(a, symbols) for a in node.args))


_NOT_FINITE = (sp.zoo, sp.oo, -sp.oo, sp.nan)
_FLOAT_RANGE = sp.Integer(10) ** MAX_LOG10


def _check_built(e, src: str):
    """A built expression must be real and finite wherever it is defined (SymPy decides exactly
    what the estimates could not: tan(pi/2), log(p - p), (-1)**(1/3))."""
    for sub in sp.preorder_traversal(e):
        if sub in _NOT_FINITE:
            raise UnsafeExpressionError(f"{src!r} is not finite: it contains {sub} "
                                        "(a division by zero or log(0))")
        if sub.is_Number and sub.is_finite and abs(sub) > _FLOAT_RANGE:
            raise UnsafeExpressionError(f"the constants of {src!r} combine to about "
                                        f"10^{float(sp.log(abs(sub), 10)):.4g}, beyond float64's range "
                                        f"(|x| ≤ 1e{MAX_LOG10})")
        if sub == sp.I:
            raise UnsafeExpressionError(f"{src!r} is not real: it contains the imaginary unit "
                                        "(a square root or logarithm of a negative constant)")
        if (isinstance(sub, sp.Pow) and sub.base.is_number and sub.base.is_extended_negative
                and sub.exp.is_number and sub.exp.is_integer is False):
            raise UnsafeExpressionError(f"{src!r} is not real: it contains {sp.sstr(sub)[:60]}")
    return e


def _build_checked(node, symbols: dict, src: str):
    try:
        e = _build(node, symbols)
    except (ArithmeticError, TypeError, ValueError, RecursionError, MemoryError) as err:
        raise UnsafeExpressionError(f"cannot build {_segment(src, node)!r}: {type(err).__name__}: "
                                    f"{str(err)[:80]}") from None
    return _check_built(e, src)


def _symbols(names, assumptions):
    return {n: sp.Symbol(n, **assumptions) for n in names}


def parse_expression(text: str, names, *, real: bool = True) -> sp.Expr:
    """A SymPy expression over the given variable ``names`` (no comparison)."""
    tree, src = _parse(text)
    if isinstance(tree.body, ast.Compare):
        raise UnsafeExpressionError(f"expected an expression, found a comparison in {text!r}")
    _prepass(tree.body, set(names), src)
    return _build_checked(tree.body, _symbols(names, {"real": True} if real else {}), src)


def parse_relation(text: str, names, *, real: bool = True) -> Relation:
    """``lhs R rhs`` with R one of >=, <=, ==, >, < (strict ones are judged as their closure, since a
    float comparison cannot tell them apart) over the given variable ``names``."""
    tree, src = _parse(text)
    body = tree.body
    if not isinstance(body, ast.Compare) or len(body.ops) != 1 or type(body.ops[0]) not in _RELATIONS:
        raise UnsafeExpressionError(f"expected one relation 'LHS >= RHS', 'LHS <= RHS' or 'LHS == RHS', "
                                    f"got {text!r}")
    symbols = _symbols(names, {"real": True} if real else {})
    sides = []
    for side in (body.left, body.comparators[0]):
        _prepass(side, set(names), src)
        sides.append(_build_checked(side, symbols, src))
    lhs, rhs = sides
    used = sorted(str(s) for s in (lhs.free_symbols | rhs.free_symbols))
    return Relation(lhs, _RELATIONS[type(body.ops[0])], rhs, tuple(used))
