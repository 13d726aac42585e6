"""Shamir (2018)'s citation of Hardt & Ma (2016), checked against Section 2.

*"Hardt and Ma [2016] showed that linear residual networks with the squared loss have no spurious
local minima (namely, every local minimum is also a global one)."*

What Section 2 proves is narrower: critical points *inside 𝓑_τ, τ < 1* are global minima (Theorem
2.2); outside the ball there are spurious critical points (``introduction.no_other_critical_points``).
The sentence is about local minima, and "every local minimum is global" is a universal statement
that sampling cannot decide (local minimality is not a finite check). What is checked here: every
spurious critical point we construct — slices j ∈ S, |S| = k ≥ 2, equal to −Id (so ∇f(A) = 0
exactly and f(A) − C_opt = ‖RΣ^{1/2}‖_F² > 0), the other slices in the ball of radius ½ — is **not**
a local minimum, by a certified descent curve: D_j = Id for j ∈ S except the topmost, D_top = V with
V = P_top^{−1} R Σ P_mid^{−1} (P_top, P_mid the products of the factors above / between, invertible),
so that Π(A + tD) = t^k RΣ and f(A + tD) − f(A) = a s² − 2b s, s = t^k, a = ‖RΣ^{3/2}‖_F²,
b = ‖RΣ‖_F² > 0: negative for every s ∈ (0, 2b/a), i.e. for every small t > 0. The check evaluates
f(A) − f(A + tD) by the recursion (2.1) at s = b/(1024a) and compares it with half the predicted
decrease (2bs − as²)/2.

Claim ``hardt_ma2016.shamir_citation`` (literal): holds on that family (no local minimum found that
is not global — consistent with the sentence, which is true for this landscape but not proved in
Section 2). Quantities: ``decrease`` = f(A) − f(A + tD), ``predicted`` = 2bs − as², ``gap`` =
f(A) − C_opt, ``k``. Informative: gap > 0 beyond rounding (A is a spurious critical point).
Tolerance: ``tolerance.chain(n, d·(ℓ + 2))`` ulps of the f scale. Control: the same step at s = 4b/a
(beyond the descent interval: f increases).
"""

from __future__ import annotations

import numpy as np

from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register
from theorems.core import backend as B

from . import model as M
from .instances import ResNetPoint
from .quantities import beyond, section2
from .strategies import spurious_critical_points

SOURCE = "Shamir (2018), Sec. 1 (related work), citing Hardt & Ma (2016), Sec. 2"
STATEMENT = ("Hardt and Ma [2016] showed that linear residual networks with the squared loss have no spurious local "
             "minima (namely, every local minimum is also a global one).")


def example():
    return ResNetPoint(np.array([[1.0]]), np.array([1.0]), np.array([[1.0]]), np.full((2, 1, 1), -1.0), 1.0,
                       {"singular_slices": np.array([0.0, 1.0])}, {"corner": "2 slices = -Id"})


def descent_direction(inst):
    """(D, k, a, b): the descent curve of the module docstring."""
    A, R = inst.A, inst.R
    S = [int(j) for j in B.to_float(inst.extras["singular_slices"]).tolist()]
    ell, d = A.shape[0], A.shape[1]
    I = B.eye(d, A)
    for j in S:
        if not B.norm(A[j] + I) == 0:
            raise HypothesisNotMet(f"argument 'A': slice {j + 1} is not −Id")
    top = S[-1]
    D = 0 * A
    for j in S[:-1]:
        D[j] = I
    P_top = M.product_range(A, top + 2, ell)
    P_mid = I
    for j in range(top):          # factors below the top singular slice, with D_j = Id on S
        P_mid = (I if j in S else I + A[j]) @ P_mid
    Sigma = M.second_moment(inst.X, inst.p)
    D[top] = B.inv(P_top) @ R @ Sigma @ B.inv(P_mid)
    RS = R @ Sigma
    b = M.fro2(RS)
    a = M.fro2(RS @ B.psd_sqrt(Sigma))
    return D, len(S), a, b


def evaluate(inst, *, s_factor=None) -> Evaluation:
    s = section2(inst)
    g = B.sqrt(s.grad_norm_sq)
    if not g <= s.ulps * B.eps(s.f) * s.grad_scale:
        raise HypothesisNotMet(f"argument 'A': ‖∇f(A)‖_F = {float(g):.3g}: not a critical point")
    D, k, a, b = descent_direction(inst)
    if not (b > 0 and a > 0):
        raise HypothesisNotMet("argument 'R': RΣ = 0, so A is a global minimum (f(A) = C_opt): nothing to descend")
    sstep = (b / a) * (s_factor if s_factor is not None else 1 / 1024)
    t = sstep ** (1 / (k + 0 * a))
    f_new = M.risk(inst.A + t * D, inst.R, inst.X, inst.p)
    decrease = s.f - f_new
    predicted = 2 * b * sstep - a * sstep * sstep
    return Evaluation.compare(decrease, ">=", predicted / 2, scale=s.f_scale + abs(predicted), ulps=s.ulps * 4,
                              quantities=dict(decrease=decrease, predicted=predicted, gap=s.gap, k=k),
                              informative=beyond(s.gap, s.f_scale),
                              label="f(A + tD) < f(A): the critical point is not a local minimum")


register(Claim(
    id="hardt_ma2016.shamir_citation", source=SOURCE, kind="literal", statement=STATEMENT,
    evaluate_fn=evaluate, strategy_fn=spurious_critical_points, example_fn=example, polish=False,
    quantities=("decrease", "predicted", "gap", "k"),
    informative_rule="f(A) − C_opt > 0 beyond rounding at a critical point (a spurious critical point)",
    notes=("Not decidable by sampling in general; checked on the spurious critical points with ≥ 2 slices −Id, "
           "each shown not to be a local minimum. Section 2 itself proves only the 𝓑_τ statement (Theorem 2.2)."),
    controls=(Variant("hardt_ma2016.shamir_citation.overshoot", "the descent at s = 4b/a (past the interval (0, 2b/a))",
                      lambda i: evaluate(i, s_factor=4.0)),),
))
