"""Our own front door, fuzzed like the paper (DESIGN.md, "One contract for every entry point").

Valid instance JSON of several instance types (``CLAIMS[cid].example().to_json()``) is mutated —
keys deleted, values replaced by other JSON types, huge, NaN or infinite numbers (as values and as
strings), deep nesting, wrong shapes, junk text — and written to a file. ``load_instance`` must
return an instance or raise ``InputError`` (nothing else), and ``evaluate_both`` on whatever loads
must return two outcomes that print, never raise, within its time budget.

Budgets (measured on the 2-core machine, dev profile): loading one file takes < 0.1 s (asserted < 5 s);
an evaluation is stopped after ``SECONDS``. The file runs in about 7 s under the dev profile; the
examples per test scale with the profile (``settings.default.max_examples``), so nightly runs 100 times more.
"""

import json
import math
import time

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from theorems import CLAIMS
from theorems.audit import load_claims
from theorems.audit.replay import InputError, Outcome, evaluate_both, load_audit, load_instance

load_claims()

# one claim per instance type whose example evaluates in < 0.3 s (theorem4's experiments take 7-29 s)
CHEAP = ["theorem1", "example1.objective", "lemma2", "lemma3", "section4.constraint", "theorem5",
         "theorem6.svd_step", "theorem6.vector_sgd"]
LOAD_ONLY = ["theorem4.eq18", "theorem4", "theorem6.vector_sgd.high_probability"]
EXAMPLES = {cid: CLAIMS[cid].example().to_json() for cid in CHEAP + LOAD_ONLY}
SECONDS = 2.0          # evaluate_both's budget per precision here
_BASE = settings.default.max_examples
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _paths(doc):
    """Every path (tuple of keys / indices) into ``doc``, iteratively."""
    out, stack = [], [((), doc)]
    while stack:
        path, v = stack.pop()
        out.append(path)
        items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
        stack.extend((path + (k,), c) for k, c in items)
    return out


def _at(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def _nested(depth, leaf=0.0):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e308, 5e-324, 1e200]),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "0x10", "", "Point", "exp(exp(exp(p)))"]),
    st.text(max_size=20), st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(1, 150).map(_nested), st.integers(0, 40).map(lambda n: [[1.0] * n] * n),
)


@st.composite
def mutated(draw, claims, ops=("delete", "replace", "scale", "wrap", "rename"), junk_text=True):
    """``(claim id, file text)``: a claim's example with a few mutations, serialized (NaN allowed).
    ``ops``: the mutations to draw from (mostly ``scale`` keeps many files loadable, so that the
    evaluation is fuzzed too)."""
    cid = draw(st.sampled_from(claims), label="claim")
    doc = json.loads(json.dumps(EXAMPLES[cid]))
    for _ in range(draw(st.integers(1, 3), label="mutations")):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths), label="path")
        op = draw(st.sampled_from(ops), label="op")
        if not path:
            doc = draw(JUNK) if op == "replace" else doc
            continue
        parent, key = _at(doc, path[:-1]), path[-1]
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(JUNK, label="junk")
        elif op == "scale" and type(parent[key]) in (int, float) and abs(parent[key]) < 1e300:
            parent[key] = float(parent[key]) * draw(st.sampled_from([0, -1, 1e10, 1e300, math.inf, math.nan]))
        elif op == "wrap":
            parent[key] = [parent[key]]
        elif op == "rename" and isinstance(parent, dict):
            parent[key + "_"] = parent.pop(key)
        if not isinstance(doc, (dict, list)):
            break
    text = json.dumps(doc, allow_nan=True)
    if junk_text and draw(st.booleans(), label="cut or junk the text"):
        cut = draw(st.integers(0, len(text)), label="cut")
        text = text[:cut] + draw(st.text(max_size=5), label="tail")
    return cid, text


def _load(path, cid):
    t0 = time.perf_counter()
    try:
        inst, where = load_instance(str(path), CLAIMS[cid])
    except InputError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err), err
        inst = None
    assert time.perf_counter() - t0 < 5
    return inst


@settings(max_examples=max(10, _BASE // 4), **SETTINGS)
@given(case=mutated(CHEAP + LOAD_ONLY))
def test_a_mutated_instance_file_loads_or_is_one_input_error(tmp_path, case):
    cid, text = case
    path = tmp_path / "case.json"
    path.write_text(text, errors="surrogatepass")
    _load(path, cid)


LOADABLE = mutated(CHEAP, ops=("scale", "scale", "scale", "delete", "replace"), junk_text=False)


@settings(max_examples=max(5, _BASE // 8), **SETTINGS)
@given(case=st.one_of(LOADABLE, mutated(CHEAP)))
def test_whatever_loads_evaluates_to_two_printable_outcomes(tmp_path, case):
    cid, text = case
    path = tmp_path / "case.json"
    path.write_text(text, errors="surrogatepass")
    inst = _load(path, cid)
    event("loaded" if inst is not None else "refused")
    if inst is None:
        return
    t0 = time.perf_counter()
    outs = evaluate_both(CLAIMS[cid], inst, seconds=SECONDS)
    assert time.perf_counter() - t0 < 4 * SECONDS + 10
    for out in outs:
        assert isinstance(out, Outcome) and isinstance(out.line(), str) and out.line()
        if out.evaluation is not None and out.non_finite is not None:     # inf/NaN is never a verdict
            assert out.line().startswith(f"no {out.precision} verdict: "), out.line()
        event(f"{out.precision}: " + ("no verdict (not finite)" if out.evaluation is not None and out.non_finite
                                      else "verdict" if out.evaluation is not None else
                                      "not tested" if out.not_tested else "raised or over budget"))


@settings(max_examples=max(10, _BASE // 4), **SETTINGS)
@given(text=st.one_of(st.text(max_size=50), st.binary(max_size=50).map(lambda b: b.decode("latin-1")),
                      mutated(CHEAP).map(lambda c: c[1]),
                      st.recursive(JUNK, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                                 st.dictionaries(st.text(max_size=8), kids,
                                                                                 max_size=3)),
                                   max_leaves=10).map(lambda d: json.dumps({"claims": d}, allow_nan=True))))
def test_any_file_given_to_table_is_an_audit_or_one_input_error(tmp_path, text):
    path = tmp_path / "audit.json"
    path.write_text(text, errors="surrogatepass")
    try:
        data = load_audit(str(path))
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert isinstance(data["claims"], list)


@pytest.mark.parametrize("cid", CHEAP + LOAD_ONLY)
def test_every_example_round_trips_through_a_file(tmp_path, cid):
    """The fuzzing starts from files that load: without this, every mutation could be refused."""
    path = tmp_path / "inst.json"
    path.write_text(json.dumps(EXAMPLES[cid]))
    inst, where = load_instance(str(path), CLAIMS[cid])
    assert inst.to_json() == EXAMPLES[cid] and where == "instance"
