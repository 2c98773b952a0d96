"""Each channel's own path through the wizard, in a real 80×24 pseudo-terminal, zh and en:
the first run asking the province and channel, Hubei paying through the tax channel and
then applying for the return, the tax channel's 是否代缴 screen and its duplicate,
Yunnan's and Jiangxi's home menus in their apps' words, the counter checklist."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, JIANGUO, new_id
from test_wizard_pty import DOWN, ENTER, UP, Terminal, json_run, pinned_env

pexpect = pytest.importorskip("pexpect")

from famcov import setups  # noqa: E402


class Small(Terminal):
    """famcov in an 80×24 pty."""

    def __init__(self, state: Path, *args: str, lang: str = "zh", today: str = DEMO_TODAY):
        super().__init__(state, *args, lang=lang, today=today)
        self.child.close(force=True)
        env = {**pinned_env(state), "COLUMNS": "80", "LINES": "24"}
        argv = ["-m", "famcov", "--today", today, "--lang", lang, *args]
        self.child = pexpect.spawn(
            sys.executable, argv, env=env, encoding="utf-8", dimensions=(24, 80), timeout=20
        )


def through_pauses(term: Terminal, key: str) -> None:
    """Enter at each 按回车继续 until the question `key` shows. What follows an Enter is read
    whole before looking again, so a pause drawn twice is not answered twice."""
    target, pause = term.m[key], term.m["wiz.ui.continue"]
    if term.child.expect_exact([target, pause]) == 0:
        return
    while True:
        term.child.send(ENTER)
        term.child.expect(pexpect.TIMEOUT, timeout=1.5)
        if target in term.child.before:
            return
        if pause not in term.child.before and term.child.expect_exact([target, pause]) == 0:
            return


def _state(path: Path) -> dict:
    import json

    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_run_hubei_claims_the_return_of_the_relatives_own_payment(
    tmp_path: Path, lang: str
) -> None:
    state = tmp_path / "state.json"
    term = Small(state, lang=lang)
    term.ask("wiz.first.ask", DOWN + ENTER)  # a training scenario
    term.ask("wiz.scenario.ask", DOWN * setups.names().index("hubei-return") + ENTER)
    # the brief, a screenful at a time; then the home menu: the scenario is Hubei's, and
    # its usual channel (先缴后返) is not asked for again
    through_pauses(term, "wiz.home.ask")
    assert term.m["channel.wiz.province.ask"] not in term.child.before
    term.see("湖北医疗保障" if lang == "zh" else "Hubei Medical Security")  # the header
    term.child.send(DOWN + ENTER)  # pay, in the channel's words
    # 周亮 paid his 2027 premium himself through the tax channel: step 2, the return
    term.ask("return.wiz.menu.ask", DOWN + ENTER)
    term.ask("return.wiz.relative.ask", ENTER)  # 周亮
    term.ask("return.wiz.year.ask", ENTER)  # 2027
    term.see(term.m["return.wiz.check.passed"])
    term.ask("return.wiz.review.ask", ENTER)
    term.see("1600.00")
    term.ask("wiz.ui.continue", ENTER)
    term.ask("wiz.home.ask", UP + ENTER)  # 退出
    assert term.finish() == 0
    data = _state(state)
    # nothing chosen on the first run: the payer's own province and its usual channel
    assert "province" not in data and data.get("channel") in (None, "hubei-return")
    payer = data["workers"][0]["id"]
    account = json_run(state, "account", "--payer", payer)
    assert account["balance"] == "1600.00"
    assert [e["kind"] for e in account["ledger"]] == ["opening", "return"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tax_channel_refuses_a_year_paid_by_proxy(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    pay = "pay --payer 张伟 --relative 张建国 --region 绵阳 --year 2027 --tier standard --yes"
    receipt = json_run(state, *pay.split())["receipt"]
    before = state.read_bytes()
    term = Small(state, "pay-tax", "--payer", "张伟", "--relative", "张建国", lang=lang)
    term.see("是否代缴")
    term.ask("tax.wiz.tick.ask", DOWN + ENTER)  # unticked: for oneself
    term.see(term.m["tax.wiz.tick.self"][:12])
    term.ask("tax.wiz.tick.ask", ENTER)
    term.ask("wiz.pay.region.ask", ENTER)  # 绵阳
    term.ask("wiz.pay.year.ask", ENTER)  # 2027
    term.see(receipt["no"])  # ALREADY_PAID names the proxy payment's receipt
    term.ask("wiz.check.next", DOWN * 2 + ENTER)  # leave
    term.see("12393")
    assert term.finish() == 1
    assert state.read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tax_channel_pays_with_own_money(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    term = Small(state, "pay-tax", "--payer", "张伟", "--relative", JIANGUO, lang=lang)
    term.ask("tax.wiz.tick.ask", ENTER)
    term.ask("wiz.pay.region.ask", ENTER)
    term.ask("wiz.pay.year.ask", ENTER)
    term.see(term.m["tax.wiz.check.passed"])
    term.child.send(ENTER)  # the tier
    term.ask("tax.wiz.review.ask", ENTER)
    term.ask("wiz.ui.continue", ENTER)
    assert term.finish() == 0
    assert json_run(state, "account", "--payer", "张伟")["balance"] == "1268.50"  # untouched
    check = "check --payer 张伟 --relative 张建国 --region 绵阳 --year 2027"
    rules = {r["code"]: r["passed"] for r in json_run(state, *check.split())["rules"]}
    assert rules["PAID_ELSEWHERE"] is False


def _province_worker(state: Path, area: str, region: str) -> None:
    payer, sister = new_id(area=area), new_id(area=area, born="19950101")
    json_run(state, "init")
    add = f"admin add-worker --id {payer} --name 杨一 --region {region} --balance 2000"
    assert json_run(state, *add.split())["ok"]
    enrol = f"admin enrol --id {sister} --name 杨二 --region {region} --year 2027"
    assert json_run(state, *enrol.split())["ok"]


@pytest.mark.parametrize(
    ("area", "region", "bind_words", "pay_words"),
    [
        ("530102", "昆明", "云南医保小程序", "云南税务APP"),
        ("360102", "南昌", "授权绑定", "账户共济代缴"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_home_menu_speaks_the_chosen_channel(
    tmp_path: Path, lang: str, area: str, region: str, bind_words: str, pay_words: str
) -> None:
    state = tmp_path / "state.json"
    _province_worker(state, area, region)
    term = Small(state, lang=lang)
    term.ask("wiz.home.ask", UP * 2 + ENTER)  # change the province and channel
    term.ask("channel.wiz.province.ask", ENTER)  # the payer's province
    term.see(term.m["channel.wiz.channel.ask"].split("}")[1])
    term.child.send(ENTER)  # its usual channel
    term.see(term.m["channel.wiz.chosen"].split("{")[0])
    term.see(term.m["wiz.home.ask"])
    if lang == "zh":  # the home choices name the apps' own menus, in their order
        term.see(bind_words)
        term.see(pay_words)
    term.child.send(UP + ENTER)  # 退出
    assert term.finish() == 0
    assert _state(state)["channel"] in ("yunnan-two-app", "jiangxi-app")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_counter_checklist(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    term = Small(state, lang=lang)
    term.ask("wiz.payer.ask", ENTER)
    term.ask("wiz.home.ask", UP * 3 + ENTER)  # 窗口办理
    term.see(term.m["channel.wiz.bring"])
    term.see("户口本" if lang == "zh" else "household register")
    term.see("12393")
    term.ask("wiz.ui.continue", ENTER)
    term.ask("wiz.home.ask", UP + ENTER)
    assert term.finish() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sichuan_family_on_hubeis_channel_pays_nothing_first(tmp_path: Path, lang: str):
    """Hubei pays first and returns afterwards out of a Hubei account: a Sichuan payer who
    picks that channel is told before step 1 takes their own money, not after."""
    state = tmp_path / "state.json"
    term = Small(state, lang=lang)
    term.ask("wiz.first.ask", ENTER)  # the demo family (Chengdu)
    term.ask("wiz.ui.continue", ENTER)
    term.ask("channel.wiz.province.ask", UP * 3 + ENTER)  # from 四川 up to 湖北
    term.see(term.m["channel.wiz.channel.ask"].split("{")[1].split("}")[1])
    term.child.send(ENTER)  # 先缴后返
    term.ask("wiz.payer.ask", ENTER)  # 张伟, Chengdu
    term.ask("wiz.home.ask", DOWN + ENTER)  # pay, in Hubei's order
    term.ask("return.wiz.menu.ask", ENTER)  # step 1: pay through the tax channel
    term.see(term.m["return.wiz.not_here"][:12])
    term.ask("wiz.ui.continue", ENTER)  # the refusal stays until it is read
    term.ask("wiz.home.ask", UP + ENTER)  # 退出
    assert term.finish() == 0
    account = json_run(state, "account", "--payer", "张伟")
    assert account["balance"] == "1268.50"
    data = _state(state)
    assert not any(p.get("payer") for p in data["paid_elsewhere"])  # no tax payment made


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_return_refused_for_an_unbound_relative_says_come_back_to_apply(
    tmp_path: Path, lang: str
) -> None:
    """The return's check under NOT_BOUND: bind first, then come back to apply for the
    return — not "to pay" (代缴): the premium is paid already."""
    state = tmp_path / "state.json"
    json_run(state, "scenario", "start", "hubei-return")
    json_run(state, "unbind", "--payer", "周强", "--relative", "周亮", "--yes")
    term = Small(state, "claim-return", "--payer", "周强", "--relative", "周亮", lang=lang)
    term.child.logfile_read = log = io.StringIO()
    term.ask("return.wiz.year.ask", ENTER)  # 2027
    through_pauses(term, "wiz.check.next")
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", log.getvalue())
    flat = re.sub(r"\s+", " ", drawn)
    assert ("再回来申请返还" if lang == "zh" else "come back to apply for the return") in flat
    assert ("再回来代缴" if lang == "zh" else "come back to pay") not in flat
    term.child.sendintr()
    term.child.expect(pexpect.EOF)
    term.child.close()
