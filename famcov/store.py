"""The state file: typed load, exclusive lock, atomic save, schema version.

Reads take no lock: every save replaces the file in one rename, so a reader
sees the old state or the new one, never half of one. Every change is one
read-modify-write inside `transaction()`, under an exclusive lock held for its
whole length; the file is written to a temporary file in the same folder
(created 0600, never through a symlink), flushed to disk, then renamed over the
old one. A refused change raises before the save, so the file is untouched.

Safety: famcov reads through a symbolic link but never writes through one (the
state path or its lock file being a link is refused, STATE_UNSAFE), and it does
not write into a folder anyone may write to unless the folder has the sticky
bit (as /tmp has). A temporary file left by a writer that was killed is removed
by the next writer, under the lock.

Versions: the file carries `schema`. An older file is read through the
migrations below (each turns the raw dict of version n into version n + 1,
before the typed decode); the first change writes it back in the current
schema and keeps the original bytes beside it as `state.json.v<n>.bak`. A newer
file is refused (STATE_TOO_NEW) and never touched. See docs/guarantees.md.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from famcov.domain import formats
from famcov.domain.model import SCHEMA, State
from famcov.domain.records import Records
from famcov.errors import FamcovError
from famcov.i18n import Msg

if TYPE_CHECKING:
    from famcov.statelock import StateLock

DEFAULT_LOCK_TIMEOUT = 10.0
saved = False  # a change was saved in this run (render.finish says so if output failed)
kept: str | None = None  # the backup `init --force` wrote in this run before its state


class _Header(msgspec.Struct):
    schema: int


_header_decoder = msgspec.json.Decoder(_Header)
_encoder = msgspec.json.Encoder()


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("famcov", appauthor=False)) / "state.json"


def lock_timeout() -> float:
    raw = os.environ.get("FAMCOV_LOCK_TIMEOUT", "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return value if 0 <= value <= 3600 else DEFAULT_LOCK_TIMEOUT


def decode(data: bytes, *, where: str) -> State:
    """Bytes -> State, or STATE_CORRUPT / STATE_TOO_NEW saying where it broke."""
    return decode_versioned(data, where=where)[0]


def decode_versioned(data: bytes, *, where: str) -> tuple[State, int]:
    """Bytes -> (State in the current schema, the schema the bytes were written in)."""
    try:
        header = _header_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise corrupt(where, exc, data) from None
    except UnicodeDecodeError:
        raise not_utf8(where, data) from None
    except RecursionError:
        raise too_deep(where) from None
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
        data = migrate(data, found, where=where)
    try:
        return formats.decode(data, State), found  # the ID and code formats in bulk
    except msgspec.DecodeError as exc:
        raise corrupt(where, exc, data) from None
    except UnicodeDecodeError:  # msgspec raises it for a string that is not UTF-8
        raise not_utf8(where, data) from None
    except RecursionError:  # arrays or objects nested thousands deep
        raise too_deep(where) from None


# -- schema versions ---------------------------------------------------------------
#
# Schema 0 is the pre-release layout of famcov 0.0.x (used in the first training
# sessions, never published): money as yuan strings with two decimals ("1668.50",
# "-400.00") in workers[].balance, payments[].amount / balance_before /
# balance_after and the ledger's amounts; the ledger under the name "entries",
# its entries without `seq`; and no `next_seq` / `next_receipt` counters.


class _Unmigratable(Exception):
    def __init__(self, where: str, key: str, **params: Any) -> None:
        super().__init__(where)
        self.where, self.key, self.params = where, key, params


_YUAN_V0 = re.compile(r"-?[0-9]{1,12}\.[0-9]{2}")
_RECEIPT_V0 = re.compile(r"DJ[0-9]{8}([0-9]{4,})")


def _fen_v0(value: Any, where: str) -> int:
    if not isinstance(value, str) or not _YUAN_V0.fullmatch(value):
        raise _Unmigratable(where, "state.problem.v0_money")
    sign = -1 if value.startswith("-") else 1
    whole, part = value.lstrip("-").split(".")
    return sign * (int(whole) * 100 + int(part))


def _list_v0(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise _Unmigratable(f"$.{key}", "state.problem.v0_list")
    return value


def _v0_to_v1(raw: dict[str, Any]) -> dict[str, Any]:
    if "ledger" in raw:
        raise _Unmigratable("$.ledger", "state.problem.v0_field", field="ledger")
    entries = _list_v0(raw, "entries")
    raw.pop("entries", None)
    for i, worker in enumerate(_list_v0(raw, "workers")):
        if isinstance(worker, dict) and "balance" in worker:
            worker["balance"] = _fen_v0(worker["balance"], f"$.workers[{i}].balance")
    top = 0
    for i, payment in enumerate(_list_v0(raw, "payments")):
        if not isinstance(payment, dict):
            continue
        for field in ("amount", "balance_before", "balance_after"):
            if field in payment:
                payment[field] = _fen_v0(payment[field], f"$.payments[{i}].{field}")
        if isinstance(payment.get("no"), str) and (m := _RECEIPT_V0.fullmatch(payment["no"])):
            top = max(top, int(m[1]))
    ledger = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _Unmigratable(f"$.entries[{i - 1}]", "state.problem.v0_list")
        if "seq" in entry:
            raise _Unmigratable(f"$.entries[{i - 1}].seq", "state.problem.v0_field", field="seq")
        if "amount" in entry:
            entry["amount"] = _fen_v0(entry["amount"], f"$.entries[{i - 1}].amount")
        ledger.append({"seq": i, **entry})
    raw["ledger"] = ledger
    raw.setdefault("next_seq", len(ledger) + 1)
    raw.setdefault("next_receipt", top + 1)
    return raw


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 only adds: optional top-level fields (`channel`, `scenario`,
    `province`) and a ledger kind (`return`). A schema-1 file is already one."""
    return raw


# MIGRATIONS[n] turns the raw dict of schema n into schema n + 1.
MIGRATIONS: list[Callable[[dict[str, Any]], dict[str, Any]]] = [_v0_to_v1, _v1_to_v2]
assert len(MIGRATIONS) == SCHEMA, "one migration for every older schema"


def migrate(data: bytes, found: int, *, where: str) -> bytes:
    """The bytes of an older schema, brought to the current one (not yet type-checked)."""
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:  # pragma: no cover - the header decoded, so does this
        raise corrupt(where, exc, data) from None
    except UnicodeDecodeError:
        raise not_utf8(where, data) from None
    except RecursionError:
        raise too_deep(where) from None
    try:
        for version in range(found, SCHEMA):
            raw = MIGRATIONS[version](raw)
            raw["schema"] = version + 1
    except _Unmigratable as exc:
        raise FamcovError(
            "STATE_CORRUPT",
            {
                "path": where,
                "where": exc.where,
                "problem": Msg(exc.key, {"where": exc.where, **exc.params}),
            },
        ) from None
    return _encoder.encode(raw)


# -- saying where a file broke -------------------------------------------------------

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


def _problems(data: bytes, state: State) -> list:
    from famcov.domain.invariants import problems  # only for a file famcov did not seal

    return problems(data, state)


def sealed(data: bytes) -> bool:
    """Whether `data` is exactly what famcov wrote (its seal matches its bytes)."""
    tail = len(data) - 100 if len(data) > 100 else 0
    match = _SEAL_AT_END.search(data, tail)
    return match is not None and _digest(data, match.start(1)) == match[1].decode()


# A state of 100,000 records is about 30 MB; a file many times that is not a practice
# state (or is one gone wrong), and is refused before it is read rather than after
# minutes and gigabytes.
MAX_STATE_BYTES = 512 * 1024 * 1024


def refuse_unusable_path(given: str | Path) -> Path:
    """`given` as a state path, or STATE_UNSAFE for one famcov must never take as a
    state: a folder by its very name (`.`, `..`, `/`, `dir/`), or a lock or backup file
    famcov keeps beside a state (`*.lock`, `*.bak`, `*.v0.bak`): taking another state's
    lock as a state would let two writers in at once, and its backup is the copy that
    must survive. An empty name is a usage error (it is no file at all)."""
    raw = str(given)
    if not raw:
        raise FamcovError("USAGE", {"detail": Msg("guard.state_empty")})
    path = Path(raw)
    if raw.endswith(("/", os.sep)) or path.name in ("", ".", ".."):
        problem = Msg("state.unsafe.folder_at_path", {"path": raw})
        raise FamcovError("STATE_UNSAFE", {"path": raw, "problem": problem})
    if path.name.endswith((".lock", ".bak")):
        problem = Msg("guard.state_own_file", {"path": raw})
        raise FamcovError("STATE_UNSAFE", {"path": raw, "problem": problem})
    return path


class Store:
    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = Path(path)
        self._lock: StateLock | None = None  # while a change holds the lock
        self.timeout = lock_timeout() if timeout is None else timeout

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def exists(self) -> bool:
        return self.path.exists()

    def signature(self) -> tuple[int, ...] | None:
        """What changes whenever the file does: famcov replaces it by a rename (a new
        inode), and any other writer changes its size or modification time. None when
        it cannot be looked at (then it is read, and the read says why)."""
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def read_bytes(self) -> bytes:
        """The file's bytes. Only a regular file is read (a FIFO or a device would hang
        or never end); a symbolic link is followed for reading."""
        if sys.platform == "win32":  # no FIFO at a path there; binary: no newline translation
            flags = os.O_RDONLY | os.O_BINARY
        else:
            flags = os.O_RDONLY | os.O_NONBLOCK  # a FIFO opens at once, unread
        try:
            fd = os.open(self.path, flags)
        except FileNotFoundError:
            raise FamcovError("STATE_MISSING", {"path": str(self.path)}) from None
        except OSError as exc:
            raise self._unreadable(exc) from None
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise self._unreadable(key="state.problem.folder")
            if not stat.S_ISREG(info.st_mode):
                raise self._unreadable(key="state.problem.not_file")
            if info.st_size > MAX_STATE_BYTES:  # never read into memory whole, nor for long
                raise self._unreadable(key="state.problem.too_large")
            chunks = []  # the whole file in one read, as a rule (+1 to see its end)
            while chunk := os.read(fd, max(info.st_size + 1, 1 << 20)):
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError as exc:
            raise self._unreadable(exc) from None
        finally:
            os.close(fd)

    def _unreadable(
        self, exc: OSError | None = None, key: str = "state.problem.unreadable"
    ) -> FamcovError:
        if exc is not None and getattr(exc, "errno", None) == errno.EISDIR:
            key = "state.problem.folder"
        detail = (exc.strerror or str(exc)) if exc is not None else ""
        if exc is not None and exc.errno in (errno.EACCES, errno.EPERM):
            # Not damage: nothing to restore from a backup, a permission to fix.
            return FamcovError("STATE_UNREADABLE", {"path": str(self.path), "problem": detail})
        return FamcovError(
            "STATE_CORRUPT",
            {"path": str(self.path), "where": "$", "problem": Msg(key, {"detail": detail})},
        )

    def load(self) -> State:
        return self.load_versioned()[1]

    def load_versioned(self, *, check_folder: bool = True) -> tuple[bytes, State, int]:
        """(the bytes read, the State in the current schema, the schema of the bytes).

        A file famcov did not write as it is (see `seal`) is held against every
        invariant first, the same list `famcov doctor` reports: one that breaks any
        is refused, STATE_CORRUPT, for reading and writing alike, and never rewritten.
        `check_folder=False` (grading a room's files, which only reads them): a folder
        others may write to is no reason to refuse."""
        if check_folder and (reasons := self.folder_reasons()):
            raise FamcovError("STATE_UNSAFE", {"path": str(self.path), "problem": reasons[0]})
        data = self.read_bytes()
        state, found = decode_versioned(data, where=str(self.path))
        if not sealed(data) and (broken := _problems(data, state)):
            raise FamcovError(
                "STATE_CORRUPT",
                {
                    "path": str(self.path),
                    "where": broken[0].where or "$",
                    "problem": broken[0].message,
                    "count": len(broken),
                },
                message_key="error.STATE_UNHEALTHY",
            )
        return data, state, found

    def records(self) -> Records:
        return Records(self.load())

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        refuse_unusable_path(self.path)  # never another state's lock or backup
        self._refuse_unsafe()  # before creating anything inside a folder others could swap
        self._ensure_folder()
        from famcov.statelock import StateLock  # only a change takes the lock

        self._lock = StateLock(self.path, self.lock_path, self.timeout)
        release = self._lock.acquire()
        try:
            self._refuse_unsafe()  # again, now that no other famcov writer can change it
            self._lock.mend_mode()
            self._remove_stale_temps()
            yield
        finally:
            release()

    def confirm_lock(self) -> None:
        """Just before a change is written: the lock is still this writer's (see
        `StateLock.confirm`), else STATE_LOCKED and the change is not written."""
        if self._lock is not None:
            self._lock.confirm()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Records]:
        """Lock, load, hand the records to the caller, save only if it returns normally.
        A file of an older schema is kept beside the new one before it is first rewritten."""
        with self.locked():
            data, state, found = self.load_versioned()
            records = Records(state)
            yield records
            self.confirm_lock()
            if found < SCHEMA:
                self.back_up(data, found)
            self.save(records.state)

    @contextlib.contextmanager
    def creating(self, *, force: bool) -> Iterator[Records]:
        """Lock and hand out a fresh state; refuse STATE_EXISTS unless forced."""
        from famcov.domain.model import new_state

        self._refuse_not_regular()
        with self.locked():
            self._refuse_not_regular()  # again, under the lock
            if self.path.exists() and not force:
                backup = self._slot(self.path.name, self.read_bytes())  # where --force keeps it
                raise FamcovError("STATE_EXISTS", {"path": str(self.path), "backup": str(backup)})
            records = Records(new_state())
            yield records
            self.confirm_lock()
            if self.path.exists():
                # --force: the replaced file is kept beside the new one, never lost outright,
                # and never over an earlier backup that differs (state.json.bak, .2.bak, ...)
                backup = self._keep(self.path.name, self.read_bytes())
                global kept
                kept = str(backup)  # an interrupt from here on says the backup was written
            self.save(records.state)

    def _refuse_not_regular(self) -> None:
        """Only a regular file is ever replaced: not a folder, a FIFO, a socket or a
        device (`--state /dev/null` must not replace the system's)."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise FamcovError(
                "STATE_UNWRITABLE", {"path": str(self.path), "problem": exc.strerror or str(exc)}
            ) from None
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISLNK(info.st_mode):
            key = (
                "state.unsafe.folder_at_path"
                if stat.S_ISDIR(info.st_mode)
                else "state.unsafe.special"
            )
            raise FamcovError(
                "STATE_UNSAFE",
                {"path": str(self.path), "problem": Msg(key, {"path": str(self.path)})},
            )

    def save(self, state: State) -> None:
        data = encode(state)
        from famcov import signals

        if signals.take():  # held since the wizard's last question: not saved (CLI.md)
            raise KeyboardInterrupt
        signals.hold()  # from the rename on, the change is saved and will be reported so
        self._write_atomically(self.path, data)
        global saved
        saved = True

    def backup_path(self, version: int) -> Path:
        return self.path.with_name(f"{self.path.name}.v{version}.bak")

    def back_up(self, data: bytes, version: int) -> Path:
        """Keep the bytes of an older schema beside the state, never overwriting an
        earlier backup that differs: state.json.v0.bak, then state.json.v0.2.bak, ..."""
        return self._keep(f"{self.path.name}.v{version}", data)

    def _slot(self, stem: str, data: bytes) -> Path:
        """Where `data` is or would be kept: `<stem>.bak`, else `<stem>.2.bak`, ... — the
        first that holds these very bytes or is free; one that differs is never reused."""
        for n in range(1, 10000):
            path = self.path.with_name(f"{stem}.bak" if n == 1 else f"{stem}.{n}.bak")
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                return path  # free
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue  # a link, a pipe, a folder: neither read nor replaced, passed by
            try:
                if info.st_size == len(data) and path.read_bytes() == data:
                    return path
            except OSError:
                continue
        raise FamcovError(
            "STATE_UNWRITABLE", {"path": str(self.path), "problem": "too many backups"}
        )

    def _keep(self, stem: str, data: bytes) -> Path:
        path = self._slot(stem, data)
        if not path.exists():
            self._write_atomically(path, data)
        return path

    def _write_atomically(self, target: Path, data: bytes | bytearray) -> None:
        """0600 whatever the umask (not 0400, not 0000); the temporary file is named
        after the state, where `temp_files` finds a killed writer's."""
        from famcov import files

        folder = target.parent
        try:
            files.replace(
                target,
                data,
                temp=folder / f".{self.path.name}.{os.getpid()}.tmp",
                mode=0o600,
                exact_mode=True,
            )
        except files.Held:  # Windows: an antivirus or an editor kept it open all along
            raise FamcovError(
                "STATE_UNWRITABLE", {"path": str(self.path)}, message_key="error.STATE_HELD"
            ) from None
        except OSError as exc:
            raise FamcovError(
                "STATE_UNWRITABLE", {"path": str(self.path), "problem": exc.strerror or str(exc)}
            ) from None
        _fsync_folder(folder)

    def temp_files(self) -> list[Path]:
        """Temporary files of writers that were killed before their rename."""
        prefix, folder = f".{self.path.name}.", self.path.parent
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        return [
            folder / n
            for n in names
            if n.startswith(prefix) and n.endswith(".tmp") and n[len(prefix) : -4].isdigit()
        ]

    def _remove_stale_temps(self) -> None:
        """Under the lock no other writer is between its write and its rename, so
        every temporary file is a leftover of one that was killed."""
        for path in self.temp_files():
            with contextlib.suppress(OSError):
                path.unlink()

    def unsafe_reasons(self) -> list[Msg]:
        """Why writing here would not be safe: a symbolic link at the state path or at
        its lock file (a write would replace the link, or follow it somewhere else), or
        a folder anyone may write to without the sticky bit (anyone could swap the file)."""
        reasons = []
        for path, key in (
            (self.path, "state.unsafe.symlink"),
            (self.lock_path, "state.unsafe.lock"),
        ):
            with contextlib.suppress(OSError):
                if path.is_symlink():
                    reasons.append(Msg(key, {"path": str(path)}))
        return reasons + self.folder_reasons()

    def folder_reasons(self) -> list[Msg]:
        """Folders on the way to the state that another user could swap, as ssh judges
        its own files: one owned by someone other than you or root, or one others may
        write to without the sticky bit (as /tmp has), lets them replace the folder
        below it, state and all. Group-writable counts only for a group other than
        your own primary group.

        Windows: none. Who may change a folder there is said by its access lists, which
        `os.stat` does not show (every folder looks 0777 and owned by uid 0), and a
        user's own folders (the default place, under %LOCALAPPDATA%) are private to
        them; a check on those modes would refuse every folder."""
        reasons: list[Msg] = []
        if sys.platform != "win32":
            me, my_group = os.getuid(), os.getgid()
            folder = Path(os.path.abspath(self.path.parent))
            for place in (folder, *folder.parents):
                try:
                    info = os.stat(place)
                except OSError:
                    continue  # not there yet: famcov creates it 0700
                mode = info.st_mode
                sticky = bool(mode & stat.S_ISVTX)
                if info.st_uid not in (me, 0):
                    reasons.append(Msg("state.unsafe.owner", {"folder": str(place)}))
                elif not sticky and (
                    mode & stat.S_IWOTH or (mode & stat.S_IWGRP and info.st_gid != my_group)
                ):
                    key = "state.unsafe.folder" if place == folder else "state.unsafe.ancestor"
                    reasons.append(Msg(key, {"folder": str(place)}))
                if reasons:
                    break
        return reasons

    def _refuse_unsafe(self) -> None:
        if reasons := self.unsafe_reasons():
            raise FamcovError("STATE_UNSAFE", {"path": str(self.path), "problem": reasons[0]})

    def _ensure_folder(self) -> None:
        folder = self.path.parent
        if not folder.exists():
            try:
                missing = [folder, *(p for p in folder.parents if not p.exists())]
                for place in reversed(missing):  # each one 0700, whatever the umask
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(place, 0o700)
                        os.chmod(place, 0o700)
            except OSError as exc:
                raise FamcovError(
                    "STATE_UNWRITABLE",
                    {"path": str(self.path), "problem": exc.strerror or str(exc)},
                ) from None


def _fsync_folder(folder: Path) -> None:
    if sys.platform != "win32":  # a folder cannot be opened there; NTFS journals the rename
        _fsync_posix_folder(folder)


def _fsync_posix_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
