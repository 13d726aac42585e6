"""Quantities the claim modules share (claims never import each other): the magnitudes behind each
computed term (the ``scale`` of the tolerance policy), the rounding budget of a chain of ℓ matrix
products, the ball hypotheses, and one ``Section2`` bundle of every symbol of Theorem 2.2.

Tolerance (float64): ``tolerance.chain(n, d·(ℓ + 2))`` = 64·(n + d·(ℓ + 2)) units of roundoff — a
product of ℓ factors of size d (and E, EΣ after it) loses ≲ (ℓ + 2)·d·u relative to the product of the
factors' norms, and the risk sums n samples; ``scale`` is the magnitude of the terms:
‖Π‖ ≤ P := ∏_j (1 + ‖A_j‖), ‖E‖ ≤ P + ‖R‖, so f − C has terms of size (P + ‖R‖)²·tr Σ and ∂f/∂A_i
of size 2P²(P + ‖R‖)‖Σ‖_F.
"""

from __future__ import annotations

from dataclasses import dataclass

from theorems.contract import HypothesisNotMet, tolerance
from theorems.core import backend as B

from . import model as M

__all__ = ["Section2", "section2", "require_ball", "beyond", "OptimumBounds", "optimum_bounds",
           "existence_verdict"]


def beyond(value, scale) -> bool:
    """Non-zero beyond float64 rounding of terms of size ``scale`` (the engine's rule)."""
    return tolerance.beyond_rounding(value, scale)


def require_ball(inst, source, *, strict=True):
    """A ∈ 𝓑_τ (|||A||| ≤ τ) and, with ``strict``, τ < 1 — else HypothesisNotMet naming the argument."""
    norm = M.tensor_norm(inst.A)
    if norm > inst.tau:
        raise HypothesisNotMet(f"argument 'A': |||A||| = {float(norm):.6g} > τ = {float(inst.tau):.6g}, "
                               f"but {source} needs A ∈ 𝓑_τ")
    if strict and not inst.tau < 1:
        raise HypothesisNotMet(f"argument 'tau': τ = {float(inst.tau):.6g}, but {source} needs τ < 1")
    return norm


@dataclass(frozen=True)
class Section2:
    """Every symbol of Sec. 2 at one instance (in the instance's arithmetic)."""

    Sigma: object
    E: object
    grad: object              # (2.5), ℓ × d × d
    f: object                 # by the recursion (2.1) and E‖ξ‖² = d
    C: object                 # E‖ξ‖² = d
    C_opt: object             # f at the explicit minimiser (R − Id, 0, …)
    gap: object               # f(A) − C_opt
    grad_norm_sq: object      # ‖∇f(A)‖_F²
    slice_norms: tuple        # ‖∂f/∂A_i‖_F
    sigma_min_Sigma: object
    sigma_max_Sigma: object
    E_norm: object            # ‖E‖ (spectral)
    E_fro: object
    ES_fro: object            # ‖EΣ‖_F
    A_norm: object            # |||A|||
    P: object                 # ∏ (1 + ‖A_j‖)
    R_norm: object
    f_scale: object
    grad_scale: object
    ulps: int


def section2(inst) -> Section2:
    A, R, X, p = inst.A, inst.R, inst.X, inst.p
    Sigma = M.second_moment(X, p)
    E = M.residual(A, R)
    grad = M.gradient(A, R, Sigma)
    f = M.risk(A, R, X, p)
    C = M.noise_constant(inst.d, X)
    C_opt = M.c_opt(R, X, p, inst.ell)
    ev = B.eigvalsh(Sigma)
    zero = 0 * ev[0]
    P = 1 + 0 * ev[0]
    for j in range(inst.ell):
        P = P * (1 + B.spectral_norm(A[j]))
    Rn = B.spectral_norm(R)
    trS = sum((v if v > zero else zero) for v in ev)
    Sfro = B.norm(Sigma)
    slice_norms = tuple(B.norm(grad[i]) for i in range(inst.ell))
    return Section2(
        Sigma=Sigma, E=E, grad=grad, f=f, C=C, C_opt=C_opt, gap=f - C_opt,
        grad_norm_sq=M.fro2(grad), slice_norms=slice_norms,
        sigma_min_Sigma=ev[0] if ev[0] > zero else zero, sigma_max_Sigma=ev[-1],
        E_norm=B.spectral_norm(E), E_fro=B.norm(E), ES_fro=B.norm(E @ Sigma), A_norm=M.tensor_norm(A), P=P,
        R_norm=Rn, f_scale=(P + Rn) ** 2 * trS + C, grad_scale=2 * P * P * (P + Rn) * Sfro,
        ulps=tolerance.chain(inst.n, inst.d * (inst.ell + 2)))


@dataclass(frozen=True)
class OptimumBounds:
    """What is certified about min{|||A⋆||| : A⋆ a global optimum of f} for one (R, ℓ, 𝒟)."""

    gamma: object
    bound: object               # 2(√π + √(3γ))²/ℓ
    det_R: object
    upper: object | None        # |||A⋆||| of the construction (det R > 0), None otherwise
    optimality_residual: object | None   # ‖Π(A⋆) − R‖_F (0 up to the working precision)
    residual_scale: object | None
    lower: object               # a certified lower bound (0 when Σ is singular: nothing certified)
    sigma_positive: bool        # Σ ≻ 0 beyond rounding (every global optimum then has Π(A) = R)


def optimum_bounds(inst) -> OptimumBounds:
    """Theorem 2.1's quantities at a ``DepthTarget``.

    Upper bound (det R > 0): the construction ``model.theorem2_1_layers`` (its |||A⋆||| and residual).
    Lower bound, certified when Σ ≻ 0 (then f(A) = C_opt iff (Id + A_ℓ)…(Id + A_1) = R, Claim 2.3):
    ∏(1 + ‖A_j‖) ≥ σ_max(R) and ∏ σ_min(Id + A_j) ≤ σ_min(R) give |||A||| ≥ σ_max(R)^{1/ℓ} − 1 and
    |||A||| ≥ 1 − σ_min(R)^{1/ℓ}; and if det R < 0, |||A||| ≥ 1 (‖A_j‖ < 1 for all j makes every
    det(Id + A_j) > 0 by continuity from A_j = 0, so det Π > 0 ≠ sign det R)."""
    R, ell = inst.R, inst.ell
    sv = B.singular_values(R)          # descending: sv[0] = σ_max(R), sv[-1] = σ_min(R)
    if not sv[-1] > 0 or not beyond(sv[-1], sv[0]):
        raise HypothesisNotMet("argument 'R': R is singular (σ_min(R) = 0), so γ = ∞; Theorem 2.1 needs "
                               "γ = max{|log σ_max(R)|, |log σ_min(R)|} finite")
    gam = M.gamma(R)
    if ell < 3 * gam:
        raise HypothesisNotMet(f"argument 'ell': ℓ = {ell} < 3γ = {float(3 * gam):.6g}, but Theorem 2.1 "
                               f"needs ℓ ≥ 3γ")
    bound = M.theorem2_1_bound(gam, ell)
    dR = B.det(R)
    Sigma = M.second_moment(inst.X, inst.p)
    ev = B.eigvalsh(Sigma)
    pos = bool(ev[0] > 0 and beyond(ev[0], ev[-1] * inst.d))
    one = 1 + 0 * gam
    lower = 0 * gam
    if pos:
        lower = max(sv[0] ** (one / ell) - 1, 1 - sv[-1] ** (one / ell), lower)
        if dR < 0:
            lower = max(lower, one)
    upper = res = rscale = None
    if dR > 0:
        A = M.theorem2_1_layers(R, ell)
        upper = M.tensor_norm(A)
        Mprod = M.product_range(A, 1, ell - 1)
        msv = B.singular_values(Mprod)
        res = B.norm(M.product(A) - R)
        rscale = B.norm(R) * (msv[0] / msv[-1]) * (1 + upper) ** ell
    return OptimumBounds(gam, bound, dR, upper, res, rscale, lower, pos)


def existence_verdict(inst, *, source, factor=1, require_det_positive=False, scale_by_ell=False):
    """The Evaluation of "some global optimum has |||A⋆||| ≤ factor·2(√π + √(3γ))²/ℓ" at a ``DepthTarget``.

    Holds when the construction's norm is below the bound (and the construction is a global optimum:
    its residual Π(A⋆) − R is 0 to rounding, else that identity is what fails); fails when the
    certified lower bound is above it; otherwise sampling cannot decide and the instance is not tested
    (HypothesisNotMet, with the reason). ``scale_by_ell`` states it as ℓ·|||A⋆||| ≤ factor·2(√π + √(3γ))²
    (Sec. 1.1's O(1/ℓ) with the constant made explicit)."""
    from theorems.contract import Evaluation

    ob = optimum_bounds(inst)
    if require_det_positive and not ob.det_R > 0:
        raise HypothesisNotMet(f"argument 'R': det R = {float(ob.det_R):.6g} ≤ 0, but the corrected Theorem 2.1 "
                               f"needs det R > 0")
    ell = inst.ell
    k = ell if scale_by_ell else 1
    target = factor * ob.bound * k
    ulps = tolerance.chain(1, inst.d * (ell + 2)) * (inst.d + 2)
    q = dict(gamma=ob.gamma, bound=ob.bound, ell=ell, det_R=ob.det_R, upper=ob.upper, lower=ob.lower,
             sigma_positive=ob.sigma_positive)
    if ob.upper is not None:
        if not ob.optimality_residual <= ulps * B.eps(ob.gamma) * ob.residual_scale:
            return Evaluation.compare(ob.optimality_residual, "==", 0 * ob.optimality_residual,
                                      scale=ob.residual_scale, ulps=ulps, quantities=q, informative=True,
                                      source=source, label="the constructed A⋆ is a global optimum (Π(A⋆) = R)")
        if ob.upper * k <= target:
            return Evaluation.compare(ob.upper * k, "<=", target, scale=target, ulps=ulps, quantities=q,
                                      informative=True, source=source,
                                      label="|||A⋆||| ≤ 2(√π + √(3γ))²/ℓ (constructed A⋆)")
    if ob.lower * k > target:
        return Evaluation.compare(ob.lower * k, "<=", target, scale=target, ulps=ulps, quantities=q,
                                  informative=True, source=source,
                                  label="min over global optima of |||A⋆||| (certified lower bound) ≤ bound")
    raise HypothesisNotMet(
        "sampling cannot decide here: " + ("the construction's |||A⋆||| is above the bound and the certified "
                                           "lower bound below it" if ob.upper is not None else
                                           "det R < 0 and Σ is singular (a global optimum needs only EΣ^{1/2} = 0; "
                                           "no lower bound on its norm is certified)" if not ob.sigma_positive else
                                           "det R < 0 and the certified lower bound 1 is below the bound"))
