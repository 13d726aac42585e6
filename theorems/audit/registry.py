"""The claim contract: ``Claim``, negative controls (``Variant``) and the ``CLAIMS`` registry.

A claim module (``theorems/<result>.py``) calls :func:`register` at import time; the package
imports every such module, so a new result only has to exist to be listed, tested and audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from theorems.model import backend as B

from .evaluation import Evaluation

__all__ = ["Claim", "Variant", "CLAIMS", "register", "KINDS"]

KINDS = ("literal", "corrected", "proof-step", "explicit-constant", "open-question")


@dataclass(frozen=True, eq=False)
class Variant:
    """A deliberately false variant of a claim (a *negative control*): ``refute`` must refute it
    with a confirmed, shrunk counterexample, proving that the claim's predicate can fail."""

    name: str
    statement: str
    check: Callable                 # instance -> Evaluation (backend-generic, like Claim.evaluate)
    strategy: Callable | None = None   # () -> SearchStrategy; default: the claim's strategy
    max_examples: int = 400


@dataclass(frozen=True, eq=False)
class Claim:
    """One executable statement of the paper.

    ``evaluate(inst)`` returns an :class:`Evaluation`; ``evaluate(inst, dps=60)`` re-runs the
    same code on the instance converted exactly to mpmath at 60 digits.
    """

    id: str
    source: str                      # e.g. "Theorem 1, Sec. 3"
    statement: str                   # the paper's words
    kind: str
    evaluate_fn: Callable
    strategy_fn: Callable
    example_fn: Callable
    hypotheses: tuple = ()           # names of the hypotheses the instance must meet
    quantities: tuple = ()           # documented quantity names in Evaluation.quantities
    controls: tuple = ()             # negative controls (Variant)
    polish: bool = True              # the audit may polish its tightest instances
    notes: str = ""
    erratum: dict | None = None      # for refuted literal claims: location, correction id, …

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"claim {self.id!r}: kind must be one of {KINDS}, got {self.kind!r}")

    def evaluate(self, inst, *, dps: int | None = None) -> Evaluation:
        """The claim's verdict on ``inst``; with ``dps`` at that many decimal digits (mpmath)."""
        if dps is None:
            ev = self.evaluate_fn(inst)
        else:
            with B.workdps(dps):
                ev = self.evaluate_fn(inst.to_mp())
        return ev.with_source(self.source)

    __call__ = evaluate

    def strategy(self, **filters):
        """SearchStrategy of valid instances; keyword-only filters focus a search."""
        return self.strategy_fn(**filters)

    def example(self):
        return self.example_fn()

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "statement": self.statement, "kind": self.kind,
                "hypotheses": list(self.hypotheses), "quantities": list(self.quantities),
                "controls": [v.name for v in self.controls]}


class _Registry(dict):
    """A dict of claims that imports every result module on first read (``loader``), so that
    ``theorems.model`` and ``strategies`` can be imported without pulling in every claim."""

    loader = None
    _loading = False

    def _load(self):
        if type(self).loader is not None and not self._loading:
            self._loading = True
            loader, type(self).loader = type(self).loader, None
            try:
                loader()
            finally:
                self._loading = False

    def __getitem__(self, key):
        self._load()
        try:
            return super().__getitem__(key)
        except KeyError:
            raise KeyError(f"unknown claim id {key!r}; known: {', '.join(sorted(self))}") from None

    def __contains__(self, key):
        self._load()
        return super().__contains__(key)

    def __iter__(self):
        self._load()
        return super().__iter__()

    def __len__(self):
        self._load()
        return super().__len__()

    def keys(self):
        self._load()
        return super().keys()

    def values(self):
        self._load()
        return super().values()

    def items(self):
        self._load()
        return super().items()

    def get(self, key, default=None):
        self._load()
        return super().get(key, default)


CLAIMS: dict[str, Claim] = _Registry()


def register(claim: Claim) -> Claim:
    if dict.__contains__(CLAIMS, claim.id) and dict.__getitem__(CLAIMS, claim.id) is not claim:
        raise ValueError(f"claim id {claim.id!r} registered twice")
    dict.__setitem__(CLAIMS, claim.id, claim)
    return claim
