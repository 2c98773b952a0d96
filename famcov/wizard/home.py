"""首页: the home menu of `famcov` on a terminal, mirroring the Sichuan app.

亲情账户 · 个人账户代缴申请 · 查询/退费 · 个人账户 · 政策 · 培训场景 ·
培训说明 on/off · 切换代缴人 · language · 退出. A refusal inside a flow is shown
and the menu comes back; Ctrl-C leaves at once (the one handler in cli says so).
"""

from __future__ import annotations

from typing import Any

from famcov import setups, wizard
from famcov.domain.ids import mask
from famcov.domain.money import yuan
from famcov.errors import FamcovError
from famcov.features import bureau
from famcov.i18n import set_lang, t
from famcov.output import render
from famcov.output.screen import start_choices
from famcov.wizard import interruptible, ui
from famcov.wizard.flow import Wizard, choose_payer, new
from famcov.wizard.ui import BACK


@interruptible
def run(session, wiz: Wizard | None = None, first=None) -> int:
    """The home menu until 退出; `wiz` lets a test bring its own prompts and screen;
    `first`: the first screen, answered already (famcov.front)."""
    wiz = wiz or new(session, home=True)
    chosen = first.answer if first is not None and first.kind == "start" else None
    if first is not None and first.kind == "payer":
        wiz.carry_on(first)
    elif (chosen or not session.store.exists()) and not first_run(wiz, chosen=chosen):
        # (the choice made on the first screen stands, even if another terminal has
        # created the file meanwhile: "quit" quits, "demo" is told the file exists)
        return 0
    if wiz.payer is None or wiz.payer not in wiz.records().workers:
        pick_payer(wiz)
    while True:
        action = main_menu(wiz)
        if action == "quit":
            break
        try:
            ACTIONS[action](wiz)
        except FamcovError as exc:
            wiz.show_error(exc)
    ui.info(wiz.out, t("wiz.home.bye"))
    return 0


# -- first run ---------------------------------------------------------------------


def first_run(wiz: Wizard, chosen: str | None = None) -> bool:
    """No state file yet: offer the demo family or a training scenario. `chosen`: the
    answer given on the first screen already (famcov.front)."""
    welcome = chosen is None
    while True:
        if welcome:  # at first, and again after own-family practice drew its own steps
            ui.step_header(wiz.out, title="famcov", stage=None, total=0, name=t("wiz.first.title"))
            ui.info(wiz.out, t("wiz.first.no_state", path=str(wiz.session.state_path)))
            wiz.explain("explain.first")
        choice = chosen or wiz.ask.select(t("wiz.first.ask"), start_choices())
        chosen, welcome = None, False
        if choice == "quit":
            ui.info(wiz.out, t("wiz.first.later"))
            return False
        if choice == "demo":
            create_demo(wiz)
            ask_channel(wiz)
            return True
        if choice == "own":
            from famcov.wizard import own

            if own.setup(wiz):
                # the province was asked with the worker's city: only the channel now
                worker = wiz.records().state.workers[0]
                ask_channel(wiz, province=wiz.policy.province_of(worker.region).code)
                return True
            welcome = True
            continue
        if start_scenario(wiz, first=True):
            return True  # the scenario is its province's: nothing to ask again


def ask_channel(wiz: Wizard, *, province: str | None = None) -> None:
    """First run: the province and the channel to practise, remembered in the state.
    With `province` (own-family practice, whose city named it) only the channel."""
    from famcov.wizard.channel import choose

    choose(wiz, first=True, province=province)


def create_demo(wiz: Wizard) -> None:
    session = wiz.session
    demo = setups.load("demo")
    with session.store.creating(force=False) as records:
        bureau.run_setup(records, session.policy, session.today, demo["setup"])
    wizard.saved(wiz, "saved.demo")
    ui.done(wiz.out, t("init.done", path=str(session.state_path)))
    from famcov.wizard.scenarios import print_story

    print_story(wiz.out, {**demo, "today": session.today.isoformat()}, records)
    wiz.ask.pause()


# -- the menu ----------------------------------------------------------------------


def pick_payer(wiz: Wizard) -> None:
    wiz.payer = None
    records = wiz.records()
    if records.state.workers:
        ui.step_header(wiz.out, title="famcov", stage=None, total=0, name=t("wiz.stage.payer"))
        wiz.explain("explain.payer")
        choose_payer(wiz, records, back=None)


def status_line(wiz: Wizard) -> str:
    records = wiz.records()
    worker = records.worker(wiz.payer) if wiz.payer else None
    who = (
        t(
            "wiz.home.payer",
            name=worker.name,
            id=mask(worker.id),
            balance=yuan(worker.balance),
        )
        if worker
        else t("wiz.home.no_payer")
    )
    mark = wiz.session.scenario_mark()
    today = wiz.today.isoformat()
    if mark is not None and wiz.today == mark.today:
        today = t("wiz.home.today_scenario", date=today, name=mark.name)
    return t(
        "wiz.home.status",
        today=today,
        who=who,
        explain=t("wiz.on") if wiz.session.explain else t("wiz.off"),
    )


def _explain_home(wiz: Wizard, channel: Any) -> None:
    """The home menu's training note: whose menus it follows (the channel walked, where
    its first two things are done there), not always the Sichuan app's."""
    if channel is None:
        wiz.explain("explain.home.none", once=True)
        return
    from famcov.i18n import lang

    where = t("word.list_sep").join(s.located(lang()) for s in channel.steps[:2])
    once = f"explain.home {channel.id}"  # once a channel: a new one is told anew
    wiz.explain("explain.home", once=once, channel=channel.name(lang()), where=where)


def main_menu(wiz: Wizard) -> str:
    from famcov.wizard.channel import header, walked

    wiz.session.forget_mark()  # `scenario end` or `start` from another terminal shows at once
    ui.step_header(wiz.out, title="famcov", stage=None, total=0, name=t("wiz.home.title"))
    ui.info(wiz.out, status_line(wiz))
    ui.info(wiz.out, header(wiz))
    channel = walked(wiz)
    wiz.noted = 0
    _explain_home(wiz, channel)
    workers = wiz.records().state.workers
    choices: list[tuple[str, Any]] = [
        (_in_channel(channel, "bind", t("wiz.home.family")), "family"),
        (_in_channel(channel, "pay", _pay_label(channel)), "pay"),
        (t("wiz.home.query"), "query"),
        (t("wiz.home.account"), "account"),
        (t("wiz.home.policy"), "policy"),
        (t("wiz.home.scenario"), "scenario"),
    ]
    if wiz.session.scenario_mark() is not None:  # 场景说明: the brief of the one in use
        choices.append((t("wiz.home.brief"), "brief"))
        choices.append((t("wiz.home.grade"), "grade"))
    choices += [
        (t("wiz.home.explain_off" if wiz.session.explain else "wiz.home.explain_on"), "explain"),
    ]
    if len(workers) > 1:
        choices.append((t("wiz.home.switch_payer"), "payer"))
    choices.append((t("wiz.home.lang"), "lang"))
    if channel is not None and channel.step("return") is not None:
        choices.append((_in_channel(channel, "return", t("channel.action.return")), "return"))
    if channel is None or channel.kind != "tax":
        choices.append((t("channel.home.tax"), "tax"))
    choices += [
        (t("channel.home.counter"), "counter"),
        (t("channel.home.choose"), "channel"),
        (t("wiz.home.quit"), "quit"),
    ]
    # the header, the status (two lines each at most), the note and the menu: taller than
    # the screen, the note is read first (the menu would push the status off the top)
    if wiz.noted and 6 + wiz.noted + len(choices) + 2 > wiz.out.height:
        wiz.ask.pause()
    return wiz.ask.select(t("wiz.home.ask"), choices)


def _pay_label(channel) -> str:
    """What paying means here: from the personal account, or with one's own money first."""
    if channel is not None and channel.funds == "pay-then-return":
        return t("channel.home.pay_first")
    if channel is not None and channel.kind == "tax":
        return t("channel.home.pay_own")
    return t("wiz.home.pay")


def _in_channel(channel, action: str, plain: str) -> str:
    """A home choice in the chosen channel's own words: `缴费：云南税务APP：社保缴费 → …`."""
    if channel is None or channel.step(action) is None or channel.modelled:
        return plain
    from famcov.i18n import lang

    return t("channel.home.item", action=plain, where=channel.where(action, lang()))


def _needs_payer(wiz: Wizard) -> bool:
    records = wiz.records()
    if wiz.payer is None or wiz.payer not in records.workers:
        wiz.payer = None
        if choose_payer(wiz, records, back=t("wiz.back.menu")) in (BACK, ui.QUIT):
            return False
    return True


def family_menu(wiz: Wizard) -> None:
    if not _needs_payer(wiz):
        return
    choice = wiz.ask.select(
        t("wiz.home.family"),
        [
            (t("wiz.family.bind"), "bind"),
            (t("wiz.family.unbind"), "unbind"),
            (t("wiz.family.members"), "members"),
            (t("wiz.family.verify"), "verify"),
        ],
        back=t("wiz.back.menu"),
    )
    if choice == "bind":
        bind_then_offer_pay(wiz)
    elif choice == "unbind":
        from famcov.wizard.binding import unbind

        unbind(wiz)
    elif choice == "members":
        from famcov.wizard.lookup import show_family

        show_family(wiz)
    elif choice == "verify":
        from famcov.wizard.binding import verify_member

        verify_member(wiz)


def bind_then_offer_pay(wiz: Wizard) -> None:
    from famcov.wizard.binding import bind

    result = bind(wiz)
    if result is None or not wiz.records().enrolments.get(result.binding.relative):
        return  # no enrolment yet: the binding's screen said to enrol first
    choice = wiz.ask.select(
        t("wiz.bind.then"),
        [(t("wiz.bind.then_pay", name=result.binding.name), "pay"), (t("wiz.back.menu"), "home")],
    )
    if choice == "pay":
        pay_flow(wiz, relative=result.binding.relative)


def pay_flow(wiz: Wizard, **given: Any) -> None:
    """Paying in the chosen channel's own order: the tax channel's 是否代缴 screen, Hubei's
    pay-first-then-return, a counter's checklist, or an app's proxy payment; `given`,
    what is known already (the relative just bound, the payment just revoked)."""
    if not _needs_payer(wiz):
        return
    from famcov.wizard.channel import walked

    channel = walked(wiz)
    if channel is not None and channel.funds == "pay-then-return":
        from famcov.wizard.tax import hubei

        hubei(wiz, **given)
    elif channel is not None and channel.kind == "tax":
        tax_flow(wiz, **given)
    elif channel is not None and channel.kind == "counter":
        counter_view(wiz)
    else:
        from famcov.wizard.payment import pay

        pay(wiz, **given)


def tax_flow(wiz: Wizard, **given: Any) -> None:
    if _needs_payer(wiz):
        from famcov.wizard.tax import pay_tax

        pay_tax(wiz, **given)


def return_flow(wiz: Wizard) -> None:
    if _needs_payer(wiz):
        from famcov.wizard.tax import claim_return

        claim_return(wiz)


def counter_view(wiz: Wizard) -> None:
    from famcov.wizard.channel import checklist

    checklist(wiz)


def channel_view(wiz: Wizard) -> None:
    from famcov.wizard.channel import choose

    choose(wiz)


def query_menu(wiz: Wizard) -> None:
    if not _needs_payer(wiz):
        return
    from famcov.wizard import lookup

    choice = None
    while True:  # a look-up comes back to this menu; 返回主菜单 leaves it
        choice = wiz.ask.select(
            t("wiz.home.query"),
            [
                (t("wiz.query.payments"), "payments"),
                (t("wiz.query.receipt"), "receipt"),
                (t("wiz.query.revoke"), "revoke"),
            ],
            default=choice,
            back=t("wiz.back.menu"),
        )
        if choice == "payments":
            lookup.show_payments(wiz)
        elif choice == "receipt":
            lookup.show_receipt(wiz)
        elif choice == "revoke":
            revoke_then_offer_repay(wiz)
            return
        else:
            return


def revoke_then_offer_repay(wiz: Wizard) -> None:
    from famcov.wizard.lookup import revoke

    payment = revoke(wiz)
    if payment is None:
        return
    choice = wiz.ask.select(
        t("wiz.revoke.then"),
        [
            (t("wiz.revoke.then_pay", name=payment.relative_name, year=payment.year), "pay"),
            (t("wiz.back.menu"), "home"),
        ],
    )
    if choice == "pay":  # in the channel walked now, as 代缴 from the home menu
        pay_flow(wiz, relative=payment.relative, region=payment.region, year=payment.year)


def account_view(wiz: Wizard) -> None:
    if _needs_payer(wiz):
        from famcov.wizard.lookup import show_account

        show_account(wiz)


def policy_view(wiz: Wizard) -> None:
    from famcov.wizard.lookup import browse_policy

    browse_policy(wiz)


def start_scenario(wiz: Wizard, *, first: bool = False) -> bool:
    """培训场景: pick one, read its story, replace the state with it (after a yes)."""
    from famcov.wizard import scenarios

    names = setups.names()
    loaded = {name: setups.load(name) for name in names}
    name = wiz.ask.select(
        t("wiz.scenario.ask"),
        [
            (f"{render.text_from(s['title'])}  ({name} · {s['today']})", name)
            for name, s in loaded.items()
        ],
        back=t("wiz.back") if first else t("wiz.back.menu"),  # no home menu yet on first run
    )
    if name is BACK:
        return False
    scenario = loaded[name]
    if wiz.session.store.exists():
        answer = wiz.ask.select(
            t("scenario.replace", path=str(wiz.session.state_path)),
            [(t("scenario.replace.yes"), True), (t("scenario.replace.no"), False)],
            default=False,
        )
        if not answer:
            return False
    records = setups.create(wiz.session, scenario, force=True, name=name)
    run = wiz.session.run
    if run.kept:  # the old file, with what this run saved in it before, is the backup now
        key = "saved.scenario_kept_changes" if run.steps else "saved.scenario_replaced"
        run.steps.clear()
        wizard.saved(wiz, key, name=name, file=run.kept)
    else:
        wizard.saved(wiz, "saved.scenario", name=name)
    wiz.session.today = setups.today_of(scenario)
    ui.done(wiz.out, t("scenario.started", name=name, path=str(wiz.session.state_path)))
    data = scenarios.brief(wiz.session, name, scenario, records)
    scenarios.print_brief(wiz.out, data, pause=wiz.ask.pause)
    ui.info(wiz.out, t("wiz.scenario.today_set", date=scenario["today"]))
    wiz.ask.pause()  # the brief is read before the next screen pushes it away
    if not first:  # on first run, run() picks the payer next: its header once, not twice
        pick_payer(wiz)
    return True


def scenario_view(wiz: Wizard) -> None:
    start_scenario(wiz)


def brief_view(wiz: Wizard) -> None:
    """场景说明: the active scenario's brief again, until Enter."""
    from famcov.wizard import scenarios

    mark = wiz.session.scenario_mark()
    if mark is None:
        return
    scenario = setups.scenario(mark.name)
    data = scenarios.brief(wiz.session, mark.name, scenario)
    scenarios.print_brief(wiz.out, data, pause=wiz.ask.pause)
    wiz.ask.pause()


def grade_view(wiz: Wizard) -> None:
    """练习检查: the goals of the active scenario against the records now, until Enter."""
    from famcov import grading

    grading.print_one(grading.grade_file(wiz.session.state_path), wiz.out)
    wiz.ask.pause()


def toggle_explain(wiz: Wizard) -> None:
    wiz.session.explain = not wiz.session.explain
    ui.done(wiz.out, t("wiz.explain.now_on" if wiz.session.explain else "wiz.explain.now_off"))


def switch_payer(wiz: Wizard) -> None:
    previous = wiz.payer
    wiz.payer = None
    if choose_payer(wiz, wiz.records(), back=t("wiz.back.menu")) is BACK:
        wiz.payer = previous


def switch_lang(wiz: Wizard) -> None:
    wiz.session.lang = "en" if wiz.session.lang == "zh" else "zh"
    set_lang(wiz.session.lang)


ACTIONS = {
    "family": family_menu,
    "pay": pay_flow,
    "query": query_menu,
    "account": account_view,
    "policy": policy_view,
    "scenario": scenario_view,
    "brief": brief_view,
    "grade": grade_view,
    "explain": toggle_explain,
    "payer": switch_payer,
    "lang": switch_lang,
    "tax": tax_flow,
    "return": return_flow,
    "counter": counter_view,
    "channel": channel_view,
}
