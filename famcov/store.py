"""The state file: typed load, exclusive lock, atomic save, backups.

Reads take no lock: every save replaces the file in one rename, so a reader
sees the old state or the new one, never half of one. Every change is one
read-modify-write inside `transaction()`, under an exclusive lock held for its
whole length; the file is written to a temporary file in the same folder
(created 0600, never through a symlink), flushed to disk, then renamed over the
old one. A refused change raises before the save, so the file is untouched.

A temporary file left by a writer that was killed is removed by the next
writer, under the lock. Never through a symbolic link, never in a folder another
user could swap: famcov/statepath.py. The file's bytes (typed decode, encode,
the seal, older schemas): famcov/statefile/. The lock: famcov/statelock.py.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from famcov import statepath
from famcov.domain.model import SCHEMA, State
from famcov.domain.records import Records
from famcov.errors import FamcovError
from famcov.i18n import Msg
from famcov.statefile import decode_versioned, encode, sealed

if TYPE_CHECKING:
    from famcov.run import Run
    from famcov.statelock import StateLock

DEFAULT_LOCK_TIMEOUT = 10.0


def lock_timeout() -> float:
    raw = os.environ.get("FAMCOV_LOCK_TIMEOUT", "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return value if 0 <= value <= 3600 else DEFAULT_LOCK_TIMEOUT


def _problems(data: bytes, state: State) -> list:
    from famcov.domain.invariants import problems  # only for a file famcov did not seal

    return problems(data, state)


# A state of 100,000 records is about 30 MB; a file many times that is not a practice
# state (or is one gone wrong), and is refused before it is read rather than after
# minutes and gigabytes.
MAX_STATE_BYTES = 512 * 1024 * 1024


class Store:
    def __init__(self, path: Path, timeout: float | None = None, run: Run | None = None) -> None:
        self.path = Path(path)
        # what this run saved and kept, for its last words (famcov.run); a store opened
        # outside a run (grading, completion, the first screen) only reads
        self.run = run
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
            if not stat.S_ISREG(info.st_mode):  # a folder, a FIFO, a device: no state file
                raise self._not_a_state(stat.S_ISDIR(info.st_mode))
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

    def _not_a_state(self, folder: bool) -> FamcovError:
        """STATE_UNSAFE: what is at the path is no state file (a folder, a FIFO, a device),
        for reading as for writing: not damage, nothing to restore from a backup."""
        key = "state.unsafe.folder_at_path" if folder else "state.unsafe.special"
        return FamcovError(
            "STATE_UNSAFE", {"path": str(self.path), "problem": Msg(key, {"path": str(self.path)})}
        )

    def _unreadable(
        self, exc: OSError | None = None, key: str = "state.problem.unreadable"
    ) -> FamcovError:
        if exc is not None and getattr(exc, "errno", None) == errno.EISDIR:
            return self._not_a_state(folder=True)
        if exc is not None and exc.errno in (errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP):
            # no file can be at such a path: not damage either, a path to change
            problem = Msg("guard.state_path", {"detail": exc.strerror or str(exc)})
            return FamcovError("STATE_UNSAFE", {"path": str(self.path), "problem": problem})
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

        A file famcov did not write as it is (see `statefile.sealed`) is held against every
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
        statepath.refuse_unusable_path(self.path)  # never another state's lock or backup
        self._refuse_unsafe()  # before creating anything inside a folder others could swap
        statepath.ensure_folder(self.path)
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

        statepath.refuse_not_regular(self.path)
        with self.locked():
            statepath.refuse_not_regular(self.path)  # again, under the lock
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
                if self.run is not None:  # an interrupt from here on says it was written
                    self.run.kept = str(backup)
            self.save(records.state)

    def save(self, state: State) -> None:
        data = encode(state)
        from famcov import signals

        if signals.take():  # held since the wizard's last question: not saved (CLI.md)
            raise KeyboardInterrupt
        signals.hold()  # from the rename on, the change is saved and will be reported so
        self._write_atomically(self.path, data)
        if self.run is not None:
            self.run.saved = True

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
        """Why writing here would not be safe (see `statepath.unsafe_reasons`)."""
        return statepath.unsafe_reasons(self.path, self.lock_path)

    def folder_reasons(self) -> list[Msg]:
        """Folders on the way to the state that another user could swap (see
        `statepath.folder_reasons`)."""
        return statepath.folder_reasons(self.path)

    def _refuse_unsafe(self) -> None:
        if reasons := self.unsafe_reasons():
            raise FamcovError("STATE_UNSAFE", {"path": str(self.path), "problem": reasons[0]})


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
