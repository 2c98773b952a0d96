"""The rules as the bureaus apply them, second round (issue 18), through the commands:
a lapse waits inside the window too, paying missed years back, newborns' 90 days, Hubei's
return whoever paid, the tax channel's payment method, values the sources disagree on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, assert_message, new_id

ACCEPT = "--accept-commitment"


def pay(payer: str, relative: str, region: str, year: int, *extra: str) -> list[str]:
    command = f"pay --payer {payer} --relative {relative} --region {region} --year {year}"
    return [*command.split(), "--tier", "standard", "--yes", *extra]


def bind(payer: str, relative: str, name: str, relation: str, *extra: str) -> list[str]:
    command = f"bind --payer {payer} --relative {relative} --name {name} --relation {relation}"
    return [*command.split(), ACCEPT, *extra]


def worker(ok, *, region: str = "成都", balance: str = "2000", today: str | None = None) -> str:
    person = new_id(born="19800101")
    add = f"admin add-worker --id {person} --name 钱一 --region {region} --balance {balance}"
    ok(*add.split(), **({"today": today} if today else {}))
    return person


def enrol(ok, person: str, name: str, region: str, year: int, **given) -> None:
    ok(*f"admin enrol --id {person} --name {name} --region {region} --year {year}".split(), **given)


# -- 1. a lapse waits inside the window too ------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lapse_waits_inside_the_window(empty: Path, ok, lang):
    """Enrolled but unpaid for 2025 and 2026, paid for 2027 on 2027-01-20 inside the window:
    3 fixed months plus 2 for the two years of lapse, counted from the payment date."""
    payer, parent = worker(ok), new_id(born="19550101")
    for year in (2025, 2026, 2027):
        enrol(ok, parent, "钱老一", "成都", year)
    ok(*bind(payer, parent, "钱老一", "parent"))
    receipt = ok(*pay(payer, parent, "成都", 2027), today="2027-01-20", lang=lang)["receipt"]
    assert (receipt["in_window"], receipt["benefits_from"]) == (True, "2027-06-20")
    notes = " ".join(receipt["notes"])
    assert ("未连续参保" if lang == "zh" else "lapse in cover") in notes, notes
    assert "2027-01-01" not in notes
    for note in receipt["notes"]:
        assert_message(note, lang, allow=("钱老一", "个人账户代缴申请", "国办发〔2024〕38号"))


def test_a_year_still_payable_is_no_lapse_yet(empty: Path, ok):
    """Paid for 2027 on 2026-11-20: 2026 can still be paid, so only 2025 counts — the
    lapse waits 3 + 1 months from 1 January, not benefits from 1 January."""
    payer, parent = worker(ok), new_id(born="19550101")
    for year in (2025, 2026, 2027):
        enrol(ok, parent, "钱老一", "成都", year)
    ok(*bind(payer, parent, "钱老一", "parent"))
    receipt = ok(*pay(payer, parent, "成都", 2027), today="2026-11-20")["receipt"]
    assert (receipt["in_window"], receipt["benefits_from"]) == (True, "2027-05-01")
    # continuously insured (2026 paid in time), inside the window: no wait at all
    mother = new_id(born="19560101")
    for year in (2026, 2027):
        enrol(ok, mother, "钱老二", "成都", year)
    record = f"admin record-payment --id {mother} --year 2026 --channel tax"
    ok(*record.split(), today="2026-01-10")
    ok(*bind(payer, mother, "钱老二", "parent"))
    receipt = ok(*pay(payer, mother, "成都", 2027), today="2026-11-20")["receipt"]
    assert (receipt["in_window"], receipt["benefits_from"]) == (True, "2027-01-01")


def test_the_quoted_rule_names_the_lapse(ok, empty: Path):
    (year,) = [
        y for y in ok("policy", "--province", "四川", "--year", "2027")["provinces"][0]["years"]
    ]
    assert year["waiting_months"] == 3
    policy = ok("policy", "--province", "四川")["provinces"][0]
    assert "或未连续参保" in str(policy), "the quoted rule keeps 或未连续参保"


def test_paying_missed_years_back_shortens_the_extra_months(empty: Path, ok):
    """Two years of lapse, one paid back afterwards (补缴): 3 + 2 - 1 = 4 months."""
    payer, parent = worker(ok), new_id(born="19550101")
    for year in (2025, 2026, 2027):
        enrol(ok, parent, "钱老一", "成都", year)
    ok(*f"admin record-payment --id {parent} --year 2025 --channel tax".split(), today="2026-11-01")
    ok(*bind(payer, parent, "钱老一", "parent"))
    receipt = ok(*pay(payer, parent, "成都", 2027), today="2027-01-20", lang="en")["receipt"]
    assert receipt["benefits_from"] == "2027-05-20"
    assert any("paid back" in n for n in receipt["notes"]), receipt["notes"]


def test_four_years_of_lapse_keep_six_months_after_repair(empty: Path, ok):
    """Covered in 2022, then four years of lapse (2023-2026), three of them paid back
    afterwards: 3 + 4 - 3 = 4 months, but four or more years keep 6 months in all."""
    payer, parent = worker(ok), new_id(born="19550101")
    enrol(ok, parent, "钱老一", "成都", 2022)
    record = f"admin record-payment --id {parent} --channel tax --year"
    ok(*record.split(), "2022", today="2022-01-05")
    for year in (2023, 2024, 2025):
        ok(*record.split(), str(year), today="2026-11-01")
    enrol(ok, parent, "钱老一", "成都", 2027)
    ok(*bind(payer, parent, "钱老一", "parent"))
    receipt = ok(*pay(payer, parent, "成都", 2027), today="2027-01-20")["receipt"]
    assert receipt["benefits_from"] == "2027-07-20"  # at least 6 months in all


# -- 2. newborns: 90 days from birth ------------------------------------------------------


def _baby(ok, born: str, year: int, today: str) -> tuple[str, str]:
    payer, baby = worker(ok, today=today), new_id(born=born)
    enrol(ok, baby, "钱宝", "成都", year, today=today)
    ok(*bind(payer, baby, "钱宝", "child", "--proof", "出生医学证明"), today=today)
    return payer, baby


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_newborn_paid_within_90_days_is_covered_from_birth(empty: Path, ok, lang):
    payer, baby = _baby(ok, "20260301", 2026, "2026-04-15")
    receipt = ok(*pay(payer, baby, "成都", 2026), today="2026-04-15", lang=lang)["receipt"]
    assert (receipt["in_window"], receipt["benefits_from"]) == (False, "2026-03-01")
    # covered from birth, said without the birth date (the part a masked ID hides)
    assert not any("2026-03-01" in n for n in receipt["notes"]), receipt["notes"]
    # the 90 days are 示意: no public source confirms them here
    mark = "示意" if lang == "zh" else "(illustrative)"
    birth = "出生之日起" if lang == "zh" else "covered from birth"
    assert any(birth in n and mark in n for n in receipt["notes"]), receipt["notes"]
    for note in receipt["notes"]:
        assert_message(note, lang, allow=("个人账户代缴申请",))


def test_a_newborn_paid_after_90_days_is_covered_from_the_payment(empty: Path, ok):
    payer, baby = _baby(ok, "20260301", 2026, "2026-07-01")
    receipt = ok(*pay(payer, baby, "成都", 2026), today="2026-07-01", lang="en")["receipt"]
    assert receipt["benefits_from"] == "2026-07-01"
    assert any("payment date" in n for n in receipt["notes"]), receipt["notes"]


def test_a_newborns_90_days_across_the_year_end_pay_both_years(empty: Path, ok, refused, run):
    """Born 2026-12-01: on 2027-01-20 the 2026 year (closed to others) can still be paid,
    covered from birth, and 2027 too."""
    payer, baby = _baby(ok, "20261201", 2026, "2027-01-20")
    enrol(ok, baby, "钱宝", "成都", 2027, today="2027-01-20")
    checked = run("check", *pay(payer, baby, "成都", 2026)[1:-1], today="2027-01-20", lang="en")
    (rule,) = [r for r in checked.data["rules"] if r["code"] == "YEAR_NOT_OPEN"]
    assert rule["passed"] and "within 90 days" in rule["message"], rule
    first = ok(*pay(payer, baby, "成都", 2026), today="2027-01-20")["receipt"]
    assert first["benefits_from"] == "2026-12-01"
    second = ok(*pay(payer, baby, "成都", 2027), today="2027-01-20")["receipt"]
    assert second["benefits_from"] == "2027-01-01"
    # past the 90 days, the closed year stays closed
    older = new_id(born="20260901")
    enrol(ok, older, "钱二宝", "成都", 2026, today="2027-01-20")
    ok(*bind(payer, older, "钱二宝", "child", "--proof", "出生医学证明"), today="2027-01-20")
    for lang in ("zh", "en"):
        refused(
            *pay(payer, older, "成都", 2026),
            code="YEAR_NOT_OPEN",
            exit=1,
            today="2027-01-20",
            lang=lang,
        )


# -- 3. Hubei: pay first, then return — whoever paid --------------------------------------

WUHAN = "420100"
PAID_DAY, CLAIM_DAY = "2026-11-24", "2026-11-29"


def _hubei(ok, *, balance: str = "2000") -> tuple[str, str]:
    payer, mother = new_id(area="420102", born="19870312"), new_id(area="420102", born="19600101")
    add = f"admin add-worker --id {payer} --name 周强 --region 武汉 --balance {balance}"
    ok(*add.split(), today=PAID_DAY)
    enrol(ok, mother, "周母", WUHAN, 2027, today=PAID_DAY)
    ok(*bind(payer, mother, "周母", "parent"), today=PAID_DAY)
    return payer, mother


def _claim(payer: str, relative: str, year: int = 2027) -> list[str]:
    return [*f"claim-return --payer {payer} --relative {relative} --year {year}".split(), "--yes"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_relatives_own_tax_payment_is_returned(empty: Path, ok, lang):
    """The relative paid herself at the tax channel: the worker still applies, and the
    amount goes from the personal account to the worker's bank account."""
    payer, mother = _hubei(ok)
    ok(*f"admin record-payment --id {mother} --year 2027 --channel tax".split(), today=PAID_DAY)
    back = ok(*_claim(payer, mother), today=CLAIM_DAY, lang=lang)["return"]
    assert (back["amount"], back["balance_after"]) == ("400.00", "1600.00")
    notes = " ".join(back["notes"])
    assert ("银行账户" if lang == "zh" else "bank account") in notes, notes
    assert ("重新提交申请" if lang == "zh" else "apply again") in notes, notes
    for note in back["notes"]:
        assert_message(note, lang, allow=("周母",))
    assert ok("doctor")["problems"] == []


def test_a_premium_another_person_paid_by_tax_is_returned(empty: Path, ok):
    payer, mother = _hubei(ok)
    other = new_id(area="420102", born="19900101")
    ok(*f"admin add-worker --id {other} --name 周二 --region 武汉 --balance 500".split())
    pay_tax = f"pay-tax --payer {other} --relative {mother} --region {WUHAN} --year 2027"
    ok(*pay_tax.split(), "--tier", "standard", "--yes", today=PAID_DAY)
    back = ok(*_claim(payer, mother), today=CLAIM_DAY)["return"]
    assert back["balance_after"] == "1600.00"
    assert ok("account", "--payer", other)["balance"] == "500.00"
    assert ok("doctor")["problems"] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_return_waits_five_days_after_the_payment(empty: Path, ok, refused, lang):
    payer, mother = _hubei(ok)
    ok(*f"admin record-payment --id {mother} --year 2027 --channel tax".split(), today=PAID_DAY)
    data = refused(
        *_claim(payer, mother), code="RETURN_TOO_SOON", exit=1, today="2026-11-26", lang=lang
    )
    assert "2026-11-29" in data["error"]["message"]
    assert_message(data["error"]["message"], lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_only_the_current_and_next_year_are_returned(empty: Path, ok, refused, lang):
    payer, mother = _hubei(ok)
    enrol(ok, mother, "周母", WUHAN, 2025, today="2025-03-01")
    ok(*f"admin record-payment --id {mother} --year 2025 --channel tax".split(), today="2025-03-01")
    data = refused(
        *_claim(payer, mother, 2025),
        code="RETURN_YEAR_NOT_ALLOWED",
        exit=1,
        today="2026-11-29",
        lang=lang,
    )
    assert "2026" in data["error"]["message"] and "2027" in data["error"]["message"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_balance_must_be_greater_than_the_return(empty: Path, ok, refused, lang):
    payer, mother = _hubei(ok, balance="400")
    ok(*f"admin record-payment --id {mother} --year 2027 --channel tax".split(), today=PAID_DAY)
    data = refused(
        *_claim(payer, mother), code="INSUFFICIENT_BALANCE", exit=1, today=CLAIM_DAY, lang=lang
    )
    assert ("大于" if lang == "zh" else "greater than") in data["error"]["message"]


# -- 4. the tax channel's payment method, per province's channel ---------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_receipt_says_how_it_was_paid(empty: Path, ok, lang):
    """Yunnan's tax app debits the account (医保账户支付); the shared tax channel's 是否代缴
    is the payer's own money. Each says so on its receipt or confirmation."""
    payer, sister = new_id(area="530102"), new_id(area="530102", born="19950101")
    ok(*f"admin add-worker --id {payer} --name 杨一 --region 昆明 --balance 2000".split())
    enrol(ok, sister, "杨二", "昆明", 2027)
    ok(*bind(payer, sister, "杨二", "sibling"))
    receipt = ok(*pay(payer, sister, "昆明", 2027), lang=lang)["receipt"]
    notes = " ".join(receipt["notes"])
    assert "医保账户支付" in notes, notes
    assert (
        "个人账户扣款" if lang == "zh" else "debited from the employee personal account"
    ) in notes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_tax_payment_says_it_is_own_money(demo, ok, lang):
    command = "pay-tax --payer 张伟 --relative 张建国 --region 绵阳 --year 2027 --tier standard"
    paid = ok(*command.split(), "--yes", lang=lang)
    method = [n for n in paid["notes"] if ("支付方式" if lang == "zh" else "Payment method") in n]
    assert (
        method and ("不动用" if lang == "zh" else "not the employee personal account") in method[0]
    )


def test_policy_lists_each_channels_method(demo, ok):
    provinces = ok("policy")["provinces"]
    channels = {c["id"]: c for p in provinces for c in p["channels"]}
    assert channels["tax-city-service"]["funds"] == "own-money"
    assert "医保账户支付" in channels["yunnan-two-app"]["method"]
    assert all(c["method"] for c in channels.values())


# -- 5. Jiangxi's relation proof: 示意, with what each source says -------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_jiangxis_proof_is_illustrative_and_says_what_each_source_says(
    empty: Path, ok, refused, lang
):
    payer, grandma = new_id(area="360102", born="19910611"), new_id(area="360102", born="19400720")
    ok(*f"admin add-worker --id {payer} --name 徐梅 --region 南昌 --balance 2000".split())
    enrol(ok, grandma, "李凤英", "南昌", 2027)
    data = refused(
        *bind(payer, grandma, "李凤英", "maternal-grandparent"),
        code="PROOF_REQUIRED",
        exit=1,
        lang=lang,
    )
    message = data["error"]["message"]
    assert ("示意" if lang == "zh" else "illustrative") in message
    assert ("来源说法不一" if lang == "zh" else "sources disagree") in message
    assert "2025" in message  # the Jiangxi bureau's article of October 2025
    province = ok("policy", "--province", "江西", lang=lang)["provinces"][0]
    proof = province["sources"]["proof_required"]
    assert proof["illustrative"] is True and len(proof["says"]) == 2


def test_the_jiangxi_scenario_does_not_state_the_proof_as_fact(ok):
    shown = ok("scenario", "show", "jiangxi-proof")
    text = str(shown)
    assert "来源说法不一" in text and "示意" in text


# -- also: balance greater than the premium, who binds, the critical-illness note, Henan ----


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yunnans_balance_must_be_greater_than_the_premium(empty: Path, ok, refused, lang):
    """余额应大于…否则缴费将失败: a balance equal to the premium fails, and says 示意."""
    payer, sister = new_id(area="530102"), new_id(area="530102", born="19950101")
    ok(*f"admin add-worker --id {payer} --name 杨一 --region 昆明 --balance 400".split())
    enrol(ok, sister, "杨二", "昆明", 2027)
    ok(*bind(payer, sister, "杨二", "sibling"))
    data = refused(
        *pay(payer, sister, "昆明", 2027), code="INSUFFICIENT_BALANCE", exit=1, lang=lang
    )
    message = data["error"]["message"]
    assert ("大于" if lang == "zh" else "greater than") in message
    assert ("示意" if lang == "zh" else "illustrative") in message  # Yunnan's is unsourced
    assert ("其他渠道" if lang == "zh" else "another channel") in message
    ok(*f"admin credit --id {payer} --amount 0.01".split())
    ok(*pay(payer, sister, "昆明", 2027))


def test_where_only_the_worker_binds_the_binding_says_so(empty: Path, ok, policy_dir):
    pack = json.loads((DATA / "policies" / "sichuan.json").read_text(encoding="utf-8"))
    pack["worker_binds_only"] = {"value": True, "source": None, "illustrative": True}
    env = policy_dir(sichuan=pack)
    payer, child = worker(ok), new_id(born="20120101")
    notes = ok(*bind(payer, child, "钱二", "child", "--proof", "hukou"), env=env, lang="en")[
        "notes"
    ]
    assert any("cannot apply themselves (illustrative)" in n for n in notes), notes
    plain = ok(*bind(payer, new_id(born="20130101"), "钱三", "child", "--proof", "hukou"))["notes"]
    assert not any("apply themselves" in n or "无法自行申请" in n for n in plain)


def test_a_lapse_resets_the_critical_illness_incentive(empty: Path, ok):
    payer, parent = worker(ok), new_id(born="19550101")
    for year in (2026, 2027):
        enrol(ok, parent, "钱老一", "成都", year)
    ok(*bind(payer, parent, "钱老一", "parent"))
    notes = ok(*pay(payer, parent, "成都", 2027), today="2027-01-20")["receipt"]["notes"]
    assert any("大病保险" in n and "清零" in n for n in notes), notes


def test_henans_revocation_cites_a_city_bureau_and_its_menu(ok):
    henan = ok("policy", "--province", "河南")["provinces"][0]
    text = json.dumps(henan, ensure_ascii=False)
    assert "市级医疗保障局" in text and "职工个人账户代缴居民医保费撤销" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_benefits_used_refuse_a_revocation(empty: Path, ok, refused, lang):
    """已享受待遇 is a record: once the relative used the year's benefits, Henan refuses
    to revoke the proxy payment for it."""
    payer, mother = new_id(area="410102", born="19850101"), new_id(area="410102", born="19600101")
    ok(*f"admin add-worker --id {payer} --name 郑一 --region 郑州 --balance 2000".split())
    enrol(ok, mother, "郑母", "郑州", 2027)
    ok(*bind(payer, mother, "郑母", "parent"))
    no = ok(*pay(payer, mother, "郑州", 2027), today="2026-11-20")["receipt"]["no"]
    father = new_id(area="410102", born="19580101")  # no benefits used: revoked as before
    enrol(ok, father, "郑父", "郑州", 2027)
    ok(*bind(payer, father, "郑父", "parent"))
    other = ok(*pay(payer, father, "郑州", 2027), today="2026-11-20")["receipt"]["no"]
    claim = ok(*f"admin record-claim --id {mother} --year 2027".split(), today="2027-01-10")
    assert claim["claim"]["on"] == "2027-01-10" and "*" in claim["claim"]["id"]
    revoke = ["revoke", no, "--reason", "other", "--yes"]
    again = ["revoke", other, "--reason", "other", "--yes"]
    assert ok(*again, today="2027-01-12")["receipt"]["status"] == "revoked"
    data = refused(*revoke, code="REVOKE_BENEFITS_USED", exit=1, today="2027-01-12", lang=lang)
    assert "2027-01-10" in data["error"]["message"]
    assert_message(data["error"]["message"], lang)
