"""Lemma 2 (Sec. 6.2, proof of Theorem 2): the smallest eigenvalue of an "arrow" matrix.

**Lemma 2.** *Let M be a symmetric real-valued square matrix of the form*

    M = ( b  uᵀ )
        ( u  0  ),

*where b is some scalar, u is a vector, and all entries of M other than the first row and column
are 0. Then the minimal eigenvalue λ_min of M is non-positive, and satisfies*

    ‖u‖² = |b λ_min| + λ_min².

Proof (paper): λ_min equals the smaller eigenvalue of [[b, ‖u‖], [‖u‖, 0]], i.e.
λ_min = ½(b − √(b² + 4‖u‖²)); "solving for ‖u‖² and noting that λ_min < 0, the result follows."

**Finding (erratum).** Solving the characteristic equation λ² − bλ − ‖u‖² = 0 gives, for *every*
real b, ‖u‖² = λ_min² − b λ_min. This equals |bλ_min| + λ_min² iff b·λ_min ≤ 0; since λ_min ≤ 0,
that is iff b ≥ 0 or λ_min = 0 — and λ_min = 0 forces b ≥ 0 — so the identity holds **exactly when
b ≥ 0** (any u, including u = 0). For every b < 0 it fails: λ_min ≤ b < 0 and the two sides differ
by 2bλ_min = 2|b||λ_min| > 0. Minimal counterexample: b = −1, u = (0): M = diag(−1, 0), λ_min = −1,
‖u‖² = 0 but |bλ_min| + λ_min² = 2. The first part (λ_min ≤ 0) holds for every b and u (M has the
zero diagonal entry M₂₂, and λ_min ≤ min diagonal). The proof's "λ_min < 0" is also not always
true (b ≥ 0, u = 0 gives λ_min = 0), harmlessly. Theorem 2 applies the lemma only with
b = ∂²F/∂w₁²(0, V) = E[ℓ''(0; y)(x + Vf_θ(x))₁²] ≥ 0 (convexity), so Theorem 2 is unaffected.
SymPy derivations: tests/symbolic/test_second_order_sympy.py.

Claims: ``lemma2`` (literal, refuted) and ``lemma2.corrected`` (hypothesis b ≥ 0 added).
Instances: :class:`theorems.model.arrow.Lemma2Matrix` (b, u), len(u) ≥ 1.
Quantities: ``b``, ``u_norm`` = ‖u‖, ``lambda_min`` (LAPACK / mpmath eigsy on the full M, not
the closed form), ``identity_rhs`` = |bλ_min| + λ_min².
Informative examples: ‖u‖² or |bλ_min| + λ_min² non-zero beyond rounding (of the scale below) —
with b = 0 and u = 0 both sides are 0 = 0 (for the first part, λ_min ≤ 0: λ_min ≠ 0 beyond rounding).

Tolerance: ``tolerance.eigenvalue(size)`` = 64·size ulps of scale ‖u‖² + (|b| + 2|λ_min|)·‖M‖_F
(eigenvalue error ≲ u·‖M‖ times ∂(|bλ| + λ²)/∂λ); for λ_min ≤ 0 the scale is ‖M‖_F.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from strategies.second_order import lemma2_matrices
from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model.arrow import Lemma2Matrix
from theorems.model.second_order import lambda_min

SOURCE = "Lemma 2, Sec. 6.2"
STATEMENT = ("Let M be a symmetric real-valued square matrix of the form M = [[b, uᵀ], [u, 0]], where b is "
             "some scalar, u is a vector, and all entries of M other than the first row and column are 0. "
             "Then the minimal eigenvalue λ_min of M is non-positive, and satisfies ‖u‖² = |bλ_min| + λ_min².")


def quantities(inst):
    M = inst.matrix()
    lam = lambda_min(M)
    b, u = inst.b, inst.u
    return M, lam, B.asum(u * u), dict(b=b, u_norm=B.norm(u), lambda_min=lam)


def evaluate(inst, *, require_b_nonneg=False, identity=None) -> Evaluation:
    if require_b_nonneg and inst.b < 0:
        raise HypothesisNotMet(f"argument 'b': b = {float(inst.b):.6g} < 0, but lemma2.corrected requires b ≥ 0")
    M, lam, u2, q = quantities(inst)
    b = inst.b
    size = M.shape[0]
    Mn = B.norm(M)
    hyp = {"b >= 0": True} if require_b_nonneg else {}
    if lam > 0:
        # the first part fails (never, in fact): report it
        return Evaluation.compare(lam, "<=", 0 * lam, scale=Mn, ulps=tolerance.eigenvalue(size), quantities=q,
                                  hypotheses=hyp, source=SOURCE, label="λ_min(M) ≤ 0",
                                  informative=tolerance.beyond_rounding(lam, Mn))
    rhs = (identity or (lambda b_, l_: abs(b_ * l_) + l_ * l_))(b, lam)
    q["identity_rhs"] = rhs
    scale = u2 + (abs(b) + 2 * abs(lam)) * Mn
    return Evaluation.compare(u2, "==", rhs, scale=scale, ulps=tolerance.eigenvalue(size),
                              quantities=q, hypotheses=hyp, source=SOURCE,
                              informative=tolerance.beyond_rounding(u2, scale) or tolerance.beyond_rounding(rhs, scale),
                              label="λ_min(M) ≤ 0 and ‖u‖² = |bλ_min| + λ_min²")


def evaluate_corrected(inst, **kw) -> Evaluation:
    return evaluate(inst, require_b_nonneg=True, **kw)


def counterexample() -> Lemma2Matrix:
    """The minimal confirmed counterexample to the literal Lemma 2 (see the module docstring)."""
    return Lemma2Matrix(-1.0, np.array([0.0]), {"u kind": "u=0"})


_DROP_SQUARE = lambda b, l: abs(b * l)      # a false variant: the λ_min² term dropped

lemma2 = register(Claim(
    id="lemma2", source=SOURCE, kind="literal", statement=STATEMENT,
    evaluate_fn=evaluate, strategy_fn=lemma2_matrices,
    example_fn=lambda: Lemma2Matrix(0.5, np.array([1.0, -2.0, 0.25])),
    quantities=("b", "u_norm", "lambda_min", "identity_rhs"),
    controls=(
        Variant("lemma2.without_lambda_squared", "‖u‖² = |bλ_min| (λ_min² dropped)",
                lambda i: evaluate(i, identity=_DROP_SQUARE)),
    ),
    notes="Refuted for every b < 0 (identity holds iff b ≥ 0); see lemma2.corrected.",
    erratum={
        "location": "Lemma 2, Sec. 6.2 (proof of Theorem 2)",
        "statement": "‖u‖² = |bλ_min| + λ_min² for some scalar b and a vector u",
        "correction": "lemma2.corrected",
        "why": ("For b < 0, λ_min = ½(b − √(b² + 4‖u‖²)) ≤ b < 0, so |bλ_min| = bλ_min, while the "
                "characteristic equation gives ‖u‖² = λ_min² − bλ_min: the sides differ by 2bλ_min > 0. "
                "Minimal counterexample b = −1, u = (0): ‖u‖² = 0 ≠ 2. Holds exactly when b ≥ 0; "
                "Theorem 2 only uses b = ∂²F/∂w₁² ≥ 0, so it is unaffected."),
    },
))

lemma2_corrected = register(Claim(
    id="lemma2.corrected", source=SOURCE, kind="corrected",
    statement=STATEMENT.replace("where b is some scalar", "where b ≥ 0 is a non-negative scalar"),
    evaluate_fn=evaluate_corrected, strategy_fn=partial(lemma2_matrices, b_sign="nonnegative"),
    example_fn=lambda: Lemma2Matrix(0.5, np.array([1.0, -2.0, 0.25])),
    hypotheses=("b >= 0",), quantities=("b", "u_norm", "lambda_min", "identity_rhs"),
    controls=(
        Variant("lemma2.corrected.without_lambda_squared", "‖u‖² = |bλ_min| for b ≥ 0 (λ_min² dropped)",
                lambda i: evaluate_corrected(i, identity=_DROP_SQUARE)),
        Variant("lemma2.corrected.b_any_sign", "the corrected identity without its hypothesis b ≥ 0",
                evaluate, strategy=lambda: lemma2_matrices(b_sign="negative"),
                not_searched_why="draws b < 0, outside the claim's hypothesis b ≥ 0"),
    ),
))


# ---------------------------------------------------------------- steps of Lemma 2's proof (issue 22)
#
# ``lemma2.closed_form`` (proof-step): "λ_min = min_{x,a: x²+a²=1} bx² − 2‖u‖xa", "the same as the minimal
# eigenvalue of the 2 × 2 matrix [[b, ‖u‖], [‖u‖, 0]]", and "λ_min = ½(b − √(b² + 4‖u‖²))": λ_min of the
# full M (LAPACK / mpmath, not the formula) against the printed formula, evaluated as printed; and
# ``circle_value`` = bx² − 2‖u‖xa at the unit (x, a) ∝ (‖u‖, b − λ) (the 2 × 2 eigenvector), i.e.
# zᵀMz at the proof's minimiser z = (x; −a u/‖u‖), against the formula (u = 0: min(b, 0)).
# Quantities ``lambda_min``, ``formula``, ``circle_value``. Informative: λ_min ≠ 0 beyond rounding.
# Tolerance: ``eigenvalue(size)`` ulps of
# ‖M‖_F + |b| (the formula cancels when b > 0: b − √(b² + 4‖u‖²)). Control: ½(b − √(b² + 2‖u‖²)).
#
# ``lemma2.lambda_negative`` (proof-step, REFUTED): "noting that λ_min < 0". False when b ≥ 0 and
# u = 0: M = diag(b, 0, …), λ_min = 0. Minimal witness b = 0, u = (0) (M = 0). Corrected
# (``lemma2.lambda_negative.corrected``): λ_min < 0 whenever u ≠ 0 (or b < 0) — the proof's step
# ‖u‖² = λ² − bλ needs no strict sign, so Lemma 2's conclusion is unaffected. Verdict as truth
# values: [λ_min < 0 beyond rounding of ‖M‖_F] ≥ 1.

SOURCE_PROOF = "Proof of Lemma 2, Sec. 6.2"


def evaluate_closed_form(inst, *, c4=4) -> Evaluation:
    M = inst.matrix()
    lam = lambda_min(M)
    b, un = inst.b, B.norm(inst.u)
    formula = (b - B.sqrt(b * b + c4 * un * un)) / 2
    if un > 0:
        v1, v2 = un, formula - b          # (b − λ)x + ‖u‖·(−a) = 0 with the proof's y = −a u/‖u‖
        n = B.sqrt(v1 * v1 + v2 * v2)
        x, a = v1 / n, -v2 / n
        circle = b * x * x - 2 * un * x * a
    else:
        circle = min(b, 0 * b)            # u = 0: min over x² + a² = 1 of bx² is min(b, 0)
    size = M.shape[0]
    scale = B.norm(M) + abs(b)
    q = dict(lambda_min=lam, formula=formula, circle_value=circle)
    first = Evaluation.compare(circle, "==", formula, scale=scale, ulps=tolerance.eigenvalue(size))
    if not first.holds:
        return Evaluation.compare(circle, "==", formula, scale=scale, ulps=tolerance.eigenvalue(size), quantities=q,
                                  source=SOURCE_PROOF, informative=True,
                                  label="min_{x²+a²=1} bx² − 2‖u‖xa = ½(b − √(b² + 4‖u‖²))")
    return Evaluation.compare(lam, "==", formula, scale=scale, ulps=tolerance.eigenvalue(size), quantities=q,
                              source=SOURCE_PROOF, informative=tolerance.beyond_rounding(lam, scale),
                              label="λ_min(M) = min_{x²+a²=1} bx² − 2‖u‖xa = ½(b − √(b² + 4‖u‖²))")


def evaluate_lambda_negative(inst, *, require_u=False) -> Evaluation:
    un = B.norm(inst.u)
    if require_u and not (un > 0 or inst.b < 0):
        raise HypothesisNotMet("argument 'u': u = 0 and b ≥ 0, but lemma2.lambda_negative.corrected requires "
                               "u ≠ 0 or b < 0")
    M = inst.matrix()
    lam = lambda_min(M)
    Mn = B.norm(M)
    neg = lam < 0 and abs(lam) > tolerance.rounding(Mn + 0 * lam, ops=tolerance.eigenvalue(M.shape[0]))
    return Evaluation.truth(neg, quantities=dict(lambda_min=lam, b=inst.b, u_norm=un),
                            hypotheses={"u != 0 or b < 0": True} if require_u else {}, source=SOURCE_PROOF,
                            informative=True, label="λ_min(M) < 0")


def _meets_u_or_b(inst):
    """The corrected claim's instances by construction: a drawn (b, u = 0) with b ≥ 0 gets u₁ = 1."""
    if inst.b >= 0 and not np.any(inst.u != 0):
        u = inst.u.copy()
        u[0] = 1.0
        return Lemma2Matrix(inst.b, u, dict(inst.meta))
    return inst


register(Claim(
    id="lemma2.closed_form", source=SOURCE_PROOF, kind="proof-step",
    statement=("λ_min = min_{x,a: x²+a²=1} bx² − 2‖u‖xa, the minimal eigenvalue of [[b, ‖u‖], [‖u‖, 0]]: "
               "λ_min = ½(b − √(b² + 4‖u‖²))"),
    evaluate_fn=evaluate_closed_form, strategy_fn=lemma2_matrices,
    example_fn=lambda: Lemma2Matrix(0.5, np.array([1.0, -2.0, 0.25])),
    quantities=("lambda_min", "formula", "circle_value"),
    informative_rule="λ_min ≠ 0 beyond rounding",
    controls=(Variant("lemma2.closed_form.two_not_four", "λ_min = ½(b − √(b² + 2‖u‖²))",
                      lambda i: evaluate_closed_form(i, c4=2)),),
))

register(Claim(
    id="lemma2.lambda_negative", source=SOURCE_PROOF, kind="proof-step",
    no_ratio="a truth value: the conclusion holds or not; its quantities are reported instead",
    statement="Solving for ‖u‖² and noting that λ_min < 0, the result follows.",
    evaluate_fn=evaluate_lambda_negative, strategy_fn=lemma2_matrices,
    example_fn=lambda: Lemma2Matrix(0.0, np.array([0.0])),
    quantities=("lambda_min", "b", "u_norm"), polish=False,
    informative_rule="every instance (λ_min < 0 could fail on any)",
    notes="Refuted when b ≥ 0 and u = 0 (λ_min = 0); see lemma2.lambda_negative.corrected.",
    erratum={
        "location": "Proof of Lemma 2, Sec. 6.2",
        "statement": "noting that λ_min < 0",
        "correction": "lemma2.lambda_negative.corrected",
        "why": ("For b ≥ 0 and u = 0, M = diag(b, 0, …) has λ_min = 0. Minimal witness b = 0, u = (0). Harmless: "
                "‖u‖² = λ_min² − bλ_min holds for every b, and |bλ_min| = −bλ_min needs only λ_min ≤ 0 and b ≥ 0."),
    },
))

register(Claim(
    id="lemma2.lambda_negative.corrected", source=SOURCE_PROOF, kind="corrected",
    no_ratio="a truth value: the conclusion holds or not; its quantities are reported instead",
    statement="λ_min(M) < 0 whenever u ≠ 0 or b < 0",
    evaluate_fn=lambda i: evaluate_lambda_negative(i, require_u=True),
    strategy_fn=lambda *, max_size=6: lemma2_matrices(max_size=max_size).map(_meets_u_or_b),
    example_fn=lambda: Lemma2Matrix(0.5, np.array([1.0, -2.0, 0.25])),
    hypotheses=("u != 0 or b < 0",), quantities=("lambda_min", "b", "u_norm"), polish=False,
    informative_rule="every instance meeting the hypothesis",
    controls=(Variant("lemma2.lambda_negative.corrected.without_hypothesis", "λ_min(M) < 0 for every b, u",
                      evaluate_lambda_negative, strategy=lemma2_matrices,
                      not_searched_why="draws u = 0 with b ≥ 0 too, outside the claim's hypothesis u ≠ 0 or b < 0"),),
))
