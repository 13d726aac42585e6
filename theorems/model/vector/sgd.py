"""Projected SGD for the vector skip-to-output architecture x ↦ W x + U f_θ(x) (Sec. 5, Appendix A).

Appendix A (last paragraph): "it is straightforward to derive a vector-valued version of Thm. 4
(using stochastic gradient descent over the matrices W, V instead of w, v)". Here U ∈ R^{m×k} is
the output matrix of the features, h_t(W, U) = ℓ(W x_t + U f_θt(x_t); y_t), M₁ = {‖(W, U)‖_Fr ≤ b}
and the projected steps (W, U)_{t+1} = Π_{M₁}((W, U)_t − η ∇h_t) of Theorem 5 / Eq. (18).
``SGDRun`` is one instance of that setting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from theorems.core import backend as B
from theorems.core.memo import BoundedMemo, array_key
from theorems.core.serialization import ARRAY, MP_SCALAR, Instance

from ..sample import check_array
from .losses import VectorLoss
from .point import VECTOR_LOSS, flatten, unflatten

__all__ = ["skip_predictions", "project_ball", "projected_sgd", "projected_sgd_losses", "SGDRun"]


def skip_predictions(W, U, X, Phi):
    """Rows W x_t + U f_θt(x_t) of the vector skip-connection architecture (Sec. 5, Appendix A)."""
    return X @ W.T + Phi @ U.T


def project_ball(W, U, b):
    """Euclidean projection of (W, U) (one long vector) on the Frobenius ball of radius b."""
    r = B.norm(W, U)
    if r <= b:
        return W, U
    return W * (b / r), U * (b / r)


def projected_sgd(loss: VectorLoss, X, Phi, Y, *, b, eta, W1, U1):
    """Projected (online) gradient steps on h_t(W, U) = ℓ(W x_t + U φ_t; y_t), t = 1..T.

    Returns (iterates [(W_t, U_t)] for t = 1..T, losses [h_t(W_t, U_t)]). Rows of X, Phi, Y are
    the sampled (x_t, f_θt(x_t), y_t); θ_t may change arbitrarily between rounds (Phi is given).

    The losses are evaluated after the loop, in one call of ℓ over the T prediction rows: every
    vector loss works row by row (elementwise operations, row sums left to right,
    ``losses._row_sums``), so h_t is the same number as ℓ evaluated at step t alone
    (``tests/test_theorem4_vector.py`` pins the equality), at a fraction of the calls."""
    W, U = W1, U1
    its, rows = [], []
    for t in range(X.shape[0]):
        x, phi, y = X[t:t + 1], Phi[t:t + 1], Y[t:t + 1]
        pt = skip_predictions(W, U, x, phi)
        its.append((W, U))
        rows.append(pt)
        g = loss.grad(pt, y)                      # 1 × m
        W, U = project_ball(W - eta * (g.T @ x), U - eta * (g.T @ phi), b)
    return its, list(loss.value(np.vstack(rows), Y))


# runs kept by ``projected_sgd_losses`` (the polish of ``theorem6.vector_sgd`` moves the comparator W_c,
# which leaves the run unchanged, in one coordinate in ten)
_LOSSES_CACHE = BoundedMemo(64)


def projected_sgd_losses(loss: VectorLoss, X, Phi, Y, *, b, eta, W1, U1):
    """The losses h_t(W_t, U_t), t = 1..T, of ``projected_sgd``, as an array; float64 runs are
    memoised on their full content (the loss object, the exact bytes of every array, b and η) and
    returned read-only."""
    if B.is_mp(X, Phi, Y, W1, U1, b, eta):
        return np.array(projected_sgd(loss, X, Phi, Y, b=b, eta=eta, W1=W1, U1=U1)[1], dtype=object)
    X, Phi, Y, W1, U1 = (np.asarray(a, dtype=np.float64) for a in (X, Phi, Y, W1, U1))
    key = (loss, float(b), float(eta)) + tuple(array_key(a) for a in (X, Phi, Y, W1, U1))
    hs = _LOSSES_CACHE.get(key)
    if hs is None:
        hs = np.asarray(projected_sgd(loss, X, Phi, Y, b=b, eta=eta, W1=W1, U1=U1)[1], dtype=np.float64)
        hs.setflags(write=False)
        _LOSSES_CACHE.put(key, hs)
    return hs


@dataclass(frozen=True, eq=False, repr=False)
class SGDRun(Instance):
    """One run of projected SGD for the vector skip architecture x ↦ W x + U f_θ(x).

    Rows t of X, Phi, Y are the sampled (x_t, f_θt(x_t), y_t) (θ_t arbitrary), b the radius of
    the Frobenius ball M₁ = {(W, U): ‖(W, U)‖_Fr ≤ b}, η = c·b/(l√T) the step size, (W1, U1) the
    start and W_c the comparator linear predictor ((W_c, 0) ∈ M₁)."""

    CODECS = {"loss": VECTOR_LOSS, "X": ARRAY, "Phi": ARRAY, "Y": ARRAY, "b": MP_SCALAR, "c": MP_SCALAR,
              "W1": ARRAY, "U1": ARRAY, "W_c": ARRAY}

    loss: VectorLoss
    X: np.ndarray
    Phi: np.ndarray
    Y: np.ndarray
    b: object
    c: object
    W1: np.ndarray
    U1: np.ndarray
    W_c: np.ndarray
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.loss, VectorLoss):
            raise TypeError(f"argument 'loss': expected a VectorLoss, got {type(self.loss).__name__}")
        X = check_array("X", self.X, ndim=2)
        T, d = X.shape
        if T < 1 or d < 1:
            raise ValueError(f"argument 'X': needs T ≥ 1 rounds and d ≥ 1, got shape {X.shape}")
        Phi = check_array("Phi", self.Phi, ndim=2)
        Y = check_array("Y", self.Y, ndim=2)
        if Phi.shape[0] != T or Y.shape[0] != T or Phi.shape[1] < 1 or Y.shape[1] < 1:
            raise ValueError(f"arguments 'Phi', 'Y': expected ({T}, k) and ({T}, m), got {Phi.shape}, {Y.shape}")
        m, k = Y.shape[1], Phi.shape[1]
        self.loss.check_targets(Y)
        for name, v in (("b", self.b), ("c", self.c)):
            if not float(v) > 0 or not math.isfinite(float(v)):
                raise ValueError(f"argument {name!r}: must be finite and > 0, got {v!r}")
        vals = dict(X=X, Phi=Phi, Y=Y, W1=check_array("W1", self.W1, (m, d)),
                    U1=check_array("U1", self.U1, (m, k)), W_c=check_array("W_c", self.W_c, (m, d)))
        for name, v in vals.items():
            object.__setattr__(self, name, v)

    T = property(lambda self: self.X.shape[0])
    is_mp = property(lambda self: self.X.dtype == object)

    def _parts(self):
        parts = [("X", self.X), ("Phi", self.Phi), ("W1", self.W1), ("U1", self.U1), ("W_c", self.W_c)]
        return parts + ([("Y", self.Y)] if self.loss.targets == "real" else [])

    def to_vector(self) -> np.ndarray:
        return flatten(self._parts())

    def from_vector(self, x) -> "SGDRun":
        return replace(self, **unflatten(self._parts(), x))

    def describe(self) -> str:
        return (f"T={self.T} d={self.X.shape[1]} m={self.Y.shape[1]} k={self.Phi.shape[1]} loss={self.loss.name} "
                f"b={float(self.b):.3g} c={float(self.c):.3g}"
                + (f" corner={self.meta['corner']}" if "corner" in self.meta else ""))
