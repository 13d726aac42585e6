"""Section 5's algorithm: x ↦ wᵀx + vᵀf_θ(x) trained by projected SGD, and the linear comparator.

``sgd_runs`` performs, for each run, the paper's update (Sec. 5)

    (w_{t+1}, v_{t+1}, θ_{t+1}) = Π_M((w_t, v_t, θ_t) − η ∇h_t(w_t, v_t, θ_t)),  M = M1 × M2,

as the separate projections Π_{M1}, Π_{M2} (the projection on a product is blockwise). The θ
step may be replaced, as the proof of Theorem 4 permits, by any other direction r_t:
``theta_rule`` = "sgd" (backpropagation through ``ResidualNet``), "ascent" (−∇_θ h_t: an
adversary making the features worse for the current (w, v)), "random" (seeded Gaussian
directions r_t) or "frozen" (θ fixed).

Vector outputs (Appendix A, last paragraph): with targets ``y`` of shape (n, m) and a
``theorems.model.vector.VectorLoss``, the same routines train x ↦ W x + U f_θ(x) (W ∈ R^{m×d},
U ∈ R^{m×k}) with the parameter vector laid out as (vec W, vec U), both row-major, so that
``v_zero_slice(M1, m·d)`` is the comparator set {W : (W, 0) ∈ M1}; ``minimize_over`` then
minimises over vec W_c. The θ step backpropagates Uᵀ∇ℓ.

``minimize_over`` computes the comparator of Theorem 4, a minimiser of F_lin over
{u : (u, 0) ∈ M1}, in float64, with a Frank–Wolfe certificate of its accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B
from theorems.core.memo import BoundedMemo, array_key

from .convex_sets import set_from_json
from .residual_net import ResidualNet, matvec, outer

__all__ = ["sgd_runs", "minimize_over", "THETA_RULES", "RECORDS", "SGDTrace", "product_projection_certificate"]

THETA_RULES = ("sgd", "ascent", "random", "frozen")


# minimisers kept by ``minimize_over``: a claim's polish moves coordinates the comparator does not
# depend on (the start, the features), and its 60-digit re-evaluation minimises the same float64 data
_MINIMIZE_CACHE = BoundedMemo(64)


def minimize_over(S, Z, y, weights, loss, *, iters: int = 300):
    """argmin_{a∈S} Σ_i weights_i ℓ(⟨a, Z_i⟩; y_i) by projected gradient with backtracking
    (float64); for targets y of shape (n, m), argmin over a = vec W_c of Σ_i weights_i ℓ(W_c Z_i; y_i)
    (module docstring). Returns (a, Frank–Wolfe gap max_{a'∈S}⟨∇, a − a'⟩ ≥ objective − min).

    A pure function of its float64 inputs: results are memoised (a bounded cache) on the set's exact
    float64 description, the exact bytes of Z, y and the weights, ``iters`` and the loss object itself."""
    Sj = S.to_json()
    S = set_from_json(Sj)                 # float_set(S)
    Z = np.asarray(B.to_float(Z), dtype=np.float64)
    y = np.asarray(B.to_float(y), dtype=np.float64)
    wts = np.asarray(B.to_float(weights), dtype=np.float64)
    key = (repr(Sj), loss, iters) + tuple(array_key(v) for v in (Z, y, wts))
    hit = _MINIMIZE_CACHE.get(key)
    if hit is None:
        hit = _MINIMIZE_CACHE.put(key, _minimize_over(S, Z, y, wts, loss, iters))
    return hit[0].copy(), hit[1]


def _minimize_over(S, Z, y, wts, loss, iters):
    """``minimize_over`` on float64 inputs, without the memo."""
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
    for it in range(iters):
        if it % 10 == 9:
            # stop once the Frank–Wolfe certificate is below 10⁻¹¹ of the objective (the claims subtract
            # the certificate, so a tighter minimiser changes no verdict, only the reported gap)
            g = grad(a)
            if float(g @ a - g @ S.argmin_linear(g)) <= 1e-11 * (1 + abs(fa)):
                break
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
    wv_step: list = None      # (w_t, v_t) − η∇_{(w,v)}h_t before the projection on M1, each (R, d + k)
    theta_step: list = None   # θ_t − η r_t before the projection on M2, each (R, P)


RECORDS = ("all", "iterates")


def sgd_runs(net: ResidualNet, loss, M1, M2, X, y, idx, wv1, theta1, eta, *, theta_rule: str = "sgd",
             r_seed: int = 0, r_scale: float = 1.0, record: str = "all") -> SGDTrace:
    """R independent runs of Sec. 5's projected SGD; run ρ sees samples X[idx[ρ, t]]. With targets
    y of shape (n, m), the vector-output architecture (module docstring).

    ``record``: "all" fills every list of the :class:`SGDTrace`; "iterates" only ``wv`` and ``theta``
    (the others stay empty) — the same iterates, bit for bit, without evaluating ℓ at every step
    (what ``repeated_runs.run_objectives`` needs: F is evaluated there, over the whole support)."""
    if theta_rule not in THETA_RULES:
        raise ValueError(f"argument 'theta_rule': unknown rule {theta_rule!r}; known: {', '.join(THETA_RULES)}")
    if record not in RECORDS:
        raise ValueError(f"argument 'record': expected one of {RECORDS}, got {record!r}")
    full = record == "all"
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
    tr = SGDTrace([], [], [], [], [], [], [])
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
            p = matvec(W, x) + matvec(U, phi)                       # (R, m)
            G = loss.grad(p, yt)                              # ∇_p ℓ, (R, m)
            g_wv = np.concatenate([outer(G, x).reshape(R, -1), outer(G, phi).reshape(R, -1)], axis=-1)
            g_phi = matvec(np.swapaxes(U, -1, -2), G)            # Uᵀ∇ℓ, (R, k)
        tr.wv.append(wv)
        tr.theta.append(th)
        if full:
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
        wv_step, th_step = wv - eta * g_wv, th - eta * g_th
        if full:
            tr.wv_step.append(wv_step)
            tr.theta_step.append(th_step)
        wv = M1.project(wv_step)
        th = M2.project(th_step)
    return tr


def product_projection_certificate(M1, M2, z_wv, z_th, *, project=None):
    """Eq. (17)'s first fact, checked by the variational inequality of the Euclidean projection:
    p = Π_M(z) for M = M1 × M2 iff p ∈ M and ⟨z − p, q − p⟩ ≤ 0 for every q ∈ M. With p the
    blockwise projection (Π_{M1}(z_wv), Π_{M2}(z_th)), returns (max(sup_{q∈M}⟨z − p, q − p⟩,
    dist(p, M)·(diam(M) + ‖z − p‖)), ‖z − p‖) — the second term is 0 exactly when p ∈ M:
    the sup of a linear function over the product is attained at (argmax over M1, argmax over M2),
    so the first value is ≤ 0 (up to rounding) exactly when the blockwise point is Π_M(z).
    ``project(z_wv, z_th)`` replaces the blockwise projection (for negative controls)."""
    p1, p2 = (M1.project(z_wv), M2.project(z_th)) if project is None else project(z_wv, z_th)
    r1, r2 = z_wv - p1, z_th - p2
    q1, q2 = M1.argmin_linear(-r1), M2.argmin_linear(-r2)
    sup = B.asum(r1 * (q1 - p1)) + B.asum(r2 * (q2 - p2))
    e1, e2 = p1 - M1.project(p1), p2 - M2.project(p2)
    dist = B.sqrt(B.asum(r1 * r1) + B.asum(r2 * r2))
    out = B.sqrt(B.asum(e1 * e1) + B.asum(e2 * e2)) * (B.sqrt(M1.diameter() ** 2 + M2.diameter() ** 2) + dist)
    return (sup if sup > out else out), dist
