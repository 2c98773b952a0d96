"""The state's lock: one writer at a time, STATE_LOCKED for the others after a wait.

A writer holds an exclusive lock on `state.json.lock` beside the state for the whole
of its read-modify-write (`Store.transaction`); readers take none. On POSIX it is a
flock, checked to be on the file that is at the lock's path; on Windows, filelock.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from famcov.errors import FamcovError


class StateLock:
    """The lock file at `lock_path` for the state at `path` (errors name the state)."""

    def __init__(self, path: Path, lock_path: Path, timeout: float) -> None:
        self.path = path
        self.lock_path = lock_path
        self.timeout = timeout
        self._held: int | None = None  # the lock file's descriptor while it is held

    def acquire(self) -> Callable[[], None]:
        """Take the lock; the function that lets it go.

        POSIX: flock on the lock file, and then a check that the file locked is still
        the one at the lock's path (st_dev, st_ino): one deleted or replaced while this
        writer waited (by a cleaner, or a writer letting go) is let go and the one at
        the path taken instead, so two writers never hold two different files. The
        lock file is removed on release, still under the lock, so none are left
        about; a writer waiting on the removed file sees it is gone and tries again.
        Windows: filelock, whose lock file cannot be deleted or replaced while open."""
        if sys.platform == "win32":
            return self._acquire_filelock()
        else:
            return self._acquire_flock()

    def _acquire_flock(self) -> Callable[[], None]:
        import time

        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fd = os.open(
                    self.lock_path,
                    os.O_RDWR
                    | os.O_CREAT
                    | getattr(os, "O_NOFOLLOW", 0)
                    | getattr(os, "O_CLOEXEC", 0),
                    0o600,
                )
            except OSError as exc:
                raise FamcovError(
                    "STATE_UNWRITABLE",
                    {"path": str(self.path), "problem": exc.strerror or str(exc)},
                ) from None
            try:
                while not _flock(fd):
                    if time.monotonic() >= deadline:
                        raise self._locked_too_long() from None
                    time.sleep(0.02)
                if self._holds(fd):
                    self._held = fd
                    return lambda: self._release(fd)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # deleted or replaced meanwhile: the lock is the one at the path
            if time.monotonic() >= deadline and self.timeout > 0:
                raise self._locked_too_long()

    def _holds(self, fd: int) -> bool:
        """Whether the file open at `fd` is the lock file at the lock's path."""
        try:
            held, there = os.fstat(fd), os.stat(self.lock_path, follow_symlinks=False)
        except OSError:
            return False
        return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)

    def confirm(self) -> None:
        """Just before a change is written: the lock file at the path is still the one
        this writer holds. Removed or replaced meanwhile (by hand, or by a cleaner),
        another famcov may have taken a new one and be writing too: then this change is
        not written (STATE_LOCKED, saying so), and the other goes through alone."""
        fd = self._held
        if fd is not None and not self._holds(fd):
            raise FamcovError(
                "STATE_LOCKED", {"path": str(self.path)}, message_key="guard.lock_lost"
            )

    def _release(self, fd: int) -> None:
        self._held = None
        try:
            if self._holds(fd):  # removed under the lock: a waiter on it takes the next
                with contextlib.suppress(OSError):
                    os.unlink(self.lock_path)
            with contextlib.suppress(OSError):
                _unflock(fd)
        finally:
            os.close(fd)

    def _acquire_filelock(self) -> Callable[[], None]:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.lock_path), timeout=self.timeout, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise self._locked_too_long() from None
        except OSError as exc:
            raise FamcovError(
                "STATE_UNWRITABLE", {"path": str(self.path), "problem": exc.strerror or str(exc)}
            ) from None
        return lock.release

    def _locked_too_long(self) -> FamcovError:
        return FamcovError("STATE_LOCKED", {"path": str(self.path), "seconds": f"{self.timeout:g}"})

    def mend_mode(self) -> None:
        """A lock file made under a loose umask (0644) or by hand is set back to 0600.
        Windows has no such mode (its permissions are the folder's access lists)."""
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                fd = os.open(self.lock_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                try:
                    if stat.S_IMODE(os.fstat(fd).st_mode) != 0o600:
                        os.fchmod(fd, 0o600)
                finally:
                    os.close(fd)


if sys.platform != "win32":

    def _flock(fd: int) -> bool:
        """An exclusive flock on `fd` if it is free now (False if another holds it)."""
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unflock(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # Windows locks with filelock (StateLock.acquire)

    def _flock(fd: int) -> bool:
        raise NotImplementedError

    def _unflock(fd: int) -> None:
        raise NotImplementedError
