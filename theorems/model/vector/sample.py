"""The finite weighted sample of Appendix A's vector-valued model, and the shape checks of (W, V, W*).

``VectorSample(X, Y, p, Phi)``: rows x_i of X (n × d), target rows y_i ∈ R^m of Y (n × m),
probabilities p_i (≥ 0, summing to 1; written π in ``theorems.model.vector.objective`` to keep p for
predictions) and ``Phi[i] = f_θ(x_i)`` (n × k) at the fixed θ. Expectations E_{x,y}[·] are
weighted sums Σ_i p_i (·). W ∈ R^{m×d}, V ∈ R^{d×k} and W* of the size of W (Appendix A).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B

from ..sample import check_array, check_weighted_rows
from .losses import VectorLoss

__all__ = ["VectorSample", "check_vector_arguments"]


@dataclass(frozen=True, eq=False)
class VectorSample:
    """Rows x_i of X (n × d), target rows Y (n × m), weights p (n, sum 1), Phi[i] = f_θ(x_i) (n × k)."""

    X: np.ndarray
    Y: np.ndarray
    p: np.ndarray
    Phi: np.ndarray

    def __post_init__(self):
        X, p, Phi = check_weighted_rows(self.X, self.p, self.Phi)
        n = X.shape[0]
        Y = check_array("Y", self.Y, ndim=2, hypothesis="one target vector y_i ∈ R^m per row of X")
        if Y.shape[0] != n or Y.shape[1] < 1:
            raise ValueError(f"argument 'Y': expected shape ({n}, m) with m ≥ 1, got {Y.shape}")
        for name, v in (("X", X), ("Y", Y), ("p", p), ("Phi", Phi)):
            object.__setattr__(self, name, v)

    @classmethod
    def from_labels(cls, X, labels, m: int, p, Phi) -> "VectorSample":
        """Class indices in {0, …, m−1} become one-hot target rows."""
        labels = np.asarray(labels)
        if labels.ndim != 1 or not np.all(np.equal(np.mod(labels, 1), 0)) or np.any(labels < 0) \
                or np.any(labels >= m):
            raise ValueError(f"argument 'labels': expected class indices in {{0, …, {m - 1}}}, got {labels!r}")
        Y = np.zeros((labels.size, m))
        Y[np.arange(labels.size), labels.astype(int)] = 1.0
        return cls(X, Y, p, Phi)

    n = property(lambda self: self.X.shape[0])
    d = property(lambda self: self.X.shape[1])
    k = property(lambda self: self.Phi.shape[1])
    m = property(lambda self: self.Y.shape[1])
    is_mp = property(lambda self: self.X.dtype == object)

    def restrict(self, *, rows=None, dims=None, outputs=None, features=None) -> "VectorSample":
        """The sample on the kept rows (p renormalised), input coordinates, outputs and features
        (boolean masks, None keeps all): the post-shrink pass's smaller candidates. Raises
        ValueError when the kept rows carry no probability."""
        X, Y, p, Phi = self.X, self.Y, self.p, self.Phi
        if rows is not None:
            X, Y, Phi, p = X[rows], Y[rows], Phi[rows], p[rows]
            total = B.asum(p)
            if not float(B.to_float(total)) > 0:
                raise ValueError("argument 'rows': the kept rows have probability 0, but p must sum to 1")
            p = p / total
        if dims is not None:
            X = X[:, dims]
        if outputs is not None:
            Y = Y[:, outputs]
        if features is not None:
            Phi = Phi[:, features]
        return VectorSample(X, Y, p, Phi)

    def to_mp(self) -> "VectorSample":
        return VectorSample(B.to_mp(self.X), B.to_mp(self.Y), B.to_mp(self.p), B.to_mp(self.Phi))

    def to_float(self) -> "VectorSample":
        """The nearest float64 sample (the sample itself when it is float64)."""
        return VectorSample(B.to_float(self.X), B.to_float(self.Y), B.to_float(self.p), B.to_float(self.Phi))

    def to_json(self) -> dict:
        f = lambda a: B.to_float(a).tolist()
        return {"X": f(self.X), "Y": f(self.Y), "p": f(self.p), "Phi": f(self.Phi)}

    @classmethod
    def from_json(cls, d: dict) -> "VectorSample":
        a = lambda x: np.array(x, dtype=float)
        return cls(a(d["X"]), a(d["Y"]), a(d["p"]), a(d["Phi"]))


def check_vector_arguments(s, loss, W=None, V=None, W_star=None) -> list:
    """Check the types of ``s`` and ``loss`` and the shapes of the given W, V, W*; returns the
    given arrays (checked, in that order)."""
    if not isinstance(s, VectorSample):
        raise TypeError(f"argument 's': expected a VectorSample, got {type(s).__name__}")
    if not isinstance(loss, VectorLoss):
        raise TypeError(f"argument 'loss': expected a VectorLoss, got {type(loss).__name__}")
    out = []
    if W is not None:
        out.append(check_array("W", W, (s.m, s.d), hypothesis="W ∈ R^{m×d} maps x + V f_θ(x) to R^m"))
    if V is not None:
        out.append(check_array("V", V, (s.d, s.k), hypothesis="V ∈ R^{d×k} maps f_θ(x) to R^d"))
    if W_star is not None:
        out.append(check_array("W_star", W_star, (s.m, s.d), hypothesis="W* has the size of W"))
    return out
