"""Strategies for Section 5's SGD claims: Theorem 4 and Eq. (18) (Sec. 5, proof Sec. 6.4) and
the vector-valued version of Theorem 4 (Appendix A, last paragraph).

- ``skip_sgd_instances``: Eq. (18) instances (``SkipSGDInstance``): a sample sequence, a residual
  f_θ, M1 with 0 in its v-block, per-tensor M2, and a θ rule (any direction).
- ``sgd_experiments`` / ``vector_experiments``: repeated-runs experiments (``SGDExperiment``,
  ``VectorSGDExperiment``) on a finite distribution — synthetic or Iris — sharing one
  construction of the network, M = M1 × M2, the start and (c, T, δ, runs, seed) (``_training``).
- ``sgd_runs``: ``SGDRun`` instances for the vector Eq. (18) (start and comparator inside the
  Frobenius ball by construction).

Every instance meets its claim's hypotheses by construction: M = M1 × M2 closed, convex and
bounded, with 0 in the v-block (U-block) of M1, so {u : (u, 0) ∈ M1} ≠ ∅, and l > 0.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from theorems.model import losses as L
from theorems.model import vector as VM
from theorems.model.convex_sets import Ball, Box, Product
from theorems.model.data import iris, iris_classes
from theorems.model.residual_net import ResidualNet
from theorems.model.skip_sgd import SGDExperiment, SkipSGDInstance, skip_constants
from theorems.model.training import THETA_RULES
from theorems.model.vector.experiment import VectorSGDExperiment

from .core import cached_strategy, check_bool, check_choice, check_int, scaled_arrays, scaled_floats
from .online import convex_sets
from .vector import VECTOR_LOSSES, vector_losses

__all__ = ["skip_sgd_instances", "skip_sgd_attaining_instances", "sgd_experiments", "vector_experiments", "sgd_runs",
           "vector_attaining_runs", "SKIP_LOSSES", "DATASETS", "VECTOR_DATASETS", "DELTA_RUNS"]

SKIP_LOSSES = ("squared", "logistic", "logcosh", "softplus", "pseudo_huber", "linear")


@st.composite
def _m1(draw, d, k, v_pinned):
    """M1 ⊂ R^(d+k) with 0 in its v-block, so that {u : (u, 0) ∈ M1} ≠ ∅."""
    kind = "product" if v_pinned else draw(st.sampled_from(["ball", "box", "product"]), label="M1 kind")
    if kind == "product":
        Mw = draw(convex_sets(d, kinds=["ball", "box"], centered=True), label="M1 w-block")
        Mv = Box(np.zeros(k), np.zeros(k)) if v_pinned else draw(
            convex_sets(k, kinds=["ball", "box"], centered=True), label="M1 v-block")
        return Product((Mw, Mv))
    return draw(convex_sets(d + k, kinds=[kind], centered=True), label="M1")


@st.composite
def _m2(draw, net):
    """M2: one centred ball or box per tensor of θ (radii over several orders)."""
    parts = []
    for s in net.shapes:
        n = int(np.prod(s))
        rho = draw(st.sampled_from([1e-3, 0.1, 0.5, 1.0, 2.0]), label="tensor radius")
        if draw(st.booleans(), label="ball tensor"):
            parts.append(Ball(np.zeros(n), rho * np.sqrt(n)))
        else:
            parts.append(Box(-rho * np.ones(n), rho * np.ones(n)))
    return Product(tuple(parts))


def _targets(draw, loss, n, label):
    if loss.y_domain == "pm1" or draw(st.booleans(), label=f"{label} ±1"):
        return np.array(draw(st.tuples(*[st.sampled_from([-1.0, 1.0])] * n), label=label))
    return draw(scaled_arrays((n,), min_exp=-1, max_exp=1), label=label)


@st.composite
def _skip(draw, max_T, losses, max_depth, max_dim, theta_rules, v_pinned):
    d = draw(st.integers(1, max_dim), label="d")
    k = draw(st.integers(1, max_dim), label="k")
    net = ResidualNet(d, k, draw(st.integers(0, max_depth), label="depth"))
    loss = L.by_name(draw(st.sampled_from(losses), label="loss"))
    # T mostly in the upper part of its range: the bound K(c)·b·l/√T is below the largest possible
    # average excess l·diam(M1) only when √T > K(c)·b/diam(M1)
    T = min(max_T, draw(st.one_of(st.integers(max(1, max_T // 4), max_T), st.integers(1, max_T)), label="T"))
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
    if not skip_constants(net, loss, M1, M2, X, y)[1] > 0:
        # l > 0 by construction (all-zero data with the linear loss makes every g_t constant)
        X, y = X.copy(), y.copy()
        X[0], y[0] = 1.0, 1.0
    c = draw(st.one_of(st.sampled_from([2.0, 1.0, 4.0]), st.floats(0.5, 6.0), st.floats(0.05, 20.0)), label="c")
    rule = draw(st.sampled_from(theta_rules), label="θ rule")
    return SkipSGDInstance(X, y, loss, net, M1, M2, wv1, theta1, c, rule,
                           draw(st.integers(0, 2**16), label="r seed"),
                           draw(st.sampled_from([0.1, 1.0, 10.0]), label="r scale"))


def skip_sgd_instances(*, max_T: int = 64, losses=None, max_depth: int = 2, max_dim: int = 3, theta_rules=None,
                       v_pinned: bool = False):
    """Eq. (18) instances: a sample sequence (random, or one x repeated with constant or alternating
    y), a residual f_θ, M1 with 0 in its v-block, per-tensor M2, and a θ rule (any direction)."""
    check_int("max_T", max_T, 1, 512)
    losses = check_choice("losses", losses, SKIP_LOSSES) or list(SKIP_LOSSES)
    check_int("max_depth", max_depth, 0, 4)
    check_int("max_dim", max_dim, 1, 8)
    theta_rules = check_choice("theta_rules", theta_rules, THETA_RULES) or list(THETA_RULES)
    if not isinstance(v_pinned, bool):
        raise InvalidArgument(f"v_pinned={v_pinned!r} must be a bool")
    return cached_strategy(_skip, max_T, tuple(losses), max_depth, max_dim, tuple(theta_rules), v_pinned)


@st.composite
def _skip_attaining(draw, max_dim):
    d = draw(st.integers(1, max_dim), label="d")
    k = draw(st.integers(1, max_dim), label="k")
    net = ResidualNet(d, k, 0)
    # θ ∈ M2 = {0}: f_θ = relu(0) = 0 and phi_bound = 0, so l = ‖x‖ exactly for the linear loss −y·p
    M2 = Product(tuple(Box(np.zeros(int(np.prod(s))), np.zeros(int(np.prod(s)))) for s in net.shapes))
    R = draw(st.floats(0.1, 1.0), label="radius mantissa") * 10.0 ** draw(st.integers(-1, 1), label="radius exp")
    M1 = Ball(np.zeros(d + k), R)
    x = draw(scaled_arrays((d,), min_exp=-1, max_exp=1), label="x")
    if not np.any(x):
        x[0] = 1.0
    xh = x / np.linalg.norm(x)
    regime = draw(st.sampled_from(["small c, far start", "large c, alternating y", "T = 1, c = 2"]), label="regime")
    if regime == "large c, alternating y":
        T, c = 2 * draw(st.integers(25, 100), label="T/2"), draw(st.floats(5.0, 12.0), label="c")
        y = (-1.0) ** np.arange(T)                       # y_1 = 1: g_1 = −wᵀx
        eta = c * R / (np.linalg.norm(x) * np.sqrt(T))
        w1 = -(eta / 2) * x                             # the iterates alternate ∓(η/2)x, never projected
    else:
        T, c = (1, 2.0) if regime == "T = 1, c = 2" else (draw(st.integers(100, 200), label="T"),
                                                          draw(st.floats(0.3, 0.5), label="c"))
        y = np.ones(T)
        w1 = -R * xh                                    # the far end: g_t = −wᵀx is largest there
    return SkipSGDInstance(np.tile(x, (T, 1)), y, L.linear(), net, M1, M2, np.concatenate([w1, np.zeros(k)]),
                           np.zeros(net.P), c, "frozen")


def skip_sgd_attaining_instances(*, max_dim: int = 3):
    """Eq. (18) instances where K(c)·b·l/√T is nearly attained (the linear loss −y·p, one x repeated,
    M1 a centred ball, f_θ = 0): a far start with small c ∈ [0.3, 0.5] and T ≥ 100 (the iterate crawls
    across M1: the 2/c term), alternating y with large c ∈ [5, 12] from w_1 = −(η/2)x (every round costs
    η‖x‖²/2: the c/2 term), and T = 1 with c = 2 (the bound 2b‖x‖ is attained)."""
    check_int("max_dim", max_dim, 1, 8)
    return cached_strategy(_skip_attaining, max_dim)


DATASETS = ("synthetic", "iris")
VECTOR_DATASETS = DATASETS


def _probabilities(draw, n):
    how = draw(st.sampled_from(["uniform", "skewed"]), label="probabilities")
    return np.full(n, 1.0 / n) if how == "uniform" else (lambda w: w / w.sum())(2.0 ** -np.arange(n))


# (δ, runs) of the repeated-runs experiments: runs chosen so that the exact binomial test at
# α = 10⁻⁶ can reject and has useful power against a failure rate 2δ (``statistics.test_power``):
# δ = 0.5, 32 runs: power 1.000; δ = 0.25, 128 runs: power 0.875; δ = 0.1, 400 runs: power 0.86
# (false-alarm rate ≤ 10⁻⁶ in every case). Runs are batched (one numpy step advances all of them).
DELTA_RUNS = ((0.5, 32), (0.25, 128), (0.1, 400))


@st.composite
def _m2_small(draw, net):
    """M2 for the experiments: one centred ball or box per tensor of θ with per-entry radius
    ≤ 1/2, so that ``phi_bound`` — and with it the instance's l and r — stays the size of the
    features the network can actually produce (no worst-case blow-up through deep products)."""
    parts = []
    for s in net.shapes:
        n = int(np.prod(s))
        rho = draw(st.sampled_from([0.05, 0.1, 0.25, 0.5]), label="tensor radius per entry")
        if draw(st.booleans(), label="ball tensor"):
            parts.append(Ball(np.zeros(n), rho * np.sqrt(n)))
        else:
            parts.append(Box(-rho * np.ones(n), rho * np.ones(n)))
    return Product(tuple(parts))


def _training(draw, d, m, max_k, pinned, max_T, max_runs, X, Y, big_support):
    """The network, M1 ⊂ R^(m(d+k)) (coordinates (vec W, vec U); m = 1: (w, v)) with 0 in its
    U-block, M2, the start (W₁, U₁, θ₁), c, T, δ, runs and the sampling seed of an experiment.
    ``pinned``: M1's U-block is {0} (the network is linear in x; for negative controls).

    Realistic scale: T in the tens to hundreds (most draws ≥ 64), (δ, runs) from ``DELTA_RUNS``,
    c mostly in [1/2, 6], M2 small (``_m2_small``) and depth ≤ 1, so that the explicit bound is
    below the largest possible excess r on most instances; the start is adversarial half the time:
    the far end of M1 against the least-squares direction of the targets, (−ū, 0), so that the
    first iterates are bad and the excess is not trivially small."""
    k = draw(st.integers(1, max_k), label="k")
    net = ResidualNet(d, k, draw(st.integers(0, 1), label="depth"))
    M1 = draw(_m1(m * d, m * k, pinned))
    M2 = draw(_m2_small(net))
    theta1 = M2.project(net.init(draw(st.integers(0, 2**16), label="θ seed")))
    how = "far" if pinned else draw(st.sampled_from(["adversarial", "far", "centre"]), label="start")
    if how == "adversarial":
        ls = np.linalg.lstsq(X, Y, rcond=None)[0]                # (d,) or (d, m): the targets' direction
        g = np.concatenate([np.asarray(ls.T).reshape(-1), np.zeros(m * k)])
        wv1 = M1.argmin_linear(g) if np.any(g) else M1.project(np.zeros(m * (d + k)))
    elif how == "far":
        wv1 = M1.argmin_linear(draw(scaled_arrays((m * (d + k),), min_exp=0, max_exp=0), label="start direction"))
    else:
        wv1 = M1.project(np.zeros(m * (d + k)))
    c = draw(st.one_of(st.sampled_from([2.0, 1.0, 4.0]), st.floats(0.5, 6.0), st.floats(0.1, 10.0)), label="c")
    T = draw(st.one_of(st.sampled_from([64, 128]), st.integers(32, 256), st.integers(1, 128)), label="T")
    T = min(T, max_T)
    table = DELTA_RUNS[:1] if big_support else DELTA_RUNS
    delta, runs = draw(st.sampled_from(table), label="(delta, runs)")
    runs = min(runs, max_runs)
    return net, M1, M2, wv1, theta1, c, T, delta, runs, draw(st.integers(0, 2**16), label="sampling seed")


@st.composite
def _experiment(draw, datasets, max_T, max_runs, v_pinned, losses):
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
        p = _probabilities(draw, n)
        meta = {"distribution": f"synthetic {target}, {n} points"}
    net, M1, M2, wv1, theta1, c, T, delta, runs, seed = _training(draw, X.shape[1], 1, 3, v_pinned, max_T, max_runs,
                                                                   X, y, data == "iris")
    return SGDExperiment(X, y, p, loss, net, M1, M2, wv1, theta1, c, T, delta, runs, seed, meta)


def sgd_experiments(*, datasets=None, max_T: int = 256, max_runs: int = 400, v_pinned: bool = False, losses=None):
    """Theorem 4 experiments: ``runs`` SGD runs (θ by backpropagation) on fresh samples from a known
    finite distribution — synthetic (≤ 8 points: linear, XOR-type or random labels) or Iris."""
    datasets = check_choice("datasets", datasets, DATASETS) or list(DATASETS)
    check_int("max_T", max_T, 1, 4096)
    check_int("max_runs", max_runs, 5, 1000)
    if not isinstance(v_pinned, bool):
        raise InvalidArgument(f"v_pinned={v_pinned!r} must be a bool")
    losses = check_choice("losses", losses, ("logistic", "softplus", "squared", "logcosh")) or ["logistic", "squared"]
    return cached_strategy(_experiment, tuple(datasets), max_T, max_runs, v_pinned, tuple(losses))


@st.composite
def _vexperiment(draw, datasets, loss_names, max_T, max_runs, U_pinned):
    data = draw(st.sampled_from(datasets), label="data")
    loss = draw(vector_losses(names=loss_names), label="loss")
    if data == "iris":
        X, labels = iris_classes()
        m = 3
        Y = np.eye(m)[labels]
        p = np.full(len(labels), 1.0 / len(labels))
        meta = {"distribution": "iris (3 classes), empirical"}
    else:
        n = draw(st.integers(1, 8), label="support size")
        d = draw(st.integers(1, 3), label="d")
        m = draw(st.integers(2 if loss.targets == "one-hot" else 1, 3), label="m")
        X = draw(scaled_arrays((n, d), min_exp=-1, max_exp=1), label="support")
        target = draw(st.sampled_from(["linear", "random"] + (["real"] if loss.targets == "real" else [])),
                      label="target")
        if target == "real":
            Y = draw(scaled_arrays((n, m), min_exp=-1, max_exp=1), label="Y")
        else:
            if target == "random":
                labels = np.array(draw(st.tuples(*[st.integers(0, m - 1)] * n), label="labels"))
            else:       # the argmax of a drawn linear score: a realisable multi-class problem
                A = draw(scaled_arrays((d, m), min_exp=0, max_exp=0), label="scores")
                labels = np.argmax(X @ A, axis=1)
            Y = np.eye(m)[labels]
        p = _probabilities(draw, n)
        meta = {"distribution": f"synthetic {target}, {n} points"}
    net, M1, M2, wv1, theta1, c, T, delta, runs, seed = _training(draw, X.shape[1], m, 3, U_pinned, max_T, max_runs,
                                                                   X, Y, data == "iris")
    return VectorSGDExperiment(X, Y, p, loss, net, M1, M2, wv1, theta1, c, T, delta, runs, seed, meta)


def vector_experiments(*, datasets=None, losses=None, max_T: int = 256, max_runs: int = 400, U_pinned: bool = False):
    """High-probability vector Theorem 4 experiments: ``runs`` SGD runs of x ↦ W x + U f_θ(x) (θ by
    backpropagation) on fresh samples from a known finite distribution — synthetic (≤ 8 points,
    m ≤ 3: argmax-of-linear or random labels, or real targets for ½‖p − y‖²) or the three Iris
    classes. ``U_pinned``: M1's U-block is {0} (the network is linear in x; for negative controls)."""
    datasets = check_choice("datasets", datasets, VECTOR_DATASETS) or list(VECTOR_DATASETS)
    loss_names = check_choice("losses", losses, VECTOR_LOSSES) or list(VECTOR_LOSSES)
    check_int("max_T", max_T, 1, 4096)
    check_int("max_runs", max_runs, 5, 1000)
    check_bool("U_pinned", U_pinned)
    return cached_strategy(_vexperiment, tuple(datasets), tuple(loss_names), max_T, max_runs, U_pinned)


# ------------------------------------------------------------ vector Eq. (18): single runs

def _into_ball(A, b, frac):
    # radius ≤ b(1 − 10⁻¹²): the ball is closed, and the margin absorbs the rounding of ‖·‖_Fr
    r = np.linalg.norm(A)
    return A if r == 0 else A * (b * frac * (1 - 1e-12) / r)


@st.composite
def _sgd(draw, loss_names, max_T, max_d, max_m, max_k):
    loss = draw(vector_losses(names=loss_names), label="loss")
    m = draw(st.integers(2 if loss.targets == "one-hot" else 1, max_m), label="m")
    d = draw(st.integers(1, max_d), label="d")
    k = draw(st.integers(1, max_k), label="k")
    # T mostly in the upper part of its range and c mostly in [1/2, 6]: the bound K(c)·b·l/√T is
    # below the largest possible average regret 2bl only when K(c) < 2√T
    T = min(max_T, draw(st.one_of(st.integers(max(1, max_T // 4), max_T), st.integers(1, max_T)), label="T"))
    X = draw(scaled_arrays((T, d), min_exp=-1, max_exp=1), label="x_t")
    Phi = draw(scaled_arrays((T, k), min_exp=-1, max_exp=1), label="f_theta_t(x_t)")
    if not (np.any(X) or np.any(Phi)):
        X[0, 0] = 1.0      # l > 0 by construction (the step size cb/(l√T) needs it)
    if loss.targets == "one-hot":
        Y = np.eye(m)[np.array(draw(st.tuples(*[st.integers(0, m - 1)] * T), label="labels"))]
    else:
        Y = draw(scaled_arrays((T, m), min_exp=-1, max_exp=1), label="y_t")
    b = abs(draw(scaled_floats(min_exp=-1, max_exp=1, allow_zero=False), label="b"))
    c = draw(st.sampled_from([0.5, 1.0, 2.0, 4.0]) | st.floats(0.5, 6.0) | st.floats(0.1, 10.0), label="c")
    corners = ["generic", "boundary, start opposite the comparator"]
    if loss.targets == "real":
        corners.append("attaining")
    corner = draw(st.sampled_from(corners), label="corner")
    W_c = _into_ball(draw(scaled_arrays((m, d), min_exp=0, max_exp=0), label="W_c"), b,
                     1.0 if corner != "generic" else draw(st.floats(0, 1), label="W_c radius"))
    if corner == "generic":
        W1 = draw(scaled_arrays((m, d), min_exp=0, max_exp=0), label="W1")
        U1 = draw(scaled_arrays((m, k), min_exp=0, max_exp=0), label="U1")
        r = np.sqrt(np.sum(W1 ** 2) + np.sum(U1 ** 2))
        frac = draw(st.floats(0, 1), label="start radius")
        W1, U1 = (W1, U1) if r == 0 else (W1 * b * frac * (1 - 1e-12) / r, U1 * b * frac * (1 - 1e-12) / r)
    else:
        W1, U1 = -W_c.copy(), np.zeros((m, k))
    if corner == "attaining":
        # the same round T times, c = 2, φ = 0, W_c = b·a xᵀ/(‖a‖‖x‖) (so ‖W_c x‖ = b‖x‖), W₁ = −W_c and
        # y = κ·W_c x/‖W_c x‖: ½‖p − y‖² is nearly linear on the segment when κ ≫ 1. At T = 1 the regret
        # is 2b‖x‖‖y‖ and the bound 2b‖x‖(b‖x‖ + ‖y‖) (ratio → 1 as κ → ∞); for T > 1 it is the
        # classical lower-bound scenario of online gradient descent (regret ≍ bl/√T)
        x = X[0].copy()
        if not np.any(x):
            x[0] = 1.0
        X, Phi, c = np.tile(x, (T, 1)), np.zeros((T, k)), 2.0
        a = draw(scaled_arrays((m,), min_exp=0, max_exp=0), label="a")
        if not np.any(a):
            a[0] = 1.0
        W_c = b * (1 - 1e-12) * np.outer(a / np.linalg.norm(a), x / np.linalg.norm(x))
        W1, U1 = -W_c, np.zeros((m, k))
        kappa = 10.0 ** draw(st.integers(0, 6), label="log10 |y| / b|x|")
        Y = np.tile(kappa * b * np.linalg.norm(x) * a / np.linalg.norm(a), (T, 1))
    return VM.SGDRun(loss, X, Phi, Y, b, c, W1, U1, W_c, {"corner": corner})


def sgd_runs(*, losses=None, max_T: int = 48, max_d: int = 3, max_m: int = 3, max_k: int = 3):
    """Projected-SGD runs for the vector Theorem 4: T rounds, ball radius b, step constant c."""
    loss_names = check_choice("losses", losses, VECTOR_LOSSES) or list(VECTOR_LOSSES)
    check_int("max_T", max_T, 1, 1000)
    check_int("max_d", max_d, 1, 8)
    check_int("max_m", max_m, 1, 8)
    check_int("max_k", max_k, 1, 8)
    return cached_strategy(_sgd, tuple(loss_names), max_T, max_d, max_m, max_k)


@st.composite
def _vector_attaining(draw, max_dim):
    m = draw(st.integers(1, max_dim), label="m")
    d = draw(st.integers(1, max_dim), label="d")
    k = draw(st.integers(1, max_dim), label="k")
    b = draw(st.floats(0.1, 1.0), label="radius mantissa") * 10.0 ** draw(st.integers(-1, 1), label="radius exp")
    x = draw(scaled_arrays((d,), min_exp=-1, max_exp=1), label="x")
    if not np.any(x):
        x[0] = 1.0
    a = draw(scaled_arrays((m,), min_exp=0, max_exp=0), label="a")
    if not np.any(a):
        a[0] = 1.0
    a, xn = a / np.linalg.norm(a), np.linalg.norm(x)
    ynorm = 10.0 ** draw(st.integers(2, 4), label="log10 |y| / b|x|") * b * xn
    regime = draw(st.sampled_from(["small c, far start", "large c, alternating y"]), label="regime")
    if regime == "small c, far start":
        T, c = draw(st.integers(100, 200), label="T"), draw(st.floats(0.3, 0.5), label="c")
        Y = np.tile(ynorm * a, (T, 1))
        W_c = b * (1 - 1e-12) * np.outer(a, x / xn)
        W1 = -W_c
    else:
        T, c = 2 * draw(st.integers(25, 100), label="T/2"), draw(st.floats(5.0, 12.0), label="c")
        Y = ((-1.0) ** np.arange(T))[:, None] * ynorm * a
        l = xn * (b * xn + ynorm)                       # sgd_run_lipschitz of the squared loss here
        eta = c * b / (l * np.sqrt(T))
        W1 = -(eta / 2) * ynorm * np.outer(a, x)        # g_1 ≈ −‖y‖aᵀWx is (η/2)‖y‖²‖x‖² above its value at 0
        W_c = np.zeros((m, d))
    return VM.SGDRun(VM.squared(), np.tile(x, (T, 1)), np.zeros((T, k)), Y, b, c, W1, np.zeros((m, k)), W_c,
                     {"corner": regime})


def vector_attaining_runs(*, max_dim: int = 3):
    """Vector Eq. (18) runs where K(c)·b·l/√T is nearly attained: ½‖p − y‖² with ‖y‖ ≫ b‖x‖ is nearly
    linear on M₁, one x repeated, f_θ = 0; a far start with small c ∈ [0.3, 0.5], T ≥ 100 (the 2/c term)
    and alternating targets ±y with large c ∈ [5, 12] from W₁ = −(η/2)‖y‖a xᵀ (the c/2 term)."""
    check_int("max_dim", max_dim, 1, 8)
    return cached_strategy(_vector_attaining, max_dim)
