"""Shell completion of values: regions, relations, people, receipt numbers, ...

typer's own completion (`famcov --install-completion`) completes commands and
flags; these functions complete what goes after a flag. They read the policy
packs and, for people and receipts, the state file the command line names, and
never fail or write: a missing or damaged file simply completes nothing.
Resident IDs are never offered: people complete by name.
"""

# No `from __future__ import annotations` here: typer reads the signature of every
# completion function as it builds the command line, at every start, and an annotation
# written as a string costs a compile each time (about 5 ms in all).

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


def paid_channels(incomplete: str) -> list[tuple[str, str]]:
    from famcov.domain.model import CHANNELS

    return _slugs(CHANNELS, "channel", incomplete)


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


def people(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """`--id` of the bureau's commands: everyone the records know, by name (a name two
    people share is not offered: it names neither). A command that records someone new
    (add-worker, enrol) takes an ID, not a name: nothing is offered there."""
    records = _records(ctx)
    if records is None or getattr(ctx, "info_name", None) in ("add-worker", "enrol"):
        return []
    state = records.state
    ids: dict[str, set[str]] = {}
    for group in (state.workers, state.enrolments, state.employees):
        for r in group:
            ids.setdefault(r.name, set()).add(r.id)
    return _matching(((name, "") for name, held in ids.items() if len(held) == 1), incomplete)


def statuses(incomplete: str) -> list[tuple[str, str]]:
    from famcov.domain.model import WORKER_STATUSES

    return _matching(((s, "") for s in WORKER_STATUSES), incomplete)


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


def named_shell(argv: list[str], commands: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """The shell each completion flag names (`--install-completion bash` or `=bash`; ""
    where `=` names none), and argv without them: typer takes only the shell it finds
    above itself, which a script, a service or Windows' cmd does not give."""
    named: dict[str, str] = {}
    rest: list[str] = []
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
            named[flag] = (following or "").lower()
        elif following is not None:
            rest.append(following)
    return named, rest


_RC_FILES = {"bash": (".bashrc", ".bash_completions"), "zsh": (".zshrc", ".zfunc")}


def _install_whole(install: Any, shell: str) -> tuple[str, Any]:
    """typer's install, all or nothing: it writes the shell's start-up file (~/.bashrc)
    before the script that file loads, so a script it cannot write would leave every new
    shell loading a missing file; then the start-up file is put back as it was, and a
    folder it made is removed. PowerShell's installer runs the program itself: where it
    is not on PATH, that is said, not a missing folder."""
    import os
    import shutil
    import sys
    from pathlib import Path

    from famcov.errors import FamcovError

    if shell in ("powershell", "pwsh") and shutil.which(shell) is None:
        raise FamcovError("COMPLETION_SHELL", {"shell": shell}, message_key="completion.no_program")
    rc_name, folder_name = _RC_FILES.get(shell, (None, None))
    home_set = os.environ.get("HOME", "")
    if sys.platform != "win32" and not os.path.isabs(home_set):  # unset, "" ("/") or relative
        raise FamcovError("COMPLETION_SHELL", {"shell": shell}, message_key="completion.no_home")
    home = Path.home()
    if rc_name and "'" in str(home):  # typer writes source '<path>': a quote would end it
        raise FamcovError("COMPLETION_SHELL", {"shell": shell}, message_key="completion.quote")
    rc = home / rc_name if rc_name else None
    folder = home / folder_name if folder_name else None
    if rc is not None and rc.exists() and not rc.is_file():  # a link to a file is fine
        # a pipe would hang the read, a device (or a link to one) take the line nowhere
        raise FamcovError("FILE_UNUSABLE", {"path": str(rc)}, message_key="completion.not_file")
    before = rc.read_bytes() if rc is not None and rc.is_file() else None
    made = folder is not None and not folder.exists()
    try:
        return install(shell=shell)
    except BaseException:
        if rc is not None and rc.is_file():
            if before is None:
                rc.unlink()
            else:
                rc.write_bytes(before)
        if made and folder is not None and folder.is_dir() and not os.listdir(folder):
            folder.rmdir()
        raise


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
        shell = given[flag] if flag in given else _get_shell_name()
        if shell not in SHELLS:
            raise FamcovError("COMPLETION_SHELL", {"flag": flag, "shells": list(SHELLS)})
        return shell

    def installed(ctx, param, value):
        if not value or ctx.resilient_parsing:
            return value
        from famcov.i18n import t
        from famcov.output import render

        shell, path = _install_whole(install, which("--install-completion"))
        out = render.console()
        said = t("completion.installed", shell=shell, path=str(path))  # str: echoed escaped
        out.print(f"[green]✓[/] {render.esc(said)}")
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
