"""The engine's paper-agnostic core: the float64/mpmath backend (``backend``), the instance
serialization base and its type registry (``serialization``), the error a claim raises outside its
hypotheses (``errors``) and the safe expression parser (``expressions``). It knows no paper: a
paper's model, strategies and claims build on it (pyproject.toml's import-linter contracts)."""
