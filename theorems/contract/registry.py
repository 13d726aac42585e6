"""The claim contract: ``Claim``, negative controls (``Variant``) and the ``CLAIMS`` registry.

A claim module (``theorems/<result>.py``) calls :func:`register` at import time;
``theorems.audit.load_claims`` imports every such module, so a new result only has to exist to
be listed, tested and audited.
"""

from __future__ import annotations

import dataclasses
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
    # True when ``strategy`` draws instances of the claim's own statement (its fixed constants unchanged),
    # so that the claim's search includes it as a named family (``Claim.families``); False (the default)
    # where the control's strategy changes what the statement fixes (a λ, a radius): there the claim's
    # predicate reads another statement and may fail (measured: section4's controls, 5/5 draws each)
    searched_with_claim: bool = False
    # where ``strategy`` is the control's own and not searched with the claim: why its family is not the
    # claim's ground, in one line (e.g. "draws w = 0, outside the claim's hypothesis w ≠ 0"); every such
    # control states one (tests/meta/test_control_families.py), so a family left out is a decision, not an
    # omission
    not_searched_why: str = ""


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
    cost: float = 1.0                # relative audit cost (scheduling only: the costliest start first)
    search_families: bool = True     # strategy() adds the constructed families (``families``); False opts out
    no_ratio: str = ""               # why the claim has no tightness ratio (a count, an existence), if it has none

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

    def strategy(self, *, named_families: bool | None = None, **filters):
        """SearchStrategy of valid instances; keyword-only filters focus a search. An unknown
        filter raises ``InvalidArgument`` naming the accepted ones.

        With no filter the strategy is ``one_of`` the claim's own strategy and its constructed
        families (``families()``: its necessity analysis's strategy and the strategies of the controls
        that draw the claim's own statement), each family's instances named in ``meta["corner"]``
        (``"<family>: <corner>"``) so the engine targets and keeps the best of each apart. A filter
        selects a subset of the claim's own instances (``losses=["squared"]``, ``max_d=2``): the
        families do not take the filters, so a filtered strategy is the own strategy alone, unless
        ``named_families=True`` asks for the families too (unfiltered); ``named_families=False`` gives
        the own strategy alone. A family's instances outside the claim's hypotheses are "not tested"
        there, never examples."""
        allowed = self.filters()
        unknown = sorted(set(filters) - set(allowed or ()))
        if allowed is not None and unknown:
            raise InvalidArgument(f"{self.id}.strategy(): unknown filter {unknown[0]!r}; accepted: "
                                  f"{', '.join(allowed) or 'none'} (and named_families)")
        if named_families is not None and not isinstance(named_families, bool):
            raise InvalidArgument(f"{self.id}.strategy(): named_families={named_families!r} must be a bool or None")
        try:
            own = self.strategy_fn(**filters)
        except TypeError as err:
            if "unexpected keyword argument" in str(err):
                raise InvalidArgument(f"{self.id}.strategy(): {err}") from None
            raise
        include = (not filters) if named_families is None else named_families
        fams = self.families() if include and self.search_families else []
        if not fams:
            return own
        from hypothesis import strategies as st

        from strategies.batches import batch_searched, marked

        combined = st.one_of(own, *(fn().map(_corner_tag(name)) for name, fn in fams))
        # the own strategy's opt-in to batched search (``strategies.batches``) is kept
        return batch_searched(lambda: combined)() if marked(own) else combined

    def families(self) -> list[tuple[str, Callable]]:
        """(name, strategy function) of the constructed families the claim's search adds to its own
        strategy: the necessity analysis's (``form.strategy``) and each control's that draws the claim's
        own statement (``Variant.searched_with_claim``: every instance it draws meets the claim's hypotheses
        and fixed parameters), without repeats and without the own strategy. Left out: the hypothesis drops
        of a Form (their instances violate a hypothesis by design) and every control family that is not the
        claim's ground — another λ or radius, a dropped hypothesis, a dominated sub-range, an SGD run too
        long for the audit — each with its reason in ``Variant.not_searched_why``."""
        out, seen = [], {_strategy_key(self.strategy_fn)}
        cands = []
        if self.form is not None and getattr(self.form, "strategy", None) is not None:
            cands.append((_strategy_name(self.form.strategy, "necessity family"), self.form.strategy))
        for v in self.controls:
            if v.strategy is not None and v.searched_with_claim:
                cands.append((_strategy_name(v.strategy, f"control {v.name}"), v.strategy))
        for name, fn in cands:
            key = _strategy_key(fn)
            if key not in seen:
                seen.add(key)
                out.append((name, fn))
        return out

    def example(self):
        return self.example_fn()

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "statement": self.statement, "kind": self.kind,
                "hypotheses": list(self.hypotheses), "quantities": list(self.quantities),
                "controls": [v.name for v in self.controls], "informative_rule": self.informative_rule,
                "exhaustive": self.exhaustive, "no_ratio": self.no_ratio}


def _strategy_key(fn):
    """Identity of a strategy function (a ``functools.partial`` by its function and arguments)."""
    func = getattr(fn, "func", None)
    if func is not None:
        # repr: a partial's arguments may be lists (readings=["caption"]), which do not hash
        return (func, repr(tuple(getattr(fn, "args", ()))),
                repr(tuple(sorted((getattr(fn, "keywords", None) or {}).items()))))
    return fn


def _strategy_name(fn, fallback: str) -> str:
    """A family's name: its strategy function's name (with a partial's arguments), else ``fallback``."""
    func = getattr(fn, "func", None)
    if func is not None:
        kw = ", ".join(f"{k}={v!r}" for k, v in (getattr(fn, "keywords", None) or {}).items())
        return f"{func.__name__}({kw})"
    name = getattr(fn, "__name__", "")
    return name if name and name != "<lambda>" else fallback


def _corner_tag(family: str):
    """Map an instance to the same instance with ``meta["corner"]`` = ``"<family>: <its corner>"`` (an
    instance without a ``meta`` dict, or not a dataclass, is returned as it is)."""
    def tag(inst):
        meta = getattr(inst, "meta", None)
        if not isinstance(meta, dict) or not dataclasses.is_dataclass(inst):
            return inst
        corner = meta.get("corner")
        return dataclasses.replace(inst, meta={**meta, "corner": f"{family}: {corner}" if corner else family})
    tag.__name__ = f"tag_corner[{family}]"
    return tag


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
