"""A claim's statement in a form the suite can take apart: a relation over the claim's documented
quantities, written in the allow-list grammar of :mod:`theorems.core.expressions`.

    Form("grad_norm >= gap/sqrt(2*w_norm**2 + w_star_norm**2*(2 + V_norm**2/w_norm**2))")

The necessity analysis (``theorems.audit.necessity``) derives from it, mechanically, the variant
without each additive term, without each factor, with each numeric constant moved in the
direction that sharpens the bound, and with each norm swapped for a sharper one (``norms``); a
claim's own hypotheses are removed through ``without_hypothesis`` (a strategy that drops it and the
check to run there). A test checks, on instances, that the form computes the claim's own two
sides, so it cannot drift from the predicate.

A derived variant that is *true* is reported ``unnecessary`` only with a reason in ``unnecessary``
(an argument, pinned by a test); otherwise an unrefuted variant is ``open`` — a gap, never a pass.
Every derived variant is sharper than the statement, so when the statement itself is refuted its
variants are ``n/a`` (a sharper variant of a false statement is trivially false).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Form", "HypothesisDrop"]


@dataclass(frozen=True)
class HypothesisDrop:
    """The claim without one of its hypotheses: instances where it fails, and what to check there."""

    hypothesis: str
    strategy: Callable                   # () -> SearchStrategy of instances violating the hypothesis
    check: Callable                      # instance -> Evaluation of the statement without the hypothesis
    statement: str = ""
    # True when ``check`` is the claim's own statement on the wider domain (a sharper variant: no
    # evidence once that statement is refuted); False when it checks another statement, e.g. the
    # corrected bound outside the hypothesis — its verdict then stands even for a refuted claim
    sharpens: bool = True


@dataclass(frozen=True)
class Form:
    relation: str                                         # "LHS >= RHS" over the claim's quantities
    norms: dict = field(default_factory=dict)             # quantity -> sharper quantity (e.g. V_norm -> V_smin)
    without_hypothesis: tuple = ()                        # HypothesisDrop, one per hypothesis
    unnecessary: dict = field(default_factory=dict)       # part name -> why the variant is true (pinned)
    strategy: Callable | None = None                      # where variants are searched (default: the claim's)
    max_examples: int = 300
