"""Whole wizard flows in a real pseudo-terminal (pexpect), as a person would type them.

Each test starts `python -m famcov` in a pty with a pinned terminal
(100 columns, TERM=xterm, NO_COLOR, no cursor-position requests) and waits
for each question, by its catalogue text, before typing; every wait has a
timeout, so a wrong or missing prompt fails the test instead of hanging.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, ZHANG_WEI, invoke, parse_json

pexpect = pytest.importorskip("pexpect")

DOWN, UP, ENTER, CTRL_C, BACKSPACE = "\x1b[B", "\x1b[A", "\r", "\x03", "\x7f"
TIMEOUT = 15


def messages(lang: str) -> dict[str, str]:
    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    return EN if lang == "en" else ZH


def pinned_env(state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(
        FAMCOV_STATE=str(state),
        COLUMNS="100",
        LINES="40",
        TERM="xterm",
        NO_COLOR="1",
        PROMPT_TOOLKIT_NO_CPR="1",
        PYTHONIOENCODING="utf-8",
    )
    return env


class Terminal:
    """famcov in a pty: `ask(question, keys)` waits for a question, then types."""

    def __init__(self, state: Path, *args: str, lang: str = "zh", today: str = DEMO_TODAY):
        self.m = messages(lang)
        argv = ["-m", "famcov", "--today", today, "--lang", lang, *args]
        self.child = pexpect.spawn(
            sys.executable,
            argv,
            env=pinned_env(state),
            encoding="utf-8",
            dimensions=(40, 100),
            timeout=TIMEOUT,
        )
        self.child.logfile_read = self.screen = io.StringIO()  # all it drew, to look at

    def see(self, text: str) -> None:
        self.child.expect_exact(text)

    def ask(self, key: str, keys: str) -> None:
        """Wait for the question whose catalogue key is `key`, then type `keys`."""
        self.see(self.m[key])
        self.child.send(keys)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert "Traceback" not in (self.child.before or "")
        self.assert_no_whole_id()
        return self.child.exitstatus

    def assert_no_whole_id(self) -> None:
        """Not one resident ID whole on the screen, typed ones included (a projector)."""
        drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.screen.getvalue())
        assert not re.search(r"[0-9]{17}[0-9X]", drawn), drawn[-2000:]


def json_run(state: Path, *args: str) -> dict:
    result = invoke(["--json", "--state", str(state), "--today", DEMO_TODAY, *args])
    return parse_json(result.stdout)


@pytest.fixture
def happy(tmp_path: Path) -> Path:
    state = tmp_path / "state.json"
    assert json_run(state, "scenario", "start", "happy-path")["ok"]
    return state


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_bind_then_pay_then_receipt(happy: Path, lang: str) -> None:
    """A newcomer: the home menu, bind her mother (one typing slip), pay, read the receipt."""
    term = Terminal(happy, lang=lang)
    term.ask("wiz.home.ask", ENTER)  # 亲情账户
    term.ask("wiz.home.family", ENTER)  # 添加家庭成员
    term.see(term.m["wiz.commitment.title"])
    term.ask("wiz.ui.continue", ENTER)  # the letter stays until it is read
    term.ask("wiz.commitment.ask", ENTER)
    term.ask("wiz.bind.name.ask", "刘秀兰" + ENTER)
    term.ask("wiz.bind.id.ask", "510104196003050281" + ENTER)  # wrong check digit
    term.see(term.m["idreason.check_digit"])
    term.child.send(BACKSPACE + "0" + ENTER)
    term.see(term.m["wiz.bind.relation.ask"].format(name="刘秀兰"))
    term.child.send(DOWN + ENTER)  # relation list: 配偶, 父母
    term.ask("wiz.bind.review.ask", ENTER)
    # she is 66: a temporary member until face verification, simulated here
    term.see(term.m["wiz.bind.face.ask"].format(name="刘秀兰"))
    term.child.send(ENTER)
    term.see(term.m["verify.done"].format(name="刘秀兰", id="510104********0280"))
    term.ask("wiz.bind.then", ENTER)  # pay for her now
    term.see(term.m["wiz.pay.stage.where"])
    term.ask("wiz.pay.region.ask", ENTER)
    term.ask("wiz.pay.year.ask", ENTER)
    term.see(term.m["check.passed"])
    term.ask("wiz.pay.insurance.ask", ENTER)
    term.ask("wiz.pay.tier.ask", ENTER)
    term.see(term.m["wiz.review.title"])
    term.ask("wiz.review.ask", ENTER)
    term.see(term.m["receipt.title_fresh"])
    term.see("1600.00")
    term.ask("wiz.ui.continue", ENTER)  # the receipt stays until it is read
    term.ask("wiz.home.ask", UP + ENTER)  # 退出
    assert term.finish() == 0

    paid = json_run(happy, "payments")["payments"]
    assert [(p["relative"]["name"], p["year"], p["amount"]) for p in paid] == [
        ("刘秀兰", 2027, "400.00")
    ]


@pytest.mark.parametrize("delay", [0.0, 0.03, 0.08, 0.2])
def test_ctrl_c_right_after_submitting_tells_the_truth(tmp_path: Path, delay: float) -> None:
    """`famcov pay` opened on a terminal, Ctrl-C just after the final yes (CLI.md): before
    the payment is saved, it is not made and that is said (130); once saved, the flow
    finishes and shows its receipt (0). Never a payment made and reported as not."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = len(json_run(state, "payments")["payments"])
    term = Terminal(state, "pay", "--payer", "张伟", lang="en")
    for key in ("wiz.pay.relative.ask", "wiz.pay.region.ask", "wiz.pay.year.ask"):
        term.ask(key, ENTER)
    term.ask("wiz.pay.insurance.ask", ENTER)
    term.ask("wiz.pay.tier.ask", ENTER)
    term.ask("wiz.review.ask", ENTER)
    time.sleep(delay)
    term.child.kill(signal.SIGINT)
    code = term.finish()
    said = re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", term.screen.getvalue()))
    payments = json_run(state, "payments")["payments"]
    if len(payments) == before:
        assert code == 130 and "Interrupted; nothing was written." in said, said
        return
    assert len(payments) == before + 1, payments
    assert code == 0 and payments[-1]["no"] in said and "Interrupted" not in said, said


def test_going_back_a_step_in_pay(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    term = Terminal(state, "pay", "--payer", "张伟")
    term.ask("wiz.pay.relative.ask", ENTER)  # 张小雨
    term.ask("wiz.pay.region.ask", ENTER)
    term.ask("wiz.pay.year.ask", DOWN + ENTER)  # ← 上一步
    term.ask("wiz.pay.region.ask", ENTER)  # asked again
    term.ask("wiz.pay.year.ask", ENTER)
    term.ask("wiz.pay.insurance.ask", ENTER)
    term.ask("wiz.pay.tier.ask", DOWN * 2 + ENTER)  # ← 上一步
    term.ask("wiz.pay.insurance.ask", ENTER)  # asked again
    term.ask("wiz.pay.tier.ask", DOWN + ENTER)  # 较高档次 470.00
    term.ask("wiz.review.ask", ENTER)
    term.see("798.50")  # 1268.50 - 470.00
    assert term.finish() == 0
    assert json_run(state, "account", "--payer", ZHANG_WEI)["balance"] == "798.50"


def to_the_review(term) -> None:
    """The demo's first payer, 缴费 from the home menu, each step's default: the review
    is the next question (any harness with `ask(key, keys)`)."""
    term.ask("wiz.payer.ask", ENTER)
    term.ask("wiz.home.ask", DOWN + ENTER)
    for key in (
        "wiz.pay.relative.ask",
        "wiz.pay.region.ask",
        "wiz.pay.year.ask",
        "wiz.pay.insurance.ask",
        "wiz.pay.tier.ask",
    ):
        term.ask(key, ENTER)


@pytest.mark.parametrize("where", ["first prompt", "final review"])
def test_ctrl_c_exits_130_and_writes_nothing(tmp_path: Path, where: str) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    term = Terminal(state)
    if where == "first prompt":
        term.ask("wiz.payer.ask", CTRL_C)
    else:
        to_the_review(term)
        term.ask("wiz.review.ask", CTRL_C)
    term.see(term.m["error.INTERRUPTED"])
    assert term.finish() == 130
    assert state.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_scenario_start_on_a_terminal_confirms_before_replacing(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    term = Terminal(state, "scenario", "start", "two-parents", lang="en")
    term.see("Both parents bound their child")
    term.child.send(ENTER)  # the pointer starts on "Cancel, keep the records"
    term.see(term.m["scenario.replace.kept"].split("{path}")[0].strip())  # path may fold
    assert term.finish() == 1
    drawn = term.screen.getvalue()
    assert "Error" not in drawn and "12393" not in drawn  # declined, not an error
    assert state.read_bytes() == before

    term = Terminal(state, "scenario", "start", "two-parents", lang="en")
    term.see("Both parents bound their child")
    term.child.send(UP + ENTER)
    term.see(term.m["scenario.start_with"])  # no --today to retype: the state keeps the date
    assert term.finish() == 0
    assert json_run(state, "account", "--payer", "王强")["balance"] == "1500.00"


def test_without_a_terminal_nothing_is_prompted(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    env = pinned_env(state)
    for args, code in ((["--today", DEMO_TODAY], 2), (["pay", "--payer", "张伟"], 2)):
        done = subprocess.run(
            [sys.executable, "-m", "famcov", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == code, done.stderr
        assert "?" not in done.stdout and "Traceback" not in done.stderr
