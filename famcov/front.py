"""The wizard's first screen, on screen as soon as the prompt library can draw it.

Plain `famcov` on a terminal opens on the payer's choice (or, with no state file yet,
on how to start). The prompt library takes
most of a start to load; reading the state file and the policy packs takes a fifth
more. Here the two happen side by side: a forked copy of the process reads the state
(every check of the usual read), makes the screen's lines and hands them over a pipe,
while this process loads the prompt library. Once the question is on screen, what the
home menu needs next (the command line, rich, the records themselves) loads in a
thread while the question is read (`PRELOAD`), and the answer is handed to the home
menu (`cli.main(first=...)`), which carries on from it.

Only a start that the command line would run as it is takes this way: nothing but the
global options, each valid, on a terminal, where processes fork, with a state file
that reads cleanly and a choice of two to twelve workers, or no state file yet.
Anything else (a command, --help, --explain, a damaged file) returns None here and goes
the one usual way, which says what is wrong. Nothing here writes.
"""

from __future__ import annotations

import os
from typing import Any

# The global options that take a value, and the environment variable each falls back
# on: the command line declares its options from this (famcov.cli), and a bare start
# is read by it here.
GLOBAL_VALUES = {
    "--state": "FAMCOV_STATE",
    "--lang": "FAMCOV_LANG",
    "--today": "FAMCOV_TODAY",
    "--channel": "FAMCOV_CHANNEL",
}
# What the home menu needs next, loaded while the first question is read.
PRELOAD = (
    "rich.console",
    "rich.text",
    "rich.table",
    "rich.panel",
    "famcov.fold",
    "famcov.cli",
    "famcov.wizard.home",
)


class First:
    """The first screen's answer: the payer chosen ("payer"), or how to start when there
    is no state file yet ("start"); and the records read meanwhile (or None)."""

    def __init__(self, kind: str, answer: Any, read: tuple[Any, Any] | None = None) -> None:
        self.kind = kind
        self.answer = answer
        self.read = read  # (the state file's signature, its Records), as Wizard keeps it


def options(argv: list[str]) -> dict[str, Any] | None:
    """The global options of a bare `famcov`, or None for anything else (a command,
    a flag given twice or without a value, --json, --help, --version...)."""
    given: dict[str, str] = {}
    explain = False
    i = 0
    while i < len(argv):
        name, has_value, value = argv[i].partition("=")
        if name == "--explain" and not has_value:
            explain = True
            i += 1
            continue
        if name not in GLOBAL_VALUES or name in given:
            return None
        if not has_value:
            if i + 1 >= len(argv) or argv[i + 1].startswith("--"):
                return None
            value = argv[i + 1]
            i += 1
        given[name] = value
        i += 1
    if os.environ.get("_FAMCOV_COMPLETE"):  # the shell asks for completions
        return None
    # as click reads them: a flag's value as given (empty too), else a non-empty variable
    found = {
        flag.lstrip("-"): given[flag] if flag in given else (os.environ.get(env) or None)
        for flag, env in GLOBAL_VALUES.items()
    }
    lang = found["lang"]
    return {**found, "lang": "zh" if lang is None else lang, "explain": explain}


def first_screen(argv: list[str]) -> First | None:
    """Ask the first question of a bare `famcov` on a terminal; None to go the usual way.
    Ctrl-C at the question comes out as KeyboardInterrupt (nothing was written)."""
    given = options(argv)
    if given is None or given["explain"] or not _on_terminal() or not hasattr(os, "fork"):
        return None  # a training note, or no terminal: the usual way draws or says it
    waiting = _read_aside(given)
    from famcov.i18n import set_lang
    from famcov.wizard import ui  # the prompt library, while the other process reads

    screen = waiting()
    if screen is None:
        return None
    kind, label, lines, question, choices = screen
    label = _shown(label)  # as the terminal shows it (famcov.output)
    if not _fits(label):  # folded above the rule: the home menu does that
        return None
    # Ctrl-C stays held from famcov's first line (entry.py) until the command line takes
    # over (cli.guarded): one that comes before the question is raised as it is asked,
    # at the question it ends it (ui.Asker), after it it is said by the command line.
    loading: list[Any] = []
    try:
        set_lang(given["lang"])
        _header(label)
        for line in lines:
            print(line)
        asker = ui.Asker(when_shown=lambda: loading.append(_preload(given, read=kind == "payer")))
        answer = asker.select(question, [tuple(choice) for choice in choices])
    finally:
        read = [loaded() for loaded in loading]
    return First(kind, answer, read[0] if read else None)


def screen_lines(given: dict[str, Any]):
    """The first screen as the home menu would draw it: (kind, header, lines under it,
    question, choices), from the state as the usual read finds it (every check); None
    when the home menu would draw something else first (one worker, a list too long
    to show)."""
    import shutil

    from famcov.i18n import set_lang, t
    from famcov.session import open_session
    from famcov.wizard import screen

    set_lang(given["lang"])
    session = open_session(**given)
    store = session.store
    if store.signature() is None:  # a first run: what to start with
        label = screen.header_label(title="famcov", stage=None, total=0, name=t("wiz.first.title"))
        width = shutil.get_terminal_size((80, 24)).columns
        said = t("wiz.first.no_state", path=str(session.state_path))
        lines = ["  " + line for line in screen.wrap(said, width - 2)]  # as screen.info
        return "start", label, lines, t("wiz.first.ask"), screen.start_choices()
    workers = store.records().state.workers
    if not 2 <= len(workers) <= screen.LONG_LIST:
        return None
    label = screen.header_label(title="famcov", stage=None, total=0, name=t("wiz.stage.payer"))
    return "payer", label, [], t("wiz.payer.ask"), screen.payer_choices(session.policy, workers)


def _on_terminal() -> bool:
    try:
        return os.isatty(0) and os.isatty(1)
    except OSError:
        return False


def _read_aside(given: dict[str, Any]):
    """Fork a copy that makes `screen_lines` and sends them back; returns the function
    that waits for them (None if the copy found a reason to go the usual way)."""
    import contextlib
    import marshal

    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: reads, writes its answer to the pipe, and ends at once
        try:
            os.close(reading)
            try:
                found = screen_lines(given)
            except BaseException:  # the usual way reads it again and says what is wrong
                found = None
            data = memoryview(marshal.dumps(found))
            while data:
                data = data[os.write(writing, data) :]
        finally:
            os._exit(0)  # nothing of the parent's (buffers, exit handlers) is run twice
    os.close(writing)

    def wait():
        chunks = []
        try:
            while chunk := os.read(reading, 1 << 16):
                chunks.append(chunk)
        finally:
            os.close(reading)
            with contextlib.suppress(ChildProcessError):  # SIGCHLD ignored: reaped already
                os.waitpid(pid, 0)
        try:
            return marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):  # the copy ended without a word
            return None

    return wait


def _shown(text: str) -> str:
    """`text` as stdout shows it: the glyphs fitted to its stream (famcov.output)."""
    from famcov.output import stdout_profile

    return stdout_profile().translate(text)


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _fits(label: str) -> bool:
    from prompt_toolkit.utils import get_cwidth

    from famcov.wizard.screen import header_fits

    return header_fits(get_cwidth(label), _width())


def _header(label: str) -> None:
    """`famcov · 代缴人 ────`, as the home menu draws it (famcov.wizard.screen)."""
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.utils import get_cwidth

    rule = " " + _shown("─") * (_width() - get_cwidth(label) - 1)
    print()
    if os.environ.get("TERM") == "dumb":  # as rich draws it there: no styles
        print(label + rule)
        return
    print_formatted_text(FormattedText([("bold fg:ansicyan", label), ("fg:ansicyan", rule)]))


def _preload(given: dict[str, Any], *, read: bool):
    """In a thread, now that the question is on screen: what the home menu needs next,
    and (`read`) the records, so that a large state is not read again after the answer.
    Returns the function that waits for it and gives (signature, records) or None."""
    import importlib
    import threading

    found: list[Any] = []

    def load() -> None:
        try:
            for name in PRELOAD:
                importlib.import_module(name)
            if not read:
                return
            from famcov.session import state_path
            from famcov.store import Store

            store = Store(state_path(given["state"]))
            signature = store.signature()
            found.append((signature, store.records()))
        except Exception:  # read again when needed, and then said
            return

    thread = threading.Thread(target=load, name="famcov-preload", daemon=True)
    thread.start()

    def done():
        thread.join()
        return found[0] if found else None

    return done
