"""One serialization base for every instance type, and the type registry replay uses.

An instance is a frozen dataclass whose fields each have a :class:`Codec` (how to write it to
JSON exactly, read it back, and convert it exactly to mpmath). :class:`Instance` derives
``to_json``, ``from_json``, ``to_mp`` and ``__repr__`` from those codecs, and registers every
subclass under its class name, so a saved file's ``"type"`` field finds its class through
:func:`instance_type` — no scanning of modules.

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
           "json_kind"]


class InstanceFormatError(ValueError):
    """A saved instance that cannot be read: not an object, an unknown type, a missing field."""


def _identity(x):
    return x


@dataclass(frozen=True)
class Codec:
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    to_mp: Callable[[Any], Any] = _identity


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


ARRAY = Codec(_array_out, _array_in, B.to_mp)
OPTIONAL_ARRAY = Codec(lambda a: None if a is None else _array_out(a),
                       lambda x: None if x is None else _array_in(x),
                       lambda a: None if a is None else B.to_mp(a))
ARRAY_DICT = Codec(lambda d: {k: _array_out(v) for k, v in d.items()},
                   _array_dict_in,
                   lambda d: {k: B.to_mp(v) for k, v in d.items()})
FLOAT = Codec(float, _number_in)                      # a float parameter that stays float64
MP_SCALAR = Codec(float, _number_in, B.to_mp)         # a scalar converted with the arrays
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
    not written (derived ones)."""

    CODECS: ClassVar[dict[str, Codec]] = {}
    SKIP: ClassVar[tuple[str, ...]] = ()
    # write only the fields that differ from their defaults (for types whose claims read few of
    # their fields: a witness then shows only what its claim used)
    OMIT_DEFAULTS: ClassVar[bool] = False

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
        """The same instance with every numeric field converted exactly to mpf."""
        return replace(self, **{f.name: self._codec(f.name).to_mp(getattr(self, f.name))
                                for f in self._fields() if f.name in self.CODECS})

    def to_float(self):
        """The nearest float64 instance (exact for one converted from float64)."""
        return type(self).from_json(self.to_json())

    def describe(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()}; from_json reproduces it exactly)"
