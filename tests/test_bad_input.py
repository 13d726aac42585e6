"""Bad input gets a clear error naming the argument and the violated hypothesis."""

from dataclasses import replace

import numpy as np
import pytest

from theorems import CLAIMS, HypothesisNotMet
from theorems.audit import Evaluation
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
