"""Strategies for Section 5: convex sets (balls, boxes, products), convex Lipschitz functions,
online-gradient-descent instances (Theorem 5) and skip-to-output SGD instances (Theorem 4).

Every instance meets its claim's hypotheses by construction: X is closed, convex and bounded
(b = max_{x∈X} ‖x‖ > 0), every g_t is convex with a finite Lipschitz constant l > 0 over X,
x_1 ∈ X; for Theorem 4, M = M1 × M2 with 0 in the v-block of M1 (so {u : (u, 0) ∈ M1} ≠ ∅).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model import online as O

from .core import check_choice, check_int, scaled_arrays

__all__ = ["convex_sets", "convex_functions", "ogd_instances", "SET_KINDS"]

SET_KINDS = ("ball", "box", "product")


@st.composite
def _set(draw, d, kinds, centered):
    kind = draw(st.sampled_from(kinds if d > 1 or "product" not in kinds else
                                [k for k in kinds if k != "product"] or ["ball"]), label="set kind")
    if kind == "product":
        d1 = draw(st.integers(1, d - 1), label="split")
        return O.Product((draw(_set(d1, ("ball", "box"), centered)), draw(_set(d - d1, ("ball", "box"), centered))))
    if kind == "ball":
        c = np.zeros(d) if centered else draw(scaled_arrays((d,), min_exp=-2, max_exp=1), label="center")
        R = draw(st.floats(0.1, 1.0), label="radius mantissa") * 10.0 ** draw(st.integers(-2, 1), label="radius exp")
        return O.Ball(c, R)
    mid = np.zeros(d) if centered else draw(scaled_arrays((d,), min_exp=-2, max_exp=1), label="box middle")
    half = np.abs(draw(scaled_arrays((d,), min_exp=-2, max_exp=1), label="half widths"))
    lo, hi = mid - half, mid + half
    if centered:
        lo, hi = np.minimum(lo, 0.0), np.maximum(hi, 0.0)
    if not np.any(lo) and not np.any(hi):
        hi[0] = 1.0       # b > 0 by construction
    return O.Box(lo, hi)


def convex_sets(d: int, *, kinds=None, centered: bool = False):
    """Closed convex bounded sets in R^d with max norm b > 0: balls, boxes (possibly flat in some
    coordinates) and products of two of them. ``centered``: every set contains 0."""
    check_int("d", d, 1, 64)
    kinds = check_choice("kinds", kinds, SET_KINDS) or list(SET_KINDS)
    if not isinstance(centered, bool):
        raise InvalidArgument(f"centered={centered!r} must be a bool")
    return _cached(_set, d, tuple(kinds), centered)


@st.composite
def _fn(draw, d, families):
    kind = draw(st.sampled_from(families), label="family")
    m = draw(st.integers(1, 3), label="pieces") if kind == "max_affine" else 1
    A = draw(scaled_arrays((m, d), min_exp=-2, max_exp=2), label="slopes")
    c = draw(scaled_arrays((m,), min_exp=-2, max_exp=2), label="offsets")
    if kind == "squared":
        c = np.abs(c)
    return O.ConvexFn(kind, A, c)


def convex_functions(d: int, *, families=None):
    """Convex functions on R^d from ``theorems.model.online.FAMILIES``."""
    check_int("d", d, 1, 64)
    families = check_choice("families", families, O.FAMILIES) or list(O.FAMILIES)
    return _cached(_fn, d, tuple(families))


@st.composite
def _point_in(draw, X, label, g1):
    how = draw(st.sampled_from(["random", "boundary", "opposite", "corner"]), label=f"{label} kind")
    d = X.dim
    if how == "corner":
        # the structured corner where the bound is tight: x_1 maximises g_1 over X, the
        # comparator minimises it (for a linear g_1 these are the two ends of X along its slope)
        a = g1.grad(X.argmin_linear(np.zeros(d)))
        return X.argmin_linear(a if label == "comparator" else -a)
    g = draw(scaled_arrays((d,), min_exp=0, max_exp=0), label=f"{label} direction")
    if how == "boundary":
        return X.argmin_linear(g)
    if how == "opposite":
        return X.argmin_linear(-g)
    raw = draw(scaled_arrays((d,), min_exp=-2, max_exp=2), label=label)
    return X.project(raw)


@st.composite
def _ogd(draw, max_dim, max_T, families, adversaries, set_kinds):
    from theorems.theorem5 import OGDInstance

    d = draw(st.integers(1, max_dim), label="d")
    X = draw(convex_sets(d, kinds=set_kinds), label="X")
    m = draw(st.integers(1, 3), label="base functions")
    fns = [draw(convex_functions(d, families=families), label="g") for _ in range(m)]
    if max(float(f.lipschitz(X)) for f in fns) == 0:
        fns[0] = O.ConvexFn("linear", np.eye(1, d), np.zeros(1))     # l > 0 by construction
    T = draw(st.one_of(st.integers(1, 12), st.sampled_from([max_T // 2, max_T]), st.integers(1, max_T)), label="T")
    T = min(T, max_T)
    c = draw(st.one_of(st.sampled_from([2.0, 0.1, 10.0]), st.floats(0.05, 20.0)), label="c")
    x1 = draw(_point_in(X, "x1", fns[0]))
    x_cmp = draw(_point_in(X, "comparator", fns[0]))
    adv = draw(st.sampled_from(adversaries), label="adversary")
    seed = draw(st.integers(0, 2**16), label="sign seed")
    lf = draw(st.one_of(st.just(1.0), st.floats(1.0, 4.0)), label="l factor")
    bf = draw(st.one_of(st.just(1.0), st.floats(1.0, 4.0)), label="b factor")
    return OGDInstance(X, tuple(fns), T, c, x1, x_cmp, adv, seed, lf, bf)


def ogd_instances(*, max_dim: int = 4, max_T: int = 64, families=None, adversaries=None, set_kinds=None):
    """Theorem 5 instances: X, base functions, T ≤ max_T, c, x_1 ∈ X, a comparator, an adversary."""
    check_int("max_dim", max_dim, 1, 16)
    check_int("max_T", max_T, 1, 2000)
    families = check_choice("families", families, O.FAMILIES) or list(O.FAMILIES)
    adversaries = check_choice("adversaries", adversaries, O.ADVERSARIES) or list(O.ADVERSARIES)
    set_kinds = check_choice("set_kinds", set_kinds, SET_KINDS) or list(SET_KINDS)
    return _cached(_ogd, max_dim, max_T, tuple(families), tuple(adversaries), tuple(set_kinds))


@lru_cache(maxsize=1024)
def _cached(factory, *args):
    return factory(*args)


# ------------------------------------------------------------------------ Theorem 4

SKIP_LOSSES = ("squared", "logistic", "logcosh", "softplus", "pseudo_huber", "linear")


@st.composite
def _m1(draw, d, k, v_pinned):
    """M1 ⊂ R^(d+k) with 0 in its v-block, so that {u : (u, 0) ∈ M1} ≠ ∅."""
    kind = "product" if v_pinned else draw(st.sampled_from(["ball", "box", "product"]), label="M1 kind")
    if kind == "product":
        Mw = draw(convex_sets(d, kinds=["ball", "box"], centered=True), label="M1 w-block")
        Mv = O.Box(np.zeros(k), np.zeros(k)) if v_pinned else draw(
            convex_sets(k, kinds=["ball", "box"], centered=True), label="M1 v-block")
        return O.Product((Mw, Mv))
    return draw(convex_sets(d + k, kinds=[kind], centered=True), label="M1")


@st.composite
def _m2(draw, net):
    """M2: one centred ball or box per tensor of θ (radii over several orders)."""
    parts = []
    for s in net.shapes:
        n = int(np.prod(s))
        rho = draw(st.sampled_from([1e-3, 0.1, 0.5, 1.0, 2.0]), label="tensor radius")
        if draw(st.booleans(), label="ball tensor"):
            parts.append(O.Ball(np.zeros(n), rho * np.sqrt(n)))
        else:
            parts.append(O.Box(-rho * np.ones(n), rho * np.ones(n)))
    return O.Product(tuple(parts))


def _targets(draw, loss, n, label):
    if loss.y_domain == "pm1" or draw(st.booleans(), label=f"{label} ±1"):
        return np.array(draw(st.tuples(*[st.sampled_from([-1.0, 1.0])] * n), label=label))
    return draw(scaled_arrays((n,), min_exp=-1, max_exp=1), label=label)


@st.composite
def _skip(draw, max_T, losses, max_depth, max_dim, theta_rules, v_pinned):
    from theorems.model import losses as L
    from theorems.model.training import ResidualNet
    from theorems.theorem4 import SkipSGDInstance

    d = draw(st.integers(1, max_dim), label="d")
    k = draw(st.integers(1, max_dim), label="k")
    net = ResidualNet(d, k, draw(st.integers(0, max_depth), label="depth"))
    loss = L.by_name(draw(st.sampled_from(losses), label="loss"))
    T = draw(st.integers(1, max_T), label="T")
    pattern = draw(st.sampled_from(["random", "repeat x", "repeat x, alternate y"]), label="sequence")
    if pattern == "random":
        X = draw(scaled_arrays((T, d), min_exp=-1, max_exp=1), label="x_t")
        y = _targets(draw, loss, T, "y_t")
    else:
        x = draw(scaled_arrays((d,), min_exp=-1, max_exp=1), label="x")
        X = np.tile(x, (T, 1))
        y0 = _targets(draw, loss, 1, "y")[0]
        y = np.full(T, y0) if pattern == "repeat x" else y0 * (-1.0) ** np.arange(T)
    M1 = draw(_m1(d, k, v_pinned))
    M2 = draw(_m2(net))
    theta1 = M2.project(net.init(draw(st.integers(0, 2**16), label="θ seed")))
    if draw(st.booleans(), label="worst start"):
        # start where g_1 grows fastest: the far end of M1 along ℓ'(0; y_1)·z_1
        phi, _ = net.forward_one(theta1[None], X[:1])
        z1 = np.concatenate([X[0], phi[0]])
        wv1 = M1.argmin_linear(-float(loss.d1(0.0, y[0])) * z1)
    else:
        wv1 = M1.project(draw(scaled_arrays((d + k,), min_exp=-1, max_exp=1), label="(w1, v1)"))
    from theorems.theorem4 import constants
    if not constants(net, loss, M1, M2, X, y)[1] > 0:
        # l > 0 by construction (all-zero data with the linear loss makes every g_t constant)
        X, y = X.copy(), y.copy()
        X[0], y[0] = 1.0, 1.0
    c = draw(st.one_of(st.sampled_from([2.0, 0.2, 10.0]), st.floats(0.05, 20.0)), label="c")
    rule = draw(st.sampled_from(theta_rules), label="θ rule")
    return SkipSGDInstance(X, y, loss, net, M1, M2, wv1, theta1, c, rule,
                           draw(st.integers(0, 2**16), label="r seed"),
                           draw(st.sampled_from([0.1, 1.0, 10.0]), label="r scale"))


def skip_sgd_instances(*, max_T: int = 16, losses=None, max_depth: int = 2, max_dim: int = 3, theta_rules=None,
                       v_pinned: bool = False):
    """Eq. (18) instances: a sample sequence (random, or one x repeated with constant or alternating
    y), a residual f_θ, M1 with 0 in its v-block, per-tensor M2, and a θ rule (any direction)."""
    from theorems.model.training import THETA_RULES

    check_int("max_T", max_T, 1, 512)
    losses = check_choice("losses", losses, SKIP_LOSSES) or list(SKIP_LOSSES)
    check_int("max_depth", max_depth, 0, 4)
    check_int("max_dim", max_dim, 1, 8)
    theta_rules = check_choice("theta_rules", theta_rules, THETA_RULES) or list(THETA_RULES)
    if not isinstance(v_pinned, bool):
        raise InvalidArgument(f"v_pinned={v_pinned!r} must be a bool")
    return _cached(_skip, max_T, tuple(losses), max_depth, max_dim, tuple(theta_rules), v_pinned)


DATASETS = ("synthetic", "iris")


@st.composite
def _experiment(draw, datasets, max_T, max_runs, v_pinned, losses):
    from theorems.model import losses as L
    from theorems.model.training import ResidualNet
    from theorems.theorem4 import SGDExperiment, iris

    data = draw(st.sampled_from(datasets), label="data")
    loss = L.by_name(draw(st.sampled_from(losses), label="loss"))
    if data == "iris":
        X, y = iris()
        p = np.full(len(y), 1.0 / len(y))
        meta = {"distribution": "iris (versicolor vs virginica), empirical"}
    else:
        n = draw(st.integers(1, 8), label="support size")
        d = draw(st.integers(1, 3), label="d")
        X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1), label="support")
        target = draw(st.sampled_from(["linear", "xor", "random"]), label="target")
        if target == "random":
            y = np.array(draw(st.tuples(*[st.sampled_from([-1.0, 1.0])] * n), label="labels"))
        else:
            s = X[:, 0] * (X[:, -1] if target == "xor" else 1.0)
            y = np.where(s > 0, 1.0, -1.0)
        p = draw(st.sampled_from(["uniform", "skewed"]), label="probabilities")
        p = np.full(n, 1.0 / n) if p == "uniform" else (lambda w: w / w.sum())(2.0 ** -np.arange(n))
        meta = {"distribution": f"synthetic {target}, {n} points"}
    d = X.shape[1]
    k = draw(st.integers(1, 4), label="k")
    net = ResidualNet(d, k, draw(st.integers(0, 2), label="depth"))
    M1 = draw(_m1(d, k, v_pinned))
    M2 = draw(_m2(net))
    theta1 = M2.project(net.init(draw(st.integers(0, 2**16), label="θ seed")))
    if v_pinned or draw(st.booleans(), label="far start"):
        wv1 = M1.argmin_linear(draw(scaled_arrays((d + k,), min_exp=0, max_exp=0), label="start direction"))
    else:
        wv1 = M1.project(np.zeros(d + k))
    c = draw(st.one_of(st.sampled_from([2.0, 0.5]), st.floats(0.1, 10.0)), label="c")
    T = draw(st.integers(1, max_T), label="T")
    delta = draw(st.sampled_from([0.01, 0.05, 0.1, 0.25, 0.5]), label="delta")
    runs = draw(st.integers(5, max_runs), label="runs")
    return SGDExperiment(X, y, p, loss, net, M1, M2, wv1, theta1, c, T, delta, runs,
                         draw(st.integers(0, 2**16), label="sampling seed"), meta)


def sgd_experiments(*, datasets=None, max_T: int = 16, max_runs: int = 20, v_pinned: bool = False, losses=None):
    """Theorem 4 experiments: ``runs`` SGD runs (θ by backpropagation) on fresh samples from a known
    finite distribution — synthetic (≤ 8 points: linear, XOR-type or random labels) or Iris."""
    datasets = check_choice("datasets", datasets, DATASETS) or list(DATASETS)
    check_int("max_T", max_T, 1, 512)
    check_int("max_runs", max_runs, 5, 1000)
    if not isinstance(v_pinned, bool):
        raise InvalidArgument(f"v_pinned={v_pinned!r} must be a bool")
    losses = check_choice("losses", losses, ("logistic", "softplus", "squared", "logcosh")) or ["logistic", "squared"]
    return _cached(_experiment, tuple(datasets), max_T, max_runs, v_pinned, tuple(losses))
