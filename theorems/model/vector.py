"""The vector-valued model of Appendix A: x ↦ W(x + V f_θ(x)), losses convex in the vector p.

Notation (Appendix A): W ∈ R^{m×d} (m outputs), V ∈ R^{d×k}, φ_i = f_θ(x_i) ∈ R^k at the fixed θ,
z_i = x_i + V φ_i and the prediction p_i = W z_i ∈ R^m. With targets y_i ∈ R^m and weights p_i,

    F_θ(W, V) = Σ_i π_i ℓ(W z_i; y_i),        F_lin(W*) = F_θ(W*, 0) = Σ_i π_i ℓ(W* x_i; y_i)

(``Sample.p`` is written π here to keep p for predictions). With D = diag(π) ∇ℓ (rows
d_ℓ,i = ∇_p ℓ(p_i; y_i), n × m), the gradient of the proof of Lemma 3 is

    ∂F/∂W = E[d_ℓ (x + V f_θ(x))ᵀ] = Dᵀ Z        (m × d)
    ∂F/∂V = E[Wᵀ d_ℓ f_θ(x)ᵀ]      = Wᵀ Dᵀ Φ     (d × k).

Hessian w.r.t. (vec W, vec V), **vec row-major**: coordinate a·d + b is W[a, b] and
m·d + i·k + j is V[i, j]. With the Jacobian J_i = ∂p_i/∂(vec W, vec V) (an m × (md + dk)
matrix: ∂p_a/∂W[c, b] = δ_ac z_b, ∂p_a/∂V[i, j] = W[a, i] φ_j), the loss Hessians
Hℓ_i = ∇²_p ℓ(p_i; y_i) and R = Dᵀ Φ (m × k),

    ∇²F_θ = Σ_i π_i J_iᵀ Hℓ_i J_i + [[0, C], [Cᵀ, 0]],   C[a·d + b, b·k + j] = R[a, j]

(the second term is Σ_i d_ℓ,i · ∂²p_i, from ∂²p_a/∂W[c, b]∂V[i, j] = δ_ac δ_bi φ_j).

Losses (convex in p ∈ R^m, value / gradient / Hessian in p):
- ``softmax_ce``: ℓ(p; y) = log Σ_a e^{p_a} − yᵀp with y one-hot (``VectorSample.from_labels``
  turns class indices into one-hot rows); ∇ = softmax(p) − y, ∇² = diag(s) − s sᵀ ⪰ 0;
  sup_p ‖∇ℓ‖ ≤ √2 (‖s − e_y‖² = (1 − s_y)² + Σ_{a≠y} s_a² ≤ 2(1 − s_y)²); over ‖p‖ ≤ B,
  0 ≤ ℓ = log(1 + Σ_{a≠y} e^{p_a − p_y}) ≤ log(1 + (m − 1)e^{√2 B}) (p_a − p_y ≤ √2‖p‖).
- ``squared``: ℓ(p; y) = ½‖p − y‖², ∇ = p − y, ∇² = I; over ‖p‖ ≤ B, ‖∇ℓ‖ ≤ B + ‖y‖ and
  0 ≤ ℓ ≤ ½(B + ‖y‖)².
- ``combination``: Σ c_j ℓ_j with c_j ≥ 0 (convex); the bounds add up with the weights.

``grad_sup(B, y)`` and ``value_sup(B, y)`` are the l and r of the vector Theorem 4 (Lipschitz
constant and bound on |ℓ| over predictions of norm ≤ B).

The skip-to-output architecture of Sec. 5 in vector form, x ↦ W x + U f_θ(x) (U ∈ R^{m×k}),
and a projected online/stochastic gradient helper on (W, U) over a Frobenius ball, serve the
vector-valued Theorem 4 (``theorems.theorem6.vector_sgd``).

Everything runs unchanged on float64 arrays and on mpmath object arrays (``backend``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from typing import Callable

import mpmath
import numpy as np

from . import backend as B
from .sample import check_array, check_weighted_rows

__all__ = [
    "VectorLoss", "softmax_ce", "squared", "combination", "by_name", "from_spec", "names",
    "VectorSample", "VectorPoint", "predictions", "objective", "linear_objective", "gap",
    "gradient", "linear_gradient", "hessian", "linear_hessian", "right_inverse", "s_min",
    "solve", "negated", "skip_predictions", "projected_sgd", "project_ball", "random_vector_point", "SGDRun",
    "jacobians",
]


# ------------------------------------------------------------------ backend helpers

def _rows_max(P):
    if P.dtype == object:
        return np.array([max(r) for r in P], dtype=object)
    return np.max(P, axis=1)


def _row_sums(A):
    if A.dtype == object:
        return np.array([mpmath.fsum(r) for r in A], dtype=object)
    return np.sum(A, axis=1)


def _softmax(P):
    E = B.exp(P - _rows_max(P)[:, None])
    return E / _row_sums(E)[:, None]


def _others(S):
    """Column a: Σ_{b≠a} S_b, summed directly (1 − S_a cancels when S_a ≈ 1)."""
    m = S.shape[1]
    cols = [_row_sums(S[:, [b for b in range(m) if b != a]]) if m > 1 else 0 * S[:, 0] for a in range(m)]
    return np.stack(cols, axis=1)


def _ce_value(P, Y):
    """log Σ_a e^{p_a} − yᵀp for one-hot y, without cancellation: with t_a = p_a − p_y and
    μ = max(0, max_a t_a), it is μ + log(e^{−μ} + Σ_{a≠y} e^{t_a − μ}), and log1p(Σ_{a≠y} e^{t_a})
    when μ = 0 (a confidently right prediction, where the two-term form loses every digit)."""
    T = P - _row_sums(Y * P)[:, None]
    mu = _rows_max(T)
    mu = mu * (mu > 0)
    R = _row_sums((1 - Y) * B.exp(T - mu[:, None]))
    general = mu + B.log(B.exp(-mu) + R)
    return np.where(mu == 0, B.log1p(R), general)


def _ce_grad(P, Y):
    """softmax(p) − y, the true class's entry as −Σ_{a≠y} S_a (S_y − 1 cancels when S_y ≈ 1)."""
    S = _softmax(P)
    return (1 - Y) * S - Y * _others(S)


def solve(A, Bm):
    """A⁻¹ Bm for a square non-singular A (float64 LAPACK, or mpmath LU at high precision)."""
    A, Bm = np.asarray(A), np.asarray(Bm)
    if A.dtype == object or Bm.dtype == object:
        Am = mpmath.matrix(A.tolist())
        cols = Bm.reshape(Bm.shape[0], -1)
        out = np.empty(cols.shape, dtype=object)
        for j in range(cols.shape[1]):
            x = mpmath.lu_solve(Am, mpmath.matrix([B.to_mp(v) for v in cols[:, j]]))
            for i in range(cols.shape[0]):
                out[i, j] = x[i]
        return out.reshape(Bm.shape)
    return np.linalg.solve(A, Bm)


def s_min(W):
    """Smallest singular value of W ∈ R^{m×d} among its min(m, d) singular values."""
    W = np.asarray(W)
    G = W @ W.T if W.shape[0] <= W.shape[1] else W.T @ W
    lo = B.eigvalsh(G)[0]
    return B.sqrt(lo if lo > 0 else 0 * lo)


def right_inverse(W):
    """Wᵀ(WWᵀ)⁻¹ (needs W of full row rank): the matrix of Lemma 3's G and Eq. (20)."""
    return solve(W @ W.T, W).T


# ------------------------------------------------------------------ losses

@dataclass(frozen=True, eq=False, repr=False)
class VectorLoss:
    """ℓ(p; y) for p, y ∈ R^m, convex in p. ``value``: (n,), ``grad``: (n, m), ``hess``: (n, m, m)."""

    name: str
    spec: dict
    value: Callable
    grad: Callable
    hess: Callable
    targets: str = "real"              # "real" or "one-hot"
    grad_sup: Callable | None = None   # (B_p, y) -> an upper bound on ‖∇ℓ(p; y)‖ over ‖p‖ ≤ B_p
    value_sup: Callable | None = None  # (B_p, y) -> an upper bound on |ℓ(p; y)| over ‖p‖ ≤ B_p
    _diff: Callable | None = field(default=None, repr=False)

    def diff(self, P1, P2, Y):
        """ℓ(P1; Y) − ℓ(P2; Y) per sample, without cancellation where the form allows."""
        return self._diff(P1, P2, Y) if self._diff is not None else self.value(P1, Y) - self.value(P2, Y)

    def check_targets(self, Y) -> None:
        if self.targets == "one-hot":
            Yf = np.asarray(B.to_float(np.asarray(Y)), dtype=np.float64)
            ok = np.all(np.isin(Yf, (0.0, 1.0))) and np.all(Yf.sum(axis=1) == 1.0)
            if not ok:
                raise ValueError(f"argument 'Y': loss {self.name!r} needs one-hot target rows "
                                 "(use VectorSample.from_labels for class indices)")

    def __repr__(self) -> str:
        return f"VectorLoss({self.name})"


def _ce_value_sup(Bp, m):
    """log(1 + (m − 1)e^{√2·B}) = softplus(√2·B + log(m − 1)) (no overflow); 0 when m = 1 (ℓ ≡ 0)."""
    if m < 2:
        return 0 * Bp
    return B.softplus(B.sqrt(2 + 0 * Bp) * Bp + B.log((m - 1) + 0 * Bp))


def softmax_ce() -> VectorLoss:
    """Softmax cross-entropy log Σ e^{p_a} − yᵀp, y one-hot (the paper's 'cross-entropy loss')."""
    def hess(P, Y):
        S = _softmax(P)
        n, m = P.shape
        H = -(S[:, :, None] * S[:, None, :])
        O = _others(S)
        for a in range(m):       # S_a(1 − S_a) as S_a Σ_{b≠a} S_b: no cancellation
            H[:, a, a] = S[:, a] * O[:, a]
        return H

    return VectorLoss(
        "softmax_ce", {"name": "softmax_ce"},
        value=_ce_value, grad=_ce_grad,
        hess=hess, targets="one-hot",
        grad_sup=lambda Bp, y: B.sqrt(2 + 0 * Bp),
        value_sup=lambda Bp, y: _ce_value_sup(Bp, len(y)),
        _diff=lambda P1, P2, Y: _ce_value(P1, Y) - _ce_value(P2, Y),
    )


def squared() -> VectorLoss:
    """½‖p − y‖²."""
    def hess(P, Y):
        n, m = P.shape
        H = 0.0 * P[:, :, None] * P[:, None, :]
        for a in range(m):
            H[:, a, a] = H[:, a, a] + 1
        return H

    return VectorLoss(
        "squared", {"name": "squared"},
        value=lambda P, Y: 0.5 * _row_sums((P - Y) ** 2),
        grad=lambda P, Y: P - Y, hess=hess,
        # ‖p − y‖ ≤ ‖p‖ + ‖y‖
        grad_sup=lambda Bp, y: Bp + B.norm(y),
        value_sup=lambda Bp, y: (Bp + B.norm(y)) ** 2 / 2,
        _diff=lambda P1, P2, Y: 0.5 * _row_sums((P1 - P2) * ((P1 - Y) + (P2 - Y))),
    )


def combination(terms) -> VectorLoss:
    """Σ c_j ℓ_j with every c_j ≥ 0 (non-negative combinations stay convex)."""
    terms = [(float(c), l) for c, l in terms]
    if not terms:
        raise ValueError("argument 'terms': a combination needs at least one (coefficient, loss)")
    for j, (c, l) in enumerate(terms):
        if not math.isfinite(c) or c < 0:
            raise ValueError(f"argument 'terms[{j}]': coefficient {c} must be finite and ≥ 0 "
                             "(a negative weight can break convexity in p)")
        if not isinstance(l, VectorLoss):
            raise TypeError(f"argument 'terms[{j}]': expected a VectorLoss, got {type(l).__name__}")

    def comb(attr):
        def f(*args):
            out = None
            for c, l in terms:
                v = c * getattr(l, attr)(*args)
                out = v if out is None else out + v
            return out
        return f

    def sup(attr):
        def f(Bp, y):
            out = 0 * Bp
            for c, l in terms:
                out = out + c * getattr(l, attr)(Bp, y)
            return out
        return f

    return VectorLoss(
        "+".join(f"{c:g}·{l.name}" for c, l in terms),
        {"name": "combination", "terms": [(c, l.spec) for c, l in terms]},
        value=comb("value"), grad=comb("grad"), hess=comb("hess"),
        targets="one-hot" if any(l.targets == "one-hot" for _, l in terms) else "real",
        grad_sup=sup("grad_sup"), value_sup=sup("value_sup"), _diff=comb("diff"),
    )


def negated(loss: VectorLoss) -> VectorLoss:
    """−ℓ: concave when ℓ is convex. Only for negative controls (a claim without convexity)."""
    return VectorLoss(
        f"−{loss.name}", {"name": "negated", "loss": loss.spec},
        value=lambda P, Y: -loss.value(P, Y), grad=lambda P, Y: -loss.grad(P, Y),
        hess=lambda P, Y: -loss.hess(P, Y), targets=loss.targets)


_FACTORIES = {"softmax_ce": softmax_ce, "squared": squared}


def names() -> list[str]:
    return sorted(_FACTORIES)


def by_name(name: str) -> VectorLoss:
    if name not in _FACTORIES:
        raise ValueError(f"argument 'name': unknown vector loss {name!r}; known: {', '.join(names())}")
    return _FACTORIES[name]()


def from_spec(spec: dict) -> VectorLoss:
    if spec.get("name") == "combination":
        return combination([(c, from_spec(s)) for c, s in spec["terms"]])
    if spec.get("name") == "negated":
        return negated(from_spec(spec["loss"]))
    return by_name(spec.get("name"))


# ------------------------------------------------------------------ samples and points

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

    def to_mp(self) -> "VectorSample":
        return VectorSample(B.to_mp(self.X), B.to_mp(self.Y), B.to_mp(self.p), B.to_mp(self.Phi))

    def to_json(self) -> dict:
        f = lambda a: B.to_float(a).tolist()
        return {"X": f(self.X), "Y": f(self.Y), "p": f(self.p), "Phi": f(self.Phi)}

    @classmethod
    def from_json(cls, d: dict) -> "VectorSample":
        a = lambda x: np.array(x, dtype=float)
        return cls(a(d["X"]), a(d["Y"]), a(d["p"]), a(d["Phi"]))


def _check(s, loss, W=None, V=None, W_star=None):
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


@dataclass(frozen=True, eq=False, repr=False)
class VectorPoint:
    """One instance of Appendix A: a sample, a vector loss and a point (W, V, W*)."""

    sample: VectorSample
    loss: VectorLoss
    W: np.ndarray
    V: np.ndarray
    W_star: np.ndarray | None = None
    extras: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        s = self.sample
        if not isinstance(s, VectorSample):
            raise TypeError(f"argument 'sample': expected a VectorSample, got {type(s).__name__}")
        if not isinstance(self.loss, VectorLoss):
            raise TypeError(f"argument 'loss': expected a VectorLoss, got {type(self.loss).__name__}")
        self.loss.check_targets(s.Y)
        W, V = _check(s, self.loss, self.W, self.V)
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "V", V)
        if self.W_star is not None:
            object.__setattr__(self, "W_star", _check(s, self.loss, W_star=self.W_star)[0])
        object.__setattr__(self, "extras", {k: check_array(f"extras[{k!r}]", v) for k, v in self.extras.items()})

    is_mp = property(lambda self: self.sample.is_mp)

    def to_mp(self) -> "VectorPoint":
        return replace(self, sample=self.sample.to_mp(), W=B.to_mp(self.W), V=B.to_mp(self.V),
                       W_star=None if self.W_star is None else B.to_mp(self.W_star),
                       extras={k: B.to_mp(v) for k, v in self.extras.items()})

    def to_json(self) -> dict:
        f = lambda a: B.to_float(a).tolist()
        return {"type": "VectorPoint", "sample": self.sample.to_json(), "loss": self.loss.spec,
                "W": f(self.W), "V": f(self.V), "W_star": None if self.W_star is None else f(self.W_star),
                "extras": {k: f(v) for k, v in self.extras.items()}, "meta": self.meta}

    @classmethod
    def from_json(cls, d) -> "VectorPoint":
        if isinstance(d, str):
            d = json.loads(d)
        a = lambda x: np.array(x, dtype=float)
        return cls(VectorSample.from_json(d["sample"]), from_spec(d["loss"]), a(d["W"]), a(d["V"]),
                   None if d.get("W_star") is None else a(d["W_star"]),
                   {k: a(v) for k, v in d.get("extras", {}).items()}, dict(d.get("meta", {})))

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
        return np.concatenate([np.asarray(B.to_float(a), dtype=float).reshape(-1) for _, a in self._parts()])

    def from_vector(self, x) -> "VectorPoint":
        x = np.asarray(x, dtype=float)
        vals, i = {}, 0
        for name, a in self._parts():
            vals[name] = x[i:i + a.size].reshape(a.shape)
            i += a.size
        p = np.exp(vals["logp"] - np.max(vals["logp"]))
        s = self.sample
        sample = VectorSample(vals["X"], vals.get("Y", s.Y), p / p.sum(), vals["Phi"])
        return replace(self, sample=sample, W=vals["W"], V=vals["V"], W_star=vals.get("W_star"),
                       extras={k: vals[f"extra:{k}"] for k in self.extras})

    def describe(self) -> str:
        s = self.sample
        return (f"n={s.n} d={s.d} m={s.m} k={s.k} loss={self.loss.name}"
                + (f" corner={self.meta['corner']}" if "corner" in self.meta else ""))

    def __repr__(self) -> str:
        return f"VectorPoint({self.describe()}; VectorPoint.from_json(...) reproduces it exactly)"


# ------------------------------------------------------------------ objective and derivatives

def _Z(s, V):
    return s.X + s.Phi @ V.T


def predictions(s: VectorSample, W, V):
    """Rows p_i = W(x_i + V f_θ(x_i)) (n × m)."""
    return _Z(s, V) @ W.T


def objective(s: VectorSample, loss: VectorLoss, W, V):
    """F_θ(W, V) = E[ℓ(W(x + V f_θ(x)); y)]  (Appendix A)."""
    W, V = _check(s, loss, W, V)
    loss.check_targets(s.Y)
    return B.asum(s.p * loss.value(predictions(s, W, V), s.Y))


def linear_objective(s: VectorSample, loss: VectorLoss, W_star):
    """F_lin(W*) = E[ℓ(W* x; y)]."""
    (W_star,) = _check(s, loss, W_star=W_star)
    return B.asum(s.p * loss.value(s.X @ W_star.T, s.Y))


def gap(s: VectorSample, loss: VectorLoss, W, V, W_star):
    """F_θ(W, V) − F_lin(W*), summed per sample as ℓ(p_i) − ℓ(p*_i)."""
    W, V, W_star = _check(s, loss, W, V, W_star)
    return B.asum(s.p * loss.diff(predictions(s, W, V), s.X @ W_star.T, s.Y))


def gradient(s: VectorSample, loss: VectorLoss, W, V):
    """(∂F/∂W, ∂F/∂V) = (E[d_ℓ (x + V f_θ(x))ᵀ], E[Wᵀ d_ℓ f_θ(x)ᵀ])  (proof of Lemma 3)."""
    W, V = _check(s, loss, W, V)
    Z = _Z(s, V)
    D = s.p[:, None] * loss.grad(Z @ W.T, s.Y)
    return D.T @ Z, W.T @ (D.T @ s.Phi)


def linear_gradient(s: VectorSample, loss: VectorLoss, W_star):
    (W_star,) = _check(s, loss, W_star=W_star)
    D = s.p[:, None] * loss.grad(s.X @ W_star.T, s.Y)
    return D.T @ s.X


def linear_hessian(s: VectorSample, loss: VectorLoss, W_star):
    """∇²F_lin(W*) w.r.t. vec W* (row-major): Σ π_i Hℓ_i ⊗ x_i x_iᵀ."""
    (W_star,) = _check(s, loss, W_star=W_star)
    Hl = loss.hess(s.X @ W_star.T, s.Y)
    H = None
    for i in range(s.n):
        term = s.p[i] * np.kron(Hl[i], np.outer(s.X[i], s.X[i]))
        H = term if H is None else H + term
    return H


def jacobians(s: VectorSample, W, V):
    """J (n × m × (md + dk)): J_i = ∂p_i/∂(vec W, vec V), row-major vec."""
    n, m, d, k = s.n, s.m, s.d, s.k
    Z = _Z(s, V)
    JW = (np.eye(m)[None, :, :, None] * Z[:, None, None, :]).reshape(n, m, m * d)
    JV = (W[None, :, :, None] * s.Phi[:, None, None, :]).reshape(n, m, d * k)
    return np.concatenate([JW, JV], axis=2)


def hessian(s: VectorSample, loss: VectorLoss, W, V):
    """∇²F_θ(W, V) w.r.t. (vec W, vec V), row-major; an (md + dk) square symmetric matrix."""
    W, V = _check(s, loss, W, V)
    n, m, d, k = s.n, s.m, s.d, s.k
    Z = _Z(s, V)
    P = Z @ W.T
    Hl = loss.hess(P, s.Y)
    D = s.p[:, None] * loss.grad(P, s.Y)
    J = jacobians(s, W, V)
    A = np.concatenate([(s.p[i] * Hl[i]) @ J[i] for i in range(n)], axis=0)   # (n·m) × P
    H = J.reshape(n * m, -1).T @ A
    R = D.T @ s.Phi                                                            # m × k
    for a in range(m):
        for b in range(d):   # C[a·d + b, m·d + b·k + j] = R[a, j]
            row, col = a * d + b, m * d + b * k
            H[row, col:col + k] = H[row, col:col + k] + R[a]
            H[col:col + k, row] = H[col:col + k, row] + R[a]
    return H


# ------------------------------------------------------------------ skip-to-output model, projected SGD

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
    the sampled (x_t, f_θt(x_t), y_t); θ_t may change arbitrarily between rounds (Phi is given)."""
    W, U = W1, U1
    its, hs = [], []
    for t in range(X.shape[0]):
        x, phi, y = X[t:t + 1], Phi[t:t + 1], Y[t:t + 1]
        pt = skip_predictions(W, U, x, phi)
        its.append((W, U))
        hs.append(loss.value(pt, y)[0])
        g = loss.grad(pt, y)                      # 1 × m
        W, U = project_ball(W - eta * (g.T @ x), U - eta * (g.T @ phi), b)
    return its, hs


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


@dataclass(frozen=True, eq=False, repr=False)
class SGDRun:
    """One run of projected SGD for the vector skip architecture x ↦ W x + U f_θ(x).

    Rows t of X, Phi, Y are the sampled (x_t, f_θt(x_t), y_t) (θ_t arbitrary), b the radius of
    the Frobenius ball M₁ = {(W, U): ‖(W, U)‖_Fr ≤ b}, η = c·b/(l√T) the step size, (W1, U1) the
    start and W_c the comparator linear predictor ((W_c, 0) ∈ M₁)."""

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

    def to_mp(self) -> "SGDRun":
        return replace(self, X=B.to_mp(self.X), Phi=B.to_mp(self.Phi), Y=B.to_mp(self.Y), b=B.to_mp(self.b),
                       c=B.to_mp(self.c), W1=B.to_mp(self.W1), U1=B.to_mp(self.U1), W_c=B.to_mp(self.W_c))

    def to_json(self) -> dict:
        f = lambda a: B.to_float(a).tolist()
        return {"type": "SGDRun", "loss": self.loss.spec, "X": f(self.X), "Phi": f(self.Phi), "Y": f(self.Y),
                "b": float(self.b), "c": float(self.c), "W1": f(self.W1), "U1": f(self.U1), "W_c": f(self.W_c),
                "meta": self.meta}

    @classmethod
    def from_json(cls, d) -> "SGDRun":
        if isinstance(d, str):
            d = json.loads(d)
        a = lambda x: np.array(x, dtype=float)
        return cls(from_spec(d["loss"]), a(d["X"]), a(d["Phi"]), a(d["Y"]), float(d["b"]), float(d["c"]),
                   a(d["W1"]), a(d["U1"]), a(d["W_c"]), dict(d.get("meta", {})))

    def _parts(self):
        parts = [("X", self.X), ("Phi", self.Phi), ("W1", self.W1), ("U1", self.U1), ("W_c", self.W_c)]
        return parts + ([("Y", self.Y)] if self.loss.targets == "real" else [])

    def to_vector(self) -> np.ndarray:
        return np.concatenate([np.asarray(B.to_float(a), dtype=float).reshape(-1) for _, a in self._parts()])

    def from_vector(self, x) -> "SGDRun":
        x = np.asarray(x, dtype=float)
        vals, i = {}, 0
        for name, a in self._parts():
            vals[name] = x[i:i + a.size].reshape(a.shape)
            i += a.size
        return replace(self, **vals)

    def describe(self) -> str:
        return (f"T={self.T} d={self.X.shape[1]} m={self.Y.shape[1]} k={self.Phi.shape[1]} loss={self.loss.name} "
                f"b={float(self.b):.3g} c={float(self.c):.3g}"
                + (f" corner={self.meta['corner']}" if "corner" in self.meta else ""))

    def __repr__(self) -> str:
        return f"SGDRun({self.describe()}; SGDRun.from_json(...) reproduces it exactly)"
