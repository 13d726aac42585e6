"""Real feature maps f_θ: R^d → R^k (the residual branch before its last linear layer V, Sec. 2).

The paper assumes nothing about f_θ, so the suite feeds the claims the maps people actually
use — deep ReLU / leaky-ReLU / tanh / max-pooling nets and full pre-activation residual
stacks (He et al. 2016b) of any depth 0..6 and width 1..8 with random θ — and the degenerate
ones that break naive code: the zero map, constant maps, duplicated and rank-deficient
features, tiny and huge scales, and Remark 1's bias augmentation (a constant-1 coordinate).

``FeatureMap`` is a frozen description (kind, sizes, θ); calling it on X (n × d) gives Phi.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["FeatureMap", "KINDS", "DEGENERATE", "network", "zero", "constant", "duplicated",
           "rank_deficient", "scaled", "bias_augmented"]

ACTIVATIONS = {
    "relu": lambda h: np.maximum(h, 0.0),
    "leaky_relu": lambda h: np.where(h > 0, h, 0.1 * h),
    "tanh": np.tanh,
}
KINDS = ("relu", "leaky_relu", "tanh", "maxpool", "residual")
DEGENERATE = ("zero", "constant", "duplicated", "rank_deficient", "scaled", "bias_augmented")


@dataclass(frozen=True, eq=False)
class FeatureMap:
    kind: str
    in_dim: int
    out_dim: int
    theta: tuple = field(default=(), repr=False)
    base: "FeatureMap | None" = None
    info: dict = field(default_factory=dict)

    def __call__(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.in_dim:
            raise ValueError(f"argument 'X': expected shape (n, {self.in_dim}) for this f_θ, got {X.shape}")
        out = _apply(self, X)
        assert out.shape == (X.shape[0], self.out_dim)
        return out

    def describe(self) -> str:
        inner = f"∘{self.base.describe()}" if self.base is not None else ""
        extra = ",".join(f"{k}={v}" for k, v in self.info.items())
        return f"{self.kind}[{self.in_dim}→{self.out_dim}{',' + extra if extra else ''}]{inner}"


def _apply(f: FeatureMap, X):
    if f.kind in ("relu", "leaky_relu", "tanh"):
        act = ACTIVATIONS[f.kind]
        h = X
        for W, b in f.theta:
            h = act(h @ W.T + b)
        return h
    if f.kind == "maxpool":
        h = X
        for W, b in f.theta:  # each layer: affine to 2·width units, ReLU, max over pairs
            u = np.maximum(h @ W.T + b, 0.0)
            h = u.reshape(u.shape[0], -1, 2).max(axis=2)
        return h
    if f.kind == "residual":
        (W0, b0), blocks = f.theta[0], f.theta[1:]
        h = X @ W0.T + b0
        for W1, W2 in blocks:  # full pre-activation: h + W2 relu(W1 relu(h))
            h = h + np.maximum(np.maximum(h, 0.0) @ W1.T, 0.0) @ W2.T
        return np.maximum(h, 0.0)
    if f.kind == "zero":
        return np.zeros((X.shape[0], f.out_dim))
    if f.kind == "constant":
        (c,) = f.theta
        return np.broadcast_to(c, (X.shape[0], f.out_dim)).copy()
    base = f.base(X)
    if f.kind == "duplicated":
        (idx,) = f.theta
        return base[:, idx]
    if f.kind == "rank_deficient":
        (A,) = f.theta
        return base @ A.T
    if f.kind == "scaled":
        (s,) = f.theta
        return s * base
    if f.kind == "bias_augmented":
        return np.concatenate([base, np.ones((X.shape[0], 1))], axis=1)
    raise ValueError(f"unknown feature-map kind {f.kind!r}")


def _check_sizes(in_dim, depth, width):
    if not (isinstance(in_dim, int) and in_dim >= 1):
        raise ValueError(f"argument 'in_dim': must be an int ≥ 1, got {in_dim!r}")
    if not (isinstance(depth, int) and 0 <= depth <= 6):
        raise ValueError(f"argument 'depth': must be an int in 0..6, got {depth!r}")
    if not (isinstance(width, int) and 1 <= width <= 8):
        raise ValueError(f"argument 'width': must be an int in 1..8, got {width!r}")


def network(kind: str, in_dim: int, *, depth: int, width: int, seed: int, weight_scale: float = 1.0) -> FeatureMap:
    """A random deep net of the given kind; θ drawn (He-scaled Gaussian) from ``seed``.

    depth 0 is the identity map for the plain nets (f_θ(x) = x) and a single projection for the
    residual stack.
    """
    if kind not in KINDS:
        raise ValueError(f"argument 'kind': unknown network kind {kind!r}; known: {', '.join(KINDS)}")
    _check_sizes(in_dim, depth, width)
    rng = np.random.default_rng(seed)

    def layer(n_out, n_in, bias=True):
        W = rng.normal(size=(n_out, n_in)) * weight_scale * np.sqrt(2.0 / n_in)
        b = rng.normal(size=n_out) * 0.1 * weight_scale if bias else None
        return W, b

    info = {"depth": depth, "width": width, "seed": seed}
    if kind == "residual":
        theta = [layer(width, in_dim)]
        for _ in range(depth):
            W1, _ = layer(width, width)
            W2, _ = layer(width, width)
            theta.append((W1, W2 * 0.5))
        return FeatureMap(kind, in_dim, width, tuple(theta), info=info)
    theta, n_in = [], in_dim
    for _ in range(depth):
        theta.append(layer(2 * width if kind == "maxpool" else width, n_in))
        n_in = width
    return FeatureMap(kind, in_dim, n_in, tuple(theta), info=info)


def zero(in_dim: int, k: int) -> FeatureMap:
    return FeatureMap("zero", in_dim, k)


def constant(in_dim: int, c) -> FeatureMap:
    c = np.asarray(c, dtype=np.float64).reshape(-1)
    return FeatureMap("constant", in_dim, c.size, (c,))


def duplicated(base: FeatureMap, idx) -> FeatureMap:
    """Features base[:, idx] (repeated columns make Phi rank deficient)."""
    idx = np.asarray(idx, dtype=int)
    if idx.size < 1 or idx.min() < 0 or idx.max() >= base.out_dim:
        raise ValueError(f"argument 'idx': indices must lie in 0..{base.out_dim - 1}, got {idx.tolist()}")
    return FeatureMap("duplicated", base.in_dim, idx.size, (idx,), base)


def rank_deficient(base: FeatureMap, A) -> FeatureMap:
    """Features A · base(x), A of shape (k, base.out_dim) (low rank when A is)."""
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[1] != base.out_dim:
        raise ValueError(f"argument 'A': expected shape (k, {base.out_dim}), got {A.shape}")
    return FeatureMap("rank_deficient", base.in_dim, A.shape[0], (A,), base,
                      info={"rank": int(np.linalg.matrix_rank(A)) if A.size else 0})


def scaled(base: FeatureMap, s: float) -> FeatureMap:
    return FeatureMap("scaled", base.in_dim, base.out_dim, (float(s),), base, info={"scale": f"{s:.1e}"})


def bias_augmented(base: FeatureMap) -> FeatureMap:
    """Remark 1: f_θ(x) followed by a constant coordinate 1."""
    return FeatureMap("bias_augmented", base.in_dim, base.out_dim + 1, (), base)
