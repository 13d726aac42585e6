"""Re-evaluating saved instances: what ``python -m theorems replay`` reads and prints.

A file may hold an instance (``{"type": "Point", ...}``), a counterexample (``{"instance": …}``,
as ``Counterexample.to_json()`` and ``refute --json`` write it), or a whole audit result
(``{"claims": [...]}``, from ``audit --json``), from which ``pick`` chooses the claim's
counterexample or its tightest instance. Every way a file can be wrong — missing, not JSON, not
an object, a missing field, an invalid value, an unknown type or loss, an instance of another
claim's type — is an :class:`InputError` with one line naming the file and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from theorems.contract import Claim, Evaluation, HypothesisNotMet
from theorems.model.backend import DEFAULT_DPS
from theorems.model.serialization import InstanceFormatError, instance_from_json

__all__ = ["InputError", "Outcome", "load_instance", "evaluate_both", "quantity_table"]

PICKS = ("counterexample", "tightest")


class InputError(ValueError):
    """Bad input from the command line or a file: printed as one line, exit status 2."""


def _read_json(path: str):
    try:
        with open(path) as fh:
            text = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot be read ({type(err).__name__})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None


def _from_audit(path: str, data: dict, claim: Claim, pick: str | None) -> tuple[dict, str]:
    entries = {c.get("id"): c for c in data["claims"] if isinstance(c, dict)}
    if claim.id not in entries:
        raise InputError(f"{path}: the audit has no entry for {claim.id!r} (it has: {', '.join(sorted(entries))})")
    entry = entries[claim.id]
    order = [pick] if pick else list(PICKS)
    for which in order:
        found = entry.get(which)
        if isinstance(found, dict) and isinstance(found.get("instance"), dict):
            return found["instance"], f"audit's {which} for {claim.id}"
    raise InputError(f"{path}: the audit has no {pick or 'counterexample or tightest instance'} for {claim.id} "
                     f"(status {entry.get('status')})")


def load_instance(path: str, claim: Claim, *, pick: str | None = None):
    """``(instance, where)``: the instance a file holds for ``claim`` and a phrase saying where from."""
    if pick is not None and pick not in PICKS:
        raise InputError(f"--pick: expected one of {', '.join(PICKS)}, got {pick!r}")
    data = _read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object (an instance, a counterexample or an audit result), "
                         f"got a JSON {type(data).__name__}")
    where = "instance"
    if "claims" in data and isinstance(data["claims"], list):
        data, where = _from_audit(path, data, claim, pick)
    elif isinstance(data.get("counterexample"), dict) and isinstance(data["counterexample"].get("instance"), dict):
        data, where = data["counterexample"]["instance"], "counterexample"          # refute --json
    elif "instance" in data and isinstance(data["instance"], dict):
        data, where = data["instance"], "counterexample's instance"
    elif "counterexample" in data and "claim" in data:
        raise InputError(f"{path}: this refute result has no counterexample (the variant was not refuted)")
    elif pick is not None:
        raise InputError(f"{path}: --pick needs an audit JSON (from audit --json)")
    data = dict(data)
    data.setdefault("type", "Point")      # files written before instances carried their type
    try:
        inst = instance_from_json(data)
    except InstanceFormatError as err:
        raise InputError(f"{path}: {err}") from None
    except KeyError as err:
        raise InputError(f"{path}: missing field {err}") from None
    except (ValueError, TypeError) as err:          # the model's validation names the argument
        raise InputError(f"{path}: invalid instance: {err}") from None
    expected = type(claim.example())
    if not isinstance(inst, expected):
        raise InputError(f"{path}: {claim.id} evaluates instances of type {expected.__name__}, "
                         f"the file holds a {type(inst).__name__}")
    return inst, where


@dataclass
class Outcome:
    """One precision's result: a verdict, or why there is none (never a traceback)."""

    precision: str
    evaluation: Evaluation | None = None
    not_tested: str | None = None        # outside the claim's hypotheses
    error: str | None = None             # the computation raised (a solver, LAPACK, …)
    quantities: dict = field(default_factory=dict)

    def line(self) -> str:
        if self.evaluation is not None:
            return self.evaluation.message()
        if self.not_tested is not None:
            return f"not tested: {self.not_tested}"
        return (f"no verdict: the claim's computation raised {self.error} "
                "(recorded as an outcome, not a counterexample)")


def _outcome(claim: Claim, inst, dps: int | None) -> Outcome:
    prec = "float64" if dps is None else f"{dps} digits"
    try:
        ev = claim.evaluate(inst, dps=dps)
    except HypothesisNotMet as err:
        return Outcome(prec, not_tested=str(err))
    except Exception as err:  # noqa: BLE001 - a third-party failure is an outcome, see Outcome
        return Outcome(prec, error=f"{type(err).__name__}: {err}")
    return Outcome(prec, ev, quantities=dict(ev.quantities))


def evaluate_both(claim: Claim, inst, *, dps: int = DEFAULT_DPS) -> tuple[Outcome, Outcome]:
    return _outcome(claim, inst, None), _outcome(claim, inst, dps)


def _fmt(v, digits: int) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool) or isinstance(v, str):
        return str(v)
    try:
        import mpmath

        return mpmath.nstr(mpmath.mpf(v), digits) if digits > 17 else f"{float(v):.{digits}g}"
    except (TypeError, ValueError):
        return str(v)


def quantity_table(float_out: Outcome, mp_out: Outcome) -> list[str]:
    """The quantities behind a verdict, at both precisions, one per line."""
    names = list(dict.fromkeys([*float_out.quantities, *mp_out.quantities]))
    if not names:
        return []
    width = max(len(n) for n in names)
    rows = [f"  {'quantity'.ljust(width)}  {'float64':>24}  {mp_out.precision} (20 significant digits)"]
    for n in names:
        rows.append(f"  {n.ljust(width)}  {_fmt(float_out.quantities.get(n), 17):>24}  "
                    f"{_fmt(mp_out.quantities.get(n), 20)}")
    return rows
