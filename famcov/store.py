"""The state file: typed load, exclusive lock, atomic save, schema version.

Reads take no lock: every save replaces the file in one rename, so a reader
sees the old state or the new one, never half of one. Every change is one
read-modify-write inside `transaction()`, under an exclusive lock held for its
whole length; the file is written to a temporary file in the same folder
(created 0600, never through a symlink), flushed to disk, then renamed over the
old one. A refused change raises before the save, so the file is untouched.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import msgspec

from famcov.domain.model import SCHEMA, State
from famcov.domain.money import yuan
from famcov.domain.records import Records
from famcov.errors import FamcovError

DEFAULT_LOCK_TIMEOUT = 10.0


class _Header(msgspec.Struct):
    schema: int


_header_decoder = msgspec.json.Decoder(_Header)
_state_decoder = msgspec.json.Decoder(State)
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
    try:
        header = _header_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise FamcovError("STATE_CORRUPT", {"path": where, "problem": str(exc)}) from None
    if header.schema > SCHEMA:
        raise FamcovError("STATE_TOO_NEW", {"path": where, "found": header.schema, "known": SCHEMA})
    if header.schema < 1:
        raise FamcovError("STATE_CORRUPT", {"path": where, "problem": f"schema {header.schema}"})
    try:
        return _state_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise FamcovError("STATE_CORRUPT", {"path": where, "problem": str(exc)}) from None


def encode(state: State) -> bytes:
    return msgspec.json.format(_encoder.encode(state), indent=1) + b"\n"


def ledger_problems(state: State) -> list[str]:
    """Accounts whose stored balance is not the sum of their ledger."""
    sums: dict[str, int] = {}
    for entry in state.ledger:
        sums[entry.account] = sums.get(entry.account, 0) + entry.amount
    return [
        f"{w.id[:6]}********{w.id[-4:]}: balance {yuan(w.balance)} != ledger {yuan(sums.get(w.id, 0))}"
        for w in state.workers
        if sums.get(w.id, 0) != w.balance
    ]


class Store:
    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = Path(path)
        self.timeout = lock_timeout() if timeout is None else timeout

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def exists(self) -> bool:
        return self.path.exists()

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise FamcovError("STATE_MISSING", {"path": str(self.path)}) from None
        except IsADirectoryError:
            raise FamcovError(
                "STATE_CORRUPT", {"path": str(self.path), "problem": "a folder, not a file"}
            ) from None
        except OSError as exc:
            raise FamcovError(
                "STATE_CORRUPT", {"path": str(self.path), "problem": exc.strerror or str(exc)}
            ) from None

    def load(self, *, check_ledger: bool = True) -> State:
        state = decode(self.read_bytes(), where=str(self.path))
        if check_ledger and (problems := ledger_problems(state)):
            raise FamcovError(
                "STATE_CORRUPT",
                {"path": str(self.path), "problem": "; ".join(problems[:3]), "doctor": True},
            )
        return state

    def records(self) -> Records:
        return Records(self.load())

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        self._ensure_folder()
        lock = FileLock(str(self.lock_path), timeout=self.timeout, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise FamcovError(
                "STATE_LOCKED", {"path": str(self.path), "seconds": f"{self.timeout:g}"}
            ) from None
        except OSError as exc:
            raise FamcovError(
                "STATE_UNWRITABLE", {"path": str(self.path), "problem": exc.strerror or str(exc)}
            ) from None
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Records]:
        """Lock, load, hand the records to the caller, save only if it returns normally."""
        with self.locked():
            records = Records(self.load())
            yield records
            self.save(records.state)

    @contextlib.contextmanager
    def creating(self, *, force: bool) -> Iterator[Records]:
        """Lock and hand out a fresh state; refuse STATE_EXISTS unless forced."""
        from famcov.domain.model import new_state

        with self.locked():
            if self.path.exists() and not force:
                raise FamcovError("STATE_EXISTS", {"path": str(self.path)})
            records = Records(new_state())
            yield records
            self.save(records.state)

    def save(self, state: State) -> None:
        data = encode(state)
        folder = self.path.parent
        tmp = folder / f".{self.path.name}.{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            fd = os.open(tmp, flags, 0o600)
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise FamcovError(
                "STATE_UNWRITABLE", {"path": str(self.path), "problem": exc.strerror or str(exc)}
            ) from None
        _fsync_folder(folder)

    def _ensure_folder(self) -> None:
        folder = self.path.parent
        if not folder.exists():
            try:
                folder.mkdir(parents=True, mode=0o700)
            except OSError as exc:
                raise FamcovError(
                    "STATE_UNWRITABLE",
                    {"path": str(self.path), "problem": exc.strerror or str(exc)},
                ) from None


def _fsync_folder(folder: Path) -> None:
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
