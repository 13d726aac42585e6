"""Theorem 5 (Sec. 6.4; Zinkevich 2003): online gradient descent, with its O(·) made explicit.

**Theorem 5.** *Let g_1, …, g_T be a sequence of convex, differentiable, l-Lipschitz functions
over a closed convex subset X of Euclidean space, such that X ⊆ {x : ‖x‖ ≤ b}. Then if we pick
x_1 ∈ X and define x_{t+1} = Π_X(x_t − η∇g_t(x_t)) for t = 1, …, T, using any
η = Θ(b/(l√T)), then*

    ∀x ∈ X,  (1/T) Σ_t g_t(x_t) − (1/T) Σ_t g_t(x) ≤ O(bl/√T).

**Explicit constant** (claim ``theorem5``). Write η = c·b/(l√T), c > 0 (this is what
η = Θ(b/(l√T)) means, with c the constant inside Θ). Then for every x ∈ X

    regret(x) := Σ_t g_t(x_t) − Σ_t g_t(x) ≤ (2/c + c/2)·b·l·√T,

i.e. the average regret is ≤ (2/c + c/2)·bl/√T; the constant is minimal, 2, at c = 2.

*Derivation* (the standard analysis; claim ``theorem5.telescoping`` checks its first line).
Π_X is non-expansive and x ∈ X, so with ∇_t = ∇g_t(x_t):
‖x_{t+1} − x‖² ≤ ‖x_t − η∇_t − x‖² = ‖x_t − x‖² − 2η⟨∇_t, x_t − x⟩ + η²‖∇_t‖². By convexity
g_t(x_t) − g_t(x) ≤ ⟨∇_t, x_t − x⟩ ≤ (‖x_t − x‖² − ‖x_{t+1} − x‖²)/(2η) + (η/2)‖∇_t‖².
Summing (the first terms telescope):

    regret(x) ≤ ‖x_1 − x‖²/(2η) + (η/2) Σ_t ‖∇_t‖²                              (telescoping)
              ≤ (2b)²/(2η) + (η/2)·T·l²          (‖x_1 − x‖ ≤ 2b, ‖∇_t‖ ≤ l)
              = (2/c)·b·l·√T + (c/2)·b·l·√T.      (η = c·b/(l√T))

Only the subgradient inequality is used, so the bound also holds for non-differentiable convex
g_t played with any subgradient; the suite tests that wider class (abs, hinge, max of affine
pieces, with sign(0) = 0 at kinks) alongside the differentiable families (linear,
logistic-type, squared on bounded sets), which are the paper's case.

Hypotheses (met by construction in ``strategies.online.ogd_instances``): X closed, convex,
bounded; b ≥ max_{x∈X}‖x‖ > 0 (b = b_factor·max_{x∈X}‖x‖, b_factor ≥ 1); every g_t convex and
l-Lipschitz over X, l = l_factor·max_t Lip_X(g_t) > 0 (l_factor ≥ 1); x_1 ∈ X (the instance's
x1 is projected, Π_X(x1) = x1 for x1 ∈ X); the adversary may choose g_t after seeing x_t.

The OGD run, its comparators and the constants are computed by ``theorems.model.ogd``
(``ogd_quantities``, ``K``). The "∀x ∈ X" is checked against two comparators: the instance's own point and a numerical
minimiser of Σ_t g_t over X (iterates, argmin_X⟨Σ∇_t, x⟩, projected subgradient steps, in
float64); any x ∈ X is valid, the minimiser makes the check as strict as we can make it.

Quantities: ``regret`` (max over the comparators), ``T``, ``b``, ``l``, ``eta``, ``c``,
``K_c`` = 2/c + c/2, ``bound`` = K_c·b·l·√T, ``telescoping`` (the data-dependent bound at the
worst comparator), ``grad_sq_sum`` = Σ‖∇_t‖², ``alg_loss`` = Σ g_t(x_t), ``avg_regret``.
``dist_sq`` = ‖x_1 − x‖² at the worst comparator. ``regret_cap`` = T·max_t Lip_X(g_t)·diam(X), the
largest regret any comparator can have on the
instance (each round adds at most Lip_X(g_t)·‖x_t − x‖ ≤ Lip_X(g_t)·diam(X)). ratio = regret/bound.

*Informative examples*: those whose bound is below ``regret_cap`` (K(c)·b·l·√T < T·Lip·diam(X) for
``theorem5``, the telescoping bound < ``regret_cap`` for ``theorem5.telescoping``); elsewhere the
bound cannot fail whatever OGD does.

*Necessity* (``Form``): every part of (2/c + c/2)·b·l·√T — the factor K(c), each of its two terms and
their constants — and of the telescoping bound is refuted on ``strategies.online.ogd_attaining_instances``
(a far start with small c makes the 2/c term bite, the iterate-chasing adversary with large c the c/2
term, T = 1 with c = 2 attains the bound). The strategy draws T up to 128 and c mostly in [1/4, 8], so that
most instances are informative. Tolerance: scale = Σ_t |g_t(x_t)| + Σ_t |g_t(x)| + bound, 64·(T + d)
ulps (T rounded projection steps and sums of T terms).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from strategies.online import ogd_attaining_instances, ogd_instances
from theorems.contract import Claim, Evaluation, Form, Variant, register, tolerance
from theorems.model.convex_functions import ConvexFn
from theorems.model.convex_sets import Ball
from theorems.model.ogd import OGDInstance, ogd_quantities

SOURCE = "Theorem 5, Sec. 6.4"
SOURCE_TELE = "proof of Theorem 5 (standard OGD analysis, Zinkevich 2003), Sec. 6.4"

__all__ = ["evaluate", "evaluate_telescoping", "example"]


def _hyp(inst):
    return {"X closed convex, ‖x‖ ≤ b on X": True, "g_t convex, l-Lipschitz on X": True, "x_1 in X": True}


def _quant(q, worst):
    T = len(q["run"].xs)
    return dict(regret=worst["regret"], T=T, b=q["b"], l=q["l"], eta=q["eta"], c=q["c"], K_c=q["K_c"],
                bound=q["bound"], telescoping=worst["tele"], grad_sq_sum=q["gsq"], alg_loss=q["alg"],
                avg_regret=worst["regret"] / T, regret_cap=q["cap"], dist_sq=worst["dist_sq"])


def evaluate(inst: OGDInstance, *, factor=1, eta_override=None) -> Evaluation:
    q = ogd_quantities(inst, eta_override=eta_override)
    worst = max(q["comps"], key=lambda r: r["regret"])
    scale = q["abs_alg"] + worst["abs_comp"] + q["bound"]
    return Evaluation.compare(worst["regret"], "<=", q["bound"] / factor, scale=scale,
                              ulps=tolerance.ogd_regret(inst.T, q["d"]), quantities=_quant(q, worst),
                              hypotheses=_hyp(inst), source=SOURCE, informative=bool(q["bound"] / factor < q["cap"]),
                              label="Σ_t g_t(x_t) − Σ_t g_t(x) ≤ (2/c + c/2)·b·l·√T")


def evaluate_telescoping(inst: OGDInstance, *, factor=1) -> Evaluation:
    q = ogd_quantities(inst)
    # the comparator with the least slack in regret(x) ≤ ‖x_1 − x‖²/(2η) + (η/2)Σ‖∇_t‖²
    worst = min(q["comps"], key=lambda r: r["tele"] - r["regret"])
    scale = q["abs_alg"] + worst["abs_comp"] + worst["tele"]
    return Evaluation.compare(worst["regret"], "<=", worst["tele"] / factor, scale=scale,
                              ulps=tolerance.ogd_regret(inst.T, q["d"]), quantities=_quant(q, worst),
                              hypotheses=_hyp(inst), source=SOURCE_TELE,
                              informative=bool(worst["tele"] / factor < q["cap"]),
                              label="regret(x) ≤ ‖x_1 − x‖²/(2η) + (η/2)Σ_t‖∇g_t(x_t)‖²")


def example(T: int = 100, c: float = 2.0, adversary: str = "chase") -> OGDInstance:
    """A 2-d ball with a linear function chased by the adversary (regret ≈ (c/2)·b·l·√T)."""
    X = Ball(np.zeros(2), 1.0)
    g = ConvexFn("linear", np.array([[1.0, 0.5]]), np.array([0.0]))
    return OGDInstance(X, (g,), T, c, np.array([1.0, 0.0]), np.array([-1.0, 0.0]), adversary)


def _necessity_strategy():
    # the nearly attaining regimes first (one per part of the constant), then the general instances
    return st.one_of(ogd_attaining_instances(), ogd_instances(max_T=64))


theorem5 = register(Claim(
    id="theorem5", cost=8, source=SOURCE, kind="explicit-constant",
    statement=("Let g_1, …, g_T be convex, differentiable, l-Lipschitz functions over a closed convex X ⊆ "
               "{x : ‖x‖ ≤ b}. If x_1 ∈ X and x_{t+1} = Π_X(x_t − η∇g_t(x_t)) with η = Θ(b/(l√T)), then "
               "∀x ∈ X, (1/T)Σ g_t(x_t) − (1/T)Σ g_t(x) ≤ O(bl/√T). Explicit: with η = c·b/(l√T), "
               "Σ g_t(x_t) − Σ g_t(x) ≤ (2/c + c/2)·b·l·√T."),
    evaluate_fn=evaluate, strategy_fn=ogd_instances, example_fn=example,
    hypotheses=("X closed convex, ‖x‖ ≤ b on X", "g_t convex, l-Lipschitz on X", "x_1 in X"),
    quantities=("regret", "T", "b", "l", "eta", "c", "K_c", "bound", "telescoping", "grad_sq_sum", "alg_loss",
                "avg_regret", "regret_cap", "dist_sq"),
    polish=False,
    notes="η = c·b/(l√T); K(c) = 2/c + c/2 (min 2 at c = 2). Subgradients allowed (abs, hinge, max-affine).",
    form=Form("regret <= (2/c + c/2)*b*l*sqrt(T)", strategy=_necessity_strategy, max_examples=40),
    controls=(
        Variant("theorem5.sharper_x2", "regret ≤ (1/c + c/4)·b·l·√T (the derived constant halved)",
                lambda i: evaluate(i, factor=2),
                strategy=lambda: ogd_instances(max_dim=2, max_T=20, families=["linear"],
                                               adversaries=["fixed", "chase"]), searched_with_claim=True),
        Variant("theorem5.step_without_sqrtT", "the same bound with η = c·b/l (the 1/√T dropped from the step)",
                lambda i: evaluate(i, eta_override=lambda c, b, l, rootT: c * b / l),
                strategy=lambda: ogd_instances(max_dim=2, max_T=64, families=["linear"], adversaries=["chase"]),
                searched_with_claim=True),
    ),
))

theorem5_telescoping = register(Claim(
    id="theorem5.telescoping", source=SOURCE_TELE, kind="proof-step",
    statement=("For every x ∈ X: Σ_t g_t(x_t) − Σ_t g_t(x) ≤ ‖x_1 − x‖²/(2η) + (η/2)Σ_t ‖∇g_t(x_t)‖² "
               "(non-expansiveness of Π_X, convexity, telescoping)."),
    evaluate_fn=evaluate_telescoping, strategy_fn=ogd_instances, example_fn=example,
    hypotheses=("X closed convex, ‖x‖ ≤ b on X", "g_t convex, l-Lipschitz on X", "x_1 in X"),
    quantities=("regret", "T", "b", "l", "eta", "c", "K_c", "bound", "telescoping", "grad_sq_sum", "alg_loss",
                "avg_regret", "regret_cap", "dist_sq"),
    polish=False,
    form=Form("regret <= dist_sq/(2*eta) + eta/2*grad_sq_sum", strategy=_necessity_strategy, max_examples=40),
    controls=(
        Variant("theorem5.telescoping.sharper_x1.5", "regret(x) ≤ (‖x_1 − x‖²/(2η) + (η/2)Σ‖∇_t‖²)/1.5",
                lambda i: evaluate_telescoping(i, factor=1.5)),
    ),
))
