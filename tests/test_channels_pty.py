"""A worker practises a channel's own words in the wizard, in a real pseudo-terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import JIANGUO
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
def test_the_tax_channel_pays_then_refuses_the_duplicate(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    term = _pay_father(state, lang)
    term.ask("wiz.pay.region.ask", ENTER)  # 绵阳, where he is enrolled
    term.ask("wiz.pay.year.ask", ENTER)  # 2027
    term.ask("wiz.pay.insurance.ask", ENTER)
    term.ask("wiz.pay.tier.ask", ENTER)
    term.ask("wiz.review.ask", ENTER)
    term.see("是否代缴")  # the receipt's note names the tax channel's own menus
    assert term.finish() == 0
    (payment,) = [
        p
        for p in json_run(state, "payments", "--relative", JIANGUO)["payments"]
        if p["year"] == 2027
    ]
    # The same year again through the same channel: the duplicate the notes warn about.
    term = _pay_father(state, lang)
    term.ask("wiz.pay.region.ask", ENTER)
    term.ask("wiz.pay.year.ask", ENTER)
    term.see(payment["no"])
    term.child.send(DOWN * 2 + ENTER)  # leave: 退出
    term.see("12393")
    assert term.finish() == 1
