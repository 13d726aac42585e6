"""Registry, evaluation policy, search/refute engine, reports."""

from .engine import Counterexample, SearchReport, confirm, polish, refute, search
from .evaluation import Evaluation, HypothesisNotMet
from .registry import CLAIMS, Claim, Variant, register

__all__ = ["CLAIMS", "Claim", "Variant", "register", "Evaluation", "HypothesisNotMet", "refute",
           "search", "polish", "confirm", "Counterexample", "SearchReport"]
