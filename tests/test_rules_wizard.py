"""The rules of issue 12 in the wizard: a waiting period past the year's end is
confirmed in so many words (or refused), an unusual age gap is confirmed, a
minor's binding asks for 户口本 or 出生医学证明, face verification is simulated,
and a revocation the bureau would refuse is shown and not paid back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import sichuan_pack
from test_wizard_steps import DOWN, ENTER, UP, Run, create, make_session

from famcov.domain.records import Records
from famcov.i18n import set_lang, t
from famcov.wizard import binding, lookup
from famcov.wizard import payment as paying


@pytest.fixture(autouse=True)
def zh():
    set_lang("zh")
    yield
    set_lang("zh")


@pytest.fixture
def family(tmp_path: Path):
    """The demo family in a wizard session (zh, 2026-11-24)."""
    session = make_session(tmp_path / "state.json")
    create(session)
    return session


def records(session) -> Records:
    return session.store.records()


def test_a_wait_past_the_years_end_is_confirmed_with_that_sentence(family) -> None:
    # 2026 paid on 2026-11-24: benefits from 2027-02-24, nothing in 2026
    script = [
        DOWN + ENTER,  # 不缴了，重新选择年度: back to validation
        ENTER,  # region again (绵阳)
        ENTER,  # this time: 确认 …享受不到待遇，仍要缴费
        ENTER,  # review: submit
    ]
    with Run(family, script) as run:
        code = paying.pay(run.wiz, relative="张建国", region="绵阳", year="2026", tier="standard")
    assert code == 0
    ask = t("wiz.pay.no_cover.ask", year=2026)
    assert run.ask.asked == [ask, t("wiz.pay.region.ask"), ask, t("wiz.review.ask")]
    payment = records(family).state.payments[-1]
    assert (payment.year, payment.benefits_from) == (2026, dt.date(2027, 2, 24))


def test_a_pack_that_refuses_it_leaves_nothing_to_confirm(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    import shutil

    from conftest import DATA

    shutil.copytree(DATA, data)
    pack = sichuan_pack()
    pack["waiting"]["past_year_end"] = {"value": "refuse", "source": "test", "illustrative": False}
    (data / "policies" / "sichuan.json").write_text(json.dumps(pack, ensure_ascii=False))
    monkeypatch.setenv("FAMCOV_DATA_DIR", str(data))
    session = make_session(tmp_path / "state.json")
    create(session)
    before = session.state_path.read_bytes()
    with Run(session, [DOWN * 2 + ENTER]) as run:  # 接下来：退出
        code = paying.pay(run.wiz, relative="张建国", region="绵阳", year="2026", tier="standard")
    assert code == 1
    assert t("wiz.pay.no_cover.ask", year=2026) not in run.ask.asked
    assert t("rulename.WAITING_PAST_YEAR") in run.screen
    assert session.state_path.read_bytes() == before


def test_an_unusual_age_gap_is_confirmed_then_the_face_verified(family) -> None:
    young_parent = "510104197501010016"  # ten years older than 张伟
    script = [
        DOWN + ENTER,  # relation: 父母
        DOWN + ENTER,  # gap: 返回修改 → the relation again
        DOWN + ENTER,  # 子女 (the cursor starts on 父母): refused, born before the worker
        UP + ENTER,  # 父母 again
        ENTER,  # gap: 确认无误
        ENTER,  # 添加账户
        ENTER,  # 人脸认证 (simulated) passed
    ]
    with Run(family, script) as run:
        result = binding.bind(run.wiz, accepted=True, name="张老三", relative=young_parent)
    asked = run.ask.asked
    assert asked.count(t("wiz.bind.gap.ask")) == 2
    # the refusal of 子女 named no birth date (the part of the ID its mask hides)
    assert "1975-01-01" not in run.screen and "出生先后与关系不符" in run.screen
    assert t("wiz.bind.face.ask", name="张老三") in asked
    b = result.binding
    assert (b.relation, b.member, b.verified_on) == ("parent", "full", family.today)


def test_a_minor_is_bound_with_a_birth_certificate_and_no_face_verification(family) -> None:
    child = "510104201601010012"
    with Run(family, [DOWN + ENTER, ENTER]) as run:  # proof: 出生医学证明; 添加账户
        result = binding.bind(
            run.wiz, accepted=True, name="张小三", relative=child, relation="child"
        )
    assert run.ask.asked == [t("wiz.bind.proof.ask"), t("wiz.bind.review.ask")]
    assert t("wiz.bind.proof.minor", age=16) in run.screen
    # what the ID says, on the review: sex and age, never the birth date beside the mask
    assert "男 · 10 岁" in run.screen and "2016-01-01" not in run.screen
    assert (result.binding.proof, result.binding.member) == ("出生医学证明", "full")


def test_a_revocation_the_bureau_would_refuse_is_shown_and_not_paid_back(tmp_path: Path) -> None:
    session = make_session(tmp_path / "state.json", today=dt.date(2027, 6, 1))
    create(session)
    before = session.state_path.read_bytes()
    with Run(session, [ENTER, DOWN + ENTER]) as run:  # the 2026 receipt; then back out
        assert lookup.revoke(run.wiz) is None
    assert t("rulename.REVOKE_RECONCILED") in run.screen
    assert session.state_path.read_bytes() == before


def test_the_revoke_confirmation_says_what_famcov_cannot_check(family) -> None:
    with Run(family, [ENTER, ENTER, ENTER]) as run:
        assert lookup.revoke(run.wiz) is not None
    assert "对账清算" in run.screen.replace("\n", "")


def test_the_family_menu_simulates_face_verification_for_a_temporary_member(family) -> None:
    from famcov.wizard import home

    # demo: 张丽 and 张德福 are still temporary; the first listed is verified
    with Run(family, [DOWN * 3 + ENTER, ENTER]) as run:
        home.family_menu(run.wiz)
    assert run.ask.asked == [t("wiz.home.family"), t("wiz.verify.ask")]
    verified = [b for b in records(family).state.bindings if b.verified_on == family.today]
    assert [b.name for b in verified] == ["张丽"]
