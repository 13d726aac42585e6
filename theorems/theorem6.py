"""Theorem 6 (Appendix A), Eq. (19)–(20) of its proof, the SVD step, and the vector Theorem 4.

**Theorem 6.** *Suppose that F is defined as above, where ℓ is differentiable and convex in its
first argument. Then at any point (W, V, θ), for which W has full row rank and minimal singular
value s_min(W) > 0, it holds that*

    ‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / √(2‖W‖²_Fr + ‖W*‖²_Fr (2 + ‖V‖²/s_min(W)²)).

**Eq. (19).** ‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / √(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr).
**Eq. (20).** the denominator of (19) is at most √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr‖V‖)²).
**SVD step (as printed).** "‖W(WWᵀ)⁻¹‖ = ‖S(SS)⁻¹‖ = s_min(W)⁻¹". W(WWᵀ)⁻¹ is only defined
for square W (m = d), and then it is *not* s_min⁻¹ in general (W = USVᵀ gives
W(WWᵀ)⁻¹ = U S (VᵀU) S⁻² Uᵀ): claim ``theorem6.svd_step`` (literal, refuted) with the erratum;
the sentence before it, and Eq. (20), use Wᵀ(WWᵀ)⁻¹, whose norm is s_min(W)⁻¹ —
``theorem6.svd_step.corrected``. Theorem 6's bound as written uses s_min(W) and holds.

Quantities (``theorem6``): ``grad_norm`` = ‖∇F_θ(W, V)‖, ``gap`` = F(W, V, θ) − F_lin(W*),
``W_fro``, ``W_star_fro``, ``V_norm`` (spectral), ``s_min`` = s_min(W), ``denominator``,
``bound`` = gap/denominator. ``ratio`` = bound/‖∇F‖ (0 when gap ≤ 0).
Hypotheses: W of full row rank (m ≤ d, s_min(W) > 10⁻⁸‖W‖_Fr; see ``theorems.lemma3``).
Tolerance: scale = grad_scale + gap_scale·(1 + κ²)/denominator (κ = ‖W‖/s_min: s_min² comes
from an eigenvalue of WWᵀ, accurate to u‖W‖²), 64·(n + d + m + k) ulps.

**theorem6.vector_sgd** — Appendix A: "it is straightforward to derive a vector-valued version
of Thm. 4 (using stochastic gradient descent over the matrices W, V instead of w, v), using a
virtually identical proof". Architecture x ↦ W x + U f_θ(x) (U ∈ R^{m×k}; the brief's V_out),
h_t(W, U) = ℓ(W x_t + U f_θt(x_t); y_t), M₁ = {‖(W, U)‖_Fr ≤ b}, projected steps
(W, U)_{t+1} = Π_{M₁}((W, U)_t − η ∇h_t), η = c·b/(l√T). Explicit constant (derivation): for
convex g_t with ‖∇g_t‖ ≤ l and x* ∈ M₁, non-expansiveness of Π gives
‖x_{t+1} − x*‖² ≤ ‖x_t − x*‖² − 2η⟨∇g_t(x_t), x_t − x*⟩ + η²l², so
Σ_t (g_t(x_t) − g_t(x*)) ≤ Σ_t ⟨∇g_t(x_t), x_t − x*⟩ ≤ ‖x_1 − x*‖²/(2η) + ηTl²/2 ≤ (2b)²/(2η) + ηTl²/2,
and with η = cb/(l√T) the average regret is at most (2/c + c/2)·b·l/√T (the O(bl/√T) of
Theorem 5 / Eq. (18), deterministic for any data and any θ_t). The comparator is any linear
predictor (W_c, 0) ∈ M₁; ℓ(W_c x_t; y_t) is the h_t of the comparator. l is a valid Lipschitz
constant of every h_t on M₁: l = max_t ‖(x_t, φ_t)‖·L_t with L_t = √2 for softmax
cross-entropy (‖softmax(p) − y‖ ≤ √2) and L_t = b‖(x_t, φ_t)‖ + ‖y_t‖ for ½‖p − y‖² (‖p‖ ≤ b‖(x_t, φ_t)‖
on M₁), summed with the weights of a combination. The high-probability step (Azuma) of
Theorem 4 is not encoded here: it is a statement about random sampling, not a deterministic
inequality. Quantities: ``regret`` (average), ``T``, ``b``, ``l``, ``eta``, ``c``, ``bound``;
``ratio`` = regret/bound. Tolerance: scale = (1/T)Σ_t(|h_t| + |ℓ(W_c x_t; y_t)|) + bound,
64·T·(d + m + k) ulps (rounding accumulates over the T projected steps).
"""

from __future__ import annotations

import numpy as np

from strategies.vector import sgd_runs, vector_points
from theorems.audit import Claim, Evaluation, HypothesisNotMet, Variant, register
from theorems.lemma3 import G_blocks, first_order, full_rank_points, require_full_row_rank, ulps
from theorems.model import backend as B
from theorems.model import vector as VM

SOURCE = "Theorem 6, Appendix A"
SOURCE_EQ19 = "Eq. (19), proof of Theorem 6, Appendix A"
SOURCE_EQ20 = "Eq. (20), proof of Theorem 6, Appendix A"
SOURCE_SVD = "Proof of Theorem 6 (after Eq. 20), Appendix A"
SOURCE_SGD = "Appendix A (last paragraph): vector-valued Theorem 4 (Sec. 5, proof Sec. 6.4, Theorem 5)"


def _norms(inst, smin):
    fo = first_order(inst)
    return fo, fo.W_norm / smin


def evaluate(inst, *, factor=1, two=2) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE)
    fo, kappa = _norms(inst, smin)
    denom = B.sqrt(two * fo.W_fro ** 2 + fo.W_star_fro ** 2 * (two + fo.V_norm ** 2 / smin ** 2))
    bound = fo.gap / denom
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, W_fro=fo.W_fro, W_star_fro=fo.W_star_fro, V_norm=fo.V_norm,
             s_min=smin, denominator=denom, bound=bound)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound,
                              scale=fo.grad_scale + fo.gap_scale * (1 + kappa ** 2) / denom, ulps=ulps(inst),
                              quantities=q, hypotheses={"W full row rank": True}, source=SOURCE,
                              label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))")


def evaluate_eq19(inst, *, factor=1) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE_EQ19)
    fo, kappa = _norms(inst, smin)
    GW, GV = G_blocks(inst)
    G_fro = B.sqrt(B.asum(GW * GW) + B.asum(GV * GV))
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, s_min=smin)
    if G_fro == 0:
        # G = 0 (W* = W, W*V = 0): the undivided form ‖G‖_Fr·‖∇F‖ ≥ F − F_lin(W*) reads 0 ≥ gap
        return Evaluation.compare(0 * fo.gap, ">=", factor * fo.gap, scale=fo.gap_scale, ulps=ulps(inst),
                                  quantities=dict(q, bound=None), hypotheses={"W full row rank": True},
                                  source=SOURCE_EQ19, label="‖G‖_Fr·‖∇F_θ(W,V)‖ ≥ F − F_lin(W*) at G = 0")
    bound = fo.gap / G_fro
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound,
                              scale=fo.grad_scale + fo.gap_scale * (1 + kappa) / G_fro, ulps=ulps(inst),
                              quantities=dict(q, bound=bound), hypotheses={"W full row rank": True},
                              source=SOURCE_EQ19, label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/‖G‖_Fr  (19)")


def evaluate_eq20(inst, *, s_max_control=False) -> Evaluation:
    """‖G‖_Fr ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr·‖V‖)²); the control uses 1/‖W‖ for ‖Wᵀ(WWᵀ)⁻¹‖."""
    smin = require_full_row_rank(inst, SOURCE_EQ20)
    GW, GV = G_blocks(inst)
    G_fro = B.sqrt(B.asum(GW * GW) + B.asum(GV * GV))
    Ws = B.norm(inst.W_star)
    R_norm = 1 / B.spectral_norm(inst.W) if s_max_control else B.spectral_norm(VM.right_inverse(inst.W))
    rhs = B.sqrt(B.asum(GW * GW) + (R_norm * Ws * B.spectral_norm(inst.V)) ** 2)
    kappa = B.spectral_norm(inst.W) / smin
    return Evaluation.compare(G_fro, "<=", rhs, scale=rhs * (1 + kappa), ulps=ulps(inst),
                              quantities=dict(G_fro=G_fro, eq20=rhs, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_EQ20,
                              label="‖G‖_Fr ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖‖W*‖_Fr‖V‖)²)  (20)")


# -------------------------------------------------------------- the SVD sentence

def evaluate_svd_literal(inst) -> Evaluation:
    """‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ as printed (defined only for square W)."""
    m, d = inst.W.shape
    if m != d:
        raise HypothesisNotMet(f"argument 'W': W is {m}×{d}; W(WWᵀ)⁻¹ is only defined for square W "
                               f"(m = d) [{SOURCE_SVD}]")
    smin = require_full_row_rank(inst, SOURCE_SVD)
    lhs = B.spectral_norm(inst.W @ VM.solve(inst.W @ inst.W.T, np.eye(m)))
    rhs = 1 / smin
    kappa = B.spectral_norm(inst.W) / smin
    return Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa ** 2), ulps=ulps(inst),
                              quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin), hypotheses={"W square": True},
                              source=SOURCE_SVD, label="‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ (as printed)")


def evaluate_svd_corrected(inst, *, use_s_max=False) -> Evaluation:
    """‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹ for W of full row rank (the control uses ‖W‖⁻¹)."""
    smin = require_full_row_rank(inst, SOURCE_SVD)
    lhs = B.spectral_norm(VM.right_inverse(inst.W))
    kappa = B.spectral_norm(inst.W) / smin
    rhs = 1 / (B.spectral_norm(inst.W) if use_s_max else smin)
    return Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa ** 2), ulps=ulps(inst),
                              quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_SVD,
                              label="‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹")


def square_points(**filters):
    """Full-row-rank points with W square (m = d)."""
    return vector_points(rank="full", square=True, **filters)


def svd_counterexample():
    """The minimal pinned counterexample to the printed SVD sentence: W = [[1, 1], [0, 1]] (m = d = 2).

    WWᵀ = [[2, 1], [1, 1]], W(WWᵀ)⁻¹ = [[0, 1], [−1, 2]] with norm √(3 + 2√2) = 1 + √2 = 2.414…,
    while s_min(W) = (√5 − 1)/2, so s_min(W)⁻¹ = (1 + √5)/2 = 1.618…"""
    s = VM.VectorSample(np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]), np.array([1.0]), np.array([[1.0]]))
    return VM.VectorPoint(s, VM.squared(), np.array([[1.0, 1.0], [0.0, 1.0]]), np.zeros((2, 1)),
                          np.zeros((2, 2)), {}, {"corner": "pinned counterexample"})


# -------------------------------------------------------------- vector Theorem 4

def lipschitz(run):
    """l = max_t ‖(x_t, φ_t)‖·L_t, a Lipschitz constant of every h_t on M₁ (module docstring)."""
    best = None
    for t in range(run.T):
        a = B.sqrt(B.asum(run.X[t] * run.X[t]) + B.asum(run.Phi[t] * run.Phi[t]))
        l_t = a * run.loss.grad_sup(run.b * a, run.Y[t])
        best = l_t if best is None or l_t > best else best
    return best


def evaluate_sgd(run, *, factor=1, rate_power=0.5) -> Evaluation:
    b, c, T = run.b, run.c, run.T
    if not B.sqrt(B.asum(run.W1 ** 2) + B.asum(run.U1 ** 2)) <= b:
        raise HypothesisNotMet("argument 'W1, U1': the start must lie in M₁ = {‖(W, U)‖_Fr ≤ b} [%s]" % SOURCE_SGD)
    if not B.norm(run.W_c) <= b:
        raise HypothesisNotMet("argument 'W_c': the comparator (W_c, 0) must lie in M₁ [%s]" % SOURCE_SGD)
    l = lipschitz(run)
    if not l > 0:
        raise HypothesisNotMet("argument 'X, Phi': l = 0 (every x_t, φ_t is zero); the step η = cb/(l√T) "
                               f"is undefined [{SOURCE_SGD}]")
    sqrtT = B.sqrt(T + 0 * b)
    eta = c * b / (l * sqrtT)
    _, hs = VM.projected_sgd(run.loss, run.X, run.Phi, run.Y, b=b, eta=eta, W1=run.W1, U1=run.U1)
    hstar = run.loss.value(run.X @ run.W_c.T, run.Y)
    terms = [hs[t] - hstar[t] for t in range(T)]
    regret = B.asum(np.array(terms, dtype=object if run.is_mp else float)) / T
    bound = (2 / c + c / 2) * b * l / (T + 0 * b) ** rate_power
    scale = B.asum(np.array([abs(h) for h in hs] + [abs(h) for h in hstar],
                            dtype=object if run.is_mp else float)) / T + bound
    d, m, k = run.X.shape[1], run.Y.shape[1], run.Phi.shape[1]
    q = dict(regret=regret, T=T, b=b, l=l, eta=eta, c=c, bound=bound)
    return Evaluation.compare(regret, "<=", factor * bound, scale=scale, ulps=64 * T * (d + m + k), quantities=q,
                              hypotheses={"(W1, U1) ∈ M1": True, "(W_c, 0) ∈ M1": True}, source=SOURCE_SGD,
                              label="(1/T)Σ_t [h_t(W_t, U_t) − ℓ(W_c x_t; y_t)] ≤ (2/c + c/2)·b·l/√T")


def _example():
    return VM.random_vector_point(8, loss="squared", n=5, d=3, m=2, k=2)


def _example_square():
    return VM.random_vector_point(9, loss="squared", n=4, d=2, m=2, k=2)


def _example_sgd():
    rng = np.random.default_rng(0)
    T, d, m, k = 8, 2, 3, 2
    Y = np.eye(m)[rng.integers(0, m, size=T)]
    return VM.SGDRun(VM.softmax_ce(), rng.normal(size=(T, d)), rng.normal(size=(T, k)), Y, 1.5, 2.0,
                     np.zeros((m, d)), np.zeros((m, k)), 0.5 * np.ones((m, d)) / np.sqrt(m * d), {"corner": "generic"})


theorem6 = register(Claim(
    id="theorem6", source=SOURCE, kind="literal",
    statement=("Suppose that F is defined as above, where ℓ is differentiable and convex in its first argument. "
               "Then at any point (W, V, θ), for which W has full row rank and minimal singular value "
               "s_min(W) > 0, it holds that ‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / "
               "√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))."),
    evaluate_fn=evaluate, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",),
    quantities=("grad_norm", "gap", "W_fro", "W_star_fro", "V_norm", "s_min", "denominator", "bound"),
    controls=(
        Variant("theorem6.sharper_x2", "Theorem 6 with the bound multiplied by 2", lambda i: evaluate(i, factor=2)),
        Variant("theorem6.without_factor_2", "Theorem 6 with denominator √(‖W‖²_Fr + ‖W*‖²_Fr(1 + ‖V‖²/s_min²)) "
                "(the 2s from ‖W − W*‖² ≤ 2‖W‖² + 2‖W*‖² dropped)", lambda i: evaluate(i, two=1)),
    ),
))

theorem6_eq19 = register(Claim(
    id="theorem6.eq19", source=SOURCE_EQ19, kind="proof-step",
    statement=("‖∇F_θ(W, V)‖ ≥ (F(W, V, θ) − F_lin(W*)) / √(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr)  (19)"),
    evaluate_fn=evaluate_eq19, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("grad_norm", "gap", "G_fro", "s_min", "bound"),
    controls=(
        Variant("theorem6.eq19.sharper_x1.5", "Eq. (19) with the bound multiplied by 1.5",
                lambda i: evaluate_eq19(i, factor=1.5)),
    ),
))

theorem6_eq20 = register(Claim(
    id="theorem6.eq20", source=SOURCE_EQ20, kind="proof-step",
    statement=("√(‖W − W*‖²_Fr + ‖Wᵀ(WWᵀ)⁻¹W*V‖²_Fr) ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr‖V‖)²)  (20)"),
    evaluate_fn=evaluate_eq20, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("G_fro", "eq20", "s_min"),
    controls=(
        Variant("theorem6.eq20.s_max", "Eq. (20) with ‖W‖⁻¹ = s_max(W)⁻¹ in place of ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹",
                lambda i: evaluate_eq20(i, s_max_control=True)),
    ),
))

theorem6_svd_corrected = register(Claim(
    id="theorem6.svd_step.corrected", source=SOURCE_SVD, kind="corrected",
    statement="For W of full row rank, ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹ (the printed sentence with the transpose restored).",
    evaluate_fn=evaluate_svd_corrected, strategy_fn=full_rank_points, example_fn=_example,
    hypotheses=("W full row rank",), quantities=("lhs", "inv_s_min", "s_min"), polish=False,
    controls=(
        Variant("theorem6.svd_step.corrected.s_max", "‖Wᵀ(WWᵀ)⁻¹‖ = ‖W‖⁻¹ (largest in place of smallest singular value)",
                lambda i: evaluate_svd_corrected(i, use_s_max=True)),
    ),
))

theorem6_svd = register(Claim(
    id="theorem6.svd_step", source=SOURCE_SVD, kind="literal",
    statement=("It is easily verified that if USVᵀ is the SVD decomposition of W, then Wᵀ(WWᵀ)⁻¹ equals "
               "VS(SS)⁻¹Uᵀ. Since V, U are orthogonal, it follows that ‖W(WWᵀ)⁻¹‖ = ‖S(SS)⁻¹‖ = s_min(W)⁻¹"),
    evaluate_fn=evaluate_svd_literal, strategy_fn=square_points, example_fn=_example_square,
    hypotheses=("W square",), quantities=("lhs", "inv_s_min", "s_min"), polish=False,
    erratum={"location": "Appendix A, proof of Theorem 6, sentence after Eq. (20)",
             "statement": "‖W(WWᵀ)⁻¹‖ = ‖S(SS)⁻¹‖ = s_min(W)⁻¹",
             "correction": "theorem6.svd_step.corrected",
             "why": ("W(WWᵀ)⁻¹ is undefined unless m = d, and for square W it equals U S (VᵀU) S⁻² Uᵀ, whose norm "
                     "exceeds s_min⁻¹ in general (W = [[1, 1], [0, 1]]: 1 + √2 vs (1 + √5)/2). The transpose is "
                     "missing: ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹, which is what Eq. (20) and Theorem 6 use, so "
                     "Theorem 6 as stated is unaffected.")},
    notes="A typo inside the proof; Theorem 6's bound holds as written (claim theorem6).",
))

theorem6_vector_sgd = register(Claim(
    id="theorem6.vector_sgd", source=SOURCE_SGD, kind="explicit-constant",
    statement=("Vector-valued Theorem 4, deterministic part (Eq. 18 with explicit constant): projected SGD on (W, U) "
               "for x ↦ Wx + U f_θ(x) over M₁ = {‖(W, U)‖_Fr ≤ b}, with η = c·b/(l√T), satisfies for every "
               "(W_c, 0) ∈ M₁: (1/T)Σ_t [ℓ(W_t x_t + U_t f_θt(x_t); y_t) − ℓ(W_c x_t; y_t)] ≤ (2/c + c/2)·b·l/√T."),
    evaluate_fn=evaluate_sgd, strategy_fn=sgd_runs, example_fn=_example_sgd,
    hypotheses=("(W1, U1) ∈ M1", "(W_c, 0) ∈ M1"), quantities=("regret", "T", "b", "l", "eta", "c", "bound"),
    controls=(
        Variant("theorem6.vector_sgd.half", "the regret bound with constant (2/c + c/2)/2",
                lambda r: evaluate_sgd(r, factor=0.5)),
        Variant("theorem6.vector_sgd.rate_1_over_T", "the regret bound with rate 1/T in place of 1/√T",
                lambda r: evaluate_sgd(r, rate_power=1.0)),
    ),
))


def attaining_run(kappa: float = 1e6, *, b: float = 1.5, m: int = 2, d: int = 2, k: int = 1, seed: int = 0):
    """A run where ``theorem6.vector_sgd`` is nearly attained: ratio = (1 − 10⁻¹²)·κ/(1 + κ).

    Squared loss, T = 1, c = 2, φ₁ = 0, W_c = b·a x₁ᵀ/(‖a‖‖x₁‖), W₁ = −W_c, y₁ = κ b‖x₁‖ a/‖a‖: the regret
    ½‖−W_c x₁ − y₁‖² − ½‖W_c x₁ − y₁‖² = 2b‖x₁‖‖y₁‖ and the bound (2/2 + 2/2)·b·l with
    l = ‖x₁‖(b‖x₁‖ + ‖y₁‖)."""
    rng = np.random.default_rng(seed)
    x, a = rng.normal(size=d), rng.normal(size=m)
    a /= np.linalg.norm(a)
    W_c = b * (1 - 1e-12) * np.outer(a, x / np.linalg.norm(x))     # inside the closed ball despite rounding
    y = kappa * b * np.linalg.norm(x) * a
    return VM.SGDRun(VM.squared(), x[None, :], np.zeros((1, k)), y[None, :], b, 2.0, -W_c, np.zeros((m, k)), W_c,
                     {"corner": "attaining"})
