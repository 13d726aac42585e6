"""A finite weighted sample standing for the data distribution of Eq. (2).

``Sample(X, y, p, Phi)``: rows x_i of X (n × d), targets y_i, probabilities p_i (≥ 0, summing
to 1) and ``Phi[i] = f_θ(x_i)`` (n × k) at the fixed θ. Expectations E_{x,y}[·] are weighted
sums Σ_i p_i (·).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B

__all__ = ["Sample", "check_array"]


def check_array(name: str, a, shape: tuple | None = None, *, ndim: int | None = None,
                hypothesis: str = "") -> np.ndarray:
    """Validate a numeric array argument: shape, and finite entries. Returns the array.

    float input becomes float64; mpmath object arrays are kept as they are.
    """
    if isinstance(a, np.ndarray) and a.dtype == object:
        arr = a
    else:
        try:
            arr = np.asarray(a, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"argument {name!r}: expected a real array, got {type(a).__name__}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"argument {name!r}: expected a {ndim}-d array, got shape {arr.shape}"
                         + (f" ({hypothesis})" if hypothesis else ""))
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"argument {name!r}: expected shape {tuple(shape)}, got {arr.shape}"
                         + (f" ({hypothesis})" if hypothesis else ""))
    if arr.dtype != object and not np.all(np.isfinite(arr)):
        raise ValueError(f"argument {name!r}: contains NaN or inf; every input must be finite "
                         "(numerics policy: NaN/inf never reach a predicate)")
    return arr


def check_weighted_rows(X, p, Phi):
    """The validation a sample's rows share, scalar targets or vector ones (``VectorSample``):
    X (n × d, n, d ≥ 1), a probability vector p over the rows, Phi (n × k, k ≥ 1) with
    Phi[i] = f_θ(x_i). Returns the checked arrays."""
    X = check_array("X", X, ndim=2)
    n, d = X.shape
    if n < 1 or d < 1:
        raise ValueError(f"argument 'X': needs at least one row and one column, got shape {X.shape}")
    p = check_array("p", p, (n,), hypothesis="one probability per row of X")
    Phi = check_array("Phi", Phi, ndim=2)
    if Phi.shape[0] != n or Phi.shape[1] < 1:
        raise ValueError(f"argument 'Phi': expected shape ({n}, k) with k ≥ 1 (Phi[i] = f_θ(x_i)), "
                         f"got {Phi.shape}")
    pf = B.to_float(p)
    if np.any(pf < 0):
        raise ValueError(f"argument 'p': p must be a probability vector, but has negative entries "
                         f"{pf[pf < 0][:3].tolist()}")
    total = B.asum(p)
    if abs(float(total) - 1.0) > 1e-12 * max(n, 1) and p.dtype != object:
        raise ValueError(f"argument 'p': p must be a probability vector (sum 1), but sums to {float(total)!r}")
    return X, p, Phi


@dataclass(frozen=True, eq=False)
class Sample:
    X: np.ndarray
    y: np.ndarray
    p: np.ndarray
    Phi: np.ndarray

    def __post_init__(self):
        X, p, Phi = check_weighted_rows(self.X, self.p, self.Phi)
        y = check_array("y", self.y, (X.shape[0],), hypothesis="one target per row of X")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "p", p)
        object.__setattr__(self, "Phi", Phi)

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    @property
    def k(self) -> int:
        return self.Phi.shape[1]

    @property
    def is_mp(self) -> bool:
        return self.X.dtype == object

    def to_mp(self) -> "Sample":
        return Sample(B.to_mp(self.X), B.to_mp(self.y), B.to_mp(self.p), B.to_mp(self.Phi))

    def to_json(self) -> dict:
        f = B.to_float
        return {"X": f(self.X).tolist(), "y": f(self.y).tolist(), "p": f(self.p).tolist(),
                "Phi": f(self.Phi).tolist()}

    @classmethod
    def from_json(cls, d: dict) -> "Sample":
        return cls(np.array(d["X"], dtype=float), np.array(d["y"], dtype=float),
                   np.array(d["p"], dtype=float), np.array(d["Phi"], dtype=float))
