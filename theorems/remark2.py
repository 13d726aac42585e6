"""Remark 2 (Sec. 3) and Appendix A: the open question of vector outputs with W not of full row rank.

**Remark 2** (Generalization to vector-valued outputs). *One can consider a generalization of our
setting to networks with vector-valued outputs, namely x ↦ W(x + V f_θ(x)), where W is a
matrix, and with losses ℓ(p, y) taking vector-valued arguments and convex in p (e.g. the
cross-entropy loss). In this more general setting, it is possible to prove a variant of Thm. 1
using a similar proof technique (see Appendix A). However, it is not clear to us how to prove an
analog of Thm. 2 and hence Thm. 3. We leave this as a question for future research.*
Appendix A: *"This theorem already establishes that our objective in the vector-valued case has
no stationary point (W, V, θ) (with respect to (W, V)) with values above F_lin(W\\*), except
possibly when W is not full row rank, or s_min(W) = 0."*

``remark2.open`` (kind ``open-question``, never a CI gate) is a **probe** for the analog of
Corollary 1: *does F_θ(W, V) have a local minimum with value above inf F_lin?* (Any such point
must have W rank-deficient, or m > d, by Theorem 6.) An instance is a sample, a vector loss and
S starting points (rows of ``extras['starts']``, rank-deficient W in particular, see
``strategies.vector.probe_points``). The evaluation (the search is
``theorems.model.vector.probe.probe_local_minima``)

1. computes a linear reference level F_lin(W*_ref) ≥ inf F_lin (W*_ref from a trust-region
   minimisation of the convex F_lin; any W* gives an upper bound on the infimum, so the
   comparison below is sound even when the infimum is not attained);
2. runs SciPy's ``trust-exact`` (exact Hessian) from every start, in float64;
3. counts the runs that reach a **local minimum**: ‖∇F‖ ≤ 10⁻⁶(1 + grad scale) and
   λ_min(∇²F) ≥ −10⁻⁶‖∇²F‖ (float64);
4. **certifies** those with F − F_lin(W*_ref) above √u·(1 + |F|), in the precision of the
   evaluation (60 digits when the engine confirms): a few pseudo-Newton refinements (the
   Hessian's eigenpairs with |λ| > τ), then ‖∇F‖ ≤ √u·(1 + scale), λ_min(∇²F) ≥ −√u·‖∇²F‖, and
   F(z + r·v) − F(z) ≥ −64u·(1 + |F|) for r ∈ {10⁻³, 10⁻⁵}·(1 + ‖z‖), v in 16 fixed random unit
   directions and ± the eigenvectors of the three smallest Hessian eigenvalues.

A certified candidate is evidence of a spurious local minimum (a point that is stationary,
second-order non-negative and locally minimal along every tested direction at 60 digits),
not a proof; it is reported for a human to examine. The verdict is ``certified ≤ 0``: a
confirmed "counterexample" is a certified candidate.

Informative examples: those where the probe reached at least one local minimum (only then could a
certified one above inf F_lin have been found).

Quantities: ``starts`` (S), ``local_minima`` (runs reaching a float local minimum),
``certified`` (certified candidates above the linear level), ``rank_deficient_minima`` (local
minima with m > d or s_min(W) ≤ 10⁻⁶‖W‖), ``lin_level`` = F_lin(W*_ref), ``best_excess`` (the
largest F − F_lin(W*_ref) among local minima reached, or None), ``iterations`` (total trust-region
iterations). The audit's search volume is the sum of ``starts`` over its valid examples.
"""

from __future__ import annotations

import numpy as np

from strategies.vector import probe_points
from theorems.contract import Claim, Evaluation, Variant, register, tolerance
from theorems.core import backend as B
from theorems.model import vector as VM
from theorems.model.vector.probe import linear_reference, probe_local_minima

SOURCE = "Remark 2, Sec. 3 and Appendix A (open question)"


def evaluate(inst, *, level_shift=None) -> Evaluation:
    s, loss = inst.sample, inst.loss
    starts = np.asarray(B.to_float(inst.extras["starts"]), dtype=float)
    m, d, k = s.m, s.d, s.k
    if starts.ndim != 2 or starts.shape[1] != m * d + d * k:
        raise ValueError(f"argument 'extras[\"starts\"]': expected shape (S, {m * d + d * k}) (vec W, vec V), "
                         f"got {starts.shape}")
    W_ref = linear_reference(s.to_float(), loss)
    level = VM.linear_objective(s, loss, B.to_mp(W_ref) if s.is_mp else W_ref)
    if level_shift is not None:      # negative control: a deliberately wrong level
        level = level - level_shift(level)
    r = probe_local_minima(s, loss, starts, level)
    zero = 0 * level
    q = dict(starts=len(starts), local_minima=r.local_minima, certified=r.certified,
             rank_deficient_minima=r.rank_deficient_minima, lin_level=level, best_excess=r.best_excess,
             iterations=r.iterations)
    return Evaluation.compare(zero + r.certified, "<=", zero, scale=1, ulps=tolerance.exact_count(), quantities=q,
                              hypotheses={"starts given": len(starts) > 0}, source=SOURCE,
                              informative=r.local_minima > 0,
                              label="certified local minima of F_θ above inf F_lin ≤ 0")


def _example():
    pt = VM.random_vector_point(10, loss="squared", n=3, d=1, m=2, k=2)
    rng = np.random.default_rng(10)
    starts = np.concatenate([rng.normal(size=(2, 2)), rng.normal(size=(2, 2))], axis=1)
    starts[0, :2] = 0.0       # W = 0: rank-deficient start
    return VM.VectorPoint(pt.sample, pt.loss, pt.W, pt.V, None, {"starts": starts}, {"corner": "zero_W,generic"})


remark2_open = register(Claim(
    id="remark2.open", cost=11, source=SOURCE, kind="open-question",
    statement=("Open (Remark 2, Appendix A): for vector outputs x ↦ W(x + V f_θ(x)) and losses convex in p, "
               "is there a local minimum of F_θ(W, V) (W not of full row rank) with value above inf F_lin? "
               "Probe: certified local minima above inf F_lin ≤ 0."),
    evaluate_fn=evaluate, strategy_fn=probe_points, example_fn=_example,
    hypotheses=("starts given",),
    quantities=("starts", "local_minima", "certified", "rank_deficient_minima", "lin_level", "best_excess",
                "iterations"),
    polish=False,
    controls=(
        Variant("remark2.open.any_local_min",
                "F_θ has no certified local minimum at all (level lowered below every value of F ≥ 0): "
                "refuted as soon as the probe certifies one local minimum",
                lambda i: evaluate(i, level_shift=lambda lv: 1 + abs(lv)),
                strategy=lambda: probe_points(losses=["squared"], max_starts=1), max_examples=50,
                searched_with_claim=True),
    ),
    notes="A probe, never a CI gate: status is 'inconclusive' unless a certified candidate is confirmed at 60 digits.",
))
