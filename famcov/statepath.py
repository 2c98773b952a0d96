"""Where a state may be kept: the names famcov never takes as a state, the folders
it does not write in (ones another user could swap), and the folders it creates.

Safety: famcov reads through a symbolic link but never writes through one (the
state path or its lock file being a link is refused, STATE_UNSAFE), and it does
not write into a folder anyone may write to unless the folder has the sticky
bit (as /tmp has).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

from famcov.errors import FamcovError
from famcov.i18n import Msg


def default_path() -> Path:
    """The state file when none is given: the user's data folder (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("famcov", appauthor=False)) / "state.json"


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


def refuse_not_regular(path: Path) -> None:
    """Only a regular file is ever replaced: not a folder, a FIFO, a socket or a
    device (`--state /dev/null` must not replace the system's)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FamcovError(
            "STATE_UNWRITABLE", {"path": str(path), "problem": exc.strerror or str(exc)}
        ) from None
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISLNK(info.st_mode):
        key = (
            "state.unsafe.folder_at_path" if stat.S_ISDIR(info.st_mode) else "state.unsafe.special"
        )
        raise FamcovError(
            "STATE_UNSAFE",
            {"path": str(path), "problem": Msg(key, {"path": str(path)})},
        )


def unsafe_reasons(path: Path, lock_path: Path) -> list[Msg]:
    """Why writing here would not be safe: a symbolic link at the state path or at
    its lock file (a write would replace the link, or follow it somewhere else), or
    a folder anyone may write to without the sticky bit (anyone could swap the file)."""
    reasons = []
    for place, key in (
        (path, "state.unsafe.symlink"),
        (lock_path, "state.unsafe.lock"),
    ):
        with contextlib.suppress(OSError):
            if place.is_symlink():
                reasons.append(Msg(key, {"path": str(place)}))
    return reasons + folder_reasons(path)


def folder_reasons(path: Path) -> list[Msg]:
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
        folder = Path(os.path.abspath(path.parent))
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


def ensure_folder(path: Path) -> None:
    folder = path.parent
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
                {"path": str(path), "problem": exc.strerror or str(exc)},
            ) from None
