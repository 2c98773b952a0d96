"""A receipt saved as a picture (.svg) or a web page (.html), for a handout or a slide.

The receipt is drawn with the same panel as on screen, in the run's language, on a
recording rich console, and written atomically: a temporary file beside the target,
fsynced and renamed, so a reader never sees half a receipt and a failed write leaves
whatever was there before. Resident IDs are masked and control characters written out
(famcov.domain.text.shown) in every value before it is drawn.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from famcov.errors import FamcovError

FORMATS = (".svg", ".html")
WIDTH = 80  # a projector's terminal; the panel folds long values rather than cut them


def target(path: str) -> Path:
    """The file to write, or EXPORT_FORMAT / EXPORT_IS_FOLDER (usage, exit 2)."""
    file = Path(path)
    if file.suffix.lower() not in FORMATS:
        raise FamcovError("EXPORT_FORMAT", {"path": path})
    if file.is_dir():
        raise FamcovError("EXPORT_IS_FOLDER", {"path": path.rstrip("/") or path})
    return file


def _clean(value: Any) -> Any:
    from famcov.domain.text import shown

    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def document(data: dict[str, Any], suffix: str) -> str:
    """The receipt `data` (render.receipt_json) as SVG or HTML text."""
    import io

    from rich.console import Console

    from famcov import render
    from famcov.fold import install

    install()
    out = Console(
        record=True,
        file=io.StringIO(),
        width=WIDTH,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
    )
    out.print(render.receipt_panel(_clean(data), fresh=False))
    title = f"{render.receipt_title(data)} {data['no']}"
    if suffix == ".svg":
        return out.export_svg(title=title)
    return out.export_html(inline_styles=True)


def _famcovs_own(file: Path, state: Path | None) -> bool:
    """The state file itself, its lock, its backups or temporary files: never an export's."""
    if state is None:
        return False
    try:
        where, home = file.expanduser().resolve(), state.expanduser().resolve()
    except OSError:
        return False
    return where.parent == home.parent and (
        where.name == home.name
        or where.name.startswith(home.name + ".")
        or where.name.startswith("." + home.name + ".")
    )


def write(file: Path, text: str, *, state: Path | None = None) -> None:
    """`text` into `file` atomically, or EXPORT_FAILED naming why (nothing half-written).
    Only a regular file is ever replaced: never a device, a pipe or a link (as root,
    `--output /dev/full` would otherwise turn the system's device into a file)."""
    import stat

    from famcov import files, render, signals
    from famcov.i18n import Msg

    if _famcovs_own(file, state):  # a handout over the records would lose them all
        problem = Msg("export.problem.state_file")
        raise FamcovError("EXPORT_FAILED", {"path": str(file), "problem": problem})
    try:
        info = os.lstat(file)
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        problem = Msg("export.problem.not_regular")
        raise FamcovError("EXPORT_FAILED", {"path": str(file), "problem": problem})
    try:
        files.replace(
            file,
            text.encode("utf-8"),
            temp=file.parent / f".{file.name}.{os.getpid()}.tmp",
            mode=0o644,
            # from the rename on the file is written, and will be reported so
            before_rename=signals.hold,
        )
    except OSError as exc:
        raise FamcovError("EXPORT_FAILED", {"path": str(file), "problem": _problem(exc)}) from None
    render.written.append(str(file))


def _problem(exc: OSError):
    """Why a write failed, in the user's language where famcov knows the reason."""
    import errno

    from famcov.i18n import Msg

    known = {
        errno.ENOENT: "export.no_folder",
        errno.ENOTDIR: "export.no_folder",
        errno.EACCES: "export.no_permission",
        errno.EPERM: "export.no_permission",
        errno.EROFS: "export.no_permission",
        errno.ENOSPC: "export.disk_full",
    }
    return Msg(known[exc.errno]) if exc.errno in known else (exc.strerror or str(exc))
