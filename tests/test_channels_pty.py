"""A worker practises a channel's own words in the wizard, in a real pseudo-terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import JIANGUO, new_id
from test_wizard_pty import DOWN, ENTER, Terminal, json_run

pytest.importorskip("pexpect")


def _pay_father(state: Path, lang: str) -> Terminal:
    term = Terminal(
        state,
        "--channel",
        "tax-city-service",
        "pay",
        "--payer",
        "张伟",
        "--relative",
        JIANGUO,
        lang=lang,
    )
    term.see("自然人缴纳社保费" if lang == "zh" else "City")
    term.see("是否代缴")
    return term


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tax_channel_pays_with_own_money_then_refuses_the_duplicate(
    tmp_path: Path, lang: str
) -> None:
    """`--channel tax-city-service pay` is the tax channel's own screens (是否代缴, own
    money), never a proxy payment out of the account; the same year again is refused."""
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = json_run(state, "account", "--payer", "张伟")["balance"]
    term = _pay_father(state, lang)
    term.see("支付方式" if lang == "zh" else "Payment method")  # said on the pay screen
    term.ask("tax.wiz.tick.ask", ENTER)
    term.ask("wiz.pay.region.ask", ENTER)  # 绵阳, where he is enrolled
    term.ask("wiz.pay.year.ask", ENTER)  # 2027
    term.see(term.m["tax.wiz.check.passed"])
    term.child.send(ENTER)  # the tier
    term.ask("tax.wiz.review.ask", ENTER)
    term.see("支付方式" if lang == "zh" else "Payment method")  # on the confirmation too
    term.ask("wiz.ui.continue", ENTER)
    assert term.finish() == 0
    assert json_run(state, "account", "--payer", "张伟")["balance"] == before
    payments = json_run(state, "payments", "--relative", JIANGUO)["payments"]
    # no proxy payment: the tax-channel payment alone, listed with its kind
    assert [p["kind"] for p in payments if p["year"] == 2027] == ["tax"]
    # The same year again through the same channel: the duplicate the notes warn about.
    term = _pay_father(state, lang)
    term.ask("tax.wiz.tick.ask", ENTER)
    term.ask("wiz.pay.region.ask", ENTER)
    term.ask("wiz.pay.year.ask", ENTER)
    term.see(term.m["wiz.check.next"])
    term.child.send(DOWN * 2 + ENTER)  # leave: 退出
    term.see("12393")
    assert term.finish() == 1


def _province_family(state: Path, area: str, region: str) -> tuple[str, str]:
    payer, sister = new_id(area=area), new_id(area=area, born="19950101")
    json_run(state, "init")
    add = f"admin add-worker --id {payer} --name 杨一 --region {region} --balance 2000"
    assert json_run(state, *add.split())["ok"]
    enrol = f"admin enrol --id {sister} --name 杨二 --region {region} --year 2027"
    assert json_run(state, *enrol.split())["ok"]
    return payer, sister


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yunnan_binds_in_one_app_and_pays_in_the_other(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    payer, sister = _province_family(state, "530102", "昆明")
    channel = ("--channel", "yunnan-two-app")
    bind = f"bind --payer {payer} --relative {sister} --name 杨二 --relation sibling"
    term = Terminal(state, *channel, *bind.split(), lang=lang)
    term.see("云南医保小程序" if lang == "zh" else "Yunnan Medical Insurance")
    term.see("个人账户共济绑定申请" if lang == "zh" else "mutual-aid binding")  # the app's menu
    term.ask("wiz.ui.continue", ENTER)  # the letter stays until it is read
    term.ask("wiz.commitment.ask", ENTER)
    term.ask("wiz.bind.review.ask", ENTER)
    term.see(term.m["wiz.bind.face.ask"].format(name="杨二"))
    term.child.send(ENTER)
    term.finish()
    assert json_run(state, "family", "--payer", payer)["ok"]
    term = Terminal(state, *channel, "pay", "--payer", payer, "--relative", sister, lang=lang)
    term.see("云南税务APP" if lang == "zh" else "Yunnan Tax app")
    term.see("医保账户支付")  # the tax app's own words
    term.ask("wiz.pay.region.ask", ENTER)
    term.ask("wiz.pay.year.ask", ENTER)
    term.ask("wiz.pay.insurance.ask", ENTER)
    term.ask("wiz.pay.tier.ask", ENTER)
    term.ask("wiz.review.ask", ENTER)
    # the receipt names Yunnan's menus, not Sichuan's
    term.see("个人账户共济授权记录查询" if lang == "zh" else "authorisation records")
    assert term.finish() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hubei_pays_first_then_applies_for_the_return(tmp_path: Path, lang: str) -> None:
    """Step 1 pays through the tax channel; the guide's 5 days keep step 2 until
    2026-11-29, when the return goes out of the account to the worker's bank account."""
    state = tmp_path / "state.json"
    payer, sister = _province_family(state, "420102", "武汉")
    bind = f"bind --payer {payer} --relative {sister} --name 杨二 --relation sibling"
    assert json_run(state, *bind.split(), "--accept-commitment")["ok"]
    argv = ("--channel", "hubei-return", "pay", "--payer", payer, "--relative", sister)
    term = Terminal(state, *argv, lang=lang)
    term.see(term.m["return.wiz.menu.ask"])
    term.see("第二步" if lang == "zh" else "Step 2")  # the return, named up front
    term.child.send(ENTER)  # first: pay through the tax channel
    term.see("自然人缴纳社保费" if lang == "zh" else "Social insurance for individuals")
    term.ask("tax.wiz.tick.ask", ENTER)
    term.ask("wiz.pay.region.ask", ENTER)
    term.ask("wiz.pay.year.ask", ENTER)
    term.see(term.m["tax.wiz.check.passed"])
    term.child.send(ENTER)  # the tier
    term.ask("tax.wiz.review.ask", ENTER)
    term.see("湖北医疗保障小程序" if lang == "zh" else "Hubei Medical Security")
    term.ask("wiz.ui.continue", ENTER)
    term.see("2026-11-29")  # not yet: 5 days after paying
    term.ask("wiz.ui.continue", ENTER)
    assert term.finish() == 0
    assert json_run(state, "account", "--payer", payer)["balance"] == "2000.00"
    claim = ("--channel", "hubei-return", "claim-return", "--payer", payer, "--relative", sister)
    term = Terminal(state, *claim, lang=lang, today="2026-11-29")
    term.ask("return.wiz.year.ask", ENTER)  # 2027, paid through the tax channel
    term.see(term.m["return.wiz.check.passed"])
    term.ask("return.wiz.review.ask", ENTER)
    term.see("银行账户" if lang == "zh" else "bank account")
    term.ask("wiz.ui.continue", ENTER)
    assert term.finish() == 0
    # no proxy payment: the tax-channel payment and its return, each with its kind
    assert [p["kind"] for p in json_run(state, "payments")["payments"]] == ["tax", "return"]
    account = json_run(state, "account", "--payer", payer)
    assert [(e["kind"], e["amount"]) for e in account["ledger"]][-1] == ("return", "-400.00")
