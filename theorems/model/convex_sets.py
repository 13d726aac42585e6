"""Closed convex sets with exact Euclidean projections (Theorem 5's X, Sec. 6.4; Theorem 4's
M1, M2, Sec. 5).

``Ball``, ``Box`` and ``Product`` project arrays of shape (..., dim) — one point per leading
index — on float64 and on mpmath object arrays alike:

- ball B(c, R): Π(x) = c + (x − c)·min(1, R/‖x − c‖)  (x itself when ‖x − c‖ ≤ R);
- box [lo, hi] (lo ≤ hi, lo = hi allowed): coordinatewise clipping;
- product X₁ × X₂ × …: blockwise projection (the Euclidean norm splits over blocks).

Each set also knows ``max_dist(z)`` = sup_{x∈X} ‖x − z‖ exactly (so ``max_norm()`` is the
smallest b with X ⊆ {‖x‖ ≤ b}, Theorem 4's and Theorem 5's b), ``diameter()`` = sup_{x,x'∈X}‖x − x'‖
exactly (the largest regret a Lipschitz sequence can cause is l·diameter per round) and ``argmin_linear(g)`` = a
minimiser of ⟨g, x⟩ over X. ``v_zero_slice(M1, d)`` is Theorem 4's comparator set
{u : (u, 0) ∈ M1}.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import nested

from .sample import check_array

__all__ = ["Ball", "Box", "Product", "CONVEX_SETS", "set_from_json", "float_set", "v_zero_slice", "last_axis_norms",
           "SET"]


def last_axis_norms(x):
    """‖x‖ along the last axis (float64 or mpf entries)."""
    s = np.sum(x * x, axis=-1)
    return B.sqrt(s)


@dataclass(frozen=True, eq=False)
class Ball:
    """Closed Euclidean ball {x : ‖x − center‖ ≤ radius}, radius ≥ 0."""

    center: np.ndarray
    radius: object

    def __post_init__(self):
        c = check_array("center", self.center, ndim=1)
        if c.size < 1:
            raise ValueError("argument 'center': a ball needs dimension ≥ 1")
        object.__setattr__(self, "center", c)
        r = self.radius
        if not B.is_mp(r):
            r = float(r)
            if not np.isfinite(r):
                raise ValueError(f"argument 'radius': must be finite, got {r}")
        if r < 0:
            raise ValueError(f"argument 'radius': a closed ball needs radius ≥ 0, got {float(r)}")
        object.__setattr__(self, "radius", r)

    kind = "ball"

    @property
    def dim(self):
        return self.center.size

    def project(self, x):
        x = np.asarray(x)
        diff = x - self.center
        if diff.dtype == np.float64 and not B.is_mp(self.radius):
            # float64 fast path (the SGD claims project R runs × T steps): the same arithmetic
            nrm = np.sqrt(np.sum(diff * diff, axis=-1))
            over = nrm > self.radius
            if not np.any(over):
                return x
            scale = np.where(over, self.radius / np.where(over, nrm, 1.0), 1.0)
            return np.where(over[..., None], self.center + diff * scale[..., None], x)
        nrm = last_axis_norms(diff)
        over = np.asarray(nrm > self.radius)
        one = 0 * nrm + 1
        scale = np.where(over, self.radius / np.where(over, nrm, one), one)
        # points inside are returned unchanged (exactly idempotent there)
        return np.where(over[..., None], self.center + diff * np.asarray(scale)[..., None], x)

    def contains(self, x, tol=0.0):
        return bool(np.all(np.asarray(last_axis_norms(np.asarray(x) - self.center) <= self.radius + tol)))

    def max_dist(self, z):
        return B.norm(np.asarray(z) - self.center) + self.radius

    def max_norm(self):
        return self.max_dist(0 * self.center)

    def diameter(self):
        return 2 * self.radius

    def argmin_linear(self, g):
        g = np.asarray(g)
        n = B.norm(g)
        if n == 0:
            return self.center.copy()
        return self.center - g * (self.radius / n)

    def to_mp(self):
        return Ball(B.to_mp(self.center), B.to_mp(self.radius))

    def to_json(self):
        return {"kind": "ball", "center": B.to_float(self.center).tolist(), "radius": float(self.radius)}

    def describe(self):
        return f"ball(d={self.dim}, R={float(self.radius):.3g}, ‖c‖={float(B.norm(B.to_float(self.center))):.3g})"


@dataclass(frozen=True, eq=False)
class Box:
    """Closed box {x : lo ≤ x ≤ hi} (coordinatewise; lo_i = hi_i pins a coordinate)."""

    lo: np.ndarray
    hi: np.ndarray

    def __post_init__(self):
        lo, hi = check_array("lo", self.lo, ndim=1), check_array("hi", self.hi, ndim=1)
        if lo.shape != hi.shape or lo.size < 1:
            raise ValueError(f"argument 'hi': expected the shape of lo {lo.shape}, got {hi.shape}")
        if any(a > b for a, b in zip(lo, hi)):
            raise ValueError("argument 'lo': a box needs lo ≤ hi in every coordinate")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    kind = "box"

    @property
    def dim(self):
        return self.lo.size

    def project(self, x):
        x = np.asarray(x)
        return np.where(x < self.lo, self.lo, np.where(x > self.hi, self.hi, x))

    def contains(self, x, tol=0.0):
        x = np.asarray(x)
        return bool(np.all(np.asarray(x >= self.lo - tol)) and np.all(np.asarray(x <= self.hi + tol)))

    def max_dist(self, z):
        z = np.asarray(z)
        a, b = (self.lo - z) ** 2, (self.hi - z) ** 2
        return B.sqrt(B.asum(np.where(np.asarray(a > b), a, b)))

    def max_norm(self):
        return self.max_dist(0 * self.lo)

    def diameter(self):
        w = self.hi - self.lo
        return B.sqrt(B.asum(w * w))

    def argmin_linear(self, g):
        g = np.asarray(g)
        return np.where(np.asarray(g > 0), self.lo, np.where(np.asarray(g < 0), self.hi, (self.lo + self.hi) / 2))

    def to_mp(self):
        return Box(B.to_mp(self.lo), B.to_mp(self.hi))

    def to_json(self):
        return {"kind": "box", "lo": B.to_float(self.lo).tolist(), "hi": B.to_float(self.hi).tolist()}

    def describe(self):
        w = B.to_float(self.hi) - B.to_float(self.lo)
        return f"box(d={self.dim}, widths {np.array2string(w, precision=2)})"


@dataclass(frozen=True, eq=False)
class Product:
    """Cartesian product X₁ × X₂ × … of sets over consecutive coordinate blocks."""

    parts: tuple

    def __post_init__(self):
        parts = tuple(self.parts)
        if not parts:
            raise ValueError("argument 'parts': a product needs at least one set")
        for j, p in enumerate(parts):
            if not isinstance(p, (Ball, Box, Product)):
                raise TypeError(f"argument 'parts[{j}]': expected Ball, Box or Product, got {type(p).__name__}")
        object.__setattr__(self, "parts", parts)

    kind = "product"

    @property
    def dim(self):
        return sum(p.dim for p in self.parts)

    def blocks(self):
        i = 0
        for p in self.parts:
            yield p, slice(i, i + p.dim)
            i += p.dim

    def project(self, x):
        x = np.asarray(x)
        return np.concatenate([p.project(x[..., s]) for p, s in self.blocks()], axis=-1)

    def contains(self, x, tol=0.0):
        x = np.asarray(x)
        return all(p.contains(x[..., s], tol) for p, s in self.blocks())

    def max_dist(self, z):
        z = np.asarray(z)
        return B.sqrt(sum(p.max_dist(z[..., s]) ** 2 for p, s in self.blocks()))

    def max_norm(self):
        return B.sqrt(sum(p.max_norm() ** 2 for p in self.parts))

    def diameter(self):
        return B.sqrt(sum(p.diameter() ** 2 for p in self.parts))

    def argmin_linear(self, g):
        g = np.asarray(g)
        return np.concatenate([p.argmin_linear(g[..., s]) for p, s in self.blocks()])

    def to_mp(self):
        return Product(tuple(p.to_mp() for p in self.parts))

    def to_json(self):
        return {"kind": "product", "parts": [p.to_json() for p in self.parts]}

    def describe(self):
        return " × ".join(p.describe() for p in self.parts)


CONVEX_SETS = (Ball, Box, Product)


def set_from_json(d):
    """Inverse of ``to_json`` for Ball, Box and Product."""
    kind = d.get("kind")
    if kind == "ball":
        return Ball(np.array(d["center"], dtype=np.float64), float(d["radius"]))
    if kind == "box":
        return Box(np.array(d["lo"], dtype=np.float64), np.array(d["hi"], dtype=np.float64))
    if kind == "product":
        return Product(tuple(set_from_json(p) for p in d["parts"]))
    raise ValueError(f"argument 'd': unknown set kind {kind!r}; expected ball, box or product")


SET = nested(lambda s: s.to_json(), set_from_json)   # the codec of a set-valued instance field


def float_set(X):
    """The nearest float64 set (exact for a set converted from float64)."""
    return set_from_json(X.to_json())


def v_zero_slice(M1, d: int):
    """U = {u : (u, 0) ∈ M1} as a set in R^d (None when it is empty or not of a known form)."""
    if isinstance(M1, Product) and len(M1.parts) == 2 and M1.parts[0].dim == d:
        Pv = M1.parts[1]
        return M1.parts[0] if Pv.contains(np.zeros(Pv.dim)) else None
    if isinstance(M1, Ball):
        cv = M1.center[d:]
        rest = M1.radius ** 2 - B.asum(cv * cv)
        return Ball(M1.center[:d], B.sqrt(rest)) if rest >= 0 else None
    if isinstance(M1, Box):
        ok = all(a <= 0 <= b for a, b in zip(M1.lo[d:], M1.hi[d:]))
        return Box(M1.lo[:d], M1.hi[:d]) if ok else None
    return None
