"""Exact Euclidean projections on balls, boxes and products (theorems.model.convex_sets), and the
convexity / Lipschitz hypotheses of the function families used for Theorem 5."""

import mpmath
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from strategies.core import scaled_arrays
from strategies.online import convex_functions, convex_sets
from tests.support import scaled
from theorems.core import backend as B
from theorems.model.convex_functions import FAMILIES, ConvexFn, FnTable, total_value
from theorems.model.convex_sets import Ball, Box, Product
from theorems.model.ogd import run_ogd

U = 2.0 ** -53


@st.composite
def set_and_points(draw, n=3):
    d = draw(st.integers(1, 4), label="d")
    X = draw(convex_sets(d), label="X")
    pts = [draw(scaled_arrays((d,), min_exp=-3, max_exp=3), label="x") for _ in range(n)]
    return X, pts


def _tol(*xs):
    return 64 * U * max(1.0, *(float(np.max(np.abs(x), initial=0)) for x in xs))


@settings(max_examples=scaled(30))
@given(set_and_points())
@example((Ball(np.array([0.75, 0.25]), 0.0025), [np.array([0.75, 0.25]), np.zeros(2), np.zeros(2)]))
def test_projection_is_in_X_idempotent_non_expansive_and_optimal(sx):
    # one generated (X, x, y, g) checks every property: generation is the expensive part
    X, (x, y, g) = sx
    p = X.project(x)
    assert X.contains(p, tol=_tol(x, p)), f"Π(x) = {p} is not in {X.describe()}, but should be"
    pp = X.project(p)
    assert np.max(np.abs(pp - p)) <= _tol(p), f"Π(Π(x)) = {pp} ≠ Π(x) = {p}, but should be equal [idempotence]"
    lhs, rhs = np.linalg.norm(p - X.project(y)), np.linalg.norm(x - y)
    assert lhs <= rhs + _tol(x, y), f"‖Π(x) − Π(y)‖ = {lhs}, but should be ≤ ‖x − y‖ = {rhs} [non-expansive]"
    # Π(x) is the projection iff ⟨x − Π(x), z − Π(x)⟩ ≤ 0 for every z ∈ X
    a = X.argmin_linear(g)
    for z in (X.project(y), a, X.argmin_linear(-g)):
        ip = float(np.dot(x - p, z - p))
        scale = np.linalg.norm(x - p) * np.linalg.norm(z - p) + np.linalg.norm(x) * np.linalg.norm(z) + 1
        assert ip <= 256 * U * scale, f"⟨x − Π(x), z − Π(x)⟩ = {ip}, but should be ≤ 0 for z ∈ X [optimality]"
    # argmin_X⟨g, ·⟩ is in X and minimal; max_norm bounds every point of X
    z = X.project(y)
    assert X.contains(a, tol=_tol(a))
    assert float(g @ a) <= float(g @ z) + _tol(g * a, g * z) * X.dim, "argmin_X⟨g, x⟩ is not minimal"
    b = float(X.max_norm())
    assert np.linalg.norm(z) <= b * (1 + 64 * U), f"‖Π(y)‖ = {np.linalg.norm(z)}, but should be ≤ max_norm = {b}"
    # z − x is a difference of O(‖x‖) vectors: its rounding is absolute (_tol), not relative to a
    # short distance (found by the nightly: a ball of radius 0.0025 centred at x = (0.75, 0.25))
    dist = np.linalg.norm(z - x)
    assert float(X.max_dist(x)) >= dist - _tol(x, z), \
        f"max_dist(x) = {float(X.max_dist(x))}, but should be ≥ ‖Π(y) − x‖ = {dist} for Π(y) ∈ X"


@pytest.mark.parametrize("X", [
    Ball(np.array([0.3, -1.0]), 0.7),
    Box(np.array([-1.0, 0.5, 0.0]), np.array([2.0, 0.5, 1e-3])),
    Product((Ball(np.zeros(1), 2.0), Box(np.array([-1.0, -1.0]), np.array([1.0, 0.0])))),
], ids=["ball", "box(flat coordinate)", "ball×box"])
def test_projection_is_exact_at_60_digits(X):
    rng = np.random.default_rng(0)
    Xm = X.to_mp()
    with B.workdps(60):
        for _ in range(5):
            x = B.to_mp(rng.normal(size=X.dim) * 3)
            p = Xm.project(x)
            assert Xm.contains(p, tol=mpmath.mpf(10) ** -55)
            assert max(abs(v) for v in Xm.project(p) - p) < mpmath.mpf(10) ** -55
            z = Xm.project(B.to_mp(rng.normal(size=X.dim)))
            assert B.dot(x - p, z - p) <= mpmath.mpf(10) ** -55


@settings(max_examples=scaled(30))
@given(st.data())
def test_function_families_are_convex_and_lipschitz_over_X(data):
    d = data.draw(st.integers(1, 4), label="d")
    X = data.draw(convex_sets(d), label="X")
    g = data.draw(convex_functions(d), label="g")
    x, y = (X.project(data.draw(scaled_arrays((d,), min_exp=-2, max_exp=2))) for _ in range(2))
    gx, gy, sub = float(g.value(x)), float(g.value(y)), g.grad(x)
    scale = 64 * U * (abs(gx) + abs(gy) + np.linalg.norm(sub) * np.linalg.norm(y - x) + 1)
    # the subgradient inequality (convexity) and the Lipschitz bound over X, in both orientations
    assert gy >= gx + float(sub @ (y - x)) - scale, f"g(y) = {gy} below the tangent at x [{g.kind}]"
    L = float(g.lipschitz(X))
    for h in (g, g.flipped()):
        diff = abs(float(h.value(x)) - float(h.value(y)))
        assert diff <= L * np.linalg.norm(x - y) + scale, f"|g(x) − g(y)| = {diff} > l‖x − y‖ [{g.kind}]"
    assert np.linalg.norm(sub) <= L * (1 + 1e-12) + 1e-300


def test_fn_table_matches_the_functions():
    rng = np.random.default_rng(1)
    fns = [ConvexFn(k, rng.normal(size=(3 if k == "max_affine" else 1, 2)),
                    np.abs(rng.normal(size=3 if k == "max_affine" else 1))) for k in FAMILIES]
    P = rng.normal(size=(4, 2))
    want = [sum(float(f.value(p)) for f in fns) for p in P]
    assert np.allclose(total_value(fns, P), want, rtol=1e-13, atol=1e-13)
    assert np.allclose(FnTable(fns).subgrad(P[0]), sum(f.grad(P[0]) for f in fns), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("make,match", [
    (lambda: Ball(np.zeros(2), -1.0), r"argument 'radius'.*≥ 0"),
    (lambda: Ball(np.array([np.nan]), 1.0), r"argument 'center'.*NaN"),
    (lambda: Box(np.array([1.0]), np.array([0.0])), r"argument 'lo'.*lo ≤ hi"),
    (lambda: Box(np.array([1.0]), np.array([0.0, 1.0])), r"argument 'hi'"),
    (lambda: Product(()), r"argument 'parts'"),
    (lambda: ConvexFn("cubic", np.ones((1, 1)), np.zeros(1)), r"argument 'kind'.*unknown family"),
    (lambda: ConvexFn("squared", np.ones((1, 1)), -np.ones(1)), r"argument 'c'.*convexity"),
    (lambda: ConvexFn("linear", np.ones((2, 1)), np.zeros(2)), r"argument 'A'.*one row"),
    (lambda: run_ogd(Ball(np.zeros(1), 1.0), [], 3, 0.1, np.zeros(1)), r"argument 'base_fns'"),
    (lambda: run_ogd(Ball(np.zeros(1), 1.0), [ConvexFn("linear", np.ones((1, 1)), np.zeros(1))], 0, 0.1,
                       np.zeros(1)), r"argument 'T'"),
], ids=["negative radius", "NaN centre", "lo > hi", "shape mismatch", "empty product", "unknown family",
        "concave squared", "ridge with two rows", "no functions", "T = 0"])
def test_bad_arguments_raise_naming_the_argument(make, match):
    with pytest.raises(ValueError, match=match):
        make()
