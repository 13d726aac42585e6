"""Search, refute, polish and confirm; the audit runner, its statistics, report and figures.

``load_claims()`` imports every claim module (``theorems/<result>.py``), which registers its
claims in the contract's ``CLAIMS``. The contract names are re-exported here for convenience.
"""

from __future__ import annotations

from theorems.contract import CLAIMS, Claim, Evaluation, HypothesisNotMet, Variant, register

from .engine import Counterexample, SearchReport, confirm, polish, refute, search
from .loading import LOAD_ERRORS, claim_modules, load_claims

__all__ = ["CLAIMS", "Claim", "Variant", "register", "Evaluation", "HypothesisNotMet", "refute",
           "search", "polish", "confirm", "Counterexample", "SearchReport", "load_claims", "LOAD_ERRORS",
           "claim_modules"]
