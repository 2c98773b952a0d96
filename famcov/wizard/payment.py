"""个人账户代缴申请: the pay wizard, in the Sichuan app's order.

步骤 1 确认代缴人与被代缴人 → 2 缴费区划和缴费年度 → 3 代缴信息校验 →
4 险种当次信息（险种、缴费档次和金额）→ 5 核对并提交 → 回执.

Every rule is `actions.check`'s; the payment is `actions.pay` inside one store
transaction opened after the last prompt.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from famcov import actions, render, requests, wizard
from famcov.domain.ids import mask
from famcov.domain.model import INSURANCE
from famcov.domain.money import yuan
from famcov.i18n import has, t
from famcov.wizard import ui
from famcov.wizard.channel import channel_banner, channel_help
from famcov.wizard.flow import Flow, Goto, Step, Wizard, payer_step
from famcov.wizard.ui import BACK, QUIT

STAGES = {
    1: "wiz.pay.stage.who",
    2: "wiz.pay.stage.where",
    3: "wiz.pay.stage.check",
    4: "wiz.pay.stage.tier",
    5: "wiz.pay.stage.submit",
}
BIND_NEW = "__bind__"
OTHER_REGION = "__other__"


def run(session, **given: Any) -> int:
    """`famcov pay` on a terminal: ask only for what the flags did not give."""
    from famcov.wizard.channel import walked
    from famcov.wizard.flow import new

    wiz = new(session)
    channel = walked(wiz)  # as the home menu: the channel the header names
    if channel is not None and channel.funds == "pay-then-return":
        from famcov.wizard.tax import hubei  # pay through the tax channel, then the return

        given.pop("accept_no_cover", None)
        return hubei(wiz, **given)
    if channel is not None and channel.funds == "own-money":
        from famcov.wizard.tax import pay_tax  # 是否代缴: own money, not the account

        given.pop("accept_no_cover", None)
        return pay_tax(wiz, **given)
    return pay(wiz, **given)


def pay(wiz: Wizard, **given: Any) -> int:
    """The whole flow; the exit code (0 paid, 1 refused or cancelled)."""
    if given.get("tier") is not None:
        given["insurance"] = INSURANCE
    flow = Flow(wiz, "wiz.pay.title", STAGES, given=given)
    channel_banner(wiz, ("pay", "return"))
    steps = [
        payer_step(1),
        Step("relative", 1, ask_relative, parse_relative, "explain.pay.relative"),
        Step("region", 2, ask_region, parse_region, "explain.pay.region"),
        Step("year", 2, ask_year, parse_year, "explain.pay.year"),
        Step("check", 3, run_check, None, "explain.pay.check"),
        Step("insurance", 4, ask_insurance, lambda f, raw: INSURANCE, "explain.pay.insurance"),
        Step("tier", 4, ask_tier, parse_tier, "explain.pay.tier"),
        Step("review", 5, review, None, "explain.pay.submit"),
    ]
    if not flow.run(steps):
        if flow.answers.get("check") is not False:
            ui.warn(wiz.out, t("wiz.pay.cancelled"))
        else:  # refused: where to ask for help
            channel_help(wiz)
        return flow.exit_code
    with wiz.session.store.transaction() as records:
        request = payment_request(flow, channel=wiz.session.channel)
        payment = actions.pay(records, wiz.policy, wiz.today, request)
    wizard.saved("saved.pay", no=payment.no, name=payment.relative_name, year=payment.year)
    from famcov.wizard.lookup import receipt_screen

    receipt_screen(wiz, payment, fresh=True)
    return 0


# -- 步骤 1: the relative ------------------------------------------------------------


def enrolment_summary(records, policy, relative: str) -> str:
    if records.holds_employee_insurance(relative):
        return t("wiz.member.employee")
    enrolments = sorted(records.enrolments.get(relative, ()), key=lambda e: e.year)
    if not enrolments:
        return t("wiz.member.not_enrolled")
    return t(
        "wiz.member.enrolled",
        where=[f"{e.year} {render.region_name(policy, e.region)}" for e in enrolments[-3:]],
    )


def member_title(records, policy, binding) -> str:
    return t(
        "wiz.member.choice",
        name=binding.name,
        id=mask(binding.relative),
        relation=render.relation_name(binding.relation),
        enrolment=enrolment_summary(records, policy, binding.relative),
    )


def ask_relative(flow: Flow) -> Any:
    wiz, records = flow.wiz, flow.records
    payer = flow.answers["payer"]
    members = [b for b in records.bindings_by_payer.get(payer, ()) if b.active]
    if not members:
        ui.warn(flow.out, t("wiz.pay.no_members"))
    while True:
        choices = [(member_title(records, wiz.policy, b), b.relative) for b in members]
        choices.append((t("wiz.pay.bind_new"), BIND_NEW))
        answer = wiz.ask.select(
            t("wiz.pay.relative.ask"),
            choices,
            default=flow.answers.get("relative"),
            back=flow.back,
        )
        if answer != BIND_NEW:
            return answer
        from famcov.wizard.binding import bind

        bound = bind(wiz, payer=payer)
        flow.reload()
        if bound is not None:
            return bound.binding.relative
        records = flow.records
        members = [b for b in records.bindings_by_payer.get(payer, ()) if b.active]


def parse_relative(flow: Flow, raw: str) -> str:
    return actions.find_relative(flow.records, flow.answers["payer"], raw, flow.wiz.today)


# -- 步骤 2: region and year ---------------------------------------------------------


def region_label(policy, code: str) -> str:
    return f"{render.region_name(policy, code)} {code}"


def default_region(flow: Flow) -> str:
    """The relative's enrolment for the year most likely meant, else their latest one,
    else the payer's own region."""
    records, policy = flow.records, flow.wiz.policy
    payer = records.worker(flow.answers["payer"])
    enrolments = records.enrolments.get(flow.answers["relative"], [])
    year = policy.default_year(payer.region, flow.wiz.today)
    for e in enrolments:
        if e.year == year:
            return e.region
    if enrolments:
        return max(enrolments, key=lambda e: e.year).region
    return payer.region


def ask_region(flow: Flow) -> Any:
    wiz, records, policy = flow.wiz, flow.records, flow.wiz.policy
    payer = records.worker(flow.answers["payer"])
    by_region: dict[str, list[int]] = {}
    for e in sorted(records.enrolments.get(flow.answers["relative"], ()), key=lambda e: e.year):
        by_region.setdefault(e.region, []).append(e.year)
    choices = [
        (t("wiz.pay.region.enrolled", region=region_label(policy, code), years=years), code)
        for code, years in by_region.items()
    ]
    if payer.region not in by_region:
        choices.append(
            (t("wiz.pay.region.payer", region=region_label(policy, payer.region)), payer.region)
        )
    choices.append((t("wiz.pay.region.other"), OTHER_REGION))
    previous = flow.answers.get("region")
    default = previous.code if previous is not None else default_region(flow)
    if default not in {code for _, code in choices}:
        choices.insert(-1, (region_label(policy, default), default))
    while True:
        answer = wiz.ask.select(t("wiz.pay.region.ask"), choices, default=default, back=flow.back)
        if answer is BACK:
            return BACK
        if answer != OTHER_REGION:
            return policy.region(answer)
        typed = wiz.ask.text(t("wiz.pay.region.type"), parse=policy.find_region)
        if typed is not BACK:
            return typed


def parse_region(flow: Flow, raw: str):
    return requests.REGION.parse_text(flow.wiz.session, raw)


def year_choice(flow: Flow, year_policy, region_code: str) -> str:
    today = flow.wiz.today
    period = year_policy.open_for(region_code)
    window = year_policy.window_for(region_code)
    if today in period:
        status = t("wiz.pay.year.open")
    elif today < period.start:
        status = t("wiz.pay.year.not_yet", date=period.start.isoformat())
    else:
        status = t("wiz.pay.year.closed", date=period.end.isoformat())
    enrolled = flow.records.enrolment(flow.answers["relative"], region_code, year_policy.year)
    return t(
        "wiz.pay.year.choice",
        year=year_policy.year,
        status=status,
        start=window.start.isoformat(),
        end=window.end.isoformat(),
        mark=t("wiz.illustrative") if window.illustrative else "",
        enrolment=t("wiz.pay.year.enrolled" if enrolled else "wiz.pay.year.not_enrolled"),
    )


def ask_year(flow: Flow) -> Any:
    wiz, region = flow.wiz, flow.answers["region"]
    province = wiz.policy.province_of(region.code)
    years = sorted(province.years, key=lambda y: y.year) if province else []
    if not years:
        return wiz.ask.text(t("wiz.pay.year.type"), parse=lambda text: parse_year(flow, text))
    choices = [(year_choice(flow, y, region.code), y.year) for y in years]
    default = flow.answers.get("year") or wiz.policy.default_year(region.code, wiz.today)
    return wiz.ask.select(t("wiz.pay.year.ask"), choices, default=default, back=flow.back)


def parse_year(flow: Flow, raw: str) -> int:
    return requests.YEAR.parse_text(flow.wiz.session, raw)


# -- 步骤 3: 代缴信息校验 -------------------------------------------------------------


def payment_request(flow: Flow, **extra: Any) -> requests.PaymentRequest:
    """The payment the answers describe; --accept-no-cover given or confirmed counts."""
    no_cover = bool(flow.answers.get("accept_no_cover") or flow.given.get("accept_no_cover"))
    return requests.build(
        requests.PaymentRequest, flow.answers, accept_no_cover=no_cover or None, **extra
    )


def check(flow: Flow, tier: str | None = None):
    request = dataclasses.replace(payment_request(flow), tier=tier)
    return actions.check(flow.records, flow.wiz.policy, flow.wiz.today, request)


def print_checklist(
    wiz: Wizard, rules, *, only_failed: bool = False, notes: bool = True, lowest: bool = False
) -> None:
    """Every rule with its mark, name and message (render.print_checklist's content);
    under a failure what to do in the wizard, and with training notes on, the reason
    each rule exists."""

    def below(r):
        if r.failed and has(f"wiz.todo.{r.code}"):
            todo = f"wiz.todo.{r.code}"
            if lowest and has(todo + ".lowest"):  # no lower tier to advise
                todo += ".lowest"
            yield "→ " + t(todo), "yellow"
        if notes and wiz.session.explain and has(f"explain.rule.{r.code}"):
            yield t(f"explain.rule.{r.code}"), "magenta"

    grid = render.checklist(rules, only_failed=only_failed, cell=ui.para, below=below)
    out = wiz.out
    # Under it come the verdict and the next question (about six lines): a list taller
    # than what is left is shown a screenful at a time, each read before it scrolls away.
    if len(out.render_lines(grid, out.options, pad=False)) > max(out.height - 8, 8):
        ui.paged(out, grid, wiz.ask.pause)
        return
    out.print(grid)


def run_check(flow: Flow) -> Any:
    wiz = flow.wiz
    if flow.checked:
        flow.reload()  # a re-run reads the records again: a credit made meanwhile counts
    flow.checked = True
    result = check(flow)
    print_checklist(wiz, result.rules)
    if result.passed:
        ui.done(wiz.out, t("check.passed"))
        return True
    if [r.code for r in result.failures] == ["WAITING_PAST_YEAR"] and (
        result.case.province.waiting.past_year_end.value == "confirm"
    ):
        # Not a refusal: the trainee must say, in so many words, that it buys no cover.
        year = result.case.year
        answer = wiz.ask.select(
            t("wiz.pay.no_cover.ask", year=year),
            [
                (t("wiz.pay.no_cover.yes", year=year), True),
                (t("wiz.pay.no_cover.no"), Goto("region")),
            ],
        )
        if answer is True:
            flow.answers["accept_no_cover"] = True
            ui.done(wiz.out, t("check.passed"))
        return answer
    answer = refused(flow, result.failures, render.verdict(result), t("wiz.check.nothing_paid"))
    if answer is QUIT:
        flow.answers["check"] = False
        flow.exit_code = 1
    return answer


def refused(flow: Flow, failures, verdict: str, nothing_done: str | None, changes=None) -> Any:
    """A check that refused (payment, tax channel, return): the failing rules again by
    the summary when training notes pushed them up, what was refused, that nothing was
    done, and where to go from here (`changes`: the steps to change; by default where
    and for whom)."""
    wiz = flow.wiz
    if wiz.session.explain:  # the notes pushed the failure up: show it again by the summary
        print_checklist(wiz, failures, only_failed=True, notes=False)
    ui.problem(wiz.out, verdict)
    if nothing_done:
        ui.info(wiz.out, nothing_done)
    flow.refused = True  # leaving now is after a refusal: where to ask for help
    if changes is None:
        changes = [
            (t("wiz.check.change_where"), Goto("region")),
            (t("wiz.check.change_relative"), Goto("relative")),
        ]
    leave = t("wiz.check.home") if wiz.home else t("wiz.check.quit")
    return wiz.ask.select(t("wiz.check.next"), [*changes, (leave, QUIT)])


# -- 步骤 4: 险种当次信息 -------------------------------------------------------------


def ask_insurance(flow: Flow) -> Any:
    return flow.wiz.ask.select(
        t("wiz.pay.insurance.ask"),
        [(t(f"insurance.{INSURANCE}"), INSURANCE)],
        back=flow.back,
    )


def tier_title(tier, balance: int) -> str:
    title = t("wiz.pay.tier.choice", name=render.text(tier.name), amount=yuan(tier.fen))
    if tier.illustrative:
        title += t("wiz.illustrative")
    if tier.fen > balance:
        title += t("wiz.pay.tier.short", shortfall=yuan(tier.fen - balance))
    return title


def ask_tier(flow: Flow) -> Any:
    wiz = flow.wiz
    case = check(flow).case
    balance = case.payer.balance
    choices = [(tier_title(tier, balance), tier.id) for tier in case.tiers]
    affordable = [tier.id for tier in case.tiers if tier.fen <= balance]
    default = flow.answers.get("tier") or (affordable[0] if affordable else None)
    if any(tier.illustrative for tier in case.tiers):
        ui.info(wiz.out, t("wiz.pay.tier.illustrative_note"))
    while True:
        answer = wiz.ask.select(t("wiz.pay.tier.ask"), choices, default=default, back=flow.back)
        if answer is BACK:
            return BACK
        verdict = check(flow, answer)
        if verdict.passed:
            return answer
        lowest = verdict.case.tier is not None and verdict.case.tier.fen == min(
            tier.fen for tier in verdict.case.tiers
        )
        print_checklist(wiz, verdict.rules, only_failed=True, lowest=lowest)
        default = answer


def parse_tier(flow: Flow, raw: str) -> str:
    from famcov.errors import refusal

    verdict = check(flow, raw)
    failures = [r.as_error() for r in verdict.failures]
    if failures:
        raise refusal(failures)
    return verdict.case.tier.id


# -- 步骤 5: review and submit -------------------------------------------------------


def summary(flow: Flow):
    """The review screen: every field the receipt will show, before anything is paid."""
    from rich.panel import Panel
    from rich.table import Table

    wiz, a = flow.wiz, flow.answers
    case = check(flow, a["tier"]).case
    tier, year_policy, payer, binding = case.tier, case.year_policy, case.payer, case.binding
    region = a["region"]
    window = year_policy.window_for(region.code)
    from famcov.domain.rules import case_terms

    found = case_terms(case)
    assert found is not None  # the check passed: the year has a policy
    in_window, benefits_from = found.in_window, found.benefits_from
    star = t("wiz.illustrative")
    relation = render.relation_name(binding.relation) if binding else "—"
    name = binding.name if binding else flow.records.known_name(a["relative"]) or ""
    if in_window and not found.months:
        benefits = t("wiz.review.in_window", date=benefits_from.isoformat())
    elif found.newborn or not found.months:
        benefits = t("bureau.review.newborn", date=benefits_from.isoformat())
    elif in_window:
        benefits = t("bureau.review.lapse", date=benefits_from.isoformat(), months=found.months)
    else:
        benefits = t("wiz.review.waiting", date=benefits_from.isoformat(), months=found.months)
    rows = [
        ("receipt.payer", f"{payer.name}  {mask(payer.id)}"),
        ("receipt.relative", f"{name}  {mask(a['relative'])}  ({relation})"),
        ("receipt.region", region_label(wiz.policy, region.code)),
        ("receipt.year", str(a["year"])),
        ("receipt.insurance", t(f"insurance.{INSURANCE}")),
        ("receipt.tier", render.text(tier.name) + (star if tier.illustrative else "")),
        ("receipt.amount", f"¥{yuan(tier.fen)}"),
        ("receipt.balance", f"¥{yuan(payer.balance)} → ¥{yuan(payer.balance - tier.fen)}"),
        (
            "wiz.review.window",
            f"{window.start} ~ {window.end}" + (star if window.illustrative else ""),
        ),
        ("receipt.benefits_from", benefits),
    ]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, value in rows:
        grid.add_row(ui.esc(t(key)), ui.esc(value))
    return Panel(
        grid,
        title=f"[bold]{ui.esc(t('wiz.review.title'))}[/]",
        border_style="cyan",
        expand=False,
    )


def review(flow: Flow) -> Any:
    wiz = flow.wiz
    wiz.out.print(summary(flow))
    ui.warn(wiz.out, t("note.no_second_payment"))
    ui.info(wiz.out, t("wiz.pay.tier.fixed"))
    choices: list[tuple[str, Any]] = [(t("wiz.review.submit"), True)]
    if not flow.at_start:
        # Tier and amount are fixed once validation passed: back means validating again.
        choices.append((t("wiz.review.revalidate"), Goto("region")))
    choices.append((t("wiz.review.cancel"), QUIT))
    return wiz.ask.select(t("wiz.review.ask"), choices)
