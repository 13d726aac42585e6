"""The claim contract: what a claim is and how its verdicts are judged.

``Evaluation`` (one verdict, with the tolerance policy), ``HypothesisNotMet`` (an instance outside
a claim's hypotheses), ``Claim`` and ``Variant`` (a statement and its negative controls), the
``CLAIMS`` registry the claim modules fill, and :mod:`~theorems.contract.tolerance` (named ulps
budgets). It imports only :mod:`theorems.model`.
"""

from theorems.core.errors import HypothesisNotMet

from . import tolerance
from .evaluation import DEFAULT_ULPS, RELATIONS, Evaluation
from .registry import (
    CLAIM_PAPERS,
    CLAIMS,
    KINDS,
    PAPER_ORDER,
    REFERENCE_PAPER,
    Claim,
    Variant,
    paper_of,
    paper_order,
    papers,
    register,
)
from .statement import Form, HypothesisDrop

__all__ = ["Evaluation", "HypothesisNotMet", "RELATIONS", "DEFAULT_ULPS", "Claim", "Variant", "CLAIMS",
           "KINDS", "PAPER_ORDER", "paper_order", "register", "tolerance", "Form", "HypothesisDrop",
           "REFERENCE_PAPER", "CLAIM_PAPERS", "paper_of", "papers"]
