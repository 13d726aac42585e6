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
                evaluate, strategy=lambda: lemma2_matrices(b_sign="negative")),
    ),
))
