"""个人账户代缴申请: the pay wizard, in the Sichuan app's order.

步骤 1 确认代缴人与被代缴人 → 2 缴费区划和缴费年度 → 3 代缴信息校验 →
4 险种当次信息（险种、缴费档次和金额）→ 5 核对并提交 → 回执.

Every rule is `proxy_payment.check`'s; the payment is `proxy_payment.pay` inside one store
transaction opened after the last prompt.
"""

from __future__ import annotations

from typing import Any

import msgspec

from famcov import people, requests, wizard
from famcov.domain.ids import mask
from famcov.domain.model import INSURANCE
from famcov.domain.money import yuan
from famcov.domain.rules import birth_date
from famcov.features import proxy_payment
from famcov.i18n import t
from famcov.output import render
from famcov.wizard import ui
from famcov.wizard.channel import channel_banner, channel_help
from famcov.wizard.flow import Flow, Goto, Step, Wizard, payer_step
from famcov.wizard.steps import (
    allowed_tier,
    member_title,
    no_cover_confirmed,
    print_checklist,
    refused,
    region_and_year,
    region_label,
    tier_title,
)
from famcov.wizard.ui import BACK, QUIT

STAGES = {
    1: "wiz.pay.stage.who",
    2: "wiz.pay.stage.where",
    3: "wiz.pay.stage.check",
    4: "wiz.pay.stage.tier",
    5: "wiz.pay.stage.submit",
}
BIND_NEW = "__bind__"


def run(session, **given: Any) -> int:
    """`famcov pay` on a terminal: ask only for what the flags did not give."""
    from famcov.wizard.channel import walked
    from famcov.wizard.flow import new

    wiz = new(session)
    channel = walked(wiz)  # as the home menu: the channel the header names
    if channel is not None and channel.funds == "pay-then-return":
        from famcov.wizard.tax import hubei  # pay through the tax channel, then the return

        return hubei(wiz, **given)
    if channel is not None and channel.funds == "own-money":
        from famcov.wizard.tax import pay_tax  # 是否代缴: own money, not the account

        return pay_tax(wiz, **given)
    return pay(wiz, **given)


def pay(wiz: Wizard, **given: Any) -> int:
    """The whole flow; the exit code (0 paid, 1 refused or cancelled)."""
    if given.get("tier") is not None:
        given["insurance"] = INSURANCE
    flow = Flow(wiz, "wiz.pay.title", STAGES, given=given, notes="pay")
    channel_banner(wiz, ("pay", "return"))
    steps = [
        payer_step(1),
        Step("relative", 1, ask_relative, parse_relative),
        *region_and_year(2),
        Step("check", 3, run_check),
        Step("insurance", 4, ask_insurance, lambda f, raw: INSURANCE),
        Step("tier", 4, ask_tier, parse_tier),
        Step("review", 5, review),
    ]
    if not flow.run(steps):
        if flow.answers.get("check") is not False:
            ui.warn(wiz.out, t("wiz.pay.cancelled"))
        else:  # refused: where to ask for help
            channel_help(wiz)
        return flow.exit_code
    payment = wiz.save(proxy_payment.pay, payment_request(flow, channel=wiz.session.channel))
    wizard.saved(wiz, "saved.pay", no=payment.no, name=payment.relative_name, year=payment.year)
    from famcov.wizard.lookup import receipt_screen

    receipt_screen(wiz, payment, fresh=True)
    return 0


# -- 步骤 1: the relative ------------------------------------------------------------


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
    return people.find_relative(flow.records, flow.answers["payer"], raw, flow.wiz.today)


# -- 步骤 2: region and year ---------------------------------------------------------


# -- 步骤 3: 代缴信息校验 -------------------------------------------------------------


def payment_request(flow: Flow, **extra: Any) -> requests.PaymentRequest:
    """The payment the answers describe; --accept-no-cover given or confirmed counts."""
    no_cover = bool(flow.answers.get("accept_no_cover") or flow.given.get("accept_no_cover"))
    return requests.build(
        requests.PaymentRequest, flow.answers, accept_no_cover=no_cover or None, **extra
    )


def check(flow: Flow, tier: str | None = None):
    request = msgspec.structs.replace(payment_request(flow), tier=tier)
    return proxy_payment.check(flow.records, flow.wiz.policy, flow.wiz.today, request)


def run_check(flow: Flow) -> Any:
    wiz = flow.wiz
    if flow.checked:
        flow.reload()  # a re-run reads the records again: a credit made meanwhile counts
    flow.checked = True
    result = check(flow)
    lowest = result.case.tier_text is None  # no tier chosen yet: judged at the cheapest
    print_checklist(wiz, result.rules, lowest=lowest)
    if result.passed:
        ui.done(wiz.out, t("check.passed"))
        return True
    confirmed = no_cover_confirmed(flow, result)  # not a refusal: said in so many words
    if confirmed is True:
        ui.done(wiz.out, t("check.passed"))
    if confirmed is not None:
        return confirmed
    answer = refused(
        flow,
        result.failures,
        proxy_payment.verdict(result),
        t("wiz.check.nothing_paid"),
        lowest=lowest,
    )
    if answer is QUIT:
        flow.answers["check"] = False
        flow.exit_code = 1
    return answer


# -- 步骤 4: 险种当次信息 -------------------------------------------------------------


def ask_insurance(flow: Flow) -> Any:
    return flow.wiz.ask.select(
        t("wiz.pay.insurance.ask"),
        [(t(f"insurance.{INSURANCE}"), INSURANCE)],
        back=flow.back,
    )


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
    return allowed_tier(check(flow, raw))


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
    elif benefits_from == birth_date(a["relative"]):
        benefits = t("bureau.review.from_birth")  # the date would be the ID's hidden digits
    elif found.newborn or not found.months:
        benefits = t("bureau.review.newborn", date=benefits_from.isoformat())
    elif in_window:
        benefits = t("bureau.review.lapse", date=benefits_from.isoformat(), months=found.months)
    else:
        benefits = t("wiz.review.waiting", date=benefits_from.isoformat(), months=found.months)
    rows = [
        ("receipt.payer", f"{payer.name}  {mask(payer.id)}"),
        (
            "receipt.relative",
            t("receipt.relative.value", name=name, id=mask(a["relative"]), relation=relation),
        ),
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
