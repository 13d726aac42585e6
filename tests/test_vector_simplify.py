"""VectorPoint's post-shrink moves (issue 22): cuts along n, d, m, k consistent across X, Y, p, Phi,
W, V, W*, cuts with a re-fit (W*, V; features onto the span of Phi), cuts retried after roundings,
and simplify reaching fewer samples / features / dimensions than the generic moves could."""

from __future__ import annotations

import numpy as np
import pytest

from theorems.audit import load_claims
from theorems.audit.engine import Counterexample, confirm, simplify
from theorems.audit.variants import variant_from_expression
from theorems.contract import Evaluation
from theorems.contract.registry import CLAIMS
from theorems.core import backend as B
from theorems.model.vector.constructions import theorem6_attaining
from theorems.model.vector.losses import by_name
from theorems.model.vector.objective import gradient, linear_objective, objective
from theorems.model.vector.point import (
    VectorPoint,
    _cut,
    _feature_span,
    _min_norm_refit,
    projections,
    random_vector_point,
    refitted_cuts,
)
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


# ---- issue 22: Theorem 6 with s_max(W) = ‖W‖ in place of s_min(W) has a one-sample witness --------
S_MAX_EXPRESSION = "grad_norm >= gap/sqrt(2*W_fro**2 + W_star_fro**2*(2 + V_norm**2/s_max**2))"


def _s_max_checks():
    claim = CLAIMS["theorem6"]
    return [pytest.param(variant_from_expression(claim, S_MAX_EXPRESSION), id="reviewer's s_max variant"),
            pytest.param(next(v.check for v in claim.controls if v.name == "theorem6.s_max"),
                         id="control theorem6.s_max")]


def _attaining_two_samples():
    """Theorem 6's attaining family with unequal singular values s = (1, 1/10), σ = 1, Q = A = I:
    n = d = m = k = 2, linear loss, one sample per output; the s_max swap fails there (Eq. (20)
    is loose), and neither sample alone fails it with the same W* and V."""
    return theorem6_attaining([1.0, 0.1], 1.0, np.eye(2), np.eye(2), np.zeros((2, 2)))


def _confirmed(check, inst):
    ev, ev_mp = check(inst), confirm(check, inst)
    assert not ev.holds and not ev_mp.holds, f"{inst.describe()}: should fail in float64 and at 60 digits"
    return Counterexample(inst, ev, ev_mp, True)


@pytest.mark.parametrize("check", _s_max_checks())
def test_simplify_reaches_one_sample_and_one_feature_for_the_s_max_swap(check):
    """n = k = d = m = 2 → n = k = 1, d = m = 2 (m = 2 is needed: with one output s_max = s_min,
    and d ≥ m for full row rank), still failing at 60 digits. The plain sample cuts do not fail
    here: the cut needs W* re-fitted to the sample left (``refitted_cuts``)."""
    inst = _attaining_two_samples()
    ce = _confirmed(check, inst)
    plain = [c for c in (make() for make in projections(inst)) if c is not None and c.dims[0] == 1]
    assert plain and all(check(c).holds for c in plain), "a plain sample cut already fails: the test shows nothing"
    assert any(c is not None and not check(c).holds for c in (make() for make in refitted_cuts(inst)))
    out = simplify(check, ce)
    assert out.instance.dims == (1, 2, 2, 1), f"simplified to {out.instance.describe()}, should be n=1 d=2 m=2 k=1"
    assert not check(out.instance).holds and not confirm(check, out.instance).holds


def _objective_terms(inst):
    s, loss = inst.sample, inst.loss
    g_W, g_V = gradient(s, loss, inst.W, inst.V)
    return (float(objective(s, loss, inst.W, inst.V)), float(linear_objective(s, loss, inst.W_star)),
            float(np.sqrt(np.sum(g_W ** 2) + np.sum(g_V ** 2))))


@pytest.mark.parametrize("loss", ["linear", "squared", "softmax_ce"])
def test_minimum_norm_refit_and_feature_span_cut_keep_F_F_lin_and_the_gradient_norm(loss):
    """After a sample is dropped, W*·P_X and V·P_Φ act alike on the sample left, and rotating the
    features onto the span of Phi's rows (k → rank Φ) keeps every Vφ_i: F, F_lin(W*) and ‖∇F‖ are
    unchanged, ‖W*‖_Fr and ‖V‖ not larger (the moves' docstrings)."""
    inst = random_vector_point(4, loss=loss, n=2, d=3, m=2, k=2)
    one = _cut(inst, "n", np.array([True, False]))
    refit = _min_norm_refit(one)
    assert np.allclose(_objective_terms(refit), _objective_terms(one), rtol=1e-12, atol=1e-12)
    assert np.linalg.norm(refit.W_star) <= np.linalg.norm(one.W_star) + 1e-12
    assert np.linalg.norm(refit.V, 2) <= np.linalg.norm(one.V, 2) + 1e-12
    span = _feature_span(one)
    assert span.dims == (1, 3, 2, 1), f"one sample spans one feature direction, got {span.describe()}"
    assert np.allclose(_objective_terms(span), _objective_terms(one), rtol=1e-12, atol=1e-12)
    assert np.linalg.norm(span.V, 2) <= np.linalg.norm(one.V, 2) + 1e-12
    assert _feature_span(span) is None and _feature_span(inst) is None     # Phi's rows span its features


def test_cuts_are_tried_again_after_a_rounding():
    """A cut made possible by a rounding is taken: the engine revisits the cuts after the roundings
    (before, it never returned to an earlier family of moves; issue 22). A check that a one-sample
    instance fails only once X is integral: simplify must round X, then cut."""
    def check(inst):
        X = np.asarray(B.to_float(inst.sample.X))
        bad = inst.dims == (2, 2, 2, 2) or (inst.dims[0] == 1 and np.array_equal(X, np.round(X)))
        return Evaluation.compare(float(bad), "<=", 0.0, ulps=0, label="toy: n = 1 fails only at integral X")

    inst = random_vector_point(5, loss="squared", n=2, d=2, m=2, k=2)
    moves = (make() for family in inst.simpler_moves() for make in family(inst))
    assert all(check(c).holds for c in moves if c is not None and c.dims[0] == 1), \
        "a cut fails before any rounding: the test shows nothing"
    out = simplify(check, _confirmed(check, inst))
    assert out.instance.dims[0] == 1, f"simplified to {out.instance.describe()}, should have n = 1"
