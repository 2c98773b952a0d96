"""Each wizard step's logic, driven through questionary with prompt_toolkit pipe input.

The prompts are the real questionary prompts; only their input (a pipe fed
with the keys for one question at a time) and output (DummyOutput) differ
from a terminal. Whole flows in a real pseudo-terminal are in test_wizard_pty.py.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import DATA, ZHANG_LI, ZHANG_WEI, assert_message, make_id
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from famcov import setups
from famcov.domain.money import yuan
from famcov.errors import FamcovError
from famcov.features import bureau
from famcov.i18n import set_lang, t
from famcov.requests import QuotaRequest, RecordRequest, WorkerRequest
from famcov.session import Session
from famcov.wizard import binding, home, lookup, ui
from famcov.wizard import payment as paying
from famcov.wizard.flow import Wizard

DOWN, UP, ENTER = "\x1b[B", "\x1b[A", "\r"
TODAY = dt.date(2026, 11, 24)
NEW_RELATIVE = "510104196003050280"  # 刘秀兰: a valid ID the demo does not know


class Scripted(ui.Asker):
    """Answers each question with the next keys of a script, and remembers the questions."""

    def __init__(self, pipe, script: list[str]) -> None:
        super().__init__(input=pipe, output=DummyOutput())
        self.pipe, self.script, self.asked = pipe, list(script), []

    def _feed(self, message: str) -> None:
        assert self.script, f"a question the script did not expect: {message}"
        self.asked.append(message)
        self.pipe.send_text(self.script.pop(0))

    def select(self, message, choices, **kwargs):
        self._feed(message)
        return super().select(message, choices, **kwargs)

    def text(self, message, **kwargs):
        self._feed(message)
        return super().text(message, **kwargs)

    def pause(self):
        self.asked.append("pause")  # 按回车继续: no key from the script


@pytest.fixture(autouse=True)
def zh():
    set_lang("zh")
    yield
    set_lang("zh")


def make_session(path: Path, *, today: dt.date = TODAY, lang: str = "zh", explain=False):
    set_lang(lang)
    return Session(state_path=path, lang=lang, today=today, can_prompt=True, explain=explain)


def create(session: Session, setup: str = "demo") -> Path:
    data = setups.load(setup)
    on = dt.date.fromisoformat(data["today"]) if "today" in data else session.today
    with session.store.creating(force=True) as records:
        bureau.run_setup(records, session.policy, on, data["setup"])
    return session.state_path


@pytest.fixture
def demo(tmp_path: Path) -> Session:
    session = make_session(tmp_path / "state.json")
    create(session)
    return session


class Run:
    """A wizard with scripted keys; `screen` is what it printed around the prompts."""

    def __init__(
        self,
        session: Session,
        script: list[str],
        *,
        payer: str | None = ZHANG_WEI,
        home_menu: bool = False,
    ) -> None:
        self.session, self.script = session, script
        self.payer, self.home_menu = payer, home_menu
        self.buffer = io.StringIO()

    def __enter__(self):
        self._pipe_cm = create_pipe_input()
        pipe = self._pipe_cm.__enter__()
        self.ask = Scripted(pipe, self.script)
        out = ui.console(self.buffer)
        out.size = (100, 40)  # pinned: a page of the pager is never the caller's terminal
        self.wiz = Wizard(
            session=self.session,
            ask=self.ask,
            out=out,
            payer=self.payer,
            home=self.home_menu,
        )
        return self

    def __exit__(self, *exc):
        self._pipe_cm.__exit__(*exc)
        if exc[0] is None:
            assert not self.ask.script, f"keys left over: {self.ask.script}"

    @property
    def screen(self) -> str:
        return self.buffer.getvalue()


def flat(text: str) -> str:
    """Text without the line breaks and padding a narrow screen adds."""
    return "".join(text.split())


def records(session: Session):
    return session.store.records()


# -- pay ------------------------------------------------------------------------------


def test_pay_every_step_with_the_defaults(demo: Session, capsys) -> None:
    # relative (张小雨 first), region (her enrolment), year (2027: open, window holds today),
    # insurance, tier (standard), review (submit)
    with Run(demo, [ENTER] * 6) as run:
        assert paying.pay(run.wiz) == 0
    payment = records(demo).state.payments[-1]
    assert (payment.relative, payment.region, payment.year, payment.tier) == (
        "510104201506120045",
        "510100",
        2027,
        "standard",
    )
    assert "步骤 3/5" in run.screen and "步骤 5/5" in run.screen
    receipt = capsys.readouterr().out + run.screen  # the wizard draws the receipt on its screen
    assert payment.no in receipt and "1268.50 → ¥868.50" in receipt
    assert "510104201506120045" not in receipt + run.screen


def test_back_one_step_at_the_tier_returns_to_the_insurance_type(demo: Session) -> None:
    back_from_tier = DOWN * 2 + ENTER  # standard, higher, ← 上一步
    script = [ENTER, ENTER, ENTER, ENTER, back_from_tier, ENTER, DOWN + ENTER, ENTER]
    with Run(demo, script) as run:
        assert paying.pay(run.wiz) == 0
    insurance = t("wiz.pay.insurance.ask")
    assert run.ask.asked.count(insurance) == 2
    assert records(demo).state.payments[-1].tier == "higher"


def test_back_from_the_review_and_from_the_year(demo: Session) -> None:
    """Once 代缴信息校验 has passed the tier is fixed: back from the review means
    validating again (region and year), not picking another tier on the spot."""
    script = [
        ENTER,  # 张小雨
        ENTER,  # 成都市
        DOWN + ENTER,  # year list: 2025, 2026, 2027 (default), ← 上一步: back to the region
        ENTER,  # region
        ENTER,  # 2027 again
        ENTER,  # insurance
        ENTER,  # tier
        DOWN + ENTER,  # review: 返回重新校验
        ENTER,  # region again
        ENTER,  # 2027 again: validated again
        ENTER,  # insurance
        ENTER,  # tier
        DOWN * 2 + ENTER,  # review: 取消，不缴费
    ]
    before = demo.state_path.read_bytes()
    with Run(demo, script) as run:
        assert paying.pay(run.wiz) == 1
    assert demo.state_path.read_bytes() == before
    assert t("wiz.pay.cancelled") in run.screen
    asked = run.ask.asked
    review = asked.index(t("wiz.review.ask"))
    assert asked[review + 1] == t("wiz.pay.region.ask"), asked  # not the tier
    assert t("wiz.pay.tier.fixed") in run.screen


def test_flags_fill_their_steps_and_only_the_review_is_asked(demo: Session) -> None:
    with Run(demo, [ENTER]) as run:
        code = paying.pay(run.wiz, relative="张小雨", region="成都", year="2027", tier="较高档次")
    assert code == 0
    assert run.ask.asked == [t("wiz.review.ask")]
    assert records(demo).state.payments[-1].tier == "higher"


def test_a_bad_flag_is_shown_and_its_step_asked(demo: Session) -> None:
    with Run(demo, [ENTER, ENTER]) as run:  # region asked; then the review
        code = paying.pay(run.wiz, relative="张小雨", region="999999", year="2027", tier="standard")
    assert code == 0
    assert run.ask.asked == [t("wiz.pay.region.ask"), t("wiz.review.ask")]
    assert "999999" in run.screen


def test_another_region_is_typed_and_checked_by_the_region_validator(demo: Session) -> None:
    script = [
        ENTER,  # 张小雨
        DOWN + ENTER,  # 其他区划
        "不存在\r" + "\x7f" * 3 + "绵阳\r",  # refused inline, then accepted
        ENTER,  # year 2027
        DOWN * 2 + ENTER,  # checklist fails (not enrolled in Mianyang): leave
    ]
    with Run(demo, script) as run:
        assert paying.pay(run.wiz) == 1
    assert "✗" in run.screen and t("wiz.todo.NOT_ENROLLED")[:6] in run.screen


@pytest.mark.parametrize(
    ("relative", "year", "failed"),
    [
        ("王秀英", "2027", "PAID_ELSEWHERE"),
        ("张丽", "2027", "CROSS_PROVINCE"),
        ("张小雨", "2026", "ALREADY_PAID"),
        ("李娜", "2027", "RELATIVE_HAS_EMPLOYEE_INSURANCE"),
    ],
)
def test_a_failed_check_lists_every_rule_says_what_to_do_and_never_pays(
    demo: Session, relative: str, year: str, failed: str
) -> None:
    before = demo.state_path.read_bytes()
    with Run(demo, [ENTER, DOWN * 2 + ENTER]) as run:  # region default, then leave
        assert paying.pay(run.wiz, relative=relative, year=year) == 1
    assert demo.state_path.read_bytes() == before
    for code in ("PAYER_INACTIVE", "NOT_BOUND", "ALREADY_PAID", "INSUFFICIENT_BALANCE"):
        assert t(f"rulename.{code}") in run.screen
    assert t(f"wiz.todo.{failed}")[:8] in run.screen.replace("\n", "")
    assert t("wiz.check.nothing_paid")[:4] in run.screen


def test_choose_another_relative_after_a_failed_check(demo: Session) -> None:
    script = [
        DOWN * 2 + ENTER,  # 王秀英 (paid through the tax bureau for 2027)
        ENTER,
        ENTER,
        DOWN + ENTER,  # 重新选择被代缴人
        UP * 2 + ENTER,  # the list points at 王秀英 again; 张小雨 is two up
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        ENTER,
    ]
    with Run(demo, script) as run:
        assert paying.pay(run.wiz) == 0
    assert records(demo).state.payments[-1].relative_name == "张小雨"


def test_a_tier_above_the_balance_is_refused_and_asked_again(tmp_path: Path) -> None:
    session = make_session(tmp_path / "state.json")
    create(session, "low-balance")
    with session.store.transaction() as r:
        worker = make_id("510104", "19900102", "019")
        bureau.credit(r, session.policy, TODAY, RecordRequest(worker, amount=20000))
    script = [ENTER, ENTER, ENTER, ENTER, DOWN + ENTER, UP + ENTER, ENTER]
    with Run(session, script, payer=None) as run:
        assert paying.pay(run.wiz) == 0
    assert "10.00" in run.screen  # 470.00 - 460.00, shown on the tier and in the refusal
    assert records(session).state.payments[-1].tier == "standard"
    assert yuan(records(session).state.workers[0].balance) == "60.00"


def test_the_balance_too_low_shows_the_shortfall(tmp_path: Path) -> None:
    session = make_session(tmp_path / "state.json", lang="en")
    create(session, "low-balance")
    with Run(session, [ENTER, ENTER, ENTER, DOWN * 2 + ENTER], payer=None) as run:
        assert paying.pay(run.wiz) == 1
    assert "140.00" in run.screen
    assert "Step 3 of 5" in run.screen


def test_no_bound_member_offers_to_add_one_then_pays(tmp_path: Path) -> None:
    session = make_session(tmp_path / "state.json")
    create(session, "happy-path")
    script = [
        ENTER,  # + 添加家庭成员…
        ENTER,  # commitment
        "刘秀兰\r",
        NEW_RELATIVE + "\r",
        DOWN + ENTER,  # 父母
        ENTER,  # 添加账户
        ENTER,  # 人脸认证 (simulated) passed
        ENTER,  # region: her enrolment
        ENTER,  # 2027
        ENTER,
        ENTER,
        ENTER,
    ]
    with Run(session, script, payer=None) as run:
        assert paying.pay(run.wiz) == 0
    assert t("wiz.pay.no_members") in run.screen
    state = records(session).state
    assert [b.name for b in state.bindings] == ["刘秀兰"]
    assert yuan(state.workers[0].balance) == "1600.00"


# -- bind -----------------------------------------------------------------------------


def test_bind_shows_the_letter_checks_as_typed_and_binds(demo: Session, capsys) -> None:
    script = [
        ENTER,  # accept
        "刘秀兰1\r" + "\x7f\r",  # a digit in a name is refused inline
        NEW_RELATIVE[:-1] + "1\r" + "\x7f0\r",  # a wrong check digit, then the right one
        DOWN + ENTER,  # 父母
        ENTER,
        ENTER,  # 人脸认证 (simulated) passed: she is 66
    ]
    with Run(demo, script) as run:
        result = binding.bind(run.wiz)
    assert result is not None and result.binding.relation == "parent"
    assert (result.binding.member, result.binding.verified_on) == ("full", TODAY)
    assert t("wiz.commitment.body", payer="张伟", app="四川医保APP")[:20] in run.screen
    assert "承诺人：张伟" in run.screen
    assert t("wiz.commitment.title") in run.screen and "示意" in t("wiz.commitment.title")
    assert "刘秀兰" in capsys.readouterr().out


def test_the_id_validator_says_what_is_wrong(demo: Session) -> None:
    from famcov.wizard.flow import Flow

    with Run(demo, []) as run:
        flow = Flow(run.wiz, "wiz.bind.title", binding.BIND_STAGES)
        flow.answers.update(payer=ZHANG_WEI, name="张小雨")
        check = ui.validator(lambda text: binding.parse_id(flow, text))
        assert check("") is True  # empty: back
        assert check("510104201506120045") == t(
            "rule.ALREADY_BOUND.failed", name="张小雨", relative="510104********0045"
        )
        assert "校验码" in check(NEW_RELATIVE[:-1] + "1")
        assert check("12345") == t("wiz.invalid_id", reason=t("idreason.length"))
        assert t("rulename.CANNOT_BIND_SELF") and "本人" in check(ZHANG_WEI)
        flow.answers["name"] = "王小二"
        assert "王小二" in check("510104196007180023")  # the records call 王秀英 by this ID
        assert check(NEW_RELATIVE) is True


def test_declining_the_letter_binds_nobody(demo: Session) -> None:
    before = demo.state_path.read_bytes()
    with Run(demo, [DOWN + ENTER]) as run:
        assert binding.bind(run.wiz) is None
    assert demo.state_path.read_bytes() == before
    assert t("wiz.commitment.declined") in run.screen


def test_the_letter_accepted_by_flag_and_an_empty_name_goes_back(demo: Session) -> None:
    # --accept-commitment fills step 1, so going back from the name leaves the flow
    with Run(demo, ["\r"]) as run:
        assert binding.bind(run.wiz, accepted=True) is None
    assert run.ask.asked == [t("wiz.bind.name.ask")]


def test_the_relation_list_is_the_province_policy(
    demo: Session, three_relations, monkeypatch
) -> None:
    """A data dir where Hubei allows three relations: a Hubei worker sees only those."""
    from famcov.policy import load

    for key, value in three_relations.items():
        monkeypatch.setenv(key, value)
    session = make_session(demo.state_path)
    payer = make_id("420102", "19800101", "011")
    with session.store.transaction() as r:
        hu_tao = WorkerRequest(payer, "胡涛", load().region("420100"), 100000)
        bureau.add_worker(r, session.policy, TODAY, hu_tao)
    # 配偶 父母 子女 ← 上一步: UP from 配偶 wraps to ← 上一步, back to the ID (an empty field:
    # the ID is typed again, never refilled on screen); then 父母 (刘秀兰 was born in 1960,
    # before the worker: 子女 would not fit her ID); later: no face yet
    script = [ENTER, "刘秀兰\r", NEW_RELATIVE + "\r", UP + ENTER, NEW_RELATIVE + "\r"]
    script += [DOWN + ENTER, ENTER]
    script.append(DOWN + ENTER)
    with Run(session, script, payer=payer) as run:
        result = binding.bind(run.wiz)
    assert result.binding.relation == "parent"
    assert result.binding.member == "temporary"
    assert t("wiz.bind.relation.policy", province="湖北省", count=3) in run.screen


def test_jiangxi_asks_for_a_relation_proof(tmp_path: Path) -> None:
    session = make_session(tmp_path / "state.json", lang="en")
    create(session, "jiangxi-proof")
    script = [
        ENTER,
        "李凤英\r",
        "360102194007200207\r",
        DOWN * 5 + ENTER,  # maternal grandparent
        ENTER,  # proof: one of the listed documents, no free text
        ENTER,
        ENTER,  # face verification (simulated)
    ]
    with Run(session, script, payer=None) as run:
        result = binding.bind(run.wiz)
    assert result.binding.proof == "户口本"
    assert t("wiz.bind.proof.ask") in run.ask.asked


# -- unbind and revoke --------------------------------------------------------------------


def test_unbind_asks_for_the_member_and_confirms(demo: Session) -> None:
    with Run(demo, [DOWN * 4 + ENTER, ENTER]) as run:
        ended = binding.unbind(run.wiz)
    assert ended.name == "张德福" and ended.unbound_on == TODAY
    assert flat(
        t("wiz.unbind.warning", name="张德福", id="510104********0015", relation="祖父母")
    ) in (flat(run.screen))


def test_unbinding_in_the_wizard_says_the_quota_it_gave_back(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    """The wizard's unbind says what a cross-province quota gave back, as `unbind` does."""
    from famcov.features import cross_province, family_account
    from famcov.requests import MemberRequest

    monkeypatch.setenv("FAMCOV_WHAT_IF", "cross-province-2026")
    session = make_session(tmp_path / "state.json")
    create(session)
    member = MemberRequest(payer=ZHANG_WEI, relative=ZHANG_LI)
    with session.store.transaction() as held:
        family_account.verify(held, session.policy, TODAY, member)
        quota = QuotaRequest(ZHANG_WEI, ZHANG_LI, 30000)
        cross_province.reserve(held, session.policy, TODAY, quota)
    with Run(session, [ENTER]) as run:  # 确认解除
        ended = binding.unbind(run.wiz, relative="张丽")
    assert ended is not None and ended.unbound_on == TODAY
    assert t("unbind.released", amount="300.00") in capsys.readouterr().out


def test_revoke_with_reason_and_confirm(demo: Session, capsys) -> None:
    with Run(demo, [ENTER, ENTER, ENTER]) as run:
        payment = lookup.revoke(run.wiz)
    assert payment.status == "revoked" and payment.revoke_reason == "duplicate"
    assert yuan(records(demo).worker(ZHANG_WEI).balance) == "1668.50"
    assert "1668.50" in capsys.readouterr().out


def test_revoke_given_no_and_reason_asks_only_to_confirm_and_can_keep(demo: Session) -> None:
    before = demo.state_path.read_bytes()
    with Run(demo, [DOWN + ENTER], payer=None) as run:  # 确认撤销, 取消，不撤销
        assert lookup.revoke(run.wiz, no="dj202510100001", reason="重复") is None
    assert run.ask.asked == [t("wiz.revoke.confirm")]
    assert demo.state_path.read_bytes() == before


def test_revoke_an_unknown_receipt_is_shown_then_asked(demo: Session) -> None:
    with Run(demo, [ENTER, ENTER], payer=None) as run:  # every payment listed; confirm
        payment = lookup.revoke(run.wiz, no="DJ000", reason="other")
    assert payment.revoke_reason == "other"
    assert "DJ000" in run.screen


# -- Ctrl-C ---------------------------------------------------------------------------


def test_ctrl_c_in_a_prompt_writes_nothing_and_says_interrupted(demo: Session) -> None:
    import famcov.wizard

    before = demo.state_path.read_bytes()
    with create_pipe_input() as pipe:
        asker = Scripted(pipe, [ENTER, ENTER, "\x03"])

        def fake_new(session, *, home=False):
            out = ui.console(io.StringIO())
            out.size = (100, 40)
            return Wizard(session, asker, out, home=home)

        from famcov.wizard import flow as flow_module

        original = flow_module.new
        flow_module.new = fake_new
        try:
            with pytest.raises(FamcovError) as caught:
                famcov.wizard.start(demo, "pay", payer=ZHANG_WEI)
        finally:
            flow_module.new = original
    assert caught.value.code == "INTERRUPTED" and caught.value.exit_code == 130
    assert demo.state_path.read_bytes() == before


# -- home ------------------------------------------------------------------------------


def test_home_toggles_training_notes_and_language_then_quits(demo: Session) -> None:
    explain, lang, quit_ = DOWN * 6 + ENTER, DOWN * 8 + ENTER, UP + ENTER
    with Run(demo, [ENTER, explain, lang, quit_], payer=None, home_menu=True) as run:
        assert home.run(demo, run.wiz) == 0
    assert demo.explain is True and demo.lang == "en"
    assert "Goodbye" in run.screen
    assert "培训说明" in run.screen  # the home note, shown once notes were on


def test_home_pay_then_account_and_payments(demo: Session, capsys) -> None:
    script = [ENTER, DOWN + ENTER] + [ENTER] * 6
    script += [DOWN * 3 + ENTER]  # 个人账户
    script += [DOWN * 2 + ENTER, ENTER]  # 查询/退费 → 代缴信息查询
    script += [UP + ENTER, UP + ENTER]  # 返回 from the receipts, then from 查询/退费
    script += [UP + ENTER]  # 退出
    with Run(demo, script, payer=None, home_menu=True) as run:
        assert home.run(demo, run.wiz) == 0
    out = capsys.readouterr().out
    assert "868.50" in out and "DJ202510100001" in out
    assert t("ledger.payment") in out
    assert "famcov receipt" not in out  # the wizard offers the receipts itself


def test_first_run_creates_the_demo_family(tmp_path: Path) -> None:
    session = make_session(tmp_path / "new" / "state.json")
    # the demo, its province (四川, the payers'), its usual channel, the payer, 退出
    script = [ENTER, ENTER, ENTER, ENTER, UP + ENTER]
    with Run(session, script, payer=None, home_menu=True) as run:
        assert home.run(session, run.wiz) == 0
    state = records(session).state
    assert len(state.workers) == 2
    assert (state.province, state.channel) == ("51", "sichuan-app")
    assert "四川医保APP" in run.screen  # the home header names the channel
    assert flat(t("wiz.first.no_state", path=str(session.state_path))) in flat(run.screen)


def test_first_run_quit_creates_nothing(tmp_path: Path) -> None:
    session = make_session(tmp_path / "new" / "state.json")
    with Run(session, [UP + ENTER], payer=None, home_menu=True) as run:
        assert home.run(session, run.wiz) == 0
    assert not session.state_path.exists()


def test_home_starts_a_scenario_and_moves_the_simulated_date(demo: Session) -> None:
    names = setups.names()
    late = names.index("late-payment")
    # payer, 培训场景, the scenario, 替换 (the pointer starts on 取消), 退出
    script = [ENTER, DOWN * 5 + ENTER, DOWN * late + ENTER, UP + ENTER, UP + ENTER]
    with Run(demo, script, payer=None, home_menu=True) as run:
        assert home.run(demo, run.wiz) == 0
    assert demo.today == dt.date(2026, 5, 10)
    assert [w.name for w in records(demo).state.workers] == ["郑浩"]


def test_every_screen_message_is_a_catalogue_sentence(demo: Session) -> None:
    for lang in ("zh", "en"):
        session = make_session(demo.state_path, lang=lang, explain=True)
        with Run(session, [ENTER, ENTER, DOWN * 2 + ENTER]) as run:
            paying.pay(run.wiz, relative="张丽")
        for line in run.screen.splitlines():
            assert not any(word in line for word in ("wiz.", "explain.", "rule.", "rulename.")), (
                line
            )
        assert_message(run.screen, lang, allow=("张丽", "张伟"))


def test_default_year_prefers_the_window_then_the_open_year() -> None:
    from famcov.policy import load

    policy = load(DATA)
    assert policy.default_year("510100", dt.date(2026, 11, 24)) == 2027
    assert policy.default_year("510100", dt.date(2026, 9, 10)) == 2026  # Chengdu opens 09-18
    assert policy.default_year("510700", dt.date(2026, 9, 10)) == 2027
    assert policy.default_year("510100", dt.date(2026, 5, 1)) == 2026
    assert policy.default_year("510100", dt.date(2030, 1, 1)) == 2027
    assert policy.default_year("999999", dt.date(2026, 1, 1)) is None


def test_a_proof_given_where_none_is_needed_is_kept(demo: Session) -> None:
    with Run(demo, [ENTER, DOWN + ENTER]) as run:
        result = binding.bind(
            run.wiz,
            accepted=True,
            name="刘秀兰",
            relative=NEW_RELATIVE,
            relation="母亲",
            proof="户口本",
        )
    face = t("wiz.bind.face.ask", name="刘秀兰")
    assert run.ask.asked == [t("wiz.bind.review.ask"), face]
    assert (result.binding.relation, result.binding.proof) == ("parent", "户口本")


def test_many_workers_type_the_payer_instead_of_a_long_list(demo: Session) -> None:
    with demo.store.transaction() as r:
        for i in range(12):
            worker = WorkerRequest(
                make_id("510104", "19700101", f"{100 + i:03d}"),
                f"职工{'甲乙丙丁戊己庚辛壬癸子丑'[i]}",
                demo.policy.region("510100"),
                10000,
            )
            bureau.add_worker(r, demo.policy, TODAY, worker)
    with Run(demo, ["不存在的人\r" + "\x7f" * 5 + "张伟\r"], payer=None, home_menu=True) as run:
        home.pick_payer(run.wiz)
    assert run.wiz.payer == ZHANG_WEI
    assert run.ask.asked == [t("wiz.payer.type", count=14)]


def test_a_choice_that_answers_back_is_echoed_by_its_own_title() -> None:
    """返回修改 (a choice whose value is BACK, with no back key of the prompt's own) was
    echoed as the word None after its question."""
    from prompt_toolkit.output.plain_text import PlainTextOutput

    printed = io.StringIO()
    with create_pipe_input() as pipe:
        ask = ui.Asker(input=pipe, output=PlainTextOutput(printed))
        pipe.send_text(DOWN + ENTER)
        answer = ask.select(
            t("wiz.bind.gap.ask"), [(t("wiz.bind.gap.yes"), True), (t("wiz.bind.gap.no"), ui.BACK)]
        )
    assert answer is ui.BACK
    echoed = printed.getvalue().splitlines()[-1]
    assert t("wiz.bind.gap.no") in echoed and "None" not in echoed, echoed


def test_a_scenario_replacing_the_file_says_earlier_saves_went_into_the_backup(
    demo: Session,
) -> None:
    """Ctrl-C after a scenario replaced the state named the bindings and payments saved
    before it as if they were in the file; they are in the backup beside it."""
    from famcov import wizard
    from famcov.i18n import Msg

    demo.run.steps.append(Msg("saved.bind", {"name": "张小明"}))
    with Run(demo, [ENTER, UP + ENTER], payer=None) as run:  # the first scenario; replace
        home.start_scenario(run.wiz)
    said = str(Msg(wizard.interrupted(demo.run.steps).message_key, {"saved": demo.run.steps}))
    assert "张小明" not in said and ".bak" in said, said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_home_notes_follow_the_channel_walked_not_always_sichuans(tmp_path, lang) -> None:
    """With notes on, the home menu's note named the Sichuan app in Hubei too; it names
    the channel walked and where its first two things are done."""
    session = make_session(tmp_path / "state.json", lang=lang, explain=True)
    create(session)
    hubei = session.policy.channel_packs["hubei-return"]
    with Run(session, []) as run:
        home._explain_home(run.wiz, hubei)
    shown = flat(run.screen)
    assert flat(hubei.name(lang)) in shown and flat(hubei.steps[1].menu(lang)) in shown
    assert "四川医保APP" not in shown and "Sichuan" not in shown
    sichuan = session.policy.channel_packs["sichuan-app"]
    with Run(session, []) as run:  # once a channel: another one chosen later is told too
        home._explain_home(run.wiz, sichuan)
        home._explain_home(run.wiz, sichuan)
        home._explain_home(run.wiz, hubei)
    assert flat(run.screen).count(flat(t("wiz.explain.title"))) == 2


def test_a_region_chosen_for_one_relative_is_not_the_next_ones_default(demo: Session) -> None:
    """After 重新选择被代缴人, the region step pointed at the region chosen for the relative
    before (成都 for 王秀英) instead of the new one's enrolment (昆明 for 张丽)."""
    from conftest import XIUYING

    from famcov.wizard.flow import Flow
    from famcov.wizard.steps import ask_region

    with Run(demo, [ENTER, ENTER]) as run:  # Enter on the default, twice
        flow = Flow(run.wiz, "wiz.pay.title", {})
        flow.answers.update(payer=ZHANG_WEI, relative=XIUYING)
        assert ask_region(flow).code == "510100"  # 王秀英's own: 成都
        flow.answers.update(region=demo.policy.region("510100"), relative=ZHANG_LI)
        assert ask_region(flow).code == "530100"  # 张丽's enrolment: 昆明


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_question_is_folded_between_words_before_prompt_toolkit_draws_it(
    monkeypatch, lang
) -> None:
    """prompt_toolkit breaks a line anywhere (`goes bac` / `k)`): a question too wide for
    80 columns is folded between words, its instruction on a line of its own."""
    from prompt_toolkit.utils import get_cwidth

    set_lang(lang)
    monkeypatch.setenv("COLUMNS", "80")
    message = t("wiz.bind.id.ask") + " " + t("scenario.replace", path="/tmp/walk/" * 4 + "s.json")
    hint = t("wiz.ui.text_back")
    asked = ui._question(message, hint)
    lines = asked.split("\n")
    # "› " before the first line, two spaces before the others: none reaches column 80
    drawn = ["› " + lines[0], *lines[1:]]
    assert len(lines) > 1 and all(get_cwidth(line) < 80 for line in drawn), lines
    assert get_cwidth(drawn[-1] + " " + hint) < 80
    words = [w for w in message.split() if w.isascii() and w.isalpha()]
    assert all(w in asked.replace("\n  ", " ") for w in words)  # no word cut in two


def test_the_year_list_says_a_year_already_paid(demo: Session) -> None:
    """张小雨's 2026 was paid by proxy (DJ202510100001) and 王秀英's 2027 through the tax
    bureau: the year list said 可缴费 beside both."""
    from conftest import XIAOYU, XIUYING

    from famcov.wizard.flow import Flow
    from famcov.wizard.steps import year_choice

    with Run(demo, []) as run:
        flow = Flow(run.wiz, "wiz.pay.title", {})
        chengdu = demo.policy.province_of("510100")
        by_year = {y.year: y for y in chengdu.years}
        flow.answers.update(payer=ZHANG_WEI, relative=XIAOYU)
        assert t("wiz.pay.year.paid", no="DJ202510100001") in year_choice(
            flow, by_year[2026], "510100"
        )
        assert t("wiz.pay.year.open") in year_choice(flow, by_year[2027], "510100")
        flow.answers.update(relative=XIUYING)
        assert t("wiz.pay.year.paid_elsewhere") in year_choice(flow, by_year[2027], "510100")


def test_at_the_check_a_balance_below_every_tier_says_no_tier_will_do(tmp_path: Path) -> None:
    """Before a tier is chosen the balance is judged at the cheapest: the advice is the
    lowest tier's (pay through another channel), not "choose a tier the balance covers"."""
    session = make_session(tmp_path / "state.json", lang="en")
    create(session, "low-balance")
    with Run(session, [ENTER, ENTER, ENTER, DOWN * 2 + ENTER], payer=None) as run:
        assert paying.pay(run.wiz) == 1
    assert flat(t("wiz.todo.INSUFFICIENT_BALANCE.lowest")) in flat(run.screen)
    assert flat(t("wiz.todo.INSUFFICIENT_BALANCE")) not in flat(run.screen)


def test_a_return_refused_for_the_balance_does_not_say_to_pay_again(tmp_path: Path) -> None:
    """Hubei's return from an account holding no more than the premium: the premium is
    paid already, so the advice is to come back with more in the account — never to pay
    it through another channel or to pick a tier (a return has none)."""
    from conftest import invoke

    from famcov.wizard import tax

    state, worker, mother = (
        tmp_path / "state.json",
        make_id("420102", "19800101"),
        make_id("420102", "19550505"),
    )
    for line in (
        "init",
        f"admin add-worker --id {worker} --name 吴军 --region 武汉 --balance 400",
        f"admin enrol --id {mother} --name 吴母 --region 武汉 --year 2027",
        f"bind --payer {worker} --relative {mother} --name 吴母 --relation 父母 --accept-commitment",
        f"pay-tax --payer {worker} --relative {mother} --region 武汉 --year 2027 --tier standard"
        " --yes",
    ):
        ran = invoke(["--json", "--state", str(state), "--today", "2026-11-24", *line.split()])
        assert ran.exit_code == 0, ran.stdout
    session = make_session(state, today=dt.date(2026, 11, 30), explain=True)
    given = {"payer": worker, "relative": mother, "year": "2027"}
    with Run(session, [UP + ENTER], payer=None) as run:  # leave at the refusal (the last)
        assert tax.claim_return(run.wiz, **given) == 1
    screen = flat(run.screen)
    assert flat(t("wiz.todo.INSUFFICIENT_BALANCE.return")) in screen
    assert flat(t("explain.rule.INSUFFICIENT_BALANCE.return")) in screen
    assert flat(t("wiz.todo.INSUFFICIENT_BALANCE")) not in screen


def test_pay_now_after_binding_takes_the_channel_walked(tmp_path: Path, monkeypatch) -> None:
    """In Hubei (先缴后返) "pay for … now" after a binding opens the pay-first-then-return
    screens, never a proxy payment out of the account the channel does not use."""
    from types import SimpleNamespace

    session = make_session(tmp_path / "state.json")
    create(session, "hubei-return")
    payer, relative = "420102198703120416", "420102199601010130"  # 周强, 周亮
    bound = SimpleNamespace(binding=SimpleNamespace(name="周亮", relative=relative))
    monkeypatch.setattr(binding, "bind", lambda wiz: bound)
    before = records(session).worker(payer).balance
    with Run(session, [ENTER, UP + ENTER], payer=payer) as run:  # pay now; then leave
        home.bind_then_offer_pay(run.wiz)
    assert run.ask.asked == [t("wiz.bind.then"), t("return.wiz.menu.ask")]
    assert records(session).state.payments == []
    assert records(session).worker(payer).balance == before


@pytest.mark.parametrize(
    ("typed", "drawn"),
    [
        ("510104199003078519", "510104 ******** 8519"),
        ("510104 19900307 8519", "510104 ******** 8519"),  # the person's own spaces
        ("5101041990 0307 8519", "510104**** **** 8519"),
        ("王芳 5101041990-0307-8519", "王芳 510104****-****-8519"),
    ],
)
def test_a_typed_id_hides_its_birth_date_however_it_is_spaced(typed: str, drawn: str) -> None:
    assert ui.typed_id_view(typed, hidden=True)[0] == drawn


def test_a_direction_override_typed_is_drawn_as_a_mark_not_obeyed() -> None:
    from prompt_toolkit.document import Document
    from prompt_toolkit.layout.processors import TransformationInput

    line = "中文\u202eevil"
    processor = ui._typed_ids(None)
    fragments = [("", line)]
    ti = TransformationInput(None, Document(line), 0, lambda i: i, fragments, 80, 1)
    drawn = "".join(text for _, text, *_ in processor.apply_transformation(ti).fragments)
    assert drawn == "中文?evil"


def test_the_tax_and_return_flows_have_a_note_at_each_step(tmp_path: Path) -> None:
    """With training notes on, each step of the tax channel and of the return says why
    it is there (explain.<flow>.<step>)."""
    from famcov.wizard.flow import Flow, Step

    session = make_session(tmp_path / "state.json", explain=True)
    create(session, "hubei-return")
    steps = {
        "tax": ["tick", "relative", "check", "tier", "review"],
        "return": ["relative", "year", "check", "review"],
    }
    for notes, keys in steps.items():
        with Run(session, [], payer="420102198703120416") as run:
            flow = Flow(run.wiz, "tax.wiz.title", {1: "tax.wiz.stage.tick"}, notes=notes)
            for key in keys:
                flow._enter(Step(key, 1, lambda f: None), False)
        for key in keys:
            # its first words (the panel's border breaks the rest)
            assert flat(t(f"explain.{notes}.{key}"))[:12] in flat(run.screen), (notes, key)
