"""resnet-theorems: Shamir (2018), *Are ResNets Provably Better than Linear Predictors?*, as
executable predicates.

    from theorems import CLAIMS, refute, Evaluation
    claim = CLAIMS["theorem1"]; ev = claim.evaluate(claim.example())

Layers (each imports only those below it; ``pyproject.toml``'s import-linter contracts check it):
``theorems.model`` → ``strategies`` → ``theorems.contract`` → the claim modules
``theorems/<result>.py`` → ``theorems.audit`` → the CLI (``theorems.__main__``).

This package imports nothing eagerly: ``import theorems.model`` loads only the mathematics, and
the names below are resolved on first use (``CLAIMS`` with every claim module imported).
"""

from __future__ import annotations

from ._version import __version__  # noqa: F401 - re-exported

__all__ = ["CLAIMS", "Claim", "Variant", "Evaluation", "HypothesisNotMet", "refute", "search",
           "Counterexample", "load_claims", "LOAD_ERRORS"]

_FROM_AUDIT = {"refute", "search", "Counterexample", "load_claims", "LOAD_ERRORS"}
_FROM_CONTRACT = {"Claim", "Variant", "Evaluation", "HypothesisNotMet"}


def __getattr__(name: str):
    # PEP 562: resolved lazily, so that the model and the strategies never pull in the layers above
    if name == "CLAIMS":
        from theorems.audit import load_claims

        return load_claims()
    if name in _FROM_AUDIT:
        import theorems.audit as audit

        return getattr(audit, name)
    if name in _FROM_CONTRACT:
        import theorems.contract as contract

        return getattr(contract, name)
    raise AttributeError(f"module 'theorems' has no attribute {name!r}")
