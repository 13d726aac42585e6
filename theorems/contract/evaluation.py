"""``Evaluation``: the verdict of one claim on one instance, with the suite's tolerance policy.

Tolerance policy (the named ulps budgets, the generic ``scale``/``rounding``/``chain`` helpers and
the recipe for deriving a claim's tolerance are in :mod:`theorems.contract.tolerance`): a comparison
``lhs R rhs`` is judged with ``tol = ulps · u · scale`` (plus, in float64, ``ulps`` subnormal steps
2⁻¹⁰⁷⁴, and a claim's documented ``extra_tol``) where u is the unit roundoff of the arithmetic used
(2⁻⁵³ for float64, 2⁻ᵖʳᵉᶜ for mpmath) and ``scale`` is the magnitude of the terms that produced lhs
and rhs (each claim documents its scale). A float64 violation beyond ``tol`` is only a *candidate*:
the engine re-evaluates it at ≥ 50 digits and calls it a counterexample only if it survives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import mpmath

from theorems.core import backend as B
from theorems.core.errors import HypothesisNotMet

__all__ = ["Evaluation", "HypothesisNotMet", "RELATIONS", "DEFAULT_ULPS"]

RELATIONS = (">=", "<=", "==")
DEFAULT_ULPS = 64


def _num(x) -> str:
    """A number to the digits that tell it from its neighbours: 6 significant digits, more when
    those would round it to a different-looking value (0.9999996 is not printed as 1)."""
    v = _plain(x)
    if not isinstance(v, float):
        return str(v)
    text, digits = f"{v:.6g}", 6
    # more digits only where 6 would make an inexact value look exact (0.9999996 → "1")
    while digits < 17 and float(text) != v and float(text) == round(float(text)):
        digits += 1
        text = f"{v:.{digits}g}"
    return text


def _plain(x):
    """A number as a plain Python float (for JSON and messages); other values unchanged."""
    if isinstance(x, (mpmath.mpf,)):
        return float(x)
    if isinstance(x, bool):
        return x
    try:
        return float(x)
    except (TypeError, ValueError):
        return x


@dataclass(frozen=True)
class Evaluation:
    """The verdict of one claim on one instance: ``lhs relation rhs``, judged with a tolerance.

    Build it with :meth:`compare` (never by hand): it computes ``margin``, ``tol``, ``holds`` and
    ``ratio`` from the two sides under the tolerance policy (module docstring;
    :mod:`theorems.contract.tolerance` derives ``scale`` and ``ulps``).

    Fields:

    - ``lhs``, ``rhs``: the two sides as computed (float, or mpf when the instance was carried to
      high precision); ``relation``: ``">="``, ``"<="`` or ``"=="`` (one of ``RELATIONS``).
    - ``holds``: ``margin ≥ −tol`` — the relation holds up to rounding. In float64 a False is only a
      *candidate*: the engine re-evaluates the instance at ≥ 50 digits, and only a verdict that is
      still False there is a counterexample (one that vanishes is a rounding artifact).
    - ``margin``: signed slack, ≥ 0 iff the relation holds exactly: lhs − rhs for ``>=``,
      rhs − lhs for ``<=``, −|lhs − rhs| for ``==`` (so an identity's margin is never positive).
    - ``ratio``: tightness, what ``target()`` climbs: rhs/lhs for ``>=``, lhs/rhs for ``<=``, in
      [0, 1] when the bound holds (1 = attained); > 1 (∞ for a positive bound against a non-positive
      side) when violated; 0 when the bound side is ≤ 0 (trivially true, not tight); None for
      ``==`` or where the claim passes none. A claim may pass its own (e.g. a normalised gap).
    - ``tol``: the absolute tolerance ``margin`` was judged against (float64, or an mpf at high
      precision so that it cannot underflow): ``ulps·(u·|scale| + 2⁻¹⁰⁷⁴) + extra_tol`` in float64,
      ``ulps·u·|scale| + extra_tol`` in mpmath, u = 2⁻⁵³ or 2⁻ᵖʳᵉᶜ.
    - ``quantities``: named intermediate values the claim computed (always including ``lhs`` and
      ``rhs``), shown in reports, counterexamples and replay side by side at both precisions.
    - ``hypotheses``: hypothesis name → whether it held on this instance; the audit counts each, and
      a claim whose hypotheses never held has not passed (Quickcheck-style per-assumption counts).
    - ``source``: where the statement is in the paper (``"Theorem 1, Eq. (5)"``), added to messages.
    - ``label``: the statement as read on this instance (``"‖∇F‖ ≥ c·gap"``), the head of messages.
    - ``precision``: ``"float64"`` or ``"mp<dps>"`` (``"mp60"``): the arithmetic of lhs and rhs (one
      mpmath side makes the whole comparison high precision).
    - ``informative``: whether the statement *could* have failed on this instance (a non-trivial
      bound, an identity with non-zero terms, a test able to reject); None where the claim does not
      say. Uninformative examples (0 ≥ 0) are counted but never rewarded by the search, and a claim
      with too few informative examples has not passed.
    """

    lhs: object
    relation: str
    rhs: object
    holds: bool
    margin: object              # ≥ 0 iff the relation holds exactly (lhs − rhs for ">=")
    ratio: float | None         # tightness in [0, 1] when it holds (1 = attained); > 1 if violated
    tol: object                 # float64, or mpf at high precision
    quantities: dict = field(default_factory=dict)
    hypotheses: dict = field(default_factory=dict)
    source: str = ""
    label: str = ""
    precision: str = "float64"
    # could the statement have failed on this instance? (a non-trivial bound, non-zero terms of an
    # identity, a test able to reject); None where the claim does not say
    informative: bool | None = None

    @staticmethod
    def compare(lhs, relation: str, rhs, *, scale=None, ulps: float = DEFAULT_ULPS,
                extra_tol: float = 0.0, quantities: dict | None = None, hypotheses: dict | None = None,
                source: str = "", label: str = "", ratio: float | None = None,
                informative: bool | None = None) -> "Evaluation":
        """Judge ``lhs relation rhs`` under the tolerance policy.

        How: ``u`` is the unit roundoff of the arithmetic (mpmath if either side is an mpf, at the
        working precision; else float64), ``tol = ulps·(u·|scale| + 2⁻¹⁰⁷⁴) + extra_tol`` (float64:
        each unit also allows one subnormal step) or ``ulps·u·|scale| + extra_tol`` (mpmath), the
        margin is computed as in the class docstring, and the relation holds iff
        ``margin ≥ −tol``. NaN on either side is a ValueError naming it (a claim never compares NaN).

        ``scale``: magnitude of the terms behind lhs and rhs (default max(|lhs|, |rhs|); derive it
        with ``tolerance.scale``). ``ulps``: the budget in units of roundoff (``tolerance.chain`` or a
        named budget; 0 for an exact comparison).
        ``extra_tol``: an absolute error bound beyond rounding (e.g. a difference quotient's
        truncation error), documented by the claim that passes it.
        ``ratio``: override the default tightness (rhs/lhs for ">=", lhs/rhs for "<=").
        ``quantities``, ``hypotheses``, ``source``, ``label``, ``informative``: stored as given
        (see the class docstring); ``lhs`` and ``rhs`` are added to ``quantities``.
        """
        if relation not in RELATIONS:
            raise ValueError(f"argument 'relation': expected one of {RELATIONS}, got {relation!r}")
        for name, v in (("lhs", lhs), ("rhs", rhs)):
            fv = float(v)
            if math.isnan(fv):
                raise ValueError(f"argument {name!r}: is NaN; a claim must never compare NaN")
        mp = B.is_mp(lhs, rhs)
        u = mpmath.mpf(2) ** (-mpmath.mp.prec) if mp else float(2.0 ** -53)
        if scale is None:
            scale = max(abs(lhs), abs(rhs))
        # float64: the rounding model with underflow, fl(x∘y) = (x∘y)(1 + δ) + η with |δ| ≤ u and
        # |η| ≤ 2⁻¹⁰⁷⁵ — so each of the ``ulps`` units also allows one subnormal step (a gradient of
        # 2e-313 otherwise had a tolerance of 0 and every subnormal rounding was a float "violation")
        tol = ulps * u * abs(scale) + extra_tol if mp else ulps * (u * abs(scale) + 2.0 ** -1074) + extra_tol
        tol = tol if mp else float(tol)     # an mpf tolerance must not underflow to 0.0
        if relation == ">=":
            margin = lhs - rhs
        elif relation == "<=":
            margin = rhs - lhs
        else:
            margin = -abs(lhs - rhs)
        holds = bool(margin >= -tol)
        if ratio is None:
            ratio = _default_ratio(lhs, relation, rhs)
        q = dict(quantities or {})
        q.setdefault("lhs", lhs)
        q.setdefault("rhs", rhs)
        return Evaluation(lhs, relation, rhs, holds, margin, ratio, tol, q, dict(hypotheses or {}),
                          source, label, "mp%d" % mpmath.mp.dps if mp else "float64",
                          None if informative is None else bool(informative))

    @staticmethod
    def truth(conclusion: bool, *, premise: bool = True, **kwargs) -> "Evaluation":
        """A statement that is true or false on an instance, "premise ⇒ conclusion", judged exactly as
        1 ≥ 1, 0 ≥ 1 (refuted) or · ≥ 0 (premise false): the flags decide, no tolerance, and no ratio —
        a truth value has no tightness (the claim states ``no_ratio``). ``kwargs`` go to :meth:`compare`
        (quantities, hypotheses, source, label, informative)."""
        ev = Evaluation.compare(1.0 if conclusion else 0.0, ">=", 1.0 if premise else 0.0, scale=1.0, ulps=0,
                                **kwargs)
        return replace(ev, ratio=None)

    # -- presentation ------------------------------------------------------------------
    def message(self) -> str:
        """``observed, but should be …  [source]`` in the style of array-api-tests."""
        rel = {">=": "≥", "<=": "≤", "==": "="}[self.relation]
        where = f" [{self.source}]" if self.source else ""
        head = f"{self.label}: " if self.label else ""
        if self.holds:
            return f"{head}{_num(self.lhs)} {rel} {_num(self.rhs)} holds{where}"
        return (f"{head}lhs = {_num(self.lhs)}, but should be {rel} {_num(self.rhs)} "
                f"(margin {_plain(self.margin):.3g}, tolerance {_plain(self.tol):.2g}, {self.precision}){where}")

    def to_json(self) -> dict:
        return {
            "lhs": _plain(self.lhs), "relation": self.relation, "rhs": _plain(self.rhs),
            "holds": self.holds, "margin": _plain(self.margin), "ratio": _plain(self.ratio),
            "tol": _plain(self.tol), "precision": self.precision, "label": self.label,
            "quantities": {k: _plain(v) for k, v in self.quantities.items()},
            "hypotheses": dict(self.hypotheses), "informative": self.informative,
        }

    def with_source(self, source: str) -> "Evaluation":
        return self if self.source else replace(self, source=source)

    def margin_float(self) -> float:
        return float(self.margin)


def _default_ratio(lhs, relation, rhs):
    if relation == "==":
        return None
    big, small = (lhs, rhs) if relation == ">=" else (rhs, lhs)
    big, small = float(big), float(small)
    if small <= 0:
        return 0.0            # the bound is trivially true here: not tight
    if big <= 0:
        return math.inf       # positive bound, non-positive side: violated
    return small / big
