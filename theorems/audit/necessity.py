"""Which parts of a statement are needed: variants derived mechanically from a claim's ``Form``.

For a bound ``LHS R RHS`` (R one of >=, <=) the parts are every additive term, every factor and
every numeric constant of both sides (a numeric exponent, as in ‖w‖², and the −1 of a subtraction
are structure, not parts), the norms the form names as swappable, and the claim's hypotheses. Each
part gives one variant: the term or factor dropped, the constant moved to the next simpler value in
the direction that *sharpens* the bound (2 → 1, 1 → 1/2, c → c/2, or up where up is sharper), the
norm swapped. A mutation inside a symbolic exponent rewrites that exponent, and its part says so
(kind ``exponent``, named ``exponent of 1 - tau: ell - 1 → -1``), not "term ell". Whether a
mutation sharpens is decided on positive values of the quantities (norms, and gaps where the
statement can fail): a mutation that is not uniformly sharper is implied by the statement or
unrelated to it, and is not a test of necessity.

Each variant is searched like a reviewer's variant (``theorems.audit.variants``): float64, then 60
digits, shrunk. A part is **necessary** when its variant has a confirmed counterexample (the
witness is kept), **unnecessary** when the claim's form gives a reason the variant is true (pinned
by a test), and **open** otherwise — a gap, reported with the examples searched, never a pass.

When the claim's own statement is refuted (an erratum, or a confirmed counterexample from its
search), every derived variant is *sharper* than a false statement and so false as well: its
refutation says nothing about the part. Such rows are **n/a** (not searched) with that reason; a
hypothesis drop whose check is another statement (``HypothesisDrop.sharpens`` False, e.g. the
corrected bound outside the hypothesis) is still searched.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from theorems.contract import Claim
from theorems.core.expressions import Relation, parse_relation

from .engine import search
from .variants import ReviewerVariant

__all__ = ["Part", "derive_parts", "run_necessity", "SHRINK_SECONDS", "STATUSES", "REFUTED_REASON"]

SHRINK_SECONDS = 1.0
# every status a row can have; "n/a" rows are not evidence either way (see the module docstring)
STATUSES = ("necessary", "unnecessary", "open", "n/a")
REFUTED_REASON = "the statement itself is refuted; a sharper variant is trivially false"


@dataclass(frozen=True)
class Part:
    name: str                 # "term 2*w_norm**2 (rhs)", "constant 2 in … (rhs)", "exponent of … (rhs)", …
    kind: str                 # term | factor | constant | exponent | norm | hypothesis
    variant: str              # the variant's relation (or statement, for a hypothesis)
    sharpens: bool = True     # stronger than the claim's statement (every derived part; a hypothesis
                              # drop unless its check is another statement)


def _nodes(expr, path=()):
    yield path, expr
    for i, a in enumerate(expr.args):
        yield from _nodes(a, path + (i,))


def _replace(expr, path, new):
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _replace(args[path[0]], path[1:], new)
    return expr.func(*args)


def _at(expr, path):
    for i in path:
        expr = expr.args[i]
    return expr


def _in_exponent(expr, path) -> tuple | None:
    """The path of the innermost power whose (symbolic) exponent contains the node at ``path``."""
    for k in range(len(path) - 1, -1, -1):
        if path[k] == 1 and isinstance(_at(expr, path[:k]), sp.Pow):
            return path[:k]
    return None


def _simpler(c: sp.Number) -> list:
    """Candidate constants next to c, smaller first: 2 → 1, 1 → 1/2, 3/2 → 3/4; and larger."""
    c = sp.nsimplify(c)
    down = c - 1 if (c.is_integer and c >= 2) else c / 2
    up = c + 1 if (c.is_integer and c >= 1) else c * 2
    return [down, up]


_RNG_SAMPLES = 64


def _sharper(relation: str, side: str, mutated, original, symbols) -> bool | None:
    """True if the mutation makes the bound uniformly sharper on positive quantities, False if it
    makes it uniformly weaker or leaves it unchanged, None if incomparable."""
    rng = np.random.default_rng(12345)
    f_m = sp.lambdify(symbols, mutated, modules="math")
    f_o = sp.lambdify(symbols, original, modules="math")
    # sharper: the side holding the bound moves against the relation
    sign = 1.0 if (relation == ">=") == (side == "rhs") else -1.0
    diffs = []
    for _ in range(_RNG_SAMPLES):
        vals = [float(10 ** rng.uniform(-2, 2)) for _ in symbols]
        try:
            m, o = float(f_m(*vals)), float(f_o(*vals))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            continue
        if not (math.isfinite(m) and math.isfinite(o)):
            continue
        diffs.append(sign * (m - o) / (1e-300 + abs(o)))
    if len(diffs) < _RNG_SAMPLES // 2:
        return None
    if all(d >= -1e-12 for d in diffs):
        return True if any(d > 1e-9 for d in diffs) else False
    if all(d <= 1e-12 for d in diffs):
        return False
    return None


def _text(lhs, relation, rhs) -> str:
    return f"{sp.sstr(lhs)} {relation} {sp.sstr(rhs)}"


def derive_parts(claim: Claim) -> list[Part]:
    form = claim.form
    names = tuple(dict.fromkeys((*claim.quantities, "lhs", "rhs", *form.norms.values())))
    rel: Relation = parse_relation(form.relation, names)
    if rel.relation == "==":
        return []
    sides = {"lhs": rel.lhs, "rhs": rel.rhs}
    symbols = sorted(rel.lhs.free_symbols | rel.rhs.free_symbols
                     | {sp.Symbol(n, real=True) for n in form.norms.values()}, key=str)
    parts, seen = [], set()

    def add(name, kind, side, mutated):
        lhs, rhs = (mutated, sides["rhs"]) if side == "lhs" else (sides["lhs"], mutated)
        text = _text(lhs, rel.relation, rhs)
        if text in seen:
            return False
        # a norm swap is sharper by the form's declaration (e.g. s_min ≤ s_max): independent random
        # values of the two quantities cannot show it, so it is not tested numerically
        if kind != "norm" and _sharper(rel.relation, side, mutated, sides[side], symbols) is not True:
            return False
        seen.add(text)
        parts.append(Part(f"{name} ({side})", kind, text))
        return True

    def mutate(name, kind, side, expr, path, at, new):
        """Add the variant with the node at ``at`` replaced by ``new``; named as a rewrite of the
        exponent when the node lies inside one."""
        pw = _in_exponent(expr, path)
        if pw is not None:
            base, old_exp = _at(expr, pw).args
            new_exp = _replace(old_exp, at[len(pw) + 1:], new)
            name, kind = f"exponent of {sp.sstr(base)}: {sp.sstr(old_exp)} → {sp.sstr(new_exp)}", "exponent"
        return add(name, kind, side, _replace(expr, at, new))

    for side, expr in sides.items():
        if expr.is_Symbol:
            continue
        for path, node in _nodes(expr):
            if not path:
                continue
            parent = _at(expr, path[:-1])
            i = path[-1]
            if isinstance(parent, sp.Add):
                rest = [a for j, a in enumerate(parent.args) if j != i]
                mutate(f"term {sp.sstr(node)}", "term", side, expr, path, path[:-1], sp.Add(*rest))
            elif isinstance(parent, sp.Mul) and not node.is_Number:
                rest = [a for j, a in enumerate(parent.args) if j != i]
                mutate(f"factor {sp.sstr(node)}", "factor", side, expr, path, path[:-1], sp.Mul(*rest))
            if node.is_Number and node != -1 and not (isinstance(parent, sp.Pow) and i == 1):
                for c in _simpler(node):
                    if mutate(f"constant {sp.sstr(node)} in {sp.sstr(parent)}", "constant", side, expr, path,
                              path, c):
                        break
        for q, sharper in form.norms.items():
            s_q, s_new = sp.Symbol(q, real=True), sp.Symbol(sharper, real=True)
            if s_q in expr.free_symbols:
                add(f"norm {q} → {sharper}", "norm", side, expr.subs(s_q, s_new))
    for drop in form.without_hypothesis:
        parts.append(Part(f"hypothesis {drop.hypothesis}", "hypothesis", drop.statement or drop.hypothesis,
                          drop.sharpens))
    return parts


def _na_row(part: Part) -> dict:
    """The row of a sharper variant of a refuted statement: not searched, not evidence."""
    return {"part": part.name, "kind": part.kind, "variant": part.variant, "status": "n/a", "examples": 0,
            "informative": 0, "first_failure_at": None, "reason": REFUTED_REASON, "witness": None, "seconds": 0.0}


def run_necessity(claim: Claim, *, seed: int = 0, max_examples: int | None = None,
                  refuted: bool | None = None) -> list[dict]:
    """Search every derived variant; one JSON-ready row per part (``status`` one of ``STATUSES``).

    ``refuted``: whether the claim's own statement is refuted — pass True when its search found a
    confirmed counterexample; None reads the claim (``claim.erratum`` set). Then every part that
    sharpens the statement is reported ``n/a`` without a search (``REFUTED_REASON``)."""
    form = claim.form
    if form is None:
        return []
    if refuted is None:
        refuted = bool(claim.erratum)
    names = tuple(dict.fromkeys((*claim.quantities, "lhs", "rhs", *form.norms.values())))
    strategy = form.strategy or claim.strategy
    budget = max_examples or form.max_examples
    drops = {f"hypothesis {d.hypothesis}": d for d in form.without_hypothesis}
    rows = []
    for part in derive_parts(claim):
        if refuted and part.sharpens:
            rows.append(_na_row(part))
            continue
        t0 = time.perf_counter()
        if part.kind == "hypothesis":
            d = drops[part.name]
            check, strat = d.check, d.strategy()
        else:
            check, strat = ReviewerVariant(claim, part.variant, parse_relation(part.variant, names)), strategy()
        rep = search(check, strat, max_examples=budget, seed=seed, keep_best=1, shrink_seconds=SHRINK_SECONDS)
        ce = rep.counterexample
        if ce is not None and ce.confirmed:
            status, reason = "necessary", "confirmed counterexample to the variant"
        elif part.name in form.unnecessary:
            status, reason = "unnecessary", form.unnecessary[part.name]
        else:
            status, reason = "open", f"not refuted in {rep.examples} examples ({rep.informative} informative)"
        rows.append({"part": part.name, "kind": part.kind, "variant": part.variant, "status": status,
                     "examples": rep.examples, "informative": rep.informative,
                     "first_failure_at": rep.first_failure_at, "reason": reason,
                     "witness": None if ce is None or not ce.confirmed else ce.to_json(),
                     "seconds": time.perf_counter() - t0})
    return rows
