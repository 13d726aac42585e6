"""``Point``: one instance of Section 3's setting — a sample, a loss and a point (w, V, w*).

Instances are plain data: they serialize to JSON exactly (Python floats round-trip through
``repr``), convert exactly to mpmath for high-precision re-evaluation, and flatten to a vector
of free real parameters so that the audit can polish a tight instance with a local optimizer
(the polished instance is always re-evaluated by the claim itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import ARRAY, ARRAY_DICT, OPTIONAL_ARRAY, Instance, nested

from . import losses as L
from .sample import Sample, check_array
from .simplify import projections, roundings

LOSS = nested(lambda loss: loss.spec, L.from_spec, lambda loss: loss)
SAMPLE = nested(Sample.to_json, Sample.from_json)

__all__ = ["Point", "random_point"]


@dataclass(frozen=True, eq=False, repr=False)
class Point(Instance):
    CODECS = {"sample": SAMPLE, "loss": LOSS, "w": ARRAY, "V": ARRAY, "w_star": OPTIONAL_ARRAY,
              "extras": ARRAY_DICT}

    sample: Sample
    loss: L.Loss
    w: np.ndarray
    V: np.ndarray
    w_star: np.ndarray | None = None
    extras: dict = field(default_factory=dict)   # claim-specific arrays (e.g. a direction)
    meta: dict = field(default_factory=dict)     # description only (feature map, ...)

    def __post_init__(self):
        s = self.sample
        if not isinstance(s, Sample):
            raise TypeError(f"argument 'sample': expected a Sample, got {type(s).__name__}")
        if not isinstance(self.loss, L.Loss):
            raise TypeError(f"argument 'loss': expected a Loss, got {type(self.loss).__name__}")
        self.loss.check_targets(s.y)
        object.__setattr__(self, "w", check_array("w", self.w, (s.d,), hypothesis="w ∈ R^d"))
        object.__setattr__(self, "V", check_array("V", self.V, (s.d, s.k), hypothesis="V ∈ R^{d×k}"))
        if self.w_star is not None:
            object.__setattr__(self, "w_star", check_array("w_star", self.w_star, (s.d,),
                                                           hypothesis="w* has the dimension of w"))
        ex = {}
        for k, v in self.extras.items():
            ex[k] = check_array(f"extras[{k!r}]", v)
        object.__setattr__(self, "extras", ex)

    @property
    def is_mp(self) -> bool:
        return self.sample.is_mp

    def simpler_moves(self):
        """The engine's post-shrink candidates, in order: fewer samples/dimensions/features, then
        simpler values (``theorems.model.simplify``)."""
        return (projections, roundings)

    # -- free parameters (for polishing) -----------------------------------------------
    def _parts(self):
        s = self.sample
        parts = [("X", s.X), ("Phi", s.Phi), ("w", self.w), ("V", self.V)]
        if self.w_star is not None:
            parts.append(("w_star", self.w_star))
        if self.loss.y_domain == "real":
            parts.append(("y", s.y))
        parts += [(f"extra:{k}", v) for k, v in sorted(self.extras.items())]
        # probabilities through log-weights, so every vector maps to a valid p
        parts.append(("logp", np.log(np.maximum(B.to_float(s.p), 1e-300))))
        return parts

    def to_vector(self) -> np.ndarray:
        return np.concatenate([np.asarray(B.to_float(a), dtype=np.float64).reshape(-1)
                               for _, a in self._parts()])

    def from_vector(self, x) -> "Point":
        x = np.asarray(x, dtype=np.float64)
        vals, i = {}, 0
        for name, a in self._parts():
            vals[name] = x[i:i + a.size].reshape(a.shape)
            i += a.size
        logp = vals["logp"] - np.max(vals["logp"])
        p = np.exp(logp)
        p = p / p.sum()
        s = self.sample
        sample = Sample(vals["X"], vals.get("y", s.y), p, vals["Phi"])
        return replace(self, sample=sample, w=vals["w"], V=vals["V"],
                       w_star=vals.get("w_star"),
                       extras={k: vals[f"extra:{k}"] for k in self.extras})

    def describe(self) -> str:
        s = self.sample
        return (f"n={s.n} d={s.d} k={s.k} loss={self.loss.name}"
                + (f" f={self.meta['feature_map']}" if "feature_map" in self.meta else ""))


def random_point(seed: int = 0, *, loss: str = "squared", n: int = 4, d: int = 3, k: int = 2,
                 feature: str = "relu", depth: int = 2, extras: dict | None = None) -> Point:
    """A deterministic example instance (numpy RNG), used by ``Claim.example()``."""
    from . import features as FM

    rng = np.random.default_rng(seed)
    lo = L.by_name(loss)
    X = rng.normal(size=(n, d))
    f = FM.network(feature, d, depth=depth, width=k, seed=seed)
    Phi = f(X)
    y = rng.choice([-1.0, 1.0], size=n) if lo.y_domain == "pm1" else rng.normal(size=n)
    p = rng.uniform(0.5, 1.5, size=n)
    s = Sample(X, y, p / p.sum(), Phi)
    ex = {name: rng.normal(size=shape) for name, shape in (extras or {}).items()}
    return Point(s, lo, rng.normal(size=d), rng.normal(size=(d, f.out_dim)), rng.normal(size=d), ex,
                 {"feature_map": f.describe(), "corner": "generic"})
