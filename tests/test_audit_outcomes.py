"""The audit: a stage of one claim that raises is an outcome of that claim, never the end of the audit."""

import os
from dataclasses import replace

import mpmath
import pytest
from hypothesis import strategies as st

from tests.support import Num
from theorems.audit import run
from theorems.audit.loading import load_claims
from theorems.contract import CLAIMS, Claim, Evaluation, Variant
from theorems.core.serialization import instance_from_json

load_claims()

# remark1.corollary1_biased's tightest instance but one in the 5-example audit at seed 6: certified a
# local minimum of F_b in float64 (‖∇F_b‖ = 2.98e-12), not at 60 digits (λ_min = −1.74e-17), so its
# 60-digit re-check raised HypothesisNotMet, which ended `python -m theorems audit` with a traceback
UNCERTIFIED_AT_60 = {
    "type": "Point",
    "sample": {"X": [[0.87109375, 0.869140625, 0.6728515625], [0.5712890625, 0.876953125, 0.599609375],
                     [-0.068359375, 0.142578125, 0.009765625]],
               "y": [0.0, 0.0, -1.0], "p": [1 / 3, 1 / 3, 1 / 3], "Phi": [[0.0] * 3] * 3},
    "loss": {"name": "pseudo_huber", "delta": 10.532951765602764},
    "w": [-0.06413543071688954, -0.03695578203423318, 0.0767424360343013],
    "V": [[-0.003615457250128484, 0.009793007049418163, -0.00551822933540654],
          [-0.004074938175953984, 0.008257654559445177, 0.007922178098288215],
          [0.004429016231366474, 0.00880213054527391, -0.00884793492111547]],
    "w_star": None, "extras": {"a": [-1.190185546875, 21.91162109375, -668.4722900390625], "a0": [5.0]},
    "meta": {"feature_map": "residual[3→3,depth=2,width=3,seed=102]", "corner": "generic"}}


def _half_bound(n, *, fail_at=None):
    """x/2 ≤ x on x ∈ [1, 2] (holds, informative, ratio ½); raises where ``fail_at`` says."""
    if fail_at == "always" or (fail_at == "mp" and isinstance(n.x, mpmath.mpf)):
        raise RuntimeError("the solver diverged")
    return Evaluation.compare(n.x / 2, "<=", n.x, informative=True)


def _nums():
    return st.floats(1, 2).map(Num)


def _no_strategy():
    raise MemoryError("no room for the strategy")


def _toy(cid="toy.half_bound", *, fail_at=None, control_fails=False, **kw):
    control = Variant(f"{cid}.control", "x ≤ x/2 (false)", lambda n: Evaluation.compare(n.x, "<=", n.x / 2),
                      strategy=_no_strategy if control_fails else _nums, max_examples=5)
    return Claim(id=cid, source="a test", statement="x/2 ≤ x", kind="literal",
                 evaluate_fn=lambda n: _half_bound(n, fail_at=fail_at),
                 strategy_fn=_nums, example_fn=lambda: Num(1.0), polish=False,
                 controls=(control,), **kw)


def test_a_tightest_instance_not_certified_at_60_digits_is_reported_not_raised():
    claim = CLAIMS["remark1.corollary1_biased"]
    inst = instance_from_json(UNCERTIFIED_AT_60)
    pinned = replace(claim, strategy_fn=lambda: st.just(inst), controls=())
    out = run.audit_claim(pinned, max_examples=5, necessity=False)
    t = out["tightest"]
    assert t is not None and t["ratio"] == 0.0, t
    assert t["ratio_mp"] is None and "hypothesis not met at 60 digits" in t["ratio_mp_reason"], t
    assert out["error"] is None and out["errors"] == [], out["errors"]


def test_a_60_digit_recheck_that_raises_is_the_claims_outcome_and_keeps_the_search_verdict():
    out = run.audit_claim(_toy(fail_at="mp"), max_examples=20, controls=False)
    assert out["errors"] == [{"stage": "ratio_mp", "type": "RuntimeError", "message": "the solver diverged"}]
    assert out["error"] == "ratio_mp: RuntimeError: the solver diverged"
    assert out["tightest"]["ratio_mp"] is None and "raised RuntimeError" in out["tightest"]["ratio_mp_reason"]
    assert out["examples"] > 0 and out["status"] != "refuted"


def test_a_search_that_raises_leaves_the_claim_inconclusive_and_its_controls_still_run():
    claim = replace(_toy(), strategy_fn=_no_strategy)
    out = run.audit_claim(claim, max_examples=20)
    assert out["status"] == "inconclusive" and out["errors"][0]["stage"] == "search", out["errors"]
    assert [c["refuted"] for c in out["controls"]] == [True]


def test_a_control_and_a_polish_that_raise_are_recorded_per_stage(monkeypatch):
    def broken_polish(*a, **k):
        raise FloatingPointError("overflow in the optimizer")

    monkeypatch.setattr(run, "polish", broken_polish)
    claim = replace(_toy(control_fails=True), polish=True)
    out = run.audit_claim(claim, max_examples=20)
    stages = [e["stage"] for e in out["errors"]]
    assert stages == ["polish", "control toy.half_bound.control"], out["errors"]
    (ctl,) = out["controls"]
    assert ctl["refuted"] is False and ctl["error"].startswith("MemoryError"), ctl
    assert out["tightest"]["ratio_mp"] == pytest.approx(0.5) and out["status"] == "holds"


def test_a_necessity_analysis_that_raises_is_recorded(monkeypatch):
    monkeypatch.setattr(run, "run_necessity", lambda claim, seed, **kw: [][1])
    out = run.audit_claim(replace(_toy(), form=object()), max_examples=20, controls=False)
    assert out["necessity"] is None and out["errors"][0]["stage"] == "necessity", out["errors"]
    assert out["errors"][0]["type"] == "IndexError"


def _register(monkeypatch, *claims):
    for c in claims:
        monkeypatch.setitem(CLAIMS, c.id, c)
    return [c.id for c in claims]


def test_a_claim_whose_audit_raises_in_a_worker_is_its_outcome(monkeypatch):
    ids = _register(monkeypatch, _toy("toy.a"), _toy("toy.b"))
    real = run.audit_claim

    def audit(claim, **kw):
        if claim.id == "toy.a":
            raise KeyError("lost")
        return real(claim, **kw)

    monkeypatch.setattr(run, "audit_claim", audit)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    res = run.run_audit(ids, max_examples=10, jobs=2, necessity=False, controls=False)
    a, b = res["claims"]
    assert a["status"] == "inconclusive" and a["errors"][0]["stage"] == "worker", a["errors"]
    assert b["status"] == "holds" and b["error"] is None


def test_a_worker_that_dies_is_that_claims_outcome_and_the_other_claims_are_audited(monkeypatch):
    def die(n):
        os._exit(3)

    dying = replace(_toy("toy.dies"), evaluate_fn=die)
    ids = _register(monkeypatch, dying, _toy("toy.lives"))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    res = run.run_audit(ids, max_examples=10, jobs=2, necessity=False, controls=False)
    dead, alive = res["claims"]
    assert dead["status"] == "inconclusive" and dead["errors"][0]["type"] == "BrokenProcessPool", dead["errors"]
    assert alive["status"] == "holds" and alive["error"] is None


@pytest.mark.parametrize("jobs, cores, claims, used", [(8, 2, 5, 2), (8, 16, 3, 3), (1, 2, 5, 1)])
def test_jobs_are_capped_at_the_cores_and_the_claims(monkeypatch, jobs, cores, claims, used):
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert run.cap_jobs(jobs, claims) == used


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True])
def test_jobs_must_be_a_positive_int(jobs):
    with pytest.raises(ValueError, match="'jobs'"):
        run.cap_jobs(jobs, 3)


def test_the_report_says_which_versions_it_ran_with():
    from theorems.audit.report import render_markdown, versions_line

    result = {"claims": [], "seed": 0, "max_examples": 5, "versions": run.versions(), "options": {}}
    line = versions_line(result)
    v = result["versions"]
    assert line == (f"ran with resnet-theorems {v['resnet-theorems']}, Python {v['python']}, hypothesis "
                    f"{v['hypothesis']}, numpy {v['numpy']}, scipy {v['scipy']}, sympy {v['sympy']}, "
                    f"mpmath {v['mpmath']}")
    assert f"- {line}" in render_markdown(result).splitlines()
    assert versions_line({"claims": []}) == "ran with: versions not recorded"


def test_the_report_names_each_stage_that_raised_and_why_a_60_digit_ratio_is_missing():
    from theorems.audit.report import render_markdown

    c = run.audit_claim(_toy(fail_at="mp", control_fails=True), max_examples=20)
    text = render_markdown({"claims": [c], "seed": 0, "max_examples": 20, "versions": {}, "options": {}})
    assert "ratio_mp: `RuntimeError: the solver diverged`" in text
    assert "control toy.half_bound.control: `MemoryError: no room for the strategy`" in text
    assert "(60 digits: — — the 60-digit re-evaluation raised RuntimeError" in text
    assert "**NO** (raised `MemoryError: no room for the strategy`)" in text
