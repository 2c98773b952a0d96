"""The rules the bureaus add (issue 12), through the public surface: revocation
conditions, waiting periods under 国办发〔2024〕38号, age and face verification,
relation against the ID numbers, the balance-too-low wording, and honest sources."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    DATA,
    DEMO_RECEIPT,
    JIANGUO,
    XIAOYU,
    ZHANG_WEI,
    assert_message,
    invoke,
    make_id,
    mask,
    new_id,
    parse_json,
    sichuan_pack,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ACCEPT = "--accept-commitment"


def pay(payer: str, relative: str, region: str, year: int, *extra: str) -> list[str]:
    command = f"pay --payer {payer} --relative {relative} --region {region} --year {year}"
    return [*command.split(), "--tier", "standard", *extra]


def bind(payer: str, relative: str, name: str, relation: str, *extra: str) -> list[str]:
    command = f"bind --payer {payer} --relative {relative} --name {name} --relation {relation}"
    return [*command.split(), ACCEPT, *extra]


def worker(ok, *, born: str = "19800101", region: str = "成都", balance: str = "2000") -> str:
    person = new_id(born=born)
    ok(*f"admin add-worker --id {person} --name 钱一 --region {region} --balance {balance}".split())
    return person


def pack_with(**changes) -> dict:
    pack = sichuan_pack()
    for path, value in changes.items():
        block, key = path.split("__")
        pack[block][key] = value
    return pack


def sourced(value):
    return {"value": value, "source": "test pack", "illustrative": False}


# -- revocation ------------------------------------------------------------------------------------


def test_a_2026_payment_cannot_be_revoked_once_its_year_is_reconciled(demo: Path, refused):
    """The issue's example: revoking 2026 on 2027-06-01 returned the money. Now refused:
    2026's open period ended 2026-12-31, taken as reconciliation (对账/清算)."""
    for lang in ("zh", "en"):
        data = refused(
            "revoke",
            DEMO_RECEIPT,
            "--reason",
            "duplicate",
            "--yes",
            code="REVOKE_RECONCILED",
            exit=1,
            today="2027-06-01",
            lang=lang,
        )
        message = data["error"]["message"]
        assert_message(message, lang)
        assert "2026-12-31" in message and DEMO_RECEIPT in message


def test_revoking_inside_the_open_period_still_works_and_says_what_famcov_cannot_see(
    demo: Path, ok
):
    data = ok("revoke", DEMO_RECEIPT, "--reason", "duplicate", "--yes")
    assert data["refund"] == "400.00"
    notes = " ".join(data["notes"])
    assert "对账清算" in notes and "尚未使用" in notes  # said, not checked
    assert "2026 年度未缴费" in notes


def test_revoke_only_in_the_window_names_the_window(demo: Path, ok, refused, policy_dir):
    env = policy_dir(sichuan={**sichuan_pack(), "revoke_in_window_only": sourced(True)})
    receipt = ok(*pay("张伟", XIAOYU, "成都", 2027))["receipt"]
    data = refused(
        "revoke",
        receipt["no"],
        "--reason",
        "other",
        "--yes",
        code="REVOKE_CLOSED",
        exit=1,
        env=env,
        today="2027-03-01",
    )
    assert "2026-09-18 ~ 2027-02-28" in data["error"]["message"]


def test_revoke_within_hours_of_paying_waits_for_the_next_day(empty: Path, ok, refused, policy_dir):
    """Henan's 2 hours: famcov keeps dates, so the day of payment counts as within them."""
    env = policy_dir(sichuan=pack_with(revocation__min_hours=sourced(2)))
    payer, child = worker(ok), new_id(born="20050101")
    ok(*f"admin enrol --id {child} --name 钱小一 --region 成都 --year 2027".split())
    ok(*bind(payer, child, "钱小一", "child"))
    no = ok(*pay(payer, child, "成都", 2027), env=env)["receipt"]["no"]
    revoke = ["revoke", no, "--reason", "duplicate", "--yes"]
    for lang in ("zh", "en"):
        data = refused(*revoke, code="REVOKE_TOO_SOON", exit=1, env=env, lang=lang)
        assert "2026-11-24" in data["error"]["message"]
        assert_message(data["error"]["message"], lang)
    assert ok(*revoke, env=env, today="2026-11-25")["receipt"]["status"] == "revoked"


def test_revoke_refused_once_the_payers_benefits_ended(demo: Path, ok, refused, state: Path):
    receipt = ok(*pay("张伟", XIAOYU, "成都", 2027))["receipt"]
    data = json.loads(state.read_text(encoding="utf-8"))
    for w in data["workers"]:
        if w["id"] == ZHANG_WEI:
            w["status"] = "suspended"  # the worker's employee insurance ended
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data = refused(
        "revoke", receipt["no"], "--reason", "other", "--yes", code="REVOKE_PAYER_ENDED", exit=1
    )
    assert "张伟" in data["error"]["message"]


def test_every_failed_revocation_condition_is_reported(demo: Path, ok, refused, policy_dir):
    pack = pack_with(revocation__min_hours=sourced(2))
    pack["revoke_in_window_only"] = sourced(True)
    env = policy_dir(sichuan=pack)
    no = ok(*pay("张伟", JIANGUO, "绵阳", 2027, "--accept-no-cover"), today="2027-12-31")
    data = refused(
        "revoke",
        no["receipt"]["no"],
        "--reason",
        "other",
        "--yes",
        code="VALIDATION_FAILED",
        exit=1,
        env=env,
        today="2027-12-31",
        details={"REVOKE_CLOSED", "REVOKE_TOO_SOON"},
    )
    assert "撤销" in data["error"]["message"]


def test_a_revoked_receipt_claims_no_benefits_and_shows_the_reason(demo: Path, ok, run):
    ok("revoke", DEMO_RECEIPT, "--reason", "moved", "--yes")
    receipt = ok("receipt", DEMO_RECEIPT)["receipt"]
    notes = " ".join(receipt["notes"])
    assert "参保地变更" in notes
    assert "无需再通过税务" not in notes and "享受 2026 年度居民医保待遇" not in notes
    assert "不再享受 2026 年度待遇" in notes
    human = run("receipt", DEMO_RECEIPT, json_out=False)
    assert "参保地变更" in human.data and "不享受待遇" in human.data
    english = run("receipt", DEMO_RECEIPT, json_out=False, lang="en").data
    assert "insured region changed" in english and "no cover" in english


# -- waiting periods (国办发〔2024〕38号) ---------------------------------------------------------------


def test_each_year_without_cover_adds_a_month(empty: Path, ok):
    payer, parent = worker(ok), new_id(born="19550101")
    for year in (2025, 2026, 2027):  # enrolled, but 2025 and 2026 never paid: 断保 two years
        ok(*f"admin enrol --id {parent} --name 钱老一 --region 成都 --year {year}".split())
    ok(*bind(payer, parent, "钱老一", "parent"))
    receipt = ok(*pay(payer, parent, "成都", 2027), today="2027-03-10")["receipt"]
    assert (receipt["in_window"], receipt["benefits_from"]) == (False, "2027-08-10")  # 3 + 2
    notes = " ".join(receipt["notes"])
    assert "5 个月" in notes and "断保 2 年" in notes


def test_a_covered_year_is_no_gap(empty: Path, ok):
    payer, parent = worker(ok), new_id(born="19550101")
    for year in (2026, 2027):
        ok(*f"admin enrol --id {parent} --name 钱老一 --region 成都 --year {year}".split())
    ok(*f"admin record-payment --id {parent} --year 2026 --channel tax".split())
    ok(*bind(payer, parent, "钱老一", "parent"))
    receipt = ok(*pay(payer, parent, "成都", 2027), today="2027-03-10")["receipt"]
    assert receipt["benefits_from"] == "2027-06-10"  # the fixed 3 months only


def test_a_newborn_has_no_waiting_period(empty: Path, ok):
    payer, baby = worker(ok), new_id(born="20270201")
    enrol = f"admin enrol --id {baby} --name 钱宝 --region 成都 --year 2027"
    ok(*enrol.split(), today="2027-04-01")
    ok(*bind(payer, baby, "钱宝", "child", "--proof", "出生医学证明"), today="2027-04-01")
    receipt = ok(*pay(payer, baby, "成都", 2027), today="2027-04-01")["receipt"]
    # paid 59 days after birth: covered from birth
    assert (receipt["in_window"], receipt["benefits_from"]) == (False, "2027-02-01")
    assert any("新生儿" in n for n in receipt["notes"])


def test_a_wait_past_the_years_end_must_be_confirmed(demo: Path, ok, refused, run):
    command = pay("张伟", JIANGUO, "绵阳", 2026)
    for lang in ("zh", "en"):
        data = refused(*command, code="WAITING_PAST_YEAR", exit=1, lang=lang)
        message = data["error"]["message"]
        assert_message(message, lang)
        assert "2027-02-24" in message and "--accept-no-cover" in message
    checked = run("check", *command[1:])
    (rule,) = [r for r in checked.data["rules"] if r["code"] == "WAITING_PAST_YEAR"]
    assert rule["status"] == "failed"
    checked = run("check", *command[1:], "--accept-no-cover")
    (rule,) = [r for r in checked.data["rules"] if r["code"] == "WAITING_PAST_YEAR"]
    assert rule["status"] == "passed" and "享受不到待遇" in rule["message"]
    receipt = ok(*command, "--accept-no-cover")["receipt"]
    assert any("享受不到待遇" in n for n in receipt["notes"])


def test_the_tax_channel_confirms_a_wait_past_the_years_end_as_a_proxy_payment(
    demo: Path, ok, refused, state: Path
):
    """The same confirmation in the tax channel: its refusal says --accept-no-cover, and
    pay-tax takes it (it did not, so the advice could not be followed)."""
    command = ["pay-tax", *pay("张伟", JIANGUO, "绵阳", 2026)[1:], "--yes"]
    before = state.read_bytes()
    data = refused(*command, code="WAITING_PAST_YEAR", exit=1)
    assert "--accept-no-cover" in data["error"]["message"]
    assert state.read_bytes() == before
    paid = ok(*command, "--accept-no-cover")["paid_elsewhere"]
    assert (paid["channel"], paid["year"]) == ("tax", 2026)


def test_a_pack_may_refuse_a_wait_past_the_years_end(demo: Path, refused, policy_dir):
    env = policy_dir(sichuan=pack_with(waiting__past_year_end=sourced("refuse")))
    command = pay("张伟", JIANGUO, "绵阳", 2026, "--accept-no-cover")
    data = refused(*command, code="WAITING_PAST_YEAR", exit=1, env=env)
    assert "--accept-no-cover" not in data["error"]["message"]
    assert "下一年度" in data["error"]["message"]


# -- relation against the ID numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("relation", "born"),
    [
        ("parent", "19900101"),  # a parent born after the worker
        ("grandparent", "19800101"),  # born the same day
        ("maternal-grandparent", "19950101"),
        ("child", "19700101"),  # a child born before
        ("grandchild", "19791231"),
        ("maternal-grandchild", "19600101"),
    ],
)
def test_birth_order_against_the_relation_is_refused(empty: Path, ok, refused, relation, born):
    payer = worker(ok)
    relative = new_id(born=born)
    for lang in ("zh", "en"):
        data = refused(
            *bind(payer, relative, "钱二", relation), code="RELATION_BIRTH_ORDER", exit=1, lang=lang
        )
        message = data["error"]["message"]
        # the birth dates are what a masked ID hides: not one of them is given away
        assert "1980-01-01" not in message and f"{born[:4]}-{born[4:6]}-{born[6:]}" not in message
        assert_message(message, lang, allow=("钱二",))


@pytest.mark.parametrize(
    ("relation", "born", "extra"),
    [
        ("parent", "19700101", ()),  # 10 years older
        ("child", "19900101", ()),  # 10 years younger, and an adult: no proof needed
        ("grandparent", "19600101", ()),  # 20 years: under twice 14
    ],
)
def test_an_unusual_gap_must_be_confirmed(empty: Path, ok, refused, relation, born, extra):
    payer = worker(ok)
    relative = new_id(born=born)
    command = bind(payer, relative, "钱二", relation, *extra)
    data = refused(*command, code="RELATION_GAP", exit=1)
    assert "--confirm-gap" in data["error"]["message"]
    assert ok(*command, "--confirm-gap")["binding"]["relation"] == relation


def test_spouse_and_sibling_have_no_age_rule(empty: Path, ok):
    payer = worker(ok)
    ok(*bind(payer, new_id(born="19600101"), "钱三", "spouse"))
    ok(*bind(payer, new_id(born="20000101"), "钱四", "sibling"))


# -- age, face verification and relation proofs ----------------------------------------------------


def test_under_16_needs_a_household_register_or_birth_certificate(empty: Path, ok, refused):
    payer, child = worker(ok), new_id(born="20150101")
    command = bind(payer, child, "钱小二", "child")
    for lang in ("zh", "en"):
        data = refused(*command, code="MINOR_PROOF_REQUIRED", exit=1, lang=lang)
        assert_message(data["error"]["message"], lang, allow=("钱小二", "户口本", "出生医学证明"))
    refused(*command, "--proof", "结婚证", code="MINOR_PROOF_REQUIRED", exit=1)
    binding = ok(*command, "--proof", "hukou")["binding"]
    assert (binding["proof"], binding["member"], binding["temporary"]) == ("户口本", "full", False)


def test_a_relation_proof_is_one_of_three_documents(empty: Path, ok, refused):
    payer = worker(ok)
    command = bind(payer, new_id(born="20150101"), "钱小三", "child")
    data = refused(*command, "--proof", "身份证复印件", code="INVALID_VALUE", exit=2)
    assert "--proof" in data["error"]["message"]
    assert ok(*command, "--proof", "birth")["binding"]["proof"] == "出生医学证明"


def test_16_and_over_is_temporary_until_face_verification(empty: Path, ok, refused):
    payer, son = worker(ok), new_id(born="20050101")
    data = ok(*bind(payer, son, "钱大一", "child"))
    assert (data["binding"]["member"], data["binding"]["temporary"]) == ("temporary", True)
    assert any("临时成员" in n and "famcov verify" in n for n in data["notes"])
    family = ok("family", "--payer", payer)["members"]
    assert [m["member"] for m in family] == ["temporary"]
    verified = ok("verify", "--payer", payer, "--relative", "钱大一")["binding"]
    assert (verified["member"], verified["verified_on"]) == ("full", "2026-11-24")
    refused("verify", "--payer", payer, "--relative", son, code="VERIFY_NOT_NEEDED", exit=1)


def test_a_minor_needs_no_face_verification(empty: Path, ok, refused):
    payer, child = worker(ok), new_id(born="20150101")
    ok(*bind(payer, child, "钱小四", "child", "--proof", "户口本"))
    data = refused(
        "verify", "--payer", payer, "--relative", child, code="VERIFY_NOT_NEEDED", exit=1
    )
    assert "16" in data["error"]["message"]


def test_verify_someone_not_bound(demo: Path, refused):
    refused("verify", "--payer", "李娜", "--relative", JIANGUO, code="NOT_BOUND", exit=1)


def test_a_temporary_member_can_be_paid_for(empty: Path, ok):
    payer, son = worker(ok), new_id(born="20050101")
    ok(*f"admin enrol --id {son} --name 钱大二 --region 成都 --year 2027".split())
    ok(*bind(payer, son, "钱大二", "child"))
    assert ok(*pay(payer, son, "成都", 2027))["receipt"]["amount"] == "400.00"


def test_a_state_from_before_binding_status_loads_as_full_members(demo: Path, ok, state: Path):
    data = json.loads(state.read_text(encoding="utf-8"))
    for b in data["bindings"]:
        b.pop("member", None)
        b.pop("verified_on", None)
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    members = ok("family", "--payer", "张伟")["members"]
    assert members and all(m["member"] == "full" for m in members)


# -- wording ---------------------------------------------------------------------------------------


def test_a_name_given_for_the_relatives_id_is_named_as_a_name(demo: Path, refused):
    for lang in ("zh", "en"):
        data = refused(
            *bind("张伟", "张小明", "张小明", "child"), code="INVALID_ID", exit=2, lang=lang
        )
        message = data["error"]["message"]
        assert "张小明" in message and "***" not in message
        assert ("姓名" in message) if lang == "zh" else ("looks like a name" in message)


def test_balance_too_low_says_the_payment_cannot_go_through(empty: Path, ok, refused):
    payer, child = worker(ok, balance="100"), new_id(born="20050101")
    ok(*f"admin enrol --id {child} --name 钱小五 --region 成都 --year 2027".split())
    ok(*bind(payer, child, "钱小五", "child"))
    zh = refused(*pay(payer, child, "成都", 2027), code="INSUFFICIENT_BALANCE", exit=1)
    message = zh["error"]["message"]
    assert "无法完成" in message and "其他渠道" in message and "差额可" not in message
    en = refused(*pay(payer, child, "成都", 2027), code="INSUFFICIENT_BALANCE", exit=1, lang="en")
    message = en["error"]["message"]
    assert "cannot go through" in message and "difference can be paid" not in message


def test_the_years_message_separates_the_open_period_from_the_window(demo: Path, run):
    data = run(
        "check", "--payer", "张伟", "--relative", "张小雨", "--region", "成都", "--year", "2027"
    )
    (rule,) = [r for r in data.data["rules"] if r["code"] == "YEAR_NOT_OPEN"]
    assert (
        "可缴费（可缴费期间 2026-09-18 ~ 2027-12-31；集中缴费期 2026-09-18 ~ 2027-02-28）"
        in (rule["message"])
    )


def test_menu_paths_are_quoted(demo: Path, run):
    data = run(
        "check", "--payer", "李娜", "--relative", JIANGUO, "--region", "绵阳", "--year", "2027"
    )
    (rule,) = [r for r in data.data["rules"] if r["code"] == "NOT_BOUND"]
    assert "“亲情账户 → 添加家庭成员”" in rule["message"]


def test_the_receipt_explains_its_number(demo: Path, ok):
    notes = ok(*pay("张伟", XIAOYU, "成都", 2027))["receipt"]["notes"]
    assert any("famcov" in n and "回执号" in n for n in notes)  # famcov's own number
    assert any("四川医保APP" in n and "查询" in n for n in notes)  # where the app shows it


# -- honest sources --------------------------------------------------------------------------------


def test_policy_shows_which_values_are_sourced_and_which_illustrative(ok, run):
    (sichuan,) = ok("policy", "--province", "四川")["provinces"]
    rules = sichuan["rules"]
    assert rules["waiting"]["per_gap_year_months"]["illustrative"] is False
    assert "38号" in rules["waiting"]["per_gap_year_months"]["source"]
    assert rules["members"]["face_age"] == {"value": 16, "source": None, "illustrative": True}
    assert sichuan["sources"]["proof_required"]["illustrative"] is True
    human = run("policy", "--province", "四川", json_out=False).data
    assert "[示意]" in human and "[有来源]" in human
    english = run("policy", "--province", "四川", json_out=False, lang="en").data
    assert "[illustrative]" in english and "[sourced]" in english


def _sourced_values(node, where=""):
    if isinstance(node, dict):
        if "illustrative" in node and "source" in node:
            yield where, node
        for key, value in node.items():
            yield from _sourced_values(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _sourced_values(value, f"{where}[{i}]")


@pytest.mark.parametrize("path", sorted((DATA / "policies").glob("*.json")), ids=lambda p: p.name)
def test_every_value_names_a_public_source_or_is_illustrative(path: Path):
    pack = json.loads(path.read_text(encoding="utf-8"))
    for where, value in _sourced_values(pack):
        if value["illustrative"]:
            continue
        source = value["source"] or ""
        assert source, where
        assert not re.search(r"seed|\.md|\.txt|DOMAIN|brief", source, re.IGNORECASE), where
        assert "http" in source, f"{where}: a public source has a link"


def test_a_pack_citing_an_internal_file_is_refused(ok, refused, policy_dir):
    pack = sichuan_pack()
    pack["scope"] = {"value": "province", "source": "seed 000: 仅支持省内", "illustrative": False}
    data = refused("policy", code="BAD_POLICY", exit=2, env=policy_dir(sichuan=pack))
    assert "scope" in data["error"]["message"]


def test_no_data_file_names_a_seed_or_brief_file():
    for path in DATA.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bseed\b|DOMAIN\.md|CLI\.md", text), path


def test_ids_stay_masked_in_the_new_messages(empty: Path, ok, refused):
    payer, relative = worker(ok), new_id(born="19900101")
    data = refused(*bind(payer, relative, "钱二", "parent"), code="RELATION_BIRTH_ORDER", exit=1)
    assert relative not in json.dumps(data) and payer not in json.dumps(data)
    assert mask(relative)  # the check helper still works


# -- the relation rules over many birth dates --------------------------------------------------------

GENERATIONS = {"parent": 1, "grandparent": 2, "child": -1, "grandchild": -2, "spouse": 0}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    relation=st.sampled_from(sorted(GENERATIONS)),
    born=st.dates(min_value=date(1930, 1, 1), max_value=date(2026, 11, 1)),
)
def test_birth_order_and_gap_follow_the_ids(tmp_path_factory, relation: str, born: date):
    """Worker born 1980-01-01: refused when the relative is on the wrong side of that
    date, to be confirmed when closer than 14 years a generation, bound otherwise."""
    state = tmp_path_factory.mktemp("relation") / "state.json"

    def famcov(*args: str) -> dict:
        result = invoke(["--json", "--state", str(state), "--today", "2026-11-24", *args])
        return parse_json(result.stdout)

    payer, relative = make_id(born="19800101", seq="001"), make_id(born=born.strftime("%Y%m%d"))
    assert famcov("init")["ok"]
    famcov(*f"admin add-worker --id {payer} --name 钱一 --region 成都 --balance 10".split())
    data = famcov(*bind(payer, relative, "钱二", relation, "--proof", "户口本"))
    codes = set()
    if not data["ok"]:
        codes = {data["error"]["code"]} | {d["code"] for d in data["error"]["details"]}
    generations, worker_born = GENERATIONS[relation], date(1980, 1, 1)
    older, younger = (born, worker_born) if generations > 0 else (worker_born, born)
    gap = younger.year - older.year - ((younger.month, younger.day) < (older.month, older.day))
    if generations == 0:
        assert data["ok"], data  # no age rule between spouses
    elif older >= younger:
        assert "RELATION_BIRTH_ORDER" in codes, data
    elif gap < 14 * abs(generations):
        assert "RELATION_GAP" in codes and "RELATION_BIRTH_ORDER" not in codes, data
    else:
        assert data["ok"], data
    assert relative not in json.dumps(data)


# -- Henan: the bureau's reply as the pack's revocation parameters ---------------------------------


def test_henan_revocation_follows_the_bureaus_reply(empty: Path, ok, refused):
    payer = make_id("410102", "19800101", "001")
    child = make_id("410102", "20050101", "002")
    ok(*f"admin add-worker --id {payer} --name 郑一 --region 郑州 --balance 1000".split())
    ok(*f"admin enrol --id {child} --name 郑小一 --region 郑州 --year 2027".split())
    ok(*bind(payer, child, "郑小一", "child"))
    no = ok(*pay(payer, child, "郑州", 2027))["receipt"]["no"]
    revoke = ["revoke", no, "--reason", "duplicate", "--yes"]
    # within 2 hours of paying: on the day of payment, as famcov keeps dates only
    refused(*revoke, code="REVOKE_TOO_SOON", exit=1)
    # after the concentrated window (and its 2 hours): closed
    data = refused(*revoke, code="REVOKE_CLOSED", exit=1, today="2027-03-01")
    assert "河南省" in data["error"]["message"]
    assert ok(*revoke, today="2026-11-25")["receipt"]["status"] == "revoked"
    (henan,) = ok("policy", "--province", "河南")["provinces"]
    assert henan["rules"]["revocation"]["min_hours"]["value"] == 2
    assert "河南省医疗保障局" in henan["rules"]["revocation"]["min_hours"]["source"]
