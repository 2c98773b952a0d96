"""Files famcov reads besides the state, and how it writes any file.

The CSV of `admin import` is read with limits, so that no file makes famcov hang or
run out of memory: only a regular file (or standard input, `-`) is read, never a
FIFO that may never end or a device such as /dev/zero, and at most MAX_IMPORT_BYTES
of it. Every file famcov writes (the state, its backups, a handout) is replaced
whole (`replace`): a reader sees the old file or the new one, never half of one.

The same on every OS, each in its own way (branches on `sys.platform`, which type
checkers follow): POSIX opens a file to read with O_NONBLOCK, so that a FIFO at the
path opens at once instead of waiting for a writer; Windows has no FIFOs at a path
(and no O_NONBLOCK) but opens in text mode unless told O_BINARY. On Windows another
program (an antivirus scan, an editor) may hold the file being replaced for a moment:
the rename is tried again for about a second before it is given up (`Held`).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable

from famcov.errors import FamcovError
from famcov.i18n import Msg

# 100,000 rows of the import format take about 5 MB; twenty times that is room
# enough for any roster a training room or a script will bring.
MAX_IMPORT_BYTES = 100 * 1024 * 1024

if sys.platform == "win32":
    # No FIFO can sit at a path there; binary, or reads and writes translate newlines.
    READ_FLAGS = os.O_RDONLY | os.O_BINARY
    WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_BINARY
else:
    READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK  # a FIFO opens at once, unread
    WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)

# How long a rename waits for a file another program holds (Windows), in short steps.
HELD_WAIT = 1.0
HELD_STEP = 0.05


class Held(PermissionError):
    """The target stayed held by another program (Windows) for all of HELD_WAIT."""


def read_import(file: str) -> str:
    """The text of the CSV `file` ("-": standard input), or BAD_IMPORT saying why not."""
    try:
        data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1) if file == "-" else _read_regular(file)
    except OSError as exc:
        known = {errno.ENOENT: "import.not_found", errno.EACCES: "import.no_permission"}
        problem = Msg(known[exc.errno]) if exc.errno in known else (exc.strerror or str(exc))
        raise _unreadable(file, problem) from None
    if len(data) > MAX_IMPORT_BYTES:
        raise _unreadable(file, Msg("import.too_large", {"limit": MAX_IMPORT_BYTES >> 20}))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable(file, Msg("import.not_utf8")) from None


def _read_regular(file: str) -> bytes:
    fd = os.open(file, READ_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FamcovError(
                "BAD_IMPORT", {"count": 1}, [_detail(file, Msg("import.not_regular"))]
            )
        chunks, size = [], 0
        while size <= MAX_IMPORT_BYTES and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _detail(file: str, problem) -> FamcovError:
    return FamcovError(
        "BAD_IMPORT", {"file": file, "problem": problem}, message_key="import.unreadable"
    )


def _unreadable(file: str, problem) -> FamcovError:
    return FamcovError("BAD_IMPORT", {"count": 1}, [_detail(file, problem)])


def replace(
    target: str | os.PathLike[str],
    data: bytes | bytearray,
    *,
    temp: str | os.PathLike[str],
    mode: int,
    exact_mode: bool = False,
    before_rename: Callable[[], object] | None = None,
) -> None:
    """`data` into `target` through `temp` (a new file in the same folder, never
    through a link), written out to the disk and renamed over `target`; the
    permissions `mode` (under the umask unless `exact_mode`; Windows keeps only
    whether the file is read-only). `before_rename()` runs once the data is safe and
    just before it becomes the file. Raises OSError (`Held` when another program
    held the target all along); `temp` is removed whatever went wrong, an interrupt
    included."""
    import contextlib

    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        fd = os.open(temp, WRITE_FLAGS, mode)
        try:
            if exact_mode and sys.platform != "win32":
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_rename is not None:
            before_rename()
        _rename(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _rename(temp: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """os.replace; on Windows, tried again while another program holds either file
    (PermissionError there), for about HELD_WAIT seconds."""
    if sys.platform == "win32":
        _replace_when_free(temp, target)
    else:
        os.replace(temp, target)


def _replace_when_free(temp: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    import time

    deadline = time.monotonic() + HELD_WAIT
    while True:
        try:
            os.replace(temp, target)
            return
        except PermissionError as exc:
            if _read_only(target):  # the read-only attribute, not a program: said as it is
                raise
            if time.monotonic() >= deadline:
                raise Held(exc.errno, exc.strerror, str(target)) from None
            time.sleep(HELD_STEP)


def _read_only(path: str | os.PathLike[str]) -> bool:
    try:
        return not os.stat(path).st_mode & stat.S_IWRITE
    except OSError:
        return False
