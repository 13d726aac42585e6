"""Section 5's experiments: the skip-to-output network x ↦ wᵀx + vᵀf_θ(x) trained by projected
SGD over M = M1 × M2, as instances, with the constants b, l, r of Theorem 4's hypotheses.

- ``SkipSGDInstance``: one SGD run on a fixed sample sequence (x_t, y_t), t = 1..T, θ updated by
  any rule the proof of Theorem 4 allows (Eq. 18 is deterministic: any data, any θ_t).
- ``SGDExperiment``: ``runs`` independent runs of length T on i.i.d. samples from a finite
  distribution (X, y, p) — Theorem 4's high-probability statement.

**Constants** (valid for the paper's hypotheses, computed from the instance; ``skip_constants``):
b = max_{(w,v)∈M1} ‖(w, v)‖ (exact for balls, boxes and products). For each support point
(x, y): Z(x) = √(‖x‖² + Φ(x)²) with Φ(x) ≥ sup_{θ∈M2}‖f_θ(x)‖ (``residual_net.phi_bound``), so
every prediction over M1 × M2 lies in [−bZ, bZ]; ℓ is convex, so |ℓ'| and |ℓ| (ℓ ≥ 0 or linear)
are largest at an end of that interval: l = max_x max_± |ℓ'(±bZ(x); y)|·Z(x),
r = max_x max_± |ℓ(±bZ(x); y)|. (Any larger l is OGD with a smaller c for this l, and
K(c′)·b·l ≤ K(c)·b·l′ then, so the tightest valid l gives the strictest check.)

Vector outputs (Appendix A; ``vector_sgd.VectorSGDExperiment``, targets of shape (n, m), a
``VectorLoss``): every prediction W x + U f_θ(x) over M1 × M2 has norm ≤ b·Z(x), and
l = max_x Z(x)·grad_sup(bZ(x); y), r = max_x value_sup(bZ(x); y) (bounds on ‖∇ℓ‖ and |ℓ| over
that ball).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import ARRAY, FLOAT, INT, Instance

from .convex_sets import CONVEX_SETS, SET
from .instance import LOSS
from .losses import Loss
from .residual_net import NET, ResidualNet, phi_bound
from .training import THETA_RULES

__all__ = ["SkipSGDInstance", "SGDExperiment", "skip_constants", "experiment_constants", "check_parameters",
           "check_repeated_runs"]


def check_parameters(obj, d, m=None):
    """M1, M2, wv1, θ1 and c of an SGD instance; ``m`` outputs: (W, U) ∈ R^(m(d+k)) (vector version)."""
    D, space = (d + obj.net.k, "R^(d+k)") if m is None else (m * (d + obj.net.k), "R^(m(d+k)), (vec W, vec U),")
    if not isinstance(obj.M1, CONVEX_SETS) or obj.M1.dim != D:
        raise ValueError(f"argument 'M1': expected a set in {space} = R^{D}")
    if not isinstance(obj.M2, CONVEX_SETS) or obj.M2.dim != obj.net.P:
        raise ValueError(f"argument 'M2': expected a set in R^P = R^{obj.net.P} (θ of the network)")
    for name, n in (("wv1", D), ("theta1", obj.net.P)):
        a = getattr(obj, name)
        if not (isinstance(a, np.ndarray) and a.dtype == object):
            a = np.asarray(a, dtype=np.float64)
            if a.shape != (n,) or not np.all(np.isfinite(a)):
                raise ValueError(f"argument {name!r}: expected a finite vector of length {n}")
            object.__setattr__(obj, name, a)
    c = float(obj.c)
    if not (math.isfinite(c) and c > 0):
        raise ValueError(f"argument 'c': the step constant in η = c·b/(l√T) must be > 0, got {c}")


def check_repeated_runs(obj):
    """T, runs and δ of a repeated-runs experiment (scalar and vector)."""
    for name in ("T", "runs"):
        v = getattr(obj, name)
        if not (isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1):
            raise ValueError(f"argument {name!r}: must be an int ≥ 1, got {v!r}")
    try:
        delta = float(obj.delta)
    except (TypeError, ValueError):
        delta = math.nan
    if not (0 < delta < 1):
        raise ValueError(f"argument 'delta': the failure probability must be in (0, 1), got {obj.delta!r}")


def skip_constants(net, loss, M1, M2, X, y):
    """(b, l, r) of Theorem 4's hypotheses over the support rows X (module docstring); targets y of
    shape (n, m) and a ``VectorLoss``: the vector version's."""
    b = M1.max_norm()
    xn = B.sqrt(np.sum(X * X, axis=1))
    Phi = phi_bound(net, M2, xn)
    Z = B.sqrt(xn * xn + Phi * Phi)
    if np.ndim(y) == 2:
        l = max(Z[i] * loss.grad_sup(b * Z[i], y[i]) for i in range(len(Z)))
        r = max(loss.value_sup(b * Z[i], y[i]) for i in range(len(Z)))
        return b, l, r
    ends = [b * Z, -b * Z]
    l = max(max(abs(v) for v in loss.d1(e, y) * Z) for e in ends)
    r = max(max(abs(v) for v in loss.value(e, y)) for e in ends)
    return b, l, r


def experiment_constants(ex):
    """(b, l, r) of a repeated-runs experiment over the support of its distribution (p > 0)."""
    support = B.to_float(ex.p) > 0
    return skip_constants(ex.net, ex.loss, ex.M1, ex.M2, ex.X[support], ex.targets[support])


@dataclass(frozen=True, eq=False, repr=False)
class SkipSGDInstance(Instance):
    """One SGD run on a fixed sample sequence (x_t, y_t), t = 1..T, with θ updated by
    ``theta_rule`` (the proof allows any θ directions)."""

    CODECS = {"X": ARRAY, "y": ARRAY, "loss": LOSS, "net": NET, "M1": SET, "M2": SET, "wv1": ARRAY,
              "theta1": ARRAY, "c": FLOAT, "r_seed": INT, "r_scale": FLOAT}

    X: np.ndarray            # (T, d): x_1..x_T
    y: np.ndarray            # (T,)
    loss: Loss
    net: ResidualNet
    M1: object
    M2: object
    wv1: np.ndarray
    theta1: np.ndarray
    c: float
    theta_rule: str = "sgd"
    r_seed: int = 0
    r_scale: float = 1.0

    def __post_init__(self):
        X = self.X if (isinstance(self.X, np.ndarray) and self.X.dtype == object) else np.asarray(self.X, float)
        if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] != self.net.d:
            raise ValueError(f"argument 'X': expected shape (T, {self.net.d}) with T ≥ 1, got {X.shape}")
        object.__setattr__(self, "X", X)
        y = self.y if (isinstance(self.y, np.ndarray) and self.y.dtype == object) else np.asarray(self.y, float)
        if y.shape != (X.shape[0],):
            raise ValueError(f"argument 'y': expected one target per x_t, shape ({X.shape[0]},), got {y.shape}")
        object.__setattr__(self, "y", y)
        self.loss.check_targets(y)
        if self.theta_rule not in THETA_RULES:
            raise ValueError(f"argument 'theta_rule': unknown rule {self.theta_rule!r}; known: {THETA_RULES}")
        check_parameters(self, self.net.d)

    @property
    def T(self):
        return self.X.shape[0]

    def describe(self):
        n = self.net
        return (f"T={self.T} d={n.d} k={n.k} depth={n.depth} loss={self.loss.name} c={float(self.c):.3g} "
                f"θ-rule={self.theta_rule} M1={self.M1.describe()}")


# the codecs of a repeated-runs experiment (``SGDExperiment``, ``vector_sgd.VectorSGDExperiment``)
EXPERIMENT_CODECS = {"X": ARRAY, "p": ARRAY, "net": NET, "M1": SET, "M2": SET, "wv1": ARRAY, "theta1": ARRAY,
                     "c": FLOAT, "T": INT, "delta": FLOAT, "runs": INT, "seed": INT}


@dataclass(frozen=True, eq=False, repr=False)
class SGDExperiment(Instance):
    """``runs`` independent SGD runs of length T on fresh samples from a finite distribution."""

    CODECS = dict(EXPERIMENT_CODECS, y=ARRAY, loss=LOSS)

    X: np.ndarray            # (n, d) support
    y: np.ndarray            # (n,)
    p: np.ndarray            # (n,) probabilities
    loss: Loss
    net: ResidualNet
    M1: object
    M2: object
    wv1: np.ndarray
    theta1: np.ndarray
    c: float
    T: int
    delta: float
    runs: int
    seed: int = 0
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("X", "y", "p"):
            a = getattr(self, name)
            if not (isinstance(a, np.ndarray) and a.dtype == object):
                a = np.asarray(a, dtype=np.float64)
                if not np.all(np.isfinite(a)):
                    raise ValueError(f"argument {name!r}: contains NaN or inf")
                object.__setattr__(self, name, a)
        n = self.X.shape[0]
        if self.X.ndim != 2 or self.X.shape[1] != self.net.d or n < 1:
            raise ValueError(f"argument 'X': expected shape (n, {self.net.d}), got {self.X.shape}")
        if self.y.shape != (n,) or self.p.shape != (n,):
            raise ValueError(f"argument 'p': expected y and p of shape ({n},)")
        pf = B.to_float(self.p)
        if np.any(pf < 0) or abs(pf.sum() - 1) > 1e-12:
            raise ValueError("argument 'p': must be a probability vector (≥ 0, summing to 1)")
        self.loss.check_targets(self.y)
        check_parameters(self, self.net.d)
        check_repeated_runs(self)

    @property
    def targets(self):
        return self.y

    @property
    def comparator_dim(self):
        """The dimension of the comparator u, (u, 0) ∈ M1."""
        return self.net.d

    def linear_objective(self, u):
        """F_lin(u) = E[ℓ(uᵀx; y)] over the finite distribution."""
        return B.asum(self.p * self.loss.value(self.X @ u, self.y))

    def describe(self):
        n = self.net
        return (f"{self.meta.get('distribution', 'finite')} n={self.X.shape[0]} d={n.d} k={n.k} depth={n.depth} "
                f"loss={self.loss.name} T={self.T} runs={self.runs} δ={float(self.delta):.3g} c={float(self.c):.3g}")


# -- Sec. 5: "h_t(w, v, θ) is always differentiable with respect to w, v" ---------------------------------
def h_value(loss: Loss, net: ResidualNet, x, y, wv, theta):
    """(h, q, z): h_t(w, v, θ) = ℓ(wᵀx + vᵀf_θ(x); y) at one sample (x, y), its prediction q and
    z = (x, f_θ(x)), so that q = ⟨(w, v), z⟩ (in the arithmetic of the arguments)."""
    phi, _ = net.forward_one(np.asarray(theta)[None, :], np.asarray(x)[None, :])
    z = np.concatenate([np.asarray(x), phi[0]])
    q = B.asum(np.asarray(wv) * z)
    return loss.value(np.array([q]), np.array([y]))[0], q, z


def difference_step(like):
    """The difference-quotient step h = u^{1/3} of the arithmetic of ``like`` (u its unit roundoff):
    it balances the truncation O(h) against the rounding O(u/h) of a one-sided quotient."""
    if B.is_mp(like):
        import mpmath  # (local: the module is float64/mpmath-agnostic elsewhere, through ``backend``)
        return mpmath.mpf(2) ** (-(mpmath.mp.prec // 3))
    return 2.0 ** -18


def one_sided_quotients(fn, a, steps):
    """Per coordinate i: (D⁺_i, D⁻_i) = ((fn(a + s_i e_i) − fn(a))/s_i, (fn(a) − fn(a − s_i e_i))/s_i),
    and fn(a) (``a`` a vector, ``steps`` the s_i)."""
    f0 = fn(a)
    plus, minus = [], []
    for i in range(len(a)):
        e = 0 * a
        e[i] = steps[i]
        plus.append((fn(a + e) - f0) / steps[i])
        minus.append((f0 - fn(a - e)) / steps[i])
    return plus, minus, f0
