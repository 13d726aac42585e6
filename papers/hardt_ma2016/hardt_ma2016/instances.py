"""Instance types of Hardt & Ma (2016), Section 2, registered for JSON replay (``Instance`` subclasses
register under their class name; ``theorems.core.serialization.instance_from_json`` finds them).

``ResNetPoint``: a finite weighted sample (rows x_i of ``X``, probabilities ``p``), a target map R
(d × d), a parameter tensor A (ℓ × d × d), a radius τ with A ∈ 𝓑_τ where a claim needs one, and
claim-specific arrays in ``extras`` (a direction ``D``, a second tensor ``A2``, root signs ``signs``).
``DepthTarget``: Theorem 2.1's data — R, a depth ℓ and the sample (the optimum A⋆ is constructed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mpmath
import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import ARRAY, ARRAY_DICT, INT, MP_SCALAR, Instance

__all__ = ["ResNetPoint", "DepthTarget", "check_sample"]


def _arr(name, a, shape=None, ndim=None):
    a = np.asarray(a)
    if a.dtype != object:
        a = np.asarray(a, dtype=np.float64)
        if not np.all(np.isfinite(a)):
            raise ValueError(f"argument {name!r}: entries must be finite")
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"argument {name!r}: expected {ndim} dimensions, got shape {a.shape}")
    if shape is not None and a.shape != shape:
        raise ValueError(f"argument {name!r}: expected shape {shape}, got {a.shape}")
    return a


def check_sample(X, p):
    """(X, p) validated: X is n × d with n, d ≥ 1, p a probability vector of length n."""
    X = _arr("X", X, ndim=2)
    n, d = X.shape
    if n < 1 or d < 1:
        raise ValueError(f"argument 'X': needs n ≥ 1 samples of dimension d ≥ 1, got shape {X.shape}")
    p = _arr("p", p, shape=(n,))
    if any(v < 0 for v in p.tolist()):
        raise ValueError("argument 'p': probabilities must be non-negative")
    if abs(float(B.asum(p)) - 1.0) > 1e-12:
        raise ValueError(f"argument 'p': probabilities must sum to 1, got {float(B.asum(p))!r}")
    return X, p


@dataclass(frozen=True, eq=False, repr=False)
class ResNetPoint(Instance):
    CODECS = {"X": ARRAY, "p": ARRAY, "R": ARRAY, "A": ARRAY, "tau": MP_SCALAR, "extras": ARRAY_DICT}
    # how the engine's polish and post-shrink simplify move a point: p through log-weights (a valid
    # law at every step); root signs (±1) and the indices of −Id slices never move; a witness may
    # lose a sample, a dimension (every d-sized axis at once) or a layer (A with its D and A2)
    PROBABILITY = ("p",)
    FROZEN = ("extras[signs]", "extras[singular_slices]")
    AXES = {"samples": {"X": 0, "p": 0},
            "dims": {"X": 1, "R": (0, 1), "A": (1, 2), "extras[D]": (1, 2), "extras[A2]": (1, 2), "extras[signs]": 0},
            "layers": {"A": 0, "extras[D]": 0, "extras[A2]": 0}}

    X: np.ndarray
    p: np.ndarray
    R: np.ndarray
    A: np.ndarray
    tau: object = 0.5
    extras: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        X, p = check_sample(self.X, self.p)
        d = X.shape[1]
        R = _arr("R", self.R, shape=(d, d))
        A = _arr("A", self.A, ndim=3)
        if A.shape[0] < 1 or A.shape[1:] != (d, d):
            raise ValueError(f"argument 'A': expected shape (ℓ, {d}, {d}) with ℓ ≥ 1, got {A.shape}")
        tau = self.tau
        if not isinstance(tau, mpmath.mpf):
            tau = float(tau)
            if not math.isfinite(tau) or tau < 0:
                raise ValueError(f"argument 'tau': must be a finite τ ≥ 0, got {self.tau!r}")
        for k, v in self.extras.items():
            _arr(f"extras[{k!r}]", v)
        for name, v in (("X", X), ("p", p), ("R", R), ("A", A), ("tau", tau)):
            object.__setattr__(self, name, v)

    @property
    def is_mp(self) -> bool:
        return B.is_mp(self.X)

    @property
    def d(self) -> int:
        return self.X.shape[1]

    @property
    def ell(self) -> int:
        return self.A.shape[0]

    @property
    def n(self) -> int:
        return self.X.shape[0]

    def describe(self) -> str:
        corner = self.meta.get("corner")
        return (f"n={self.n} d={self.d} ℓ={self.ell} τ={float(self.tau):.6g}"
                + (f" corner={corner}" if corner else ""))


@dataclass(frozen=True, eq=False, repr=False)
class DepthTarget(Instance):
    CODECS = {"R": ARRAY, "ell": INT, "X": ARRAY, "p": ARRAY}
    PROBABILITY = ("p",)                # polished through log-weights, uniform when simplified
    AXES = {"samples": {"X": 0, "p": 0}, "dims": {"X": 1, "R": (0, 1)}}

    R: np.ndarray
    ell: int
    X: np.ndarray
    p: np.ndarray
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        X, p = check_sample(self.X, self.p)
        d = X.shape[1]
        R = _arr("R", self.R, shape=(d, d))
        if not isinstance(self.ell, (int, np.integer)) or isinstance(self.ell, bool) or self.ell < 1:
            raise ValueError(f"argument 'ell': the depth ℓ must be an int ≥ 1, got {self.ell!r}")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "p", p)
        object.__setattr__(self, "R", R)
        object.__setattr__(self, "ell", int(self.ell))

    @property
    def is_mp(self) -> bool:
        return B.is_mp(self.R)

    @property
    def d(self) -> int:
        return self.R.shape[0]

    def describe(self) -> str:
        return f"d={self.d} ℓ={self.ell} n={self.X.shape[0]}" + (
            f" corner={self.meta['corner']}" if self.meta.get("corner") else "")
