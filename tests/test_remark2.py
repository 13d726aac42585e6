"""Remark 2 / Appendix A open question: the probe for spurious local minima with W not of full row rank.

An open-question claim is never a CI gate: these tests only check that the probe runs, reports
its search volume consistently, and that its certification can succeed (negative control)."""

import numpy as np
import pytest
from hypothesis import event, given, note, settings, target

from tests.support import check_control
from theorems.model import vector as VM
from theorems.model.vector.objective import FlatObjective
from theorems.model.vector.probe import certify
from theorems.remark2 import remark2_open as OPEN


def _check_volume(inst, ev):
    q = ev.quantities
    S = inst.extras["starts"].shape[0]
    assert int(q["starts"]) == S, f"starts = {q['starts']}, but should be {S} (rows of extras['starts'])"
    assert 0 <= int(q["certified"]) <= int(q["local_minima"]) <= S
    assert 0 <= int(q["rank_deficient_minima"]) <= int(q["local_minima"])
    assert int(q["iterations"]) >= 0
    assert (q["best_excess"] is None) == (int(q["local_minima"]) == 0)
    assert float(ev.lhs) == int(q["certified"])


# a small slice of the profile's budget: 5 probes under dev/ci (200), 500 under nightly (20,000)
PROBE_BUDGET = max(5, settings().max_examples // 40)


@settings(max_examples=PROBE_BUDGET)
@given(inst=OPEN.strategy(max_starts=2))
def test_probe_runs_and_reports_its_search_volume(inst):
    ev = OPEN.evaluate(inst)
    _check_volume(inst, ev)
    # never a gate: the nightly run reports what it searched and steers toward candidates
    q = ev.quantities
    event(f"local minima reached: {q['local_minima']}/{q['starts']}")
    event(f"certified candidates: {q['certified']}")
    if q["best_excess"] is not None:
        target(float(q["best_excess"]), label="largest excess of a local minimum over F_lin(W*_ref)")
    note(ev.message())


def test_probe_reports_the_same_volume_at_60_digits():
    inst = OPEN.example()
    ev, ev_mp = OPEN.evaluate(inst), OPEN.evaluate(inst, dps=60)
    _check_volume(inst, ev)
    _check_volume(inst, ev_mp)
    assert ev.quantities["local_minima"] == int(ev_mp.quantities["local_minima"])
    assert OPEN.kind == "open-question"


def test_certification_rejects_points_that_are_not_local_minima_above_the_level():
    # one separable sample under cross-entropy: F > 0 has no stationary point (infimum at infinity)
    s = VM.VectorSample.from_labels(np.ones((1, 1)), [0], 2, np.ones(1), np.ones((1, 1)))
    fun = FlatObjective(s, VM.softmax_ce())
    z = np.zeros(3)
    ok, det = certify(fun, z, -1e9, 2.0 ** -53)
    assert not ok and det["reason"] == "not second-order stationary", det
    ok, det = certify(fun, z, 1e9, 2.0 ** -53)
    assert not ok and det["reason"] == "not above the linear level", det


def test_bad_starts_shape_is_rejected_naming_the_argument():
    from dataclasses import replace
    inst = OPEN.example()
    with pytest.raises(ValueError, match=r"argument 'extras\[\"starts\"\]'"):
        OPEN.evaluate(replace(inst, extras={"starts": np.zeros((1, 3))}))


@pytest.mark.control
@pytest.mark.parametrize("variant", OPEN.controls, ids=lambda v: v.name)
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(variant):
    check_control(OPEN, variant)
