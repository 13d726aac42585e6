"""The vector-valued version of Theorem 4 (Appendix A, last paragraph: "using stochastic gradient
descent over the matrices W, V instead of w, v"): x ↦ W x + U f_θ(x), W ∈ R^{m×d}, U ∈ R^{m×k},
trained by projected SGD on (W, U) (θ by backpropagation), as instances.

- ``VectorSGDExperiment``: ``runs`` independent runs of length T on i.i.d. samples from a finite
  distribution (X, Y, p), (W, U) laid out as (vec W, vec U) (row-major, ``training.sgd_runs``);
  the same fields, checks and JSON as ``skip_sgd.SGDExperiment``, with targets ``Y`` (n, m).
- ``sgd_run_lipschitz(run)``: a Lipschitz constant of every h_t(W, U) = ℓ(W x_t + U φ_t; y_t) on
  M₁ = {‖(W, U)‖_Fr ≤ b} for a ``vector.SGDRun``: ∇_{(W,U)} h_t = ∇ℓ(p)(x_t, φ_t)ᵀ has Frobenius
  norm ‖∇ℓ(p)‖·‖(x_t, φ_t)‖, and ‖p‖ ≤ b‖(x_t, φ_t)‖ on M₁, so l = max_t ‖(x_t, φ_t)‖·L_t with
  L_t = grad_sup(b‖(x_t, φ_t)‖; y_t) (√2 for softmax cross-entropy, b‖(x_t, φ_t)‖ + ‖y_t‖ for
  ½‖p − y‖², weighted sums for combinations).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import ARRAY, Instance

from .. import vector as VM
from ..residual_net import ResidualNet
from ..sample import check_array
from ..skip_sgd import EXPERIMENT_CODECS, check_parameters, check_repeated_runs
from .point import VECTOR_LOSS

__all__ = ["VectorSGDExperiment", "sgd_run_lipschitz"]


@dataclass(frozen=True, eq=False, repr=False)
class VectorSGDExperiment(Instance):
    """``runs`` independent SGD runs of length T for x ↦ W x + U f_θ(x) on i.i.d. samples from the
    finite distribution (X, Y, p); ``wv1`` = (vec W₁, vec U₁) (row-major, length m(d + k)), θ₁ ∈ M2."""

    CODECS = dict(EXPERIMENT_CODECS, Y=ARRAY, loss=VECTOR_LOSS)

    X: np.ndarray            # (n, d) support
    Y: np.ndarray            # (n, m) targets (one-hot rows for softmax cross-entropy)
    p: np.ndarray            # (n,) probabilities
    loss: VM.VectorLoss
    net: ResidualNet
    M1: object               # closed convex set in R^(m(d+k)), coordinates (vec W, vec U)
    M2: object               # closed convex set in R^P (θ)
    wv1: np.ndarray
    theta1: np.ndarray
    c: float
    T: int
    delta: float
    runs: int
    seed: int = 0
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.loss, VM.VectorLoss):
            raise TypeError(f"argument 'loss': expected a VectorLoss, got {type(self.loss).__name__}")
        if not isinstance(self.net, ResidualNet):
            raise TypeError(f"argument 'net': expected a ResidualNet, got {type(self.net).__name__}")
        X = check_array("X", self.X, ndim=2)
        n, d = X.shape
        if n < 1 or d != self.net.d:
            raise ValueError(f"argument 'X': expected shape (n, {self.net.d}) with n ≥ 1, got {X.shape}")
        Y = check_array("Y", self.Y, ndim=2, hypothesis="one target vector y_i ∈ R^m per support point")
        if Y.shape[0] != n or Y.shape[1] < 1:
            raise ValueError(f"argument 'Y': expected shape ({n}, m) with m ≥ 1, got {Y.shape}")
        p = check_array("p", self.p, (n,), hypothesis="one probability per support point")
        pf = B.to_float(p)
        if np.any(pf < 0) or abs(pf.sum() - 1) > 1e-12:
            raise ValueError("argument 'p': must be a probability vector (≥ 0, summing to 1)")
        for name, v in (("X", X), ("Y", Y), ("p", p)):
            object.__setattr__(self, name, v)
        self.loss.check_targets(Y)
        check_parameters(self, d, Y.shape[1])
        check_repeated_runs(self)

    m = property(lambda self: self.Y.shape[1])

    @property
    def targets(self):
        return self.Y

    @property
    def comparator_dim(self):
        """The dimension of vec W_c, (W_c, 0) ∈ M1."""
        return self.m * self.net.d

    def linear_objective(self, a):
        """F_lin(W_c) = E[ℓ(W_c x; y)] for W_c = the m × d matrix of ``a`` (row-major)."""
        W_c = a.reshape(self.m, self.net.d)
        return B.asum(self.p * self.loss.value(self.X @ W_c.T, self.Y))

    def describe(self):
        n = self.net
        return (f"{self.meta.get('distribution', 'finite')} n={self.X.shape[0]} d={n.d} m={self.m} k={n.k} "
                f"depth={n.depth} loss={self.loss.name} T={self.T} runs={self.runs} δ={float(self.delta):.3g} "
                f"c={float(self.c):.3g}")


def sgd_run_lipschitz(run):
    """l = max_t ‖(x_t, φ_t)‖·L_t, a Lipschitz constant of every h_t on M₁ (module docstring)."""
    if B.is_mp(run.X, run.Phi):
        norms = [B.norm(run.X[t], run.Phi[t]) for t in range(run.T)]
    else:       # B.norm(x_t, φ_t) row by row: the same math.hypot of the same entries
        norms = [math.hypot(*row) for row in np.concatenate([run.X, run.Phi], axis=1).tolist()]
    best = None
    for t, a in enumerate(norms):
        l_t = a * run.loss.grad_sup(run.b * a, run.Y[t])
        best = l_t if best is None or l_t > best else best
    return best
