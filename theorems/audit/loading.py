"""Importing the claim modules: ``load_claims()`` fills the contract's ``CLAIMS``."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from theorems.contract import CLAIMS

__all__ = ["load_claims", "LOAD_ERRORS", "claim_modules"]

LOAD_ERRORS: dict[str, str] = {}   # module -> why it failed to import (reported, never hidden)


def claim_modules() -> list[str]:
    """The claim modules: every plain module of the ``theorems`` package but the CLI."""
    package = Path(__file__).resolve().parents[1]     # theorems/ (without importing the package)
    return sorted(f"theorems.{m.name}" for m in pkgutil.iter_modules([str(package)])
                  if not m.ispkg and not m.name.startswith("_"))


def load_claims() -> dict:
    """Import every claim module (idempotent) and return the registry.

    A module that fails to import does not take the other results down: its error is kept in
    ``LOAD_ERRORS``, printed by the audit and failed by ``tests/test_registry.py``."""
    # Every strategy module too, up front: Hypothesis draws from a pool of constants mined from
    # the local modules in sys.modules and rebuilds it when a new one appears, so a module
    # imported later by one claim would change what a later seeded search in the same process
    # generates (the audit's workers run several claims each).
    import strategies

    extra = [f"strategies.{m.name}" for m in pkgutil.iter_modules(strategies.__path__)]
    here = Path(__file__).resolve().parent
    audit = [f"theorems.audit.{m.name}" for m in pkgutil.iter_modules([str(here)])]
    for name in claim_modules() + extra + audit:
        try:
            importlib.import_module(name)
        except Exception as err:  # noqa: BLE001 - reported, see docstring
            LOAD_ERRORS[name.removeprefix("theorems.")] = f"{type(err).__name__}: {err}"
    return CLAIMS
