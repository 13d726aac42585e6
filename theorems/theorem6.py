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
Hypotheses: W of full row rank (m ≤ d, s_min(W) > 10⁻⁸‖W‖_Fr; see ``theorems.model.vector_quantities``).
Tolerance: scale = grad_scale + gap_scale·(1 + κ²)/denominator (κ = ‖W‖/s_min: s_min² comes
from an eigenvalue of WWᵀ, accurate to u‖W‖²), ``tolerance.vector_first_order`` = 64·(n + d + m + k) ulps.

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
on M₁), summed with the weights of a combination. The high-probability step (Azuma) is the
next claim. Quantities: ``regret`` (average), ``T``, ``b``, ``l``, ``eta``, ``c``, ``bound``;
``ratio`` = regret/bound. Tolerance: scale = (1/T)Σ_t(|h_t| + |ℓ(W_c x_t; y_t)|) + bound,
64·T·(d + m + k) ulps (rounding accumulates over the T projected steps).

**theorem6.vector_sgd.high_probability** — the high-probability half of the vector Theorem 4
(Theorem 4, Sec. 5; its proof, Sec. 6.4, after Eq. 18). *What the vector version is (decided
here).* "SGD over the matrices W, V instead of w, v" reads Sec. 5's skip-to-output architecture
with matrices, x ↦ W x + U f_θ(x), W ∈ R^{m×d}, U ∈ R^{m×k} (the paper's V is U here: the output
matrix of the features, not Appendix A's inner V of x ↦ W(x + V f_θ(x)), for which
ℓ(W(x + V f_θ(x))) is not jointly convex in (W, V) and the online-learning reduction fails).
W is **trained** (projected SGD on (W, U) jointly, θ by backpropagation, M = M1 × M2 as in
Theorem 4) and carries **no rank condition**: full row rank is a hypothesis of Theorem 6 (the
geometric result), while the proof of Theorem 4 only uses that g_t(W, U) = ℓ(W x_t + U f_θt(x_t); y_t)
is convex (ℓ convex in p, the prediction linear in (W, U)), l-Lipschitz and bounded by r. The
comparator is the linear predictor x ↦ W x with (W, 0) ∈ M1 and F_lin(W) = E[ℓ(W x; y)].

*Statement encoded.* Suppose M = M1 × M2 (closed convex), ‖(W, U)‖_Fr ≤ b on M1, and for every
support point (x, y) and θ ∈ M2, ℓ(W x + U f_θ(x); y) is l-Lipschitz in (W, U) (Frobenius norm)
over M1 and bounded in absolute value by r. After T SGD steps with η = c·b/(l√T), with
probability ≥ 1 − δ,

    (1/T) Σ_t F(W_t, U_t, θ_t) ≤ min_{W:(W,0)∈M1} F_lin(W) + (2/c + c/2)·b·l/√T + 2r·√(2 log(1/δ)/T),

the vector form of the proof's display before "Since the left-hand side is an average" (Sec. 6.4),
which implies Theorem 4's "one of the iterates" form (min_t ≤ mean_t); the constants are those of
``theorem4`` (K(c) = 2/c + c/2 from Theorem 5, and the Azuma–Hoeffding term derived there: the
martingale differences lie in an interval of length 4r), since the proof is "virtually identical":
Eq. (18) for (W, U) is ``theorem6.vector_sgd``, and Z_t = ℓ(W_t x_t + U_t φ_t; y_t) − ℓ(W x_t; y_t) ∈ [−2r, 2r].
The gate is the average, stronger than the literal "one of the iterates" (``worst_excess``
reports min_t F − F_lin too).

*Constants* (valid for the hypotheses, computed from the instance): b = max_{M1} ‖(vec W, vec U)‖;
Z(x) = √(‖x‖² + Φ(x)²) with Φ(x) ≥ sup_{θ∈M2}‖f_θ(x)‖ (``training.phi_bound``), so
‖W x + U f_θ(x)‖ ≤ ‖(W, U)‖_Fr·‖(x, f_θ(x))‖ ≤ b·Z(x); ∇_{(W,U)} g = ∇ℓ(p)(x, φ)ᵀ has Frobenius norm
‖∇ℓ(p)‖·‖(x, φ)‖, so l = max_x Z(x)·grad_sup(bZ(x); y) and r = max_x value_sup(bZ(x); y)
(``VectorLoss``: √2 and log(1 + (m − 1)e^{√2B}) for softmax cross-entropy, B + ‖y‖ and
½(B + ‖y‖)² for ½‖p − y‖², weighted sums for combinations). Unlike theorem4's exact end values
these are upper bounds (a valid l, r of the hypotheses; a larger l only shrinks η).

*Verdict* (``theorem4.repeated_runs_verdict``, gate "mean"): ``runs`` independent runs of length T
on i.i.d. samples from a finite distribution (synthetic, or the three Iris classes with their
empirical distribution, m = 3), F an exact expectation; min F_lin over {W : (W, 0) ∈ M1} by
projected gradient (F_lin(W̃) ≥ min F_lin, Frank–Wolfe gap ``flin_fw_gap``). A run fails when
(1/T)Σ_t F − F_lin(W̃) exceeds the bound by more than 64·(T + m(d + k)) ulps of
|F| + |F_lin| + bound; the failure count is tested against δ by the exact one-sided binomial test
(H0: P(fail) ≤ δ), holding when p ≥ ALPHA = 10⁻⁶. High precision re-runs (backpropagation
included) the failing, near-bound and tightest runs at dps digits. Quantities: ``runs``,
``failures``, ``p_value``, ``delta``, ``alpha``, ``T``, ``b``, ``l``, ``r``, ``eta``, ``c``,
``bound``, ``ogd_term``, ``azuma_term``, ``flin_min``, ``flin_fw_gap``, ``worst_avg_excess``
(max over runs of mean_t F − F_lin(W̃)), ``worst_excess`` (same for min_t F). ratio =
worst_avg_excess/bound (0 if ≤ 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from strategies.vector import full_rank_points, sgd_runs, square_points, vector_experiments
from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register, tolerance
from theorems.model import backend as B
from theorems.model import online as O
from theorems.model import vector as VM
from theorems.model.sample import check_array
from theorems.model.training import ResidualNet, minimize_over, v_zero_slice
from theorems.model.vector_quantities import G_blocks, first_order, require_full_row_rank
from theorems.theorem4 import (ALPHA, RunsJSON, _common_checks, _run_checks, constants, iris_classes,
                               repeated_runs_verdict, run_objectives, sample_indices)
from theorems.theorem5 import K

SOURCE = "Theorem 6, Appendix A"
SOURCE_EQ19 = "Eq. (19), proof of Theorem 6, Appendix A"
SOURCE_EQ20 = "Eq. (20), proof of Theorem 6, Appendix A"
SOURCE_SVD = "Proof of Theorem 6 (after Eq. 20), Appendix A"
SOURCE_SGD = "Appendix A (last paragraph): vector-valued Theorem 4 (Sec. 5, proof Sec. 6.4, Theorem 5)"
SOURCE_HP = "Appendix A (last paragraph): vector-valued Theorem 4, high-probability bound (Sec. 5, proof Sec. 6.4)"


def _norms(inst, smin):
    fo = first_order(inst)
    return fo, fo.W_norm / smin


def evaluate(inst, *, factor=1, two=2) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE)
    ulps = tolerance.vector_first_order(*inst.dims)
    fo, kappa = _norms(inst, smin)
    denom = B.sqrt(two * fo.W_fro ** 2 + fo.W_star_fro ** 2 * (two + fo.V_norm ** 2 / smin ** 2))
    bound = fo.gap / denom
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, W_fro=fo.W_fro, W_star_fro=fo.W_star_fro, V_norm=fo.V_norm,
             s_min=smin, denominator=denom, bound=bound)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound,
                              scale=fo.grad_scale + fo.gap_scale * (1 + kappa ** 2) / denom, ulps=ulps,
                              quantities=q, hypotheses={"W full row rank": True}, source=SOURCE,
                              label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))")


def evaluate_eq19(inst, *, factor=1) -> Evaluation:
    smin = require_full_row_rank(inst, SOURCE_EQ19)
    ulps = tolerance.vector_first_order(*inst.dims)
    fo, kappa = _norms(inst, smin)
    GW, GV = G_blocks(inst)
    G_fro = B.norm(GW, GV)
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, s_min=smin)
    if G_fro == 0:
        # G = 0 (W* = W, W*V = 0): the undivided form ‖G‖_Fr·‖∇F‖ ≥ F − F_lin(W*) reads 0 ≥ gap
        return Evaluation.compare(0 * fo.gap, ">=", factor * fo.gap, scale=fo.gap_scale, ulps=ulps,
                                  quantities=dict(q, bound=None), hypotheses={"W full row rank": True},
                                  source=SOURCE_EQ19, label="‖G‖_Fr·‖∇F_θ(W,V)‖ ≥ F − F_lin(W*) at G = 0")
    bound = fo.gap / G_fro
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound,
                              scale=fo.grad_scale + fo.gap_scale * (1 + kappa) / G_fro, ulps=ulps,
                              quantities=dict(q, bound=bound), hypotheses={"W full row rank": True},
                              source=SOURCE_EQ19, label="‖∇F_θ(W,V)‖ ≥ (F − F_lin(W*))/‖G‖_Fr  (19)")


def evaluate_eq20(inst, *, s_max_control=False) -> Evaluation:
    """‖G‖_Fr ≤ √(‖W − W*‖²_Fr + (‖Wᵀ(WWᵀ)⁻¹‖·‖W*‖_Fr·‖V‖)²); the control uses 1/‖W‖ for ‖Wᵀ(WWᵀ)⁻¹‖."""
    smin = require_full_row_rank(inst, SOURCE_EQ20)
    ulps = tolerance.vector_first_order(*inst.dims)
    GW, GV = G_blocks(inst)
    G_fro = B.norm(GW, GV)
    Ws = B.norm(inst.W_star)
    R_norm = 1 / B.spectral_norm(inst.W) if s_max_control else B.spectral_norm(VM.right_inverse(inst.W))
    rhs = B.sqrt(B.asum(GW * GW) + (R_norm * Ws * B.spectral_norm(inst.V)) ** 2)
    kappa = B.spectral_norm(inst.W) / smin
    return Evaluation.compare(G_fro, "<=", rhs, scale=rhs * (1 + kappa), ulps=ulps,
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
    ulps = tolerance.vector_first_order(*inst.dims)
    lhs = B.spectral_norm(inst.W @ VM.solve(inst.W @ inst.W.T, np.eye(m)))
    rhs = 1 / smin
    kappa = B.spectral_norm(inst.W) / smin
    return Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa ** 2), ulps=ulps,
                              quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin), hypotheses={"W square": True},
                              source=SOURCE_SVD, label="‖W(WWᵀ)⁻¹‖ = s_min(W)⁻¹ (as printed)")


def evaluate_svd_corrected(inst, *, use_s_max=False) -> Evaluation:
    """‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹ for W of full row rank (the control uses ‖W‖⁻¹)."""
    smin = require_full_row_rank(inst, SOURCE_SVD)
    ulps = tolerance.vector_first_order(*inst.dims)
    lhs = B.spectral_norm(VM.right_inverse(inst.W))
    kappa = B.spectral_norm(inst.W) / smin
    rhs = 1 / (B.spectral_norm(inst.W) if use_s_max else smin)
    return Evaluation.compare(lhs, "==", rhs, scale=rhs * (1 + kappa ** 2), ulps=ulps,
                              quantities=dict(lhs=lhs, inv_s_min=rhs, s_min=smin),
                              hypotheses={"W full row rank": True}, source=SOURCE_SVD,
                              label="‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹")


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
        a = B.norm(run.X[t], run.Phi[t])
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
        # both controls are false only near the tight corner: 300–700 examples at some seeds
        Variant("theorem6.sharper_x2", "Theorem 6 with the bound multiplied by 2", lambda i: evaluate(i, factor=2),
                max_examples=2000),
        Variant("theorem6.without_factor_2", "Theorem 6 with denominator √(‖W‖²_Fr + ‖W*‖²_Fr(1 + ‖V‖²/s_min²)) "
                "(the 2s from ‖W − W*‖² ≤ 2‖W‖² + 2‖W*‖² dropped)", lambda i: evaluate(i, two=1),
                # false only where the ratio exceeds 1/√2: searched where Theorem 6 is tight
                # (squared loss, W* = −W: refuted by the audit's search within 109–697 examples
                # at seeds 0–9; unfocused, it needed 371–2,237 and missed at seed 3 within 3,000)
                strategy=lambda: full_rank_points(losses=["squared"], corners=["W_star=-W"]), max_examples=2000),
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
        Variant("theorem6.svd_step.corrected.s_max",
                "‖Wᵀ(WWᵀ)⁻¹‖ = ‖W‖⁻¹ (largest in place of smallest singular value)",
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


# -------------------------------------------------------------- vector Theorem 4, high probability

def _f(a):
    return np.asarray(B.to_float(a), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class VectorSGDExperiment(RunsJSON):
    """``runs`` independent SGD runs of length T for x ↦ W x + U f_θ(x) on i.i.d. samples from the
    finite distribution (X, Y, p); ``wv1`` = (vec W₁, vec U₁) (row-major, length m(d + k)), θ₁ ∈ M2."""

    X: np.ndarray            # (n, d) support
    Y: np.ndarray            # (n, m) targets (one-hot rows for softmax cross-entropy)
    p: np.ndarray            # (n,) probabilities
    loss: VM.VectorLoss
    net: ResidualNet
    M1: object               # closed convex set in R^(m(d+k)), coordinates (vec W, vec U)
    M2: object               # closed convex set in R^P (θ)
    wv1: np.ndarray
    theta1: np.ndarray
    c: float
    T: int
    delta: float
    runs: int
    seed: int = 0
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.loss, VM.VectorLoss):
            raise TypeError(f"argument 'loss': expected a VectorLoss, got {type(self.loss).__name__}")
        if not isinstance(self.net, ResidualNet):
            raise TypeError(f"argument 'net': expected a ResidualNet, got {type(self.net).__name__}")
        X = check_array("X", self.X, ndim=2)
        n, d = X.shape
        if n < 1 or d != self.net.d:
            raise ValueError(f"argument 'X': expected shape (n, {self.net.d}) with n ≥ 1, got {X.shape}")
        Y = check_array("Y", self.Y, ndim=2, hypothesis="one target vector y_i ∈ R^m per support point")
        if Y.shape[0] != n or Y.shape[1] < 1:
            raise ValueError(f"argument 'Y': expected shape ({n}, m) with m ≥ 1, got {Y.shape}")
        p = check_array("p", self.p, (n,), hypothesis="one probability per support point")
        pf = _f(p)
        if np.any(pf < 0) or abs(pf.sum() - 1) > 1e-12:
            raise ValueError("argument 'p': must be a probability vector (≥ 0, summing to 1)")
        for name, v in (("X", X), ("Y", Y), ("p", p)):
            object.__setattr__(self, name, v)
        self.loss.check_targets(Y)
        _common_checks(self, d, Y.shape[1])
        _run_checks(self)

    m = property(lambda self: self.Y.shape[1])
    _TARGET = "Y"
    _loss_from_spec = staticmethod(VM.from_spec)

    def describe(self):
        n = self.net
        return (f"{self.meta.get('distribution', 'finite')} n={self.X.shape[0]} d={n.d} m={self.m} k={n.k} "
                f"depth={n.depth} loss={self.loss.name} T={self.T} runs={self.runs} δ={float(self.delta):.3g} "
                f"c={float(self.c):.3g}")


def _hp_hyps():
    return {"M = M1 × M2 closed convex, ‖(W,U)‖_Fr ≤ b on M1": True,
            "ℓ convex in p, l-Lipschitz in (W,U) and |ℓ| ≤ r over M1 × M2 × support": True,
            "{W : (W,0) ∈ M1} nonempty": True}


HP_HYPS = tuple(_hp_hyps())


def _num(x, like):
    return B.to_mp(float(x)) if B.is_mp(like) else float(x)


def evaluate_high_probability(ex: VectorSGDExperiment, *, bound_factor=1) -> Evaluation:
    mp = B.is_mp(ex.X)
    net, loss, d, m = ex.net, ex.loss, ex.net.d, ex.m
    support = _f(ex.p) > 0
    b, l, r = constants(net, loss, ex.M1, ex.M2, ex.X[support], ex.Y[support])
    if not (b > 0 and l > 0):
        raise HypothesisNotMet(f"argument 'M1': needs b > 0 and l > 0 (positive constants b, l) [{SOURCE_HP}]")
    Wset = v_zero_slice(ex.M1, m * d)
    if Wset is None:
        raise HypothesisNotMet(f"argument 'M1': {{W : (W, 0) ∈ M1}} is empty (or not a ball/box/product slice) "
                               f"[{SOURCE_HP}]")
    like, T = ex.X, ex.T
    rootT = B.sqrt(_num(T, like))
    c = _num(ex.c, like)
    delta = _num(ex.delta, like)
    eta = c * b / (l * rootT)
    ogd = K(c) * b * l / rootT
    azuma = 2 * r * B.sqrt(2 * B.log(1 / delta) / T)
    bound = (ogd + azuma) * bound_factor
    a, fw_gap = minimize_over(Wset, ex.X, ex.Y, ex.p, loss)
    W_c = Wset.project(B.to_mp(a) if mp else a).reshape(m, d)
    flin = B.asum(ex.p * loss.value(ex.X @ W_c.T, ex.Y))
    idx = sample_indices(ex.seed, ex.p, ex.runs, T)
    v = repeated_runs_verdict(
        ex, lambda ids: run_objectives(net, loss, ex.M1, ex.M2, ex.X, ex.Y, ex.p, idx[ids], ex.wv1, ex.theta1, eta),
        lambda exf: evaluate_high_probability(exf, bound_factor=bound_factor),
        flin=flin, bound=bound, ulps=64 * (T + m * (d + net.k)), gate="mean")
    fails, pval = v["failures"], v["p_value"]
    q = dict(runs=ex.runs, failures=fails, p_value=pval, delta=delta, alpha=ALPHA, T=T, b=b, l=l, r=r, eta=eta,
             c=c, bound=bound, ogd_term=ogd, azuma_term=azuma, flin_min=flin, flin_fw_gap=fw_gap,
             worst_avg_excess=v["worst"], worst_excess=max(v["min_excess"]),
             _run_excess=[float(e) for e in v["min_excess"]], _run_avg_excess=[float(e) for e in v["avg_excess"]],
             _run_tol=float(v["tol"]))
    lhs, rhs = (B.to_mp(pval), B.to_mp(ALPHA)) if mp else (pval, ALPHA)
    return Evaluation.compare(lhs, ">=", rhs, scale=1.0, ulps=64, quantities=q, hypotheses=_hp_hyps(),
                              source=SOURCE_HP, ratio=v["ratio"],
                              label=(f"binomial p-value of {fails}/{ex.runs} runs with (1/T)Σ_t F(W_t, U_t, θ_t) > "
                                     "min F_lin + " + ("" if bound_factor == 1 else f"{bound_factor:g}·")
                                     + f"(K(c)bl/√T + 2r√(2log(1/δ)/T)), H0: P(fail) ≤ δ = {float(delta):.3g}"))


def example_high_probability(dataset: str = "iris", *, runs: int = 20, T: int = 32, delta: float = 0.1,
                             seed: int = 0, depth: int = 1, loss: str = "softmax_ce") -> VectorSGDExperiment:
    """A residual network with m outputs trained by backpropagation: on the three Iris classes
    (empirical distribution, n = 150, m = 3) or on a 3-class synthetic distribution (8 points)."""
    rng = np.random.default_rng(seed)
    if dataset == "iris":
        X, labels = iris_classes()
        meta = {"distribution": "iris (3 classes), empirical"}
    elif dataset == "synthetic":
        X = rng.normal(size=(8, 2))
        labels = np.argmax(np.c_[X, -X.sum(axis=1)], axis=1)
        meta = {"distribution": "synthetic 3-class, 8 points"}
    else:
        raise ValueError(f"argument 'dataset': expected 'synthetic' or 'iris', got {dataset!r}")
    n, d = X.shape
    m, k = 3, 4
    Y = np.eye(m)[labels]
    net = ResidualNet(d, k, depth)
    M1 = O.Product((O.Ball(np.zeros(m * d), 3.0), O.Ball(np.zeros(m * k), 2.0)))
    M2 = O.Product(tuple(O.Ball(np.zeros(int(np.prod(s))), 2.0) for s in net.shapes))
    return VectorSGDExperiment(X, Y, np.full(n, 1.0 / n), VM.by_name(loss), net, M1, M2, np.zeros(m * (d + k)),
                               M2.project(net.init(seed)), 2.0, T, delta, runs, seed, meta)


theorem6_vector_sgd_high_probability = register(Claim(
    id="theorem6.vector_sgd.high_probability", source=SOURCE_HP, kind="explicit-constant",
    statement=("Vector-valued Theorem 4 (x ↦ W x + U f_θ(x), W and U trained by projected SGD over M1, θ over M2, "
               "η = c·b/(l√T); no rank condition on W): with probability at least 1 − δ, "
               "(1/T)Σ_t F(W_t, U_t, θ_t) ≤ min_{W:(W,0)∈M1} F_lin(W) + O((bl + r√log(1/δ))/√T), hence one of the "
               "iterates satisfies it. Explicit: + (2/c + c/2)·b·l/√T + 2r√(2 log(1/δ)/T); checked by an exact "
               "binomial test over repeated runs."),
    evaluate_fn=evaluate_high_probability, strategy_fn=vector_experiments, example_fn=example_high_probability,
    hypotheses=HP_HYPS,
    quantities=("runs", "failures", "p_value", "delta", "alpha", "T", "b", "l", "r", "eta", "c", "bound", "ogd_term",
                "azuma_term", "flin_min", "flin_fw_gap", "worst_avg_excess", "worst_excess"),
    polish=False,
    controls=(
        Variant("theorem6.vector_sgd.high_probability.bound_div_1000",
                "the same high-probability statement with the explicit bound divided by 1000 (U pinned to 0)",
                lambda i: evaluate_high_probability(i, bound_factor=1e-3),
                strategy=lambda: vector_experiments(U_pinned=True), max_examples=100),
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
