"""Training: scenarios (list, show, start, end, check, room, handout), one thin
function a command.
"""

# No `from __future__ import annotations` here: typer reads the annotations of
# every command at every start, and as strings each one costs a compile (~5 ms).

from typing import Annotated

import typer

from famcov import completion
from famcov.cli.app import (
    Force,
    Opt,
    ScenarioName,
    _s,
    scenario,
)
from famcov.session import missing_argument


@scenario.command("list")
def scenario_list(ctx: typer.Context) -> None:
    """The training scenarios in data/scenarios/."""
    from famcov.wizard import scenarios

    scenarios.list_command(_s(ctx))


@scenario.command("start")
def scenario_start(ctx: typer.Context, name: ScenarioName = None, force: Force = False) -> int:
    """A fresh state file from a scenario, which keeps its date; prints its brief."""
    from famcov.wizard import scenarios

    s = _s(ctx)
    if name is None:
        raise missing_argument("NAME")
    return scenarios.start_command(s, name, force=force)


@scenario.command("end")
def scenario_end(ctx: typer.Context) -> None:
    """The state forgets its scenario: commands use the real date (or --today) again."""
    from famcov.wizard import scenarios

    scenarios.end_command(_s(ctx))


@scenario.command("check")
def scenario_check(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None, typer.Argument(help="State files or folders (read only).")
    ] = None,
    watch: Annotated[
        bool, Opt("--watch", help="Redraw the table whenever a file changes, until Ctrl-C.")
    ] = False,
) -> None:
    """Grade practice against the scenario's goals: exit 0 when all are met, 1 otherwise."""
    from famcov import grading

    s = _s(ctx)
    code = grading.watch_command(s, files or []) if watch else grading.check_command(s, files or [])
    if code:
        raise typer.Exit(code)


@scenario.command("room")
def scenario_room(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            autocompletion=completion.scenarios, help="Scenario name (famcov scenario list)."
        ),
    ] = None,
    folder: Annotated[str | None, typer.Argument(metavar="DIR", help="The class's folder.")] = None,
    trainees: Annotated[
        str | None, Opt("--trainees", help="Names, a file of names, or a number.")
    ] = None,
    force: Annotated[bool, Opt("--force", help="Replace the trainees' existing files.")] = False,
) -> None:
    """A class: one state file per trainee, each started from the scenario."""
    from famcov import room

    s = _s(ctx)
    if name is None:
        raise missing_argument("NAME")
    if folder is None:
        raise missing_argument("DIR")
    s.require(trainees=trainees)
    room.room_command(s, name, folder, trainees or "", force=force)


@scenario.command("show")
def scenario_show(
    ctx: typer.Context,
    name: ScenarioName = None,
) -> None:
    """A scenario's brief again: story, people, steps, goals; the state file is not touched."""
    from famcov.wizard import scenarios

    if name is None:
        raise missing_argument("NAME")
    scenarios.show_command(_s(ctx), name)


@scenario.command("handout")
def scenario_handout(
    ctx: typer.Context,
    name: ScenarioName = None,
    fmt: Annotated[
        str | None,
        Opt("--format", autocompletion=completion.handout_formats, help="md or html."),
    ] = None,
    output: Annotated[str | None, Opt("--output", help="Write to this file.")] = None,
    trainee: Annotated[
        bool, Opt("--trainee", help="The trainee's copy: no results, commands or answers.")
    ] = False,
) -> None:
    """A printable handout: story, people, steps with what should happen, commands, goals."""
    from famcov import handout

    if name is None:
        raise missing_argument("NAME")
    handout.handout_command(_s(ctx), name, fmt, output, trainee=trainee)
