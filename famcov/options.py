"""The global options, read in one place: before or after the command, each once.

typer declares them (famcov.cli, for --help and parsing); this module reads a
command line's words for what must be known before typer has parsed anything:
where click will find them (`hoisted`: after the command they are moved before
it), a value given twice or without one (a usage error, said once), --json and
--lang for an error raised before parsing, and whether the words are a bare
start the wizard's first screen can take (famcov.front). No typer, no rich: the
first screen reads its options with it before either has loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TypedDict

from famcov.errors import FamcovError

# The global options that take a value, and the environment variable each falls back on.
GLOBAL_VALUES = {
    "--state": "FAMCOV_STATE",
    "--lang": "FAMCOV_LANG",
    "--today": "FAMCOV_TODAY",
    "--channel": "FAMCOV_CHANNEL",
}
GLOBAL_FLAGS = ("--json", "--explain", "--version")
# Commands with an option of their own by a global option's name (`admin record-payment
# --channel tax` is the channel a premium was paid through, not the channel practised).
OWN_OPTIONS: dict[str, tuple[str, ...]] = {"admin": ("--channel",)}


@dataclass
class Scanned:
    """What one command line's words say of the global options."""

    hoisted: list[str]  # the words with the global options after the command moved before it
    values: dict[str, str] = field(default_factory=dict)  # --state ... as given (the first)
    flags: set[str] = field(default_factory=set)  # --json, --explain, --version
    others: list[str] = field(default_factory=list)  # every other word: a command, --help ...
    problem: FamcovError | None = None  # a value given twice or without one

    @property
    def json(self) -> bool:
        return "--json" in self.flags

    @property
    def lang(self) -> str:
        """The language errors are said in before the options are parsed."""
        lang = self.values.get("--lang", os.environ.get(GLOBAL_VALUES["--lang"], "zh"))
        return lang if lang in ("zh", "en") else "zh"

    def resolved(self) -> dict[str, str | None]:
        """Each value option as click reads it: given (empty too), else a non-empty
        environment variable, else None."""
        return {
            flag.lstrip("-"): self.values[flag]
            if flag in self.values
            else (os.environ.get(env) or None)
            for flag, env in GLOBAL_VALUES.items()
        }


def scan(argv: list[str]) -> Scanned:
    """Read `argv` once; stops at `--`. A problem is kept, not raised (`hoist` raises)."""
    front: list[str] = []
    rest: list[str] = []
    found = Scanned(hoisted=argv)
    own: tuple[str, ...] = ()  # the options of the command seen, its own by a global's name
    i, seen_command = 0, False

    def note(problem: FamcovError) -> None:
        found.problem = found.problem or problem

    while i < len(argv):
        arg = argv[i]
        name, has_value, value = arg.partition("=")
        if arg == "--":
            rest += argv[i:]
            found.others += argv[i:]
            break
        if seen_command and name in own:  # the command's own option: left where it is
            width = 1 if has_value else 2
            rest += argv[i : i + width]
            found.others += argv[i : i + width]
            i += width
            continue
        if name in GLOBAL_VALUES:
            if name in found.values:  # two --state: which file was meant?
                note(FamcovError("USAGE", {"flag": name}, message_key="error.GIVEN_TWICE"))
            if not has_value:
                if i + 1 >= len(argv) or argv[i + 1].startswith("--"):
                    note(FamcovError("USAGE", {"flag": name}, message_key="error.NEEDS_VALUE"))
                    rest.append(arg)
                    i += 1
                    continue
                value = argv[i + 1]
            found.values.setdefault(name, value)
            width = 1 if has_value else 2
            (front if seen_command else rest).extend(argv[i : i + width])
            i += width
            continue
        if arg in GLOBAL_FLAGS:
            found.flags.add(arg)
            (front if seen_command else rest).append(arg)
        else:
            found.others.append(arg)
            if not seen_command:
                seen_command = not arg.startswith("-")
                own = OWN_OPTIONS.get(arg, ()) if seen_command else ()
            rest.append(arg)
        i += 1
    found.hoisted = front + rest if front else list(argv)
    return found


def hoist(argv: list[str]) -> list[str]:
    """Global options given after the command (`famcov family --payer X --json`) moved
    before it, where click reads them; everything else keeps its order. A value option
    given twice or without a value is a usage error."""
    found = scan(argv)
    if found.problem is not None:
        raise found.problem
    return found.hoisted


class BareStart(TypedDict):
    """A bare start's options: open_session's keywords."""

    state: str | None
    lang: str
    today: str | None
    channel: str | None
    explain: bool


def bare_start(argv: list[str]) -> BareStart | None:
    """The global options of a bare `famcov` (nothing but --state, --lang, --today,
    --channel, --explain, each once, with a value), resolved as click would resolve them;
    None for anything else, which the command line reads and says."""
    found = scan(argv)
    if found.problem is not None or found.others or found.flags - {"--explain"}:
        return None
    if os.environ.get("_FAMCOV_COMPLETE"):  # the shell asks for completions
        return None
    resolved = found.resolved()
    lang = resolved["lang"]
    return BareStart(
        state=resolved["state"],
        lang=lang if lang is not None else "zh",
        today=resolved["today"],
        channel=resolved["channel"],
        explain="--explain" in found.flags,
    )
