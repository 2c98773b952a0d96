"""The wizard's speed in a pseudo-terminal (issue 10): time to the first prompt, and
from Enter to the next step's prompt on a large state. Used by benchmarks/run.py."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROWS, COLS = 24, 80
SELECT = "(↑/↓ to move, Enter to choose)"  # wiz.ui.select, en: on every select prompt
ENTER, UP = "\r", "\x1b[A"
TIMEOUT = 30


def pty_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env.update(LANG="C.UTF-8", NO_COLOR="1", TERM="xterm-256color")
    return env


def spawn(argv: list[str]):
    import pexpect

    child = pexpect.spawn(
        argv[0],
        argv[1:],
        env=pty_env(),
        dimensions=(ROWS, COLS),
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    return child


def wizard_argv(state: Path, today: str) -> list[str]:
    return [sys.executable, "-m", "famcov", "--state", str(state), "--today", today, "--lang", "en"]


CPR = "\x1b[6n"  # prompt_toolkit asks where the cursor is; a terminal answers at once


def wait_for(child, text: str) -> None:
    """Until `text` is on screen, answering cursor-position requests as a terminal does
    (unanswered, prompt_toolkit waits for the answer before it finishes a prompt)."""
    while child.expect_exact([text, CPR]) == 1:
        child.send("\x1b[1;1R")


def leave(child) -> None:
    """Ctrl-C, and wait for the wizard to go (it says nothing was written, exit 130)."""
    import pexpect

    child.sendcontrol("c")
    while child.expect_exact([pexpect.EOF, CPR]) == 1:
        child.send("\x1b[1;1R")
    child.close()


@dataclass
class Timed:
    label: str
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def first_prompt(argv: list[str]) -> float:
    """Seconds from starting the wizard until its first prompt is on screen."""
    start = time.perf_counter()
    child = spawn(argv)
    wait_for(child, SELECT)
    seconds = time.perf_counter() - start
    leave(child)
    return seconds


def whole_process(argv: list[str]) -> float:
    """Seconds a command takes in the same pseudo-terminal, start to exit."""
    import pexpect

    start = time.perf_counter()
    child = spawn(argv)
    child.expect(pexpect.EOF)
    seconds = time.perf_counter() - start
    child.close()
    return seconds


def race_first_prompt(state: Path, today: str, repeat: int) -> tuple[Timed, Timed]:
    """The wizard's first prompt against `python -c "import questionary"`, interleaved."""
    floor = Timed('python -c "import questionary"')
    wizard = Timed("famcov (wizard) to its first prompt")
    baseline = [sys.executable, "-c", "import questionary"]
    argv = wizard_argv(state, today)
    whole_process(baseline)  # warm-up: bytecode, page cache
    first_prompt(argv)
    for _ in range(repeat):
        floor.times.append(whole_process(baseline))
        wizard.times.append(first_prompt(argv))
    return floor, wizard


def enter_to_next_step(state: Path, today: str, payer: str, rounds: int) -> Timed:
    """On the home menu: Enter on 亲情账户 until its menu is on screen, then ← back and
    Enter until the home menu's prompt is back; each Enter to the next prompt timed."""
    timed = Timed("Enter to the next step")
    child = spawn(wizard_argv(state, today))
    wait_for(child, "type the payer's name or resident ID")
    child.send(payer + ENTER)
    wait_for(child, SELECT)
    for _ in range(rounds):
        start = time.perf_counter()
        child.send(ENTER)  # 亲情账户, the first choice
        wait_for(child, "Add a family member")
        timed.times.append(time.perf_counter() - start)
        child.send(UP)  # the last choice: ← back to home
        time.sleep(0.05)
        start = time.perf_counter()
        child.send(ENTER)
        wait_for(child, "famcov · Home")
        wait_for(child, SELECT)
        timed.times.append(time.perf_counter() - start)
    leave(child)
    return timed


# A bare questionary loop: the same two kinds of select, so that what famcov adds to
# an Enter can be told from what the prompt library itself takes.
BARE_LOOP = """
import questionary
home = ["Family account", "Pay", "Look up", "Account", "Policy", "Training", "Notes",
        "Language", "Quit"]
family = ["Add a family member", "Remove", "Members", "Verify", "Back to home"]
while True:
    print("famcov · Home")
    questionary.select("Choose", choices=home, instruction="(↑/↓ to move, Enter to choose)").unsafe_ask()
    questionary.select("Family", choices=family, instruction="(↑/↓ to move, Enter to choose)").unsafe_ask()
"""


def enter_floor(rounds: int) -> Timed:
    """Enter to the next prompt in a bare questionary loop (the prompt library's floor)."""
    timed = Timed("questionary alone: Enter to the next prompt")
    child = spawn([sys.executable, "-c", BARE_LOOP])
    wait_for(child, SELECT)
    for _ in range(rounds):
        start = time.perf_counter()
        child.send(ENTER)
        wait_for(child, "Add a family member")
        timed.times.append(time.perf_counter() - start)
        child.send(UP)
        time.sleep(0.05)
        start = time.perf_counter()
        child.send(ENTER)
        wait_for(child, "famcov · Home")
        wait_for(child, SELECT)
        timed.times.append(time.perf_counter() - start)
    leave(child)
    return timed
