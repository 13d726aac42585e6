"""Hand checks (issue 22): for each instance type, one instance, the claim's two sides recomputed
from the model's functions or plain numpy (never through the claim's ``evaluate`` nor the helpers it
calls), compared with ``claim.evaluate(inst)`` at rtol 1e-9. An entry returns (claim id, instance, lhs,
rhs) and optionally a dict of further hand-computed quantities, compared with ``ev.quantities`` (for
the count and p-value claims, where lhs and rhs alone say little). README: "Hand checks for other
instance types"; ``test_every_instance_type_has_a_hand_check`` keeps the table complete."""

from __future__ import annotations

import numpy as np
import pytest

from theorems.audit import load_claims
from theorems.contract.registry import CLAIMS

load_claims()


def _point():
    """Point, Theorem 1: ‖∇F‖ ≥ (F − F_lin(w*))/√(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²))."""
    from theorems.model import gradient, linear_objective, objective

    inst = CLAIMS["theorem1"].example()
    s, w, V, ws = inst.sample, inst.w, inst.V, inst.w_star
    g_w, g_V = gradient(s, inst.loss, w, V)
    lhs = np.sqrt(np.sum(g_w ** 2) + np.sum(g_V ** 2))
    gap = objective(s, inst.loss, w, V) - linear_objective(s, inst.loss, ws)
    nw, nws, nV = np.linalg.norm(w), np.linalg.norm(ws), np.linalg.norm(V, 2)
    return "theorem1", inst, lhs, gap / np.sqrt(2 * nw ** 2 + nws ** 2 * (2 + nV ** 2 / nw ** 2))


def _vector_point():
    """VectorPoint, Theorem 6: ‖∇F‖ ≥ (F − F_lin(W*))/√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))."""
    from theorems.model.vector.objective import gradient, linear_objective, objective

    inst = CLAIMS["theorem6"].example()
    s, W, V, Ws = inst.sample, inst.W, inst.V, inst.W_star
    g_W, g_V = gradient(s, inst.loss, W, V)
    lhs = np.sqrt(np.sum(g_W ** 2) + np.sum(g_V ** 2))
    gap = objective(s, inst.loss, W, V) - linear_objective(s, inst.loss, Ws)
    s_min = np.linalg.svd(W, compute_uv=False)[-1]
    denom = np.sqrt(2 * np.sum(W ** 2) + np.sum(Ws ** 2) * (2 + np.linalg.norm(V, 2) ** 2 / s_min ** 2))
    return "theorem6", inst, lhs, gap / denom


def _lemma2_matrix():
    """Lemma2Matrix, Lemma 2: M = [[b, uᵀ], [u, 0]] has λ_min with λ² − bλ = ‖u‖² (both sides)."""
    inst = CLAIMS["lemma2"].example()
    u = np.asarray(inst.u, dtype=float)
    M = np.block([[np.array([[inst.b]]), u[None, :]], [u[:, None], np.zeros((u.size, u.size))]])
    lam = np.linalg.eigvalsh(M)[0]
    return "lemma2", inst, u @ u, lam ** 2 - inst.b * lam


def _row_rank_matrix():
    """RowRankMatrix, the corrected SVD step: ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹."""
    inst = CLAIMS["theorem6.svd_step.corrected"].example()
    W = np.asarray(inst.W, dtype=float)
    lhs = np.linalg.norm(W.T @ np.linalg.inv(W @ W.T), 2)
    return "theorem6.svd_step.corrected", inst, lhs, 1 / np.linalg.svd(W, compute_uv=False)[-1]


# -- plain-numpy tools the hand checks below share ------------------------------------------------
def _pmul(P, Q):
    """Product of two polynomials in (w, v), as coefficient arrays C[i, j] of w^i v^j."""
    out = np.zeros((P.shape[0] + Q.shape[0] - 1, P.shape[1] + Q.shape[1] - 1))
    for (i, j), a in np.ndenumerate(P):
        out[i:i + Q.shape[0], j:j + Q.shape[1]] += a * Q
    return out


def _padd(*Ps):
    out = np.zeros((max(P.shape[0] for P in Ps), max(P.shape[1] for P in Ps)))
    for P in Ps:
        out[:P.shape[0], :P.shape[1]] += P
    return out


def _pdiff(P, axis):
    return np.polynomial.polynomial.polyder(P, axis=axis)


def _pval(P, w, v):
    return np.polynomial.polynomial.polyval2d(w, v, P)


def _example1_square(c, eps):
    """c·(w(1 + εv) − 1)², the F of Example 1 (c = ½) and of Figure 1's readings, as a polynomial."""
    r = np.array([[-1.0, 0.0], [1.0, eps]])
    return c * _pmul(r, r)


def _derivatives(P, w, v):
    """(∇P, ∇²P) at (w, v), exact polynomial derivatives (no formula of the paper)."""
    Pw, Pv = _pdiff(P, 0), _pdiff(P, 1)
    g = np.array([_pval(Pw, w, v), _pval(Pv, w, v)])
    H = np.array([[_pval(_pdiff(Pw, 0), w, v), _pval(_pdiff(Pw, 1), w, v)],
                  [_pval(_pdiff(Pv, 0), w, v), _pval(_pdiff(Pv, 1), w, v)]])
    return g, H


def _golden_max(f, lo, hi, iters=80):
    """max of a unimodal f on [lo, hi] by golden-section search."""
    r = (np.sqrt(5) - 1) / 2
    a, b = lo, hi
    for _ in range(iters):
        x1, x2 = b - r * (b - a), a + r * (b - a)
        if f(x1) < f(x2):
            a = x1
        else:
            b = x2
    return f((a + b) / 2)


def _circle_max(f):
    """max over θ ∈ [0, 2π) of f(θ): a 4096-point grid, then golden section around the best point."""
    th = np.linspace(0, 2 * np.pi, 4096, endpoint=False)
    k = int(np.argmax(f(th)))
    return _golden_max(f, th[k] - 2 * np.pi / 4096, th[k] + 2 * np.pi / 4096)


def _ball_minimum(f, grad, dim, radius):
    """min of a smooth convex f over {‖a‖ ≤ radius}: 100 projected-gradient steps with backtracking, then
    Newton on the first-order conditions, ∇f(a) = 0 inside or ∇f(a) + μa = 0, ‖a‖ = radius on the sphere
    (Lagrange), the Hessian by central differences of ∇f (the residual is exact, so the fixed point is).
    Returns (a, f(a), the Frank–Wolfe gap ⟨∇f(a), a⟩ + radius·‖∇f(a)‖ ≥ f(a) − min)."""
    def proj(a):
        n = np.linalg.norm(a)
        return a if n <= radius else a * (radius / n)

    def hess(a):
        h = 1e-5 * (1 + np.linalg.norm(a))
        return np.array([(grad(a + h * e) - grad(a - h * e)) / (2 * h) for e in np.eye(dim)])

    a, step = np.zeros(dim), 1.0
    for _ in range(100):
        g = grad(a)
        while True:
            a2 = proj(a - step * g)
            if f(a2) <= f(a) + g @ (a2 - a) + (a2 - a) @ (a2 - a) / (2 * step):
                break
            step /= 2
        a, step = a2, step * 2
    inside = np.linalg.norm(a) < radius * (1 - 1e-9)
    mu = 0.0 if inside else -grad(a) @ a / radius ** 2
    for _ in range(20):
        g, H = grad(a), hess(a)
        if inside:
            dz = np.linalg.solve(H, g)
        else:
            J = np.block([[H + mu * np.eye(dim), a[:, None]], [a[None, :], np.zeros((1, 1))]])
            dz = np.linalg.solve(J, np.r_[g + mu * a, (a @ a - radius ** 2) / 2])
            mu = mu - dz[-1]
        a = a - dz[:dim]
        if np.linalg.norm(dz[:dim]) <= 1e-15 * (1 + np.linalg.norm(a)):
            break
    g = grad(a)
    return a, f(a), g @ a + radius * np.linalg.norm(g)


def _logistic(p, y):
    """ℓ(p; y) = log(1 + e^{−yp}) and ℓ'(p; y) = −y·σ(−yp)."""
    return np.logaddexp(0, -y * p), -y * np.exp(-np.logaddexp(0, y * p))


def _softmax_ce(P, Y):
    """log Σ_a e^{p_a} − yᵀp and its gradient softmax(p) − y (rows)."""
    mx = P.max(axis=-1, keepdims=True)
    S = np.exp(P - mx)
    lse = mx[..., 0] + np.log(S.sum(axis=-1))
    return lse - np.sum(Y * P, axis=-1), S / S.sum(axis=-1, keepdims=True) - Y


def _relu(h):
    return np.maximum(h, 0.0) if h.dtype.kind == "f" else np.where(h.real > 0, h, 0 * h)


def _features(theta, X, d, k, depth):
    """f_θ(x) of Sec. 5's residual network (h₀ = W0x + b0, h ← h + W2 relu(W1 relu(h)), f = relu(h)) for the
    rows x of X (..., n, d), θ (..., P) flat in the order W0, b0, (W1, W2) per block -> (..., n, k); the
    leading axes broadcast, and θ may be complex."""
    def mat(i, rows, cols):
        return np.swapaxes(theta[..., i:i + rows * cols].reshape(theta.shape[:-1] + (rows, cols)), -1, -2)
    h = X @ mat(0, k, d) + theta[..., None, k * d:k * d + k]
    for j in range(depth):
        i = k * d + k + 2 * j * k * k
        h = h + _relu(_relu(h) @ mat(i, k, k)) @ mat(i + k * k, k, k)
    return _relu(h)


def _theta_gradient(theta, x, g_phi, d, k, depth, h=1e-30):
    """∇_θ ⟨g_φ, f_θ(x)⟩ per run by complex-step differentiation, Im f(θ + ih·e_j)/h: exact to rounding away
    from the ReLU kinks, and no backpropagation (theta (R, P), x (R, d), g_phi (R, k))."""
    P = theta.shape[-1]
    Th = theta[:, None, :] + 1j * h * np.eye(P)[None]
    phi = _features(Th, x[:, None, None, :], d, k, depth)[:, :, 0]     # (R, P, k)
    return np.einsum("rpk,rk->rp", phi.imag, g_phi) / h


def _project_blocks(a, radii):
    """Projection on a product of centred balls over consecutive blocks: (sizes, radii) pairs."""
    out, i = [], 0
    for size, r in radii:
        blk = a[..., i:i + size]
        n = np.sqrt(np.sum(blk * blk, axis=-1, keepdims=True))
        out.append(np.where(n > r, blk * (r / np.where(n > r, n, 1.0)), blk))
        i += size
    return np.concatenate(out, axis=-1)


def _ball_blocks(S):
    """((size, radius), …) of a product of centred balls (M1, M2 of the SGD examples)."""
    assert all(p.kind == "ball" and not np.any(p.center) for p in S.parts), "expected centred balls"
    return [(p.dim, float(p.radius)) for p in S.parts]


def _phi_bound(x_norm, radii, depth):
    """Φ(x) ≥ sup_{θ∈M2} ‖f_θ(x)‖: ‖h₀‖ ≤ ρ_W0‖x‖ + ρ_b0 and each block multiplies by (1 + ρ_W1ρ_W2)
    (ReLU 1-Lipschitz, spectral ≤ Frobenius), ρ the radii of M2's tensor balls (Theorem 4's constants)."""
    rho = [r for _, r in radii]
    out = rho[0] * x_norm + rho[1]
    for j in range(depth):
        out = out * (1 + rho[2 + 2 * j] * rho[3 + 2 * j])
    return out


def _skip_sgd(net, X_t, Y_t, M1, M2, wv1, theta1, eta, *, vector):
    """Sec. 5's projected SGD on (w, v, θ) (or (vec W, vec U, θ)), re-run in plain numpy for R runs at once:
    samples X_t (R, T, d), targets Y_t (R, T) or (R, T, m). Returns the iterates (wv (R, T, D), θ (R, T, P))
    and ℓ at the iterate on its own sample, (R, T)."""
    d, k, depth = net.d, net.k, net.depth
    R, T = X_t.shape[:2]
    wv = np.tile(_project_blocks(np.asarray(wv1, float), M1), (R, 1))
    th = np.tile(_project_blocks(np.asarray(theta1, float), M2), (R, 1))
    WV, TH, L = [], [], []
    for t in range(T):
        x, y = X_t[:, t], Y_t[:, t]
        phi = _features(th, x[:, None, :], d, k, depth)[:, 0]
        if vector:
            m = y.shape[-1]
            W, U = wv[:, :m * d].reshape(R, m, d), wv[:, m * d:].reshape(R, m, k)
            val, G = _softmax_ce(np.einsum("rmd,rd->rm", W, x) + np.einsum("rmk,rk->rm", U, phi), y)
            g_wv = np.concatenate([(G[:, :, None] * x[:, None, :]).reshape(R, -1),
                                   (G[:, :, None] * phi[:, None, :]).reshape(R, -1)], axis=1)
            g_phi = np.einsum("rmk,rm->rk", U, G)
        else:
            z = np.concatenate([x, phi], axis=1)
            val, dl = _logistic(np.sum(wv * z, axis=1), y)
            g_wv, g_phi = dl[:, None] * z, dl[:, None] * wv[:, d:]
        WV.append(wv)
        TH.append(th)
        L.append(val)
        g_th = _theta_gradient(th, x, g_phi, d, k, depth)
        wv, th = _project_blocks(wv - eta * g_wv, M1), _project_blocks(th - eta * g_th, M2)
    return np.stack(WV, axis=1), np.stack(TH, axis=1), np.stack(L, axis=1)


# -- the other instance types ------------------------------------------------------------------------
def _eps_point():
    """EpsPoint, Example 1 (Sec. 4) as an ε-SOPSP: at (0, −1/ε) of F = ½(w(1 + εv) − 1)², λ_min(∇²F) −
    max(‖∇F‖ − ε, 0) ≥ −√(μ₂ε), μ₂ the Lipschitz constant of ∇²F on Remark 3's box (−2/ε, 2/ε)².
    ∇F, ∇²F: exact derivatives of F as a polynomial; μ₂ = max over the box's vertices (where Remark 3's
    convexity argument puts it) and the unit circle of |D³F(w, v)[x, x, x]|, the third derivatives from
    the polynomial as well, maximised over the circle numerically (not the claim's κ cubic)."""
    inst = CLAIMS["example1.sopsp"].example()
    eps = float(inst.eps)
    P = _example1_square(0.5, eps)
    g, H = _derivatives(P, 0.0, -1 / eps)
    lhs = np.linalg.eigvalsh(H)[0] - max(np.linalg.norm(g) - eps, 0.0)
    D = {key: _pdiff(_pdiff(_pdiff(P, key[0]), key[1]), key[2]) for key in ((0, 0, 0), (0, 0, 1), (0, 1, 1), (1, 1, 1))}

    def cubic(w, v):
        f = {key: _pval(Q, w, v) for key, Q in D.items()}
        return lambda t: np.abs(f[0, 0, 0] * np.cos(t) ** 3 + 3 * f[0, 0, 1] * np.cos(t) ** 2 * np.sin(t)
                                + 3 * f[0, 1, 1] * np.cos(t) * np.sin(t) ** 2 + f[1, 1, 1] * np.sin(t) ** 3)
    mu2 = max(_circle_max(cubic(sw * 2 / eps, sv * 2 / eps)) for sw in (-1, 1) for sv in (-1, 1))
    return "example1.sopsp", inst, lhs, -np.sqrt(mu2 * eps), {"mu2": mu2}


def _objective_2d():
    """Objective2D, Figure 1 (b), caption reading (Sec. 4): G = c(w(1 + εv) − 1)² + (λ/2)(w² + v²) has ≥ 1
    spurious local minimum within the stated digits of (−1, −1.6). Every stationary point, without the
    claim's quintic: ∂G/∂w is affine in w, so w(v) = −∂_wG(0, v)/∂²_wG(v); the roots of v ↦ ∂_vG(w(v), v)
    are bracketed on a grid and bisected. They lie in |v| ≤ 2cε√(c/(2λ))/λ: at a stationary point
    r = wu − 1 = −λ/(2cu² + λ) ∈ (−1, 0), so |w| = 2c|u|/(2cu² + λ) ≤ √(c/(2λ)) and |λv| = |2crεw| ≤ 2cε|w|.
    Each is classified by the eigenvalues of the polynomial Hessian; spurious = a local minimum above
    the least minimum, in the bottom-left quadrant, |w + 1| < ½, |v + 1.6| < 0.05."""
    inst = CLAIMS["section4.regularization.caption"].example()
    c, lam, eps = float(inst.c), float(inst.lam), float(inst.eps)
    G = _padd(_example1_square(c, eps), np.array([[0, 0, lam / 2], [0, 0, 0], [lam / 2, 0, 0]]))
    Gw, Gv = _pdiff(G, 0), _pdiff(G, 1)

    def h(v):
        w = -_pval(Gw, 0 * v, v) / _pval(_pdiff(Gw, 0), 0 * v, v)
        return _pval(Gv, w, v), w
    vmax = 2 * c * eps * np.sqrt(c / (2 * lam)) / lam + 1
    grid = np.linspace(-vmax, vmax, 200_001)
    hv = h(grid)[0]
    points = []
    for i in np.flatnonzero(np.sign(hv[:-1]) != np.sign(hv[1:])):
        a, b = grid[i], grid[i + 1]
        for _ in range(100):
            mid = (a + b) / 2
            if mid in (a, b):
                break
            a, b = (mid, b) if np.sign(h(mid)[0]) == np.sign(h(a)[0]) else (a, mid)
        v = (a + b) / 2
        w = h(v)[1]
        points.append((w, v, _pval(G, w, v), np.linalg.eigvalsh(_derivatives(G, w, v)[1])[0]))
    minima = [p for p in points if p[3] > 0]
    best = min(p[2] for p in minima)
    spur = [p for p in minima if p[2] > best + 1e-9 and p[0] < 0 and p[1] < 0
            and abs(p[0] + 1) < 0.5 and abs(p[1] + 1.6) < 0.05]
    w, v, Gs, lam_min = spur[0]
    return "section4.regularization.caption", inst, len(spur), 1, {
        "n_stationary": len(points), "n_local_min": len(minima), "spurious_w": w, "spurious_v": v,
        "spurious_value": Gs, "global_min_value": best, "lambda_min_at_spurious": lam_min}


def _other_regularized_2d():
    """OtherRegularized2D, Sec. 4 ("other regularization choices"): F + λ(w⁴ + v⁴)/4, λ = 0.1, has a
    spurious local minimum in the bottom-left quadrant. Plain Newton steps on the polynomial G from the
    figure's (−1, −1.6) to a point with ‖∇G‖ at rounding level; there ∇²G ≻ 0 (a strict local minimum)
    and G exceeds G(1, 0) (F(1, 0) = F_lin(1) = 0), so it is not a global minimum: the count is 1."""
    inst = CLAIMS["section4.other_regularization"].example()
    assert inst.regularizer == "quartic"
    lam, c, eps = float(inst.lam), float(inst.c), float(inst.eps)
    F = _example1_square(c, eps)
    quartic = np.zeros((5, 5))
    quartic[4, 0] = quartic[0, 4] = lam / 4
    G = _padd(F, quartic)
    x = np.array([-1.0, -1.6])
    for _ in range(50):
        g, H = _derivatives(G, *x)
        x = x - np.linalg.solve(H, g)
    g, H = _derivatives(G, *x)
    lam_min = np.linalg.eigvalsh(H)[0]
    Gs, G_lin = _pval(G, *x), _pval(G, 1.0, 0.0)
    n = int(np.linalg.norm(g) < 1e-12 and lam_min > 1e-6 and Gs > G_lin + 1e-6 and x[0] < 0 and x[1] < 0)
    return "section4.other_regularization", inst, n, 1, {
        "spurious_w": x[0], "spurious_v": x[1], "spurious_G": Gs, "G_linear": G_lin,
        "spurious_F": _pval(F, *x), "lambda_min_at_spurious": lam_min}


def _ogd_instance():
    """OGDInstance, Theorem 5 (Sec. 6.4): regret ≤ (2/c + c/2)·b·l·√T for η = c·b/(l√T). A hand-built
    instance (the example's chase lands on x_t = 5.6·10⁻¹⁷, whose sign, a rounding accident, steers the
    rest of its run): the unit disk, g = ⟨(1, ½), ·⟩ chased along ±x_t/‖x_t‖, x₁ = (0.6, 0.8), c = 1.5,
    T = 16, so each step moves 0.375 along x₁ and ‖x_t‖ = 1, 0.625, 0.25, then −0.125, 0.25, … (by hand:
    regret = ‖a‖(Σ|x_t| + 2) = 6.25‖a‖ ≤ (4/3 + 3/4)·4‖a‖). Re-run in numpy; the worst comparator of a
    sum of linear functions over the disk is −Σ∇_t/‖Σ∇_t‖, so regret = Σ_t g_t(x_t) + ‖Σ_t ∇_t‖."""
    from theorems.model.convex_functions import ConvexFn
    from theorems.model.convex_sets import Ball
    from theorems.model.ogd import OGDInstance

    a = np.array([1.0, 0.5])
    inst = OGDInstance(Ball(np.zeros(2), 1.0), (ConvexFn("linear", a[None, :], np.array([0.0])),), 16, 1.5,
                       np.array([0.6, 0.8]), np.array([-0.6, -0.8]), "chase")
    b, l, T, c = 1.0, np.linalg.norm(a), inst.T, inst.c
    eta = c * b / (l * np.sqrt(T))
    x, alg, grads = np.array([0.6, 0.8]), 0.0, np.zeros(2)
    for _ in range(T):
        g = l * x / np.linalg.norm(x)              # the chased slope, oriented to make g_t(x_t) ≥ 0
        alg, grads = alg + g @ x, grads + g
        x = x - eta * g
        x = x / max(1.0, np.linalg.norm(x))
    regret = alg + np.linalg.norm(grads)
    assert np.isclose(regret, 6.25 * l, rtol=1e-12)
    return "theorem5", inst, regret, (2 / c + c / 2) * b * l * np.sqrt(T), {"eta": eta, "alg_loss": alg}


def _skip_sgd_instance():
    """SkipSGDInstance, Eq. (18) (Sec. 6.4): (1/T)Σ_t(ℓ(w_tᵀx_t + v_tᵀf_{θ_t}(x_t); y_t) − ℓ(uᵀx_t; y_t)) ≤
    (2/c + c/2)·b·l/√T, η = c·b/(l√T). SGD (Sec. 5) re-run in numpy, θ's gradient by complex steps;
    b = ‖(radii of M1)‖; l = max_t Z_t·σ(bZ_t) (|ℓ'| of the logistic loss is largest at p = −y·bZ),
    Z_t = √(‖x_t‖² + Φ(x_t)²); u = the minimiser of (1/T)Σ_t ℓ(uᵀx_t; y_t) over ‖u‖ ≤ M1's w-radius (own
    projected gradient and Newton, its Frank–Wolfe gap < 10⁻¹²)."""
    inst = CLAIMS["theorem4.eq18"].example()
    net, X, y, T = inst.net, inst.X, inst.y, inst.T
    M1, M2 = _ball_blocks(inst.M1), _ball_blocks(inst.M2)
    b = np.sqrt(sum(r * r for _, r in M1))
    xn = np.linalg.norm(X, axis=1)
    Z = np.sqrt(xn ** 2 + _phi_bound(xn, M2, net.depth) ** 2)
    l = np.max(Z / (1 + np.exp(-b * Z)))
    c = inst.c
    eta = c * b / (l * np.sqrt(T))
    _, _, L = _skip_sgd(net, X[None], y[None], M1, M2, inst.wv1, inst.theta1, eta, vector=False)
    alg = L[0].mean()
    u, comp, gap = _ball_minimum(lambda u: _logistic(X @ u, y)[0].mean(), lambda u: _logistic(X @ u, y)[1] @ X / T,
                                 net.d, M1[0][1])
    assert gap < 1e-12
    return "theorem4.eq18", inst, alg - comp, (2 / c + c / 2) * b * l / np.sqrt(T), {"b": b, "l": l, "eta": eta}


def _sgd_experiment():
    """SGDExperiment, Theorem 4 (Sec. 5) with the explicit constants: w.p. ≥ 1 − δ, min_t F(w_t, v_t, θ_t) ≤
    min_{(u,0)∈M1} F_lin(u) + (2/c + c/2)·b·l/√T + 2r√(2 log(1/δ)/T), judged by the exact binomial tail of
    the failure count over the runs (α = 10⁻⁶). The example with 8 runs of T = 64 (CPU). Every run re-run
    in numpy (θ by complex steps) on the instance's samples (its seeded draws), F(iterate) the exact
    expectation over the 8-point law; b, l, Z as for Eq. (18), r = log(1 + e^{b·max Z}) (|ℓ| of the logistic
    loss at the end of [−bZ, bZ]); F_lin minimised by own projected gradient and Newton; p-value =
    P(Bin(runs, δ) ≥ failures) by math.comb."""
    import math

    inst = CLAIMS["theorem4"].example_fn(runs=8, T=64)          # the example, fewer and shorter runs
    net, X, y, p, T, runs, c, delta = inst.net, inst.X, inst.y, inst.p, inst.T, inst.runs, inst.c, inst.delta
    M1, M2 = _ball_blocks(inst.M1), _ball_blocks(inst.M2)
    b = np.sqrt(sum(r * r for _, r in M1))
    xn = np.linalg.norm(X, axis=1)
    Z = np.sqrt(xn ** 2 + _phi_bound(xn, M2, net.depth) ** 2)
    l, r = np.max(Z / (1 + np.exp(-b * Z))), np.max(np.logaddexp(0, b * Z))
    eta = c * b / (l * np.sqrt(T))
    ogd, azuma = (2 / c + c / 2) * b * l / np.sqrt(T), 2 * r * np.sqrt(2 * np.log(1 / delta) / T)
    idx = np.random.default_rng(inst.seed).choice(len(p), size=(runs, T), p=p / p.sum())   # the fresh samples
    WV, TH, _ = _skip_sgd(net, X[idx], y[idx], M1, M2, inst.wv1, inst.theta1, eta, vector=False)
    phi = _features(TH, X, net.d, net.k, net.depth)          # (runs, T, n, k)
    pred = np.einsum("rtd,nd->rtn", WV[..., :net.d], X) + np.einsum("rtk,rtnk->rtn", WV[..., net.d:], phi)
    F = _logistic(pred, y)[0] @ p
    _, flin, gap = _ball_minimum(lambda u: _logistic(X @ u, y)[0] @ p, lambda u: (p * _logistic(X @ u, y)[1]) @ X,
                                 net.d, M1[0][1])
    assert gap < 1e-11
    excess = F.min(axis=1) - flin
    fails = int(np.sum(excess > ogd + azuma))
    p_value = sum(math.comb(runs, j) * delta ** j * (1 - delta) ** (runs - j) for j in range(fails, runs + 1))
    return "theorem4", inst, p_value, 1e-6, {
        "failures": fails, "b": b, "l": l, "r": r, "eta": eta, "ogd_term": ogd, "azuma_term": azuma,
        "bound": ogd + azuma, "flin_min": flin, "worst_excess": excess.max(),
        "worst_avg_excess": (F.mean(axis=1) - flin).max()}


def _sgd_run():
    """SGDRun, the vector Eq. (18) (Appendix A, last paragraph): (1/T)Σ_t [ℓ(W_t x_t + U_t φ_t; y_t) −
    ℓ(W x_t; y_t)] ≤ (2/c + c/2)·b·l/√T over ‖(W, U)‖_Fr ≤ b, softmax cross-entropy. Projected steps on
    (W, U) re-run in numpy (T = 8); l = √2·max_t ‖(x_t, φ_t)‖ (‖softmax(p) − y‖ ≤ √2); the comparator is the
    worse of W_c and the minimiser of Σ_t ℓ(W x_t; y_t) over ‖W‖_Fr ≤ b (own projected gradient)."""
    inst = CLAIMS["theorem6.vector_sgd"].example()
    X, Phi, Y, b, c, T = inst.X, inst.Phi, inst.Y, float(inst.b), float(inst.c), inst.T
    m, d = Y.shape[1], X.shape[1]
    l = np.sqrt(2) * np.max(np.linalg.norm(np.c_[X, Phi], axis=1))
    eta = c * b / (l * np.sqrt(T))
    W, U, hs = inst.W1.copy(), inst.U1.copy(), []
    for t in range(T):
        val, G = _softmax_ce(W @ X[t] + U @ Phi[t], Y[t])
        hs.append(val)
        W, U = W - eta * np.outer(G, X[t]), U - eta * np.outer(G, Phi[t])
        s = min(1.0, b / np.sqrt(np.sum(W ** 2) + np.sum(U ** 2)))
        W, U = W * s, U * s

    def lin(a):
        return _softmax_ce(X @ a.reshape(m, d).T, Y)
    a, _, gap = _ball_minimum(lambda a: lin(a)[0].mean(), lambda a: (lin(a)[1].T @ X).reshape(-1) / T, m * d, b)
    assert gap < 1e-12
    regret = max(np.mean(hs) - lin(a)[0].mean(), np.mean(hs) - lin(inst.W_c.reshape(-1))[0].mean())
    return "theorem6.vector_sgd", inst, regret, (2 / c + c / 2) * b * l / np.sqrt(T), {"l": l, "eta": eta}


def _vector_sgd_experiment():
    """VectorSGDExperiment, the vector Theorem 4 (Appendix A; Sec. 5, proof Sec. 6.4): w.p. ≥ 1 − δ,
    (1/T)Σ_t F(W_t, U_t, θ_t) ≤ min F_lin + (2/c + c/2)·b·l/√T + 2r√(2 log(1/δ)/T) (softmax cross-entropy
    on Iris, 3 classes), judged by the binomial tail of the failures (α = 10⁻⁶); the example with 8 runs of
    T = 64 (CPU). Every run re-run in numpy (θ by complex steps), F exact over the 150 points;
    l = √2·max Z, r = log(1 + (m − 1)e^{√2·b·max Z}) (‖softmax(p) − y‖ ≤ √2 and p_a − p_y ≤ √2‖p‖); F_lin
    minimised by own projected gradient and Newton."""
    import math

    inst = CLAIMS["theorem6.vector_sgd.high_probability"].example_fn(runs=8, T=64)   # fewer, shorter runs
    net, X, Y, p, T, runs, c, delta = inst.net, inst.X, inst.Y, inst.p, inst.T, inst.runs, inst.c, inst.delta
    m, d = Y.shape[1], net.d
    M1, M2 = _ball_blocks(inst.M1), _ball_blocks(inst.M2)
    b = np.sqrt(sum(r * r for _, r in M1))
    xn = np.linalg.norm(X, axis=1)
    Zmax = np.max(np.sqrt(xn ** 2 + _phi_bound(xn, M2, net.depth) ** 2))
    l, r = np.sqrt(2) * Zmax, np.logaddexp(0, np.sqrt(2) * b * Zmax + np.log(m - 1))
    eta = c * b / (l * np.sqrt(T))
    ogd, azuma = (2 / c + c / 2) * b * l / np.sqrt(T), 2 * r * np.sqrt(2 * np.log(1 / delta) / T)
    idx = np.random.default_rng(inst.seed).choice(len(p), size=(runs, T), p=p / p.sum())   # the fresh samples
    WV, TH, _ = _skip_sgd(net, X[idx], Y[idx], M1, M2, inst.wv1, inst.theta1, eta, vector=True)
    phi = _features(TH, X, d, net.k, net.depth)              # (runs, T, n, k)
    W = WV[..., :m * d].reshape(runs, T, m, d)
    U = WV[..., m * d:].reshape(runs, T, m, net.k)
    pred = np.einsum("rtmd,nd->rtnm", W, X) + np.einsum("rtmk,rtnk->rtnm", U, phi)
    F = _softmax_ce(pred, Y)[0] @ p

    def lin(a):
        return _softmax_ce(X @ a.reshape(m, d).T, Y)
    _, flin, gap = _ball_minimum(lambda a: lin(a)[0] @ p, lambda a: ((p[:, None] * lin(a)[1]).T @ X).reshape(-1),
                                 m * d, M1[0][1])
    assert gap < 1e-11
    avg_excess = F.mean(axis=1) - flin
    fails = int(np.sum(avg_excess > ogd + azuma))
    p_value = sum(math.comb(runs, j) * delta ** j * (1 - delta) ** (runs - j) for j in range(fails, runs + 1))
    return "theorem6.vector_sgd.high_probability", inst, p_value, 1e-6, {
        "failures": fails, "b": b, "l": l, "r": r, "eta": eta, "bound": ogd + azuma, "flin_min": flin,
        "worst_avg_excess": avg_excess.max(), "worst_excess": (F.min(axis=1) - flin).max()}


def _resnet_point():
    """ResNetPoint, the corrected Eq. (2.3) (Hardt & Ma 2016, Sec. 2): ‖∇f(A)‖_F² ≥ 4ℓ(1 − τ)^{2(ℓ−1)}
    σ_min(Σ)(f(A) − C_opt). f(A) = Σ_i p_i‖ŷ_i − Rx_i‖² + d (ŷ by the recursion (2.1), E‖ξ‖² = d) and
    C_opt = d (attained at A = (R − Id, 0, …)); ∇f by complex steps through the recursion (not by the
    paper's formula (2.5)); Σ = Σ_i p_i x_i x_iᵀ."""
    inst = CLAIMS["hardt_ma2016.theorem2_2.eq2_3.corrected"].example()
    A, R, X, p, tau, ell = inst.A, inst.R, inst.X, inst.p, float(inst.tau), inst.ell

    def misfit(A):                                  # Σ_i p_i‖ŷ_i − R x_i‖², A may carry a leading batch axis
        H = X.T
        for j in range(ell):
            H = H + A[..., j, :, :] @ H
        res = H - R @ X.T
        return np.sum(res * res * p, axis=(-2, -1))
    h = 1e-30
    basis = np.eye(A.size).reshape((A.size,) + A.shape)
    grad = misfit(A[None] + 1j * h * basis).imag / h
    sigma_min = max(np.linalg.eigvalsh((X * p[:, None]).T @ X)[0], 0.0)
    rhs = 4 * ell * (1 - tau) ** (2 * (ell - 1)) * sigma_min * misfit(A)
    return "hardt_ma2016.theorem2_2.eq2_3.corrected", inst, np.sum(grad ** 2), rhs, {"gap": misfit(A)}


def _depth_target():
    """DepthTarget, Theorem 2.1 with det R > 0 (Hardt & Ma 2016, Sec. 2): some global optimum has |||A⋆||| ≤
    2(√π + √(3γ))²/ℓ, γ = max|log σ(R)|. The construction by hand from the SVD R = UΣVᵀ: Q = UVᵀ (a rotation
    by θ), S = VΣVᵀ; p layers S^{1/p} − Id then ℓ − p layers rot(θ/(ℓ − p)) − Id, the last layer closed so
    that (Id + A_ℓ)…(Id + A_1) = R, and the split p with the least max_j ‖A_j‖."""
    inst = CLAIMS["hardt_ma2016.theorem2_1.corrected"].example()
    R, ell = np.asarray(inst.R, float), inst.ell
    U, s, Vt = np.linalg.svd(R)
    Q = U @ Vt
    theta = np.arctan2(Q[1, 0], Q[0, 0])
    best = np.inf
    for p in range(ell + 1):
        q = ell - p
        layers = [Vt.T @ np.diag(s ** (1 / p)) @ Vt for _ in range(p)]
        a = theta / q if q else 0.0
        layers += [np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) for _ in range(q)]
        below = np.eye(2)
        for L in layers[:-1]:
            below = L @ below
        layers[-1] = np.linalg.solve(below.T, R.T).T       # R·below⁻¹
        best = min(best, max(np.linalg.norm(L - np.eye(2), 2) for L in layers))
    gamma = np.max(np.abs(np.log(s)))
    return "hardt_ma2016.theorem2_1.corrected", inst, best, 2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / ell


HAND_CHECKS = {"Point": _point, "VectorPoint": _vector_point, "Lemma2Matrix": _lemma2_matrix,
               "RowRankMatrix": _row_rank_matrix, "EpsPoint": _eps_point, "Objective2D": _objective_2d,
               "OtherRegularized2D": _other_regularized_2d, "OGDInstance": _ogd_instance,
               "SkipSGDInstance": _skip_sgd_instance, "SGDExperiment": _sgd_experiment, "SGDRun": _sgd_run,
               "VectorSGDExperiment": _vector_sgd_experiment, "ResNetPoint": _resnet_point,
               "DepthTarget": _depth_target}


@pytest.mark.parametrize("type_name", sorted(HAND_CHECKS))
def test_hand_check_matches_the_claim(type_name):
    cid, inst, lhs, rhs, *more = HAND_CHECKS[type_name]()
    assert type(inst).__name__ == type_name
    ev = CLAIMS[cid].evaluate(inst)
    assert ev.holds, f"{cid} fails at its own example: {ev}"
    pairs = [(lhs, ev.lhs, "lhs"), (rhs, ev.rhs, "rhs")]
    pairs += [(mine, ev.quantities[name], name) for name, mine in (more[0] if more else {}).items()]
    for mine, theirs, side in pairs:
        assert np.isclose(float(mine), float(theirs), rtol=1e-9, atol=1e-12), \
            f"{type_name} / {cid}: hand-computed {side} {float(mine)!r} ≠ the claim's {float(theirs)!r}"


def test_every_instance_type_has_a_hand_check():
    """A new instance type (either paper's) fails here until it has an entry in ``HAND_CHECKS``."""
    from theorems.core.serialization import instance_types

    # the packages' types: other test modules register toy types of their own (test_guide's paper,
    # test_generic_instances), and under xdist they may have run first in this worker
    types = {name for name, cls in instance_types().items() if not cls.__module__.startswith(("tests", "test_"))}
    assert {"Point", "ResNetPoint", "DepthTarget"} <= types, "both papers' claims should be loaded"
    missing = sorted(types - set(HAND_CHECKS))
    assert not missing, f"instance types without a hand check: {', '.join(missing)} (add one to HAND_CHECKS)"
    assert not sorted(set(HAND_CHECKS) - types), "HAND_CHECKS names a type that is not registered"
