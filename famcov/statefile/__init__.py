"""The state file's bytes: the typed decode, the encode, the seal, the schema.

Versions: the file carries `schema`. An older file is read through the
migrations in versions.py (each turns the raw dict of version n into version n + 1,
before the typed decode); the first change writes it back in the current
schema and keeps the original bytes beside it as `state.json.v<n>.bak`. A newer
file is refused (STATE_TOO_NEW) and never touched. See docs/guarantees.md.

A file that does not decode is refused, STATE_CORRUPT, saying where it broke
(broken.py). Both are loaded only when a file needs them.
"""

from __future__ import annotations

import re

import msgspec

from famcov.domain import formats
from famcov.domain.model import SCHEMA, State
from famcov.errors import FamcovError
from famcov.i18n import Msg


class _Header(msgspec.Struct):
    schema: int


_header_decoder = msgspec.json.Decoder(_Header)
_encoder = msgspec.json.Encoder()


def decode(data: bytes, *, where: str) -> State:
    """Bytes -> State, or STATE_CORRUPT / STATE_TOO_NEW saying where it broke."""
    return decode_versioned(data, where=where)[0]


def decode_versioned(data: bytes, *, where: str) -> tuple[State, int]:
    """Bytes -> (State in the current schema, the schema the bytes were written in)."""
    try:
        header = _header_decoder.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise _broken(where, exc, data) from None
    found = header.schema
    if found > SCHEMA:
        raise FamcovError("STATE_TOO_NEW", {"path": where, "found": found, "known": SCHEMA})
    if found < 0:
        raise FamcovError(
            "STATE_CORRUPT",
            {
                "path": where,
                "where": "$.schema",
                "problem": Msg("state.problem.schema", {"where": "$.schema", "found": found}),
            },
        )
    if found < SCHEMA:
        from famcov.statefile.versions import migrate  # only a file of an older schema

        data = migrate(data, found, where=where)
    try:
        return formats.decode(data, State), found  # the ID and code formats in bulk
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
        # msgspec raises UnicodeDecodeError for a string that is not UTF-8, and
        # RecursionError for arrays or objects nested thousands deep
        raise _broken(where, exc, data) from None


def _broken(where: str, exc: Exception, data: bytes) -> FamcovError:
    from famcov.statefile.broken import explain  # only a file that does not decode

    return explain(where, exc, data)


# Above this many bytes of JSON (some 10,000 records) the file is written compact:
# indenting costs more than encoding, and makes the file a third larger to write,
# read and decode at every command. Either way it is the same JSON.
PRETTY_LIMIT = 1 << 20


def encode(state: State) -> bytearray:
    """The file's bytes, sealed (see `seal`)."""
    state.seal = _UNSEALED
    data = bytearray()  # encoded in place, so the final newline costs no copy of it all
    _encoder.encode_into(state, data)
    if len(data) > PRETTY_LIMIT:
        data.extend(b"\n")
    else:
        data = bytearray(msgspec.json.format(data, indent=1) + b"\n")
    state.seal = None
    at = data.rfind(_UNSEALED.encode())
    data[at : at + len(_UNSEALED)] = _digest(data, at).encode()
    return data


# The seal: the BLAKE2b (256 bits) of the file's bytes with the seal's own value as zeros,
# written as the last field. A file whose seal matches is byte for byte one that
# famcov wrote, after its invariants held; any other file (written by hand, damaged,
# or by a famcov before the seal) is checked against every invariant before it is
# read or written. It tells famcov's own files apart, it is no protection against
# someone who recomputes it on purpose.
_UNSEALED = "0" * 64
_SEAL_AT_END = re.compile(rb'"seal": ?"([0-9a-f]{64})"\s*\}\s*\Z')


def _digest(data: bytes | bytearray, at: int) -> str:
    try:  # hashlib's own blake2b, without the 2 ms import of OpenSSL that hashlib makes
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - another Python
        from hashlib import blake2b

    view = memoryview(data)
    digest = blake2b(view[:at], digest_size=32)
    digest.update(_UNSEALED.encode())
    digest.update(view[at + len(_UNSEALED) :])
    return digest.hexdigest()


def sealed(data: bytes) -> bool:
    """Whether `data` is exactly what famcov wrote (its seal matches its bytes)."""
    tail = len(data) - 100 if len(data) > 100 else 0
    match = _SEAL_AT_END.search(data, tail)
    return match is not None and _digest(data, match.start(1)) == match[1].decode()
