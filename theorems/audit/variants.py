"""A reviewer's variant of a claim, stated as a relation over the claim's documented quantities:

    python -m theorems refute theorem1 "grad_norm >= 2*gap/sqrt(2*w_norm**2 + 2*w_star_norm**2)"

The text is parsed by the allow-list parser (:mod:`theorems.core.expressions`; nothing in it is
executed), and only the claim's quantity names (plus ``lhs`` and ``rhs``, the claim's own two
sides) are accepted. The variant is a check like any claim's: it evaluates the claim on the
instance (float64, or 60 digits when the engine confirms), substitutes the quantities and judges
the relation with the suite's tolerance policy (default ulps on the variant's two sides, plus the
claim's own rounding budget on the quantities it read).

An instance where a quantity the variant reads is undefined (``None``), or where the relation
cannot be evaluated (a division by zero, a square root of a negative number), is *not tested*
there — counted, never an error. An example is *informative* when the claim says its own
statement could have failed there (or does not say) and the variant's two sides are not both
zero: ``0 ≥ 0`` tests nothing.

A variant may also move the instance itself (``refute CLAIM "EXPR" --set c=2*c``): each
``FIELD=EXPR2`` sets a scalar float field of the instance (a ``FLOAT`` or ``MP_SCALAR`` codec of
its type, see :mod:`theorems.core.serialization`) to ``EXPR2``, an expression over the instance's
numeric scalar fields (float and integer ones) parsed by the same allow-list. All ``--set`` are
applied at once, each right-hand side read on the instance as generated (a tuple assignment).
The new value is computed in float64 and the instance rebuilt, so its type's validation runs: an
instance that leaves the hypotheses (``c ≤ 0``) is *not tested*, never an error. At 60 digits the
engine hands the check the instance converted exactly; the transform rounds it back to float64
(exact), applies the same float64 arithmetic and converts the result exactly again, so both
precisions judge the same transformed inputs.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from theorems.contract import Claim, Evaluation, HypothesisNotMet
from theorems.core.expressions import Relation, UnsafeExpressionError, parse_expression, parse_relation
from theorems.core.serialization import INT

__all__ = ["VariantError", "ReviewerVariant", "InstanceTransform", "variant_from_expression", "parse_sets",
           "settable_fields"]


class VariantError(ValueError):
    """A variant that cannot be built: unparsable text, or a name that is not a quantity."""


def _names(claim: Claim) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*claim.quantities, "lhs", "rhs")))


def _scalar_fields(cls) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(float scalar fields, integer scalar fields) of an instance type, read off its codecs."""
    codecs = getattr(cls, "CODECS", {}) or {}
    names = [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else list(codecs)
    floats = tuple(n for n in names if getattr(codecs.get(n), "real", "") == "scalar")
    ints = tuple(n for n in names if n in codecs and codecs[n] is INT)
    return floats, ints


def settable_fields(claim: Claim) -> tuple[str, ...]:
    """The fields ``--set`` may change on ``claim``'s instances: its type's scalar float fields."""
    return _scalar_fields(type(claim.example()))[0]


@dataclass(frozen=True)
class InstanceTransform:
    """``--set FIELD=EXPR2 ...``: a map from a generated instance to the instance the variant judges."""

    specs: tuple[tuple[str, str], ...]          # (field, expression text), as typed
    names: tuple[str, ...]                      # the scalar fields the expressions may read

    def __post_init__(self):
        syms = [sp.Symbol(n, real=True) for n in self.names]
        fns = tuple((f, sp.lambdify(syms, parse_expression(text, self.names), modules=["math"]))
                    for f, text in self.specs)
        object.__setattr__(self, "_fns", fns)

    @property
    def text(self) -> str:
        return " ".join(f"--set {f}={e}" for f, e in self.specs)

    def to_json(self) -> list[str]:
        return [f"{f}={e}" for f, e in self.specs]

    def _float_values(self, inst) -> list[float]:
        return [float(getattr(inst, n)) for n in self.names]

    def __call__(self, inst):
        """The transformed instance; HypothesisNotMet when it is undefined or leaves the hypotheses."""
        mp = any(isinstance(getattr(inst, n), mpmath.mpf) for n in self.names)
        base = inst.to_float() if mp else inst
        values = self._float_values(base)
        new = {}
        for f, fn in self._fns:
            try:
                v = float(fn(*values))
            except (ZeroDivisionError, ValueError, OverflowError, TypeError) as err:
                raise HypothesisNotMet(f"--set {f}: undefined on this instance ({type(err).__name__}: {err})") from None
            if not math.isfinite(v):
                raise HypothesisNotMet(f"--set {f}: not a finite number on this instance ({v})")
            new[f] = v
        try:
            out = dataclasses.replace(base, **new)
        except (ValueError, TypeError, ArithmeticError) as err:
            raise HypothesisNotMet(f"{self.text}: the instance leaves the hypotheses ({err})") from None
        return out.to_mp() if mp else out


def parse_sets(claim: Claim, specs) -> InstanceTransform | None:
    """``--set`` arguments (``"FIELD=EXPR2"``) as an :class:`InstanceTransform`; None for none.
    A field that is not a scalar float field of the claim's instances, a repeated field or an
    expression outside the allow-list is a :class:`VariantError` naming it."""
    if not specs:
        return None
    cls = type(claim.example())
    floats, ints = _scalar_fields(cls)
    names = floats + ints
    accepted = ", ".join(floats) or "none"
    parsed = []
    for raw in specs:
        field_, sep, text = str(raw).partition("=")
        field_ = field_.strip()
        if not sep or not field_ or not text.strip():
            raise VariantError(f"--set {raw!r}: expected FIELD=EXPR (e.g. c=2*c); settable fields of "
                               f"{cls.__name__}: {accepted}")
        if field_ not in floats:
            why = ("an integer field" if field_ in ints else
                   "not a scalar float field" if field_ in {f.name for f in dataclasses.fields(cls)} else
                   "not a field")
            raise VariantError(f"--set {field_}: {why} of {cls.__name__} ({claim.id}'s instances); "
                               f"settable fields: {accepted}")
        if any(field_ == f for f, _ in parsed):
            raise VariantError(f"--set {field_}: given twice")
        try:
            parse_expression(text, names)
        except UnsafeExpressionError as err:
            raise VariantError(f"--set {field_}: {err}; fields it may read: {', '.join(names)}") from None
        parsed.append((field_, text.strip()))
    return InstanceTransform(tuple(parsed), names)


@dataclass(frozen=True)
class ReviewerVariant:
    claim: Claim
    text: str
    relation: Relation
    transform: InstanceTransform | None = None

    @property
    def label(self) -> str:               # how the engine names a check that raised
        moved = f" ({self.transform.text})" if self.transform is not None else ""
        return f"{self.claim.id} variant {self.text!r}{moved}"

    def __post_init__(self):
        # lambdified once per precision (not per example: lambdify costs milliseconds)
        syms = [sp.Symbol(n, real=True) for n in self.relation.symbols]
        fns = {mp: tuple(sp.lambdify(syms, side, modules=["mpmath"] if mp else ["math"])
                         for side in (self.relation.lhs, self.relation.rhs)) for mp in (False, True)}
        object.__setattr__(self, "_fns", fns)

    @property
    def _implied(self) -> bool:
        """Whether the claim implies this variant (``implied_by_claim``), computed once and only when an
        instance is uninformative for the claim, the one case it decides (it costs ~4 ms, and the
        necessity analysis builds hundreds of variants)."""
        if "_implied_value" not in self.__dict__:
            object.__setattr__(self, "_implied_value", implied_by_claim(self.claim, self.relation))
        return self.__dict__["_implied_value"]

    def _functions(self, mp: bool):
        return self._fns[mp]

    def __call__(self, inst) -> Evaluation:
        if self.transform is not None:
            inst = self.transform(inst)
        base = self.claim.evaluate(inst)
        mp = base.precision != "float64"
        values = []
        for name in self.relation.symbols:
            v = base.quantities.get(name)
            if v is None:
                raise HypothesisNotMet(f"quantity {name!r} is undefined on this instance")
            values.append(mpmath.mpf(v) if mp else float(v))
        f_lhs, f_rhs = self._functions(mp)
        try:
            lhs, rhs = f_lhs(*values), f_rhs(*values)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError) as err:
            # TypeError: math.log of a complex number, which float ** non-integer can produce
            raise HypothesisNotMet(f"the variant is undefined on this instance ({type(err).__name__}: {err})") from None
        for side in (lhs, rhs):
            if isinstance(side, (complex, mpmath.mpc)) or not math.isfinite(float(side)):
                raise HypothesisNotMet("the variant is not a finite real number on this instance")
        tol = base.tol if base.tol is not None else 0
        nontrivial = bool(abs(lhs) > tol or abs(rhs) > tol)
        q = {n: v for n, v in zip(self.relation.symbols, values)}
        q.update(lhs=lhs, rhs=rhs)
        return Evaluation.compare(lhs, self.relation.relation, rhs, extra_tol=tol, quantities=q,
                                  hypotheses=base.hypotheses, source=self.claim.source,
                                  label=f"variant of {self.claim.id}: {self.text}"
                                  + (f" ({self.transform.text})" if self.transform is not None else ""),
                                  # judged for the variant: the claim's own rule says where the *claim* could
                                  # fail, which bounds where a variant it implies could fail, not a sharper one
                                  informative=nontrivial and (base.informative is not False or not self._implied))


def implied_by_claim(claim: Claim, relation: Relation, *, samples: int = 400) -> bool:
    """Whether the claim's statement (its ``Form``) implies the variant on positive quantities, tested on
    random log-uniform values: where the claim cannot fail, neither can a variant it implies, so only then
    does the claim's informative rule carry over. Unknown (no form, or too few samples) counts as not implied."""
    form = getattr(claim, "form", None)
    if form is None:
        return False
    names = tuple(dict.fromkeys((*claim.quantities, "lhs", "rhs", *form.norms.values())))
    try:
        stated = parse_relation(form.relation, names)
    except (UnsafeExpressionError, ValueError):
        return False
    sides = {sp.Symbol("lhs", real=True): stated.lhs, sp.Symbol("rhs", real=True): stated.rhs}
    v_lhs, v_rhs = relation.lhs.subs(sides), relation.rhs.subs(sides)
    syms = sorted(stated.lhs.free_symbols | stated.rhs.free_symbols | v_lhs.free_symbols | v_rhs.free_symbols,
                  key=str)
    f = sp.lambdify(syms, (stated.lhs, stated.rhs, v_lhs, v_rhs), modules="math")
    ok = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "==": lambda a, b: abs(a - b) <= 1e-9 * abs(b)}
    rng = np.random.default_rng(20261207)
    kept = 0
    for _ in range(samples):
        vals = [float(v) for v in 10.0 ** rng.uniform(-2, 2, size=len(syms))]    # Python floats: no numpy warnings
        try:
            c_l, c_r, x_l, x_r = (float(v) for v in f(*vals))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):     # TypeError: a complex power
            continue
        if not all(map(math.isfinite, (c_l, c_r, x_l, x_r))) or not ok[stated.relation](c_l, c_r):
            continue
        kept += 1
        if not ok[relation.relation](x_l * (1 + 1e-12) if relation.relation == ">=" else x_l,
                                     x_r * (1 + 1e-12) if relation.relation == "<=" else x_r):
            return False
    return kept >= samples // 10


def variant_from_expression(claim: Claim, text: str, sets=None) -> ReviewerVariant:
    """The variant ``text`` of ``claim``; ``sets`` (``["c=2*c", ...]``) transforms each instance first."""
    names = _names(claim)
    try:
        rel = parse_relation(text, names)
    except UnsafeExpressionError as err:
        raise VariantError(f"{err}; quantities of {claim.id}: {', '.join(names)}") from None
    return ReviewerVariant(claim, text, rel, parse_sets(claim, sets))
