"""Online convex optimization for Theorem 5 (Sec. 6.4): closed convex sets with exact Euclidean
projections, convex Lipschitz functions g_t, adversaries that adapt to the iterates, and
projected online gradient descent x_{t+1} = Π_X(x_t − η ∇g_t(x_t)).

Sets (``Ball``, ``Box``, ``Product``) project arrays of shape (..., dim) — one point per leading
index — on float64 and on mpmath object arrays alike:

- ball B(c, R): Π(x) = c + (x − c)·min(1, R/‖x − c‖)  (x itself when ‖x − c‖ ≤ R);
- box [lo, hi] (lo ≤ hi, lo = hi allowed): coordinatewise clipping;
- product X₁ × X₂ × …: blockwise projection (the Euclidean norm splits over blocks).

Each set also knows ``max_dist(z)`` = sup_{x∈X} ‖x − z‖ exactly (so ``max_norm()`` is the
smallest b with X ⊆ {‖x‖ ≤ b}) and ``argmin_linear(g)`` = a minimiser of ⟨g, x⟩ over X.

Functions (``ConvexFn``): ``linear`` aᵀx + c, ``abs`` |aᵀx + c|, ``hinge`` max(0, aᵀx + c),
``logistic`` log(1 + e^(aᵀx + c)), ``max_affine`` max_j (a_jᵀx + c_j), ``squared``
(s/2)‖x − z‖². ``grad`` is a (sub)gradient; ``lipschitz(X)`` is a Lipschitz constant over X
valid for every orientation an adversary may choose (``flipped``, ``chase``): ‖a‖ for the
ridge kinds, max_j ‖a_j‖ for max_affine, s·max(max_dist(z), max_dist(−z)) for squared (its
gradient s(x − z) is bounded only on bounded sets).

Adversaries (deterministic functions of the current iterate, so the same rule re-runs exactly
in mpmath): ``fixed`` (g_t = base[t mod m]), ``random_signs`` (orientation from a seeded sign
sequence, oblivious), ``greedy`` (the orientation with the larger loss at x_t), ``chase``
(ridge kinds re-aimed along ±x_t/‖x_t‖ with the greedy sign — the iterate-chasing adversary
that makes OGD's regret grow like (c/2)·b·l·√T).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import backend as B

__all__ = ["Ball", "Box", "Product", "ConvexFn", "FAMILIES", "ADVERSARIES", "set_from_json",
           "run_ogd", "best_comparator", "total_value", "FnTable", "OGDRun"]

FAMILIES = ("linear", "abs", "hinge", "logistic", "max_affine", "squared")
RIDGE = ("linear", "abs", "hinge", "logistic")
ADVERSARIES = ("fixed", "random_signs", "greedy", "chase")


def _rownorm(x):
    """‖x‖ along the last axis (float64 or mpf entries)."""
    s = np.sum(x * x, axis=-1)
    return B.sqrt(s)


def _arr(name, a, ndim=None):
    if isinstance(a, np.ndarray) and a.dtype == object:
        arr = a
    else:
        arr = np.asarray(a, dtype=np.float64)
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"argument {name!r}: contains NaN or inf; sets and functions need finite parameters")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"argument {name!r}: expected a {ndim}-d array, got shape {arr.shape}")
    return arr


def _f(a):
    return np.asarray(B.to_float(a), dtype=np.float64)


# ------------------------------------------------------------------------------------- sets

@dataclass(frozen=True, eq=False)
class Ball:
    """Closed Euclidean ball {x : ‖x − center‖ ≤ radius}, radius ≥ 0."""

    center: np.ndarray
    radius: object

    def __post_init__(self):
        c = _arr("center", self.center, 1)
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
        nrm = _rownorm(diff)
        over = np.asarray(nrm > self.radius)
        one = 0 * nrm + 1
        scale = np.where(over, self.radius / np.where(over, nrm, one), one)
        # points inside are returned unchanged (exactly idempotent there)
        return np.where(over[..., None], self.center + diff * np.asarray(scale)[..., None], x)

    def contains(self, x, tol=0.0):
        return bool(np.all(np.asarray(_rownorm(np.asarray(x) - self.center) <= self.radius + tol)))

    def max_dist(self, z):
        return B.norm(np.asarray(z) - self.center) + self.radius

    def max_norm(self):
        return self.max_dist(0 * self.center)

    def argmin_linear(self, g):
        g = np.asarray(g)
        n = B.norm(g)
        if n == 0:
            return self.center.copy()
        return self.center - g * (self.radius / n)

    def to_mp(self):
        return Ball(B.to_mp(self.center), B.to_mp(self.radius))

    def to_json(self):
        return {"kind": "ball", "center": _f(self.center).tolist(), "radius": float(self.radius)}

    def describe(self):
        return f"ball(d={self.dim}, R={float(self.radius):.3g}, ‖c‖={float(B.norm(_f(self.center))):.3g})"


@dataclass(frozen=True, eq=False)
class Box:
    """Closed box {x : lo ≤ x ≤ hi} (coordinatewise; lo_i = hi_i pins a coordinate)."""

    lo: np.ndarray
    hi: np.ndarray

    def __post_init__(self):
        lo, hi = _arr("lo", self.lo, 1), _arr("hi", self.hi, 1)
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

    def argmin_linear(self, g):
        g = np.asarray(g)
        return np.where(np.asarray(g > 0), self.lo, np.where(np.asarray(g < 0), self.hi, (self.lo + self.hi) / 2))

    def to_mp(self):
        return Box(B.to_mp(self.lo), B.to_mp(self.hi))

    def to_json(self):
        return {"kind": "box", "lo": _f(self.lo).tolist(), "hi": _f(self.hi).tolist()}

    def describe(self):
        w = _f(self.hi) - _f(self.lo)
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

    def argmin_linear(self, g):
        g = np.asarray(g)
        return np.concatenate([p.argmin_linear(g[..., s]) for p, s in self.blocks()])

    def to_mp(self):
        return Product(tuple(p.to_mp() for p in self.parts))

    def to_json(self):
        return {"kind": "product", "parts": [p.to_json() for p in self.parts]}

    def describe(self):
        return " × ".join(p.describe() for p in self.parts)


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


# -------------------------------------------------------------------------------- functions

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
        A, c = _arr("A", self.A, 2), _arr("c", self.c, 1)
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
        return {"kind": self.kind, "A": _f(self.A).tolist(), "c": _f(self.c).tolist()}

    @classmethod
    def from_json(cls, d):
        return cls(d["kind"], np.array(d["A"], dtype=np.float64), np.array(d["c"], dtype=np.float64))


# ------------------------------------------------------------------------------ algorithm

@dataclass
class OGDRun:
    xs: list            # x_1, …, x_T
    x_next: object      # x_{T+1}
    fns: list           # realized g_1, …, g_T
    grads: list         # ∇g_t(x_t)
    losses: list        # g_t(x_t)


def _signs(seed, T):
    rng = np.random.default_rng(seed)
    return rng.choice([-1, 1], size=T)


def adversary_choice(base: ConvexFn, x, adversary: str, sign: int = 1) -> ConvexFn:
    """The function the adversary plays at iterate x (a deterministic rule)."""
    if adversary == "fixed":
        return base
    if adversary == "random_signs":
        return base if sign > 0 else base.flipped()
    if adversary == "chase" and base.kind in RIDGE:
        n = B.norm(x)
        if n > 0:
            base = base.aimed(x / n)
    if adversary in ("greedy", "chase"):
        f2 = base.flipped()
        return f2 if f2.value(x) > base.value(x) else base
    raise ValueError(f"argument 'adversary': unknown rule {adversary!r}; known: {', '.join(ADVERSARIES)}")


def run_ogd(X, base_fns, T: int, eta, x1, *, adversary: str = "fixed", sign_seed: int = 0) -> OGDRun:
    """Projected online gradient descent: x_{t+1} = Π_X(x_t − η ∇g_t(x_t)), t = 1..T, with g_t
    chosen by ``adversary`` from base_fns[t mod m] after seeing x_t."""
    if not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"argument 'T': the number of rounds must be an int ≥ 1, got {T!r}")
    if not base_fns:
        raise ValueError("argument 'base_fns': needs at least one function")
    if adversary not in ADVERSARIES:
        raise ValueError(f"argument 'adversary': unknown rule {adversary!r}; known: {', '.join(ADVERSARIES)}")
    if not eta > 0:
        raise ValueError(f"argument 'eta': the step size must be > 0, got {float(eta)}")
    signs = _signs(sign_seed, T)
    x = np.asarray(x1)
    xs, fns, grads, losses = [], [], [], []
    for t in range(T):
        g = adversary_choice(base_fns[t % len(base_fns)], x, adversary, int(signs[t]))
        gr = g.grad(x)
        xs.append(x)
        fns.append(g)
        grads.append(gr)
        losses.append(g.value(x))
        x = X.project(x - eta * gr)
    return OGDRun(xs, x, fns, grads, losses)


# ------------------------------------------------------------- comparator search (float64)

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
                A = np.stack([_f(g.A)[[min(i, g.A.shape[0] - 1) for i in range(m)]] for g in gs])
                c = np.stack([_f(g.c)[[min(i, g.A.shape[0] - 1) for i in range(m)]] for g in gs])
            else:
                A = np.stack([_f(g.A[0]) for g in gs])
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


def best_comparator(X, fns, xs, extra=(), *, G=None, steps: int = 20):
    """An (approximate) minimiser of Σ_t g_t over X, in float64: the best of the iterates, the
    extra candidates and argmin_X ⟨Σ∇g_t(x_t), x⟩, refined by projected subgradient steps.
    Any point of X is a valid comparator; a better one only makes the regret check stricter."""
    Xf = _set_float(X)
    tab = FnTable(fns)
    xsf = np.stack([_f(x) for x in xs])
    G = tab.subgrad(xsf.mean(axis=0)) if G is None else _f(G)
    cands = list(xsf) + [_f(e) for e in extra] + [Xf.argmin_linear(G)]
    P = Xf.project(np.stack(cands))
    vals = tab.value(P)
    best = P[int(np.argmin(vals))]
    bval = float(np.min(vals))
    D = float(Xf.max_dist(best)) or 1.0
    x = best
    for k in range(1, steps + 1):
        g = tab.subgrad(x)
        n = np.linalg.norm(g)
        if n == 0:
            break
        x = Xf.project(x - (D / np.sqrt(k)) * g / n)
        v = float(tab.value(x[None])[0])
        if v < bval:
            best, bval = x, v
    return best


def _set_arrays(X):
    if isinstance(X, Ball):
        return [X.center, X.radius]
    if isinstance(X, Box):
        return [X.lo, X.hi]
    return [a for p in X.parts for a in _set_arrays(p)]


def _set_float(X):
    return set_from_json(X.to_json())
