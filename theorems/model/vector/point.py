"""``VectorPoint``: one instance of Appendix A — a sample, a vector loss and a point (W, V, W*).

Like ``Point`` for Section 3, it serializes to JSON exactly, converts exactly to mpmath for
high-precision re-evaluation, and flattens to a vector of free real parameters so that the audit
can polish a tight instance (probabilities through log-weights, so every vector maps to a valid p).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import ARRAY, ARRAY_DICT, OPTIONAL_ARRAY, Instance, nested

from ..sample import check_array
from .losses import VectorLoss, by_name, from_spec
from .sample import VectorSample, check_vector_arguments

__all__ = ["VectorPoint", "random_vector_point", "VECTOR_LOSS", "flatten", "unflatten"]

VECTOR_LOSS = nested(lambda loss: loss.spec, from_spec, lambda loss: loss)
VECTOR_SAMPLE = nested(VectorSample.to_json, VectorSample.from_json)


def flatten(parts) -> np.ndarray:
    """The named arrays ``parts`` ([(name, array)]) as one float64 vector."""
    return np.concatenate([np.asarray(B.to_float(a), dtype=float).reshape(-1) for _, a in parts])


def unflatten(parts, x) -> dict:
    """{name: array} read back from the vector ``x`` in the layout of ``parts``."""
    x = np.asarray(x, dtype=float)
    vals, i = {}, 0
    for name, a in parts:
        vals[name] = x[i:i + a.size].reshape(a.shape)
        i += a.size
    return vals


@dataclass(frozen=True, eq=False, repr=False)
class VectorPoint(Instance):
    """One instance of Appendix A: a sample, a vector loss and a point (W, V, W*)."""

    CODECS = {"sample": VECTOR_SAMPLE, "loss": VECTOR_LOSS, "W": ARRAY, "V": ARRAY, "W_star": OPTIONAL_ARRAY,
              "extras": ARRAY_DICT}

    sample: VectorSample
    loss: VectorLoss
    W: np.ndarray
    V: np.ndarray
    W_star: np.ndarray | None = None
    extras: dict = field(default_factory=dict)   # claim-specific arrays (a direction, probe starts)
    meta: dict = field(default_factory=dict)     # description only (feature map, corner)

    def __post_init__(self):
        s = self.sample
        if not isinstance(s, VectorSample):
            raise TypeError(f"argument 'sample': expected a VectorSample, got {type(s).__name__}")
        if not isinstance(self.loss, VectorLoss):
            raise TypeError(f"argument 'loss': expected a VectorLoss, got {type(self.loss).__name__}")
        self.loss.check_targets(s.Y)
        W, V = check_vector_arguments(s, self.loss, self.W, self.V)
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "V", V)
        if self.W_star is not None:
            object.__setattr__(self, "W_star", check_vector_arguments(s, self.loss, W_star=self.W_star)[0])
        object.__setattr__(self, "extras", {k: check_array(f"extras[{k!r}]", v) for k, v in self.extras.items()})

    is_mp = property(lambda self: self.sample.is_mp)

    @property
    def dims(self) -> tuple[int, int, int, int]:
        """(n, d, m, k): sample size, input dimension, outputs, features."""
        s = self.sample
        return s.n, s.d, s.m, s.k

    def _parts(self):
        s = self.sample
        parts = [("X", s.X), ("Phi", s.Phi), ("W", self.W), ("V", self.V)]
        if self.W_star is not None:
            parts.append(("W_star", self.W_star))
        if self.loss.targets == "real":
            parts.append(("Y", s.Y))
        parts += [(f"extra:{k}", v) for k, v in sorted(self.extras.items())]
        parts.append(("logp", np.log(np.maximum(B.to_float(s.p), 1e-300))))
        return parts

    def to_vector(self) -> np.ndarray:
        return flatten(self._parts())

    def from_vector(self, x) -> "VectorPoint":
        vals = unflatten(self._parts(), x)
        p = np.exp(vals["logp"] - np.max(vals["logp"]))
        s = self.sample
        sample = VectorSample(vals["X"], vals.get("Y", s.Y), p / p.sum(), vals["Phi"])
        return replace(self, sample=sample, W=vals["W"], V=vals["V"], W_star=vals.get("W_star"),
                       extras={k: vals[f"extra:{k}"] for k in self.extras})

    def describe(self) -> str:
        s = self.sample
        return (f"n={s.n} d={s.d} m={s.m} k={s.k} loss={self.loss.name}"
                + (f" corner={self.meta['corner']}" if "corner" in self.meta else ""))


def random_vector_point(seed: int = 0, *, loss: str = "softmax_ce", n: int = 4, d: int = 3, m: int = 2,
                        k: int = 2, extras: dict | None = None) -> VectorPoint:
    """A deterministic example instance (numpy RNG) with W of full row rank when m ≤ d."""
    rng = np.random.default_rng(seed)
    lo = by_name(loss)
    X = rng.normal(size=(n, d))
    Phi = np.maximum(X @ rng.normal(size=(d, k)), 0.0) + 0.1
    pr = rng.uniform(0.5, 1.5, size=n)
    if lo.targets == "one-hot":
        s = VectorSample.from_labels(X, rng.integers(0, m, size=n), m, pr / pr.sum(), Phi)
    else:
        s = VectorSample(X, rng.normal(size=(n, m)), pr / pr.sum(), Phi)
    ex = {name: rng.normal(size=shape) for name, shape in (extras or {}).items()}
    return VectorPoint(s, lo, rng.normal(size=(m, d)), rng.normal(size=(d, k)), rng.normal(size=(m, d)), ex,
                       {"corner": "generic"})
