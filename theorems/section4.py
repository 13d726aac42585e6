"""Sec. 4, regularization and constraints, and Figure 1 (b), (c).

Text (Sec. 4): *"This is graphically illustrated in Figure 1, which plots F(w, v) from Example 1 (when
ε = 1), with and without regularization of the form R(w, v) = (λ/2)(w² + v²) where λ = 1/2. Whereas the
stationary points of F(w, v) are either global minima […] or a saddle point […], the regularization
created a new spurious local minimum around (w, v) ≈ (−1, −1.6). […] A similar issue can also occur if
we impose a hard constraint […] Again, as Figure 1 illustrates, this optimization problem can have
spurious local minima inside its constrained domain, using the same F as before."*

Figure 1 caption: *"Contour plots of (a) F(w, v) = (w(1 + v) − 1)², (b) F(w, v) + ¼(w² + v²), and (c)
F(w, v) superimposed with the constraint ‖(w, v)‖ ≤ 2 (inside the circle). […] Both (b) and (c) exhibit
a spurious local minima in the bottom left quadrant of the domain."*

The text's F is Example 1's ½(w(1 + εv) − 1)²; the caption's has no ½. We encode both readings as
G(w, v) = c·(w(1 + εv) − 1)² + (λ/2)(w² + v²) (:class:`theorems.model.figure1.Objective2D`, where the
stationary and KKT points are computed): *text* c = ½, λ = ½, ε = 1;
*caption* c = 1, λ = ½, ε = 1; radius 2 for (c).

**All stationary points of G, exactly.** ∂G/∂w = 0 gives w = 2cu/(2cu² + λ), u = 1 + εv, and then
r = wu − 1 = −λ/(2cu² + λ); ∂G/∂v = 0 becomes the quintic

    P(v) = v·(2c(1 + εv)² + λ)² − 4c²ε(1 + εv) = 0,

one stationary point per real root (it is the resultant of the two partial derivatives in w, up to a
constant; SymPy check in ``tests/symbolic``). Each is classified by the eigenvalues of
∇²G = ((2cu², 2cε(2wu − 1)), (2cε(2wu − 1), 2cε²w²)) + λI. Text reading: 4v⁵ + 16v⁴ + 28v³ + 24v² + 5v − 4
has **one** real root: the only stationary point is the global minimum (0.5986, 0.2799) — **no spurious
local minimum** (erratum). Caption reading: three real roots — global minimum (0.6596, 0.3277),
saddle (−0.2725, −1.0694), **spurious local minimum (−0.9828, −1.6027)** ≈ (−1, −1.6) as stated. For
Example 1's F (c = ½), a spurious local minimum exists iff 0 < λ < λ* ≈ 0.390418, λ* the root in (0, 1)
of disc_v P = 256λ⁶ + 768λ⁵ + 3040λ³ + 864λ² − 96λ − 283; the caption's objective is
2·(½(w(1+v) − 1)² + (¼/2)(w² + v²)), i.e. λ = ¼ < λ*.

**The constraint ‖(w, v)‖ ≤ R (KKT).** Interior stationary points: the valley {F = 0} (global
minima) and the saddle (0, −1/ε) when 1/ε < R. On the circle, ∇F ∥ (w, v) iff F = 0 (valley ∩ circle,
global minima) or εw² = v(1 + εv), i.e. 2εv² + v − εR² = 0, w = ±√(R² − v²). With ∇F = −μ(w, v), a
boundary point is a local minimum iff μ > 0 and f'' > 0, f(t) the restriction to the circle,
f'' = τᵀ∇²Fτ − ⟨∇F, (w, v)⟩, τ = (−v, w). For R = 2, ε = 1 (either reading, c only scales μ):
v = (−1 − √33)/4, w = −√(R² − v²): the **spurious boundary local minimum (−1.0756, −1.6861)** in the
bottom-left quadrant, F > 0 = min F. (On the boundary, not strictly inside the domain as the text's
"inside its constrained domain" could be read.)

Claims (instances :class:`theorems.model.figure1.Objective2D`; the paper fixes them, so the paper's
strategies draw from its readings; ``section4.regularization.corrected`` draws λ):

- ``section4.regularization`` (literal, text reading, **refuted**): G has a spurious local minimum at
  ≈ (−1, −1.6) (|w + 1| < ½, |v + 1.6| < 0.05: the stated digits) in the bottom-left quadrant.
- ``section4.regularization.caption`` (literal, caption reading): the same, holds.
- ``section4.regularization.corrected``: c = ½, ε = 1, any λ ∈ (0, λ*): a spurious local minimum in
  the open bottom-left quadrant. Searched over λ ∈ (10⁻³, 0.39]: the curvature of G along the valley
  is O(λ), and below λ ≈ 10⁻³ it falls under the float classification threshold (Hypothesis found
  λ = 2.2·10⁻³⁰⁸ "degenerate"), which is a limit of the numerics, not of the statement.
- ``section4.constraint`` (literal, both readings): min F over ‖(w, v)‖ ≤ 2 has a spurious local
  minimum in the open bottom-left quadrant.

Informative examples: every instance (each claim counts spurious minima, ≥ 1 — an existence that
can fail at any objective); the paper's fixed readings are ``exhaustive`` (their one or two
instances are all the cases).

Quantities: ``n_stationary``, ``n_local_min``, ``n_spurious``, ``spurious_w``, ``spurious_v``,
``spurious_value`` (G or F there), ``global_min_value``, ``lambda_min_at_spurious`` (or
``mu_at_spurious`` for the constraint). Verdicts are counts; classification thresholds are
√u·scale (u the unit roundoff), and the float verdict is re-derived at 60 digits (mpmath.polyroots).
"""

from __future__ import annotations

from strategies.section4 import constrained_objectives, regularized_objectives
from theorems.contract import Claim, Evaluation, HypothesisNotMet, Variant, register
from theorems.model.figure1 import (
    LAMBDA_STAR,
    Objective2D,
    constrained_kkt_points,
    paper_objective,
    regularized_stationary_points,
    spurious_minima,
)

SOURCE_REG = "Sec. 4 (regularization) and Figure 1 (b)"
SOURCE_CON = "Sec. 4 (hard constraint) and Figure 1 (c)"
STATED_LOCATION = (-1.0, -1.6)
STATED_WINDOW = (0.5, 0.05)          # |w + 1| < ½, |v + 1.6| < 0.05: the digits the paper gives


def _in_window(p):
    return abs(p["w"] - STATED_LOCATION[0]) < STATED_WINDOW[0] and abs(p["v"] - STATED_LOCATION[1]) < STATED_WINDOW[1]


def _bottom_left(p):
    return p["w"] < 0 and p["v"] < 0


def _count_evaluation(n, *, points, spurious, best, key, source, label, extra=None, hypotheses=None):
    sp_ = spurious[0] if spurious else None
    q = dict(n_stationary=len(points), n_local_min=sum(p["cls"] == "local min" for p in points),
             n_spurious=n, spurious_w=None if sp_ is None else sp_["w"], spurious_v=None if sp_ is None else sp_["v"],
             spurious_value=None if sp_ is None else sp_[key], global_min_value=best)
    q.update(extra(sp_) if extra else {})
    # informative at every instance: an existence claim (a count ≥ 1) can fail at any objective
    return Evaluation.compare(n, ">=", 1, scale=1, quantities=q, hypotheses=hypotheses or {}, source=source,
                              label=label, ratio=None if n == 0 else 1.0, informative=True)


def evaluate_regularization(obj, *, at_stated_location=True) -> Evaluation:
    pts = regularized_stationary_points(obj)
    best, spur = spurious_minima(pts, "G")
    spur = [p for p in spur if _bottom_left(p) and (_in_window(p) or not at_stated_location)]
    where = "≈ (−1, −1.6)" if at_stated_location else "in the bottom-left quadrant"
    return _count_evaluation(len(spur), points=pts, spurious=spur, best=best, key="G", source=SOURCE_REG,
                             label=f"#spurious local minima of F + (λ/2)‖(w,v)‖² {where} ≥ 1",
                             extra=lambda p: {"lambda_min_at_spurious": None if p is None else p["eig_min"]})


def evaluate_constraint(obj) -> Evaluation:
    if not obj.radius >= 1:
        raise HypothesisNotMet(f"argument 'radius': {float(obj.radius)} < 1; the valley point (1, 0) must lie in "
                               "the disk so that min F = 0 there")
    pts = constrained_kkt_points(obj)
    spur = [p for p in pts if p["cls"] == "local min" and _bottom_left(p)]
    return _count_evaluation(len(spur), points=pts, spurious=spur, best=0 * obj.c, key="F", source=SOURCE_CON,
                             label=f"#spurious local minima of F on ‖(w,v)‖ ≤ {float(obj.radius):g} in the bottom-left "
                                   "quadrant ≥ 1",
                             extra=lambda p: {"mu_at_spurious": None if p is None else p["mu"]},
                             hypotheses={"radius >= 1": True})


regularization_caption = register(Claim(
    exhaustive=True,   # the paper's reading(s) of Figure 1: every case, solved exactly
    id="section4.regularization.caption", source=SOURCE_REG, kind="literal",
    statement=("Figure 1 (b), caption reading: (w(1 + v) − 1)² + ¼(w² + v²) has a new spurious local minimum "
               "around (w, v) ≈ (−1, −1.6), in the bottom left quadrant."),
    evaluate_fn=evaluate_regularization, strategy_fn=lambda **kw: regularized_objectives(readings=["caption"], **kw),
    example_fn=lambda: paper_objective("caption"),
    quantities=("n_stationary", "n_local_min", "n_spurious", "spurious_w", "spurious_v", "spurious_value",
                "global_min_value", "lambda_min_at_spurious"), polish=False,
    controls=(Variant("section4.regularization.caption.lambda1",
                      "the same with λ = 1 (R = ½(w² + v²)): still a spurious local minimum",
                      evaluate_regularization,
                      strategy=lambda: regularized_objectives(lam_range=(0.99, 1.0), c=1.0), max_examples=20),),
))

regularization_corrected = register(Claim(
    id="section4.regularization.corrected", source=SOURCE_REG, kind="corrected",
    statement=("With Example 1's F(w, v) = ½(w(1 + v) − 1)² (ε = 1), R = (λ/2)(w² + v²) creates a spurious local "
               f"minimum in the bottom left quadrant for every λ ∈ (0, λ*), λ* ≈ {LAMBDA_STAR:.6f}; the figure's "
               "objective is λ = ¼, with the minimum at ≈ (−0.983, −1.603) ≈ (−1, −1.6). [paper: λ = 1/2 > λ*]"),
    evaluate_fn=lambda o: evaluate_regularization(o, at_stated_location=False),
    strategy_fn=lambda **kw: regularized_objectives(lam_range=(1e-3, 0.39), c=0.5, **kw),
    example_fn=lambda: Objective2D(0.5, 0.25, 1.0, 2.0, "c=0.5"),
    quantities=("n_stationary", "n_local_min", "n_spurious", "spurious_w", "spurious_v", "spurious_value",
                "global_min_value", "lambda_min_at_spurious"), polish=False,
    notes="λ* is the root in (0, 1) of 256λ⁶ + 768λ⁵ + 3040λ³ + 864λ² − 96λ − 283 (discriminant of P).",
    controls=(Variant("section4.regularization.corrected.above_threshold",
                      "the same for λ ∈ [0.391, 2] (above λ*)",
                      lambda o: evaluate_regularization(o, at_stated_location=False),
                      strategy=lambda: regularized_objectives(lam_range=(0.391, 2.0), c=0.5), max_examples=50),),
))

regularization = register(Claim(
    exhaustive=True,   # the paper's reading(s) of Figure 1: every case, solved exactly
    id="section4.regularization", source=SOURCE_REG, kind="literal",
    statement=("F(w, v) from Example 1 (ε = 1) with regularization R(w, v) = (λ/2)(w² + v²), λ = 1/2: the "
               "regularization created a new spurious local minimum around (w, v) ≈ (−1, −1.6)."),
    evaluate_fn=evaluate_regularization, strategy_fn=lambda **kw: regularized_objectives(readings=["text"], **kw),
    example_fn=lambda: paper_objective("text"),
    quantities=("n_stationary", "n_local_min", "n_spurious", "spurious_w", "spurious_v", "spurious_value",
                "global_min_value", "lambda_min_at_spurious"), polish=False,
    erratum={"location": "Sec. 4, paragraph after Remark 3 (\"regularization of the form R(w, v) = (λ/2)(w² + v²) "
                         "where λ = 1/2 … spurious local minimum around (w, v) ≈ (−1, −1.6)\")",
             "statement": "½(w(1 + v) − 1)² + ¼(w² + v²) has a spurious local minimum ≈ (−1, −1.6)",
             "correction": "section4.regularization.corrected",
             "why": ("with the text's F = ½(…)² and λ = 1/2 the stationary-point quintic 4v⁵+16v⁴+28v³+24v²+5v−4 has a "
                     "single real root: the only stationary point is the global minimum (0.5986, 0.2799). The "
                     "figure uses the caption's F = (w(1+v) − 1)² (no ½), i.e. λ = ¼ for Example 1's F, where the "
                     "spurious minimum (−0.9828, −1.6027) exists; for Example 1's F it exists iff λ < λ* ≈ 0.3904.")},
    controls=(Variant("section4.regularization.large_lambda", "the same with λ ∈ [1.5, 2]: a spurious local minimum",
                      evaluate_regularization,
                      strategy=lambda: regularized_objectives(lam_range=(1.5, 2.0), c=0.5), max_examples=20),),
))

constraint = register(Claim(
    exhaustive=True,   # the paper's reading(s) of Figure 1: every case, solved exactly
    id="section4.constraint", source=SOURCE_CON, kind="literal",
    statement=("Figure 1 (c): F(w, v) (ε = 1; text's ½(w(1+v) − 1)² or caption's (w(1+v) − 1)²) under the constraint "
               "‖(w, v)‖ ≤ 2 exhibits a spurious local minimum in the bottom left quadrant of the domain."),
    evaluate_fn=evaluate_constraint, strategy_fn=constrained_objectives, example_fn=lambda: paper_objective("text"),
    hypotheses=("radius >= 1",),
    quantities=("n_stationary", "n_local_min", "n_spurious", "spurious_w", "spurious_v", "spurious_value",
                "global_min_value", "mu_at_spurious"), polish=False,
    notes="The spurious minimum (−1.0756, −1.6861) lies on the circle (v = (−1 − √33)/4), a boundary KKT point.",
    controls=(Variant("section4.constraint.radius_2_5", "the same with the larger domain ‖(w, v)‖ ≤ 2.5",
                      evaluate_constraint,
                      strategy=lambda: constrained_objectives().map(
                          lambda o: Objective2D(o.c, o.lam, o.eps, 2.5, o.reading)), max_examples=20),),
))
