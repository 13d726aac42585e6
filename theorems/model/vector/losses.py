"""Losses of Appendix A's vector-valued model: ℓ(p; y) for predictions p ∈ R^m, convex in p.

Remark 2 and Appendix A take "losses ℓ(p, y) taking vector-valued arguments and convex in p
(e.g. the cross-entropy loss)". Each :class:`VectorLoss` gives the value, gradient and Hessian in
p, row by row (``value``: (n,), ``grad``: (n, m), ``hess``: (n, m, m)):

- ``softmax_ce``: ℓ(p; y) = log Σ_a e^{p_a} − yᵀp with y one-hot (``VectorSample.from_labels``
  turns class indices into one-hot rows); ∇ = softmax(p) − y, ∇² = diag(s) − s sᵀ ⪰ 0;
  sup_p ‖∇ℓ‖ ≤ √2 (‖s − e_y‖² = (1 − s_y)² + Σ_{a≠y} s_a² ≤ 2(1 − s_y)²); over ‖p‖ ≤ B,
  0 ≤ ℓ = log(1 + Σ_{a≠y} e^{p_a − p_y}) ≤ log(1 + (m − 1)e^{√2 B}) (p_a − p_y ≤ √2‖p‖).
- ``squared``: ℓ(p; y) = ½‖p − y‖², ∇ = p − y, ∇² = I; over ‖p‖ ≤ B, ‖∇ℓ‖ ≤ B + ‖y‖ and
  0 ≤ ℓ ≤ ½(B + ‖y‖)².
- ``linear``: ℓ(p; y) = −yᵀp (convex and concave), ∇ = −y, ∇² = 0; Lemma 3 is an equality for
  it (its Bregman slack vanishes), which is how Theorem 6's attaining family is built
  (``theorems.model.vector.constructions``); over ‖p‖ ≤ B, ‖∇ℓ‖ = ‖y‖ and |ℓ| ≤ B‖y‖.
- ``combination``: Σ c_j ℓ_j with c_j ≥ 0 (convex); the bounds add up with the weights.
- ``negated``: −ℓ, concave; only for negative controls (a claim without convexity).

``grad_sup(B, y)`` and ``value_sup(B, y)`` are the l and r of the vector Theorem 4 (Lipschitz
constant and bound on |ℓ| over predictions of norm ≤ B).

Everything runs unchanged on float64 arrays and on mpmath object arrays (``backend``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import mpmath
import numpy as np

from theorems.core import backend as B

from ..losses import combination_terms

__all__ = ["VectorLoss", "softmax_ce", "squared", "linear", "combination", "negated", "by_name", "from_spec", "names"]


# ------------------------------------------------------------------ row-wise helpers

# float64 rows shorter than this are reduced column by column, left to right: numpy sums fewer than
# 8 elements of a row in that order (its pairwise summation starts at 8), so the values are the same
# bit for bit (``tests/test_theorem4_vector.py`` pins it), at a tenth of the cost of a reduction over a short
# axis (the repeated-runs claims evaluate ℓ at millions of (m = 2, 3)-rows)
_COLUMNWISE = 8
_MANY_ROWS = 16       # below it one numpy call is cheaper than the column loop


def _rows_max(P):
    if P.dtype == object:
        return np.array([max(r) for r in P], dtype=object)
    if P.ndim == 2 and 0 < P.shape[1] < _COLUMNWISE and P.shape[0] >= _MANY_ROWS:
        out = P[:, 0].copy()
        for j in range(1, P.shape[1]):
            np.maximum(out, P[:, j], out=out)
        return out
    return np.max(P, axis=1)


def _row_sums(A):
    if A.dtype == object:
        return np.array([mpmath.fsum(r) for r in A], dtype=object)
    if A.ndim == 2 and A.shape[1] < _COLUMNWISE and A.shape[0] >= _MANY_ROWS:
        return B.last_axis_sum(A)
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


def linear() -> VectorLoss:
    """−yᵀp: linear in p (convex), the loss at which Lemma 3 holds with equality."""
    def hess(P, Y):
        return 0.0 * P[:, :, None] * P[:, None, :]

    return VectorLoss(
        "linear", {"name": "linear"},
        value=lambda P, Y: -_row_sums(Y * P), grad=lambda P, Y: -Y + 0 * P, hess=hess,
        grad_sup=lambda Bp, y: B.norm(y) + 0 * Bp,
        value_sup=lambda Bp, y: Bp * B.norm(y),
        _diff=lambda P1, P2, Y: -_row_sums(Y * (P1 - P2)),
    )


def combination(terms) -> VectorLoss:
    """Σ c_j ℓ_j with every c_j ≥ 0 (non-negative combinations stay convex)."""
    terms = combination_terms(terms, VectorLoss)

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


_FACTORIES = {"softmax_ce": softmax_ce, "squared": squared, "linear": linear}


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
        # −ℓ is concave: the suite builds it in code for its negative controls, but a file cannot bring
        # a loss outside Assumption 1 back in (it would make a claim "hold" for a loss it does not cover)
        from ..losses import NonConvexLossError

        raise NonConvexLossError(f"hypothesis not met: the loss −{spec.get('loss', {}).get('name', 'ℓ')} (negated) "
                                 "is concave, but Assumption 1 (Sec. 2) requires ℓ convex")
    return by_name(spec.get("name"))

