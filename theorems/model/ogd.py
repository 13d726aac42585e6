"""Projected online gradient descent (Theorem 5, Sec. 6.4; Zinkevich 2003):
x_{t+1} = Π_X(x_t − η ∇g_t(x_t)), with η = c·b/(l√T) and the explicit constant K(c) = 2/c + c/2
of regret ≤ K(c)·b·l·√T.

Adversaries (deterministic functions of the current iterate, so the same rule re-runs exactly
in mpmath): ``fixed`` (g_t = base[t mod m]), ``random_signs`` (orientation from a seeded sign
sequence, oblivious), ``greedy`` (the orientation with the larger loss at x_t), ``chase``
(ridge kinds re-aimed along ±x_t/‖x_t‖ with the greedy sign — the iterate-chasing adversary
that makes OGD's regret grow like (c/2)·b·l·√T).

``OGDInstance`` is one Theorem 5 instance (X, base functions, T, c, x_1, a comparator, the
adversary, and the factors making b and l any valid constants); ``ogd_quantities`` runs OGD on
it in the arithmetic of its arrays and computes the regret against two comparators (the
instance's and ``best_comparator``, a float64 minimiser of Σ_t g_t over X), the telescoping
bound ‖x_1 − x‖²/(2η) + (η/2)Σ_t‖∇_t‖², the explicit bound K(c)·b·l·√T and the largest regret
any comparator can have on the instance, ``cap`` = T·max_t Lip_X(g_t)·diam(X) (each round adds at most
Lip_X(g_t)·‖x_t − x‖): a bound at or above ``cap`` cannot fail there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B
from theorems.core.errors import HypothesisNotMet
from theorems.core.serialization import ARRAY, FLOAT, INT, Instance, nested

from .convex_functions import RIDGE, ConvexFn, FnTable
from .convex_sets import CONVEX_SETS, SET, float_set

__all__ = ["K", "ADVERSARIES", "OGDRun", "adversary_choice", "run_ogd", "best_comparator", "OGDInstance",
           "ogd_quantities"]

ADVERSARIES = ("fixed", "random_signs", "greedy", "chase")


def K(c):
    """The explicit constant of Theorem 5: regret ≤ K(c)·b·l·√T for η = c·b/(l√T) (minimal, 2, at c = 2)."""
    return 2 / c + c / 2


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


def best_comparator(X, fns, xs, extra=(), *, G=None, steps: int = 20):
    """An (approximate) minimiser of Σ_t g_t over X, in float64: the best of the iterates, the
    extra candidates and argmin_X ⟨Σ∇g_t(x_t), x⟩, refined by projected subgradient steps.
    Any point of X is a valid comparator; a better one only makes the regret check stricter."""
    Xf = float_set(X)
    tab = FnTable(fns)
    xsf = np.stack([B.to_float(x) for x in xs])
    G = tab.subgrad(xsf.mean(axis=0)) if G is None else B.to_float(G)
    cands = list(xsf) + [B.to_float(e) for e in extra] + [Xf.argmin_linear(G)]
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


FNS = nested(lambda fns: [g.to_json() for g in fns], lambda d: tuple(ConvexFn.from_json(g) for g in d),
             lambda fns: tuple(g.to_mp() for g in fns))


@dataclass(frozen=True, eq=False, repr=False)
class OGDInstance(Instance):
    """One Theorem 5 instance: g_t is chosen by ``adversary`` from fns[t mod m] after seeing x_t;
    η = c·b/(l√T) with b = b_factor·max_{x∈X}‖x‖ and l = l_factor·max_t Lip_X(g_t)."""

    CODECS = {"X": SET, "fns": FNS, "T": INT, "c": FLOAT, "x1": ARRAY, "x_cmp": ARRAY, "sign_seed": INT,
              "l_factor": FLOAT, "b_factor": FLOAT}

    X: object                     # Ball | Box | Product
    fns: tuple                    # base functions (ConvexFn); g_t from fns[t mod m] via the adversary
    T: int
    c: float                      # η = c·b/(l√T)
    x1: np.ndarray
    x_cmp: np.ndarray             # a comparator x ∈ X (projected)
    adversary: str = "fixed"
    sign_seed: int = 0
    l_factor: float = 1.0         # l = l_factor·max Lip (any l ≥ the Lipschitz constant is valid)
    b_factor: float = 1.0

    def __post_init__(self):
        if not isinstance(self.X, CONVEX_SETS):
            raise TypeError(f"argument 'X': expected a Ball, Box or Product, got {type(self.X).__name__}")
        fns = tuple(self.fns)
        if not fns or not all(isinstance(f, ConvexFn) and f.dim == self.X.dim for f in fns):
            raise ValueError(f"argument 'fns': needs ≥ 1 ConvexFn on R^{self.X.dim}")
        object.__setattr__(self, "fns", fns)
        if not isinstance(self.T, (int, np.integer)) or self.T < 1:
            raise ValueError(f"argument 'T': must be an int ≥ 1, got {self.T!r}")
        object.__setattr__(self, "T", int(self.T))
        for name in ("c", "l_factor", "b_factor"):
            v = float(getattr(self, name))
            if not math.isfinite(v) or v <= 0 or (name != "c" and v < 1):
                raise ValueError(f"argument {name!r}: must be finite and {'> 0' if name == 'c' else '≥ 1'}, got {v}")
        for name in ("x1", "x_cmp"):
            a = getattr(self, name)
            if not (isinstance(a, np.ndarray) and a.dtype == object):
                a = np.asarray(a, dtype=np.float64)
                if a.shape != (self.X.dim,) or not np.all(np.isfinite(a)):
                    raise ValueError(f"argument {name!r}: expected a finite vector of length {self.X.dim}")
                object.__setattr__(self, name, a)
        if self.adversary not in ADVERSARIES:
            raise ValueError(f"argument 'adversary': unknown rule {self.adversary!r}; known: {ADVERSARIES}")

    def describe(self):
        kinds = ",".join(g.kind for g in self.fns)
        return (f"T={self.T} c={float(self.c):.3g} d={self.X.dim} X={self.X.describe()} g=[{kinds}] "
                f"adversary={self.adversary}")


def ogd_quantities(inst: OGDInstance, *, eta_override=None):
    """Run OGD on ``inst`` (in the arithmetic of its arrays) and compute regret and bounds.

    Returns a dict: the run, b, l, η, c, √T, Σ_t g_t(x_t) (``alg``, ``abs_alg`` with |·|), Σ_t‖∇_t‖²
    (``gsq``), per comparator (the instance's, then ``best_comparator``'s) its regret, Σ_t g_t(x)
    and the telescoping bound, K(c), the explicit bound K(c)·b·l·√T and ``cap`` = T·max_t Lip_X(g_t)·diam(X).
    ``eta_override(c, b, l, √T)``
    replaces the step (for negative controls)."""
    X = inst.X
    like = inst.x1
    b = X.max_norm() * inst.b_factor
    lip = max(g.lipschitz(X) for g in inst.fns)
    l = lip * inst.l_factor
    if not b > 0:
        raise HypothesisNotMet("argument 'X': X ⊆ {‖x‖ ≤ b} needs b > 0 here (X = {0} makes η = Θ(b/(l√T)) zero)")
    if not l > 0:
        raise HypothesisNotMet("argument 'fns': every g_t is constant on X (l = 0): η = Θ(b/(l√T)) is undefined")
    rootT = B.sqrt(B.scalar_like(inst.T, like))
    c = B.scalar_like(inst.c, like)
    eta = c * b / (l * rootT) if eta_override is None else eta_override(c, b, l, rootT)
    x1 = X.project(inst.x1)
    run = run_ogd(X, list(inst.fns), inst.T, eta, x1, adversary=inst.adversary, sign_seed=inst.sign_seed)
    alg = B.asum(np.array(run.losses))
    abs_alg = B.asum(np.array([abs(v) for v in run.losses]))
    gsq = B.asum(np.array([B.asum(g * g) for g in run.grads]))
    G = sum(B.to_float(g) for g in run.grads)
    x_opt = best_comparator(X, run.fns, run.xs, extra=[B.to_float(inst.x_cmp)], G=G)
    x_opt = X.project(B.to_mp(x_opt) if B.is_mp(like) else x_opt)
    comps = []
    for x in (X.project(inst.x_cmp), x_opt):
        vals = [g.value(x) for g in run.fns]
        comp = B.asum(np.array(vals))
        dx = x1 - x
        tele = B.asum(dx * dx) / (2 * eta) + eta / 2 * gsq
        comps.append(dict(regret=alg - comp, comp=comp, abs_comp=B.asum(np.array([abs(v) for v in vals])),
                          tele=tele, dist_sq=B.asum(dx * dx)))
    K_c = K(c)
    bound = K_c * b * l * rootT
    # the largest regret this instance's sequence can have: g_t(x_t) − g_t(x) ≤ Lip_X(g_t)·‖x_t − x‖
    cap = inst.T * lip * X.diameter()
    return dict(run=run, b=b, l=l, eta=eta, c=c, rootT=rootT, alg=alg, abs_alg=abs_alg, gsq=gsq,
                comps=comps, K_c=K_c, bound=bound, d=X.dim, cap=cap)
