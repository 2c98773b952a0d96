"""STATE_CORRUPT for a file that does not decode, saying where it broke: a JSON path
(`$.workers[3].balance`) or a line and column, and the problem in the user's language."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from famcov.errors import FamcovError
from famcov.i18n import Msg


def explain(path: str, exc: Exception, data: bytes) -> FamcovError:
    """STATE_CORRUPT for what decoding `data` raised: a msgspec error, bytes that are
    not UTF-8, or nesting too deep to follow."""
    if isinstance(exc, msgspec.DecodeError):
        return corrupt(path, exc, data)
    if isinstance(exc, UnicodeDecodeError):
        return not_utf8(path, data)
    return too_deep(path)


_AT = re.compile(r"^(?P<what>.*?)(?: - at `(?P<where>[^`]*)`)?$", re.S)
_BYTE = re.compile(r"\(byte (?P<byte>[0-9]+)\)")
_PROBLEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Input data was truncated"), "truncated"),
    (re.compile(r"^JSON is malformed"), "malformed"),
    (re.compile(r"^Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`"), "wrong_type"),
    (re.compile(r"^Expected `[^`]+` matching regex"), "bad_format"),
    (re.compile(r"^Expected `[^`]+` (?P<bound>[<>]=? ?-?[0-9]+)"), "out_of_range"),
    (re.compile(r"^Expected `[^`]+` of length"), "bad_length"),
    (re.compile(r"^Object missing required field `(?P<field>[^`]+)`"), "missing_field"),
    (re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`"), "unknown_field"),
    (re.compile(r"^Invalid enum value"), "bad_choice"),
    (re.compile(r"^Invalid RFC3339 encoded date"), "bad_date"),
    (re.compile(r"^Number out of range"), "number_range"),
]


def _line_column(data: bytes, offset: int) -> dict[str, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return {"line": line, "column": column, "byte": offset}


def too_deep(path: str) -> FamcovError:
    return FamcovError(
        "STATE_CORRUPT",
        {"path": path, "where": "$", "problem": Msg("state.problem.too_deep", {"where": "$"})},
    )


def not_utf8(path: str, data: bytes) -> FamcovError:
    """STATE_CORRUPT for bytes that are not UTF-8, at the first bad byte."""
    try:
        data.decode("utf-8")
        offset = 0
    except UnicodeDecodeError as exc:
        offset = exc.start
    at = _line_column(data, offset)
    where = f"line {at['line']} column {at['column']}"
    return FamcovError(
        "STATE_CORRUPT",
        {
            "path": path,
            "where": where,
            "problem": Msg("state.problem.not_utf8", {"where": where, **at}),
        },
    )


def corrupt(path: str, exc: Exception, data: bytes = b"") -> FamcovError:
    """STATE_CORRUPT for a msgspec error: `where` is a JSON path (`$.workers[3].balance`)
    or a line and column, and `problem` a sentence in the user's language."""
    text = str(exc)
    match = _AT.match(text)
    what, where = (match["what"], match["where"]) if match else (text, None)
    params: dict[str, Any] = {}
    byte = _BYTE.search(what)
    if byte is not None:
        params.update(_line_column(data, int(byte["byte"])))
        where = f"line {params['line']} column {params['column']}"
    kind = "other"
    for pattern, name in _PROBLEMS:
        if found := pattern.search(what):
            kind = name
            params.update({k: v for k, v in found.groupdict().items() if v is not None})
            break
    if kind == "malformed" and "line" not in params:
        kind = "other"
    if kind == "truncated":
        where = where or "EOF"
    where = where or "$"
    if kind == "other":
        params["detail"] = what[:120]
    return FamcovError(
        "STATE_CORRUPT",
        {
            "path": path,
            "where": where,
            "problem": Msg(f"state.problem.{kind}", {"where": where, **params}),
        },
    )
