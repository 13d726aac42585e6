"""A reviewer's variant of a claim, stated as a relation over the claim's documented quantities:

    python -m theorems refute theorem1 "grad_norm >= 2*gap/sqrt(2*w_norm**2 + 2*w_star_norm**2)"

The text is parsed by the allow-list parser (:mod:`theorems.core.expressions`; nothing in it is
executed), and only the claim's quantity names (plus ``lhs`` and ``rhs``, the claim's own two
sides) are accepted. The variant is a check like any claim's: it evaluates the claim on the
instance (float64, or 60 digits when the engine confirms), substitutes the quantities and judges
the relation with the suite's tolerance policy (default ulps on the variant's two sides, plus the
claim's own rounding budget on the quantities it read).

An instance where a quantity the variant reads is undefined (``None``), or where the relation
cannot be evaluated (a division by zero, a square root of a negative number), is *not tested*
there — counted, never an error. An example is *informative* when the claim says its own
statement could have failed there (or does not say) and the variant's two sides are not both
zero: ``0 ≥ 0`` tests nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import sympy as sp

from theorems.contract import Claim, Evaluation, HypothesisNotMet
from theorems.core.expressions import Relation, UnsafeExpressionError, parse_relation

__all__ = ["VariantError", "ReviewerVariant", "variant_from_expression"]


class VariantError(ValueError):
    """A variant that cannot be built: unparsable text, or a name that is not a quantity."""


def _names(claim: Claim) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*claim.quantities, "lhs", "rhs")))


@dataclass(frozen=True)
class ReviewerVariant:
    claim: Claim
    text: str
    relation: Relation

    @property
    def label(self) -> str:               # how the engine names a check that raised
        return f"{self.claim.id} variant {self.text!r}"

    def __post_init__(self):
        # lambdified once per precision (not per example: lambdify costs milliseconds)
        syms = [sp.Symbol(n, real=True) for n in self.relation.symbols]
        fns = {mp: tuple(sp.lambdify(syms, side, modules=["mpmath"] if mp else ["math"])
                         for side in (self.relation.lhs, self.relation.rhs)) for mp in (False, True)}
        object.__setattr__(self, "_fns", fns)

    def _functions(self, mp: bool):
        return self._fns[mp]

    def __call__(self, inst) -> Evaluation:
        base = self.claim.evaluate(inst)
        mp = base.precision != "float64"
        values = []
        for name in self.relation.symbols:
            v = base.quantities.get(name)
            if v is None:
                raise HypothesisNotMet(f"quantity {name!r} is undefined on this instance")
            values.append(mpmath.mpf(v) if mp else float(v))
        f_lhs, f_rhs = self._functions(mp)
        try:
            lhs, rhs = f_lhs(*values), f_rhs(*values)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError) as err:
            # TypeError: math.log of a complex number, which float ** non-integer can produce
            raise HypothesisNotMet(f"the variant is undefined on this instance ({type(err).__name__}: {err})") from None
        for side in (lhs, rhs):
            if isinstance(side, (complex, mpmath.mpc)) or not math.isfinite(float(side)):
                raise HypothesisNotMet("the variant is not a finite real number on this instance")
        tol = base.tol if base.tol is not None else 0
        nontrivial = bool(abs(lhs) > tol or abs(rhs) > tol)
        q = {n: v for n, v in zip(self.relation.symbols, values)}
        q.update(lhs=lhs, rhs=rhs)
        return Evaluation.compare(lhs, self.relation.relation, rhs, extra_tol=tol, quantities=q,
                                  hypotheses=base.hypotheses, source=self.claim.source,
                                  label=f"variant of {self.claim.id}: {self.text}",
                                  informative=nontrivial and base.informative is not False)


def variant_from_expression(claim: Claim, text: str) -> ReviewerVariant:
    names = _names(claim)
    try:
        rel = parse_relation(text, names)
    except UnsafeExpressionError as err:
        raise VariantError(f"{err}; quantities of {claim.id}: {', '.join(names)}") from None
    return ReviewerVariant(claim, text, rel)
