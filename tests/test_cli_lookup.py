"""查询/退费: payments, receipt, revoke, the account ledger and the policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import (
    DEMO_RECEIPT,
    JIANGUO,
    LI_NA,
    XIAOYU,
    ZHANG_WEI,
    ledger_total,
    mask,
    money,
    sichuan_pack,
)


def pay(ok, relative: str, region: str, year: int, payer: str = "张伟", **kwargs) -> dict:
    command = f"pay --payer {payer} --relative {relative} --region {region} --year {year}"
    # 2026 paid on 2026-11-24 waits past the year's end: the trainee confirms it
    return ok(*command.split(), "--tier", "standard", "--accept-no-cover", **kwargs)["receipt"]


# -- payments -------------------------------------------------------------------------------------


def test_payments_lists_receipts_oldest_first(demo: Path, ok):
    new = pay(ok, XIAOYU, "成都", 2027)
    found = ok("payments")["payments"]
    assert [p["no"] for p in found] == [DEMO_RECEIPT, new["no"]]
    assert found[1] == new
    assert [p["status"] for p in found] == ["paid", "paid"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--payer", "张伟"], ["demo", "xiaoyu", "jianguo"]),
        (["--payer", LI_NA], []),
        (["--relative", XIAOYU], ["demo", "xiaoyu"]),
        (["--relative", "张小雨"], ["demo", "xiaoyu"]),  # by name, whoever paid
        (["--year", "2026"], ["demo", "jianguo"]),
        (["--year", "2027"], ["xiaoyu"]),
        (["--payer", "张伟", "--relative", "张建国"], ["jianguo"]),
        (["--payer", ZHANG_WEI, "--relative", XIAOYU, "--year", "2026"], ["demo"]),
    ],
)
def test_payments_filters(demo: Path, ok, filters, expected):
    made = {
        "demo": DEMO_RECEIPT,
        "xiaoyu": pay(ok, XIAOYU, "成都", 2027)["no"],
        "jianguo": pay(ok, JIANGUO, "绵阳", 2026)["no"],
    }
    found = ok("payments", *filters)["payments"]
    assert [p["no"] for p in found] == [made[name] for name in expected]


def test_payments_for_a_name_nobody_has(demo: Path, refused):
    refused("payments", "--relative", "王五", code="UNKNOWN_PERSON", exit=1)
    refused("payments", "--payer", "王五", code="UNKNOWN_PERSON", exit=1)


def test_payments_on_an_empty_state(empty: Path, ok):
    assert ok("payments") == {"ok": True, "payments": []}


def test_payments_mask_ids(demo: Path, ok):
    text = json.dumps(ok("payments"))
    assert ZHANG_WEI not in text and XIAOYU not in text
    assert mask(XIAOYU) in text


# -- receipt --------------------------------------------------------------------------------------------


def test_receipt_shows_the_receipt_again(demo: Path, ok):
    fresh = pay(ok, XIAOYU, "成都", 2027)
    assert ok("receipt", fresh["no"])["receipt"] == fresh
    assert ok("receipt", fresh["no"].lower())["receipt"]["no"] == fresh["no"]


def test_demo_receipt(demo: Path, ok):
    receipt = ok("receipt", DEMO_RECEIPT)["receipt"]
    assert receipt["paid_at"] == "2025-10-10"
    assert (receipt["in_window"], receipt["benefits_from"]) == (True, "2026-01-01")
    assert (receipt["balance_before"], receipt["balance_after"]) == ("1668.50", "1268.50")


@pytest.mark.parametrize("number", ["DJ209901010001", "nonsense", "DJ20251010000"])
def test_unknown_receipt(demo: Path, refused, number: str):
    refused("receipt", number, code="UNKNOWN_RECEIPT", exit=1)


# -- revoke -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("duplicate", "duplicate"),
        ("重复缴费", "duplicate"),
        ("moved", "moved"),
        ("参保地变更", "moved"),
        ("other", "other"),
        ("其他", "other"),
    ],
)
def test_revoke_with_a_reason(demo: Path, ok, given: str, reason: str):
    data = ok("revoke", DEMO_RECEIPT, "--reason", given, "--yes")
    receipt = data["receipt"]
    assert (receipt["status"], receipt["revoke_reason"]) == ("revoked", reason)
    assert receipt["revoked_at"] == "2026-11-24"
    assert data["refund"] == "400.00"
    assert data["balance"] == "1668.50"
    assert ok("receipt", DEMO_RECEIPT)["receipt"]["status"] == "revoked"


def test_revoke_returns_the_money_through_the_ledger(demo: Path, ok):
    ok("revoke", DEMO_RECEIPT, "--reason", "duplicate", "--yes")
    account = ok("account", "--payer", "张伟")
    assert [(e["kind"], e["amount"], e["ref"]) for e in account["ledger"]] == [
        ("opening", "1668.50", None),
        ("payment", "-400.00", DEMO_RECEIPT),
        ("refund", "400.00", DEMO_RECEIPT),
    ]
    assert [e["balance_after"] for e in account["ledger"]] == ["1668.50", "1268.50", "1668.50"]
    assert account["balance"] == "1668.50"
    assert ledger_total(account) == money(account["balance"])


def test_revoking_twice_is_refused(demo: Path, ok, refused):
    ok("revoke", DEMO_RECEIPT, "--reason", "duplicate", "--yes")
    command = ["revoke", DEMO_RECEIPT, "--reason", "other", "--yes"]
    data = refused(*command, code="ALREADY_REVOKED", exit=1)
    assert DEMO_RECEIPT in data["error"]["message"]


def test_revoke_an_unknown_receipt(demo: Path, refused):
    refused(
        "revoke", "DJ209901010001", "--reason", "other", "--yes", code="UNKNOWN_RECEIPT", exit=1
    )


@pytest.mark.parametrize("reason", ["because", ""])
def test_revoke_with_an_unknown_reason(demo: Path, refused, reason: str):
    refused("revoke", DEMO_RECEIPT, "--reason", reason, "--yes", code="INVALID_VALUE", exit=2)


def test_revoke_needs_a_reason(demo: Path, refused):
    data = refused("revoke", DEMO_RECEIPT, "--yes", code="MISSING_OPTION", exit=2)
    assert "--reason" in data["error"]["message"]


def test_paying_again_after_revoking(demo: Path, ok):
    """Revoked, the year is open again: the other parent may now pay it."""
    ok("revoke", DEMO_RECEIPT, "--reason", "duplicate", "--yes")
    again = pay(ok, XIAOYU, "成都", 2026, payer="李娜")
    assert again["no"] != DEMO_RECEIPT
    assert again["in_window"] is False  # 2026-11-24 is outside 2026's window
    statuses = {p["no"]: p["status"] for p in ok("payments", "--relative", XIAOYU)["payments"]}
    assert statuses == {DEMO_RECEIPT: "revoked", again["no"]: "paid"}
    assert ok("account", "--payer", "李娜")["balance"] == "460.00"


def test_revoke_only_in_window_where_the_province_says_so(demo: Path, ok, policy_dir, refused):
    pack = sichuan_pack()
    pack["revoke_in_window_only"] = {"value": True, "source": "test", "illustrative": False}
    env = policy_dir(sichuan=pack)
    receipt = pay(ok, XIAOYU, "成都", 2027)  # window 2026-09-18 .. 2027-02-28
    command = ["revoke", receipt["no"], "--reason", "other", "--yes"]
    refused(*command, code="REVOKE_CLOSED", exit=1, env=env, today="2027-03-01")
    assert ok(*command, env=env, today="2027-02-28")["receipt"]["status"] == "revoked"


# -- account ----------------------------------------------------------------------------------------


def test_account_shape(demo: Path, ok):
    ok("admin", "credit", "--id", LI_NA, "--amount", "35.5")
    pay(ok, XIAOYU, "成都", 2027, payer="李娜")
    data = ok("account", "--payer", "李娜")
    assert data["payer"]["id"] == mask(LI_NA)
    assert data["payer"]["status"] == "active"
    assert data["balance"] == data["payer"]["balance"] == "495.50"
    assert [(e["kind"], e["amount"]) for e in data["ledger"]] == [
        ("opening", "860.00"),
        ("credit", "35.50"),
        ("payment", "-400.00"),
    ]
    assert ledger_total(data) == money(data["balance"])
    assert [e["date"] for e in data["ledger"]] == ["2025-09-01", "2026-11-24", "2026-11-24"]


def test_account_of_someone_who_is_not_a_worker(demo: Path, refused):
    refused("account", "--payer", XIAOYU, code="UNKNOWN_PERSON", exit=1)


def test_account_needs_a_payer(demo: Path, refused):
    refused("account", code="MISSING_OPTION", exit=2)


# -- policy -------------------------------------------------------------------------------------------

SICHUAN_REGIONS = [
    "510100",
    "510300",
    "510400",
    "510500",
    "510600",
    "510700",
    "510800",
    "510900",
    "511000",
    "511100",
    "511300",
    "511400",
    "511500",
    "511600",
    "511700",
    "511800",
    "511900",
    "512000",
    "513200",
    "513300",
    "513400",
]


def test_policy_shape(ok):
    provinces = ok("policy")["provinces"]
    assert {p["code"]: p["name"] for p in provinces} == {
        "51": "四川省",
        "53": "云南省",
        "36": "江西省",
        "42": "湖北省",
        "41": "河南省",
        "44": "广东省",
        "37": "山东省",
        "45": "广西壮族自治区",
    }
    for p in provinces:
        assert set(p) >= {"code", "name", "scope", "relations", "regions", "years"}
        assert p["scope"] in ("province", "cross-province-quota")
        for r in p["regions"]:
            assert set(r) >= {"code", "name"} and r["code"].startswith(p["code"])
        assert [y["year"] for y in p["years"]] == [2025, 2026, 2027]
        for y in p["years"]:
            assert set(y) >= {"year", "window", "waiting_months", "tiers"}
            assert set(y["window"]) >= {"start", "end"}
            assert y["window"]["start"] < y["window"]["end"]
            assert isinstance(y["waiting_months"], int)
            for tier in y["tiers"]:
                assert set(tier) >= {"id", "name", "amount", "illustrative"}
                assert isinstance(tier["illustrative"], bool)
                money(tier["amount"])


def test_policy_of_sichuan(ok):
    (sichuan,) = ok("policy", "--province", "四川")["provinces"]
    assert [r["code"] for r in sichuan["regions"]] == SICHUAN_REGIONS
    assert sichuan["regions"][0] == {"code": "510100", "name": "成都市"}
    assert len(sichuan["relations"]) == 8
    y2025 = sichuan["years"][0]
    window = y2025["window"]
    assert (window["start"], window["end"]) == ("2024-09-01", "2025-02-28")
    assert y2025["waiting_months"] == 3
    standard = next(t for t in y2025["tiers"] if t["id"] == "standard")
    # no public notice is cited for Sichuan's amounts: shown as illustrative (示意)
    assert (standard["amount"], standard["illustrative"]) == ("400.00", True)
    assert "38号" in y2025["waiting_source"]["source"]  # 国办发〔2024〕38号
    higher = [t for y in sichuan["years"] for t in y["tiers"] if t["id"] == "higher"]
    assert higher and all(t["illustrative"] and t["regions"] == ["510100"] for t in higher)


@pytest.mark.parametrize("name", ["51", "四川", "四川省", "Sichuan", "sichuan"])
def test_policy_province_by_code_or_name(ok, name: str):
    assert [p["code"] for p in ok("policy", "--province", name)["provinces"]] == ["51"]


@pytest.mark.parametrize(("name", "count"), [("云南", 16), ("江西", 11)])
def test_policy_of_yunnan_and_jiangxi(ok, name: str, count: int):
    (province,) = ok("policy", "--province", name)["provinces"]
    assert len(province["regions"]) == count


def test_policy_for_one_year(ok):
    provinces = ok("policy", "--year", "2026")["provinces"]
    assert all([y["year"] for y in p["years"]] == [2026] for p in provinces)


def test_policy_in_english(ok):
    (sichuan,) = ok("policy", "--province", "四川", lang="en")["provinces"]
    assert sichuan["name"] == "Sichuan"
    assert sichuan["regions"][0]["name"] == "Chengdu"


def test_policy_needs_no_state(ok, state: Path):
    ok("policy")
    assert not state.exists()


def test_policy_refusals(refused):
    refused("policy", "--province", "火星", code="UNKNOWN_PROVINCE", exit=2)
    refused("policy", "--year", "twenty", code="INVALID_YEAR", exit=2)
