"""Certified approximate local minima of F_θ(w, V) and their comparison with inf F_lin (Corollary 1, Sec. 3).

Local minima are *reached*, not assumed: from an instance's (w₀, V₀), SciPy's ``trust-exact``
(exact gradient and Hessian, ``objective.gradient``/``hessian``) minimises F_θ
(:func:`local_minimum`, float64, deterministic, cached). :func:`certify` evaluates the end point
(ŵ, V̂) in the instance's precision and certifies it as an approximate second-order stationary point
when

    ‖∇F_θ‖ ≤ 10⁻⁹·g,   λ_min(∇²F_θ) ≥ −10⁻⁷·h,   allowance ≤ 10⁻⁶·(gap_scale + |F|),

with h = Σ p ℓ''‖J‖² + Σ p|ℓ'|‖φ‖ ≥ ‖∇²F_θ‖ and g = Σ p(|ℓ'| + ℓ''‖J‖‖(ŵ, V̂)‖)‖J‖ (the gradient's
magnitude; |ℓ'| alone vanishes at an interpolating minimum), J_i = (z_i, vec(ŵ φ_iᵀ)).

inf_u F_lin is approximated by ``linear.linear_inf`` (û, *attained* only for an interior minimiser).
The comparison gap = F(ŵ, V̂, θ) − F_lin(û) ≤ 0 carries two allowances:

- ``allowance`` = ‖∇F_θ(ŵ, V̂)‖·√(2‖ŵ‖² + ‖û‖²(2 + ‖V̂‖²/‖ŵ‖²)), Theorem 1's first-order slack (0
  at an exact minimum; huge for ŵ ≈ 0, which then fails the certification);
- ``nu_term`` = ‖∇F_lin(û)‖(‖û‖ + 1) ≥ F_lin(û) − inf F_lin (convexity, with ‖u*‖ ≈ ‖û‖).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from theorems.core import backend as B

from .instance import Point
from .linear import linear_inf
from .objective import gradient, hessian, linear_gradient, objective
from .second_order import hessian_lambda_min

__all__ = ["local_minimum", "certify", "CertifiedMinimum", "MinimumComparison"]

_CACHE: dict = {}


def local_minimum(inst: Point):
    """(ŵ, V̂, iterations, message): the end point of trust-exact from the instance's (w, V); float,
    cached. iterations = −1 when the optimiser failed (the start point is returned) and ``message``
    then says why — any exception SciPy raises (e.g. trust-exact's UnboundLocalError on an
    ill-conditioned subproblem) is the solver's failure, recorded as such, never a crash."""
    key = json.dumps(inst.to_json(), sort_keys=True)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    f = inst if not inst.is_mp else type(inst).from_json(inst.to_json())
    s, loss = f.sample, f.loss
    d, k = s.d, s.k

    def split(x):
        return x[:d], x[d:].reshape(d, k)

    def fun(x):
        w, V = split(x)
        return objective(s, loss, w, V)

    def jac(x):
        g_w, g_V = gradient(s, loss, *split(x), validate=False)
        return np.concatenate([g_w, g_V.reshape(-1)])       # vec row-major, as the Hessian

    def hess(x):
        return hessian(s, loss, *split(x), validate=False)

    x0 = np.concatenate([B.to_float(f.w), B.to_float(f.V).reshape(-1)])
    # the optimiser may probe points where ℓ overflows (e.g. the exponential loss): those steps are
    # rejected by the trust region, and a non-finite end point falls back to the start below
    msg = ""
    with np.errstate(all="ignore"):
        try:
            res = minimize(fun, x0, jac=jac, hess=hess, method="trust-exact",
                           options={"gtol": 1e-13, "maxiter": 100})
            x, it = res.x, int(res.nit)
        except Exception as err:     # noqa: BLE001 — a third-party solver failure is an outcome
            x, it, msg = x0, -1, f"SciPy trust-exact raised {type(err).__name__}: {err}"
    if not np.all(np.isfinite(x)):
        x, it, msg = x0, -1, "SciPy trust-exact reached a non-finite point"
    out = (x[:d].copy(), x[d:].reshape(d, k).copy(), it, msg)
    if len(_CACHE) > 2048:
        _CACHE.clear()
    _CACHE[key] = out
    return out


class MinimumComparison:
    """What Corollary 1 reads off a certified end point (F_θ's here, F_b's in ``biased_local_minima``):
    its quantities, the scale of the comparison gap ≤ 0, its allowance and its tightness ratio."""

    def quantities(self) -> dict:
        return dict(gap=self.gap, F=self.F, inf_F_lin=self.F - self.gap, grad_norm=self.grad_norm,
                    lambda_min=self.lam, allowance=self.allowance, w_norm=self.w_norm, V_norm=self.V_norm,
                    u_norm=self.u_norm, iterations=self.iterations)

    @property
    def scale(self):
        """Magnitude of the terms of gap = F − F_lin(û) (its rounding is relative to this)."""
        return self.gap_scale + abs(self.F)

    @property
    def gap_allowance(self):
        """Slack of gap ≤ 0: Theorem 1's first-order slack, plus F_lin(û) − inf F_lin where inf is
        attained (otherwise F_lin(û) ≥ inf F_lin and the comparison with F_lin(û) is the stronger one)."""
        return self.allowance + (self.nu_term if self.attained else 0 * self.nu_term)

    @property
    def ratio(self) -> float:
        """Tightness: 1 when F = inf F_lin (a local minimum that only matches the linear predictor)."""
        scale = self.scale
        return 1.0 if scale == 0 else float(max(0.0, 1.0 + float(self.gap) / float(scale)))

    def uncertified_reason(self, objective: str = "F") -> str | None:
        """Why the end point is not a certified approximate local minimum of ``objective``, or None."""
        if self.message:
            return f"the solver failed ({self.message})"
        if not self.certified:
            return (f"the end point is not a certified approximate local minimum "
                    f"(‖∇{objective}‖ = {float(self.grad_norm):.3g}, λ_min = {float(self.lam):.3g})")
        return None


@dataclass(frozen=True)
class CertifiedMinimum(MinimumComparison):
    w_hat: np.ndarray
    V_hat: np.ndarray
    iterations: int
    u_hat: np.ndarray
    attained: bool          # inf F_lin attained (interior minimiser)
    certified: bool         # (ŵ, V̂) certified as an approximate local minimum
    gap: object             # F(ŵ, V̂, θ) − F_lin(û)
    F: object
    grad_norm: object
    lam: object             # λ_min(∇²F_θ(ŵ, V̂))
    allowance: object
    nu_term: object
    w_norm: object
    V_norm: object
    u_norm: object
    gap_scale: object       # Σ p(|ℓ(q)| + |ℓ(q̂)| + |ℓ'(q) q|)
    message: str = ""       # the solver's failure, if any (iterations = −1)


def certify(inst: Point) -> CertifiedMinimum:
    """The local minimum reached from ``inst``, certified and compared with inf F_lin (module docstring)."""
    s, loss = inst.sample, inst.loss
    w_hat, V_hat, it, msg = local_minimum(inst)
    u_hat, attained = linear_inf(s, loss)
    if inst.is_mp:
        w_hat, V_hat, u_hat = B.to_mp(w_hat), B.to_mp(V_hat), B.to_mp(u_hat)
    Z = s.X + s.Phi @ V_hat.T
    q, q_lin = Z @ w_hat, s.X @ u_hat
    d1 = loss.d1(q, s.y)
    gap = B.asum(s.p * loss.diff(q, q_lin, s.y))
    F = objective(s, loss, w_hat, V_hat)
    g_w, g_V = gradient(s, loss, w_hat, V_hat, validate=False)
    grad_norm = B.norm(g_w, g_V)
    try:
        lam = hessian_lambda_min(s, loss, w_hat, V_hat)
    except np.linalg.LinAlgError as err:     # LAPACK's failure is an outcome (not certified), not a crash
        lam = grad_norm * np.nan
        msg = msg or f"LAPACK raised LinAlgError at the end point: {err}"
    w_norm, V_norm, u_norm = B.norm(w_hat), B.spectral_norm(V_hat), B.norm(u_hat)
    phin = B.row_norms(s.Phi)
    Jn = B.sqrt(B.row_norms(Z) ** 2 + (w_norm * phin) ** 2)
    # magnitude of ∇F: |ℓ'| plus how much ℓ' moves under a unit relative change of (ŵ, V̂)
    # (Σ p|ℓ'|‖J‖ alone vanishes at an interpolating minimum, where ℓ' = 0)
    theta_norm = B.sqrt(w_norm ** 2 + B.asum(V_hat * V_hat))
    g_scale = B.asum(s.p * (B.abs_(d1) + B.abs_(loss.d2(q, s.y)) * Jn * theta_norm) * Jn)
    h_scale = B.asum(s.p * (B.abs_(loss.d2(q, s.y)) * Jn * Jn + B.abs_(d1) * phin))
    gap_scale = B.asum(s.p * (B.abs_(loss.value(q, s.y)) + B.abs_(loss.value(q_lin, s.y))
                              + B.abs_(d1 * q)))
    if w_norm > 0:
        allowance = grad_norm * B.sqrt(2 * w_norm ** 2 + u_norm ** 2 * (2 + V_norm ** 2 / w_norm ** 2))
    else:
        allowance = grad_norm * 0 if grad_norm == 0 else grad_norm * 1e300
    g_lin = linear_gradient(s, loss, u_hat)
    nu_term = B.norm(g_lin) * (u_norm + 1)        # F_lin(û) − inf ≤ ‖∇F_lin(û)‖(‖û‖ + ‖u*‖), ‖u*‖ ≈ ‖û‖
    certified = bool(it >= 0 and grad_norm <= 1e-9 * g_scale + 1e-300 and lam >= -1e-7 * h_scale
                     and allowance <= 1e-6 * (gap_scale + abs(F)))
    return CertifiedMinimum(w_hat, V_hat, it, u_hat, bool(attained), certified, gap, F, grad_norm, lam,
                            allowance, nu_term, w_norm, V_norm, u_norm, gap_scale, msg)
