"""Theorem 1 (Sec. 3) and its intermediate bound, Eq. (6) (proof in Sec. 6.1).

**Theorem 1.** *At any point (w, V, θ) such that w ≠ 0, and for any vector w\\* of the same
dimension as w,*

    ‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²)).

**Eq. (6)** (the sharper bound the proof passes through, from Lemma 1 and Cauchy–Schwarz):

    ‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(‖w − w*‖² + ‖(1/‖w‖²) w (w*)ᵀ V‖²_Fr).

Hypotheses: w ≠ 0 (raises :class:`HypothesisNotMet` otherwise); ℓ convex and C² in p
(Assumption 1, guaranteed by the loss catalogue). ‖V‖ is the spectral norm.

Quantities: ``grad_norm`` = ‖∇F_θ(w, V)‖, ``gap`` = F(w, V, θ) − F_lin(w*), ``w_norm``,
``w_star_norm``, ``V_norm`` (spectral), ``denominator`` (of the bound), ``bound`` = gap/denominator.
Tightness ``ratio`` = bound / ‖∇F‖ (0 when gap ≤ 0). Both bounds are attained, e.g. by the linear
loss with w* = −w, w* a top left singular vector of V and ∇F parallel to Lemma 1's G.

Informative examples: those with a positive gap F(w, V, θ) − F_lin(w*) (beyond rounding): where
the gap is ≤ 0 the bound is ≤ 0 and ‖∇F‖ ≥ 0 holds whatever the instance.

Tolerance: scale = grad_scale + gap_scale/denominator (magnitudes of the terms behind ‖∇F‖
and the gap, see ``theorems.model.quantities``), ``tolerance.first_order(n, d, k)`` = 64·(n + d + k) ulps.

Further steps of Sec. 6.1 and the remark after Theorem 1 (issue 22): ``theorem1.cauchy_schwarz``
(refuted: its spectral middle term) and ``.corrected``, ``theorem1.denominator_bound``,
``theorem1.parallelogram``, ``theorem1.footnote2``, ``theorem1.nonzero_gradient`` — see the comment
block before their definitions for statements, quantities, informative examples and the witness.
"""

from __future__ import annotations

import numpy as np

from strategies.instances import concave_loss_points, theorem1_points
from strategies.second_order import exact_saddles
from theorems.contract import Claim, Evaluation, Form, HypothesisDrop, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.constructions import theorem1_attaining_instance as attaining_instance  # noqa: F401
from theorems.model.instance import random_point
from theorems.model.quantities import first_order
from theorems.model.requirements import require_w_nonzero

SOURCE = "Theorem 1, Sec. 3"
SOURCE_EQ6 = "Eq. (6), proof of Theorem 1, Sec. 6.1"


def _ulps(inst):
    s = inst.sample
    return tolerance.first_order(s.n, s.d, s.k)


def _positive_gap(fo) -> bool:
    # a lower bound on ‖∇F‖ can only fail where it is positive: F(w, V, θ) > F_lin(w*) beyond rounding
    return fo.gap > 0 and tolerance.beyond_rounding(fo.gap, fo.gap_scale)


def theorem1_bound(inst, fo=None):
    fo = fo or first_order(inst)
    denom = B.sqrt(2 * fo.w_norm ** 2 + fo.w_star_norm ** 2 * (2 + fo.V_norm ** 2 / fo.w_norm ** 2))
    return fo, denom


def evaluate(inst, *, factor=1) -> Evaluation:
    require_w_nonzero(inst, SOURCE)
    fo, denom = theorem1_bound(inst)
    bound = fo.gap / denom
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, w_norm=fo.w_norm, w_star_norm=fo.w_star_norm,
             V_norm=fo.V_norm, denominator=denom, bound=bound)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound, scale=fo.grad_scale + fo.gap_scale / denom,
                              ulps=_ulps(inst), quantities=q, hypotheses={"w != 0": True},
                              informative=_positive_gap(fo),
                              source=SOURCE, label="‖∇F_θ(w,V)‖ ≥ (F − F_lin(w*))/√(2‖w‖²+‖w*‖²(2+‖V‖²/‖w‖²))")


def eq6_denominator(inst, fo):
    w, w_star, V = inst.w, inst.w_star, inst.V
    M = np.outer(w, w_star) @ V / fo.w_norm ** 2
    dw = w - w_star
    return B.norm(dw, M)


def evaluate_eq6(inst, *, factor=1) -> Evaluation:
    require_w_nonzero(inst, SOURCE_EQ6)
    fo = first_order(inst)
    G_fro = eq6_denominator(inst, fo)
    if G_fro == 0:
        # G = 0 (w* = w, Vᵀw* = 0): the quotient is undefined; the proof's undivided form
        # ‖G‖_Fr·‖∇F‖ ≥ F − F_lin(w*) reads 0 ≥ gap, which is what is checked here.
        q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, bound=None, w_norm=fo.w_norm,
                 w_star_norm=fo.w_star_norm, V_norm=fo.V_norm)
        return Evaluation.compare(0 * fo.gap, ">=", factor * fo.gap, scale=fo.gap_scale, ulps=_ulps(inst),
                                  quantities=q, hypotheses={"w != 0": True}, source=SOURCE_EQ6,
                                  informative=_positive_gap(fo),
                                  label="‖G‖_Fr·‖∇F_θ(w,V)‖ ≥ F − F_lin(w*) at G = 0")
    bound = fo.gap / G_fro
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, G_fro=G_fro, bound=bound, w_norm=fo.w_norm,
             w_star_norm=fo.w_star_norm, V_norm=fo.V_norm)
    return Evaluation.compare(fo.grad_norm, ">=", factor * bound, scale=fo.grad_scale + fo.gap_scale / G_fro,
                              ulps=_ulps(inst), quantities=q, hypotheses={"w != 0": True},
                              informative=_positive_gap(fo),
                              source=SOURCE_EQ6, label="‖∇F_θ(w,V)‖ ≥ (F − F_lin(w*))/‖G‖_Fr")


def _example():
    return random_point(1)


theorem1 = register(Claim(
    id="theorem1", source=SOURCE, kind="literal",
    statement=("At any point (w, V, θ) such that w ≠ 0, and for any vector w* of the same dimension "
               "as w, ‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²))."),
    evaluate_fn=evaluate, strategy_fn=theorem1_points, example_fn=_example,
    hypotheses=("w != 0",),
    quantities=("grad_norm", "gap", "w_norm", "w_star_norm", "V_norm", "denominator", "bound"),
    form=Form("grad_norm >= gap/sqrt(2*w_norm**2 + w_star_norm**2*(2 + V_norm**2/w_norm**2))",
              without_hypothesis=(HypothesisDrop("ℓ convex in p (Assumption 1)", concave_loss_points, evaluate,
                                                 "Theorem 1 for the concave 'loss' −½(p − y)²"),)),
    controls=(
        Variant("theorem1.sharper_x2", "‖∇F‖ ≥ 2·(F − F_lin(w*))/√(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²)) "
                "(constant sharpened by 2)", lambda i: evaluate(i, factor=2)),
    ),
))

theorem1_eq6 = register(Claim(
    id="theorem1.eq6", source=SOURCE_EQ6, kind="proof-step",
    statement=("‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(‖w − w*‖² + ‖(1/‖w‖²) w (w*)ᵀ V‖²_Fr)  (6)"),
    evaluate_fn=evaluate_eq6, strategy_fn=theorem1_points, example_fn=_example,
    hypotheses=("w != 0",),
    quantities=("grad_norm", "gap", "G_fro", "bound", "w_norm", "w_star_norm", "V_norm"),
    form=Form("grad_norm >= gap/G_fro",
              without_hypothesis=(HypothesisDrop("ℓ convex in p (Assumption 1)", concave_loss_points, evaluate_eq6,
                                                 "Eq. (6) for the concave 'loss' −½(p − y)²"),)),
    controls=(
        Variant("theorem1.eq6.sharper_x1.5", "‖∇F‖ ≥ 1.5·(F − F_lin(w*))/‖G‖_Fr (constant sharpened by 1.5)",
                lambda i: evaluate_eq6(i, factor=1.5)),
    ),
))


# ---------------------------------------------------------------- steps of Sec. 6.1 (issue 22)
#
# ``theorem1.cauchy_schwarz`` (proof-step, REFUTED): the display after Lemma 1,
#   ‖G‖_Fr·‖∇F_θ(w, V)‖ ≥ ‖G‖·‖∇F_θ(w, V)‖ ≥ F(w, V, θ) − F_lin(w*),
# with ‖G‖ the spectral norm of the d × (k + 1) matrix G = (w − w*; w(w*)ᵀV/‖w‖²) (Sec. 2's
# convention). The first inequality is Frobenius ≥ spectral; the second is false: Cauchy–Schwarz
# bounds ⟨vec G, ∇F⟩ by ‖G‖_Fr‖∇F‖, and the spectral norm only by ‖G‖·(nuclear norm of ∇F as a
# d × (k + 1) matrix). Minimal witness (d = 2, k = 1, n = 1, linear loss ℓ(p; y) = −yp, where Lemma 1
# is an equality): x = (1, −1), f_θ(x) = −1, y = 1, w = (1, 0), V = (1, 0)ᵀ, w* = (1, −1):
# G = [[0, 1], [1, 0]], ∇F = G, ‖G‖ = 1, ‖∇F‖ = √2, gap = 2 > √2. (d = 1 cannot refute it: G is
# then a row and its spectral and Frobenius norms agree.) ``theorem1.cauchy_schwarz.corrected``:
# the chain without its middle term, ‖G‖_Fr·‖∇F‖ ≥ gap (what Eq. (6) uses; Theorem 1 unaffected).
# Quantities ``G_fro``, ``G_norm`` (spectral), ``grad_norm``, ``gap``. Informative: a positive gap.
# Tolerance: as Eq. (6), scale ‖G‖_Fr·grad_scale + gap_scale.
#
# ``theorem1.denominator_bound``: √(‖w − w*‖² + ‖w(w*)ᵀV/‖w‖²‖²_Fr) ≤
# √(‖w − w*‖² + (1/‖w‖⁴)(‖w‖·‖w*‖·‖V‖)²). ``theorem1.parallelogram``: ‖w − w*‖² ≤ 2‖w‖² + 2‖w*‖²
# (via ‖x − z‖² ≤ ‖x‖² + ‖z‖² + 2|xᵀz|). ``theorem1.footnote2``: ‖AB‖_Fr ≤ ‖A‖_Fr·‖B‖, checked with
# A = X (the n × d sample matrix, rows x_i) and B = V (d × k), and with the proof's own
# A = w(w*)ᵀ/‖w‖², B = V. Informative: the right side non-zero beyond rounding.
#
# ``theorem1.nonzero_gradient`` (Sec. 3, after Theorem 1): "unless w = 0, its partial derivative …
# is non-zero, so it cannot be a stationary point … nor a local minimum": the implication
# [w ≠ 0 and F(w, V, θ) > F_lin(w*)] ⇒ ‖∇F_θ(w, V)‖ > 0, as two truth values (lhs = [‖∇F‖ > 0
# beyond rounding of grad_scale] ≥ rhs = [gap > 0 beyond rounding of gap_scale]), in the instance's
# own precision (so 60 digits sharpen both thresholds). Informative: a positive gap. Control: the
# implication without "unless w = 0", on exact binary stationary points (0, V) with a positive gap
# (``theorems.model.saddles``), where it fails.

SOURCE_CS = "Display after Lemma 1 (Cauchy–Schwarz), proof of Theorem 1, Sec. 6.1"
SOURCE_DEN = "Denominator bound, proof of Theorem 1, Sec. 6.1"
SOURCE_PAR = "‖w − w*‖² ≤ 2‖w‖² + 2‖w*‖², proof of Theorem 1, Sec. 6.1"
SOURCE_FN2 = "Footnote 2, proof of Theorem 1, Sec. 6.1"
SOURCE_NZ = "After Theorem 1, Sec. 3"


def G_matrix(inst, fo):
    """G = (w − w*; (1/‖w‖²) w (w*)ᵀ V) as a d × (k + 1) matrix (Lemma 1)."""
    M = np.outer(inst.w, inst.w_star) @ inst.V / fo.w_norm ** 2
    return np.concatenate([(inst.w - inst.w_star)[:, None], M], axis=1)


def evaluate_cs(inst, *, frobenius=False) -> Evaluation:
    require_w_nonzero(inst, SOURCE_CS)
    fo = first_order(inst)
    G = G_matrix(inst, fo)
    G_fro, G_spec = B.norm(G), B.spectral_norm(G)
    q = dict(G_fro=G_fro, G_norm=G_spec, grad_norm=fo.grad_norm, gap=fo.gap)
    scale = G_fro * fo.grad_scale + fo.gap_scale
    s = inst.sample
    ulps = _ulps(inst) + tolerance.eigenvalue(s.d + s.k + 1)
    if frobenius:
        return Evaluation.compare(G_fro * fo.grad_norm, ">=", fo.gap, scale=scale, ulps=ulps, quantities=q,
                                  hypotheses={"w != 0": True}, source=SOURCE_CS, informative=_positive_gap(fo),
                                  label="‖G‖_Fr·‖∇F_θ(w,V)‖ ≥ F − F_lin(w*)")
    # the chain: its weakest link decides (first: Fr ≥ spectral; second: spectral·‖∇F‖ ≥ gap)
    first = Evaluation.compare(G_fro * fo.grad_norm, ">=", G_spec * fo.grad_norm, scale=scale, ulps=ulps)
    if not first.holds:
        return Evaluation.compare(G_fro * fo.grad_norm, ">=", G_spec * fo.grad_norm, scale=scale, ulps=ulps,
                                  quantities=q, hypotheses={"w != 0": True}, source=SOURCE_CS,
                                  informative=True, label="‖G‖_Fr·‖∇F‖ ≥ ‖G‖·‖∇F‖")
    return Evaluation.compare(G_spec * fo.grad_norm, ">=", fo.gap, scale=scale, ulps=ulps, quantities=q,
                              hypotheses={"w != 0": True}, source=SOURCE_CS, informative=_positive_gap(fo),
                              label="‖G‖_Fr·‖∇F‖ ≥ ‖G‖·‖∇F_θ(w,V)‖ ≥ F − F_lin(w*) (‖G‖ spectral)")


def cauchy_schwarz_counterexample():
    """The minimal confirmed counterexample to the display's middle term (block comment above)."""
    from theorems.model import Point, Sample
    from theorems.model import losses as L
    s = Sample(np.array([[1.0, -1.0]]), np.array([1.0]), np.array([1.0]), np.array([[-1.0]]))
    return Point(s, L.linear(), np.array([1.0, 0.0]), np.array([[1.0], [0.0]]), np.array([1.0, -1.0]), {},
                 {"feature_map": "constructed", "corner": "erratum witness"})


def cauchy_schwarz_family(*, max_d: int = 4, max_k: int = 3):
    """The erratum's witness embedded in R^d × R^{d×k} (extra coordinates 0) with y scaled by 2^j: the
    spectral middle term fails on every member (gap = 2·2^j > ‖G‖·‖∇F‖ = √2·2^j)."""
    from hypothesis import strategies as st

    from strategies.core import check_int
    check_int("max_d", max_d, 2, 8)
    check_int("max_k", max_k, 1, 8)
    return st.builds(_embedded_witness, st.integers(2, max_d), st.integers(1, max_k), st.integers(-3, 3))


def _embedded_witness(d, k, j):
    from theorems.model import Point, Sample
    from theorems.model import losses as L
    base = cauchy_schwarz_counterexample()
    X, Phi, V = np.zeros((1, d)), np.zeros((1, k)), np.zeros((d, k))
    X[0, :2], Phi[0, 0], V[0, 0] = base.sample.X[0], base.sample.Phi[0, 0], 1.0
    w, ws = np.zeros(d), np.zeros(d)
    w[:2], ws[:2] = base.w, base.w_star
    s = Sample(X, np.array([2.0 ** j]), np.array([1.0]), Phi)
    return Point(s, L.linear(), w, V, ws, {}, {"feature_map": "constructed", "corner": "erratum family"})


def evaluate_denominator(inst, *, with_diff=True) -> Evaluation:
    require_w_nonzero(inst, SOURCE_DEN)
    fo = first_order(inst)
    lhs = eq6_denominator(inst, fo)
    dw2 = B.asum((inst.w - inst.w_star) ** 2)
    prod = fo.w_norm * fo.w_star_norm * fo.V_norm
    rhs = B.sqrt((dw2 if with_diff else 0) + prod * prod / fo.w_norm ** 4)
    s = inst.sample
    q = dict(G_fro=lhs, bound=rhs, w_norm=fo.w_norm, w_star_norm=fo.w_star_norm, V_norm=fo.V_norm)
    return Evaluation.compare(lhs, "<=", rhs, scale=lhs + rhs, ulps=tolerance.eigenvalue(s.d + s.k) + _ulps(inst),
                              quantities=q, hypotheses={"w != 0": True}, source=SOURCE_DEN,
                              informative=tolerance.beyond_rounding(rhs, 1.0) and float(rhs) > 0,
                              label="√(‖w−w*‖² + ‖ww*ᵀV/‖w‖²‖²_Fr) ≤ √(‖w−w*‖² + (‖w‖‖w*‖‖V‖)²/‖w‖⁴)")


def evaluate_parallelogram(inst, *, factor=2, cross=True) -> Evaluation:
    w, ws = inst.w, inst.w_star
    lhs = B.asum((w - ws) ** 2)
    a, b = B.asum(w * w), B.asum(ws * ws)
    mid = a + b + (2 * abs(B.asum(w * ws)) if cross else 0)
    rhs = factor * (a + b)
    q = dict(diff_sq=lhs, middle=mid, bound=rhs)
    first = Evaluation.compare(lhs, "<=", mid, scale=2 * (a + b), ulps=tolerance.chain(len(w)))
    if not first.holds:
        return Evaluation.compare(lhs, "<=", mid, scale=2 * (a + b), ulps=tolerance.chain(len(w)), quantities=q,
                                  source=SOURCE_PAR, informative=True, label="‖w−w*‖² ≤ ‖w‖² + ‖w*‖² + 2|wᵀw*|")
    return Evaluation.compare(mid, "<=", rhs, scale=2 * (a + b), ulps=tolerance.chain(len(w)), quantities=q,
                              source=SOURCE_PAR, informative=tolerance.beyond_rounding(rhs, 1.0) and float(rhs) > 0,
                              label="‖w−w*‖² ≤ ‖w‖² + ‖w*‖² + 2|wᵀw*| ≤ 2‖w‖² + 2‖w*‖²")


def evaluate_footnote2(inst, *, spectral_A=False, factor=1) -> Evaluation:
    s, V = inst.sample, inst.V
    pairs = [("X", s.X)]
    wn2 = B.asum(inst.w * inst.w)
    if wn2 > 0 and inst.w_star is not None:
        pairs.append(("ww*ᵀ/‖w‖²", np.outer(inst.w, inst.w_star) / wn2))
    Vn = B.spectral_norm(V)
    evs = []
    for name, A in pairs:
        lhs = B.norm(A @ V)
        An = B.spectral_norm(A) if spectral_A else B.norm(A)
        rhs = factor * An * Vn
        ev = Evaluation.compare(lhs, "<=", rhs, scale=B.norm(A) * B.norm(V) + rhs,
                                ulps=tolerance.eigenvalue(A.shape[0] + A.shape[1] + V.shape[1]),
                                quantities=dict(AB_fro=lhs, A_fro=B.norm(A), B_norm=Vn),
                                source=SOURCE_FN2, informative=tolerance.beyond_rounding(rhs, 1.0) and float(rhs) > 0,
                                label=f"‖AB‖_Fr ≤ ‖A‖{'' if spectral_A else '_Fr'}·‖B‖ (A = {name}, B = V)")
        evs.append(ev)
    failing = [ev for ev in evs if not ev.holds]
    return failing[0] if failing else max(evs, key=lambda ev: float(ev.ratio or 0))


def _beyond(value, scale, ulps) -> bool:
    return bool(abs(value) > tolerance.rounding(abs(scale) + 0 * value, ops=ulps))


def evaluate_nonzero_gradient(inst, *, require_w=True) -> Evaluation:
    if require_w:
        require_w_nonzero(inst, SOURCE_NZ)
    if inst.w_star is None:
        raise HypothesisNotMet(f"argument 'w_star': {SOURCE_NZ} compares with a linear predictor w*")
    fo = first_order(inst)
    ulps = _ulps(inst)
    suboptimal = fo.gap > 0 and _beyond(fo.gap, fo.gap_scale, ulps)
    moving = _beyond(fo.grad_norm, fo.grad_scale, ulps)
    q = dict(grad_norm=fo.grad_norm, gap=fo.gap, w_norm=fo.w_norm)
    return Evaluation.truth(moving, premise=suboptimal, quantities=q,
                            hypotheses={"w != 0": True} if require_w else {}, source=SOURCE_NZ,
                            informative=suboptimal, label="w ≠ 0 and F(w,V,θ) > F_lin(w*) ⇒ ∇F_θ(w,V) ≠ 0")


_cs_statement = ("‖G‖_Fr·‖∇F_θ(w, V)‖ ≥ ‖G‖·‖∇F_θ(w, V)‖ ≥ F(w, V, θ) − F_lin(w*)  (by Lemma 1 and "
                 "Cauchy–Schwarz; ‖G‖ spectral)")

def _cs_points(*, max_d: int = 4, max_k: int = 3):
    """Theorem 1's points plus the erratum's constructed family (a named regime, as elsewhere)."""
    from hypothesis import strategies as st
    return st.one_of(theorem1_points(), cauchy_schwarz_family(max_d=max_d, max_k=max_k))


register(Claim(
    id="theorem1.cauchy_schwarz", source=SOURCE_CS, kind="proof-step", statement=_cs_statement,
    evaluate_fn=evaluate_cs, strategy_fn=_cs_points, example_fn=cauchy_schwarz_counterexample,
    hypotheses=("w != 0",), quantities=("G_fro", "G_norm", "grad_norm", "gap"),
    informative_rule="a positive gap F(w, V, θ) − F_lin(w*) beyond rounding",
    notes="Refuted (middle term, spectral ‖G‖); see theorem1.cauchy_schwarz.corrected.",
    erratum={
        "location": "Proof of Theorem 1, Sec. 6.1, the display after Lemma 1",
        "statement": "‖G‖·‖∇F_θ(w, V)‖ ≥ F(w, V, θ) − F_lin(w*) with ‖G‖ the spectral norm",
        "correction": "theorem1.cauchy_schwarz.corrected",
        "why": ("Cauchy–Schwarz gives ⟨vec G, ∇F⟩ ≤ ‖G‖_Fr‖∇F‖, not the spectral norm. Minimal witness d = 2, k = 1, "
                "linear loss, x = (1, −1), f_θ(x) = −1, y = 1, w = (1, 0), V = (1, 0)ᵀ, w* = (1, −1): ‖G‖ = 1, "
                "‖∇F‖ = √2, gap = 2. The chain's outer terms (Frobenius) hold; Eq. (6) and Theorem 1 use only them."),
    },
))

register(Claim(
    id="theorem1.cauchy_schwarz.corrected", source=SOURCE_CS, kind="corrected",
    statement="‖G‖_Fr·‖∇F_θ(w, V)‖ ≥ F(w, V, θ) − F_lin(w*)  (the display without its spectral middle term)",
    evaluate_fn=lambda i: evaluate_cs(i, frobenius=True), strategy_fn=theorem1_points, example_fn=_example,
    hypotheses=("w != 0",), quantities=("G_fro", "G_norm", "grad_norm", "gap"),
    form=Form("G_fro*grad_norm >= gap"),
    informative_rule="a positive gap F(w, V, θ) − F_lin(w*) beyond rounding",
    controls=(Variant("theorem1.cauchy_schwarz.corrected.spectral", "the literal middle term ‖G‖·‖∇F‖ ≥ gap "
                      "(spectral ‖G‖)", evaluate_cs, strategy=cauchy_schwarz_family, searched_with_claim=True),),
))

register(Claim(
    id="theorem1.denominator_bound", source=SOURCE_DEN, kind="proof-step",
    statement=("the denominator √(‖w − w*‖² + ‖(1/‖w‖²) w (w*)ᵀ V‖²_Fr) is at most "
               "√(‖w − w*‖² + (1/‖w‖⁴)·(‖w‖·‖w*‖·‖V‖)²)"),
    evaluate_fn=evaluate_denominator, strategy_fn=theorem1_points, example_fn=_example,
    hypotheses=("w != 0",), quantities=("G_fro", "bound", "w_norm", "w_star_norm", "V_norm"),
    informative_rule="a non-zero bound",
    controls=(Variant("theorem1.denominator_bound.without_diff", "the bound without its ‖w − w*‖² term",
                      lambda i: evaluate_denominator(i, with_diff=False)),),
))

register(Claim(
    id="theorem1.parallelogram", source=SOURCE_PAR, kind="proof-step",
    statement=("‖w − w*‖² ≤ 2‖w‖² + 2‖w*‖² (as for any vectors x, z, ‖x − z‖² ≤ ‖x‖² + ‖z‖² + 2|xᵀz| ≤ "
               "2(‖x‖² + ‖z‖²))"),
    evaluate_fn=evaluate_parallelogram, strategy_fn=theorem1_points, example_fn=_example,
    quantities=("diff_sq", "middle", "bound"), form=Form("middle <= bound"),
    informative_rule="w or w* non-zero",
    controls=(Variant("theorem1.parallelogram.without_cross", "‖w − w*‖² ≤ ‖w‖² + ‖w*‖² (2|wᵀw*| dropped)",
                      lambda i: evaluate_parallelogram(i, cross=False)),),
))

register(Claim(
    id="theorem1.footnote2", source=SOURCE_FN2, kind="proof-step",
    statement=("‖AB‖_Fr ≤ ‖A‖_Fr·‖B‖: ‖AB‖²_Fr = Σ_i ‖A_iB‖² ≤ Σ_i (‖A_i‖·‖B‖)² = ‖A‖²_Fr‖B‖², A_i the i-th row "
               "of A"),
    evaluate_fn=evaluate_footnote2, strategy_fn=theorem1_points, example_fn=_example,
    quantities=("AB_fro", "A_fro", "B_norm"),
    informative_rule="‖A‖_Fr‖B‖ > 0 (A = X, the sample matrix, or A = ww*ᵀ/‖w‖²; B = V)",
    controls=(Variant("theorem1.footnote2.x0.99", "‖AB‖_Fr ≤ 0.99·‖A‖_Fr·‖B‖ (constant sharpened; "
                      "attained by rank-1 A whose rows are top singular directions of B)",
                      lambda i: evaluate_footnote2(i, factor=0.99)),),
))

register(Claim(
    id="theorem1.nonzero_gradient", source=SOURCE_NZ, kind="literal",
    no_ratio="a truth value: the conclusion holds or not; its quantities are reported instead",
    statement=("for any point (w, V, θ) for which the objective value F(w, V, θ) is larger than that of some linear "
               "predictor F_lin(w*), and unless w = 0, its partial derivative with respect to (w, V) (namely "
               "∇F_θ(w, V)) is non-zero, so it cannot be a stationary point with respect to w, V, nor a local "
               "minimum of F."),
    evaluate_fn=evaluate_nonzero_gradient, strategy_fn=theorem1_points, example_fn=_example,
    hypotheses=("w != 0",), quantities=("grad_norm", "gap", "w_norm"), polish=False,
    informative_rule="a positive gap F(w, V, θ) − F_lin(w*) beyond rounding",
    controls=(Variant("theorem1.nonzero_gradient.at_w_zero", "the same implication at w = 0 (\"unless w = 0\" "
                      "dropped), on exact stationary points (0, V)",
                      lambda i: evaluate_nonzero_gradient(i, require_w=False), strategy=exact_saddles,
                      not_searched_why="draws w = 0 (exact saddles (0, V)), outside the claim's hypothesis w ≠ 0"),),
))
