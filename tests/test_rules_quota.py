"""跨省共济额度: the 2026 cross-province notice as a labelled what-if pack
(FAMCOV_WHAT_IF=cross-province-2026). Reserve, spend and release are ledger
entries: the balance is still the sum of the ledger, the spendable balance
leaves the reserved quota out, and the quota ends on unbinding or a move."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PAY_STANDARD, ZHANG_LI, ZHANG_WEI, assert_message, ledger_total, money

WHAT_IF = {"FAMCOV_WHAT_IF": "cross-province-2026"}
KUNMING = ["--payer", "张伟", "--relative", "张丽", "--region", "昆明", "--year", "2027"]


@pytest.fixture
def sister(demo: Path, ok) -> None:
    """张伟's sister 张丽, insured in Kunming, verified: a full member."""
    ok("verify", "--payer", "张伟", "--relative", "张丽", env=WHAT_IF)


def account(ok) -> dict:
    data = ok("account", "--payer", ZHANG_WEI, env=WHAT_IF)
    assert ledger_total(data) == money(data["balance"])  # the balance is the ledger's sum
    return data


def test_without_the_what_if_the_quota_is_not_available(demo: Path, refused, sister):
    command = ["quota", "reserve", "--payer", "张伟", "--relative", "张丽", "--amount", "500"]
    data = refused(*command, code="QUOTA_NOT_AVAILABLE", exit=1)
    assert "FAMCOV_WHAT_IF" in data["error"]["message"]


def test_the_scope_message_no_longer_puts_kunming_in_sichuan(demo: Path, run, sister):
    rules = {r["code"]: r for r in run("check", *KUNMING, env=WHAT_IF).data["rules"]}
    message = rules["CROSS_PROVINCE"]["message"]
    assert "同在四川省" not in message and "云南省" in message
    assert rules["CROSS_PROVINCE"]["status"] == "failed"  # no quota yet
    assert "quota reserve" in message


def test_reserve_spend_and_release_on_unbind(demo: Path, ok, refused, run, sister):
    before = account(ok)
    assert (before["balance"], before["reserved"], before["spendable"]) == (
        "1268.50",
        "0.00",
        "1268.50",
    )
    reserved = ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "500"],
        env=WHAT_IF,
    )
    assert (reserved["quota"], reserved["spendable"], reserved["balance"]) == (
        "500.00",
        "768.50",
        "1268.50",
    )
    data = account(ok)
    assert (data["balance"], data["reserved"], data["spendable"]) == ("1268.50", "500.00", "768.50")
    assert data["ledger"][-1]["kind"] == "reserve" and data["ledger"][-1]["amount"] == "0.00"

    # the worker can no longer spend the quota: 张小雨's 470 would need more than 768.50 - …
    receipt = ok("pay", *KUNMING, "--tier", "standard", env=WHAT_IF)["receipt"]
    assert receipt["balance_after"] == "868.50"
    data = account(ok)
    assert (data["reserved"], data["spendable"]) == ("100.00", "768.50")

    unbound = ok("unbind", "--payer", "张伟", "--relative", "张丽", "--yes", env=WHAT_IF)
    assert unbound["released_quota"] == "100.00"
    data = account(ok)
    assert (data["balance"], data["reserved"], data["spendable"]) == ("868.50", "0.00", "868.50")
    assert data["ledger"][-1]["kind"] == "release"
    refused(
        "quota",
        "release",
        "--payer",
        "张伟",
        "--relative",
        ZHANG_LI,
        code="QUOTA_NONE",
        exit=1,
        env=WHAT_IF,
    )


def test_unbinding_says_only_what_it_gave_back_itself(demo: Path, ok, sister):
    """A quota released by hand earlier the same day was not given back by the unbinding:
    it releases nothing and says so (it used to add up the day's releases)."""
    member = ["--payer", "张伟", "--relative", "张丽"]
    ok("quota", "reserve", *member, "--amount", "300", env=WHAT_IF)
    ok("quota", "release", *member, env=WHAT_IF)
    unbound = ok("unbind", *member, "--yes", env=WHAT_IF)
    assert unbound["released_quota"] == "0.00"
    assert account(ok)["ledger"][-1]["kind"] == "release"  # the hand release, nothing after


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_spendable_balance_equal_to_the_premium_says_greater_than(
    demo: Path, ok, refused, sister, policy_dir, lang
):
    """Where the balance must be greater than the premium, a spendable balance equal to it
    (a quota set aside) says so, not "400.00 is not enough for 400.00"."""
    from conftest import sichuan_pack

    pack = sichuan_pack()
    pack["balance_above_premium"] = {"value": True, "source": None, "illustrative": True}
    env = {**WHAT_IF, **policy_dir(sichuan=pack)}
    member = ["--payer", "张伟", "--relative", "张丽"]
    ok("quota", "reserve", *member, "--amount", "868.50", env=env)
    data = refused("pay", *PAY_STANDARD, code="INSUFFICIENT_BALANCE", exit=1, env=env, lang=lang)
    message = data["error"]["message"]
    assert ("大于" if lang == "zh" else "greater than") in message, message
    assert "868.50" in message and "400.00" in message


def test_the_quota_is_not_the_workers_to_spend(demo: Path, ok, refused, run, sister):
    ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "1000"],
        env=WHAT_IF,
    )
    pay = ["pay", *PAY_STANDARD]
    for lang in ("zh", "en"):
        data = refused(*pay, code="INSUFFICIENT_BALANCE", exit=1, env=WHAT_IF, lang=lang)
        assert "268.50" in data["error"]["message"] and "1000.00" in data["error"]["message"]
        assert_message(data["error"]["message"], lang, allow=("张小雨",))
    reserve = ["quota", "reserve", "--payer", "张伟", "--relative", "张丽", "--amount", "300"]
    refused(*reserve, code="INSUFFICIENT_BALANCE", exit=1, env=WHAT_IF)


def test_a_quota_too_small_for_the_premium(demo: Path, ok, refused, sister):
    ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "100"],
        env=WHAT_IF,
    )
    data = refused(
        "pay", *KUNMING, "--tier", "standard", code="INSUFFICIENT_BALANCE", exit=1, env=WHAT_IF
    )
    assert "100.00" in data["error"]["message"] and "quota reserve" in data["error"]["message"]


def test_a_temporary_member_gets_no_quota(demo: Path, refused):
    command = ["quota", "reserve", "--payer", "张伟", "--relative", "张丽", "--amount", "500"]
    data = refused(*command, code="MEMBER_TEMPORARY", exit=1, env=WHAT_IF)
    assert "famcov verify" in data["error"]["message"]


def test_a_move_ends_the_quota(demo: Path, ok, sister):
    ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "500"],
        env=WHAT_IF,
    )
    ok("admin", "move", "--id", ZHANG_WEI, "--region", "绵阳", env=WHAT_IF)
    data = account(ok)
    assert (data["reserved"], data["spendable"]) == ("0.00", "1268.50")
    assert data["payer"]["region"]["code"] == "510700"


def test_the_relatives_move_ends_the_quota(demo: Path, ok, sister):
    ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "500"],
        env=WHAT_IF,
    )
    ok(
        "admin",
        "enrol",
        "--id",
        ZHANG_LI,
        "--name",
        "张丽",
        "--region",
        "曲靖",
        "--year",
        "2028",
        env=WHAT_IF,
    )
    assert account(ok)["reserved"] == "0.00"


def test_revoking_a_quota_payment_refills_the_quota(demo: Path, ok, sister):
    ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "500"],
        env=WHAT_IF,
    )
    no = ok("pay", *KUNMING, "--tier", "standard", env=WHAT_IF)["receipt"]["no"]
    ok("revoke", no, "--reason", "other", "--yes", env=WHAT_IF)
    data = account(ok)
    assert (data["balance"], data["reserved"]) == ("1268.50", "500.00")


def test_the_what_if_is_labelled_and_invents_no_date(ok, run):
    (sichuan,) = ok("policy", "--province", "四川", env=WHAT_IF)["provinces"]
    assert sichuan["scope"] == "cross-province-quota"
    assert "假设情景" in sichuan["what_if"] and "未公布实施日期" in sichuan["what_if"]
    assert sichuan["sources"]["scope"]["illustrative"] is True
    human = run("policy", "--province", "四川", json_out=False, env=WHAT_IF).data
    assert "假设情景" in human
    (plain,) = ok("policy", "--province", "四川")["provinces"]
    assert plain["what_if"] is None and plain["scope"] == "province"


def test_an_unknown_what_if_is_a_policy_error(refused):
    refused("policy", code="BAD_POLICY", exit=2, env={"FAMCOV_WHAT_IF": "no-such-thing"})


def test_the_what_if_scenario_happens(run, ok, state):
    started = run("scenario", "start", "cross-province-quota", env=WHAT_IF)
    assert started.code == 0, started
    check = run(
        "check",
        *["--payer", "赵军", "--relative", "赵敏", "--region", "昆明", "--year", "2027"],
        env=WHAT_IF,
    )
    failed = sorted(r["code"] for r in check.data["rules"] if r["status"] == "failed")
    assert failed == ["CROSS_PROVINCE", "INSUFFICIENT_BALANCE"]
    ok(
        "quota",
        "reserve",
        *["--payer", "赵军", "--relative", "赵敏", "--amount", "500"],
        env=WHAT_IF,
    )
    receipt = ok(
        "pay",
        *[
            "--payer",
            "赵军",
            "--relative",
            "赵敏",
            "--region",
            "昆明",
            "--year",
            "2027",
            "--tier",
            "standard",
        ],
        env=WHAT_IF,
    )
    assert receipt["receipt"]["balance_after"] == "1100.00"
    assert (
        ok("unbind", "--payer", "赵军", "--relative", "赵敏", "--yes", env=WHAT_IF)[
            "released_quota"
        ]
        == "100.00"
    )
    data = ok("account", "--payer", "赵军", env=WHAT_IF)
    assert (data["balance"], data["spendable"]) == ("1100.00", "1100.00")
    assert Decimal(data["reserved"]) == 0


def test_doctor_accepts_the_quota_entries(demo: Path, ok, sister):
    ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "500"],
        env=WHAT_IF,
    )
    ok("pay", *KUNMING, "--tier", "standard", env=WHAT_IF)
    ok("unbind", "--payer", "张伟", "--relative", "张丽", "--yes", env=WHAT_IF)
    assert ok("doctor", env=WHAT_IF)["ok"] is True


def test_doctor_finds_a_quota_below_zero(demo: Path, ok, run, sister, state: Path):
    import json

    ok(
        "quota",
        "reserve",
        *["--payer", "张伟", "--relative", "张丽", "--amount", "500"],
        env=WHAT_IF,
    )
    data = json.loads(state.read_text(encoding="utf-8"))
    data["ledger"][-1]["quota"] = -50000  # a "reserve" that takes quota away
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    outcome = run("doctor", env=WHAT_IF)
    assert outcome.code != 0
    codes = {p["code"] for p in outcome.data.get("problems", [])}
    assert "LEDGER_QUOTA" in codes, outcome.data
