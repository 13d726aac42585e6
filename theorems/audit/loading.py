"""Importing the claim modules: ``load_claims()`` fills the contract's ``CLAIMS``.

Papers. The reference paper's claims (Shamir 2018) are the plain modules of this package. Any other
paper is a package of its own that declares an entry point in the group ``resnet_theorems.papers``::

    [project.entry-points."resnet_theorems.papers"]
    hardt_ma2016 = "hardt_ma2016"          # paper name = the module to import

Importing that module registers its claims (``theorems.contract.register``); every claim id must start
with ``<paper name>.``, so an id says which paper it belongs to. The loader imports every submodule of
the paper's package too (Hypothesis's constant pool, see ``load_claims``), records each claim's paper in
``CLAIM_PAPERS``, and reports a paper that fails to import, or registers an id outside its prefix, in
``LOAD_ERRORS`` (printed by the audit, failed by the test suite) without taking the other papers down.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from theorems.contract import CLAIM_PAPERS, CLAIMS, REFERENCE_PAPER

__all__ = ["load_claims", "LOAD_ERRORS", "claim_modules", "ENTRY_POINT_GROUP", "paper_entry_points"]

ENTRY_POINT_GROUP = "resnet_theorems.papers"
_LOADED: set[str] = set()

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
    core = [f"theorems.core.{m.name}" for m in pkgutil.iter_modules([str(here.parent / "core")])]
    for name in claim_modules() + extra + audit + core:
        try:
            importlib.import_module(name)
        except Exception as err:  # noqa: BLE001 - reported, see docstring
            LOAD_ERRORS[name.removeprefix("theorems.")] = f"{type(err).__name__}: {err}"
    for cid in CLAIMS:
        CLAIM_PAPERS.setdefault(cid, REFERENCE_PAPER)
    for ep in paper_entry_points():
        _load_paper(ep)
    return CLAIMS


def paper_entry_points() -> list:
    """The installed papers' entry points (group ``resnet_theorems.papers``), by name."""
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _load_paper(ep) -> None:
    paper = ep.name
    if paper in _LOADED:
        return                                   # load_claims is idempotent
    _LOADED.add(paper)
    if paper == REFERENCE_PAPER or not paper.isidentifier():
        LOAD_ERRORS[f"paper {paper}"] = (f"entry point {paper!r} in {ENTRY_POINT_GROUP}: a paper name must be an "
                                         f"identifier other than {REFERENCE_PAPER!r}")
        return
    before = set(CLAIMS)
    try:
        module = ep.load()
        for sub in pkgutil.walk_packages(getattr(module, "__path__", []), module.__name__ + "."):
            importlib.import_module(sub.name)
    except Exception as err:  # noqa: BLE001 - reported, see the module docstring
        LOAD_ERRORS[f"paper {paper}"] = f"{type(err).__name__}: {err}"
        return
    new = sorted(set(CLAIMS) - before)
    stray = [c for c in new if not c.startswith(paper + ".")]
    if stray:
        for c in stray:
            del CLAIMS[c]
        LOAD_ERRORS[f"paper {paper}"] = (f"claim id(s) {stray} do not start with '{paper}.': a claim id must say "
                                         "which paper it belongs to (those claims were not loaded)")
    # by prefix, not only the claims new since `before`: a paper imported before the loader ran (a test
    # importing it directly) registered its claims earlier, and they are still this paper's
    for c in CLAIMS:
        if c.startswith(paper + "."):
            CLAIM_PAPERS[c] = paper
