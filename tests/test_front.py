"""The wizard's first screen, asked before the rest of famcov has loaded
(famcov.front): it is taken only for a start the command line would run as
it is, it says the same as the home menu would, and what comes after it is the same.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, ZHANG_WEI
from hypothesis import given, settings
from hypothesis import strategies as st
from test_wizard_pty import CTRL_C, ENTER, Terminal, json_run, pinned_env

from famcov import front, options
from famcov.errors import FamcovError

pexpect = pytest.importorskip("pexpect")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {}),
        (["--lang", "en"], {"lang": "en"}),
        (["--state=s.json", "--today", "2027-01-05"], {"state": "s.json", "today": "2027-01-05"}),
        (["--channel", "counter", "--explain"], {"channel": "counter", "explain": True}),
        (["--lang="], {"lang": ""}),  # empty, as given: the command line says it is wrong
    ],
)
def test_a_bare_start_is_read_as_the_command_line_reads_it(
    argv: list[str], expected: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in options.GLOBAL_VALUES.values():
        monkeypatch.delenv(name, raising=False)
    defaults = {"state": None, "lang": "zh", "today": None, "channel": None, "explain": False}
    assert options.bare_start(argv) == {**defaults, **expected}


def test_the_environment_counts_as_the_command_line_counts_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAMCOV_LANG", "en")
    monkeypatch.setenv("FAMCOV_TODAY", "")  # empty: not given, as click reads it
    monkeypatch.setenv("FAMCOV_STATE", "from-env.json")
    found = options.bare_start(["--state", "given.json"])
    assert found is not None
    assert (found["lang"], found["today"], found["state"]) == ("en", None, "given.json")


@pytest.mark.parametrize(
    "argv",
    [
        ["pay"],
        ["--json"],
        ["--help"],
        ["--version"],
        ["--lang", "en", "family"],
        ["--state", "a.json", "--state", "b.json"],  # which file? the command line says
        ["--state"],
        ["--state", "--lang", "en"],
        ["--explain=yes"],
        ["--"],
        ["-h"],
    ],
)
def test_anything_but_a_bare_start_goes_the_usual_way(argv: list[str]) -> None:
    assert options.bare_start(argv) is None


def test_a_shell_asking_for_completions_goes_the_usual_way(monkeypatch) -> None:
    monkeypatch.setenv("_FAMCOV_COMPLETE", "bash_source")
    assert options.bare_start([]) is None


FLAGS = ["--state", "--lang", "--today", "--channel", "--explain", "--json", "--help", "--version"]
WORDS = ["--state=x.json", "--lang=en", "en", "zh", "x.json", "2027-01-05", "pay", "--", "-x"]
TOKENS = st.sampled_from(FLAGS + WORDS)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_the_first_screen_never_takes_an_argv_the_command_line_would_refuse(
    argv: list[str],
) -> None:
    """Whatever the first screen takes, the command line reads as the same bare start:
    no usage error, and no command among the words."""
    if options.bare_start(argv) is None:
        return
    try:
        hoisted = options.hoist(argv)
    except FamcovError as exc:  # pragma: no cover - the assertion says which
        pytest.fail(f"{argv} taken by the first screen, refused by the command line: {exc}")
    values = set(options.GLOBAL_VALUES)
    i = 0
    while i < len(hoisted):
        word = hoisted[i]
        assert word == "--explain" or word.split("=", 1)[0] in values, argv
        i += 1 if "=" in word or word == "--explain" else 2


def test_the_first_screen_is_the_home_menus_own(tmp_path: Path) -> None:
    """Header, lines, question and choices as the home menu draws them, read with
    every check of the usual read; None where the home menu shows something else."""
    state = tmp_path / "state.json"
    given = {"state": str(state), "lang": "en", "today": None, "channel": None, "explain": False}
    kind, label, lines, question, choices = front.screen_lines(given)
    assert (kind, label, question) == (
        "start",
        "famcov · Welcome to famcov",
        "How would you like to start?",
    )
    assert all(line.startswith("  ") for line in lines)  # as the home menu's info lines
    said = "".join(" ".join(line.strip() for line in lines).split())  # a long path folds
    assert said.startswith("".join(f"There is no state file yet ({state})".split()))
    assert [value for _, value in choices] == ["demo", "scenario", "own", "quit"]
    json_run(state, "init", "--demo")
    kind, label, lines, question, choices = front.screen_lines(given)
    assert (kind, label, lines) == ("payer", "famcov · Payer", [])
    assert question == "Who is paying (the employee)?"
    assert [value for _, value in choices] == [ZHANG_WEI, "510105198708230025"]
    assert choices[0][0].startswith("张伟  510104********0017  Chengdu  balance ¥")
    state.write_text(state.read_text().replace('"balance"', '"balanse"', 1))
    with pytest.raises(FamcovError):  # the usual way then says what is wrong
        front.screen_lines(given)


def test_the_first_run_starts_from_the_first_screens_answer(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    term = Terminal(state, lang="en")
    term.ask("wiz.first.ask", ENTER)  # the demo family
    term.see(term.m["wiz.ui.continue"])
    term.child.send(ENTER)
    term.ask("channel.wiz.province.ask", CTRL_C)
    assert term.finish() == 0  # the demo was saved: it stands (CLI.md)
    assert json_run(state, "family", "--payer", ZHANG_WEI)["ok"]


def test_a_change_made_while_the_first_question_waits_shows_after_it(tmp_path: Path) -> None:
    """The first screen's records are not kept past a change to the file: a credit
    made from another terminal meanwhile shows on the home menu at once."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    term = Terminal(state, lang="en")
    term.see(term.m["wiz.payer.ask"])
    json_run(state, "admin", "credit", "--id", ZHANG_WEI, "--amount", "100")
    term.child.send(ENTER)
    term.see("balance ¥1368.50")
    term.ask("wiz.home.ask", CTRL_C)
    assert term.finish() == 130


def test_a_damaged_file_is_said_by_the_usual_way(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    state.write_text(state.read_text().replace('"balance"', '"balanse"', 1))
    before = state.read_bytes()
    term = Terminal(state, lang="en")
    term.see("famcov doctor")  # STATE_CORRUPT: what is wrong, and what to do
    assert term.finish() == 3
    assert state.read_bytes() == before


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5])
def test_ctrl_c_while_the_first_screen_loads_says_nothing_was_written(
    tmp_path: Path, delay: float
) -> None:
    """SIGINT at any moment of the start (the state being read, the prompt library half
    loaded, the question on screen): exit 130, said, nothing written."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "famcov", "--today", DEMO_TODAY, "--lang", "en"],
        env=pinned_env(state),
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=15,
    )
    time.sleep(delay)
    child.kill(signal.SIGINT)
    child.expect(pexpect.EOF)
    child.close()
    said = child.before or ""
    # Python's own start (its streams, site.py, the runpy module `-m` needs)
    if "Fatal Python error: init_" in said or "Could not import runpy module" in said:
        assert state.read_bytes() == before  # not one line of famcov had run
        return
    frames = re.findall(r'File "([^"]+)"', said)
    if "KeyboardInterrupt" in said and all(f.startswith("<frozen ") for f in frames):
        # Python's own start too: runpy finding and reading famcov/__main__.py
        assert state.read_bytes() == before
        return
    assert "Traceback" not in said
    if child.signalstatus == signal.SIGINT and not said:
        return  # Python itself was starting: famcov's first line had not run (see guarantees)
    assert child.exitstatus == 130, said
    assert "Interrupted" in said
    assert state.read_bytes() == before


def _spawn(argv: list[str], state: Path, cols: int = 80):
    return pexpect.spawn(
        argv[0],
        argv[1:],
        env=pinned_env(state),
        encoding="utf-8",
        dimensions=(24, cols),
        timeout=15,
    )


def _ended(child) -> tuple[int | None, str]:
    child.expect(pexpect.EOF)
    child.close()
    said = child.before or ""
    assert "Traceback" not in said and "Exception ignored" not in said, said
    return child.exitstatus, said


WIZARD = [sys.executable, "-m", "famcov", "--today", DEMO_TODAY, "--lang", "en"]


def test_a_bad_option_is_said_at_once_not_after_the_first_answer(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    code, said = _ended(_spawn([*WIZARD, "--lang="], state))
    assert code == 2 and "--lang" in said and "Who is paying" not in said


@pytest.mark.parametrize("choice", ["demo", "quit"])
def test_the_first_run_choice_stands_if_the_file_appears_meanwhile(
    tmp_path: Path, choice: str
) -> None:
    """Another terminal creates the state while the welcome menu waits: Quit still
    quits, and the demo family is told the file exists, as before the first screen."""
    state = tmp_path / "state.json"
    term = Terminal(state, lang="en")
    term.see(term.m["wiz.first.ask"])
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    term.child.send(ENTER if choice == "demo" else "\x1b[A" + ENTER)
    if choice == "quit":
        term.see(term.m["wiz.first.later"][:30])
        assert term.finish() == 0
    else:
        term.see("--force")
        assert term.finish() == 3
    assert state.read_bytes() == before


@pytest.mark.parametrize("delay", [0.0, 0.03, 0.06, 0.09, 0.12, 0.2])
def test_ctrl_c_right_after_the_first_answer_is_said(tmp_path: Path, delay: float) -> None:
    """While the home menu takes over from the first screen: exit 130, nothing written."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    child = _spawn(WIZARD, state)
    child.expect_exact("Who is paying")
    child.send(ENTER)
    time.sleep(delay)
    child.kill(signal.SIGINT)
    code, said = _ended(child)
    assert code == 130 and "Interrupted" in said, said
    assert state.read_bytes() == before


IGNORING_SIGCHLD = "import os, signal, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); "
IGNORING_SIGCHLD += "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"


def test_a_start_with_sigchld_ignored_still_draws_the_first_screen(tmp_path: Path) -> None:
    """Children are then reaped by the system: nothing of the start waits for one."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    child = _spawn([sys.executable, "-c", IGNORING_SIGCHLD, *WIZARD[1:]], state)
    child.expect_exact("Who is paying")
    child.send(CTRL_C)
    code, _ = _ended(child)
    assert code == 130


def test_a_terminal_gone_at_the_first_question_is_said_not_a_traceback(tmp_path: Path) -> None:
    """The terminal closes under a famcov that ignores SIGHUP (nohup): the first
    question fails to read, and that is said in one sentence, as any command's failure."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    err = tmp_path / "err.txt"
    line = " ".join([*WIZARD, "2>" + str(err)])
    child = _spawn(["/bin/sh", "-c", f"trap '' HUP; exec {line}"], state)
    child.expect_exact("Who is paying")
    pid = child.pid
    child.ptyproc.fileobj.close()  # the terminal goes away (its fd closed once, by its owner)
    for _ in range(150):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.1)
    else:  # pragma: no cover - the assertion says it
        pytest.fail("famcov went on running without its terminal")
    said = err.read_text()
    assert "Traceback" not in said, said
    assert os.waitstatus_to_exitcode(status) not in (0, 130)


STALLED_READ = (
    "import sys, time; import famcov.front as front; "
    "front.screen_lines = lambda given: (print('reading the state', flush=True), time.sleep(60)); "
    "sys.argv[0] = 'famcov'; from famcov.entry import main; main()"
)


def test_ctrl_c_while_the_state_read_hangs_ends_the_start(tmp_path: Path) -> None:
    """A read that never ends (a hung network file system, here a read that sleeps):
    Ctrl-C ends the start at once, said like any other, nothing written."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    child = _spawn([sys.executable, "-c", STALLED_READ, *WIZARD[3:]], state)
    child.expect_exact("reading the state")  # the prompt library is not even loaded
    started = time.monotonic()
    child.kill(signal.SIGINT)
    code, said = _ended(child)
    assert time.monotonic() - started < 10
    assert code == 130 and "Interrupted" in said, said
    assert state.read_bytes() == before


SLOW_PRELOAD = (  # the preload thread stays in its imports; the main thread imports as usual
    "import importlib, sys, threading, time; "
    "real = importlib.import_module; "
    "importlib.import_module = lambda name, *a: real(name, *a) "
    "if threading.current_thread() is threading.main_thread() else time.sleep(60); "
    "sys.argv[0] = 'famcov'; from famcov.entry import main; main()"
)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_ctrl_c_while_the_home_menu_loads_behind_the_question_ends_it(tmp_path: Path) -> None:
    """While the first question waits, a thread loads the home menu. The system may give
    a Ctrl-C to any thread that does not block it, and one the loading thread took would
    wait for the next key (the main thread sleeps in the question's wait): the thread
    blocks it, so the main thread takes it and the question ends at once."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    child = _spawn([sys.executable, "-c", SLOW_PRELOAD, *WIZARD[3:]], state)
    child.expect_exact("Who is paying")
    tasks = Path(f"/proc/{child.pid}/task")
    for _ in range(200):  # the thread starts once the question is drawn
        others = [t for t in tasks.iterdir() if t.name != str(child.pid)]
        if others:
            break
        time.sleep(0.01)
    assert others, "no thread loads the home menu"
    for task in others:
        blocked = next(
            line for line in (task / "status").read_text().splitlines() if line.startswith("SigBlk")
        )
        assert int(blocked.split()[1], 16) & (1 << (signal.SIGINT - 1)), blocked
    child.kill(signal.SIGINT)
    code, said = _ended(child)
    assert code == 130 and "Interrupted" in said, said
    assert state.read_bytes() == before
