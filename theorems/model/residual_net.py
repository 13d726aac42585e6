"""Section 5's feature map f_θ, a residual network with θ as one flat vector, and its
backpropagation.

``ResidualNet`` is the feature map f_θ of ``features.network("residual", ...)``:
h_0 = W0 x + b0, h_{j+1} = h_j + W2_j relu(W1_j relu(h_j)) (full pre-activation blocks),
f_θ(x) = relu(h_L). Its gradient in θ is computed by backpropagation written out in numpy
(relu'(0) := 0, one of the "arbitrary vectors r" the paper allows at kinks), on float64 and on
mpmath object arrays alike, for a batch of independent runs at once (leading axis R).

``phi_bound(net, M2, ‖x‖)`` bounds ‖f_θ(x)‖ over every θ ∈ M2 (Theorem 4's constants need
it; ReLU is 1-Lipschitz with relu(0) = 0, spectral ≤ Frobenius norm): ‖h_0‖ ≤ ρ_W0‖x‖ + ρ_b0,
‖h_{j+1}‖ ≤ (1 + ρ_W1ρ_W2)‖h_j‖, with ρ the largest Frobenius norm of each tensor over M2
(``max_norm`` of its block, ``tensor_radii``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core.serialization import nested

from .convex_sets import Product

__all__ = ["ResidualNet", "NET", "relu", "relu_step", "matvec", "outer", "tensor_radii", "phi_bound"]


def relu(h):
    return np.where(np.asarray(h > 0), h, 0 * h)


def relu_step(h):
    # relu'(h) with relu'(0) = 0, as a 0/1 array in the arithmetic of h
    return np.where(np.asarray(h > 0), 0 * h + 1, 0 * h)


def matvec(W, x):
    """Batched matrix-vector product: W (..., a, b), x (..., b) -> (..., a)."""
    return (W @ x[..., None])[..., 0]


def outer(a, b):
    """Batched outer product: a (..., p), b (..., q) -> (..., p, q)."""
    return a[..., :, None] * b[..., None, :]


@dataclass(frozen=True)
class ResidualNet:
    """f_θ: R^d → R^k with ``depth`` residual blocks; θ ∈ R^P is one flat vector (``shapes``)."""

    d: int
    k: int
    depth: int

    def __post_init__(self):
        for name, lo in (("d", 1), ("k", 1), ("depth", 0)):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < lo or v > 16:
                raise ValueError(f"argument {name!r}: must be an int in [{lo}, 16], got {v!r}")

    def to_json(self):
        return {"d": self.d, "k": self.k, "depth": self.depth}

    @classmethod
    def from_json(cls, d):
        return cls(**d)

    @property
    def shapes(self):
        s = [(self.k, self.d), (self.k,)]
        for _ in range(self.depth):
            s += [(self.k, self.k), (self.k, self.k)]
        return s

    @property
    def P(self):
        return sum(int(np.prod(s)) for s in self.shapes)

    def unpack(self, theta):
        theta = np.asarray(theta)
        out, i = [], 0
        for s in self.shapes:
            n = int(np.prod(s))
            out.append(theta[..., i:i + n].reshape(theta.shape[:-1] + s))
            i += n
        return out

    def pack(self, tensors, lead):
        return np.concatenate([t.reshape(lead + (-1,)) for t in tensors], axis=-1)

    def init(self, seed: int, scale: float = 1.0):
        """He-scaled random θ (second layers of the blocks halved, as in features.network)."""
        rng = np.random.default_rng(seed)
        parts = [rng.normal(size=(self.k, self.d)) * np.sqrt(2 / self.d) * scale, rng.normal(size=self.k) * 0.1 * scale]
        for _ in range(self.depth):
            parts += [rng.normal(size=(self.k, self.k)) * np.sqrt(2 / self.k) * scale,
                      rng.normal(size=(self.k, self.k)) * np.sqrt(2 / self.k) * 0.5 * scale]
        return np.concatenate([p.reshape(-1) for p in parts])

    def forward(self, theta, X):
        """f_θ(X): theta (..., P), X (..., n, d) -> (..., n, k)."""
        T = self.unpack(theta)
        W0, b0 = T[0], T[1]
        h = X @ np.swapaxes(W0, -1, -2) + b0[..., None, :]
        for j in range(self.depth):
            W1, W2 = T[2 + 2 * j], T[3 + 2 * j]
            h = h + relu(relu(h) @ np.swapaxes(W1, -1, -2)) @ np.swapaxes(W2, -1, -2)
        return relu(h)

    def forward_one(self, theta, x):
        """f_θ(x) for one sample per run: theta (R, P), x (R, d) -> (phi (R, k), cache)."""
        T = self.unpack(theta)
        h = matvec(T[0], x) + T[1]
        cache = []
        for j in range(self.depth):
            W1, W2 = T[2 + 2 * j], T[3 + 2 * j]
            r1 = relu(h)
            u = matvec(W1, r1)
            r2 = relu(u)
            cache.append((h, r1, u, r2))
            h = h + matvec(W2, r2)
        return relu(h), (T, x, cache, h)

    def backward(self, cache, g_phi):
        """∇_θ of ⟨g_phi, f_θ(x)⟩ by backpropagation: -> (R, P)."""
        T, x, blocks, hL = cache
        g = g_phi * relu_step(hL)
        grads = [None] * len(T)
        for j in reversed(range(self.depth)):
            h, r1, u, r2 = blocks[j]
            W1, W2 = T[2 + 2 * j], T[3 + 2 * j]
            grads[3 + 2 * j] = outer(g, r2)
            gu = matvec(np.swapaxes(W2, -1, -2), g) * relu_step(u)
            grads[2 + 2 * j] = outer(gu, r1)
            g = g + matvec(np.swapaxes(W1, -1, -2), gu) * relu_step(h)
        grads[0] = outer(g, x)
        grads[1] = g
        return self.pack(grads, g.shape[:-1])


def tensor_radii(net: ResidualNet, M2):
    """ρ per tensor: the largest Frobenius norm of that tensor over θ ∈ M2."""
    sizes = [int(np.prod(s)) for s in net.shapes]
    if isinstance(M2, Product) and [p.dim for p in M2.parts] == sizes:
        return [p.max_norm() for p in M2.parts]
    return [M2.max_norm()] * len(sizes)


def phi_bound(net: ResidualNet, M2, x_norm):
    """An upper bound on sup_{θ∈M2} ‖f_θ(x)‖ (module docstring)."""
    rho = tensor_radii(net, M2)
    h = rho[0] * x_norm + rho[1]
    for j in range(net.depth):
        h = h * (1 + rho[2 + 2 * j] * rho[3 + 2 * j])
    return h


NET = nested(ResidualNet.to_json, ResidualNet.from_json, lambda net: net)   # the codec of a network field
