"""`famcov scenario handout NAME [--format md|html] [--output FILE] [--trainee]`: a
printable page. The format follows FILE's ending when --format is not given; a
`--format` that contradicts the ending is EXPORT_FORMAT. `--trainee` is the copy
handed out before the exercise: story, people and tasks, without what should
happen, the commands or the goals (the answers).

The same brief as `scenario show` (story, people, steps with what should happen,
goals), plus the commands that do the exercise, in the run's language. Every text
goes through `shown` (IDs masked, controls written out); HTML escapes all of it.
The commands name people by name, as the commands accept; an ID that must stay
(a relative not yet in the records) is masked: a handout never carries one.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from famcov import setups
from famcov.domain.text import clipped, shown
from famcov.errors import FamcovError
from famcov.i18n import t

FORMATS = ("md", "html")


def names_in(scenario: dict[str, Any]) -> dict[str, str]:
    """Resident ID -> name, from the scenario's own steps."""
    found: dict[str, str] = {}
    for step in [*scenario.get("setup", []), *scenario.get("verify", [])]:
        if "name" in step:
            found.setdefault(step.get("id") or step.get("relative", ""), step["name"])
    return found


def commands(name: str, scenario: dict[str, Any], region_name) -> list[str]:
    """The exercise as commands: start, what `verify` does, then the grading."""
    names = names_in(scenario)

    def who(person: str) -> str:
        return names.get(person) or shown(person)

    lines = [f"famcov scenario start {name}"]
    for step in scenario.get("verify", []):
        line = _command(step, who, region_name)
        if line is None:
            continue
        if step.get("fails"):
            line += "   # " + t("handout.refused", codes=", ".join(step["fails"]))
        lines.append(line)
    lines.append("famcov scenario check")
    return lines


def _command(step: dict[str, Any], who, region_name) -> str | None:
    op = step["op"]
    payer = lambda: ["--payer", who(step["payer"])]  # noqa: E731
    relative = lambda: ["--relative", who(step["relative"])]  # noqa: E731
    where = lambda: ["--region", region_name(step["region"]), "--year", str(step["year"])]  # noqa: E731
    if op == "check":
        parts = ["check", *payer(), *relative(), *where()]
        parts += ["--tier", step["tier"]] if "tier" in step else []
    elif op == "pay":
        parts = ["pay", *payer(), *relative(), *where(), "--tier", step["tier"]]
        parts += ["--accept-no-cover"] if step.get("accept_no_cover") else []
        parts += ["--yes"]
    elif op == "bind":
        parts = ["bind", *payer(), *relative(), "--name", step["name"]]
        parts += ["--relation", step["relation"]]
        parts += ["--proof", step["proof"]] if step.get("proof") else []
        parts += ["--confirm-gap"] if step.get("confirm_gap") else []
        parts += ["--accept-commitment"]
    elif op == "pay-tax":  # Hubei: the payer's own money through the tax channel, then a return
        parts = ["pay-tax", *payer(), *relative(), *where(), "--tier", step["tier"], "--yes"]
    elif op == "claim-return":
        parts = ["claim-return", *payer(), *relative(), "--year", str(step["year"]), "--yes"]
    elif op == "revoke":
        parts = ["revoke", step["no"], "--reason", step["reason"], "--yes"]
    elif op == "credit":
        parts = ["admin", "credit", "--id", who(step["id"]), "--amount", str(step["amount"])]
    elif op == "verify":
        parts = ["verify", *payer(), *relative()]
    elif op in ("reserve", "release"):
        parts = ["quota", op, *payer(), *relative()]
        parts += ["--amount", str(step["amount"])] if op == "reserve" else []
    else:
        return None
    return "famcov " + " ".join(_quoted(shown(p)) for p in parts)


def _quoted(part: str) -> str:
    """As a shell reads it: a plain word (Chinese names too) as it is, anything else quoted."""
    import re
    import shlex

    return part if re.fullmatch(r"[\w.,:/@+=-]+", part) else shlex.quote(part)


# -- the two formats -------------------------------------------------------------------


def markdown(data: dict[str, Any], lines: list[str], *, trainee: bool = False) -> str:
    meta = "handout.trainee_meta" if trainee else "handout.meta"
    out = [f"# {shown(data['title'])}", ""]
    out += [f"*{shown(t(meta, name=data['name'], date=data['today']))}*", ""]
    out += [f"## {t('handout.story')}", "", shown(data["story"]), ""]
    out += [f"## {t('handout.people')}", ""]
    for person in data["people"]:
        facts = t("brief.sep").join(person["facts"])
        line = t("brief.person", name=f"**{shown(person['name'])}**", facts=shown(facts))
        out.append(f"- {line}")
    out += ["", f"## {t('handout.tasks' if trainee else 'handout.steps')}", ""]
    for i, step in enumerate(data["steps"], start=1):
        out.append(f"{i}. {shown(step['try'])}")
        if not trainee:
            out.append(f"   - {t('handout.expect', text=shown(step['expect']))}")
    if trainee:
        return "\n".join([*out, "", t("handout.trainee_footer"), ""])
    out += ["", f"## {t('handout.commands')}", "", t("handout.commands_note"), "", "```sh"]
    out += lines
    out += ["```", "", f"## {t('handout.goals')}", ""]
    out += [f"- [ ] {shown(goal['text'])}" for goal in data["goals"]]
    out += ["", t("handout.footer"), ""]
    return "\n".join(out)


_NAME = "\ue000"  # where the name goes (a private-use character no text holds)


def _zh() -> bool:
    from famcov.i18n import lang

    return lang() == "zh"


def page(data: dict[str, Any], lines: list[str], *, trainee: bool = False) -> str:
    e = lambda value: html.escape(shown(value))  # noqa: E731
    lang = "zh-CN" if _zh() else "en"
    meta = "handout.trainee_meta" if trainee else "handout.meta"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(data['title'])}</title>",
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.5}"
        "pre{background:#f4f4f4;padding:.8em;white-space:pre-wrap}"
        ".expect{color:#225}li{margin:.3em 0}</style>",
        "</head><body>",
        f"<h1>{e(data['title'])}</h1>",
        f"<p><em>{e(t(meta, name=data['name'], date=data['today']))}</em></p>",
        f"<h2>{e(t('handout.story'))}</h2>",
        f"<p>{e(data['story'])}</p>",
        f"<h2>{e(t('handout.people'))}</h2>",
        "<ul>",
    ]
    for person in data["people"]:
        facts = t("brief.sep").join(person["facts"])
        line = t("brief.person", name=_NAME, facts=facts)  # the name in bold, all escaped
        before, _, after = line.partition(_NAME)
        parts.append(f"<li>{e(before)}<strong>{e(person['name'])}</strong>{e(after)}</li>")
    parts += ["</ul>", f"<h2>{e(t('handout.tasks' if trainee else 'handout.steps'))}</h2>"]
    parts.append("<ol>")
    for step in data["steps"]:
        if trainee:
            parts.append(f"<li>{e(step['try'])}</li>")
            continue
        parts.append(
            f'<li>{e(step["try"])}<br><span class="expect">'
            f"{e(t('handout.expect', text=step['expect']))}</span></li>"
        )
    if trainee:
        footer = f"<p><small>{e(t('handout.trainee_footer'))}</small></p>"
        return "\n".join([*parts, "</ol>", footer, "</body></html>", ""])
    parts += [
        "</ol>",
        f"<h2>{e(t('handout.commands'))}</h2>",
        f"<p>{e(t('handout.commands_note'))}</p>",
        "<pre>" + "\n".join(html.escape(line) for line in lines) + "</pre>",
        f"<h2>{e(t('handout.goals'))}</h2>",
        "<ul>",
    ]
    parts += [f"<li>☐ {e(goal['text'])}</li>" for goal in data["goals"]]
    parts += ["</ul>", f"<p><small>{e(t('handout.footer'))}</small></p>", "</body></html>", ""]
    return "\n".join(parts)


# -- the command -----------------------------------------------------------------------


ENDINGS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def chosen_format(fmt: str | None, output: str | None) -> str:
    """--format as given, else the one FILE's ending names, else Markdown (plain text:
    `notes.txt` is fine). A --format that contradicts FILE's ending is EXPORT_FORMAT."""
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise FamcovError(
                "INVALID_VALUE",
                {"flag": "--format", "value": clipped(fmt, 20), "choices": list(FORMATS)},
            )
    ending = Path(output).suffix.lower() if output else ""
    named = ENDINGS.get(ending)
    if fmt is None:
        return named or "md"
    if named is not None and named != fmt:
        raise FamcovError(
            "EXPORT_FORMAT",
            {"path": shown(output), "format": fmt},
            message_key="handout.error.mismatch",
        )
    return fmt


def handout_command(
    session, name: str, fmt: str | None, output: str | None, *, trainee: bool = False
) -> None:
    from famcov import contract
    from famcov.output import render
    from famcov.wizard import scenarios

    file = _target(output) if output is not None else None
    fmt = chosen_format(fmt, output)
    scenario = setups.scenario(name)
    data = scenarios.brief(session, name, scenario)
    lines = commands(name, scenario, lambda code: _region(session.policy, code))
    write = page if fmt == "html" else markdown
    text = write(data, lines, trainee=trainee)
    if file is None:
        if session.json:
            render.ok(contract.handout(name, fmt, text=text))
        else:
            render.plain(text)  # a closed pipe or a full disk is said, not a traceback
        return
    from famcov import export

    try:
        export.write(file, text, session=session)
    except FamcovError as exc:
        raise FamcovError(exc.code, exc.params, message_key="error.HANDOUT_FAILED") from None
    if session.json:
        render.ok(contract.handout(name, fmt, path=shown(file)))
    else:
        render.console().print(f"[green]✓[/] {render.esc(t('handout.written', path=shown(file)))}")


def _region(policy, code: str) -> str:
    """A region as `--region` takes it in either language: its Chinese name."""
    region = policy.region(code)
    return region.name.zh if region is not None else code


def _target(output: str) -> Path:
    from famcov.export import is_folder

    file = Path(output).expanduser()
    if is_folder(file) or output.endswith(("/", "\\")):
        raise FamcovError(
            "EXPORT_IS_FOLDER",
            {"path": output.rstrip("/") or output},
            message_key="error.HANDOUT_IS_FOLDER",
        )
    return file
