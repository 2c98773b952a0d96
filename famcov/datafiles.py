"""Files of a data folder (shipped, or FAMCOV_DATA_DIR: policy packs, channels, the
demo family, scenarios), read as the state file is: data a trainer copies from a
colleague is input like any other.

Only a regular file is read (a FIFO named `x.json` would never end; a device never
stop), at most MAX_DATA_BYTES of it; it must be UTF-8, JSON nested at most MAX_DEPTH
deep, and an object. Anything else is the caller's error code (BAD_POLICY,
BAD_SCENARIO) naming the file and what is wrong, never INTERNAL. Every string in it
has its control and direction characters written out (`\x1b`, famcov.domain.text) as
it is read, so that a region name or a story shows them as text wherever it is shown,
and none reaches a terminal.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from famcov.errors import FamcovError
from famcov.i18n import Msg

# The largest shipped pack is about 40 KB; a file two hundred times that is no pack.
MAX_DATA_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64


def read_bytes(path: Path, *, code: str) -> bytes:
    """The bytes of the regular file `path`, or `code` saying why not."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO opens unread
    except OSError as exc:
        raise _refused(path, code, Msg("guard.data.unreadable", {"detail": _why(exc)})) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(path, code, Msg("guard.data.not_regular"))
        chunks, size = [], 0
        while size <= MAX_DATA_BYTES and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _refused(path, code, Msg("guard.data.unreadable", {"detail": _why(exc)})) from None
    finally:
        os.close(fd)
    if size > MAX_DATA_BYTES:
        raise _refused(path, code, Msg("guard.data.too_large", {"limit": MAX_DATA_BYTES >> 20}))
    return b"".join(chunks)


def load_object(path: Path, *, code: str) -> tuple[bytes, dict[str, Any]]:
    """(the bytes, the JSON object) of `path`, checked as above; the object's strings
    with their control characters written out."""
    import msgspec

    raw = read_bytes(path, code=code)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refused(path, code, Msg("guard.data.not_utf8", {"offset": exc.start})) from None
    if _depth(raw) > MAX_DEPTH:
        raise _refused(path, code, Msg("guard.data.too_deep", {"limit": MAX_DEPTH}))
    try:
        data = msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError) as exc:
        detail = str(exc)[:120]
        raise _refused(path, code, Msg("guard.data.malformed", {"detail": detail})) from None
    if not isinstance(data, dict):
        raise _refused(path, code, Msg("guard.data.not_object"))
    from famcov.domain.text import JSON_MAY_HOLD_CONTROLS

    # a pack with no escape and no such character (every pack famcov ships) is taken as
    # it is: walking every string of it was a third of a command's policy load
    return raw, _escaped(data) if JSON_MAY_HOLD_CONTROLS.search(text) else data


def encoded(data: dict[str, Any]) -> bytes:
    """`data` (as load_object returns it) as JSON again, for a typed decoder."""
    import msgspec

    return msgspec.json.encode(data)


def _escaped(value: Any) -> Any:
    from famcov.domain.text import escape_controls

    if isinstance(value, str):
        return escape_controls(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def _depth(raw: bytes) -> int:
    """How deep the brackets of `raw` nest (those inside strings are counted too: an
    over-estimate only for a file no pack would be)."""
    deepest = depth = 0
    for byte in raw.translate(None, delete=bytes(set(range(256)) - set(b"[]{}"))):
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _refused(path: Path, code: str, problem: Msg) -> FamcovError:
    return FamcovError(code, {"file": path.name, "problem": problem})
