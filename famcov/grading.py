"""`famcov scenario check [FILES_OR_FOLDERS...]`: grade practice against a scenario's goals.

With no file it grades the current state file; a trainer may give a room's state
files, or folders of them (every `*.json` inside). Each file is only read: never
locked, never written, never migrated on disk. A file that is not a famcov state,
or not from a scenario, gets one sentence and counts as failed. The goals and
their grading are in domain/goals.py; this module reads files and shows results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from famcov import setups
from famcov.domain import goals
from famcov.domain.text import shown
from famcov.errors import FamcovError
from famcov.i18n import Msg, lang, t
from famcov.output import render


@dataclass
class Graded:
    path: Path
    scenario: str | None = None
    trainee: str | None = None  # the name `scenario room` gave the file
    title: str = ""
    results: list[goals.GoalResult] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # goal id -> what it asks
    problem: str | None = None  # why the file could not be graded, one sentence
    note: str = ""  # the same without the path, for the table

    @property
    def passed(self) -> bool:
        return self.problem is None and all(r.passed for r in self.results)

    @property
    def count(self) -> int:
        return sum(r.passed for r in self.results)


def read_state(path: Path):
    """The State in a file, read only: as `Store.load` reads it (an older schema upgraded
    in memory only, an unsealed file held against every invariant), but a folder someone
    else owns is no reason to refuse: nothing is written."""
    from famcov.store import Store

    return Store(path).load_versioned(check_folder=False)[1]


def grade_file(path: Path) -> Graded:
    import msgspec

    graded = Graded(path)
    try:
        state = read_state(path)
    except FamcovError as exc:
        graded.problem = t("grade.not_state", path=path, reason=_reason(exc))
        graded.note = str(_reason(exc))
        return graded
    mark = state.scenario
    if mark is msgspec.UNSET:
        graded.problem = t("grade.no_scenario", path=path)
        graded.note = t("grade.note.no_scenario")
        return graded
    graded.scenario = mark.name
    graded.trainee = mark.trainee
    try:
        scenario = setups.scenario(mark.name)
        wanted = goals.parse(scenario.get("goals", []))
    except (FamcovError, msgspec.ValidationError, ValueError):
        graded.problem = t("grade.unknown_scenario", path=path, name=mark.name)
        graded.note = t("grade.note.unknown_scenario")
        return graded
    graded.title = render.text_from(scenario["title"])
    graded.texts = {g.id: g.en if lang() == "en" else g.zh for g in wanted}
    graded.results = goals.grade_all(wanted, state)
    return graded


def _reason(exc: FamcovError) -> Msg:
    return Msg(f"grade.reason.{exc.code}" if exc.code in _REASONS else "grade.reason.other")


_REASONS = ("STATE_MISSING", "STATE_CORRUPT", "STATE_TOO_NEW", "STATE_UNREADABLE")


def targets(given: list[str]) -> list[Path]:
    """Files as given; a folder stands for the `*.json` files in it, in name order."""
    from famcov.export import is_folder

    found: list[Path] = []
    for item in given:
        path = Path(item).expanduser()
        if is_folder(path):
            inside = sorted(p for p in path.glob("*.json") if not p.name.startswith("."))
            found += inside or [path]  # an empty folder: graded as one failed entry
        else:
            found.append(path)
    return found


def grade(session, given: list[str]) -> tuple[list[Graded], bool]:
    """The files graded, and whether they are several (a table) or one."""
    if not given:
        if not session.store.exists():
            raise FamcovError("STATE_MISSING", {"path": str(session.state_path)})
        return [grade_file(session.state_path)], False
    paths = targets(given)
    from famcov.export import is_folder

    many = len(paths) > 1 or any(is_folder(Path(g).expanduser()) for g in given)
    return [grade_file(p) for p in paths], many


def check_command(session, given: list[str]) -> int:
    graded, many = grade(session, given)
    passed = all(g.passed for g in graded)
    if session.json:
        from famcov import contract

        render.ok(contract.graded(graded, goal_message, many=many))
    elif many:
        print_table(graded)
    else:
        print_one(graded[0])
    return 0 if passed else 1


# -- --watch: the class's table on the projector ------------------------------------

WATCH_EVERY = 0.5  # seconds between looks at the files' signatures (a stat each)


def _signature(session, given: list[str]) -> tuple:
    """What changes whenever a graded file does (famcov saves by a rename), or a file
    comes or goes in a folder."""
    from famcov.store import Store

    paths = targets(given) if given else [session.state_path]
    return tuple((str(p), Store(p).signature()) for p in paths)


def watch_command(session, given: list[str]) -> int:
    """The table redrawn whenever a file changes, until Ctrl-C, which ends it with
    exit 0: watching changes nothing, so there is nothing to interrupt (run without
    --watch for the exit code that says whether all goals are met). It needs a
    terminal: in a pipe or with --json it would never end (WATCH_NEEDS_TERMINAL)."""
    import sys
    import time

    if session.json or not sys.stdout.isatty():
        raise FamcovError("WATCH_NEEDS_TERMINAL")
    from famcov.output import screen

    grade(session, given)  # a missing state file is said once, before the screen clears
    out = render.console()
    seen = None
    try:
        while True:
            now = _signature(session, given)
            if now != seen:
                seen = now
                graded, many = grade(session, given)
                shown_at = _local_now().strftime("%H:%M:%S")  # the wall clock, not --today
                updated = t("watch.updated", time=shown_at)
                out.clear()
                if many:  # the whole table on one screen, the last line without a newline
                    below = len(out.render_lines(screen.para(updated), pad=False))
                    print_table(graded, out, fit=out.height - below)
                else:
                    print_one(graded[0], out)
                out.print(screen.para(updated, "dim"), end="")
            time.sleep(WATCH_EVERY)
    except KeyboardInterrupt:
        out.print()
        out.print(t("watch.stopped"))
        return 0


def _local_now():
    import datetime as dt

    return dt.datetime.now()


def goal_message(result: goals.GoalResult) -> str:
    return shown(t(result.key, **result.params))


def print_one(g: Graded, out=None) -> None:
    from famcov.output import screen

    out = out or render.console()
    if g.problem is not None:
        out.print(f"[red]✗[/] {screen.esc(shown(g.problem))}")
        return
    out.print(f"[bold]{screen.esc(t('grade.title', name=g.scenario, title=shown(g.title)))}[/]")
    for r in g.results:
        mark = "[green]✓[/]" if r.passed else "[red]✗[/]"
        screen.indented(out, mark, shown(g.texts.get(r.id, r.id)))
        if not r.passed:
            screen.indented(out, "   →", goal_message(r))
    key = "grade.passed" if g.passed else "grade.failed"
    style = "green" if g.passed else "red"
    out.print(f"[{style}]{screen.esc(t(key, done=g.count, total=len(g.results)))}[/]")


def print_table(graded: list[Graded], out=None, *, fit: int | None = None) -> None:
    """One line per file, so a class of 20 fits a 24-line projector: the name, ✓/✗ and
    n/m, then the goals not met cut short with "…" (`scenario check FILE` shows one file
    in full). One scenario for all goes in the title, not in a column on every line.
    With `fit` (the lines the screen has, for --watch) the rows beyond it are left
    out and counted, rather than the title and header scrolling away."""
    from rich.cells import cell_len
    from rich.table import Table

    from famcov.output import screen

    out = out or render.console()
    scenarios = {g.scenario for g in graded if g.scenario}
    one = len(scenarios) == 1 and all(g.scenario for g in graded)
    title = t("grade.table.title")
    if one:
        title = f"{title} · {shown(graded[0].scenario)}"
    table = Table(
        title=screen.esc(title),
        title_justify="left",
        box=None,  # no rules: a line for every trainee (the header is underlined)
        pad_edge=False,
        header_style="bold underline",
    )
    names = [g.path.name for g in graded]
    short = len(set(names)) == len(names) and all(names)  # a room's files, told apart by name
    by_trainee = all(g.trainee for g in graded)  # a room: the class by name
    whos = [_who(g, by_trainee=by_trainee, short=short) for g in graded]
    # the names whole (rich would squeeze every column alike); the goals take the rest
    wide = max([cell_len(w) for w in whos] + [cell_len(t("grade.col.trainee"))])
    name_w = min(wide, max(out.width // 3, 12))
    table.add_column(
        t("grade.col.trainee" if by_trainee else "grade.col.file"),
        min_width=name_w,
        max_width=name_w,
        no_wrap=by_trainee,
        overflow="ellipsis" if by_trainee else "fold",
    )
    rest = out.width - name_w - 2  # a column and the two spaces after it
    if not one:
        sc_w = min(max(cell_len(shown(g.scenario or "—")) for g in graded), 16)
        table.add_column(
            t("grade.col.scenario"),
            min_width=sc_w,
            max_width=sc_w,
            no_wrap=True,
            overflow="ellipsis",
        )
        rest -= sc_w + 2
    table.add_column(t("grade.col.passed"), no_wrap=True, min_width=5)
    rest -= max(5, max(cell_len(_score(g)) for g in graded)) + 2
    table.add_column(
        t("grade.col.missing"), no_wrap=True, overflow="ellipsis", max_width=max(rest, 8)
    )
    rows = graded
    done = sum(g.passed for g in graded)
    summary = t("grade.summary", done=done, total=len(graded))
    if fit is not None:
        room = fit - 3  # the title, the header, the summary
        if len(graded) > room:
            rows = graded[: max(room - 1, 1)]  # one line says how many are left out
    for g, who in zip(rows, whos, strict=False):
        if g.problem is not None:
            missing = g.note
        else:
            unmet = [g.texts.get(r.id) or r.id for r in g.results if not r.passed]
            missing = t("word.list_sep").join(unmet)  # the goals in words
        cells = [screen.esc(who)]
        if not one:
            cells.append(screen.esc(shown(g.scenario or "—")))
        table.add_row(*cells, _score(g), _cut(shown(missing), max(rest, 8)))
    out.print(table)
    if len(rows) < len(graded):
        out.print(f"[yellow]{screen.esc(t('grade.not_shown', n=len(graded) - len(rows)))}[/]")
    style = "green" if done == len(graded) else "red"
    out.print(f"[{style}]{screen.esc(summary)}[/]")


def _score(g: Graded) -> str:
    if g.problem is not None:
        return "✗"
    return f"{'✓' if g.passed else '✗'} {g.count}/{len(g.results)}"


def _who(g: Graded, *, by_trainee: bool, short: bool) -> str:
    if by_trainee:
        return shown(g.trainee)
    who = shown(g.path.name if short else g.path)
    return f"{who} ({shown(g.trainee)})" if g.trainee else who


def _cut(text: str, width: int):
    """`text` on one line of `width` cells, ending in "…" when cut."""
    from rich.text import Text

    line = Text(text, no_wrap=True, overflow="ellipsis")
    line.truncate(width, overflow="ellipsis")
    return line
