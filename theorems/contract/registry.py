"""The claim contract: ``Claim``, negative controls (``Variant``) and the ``CLAIMS`` registry.

A claim module (``theorems/<result>.py``) calls :func:`register` at import time;
``theorems.audit.load_claims`` imports every such module, so a new result only has to exist to
be listed, tested and audited.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

from hypothesis.errors import InvalidArgument

from theorems.core import backend as B

from .evaluation import Evaluation

__all__ = ["Claim", "Variant", "CLAIMS", "register", "KINDS", "PAPER_ORDER", "paper_order", "strategy_filters",
           "REFERENCE_PAPER", "CLAIM_PAPERS", "paper_of", "papers"]

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
    form: object | None = None       # statement.Form: the statement over the quantities (necessity)
    informative_rule: str = ""       # when an instance could have failed the statement (docstring's words)
    exhaustive: bool = False         # an exact finite check: its few instances are all the cases

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

    def filters(self) -> dict | None:
        """The keyword filters ``strategy()`` accepts, name → default (None if it cannot tell)."""
        return strategy_filters(self.strategy_fn)

    def strategy(self, **filters):
        """SearchStrategy of valid instances; keyword-only filters focus a search. An unknown
        filter raises ``InvalidArgument`` naming the accepted ones."""
        allowed = self.filters()
        unknown = sorted(set(filters) - set(allowed or ()))
        if allowed is not None and unknown:
            raise InvalidArgument(f"{self.id}.strategy(): unknown filter {unknown[0]!r}; accepted: "
                                  f"{', '.join(allowed) or 'none'}")
        try:
            return self.strategy_fn(**filters)
        except TypeError as err:
            if "unexpected keyword argument" in str(err):
                raise InvalidArgument(f"{self.id}.strategy(): {err}") from None
            raise

    def example(self):
        return self.example_fn()

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "statement": self.statement, "kind": self.kind,
                "hypotheses": list(self.hypotheses), "quantities": list(self.quantities),
                "controls": [v.name for v in self.controls], "informative_rule": self.informative_rule,
                "exhaustive": self.exhaustive}


def strategy_filters(fn) -> dict | None:
    """Keyword filters of a strategy function, name → default; follows ``forwards_to`` (set by
    ``strategies.core.forwards_filters``) through ``**filters``; None where they are not declared."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    out, var_kw = {}, False
    for name, p in sig.parameters.items():
        if p.kind is p.VAR_KEYWORD:
            var_kw = True
        elif p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD):
            out[name] = None if p.default is p.empty else p.default
    if var_kw:
        target = getattr(fn, "forwards_to", None) or getattr(getattr(fn, "func", None), "forwards_to", None)
        if target is None:                     # (a functools.partial forwards what its function does)
            return None
        fixed = set(getattr(fn, "fixed_filters", ()) or getattr(getattr(fn, "func", None), "fixed_filters", ()))
        inner = strategy_filters(target)
        if inner is None:
            return None
        out.update({n: d for n, d in inner.items() if n not in fixed})
    return out


class _Claims(dict):
    """A dict of claims whose missing-key error lists the known ids."""

    def __missing__(self, key):
        raise KeyError(f"unknown claim id {key!r}; known: {', '.join(sorted(self))}")


CLAIMS: dict[str, Claim] = _Claims()   # filled by the claim modules as they are imported

# Which paper each claim belongs to (claim id -> paper name), filled by ``theorems.audit.load_claims``:
# the reference paper's claims live in this package, every other paper's come from a package that
# registers through the ``resnet_theorems.papers`` entry-point group and prefixes its ids with its name.
REFERENCE_PAPER = "shamir2018"
CLAIM_PAPERS: dict[str, str] = {}


def paper_of(cid: str) -> str:
    """The paper a claim id belongs to: its registered paper, else the prefix before the first dot when
    that names a paper, else the reference paper."""
    if cid in CLAIM_PAPERS:
        return CLAIM_PAPERS[cid]
    head = cid.split(".")[0]
    return head if head in set(CLAIM_PAPERS.values()) else REFERENCE_PAPER


def papers() -> list[str]:
    """The papers with registered claims, the reference paper first."""
    names = set(CLAIM_PAPERS.values()) | {REFERENCE_PAPER}
    return [REFERENCE_PAPER] + sorted(names - {REFERENCE_PAPER})


def register(claim: Claim) -> Claim:
    if claim.id in CLAIMS and CLAIMS[claim.id] is not claim:
        raise ValueError(f"claim id {claim.id!r} registered twice")
    CLAIMS[claim.id] = claim
    return claim


# the paper's order of results, for tables and reports
PAPER_ORDER = ("remark1", "section2", "gradients", "lemma1", "theorem1", "lemma2", "theorem2", "theorem3", "corollary1",
               "remark2", "example1", "remark3", "section4", "theorem4", "theorem5", "lemma3", "theorem6")


def paper_order(cid: str):
    """Sort key: the reference paper first, then other papers by name; within the reference paper a claim
    id's result in the order the paper states it, then the id."""
    paper = paper_of(cid)
    if paper != REFERENCE_PAPER:
        return (1, paper, 0, cid)
    head = cid.split(".")[0]
    return (0, "", PAPER_ORDER.index(head) if head in PAPER_ORDER else len(PAPER_ORDER), cid)
