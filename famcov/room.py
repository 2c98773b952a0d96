"""`famcov scenario room NAME DIR --trainees NAMES [--force]`: a whole class at once.

One state file per trainee in DIR, each made by the same setup as `scenario start`
and marked with the scenario and the trainee's name (ScenarioMark.trainee), so that
`scenario check DIR` can show the class by name. All or nothing before anything is
written: a bad name, a name given twice or a trainee whose file exists (without
--force) refuses the whole class. The files are written with Ctrl-C held: a class of
a few dozen files takes well under a second, and is then reported whole.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from famcov.domain.text import clipped
from famcov.errors import FamcovError
from famcov.i18n import Msg, t

MOST = 200  # trainees in one room: more is a typing slip (a year, not a count)
_SEPARATORS = re.compile(r"[,，、;；\n]")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}


@dataclass
class Seat:
    trainee: str
    path: Path
    command: str = ""


def _refuse(key: str, **params: object) -> FamcovError:
    return FamcovError("ROOM_TRAINEES", {"problem": Msg(key, params), "most": MOST})


def trainees(given: str) -> list[str]:
    """NAMES as the trainer gave them: a number N (trainee-01…N), a file with one name a
    line (blank lines and lines starting with # skipped), or names separated by commas."""
    text = str(given).strip()
    if re.fullmatch(r"[0-9]+", text):
        count = int(text)
        if not 1 <= count <= MOST:
            raise _refuse("room.problem.count", count=text[:6], most=MOST)
        width = max(2, len(str(count)))
        return [f"trainee-{i:0{width}d}" for i in range(1, count + 1)]
    path = Path(text).expanduser()
    if text and path.is_file():
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "UTF-8"
            raise _refuse("room.problem.file", path=str(path), reason=reason or str(exc)) from None
        names = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    elif text.endswith((".txt", ".csv")) or os.sep in text or "/" in text:
        raise _refuse("room.problem.no_file", path=text)
    else:
        names = _SEPARATORS.split(text)
    found = [_checked(name) for name in names if name.strip()]
    if not found:
        raise _refuse("room.problem.empty")
    if len(found) > MOST:
        raise _refuse("room.problem.too_many", count=len(found), most=MOST)
    seen: set[str] = set()
    for name in found:
        key = file_stem(name).casefold()  # Li_Lei and li lei are one file on macOS and Windows
        if key in seen:
            raise _refuse("room.problem.twice", value=name)
        seen.add(key)
    return found


def _checked(raw: str) -> str:
    name = " ".join(raw.split())
    fine = 1 <= len(name) <= 40 and name[0] not in ".-"
    fine = fine and all(ch in " ·-_.'" or unicodedata.category(ch)[0] in "LMN" for ch in name)
    fine = fine and any(unicodedata.category(ch)[0] in "LN" for ch in name)
    fine = fine and name.split(".")[0].casefold() not in _WINDOWS_RESERVED
    from famcov.domain.text import mask_ids

    if mask_ids(name) != name:  # a resident ID is no one's name (nor a file's)
        raise _refuse("room.problem.id", value=mask_ids(name)[:40])
    if not fine:
        from famcov.domain.text import shown

        raise _refuse("room.problem.name", value=shown(clipped(name, 40)))
    return name


def file_stem(name: str) -> str:
    """A trainee's file name without `.json`: the name, spaces as `_`."""
    return name.replace(" ", "_")


def seats(folder: Path, names: list[str]) -> list[Seat]:
    return [Seat(name, folder / f"{file_stem(name)}.json") for name in names]


def quoted(path: Path) -> str:
    """A path as a shell takes it: bare when it can be (a Chinese name needs no quotes),
    in double quotes for spaces (cmd, PowerShell and POSIX shells alike), else shlex's."""
    import shlex

    text = str(path)
    if not any(ch in _SHELL for ch in text):
        return text
    if not any(ch in '"$`\\!' for ch in text):
        return f'"{text}"'
    return shlex.quote(text)


_SHELL = set(" '\"$`\\!&|;<>()*?[]#~{}\t")


def command_for(session, path: Path) -> str:
    """What a trainee types: the wizard on their own file, in this run's language."""
    parts = ["famcov", "--state", quoted(path)]
    if session.lang == "en":
        parts += ["--lang", "en"]
    return " ".join(parts)


def room_command(session, name: str, folder: str, given: str, *, force: bool) -> None:
    from famcov import setups, signals
    from famcov.output import render
    from famcov.store import Store

    scenario = setups.scenario(name)
    names = trainees(given)
    where = Path(folder).expanduser()
    if where.exists() and not where.is_dir():
        raise FamcovError("ROOM_NOT_FOLDER", {"folder": str(where)})
    places = seats(where.absolute(), names)
    there = [seat for seat in places if os.path.lexists(seat.path)]
    if there and not force:
        shown = ", ".join(seat.path.name for seat in there[:5]) + (" …" if len(there) > 5 else "")
        raise FamcovError("ROOM_EXISTS", {"folder": str(where), "files": shown})
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FamcovError(
            "STATE_UNWRITABLE", {"path": str(where), "problem": exc.strerror or str(exc)}
        ) from None
    signals.hold()  # the class is written whole, then reported (see the module's note)
    for seat in places:
        store = Store(seat.path, run=session.run)
        setups.fill(store, session.policy, scenario, force=force, name=name, trainee=seat.trainee)
        seat.command = command_for(session, seat.path)
    check = "famcov scenario check " + quoted(where.absolute()) + " --watch"
    if session.json:
        from famcov import contract

        render.ok(contract.room(name, where, places, check))
        return
    _print(render.console(), name, where, places, check)


def _print(out, name: str, folder: Path, places: list[Seat], check: str) -> None:
    from rich.table import Table

    from famcov.domain.text import shown
    from famcov.output import screen

    out.print(
        "[green]✓[/] "
        + screen.esc(t("room.ready", count=len(places), name=name, folder=shown(folder)))
    )
    table = Table(title=t("room.table.title"), title_justify="left")
    table.add_column(t("room.col.trainee"), overflow="fold")
    table.add_column(t("room.col.command"), overflow="fold")
    for seat in places:
        table.add_row(screen.esc(shown(seat.trainee)), screen.esc(shown(seat.command)))
    out.print(table)
    out.print(f"[bold]{screen.esc(t('room.check_with'))}[/] [cyan]{screen.esc(shown(check))}[/]")
