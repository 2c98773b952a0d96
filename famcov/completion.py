"""Shell completion of values: regions, relations, people, receipt numbers, ...

typer's own completion (`famcov --install-completion`) completes commands and
flags; these functions complete what goes after a flag. They read the policy
packs and, for people and receipts, the state file the command line names, and
never fail or write: a missing or damaged file simply completes nothing.
Resident IDs are never offered: people complete by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _matching(candidates: Iterable[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    folded = incomplete.casefold()
    seen: set[str] = set()
    found = []
    for value, help_text in candidates:
        if value and value not in seen and value.casefold().startswith(folded):
            seen.add(value)
            found.append((value, help_text))
    return found


def _policy():
    from famcov import policy

    try:
        return policy.load()
    except Exception:  # completion never fails
        return None


def _records(ctx: Any):
    """The records of the state file the command line (or FAMCOV_STATE) names, or None."""
    from famcov.session import state_path

    root = ctx.find_root() if ctx is not None else None
    given = root.params.get("state") if root is not None else None
    if given is None:  # --state after the command, which the shell's words still hold
        import os
        import shlex
        from itertools import pairwise

        try:
            words = shlex.split(os.environ.get("COMP_WORDS", ""))
        except ValueError:
            words = []
        for flag, value in pairwise(words):
            if flag == "--state":
                given = value
        given = next((w.split("=", 1)[1] for w in words if w.startswith("--state=")), given)
    try:
        from famcov.store import Store

        return Store(state_path(given)).records()
    except Exception:  # completion never fails
        return None


def regions(incomplete: str) -> list[tuple[str, str]]:
    found = _policy()
    if found is None:
        return []
    candidates = []
    for province in found.provinces:
        for r in province.regions:
            candidates += [(r.short, r.code), (r.code, r.name.zh), (r.name.en, r.code)]
    return _matching(candidates, incomplete)


def provinces(incomplete: str) -> list[tuple[str, str]]:
    found = _policy()
    if found is None:
        return []
    candidates = []
    for p in found.provinces:
        candidates += [(p.name.zh.removesuffix("省"), p.code), (p.code, p.name.zh)]
        candidates.append((p.name.en, p.code))
    return _matching(candidates, incomplete)


def channels(incomplete: str) -> list[tuple[str, str]]:
    found = _policy()
    if found is None:
        return []
    return _matching(((c.id, c.name.zh) for c in found.channel_packs.values()), incomplete)


def _slugs(slugs: Iterable[str], prefix: str, incomplete: str) -> list[tuple[str, str]]:
    from famcov.i18n import catalogue

    zh = catalogue("zh")
    candidates = []
    for slug in slugs:
        name = zh.get(f"{prefix}.{slug}", "")
        candidates += [(slug, name), (name, slug)]
    return _matching(candidates, incomplete)


def relations(incomplete: str) -> list[tuple[str, str]]:
    from famcov.domain.model import RELATIONS

    return _slugs(RELATIONS, "relation", incomplete)


def reasons(incomplete: str) -> list[tuple[str, str]]:
    from famcov.domain.model import REVOKE_REASONS

    return _slugs(REVOKE_REASONS, "reason", incomplete)


def proofs(incomplete: str) -> list[tuple[str, str]]:
    from famcov.domain.model import PROOFS

    return _slugs(PROOFS, "proof", incomplete)


def tiers(incomplete: str) -> list[tuple[str, str]]:
    found = _policy()
    if found is None:
        return []
    candidates = [
        (tier.id, tier.name.zh)
        for province in found.provinces
        for year in province.years
        for tier in year.tiers
    ]
    return _matching(candidates, incomplete)


def languages(incomplete: str) -> list[tuple[str, str]]:
    return _matching((("zh", "中文"), ("en", "English")), incomplete)


def payers(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    records = _records(ctx)
    if records is None:
        return []
    return _matching(((w.name, "") for w in records.state.workers), incomplete)


def relatives(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    records = _records(ctx)
    if records is None:
        return []
    from famcov.i18n import catalogue

    zh = catalogue("zh")
    candidates = [
        (b.name, zh.get(f"relation.{b.relation}", "")) for b in records.state.bindings if b.active
    ]
    return _matching(candidates, incomplete)


def receipts(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    records = _records(ctx)
    if records is None:
        return []
    candidates = [
        (p.no, f"{p.relative_name} {p.year} {p.status}") for p in reversed(records.state.payments)
    ]
    return _matching(candidates, incomplete.upper())


def scenarios(incomplete: str) -> list[tuple[str, str]]:
    """Training scenario names, each with its title."""
    try:
        from famcov import setups

        named = [(name, setups.load(name)["title"]["zh"]) for name in setups.names()]
    except Exception:  # completion never fails
        return []
    return _matching(named, incomplete)


def handout_formats(incomplete: str) -> list[tuple[str, str]]:
    return _matching([("md", "Markdown"), ("html", "HTML")], incomplete)


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")  # the shells typer completes in
FLAGS = ("--install-completion", "--show-completion")


def named_shell(argv: list[str], commands: Iterable[str]) -> tuple[str | None, list[str]]:
    """The shell a completion flag names (`--install-completion bash` or `=bash`), and argv
    without it: typer takes only the shell it finds above itself, which a script, a
    service or Windows' cmd does not give."""
    shell, rest = None, []
    words = iter(argv)
    for arg in words:
        if arg == "--":
            rest += [arg, *words]
            break
        flag, eq, value = arg.partition("=")
        if flag not in FLAGS:
            rest.append(arg)
            continue
        rest.append(flag)
        following = value if eq else next(words, None)
        if eq or not (following is None or following.startswith("-") or following in commands):
            shell = following
        elif following is not None:
            rest.append(following)
    return (shell.lower() if shell is not None else None), rest


def localise_completion(command, argv: list[str]) -> list[str]:
    """`--install-completion` and `--show-completion` for the shell named or found, said in
    the run's language (typer's own callbacks speak English, and without a shell they
    find say "Shell None is not supported"): a shell that cannot be told or is not one
    typer completes in is COMPLETION_SHELL. The installing and the script are typer's;
    with a typer that lacks these functions, its own callbacks stay."""
    try:
        from typer._completion_shared import _get_shell_name, install
        from typer.completion import show_callback
    except ImportError:  # pragma: no cover - another typer: its own callbacks, in English
        return argv
    import sys

    from famcov.errors import FamcovError

    given, argv = named_shell(argv, getattr(command, "commands", {}))

    def which(flag: str) -> str:
        shell = given or _get_shell_name()
        if shell not in SHELLS:
            raise FamcovError("COMPLETION_SHELL", {"flag": flag, "shells": list(SHELLS)})
        return shell

    def installed(ctx, param, value):
        if not value or ctx.resilient_parsing:
            return value
        from famcov.i18n import t
        from famcov.output import render

        shell, path = install(shell=which("--install-completion"))
        out = render.console()
        out.print(f"[green]✓[/] {render.esc(t('completion.installed', shell=shell, path=path))}")
        out.print(render.esc(t("completion.restart")))
        render.finish(ctx.find_root().obj)  # the run (famcov.run)
        sys.exit(0)

    def shown(ctx, param, value):
        if not value or ctx.resilient_parsing:
            return value
        return show_callback(ctx, param, which("--show-completion"))

    for param in command.params:
        if param.name == "install_completion":
            param.callback = installed
        elif param.name == "show_completion":
            param.callback = shown
    return argv
