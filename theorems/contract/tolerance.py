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

Deriving a claim's tolerance (any paper): from the magnitudes of the terms and a conditioning factor.

1. *Scale*: list the terms whose rounding can reach lhs − rhs, before they cancel — the summands of
   each side (a sum Σ a_i contributes every |a_i|; a product a·b contributes |a|·|b|; a matrix
   product AB contributes |A|·|B| entrywise, bounded by ‖A‖‖B‖). ``scale(*terms)`` is the sum of
   their magnitudes (arrays allowed). Not max(|lhs|, |rhs|): two sides that agree at 1e-3 after
   cancelling terms of size 1e3 carry rounding of size 1e3·u, not 1e-3·u.
2. *Operations*: the length of the longest chain of dependent roundings behind a side — n for a
   sum of n terms, d for an inner product of length d, ℓ·d for a product of ℓ matrices of size d,
   1 per elementary function. ``chain(*lengths)`` = PER_OPERATION × Σ lengths, or a named budget
   below when one fits.
3. *Conditioning*: a side computed through a solve, an inverse, an eigenvector or a root turns
   backward error into forward error by its condition number κ (‖M‖·‖M⁻¹‖ for a solve with M,
   ‖M‖ / gap for an eigenvector): multiply by κ, computed on the instance (never a constant guess).
4. Judge with ``Evaluation.compare(lhs, R, rhs, scale=scale(...), ulps=ops·κ)``; its float64
   ``tol`` is then ``rounding(..., ops=ops, conditioning=κ)`` plus ``ulps`` subnormal steps.
   ``rounding`` is the same bound as a number, for an ``extra_tol`` or a construction's own check.
5. Say it in the claim's docstring (scale, operations, κ) and keep the claim's negative control:
   a false variant must still be refuted, which is what shows the tolerance is not too wide.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from theorems.core import backend as B

__all__ = ["PER_OPERATION", "scale", "rounding", "chain", "closed_form", "eigenvalue", "first_order", "second_order",
           "hessian_blocks", "vector_first_order", "biased_prediction", "sgd_iterates", "ogd_regret",
           "vector_sgd_regret", "vector_sgd_iterates", "exact_count", "beyond_rounding"]

PER_OPERATION = 64


# -- generic helpers (any paper) -------------------------------------------------------------------

def scale(*terms):
    """The magnitude of the terms behind a comparison: Σ |t| over every entry of every term (scalars
    or arrays, float64 or mpmath; an mpf if any term is). What rounding of the terms can reach
    after they cancel: pass it as ``Evaluation.compare(..., scale=scale(a, b, c))``."""
    if not terms:
        raise ValueError("argument 'terms': no terms; the scale of nothing is not a tolerance")
    flat = []
    for i, t in enumerate(terms):
        for v in np.asarray(t).reshape(-1).tolist():
            if not B.is_finite(v):
                raise ValueError(f"argument 'terms': term {i} has a non-finite entry ({v}); a tolerance must be finite")
            flat.append(abs(v))
    if B.is_mp(*terms) or any(isinstance(v, mpmath.mpf) for v in flat):
        return mpmath.fsum(flat)
    return math.fsum(float(v) for v in flat)


def _positive(name, value, lo, hi=math.inf):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating, mpmath.mpf)):
        raise ValueError(f"argument {name!r}: expected a number, got {value!r}")
    if not (lo <= value < hi):
        raise ValueError(f"argument {name!r}: must be in [{lo}, {hi}), got {value!r}")
    return value


def rounding(*terms, ops, conditioning=1.0, eps=None):
    """The rounding bound ``ops × eps × conditioning × scale(*terms)``.

    ``ops``: the budget in units of roundoff (``chain(...)`` or a named budget below);
    ``conditioning``: κ ≥ 1, the factor turning backward into forward error (1 for sums and
    products); ``eps``: the unit roundoff (default: that of the terms' arithmetic, 2⁻⁵³ for float64,
    2⁻ᵖʳᵉᶜ for mpmath). Equal to ``Evaluation.compare``'s tolerance for ``scale=scale(*terms)``,
    ``ulps=ops·κ``, without its subnormal allowance."""
    _positive("ops", ops, 0)
    _positive("conditioning", conditioning, 1)
    if eps is None:     # the unit roundoff Evaluation.compare uses (B.eps is float64's 2⁻⁵², twice that)
        eps = mpmath.mpf(2) ** -mpmath.mp.prec if B.is_mp(*terms) else 2.0 ** -53
    _positive("eps", eps, 0, 1)
    return ops * conditioning * (eps * scale(*terms))


def chain(*lengths) -> int:
    """The ulps budget of a computation whose chains of dependent roundings have these lengths:
    PER_OPERATION × Σ lengths (a sum over n samples of inner products of length d: ``chain(n, d)``;
    a product of ℓ matrices of size d: ``chain(ell * d)``)."""
    for i, n in enumerate(lengths):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"argument 'lengths': entry {i} must be a non-negative int, got {n!r}")
    return PER_OPERATION * int(sum(int(n) for n in lengths))


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

