"""The wizard's first screen, on screen as soon as the prompt library can draw it.

Plain `famcov` on a terminal opens on the payer's choice (or, with no state file yet,
on how to start). Most of a start is loading libraries: here the first question is
asked before the command line (typer) and rich have loaded. This module reads the
global options itself (with the command line's names and variables), reads the state
with every check of the usual read, draws the header and the question with the prompt
library alone, and once the question is on screen loads what the home menu needs next
(the command line, rich, the records themselves) in a thread while the question is read
(`PRELOAD`). The answer is handed to the home menu (`cli.main(first=...)`), which
carries on from it. The same way on every OS: no process is forked.

Only a start that the command line would run as it is takes this way: nothing but the
global options, each valid, on a terminal, with a state file that reads cleanly and a
choice of two to twelve workers, or no state file yet. Anything else (a command,
--help, --explain, a damaged file) returns None here and goes the one usual way, which
says what is wrong. Nothing here writes. A Ctrl-C while the state is read ends the
start (`KeyboardInterrupt`, said like any other): a read that hangs (a network file
system) can be left.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from famcov.options import BareStart

# What the home menu needs next, loaded while the first question is read.
PRELOAD = (
    "rich.console",
    "rich.text",
    "rich.table",
    "rich.panel",
    "famcov.output.fold",
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


def first_screen(argv: list[str]) -> First | None:
    """Ask the first question of a bare `famcov` on a terminal; None to go the usual way.
    Ctrl-C at the question comes out as KeyboardInterrupt (nothing was written)."""
    from famcov.options import bare_start

    given = bare_start(argv)
    if given is None or given["explain"] or not _on_terminal():
        return None  # a training note, or no terminal: the usual way draws or says it
    screen = _read(given)
    if screen is None:
        return None
    from famcov.i18n import set_lang
    from famcov.wizard import ui  # the prompt library

    kind, label, lines, question, choices = screen
    label = _shown(label)  # as the terminal shows it (famcov.output)
    if not _fits(label):  # folded above the rule: the home menu does that
        return None
    # Ctrl-C stays held from famcov's first line (entry.py) until the command line takes
    # over (cli.guarded): one that comes before the question is raised as it is asked,
    # at the question it ends it (ui.Asker), after it it is said by the command line.
    # A Ctrl-C at the question ends famcov at once: what loads meanwhile (a daemon
    # thread) is not waited for.
    loading: list[Any] = []
    set_lang(given["lang"])
    _header(label)
    for line in lines:
        print(line)
    asker = ui.Asker(when_shown=lambda: loading.append(_preload(given, read=kind == "payer")))
    answer = asker.select(question, [tuple(choice) for choice in choices])
    read = [loaded() for loaded in loading]
    return First(kind, answer, read[0] if read else None)


def screen_lines(given: BareStart):
    """The first screen as the home menu would draw it: (kind, header, lines under it,
    question, choices), from the state as the usual read finds it (every check); None
    when the home menu would draw something else first (one worker, a list too long
    to show)."""
    import shutil

    from famcov.i18n import set_lang, t
    from famcov.output import screen
    from famcov.session import open_session

    set_lang(given["lang"])
    session = open_session(**given)
    if not os.path.lexists(session.state_path):  # a first run (the store, msgspec: not yet)
        label = screen.header_label(title="famcov", stage=None, total=0, name=t("wiz.first.title"))
        width = shutil.get_terminal_size((80, 24)).columns
        said = t("wiz.first.no_state", path=str(session.state_path))
        lines = ["  " + line for line in screen.wrap(said, width - 2)]  # as screen.info
        return "start", label, lines, t("wiz.first.ask"), screen.start_choices()
    workers = session.store.records().state.workers
    if not 2 <= len(workers) <= screen.LONG_LIST:
        return None
    label = screen.header_label(title="famcov", stage=None, total=0, name=t("wiz.stage.payer"))
    return "payer", label, [], t("wiz.payer.ask"), screen.payer_choices(session.policy, workers)


def _on_terminal() -> bool:
    try:
        return os.isatty(0) and os.isatty(1)
    except OSError:
        return False


def _read(given: BareStart):
    """`screen_lines`, or None where the usual way should read it again and say what is
    wrong. Ctrl-C, held since famcov's first line (entry.py), is raised here: nothing
    has been written, and a read that never ends must not keep the terminal."""
    import signal

    from famcov import signals

    if signals.take():
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return screen_lines(given)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # the usual way reads it again and says what is wrong
        if signals.caused_by_interrupt(exc):  # a Ctrl-C Python wrapped (signals.py)
            raise KeyboardInterrupt from exc
        return None
    finally:
        signal.signal(signal.SIGINT, previous)


def _shown(text: str) -> str:
    """`text` as stdout shows it: the glyphs fitted to its stream (famcov.output)."""
    from famcov.output import stdout_profile

    return stdout_profile().translate(text)


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _fits(label: str) -> bool:
    from prompt_toolkit.utils import get_cwidth

    from famcov.output.screen import header_fits

    return header_fits(get_cwidth(label), _width())


def _header(label: str) -> None:
    """`famcov · 代缴人 ────`, as the home menu draws it (famcov.output.screen)."""
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.utils import get_cwidth

    rule = " " + _shown("─") * (_width() - get_cwidth(label) - 1)
    print()
    if os.environ.get("TERM") == "dumb":  # as rich draws it there: no styles
        print(label + rule)
        return
    print_formatted_text(FormattedText([("bold fg:ansicyan", label), ("fg:ansicyan", rule)]))


def _preload(given: BareStart, *, read: bool):
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
    _start_deaf_to_ctrl_c(thread)

    def done():
        thread.join()
        return found[0] if found else None

    return done


def _start_deaf_to_ctrl_c(thread) -> None:
    """Start `thread` with Ctrl-C blocked in it (it inherits the mask it starts with).
    The system gives a Ctrl-C to any thread that does not block it; taken by this one,
    Python would run the handler only once the main thread woke, and the main thread
    sleeps in the question's wait for a key: the Ctrl-C would wait for the next key.
    Blocked here, it goes to the main thread and ends the question at once."""
    import signal
    import sys

    if sys.platform == "win32":  # no signal masks: the console's Ctrl-C is not a signal
        thread.start()
    else:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            thread.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
