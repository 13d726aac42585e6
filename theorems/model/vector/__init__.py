"""The vector-valued model of Appendix A, x ↦ W(x + V f_θ(x)) with losses convex in p ∈ R^m: one
namespace over its modules (``from theorems.model import vector as VM``).

- ``vector_losses``: ``VectorLoss`` (softmax cross-entropy, ½‖p − y‖², combinations, negation);
- ``vector_sample``: ``VectorSample`` (X, Y, p, Phi) and the shape checks of (W, V, W*);
- ``vector_linalg``: s_min(W), the right inverse Wᵀ(WWᵀ)⁻¹, a solve in both precisions;
- ``vector_objective``: F_θ, F_lin, the gap, the gradient of the proof of Lemma 3 and the Hessian;
- ``vector_point``: the instance ``VectorPoint`` (a sample, a loss, W, V, W*);
- ``vector_sgd``: projected SGD for the skip-to-output form x ↦ W x + U f_θ(x) (vector
  Theorem 4, Appendix A's last paragraph) and its instance ``SGDRun``;
- ``vector_quantities`` (Lemma 3 / Theorem 6's first-order quantities) and ``vector_probe`` (the
  search for local minima of Remark 2's open question) are imported from their modules.
"""

from .linalg import right_inverse, s_min, solve
from .losses import VectorLoss, by_name, combination, from_spec, names, negated, softmax_ce, squared
from .objective import (
    gap,
    gradient,
    hessian,
    jacobians,
    linear_gradient,
    linear_hessian,
    linear_objective,
    objective,
    predictions,
)
from .point import VectorPoint, random_vector_point
from .sample import VectorSample
from .sgd import SGDRun, project_ball, projected_sgd, skip_predictions

__all__ = [
    "VectorLoss", "softmax_ce", "squared", "combination", "by_name", "from_spec", "names",
    "VectorSample", "VectorPoint", "predictions", "objective", "linear_objective", "gap",
    "gradient", "linear_gradient", "hessian", "linear_hessian", "right_inverse", "s_min",
    "solve", "negated", "skip_predictions", "projected_sgd", "project_ball", "random_vector_point", "SGDRun",
    "jacobians",
]
