"""Files famcov reads besides the state, and how it writes any file.

The CSV of `admin import` is read with limits, so that no file makes famcov hang or
run out of memory: only a regular file (or standard input, `-`) is read, never a
FIFO that may never end or a device such as /dev/zero, and at most MAX_IMPORT_BYTES
of it. Every file famcov writes (the state, its backups, a handout) is replaced
whole (`replace`): a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import errno
import os
import stat
import sys

from famcov.errors import FamcovError
from famcov.i18n import Msg

# 100,000 rows of the import format take about 5 MB; twenty times that is room
# enough for any roster a training room or a script will bring.
MAX_IMPORT_BYTES = 100 * 1024 * 1024


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
    fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, unread
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
    target,
    data: bytes | bytearray,
    *,
    temp,
    mode: int,
    exact_mode: bool = False,
    before_rename=None,
) -> None:
    """`data` into `target` through `temp` (a new file in the same folder, never
    through a link), written out to the disk and renamed over `target`; the
    permissions `mode` (under the umask unless `exact_mode`). `before_rename()` runs
    once the data is safe and just before it becomes the file. Raises OSError, with
    `temp` removed."""
    import contextlib

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        fd = os.open(temp, flags, mode)
        try:
            if exact_mode:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_rename is not None:
            before_rename()
        os.replace(temp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
