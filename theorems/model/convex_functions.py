"""Convex Lipschitz functions g_t for Theorem 5 (Sec. 6.4; Zinkevich 2003).

``ConvexFn`` families: ``linear`` aᵀx + c, ``abs`` |aᵀx + c|, ``hinge`` max(0, aᵀx + c),
``logistic`` log(1 + e^(aᵀx + c)), ``max_affine`` max_j (a_jᵀx + c_j), ``squared``
(s/2)‖x − z‖². ``grad`` is a (sub)gradient; ``lipschitz(X)`` is a Lipschitz constant over X
valid for every orientation an adversary may choose (``flipped``, ``aimed``): ‖a‖ for the
ridge kinds, max_j ‖a_j‖ for max_affine, s·max(max_dist(z), max_dist(−z)) for squared (its
gradient s(x − z) is bounded only on bounded sets).

``FnTable`` stacks a realized sequence g_1..g_T per family (float64) for the comparator search:
Σ_t g_t(x) at many points (``total_value``) and a subgradient of the sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B

from .sample import check_array

__all__ = ["ConvexFn", "FAMILIES", "RIDGE", "FnTable", "total_value"]

FAMILIES = ("linear", "abs", "hinge", "logistic", "max_affine", "squared")
RIDGE = ("linear", "abs", "hinge", "logistic")


@dataclass(frozen=True, eq=False)
class ConvexFn:
    """A convex function on R^d (see the module docstring for the families).

    ``A``: (m, d) slopes (m = 1 for the ridge kinds; for ``squared``, A[0] is the centre z);
    ``c``: (m,) offsets (for ``squared``, c[0] = s ≥ 0 is the curvature)."""

    kind: str
    A: np.ndarray
    c: np.ndarray

    def __post_init__(self):
        if self.kind not in FAMILIES:
            raise ValueError(f"argument 'kind': unknown family {self.kind!r}; known: {', '.join(FAMILIES)}")
        A, c = check_array("A", self.A, ndim=2), check_array("c", self.c, ndim=1)
        if A.shape[0] != c.shape[0] or A.shape[0] < 1:
            raise ValueError(f"argument 'c': expected {A.shape[0]} offsets for {A.shape[0]} slopes, got {c.shape}")
        if self.kind != "max_affine" and A.shape[0] != 1:
            raise ValueError(f"argument 'A': family {self.kind!r} takes one row, got {A.shape[0]}")
        if self.kind == "squared" and c[0] < 0:
            raise ValueError(f"argument 'c': squared needs curvature s = c[0] ≥ 0 (convexity), got {float(c[0])}")
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "c", c)

    @property
    def dim(self):
        return self.A.shape[1]

    def _u(self, x):
        return x @ self.A[0] + self.c[0]

    def value(self, x):
        x = np.asarray(x)
        k = self.kind
        if k == "squared":
            diff = x - self.A[0]
            return self.c[0] / 2 * np.sum(diff * diff, axis=-1)
        if k == "max_affine":
            vals = x @ self.A.T + self.c
            return np.max(vals, axis=-1)
        u = self._u(x)
        if k == "linear":
            return u
        if k == "abs":
            return B.abs_(u)
        if k == "hinge":
            return np.where(np.asarray(u > 0), u, 0 * u)[()]
        return B.softplus(u)

    def grad(self, x):
        """A subgradient at one point x (d,): sign(0) = 0 for abs, 0 for hinge at the kink."""
        k = self.kind
        if k == "squared":
            return self.c[0] * (x - self.A[0])
        if k == "max_affine":
            vals = x @ self.A.T + self.c
            j = max(range(len(vals)), key=lambda i: vals[i])
            return self.A[j].copy()
        u = self._u(x)
        if k == "linear":
            s = 1
        elif k == "abs":
            s = int(bool(u > 0)) - int(bool(u < 0))
        elif k == "hinge":
            s = 1 if u > 0 else 0
        else:
            s = B.sigmoid(u)
        return self.A[0] * s

    def lipschitz(self, X):
        """Lipschitz constant over X, valid for every orientation ``flipped``/``chase`` may pick."""
        if self.kind == "squared":
            z = self.A[0]
            return self.c[0] * max(X.max_dist(z), X.max_dist(-z))
        return max(B.norm(a) for a in self.A)

    def flipped(self):
        """x ↦ g(−x) up to re-centring: the slopes (or the centre z) change sign."""
        return ConvexFn(self.kind, -self.A, self.c)

    def aimed(self, direction):
        """A ridge function re-aimed: slope ‖a‖·direction (direction a unit vector)."""
        return ConvexFn(self.kind, (B.norm(self.A[0]) * direction)[None, :], self.c)

    def to_mp(self):
        return ConvexFn(self.kind, B.to_mp(self.A), B.to_mp(self.c))

    def to_json(self):
        # "offset", not "c": in Theorem 5's instance JSON, c is the step constant (files written with "c"
        # here still load)
        return {"kind": self.kind, "A": B.to_float(self.A).tolist(), "offset": B.to_float(self.c).tolist()}

    @classmethod
    def from_json(cls, d):
        offset = d["offset"] if "offset" in d else d["c"]
        return cls(d["kind"], np.array(d["A"], dtype=np.float64), np.array(offset, dtype=np.float64))


class FnTable:
    """The realized g_1..g_T stacked per family (float64), for fast sums Σ_t g_t and subgradients."""

    def __init__(self, fns):
        by = {}
        for g in fns:
            by.setdefault(g.kind, []).append(g)
        self.groups = []
        for kind, gs in by.items():
            if kind == "max_affine":
                m = max(g.A.shape[0] for g in gs)
                # pad with repeated pieces: the max is unchanged
                A = np.stack([B.to_float(g.A)[[min(i, g.A.shape[0] - 1) for i in range(m)]] for g in gs])
                c = np.stack([B.to_float(g.c)[[min(i, g.A.shape[0] - 1) for i in range(m)]] for g in gs])
            else:
                A = np.stack([B.to_float(g.A[0]) for g in gs])
                c = np.array([float(g.c[0]) for g in gs])
            self.groups.append((kind, A, c))

    def value(self, P):
        """Σ_t g_t(x) for each row x of P."""
        P = np.asarray(P, dtype=np.float64)
        tot = np.zeros(P.shape[0])
        for kind, A, c in self.groups:
            if kind == "max_affine":
                tot += np.max(np.einsum("pd,tmd->ptm", P, A) + c[None], axis=2).sum(axis=1)
            elif kind == "squared":
                d2 = np.sum((P[:, None, :] - A[None]) ** 2, axis=2)
                tot += (d2 * c / 2).sum(axis=1)
            else:
                U = P @ A.T + c
                if kind == "linear":
                    tot += U.sum(axis=1)
                elif kind == "abs":
                    tot += np.abs(U).sum(axis=1)
                elif kind == "hinge":
                    tot += np.maximum(U, 0).sum(axis=1)
                else:
                    tot += (np.maximum(U, 0) + np.log1p(np.exp(-np.abs(U)))).sum(axis=1)
        return tot

    def subgrad(self, x):
        """A subgradient of Σ_t g_t at x."""
        g = np.zeros_like(x, dtype=np.float64)
        for kind, A, c in self.groups:
            if kind == "max_affine":
                V = np.einsum("d,tmd->tm", x, A) + c
                j = np.argmax(V, axis=1)
                g += A[np.arange(A.shape[0]), j].sum(axis=0)
            elif kind == "squared":
                g += (c[:, None] * (x[None] - A)).sum(axis=0)
            else:
                u = A @ x + c
                s = {"linear": np.ones_like(u), "abs": np.sign(u), "hinge": (u > 0).astype(float)}.get(kind)
                if s is None:
                    s = 1 / (1 + np.exp(-np.clip(u, -700, 700)))
                g += s @ A
        return g


def total_value(fns, P):
    """Σ_t g_t(x) at each row x of P (float64, vectorised per family)."""
    return FnTable(fns).value(P)
