"""The tax channel (pay-tax, 是否代缴) and Hubei's pay-then-return (claim-return) through
the typer app: JSON shapes, every refusal's code and exit status, the state file
byte-identical after each refusal, the ledger and the doctor agreeing afterwards."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import JIANGUO, ZHANG_WEI, assert_message, new_id

WUHAN = "420100"
CLAIM_DAY = "2026-11-29"  # Hubei's guide: apply 5 days after paying (paid on 2026-11-24)


def _family(ok, payer: str, relative: str, names: tuple[str, str], **given) -> None:
    """A fresh state: a worker (`region`, default Wuhan; `balance`, default 2000;
    `status`), a relative enrolled in Wuhan for 2027, bound to them unless `bind` is
    False (`relation`, default sibling)."""
    worker, member = names
    region, balance = given.get("region", WUHAN), given.get("balance", 2000)
    ok("init")
    add = f"admin add-worker --id {payer} --name {worker} --region {region} --balance {balance}"
    ok(*add.split(), *(["--status", given["status"]] if "status" in given else []))
    ok(*f"admin enrol --id {relative} --name {member} --region {WUHAN} --year 2027".split())
    if given.get("bind", True):
        relation = given.get("relation", "sibling")
        bind = f"bind --payer {payer} --relative {relative} --name {member} --relation {relation}"
        ok(*bind.split(), "--accept-commitment")


@pytest.fixture
def hubei(ok, state: Path):
    """A Wuhan worker (2000.00) and a brother enrolled for 2027, bound to him."""
    payer, brother = new_id(area="420102", born="19870312"), new_id(area="420102", born="19960101")
    _family(ok, payer, brother, ("周强", "周亮"))
    return payer, brother


def _pay_tax(payer: str, relative: str, region: str = WUHAN, *, yes: bool = True) -> list[str]:
    args = f"pay-tax --payer {payer} --relative {relative} --region {region} --year 2027"
    return [*args.split(), "--tier", "standard", *(["--yes"] if yes else [])]


def _claim(payer: str, relative: str, year: int = 2027, *, yes: bool = True) -> list[str]:
    args = f"claim-return --payer {payer} --relative {relative} --year {year}"
    return [*args.split(), *(["--yes"] if yes else [])]


def test_pay_through_the_tax_channel_then_claim_the_return(hubei, ok):
    payer, brother = hubei
    paid = ok(*_pay_tax(payer, "周亮"))
    record = paid["paid_elsewhere"]
    assert record["channel"] == "tax" and record["amount"] == "400.00"
    assert record["id"] == f"{brother[:6]}********{brother[-4:]}"
    assert record["region"] == {"code": WUHAN, "name": "武汉市"}
    assert any("个人账户支付城乡居民医保缴费申请" in n for n in paid["notes"])  # where to apply
    # the tax channel used the worker's own money: the account is untouched
    assert ok("account", "--payer", payer)["balance"] == "2000.00"
    back = ok(*_claim(payer, "周亮"), today=CLAIM_DAY)["return"]
    assert back["no"].startswith("FH20261129")
    assert (back["amount"], back["balance_before"], back["balance_after"]) == (
        "400.00",
        "2000.00",
        "1600.00",
    )
    assert back["channel"] == "hubei-return" and back["paid"]["channel"] == "tax"
    assert back["relative"]["name"] == "周亮" and "*" in back["relative"]["id"]
    assert any("每年只能申请一次" in n for n in back["notes"])
    account = ok("account", "--payer", payer)
    (entry,) = [e for e in account["ledger"] if e["kind"] == "return"]
    assert (entry["amount"], entry["ref"]) == ("-400.00", back["no"])
    assert account["balance"] == "1600.00"
    assert ok("doctor")["problems"] == []


def test_a_tax_payment_says_when_cover_starts(hubei, ok):
    """DOMAIN.md: inside the window from 1 January; outside it after the waiting period
    (the same notes a proxy payment's receipt gives)."""
    payer, _ = hubei
    inside = ok(*_pay_tax(payer, "周亮"), lang="en")["notes"]
    assert any("benefits for 2027 start on 2027-01-01" in n for n in inside), inside
    ok(*f"admin enrol --id {JIANGUO} --name 张建国 --region {WUHAN} --year 2027".split())
    late = ok(*_pay_tax(payer, JIANGUO), lang="en", today="2027-03-10")["notes"]
    assert any("waiting period of 3 months" in n and "2027-06-10" in n for n in late), late


def test_a_newborns_cover_starts_no_earlier_than_birth(hubei, ok):
    payer, _ = hubei
    baby = "510104202701150033"  # born 2027-01-15
    ok(
        *f"admin enrol --id {baby} --name 周小宝 --region {WUHAN} --year 2027".split(),
        today="2027-02-01",
    )
    notes = ok(*_pay_tax(payer, baby), lang="en", today="2027-02-20")["notes"]
    assert any("covered from birth" in n for n in notes), notes
    assert not any("2027-01-01" in n for n in notes), notes
    # the birth date is the part of the ID a masked ID hides: never given beside it
    assert not any("2027-01-15" in n for n in notes), notes


def test_the_return_in_english(hubei, ok):
    payer, _ = hubei
    ok(*_pay_tax(payer, "周亮"))
    back = ok(*_claim(payer, "周亮"), today=CLAIM_DAY, lang="en")["return"]
    for note in back["notes"]:
        assert_message(note, "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_paid_through_the_tax_channel_is_not_returned(hubei, refused, lang):
    payer, _ = hubei
    data = refused(
        *_claim(payer, "周亮"), today=CLAIM_DAY, code="RETURN_NOT_PAID", exit=1, lang=lang
    )
    assert_message(data["error"]["message"], lang, allow=("周亮",))
    assert "12393" in data["error"]["help"]


def test_a_year_is_returned_once(hubei, ok, refused):
    payer, _ = hubei
    ok(*_pay_tax(payer, "周亮"))
    first = ok(*_claim(payer, "周亮"), today=CLAIM_DAY)["return"]
    data = refused(*_claim(payer, "周亮"), today=CLAIM_DAY, code="RETURN_ALREADY_CLAIMED", exit=1)
    assert first["no"] in data["error"]["message"]


def test_a_proxy_payment_is_not_returned(hubei, ok, refused):
    payer, _ = hubei
    pay = f"pay --payer {payer} --relative 周亮 --region {WUHAN} --year 2027 --tier standard"
    receipt = ok(*pay.split(), "--yes")["receipt"]
    data = refused(*_claim(payer, "周亮"), today=CLAIM_DAY, code="RETURN_NOT_PAID", exit=1)
    assert receipt["no"] in data["error"]["message"]


def test_a_school_payment_is_not_returned(hubei, ok, refused):
    payer, brother = hubei
    ok(*f"admin record-payment --id {brother} --year 2027 --channel school".split())
    refused(*_claim(payer, "周亮"), today=CLAIM_DAY, code="RETURN_NOT_PAID", exit=1)


def test_the_relative_must_be_bound(hubei, ok, refused):
    payer, brother = hubei
    ok(*_pay_tax(payer, "周亮"))
    ok("unbind", "--payer", payer, "--relative", brother, "--yes")
    refused(*_claim(payer, brother), today=CLAIM_DAY, code="NOT_BOUND", exit=1)


def test_the_balance_must_cover_the_return(ok, refused, state):
    payer, sister = new_id(area="420102"), new_id(area="420102", born="19950101")
    _family(ok, payer, sister, ("杨一", "杨二"), balance=100)
    ok(*_pay_tax(payer, sister))
    data = refused(*_claim(payer, sister), today=CLAIM_DAY, code="INSUFFICIENT_BALANCE", exit=1)
    assert "300.00" in data["error"]["message"]  # the shortfall


def test_a_suspended_worker_and_an_unbound_relative_are_both_reported(ok, refused):
    payer, sister = new_id(area="420102"), new_id(area="420102", born="19950101")
    _family(ok, payer, sister, ("杨一", "杨二"), balance=900, status="suspended", bind=False)
    ok(*_pay_tax(payer, sister))  # the tax channel takes anyone's money
    refused(
        *_claim(payer, sister),
        today=CLAIM_DAY,
        code="VALIDATION_FAILED",
        exit=1,
        details={"PAYER_INACTIVE", "NOT_BOUND"},
    )


def test_a_province_without_a_return_channel_refuses(demo, ok, refused):
    # 张建国's 2027 is open in Mianyang: pay it through the tax channel, then ask Sichuan
    ok(*_pay_tax("张伟", JIANGUO, "510700"))
    refused(*_claim("张伟", JIANGUO), today=CLAIM_DAY, code="RETURN_NOT_OFFERED", exit=1)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["claim-return", "--payer", "x"], "MISSING_OPTION"),
        (["claim-return", "--payer", ZHANG_WEI, "--relative", JIANGUO, "--year", "20x7"], None),
        (["pay-tax", "--payer", ZHANG_WEI], "MISSING_OPTION"),
    ],
)
def test_usage_errors(demo, refused, args, code):
    refused(*args, "--yes", code=code or "INVALID_YEAR", exit=2)


def test_without_yes_nothing_moves(hubei, ok, refused):
    payer, _ = hubei
    refused(*_pay_tax(payer, "周亮", yes=False), code="CONFIRMATION_REQUIRED", exit=2)
    ok(*_pay_tax(payer, "周亮"))
    refused(
        *_claim(payer, "周亮", yes=False), today=CLAIM_DAY, code="CONFIRMATION_REQUIRED", exit=2
    )


def test_the_tax_channel_refuses_a_year_paid_by_proxy(demo, ok, refused):
    pay = "pay --payer 张伟 --relative 张建国 --region 绵阳 --year 2027 --tier standard --yes"
    receipt = ok(*pay.split())["receipt"]
    data = refused(*_pay_tax("张伟", "张建国", "绵阳"), code="ALREADY_PAID", exit=1)
    assert receipt["no"] in data["error"]["message"]


def test_the_tax_channel_needs_an_enrolment_not_a_binding(demo, refused):
    # 张德福 is bound but not enrolled; the tax bureau refuses on the enrolment
    refused(*_pay_tax("张伟", "张德福", "成都"), code="NOT_ENROLLED", exit=1)


def test_a_tampered_return_is_found_by_the_doctor(hubei, ok, run, state):
    payer, _ = hubei
    ok(*_pay_tax(payer, "周亮"))
    ok(*_claim(payer, "周亮"), today=CLAIM_DAY)
    data = json.loads(state.read_text(encoding="utf-8"))
    data["paid_elsewhere"][0]["return_no"] = None  # the entry stays, its claim is gone
    data.pop("seal", None)
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    outcome = run("doctor")
    assert outcome.code == 3
    assert "RETURN_LEDGER" in {p["code"] for p in outcome.data["problems"]}


def test_a_remembered_hubei_channel_is_not_applied_to_a_proxy_payment(hubei, ok, state):
    payer, _ = hubei
    data = json.loads(state.read_text(encoding="utf-8"))
    data.update(channel="hubei-return", province="42")  # as the first run remembers them
    data.pop("seal", None)
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    pay = f"pay --payer {payer} --relative 周亮 --region {WUHAN} --year 2027 --tier standard"
    receipt = ok(*pay.split(), "--yes")["receipt"]
    assert not any("从职工医保个人账户返还" in n for n in receipt["notes"])  # not a return
    kept = json.loads(state.read_text(encoding="utf-8"))
    assert (kept["province"], kept["channel"]) == ("42", "hubei-return")


def test_an_unbound_relative_named_by_name_is_not_bound(ok, refused):
    payer, sister = new_id(area="420102"), new_id(area="420102", born="19950101")
    _family(ok, payer, sister, ("杨一", "杨二"), balance=900, bind=False)
    notes = ok(*_pay_tax(payer, "杨二"))["notes"]  # by name: the records know her
    assert not any("代缴成功后" in n for n in notes)  # a tax payment's own note instead
    refused(*_claim(payer, "杨二"), today=CLAIM_DAY, code="NOT_BOUND", exit=1)


def test_a_return_comes_only_from_an_account_of_the_province_that_offers_it(
    ok, refused, state: Path
):
    """A Chengdu (Sichuan) worker pays a Wuhan relative's premium by tax: Sichuan has no
    pay-then-return, and mutual aid stays in the province — the account is not touched."""
    payer, relative = new_id(area="510104", born="19850101"), new_id(area="420102", born="20000303")
    _family(ok, payer, relative, ("张强", "张小武"), region="成都", balance=1000, relation="child")
    ok(*_pay_tax(payer, "张小武"))
    data = refused(*_claim(payer, "张小武"), today=CLAIM_DAY, code="VALIDATION_FAILED", exit=1)
    assert {d["code"] for d in data["error"]["details"]} >= {"RETURN_NOT_OFFERED", "CROSS_PROVINCE"}
    assert ok("account", "--payer", payer)["balance"] == "1000.00"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_return_says_the_money_goes_to_the_workers_bank_account(run, lang) -> None:
    """hubei-return: 周亮 paid his own premium; the return goes to 周强's own bank account,
    not "to the one who paid"."""
    assert run("scenario", "start", "hubei-return", today=None).code == 0
    who = ["--payer", "周强", "--relative", "周亮", "--year", "2027", "--yes"]
    shown = run("claim-return", *who, today=None, lang=lang, json_out=False)
    assert shown.code == 0, shown
    text = " ".join(shown.data.split())
    if lang == "zh":
        assert "拨付到周强本人的银行账户" in text.replace(" ", "")
        assert "返还给缴费人" not in text
    else:
        assert "周强's own bank account" in text
        assert "the one who paid" not in text


def test_the_return_check_covers_a_premium_the_relative_paid_herself(run, state) -> None:
    """The relative paid in her own name (no region recorded): the in-province rule reads
    her enrolment's region (Wuhan, in the worker's province), not "not covered"."""
    from famcov.features import tax_return
    from famcov.policy import load
    from famcov.requests import ReturnRequest
    from famcov.store import Store

    assert run("scenario", "start", "hubei-return", today=None).code == 0
    records = Store(state).records()
    payer = next(w for w in records.state.workers if w.name == "周强")
    relative = next(e.id for e in records.state.enrolments if e.name == "周亮")
    request = ReturnRequest(payer=payer.id, relative=relative, year=2027)
    checked = tax_return.return_check(records, load(), dt.date(2026, 11, 24), request)
    ruling = next(r for r in checked.rules if r.code == "CROSS_PROVINCE")
    assert ruling.status == "passed", ruling


def test_a_return_receipt_gives_the_notes_a_receipt_must_give(run) -> None:
    """`famcov receipt FH…`: where the money goes (the worker's bank account), the payment
    method, where to look it up, and that the premium stays paid — as when applied for."""
    assert run("scenario", "start", "hubei-return", today=None).code == 0
    who = ["--payer", "周强", "--relative", "周亮", "--year", "2027", "--yes"]
    back = run("claim-return", *who, today=None).data["return"]
    receipt = run("receipt", back["no"], today=None).data["receipt"]
    notes = " ".join(receipt["notes"])
    assert "本人的银行账户" in notes  # where it goes
    assert "支付方式" in notes  # the payment method
    assert "申请记录" in notes  # where to look it up
    assert "仍为已缴" in notes
    assert receipt["region"] == {"code": WUHAN, "name": "武汉市"}  # her enrolment's


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_after_a_return_the_tax_payment_stays_paid(run, lang) -> None:
    """The premium is not refunded by a return: the tax row says paid, and that the
    account returned it (its FH number beside)."""
    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    assert run("scenario", "start", "hubei-return", today=None).code == 0
    who = ["--payer", "周强", "--relative", "周亮", "--year", "2027", "--yes"]
    no = run("claim-return", *who, today=None).data["return"]["no"]
    tax = next(p for p in run("payments", today=None).data["payments"] if p["kind"] == "tax")
    assert tax["status"] == "paid" and tax["return_no"] == no
    shown = run("payments", today=None, lang=lang, json_out=False, env={"COLUMNS": "160"})
    assert (ZH if lang == "zh" else EN)["status.paid_returned"] in shown.data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_pack_without_a_wait_says_so_not_that_nothing_was_paid(
    hubei, ok, state, policy_dir, monkeypatch, lang
):
    """Paid through the tax channel where the pack sets no wait: the check says the
    province sets none, not "no tax-channel payment" beside the payment it just found."""
    from famcov import policy
    from famcov.features import tax_return
    from famcov.i18n import set_lang, t
    from famcov.requests import ReturnRequest
    from famcov.store import Store

    pack = json.loads((Path(__file__).parent.parent / "data/policies/hubei.json").read_text())
    pack["returns"]["wait_days"] = {"value": 0, "source": None, "illustrative": True}
    env = policy_dir(hubei=pack)
    payer, brother = hubei
    ok(*_pay_tax(payer, brother), env=env)
    monkeypatch.setenv("FAMCOV_DATA_DIR", env["FAMCOV_DATA_DIR"])
    set_lang(lang)
    try:
        request = ReturnRequest(payer=payer, relative=brother, year=2027)
        checked = tax_return.return_check(
            Store(state).records(), policy.load(), dt.date(2026, 11, 24), request
        )
        waited = next(r for r in checked.rules if r.code == "RETURN_TOO_SOON")
        assert waited.status == "skipped"
        assert str(waited.message) == t("rule.RETURN_TOO_SOON.no_wait")
        assert_message(str(waited.message), lang)
    finally:
        set_lang("zh")
