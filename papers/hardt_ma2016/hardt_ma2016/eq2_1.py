"""Eq. (2.1), the sentence after it, and Eq. (2.2) (Hardt & Ma 2016, Sec. 2).

**(2.1)** *h_0 = x, h_j = h_{j−1} + A_j h_{j−1}, ŷ = h_ℓ;  ŷ = (Id_d + A_ℓ) … (Id + A_1) x.*

*"It is easy to see that this model can express any linear transformation R."*

**(2.2)** *f(A, (x, y)) = ‖ŷ − y‖² = ‖(Id + A_ℓ) … (Id + A_1) x − Rx − ξ‖²,  f(A) := E[f(A, (x, y))]*
(y = Rx + ξ, "ξ ∈ N(0, Id_d)").

Claims:
- ``hardt_ma2016.eq2_1`` (literal): the recursion, run sample by sample, equals the product applied
  to x. Quantity ``discrepancy`` = ‖H_ℓ − Π Xᵀ‖_F (all samples). Informative: Π ≠ Id beyond rounding
  and X ≠ 0 (else both sides are x). Control: the product in the reverse order (I + A_1)…(I + A_ℓ).
- ``hardt_ma2016.eq2_1.expressive`` (literal): A° = (R − Id, 0, …, 0) gives Π(A°) = R. Quantity
  ``discrepancy`` = ‖Π(A°) − R‖_F; informative when R ≠ Id. Control: A° = (R, 0, …) (−Id dropped).
- ``hardt_ma2016.eq2_2`` (literal): f(A) = E‖Πx − Rx − ξ‖², with ξ ~ N(0, Id_d) independent of x.
  ``risk`` is Σ_i p_i ‖ŷ_i − R x_i‖² + d (E‖ξ‖² = d, E⟨Ex, ξ⟩ = 0); ``cubature`` is the expectation
  over the joint law of (x_i, ξ_k) with ξ uniform on {±1}^d, which has the Gaussian's mean and second
  moment, so it is exact for this quadratic integrand — two independent computations. Always
  informative (d ≥ 1: the noise term is non-zero). Control: the noise term dropped (f = E‖Ex‖²).

Tolerance: ``tolerance.chain(n, d·(ℓ + 2))`` ulps of scale (P + ‖R‖)²·tr Σ + d (see ``quantities``).
"""

from __future__ import annotations

from theorems.contract import Claim, Evaluation, Variant, register, tolerance
from theorems.core import backend as B

from . import model as M
from .instances import ResNetPoint
from .quantities import beyond, section2
from .strategies import ball_points, make_sample, make_target, make_tensor

SOURCE_21 = "Hardt & Ma (2016), Eq. (2.1), Sec. 2"
SOURCE_EXPR = "Hardt & Ma (2016), sentence after Eq. (2.1), Sec. 2"
SOURCE_22 = "Hardt & Ma (2016), Eq. (2.2), Sec. 2"


def example():
    X, p = make_sample("random", 2, 3, 1)
    A, tau = make_tensor("interior", 3, 2, 0.5, 2)
    return ResNetPoint(X, p, make_target("random", 2, 3), A, tau, meta={"corner": "interior"})


def evaluate_recursion(inst, *, reverse=False) -> Evaluation:
    A, X = inst.A, inst.X
    H = M.forward(A, X)
    P = M.product(A[::-1]) if reverse else M.product(A)
    diff = B.norm(H - P @ X.T)
    s = section2(inst)
    scale = s.P * B.norm(X)
    moved = B.norm(M.product(A) - B.eye(inst.d, A))
    return Evaluation.compare(diff, "==", 0 * diff, scale=scale, ulps=s.ulps,
                              quantities=dict(discrepancy=diff, P=s.P),
                              informative=beyond(moved, s.P) and beyond(B.norm(X), 1.0),
                              label="h_ℓ (recursion 2.1) = (Id + A_ℓ)…(Id + A_1)x")


def evaluate_expressive(inst, *, drop_identity=False) -> Evaluation:
    R = inst.R
    A0 = M.optimum(R, inst.ell)
    if drop_identity:
        A0[0] = R
    diff = B.norm(M.product(A0) - R)
    I = B.eye(inst.d, R)
    scale = B.norm(R) + B.norm(I)
    return Evaluation.compare(diff, "==", 0 * diff, scale=scale, ulps=tolerance.chain(1, inst.d * (inst.ell + 2)),
                              quantities=dict(discrepancy=diff), informative=beyond(B.norm(R - I), scale),
                              label="(Id + A°_ℓ)…(Id + A°_1) = R for A° = (R − Id, 0, …)")


def evaluate_risk(inst, *, drop_noise=False) -> Evaluation:
    s = section2(inst)
    cub = M.cubature_risk(s.E, inst.X, inst.p)
    f = s.f - (s.C if drop_noise else 0)
    return Evaluation.compare(f, "==", cub, scale=s.f_scale, ulps=s.ulps,
                              quantities=dict(risk=f, cubature=cub, C=s.C), informative=True,
                              label="Σ p_i‖ŷ_i − Rx_i‖² + E‖ξ‖² = E‖Πx − Rx − ξ‖²")


COMMON = dict(strategy_fn=ball_points, example_fn=example, polish=False)

register(Claim(
    id="hardt_ma2016.eq2_1", source=SOURCE_21, kind="literal",
    statement="h_0 = x, h_j = h_{j−1} + A_j h_{j−1}, ŷ = h_ℓ; ŷ = (Id_d + A_ℓ) … (Id + A_1) x.  (2.1)",
    evaluate_fn=evaluate_recursion, quantities=("discrepancy", "P"),
    informative_rule="(Id + A_ℓ)…(Id + A_1) ≠ Id beyond rounding and X ≠ 0",
    controls=(Variant("hardt_ma2016.eq2_1.reversed", "ŷ = (Id + A_1)…(Id + A_ℓ)x (order reversed)",
                      lambda i: evaluate_recursion(i, reverse=True)),),
    **COMMON))

register(Claim(
    id="hardt_ma2016.eq2_1.expressive", source=SOURCE_EXPR, kind="literal",
    statement="It is easy to see that this model can express any linear transformation R.",
    evaluate_fn=evaluate_expressive, quantities=("discrepancy",),
    informative_rule="R ≠ Id beyond rounding",
    notes="Witness A° = (R − Id, 0, …, 0) for every R and ℓ ≥ 1.",
    controls=(Variant("hardt_ma2016.eq2_1.expressive.no_identity", "A° = (R, 0, …, 0) expresses R",
                      lambda i: evaluate_expressive(i, drop_identity=True)),),
    **COMMON))

register(Claim(
    id="hardt_ma2016.eq2_2", source=SOURCE_22, kind="literal",
    statement=("f(A, (x, y)) = ‖ŷ − y‖² = ‖(Id + A_ℓ) … (Id + A_1) x − Rx − ξ‖², f(A) := E[f(A, (x, y))], "
               "ξ ∈ N(0, Id_d)  (2.2)"),
    evaluate_fn=evaluate_risk, quantities=("risk", "cubature", "C"),
    informative_rule="always (d ≥ 1: the noise term E‖ξ‖² = d is non-zero)",
    controls=(Variant("hardt_ma2016.eq2_2.no_noise", "f(A) = E‖Πx − Rx‖² (the noise term dropped)",
                      lambda i: evaluate_risk(i, drop_noise=True)),),
    **COMMON))
