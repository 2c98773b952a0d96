"""The second round of bureau rules (issue 18) in the wizard, in a real pseudo-terminal:
a newborn paid for within 90 days is covered from birth, on the review and the receipt."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import new_id
from test_wizard_pty import ENTER, Terminal, json_run

pytest.importorskip("pexpect")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_newborn_is_covered_from_birth_in_the_wizard(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    payer, baby = new_id(born="19850101"), new_id(born="20260301")
    json_run(state, "init")
    add = f"admin add-worker --id {payer} --name 钱一 --region 成都 --balance 2000"
    assert json_run(state, *add.split())["ok"]
    enrol = f"admin enrol --id {baby} --name 钱宝 --region 成都 --year 2026"
    assert json_run(state, *enrol.split())["ok"]
    bind = f"bind --payer {payer} --relative {baby} --name 钱宝 --relation child"
    assert json_run(state, *bind.split(), "--accept-commitment", "--proof", "birth")["ok"]
    term = Terminal(
        state, "pay", "--payer", payer, "--relative", baby, lang=lang, today="2026-04-15"
    )
    term.ask("wiz.pay.region.ask", ENTER)  # 成都, where the baby is enrolled
    term.ask("wiz.pay.year.ask", ENTER)  # 2026, the only open year
    term.ask("wiz.pay.insurance.ask", ENTER)
    term.ask("wiz.pay.tier.ask", ENTER)
    # the review: from birth, not from the payment date — said without the birth date,
    # which is the part of the ID its masked form hides
    term.see(term.m["bureau.review.from_birth"])
    term.ask("wiz.review.ask", ENTER)
    term.see(term.m["bureau.review.from_birth"])  # the receipt
    assert term.finish() == 0
    # from the review on (the review, the receipt and its notes): no birth date
    assert "2026-03-01" not in term.screen.getvalue().split(term.m["wiz.review.title"], 1)[1]
    (payment,) = json_run(state, "payments", "--relative", baby)["payments"]
    assert payment["benefits_from"] == "2026-03-01"
