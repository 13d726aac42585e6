"""The tolerance policy (theorems/audit/evaluation.py): every relation, both precisions, the
messages a reviewer reads. Written after a mutation run showed '<=' and the mixed-precision
path were exercised only through claims whose own tests were not selected."""

import math

import mpmath
import numpy as np
import pytest

from theorems.audit import Evaluation
from theorems.core import backend as B
from theorems.model.instance import random_point
from theorems.model.quantities import first_order

U = 2.0 ** -53

# (lhs, relation, rhs, holds, margin, default ratio)
CASES = [
    (2.0, ">=", 1.0, True, 1.0, 0.5),
    (1.0, ">=", 2.0, False, -1.0, 2.0),
    (1.0, "<=", 2.0, True, 1.0, 0.5),
    (2.0, "<=", 1.0, False, -1.0, 2.0),
    (1.0, "==", 1.0, True, 0.0, None),
    (1.0, "==", 1.5, False, -0.5, None),
    (1.5, "==", 1.0, False, -0.5, None),
    (-1.0, ">=", -2.0, True, 1.0, 0.0),      # non-positive bound: trivially true, not tight
    (-1.0, ">=", 2.0, False, -3.0, math.inf),  # positive bound, non-positive side
]


@pytest.mark.parametrize("lhs,rel,rhs,holds,margin,ratio", CASES, ids=[f"{c[0]}{c[1]}{c[2]}" for c in CASES])
def test_each_relation_holds_fails_and_reports_margin_and_ratio(lhs, rel, rhs, holds, margin, ratio):
    ev = Evaluation.compare(lhs, rel, rhs, ulps=0)
    assert (ev.holds, ev.margin, ev.ratio) == (holds, margin, ratio), \
        f"{lhs} {rel} {rhs}: got holds={ev.holds}, margin={ev.margin}, ratio={ev.ratio}"
    assert ev.precision == "float64" and ev.quantities["lhs"] == lhs and ev.quantities["rhs"] == rhs


def test_tolerance_is_ulps_times_unit_roundoff_times_scale_plus_the_underflow_term():
    ev = Evaluation.compare(1.0, ">=", 1.0 + 3e-16, scale=2.0, ulps=4, extra_tol=1e-20)
    assert ev.tol == 4 * (U * 2.0 + 2.0 ** -1074) + 1e-20 and ev.holds
    # the default scale is the larger magnitude of the two sides
    assert Evaluation.compare(-3.0, "<=", 1.0, ulps=1).tol == 1 * (U * 3.0 + 2.0 ** -1074)
    assert not Evaluation.compare(1.0, ">=", 1.0 + 1e-12, ulps=64).holds


def test_one_high_precision_side_makes_the_comparison_high_precision():
    with mpmath.workdps(60):
        for lhs, rhs in ((1.0, mpmath.mpf(1)), (mpmath.mpf(1), 1.0)):
            ev = Evaluation.compare(lhs, ">=", rhs, scale=mpmath.mpf(10) ** -400)
            assert ev.precision == "mp60", f"{type(lhs).__name__} vs {type(rhs).__name__}: {ev.precision}"
            # an mpf tolerance does not underflow to 0.0 at scales below float64's range
            assert isinstance(ev.tol, mpmath.mpf) and ev.tol > 0


def test_nan_is_rejected_naming_the_side():
    for side in ("lhs", "rhs"):
        args = (math.nan, ">=", 1.0) if side == "lhs" else (1.0, ">=", math.nan)
        with pytest.raises(ValueError, match=rf"argument '{side}': is NaN"):
            Evaluation.compare(*args)
    with pytest.raises(ValueError, match=r"argument 'relation': expected one of"):
        Evaluation.compare(1.0, ">", 0.0)


def test_messages_say_what_was_observed_what_it_should_be_and_where():
    bad = Evaluation.compare(0.12, "<=", 0.1, source="Theorem 2, Sec. 3", label="λ_min")
    assert bad.message().startswith("λ_min: lhs = 0.12, but should be ≤ 0.1 (margin -0.02")
    assert bad.message().endswith("float64) [Theorem 2, Sec. 3]")
    ok = Evaluation.compare(1.0, "==", 1.0, source="Eq. (5)", label="identity")
    assert ok.message() == "identity: 1 = 1 holds [Eq. (5)]"


def test_with_source_fills_a_missing_source_only():
    ev = Evaluation.compare(1.0, ">=", 0.0)
    assert ev.with_source("Lemma 1").source == "Lemma 1" and ev.source == ""
    named = Evaluation.compare(1.0, ">=", 0.0, source="Theorem 1")
    assert named.with_source("Lemma 1") is named


def test_first_order_without_w_star_compares_with_w_star_zero():
    p = random_point(3, n=4, d=3, k=2)
    fo, fo0 = first_order(p.__class__(p.sample, p.loss, p.w, p.V, None)), first_order(
        p.__class__(p.sample, p.loss, p.w, p.V, np.zeros(3)))
    assert fo.gap == fo0.gap and fo.w_star_norm == 0


def test_first_order_row_norms_and_scales_agree_across_precisions():
    p = random_point(5, n=4, d=3, k=2)
    fo = first_order(p)
    with B.workdps(40):
        fm = first_order(p.to_mp())
        for name in ("grad_norm", "gap", "grad_scale", "gap_scale", "V_norm"):
            a, b = getattr(fo, name), getattr(fm, name)
            assert isinstance(b, mpmath.mpf), f"{name} at 40 digits is a {type(b).__name__}"
            assert abs(a - float(b)) <= 1e-12 * (1 + abs(a)), f"{name}: float64 {a!r} vs 40 digits {b}"
    # the magnitudes behind the sums bound the sums themselves
    assert fo.grad_scale >= fo.grad_norm and fo.gap_scale >= abs(fo.gap)


def test_messages_without_label_or_source_and_near_one_values():
    from theorems.contract import Evaluation as E

    msg = E.compare(1.0, ">=", 2.0).message()
    assert msg.startswith("lhs = 1, but should be ≥ 2") and "[]" not in msg and "lhs: " not in msg
    assert "0.9999996 ≤ 1 holds" in E.compare(0.9999996, "<=", 1.0, label="x").message()
