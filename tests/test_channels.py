"""Channels as data: every province names the channels it offers, each with its steps."""

from __future__ import annotations

import json

import pytest
from conftest import CJK, DATA, JIANGUO, XIAOYU, new_id, sichuan_pack

PROVINCES = {"51", "53", "36", "42", "41", "44", "37", "45"}


def test_policy_json_lists_each_provinces_channels_with_steps(ok):
    for lang in ("zh", "en"):
        provinces = ok("policy", lang=lang)["provinces"]
        assert {p["code"] for p in provinces} >= PROVINCES
        for p in provinces:
            assert p["channels"], p["code"]
            for c in p["channels"]:
                assert c["id"] and c["name"] and c["steps"]
                for step in c["steps"]:
                    assert step["path"]
                    assert all(bool(CJK.search(x)) == (lang == "zh") for x in step["path"])
                assert c["illustrative"] or c["source"]


def test_each_channel_has_its_own_words(ok):
    by_code = {p["code"]: p for p in ok("policy")["provinces"]}
    sichuan = {c["id"]: c for c in by_code["51"]["channels"]}
    assert next(iter(sichuan)) == "sichuan-app"
    mini = sichuan["sichuan-mini"]["steps"]
    assert [s["path"][:2] for s in mini if s["action"] == "check"] == [["服务", "个人账户代缴申请"]]
    yunnan = by_code["53"]["channels"][0]
    assert yunnan["kind"] == "two-app"
    assert [s["app"] for s in yunnan["steps"][:2]] == ["云南医保小程序", "云南税务APP"]
    assert yunnan["steps"][0]["path"] == ["个人账户共济绑定申请"]
    assert yunnan["steps"][1]["path"][-1] == "医保账户支付"
    hubei = by_code["42"]["channels"][0]
    assert hubei["funds"] == "pay-then-return"
    assert [s["action"] for s in hubei["steps"]][:2] == ["pay", "return"]
    tax = {c["id"]: c for c in by_code["36"]["channels"]}["tax-city-service"]
    assert tax["steps"][0]["path"] == ["城市服务", "社保", "自然人缴纳社保费"]
    counter = {c["id"]: c for c in by_code["51"]["channels"]}["counter"]
    assert len(counter["bring"]) >= 2
    assert "12393" in counter["help"]


def test_policy_shows_the_channels_in_both_languages(run):
    zh = run("policy", "--province", "云南", json_out=False)
    assert zh.code == 0
    assert "个人账户共济绑定申请" in zh.data and "医保账户支付" in zh.data
    en = run("policy", "--province", "Hubei", json_out=False, lang="en")
    assert en.code == 0
    assert "Return application" in en.data and "step words illustrative" in en.data


def test_new_provinces_have_their_prefectures():
    expected = {
        "hubei": ("420100", "429021", 17),
        "henan": ("410100", "419001", 18),
        "guangdong": ("440100", "445300", 21),
        "shandong": ("370100", "371700", 16),
        "guangxi": ("450100", "451400", 14),
    }
    for name, (first, last, count) in expected.items():
        pack = json.loads((DATA / "policies" / f"{name}.json").read_text(encoding="utf-8"))
        codes = [r["code"] for r in pack["regions"]]
        assert (codes[0], codes[-1], len(codes)) == (first, last, count), name
        assert len(set(codes)) == count


def test_a_province_naming_an_unknown_channel_is_a_bad_policy(refused, policy_dir):
    env = policy_dir(sichuan={**sichuan_pack(), "channels": ["no-such-app"]})
    data = refused("policy", code="BAD_POLICY", exit=2, env=env)
    assert "no-such-app" in data["error"]["message"]


def test_a_channel_without_a_pay_step_is_a_bad_policy(refused, policy_dir, tmp_path):
    env = policy_dir()
    path = tmp_path / "data" / "channels" / "sichuan-app.json"
    pack = json.loads(path.read_text(encoding="utf-8"))
    pack["steps"] = [s for s in pack["steps"] if s["action"] != "pay"]
    path.write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    data = refused("policy", code="BAD_POLICY", exit=2, env=env)
    assert "sichuan-app.json" in data["error"]["message"]


def test_a_channel_citing_an_internal_file_is_a_bad_policy(refused, policy_dir, tmp_path):
    env = policy_dir()
    path = tmp_path / "data" / "channels" / "counter.json"
    pack = json.loads(path.read_text(encoding="utf-8"))
    pack.update(source="seeds/000.txt", illustrative=False)
    path.write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    refused("policy", code="BAD_POLICY", exit=2, env=env)


def _pay(payer: str, relative: str, region: str, year: int = 2027) -> list[str]:
    command = f"pay --payer {payer} --relative {relative} --region {region} --year {year}"
    return [*command.split(), "--tier", "standard", "--yes"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tax_channel_is_never_a_proxy_payment(demo, refused, lang):
    """支付宝/微信 城市服务 → 是否代缴 pays with one's own money: one channel id never means a
    debit of the personal account too. `pay` through it is refused (pay-tax pays there)."""
    channel = ["--channel", "tax-city-service"]
    data = refused(
        *channel, *_pay("张伟", JIANGUO, "绵阳"), code="CHANNEL_NOT_ACCOUNT", exit=2, lang=lang
    )
    message = data["error"]["message"]
    assert "pay-tax" in message and "sichuan-app" in message


def test_a_student_collected_at_school_is_paid_elsewhere(demo, ok, refused):
    ok(*f"admin record-payment --id {XIAOYU} --year 2027 --channel school".split())
    refused(*_pay("张伟", XIAOYU, "成都"), code="PAID_ELSEWHERE", exit=1)


def test_a_channel_the_province_does_not_offer_is_refused(demo, refused):
    for lang in ("zh", "en"):
        data = refused(
            "--channel",
            "yunnan-two-app",
            *_pay("张伟", XIAOYU, "成都"),
            code="UNKNOWN_CHANNEL",
            exit=2,
            lang=lang,
        )
        assert "sichuan-mini" in data["error"]["message"]
    refused("--channel", "no-such", "policy", code="UNKNOWN_CHANNEL", exit=2)


def test_a_yunnan_receipt_names_yunnans_menus_not_sichuans(empty, ok):
    payer, sister = new_id(area="530102"), new_id(area="530102", born="19950101")
    ok(*f"admin add-worker --id {payer} --name 杨一 --region 昆明 --balance 2000".split())
    ok(*f"admin enrol --id {sister} --name 杨二 --region 昆明 --year 2027".split())
    bind = f"bind --payer {payer} --relative {sister} --name 杨二 --relation sibling"
    ok(*bind.split(), "--accept-commitment")
    no = ok(*_pay(payer, sister, "昆明"))["receipt"]["no"]
    zh = " ".join(ok("receipt", no)["receipt"]["notes"])
    assert "云南医保小程序" in zh and "个人账户共济授权记录查询" in zh
    assert "四川" not in zh and "个人账户代缴申请" not in zh
    en = " ".join(ok("receipt", no, lang="en")["receipt"]["notes"])
    assert "Yunnan Medical Insurance mini program" in en


def test_each_channel_names_its_own_menus_on_the_receipt(demo, ok):
    for channel, words in (
        ("sichuan-mini", "四川医保公共服务平台小程序"),
        ("meishan-wechat", "查询/退费"),
        ("counter", "身份证或户口本"),
    ):
        who = new_id(born="20120101")
        ok(*f"admin enrol --id {who} --name 钱小二 --region 成都 --year 2027".split())
        bind = f"bind --payer 张伟 --relative {who} --name 钱小二 --relation child"
        ok(*bind.split(), "--accept-commitment", "--proof", "hukou")
        notes = " ".join(ok("--channel", channel, *_pay("张伟", who, "成都"))["receipt"]["notes"])
        assert words in notes, (channel, notes)


def test_the_chosen_channel_is_remembered_for_the_next_payment(demo, ok, state):
    ok("--channel", "sichuan-mini", *_pay("张伟", JIANGUO, "绵阳"))
    assert json.loads(state.read_text(encoding="utf-8"))["channel"] == "sichuan-mini"
    notes = " ".join(ok(*_pay("张伟", XIAOYU, "成都"))["receipt"]["notes"])
    assert "四川医保公共服务平台小程序" in notes


def test_a_state_file_without_a_channel_loads_and_stays_without_one(demo, ok, state):
    assert "channel" not in json.loads(state.read_text(encoding="utf-8"))
    notes = " ".join(ok(*_pay("张伟", XIAOYU, "成都"))["receipt"]["notes"])
    assert "个人账户代缴申请" in notes and "自然人缴纳社保费" not in notes
    assert "channel" not in json.loads(state.read_text(encoding="utf-8"))
