"""A training scenario in a real terminal at 80x24 (a projector), zh and en.

The scenario's date is kept in the state, so `famcov` is started with no
--today at all; the brief comes back from the home menu (场景说明) and waits
for Enter; `scenario check` fails naming the goal until the exercise is done.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import invoke, parse_json
from test_wizard_pty import DOWN, ENTER, TIMEOUT, UP, messages, pinned_env

pexpect = pytest.importorskip("pexpect")

NAME = "revoke-repay"
TODAY = "2026-11-24"  # the scenario's own date; never passed below


def spawn(state: Path, *args: str, lang: str):
    env = pinned_env(state)
    env.update(COLUMNS="80", LINES="24")
    return pexpect.spawn(
        sys.executable,
        ["-m", "famcov", "--lang", lang, *args],
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=TIMEOUT,
    )


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in (child.before or "")
    return child.exitstatus


def cli(state: Path, *args: str) -> dict:
    """A command with no --today: the state's scenario date applies."""
    return parse_json(invoke(["--json", "--state", str(state), *args]).stdout)


@pytest.fixture
def started(tmp_path: Path) -> Path:
    state = tmp_path / "state.json"
    assert cli(state, "scenario", "start", NAME)["ok"]
    return state


def home_menu_to_quit(child, m) -> None:
    child.expect_exact(m["wiz.home.ask"])
    child.send(UP + ENTER)  # 退出 is last: up from the top wraps to it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_brief_again_from_the_home_menu_and_the_date_from_the_state(
    started: Path, lang: str
) -> None:
    m = messages(lang)
    for _ in range(2):  # a second run: the same date, still no --today to retype
        child = spawn(started, lang=lang)
        child.expect_exact(m["wiz.home.today_scenario"].format(date=TODAY, name=NAME))
        child.expect_exact(m["wiz.home.ask"])
        child.expect_exact(m["wiz.home.brief"])  # offered while a scenario is active
        child.send(DOWN * 6 + ENTER)  # 亲情账户 … 培训场景, 场景说明
        child.expect_exact(m["brief.people"])
        child.expect_exact(m["wiz.ui.continue"])  # story and people, read before the steps
        assert "510104198509300282" not in child.before
        child.send(ENTER)
        child.expect_exact(m["brief.goals"])
        child.expect_exact(m["wiz.ui.continue"])  # the rest stays until Enter too
        child.send(ENTER)
        home_menu_to_quit(child, m)
        assert finish(child) == 0
    # a command run in between used the scenario's date too
    assert cli(started, "account", "--payer", "吴芳")["ledger"][-1]["date"] == "2026-10-12"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scenario_check_fails_naming_the_goal_then_passes(started: Path, lang: str) -> None:
    m = messages(lang)
    child = spawn(started, "scenario", "check", lang=lang)
    child.expect_exact("✗")
    goal = "较高档次的那笔已撤销" if lang == "zh" else "The higher-tier payment is revoked"
    child.expect_exact(goal)
    child.expect_exact(m["grade.failed"].format(done=0, total=3)[:20])
    assert finish(child) == 1

    cli(started, "revoke", "DJ202610120001", "--reason", "other", "--yes")
    receipt = cli(
        started,
        *("pay", "--payer", "吴芳", "--relative", "吴桂英", "--region", "成都"),
        *("--year", "2027", "--tier", "standard", "--yes"),
    )["receipt"]
    assert receipt["paid_at"] == TODAY  # the scenario's date, not the real one

    child = spawn(started, "scenario", "check", lang=lang)
    child.expect_exact(m["grade.passed"].format(done=3, total=3))
    assert finish(child) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scenario_started_in_the_wizard_keeps_its_date(tmp_path: Path, lang: str) -> None:
    from conftest import DATA

    m = messages(lang)
    state = tmp_path / "state.json"
    names = sorted(p.stem for p in (DATA / "scenarios").glob("*.json"))
    child = spawn(state, lang=lang)
    child.expect_exact(m["wiz.first.ask"])
    child.send(DOWN + ENTER)  # 从培训场景开始
    child.expect_exact(m["wiz.scenario.ask"])
    child.send(DOWN * names.index(NAME) + ENTER)
    child.expect_exact(m["brief.people"])
    child.expect_exact(m["wiz.ui.continue"])
    child.send(ENTER)
    child.expect_exact(m["brief.goals"])
    child.expect_exact(m["wiz.ui.continue"])
    child.send(ENTER)
    # first run: the scenario is its province's, so province and channel are not asked
    child.expect_exact(m["wiz.home.today_scenario"].format(date=TODAY, name=NAME))
    assert m["channel.wiz.province.ask"] not in child.before
    home_menu_to_quit(child, m)
    assert finish(child) == 0
    # the next run, plain `famcov`: the same date with nothing to retype
    child = spawn(state, lang=lang)
    child.expect_exact(m["wiz.home.today_scenario"].format(date=TODAY, name=NAME))
    home_menu_to_quit(child, m)
    assert finish(child) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_my_practice_from_the_home_menu(started: Path, lang: str) -> None:
    m = messages(lang)
    child = spawn(started, lang=lang)
    child.expect_exact(m["wiz.home.ask"])
    child.expect_exact(m["wiz.home.grade"])
    child.send(DOWN * 7 + ENTER)  # …, 场景说明, 练习检查
    goal = "较高档次的那笔已撤销" if lang == "zh" else "The higher-tier payment is revoked"
    child.expect_exact(goal)
    child.expect_exact(m["grade.failed"].format(done=0, total=3)[:12])
    child.expect_exact(m["wiz.ui.continue"])
    child.send(ENTER)
    home_menu_to_quit(child, m)
    assert finish(child) == 0
