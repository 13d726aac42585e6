"""Errors the mathematics raises about its inputs.

``HypothesisNotMet`` lives here, at the bottom of the layers, because the model itself detects
unmet hypotheses (e.g. a rank-deficient W, an empty slice of M1); the claim contract
re-exports it as part of its public API.
"""

from __future__ import annotations

__all__ = ["HypothesisNotMet"]


class HypothesisNotMet(ValueError):
    """The instance does not satisfy a hypothesis of the claim (e.g. w = 0 for Theorem 1)."""
