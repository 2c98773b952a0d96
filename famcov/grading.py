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
    grade(session, given)  # a missing state file is said once, before the screen clears
    out = render.console()
    seen = None
    try:
        while True:
            now = _signature(session, given)
            if now != seen:
                seen = now
                graded, many = grade(session, given)
                out.clear()
                if many:
                    print_table(graded, out)
                else:
                    print_one(graded[0], out)
                shown_at = _local_now().strftime("%H:%M:%S")  # the wall clock, not --today
                out.print(f"[dim]{t('watch.updated', time=shown_at)}[/]")
            time.sleep(WATCH_EVERY)
    except KeyboardInterrupt:
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


def print_table(graded: list[Graded], out=None) -> None:
    from rich.table import Table

    from famcov.output import screen

    table = Table(title=t("grade.table.title"), title_justify="left")
    by_trainee = all(g.trainee for g in graded)  # a room: the class by name
    table.add_column(t("grade.col.trainee" if by_trainee else "grade.col.file"), overflow="fold")
    table.add_column(t("grade.col.scenario"), overflow="fold")
    table.add_column(t("grade.col.passed"), no_wrap=True)
    table.add_column(t("grade.col.missing"), overflow="fold")
    names = [g.path.name for g in graded]
    short = len(set(names)) == len(names) and all(names)  # a room's files, told apart by name
    for g in graded:
        if g.problem is not None:
            score, missing = "✗", g.note
        else:
            score = f"{'✓' if g.passed else '✗'} {g.count}/{len(g.results)}"
            unmet = [g.texts.get(r.id) or r.id for r in g.results if not r.passed]
            missing = ("；" if lang() == "zh" else "; ").join(unmet)  # the goals in words
        who = shown(g.path.name if short else g.path)
        if by_trainee:
            who = shown(g.trainee)
        elif g.trainee:
            who = f"{who} ({shown(g.trainee)})"
        table.add_row(
            screen.esc(who),
            screen.esc(shown(g.scenario or "—")),
            score,
            screen.esc(shown(missing)),
        )
    out = out or render.console()
    out.print(table)
    done = sum(g.passed for g in graded)
    style = "green" if done == len(graded) else "red"
    out.print(f"[{style}]{screen.esc(t('grade.summary', done=done, total=len(graded)))}[/]")
