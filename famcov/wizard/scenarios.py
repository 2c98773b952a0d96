"""Training scenarios: `data/scenarios/NAME.json`, the shape of `data/demo.json` plus
`today` (the simulated date the story happens on), `payers`, `steps` (pairs of what
to try and what should happen, each {zh, en}), `goals` (what `scenario check`
grades) and `verify` (what the tests check the story really does).

`famcov scenario list` and `famcov scenario start NAME` live here, and the home
menu's 培训场景. Only the confirmation before replacing a state file prompts,
and it imports the prompt module when it does.
"""

from __future__ import annotations

import os
from typing import Any

from famcov import setups
from famcov.domain.ids import mask
from famcov.domain.money import yuan
from famcov.features import bureau
from famcov.i18n import t
from famcov.output import render, screen


def summary(name: str, scenario: dict[str, Any]) -> dict[str, Any]:
    from famcov import contract

    return contract.scenario_summary(name, scenario)


# -- famcov scenario list ----------------------------------------------------------


def list_command(session) -> None:
    found = [summary(name, setups.load(name)) for name in setups.names()]
    if session.json:
        from famcov import contract

        render.ok(contract.scenario_list(found))
        return
    from rich.table import Table

    table = Table(title=t("scenario.list.title"), title_justify="left")
    for key in ("scenario.col.name", "scenario.col.title", "scenario.col.today"):
        table.add_column(t(key))
    for s in found:
        table.add_row(s["name"], screen.esc(s["title"]), s["today"])

    def draw(out) -> None:
        out.print(table)
        out.print(f"[dim]{screen.esc(t('scenario.list.hint'))}[/]")

    screen.on_terminal_pages(session, render.console(), draw)


# -- famcov scenario end ------------------------------------------------------------


def end_command(session) -> None:
    """Forget the scenario the state came from: later commands run on the real date (or
    --today). The records stay as they are; a state with no scenario is not rewritten."""
    import msgspec

    name = None
    if session.store.records().state.scenario is not msgspec.UNSET:
        with session.store.transaction() as records:
            mark = records.state.scenario
            if mark is not msgspec.UNSET:
                name = mark.name
                records.state.scenario = msgspec.UNSET
        session.forget_mark()
    today = session.today.isoformat()
    if session.json:
        from famcov import contract

        render.ok(contract.scenario_ended(name, today))
        return
    out = render.console()
    if name is None:
        out.print(screen.esc(t("scenario.end.none")))
    else:
        out.print(f"[green]✓[/] {screen.esc(t('scenario.end.done', name=name, date=today))}")


# -- famcov scenario start NAME -----------------------------------------------------


def start_command(session, name: str, *, force: bool) -> int:
    from famcov.wizard import interruptible

    return interruptible(_start)(session, name, force=force)


def _start(session, name: str, *, force: bool) -> int:
    scenario = setups.scenario(name)
    if not force and session.store.exists() and session.can_prompt:
        from famcov.wizard import ui

        out = screen.console()
        out.print(f"[bold]{screen.esc(render.text_from(scenario['title']))}[/]")
        answer = ui.Asker().select(
            t("scenario.replace", path=str(session.state_path)),
            [(t("scenario.replace.yes"), True), (t("scenario.replace.no"), False)],
            default=False,
        )
        if not answer:  # declined: said plainly, not an error (CLI.md, exit 1)
            screen.warn(out, t("scenario.replace.kept", path=str(session.state_path)))
            return 1
        force = True
    records = setups.create(session, scenario, force=force, name=name)
    show(session, name, scenario, records)
    return 0


def command_line(session, scenario: dict[str, Any]) -> str:
    """How to start the wizard on the scenario's day, with this run's state and language."""
    parts = ["famcov"]
    from famcov.statepath import default_path

    path = session.state_path
    if path != default_path() and os.environ.get("FAMCOV_STATE") != str(path):
        parts += ["--state", _quote(str(path))]
    if session.lang == "en" and os.environ.get("FAMCOV_LANG") != "en":
        parts += ["--lang", "en"]
    # no --today: the state keeps the scenario's date (see Session.today)
    return " ".join(parts)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def show(session, name: str, scenario: dict[str, Any], records) -> None:
    if session.json:
        from famcov import contract

        command = command_line(session, scenario)
        steps = steps_of(scenario)
        render.ok(contract.scenario_started(session, name, scenario, records, steps, command))
        return
    out = render.console()
    out.print(
        f"[green]✓[/] {screen.esc(t('scenario.started', name=name, path=str(session.state_path)))}"
    )
    print_brief(out, brief(session, name, scenario, records))
    out.print(
        f"[bold]{screen.esc(t('scenario.start_with'))}[/] [cyan]{screen.esc(command_line(session, scenario))}[/]"
    )


def print_story(out, scenario: dict[str, Any], records) -> None:
    """Title, story, who pays, what to try and what should happen."""

    text = render.text_from
    story = screen.para(text(scenario["story"]))
    out.print(screen.titled_panel(out, story, text(scenario["title"]), border_style="magenta"))
    out.print(f"[bold]{screen.esc(t('scenario.today', date=scenario['today']))}[/]")
    if records is not None and records.state.workers:
        out.print(f"[bold]{screen.esc(t('scenario.payers'))}[/]")
        for w in records.state.workers:
            payer = t("scenario.payer", name=w.name, id=mask(w.id), balance=yuan(w.balance))
            screen.indented(out, "  •", payer)  # folded lines under the text
    print_steps(out, scenario)


def steps_of(scenario: dict[str, Any]) -> list[dict[str, str]]:
    """The scenario's steps in this run's language: [{"try", "expect"}]."""
    text = render.text_from
    return [
        {"try": text(step["try"]), "expect": text(step["expect"])}
        for step in scenario.get("steps", [])
    ]


def print_steps(out, scenario: dict[str, Any]) -> None:
    """Each step as a pair: what to try, and under it what should happen."""
    steps = steps_of(scenario)
    if not steps:
        return
    out.print(f"[bold]{screen.esc(t('scenario.steps'))}[/]")
    for i, step in enumerate(steps, start=1):
        screen.indented(out, f"  {i}.", step["try"])
        screen.indented(out, "     →", step["expect"])


# -- famcov scenario show NAME, and 场景说明 in the home menu -----------------------


def rehearsed(session, scenario: dict[str, Any]):
    """The scenario's records as `scenario start` would make them, in memory only:
    the state file is not touched."""
    from famcov.domain.model import new_state
    from famcov.domain.records import Records

    records = Records(new_state())
    bureau.run_setup(records, session.policy, setups.today_of(scenario), scenario["setup"])
    return records


def people(session, records) -> list[dict[str, Any]]:
    """Everyone in the story by name, each with what the records say of them: no IDs."""
    state = records.state
    found: dict[str, list[str]] = {}
    names = {**{e.id: e.name for e in state.enrolments}, **{w.id: w.name for w in state.workers}}
    names |= {e.id: e.name for e in state.employees}

    def add(person: str, fact: str) -> None:
        found.setdefault(names.get(person) or mask(person), []).append(fact)

    region = lambda code: render.region_name(session.policy, code)  # noqa: E731
    for w in state.workers:
        add(w.id, t("brief.worker", region=region(w.region), balance=yuan(w.balance)))
    for e in state.employees:
        add(e.id, t("brief.employee"))
    for e in state.enrolments:
        add(e.id, t("brief.enrolled", region=region(e.region), year=e.year))
    for b in state.bindings:
        if b.active:
            names.setdefault(b.relative, b.name)
            key = "brief.bound_temporary" if b.temporary else "brief.bound"
            add(
                b.relative,
                t(key, payer=names.get(b.payer, ""), relation=t(f"relation.{b.relation}")),
            )
    for p in state.paid_elsewhere:
        add(p.id, t("brief.paid_elsewhere", year=p.year, channel=t(f"channel.{p.channel}")))
    for p in state.payments:
        if p.status == "paid":
            add(
                p.relative,
                t("brief.paid", year=p.year, payer=p.payer_name, amount=yuan(p.amount), no=p.no),
            )
    return [{"name": name, "facts": facts} for name, facts in found.items()]


def goal_texts(scenario: dict[str, Any]) -> list[dict[str, str]]:
    from famcov.domain import goals
    from famcov.i18n import lang

    return [
        {"id": g.id, "text": g.en if lang() == "en" else g.zh}
        for g in goals.parse(scenario.get("goals", []))
    ]


def brief(session, name: str, scenario: dict[str, Any], records=None) -> dict[str, Any]:
    """What a trainee reads before starting; `records` when they are at hand already."""
    return {
        **summary(name, scenario),
        "story": render.text_from(scenario["story"]),
        "people": people(session, records or rehearsed(session, scenario)),
        "steps": steps_of(scenario),
        "goals": goal_texts(scenario),
    }


def show_command(session, name: str) -> None:
    scenario = setups.scenario(name)
    data = brief(session, name, scenario)
    if session.json:
        from famcov import contract

        render.ok(contract.scenario_brief(data))
        return
    screen.on_terminal_pages(session, render.console(), lambda out: print_brief(out, data))


def print_brief(out, data: dict[str, Any], pause=None) -> None:
    """Title, story, the people by name, the steps as pairs, the goals. With `pause`
    (the wizard's 按回车继续), it waits after the people: at 80x24 the story would
    otherwise scroll away under the steps before it is read."""

    from famcov.domain.text import shown

    story = screen.para(data["story"])
    out.print(screen.titled_panel(out, story, data["title"], border_style="magenta"))
    out.print(f"[bold]{screen.esc(t('scenario.today', date=data['today']))}[/]")
    if data["people"]:
        out.print(f"[bold]{screen.esc(t('brief.people'))}[/]")
        for person in data["people"]:
            facts = t("brief.sep").join(person["facts"])
            screen.indented(out, "  •", shown(t("brief.person", name=person["name"], facts=facts)))
    if pause is not None:
        pause()
    print_steps(out, {"steps": [_raw(step) for step in data["steps"]]})
    if data["goals"]:
        out.print(f"[bold]{screen.esc(t('brief.goals'))}[/]")
        for goal in data["goals"]:
            screen.indented(out, "  ☐", shown(goal["text"]))
        out.print(f"[dim]{screen.esc(t('brief.check_hint'))}[/]")


def _raw(step: dict[str, str]) -> dict[str, dict[str, str]]:
    """A step already in this run's language, in the shape print_steps reads."""
    return {k: {"zh": v, "en": v} for k, v in step.items()}
