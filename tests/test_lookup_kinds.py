"""Every record famcov numbers can be found again (issue 19): `famcov payments` lists
proxy payments (DJ…), tax-channel payments and returns (FH…), each with its `kind`;
`famcov receipt NO` shows a proxy payment's receipt or a return's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_RECEIPT, assert_message, new_id
from test_returns import _claim, _family, _pay_tax

WUHAN = "420100"


@pytest.fixture
def returned(ok, state: Path):
    """A Wuhan worker who paid a brother's 2027 premium through the tax channel and
    claimed the return; the return's number."""
    payer, brother = new_id(area="420102", born="19870312"), new_id(area="420102", born="19960101")
    _family(ok, payer, brother, ("周强", "周亮"))
    ok(*_pay_tax(payer, "周亮"))
    # a return is applied for 5 days after the payment at the earliest
    no = ok(*_claim(payer, "周亮"), today="2026-11-30")["return"]["no"]
    return payer, brother, no


def test_payments_lists_the_tax_payment_and_the_return_with_their_kind(returned, ok):
    payer, brother, no = returned
    listed = ok("payments")["payments"]
    assert [p["kind"] for p in listed] == ["tax", "return"]
    tax, back = listed
    assert tax["no"] is None and tax["status"] == "paid" and tax["return_no"] == no
    assert tax["amount"] == "400.00" and tax["year"] == 2027 and tax["channel"] == "tax"
    assert back["no"] == no and back["status"] == "returned"
    assert (back["balance_before"], back["balance_after"]) == ("2000.00", "1600.00")
    for p in listed:
        assert p["payer"]["name"] == "周强" and p["relative"]["name"] == "周亮"
        assert "*" in p["payer"]["id"] and "*" in p["relative"]["id"]
        assert brother not in str(p) and payer not in str(p)
    # the filters apply to every kind
    assert ok("payments", "--payer", payer, "--year", "2027")["payments"] == listed
    assert ok("payments", "--year", "2026")["payments"] == []


def test_receipt_finds_a_return_by_its_number(returned, ok, run):
    *_, no = returned
    receipt = ok("receipt", no.lower())["receipt"]  # typed in lower case, as people do
    assert receipt["kind"] == "return" and receipt["no"] == no
    assert receipt["amount"] == "400.00" and receipt["paid"]["channel"] == "tax"
    for lang in ("zh", "en"):
        shown = run("receipt", no, lang=lang, json_out=False, env={"COLUMNS": "80"})
        assert shown.code == 0
        assert no in shown.data and "1600.00" in shown.data
        assert ("返还回执" if lang == "zh" else "Return receipt") in shown.data


def test_a_return_exports_as_a_page(returned, ok, tmp_path: Path):
    *_, no = returned
    page = tmp_path / "back.html"
    ok("receipt", no, "--export", str(page))
    text = page.read_text(encoding="utf-8")
    assert no in text and "400.00" in text


def test_the_demo_lists_its_proxy_payment_with_its_kind(demo, ok):
    listed = ok("payments")["payments"]
    proxy = [p for p in listed if p["no"] == DEMO_RECEIPT]
    assert proxy and proxy[0]["kind"] == "proxy"
    assert ok("receipt", DEMO_RECEIPT)["receipt"]["kind"] == "proxy"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_number_names_both_kinds(demo, refused, lang):
    error = refused("receipt", "FH209901010001", code="UNKNOWN_RECEIPT", exit=1, lang=lang)
    message = error["error"]["message"]
    assert "FH" in message and "DJ" in message
    assert_message(message, lang)


def test_a_relative_who_paid_himself_then_a_return_is_listed(run, state: Path) -> None:
    """hubei-return: 周亮 paid his own 2027 premium through the tax channel, 周强 applied
    for the return: both records are found, each with who did it."""
    assert run("scenario", "start", "hubei-return", today=None).code == 0
    who = ["--payer", "周强", "--relative", "周亮", "--year", "2027", "--yes"]
    back = run("claim-return", *who, today=None)
    assert back.code == 0, back
    listed = run("payments", today=None).data["payments"]
    assert [p["kind"] for p in listed] == ["tax", "return"]
    tax, ret = listed
    assert tax["payer"]["name"] == "周亮" and tax["status"] == "paid"
    assert ret["payer"]["name"] == "周强" and ret["amount"] == "400.00"
    assert (ret["balance_before"], ret["balance_after"]) == ("2000.00", "1600.00")
    shown = run("receipt", ret["no"], today=None).data["receipt"]
    assert shown["kind"] == "return" and shown["relative"]["name"] == "周亮"
