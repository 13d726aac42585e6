"""The coverage map: every statement-bearing sentence and display of a paper, by location, next to the
claim ids that test it — or a one-line reason why it is not a mathematical claim.

A paper ships its map as ``coverage.toml`` (Shamir's: ``theorems/data/coverage.toml``; a paper
registered through the ``resnet_theorems.papers`` entry point: ``<its package>/coverage.toml``)::

    [[entry]]
    location = "Sec. 3, Theorem 1"
    says = "‖∇F_θ(w, V)‖ ≥ (F(w, V, θ) − F_lin(w*)) / √(…)"   # the statement, short, as printed
    claims = ["theorem1"]                                      # the ids that test it …
    reason = ""                                                # … or why it is not a claim

The map is checked, not trusted (:func:`check`): an entry with neither claims nor a reason, an id that
is not registered, an id of another paper, and a registered claim that no entry names are each a
problem, printed by ``python -m theorems coverage`` (exit 1) and failed by the test suite.
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from theorems.contract import CLAIMS, REFERENCE_PAPER, paper_of

__all__ = ["Entry", "Coverage", "load_coverage", "check", "CoverageError"]

MAX_BYTES = 4 * 2**20


class CoverageError(ValueError):
    """A coverage map that cannot be read (missing, not TOML, wrong fields)."""


@dataclass(frozen=True)
class Entry:
    location: str
    says: str
    claims: tuple[str, ...] = ()
    reason: str = ""


@dataclass
class Coverage:
    paper: str
    source: str
    entries: list[Entry]
    problems: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict:
        with_claim = sum(bool(e.claims) for e in self.entries)
        return {"locations": len(self.entries), "with a claim": with_claim,
                "with a reason": sum(not e.claims and bool(e.reason) for e in self.entries),
                "claims mapped": len({c for e in self.entries for c in e.claims})}


def _where(paper: str) -> tuple[str, str]:
    """(package, path inside it) of a paper's coverage map."""
    if paper == REFERENCE_PAPER:
        return "theorems", "data/coverage.toml"
    from .loading import paper_entry_points

    for ep in paper_entry_points():
        if ep.name == paper:
            return ep.value.split(":")[0], "coverage.toml"
    raise CoverageError(f"unknown paper {paper!r}")


def load_coverage(paper: str = REFERENCE_PAPER) -> Coverage:
    from .loading import load_claims

    load_claims()                     # the map is checked against every registered claim
    package, path = _where(paper)
    try:
        importlib.import_module(package)
        res = resources.files(package).joinpath(path)
        raw = res.read_bytes() if res.is_file() else None
    except (ModuleNotFoundError, OSError) as err:
        raise CoverageError(f"paper {paper!r}: cannot read its coverage map ({err})") from None
    if raw is None:
        raise CoverageError(f"paper {paper!r} ships no coverage map ({package}/{path})")
    if len(raw) > MAX_BYTES:
        raise CoverageError(f"paper {paper!r}: coverage map larger than {MAX_BYTES} bytes")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CoverageError(f"paper {paper!r}: coverage.toml is not valid TOML ({err})") from None
    entries = []
    for i, e in enumerate(data.get("entry", [])):
        if not isinstance(e, dict) or not isinstance(e.get("location"), str) or not isinstance(e.get("says"), str):
            raise CoverageError(f"paper {paper!r}: coverage.toml entry {i + 1} needs string fields 'location' and "
                                "'says'")
        claims = e.get("claims", [])
        if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
            raise CoverageError(f"paper {paper!r}: coverage.toml entry {i + 1} ({e['location']}): 'claims' must be "
                                "a list of claim ids")
        entries.append(Entry(e["location"], e["says"], tuple(claims), str(e.get("reason", ""))))
    cov = Coverage(paper, f"{package}/{path}", entries)
    cov.problems = check(cov)
    return cov


def check(cov: Coverage) -> list[str]:
    """Everything wrong with a map: entries with neither claims nor reason, unknown or foreign ids,
    registered claims of the paper that no entry names."""
    problems = []
    for e in cov.entries:
        if not e.claims and not e.reason.strip():
            problems.append(f"{e.location}: '{e.says[:60]}' has neither a claim nor a reason")
        for c in e.claims:
            if c not in CLAIMS:
                problems.append(f"{e.location}: claim id {c!r} is not registered")
            elif paper_of(c) != cov.paper:
                problems.append(f"{e.location}: claim id {c!r} belongs to paper {paper_of(c)!r}")
    named = {c for e in cov.entries for c in e.claims}
    for c in sorted(CLAIMS):
        if paper_of(c) == cov.paper and c not in named:
            problems.append(f"claim {c!r} is registered but no entry of the map names it")
    return problems
