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
from typing import TYPE_CHECKING, Any

from famcov.errors import FamcovError

if TYPE_CHECKING:
    from famcov.session import Session

FORMATS = (".svg", ".html")
WIDTH = 80  # a projector's terminal; the panel folds long values rather than cut them


def target(path: str) -> Path:
    """The file to write, or EXPORT_FORMAT / EXPORT_IS_FOLDER (usage, exit 2)."""
    file = Path(path)
    if file.suffix.lower() not in FORMATS:
        raise FamcovError("EXPORT_FORMAT", {"path": path})
    if is_folder(file):
        raise FamcovError("EXPORT_IS_FOLDER", {"path": path.rstrip("/") or path})
    return file


def is_folder(file: Path) -> bool:
    """Whether `file` is a folder; a path that cannot be looked at (a name over 255
    bytes, a folder one may not enter) is not, and writing to it says why."""
    import stat

    try:
        return stat.S_ISDIR(os.stat(file).st_mode)
    except (OSError, ValueError):
        return False


def _clean(value: Any) -> Any:
    from famcov.domain.text import shown

    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


# The page's fonts are the reader's own: nothing is fetched from the network (a training
# room is often offline). Chinese first where a Chinese font is there, then the usual
# system faces of Windows, macOS and Linux.
SANS = (
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "Segoe UI", "Helvetica Neue", Arial, sans-serif'
)
MONO = (
    '"Sarasa Mono SC", "Noto Sans Mono CJK SC", "Microsoft YaHei Mono", Menlo, Consolas, '
    '"DejaVu Sans Mono", "Noto Sans CJK SC", "Microsoft YaHei", monospace'
)

# rich's SVG layout, drawn as paper: a white sheet with a thin grey edge, the title on
# it, the system fonts above, and no mock window buttons.
SVG = (
    '<svg class="famcov-receipt" viewBox="0 0 {width} {height}" '
    'xmlns="http://www.w3.org/2000/svg">\n'
    "<style>\n"
    ".{unique_id}-matrix {{ font-family: "
    + MONO.replace("{", "{{").replace("}", "}}")
    + "; font-size: {char_height}px; line-height: {line_height}px;"
    " font-variant-east-asian: full-width; }}\n"
    ".{unique_id}-title {{ font-size: 18px; font-weight: bold; font-family: " + SANS + "; }}\n"
    "{styles}\n"
    "</style>\n"
    "<defs>\n"
    '<clipPath id="{unique_id}-clip-terminal">'
    '<rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" /></clipPath>\n'
    "{lines}\n"
    "</defs>\n"
    '<rect x="0.5" y="0.5" width="{width}" height="{height}" fill="#ffffff" '
    'stroke="#bbbbbb" stroke-width="1" />\n'
    '<g transform="translate({terminal_x}, {terminal_y})" '
    'clip-path="url(#{unique_id}-clip-terminal)">\n'
    "{backgrounds}\n"
    '<g class="{unique_id}-matrix">\n{matrix}\n</g>\n'
    "</g>\n"
    "</svg>\n"
)


def document(data: dict[str, Any], suffix: str) -> str:
    """The receipt `data` (lookup.any_receipt_json) as SVG or HTML text."""
    data = _clean(data)
    if suffix == ".html":
        return page(data)
    return picture(data)


def picture(data: dict[str, Any]) -> str:
    """The panel as on screen, on white paper, in the reader's own fonts."""
    import io

    from rich.console import Console
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME

    from famcov.features import lookup
    from famcov.output.fold import install

    install()
    out = Console(
        record=True,
        file=io.StringIO(),
        width=WIDTH,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
    )
    out.print(lookup.receipt_panel(data, fresh=False))
    return out.export_svg(title="", theme=DEFAULT_TERMINAL_THEME, code_format=SVG)


def page(data: dict[str, Any]) -> str:
    """A printable page: the receipt's lines as a real table (a proportional Chinese
    font cannot keep box-drawing borders straight), its notes as a list."""
    import html

    from famcov.features import lookup
    from famcov.i18n import lang, t

    e = html.escape
    title = f"{lookup.receipt_title(data)} {data['no']}"
    rows = "\n".join(
        f'<tr><th scope="row">{e(label)}</th><td>{e(value)}</td></tr>'
        for label, value in lookup.receipt_rows(data)
    )
    notes = "\n".join(f"<li>{e(note)}</li>" for note in data.get("notes", []))
    style = (
        f"body{{font-family:{SANS};color:#111;background:#fff;max-width:42em;"
        "margin:2em auto;padding:0 1em;line-height:1.5}"
        "h1{font-size:1.4em;margin:0 0 .6em}"
        "table{border-collapse:collapse;width:100%}"
        "th,td{border:1px solid #999;padding:.35em .7em;text-align:left;vertical-align:top}"
        "th{background:#f2f2f2;white-space:nowrap;width:1%;font-weight:600}"
        "ul{padding-left:1.2em}li{margin:.3em 0}"
        "footer{color:#555;font-size:.85em;margin-top:1.5em}"
        "@media print{body{margin:0;max-width:none}}"
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang() == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{style}</style>",
        "</head><body>",
        f"<h1>{e(title)}</h1>",
        f"<table><tbody>\n{rows}\n</tbody></table>",
    ]
    if notes:
        parts.append(f"<ul>\n{notes}\n</ul>")
    parts += [f"<footer>{e(t('export.footer'))}</footer>", "</body></html>", ""]
    return "\n".join(parts)


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


def write(file: Path, text: str, *, session: Session) -> None:
    """`text` into `file` atomically, or EXPORT_FAILED naming why (nothing half-written).
    Only a regular file is ever replaced: never a device, a pipe or a link (as root,
    `--output /dev/full` would otherwise turn the system's device into a file)."""
    import stat

    from famcov import files, signals
    from famcov.i18n import Msg

    if _famcovs_own(file, session.state_path):  # a handout over the records would lose them all
        problem = Msg("export.problem.state_file")
        raise FamcovError("EXPORT_FAILED", {"path": str(file), "problem": problem})
    try:
        info = os.lstat(file)
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        problem = Msg("export.problem.not_regular")
        raise FamcovError("EXPORT_FAILED", {"path": str(file), "problem": problem})
    _remove_stale_temps(file)
    try:
        files.replace(
            file,
            text.encode("utf-8"),
            temp=file.parent / f".{file.name}.{os.getpid()}.tmp",
            mode=0o644,
            # from the rename on the file is written, and will be reported so
            before_rename=signals.hold,
        )
    except files.Held:  # Windows: an antivirus or an editor kept the file open all along
        problem = Msg("export.problem.held")
        raise FamcovError("EXPORT_FAILED", {"path": str(file), "problem": problem}) from None
    except OSError as exc:
        raise FamcovError("EXPORT_FAILED", {"path": str(file), "problem": _problem(exc)}) from None
    session.run.written.append(str(file))  # there even if stdout fails (render.finish)


def _remove_stale_temps(file: Path) -> None:
    """The temporary files of earlier exports to `file` whose writer is gone (killed
    between its write and its rename): `.<name>.<pid>.tmp` of a process that no longer
    runs. One of a running process (another export under way) is left alone. POSIX
    only: on Windows os.kill would end the process it asks about."""
    import contextlib
    import re

    if os.name != "posix":
        return
    pattern = re.compile(rf"\.{re.escape(file.name)}\.([0-9]{{1,10}})\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(file.parent if str(file.parent) else "."):
            found = pattern.fullmatch(entry.name)
            if found is None or int(found[1]) == os.getpid():
                continue
            try:
                os.kill(int(found[1]), 0)
            except ProcessLookupError:  # its writer is gone: a leftover
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)
            except (OSError, OverflowError):  # alive, but another user's: theirs
                continue


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
        errno.ENAMETOOLONG: "guard.name_too_long",
        errno.EISDIR: "guard.is_folder",
    }
    return Msg(known[exc.errno]) if exc.errno in known else (exc.strerror or str(exc))
