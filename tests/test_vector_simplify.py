"""VectorPoint's post-shrink moves (issue 22): cuts along n, d, m, k consistent across X, Y, p, Phi,
W, V, W*, and simplify reaching fewer features / dimensions than the generic moves could."""

from __future__ import annotations

import numpy as np

from theorems.audit import load_claims
from theorems.audit.engine import Counterexample, confirm, simplify
from theorems.contract.registry import CLAIMS
from theorems.model.vector.losses import by_name
from theorems.model.vector.point import VectorPoint, projections, random_vector_point
from theorems.model.vector.sample import VectorSample

load_claims()


def test_every_projection_is_consistent_and_one_smaller_along_one_axis():
    inst = random_vector_point(1, loss="softmax_ce", n=3, d=3, m=2, k=2,
                               extras={"D_W": (2, 3), "D_V": (3, 2)})
    n, d, m, k = inst.dims
    seen = 0
    for make in projections(inst):
        cand = make()
        if cand is None:        # e.g. a one-hot row whose class was dropped
            continue
        seen += 1
        dims = np.array(cand.dims)
        assert np.sum(dims < (n, d, m, k)) == 1, f"one axis at a time, got {cand.dims}"
        assert np.isclose(np.sum(cand.sample.p), 1.0)
        assert cand.extras["D_W"].shape == cand.W.shape and cand.extras["D_V"].shape == cand.V.shape
    assert seen >= n + d + k


def test_simplify_drops_a_feature_the_generic_moves_could_not():
    """The W_spectral control's witness (n = d = m = 2, k = 1), padded with a second feature
    (a zero column of V, a random column of Phi): simplify returns k = 1."""
    claim = CLAIMS["theorem6"]
    check = next(v.check for v in claim.controls if v.name == "theorem6.W_spectral")
    s = VectorSample(np.array([[-3.0, 0.0], [0.0, 3.0]]), -np.eye(2), np.array([0.5, 0.5]),
                     np.array([[0.0, 0.7], [0.0, -1.3]]))
    inst = VectorPoint(s, by_name("linear"), -np.diag([1.0, -1.0]),
                       np.zeros((2, 2)), np.diag([1.0, -1.0]))
    ev, ev_mp = check(inst), confirm(check, inst)
    assert not ev.holds and not ev_mp.holds
    out = simplify(check, Counterexample(inst, ev, ev_mp, True))
    assert out.instance.dims[3] == 1 and out.instance.dims < inst.dims
    assert not check(out.instance).holds and not confirm(check, out.instance).holds
