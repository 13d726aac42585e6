"""The tolerance policy: how many units of roundoff each kind of computed quantity may carry.

A float64 comparison ``lhs R rhs`` is judged with ``tol = ulps · (u · scale + 2⁻¹⁰⁷⁴)`` (see
:meth:`theorems.contract.Evaluation.compare`): ``u`` is the unit roundoff, ``scale`` the magnitude
of the terms behind both sides (each claim documents its scale), and ``ulps`` a budget for the
length of the chain of operations that produced them. Those budgets are named here, one function
per kind of quantity, so that a claim says *what* it computed and not a bare ``64·(…)``.

Why 64 per unit: each sum of N terms loses at most ~N·u relative to the sum of absolute values
(the ``scale``); the factor 64 covers the few extra operations per term (a product, a loss
evaluation, a square root) with room to spare. A float64 violation beyond the tolerance is only a
candidate: it is re-evaluated at 60 digits and counts only if it survives, so a budget that is too
tight costs time (rounding artifacts), never a false counterexample.
"""

from __future__ import annotations

__all__ = ["PER_OPERATION", "closed_form", "eigenvalue", "first_order", "second_order", "hessian_blocks",
           "vector_first_order", "biased_prediction", "sgd_iterates", "ogd_regret", "vector_sgd_regret",
           "vector_sgd_iterates", "exact_count", "beyond_rounding"]

PER_OPERATION = 64


def closed_form() -> int:
    """A formula in a few scalars (Example 1, Section 4's 2-D objectives, Remark 3's constants)."""
    return PER_OPERATION


def exact_count() -> int:
    """A count or a probability computed exactly (a binomial tail, a number of certified points)."""
    return 0


def eigenvalue(size: int) -> int:
    """An eigenvalue of a symmetric ``size × size`` matrix: backward stable, error ≲ size·u·‖M‖."""
    return PER_OPERATION * size


def first_order(n: int, d: int, k: int) -> int:
    """∇F_θ, the gap F − F_lin(w*) and inner products with them (Section 3): sums over n samples of
    products of length d and k."""
    return PER_OPERATION * (n + d + k)


def second_order(n: int, d: int, k: int) -> int:
    """∇²F_θ and quantities built on it (λ_min, Eq. 8–13, Theorem 3): entries are sums over n samples,
    and vec V has d·k entries."""
    return PER_OPERATION * (n + d + d * k)


def hessian_blocks(n: int, d: int, k: int) -> int:
    """A difference of two Hessian blocks (Eq. 8–9): sums over n samples of d·k products."""
    return PER_OPERATION * (n + d * k)


def vector_first_order(n: int, d: int, m: int, k: int) -> int:
    """Appendix A's first-order quantities (W ∈ R^{m×d}): sums over n samples of products of length
    d, m and k, plus a solve with W Wᵀ."""
    return PER_OPERATION * (n + d + m + k)


def biased_prediction(d: int, k: int) -> int:
    """A prediction wᵀ(x + V f_θ(x) + a) + a₀ against its augmented form (Remark 1)."""
    return PER_OPERATION * (d + k + 2)


def sgd_iterates(T: int, d: int, k: int) -> int:
    """An average over T iterates of losses of length-(d + k) predictions (Section 5)."""
    return PER_OPERATION * (T + d + k)


def ogd_regret(T: int, d: int) -> int:
    """A regret: a sum over T rounds of d-dimensional OGD steps (Theorem 5)."""
    return PER_OPERATION * (T + d)


def vector_sgd_regret(T: int, d: int, m: int, k: int) -> int:
    """The vector network's regret: T rounds, each a product of an m×(d + k) matrix (Appendix A)."""
    return PER_OPERATION * T * (d + m + k)


def vector_sgd_iterates(T: int, d: int, m: int, k: int) -> int:
    """An average over T iterates of the vector network's losses (Appendix A, Theorem 4's analogue)."""
    return PER_OPERATION * (T + m * (d + k))


def beyond_rounding(value, scale) -> bool:
    """Whether ``value`` is non-zero beyond float64 rounding of terms of magnitude ``scale``: what
    makes an identity or a sign condition *informative* (0 = 0 and 0 ≥ 0 test nothing)."""
    return bool(abs(float(value)) > PER_OPERATION * 2.0 ** -53 * abs(float(scale)))

