"""Claim 2.3 (Hardt & Ma 2016, Sec. 2), each line of its proof, and the definition of Σ^{1/2}.

**Claim 2.3.** *In the setting of this section, we have,*

    f(A) = ‖((Id + A_ℓ) … (Id + A_1) − R) Σ^{1/2}‖_F² + C.                    (2.4)

*"Here C is a constant that doesn't depend on A, and Σ^{1/2} denote the square root of Σ, that is,
the unique symmetric matrix B that satisfies B² = Σ."*

Proof, as printed (E = (Id + A_ℓ) … (Id + A_1) − R):

    f(A) = E[‖Ex − ξ‖²]                                                         (line 1)
         = E[‖Ex‖² + ‖ξ‖² − 2⟨Ex, ξ⟩]                                          (line 2)
         = E[tr(E x xᵀ Eᵀ)] + E[‖ξ‖²]   (since E[⟨Ex, ξ⟩] = E[⟨Ex, E[ξ|x]⟩] = 0)  (line 3)
         = tr(E E[xxᵀ] Eᵀ) + C          (where C = E[xxᵀ])                      (line 4)
         = tr(EΣEᵀ) + C = ‖EΣ^{1/2}‖_F² + C.   (since E[xxᵀ] = Σ)                (line 5)

How ξ enters (``model``): ξ ~ N(0, Id_d) independent of x, so E‖ξ‖² = d and E⟨Ex, ξ⟩ = 0 exactly;
expectations over ξ are computed with ξ uniform on {±1}^d (same mean and second moment, exact for
these quadratic integrands); f(A) itself comes from the recursion (2.1).

**Findings (errata).**
1. Line 4 prints "C = E[xxᵀ]", a d × d matrix, where C must be the scalar E‖ξ‖² = d. Read as printed
   (the scalar f(A) as f(A)·Id, the only way to add the matrix C), line 4 says f(A)·Id =
   tr(EΣEᵀ)·Id + Σ, false unless Σ = d·Id; the scalar reading C = tr E[xxᵀ] = tr Σ is false unless
   tr Σ = d. Minimal witness: d = 1, x = 0 (Σ = 0), A = 0, R = 0: f = 1 but tr(EΣEᵀ) + E[xxᵀ] = 0.
   ``claim2_3.line4.corrected``: C = E‖ξ‖² = d. Claim 2.3 itself is unaffected (it only says C does
   not depend on A).
2. "the unique symmetric matrix B that satisfies B² = Σ": symmetric square roots are not unique
   (Q diag(±√λ_k) Qᵀ are all symmetric with B² = Σ); uniqueness holds among positive semidefinite B.
   Minimal witness: d = 1, x = 1 (Σ = 1), B = −1. (2.4) is unaffected: ‖EB‖_F² = tr(EB²Eᵀ) = tr(EΣEᵀ)
   for every symmetric root — ``claim2_3.sqrt_unique.corrected`` checks exactly that.

Quantities: ``f_A``, ``f_A2`` (f at A and at a second tensor A2), ``C_A``, ``C_A2`` (f − ‖EΣ^{1/2}‖_F²
at each), ``C`` = E‖ξ‖² = d, ``trace_term`` = tr(EΣEᵀ), ``cross`` = E⟨Ex, ξ⟩, ``Ex2`` = E‖Ex‖², ``xi2`` =
E‖ξ‖² (every line has these and ``f``); line 3 adds ``E_tr`` = E[tr(Exxᵀ Eᵀ)], line 5 and the roots'
correction ``sqrt_term`` = ‖EΣ^{1/2}‖_F² (‖EB‖_F²); line 4 and the roots ``discrepancy`` (a matrix or root
difference, Frobenius), the roots ``B_squared_error`` = ‖B² − Σ‖_F.
Informative: (2.4) when f(A) ≠ f(A2) beyond rounding (a constant C is then a real statement); the
lines when E ≠ 0 beyond rounding (their A-dependent terms are non-zero); the roots when B has a
negative sign on an eigenvalue of Σ that is non-zero beyond rounding.
Tolerance: ``tolerance.chain(n, d·(ℓ + 2))`` ulps of scale (P + ‖R‖)²·tr Σ + d; roots: ``tolerance.eigenvalue(d)``
ulps of ‖Σ‖^{1/2}·d (an eigenvector's error is ~u·‖Σ‖/gap, so the roots' *difference* is compared
only where it is an erratum, i.e. as an ≠ of size ≥ √λ).
"""

from __future__ import annotations

import numpy as np

from theorems.contract import Claim, Evaluation, Variant, register, tolerance
from theorems.core import backend as B

from . import model as M
from .instances import ResNetPoint
from .quantities import beyond, section2
from .strategies import ball_points, make_sample, make_target, make_tensor, pair_points, root_points

SOURCE = "Hardt & Ma (2016), Claim 2.3, Sec. 2"
SOURCE_PROOF = "Hardt & Ma (2016), proof of Claim 2.3, Sec. 2"
SOURCE_ROOT = "Hardt & Ma (2016), sentence after (2.4) (definition of Σ^{1/2}), Sec. 2"


def example():
    X, p = make_sample("random", 2, 3, 4)
    A, tau = make_tensor("interior", 2, 2, 0.5, 5)
    return ResNetPoint(X, p, make_target("random", 2, 6), A, tau, {"A2": 0.5 * np.ones((2, 2, 2))},
                       {"corner": "interior"})


def _C_of(A, inst, Sigma, root):
    f = M.risk(A, inst.R, inst.X, inst.p)
    E = M.residual(A, inst.R)
    return f, f - M.fro2(E @ root)


def evaluate(inst, *, power=0.5) -> Evaluation:
    s = section2(inst)
    root = B.psd_sqrt(s.Sigma) if power == 0.5 else s.Sigma
    A2 = inst.extras["A2"]
    f1, C1 = _C_of(inst.A, inst, s.Sigma, root)
    f2, C2 = _C_of(A2, inst, s.Sigma, root)
    s2 = section2(ResNetPoint(inst.X, inst.p, inst.R, A2, inst.tau))
    scale = s.f_scale + s2.f_scale
    return Evaluation.compare(C1, "==", C2, scale=scale, ulps=max(s.ulps, s2.ulps),
                              quantities=dict(f_A=f1, f_A2=f2, C_A=C1, C_A2=C2, C=s.C),
                              informative=beyond(f1 - f2, scale),
                              label="f(A) − ‖EΣ^{1/2}‖_F² does not depend on A (2.4)")


def evaluate_line(inst, *, line, variant=None) -> Evaluation:
    s = section2(inst)
    E, X, p = s.E, inst.X, inst.p
    Ex2, xi2, cross, total = M.cubature_risk(E, X, p, parts=True)
    trace_term = B.asum(E * (E @ s.Sigma))
    q = dict(f=s.f, C=s.C, Ex2=Ex2, xi2=xi2, cross=cross, trace_term=trace_term)
    info = beyond(s.E_fro, s.P + s.R_norm) and beyond(B.norm(X), 1.0)
    kw = dict(scale=s.f_scale, ulps=s.ulps, informative=info)
    if line == 1:
        rhs = total if variant is None else Ex2           # variant: ξ dropped
        return Evaluation.compare(s.f, "==", rhs, quantities=q, label="f(A) = E‖Ex − ξ‖²", **kw)
    if line == 2:
        rhs = Ex2 + xi2 - 2 * cross if variant is None else Ex2 - 2 * cross
        return Evaluation.compare(total, "==", rhs, quantities=q, label="E‖Ex − ξ‖² = E[‖Ex‖² + ‖ξ‖² − 2⟨Ex, ξ⟩]", **kw)
    if line == 3:
        per = B.asum(M.probs(p).reshape(-1, 1) * (X @ E.T) ** 2)       # E[tr(E x xᵀ Eᵀ)] = E‖Ex‖²
        rhs = per + (xi2 if variant is None else 0 * xi2)
        q["E_tr"] = per
        return Evaluation.compare(total, "==", rhs, quantities=q,
                                  label="E‖Ex − ξ‖² = E[tr(Exxᵀ Eᵀ)] + E‖ξ‖² (E⟨Ex, ξ⟩ = 0)", **kw)
    if line == 4:       # as printed: C = E[xxᵀ], a matrix: f(A)·Id = tr(EΣEᵀ)·Id + E[xxᵀ]
        I = B.eye(inst.d, X)
        Cmat = s.Sigma * (2 if variant == "double" else 1)
        diff = B.norm(s.f * I - trace_term * I - Cmat)
        q["discrepancy"] = diff
        return Evaluation.compare(diff, "==", 0 * diff, quantities=q, scale=s.f_scale * inst.d, ulps=s.ulps,
                                  informative=True, label="f(A)·Id = tr(EΣEᵀ)·Id + C with C = E[xxᵀ]")
    if line == 41:      # corrected: C = E‖ξ‖² = d (variant: the scalar reading C = tr Σ)
        C = s.C if variant is None else B.asum(B.eigvalsh(s.Sigma))
        return Evaluation.compare(s.f, "==", trace_term + C, quantities=q, scale=s.f_scale, ulps=s.ulps,
                                  informative=True, label="f(A) = tr(EΣEᵀ) + C with C = E‖ξ‖² = d")
    if line == 5:
        root = B.psd_sqrt(s.Sigma) if variant is None else s.Sigma
        sq = M.fro2(E @ root)
        q["sqrt_term"] = sq
        return Evaluation.compare(trace_term, "==", sq, quantities=q, label="tr(EΣEᵀ) = ‖EΣ^{1/2}‖_F²", **kw)
    raise ValueError(f"argument 'line': expected 1, 2, 3, 4, 41 or 5, got {line!r}")


def _root_terms(inst):
    Sigma = M.second_moment(inst.X, inst.p)
    Bs = M.symmetric_root(Sigma, inst.extras["signs"])
    vals = B.eigvalsh(Sigma)
    top = vals[-1] if vals[-1] > 0 else 0 * vals[-1]
    scale = B.sqrt(top) * inst.d
    return Sigma, Bs, vals, scale


def evaluate_root(inst, *, negate=False) -> Evaluation:
    """Literal: a symmetric B with B² = Σ (checked) is Σ^{1/2}."""
    Sigma, Bs, vals, scale = _root_terms(inst)
    root = B.psd_sqrt(Sigma)
    target = -root if negate else root
    sq_err = B.norm(Bs @ Bs - Sigma)
    diff = B.norm(Bs - target)
    signs = np.asarray(inst.extras["signs"]).tolist()
    flipped = any(s < 0 and beyond(v, vals[-1]) for s, v in zip(signs, vals))
    ulps = tolerance.eigenvalue(inst.d)
    if not (sq_err <= ulps * B.eps(Sigma) * (B.norm(Sigma) + scale ** 2) * 4 + 1e-300):
        return Evaluation.compare(sq_err, "==", 0 * sq_err, scale=B.norm(Sigma), ulps=ulps, label="B² = Σ",
                                  quantities=dict(discrepancy=diff, B_squared_error=sq_err))
    return Evaluation.compare(diff, "==", 0 * diff, scale=scale, ulps=ulps,
                              quantities=dict(discrepancy=diff, B_squared_error=sq_err),
                              informative=flipped or negate,
                              label="a symmetric B with B² = Σ is Σ^{1/2} (uniqueness)")


def evaluate_root_corrected(inst, *, use_sigma=False) -> Evaluation:
    """Corrected: (2.4) holds with any symmetric root: ‖EB‖_F² = tr(EΣEᵀ)."""
    Sigma, Bs, vals, _ = _root_terms(inst)
    E = M.residual(inst.A, inst.R)
    lhs = M.fro2(E @ (Sigma if use_sigma else Bs))
    rhs = B.asum(E * (E @ Sigma))
    scale = M.fro2(E) * (abs(vals[-1]) + abs(vals[0]))
    return Evaluation.compare(lhs, "==", rhs, scale=scale, ulps=tolerance.eigenvalue(inst.d) * 4,
                              quantities=dict(sqrt_term=lhs, trace_term=rhs),
                              informative=beyond(rhs, scale) or beyond(lhs, scale),
                              label="‖EB‖_F² = tr(EΣEᵀ) for every symmetric B with B² = Σ")


def line4_counterexample():
    """The minimal witness of erratum 1: d = 1, x = 0 (Σ = 0), A = 0, R = 0 (f = 1, rhs = 0)."""
    return ResNetPoint(np.array([[0.0]]), np.array([1.0]), np.array([[0.0]]), np.zeros((1, 1, 1)), 0.0,
                       meta={"corner": "erratum"})


def root_counterexample():
    """The minimal witness of erratum 2: d = 1, x = 1 (Σ = 1), B = −1."""
    return ResNetPoint(np.array([[1.0]]), np.array([1.0]), np.array([[0.0]]), np.zeros((1, 1, 1)), 0.0,
                       {"signs": np.array([-1.0])}, {"corner": "erratum"})


STATEMENT = ("f(A) = ‖((Id + A_ℓ) … (Id + A_1) − R) Σ^{1/2}‖_F² + C. Here C is a constant that doesn't "
             "depend on A.  (2.4)")

register(Claim(
    id="hardt_ma2016.claim2_3", source=SOURCE, kind="literal", statement=STATEMENT,
    evaluate_fn=evaluate, strategy_fn=pair_points, example_fn=example, polish=False,
    quantities=("f_A", "f_A2", "C_A", "C_A2", "C"),
    informative_rule="f(A) ≠ f(A2) beyond rounding (two parameter tensors, one sample)",
    controls=(Variant("hardt_ma2016.claim2_3.sigma_not_sqrt", "f(A) − ‖EΣ‖_F² does not depend on A (Σ for Σ^{1/2})",
                      lambda i: evaluate(i, power=1)),),
))

_Q_LINE = ("f", "C", "Ex2", "xi2", "cross", "trace_term")
_LINES = {     # line: statement, control, the line's own quantities
    1: ("f(A) = E[‖Ex − ξ‖²]", "f(A) = E‖Ex‖² (ξ dropped)", ()),
    2: ("E[‖Ex − ξ‖²] = E[‖Ex‖² + ‖ξ‖² − 2⟨Ex, ξ⟩]", "‖ξ‖² dropped from the expansion", ()),
    3: ("E[‖Ex‖² + ‖ξ‖² − 2⟨Ex, ξ⟩] = E[tr(E x xᵀ Eᵀ)] + E[‖ξ‖²] (since E[⟨Ex, ξ⟩] = E[⟨Ex, E[ξ|x]⟩] = 0)",
        "E[‖ξ‖²] dropped", ("E_tr",)),
    5: ("tr(EΣEᵀ) + C = ‖EΣ^{1/2}‖_F² + C (since E[xxᵀ] = Σ)", "‖EΣ‖_F² for ‖EΣ^{1/2}‖_F²", ("sqrt_term",)),
}
for _n, (_stmt, _ctl, _own) in _LINES.items():
    register(Claim(
        id=f"hardt_ma2016.claim2_3.line{_n}", source=SOURCE_PROOF, kind="literal", statement=_stmt,
        evaluate_fn=lambda i, _n=_n: evaluate_line(i, line=_n), strategy_fn=ball_points, example_fn=example,
        polish=False, quantities=_Q_LINE + _own,
        informative_rule="E ≠ 0 beyond rounding and X ≠ 0 (the A-dependent terms are non-zero)",
        controls=(Variant(f"hardt_ma2016.claim2_3.line{_n}.control", _ctl,
                          lambda i, _n=_n: evaluate_line(i, line=_n, variant="control")),),
    ))

register(Claim(
    id="hardt_ma2016.claim2_3.line4", source=SOURCE_PROOF, kind="literal",
    statement="E[tr(E x xᵀ Eᵀ)] + E[‖ξ‖²] = tr(E E[xxᵀ] Eᵀ) + C (where C = E[xxᵀ])",
    evaluate_fn=lambda i: evaluate_line(i, line=4), strategy_fn=ball_points, example_fn=example, polish=False,
    quantities=("f", "C", "trace_term", "discrepancy"),
    informative_rule="always (Σ = d·Id is the only case where the printed matrix C fits)",
    notes="Refuted: C = E[xxᵀ] is a matrix; the constant is E‖ξ‖² = d (claim2_3.line4.corrected).",
    erratum={"location": "Hardt & Ma (2016), proof of Claim 2.3, Sec. 2, fourth line (\"where C = E[xxᵀ]\")",
             "statement": "… = tr(E E[xxᵀ] Eᵀ) + C (where C = E[xxᵀ])",
             "correction": "hardt_ma2016.claim2_3.line4.corrected",
             "why": ("C is the scalar E‖ξ‖² = d (the previous line's E[‖ξ‖²]); E[xxᵀ] = Σ is a d×d matrix. "
                     "Minimal witness d = 1, x = 0, A = 0, R = 0: f(A) = 1 but tr(EΣEᵀ) + E[xxᵀ] = 0. "
                     "Claim 2.3 is unaffected.")},
    controls=(Variant("hardt_ma2016.claim2_3.line4.double", "C = 2E[xxᵀ]",
                      lambda i: evaluate_line(i, line=4, variant="double")),),
))

register(Claim(
    id="hardt_ma2016.claim2_3.line4.corrected", source=SOURCE_PROOF, kind="corrected",
    statement="E[tr(E x xᵀ Eᵀ)] + E[‖ξ‖²] = tr(E E[xxᵀ] Eᵀ) + C, where C = E‖ξ‖² = d",
    evaluate_fn=lambda i: evaluate_line(i, line=41), strategy_fn=ball_points, example_fn=example, polish=False,
    quantities=("f", "C", "trace_term"),
    informative_rule="always (both sides ≥ d > 0, computed independently: recursion vs trace)",
    controls=(Variant("hardt_ma2016.claim2_3.line4.corrected.trace_sigma", "C = tr E[xxᵀ] (the scalar reading)",
                      lambda i: evaluate_line(i, line=41, variant="trace")),),
))

register(Claim(
    id="hardt_ma2016.claim2_3.sqrt_unique", source=SOURCE_ROOT, kind="literal",
    statement="Σ^{1/2} denote the square root of Σ, that is, the unique symmetric matrix B that satisfies B² = Σ.",
    evaluate_fn=evaluate_root, strategy_fn=root_points, example_fn=root_counterexample, polish=False,
    quantities=("discrepancy", "B_squared_error"),
    informative_rule="B has a negative sign on an eigenvalue of Σ non-zero beyond rounding",
    notes="Refuted: unique only among PSD matrices; (2.4) holds with every symmetric root (…sqrt_unique.corrected).",
    erratum={"location": "Hardt & Ma (2016), sentence after (2.4), Sec. 2 (\"the unique symmetric matrix B\")",
             "statement": "the unique symmetric matrix B that satisfies B² = Σ",
             "correction": "hardt_ma2016.claim2_3.sqrt_unique.corrected",
             "why": ("Q diag(±√λ_k) Qᵀ are symmetric square roots of Σ for every choice of signs; the root is "
                     "unique among positive semidefinite matrices. Minimal witness d = 1, Σ = 1, B = −1. "
                     "(2.4) is unaffected: ‖EB‖_F² = tr(EΣEᵀ) for every symmetric root.")},
    controls=(Variant("hardt_ma2016.claim2_3.sqrt_unique.negated", "B = −Σ^{1/2} for every symmetric root B",
                      lambda i: evaluate_root(i, negate=True)),),
))

register(Claim(
    id="hardt_ma2016.claim2_3.sqrt_unique.corrected", source=SOURCE_ROOT, kind="corrected",
    statement=("Σ^{1/2} is the unique symmetric positive semidefinite B with B² = Σ; (2.4) holds with any "
               "symmetric B with B² = Σ: ‖EB‖_F² = tr(EΣEᵀ)"),
    evaluate_fn=evaluate_root_corrected, strategy_fn=root_points, example_fn=root_counterexample, polish=False,
    quantities=("sqrt_term", "trace_term"),
    informative_rule="tr(EΣEᵀ) ≠ 0 beyond rounding",
    controls=(Variant("hardt_ma2016.claim2_3.sqrt_unique.corrected.sigma", "‖EΣ‖_F² = tr(EΣEᵀ)",
                      lambda i: evaluate_root_corrected(i, use_sigma=True)),),
))
