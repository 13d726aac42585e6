"""The objective of Appendix A's vector-valued model x ↦ W(x + V f_θ(x)), its gradient and Hessian.

Notation (Appendix A): W ∈ R^{m×d} (m outputs), V ∈ R^{d×k}, φ_i = f_θ(x_i) ∈ R^k at the fixed θ,
z_i = x_i + V φ_i and the prediction p_i = W z_i ∈ R^m. With targets y_i ∈ R^m and weights π_i,

    F_θ(W, V) = Σ_i π_i ℓ(W z_i; y_i),        F_lin(W*) = F_θ(W*, 0) = Σ_i π_i ℓ(W* x_i; y_i)

(``VectorSample.p`` is written π here to keep p for predictions). With D = diag(π) ∇ℓ (rows
d_ℓ,i = ∇_p ℓ(p_i; y_i), n × m), the gradient of the proof of Lemma 3 is

    ∂F/∂W = E[d_ℓ (x + V f_θ(x))ᵀ] = Dᵀ Z        (m × d)
    ∂F/∂V = E[Wᵀ d_ℓ f_θ(x)ᵀ]      = Wᵀ Dᵀ Φ     (d × k).

Hessian w.r.t. (vec W, vec V), **vec row-major**: coordinate a·d + b is W[a, b] and
m·d + i·k + j is V[i, j]. With the Jacobian J_i = ∂p_i/∂(vec W, vec V) (an m × (md + dk)
matrix: ∂p_a/∂W[c, b] = δ_ac z_b, ∂p_a/∂V[i, j] = W[a, i] φ_j), the loss Hessians
Hℓ_i = ∇²_p ℓ(p_i; y_i) and R = Dᵀ Φ (m × k),

    ∇²F_θ = Σ_i π_i J_iᵀ Hℓ_i J_i + [[0, C], [Cᵀ, 0]],   C[a·d + b, b·k + j] = R[a, j]

(the second term is Σ_i d_ℓ,i · ∂²p_i, from ∂²p_a/∂W[c, b]∂V[i, j] = δ_ac δ_bi φ_j).

``gradient_terms`` is the one implementation of the gradient (the public ``gradient`` validates
its arguments first; Lemma 3's first-order quantities reuse the intermediate Z, P, D), and
``hessian`` the one implementation of the Hessian. :class:`FlatObjective` is F_θ as a function of
the long vector (vec W, vec V), for optimizers.

Everything runs unchanged on float64 arrays and on mpmath object arrays (``backend``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B

from .losses import VectorLoss
from .sample import VectorSample, check_vector_arguments

__all__ = ["predictions", "objective", "linear_objective", "gap", "GradientTerms", "gradient_terms", "gradient",
           "linear_gradient", "linear_hessian", "jacobians", "hessian", "split", "FlatObjective"]


def _Z(s, V):
    """Rows z_i = x_i + V f_θ(x_i)."""
    return s.X + s.Phi @ V.T


def predictions(s: VectorSample, W, V):
    """Rows p_i = W(x_i + V f_θ(x_i)) (n × m)."""
    return _Z(s, V) @ W.T


def objective(s: VectorSample, loss: VectorLoss, W, V):
    """F_θ(W, V) = E[ℓ(W(x + V f_θ(x)); y)]  (Appendix A)."""
    W, V = check_vector_arguments(s, loss, W, V)
    loss.check_targets(s.Y)
    return B.asum(s.p * loss.value(predictions(s, W, V), s.Y))


def linear_objective(s: VectorSample, loss: VectorLoss, W_star):
    """F_lin(W*) = E[ℓ(W* x; y)]."""
    (W_star,) = check_vector_arguments(s, loss, W_star=W_star)
    return B.asum(s.p * loss.value(s.X @ W_star.T, s.Y))


def gap(s: VectorSample, loss: VectorLoss, W, V, W_star):
    """F_θ(W, V) − F_lin(W*), summed per sample as ℓ(p_i) − ℓ(p*_i)."""
    W, V, W_star = check_vector_arguments(s, loss, W, V, W_star)
    return B.asum(s.p * loss.diff(predictions(s, W, V), s.X @ W_star.T, s.Y))


@dataclass(frozen=True)
class GradientTerms:
    """∇F_θ(W, V) and the arrays it is built from."""

    Z: np.ndarray          # rows z_i = x_i + V φ_i
    P: np.ndarray          # rows p_i = W z_i
    G: np.ndarray          # rows ∇_p ℓ(p_i; y_i)
    D: np.ndarray          # rows π_i ∇_p ℓ(p_i; y_i)
    g_W: np.ndarray        # ∂F/∂W = Dᵀ Z
    g_V: np.ndarray        # ∂F/∂V = Wᵀ Dᵀ Φ


def gradient_terms(s: VectorSample, loss: VectorLoss, W, V) -> GradientTerms:
    """The gradient of the proof of Lemma 3 with its intermediate arrays (arguments not re-validated)."""
    Z = _Z(s, V)
    P = Z @ W.T
    G = loss.grad(P, s.Y)
    D = s.p[:, None] * G
    return GradientTerms(Z, P, G, D, D.T @ Z, W.T @ (D.T @ s.Phi))


def gradient(s: VectorSample, loss: VectorLoss, W, V):
    """(∂F/∂W, ∂F/∂V) = (E[d_ℓ (x + V f_θ(x))ᵀ], E[Wᵀ d_ℓ f_θ(x)ᵀ])  (proof of Lemma 3)."""
    W, V = check_vector_arguments(s, loss, W, V)
    t = gradient_terms(s, loss, W, V)
    return t.g_W, t.g_V


def linear_gradient(s: VectorSample, loss: VectorLoss, W_star):
    """∇F_lin(W*) = E[∇ℓ(W* x; y) xᵀ] (m × d)."""
    (W_star,) = check_vector_arguments(s, loss, W_star=W_star)
    D = s.p[:, None] * loss.grad(s.X @ W_star.T, s.Y)
    return D.T @ s.X


def linear_hessian(s: VectorSample, loss: VectorLoss, W_star):
    """∇²F_lin(W*) w.r.t. vec W* (row-major): Σ π_i Hℓ_i ⊗ x_i x_iᵀ."""
    (W_star,) = check_vector_arguments(s, loss, W_star=W_star)
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
    W, V = check_vector_arguments(s, loss, W, V)
    n, m, d, k = s.n, s.m, s.d, s.k
    t = gradient_terms(s, loss, W, V)
    Hl = loss.hess(t.P, s.Y)
    J = jacobians(s, W, V)
    A = np.concatenate([(s.p[i] * Hl[i]) @ J[i] for i in range(n)], axis=0)   # (n·m) × P
    H = J.reshape(n * m, -1).T @ A
    R = t.D.T @ s.Phi                                                          # m × k
    for a in range(m):
        for b in range(d):   # C[a·d + b, m·d + b·k + j] = R[a, j]
            row, col = a * d + b, m * d + b * k
            H[row, col:col + k] = H[row, col:col + k] + R[a]
            H[col:col + k, row] = H[col:col + k, row] + R[a]
    return H


def split(z, m: int, d: int, k: int):
    """(W, V) from the long vector z = (vec W, vec V) (row-major)."""
    return z[:m * d].reshape(m, d), z[m * d:].reshape(d, k)


class FlatObjective:
    """F_θ, its gradient and its Hessian as functions of z = (vec W, vec V), in the precision of
    ``sample`` (for trust-region searches and the certification of local minima, Remark 2)."""

    def __init__(self, sample: VectorSample, loss: VectorLoss):
        self.s, self.loss = sample, loss
        self.m, self.d, self.k = sample.m, sample.d, sample.k

    def f(self, z):
        return objective(self.s, self.loss, *split(z, self.m, self.d, self.k))

    def g(self, z):
        gW, gV = gradient(self.s, self.loss, *split(z, self.m, self.d, self.k))
        return np.concatenate([gW.reshape(-1), gV.reshape(-1)])

    def h(self, z):
        return hessian(self.s, self.loss, *split(z, self.m, self.d, self.k))
