"""``simplify`` revisits every family of moves until a whole pass changes nothing (issue 22): a
rounding (a later family) can make a cut (an earlier family) possible, and a counterexample must
not stop at dimensions a second pass would have cut."""

from __future__ import annotations

import numpy as np

from theorems.audit.engine import Counterexample, confirm, simplify
from theorems.contract import Evaluation
from theorems.core import backend as B
from theorems.model.instance import random_point


def _toy(n0):
    """Fails at the drawn size n0, or with one sample once X is integral: round first, then cut."""
    def check(inst):
        X = np.asarray(B.to_float(inst.sample.X))
        bad = inst.sample.n == n0 or (inst.sample.n == 1 and np.array_equal(X, np.round(X)))
        return Evaluation.compare(float(bad), "<=", 0.0, ulps=0, label="toy: n = 1 fails only at integral X")
    return check


def test_a_cut_made_possible_by_a_rounding_is_taken():
    inst = random_point(3, n=3, d=2, k=1)
    check = _toy(inst.sample.n)
    assert not np.array_equal(inst.sample.X, np.round(inst.sample.X)), "X integral already: shows nothing"
    ev, ev_mp = check(inst), confirm(check, inst)
    assert not ev.holds and not ev_mp.holds
    out = simplify(check, Counterexample(inst, ev, ev_mp, True))
    assert out.instance.sample.n == 1, f"simplified to n = {out.instance.sample.n}, should reach n = 1"
    assert not confirm(check, out.instance).holds
