"""Our own front door, fuzzed like the paper is (design contract, "One contract for every entry
point"): whatever text a reviewer types or a file carries, the expression parser and the loss
builder return, or raise a one-line ``UnsafeExpressionError``/``ValueError`` — never another
exception, never a hang.

``expressions(names)`` generates text from the allowed grammar (names, numbers, + − × ÷ **, the
allowed functions) mixed with hostile parts: huge integer and float literals, power towers, deep
nesting, wrong arity, unknown names and functions, random unicode and lone surrogates. It is
reusable (the CLI fuzzing draws from it). The number of examples follows the active profile
(``conftest.py``: dev/ci 200, nightly 20,000); the loss builder, which derives and lambdifies,
runs a fifth of it.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from theorems.core.expressions import FUNCTIONS, UnsafeExpressionError, parse_expression, parse_relation
from theorems.model import losses as L

# per call; the slowest accepted inputs measured ~0.3 s (a derived and lambdified loss) on a
# loaded 2-core machine, the caps reject the hostile ones in milliseconds
SECONDS = 2.0
NAMES = ("gap", "w_norm", "V_norm")

_OPS = ("+", "-", "*", "/", "**")
_RELATIONS = (">=", "<=", "==", ">", "<")


def _number():
    return st.one_of(
        st.integers(0, 1000).map(str),
        st.floats(0, 1e6, allow_nan=False).map(repr),
        st.sampled_from(["pi", "E", "0", "1", "0.5", "1e-300"]),
    )


def _hostile_leaf():
    return st.one_of(
        st.integers(10 ** 30, 10 ** 400).map(str),                          # huge integer literals
        st.sampled_from(["1e999", "1e308", "-1e999", "1e-999", "9**9**9**9", "10**10**10",
                         "2**2**2**2**2**2", "(3**9000+1)**(1/2)", "10**5000", "1/0", "log(0)",
                         "0**-1", "sqrt(-1)", "(-8)**(1/3)", "tan(pi/2)", "1j", "True", "None",
                         "'s'", "__import__('os')", "x.y", "x[0]", "lambda: 1", "\udcff",
                         "\x00", "\u0661", "ｇａｐ", "...", "*x", "sqrt(x=1)"]),
        st.from_regex(r"\A[a-zA-Z_][a-zA-Z0-9_]{0,8}\Z"),                    # unknown names
        st.text(max_size=12),                                              # random unicode
        st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    )


def _extend(names):
    def extend(inner):
        function = st.sampled_from(sorted(FUNCTIONS) + ["sqrtt", "open", "eval"])
        return st.one_of(
            st.tuples(inner, st.sampled_from(_OPS), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, st.sampled_from(_OPS), inner).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
            inner.map(lambda a: f"-{a}"),
            st.tuples(function, st.lists(inner, min_size=0, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"),                     # any arity
            st.tuples(inner, st.integers(2, 8)).map(lambda t: "**".join([t[0]] * t[1])),   # towers
            st.tuples(inner, st.integers(1, 400)).map(lambda t: "(" * t[1] + t[0] + ")" * t[1]),
            st.tuples(inner, st.integers(1, 2000)).map(lambda t: "-" * t[1] + t[0]),
        )
    return extend


def expressions(names) -> st.SearchStrategy[str]:
    """Text of an expression over ``names``: mostly the allowed grammar, with hostile parts."""
    names = tuple(names)
    leaf = st.one_of(st.sampled_from(names), _number(), _number(), _hostile_leaf())
    return st.recursive(leaf, _extend(names), max_leaves=12)


def relations(names) -> st.SearchStrategy[str]:
    """``LHS R RHS`` over ``names`` (sometimes with no relation, or two)."""
    e = expressions(names)
    return st.one_of(
        st.tuples(e, st.sampled_from(_RELATIONS), e).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        e,
        st.tuples(e, e, e).map(lambda t: f"{t[0]} >= {t[1]} >= {t[2]}"),
    )


def _returns_or_refuses(call, text, allowed):
    """Run ``call(text)``: it returns or raises one of ``allowed``, within SECONDS."""
    note(f"text: {text!r:.300}")
    t0 = time.perf_counter()
    try:
        call(text)
        outcome = "returned"
    except allowed as err:
        msg = str(err)
        assert "\n" not in msg, f"a multi-line error for {text!r:.200}: {msg!r:.300}"
        msg.encode("utf-8")                    # the message can be printed
        outcome = type(err).__name__
    elapsed = time.perf_counter() - t0
    assert elapsed < SECONDS, f"{outcome} after {elapsed:.2f} s for {text!r:.200}, but should take < {SECONDS} s"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(text=relations(NAMES))
def test_parse_relation_returns_or_refuses_in_bounded_time(text):
    _returns_or_refuses(lambda t: parse_relation(t, NAMES), text, UnsafeExpressionError)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(text=expressions(NAMES))
def test_parse_expression_returns_or_refuses_in_bounded_time(text):
    _returns_or_refuses(lambda t: parse_expression(t, NAMES), text, UnsafeExpressionError)


@settings(max_examples=max(10, settings.default.max_examples // 5),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(text=expressions(("p", "y")), y_domain=st.sampled_from(["real", "pm1"]))
def test_from_expression_returns_or_refuses_in_bounded_time(text, y_domain):
    # NonConvexLossError and NotTwiceDifferentiableError are ValueErrors
    _returns_or_refuses(lambda t: L.from_expression(t, y_domain=y_domain), text, ValueError)


def _accepted(text) -> bool:
    try:
        parse_relation(text, NAMES)
        return True
    except UnsafeExpressionError:
        return False


def test_the_generator_reaches_accepted_and_refused_text():
    # a fuzzer whose text is always refused tests only the first check: both outcomes must occur
    from hypothesis import find

    quiet = settings(max_examples=2000, database=None, phases=[p for p in settings.default.phases
                                                              if p.name != "shrink"])
    assert _accepted(find(relations(NAMES), _accepted, settings=quiet))
    assert not _accepted(find(relations(NAMES), lambda t: not _accepted(t), settings=quiet))
    assert _accepted(find(relations(NAMES), lambda t: _accepted(t) and "(" in t, settings=quiet))
