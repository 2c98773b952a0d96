"""Issue 12's wizard behaviours in a real pseudo-terminal: a payment whose waiting
period runs past the year's end is confirmed with that sentence before anything
is paid; a revocation the bureau would refuse is shown and nothing moves."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_wizard_pty import CTRL_C, ENTER, Terminal, json_run

pytest.importorskip("pexpect")


def test_pay_confirms_a_wait_past_the_years_end(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    args = "pay --payer 张伟 --relative 张建国 --region 绵阳 --year 2026 --tier standard"
    term = Terminal(state, *args.split())
    term.see(term.m["rulename.WAITING_PAST_YEAR"])
    term.see(term.m["wiz.pay.no_cover.ask"].format(year=2026))
    term.child.send(ENTER)  # 确认：这笔缴费在 2026 年度内享受不到待遇，仍要缴费
    term.ask("wiz.review.ask", ENTER)
    term.see(term.m["receipt.title_fresh"])
    assert term.finish() == 0
    paid = json_run(state, "payments", "--year", "2026")["payments"]
    assert [(p["relative"]["name"], p["benefits_from"]) for p in paid][-1] == (
        "张建国",
        "2027-02-24",
    )


def test_revoke_shows_why_the_bureau_would_refuse(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    term = Terminal(state, "revoke", "DJ202510100001", today="2027-06-01")
    term.see("2026-12-31")  # 2026's open period ended then: reconciled (对账/清算)
    term.ask("wiz.revoke.ask", CTRL_C)
    assert term.finish() == 130
    assert state.read_bytes() == before
