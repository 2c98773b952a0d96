"""String formats of the state file (resident ID, region code, receipt number),
checked when the file is read, in bulk.

msgspec can check a regex as it decodes (`Meta(pattern=...)`), but it runs the
regex once per value: on a state of 100,000 records that was two thirds of the
load. So the records mark those strings with `Format`, which msgspec leaves
alone, and `decode` checks them afterwards: every value of a format joined into
one string, matched by one regex. Only when something is wrong does it decode
again with `strict(...)`: the same records with each Format turned into a
msgspec pattern, so the error, and the JSON path it names, is exactly the one
msgspec gives, and a file is accepted exactly when the strict decoding accepts it.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Annotated, Any

import msgspec


@dataclass(frozen=True)
class Format:
    """A string format: an anchored regex (`^...$`) that no line break can match."""

    pattern: str


@cache
def _bulk(pattern: str) -> re.Pattern[str]:
    """Many values, each followed by a line break, all of the format."""
    body = pattern.removeprefix("^").removesuffix("$")
    if pattern != f"^{body}$" or re.search(body, "\n"):
        raise ValueError(f"a Format is anchored and matches no line break: {pattern}")
    return re.compile(f"(?:{body}\n)*")


def decode(data: bytes, type_: type[msgspec.Struct]) -> Any:
    """Bytes -> `type_`: accepted or refused (with the same DecodeError) exactly as
    `msgspec.json.decode(data, type=strict(type_))` would, the formats checked in bulk."""
    try:
        value = _decoder(type_).decode(data)
    except msgspec.DecodeError:
        _decoder(strict(type_)).decode(data)  # raises the error msgspec gives with the formats
        raise  # pragma: no cover - the strict decoding refuses all the lenient one does
    if not well_formed(value, type_):
        # Raises; or accepts a value that msgspec's `$` lets end in a line break.
        _decoder(strict(type_)).decode(data)
    return value


@cache
def _decoder(type_: type) -> msgspec.json.Decoder:
    return msgspec.json.Decoder(type_)


# Values joined and matched at a time: the text stays in the CPU cache, which makes
# the match twice as fast as one join of every value.
CHUNK = 4096


def well_formed(value: Any, type_: type) -> bool:
    """Whether every formatted string in `value` (a decoded `type_`) has its format."""
    return _well_formed([value], type_)


def _well_formed(items: list[Any], type_: type) -> bool:
    formatted, nested = _layout(type_)
    for name, pattern, optional in formatted:
        match, value_of = _bulk(pattern).fullmatch, attrgetter(name)
        for start in range(0, len(items), CHUNK):
            values: Iterable[Any] = map(value_of, items[start : start + CHUNK])  # str or None
            if optional:
                values = [v for v in values if v is not None]
                if not values:
                    continue
            if match("\n".join(values) + "\n") is None:
                return False
    for name, item_type in nested:
        for item in items:
            if not _well_formed(getattr(item, name), item_type):
                return False
    return True


@cache
def _layout(type_: type) -> tuple[tuple, tuple]:
    """The fields of a record type that hold a formatted string (name, pattern, may be
    None), and those that hold a list of records (name, record type). Any other place
    for a Format is refused, so a new one cannot go unchecked."""
    formatted, nested = [], []
    for field in msgspec.structs.fields(type_):
        tp, optional = field.type, False
        args = typing.get_args(tp)
        if len(args) == 2 and type(None) in args and typing.get_origin(tp) is not Annotated:
            tp, optional = next(a for a in args if a is not type(None)), True
        fmt = _format_in(tp)
        if fmt is not None and typing.get_args(tp)[0] is str:
            formatted.append((field.name, fmt.pattern, optional))
        elif typing.get_origin(tp) is list and _is_record(item := typing.get_args(tp)[0]):
            nested.append((field.name, item))
        elif _mentions(field.type):
            raise TypeError(
                f"{type_.__name__}.{field.name}: a Format or record in an unchecked place"
            )
    return tuple(formatted), tuple(nested)


def _format_in(tp: Any) -> Format | None:
    if typing.get_origin(tp) is Annotated:
        return next((m for m in tp.__metadata__ if isinstance(m, Format)), None)
    return None


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _mentions(tp: Any) -> bool:
    """Whether a type holds a Format anywhere inside (a record's fields included; a
    record without one, like State.scenario, needs no bulk check)."""
    if _format_in(tp) is not None:
        return True
    if _is_record(tp):
        return any(_mentions(f.type) for f in msgspec.structs.fields(tp))
    return any(_mentions(a) for a in typing.get_args(tp))


# -- the strict twin, the judge of a file -------------------------------------------


@cache
def strict(type_: type[msgspec.Struct]) -> type[msgspec.Struct]:
    """`type_` with every Format a msgspec pattern (and its records' too)."""
    config = type_.__struct_config__
    fields: list[tuple] = []
    for field in msgspec.structs.fields(type_):
        tp = _strict_type(field.type)
        if field.default is not msgspec.NODEFAULT:
            fields.append((field.name, tp, field.default))
        elif field.default_factory is not msgspec.NODEFAULT:
            fields.append((field.name, tp, msgspec.field(default_factory=field.default_factory)))
        else:
            fields.append((field.name, tp))
    return msgspec.defstruct(
        type_.__name__,
        fields,
        module=type_.__module__,
        forbid_unknown_fields=config.forbid_unknown_fields,
        omit_defaults=config.omit_defaults,
    )


def _strict_type(tp: Any) -> Any:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        metadata = [
            msgspec.Meta(pattern=m.pattern) if isinstance(m, Format) else m for m in tp.__metadata__
        ]
        annotated: Any = Annotated  # subscripted at run time, past what a type checker reads
        return annotated[(args[0], *metadata)]
    if _is_record(tp):
        return strict(tp)
    if origin is list:
        return types.GenericAlias(list, (_strict_type(args[0]),))  # list[...] of a run-time type
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_strict_type(a) for a in args)]  # noqa: UP007
    return tp
