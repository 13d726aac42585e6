"""Section 5's architecture and algorithm: x ↦ wᵀx + vᵀf_θ(x), trained by projected SGD.

``ResidualNet`` is the feature map f_θ of ``features.network("residual", ...)`` with θ as one
flat vector: h_0 = W0 x + b0, h_{j+1} = h_j + W2_j relu(W1_j relu(h_j)) (full pre-activation
blocks), f_θ(x) = relu(h_L). Its gradient in θ is computed by backpropagation written out in
numpy (relu'(0) := 0, one of the "arbitrary vectors r" the paper allows at kinks), on float64 and
on mpmath object arrays alike, for a batch of independent runs at once (leading axis R).

``sgd_runs`` performs, for each run, the paper's update (Sec. 5)

    (w_{t+1}, v_{t+1}, θ_{t+1}) = Π_M((w_t, v_t, θ_t) − η ∇h_t(w_t, v_t, θ_t)),  M = M1 × M2,

as the separate projections Π_{M1}, Π_{M2} (the projection on a product is blockwise). The θ
step may be replaced, as the proof of Theorem 4 permits, by any other direction r_t:
``theta_rule`` = "sgd" (backpropagation), "ascent" (−∇_θ h_t: an adversary making the features
worse for the current (w, v)), "random" (seeded Gaussian directions r_t) or "frozen" (θ fixed).

Vector outputs (Appendix A, last paragraph): with targets ``y`` of shape (n, m) and a
``theorems.model.vector.VectorLoss``, the same routines train x ↦ W x + U f_θ(x) (W ∈ R^{m×d},
U ∈ R^{m×k}) with the parameter vector laid out as (vec W, vec U), both row-major, so that
``v_zero_slice(M1, m·d)`` is the comparator set {W : (W, 0) ∈ M1}; ``minimize_over`` then
minimises over vec W_c. The θ step backpropagates Uᵀ∇ℓ.

``phi_bound(net, M2, ‖x‖)`` bounds ‖f_θ(x)‖ over every θ ∈ M2 (ReLU is 1-Lipschitz with
relu(0) = 0, spectral ≤ Frobenius norm): ‖h_0‖ ≤ ρ_W0‖x‖ + ρ_b0, ‖h_{j+1}‖ ≤ (1 + ρ_W1ρ_W2)‖h_j‖,
with ρ the largest Frobenius norm of each tensor over M2 (``max_norm`` of its block).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import backend as B
from . import online as O

__all__ = ["ResidualNet", "sgd_runs", "phi_bound", "relu", "tensor_radii", "v_zero_slice", "minimize_over",
           "THETA_RULES", "SGDTrace"]

THETA_RULES = ("sgd", "ascent", "random", "frozen")


def relu(h):
    return np.where(np.asarray(h > 0), h, 0 * h)


def _step(h):
    # relu'(h) with relu'(0) = 0, as a 0/1 array in the arithmetic of h
    return np.where(np.asarray(h > 0), 0 * h + 1, 0 * h)


def _mv(W, x):
    """Batched matrix-vector product: W (..., a, b), x (..., b) -> (..., a)."""
    return (W @ x[..., None])[..., 0]


def _outer(a, b):
    return a[..., :, None] * b[..., None, :]


@dataclass(frozen=True)
class ResidualNet:
    d: int
    k: int
    depth: int

    def __post_init__(self):
        for name, lo in (("d", 1), ("k", 1), ("depth", 0)):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < lo or v > 16:
                raise ValueError(f"argument {name!r}: must be an int in [{lo}, 16], got {v!r}")

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
        h = _mv(T[0], x) + T[1]
        cache = []
        for j in range(self.depth):
            W1, W2 = T[2 + 2 * j], T[3 + 2 * j]
            r1 = relu(h)
            u = _mv(W1, r1)
            r2 = relu(u)
            cache.append((h, r1, u, r2))
            h = h + _mv(W2, r2)
        return relu(h), (T, x, cache, h)

    def backward(self, cache, g_phi):
        """∇_θ of ⟨g_phi, f_θ(x)⟩ by backpropagation: -> (R, P)."""
        T, x, blocks, hL = cache
        g = g_phi * _step(hL)
        grads = [None] * len(T)
        for j in reversed(range(self.depth)):
            h, r1, u, r2 = blocks[j]
            W1, W2 = T[2 + 2 * j], T[3 + 2 * j]
            grads[3 + 2 * j] = _outer(g, r2)
            gu = _mv(np.swapaxes(W2, -1, -2), g) * _step(u)
            grads[2 + 2 * j] = _outer(gu, r1)
            g = g + _mv(np.swapaxes(W1, -1, -2), gu) * _step(h)
        grads[0] = _outer(g, x)
        grads[1] = g
        return self.pack(grads, g.shape[:-1])


def tensor_radii(net: ResidualNet, M2):
    """ρ per tensor: the largest Frobenius norm of that tensor over θ ∈ M2."""
    sizes = [int(np.prod(s)) for s in net.shapes]
    if isinstance(M2, O.Product) and [p.dim for p in M2.parts] == sizes:
        return [p.max_norm() for p in M2.parts]
    return [M2.max_norm()] * len(sizes)


def phi_bound(net: ResidualNet, M2, x_norm):
    """An upper bound on sup_{θ∈M2} ‖f_θ(x)‖ (module docstring)."""
    rho = tensor_radii(net, M2)
    h = rho[0] * x_norm + rho[1]
    for j in range(net.depth):
        h = h * (1 + rho[2 + 2 * j] * rho[3 + 2 * j])
    return h


def v_zero_slice(M1, d: int):
    """U = {u : (u, 0) ∈ M1} as a set in R^d (None when it is empty or not of a known form)."""
    if isinstance(M1, O.Product) and len(M1.parts) == 2 and M1.parts[0].dim == d:
        Pv = M1.parts[1]
        return M1.parts[0] if Pv.contains(np.zeros(Pv.dim)) else None
    if isinstance(M1, O.Ball):
        cv = M1.center[d:]
        rest = M1.radius ** 2 - B.asum(cv * cv)
        return O.Ball(M1.center[:d], B.sqrt(rest)) if rest >= 0 else None
    if isinstance(M1, O.Box):
        ok = all(a <= 0 <= b for a, b in zip(M1.lo[d:], M1.hi[d:]))
        return O.Box(M1.lo[:d], M1.hi[:d]) if ok else None
    return None


def minimize_over(S, Z, y, weights, loss, *, iters: int = 300):
    """argmin_{a∈S} Σ_i weights_i ℓ(⟨a, Z_i⟩; y_i) by projected gradient with backtracking
    (float64); for targets y of shape (n, m), argmin over a = vec W_c of Σ_i weights_i ℓ(W_c Z_i; y_i)
    (module docstring). Returns (a, Frank–Wolfe gap max_{a'∈S}⟨∇, a − a'⟩ ≥ objective − min)."""
    S = O.set_from_json(S.to_json())
    Z = np.asarray(B.to_float(Z), dtype=np.float64)
    y = np.asarray(B.to_float(y), dtype=np.float64)
    wts = np.asarray(B.to_float(weights), dtype=np.float64)

    if y.ndim == 2:
        # vector outputs: a = vec W_c (row-major, m × d), predictions Z W_cᵀ, a vector loss
        m = y.shape[1]

        def f(a):
            return float(np.sum(wts * loss.value(Z @ a.reshape(m, -1).T, y)))

        def grad(a):
            return ((wts[:, None] * loss.grad(Z @ a.reshape(m, -1).T, y)).T @ Z).reshape(-1)
    else:
        def f(a):
            return float(np.sum(wts * loss.value(Z @ a, y)))

        def grad(a):
            return (wts * loss.d1(Z @ a, y)) @ Z

    a = S.project(np.zeros(Z.shape[1] * (y.shape[1] if y.ndim == 2 else 1)))
    fa, step = f(a), 1.0
    for _ in range(iters):
        g = grad(a)
        while True:
            a2 = S.project(a - step * g)
            fa2 = f(a2)
            dlt = a2 - a
            if not np.isfinite(fa2) or fa2 > fa + g @ dlt + (dlt @ dlt) / (2 * step):
                step /= 2
                if step < 1e-30:
                    break
                continue
            break
        if step < 1e-30 or np.allclose(a2, a, rtol=0, atol=0):
            break
        a, fa = a2, fa2
        step *= 1.5
    g = grad(a)
    return a, float(g @ a - g @ S.argmin_linear(g))


@dataclass
class SGDTrace:
    wv: list          # (w_t, v_t), t = 1..T, each (R, d + k) (vector outputs: (vec W_t, vec U_t), (R, m(d + k)))
    theta: list       # θ_t, each (R, P)
    z: list           # z_t = (x_t, f_{θ_t}(x_t)), each (R, d + k)
    y: list           # y_t, each (R,) (vector outputs: (R, m))
    loss_t: list      # ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t), each (R,) (vector outputs: ℓ(W_t x_t + U_t φ_t; y_t))


def sgd_runs(net: ResidualNet, loss, M1, M2, X, y, idx, wv1, theta1, eta, *, theta_rule: str = "sgd",
             r_seed: int = 0, r_scale: float = 1.0) -> SGDTrace:
    """R independent runs of Sec. 5's projected SGD; run ρ sees samples X[idx[ρ, t]]. With targets
    y of shape (n, m), the vector-output architecture (module docstring)."""
    if theta_rule not in THETA_RULES:
        raise ValueError(f"argument 'theta_rule': unknown rule {theta_rule!r}; known: {', '.join(THETA_RULES)}")
    idx = np.asarray(idx)
    if idx.ndim != 2 or idx.shape[1] < 1:
        raise ValueError(f"argument 'idx': expected shape (runs, T) with T ≥ 1, got {idx.shape}")
    R, T = idx.shape
    d, k = net.d, net.k
    m = y.shape[1] if np.ndim(y) == 2 else None
    if m is not None and np.shape(wv1) != (m * (d + k),):
        raise ValueError(f"argument 'wv1': expected (vec W, vec U) of length m(d + k) = {m * (d + k)}, "
                         f"got shape {np.shape(wv1)}")
    wv = np.stack([np.asarray(wv1)] * R)
    th = np.stack([np.asarray(theta1)] * R)
    mp = B.is_mp(wv, th)
    rng = np.random.default_rng(r_seed)
    tr = SGDTrace([], [], [], [], [])
    for t in range(T):
        x, yt = X[idx[:, t]], y[idx[:, t]]
        phi, cache = net.forward_one(th, x)
        z = np.concatenate([x, phi], axis=-1)
        if m is None:
            p = np.sum(wv * z, axis=-1)
            dl = loss.d1(p, yt)
            g_wv = dl[:, None] * z
            g_phi = dl[:, None] * wv[:, d:]
        else:
            W, U = wv[:, :m * d].reshape(R, m, d), wv[:, m * d:].reshape(R, m, k)
            p = _mv(W, x) + _mv(U, phi)                       # (R, m)
            G = loss.grad(p, yt)                              # ∇_p ℓ, (R, m)
            g_wv = np.concatenate([_outer(G, x).reshape(R, -1), _outer(G, phi).reshape(R, -1)], axis=-1)
            g_phi = _mv(np.swapaxes(U, -1, -2), G)            # Uᵀ∇ℓ, (R, k)
        tr.wv.append(wv)
        tr.theta.append(th)
        tr.z.append(z)
        tr.y.append(yt)
        tr.loss_t.append(loss.value(p, yt))
        if theta_rule in ("sgd", "ascent"):
            g_th = net.backward(cache, g_phi)
            if theta_rule == "ascent":
                g_th = -g_th
        elif theta_rule == "random":
            r = rng.normal(size=th.shape) * r_scale
            g_th = B.to_mp(r) if mp else r
        else:
            g_th = 0 * th
        wv = M1.project(wv - eta * g_wv)
        th = M2.project(th - eta * g_th)
    return tr
