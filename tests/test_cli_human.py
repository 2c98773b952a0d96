"""Every command also renders for a person (no --json), in zh and en: exit status as
documented, output on stdout, no raw catalogue key, no traceback, IDs masked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CJK, DEMO_RECEIPT, JIANGUO, XIAOYU, ZHANG_WEI, new_id

KEY = re.compile(
    r"\b(?:rule|rulename|error|note|hint|import|word|relation|channel|reason|status|col|label|"
    r"receipt|ledger|policy|scope|family|payments|account|check|init|admin|bind|unbind|revoke|"
    r"insurance|idreason|amountreason)\.[A-Za-z_][\w.-]*"
)


def readable(text: str, lang: str) -> None:
    assert text.strip(), "nothing shown"
    assert "Traceback" not in text
    assert not KEY.search(text), f"raw catalogue key in: {KEY.search(text).group(0)!r}"
    assert "{" not in text or "}" not in text, "unfilled placeholder"
    if lang == "zh":
        assert CJK.search(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_flow_for_a_person(run, state: Path, tmp_path: Path, lang: str):
    def person(*args: str, exit: int = 0) -> str:
        outcome = run(*args, lang=lang, json_out=False)
        assert outcome.code == exit, (args, outcome.stderr)
        readable(outcome.data, lang)
        for full in (ZHANG_WEI, XIAOYU, JIANGUO):
            assert full not in outcome.data, "IDs are masked"
        return outcome.data

    person("init", "--demo")
    worker, child = new_id(born="19800101"), new_id(born="20160101")
    person(*f"admin add-worker --id {worker} --name 钱一 --region 成都 --balance 500".split())
    person(*f"admin enrol --id {child} --name 钱小一 --region 成都 --year 2027".split())
    person(*f"admin enrol --id {new_id()} --name 钱二 --employee".split())
    person(*f"admin record-payment --id {JIANGUO} --year 2026 --channel bank".split())
    person(*f"admin credit --id {worker} --amount 20".split())
    csv = tmp_path / "more.csv"
    csv.write_text(
        f"kind,id,name,region,year,balance,status,channel\nworker,{new_id()},钱三,绵阳,,10,,\n",
        encoding="utf-8",
    )
    person("admin", "import", str(csv))
    bind = f"bind --payer {worker} --relative {child} --name 钱小一 --relation 子女"
    person(*bind.split(), "--accept-commitment", "--proof", "出生医学证明")
    person("family", "--payer", worker)
    payment = f"--payer {worker} --relative {child} --region 成都 --year 2027"
    assert "✓" in person("check", *payment.split())
    refusing = f"--payer {ZHANG_WEI} --relative {JIANGUO} --region 绵阳 --year 2026"
    person("check", *refusing.split(), exit=1)  # paid through a bank above
    receipt = person("pay", *payment.split(), "--tier", "standard")
    number = re.search(r"DJ\d{12}", receipt).group(0)
    assert "400.00" in receipt
    person("payments")
    person("receipt", DEMO_RECEIPT)
    person("revoke", number, "--reason", "duplicate", "--yes")
    person("account", "--payer", worker)
    person("unbind", "--payer", worker, "--relative", child)
    person("policy", "--province", "四川", "--year", "2027")
    person("policy")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_state_for_a_person(run, lang: str):
    run("init", lang=lang, json_out=False)
    outcome = run("payments", lang=lang, json_out=False)
    assert outcome.code == 0
    readable(outcome.data, lang)


def test_help_lists_every_command(run):
    outcome = run("--help", json_out=False)
    assert outcome.code == 0
    commands = "init admin bind unbind family check pay payments receipt revoke account policy"
    for command in commands.split():
        assert command in outcome.data
    admin = run("admin", "--help", json_out=False).data
    for command in ("add-worker", "enrol", "record-payment", "credit", "import"):
        assert command in admin
