"""The wizard on a projector's 80x24 terminal, zh and en: what a room must read is on
screen when the wizard waits for Enter (按回车继续), and --explain keeps the failing rule
beside its summary.

The terminal is tmux (a real terminal emulator, so "on screen" means the visible 24
lines, not the scroll-back); each wait polls the screen with a timeout.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, invoke

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

DOWN, ENTER = "Down", "Enter"
TIMEOUT = 20


def messages(lang: str) -> dict[str, str]:
    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    return EN if lang == "en" else ZH


class Screen:
    """famcov in a detached 80x24 tmux window."""

    def __init__(self, state: Path, *args: str, lang: str) -> None:
        self.m = messages(lang)
        self.name = f"famcov-test-{os.getpid()}-{time.monotonic_ns()}"
        argv = [sys.executable, "-m", "famcov", "--today", DEMO_TODAY, "--lang", lang, *args]
        env = (
            f"FAMCOV_STATE={shlex.quote(str(state))} NO_COLOR=1 TERM=xterm PROMPT_TOOLKIT_NO_CPR=1"
        )
        command = f"env {env} {shlex.join(argv)}; sleep 30"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", command],
            check=True,
        )

    def text(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def see(self, *texts: str) -> str:
        """Wait until every text is on the visible screen at once; the screen."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            screen = self.text()
            if all(t in screen for t in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen: {texts}\n{screen}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def press(self, *keys: str) -> str:
        """Type `keys` on the screen as it is now and wait until the screen has answered:
        it changed (the next page, the next question) and is drawn (two looks alike);
        the new screen."""
        before = self.text()
        self.keys(*keys)
        deadline = time.monotonic() + TIMEOUT
        last = before
        while True:
            time.sleep(0.05)
            shown = self.text()
            if shown != before and shown == last:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen did not change after {keys}\n{shown}")
            last = shown

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def screen_in(tmp_path: Path):
    state = tmp_path / "state.json"
    result = invoke(["--json", "--state", str(state), "--today", DEMO_TODAY, "init", "--demo"])
    assert result.exit_code == 0
    opened: list[Screen] = []

    def _open(*args: str, lang: str) -> Screen:
        screen = Screen(state, *args, lang=lang)
        opened.append(screen)
        return screen

    yield _open
    for screen in opened:
        screen.close()


def step(screen: Screen, key: str, *keys: str) -> None:
    screen.see(screen.m[key])
    screen.keys(*keys)


def to_policy(screen: Screen) -> None:
    """From the first screen (the demo's payer) to 政策's province question."""
    step(screen, "wiz.payer.ask", "Enter")
    step(screen, "wiz.home.ask", *["Down"] * 4, "Enter")  # 政策
    screen.see(screen.m["wiz.policy.province"])


def read_to(screen: Screen, text: str) -> str:
    """Enter at each "press Enter to continue" until `text` is on screen with that
    prompt (a receipt taller than the terminal is paged); the screen."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        shown = screen.text()
        lines = [line for line in shown.splitlines() if line.strip()]
        waiting = bool(lines) and screen.m["wiz.ui.continue"] in lines[-1]
        if waiting and text in shown:
            return shown
        if waiting:
            screen.press(ENTER)
            continue
        if time.monotonic() > deadline:
            raise AssertionError(f"not on screen: {text}\n{shown}")
        time.sleep(0.1)


def read_on(screen: Screen, key: str) -> str:
    """Until the question `key` is on screen, Enter at each "press Enter to continue"
    (a list taller than the terminal is shown a screenful at a time); the screen."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        shown = screen.text()
        if screen.m[key] in shown:
            return shown
        lines = [line for line in shown.splitlines() if line.strip()]
        if lines and screen.m["wiz.ui.continue"] in lines[-1]:
            screen.press(ENTER)
            continue
        if time.monotonic() > deadline:
            raise AssertionError(f"not on screen: {screen.m[key]}\n{shown}")
        time.sleep(0.1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_receipt_is_on_screen_while_the_wizard_waits(screen_in, lang: str) -> None:
    s = screen_in(lang=lang)
    step(s, "wiz.payer.ask", ENTER)  # 张伟
    step(s, "wiz.home.ask", DOWN, ENTER)  # 个人账户代缴申请
    step(s, "wiz.pay.relative.ask", ENTER)  # 张小雨
    step(s, "wiz.pay.region.ask", ENTER)
    step(s, "wiz.pay.year.ask", ENTER)  # 2027
    read_on(s, "wiz.pay.insurance.ask")  # the checklist, a screenful at a time
    step(s, "wiz.pay.insurance.ask", ENTER)
    step(s, "wiz.pay.tier.ask", ENTER)
    step(s, "wiz.review.ask", ENTER)
    # the notes first, a page at a time when they do not fit with it, then the panel
    shown = read_to(s, s.m["receipt.title_fresh"])
    # the number, the amount and the balance, all within the 24 visible lines
    for text in ("DJ20261124", "¥400.00", "¥1268.50 → ¥868.50", s.m["receipt.no"]):
        assert text in shown, shown
    assert "…" not in shown.replace(s.m["wiz.ui.continue"], "")
    s.keys(ENTER)
    s.see(s.m["wiz.home.ask"])  # only now the next screen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_receipt_looked_up_waits_too(screen_in, lang: str) -> None:
    s = screen_in(lang=lang)
    step(s, "wiz.payer.ask", ENTER)
    step(s, "wiz.home.ask", DOWN, DOWN, ENTER)  # 查询/退费
    step(s, "wiz.query.receipt", DOWN, ENTER)  # 查看回执
    step(s, "wiz.receipt.ask", ENTER)
    shown = read_to(s, s.m["receipt.title"])
    assert "DJ202510100001" in shown and "¥400.00" in shown and "¥1268.50" in shown
    s.keys(ENTER)
    # the look-up stays in its menu: the list of receipts again, then 查询/退费
    step(s, "wiz.receipt.ask", DOWN, ENTER)  # 返回
    shown = s.see(s.m["wiz.query.receipt"])
    assert s.m["wiz.home.ask"] not in shown.split(s.m["wiz.query.receipt"])[-1]
    s.keys(DOWN, DOWN, ENTER)  # 返回主菜单
    s.see(s.m["wiz.home.ask"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_commitment_letter_waits_to_be_read(screen_in, lang: str) -> None:
    s = screen_in(lang=lang)
    step(s, "wiz.payer.ask", ENTER)
    step(s, "wiz.home.ask", ENTER)  # 亲情账户
    step(s, "wiz.family.bind", ENTER)  # 添加家庭成员
    shown = s.see(s.m["wiz.ui.continue"], s.m["wiz.commitment.title"][:20])
    assert "…" not in shown.replace(s.m["wiz.ui.continue"], "")
    assert s.m["wiz.commitment.ask"] not in shown  # the question comes after Enter
    for _ in range(3):  # a screenful at a time: the letter's end, then the question
        if s.m["wiz.commitment.ask"] in s.press(ENTER):
            break
    shown = s.see(s.m["wiz.commitment.ask"])
    signed = "承诺人：张伟" if lang == "zh" else "Signed: 张伟"
    assert signed in s.see(s.m["wiz.commitment.ask"]) or signed in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_keeps_the_failing_rule_beside_the_summary(screen_in, lang: str) -> None:
    s = screen_in(
        "--explain",
        "pay",
        "--payer",
        "张伟",
        "--relative",
        "张丽",
        "--region",
        "昆明",
        "--year",
        "2027",
        lang=lang,
    )
    shown = read_on(s, "wiz.check.next")
    name = s.m["rulename.CROSS_PROVINCE"]
    assert "✗" in shown and name in shown, shown
    summary = [line for line in shown.splitlines() if name in line and "✗" in line]
    assert summary, shown
    todo = s.m["wiz.todo.CROSS_PROVINCE"]
    assert todo[:12] in shown.replace("\n", "")  # what to do, on screen too
    assert "(s)" not in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_checklist_taller_than_the_terminal_is_read_a_screenful_at_a_time(
    screen_in, lang: str
) -> None:
    """Every rule of the check is on screen before anything pushes it away: the first
    rule while the wizard waits, the last and the verdict after."""
    s = screen_in("--explain", "pay", "--payer", "张伟", "--relative", "张小雨", lang=lang)
    step(s, "wiz.pay.region.ask", ENTER)
    step(s, "wiz.pay.year.ask", ENTER)
    first = s.m["rulename.PAYER_INACTIVE"]
    # the step's training note is read first: the list's first page would push it away
    shown = s.see(s.m["wiz.ui.continue"])
    assert s.m["explain.pay.check"][:8] in shown.replace("\n", "") and first not in shown
    shown = s.press(ENTER)  # training notes make the list taller than 24 lines
    shown = s.see(s.m["wiz.ui.continue"])
    assert first in shown, shown
    shown = read_on(s, "wiz.pay.insurance.ask")
    assert s.m["rulename.WAITING_PAST_YEAR"] in shown and s.m["check.passed"] in shown, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hubei_records_are_found_and_the_lookup_stays_in_its_menu(tmp_path: Path, lang) -> None:
    """A tax-channel payment and its return (FH…) are in 代缴信息查询, the return's
    receipt opens from the list, and the trainee is never told to type a command."""
    state = tmp_path / "state.json"
    base = ["--json", "--state", str(state)]
    who = ["--payer", "周强", "--relative", "周亮", "--year", "2027"]
    for args in (  # 周亮 paid his own premium on 2026-11-18; 周强 applies for the return
        ["scenario", "start", "hubei-return"],
        ["claim-return", *who, "--yes"],
    ):
        assert invoke([*base, *args]).exit_code == 0, args
    s = Screen(state, lang=lang)
    try:
        step(s, "wiz.home.ask", DOWN, DOWN, ENTER)  # 查询/退费
        step(s, "wiz.query.payments", ENTER)  # 代缴信息查询
        shown = s.see(s.m["wiz.receipt.ask"])
        for text in ("FH20261124", s.m["kind.tax"], s.m["kind.return"], "400.00"):
            assert text in shown, (text, shown)
        assert "famcov receipt" not in shown
        s.keys(ENTER)  # the return's receipt, its notes first (paged), then its panel
        shown = read_to(s, s.m["receipt.title_return"])
        assert "¥2000.00 → ¥1600.00" in shown
        s.keys(ENTER)
        step(s, "wiz.receipt.ask", DOWN, ENTER)  # back from the list
        s.see(s.m["wiz.query.receipt"])  # the look-up's own menu, not the home menu
        s.keys(DOWN, DOWN, DOWN, ENTER)  # 返回主菜单
        s.see(s.m["wiz.home.ask"])
    finally:
        s.close()
