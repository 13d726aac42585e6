"""The reviewer's command line: `refute` with an expression, `replay` of what the suite writes, and
one-line errors (exit status 2, no traceback) for every kind of bad input."""

from __future__ import annotations

import json
import math

import pytest

from tests.support import one_line_error
from theorems import CLAIMS
from theorems.__main__ import main

THM1_TRUE = "grad_norm >= gap/sqrt(2*w_norm**2 + w_star_norm**2*(2 + V_norm**2/w_norm**2))"
THM1_SHARPER = "grad_norm >= 2*gap/sqrt(2*w_norm**2 + w_star_norm**2*(2 + V_norm**2/w_norm**2))"


def test_refute_finds_confirms_and_saves_a_false_sharpening(tmp_path, capsys):
    path = tmp_path / "ce.json"
    assert main(["refute", "theorem1", THM1_SHARPER, "--max-examples", "300", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "REFUTED" in out and "confirmed at 60 digits" in out
    data = json.loads(path.read_text())
    assert data["refuted"] and data["confirmed"] and data["informative"] > 0
    assert data["counterexample"]["evaluation_mp"]["holds"] is False
    # the saved witness replays, and its 60-digit quantities violate the variant
    assert main(["replay", "theorem1", str(path)]) == 0
    q = data["counterexample"]["evaluation_mp"]["quantities"]
    assert q["grad_norm"] < 2 * q["gap"] / math.sqrt(2 * q["w_norm"] ** 2 + q["w_star_norm"] ** 2
                                                    * (2 + q["V_norm"] ** 2 / q["w_norm"] ** 2))


def test_refute_does_not_refute_the_true_statement(capsys):
    assert main(["refute", "theorem1", THM1_TRUE, "--max-examples", "100"]) == 0
    out = capsys.readouterr().out
    assert "not refuted" in out and "informative" in out


@pytest.mark.parametrize("argv,needle", [
    (["refute", "theorem42", "a >= b"], "unknown claim id"),
    (["refute", "theorem1", "grad_norm >="], "cannot parse"),
    (["refute", "theorem1", "grad_norm >= gapp"], "unknown name 'gapp'"),
    (["refute", "theorem1", "grad_norm >= __import__('os').getcwd()"], "not allowed"),
    (["refute", "theorem1", "grad_norm"], "expected one relation"),
])
def test_refute_bad_input_is_one_line(argv, needle, capsys):
    line = one_line_error(capsys, main(argv))
    assert needle in line
    if "gapp" in needle:
        assert "grad_norm" in line and "w_star_norm" in line, "the message lists the claim's quantities"


def _point_json():
    return CLAIMS["theorem1"].example().to_json()


def _bad_files():
    p = _point_json()
    nan = json.loads(json.dumps(p))
    nan["w"][0] = float("nan")
    notprob = json.loads(json.dumps(p))
    notprob["sample"]["p"] = [0.5] * len(notprob["sample"]["p"])
    shape = json.loads(json.dumps(p))
    shape["w"] = shape["w"] + [1.0]
    loss = json.loads(json.dumps(p))
    loss["loss"] = {"name": "hinge"}
    missing = {k: v for k, v in p.items() if k != "sample"}
    wrong_type = {"type": "Lemma2Matrix", "b": 1.0, "u": [1.0], "meta": {}}
    return {
        "missing file": (None, "no such file"),
        "not JSON": ("{not json", "not JSON"),
        "a JSON list": ("[1, 2]", "expected a JSON object"),
        "missing field": (json.dumps(missing), "missing field 'sample'"),
        "NaN": (json.dumps(nan), "argument 'w'"),
        "inf": (json.dumps(nan).replace("NaN", "Infinity"), "argument 'w'"),
        "not a probability": (json.dumps(notprob), "probability"),
        "shape mismatch": (json.dumps(shape), "argument 'w'"),
        "unknown loss": (json.dumps(loss), "unknown loss 'hinge'"),
        "another claim's type": (json.dumps(wrong_type), "evaluates instances of type Point"),
        "unknown type": (json.dumps({"type": "Nope"}), "unknown instance type 'Nope'"),
    }


@pytest.mark.parametrize("case", list(_bad_files()))
def test_replay_bad_input_is_one_line(case, tmp_path, capsys):
    text, needle = _bad_files()[case]
    path = tmp_path / "in.json"
    if text is not None:
        path.write_text(text)
    line = one_line_error(capsys, main(["replay", "theorem1", str(path)]))
    assert str(path) in line and needle in line, line


def test_replay_takes_an_audit_json_with_pick(tmp_path, capsys):
    path = tmp_path / "audit.json"
    assert main(["audit", "--claims", "lemma2", "--max-examples", "30", "--jobs", "1", "--no-polish",
                 "--no-controls", "--json", str(path)]) == 0
    capsys.readouterr()
    assert main(["replay", "lemma2", str(path), "--pick", "counterexample"]) == 0
    out = capsys.readouterr().out
    assert "the audit's counterexample for lemma2" in out and "but should be" in out
    assert "lambda_min" in out and "u_norm" in out, "the quantities behind the verdict are printed"
    assert main(["replay", "lemma2", str(path), "--pick", "tightest"]) in (0, 2)
    capsys.readouterr()
    line = one_line_error(capsys, main(["replay", "theorem1", str(path)]))
    assert "no entry for 'theorem1'" in line


def test_a_claim_whose_solver_raises_replays_as_a_one_line_outcome(tmp_path, capsys):
    # the corollary1 instance on which SciPy's trust-exact raised UnboundLocalError
    inst = {"type": "Point", "sample": {"X": [[0.099]], "y": [0.0], "p": [1.0], "Phi": [[0.099, 0.099]]},
            "loss": {"name": "affine", "a": -0.6232320219851557, "c": 0.0,
                     "loss": {"name": "pseudo_huber", "delta": 12.016663857447508}},
            "w": [900.0], "V": [[-549.2029215877733, 28.13511088276521]], "w_star": None, "extras": {}, "meta": {}}
    path = tmp_path / "c1.json"
    path.write_text(json.dumps(inst))
    assert main(["replay", "corollary1", str(path)]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "float64:" in out.out and "60 digits:" in out.out


def test_show_prints_what_a_reviewer_needs(capsys):
    assert main(["show", "theorem1"]) == 0
    out = capsys.readouterr().out
    for needle in ("Theorem 1, Sec. 3", "grad_norm", "w_star_norm", "max_d=6", "theorem1.sharper_x2",
                   'python -m theorems refute theorem1 "lhs >= 1.5*rhs"'):
        assert needle in out


def test_unknown_strategy_filter_names_the_accepted_ones():
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="unknown filter 'bogus'.*max_d"):
        CLAIMS["theorem1"].strategy(bogus=1)
    with pytest.raises(InvalidArgument, match="unknown filter 'w'"):
        CLAIMS["theorem1"].strategy(w="zero")       # fixed by Theorem 1's hypothesis w ≠ 0


def test_informative_is_judged_for_the_variant_not_the_claim():
    # where the claim cannot fail, a variant it implies cannot either (the claim's rule carries over);
    # a sharper variant can fail there, so only its own triviality (0 vs 0) makes an instance uninformative
    from theorems.audit.variants import variant_from_expression

    assert variant_from_expression(CLAIMS["theorem3"], "lhs <= 2*rhs")._implied is True
    assert variant_from_expression(CLAIMS["theorem1"], "lhs >= 0.5*rhs")._implied is True
    assert variant_from_expression(CLAIMS["theorem3"], "10*lhs <= rhs")._implied is False
    assert variant_from_expression(CLAIMS["theorem1"], "lhs >= 2*rhs")._implied is False
