"""Bad input gets a clear error naming the argument and the violated hypothesis."""

import errno
import json
import os
import time
from dataclasses import replace

import numpy as np
import pytest

from theorems import CLAIMS, HypothesisNotMet
from theorems.audit import Evaluation
from theorems.audit import replay as R
from theorems.model import Point, Sample, gradient, hessian, losses, objective, random_point

GOOD = random_point(0)
S = GOOD.sample


def sample(**kw):
    args = dict(X=S.X, y=S.y, p=S.p, Phi=S.Phi)
    args.update(kw)
    return Sample(**args)


BAD_SAMPLES = [
    (dict(X=S.X[:, :, None]), r"argument 'X': expected a 2-d array"),
    (dict(X=np.where(S.X == S.X[0, 0], np.nan, S.X)), r"argument 'X': contains NaN or inf"),
    (dict(y=S.y[:-1]), r"argument 'y': expected shape"),
    (dict(y=np.full(S.n, np.inf)), r"argument 'y': contains NaN or inf"),
    (dict(p=np.full(S.n, 1.0)), r"argument 'p': p must be a probability vector \(sum 1\)"),
    (dict(p=np.r_[-0.5, 1.5, np.zeros(S.n - 2)]), r"argument 'p': p must be a probability vector, but has negative"),
    (dict(Phi=S.Phi[:-1]), r"argument 'Phi': expected shape"),
    (dict(X="abc"), r"argument 'X': expected a real array"),
]


@pytest.mark.parametrize("kw,match", BAD_SAMPLES, ids=[m for _, m in BAD_SAMPLES])
def test_bad_sample_is_rejected_naming_the_argument(kw, match):
    with pytest.raises(ValueError, match=match):
        sample(**kw)


@pytest.mark.parametrize("fn", [objective, gradient, hessian])
def test_wrong_shapes_and_nonfinite_points_are_rejected(fn):
    loss = losses.squared()
    with pytest.raises(ValueError, match=r"argument 'w': expected shape \(3,\).*w has the dimension d of x"):
        fn(S, loss, np.zeros(2), GOOD.V)
    with pytest.raises(ValueError, match=r"argument 'V': expected shape \(3, 2\).*V maps f_θ\(x\) ∈ R\^k to R\^d"):
        fn(S, loss, GOOD.w, GOOD.V.T)
    with pytest.raises(ValueError, match=r"argument 'w': contains NaN"):
        fn(S, loss, np.array([np.nan, 0, 0]), GOOD.V)
    with pytest.raises(TypeError, match=r"argument 'loss': expected a theorems.model.losses.Loss, got str "
                                         r"\(use losses.by_name\(...\)\)"):
        fn(S, "squared", GOOD.w, GOOD.V)
    with pytest.raises(TypeError, match=r"argument 's': expected a Sample, got dict"):
        fn({"X": S.X}, loss, GOOD.w, GOOD.V)


def test_unknown_loss_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"argument 'name': unknown loss 'hinge'; known losses: .*logistic"):
        losses.by_name("hinge")


def test_targets_outside_the_loss_domain_are_rejected():
    with pytest.raises(ValueError, match=r"argument 'y': loss 'logistic' needs targets y ∈ \{−1, \+1\}"):
        objective(S, losses.logistic(), GOOD.w, GOOD.V)


def test_non_convex_loss_is_rejected_naming_assumption_1():
    with pytest.raises(losses.NonConvexLossError, match=r"not convex in p.*Assumption 1"):
        losses.from_expression("cos(p - y)")
    with pytest.raises(ValueError, match=r"argument 'expr': unknown name 'z'; allowed: p, y"):
        losses.from_expression("p*z")
    with pytest.raises(ValueError, match=r"argument 'delta': must be > 0"):
        losses.pseudo_huber(0.0)


@pytest.mark.parametrize("cid", ["theorem1", "theorem1.eq6", "lemma1", "lemma1.eq5", "gradients.eq4"])
def test_w_zero_is_rejected_where_the_claim_needs_w_nonzero(cid):
    inst = CLAIMS[cid].example()
    with pytest.raises(HypothesisNotMet, match=r"argument 'w': w = 0, but .* requires w ≠ 0") as err:
        CLAIMS[cid].evaluate(replace(inst, w=0 * inst.w))
    assert CLAIMS[cid].source in str(err.value), "the error should say which result needs w ≠ 0"


def test_point_validates_its_arrays():
    with pytest.raises(ValueError, match=r"argument 'w_star': expected shape"):
        Point(S, losses.squared(), GOOD.w, GOOD.V, np.zeros(5))
    with pytest.raises(TypeError, match=r"argument 'loss'"):
        Point(S, "squared", GOOD.w, GOOD.V)


def test_evaluation_rejects_nan_and_unknown_relations():
    with pytest.raises(ValueError, match=r"argument 'lhs': is NaN"):
        Evaluation.compare(float("nan"), ">=", 0.0)
    with pytest.raises(ValueError, match=r"argument 'relation'"):
        Evaluation.compare(1.0, ">", 0.0)


def test_unknown_claim_id_lists_known_ids():
    with pytest.raises(KeyError, match=r"unknown claim id 'theorem9'.*theorem1"):
        CLAIMS["theorem9"]


# -- files a user gives (replay, table): every bad one is an R.InputError naming the file (issue 20) ---------------

THEOREM1 = CLAIMS["theorem1"]
GOOD_JSON = THEOREM1.example().to_json()


def _write(tmp_path, text, name="bad.json"):
    path = tmp_path / name
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return str(path)


def _instance(**changes):
    d = json.loads(json.dumps(GOOD_JSON))
    d.update(changes)
    return json.dumps(d, allow_nan=True)


def _symlink_loop(tmp_path):
    os.symlink("loop.json", tmp_path / "loop.json")
    return str(tmp_path / "loop.json")


def _fifo(tmp_path):
    os.mkfifo(tmp_path / "fifo.json")
    return str(tmp_path / "fifo.json")


def _oversize(tmp_path):
    path = tmp_path / "big.json"
    with open(path, "wb") as fh:           # sparse: costs no disk, reads as zeros
        fh.truncate(R.MAX_BYTES + 1)
    return str(path)


def _many_rows(n):
    s = GOOD_JSON["sample"]
    return {"X": [s["X"][0]] * n, "y": [s["y"][0]] * n, "p": [1.0 / n] * n, "Phi": [s["Phi"][0]] * n}


BAD_FILES = [
    ("JSON nested 100,000 deep", lambda t: _write(t, "[" * 100_000 + "]" * 100_000),
     r"bad\.json: JSON nested 100000 deep, more than 100"),
    ("'meta': 'x'", lambda t: _write(t, _instance(meta="x")),
     r"bad\.json: field 'meta' of Point: expected an object, got a string"),
    ("'meta': null", lambda t: _write(t, _instance(meta=None)),
     r"bad\.json: field 'meta' of Point: expected an object, got null"),
    ("symlink loop", _symlink_loop, rf"loop\.json: cannot open \({os.strerror(errno.ELOOP)}\)"),
    ("file.json/x", lambda t: _write(t, "{}", "file.json") + "/x",
     rf"file\.json/x: cannot open \({os.strerror(errno.ENOTDIR)}\)"),
    ("300-character name", lambda t: str(t / ("a" * 300 + ".json")),
     rf"a{{300}}\.json: cannot open \({os.strerror(errno.ENAMETOOLONG)}\)"),
    ("missing file", lambda t: str(t / "missing.json"), r"missing\.json: no such file$"),
    ("/dev/zero", lambda t: "/dev/zero", r"/dev/zero: is a character device, expected a regular JSON file"),
    ("FIFO", _fifo, r"fifo\.json: is a FIFO, expected a regular JSON file"),
    ("directory", lambda t: str(t), r": is a directory, expected a JSON file"),
    ("R.MAX_BYTES + 1 bytes", _oversize, r"big\.json: larger than 32 MiB, the cap on an input file"),
    ("more than R.MAX_VALUES values", lambda t: _write(t, "[" + "0," * R.MAX_VALUES + "0]"),
     r"bad\.json: more than 2,000,000 JSON values"),
    ("more than R.MAX_ENTRIES numbers", lambda t: _write(t, _instance(sample=_many_rows(R.MAX_ENTRIES // 7 + 1))),
     r"bad\.json: the instance holds more than 20,000 numbers"),
    ("not UTF-8", lambda t: _write(t, b'{"type": "Point\xff"}'),
     r"bad\.json: not UTF-8 text \(byte 0xff at offset 15\)"),
    ("not JSON", lambda t: _write(t, "{'type': 'Point'}"), r"bad\.json: not JSON \(Expecting property name"),
    ("a 5,000-digit integer", lambda t: _write(t, "[1" + "0" * 5000 + "]"), r"bad\.json: not usable JSON"),
    ("a JSON array", lambda t: _write(t, "[1, 2]"), r"bad\.json: expected a JSON object .* got an array"),
    ("'type': a list", lambda t: _write(t, _instance(type=["Point"])), r"field 'type': expected a string"),
    ("misspelt field", lambda t: _write(t, _instance(W=GOOD_JSON["w"])), r"unknown field 'W' of Point"),
    ("a string in w", lambda t: _write(t, _instance(w=["1.5", 0.0, 0.0])),
     r"field 'w' of Point: expected an array of numbers, found a string '1\.5'"),
    ("true in w", lambda t: _write(t, _instance(w=[True, 0.0, 0.0])),
     r"field 'w' of Point: expected an array of numbers, found a boolean"),
    ("NaN in w", lambda t: _write(t, _instance(w=[float("nan"), 0.0, 0.0])), r"argument 'w': contains NaN or inf"),
    ("10**400 in w", lambda t: _write(t, _instance(w=[10**400, 0.0, 0.0])),
     r"field 'w' of Point: expected a regular array of numbers \(int too large"),
    ("ragged V", lambda t: _write(t, _instance(V=[[1.0, 2.0], [1.0]])),
     r"field 'V' of Point: expected a regular array"),
    ("extras not an object", lambda t: _write(t, _instance(extras=[1.0])),
     r"field 'extras' of Point: expected an object"),
    ("sample a string", lambda t: _write(t, _instance(sample="x")), r"field 'sample' of Point: "),
    ("loss nested 1,990 deep", lambda t: _write(t, _instance(loss={"name": "expression", "expr": "-" * 1990 + "p"})),
     r"bad\.json: (the instance is nested too deeply|.*argument 'expr')"),
    ("an EpsPoint for Theorem 1", lambda t: _write(t, json.dumps(CLAIMS["example1.objective"].example().to_json())),
     r"theorem1 evaluates instances of type Point, the file holds a EpsPoint"),
]


@pytest.mark.parametrize("make,match", [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_a_bad_replay_file_is_one_input_error_naming_the_file(tmp_path, make, match):
    path = make(tmp_path)
    t0 = time.perf_counter()
    with pytest.raises(R.InputError, match=match) as err:
        R.load_instance(path, THEOREM1)
    assert time.perf_counter() - t0 < 5, "refusing a file must be quick"
    assert "\n" not in str(err.value)


def test_a_float_at_an_int_field_or_nan_at_a_float_field_is_named(tmp_path):
    d = CLAIMS["theorem5"].example().to_json()
    with pytest.raises(R.InputError, match=r"field 'T' of OGDInstance: expected an integer, got a number 2\.5"):
        R.load_instance(_write(tmp_path, json.dumps(dict(d, T=2.5))), CLAIMS["theorem5"])
    with pytest.raises(R.InputError, match=r"field 'c' of OGDInstance: expected a finite number, got inf"):
        R.load_instance(_write(tmp_path, json.dumps(dict(d, c=float("inf")))), CLAIMS["theorem5"])


def _audit(tmp_path, claims):
    return _write(tmp_path, json.dumps({"claims": claims, "seed": 0}), "audit.json")


ENTRY = {"id": "lemma1", "status": "holds", "examples": 20, "informative": 17, "tightest": {"ratio": 0.99},
         "controls": [{"refuted": True}], "necessity": [{"status": "necessary"}]}

BAD_AUDITS = [
    ("a refute result", lambda t: _write(t, json.dumps({"claim": "theorem1", "expression": "lhs >= rhs",
                                                        "counterexample": None})),
     r"bad\.json: this is a refute result, not an audit result \(run 'python -m theorems audit --json PATH'\)"),
    ("an instance", lambda t: _write(t, json.dumps(GOOD_JSON)), r"this is an instance, not an audit result"),
    ("missing file", lambda t: str(t / "missing.json"), r"missing\.json: no such file"),
    ("not JSON", lambda t: _write(t, "claims: []"), r"bad\.json: not JSON"),
    ("directory", lambda t: str(t), r"is a directory"),
    ("/dev/zero", lambda t: "/dev/zero", r"/dev/zero: is a character device"),
    ("a JSON list", lambda t: _write(t, "[]"), r"expected an audit result .* got an array"),
    ("claims not a list", lambda t: _write(t, json.dumps({"claims": {"lemma1": ENTRY}})),
     r"field 'claims': expected an array of claim entries, got an object"),
    ("an entry not an object", lambda t: _audit(t, ["lemma1"]), r"claims\[0\]: expected an object, got a string"),
    ("no status", lambda t: _audit(t, [{k: v for k, v in ENTRY.items() if k != "status"}]),
     r"claims\[0\] \(lemma1\): missing field 'status'"),
    ("examples a string", lambda t: _audit(t, [dict(ENTRY, examples="20")]),
     r"claims\[0\] \(lemma1\): field 'examples': expected an integer, got a string"),
    ("ratio a list", lambda t: _audit(t, [dict(ENTRY, tightest={"ratio": [1]})]),
     r"field 'tightest\.ratio': expected a number or null, got an array"),
    ("controls without refuted", lambda t: _audit(t, [ENTRY, dict(ENTRY, id="x", controls=[{}])]),
     r"claims\[1\] \(x\): field 'controls\[0\]': expected an object with 'refuted'"),
]


@pytest.mark.parametrize("make,match", [b[1:] for b in BAD_AUDITS], ids=[b[0] for b in BAD_AUDITS])
def test_a_bad_audit_file_for_table_is_one_input_error(tmp_path, make, match):
    with pytest.raises(R.InputError, match=match):
        R.load_audit(make(tmp_path))


def test_a_well_formed_audit_file_loads_for_table(tmp_path):
    data = R.load_audit(_audit(tmp_path, [ENTRY, dict(ENTRY, id="theorem1", tightest=None, controls=None,
                                                    necessity=None)]))
    assert [c["id"] for c in data["claims"]] == ["lemma1", "theorem1"]


def test_a_non_finite_float64_evaluation_is_no_verdict_not_a_violation():
    ev = Evaluation.compare(float("inf"), ">=", float("inf"))
    assert not ev.holds, "the premise: Evaluation itself calls inf ≥ inf violated (margin NaN)"
    line = R.Outcome("float64", ev).line()
    assert line.startswith("no float64 verdict: lhs = inf, rhs = inf, margin = nan") and "should be" not in line


def test_exp_exp_exp_overflow_replays_as_no_float64_verdict_and_a_60_digit_one(tmp_path):
    d = json.loads(json.dumps(GOOD_JSON))
    d["loss"] = {"name": "expression", "expr": "exp(exp(exp(p)))", "y_domain": "real"}
    d["w"] = [3 * x for x in d["w"]]
    inst, _ = R.load_instance(_write(tmp_path, json.dumps(d)), THEOREM1)
    f_out, mp_out = R.evaluate_both(THEOREM1, inst)
    assert f_out.line().startswith("no float64 verdict: lhs = inf"), f_out.line()
    assert mp_out.line().endswith("holds [Theorem 1, Sec. 3]") and "e+1611" in mp_out.line(), mp_out.line()


class _Slow:
    """A claim stand-in whose evaluation never ends (optionally swallowing the first interruption)."""

    def __init__(self, swallow):
        self.swallow = swallow

    def evaluate(self, inst, dps=None):
        try:
            while True:
                time.sleep(0.01)
        except Exception:
            if not self.swallow:
                raise
        return Evaluation.compare(1.0, ">=", 0.0)


@pytest.mark.parametrize("swallow", [False, True], ids=["raises through", "claim swallows the interruption"])
def test_evaluate_both_stops_at_its_time_budget_and_says_so(swallow):
    t0 = time.perf_counter()
    outs = R.evaluate_both(_Slow(swallow), None, seconds=0.2)
    assert time.perf_counter() - t0 < 3
    for out in outs:
        assert out.evaluation is None and "stopped after 0.2 s, the time budget" in out.line()
