"""亲情账户: bind, unbind and family, and every reason a binding is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import (
    DEFU,
    JIANGUO,
    LI_NA,
    XIAOYU,
    ZHANG_LI,
    ZHANG_WEI,
    mask,
    new_id,
    sichuan_pack,
)

ACCEPT = "--accept-commitment"
# Birth dates that fit each relation for a worker born 1980-01-01 (the ID says when).
BORN = {
    "spouse": "19820101",
    "sibling": "19830101",
    "parent": "19550101",
    "grandparent": "19300101",
    "maternal-grandparent": "19300101",
    "child": "20050101",
    "grandchild": "20080101",
    "maternal-grandchild": "20080101",
}


def bind(payer: str, relative: str, name: str, relation: str, *extra: str) -> list[str]:
    command = f"bind --payer {payer} --relative {relative} --name {name} --relation"
    return [*command.split(), relation, *extra]


def add_worker(ok, region: str = "成都", area: str = "510104", **kwargs) -> str:
    person = new_id(area=area, born="19800101")
    command = f"admin add-worker --id {person} --name 周一 --region {region} --balance 1000"
    ok(*command.split(), **kwargs)
    return person


@pytest.fixture
def worker(empty: Path, ok) -> str:
    """A Chengdu worker with 1000.00 on an otherwise empty state."""
    return add_worker(ok)


# -- binding ------------------------------------------------------------------------------------


def test_bind_someone_the_records_do_not_know(worker: str, ok):
    relative = new_id(born="20100101")
    data = ok(*bind(worker, relative, "周小一", "child", ACCEPT))
    assert data["binding"] == {
        "payer": {"id": mask(worker), "name": "周一"},
        "relative": {"id": mask(relative), "name": "周小一"},
        "relation": "child",
        "proof": None,
        "bound_on": "2026-11-24",
        "unbound_on": None,
        "active": True,
        "temporary": True,
        "member": "temporary",
        "verified_on": None,
    }
    assert data["notes"], "a binding says what a temporary member allows and what is missing"
    assert relative not in json.dumps(data)
    family = ok("family", "--payer", worker)
    assert [m["relative"]["id"] for m in family["members"]] == [mask(relative)]


@pytest.mark.parametrize(
    ("given", "slug"),
    [
        ("child", "child"),
        ("子女", "child"),
        ("spouse", "spouse"),
        ("配偶", "spouse"),
        ("父母", "parent"),
        ("兄弟姐妹", "sibling"),
        ("祖父母", "grandparent"),
        ("外祖父母", "maternal-grandparent"),
        ("孙子女", "grandchild"),
        ("外孙子女", "maternal-grandchild"),
        ("maternal-grandchild", "maternal-grandchild"),
    ],
)
def test_relation_by_slug_or_chinese_name(worker: str, ok, given: str, slug: str):
    data = ok(*bind(worker, new_id(born=BORN[slug]), "周二", given, ACCEPT))
    assert data["binding"]["relation"] == slug


def test_payer_by_name_and_relative_id_with_spaces(demo: Path, ok):
    ok("unbind", "--payer", "张伟", "--relative", JIANGUO)
    spaced = f"{JIANGUO[:6]} {JIANGUO[6:14]} {JIANGUO[14:]}"
    command = ["bind", "--payer", "张伟", "--relative", spaced, "--name", "张建国"]
    data = ok(*command, "--relation", "parent", ACCEPT)
    assert data["binding"]["relative"]["id"] == mask(JIANGUO)


def test_a_full_width_id_is_stored_in_ascii(worker: str, ok):
    """Chinese input methods type １２３; the state file must stay loadable."""
    relative = new_id(born="20100101")
    wide = relative.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789X"})
    data = ok(*bind(worker, wide, "周小一", "child", ACCEPT))
    assert data["binding"]["relative"]["id"] == mask(relative)
    members = ok("family", "--payer", worker)["members"]  # reads the file back
    assert [m["relative"]["id"] for m in members] == [mask(relative)]


def test_both_parents_may_bind_the_same_child(worker: str, ok):
    other = add_worker(ok, region="绵阳")
    child = new_id(born="20150101")
    ok(*bind(worker, child, "周小二", "child", ACCEPT, "--proof", "出生医学证明"))
    data = ok(*bind(other, child, "周小二", "子女", ACCEPT, "--proof", "birth"))
    assert data["binding"]["payer"]["id"] == mask(other)


def test_a_relative_insured_in_another_province_may_be_bound_with_a_note(worker: str, ok):
    """Design choice: the binding stands, with a note; payment refuses CROSS_PROVINCE."""
    sister = new_id(area="530102", born="19920101")
    ok(*f"admin enrol --id {sister} --name 周丽 --region 昆明 --year 2027".split())
    data = ok(*bind(worker, sister, "周丽", "sibling", ACCEPT))
    assert data["binding"]["active"] is True
    assert any("昆明" in note for note in data["notes"]), data["notes"]


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "51010419900101123",  # 17 characters
        "5101041990010112345",  # 19 characters
        "51010419900101123Y",  # a letter other than X
        "510104199013011231",  # month 13
        "510104199002301230",  # 30 February
    ],
)
def test_invalid_relative_id(worker: str, refused, bad: str):
    data = refused(*bind(worker, bad, "周三", "child", ACCEPT), code="INVALID_ID", exit=2)
    assert bad not in json.dumps(data)
    assert "--relative" in data["error"]["message"]


def test_invalid_check_digit(worker: str, refused):
    good = new_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    refused(*bind(worker, bad, "周三", "child", ACCEPT), code="INVALID_ID", exit=2)


def test_birth_date_in_the_future_is_invalid(worker: str, refused):
    unborn = new_id(born="20270101")
    refused(*bind(worker, unborn, "周三", "child", ACCEPT), code="INVALID_ID", exit=2)


def test_commitment_required(worker: str, refused):
    child = new_id(born=BORN["child"])
    refused(*bind(worker, child, "周三", "child"), code="COMMITMENT_REQUIRED", exit=1)


def test_cannot_bind_self(worker: str, refused):
    refused(*bind(worker, worker, "周一", "spouse", ACCEPT), code="CANNOT_BIND_SELF", exit=1)


def test_already_bound(demo: Path, refused):
    command = bind(ZHANG_WEI, XIAOYU, "张小雨", "child", ACCEPT, "--proof", "户口本")
    refused(*command, code="ALREADY_BOUND", exit=1)


def test_name_mismatch(demo: Path, refused):
    data = refused(*bind(LI_NA, JIANGUO, "张建军", "parent", ACCEPT), code="NAME_MISMATCH", exit=1)
    assert JIANGUO not in json.dumps(data)


@pytest.mark.parametrize("relation", ["cousin", "", "朋友"])
def test_unknown_relation(worker: str, refused, relation: str):
    refused(*bind(worker, new_id(), "周三", relation, ACCEPT), code="UNKNOWN_RELATION", exit=2)


def test_unknown_payer(empty: Path, refused):
    refused(*bind(new_id(), new_id(), "周三", "child", ACCEPT), code="UNKNOWN_PERSON", exit=1)


def test_several_binding_refusals_are_reported_together(demo: Path, refused):
    # ... and a "child" born on the worker's own birthday does not fit the ID either
    expected = {"COMMITMENT_REQUIRED", "CANNOT_BIND_SELF", "NAME_MISMATCH", "RELATION_BIRTH_ORDER"}
    command = bind(ZHANG_WEI, ZHANG_WEI, "张小伟", "child")
    data = refused(*command, code="VALIDATION_FAILED", exit=1, details=expected)
    assert all(detail["message"] for detail in data["error"]["details"])


# -- relations a province does not allow ---------------------------------------------------------


@pytest.fixture
def hubei(three_relations, empty: Path, ok) -> tuple[str, dict[str, str]]:
    """A Wuhan worker, in a province that allows only spouse, parent and child."""
    return add_worker(ok, region="武汉", area="420102", env=three_relations), three_relations


@pytest.mark.parametrize("relation", ["spouse", "父母", "child"])
def test_three_relation_province_allows_the_three(hubei, ok, relation):
    payer, env = hubei
    slug = {"父母": "parent"}.get(relation, relation)
    ok(*bind(payer, new_id(area="420102", born=BORN[slug]), "郑二", relation, ACCEPT), env=env)


@pytest.mark.parametrize(
    "relation", ["sibling", "grandparent", "maternal-grandparent", "孙子女", "maternal-grandchild"]
)
def test_three_relation_province_refuses_the_rest(hubei, refused, relation):
    payer, env = hubei
    slug = {"孙子女": "grandchild"}.get(relation, relation)
    command = bind(payer, new_id(area="420102", born=BORN[slug]), "郑二", relation, ACCEPT)
    refused(*command, code="RELATION_NOT_ALLOWED", exit=1, env=env)


def test_sichuan_allows_all_eight(worker: str, ok):
    for relation in ("sibling", "grandparent", "maternal-grandparent", "grandchild"):
        ok(*bind(worker, new_id(born=BORN[relation]), "周三", relation, ACCEPT))


def test_policy_change_keeps_old_bindings_but_refuses_payment(demo: Path, policy_dir, ok, refused):
    """A binding made while the province allowed it is judged again at payment."""
    pack = sichuan_pack()
    pack["relations"]["value"] = ["spouse", "parent", "child"]
    env = policy_dir(sichuan=pack)
    ok(*f"admin enrol --id {DEFU} --name 张德福 --region 成都 --year 2027".split(), env=env)
    pay = f"pay --payer {ZHANG_WEI} --relative {DEFU} --region 成都 --year 2027 --tier standard"
    refused(*pay.split(), code="RELATION_NOT_ALLOWED", exit=1, env=env)
    ok(*pay.split())  # under the shipped policy the grandparent may be paid for


# -- relation proof (Jiangxi) ----------------------------------------------------------------------


def test_jiangxi_requires_a_relation_proof(empty: Path, ok, refused):
    payer = add_worker(ok, region="南昌", area="360102")
    relative = new_id(area="360102", born=BORN["child"])
    command = bind(payer, relative, "赵二", "child", ACCEPT)
    refused(*command, code="PROOF_REQUIRED", exit=1)
    data = ok(*command, "--proof", "户口本")
    assert data["binding"]["proof"] == "户口本"


def test_sichuan_needs_no_proof_but_keeps_one_given(worker: str, ok):
    data = ok(*bind(worker, new_id(), "周三", "spouse", ACCEPT, "--proof", "结婚证"))
    assert data["binding"]["proof"] == "结婚证"


# -- unbind and history ------------------------------------------------------------------------------


def test_unbind_keeps_the_history(demo: Path, ok, refused):
    data = ok("unbind", "--payer", ZHANG_WEI, "--relative", ZHANG_LI)
    assert data["binding"]["active"] is False
    assert data["binding"]["unbound_on"] == "2026-11-24"
    assert data["binding"]["relative"] == {"id": mask(ZHANG_LI), "name": "张丽"}
    family = ok("family", "--payer", ZHANG_WEI)
    assert mask(ZHANG_LI) not in [m["relative"]["id"] for m in family["members"]]
    ended = [h for h in family["history"] if h["relative"]["id"] == mask(ZHANG_LI)]
    assert [(h["bound_on"], h["unbound_on"]) for h in ended] == [("2025-09-22", "2026-11-24")]
    refused("unbind", "--payer", ZHANG_WEI, "--relative", ZHANG_LI, code="NOT_BOUND", exit=1)


def test_unbind_then_bind_again(demo: Path, ok):
    ok("unbind", "--payer", "张伟", "--relative", "张德福")  # both by name
    ok(*bind("张伟", DEFU, "张德福", "祖父母", ACCEPT))
    family = ok("family", "--payer", ZHANG_WEI)
    again = [h for h in family["history"] if h["relative"]["id"] == mask(DEFU)]
    assert [h["active"] for h in again] == [False, True]
    assert sum(m["relative"]["id"] == mask(DEFU) for m in family["members"]) == 1


def test_unbinding_one_payer_leaves_the_other(demo: Path, ok):
    ok("unbind", "--payer", LI_NA, "--relative", XIAOYU)
    assert ok("family", "--payer", LI_NA)["members"] == []
    zhang = ok("family", "--payer", ZHANG_WEI)["members"]
    assert mask(XIAOYU) in [m["relative"]["id"] for m in zhang]


def test_an_unbound_relative_cannot_be_paid_for(demo: Path, ok, refused):
    ok("unbind", "--payer", ZHANG_WEI, "--relative", XIAOYU)
    pay = f"pay --payer {ZHANG_WEI} --relative {XIAOYU} --region 成都 --year 2027 --tier standard"
    refused(*pay.split(), code="NOT_BOUND", exit=1)


def test_unbinding_someone_never_bound(demo: Path, refused):
    refused("unbind", "--payer", LI_NA, "--relative", JIANGUO, code="NOT_BOUND", exit=1)


def test_family_shape(demo: Path, ok):
    data = ok("family", "--payer", "李娜")
    assert data["payer"] == {"id": mask(LI_NA), "name": "李娜"}
    (member,) = data["members"]
    assert set(member) >= {"relative", "relation", "bound_on", "unbound_on", "active"}
    assert member["relative"] == {"id": mask(XIAOYU), "name": "张小雨"}
    assert (member["relation"], member["bound_on"], member["active"]) == (
        "child",
        "2025-09-21",
        True,
    )
    assert data["history"] == data["members"]


def test_family_of_someone_who_is_not_a_worker(demo: Path, refused):
    refused("family", "--payer", XIAOYU, code="UNKNOWN_PERSON", exit=1)
