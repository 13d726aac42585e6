"""The engine's paper-agnostic core: the float64/mpmath backend (``backend``), the instance
serialization base and its type registry (``serialization``), the error a claim raises outside its
hypotheses (``errors``), the safe expression parser (``expressions``) and a gradient checker for a
user's own model (``gradcheck``). It knows no paper: a paper's model, strategies and claims build on
it (pyproject.toml's import-linter contracts)."""
