"""One serialization base for every instance type, and the type registry replay uses.

An instance is a frozen dataclass whose fields each have a :class:`Codec` (how to write it to
JSON exactly, read it back, and convert it exactly to mpmath). :class:`Instance` derives
``to_json``, ``from_json``, ``to_mp`` and ``__repr__`` from those codecs, and registers every
subclass under its class name, so a saved file's ``"type"`` field finds its class through
:func:`instance_type` — no scanning of modules.

From the same codecs it derives what the engine needs to *move* an instance (issue 21): its free
real parameters as one vector (``to_vector`` / ``from_vector``, for ``polish``) and simpler
candidates of a counterexample (``simpler_moves``, for the post-shrink ``simplify``): entries
rounded to 0, integers and short decimals, and indices dropped along the axes a type declares
(``AXES``). A type tunes them with three class attributes, ``FROZEN``, ``PROBABILITY`` and
``AXES`` (see :class:`Instance`); a type that knows better defines its own methods (Section 3's
``Point`` does).

Floats are written with ``repr`` precision (Python's JSON does), so a float64 instance
round-trips bit for bit; mp instances are written as their nearest float64.
"""

from __future__ import annotations

import json
import math
from dataclasses import MISSING, dataclass, fields, replace
from typing import Any, Callable, ClassVar

import numpy as np

from . import backend as B

__all__ = ["Codec", "Instance", "ARRAY", "OPTIONAL_ARRAY", "ARRAY_DICT", "FLOAT", "MP_SCALAR", "INT",
           "PLAIN", "nested", "instance_type", "instance_from_json", "instance_types", "InstanceFormatError",
           "json_kind", "simpler_values", "axis_cuts", "simplicity", "BLOCK_MAPS", "entry_candidates", "simpler_block"]


class InstanceFormatError(ValueError):
    """A saved instance that cannot be read: not an object, an unknown type, a missing field."""


def _identity(x):
    return x


@dataclass(frozen=True)
class Codec:
    """How one field is written to JSON (``encode``), read back (``decode``, which validates) and
    converted exactly to mpmath (``to_mp``). ``real`` says which real numbers the field holds, so
    that ``Instance.to_vector`` and the generic simplification can move them: ``"scalar"`` (one
    float), ``"array"`` (a float array, or None), ``"array_dict"`` (name → float array); ``""``
    for a field that is not a free real parameter (an int, a nested object, JSON-native data)."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    to_mp: Callable[[Any], Any] = _identity
    real: str = ""


def json_kind(x) -> str:
    """How a decoded JSON value is named in a message ("an object", "a string", ...)."""
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "a boolean"
    if isinstance(x, (int, float, np.integer, np.floating)):
        return "a number"
    if isinstance(x, str):
        return "a string"
    if isinstance(x, (list, tuple)):
        return "an array"
    if isinstance(x, dict):
        return "an object"
    return type(x).__name__


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _check_numbers(x) -> None:
    """Every leaf of ``x`` is a JSON number: ``np.array(["1.5", True], dtype=float)`` would
    silently read a string or a boolean as a number, so the types are checked first (iteratively:
    no recursion on a deep array)."""
    stack = [x]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, np.ndarray) and v.dtype.kind in "fiu":
            continue
        elif not _is_number(v):
            raise InstanceFormatError(f"expected an array of numbers, found {json_kind(v)} {_short(v)}")


def _short(v) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _array_in(x):
    _check_numbers(x)
    try:
        return np.array(x, dtype=np.float64)
    except (ValueError, OverflowError) as err:      # ragged rows, too many dimensions, 1e400 as an int
        raise InstanceFormatError(f"expected a regular array of numbers ({err})") from None


def _array_out(a):
    return B.to_float(a).tolist()


def _number_in(x) -> float:
    """A finite float (numerics policy: NaN/inf never reach a predicate)."""
    if not _is_number(x):
        raise InstanceFormatError(f"expected a number, got {json_kind(x)} {_short(x)}")
    try:
        v = float(x)
    except OverflowError:
        raise InstanceFormatError(f"expected a finite number, got an integer of {len(str(x))} digits") from None
    if not math.isfinite(v):
        raise InstanceFormatError(f"expected a finite number, got {v}")
    return v


def _int_in(x) -> int:
    if isinstance(x, (float, np.floating)) and math.isfinite(x) and float(x).is_integer():
        return int(x)
    if not _is_number(x) or isinstance(x, (float, np.floating)):
        raise InstanceFormatError(f"expected an integer, got {json_kind(x)} {_short(x)}")
    return int(x)


def _array_dict_in(d):
    if not isinstance(d, dict):
        raise InstanceFormatError(f"expected an object of arrays, got {json_kind(d)}")
    out = {}
    for k, v in d.items():
        try:
            out[k] = _array_in(v)
        except InstanceFormatError as err:
            raise InstanceFormatError(f"entry {k!r}: {err}") from None
    return out


def _array_mp(a):
    """Exact mpf object array of a float array (a list or tuple is read as float64 first)."""
    return B.to_mp(a if isinstance(a, np.ndarray) else np.asarray(a, dtype=np.float64))


def _scalar_mp(x):
    """Exact mpf of a float scalar (an mpf stays itself)."""
    return B.to_mp(x)


# Every numeric codec's ``to_mp`` is exact (a float64 is a dyadic rational, which mpf holds
# exactly at any precision) and its ``encode`` rounds to the nearest float64, so
# ``inst.to_mp().to_float()`` reproduces a float64 instance bit for bit. INT stays a Python int
# (already exact; it sizes arrays and counts steps); PLAIN holds no number to convert.
ARRAY = Codec(_array_out, _array_in, _array_mp, real="array")
OPTIONAL_ARRAY = Codec(lambda a: None if a is None else _array_out(a),
                       lambda x: None if x is None else _array_in(x),
                       lambda a: None if a is None else _array_mp(a), real="array")
ARRAY_DICT = Codec(lambda d: {k: _array_out(v) for k, v in d.items()},
                   _array_dict_in,
                   lambda d: {k: _array_mp(v) for k, v in d.items()}, real="array_dict")
# FLOAT and MP_SCALAR are now the same codec (FLOAT's to_mp used to leave a Python float, issue 21);
# both names stay, FLOAT for parameters (c, δ, a factor), MP_SCALAR for scalars of the model (b, τ)
FLOAT = Codec(float, _number_in, _scalar_mp, real="scalar")
MP_SCALAR = Codec(float, _number_in, _scalar_mp, real="scalar")
INT = Codec(int, _int_in)
PLAIN = Codec(lambda x: json.loads(json.dumps(x)), lambda x: x)   # JSON-native (str, bool, dict)


def nested(to_json: Callable, from_json: Callable, to_mp: Callable | None = None) -> Codec:
    """A field holding an object with its own JSON form (a Sample, a Loss spec, a convex set)."""
    return Codec(to_json, from_json, to_mp or (lambda x: x.to_mp()))


_TYPES: dict[str, type] = {}


def instance_type(name: str) -> type:
    """The instance class registered under ``name`` (the ``"type"`` field of a saved instance)."""
    try:
        return _TYPES[name]
    except KeyError:
        raise InstanceFormatError(f"unknown instance type {name!r}; known: {', '.join(sorted(_TYPES))}") from None


def instance_types() -> dict[str, type]:
    return dict(_TYPES)


def instance_from_json(d: dict | str):
    """Read any registered instance from its JSON form (dispatch on ``"type"``)."""
    if isinstance(d, str):
        d = json.loads(d)
    if not isinstance(d, dict):
        raise InstanceFormatError(f"an instance must be a JSON object, got {type(d).__name__}")
    if "type" not in d:
        raise InstanceFormatError("missing field 'type' (the instance's class, e.g. \"Point\")")
    if not isinstance(d["type"], str):
        raise InstanceFormatError(f"field 'type': expected a string (an instance class, e.g. \"Point\"), "
                                  f"got {json_kind(d['type'])}")
    return instance_type(d["type"]).from_json(d)


_KIND = {dict: "an object", str: "a string", bool: "a boolean", list: "an array"}


def _plain_type(f) -> type | None:
    """The JSON type a codec-less field must have, read off its default (``meta: dict = {}``)."""
    if f.default_factory is dict:
        return dict
    if f.default_factory is list:
        return list
    if f.default is not MISSING and type(f.default) in (str, bool):
        return type(f.default)
    return None


def _same(value, default) -> bool:
    try:
        return bool(value == default) and type(value) is type(default)
    except (TypeError, ValueError):
        return False


class Instance:
    """Base of every instance type (a frozen dataclass). Subclasses set ``CODECS`` (field name →
    :class:`Codec`); a field without one is JSON-native (``PLAIN``). ``SKIP`` lists fields that are
    not written (derived ones).

    How the engine moves an instance (``polish``, and ``simplify`` after shrinking) is derived from
    the codecs: every real field (``Codec.real``: FLOAT, MP_SCALAR, ARRAY, OPTIONAL_ARRAY when
    present, each entry of an ARRAY_DICT) is a free parameter, in field order (dict entries by
    key). Three class attributes tune it:

    ``FROZEN``
        real fields that must not move: ``("tau",)``, or one dict entry as ``"extras[signs]"``
        (root signs ±1, a direction fixed by the claim). Frozen fields are neither polished nor
        rounded, but they are still cut along a declared axis.
    ``PROBABILITY``
        fields holding a probability vector: polished through log-weights (every vector maps to a
        valid p, as Section 3's ``Point`` does), renormalised after an axis cut, and simplified by
        trying the uniform vector instead of rounding entries.
    ``AXES``
        axes along which a counterexample may be made smaller: ``{"samples": {"X": 0, "p": 0}}``
        means that dropping index i of the axis "samples" removes row i of ``X`` and entry i of
        ``p``; a field spanning an axis twice lists both (``{"dims": {"X": 1, "R": (0, 1)}}``), a
        dict entry is named ``"extras[D]"``. A field that is None (or a missing dict entry) is
        left alone.

    ``from_vector`` and every simpler candidate are built with ``dataclasses.replace``, so the
    type's own validation runs: a vector or a candidate outside the hypotheses raises
    ``ValueError``, which ``polish`` treats as a rejected step and ``simplify`` as a candidate not
    kept. A type that knows better overrides ``to_vector`` / ``from_vector`` / ``simpler_moves``.
    """

    CODECS: ClassVar[dict[str, Codec]] = {}
    SKIP: ClassVar[tuple[str, ...]] = ()
    # write only the fields that differ from their defaults (for types whose claims read few of
    # their fields: a witness then shows only what its claim used)
    OMIT_DEFAULTS: ClassVar[bool] = False
    FROZEN: ClassVar[tuple[str, ...]] = ()
    PROBABILITY: ClassVar[tuple[str, ...]] = ()
    AXES: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        _TYPES[cls.__name__] = cls

    @classmethod
    def _codec(cls, name: str) -> Codec:
        return cls.CODECS.get(name, PLAIN)

    @classmethod
    def _fields(cls):
        return [f for f in fields(cls) if f.init and f.name not in cls.SKIP]

    def to_json(self) -> dict:
        out = {"type": type(self).__name__}
        for f in self._fields():
            value = getattr(self, f.name)
            if self.OMIT_DEFAULTS and f.default is not MISSING and _same(value, f.default):
                continue
            out[f.name] = self._codec(f.name).encode(value)
        return out

    @classmethod
    def from_json(cls, d: dict | str):
        if isinstance(d, str):
            d = json.loads(d)
        if not isinstance(d, dict):
            raise InstanceFormatError(f"a {cls.__name__} must be a JSON object, got {type(d).__name__}")
        if d.get("type", cls.__name__) != cls.__name__:
            raise InstanceFormatError(f"expected an instance of type {cls.__name__!r}, got {d['type']!r}")
        known = {f.name for f in cls._fields()}
        unknown = sorted(str(k) for k in d if k != "type" and k not in known)
        if unknown:
            # a misspelt field would otherwise be dropped silently and its default evaluated instead
            raise InstanceFormatError(f"unknown field {unknown[0]!r} of {cls.__name__} "
                                      f"(its fields: {', '.join(sorted(known))})")
        kw = {}
        for f in cls._fields():
            if f.name in d:
                kw[f.name] = cls._decode(f, d[f.name])
            elif f.default is MISSING and f.default_factory is MISSING:
                raise InstanceFormatError(f"missing field {f.name!r} of {cls.__name__}")
        return cls(**kw)

    @classmethod
    def _decode(cls, f, value):
        """One field from JSON; every failure names the field (``"meta": expected an object, got a string``)."""
        codec = cls._codec(f.name)
        if codec is PLAIN:
            want = _plain_type(f)
            if want is not None and not isinstance(value, want):
                raise InstanceFormatError(f"field {f.name!r} of {cls.__name__}: expected {_KIND[want]}, "
                                          f"got {json_kind(value)}")
            return value
        try:
            return codec.decode(value)
        except (InstanceFormatError, TypeError, KeyError, AttributeError, IndexError, ValueError,
                OverflowError) as err:
            why = str(err) if isinstance(err, ValueError) else f"{type(err).__name__}: {err}"
            raise InstanceFormatError(f"field {f.name!r} of {cls.__name__}: {why}") from None

    def to_mp(self):
        """The same instance with every real field (FLOAT, MP_SCALAR, the arrays) converted exactly
        to mpf and every nested object through its own ``to_mp``; INT fields stay Python ints."""
        return replace(self, **{f.name: self._codec(f.name).to_mp(getattr(self, f.name))
                                for f in self._fields() if f.name in self.CODECS})

    def to_float(self):
        """The nearest float64 instance (exact for one converted from float64)."""
        return type(self).from_json(self.to_json())

    # -- free real parameters (``polish``) -------------------------------------------------
    def _real_blocks(self) -> list[tuple[str, str | None, np.ndarray]]:
        """(field, dict key or None, float64 value) of every real parameter that may move, in a
        fixed order: fields as declared, dict entries by key; FROZEN ones and absent ones left out."""
        out = []
        for f in self._fields():
            kind = self._codec(f.name).real
            if not kind or f.name in self.FROZEN:
                continue
            value = getattr(self, f.name)
            if kind == "array_dict":
                for key in sorted(value):
                    if f"{f.name}[{key}]" not in self.FROZEN:
                        out.append((f.name, key, np.asarray(B.to_float(value[key]), dtype=np.float64)))
            elif value is not None:
                out.append((f.name, None, np.asarray(B.to_float(value), dtype=np.float64)))
        return out

    def to_vector(self) -> np.ndarray:
        """The free real parameters as one float64 vector (see the class docstring); a
        PROBABILITY field enters as its log-weights."""
        parts = [(_log_weights(a) if name in self.PROBABILITY else a).reshape(-1)
                 for name, _, a in self._real_blocks()]
        return np.concatenate(parts) if parts else np.zeros(0)

    def from_vector(self, x):
        """The instance with its free parameters read from ``x`` (shapes as in ``self``), validated
        by the type's own constructor: a vector outside the hypotheses raises ValueError."""
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        blocks = self._real_blocks()
        size = sum(a.size for _, _, a in blocks)
        if x.size != size:
            raise ValueError(f"argument 'x': expected {size} entries (the free parameters of "
                             f"{type(self).__name__}), got {x.size}")
        new, i = {}, 0
        for name, key, a in blocks:
            v = x[i:i + a.size].reshape(a.shape).copy()
            i += a.size
            if name in self.PROBABILITY:
                v = _from_log_weights(v)
            _put(new, self, name, key, float(v) if self._codec(name).real == "scalar" else v)
        return replace(self, **new)

    # -- simpler candidates (``simplify``) -----------------------------------------------
    def simpler_moves(self):
        """The engine's post-shrink candidates, in order: smaller along each declared axis
        (``AXES``), then simpler values (``FROZEN`` and ``PROBABILITY`` respected). Each is a
        function instance → iterable of thunks; a thunk returns a candidate or None."""
        return (axis_cuts, simpler_values)

    def describe(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()}; from_json reproduces it exactly)"


def _log_weights(p: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(p, 1e-300))


def _from_log_weights(v: np.ndarray) -> np.ndarray:
    p = np.exp(v - np.max(v))
    return p / p.sum()


def _put(new: dict, inst, name: str, key, value) -> None:
    """Set field ``name`` (or its dict entry ``key``) of the replacement dict ``new``."""
    if key is None:
        new[name] = value
    else:
        new.setdefault(name, dict(getattr(inst, name)))[key] = value


# ---- generic simpler candidates: axis cuts and simpler values ------------------------------

_MAX_DIGITS = 17                 # a float64 needs at most 17 significant digits


def _digits(v: float) -> int:
    """Significant decimal digits of the shortest decimal that reads back as ``v``."""
    for k in range(1, _MAX_DIGITS + 1):
        if float(f"{v:.{k - 1}e}") == v:
            return k
    return _MAX_DIGITS


def simplicity(v: float) -> int:
    """How complicated a number is (0 simplest): 0, then integers by their digits (7 before
    1234), then non-integers by their digits (0.1 before 0.13 before 0.1257…). Every candidate
    ``simpler_values`` offers is strictly simpler somewhere and nowhere more complicated, so the
    engine's greedy pass ends."""
    v = float(v)
    if v == 0:
        return 0
    return _digits(v) + (0 if v.is_integer() else _MAX_DIGITS + 3)


def _significant(v: float, k: int) -> float:
    return float(f"{v:.{k - 1}e}")


def entry_candidates(v: float):
    """Simpler values for one entry, simplest first: 0, the nearest integer, ±1, then 1, 2 and 3
    significant digits."""
    return [0.0, float(round(v)), math.copysign(1.0, v), *(_significant(v, k) for k in (1, 2, 3))]


BLOCK_MAPS = (lambda a: np.zeros_like(a), np.round,
               *(np.vectorize(lambda v, k=k: _significant(float(v), k), otypes=[float]) for k in (1, 2, 3)))


def simpler_block(a: np.ndarray, b: np.ndarray) -> bool:
    """``b`` is simpler than ``a``: no entry more complicated, and at least one entry simpler."""
    ra = [simplicity(v) for v in a.reshape(-1)]
    rb = [simplicity(v) for v in b.reshape(-1)]
    return all(y <= x for x, y in zip(ra, rb)) and sum(rb) < sum(ra)


def _candidate(inst, name, key, value):
    """Thunk building ``inst`` with one field (or dict entry) replaced; None if the type refuses it."""
    def make():
        new = {}
        _put(new, inst, name, key, value)
        try:
            return replace(inst, **new)
        except (ValueError, TypeError, ArithmeticError, IndexError):
            return None
    return make


def simpler_values(inst):
    """Candidates with simpler entries, one field at a time: first the whole field at once (all
    zero, rounded to integers, to 1, 2, 3 significant digits), then each entry (0, the nearest
    integer, ±1, 1, 2, 3 significant digits) — only values strictly simpler (``simplicity``) than
    the current ones. A PROBABILITY field is offered the uniform vector instead."""
    for name, key, a in inst._real_blocks():
        scalar = inst._codec(name).real == "scalar"
        if name in inst.PROBABILITY:
            u = np.full_like(a, 1.0 / a.size)
            if a.size > 1 and not np.array_equal(u, a):
                yield _candidate(inst, name, key, u)
            continue
        if not scalar and a.size > 1:
            for f in BLOCK_MAPS:
                b = np.asarray(f(a), dtype=np.float64)
                if np.all(np.isfinite(b)) and simpler_block(a, b):
                    yield _candidate(inst, name, key, b)
        flat = a.reshape(-1)
        for j, v in enumerate(flat.tolist()):
            tried = set()
            for c in entry_candidates(v):
                if c in tried or not math.isfinite(c) or simplicity(c) >= simplicity(v):
                    continue
                tried.add(c)
                if scalar:
                    yield _candidate(inst, name, key, c)
                else:
                    b = flat.copy()
                    b[j] = c
                    yield _candidate(inst, name, key, b.reshape(a.shape))


def _axis_fields(inst, spec: dict):
    """(field, dict key, axes, value) of an axis declaration's fields present on ``inst``."""
    out = []
    for ref, axes in spec.items():
        name, _, key = ref.partition("[")
        key = key[:-1] if key else None
        value = getattr(inst, name, None)
        if key is not None:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        out.append((name, key, (axes,) if isinstance(axes, int) else tuple(axes), value))
    return out


def _cut(inst, fields_, keep: np.ndarray):
    """``inst`` with every listed field indexed by ``keep`` along its axes (PROBABILITY renormalised)."""
    new = {}
    for name, key, axes, value in fields_:
        v = value
        for ax in axes:
            v = np.compress(keep, v, axis=ax)
        if name in inst.PROBABILITY:
            total = float(B.to_float(B.asum(v)))
            if not total > 0:
                return None
            v = v / total
        _put(new, inst, name, key, v)
    try:
        return replace(inst, **new)
    except (ValueError, TypeError, ArithmeticError, IndexError):
        return None


def axis_cuts(inst):
    """Smaller candidates along each declared axis (``AXES``): a single index first (the biggest
    step), then all but one. An axis whose fields disagree on its length is left alone."""
    for spec in inst.AXES.values():
        fields_ = _axis_fields(inst, spec)
        sizes = {np.shape(v)[ax] for _, _, axes, v in fields_ for ax in axes if ax < np.ndim(v)}
        if len(sizes) != 1 or any(ax >= np.ndim(v) for _, _, axes, v in fields_ for ax in axes):
            continue
        size = sizes.pop()
        if size < 2:
            continue
        for i in range(size):
            yield lambda i=i, size=size, fields_=fields_: _cut(inst, fields_, np.arange(size) == i)
        for i in range(size):
            yield lambda i=i, size=size, fields_=fields_: _cut(inst, fields_, np.arange(size) != i)
