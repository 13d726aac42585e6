"""Re-evaluating saved instances: what ``python -m theorems replay`` reads and prints.

A file may hold an instance (``{"type": "Point", ...}``), a counterexample (``{"instance": …}``,
as ``Counterexample.to_json()`` writes it), a refute result (``refute --json``: the variant's
``expression``, its ``set`` transforms and the counterexample; :func:`load_replay` returns the
variant, rebuilt from the file, so that ``replay`` re-evaluates what was refuted, not the claim), or
a whole audit result
(``{"claims": [...]}``, from ``audit --json``), from which ``pick`` chooses the claim's
counterexample or its tightest instance. Every way a file can be wrong — missing, unreadable, not a
regular file, too large, not UTF-8, not JSON, nested too deeply, not an object, a missing field, a
field of the wrong type, an invalid value, an unknown type or loss, an instance of another claim's
type, too many entries — is an :class:`InputError` with one line naming the file and the field.

Every JSON file a user gives goes through :func:`read_json` (DESIGN.md, "One contract for every
entry point": input files capped in size and nesting), and an audit result for ``table`` through
:func:`load_audit`.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import mpmath
import numpy as np

from theorems.contract import Claim, Evaluation, HypothesisNotMet
from theorems.core import backend as B
from theorems.core.backend import DEFAULT_DPS
from theorems.core.serialization import InstanceFormatError, instance_from_json, json_kind

__all__ = ["InputError", "Outcome", "Replay", "read_json", "load_instance", "load_replay", "load_audit",
           "evaluate_both", "evaluate_check_both", "quantity_table",
           "json_shape", "MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "MAX_ENTRIES", "REPLAY_SECONDS"]

PICKS = ("counterexample", "tightest")

# A full audit JSON (74 claims) is about 2-3 MB: the largest per-claim entry measured is 43 KB
# (theorem4.eq18, with its tightest instance, controls and necessity parts), and the file does not grow
# with --max-examples. 32 MiB leaves a margin of ten over 74 such entries; reading it costs ~1.5 s.
MAX_BYTES = 32 * 2**20
# An instance nests ~5 deep, an audit ~9, a loss built from combinations 3 more per level.
MAX_DEPTH = 100
# JSON values (≈ separators) in one file: bounds the parser's memory (a 30 MB file of small numbers
# took 560 MB to parse). Audit JSONs measured: 851 separators for 2 claims, 3,562 for 4 of the
# heaviest, so a 74-claim audit holds fewer than 100,000.
MAX_VALUES = 2_000_000
# Numbers in one instance. The strategies draw n ≤ 64 rows and small dimensions (the largest example,
# theorem6.vector_sgd.high_probability, holds 1,366 numbers); at 60 digits a Point of 20,000 numbers
# takes ~1.5 s to evaluate (Theorem 1), and a 2,000,000-row file took 139 s and 5.9 GB before this cap.
MAX_ENTRIES = 20_000
# Wall time per precision for ``replay`` (evaluate_both(seconds=...)): the slowest claim example,
# theorem6.vector_sgd.high_probability, takes 29 s for both precisions; ten times that is not a hang.
REPLAY_SECONDS = 300.0


class InputError(ValueError):
    """Bad input from the command line or a file: printed as one line, exit status 2."""


def _reason(err: OSError) -> str:
    return os.strerror(err.errno) if err.errno else (err.strerror or type(err).__name__)


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _read_bytes(path: str) -> bytes:
    """At most MAX_BYTES from a regular file. Opened non-blocking so that a FIFO without a writer
    does not hang the open; a device (``/dev/zero``) is refused before anything is read, and the read
    itself stops at MAX_BYTES + 1 whatever the file claims its size is (``/proc`` files claim 0)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot open ({_reason(err)})") from None
    except (ValueError, TypeError) as err:          # an embedded NUL, a name that is not text
        raise InputError(f"{path!r}: not a usable file name ({err})") from None
    try:
        with os.fdopen(fd, "rb") as fh:        # closes fd on every path
            mode = os.fstat(fh.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise InputError(f"{path}: is a directory, expected a JSON file")
            if not stat.S_ISREG(mode):
                raise InputError(f"{path}: is {_file_kind(mode)}, expected a regular JSON file")
            data = fh.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a JSON file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({_reason(err)})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MiB, the cap on an input file "
                         "(a full audit JSON is about 3 MB); not read")
    return data


_STRING = re.compile(r'"[^"]*"')
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_STRUCTURE = {ord(c): None for c in map(chr, range(0x80)) if c not in '"[]{},'}


def json_shape(text: str) -> tuple[int, int]:
    """``(depth, commas)`` of a JSON text, without parsing it: how deeply its arrays and objects nest
    and how many separators (≈ values) it holds. Linear and iterative, so a million ``[`` cost a
    scan, not a RecursionError: escaped backslashes and quotes are dropped, then everything but
    quotes, brackets and commas, then every string; the depth is a running sum over what is left."""
    bare = text.replace("\\\\", "").replace('\\"', "")
    bare = _NON_ASCII.sub("", bare.translate(_STRUCTURE))   # only " [ ] { } , remain
    bare = _STRING.sub("", bare)
    marks = np.frombuffer(bare.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    commas = int(np.count_nonzero(marks == ord(",")))
    steps = np.zeros(marks.shape, dtype=np.int32)
    steps[(marks == ord("[")) | (marks == ord("{"))] = 1
    steps[(marks == ord("]")) | (marks == ord("}"))] = -1
    depth = int(np.cumsum(steps).max()) if steps.size else 0
    return depth, commas


def read_json(path: str):
    """The JSON value in the file at ``path``: the one reader for every JSON file a user gives.

    Bounded in time and memory: the file must be a regular file of at most :data:`MAX_BYTES`,
    UTF-8 (a byte-order mark is allowed), and nested at most :data:`MAX_DEPTH` deep. Every failure is
    an :class:`InputError` naming the path and the reason (the OS's words for an OSError).
    """
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
                         "expected a JSON file") from None
    del raw
    depth, commas = json_shape(text)
    if depth > MAX_DEPTH:
        raise InputError(f"{path}: JSON nested {depth} deep, more than {MAX_DEPTH} (the cap on an input file)")
    if commas >= MAX_VALUES:
        raise InputError(f"{path}: more than {MAX_VALUES:,} JSON values, the cap on an input file "
                         "(a full audit JSON holds fewer than 100,000); not parsed")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None
    except RecursionError:       # unreachable after the depth check; kept as the last line of defence
        raise InputError(f"{path}: JSON nested more than {MAX_DEPTH} deep (the cap on an input file)") from None
    except ValueError as err:                # an integer of more than 4300 digits
        raise InputError(f"{path}: not usable JSON ({err})") from None


def _count_numbers(data, limit: int) -> int:
    """Numbers in ``data`` (iteratively), stopping once past ``limit``."""
    count, stack = 0, [data]
    while stack and count <= limit:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            count += 1
    return count


def _from_audit(path: str, data: dict, claim: Claim, pick: str | None) -> tuple[dict, str]:
    entries = {c["id"]: c for c in data["claims"] if isinstance(c, dict) and isinstance(c.get("id"), str)}
    if claim.id not in entries:
        raise InputError(f"{path}: the audit has no entry for {claim.id!r} "
                         f"(it has: {', '.join(sorted(entries)) or 'none'})")
    entry = entries[claim.id]
    order = [pick] if pick else list(PICKS)
    for which in order:
        found = entry.get(which)
        if isinstance(found, dict) and isinstance(found.get("instance"), dict):
            return found["instance"], f"audit's {which} for {claim.id}"
    raise InputError(f"{path}: the audit has no {pick or 'counterexample or tightest instance'} for {claim.id} "
                     f"(status {entry.get('status')})")


def _refute_variant(path: str, data: dict, claim: Claim):
    """The variant a refute result (``refute --json``) was about, rebuilt from its ``expression``
    and ``set`` fields; None for a file that is not a refute result."""
    if "expression" not in data or "claim" not in data:
        return None
    if data["claim"] != claim.id:
        raise InputError(f"{path}: this refute result is about {data['claim']!r}, not {claim.id!r} "
                         f"(replay it with 'python -m theorems replay {data['claim']} {path}')")
    text, sets = data["expression"], data.get("set") or []
    if not isinstance(text, str):
        raise InputError(f"{path}: field 'expression': expected a string, got {json_kind(text)}")
    if not isinstance(sets, list) or not all(isinstance(x, str) for x in sets):
        raise InputError(f"{path}: field 'set': expected an array of \"FIELD=EXPR\" strings, got {json_kind(sets)}")
    from theorems.audit.variants import VariantError, variant_from_expression

    try:
        return variant_from_expression(claim, text, sets)
    except VariantError as err:
        raise InputError(f"{path}: field 'expression' or 'set': {err}") from None


def _select(path: str, data, claim: Claim, pick: str | None) -> tuple[dict, str]:
    """The instance object inside whatever the file holds, and where it was found."""
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object (an instance, a counterexample or an audit result), "
                         f"got {json_kind(data)}")
    if "claims" in data and isinstance(data["claims"], list):
        return _from_audit(path, data, claim, pick)
    if isinstance(data.get("counterexample"), dict) and isinstance(data["counterexample"].get("instance"), dict):
        return data["counterexample"]["instance"], "counterexample"          # refute --json
    if isinstance(data.get("instance"), dict):
        return data["instance"], "counterexample's instance"
    if "counterexample" in data and "claim" in data:
        raise InputError(f"{path}: this refute result has no counterexample (the variant was not refuted)")
    if pick is not None:
        raise InputError(f"{path}: --pick needs an audit JSON (from audit --json)")
    return data, "instance"


@dataclass
class Replay:
    """What a file gives ``replay``: the instance, where in the file it was, and, for a refute
    result, the variant that was refuted (with its ``--set`` transforms), else None."""

    instance: object
    where: str
    variant: object | None = None


def load_replay(path: str, claim: Claim, *, pick: str | None = None) -> Replay:
    """The instance a file holds for ``claim`` and, from a refute result, the variant it refuted.

    Raises only :class:`InputError` (one line naming the file and what is wrong)."""
    if pick is not None and pick not in PICKS:
        raise InputError(f"--pick: expected one of {', '.join(PICKS)}, got {pick!r}")
    raw = read_json(path)
    data, where = _select(path, raw, claim, pick)
    variant = _refute_variant(path, raw, claim) if isinstance(raw, dict) and data is not raw else None
    if _count_numbers(data, MAX_ENTRIES) > MAX_ENTRIES:
        raise InputError(f"{path}: the instance holds more than {MAX_ENTRIES:,} numbers, the cap on a replayed "
                         "instance (the audit's instances hold at most a few thousand); not built")
    data = dict(data)
    data.setdefault("type", "Point")      # files written before instances carried their type
    try:
        inst = instance_from_json(data)
    except InstanceFormatError as err:
        raise InputError(f"{path}: {err}") from None
    except KeyError as err:
        raise InputError(f"{path}: missing field {err}") from None
    except (ValueError, TypeError, ArithmeticError) as err:   # the model's validation names the argument
        raise InputError(f"{path}: invalid instance: {err}") from None
    except RecursionError:
        raise InputError(f"{path}: the instance is nested too deeply to be built (e.g. a loss expression)") from None
    expected = type(claim.example())
    if not isinstance(inst, expected):
        raise InputError(f"{path}: {claim.id} evaluates instances of type {expected.__name__}, "
                         f"the file holds a {type(inst).__name__}")
    return Replay(inst, where, variant)


def load_instance(path: str, claim: Claim, *, pick: str | None = None):
    """``(instance, where)``: the instance a file holds for ``claim`` and a phrase saying where from.

    Raises only :class:`InputError` (one line naming the file and what is wrong)."""
    got = load_replay(path, claim, pick=pick)
    return got.instance, got.where


# -- an audit result, for ``table`` -------------------------------------------------------------

_AUDIT_HINT = "run 'python -m theorems audit --json PATH'"


def _what_it_is(data: dict) -> str | None:
    """What a JSON object other than an audit result looks like it is (for the message)."""
    if "expression" in data and "claim" in data:
        return "a refute result"
    if "type" in data:
        return "an instance"
    if "instance" in data:
        return "a counterexample"
    return None


def _is_ratio(v) -> bool:
    if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return True
    if isinstance(v, str):                  # written by json.dump(default=str) for an mpf
        try:
            float(v)
        except ValueError:
            return False
        return True
    return False


def _entry_problem(c: dict) -> str | None:
    """What is wrong with one claim entry of an audit result, for the fields ``table`` reads."""
    for name, ok, want in (("id", isinstance(c.get("id"), str), "a string"),
                           ("status", isinstance(c.get("status"), str), "a string"),
                           ("examples", isinstance(c.get("examples"), int) and not isinstance(c.get("examples"), bool),
                            "an integer")):
        if name not in c:
            return f"missing field {name!r}"
        if not ok:
            return f"field {name!r}: expected {want}, got {json_kind(c[name])}"
    t = c.get("tightest")
    if t is not None:
        if not isinstance(t, dict):
            return f"field 'tightest': expected an object or null, got {json_kind(t)}"
        for key in ("ratio", "ratio_mp"):
            if not _is_ratio(t.get(key)):
                return f"field 'tightest.{key}': expected a number or null, got {json_kind(t[key])}"
    for name, key, want in (("controls", "refuted", (bool, int)), ("necessity", "status", str)):
        rows = c.get(name)
        if rows is None:
            continue
        if not isinstance(rows, list):
            return f"field {name!r}: expected an array or null, got {json_kind(rows)}"
        for j, x in enumerate(rows):
            if not isinstance(x, dict) or not isinstance(x.get(key), want):
                return f"field '{name}[{j}]': expected an object with {key!r}"
    return None


def load_audit(path: str) -> dict:
    """The audit result (``audit --json``) in the file at ``path``, checked for every field ``table``
    reads (``claims[i].id``, ``status``, ``examples``, ``tightest``, ``controls``, ``necessity``), so
    that a wrong file is one line naming what is wrong, never a traceback from the table code."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an audit result (a JSON object with a \"claims\" list), "
                         f"got {json_kind(data)}; {_AUDIT_HINT}")
    if "claims" not in data:
        other = _what_it_is(data)
        what = f"this is {other}, not an audit result" if other else "not an audit result (no \"claims\" list)"
        raise InputError(f"{path}: {what} ({_AUDIT_HINT})")
    if not isinstance(data["claims"], list):
        raise InputError(f"{path}: field 'claims': expected an array of claim entries, got {json_kind(data['claims'])}")
    for i, c in enumerate(data["claims"]):
        if not isinstance(c, dict):
            raise InputError(f"{path}: claims[{i}]: expected an object, got {json_kind(c)}")
        problem = _entry_problem(c)
        if problem is not None:
            who = f" ({c['id']})" if isinstance(c.get("id"), str) else ""
            raise InputError(f"{path}: claims[{i}]{who}: {problem}; {_AUDIT_HINT}")
    return data


# -- evaluating ---------------------------------------------------------------------------------

def _finite(v) -> bool:
    if isinstance(v, mpmath.mpf):                  # 1e1611 is finite at 60 digits, inf as a float
        return bool(mpmath.isfinite(v))
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError, OverflowError):
        return True                      # not a number (a label, a flag): nothing to check


def _show(v) -> str:
    return mpmath.nstr(v, 6) if isinstance(v, mpmath.mpf) else str(float(v))


def _not_finite(ev: Evaluation) -> str | None:
    """Which of the values a verdict rests on (lhs, rhs, the margin, the tolerance) are inf or NaN,
    with any non-finite quantity behind them; None when all are finite."""
    core = [f"{n} = {_show(v)}" for n, v in (("lhs", ev.lhs), ("rhs", ev.rhs), ("margin", ev.margin),
                                             ("tolerance", ev.tol)) if not _finite(v)]
    if not core:
        return None
    more = [f"{n} = {_show(v)}" for n, v in ev.quantities.items() if n not in ("lhs", "rhs") and not _finite(v)]
    verb = "is" if len(core) == 1 else "are"
    return ", ".join(core) + f" {verb} not finite" + (f" (from {', '.join(more)})" if more else "")


def _beyond_float(v) -> bool:
    return isinstance(v, mpmath.mpf) and mpmath.isfinite(v) and not math.isfinite(float(v))


def _message(ev: Evaluation) -> str:
    """``ev.message()``, except that an mpf beyond the float64 range is printed as itself (1.08e+1611),
    not as the ``inf`` that ``Evaluation.message`` shows after converting it to a float."""
    if not any(_beyond_float(v) for v in (ev.lhs, ev.rhs, ev.margin, ev.tol)):
        return ev.message()
    rel = {">=": "≥", "<=": "≤", "==": "="}[ev.relation]
    where = f" [{ev.source}]" if ev.source else ""
    head = f"{ev.label}: " if ev.label else ""
    lhs, rhs = mpmath.nstr(ev.lhs, 7), mpmath.nstr(ev.rhs, 7)
    if ev.holds:
        return f"{head}{lhs} {rel} {rhs} holds{where}"
    return (f"{head}lhs = {lhs}, but should be {rel} {rhs} (margin {mpmath.nstr(ev.margin, 3)}, "
            f"tolerance {mpmath.nstr(ev.tol, 2)}, {ev.precision}){where}")


@dataclass
class Outcome:
    """One precision's result: a verdict, or why there is none (never a traceback)."""

    precision: str
    evaluation: Evaluation | None = None
    not_tested: str | None = None        # outside the claim's hypotheses
    error: str | None = None             # the computation raised (a solver, LAPACK, …)
    quantities: dict = field(default_factory=dict)

    @property
    def non_finite(self) -> str | None:
        """Why this precision has no verdict although it evaluated: a value it rests on is inf or NaN
        (an overflow such as exp(exp(exp(p))) in float64 is not a violation; numerics policy)."""
        return None if self.evaluation is None else _not_finite(self.evaluation)

    def line(self) -> str:
        try:
            if self.evaluation is not None:
                bad = self.non_finite
                if bad is not None:
                    return (f"no {self.precision} verdict: {bad} (an overflow or an undefined operation in "
                            f"{self.precision}, not a violation; see the other precision)")
                return _message(self.evaluation)
        except Exception as err:  # noqa: BLE001 - printing a verdict must not end the replay
            return f"no verdict: the verdict could not be printed ({type(err).__name__}: {err})"
        if self.not_tested is not None:
            return f"not tested: {self.not_tested}"
        return (f"no verdict: the claim's computation raised {self.error} "
                "(recorded as an outcome, not a counterexample)")


class _OverBudget(Exception):
    """Raised by the timer inside a claim's computation that ran past its budget."""


@contextmanager
def _budget(seconds: float | None):
    """Interrupt the block after ``seconds`` of wall time (SIGALRM; main thread of a POSIX process
    only; elsewhere, or with ``seconds=None``, no limit). A claim's cost grows with the instance's
    dimensions (Corollary 1 minimizes over d + dk variables: 27 s at d = k = 20), so a size cap alone
    cannot bound the time of a replay; this does."""
    rang: list[str] = []           # the caller's record that the budget ran out
    usable = (seconds is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield rang
        return

    def _ring(signum, frame):
        rang.append(f"stopped after {seconds:g} s, the time budget of one evaluation")
        raise _OverBudget(rang[0])

    previous = signal.signal(signal.SIGALRM, _ring)
    # rings again every second: a claim that catches the first exception (a solver wrapper) is
    # interrupted again, and the outcome says the budget ran out whatever the claim returned
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield rang
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_at(check):
    """``check`` (instance → Evaluation) as ``evaluate(inst, dps=...)``: float64 for None, else on the
    instance converted exactly to mpmath at ``dps`` digits, as the engine confirms."""
    def evaluate(inst, dps=None):
        if dps is None:
            return check(inst)
        with B.workdps(dps):
            return check(inst.to_mp())
    return evaluate


def _outcome(claim, inst, dps: int | None, seconds: float | None = None, *, evaluate=None) -> Outcome:
    """One precision's outcome of ``claim.evaluate`` (or of ``evaluate``, same signature) on ``inst``."""
    prec = "float64" if dps is None else f"{dps} digits"
    evaluate = evaluate or claim.evaluate
    rang: list[str] = []
    try:
        with _budget(seconds) as rang:
            ev = evaluate(inst, dps=dps)
        out = Outcome(prec, ev, quantities=dict(ev.quantities))
    except HypothesisNotMet as err:
        out = Outcome(prec, not_tested=str(err))
    except Exception as err:  # noqa: BLE001 - a third-party failure is an outcome, see Outcome
        out = Outcome(prec, error=f"{type(err).__name__}: {err}")
    if rang:                   # whatever the claim made of the interruption, it is not a verdict
        return Outcome(prec, error=f"TimeoutError: {rang[0]}")
    return out


def evaluate_both(claim: Claim, inst, *, dps: int = DEFAULT_DPS,
                  seconds: float | None = None) -> tuple[Outcome, Outcome]:
    """float64 and ``dps``-digit outcomes; never raises (a failure is an :class:`Outcome`).
    ``seconds``: a wall-time budget per precision (see :func:`_budget`); None for none."""
    return _outcome(claim, inst, None, seconds), _outcome(claim, inst, dps, seconds)


def evaluate_check_both(check, inst, *, dps: int = DEFAULT_DPS,
                        seconds: float | None = None) -> tuple[Outcome, Outcome]:
    """:func:`evaluate_both` for any check (a reviewer's variant): float64, then the instance
    converted exactly at ``dps`` digits, as the engine's confirmation runs it."""
    evaluate = _check_at(check)
    return (_outcome(None, inst, None, seconds, evaluate=evaluate),
            _outcome(None, inst, dps, seconds, evaluate=evaluate))


def _fmt(v, digits: int) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool) or isinstance(v, str):
        return str(v)
    try:
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
