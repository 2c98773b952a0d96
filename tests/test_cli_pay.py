"""代缴信息校验 and 提交: `check` and `pay`, every rule, the receipt and the account."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import (
    DEFU,
    DEMO_RECEIPT,
    JIANGUO,
    LI_NA,
    MASKED,
    MONEY,
    PAYMENT_RULES,
    XIAOYU,
    XIUYING,
    ZHANG_LI,
    ZHANG_WEI,
    ledger_total,
    mask,
    money,
    new_id,
    sichuan_pack,
)

RECEIPT_FIELDS = {
    "no",
    "payer",
    "relative",
    "relation",
    "region",
    "year",
    "insurance",
    "tier",
    "amount",
    "balance_before",
    "balance_after",
    "paid_at",
    "in_window",
    "benefits_from",
    "notes",
}


def payment(payer: str, relative: str, region: str, year: int | str, tier: str | None = None):
    argv = ["--payer", payer, "--relative", relative, "--region", region, "--year", str(year)]
    return argv + (["--tier", tier] if tier is not None else [])


def pay(*args, **kwargs) -> list[str]:
    return ["pay", *payment(*args, **kwargs)]


def check(*args, **kwargs) -> list[str]:
    return ["check", *payment(*args, **kwargs)]


def add_worker(ok, *, balance: str = "1000", status: str = "active", region: str = "成都") -> str:
    person = new_id(born="19800101")
    command = f"admin add-worker --id {person} --name 孙一 --region {region} --balance {balance}"
    ok(*command.split(), "--status", status)
    return person


def add_child(ok, payer: str, *, region: str = "成都", year: int = 2027) -> str:
    child = new_id(born="20160101")
    ok(*f"admin enrol --id {child} --name 孙小一 --region {region} --year {year}".split())
    bind = f"bind --payer {payer} --relative {child} --name 孙小一 --relation child"
    ok(*bind.split(), "--accept-commitment", "--proof", "出生医学证明")
    return child


# -- a check that passes, and the receipt ------------------------------------------------------


def test_check_lists_every_rule_and_passes(demo: Path, ok, unchanged):
    with unchanged():  # checking never writes
        data = ok(*check("张伟", XIAOYU, "510100", 2027, "standard"))
    assert data["passed"] is True
    assert [r["code"] for r in data["rules"]] == list(PAYMENT_RULES)
    for rule in data["rules"]:
        assert rule["passed"] is True
        assert rule["message"]
    assert data["payer"] == {"id": mask(ZHANG_WEI), "name": "张伟"}
    assert data["relative"]["id"] == mask(XIAOYU)
    assert data["region"] == {"code": "510100", "name": "成都市"}
    assert [(t["id"], t["amount"]) for t in data["tiers"]] == [
        ("standard", "400.00"),
        ("higher", "470.00"),
    ]


def test_pay_in_the_window(demo: Path, ok):
    receipt = ok(*pay("张伟", XIAOYU, "510100", 2027, "standard"))["receipt"]
    assert set(receipt) >= RECEIPT_FIELDS
    assert receipt["no"].startswith("DJ20261124")
    assert receipt["payer"] == {"id": mask(ZHANG_WEI), "name": "张伟"}
    assert receipt["relative"] == {"id": mask(XIAOYU), "name": "张小雨"}
    assert receipt["relation"] == "child"
    assert receipt["region"] == {"code": "510100", "name": "成都市"}
    assert receipt["year"] == 2027
    assert receipt["insurance"] == "城乡居民基本医疗保险"
    assert receipt["tier"] == "standard"
    assert receipt["amount"] == "400.00"
    assert (receipt["balance_before"], receipt["balance_after"]) == ("1268.50", "868.50")
    assert receipt["paid_at"] == "2026-11-24"
    assert receipt["in_window"] is True
    assert receipt["benefits_from"] == "2027-01-01"
    assert receipt["status"] == "paid"
    notes = receipt["notes"]
    assert all(isinstance(n, str) and n for n in notes)
    assert any("税务" in n for n in notes), "no second payment through the tax bureau"
    assert any("2027-01-01" in n for n in notes), "benefits from 1 January"
    assert any(receipt["no"] in n or "查询" in n for n in notes), "where to look it up"


def test_pay_outside_the_window_has_a_waiting_period(demo: Path, ok):
    receipt = ok(*pay("张伟", JIANGUO, "绵阳", 2026, "standard"), "--accept-no-cover")["receipt"]
    assert receipt["in_window"] is False
    assert receipt["benefits_from"] == "2027-02-24"  # 3 months after 2026-11-24
    notes = receipt["notes"]
    waiting = [n for n in notes if "2027-02-24" in n]
    assert waiting and "3" in waiting[0], notes
    assert any("税务" in n for n in notes)
    assert not any("2026-01-01" in n for n in notes)


def test_receipt_notes_in_english(demo: Path, ok):
    receipt = ok(*pay("张伟", XIAOYU, "Chengdu", 2027, "standard"), lang="en")["receipt"]
    assert receipt["region"] == {"code": "510100", "name": "Chengdu"}
    notes = " ".join(receipt["notes"]).lower()
    assert "tax" in notes
    assert "2027-01-01" in notes
    assert receipt["insurance"] and "城乡" not in receipt["insurance"]


def test_window_start_differs_by_region(demo: Path, ok, refused):
    """Chengdu's window opens 2026-09-18, the rest of Sichuan's on 2026-09-01."""
    early = "2026-09-10"
    receipt = ok(*pay("张伟", JIANGUO, "绵阳", 2027, "standard"), today=early)["receipt"]
    assert (receipt["in_window"], receipt["benefits_from"]) == (True, "2027-01-01")
    command = pay("张伟", XIAOYU, "成都", 2027, "standard")
    refused(*command, code="YEAR_NOT_OPEN", exit=1, today=early)


# -- money and the ledger ------------------------------------------------------------------------


def test_money_is_strings_with_two_decimals_and_the_ledger_sums_to_the_balance(demo: Path, ok):
    receipt = ok(*pay("张伟", XIAOYU, "成都", 2027, "higher"))["receipt"]
    for key in ("amount", "balance_before", "balance_after"):
        assert MONEY.match(receipt[key]), receipt[key]
    assert money(receipt["balance_before"]) - money(receipt["amount"]) == money(
        receipt["balance_after"]
    )
    account = ok("account", "--payer", ZHANG_WEI)
    assert account["balance"] == receipt["balance_after"] == "798.50"
    assert ledger_total(account) == money(account["balance"])
    last = account["ledger"][-1]
    assert (last["kind"], last["amount"], last["ref"]) == ("payment", "-470.00", receipt["no"])
    assert last["balance_after"] == "798.50"


def test_paying_the_whole_balance_is_allowed(empty: Path, ok):
    payer = add_worker(ok, balance="400")
    child = add_child(ok, payer)
    receipt = ok(*pay(payer, child, "成都", 2027, "standard"))["receipt"]
    assert receipt["balance_after"] == "0.00"


# -- ways of naming the inputs ----------------------------------------------------------------------


@pytest.mark.parametrize("region", ["510100", "成都", "成都市", "Chengdu"])
def test_region_by_code_or_name(demo: Path, ok, region: str):
    receipt = ok(*pay("张伟", XIAOYU, region, 2027, "standard"))["receipt"]
    assert receipt["region"] == {"code": "510100", "name": "成都市"}


@pytest.mark.parametrize(
    ("tier", "tier_id", "amount"),
    [
        ("standard", "standard", "400.00"),
        ("个人缴费标准", "standard", "400.00"),
        ("higher", "higher", "470.00"),
        ("较高档次", "higher", "470.00"),
        ("Higher tier", "higher", "470.00"),
    ],
)
def test_tier_by_id_or_shown_name(demo: Path, ok, tier: str, tier_id: str, amount: str):
    receipt = ok(*pay("张伟", XIAOYU, "成都", 2027, tier))["receipt"]
    assert (receipt["tier"], receipt["amount"]) == (tier_id, amount)


def test_payer_and_relative_by_name(demo: Path, ok):
    receipt = ok(*pay("张伟", "张小雨", "成都", 2027, "standard"))["receipt"]
    assert receipt["relative"]["id"] == mask(XIAOYU)


# -- every rule, reached one at a time ---------------------------------------------------------------


@dataclass
class Case:
    payer: str
    relative: str
    region: str
    year: int
    tier: str = "standard"
    today: str = "2026-11-24"
    env: dict[str, str] = field(default_factory=dict)


def _payer_inactive(ok, policy_dir) -> Case:
    payer = add_worker(ok, status="suspended")
    return Case(payer, add_child(ok, payer), "成都", 2027)


def _relation_not_allowed(ok, policy_dir) -> Case:
    enrol = f"admin enrol --id {DEFU} --name 张德福 --region 成都 --year 2027"
    ok(*enrol.split())
    pack = sichuan_pack()
    pack["relations"]["value"] = ["spouse", "parent", "child"]
    return Case(ZHANG_WEI, DEFU, "成都", 2027, env=policy_dir(sichuan=pack))


def _insufficient(ok, policy_dir) -> Case:
    payer = add_worker(ok, balance="100")
    return Case(payer, add_child(ok, payer), "成都", 2027)


def _closed(ok, policy_dir) -> Case:
    ok(*f"admin enrol --id {XIAOYU} --name 张小雨 --region 成都 --year 2025".split())
    return Case(ZHANG_WEI, XIAOYU, "成都", 2025)  # 2025's open period ended 2025-12-31


CASES = {
    "PAYER_INACTIVE": _payer_inactive,
    "NOT_BOUND": lambda ok, p: Case(LI_NA, JIANGUO, "绵阳", 2027),
    "RELATION_NOT_ALLOWED": _relation_not_allowed,
    "CROSS_PROVINCE": lambda ok, p: Case(ZHANG_WEI, ZHANG_LI, "昆明", 2027),  # Yunnan sibling
    "NOT_ENROLLED": lambda ok, p: Case(ZHANG_WEI, DEFU, "成都", 2027),  # grandparent
    "RELATIVE_HAS_EMPLOYEE_INSURANCE": lambda ok, p: Case(ZHANG_WEI, LI_NA, "成都", 2027),
    "YEAR_NOT_OPEN": lambda ok, p: Case(ZHANG_WEI, XIAOYU, "成都", 2027, today="2026-08-01"),
    "UNKNOWN_TIER": lambda ok, p: Case(ZHANG_WEI, JIANGUO, "绵阳", 2027, tier="higher"),
    # 张伟 paid it; inside 2026's window, so only the duplicate is wrong
    "ALREADY_PAID": lambda ok, p: Case(LI_NA, XIAOYU, "成都", 2026, today="2026-02-01"),
    "PAID_ELSEWHERE": lambda ok, p: Case(ZHANG_WEI, XIUYING, "成都", 2027),  # tax bureau
    "INSUFFICIENT_BALANCE": _insufficient,
    # paid 2026-11-24 for 2026: 3 months' wait ends 2027-02-24, past the year's end
    "WAITING_PAST_YEAR": lambda ok, p: Case(ZHANG_WEI, JIANGUO, "绵阳", 2026),
}


def test_the_table_covers_every_rule():
    assert set(CASES) == set(PAYMENT_RULES)


@pytest.fixture(params=sorted(CASES), ids=str)
def failing(request, demo: Path, ok, policy_dir) -> tuple[str, Case]:
    return request.param, CASES[request.param](ok, policy_dir)


def test_check_reports_the_one_failing_rule(failing, run, unchanged):
    code, case = failing
    command = check(case.payer, case.relative, case.region, case.year, case.tier)
    with unchanged():
        outcome = run(*command, today=case.today, env=case.env)
    assert outcome.code == 1
    assert outcome.data["ok"] is True  # the check itself ran
    assert outcome.data["passed"] is False
    rules = {r["code"]: r for r in outcome.data["rules"]}
    assert list(rules) == list(PAYMENT_RULES)
    assert [c for c, r in rules.items() if r["status"] == "failed"] == [code]
    assert rules[code]["passed"] is False
    assert rules[code]["message"]


def test_pay_is_refused_with_the_rule_code(failing, refused):
    code, case = failing
    command = pay(case.payer, case.relative, case.region, case.year, case.tier)
    data = refused(*command, code=code, exit=1, today=case.today, env=case.env)
    assert [d["code"] for d in data["error"]["details"]] == [code]


# -- what the failures say ----------------------------------------------------------------------------


def test_insufficient_balance_says_the_shortfall(empty: Path, ok, refused):
    payer = add_worker(ok, balance="100.50")
    child = add_child(ok, payer)
    data = refused(*pay(payer, child, "成都", 2027, "higher"), code="INSUFFICIENT_BALANCE", exit=1)
    message = data["error"]["message"]
    assert "369.50" in message  # 470.00 - 100.50
    assert "100.50" in message
    assert "税务" in message or "其他渠道" in message  # the difference can be paid elsewhere


def test_already_paid_by_the_other_parent(demo: Path, ok, refused):
    ok(*pay("张伟", XIAOYU, "成都", 2027, "standard"))
    data = refused(*pay("李娜", XIAOYU, "成都", 2027, "standard"), code="ALREADY_PAID", exit=1)
    assert "张伟" in data["error"]["message"]
    assert ZHANG_WEI not in json.dumps(data)


def test_paying_twice_is_refused(demo: Path, ok, refused):
    receipt = ok(*pay("张伟", XIAOYU, "成都", 2027, "standard"))["receipt"]
    data = refused(*pay("张伟", XIAOYU, "成都", 2027, "higher"), code="ALREADY_PAID", exit=1)
    assert receipt["no"] in data["error"]["message"]


def test_not_enrolled_in_that_region_points_to_where_they_are(demo: Path, refused):
    data = refused(*pay("张伟", ZHANG_LI, "成都", 2027, "standard"), code="NOT_ENROLLED", exit=1)
    assert "昆明" in data["error"]["message"]


def test_a_year_the_policy_does_not_have(demo: Path, refused):
    data = refused(*pay("张伟", XIAOYU, "成都", 2030, "standard"), code="VALIDATION_FAILED", exit=1)
    codes = [d["code"] for d in data["error"]["details"]]
    assert "YEAR_NOT_OPEN" in codes


def test_all_failing_rules_are_reported(empty: Path, ok, refused):
    payer = add_worker(ok, balance="10", status="suspended")
    stranger = new_id(born="19550101")
    ok(*f"admin enrol --id {stranger} --name 钱一 --region 成都 --year 2026".split())
    ok(*f"admin record-payment --id {stranger} --year 2026 --channel wechat".split())
    expected = {"PAYER_INACTIVE", "NOT_BOUND", "PAID_ELSEWHERE", "INSUFFICIENT_BALANCE"}
    command = [*pay(payer, stranger, "成都", 2026, "standard"), "--accept-no-cover"]
    data = refused(*command, code="VALIDATION_FAILED", exit=1, details=expected)
    assert all(d["message"] for d in data["error"]["details"])


def test_check_and_pay_agree_on_the_failures(empty: Path, ok, run):
    payer = add_worker(ok, balance="10", status="suspended")
    stranger = new_id(born="19550101")
    ok(*f"admin enrol --id {stranger} --name 钱一 --region 成都 --year 2026".split())
    checked = run(*check(payer, stranger, "成都", 2026, "gold"), "--accept-no-cover")
    paid = run(*pay(payer, stranger, "成都", 2026, "gold"), "--accept-no-cover")
    failed = [r["code"] for r in checked.data["rules"] if r["status"] == "failed"]
    assert failed == ["PAYER_INACTIVE", "NOT_BOUND", "UNKNOWN_TIER"]
    assert [d["code"] for d in paid.data["error"]["details"]] == failed
    assert paid.data["error"]["code"] == "VALIDATION_FAILED"


def test_check_without_a_tier_judges_the_cheapest(empty: Path, ok, run):
    payer = add_worker(ok, balance="399.99")
    child = add_child(ok, payer)
    outcome = run(*check(payer, child, "成都", 2027))
    assert outcome.code == 1
    failed = [r["code"] for r in outcome.data["rules"] if r["status"] == "failed"]
    assert failed == ["INSUFFICIENT_BALANCE"]


def test_bad_inputs_do_not_pay(demo: Path, refused):
    refused(*pay("张伟", XIAOYU, "北京", 2027, "standard"), code="UNKNOWN_REGION", exit=2)
    refused(*pay("张伟", XIAOYU, "成都", 27, "standard"), code="INVALID_YEAR", exit=2)
    refused(*pay("王麻子", XIAOYU, "成都", 2027, "standard"), code="UNKNOWN_PERSON", exit=1)
    refused(*pay("51010419850315001", XIAOYU, "成都", 2027, "standard"), code="INVALID_ID", exit=2)
    refused(*pay(new_id(), XIAOYU, "成都", 2027, "standard"), code="UNKNOWN_PERSON", exit=1)


def test_receipt_ids_are_masked(demo: Path, ok):
    data = ok(*pay(ZHANG_WEI, XIAOYU, "成都", 2027, "standard"))
    text = json.dumps(data)
    assert ZHANG_WEI not in text and XIAOYU not in text
    assert MASKED.match(data["receipt"]["payer"]["id"])
    assert MASKED.match(data["receipt"]["relative"]["id"])


def test_receipt_numbers_are_unique(demo: Path, ok):
    first = ok(*pay("张伟", XIAOYU, "成都", 2027, "standard"))["receipt"]["no"]
    second = ok(*pay("张伟", JIANGUO, "绵阳", 2027, "standard"))["receipt"]["no"]
    assert len({DEMO_RECEIPT, first, second}) == 3


@pytest.mark.parametrize(
    ("today", "benefits_from"),
    [
        ("2026-03-01", "2026-06-01"),  # the day after the window
        ("2026-11-30", "2027-02-28"),  # no 30 February: the month's last day
        ("2026-12-31", "2027-03-31"),  # the last day the year is open
    ],
)
def test_waiting_period_dates(demo: Path, ok, today: str, benefits_from: str):
    command = [*pay("张伟", JIANGUO, "绵阳", 2026, "standard"), "--accept-no-cover"]
    receipt = ok(*command, today=today)["receipt"]
    assert (receipt["in_window"], receipt["benefits_from"]) == (False, benefits_from)
    assert receipt["paid_at"] == today


@pytest.mark.parametrize(
    ("today", "in_window"),
    [("2026-09-01", True), ("2027-02-28", True), ("2027-03-01", False), ("2027-12-31", False)],
)
def test_window_edges(demo: Path, ok, today: str, in_window: bool):
    command = [*pay("张伟", JIANGUO, "绵阳", 2027, "standard"), "--accept-no-cover"]
    receipt = ok(*command, today=today)["receipt"]
    assert receipt["in_window"] is in_window


@pytest.mark.parametrize("today", ["2026-08-31", "2028-01-01"])
def test_year_not_open_outside_its_period(demo: Path, refused, today: str):
    command = pay("张伟", JIANGUO, "绵阳", 2027, "standard")
    refused(*command, code="YEAR_NOT_OPEN", exit=1, today=today)
