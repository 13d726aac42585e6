"""Lemma 2.4 (Hardt & Ma 2016, Sec. 2): the gradient of f.

**Lemma 2.4.** *The gradients of f(·) can be written as,*

    ∂f/∂A_i = 2(Id + A_ℓᵀ) … (Id + A_{i+1}ᵀ) E Σ (Id + A_{i−1}ᵀ) … (Id + A_1ᵀ),        (2.5)

*where E = (Id + A_ℓ) … (Id + A_1) − R.*

Claim ``hardt_ma2016.lemma2_4`` (literal): for a direction D (``extras["D"]``, ℓ × d × d),
⟨∇f(A), D⟩ with ∇f from (2.5) equals d/dt f(A + tD) at t = 0 computed by forward mode through the
recursion (2.1), sample by sample (``model.forward_derivative``) — no closed form shared. Central
differences and SymPy check the same derivative in ``tests/test_hm_lemma2_4.py``.

Quantities: ``closed_form`` = ⟨(2.5), D⟩, ``forward_mode`` = d/dt f(A + tD)|₀.
Informative: the directional derivative is non-zero beyond rounding.
Tolerance: ``tolerance.chain(n, d·(ℓ + 2))`` ulps of scale 2P²(P + ‖R‖)‖Σ‖_F‖D‖_F (P = ∏(1 + ‖A_j‖)).
Controls: the factor 2 dropped; Σ dropped (E for EΣ); the factors not transposed.
"""

from __future__ import annotations

import numpy as np

from theorems.contract import Claim, Evaluation, Variant, register
from theorems.core import backend as B

from . import model as M
from .instances import ResNetPoint
from .quantities import beyond, section2
from .strategies import direction_points, make_sample, make_target, make_tensor

SOURCE = "Hardt & Ma (2016), Lemma 2.4, Eq. (2.5), Sec. 2"


def example():
    X, p = make_sample("random", 2, 3, 7)
    A, tau = make_tensor("interior", 3, 2, 0.5, 8)
    D = np.random.default_rng(9).normal(size=A.shape)
    return ResNetPoint(X, p, make_target("random", 2, 10), A, tau, {"D": D}, {"corner": "interior"})


def _untransposed_gradient(A, R, Sigma):
    E = M.residual(A, R)
    ell = A.shape[0]
    return np.array([2 * (M.product_range(A, i + 1, ell) @ E @ Sigma @ M.product_range(A, 1, i - 1))
                     for i in range(1, ell + 1)], dtype=A.dtype if A.dtype == object else np.float64)


def evaluate(inst, *, variant=None) -> Evaluation:
    s = section2(inst)
    D = inst.extras["D"]
    if variant == "untransposed":
        g = _untransposed_gradient(inst.A, inst.R, s.Sigma)
    elif variant == "no_sigma":
        g = M.gradient(inst.A, inst.R, B.eye(inst.d, inst.X))
    else:
        g = s.grad / 2 if variant == "no_two" else s.grad
    closed = B.asum(g * D)
    fwd = M.forward_derivative(inst.A, D, inst.R, inst.X, inst.p)
    scale = s.grad_scale * B.norm(D)
    return Evaluation.compare(closed, "==", fwd, scale=scale, ulps=s.ulps,
                              quantities=dict(closed_form=closed, forward_mode=fwd),
                              informative=beyond(fwd, scale), label="⟨(2.5), D⟩ = d/dt f(A + tD)|₀")


register(Claim(
    id="hardt_ma2016.lemma2_4", source=SOURCE, kind="literal",
    statement=("∂f/∂A_i = 2(Id + A_ℓᵀ) … (Id + A_{i+1}ᵀ) E Σ (Id + A_{i−1}ᵀ) … (Id + A_1ᵀ), where "
               "E = (Id + A_ℓ) … (Id + A_1) − R.  (2.5)"),
    evaluate_fn=evaluate, strategy_fn=direction_points, example_fn=example, polish=False,
    quantities=("closed_form", "forward_mode"),
    informative_rule="d/dt f(A + tD)|₀ ≠ 0 beyond rounding",
    controls=(
        Variant("hardt_ma2016.lemma2_4.no_two", "∂f/∂A_i without the factor 2",
                lambda i: evaluate(i, variant="no_two")),
        Variant("hardt_ma2016.lemma2_4.no_sigma", "∂f/∂A_i with E for EΣ", lambda i: evaluate(i, variant="no_sigma")),
        Variant("hardt_ma2016.lemma2_4.untransposed", "∂f/∂A_i with (Id + A_j) for (Id + A_jᵀ)",
                lambda i: evaluate(i, variant="untransposed")),
    ),
))
