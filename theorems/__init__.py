"""resnet-theorems: Shamir (2018), *Are ResNets Provably Better than Linear Predictors?*, as
executable predicates.

    from theorems import CLAIMS, refute, Evaluation
    claim = CLAIMS["theorem1"]; ev = claim.evaluate(claim.example())

Every module ``theorems/<result>.py`` registers its claims on import; importing this package
imports them all.
"""

import importlib
import pkgutil

from .audit import CLAIMS, Claim, Counterexample, Evaluation, HypothesisNotMet, Variant, refute, search

__all__ = ["CLAIMS", "Claim", "Variant", "Evaluation", "HypothesisNotMet", "refute", "search",
           "Counterexample", "load_claims"]

__version__ = "0.1.0"

_NOT_RESULTS = {"model", "audit", "__main__"}


def load_claims():
    """Import every result module (idempotent) and return the registry."""
    for mod in pkgutil.iter_modules(__path__):
        if mod.name not in _NOT_RESULTS and not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    return CLAIMS


# claims are imported on first use of CLAIMS (not here): theorems.model and strategies import
# each other's packages, and an eager import would be circular
from .audit.registry import _Registry  # noqa: E402

_Registry.loader = load_claims
