"""The tax channel and Hubei's pay-then-return, each in its own order.

税务渠道 (支付宝/微信 城市服务 → 社保 → 自然人缴纳社保费): 1 勾选“是否代缴” → 2 输入被代缴人
→ 3 险种、缴费年度 and the tax bureau's own checks → 4 档次和金额 → 5 支付. The worker pays
with their own money; a year already paid (by proxy or elsewhere) is refused as the
duplicate the receipts warn about.

先缴后返 (湖北医疗保障 → 家庭共济 → 返还申请): 1 被代缴人 → 2 年度 and every return rule →
3 提交. Every rule is `tax_return.tax_check`'s or `tax_return.return_check`'s; the change is
`tax_return.pay_by_tax` or `tax_return.claim_return` inside one transaction after the last prompt.
"""

from __future__ import annotations

from typing import Any

from famcov import people, requests, wizard
from famcov.domain.ids import mask
from famcov.domain.model import INSURANCE
from famcov.domain.money import yuan
from famcov.features import proxy_payment, tax_return
from famcov.i18n import lang, t
from famcov.wizard import steps as shared  # the steps every payment flow asks
from famcov.wizard import ui
from famcov.wizard.channel import say, show_step
from famcov.wizard.flow import Flow, Goto, Step, Wizard, new, payer_step
from famcov.wizard.ui import BACK, QUIT

TAX_STAGES = {
    1: "tax.wiz.stage.tick",
    2: "tax.wiz.stage.who",
    3: "tax.wiz.stage.where",
    4: "tax.wiz.stage.tier",
    5: "tax.wiz.stage.pay",
}
RETURN_STAGES = {
    1: "return.wiz.stage.who",
    2: "return.wiz.stage.check",
    3: "return.wiz.stage.submit",
}
TYPE_OTHER = "__type__"


def banner(wiz: Wizard, channel: Any, action: str) -> None:
    """Where this is done in the channel, and what its screen says."""
    show_step(wiz, channel, action)


def run_pay_tax(session, **given: Any) -> int:
    return pay_tax(new(session), **given)


def run_claim_return(session, **given: Any) -> int:
    return claim_return(new(session), **given)


# -- 税务渠道 ------------------------------------------------------------------------------


def pay_tax(wiz: Wizard, **given: Any) -> int:
    """The tax channel's own screens; 0 paid, 1 refused or left."""
    return 0 if paid_by_tax(wiz, **given) is not None else 1


def hubei(wiz: Wizard, **given: Any) -> int:
    """先缴后返 in its own order: pay through the tax channel first, then apply for the
    return in the province's app; either step can be taken alone from here."""
    from famcov.wizard.channel import walked

    channel = walked(wiz)  # the one the header names, chosen or the province's usual
    if channel is None or channel.funds != "pay-then-return":
        channel = wiz.policy.channel_of(funds="pay-then-return")
    ui.step_header(wiz.out, title="famcov", stage=None, total=0, name=t("return.wiz.menu"))
    wiz.explain("explain.return.menu")
    pay_where = channel.where("pay", lang()) if channel is not None else ""
    claim_where = channel.where("return", lang()) if channel is not None else ""
    choice = wiz.ask.select(
        t("return.wiz.menu.ask"),
        [
            (t("return.wiz.menu.pay", where=pay_where), "pay"),
            (t("return.wiz.menu.claim", where=claim_where), "claim"),
        ],
        back=t("wiz.back.menu") if wiz.home else t("wiz.back.cancel"),
    )
    if choice == "claim":
        return claim_return(wiz, payer=given.get("payer"), relative=given.get("relative"))
    if choice != "pay":
        return 1
    refused = _return_refused(wiz)
    if refused is not None:  # no return for this payer: own money would be spent for nothing
        shared.print_checklist(wiz, [refused])
        ui.warn(wiz.out, t("return.wiz.not_here"))
        wiz.ask.pause()  # read before the home menu pushes it away
        return 1
    record = paid_by_tax(wiz, channel=channel, **given)
    if record is None:
        return 1
    if record.return_no is None and _offers_return(wiz, record):
        waiting = _return_waits(wiz, record)
        if waiting is not None:  # the guide's days after paying: apply later, not now
            ui.info(wiz.out, str(waiting.message))
            wiz.ask.pause()
            return 0
        name = wiz.records().known_name(record.id) or ""
        now = wiz.ask.select(
            t("return.wiz.then", name=name, year=record.year),
            [(t("return.wiz.then.yes"), True), (t("return.wiz.then.later"), False)],
        )
        if now:
            return claim_return(wiz, payer=record.payer, relative=record.id, year=record.year)
    return 0


def _offers_return(wiz: Wizard, record) -> bool:
    """The payer's province returns a premium paid first (the account is the payer's)."""
    worker = wiz.records().worker(record.payer) if record.payer else None
    province = wiz.policy.province_of(worker.region) if worker is not None else None
    return wiz.policy.return_channel(province) is not None


def _return_waits(wiz: Wizard, record):
    """Right after paying: the RETURN_TOO_SOON rule's failure (when the return can be
    applied for), or None when it can be applied for now."""
    from famcov.domain import rules

    records = wiz.records()
    payer = records.worker(record.payer) if record.payer else None
    if payer is None:
        return None
    case = rules.ReturnCase(records, wiz.policy, wiz.today, payer, record.id, record.year)
    ruling = rules.return_waited(case)
    return ruling if ruling.failed else None


def _return_refused(wiz: Wizard):
    """Before step 1 of pay-then-return: the RETURN_NOT_OFFERED rule's failure when the
    payer's province returns nothing (a Sichuan worker on Hubei's channel), else None."""
    from famcov.domain import rules

    records = wiz.records()
    payer = records.worker(wiz.payer) if wiz.payer else None
    if payer is None:
        return None
    case = rules.ReturnCase(records, wiz.policy, wiz.today, payer, "", 0)
    ruling = rules.return_offered(case)
    return ruling if ruling.failed else None


def paid_by_tax(wiz: Wizard, *, channel: Any = None, **given: Any):
    """The tax channel's screens (`channel`'s pay step, else the tax channel paid with
    one's own money); the PaidElsewhere record, or None when refused or left."""
    flow = Flow(wiz, "tax.wiz.title", TAX_STAGES, given=given, notes="tax")
    banner(wiz, channel or wiz.policy.channel_of(kind="tax", funds="own-money"), "pay")
    steps = [
        payer_step(1),
        Step("tick", 1, ask_tick),
        Step("relative", 2, ask_tax_relative, parse_tax_relative),
        *shared.region_and_year(3),
        Step("check", 3, run_tax_check),
        Step("tier", 4, ask_tax_tier, parse_tax_tier),
        Step("review", 5, review_tax),
    ]
    if not flow.run(steps):
        if flow.refused:  # refused, not just left: where to ask
            say(wiz, t("channel.help.pay"))
        return None
    a = flow.answers
    no_cover = flow.given.get("accept_no_cover") or None  # --accept-no-cover
    request = requests.build(requests.PaymentRequest, a, accept_no_cover=no_cover)
    paid = wiz.save(tax_return.pay_by_tax, request)
    record, name, notes = paid.record, paid.name, paid.notes
    wizard.saved(wiz, "saved.tax", name=name, year=record.year)
    assert record.amount is not None  # a payment through the tax channel has its amount
    ui.done(
        wiz.out,
        t("tax.done", name=name, id=mask(record.id), year=record.year, amount=yuan(record.amount)),
    )
    for note in notes:  # folded under the note's text, not under the bullet
        ui.indented(wiz.out, " [dim]•[/]", str(note))
    wiz.ask.pause()
    return record


def ask_tick(flow: Flow) -> Any:
    """是否代缴: ticked, the premium is for someone else; unticked, for the worker, whose
    employee insurance needs no resident premium."""
    wiz = flow.wiz
    while True:
        answer = wiz.ask.select(
            t("tax.wiz.tick.ask"),
            [(t("tax.wiz.tick.yes"), True), (t("tax.wiz.tick.no"), False)],
            back=flow.back,
        )
        if answer is not False:
            return answer
        ui.warn(wiz.out, t("tax.wiz.tick.self"))


def _tax_people(flow: Flow) -> list[tuple[str, str]]:
    records, policy = flow.records, flow.wiz.policy
    payer = flow.answers["payer"]
    members = [b for b in records.bindings_by_payer.get(payer, ()) if b.active]
    return [(shared.member_title(records, policy, b), b.relative) for b in members]


def ask_tax_relative(flow: Flow) -> Any:
    wiz = flow.wiz
    choices = [*_tax_people(flow), (t("tax.wiz.relative.type"), TYPE_OTHER)]
    while True:
        answer = wiz.ask.select(
            t("tax.wiz.relative.ask"), choices, default=flow.answers.get("relative"), back=flow.back
        )
        if answer != TYPE_OTHER:
            return answer
        typed = wiz.ask.text(
            t("tax.wiz.relative.typed"), parse=lambda text: parse_tax_relative(flow, text)
        )
        if typed is not BACK:
            return typed


def parse_tax_relative(flow: Flow, raw: str) -> str:
    return people.tax_relative(flow.records, flow.answers["payer"], raw, flow.wiz.today)


def _tax_check(flow: Flow, tier: str | None = None):
    no_cover = flow.answers.get("accept_no_cover") or flow.given.get("accept_no_cover")
    answers = {**flow.answers, "tier": tier, "accept_no_cover": no_cover or None}
    request = requests.build(requests.PaymentRequest, answers)
    return tax_return.tax_check(flow.records, flow.wiz.policy, flow.wiz.today, request)


def run_tax_check(flow: Flow) -> Any:
    wiz = flow.wiz
    flow.reload()
    result = _tax_check(flow)
    shared.print_checklist(wiz, result.rules)
    if result.passed:
        ui.done(wiz.out, t("tax.wiz.check.passed"))
        return True
    confirmed = shared.no_cover_confirmed(flow, result)  # not a refusal: said in so many words
    if confirmed is True:
        ui.done(wiz.out, t("tax.wiz.check.passed"))
    if confirmed is not None:
        return confirmed
    return shared.refused(
        flow, result.failures, proxy_payment.verdict(result, by="tax"), t("tax.wiz.nothing_paid")
    )


def ask_tax_tier(flow: Flow) -> Any:
    wiz = flow.wiz
    case = _tax_check(flow).case
    choices = [(shared.tier_title(tier, 10**12), tier.id) for tier in case.tiers]
    return wiz.ask.select(
        t("tax.wiz.tier.ask", insurance=t(f"insurance.{INSURANCE}")),
        choices,
        default=flow.answers.get("tier"),
        back=flow.back,
    )


def parse_tax_tier(flow: Flow, raw: str) -> str:
    return shared.allowed_tier(_tax_check(flow, raw))


def review_tax(flow: Flow) -> Any:
    wiz, a = flow.wiz, flow.answers
    case = _tax_check(flow, a["tier"]).case
    name = flow.records.known_name(a["relative"]) or ""
    rows = [
        (t("tax.wiz.review.for"), f"{name}  {mask(a['relative'])}"),
        (t("receipt.region"), shared.region_label(wiz.policy, a["region"].code)),
        (t("receipt.year"), str(a["year"])),
        (t("receipt.insurance"), t(f"insurance.{INSURANCE}")),
        (t("receipt.amount"), f"¥{yuan(case.tier.fen)}"),
        (t("tax.wiz.review.money"), t("tax.wiz.review.own_money")),
    ]
    for label, value in rows:
        say(wiz, f"  {label}：{value}" if lang() == "zh" else f"  {label}: {value}")
    ui.warn(wiz.out, t("tax.wiz.review.once", year=a["year"]))  # own money: no proxy note
    return wiz.ask.select(
        t("tax.wiz.review.ask"),
        [(t("tax.wiz.review.pay"), True), (t("wiz.review.cancel"), QUIT)],
        back=flow.back,  # to the tier
    )


# -- 先缴后返: 返还申请 ---------------------------------------------------------------------


def parse_return_year(flow: Flow, raw: str) -> int:
    return requests.YEAR.parse_text(flow.wiz.session, raw)


def claim_return(wiz: Wizard, **given: Any) -> int:
    """Hubei's return application; 0 applied for, 1 refused or left."""
    from famcov.wizard.channel import current

    flow = Flow(wiz, "return.wiz.title", RETURN_STAGES, given=given, notes="return")
    channel = current(wiz)
    if channel is None or channel.step("return") is None:
        channel = wiz.policy.channel_of(funds="pay-then-return")
    banner(wiz, channel, "return")
    steps = [
        payer_step(1),
        Step("relative", 1, ask_return_relative, parse_tax_relative),
        Step("year", 2, ask_return_year, parse_return_year),
        Step("check", 2, run_return_check),
        Step("review", 3, review_return),
    ]
    if not flow.run(steps):
        if flow.refused:
            say(wiz, t("channel.help"))
        return 1
    a = flow.answers
    result = wiz.save(tax_return.claim_return, requests.build(requests.ReturnRequest, a))
    wizard.saved(
        wiz, "saved.return", no=result.no, name=result.relative_name, year=result.paid.year
    )
    ui.done(
        wiz.out,
        t(
            "return.done",
            amount=yuan(result.amount),
            payer=ui.esc(result.payer.name),
            no=result.no,
            before=yuan(result.balance_before),
            after=yuan(result.balance_after),
        ),
    )
    for note in result.notes:
        ui.indented(wiz.out, " [dim]•[/]", str(note))
    wiz.ask.pause()
    return 0


def ask_return_relative(flow: Flow) -> Any:
    wiz = flow.wiz
    choices = _tax_people(flow)
    if not choices:
        ui.warn(wiz.out, t("wiz.pay.no_members"))
        return QUIT
    return wiz.ask.select(
        t("return.wiz.relative.ask"), choices, default=flow.answers.get("relative"), back=flow.back
    )


def ask_return_year(flow: Flow) -> Any:
    """The years paid for this relative through the tax channel, with whether returned."""
    return flow.wiz.ask.select(
        t("return.wiz.year.ask"),
        _return_years(flow),
        default=flow.answers.get("year"),
        back=flow.back,
    )


def _return_years(flow: Flow) -> list[tuple[str, int]]:
    wiz, records = flow.wiz, flow.records
    relative = flow.answers["relative"]
    paid = sorted(
        (p for (rid, _), p in records.paid_elsewhere.items() if rid == relative),
        key=lambda p: p.year,
    )
    choices = []
    for p in paid:
        if p.return_no:
            status = t("return.wiz.year.returned", no=p.return_no)
        elif p.channel == "tax" and _paid_amount(flow, p.year) is not None:
            status = t("return.wiz.year.paid", amount=yuan(_paid_amount(flow, p.year) or 0))
        else:
            status = t(f"channel.{p.channel}")
        choices.append((t("return.wiz.year.choice", year=p.year, status=status), p.year))
    default_year = wiz.policy.default_year(records.worker(flow.answers["payer"]).region, wiz.today)
    if default_year not in {y for _, y in choices}:
        choices.append((t("return.wiz.year.none", year=default_year), default_year))
    return choices


def run_return_check(flow: Flow) -> Any:
    wiz, a = flow.wiz, flow.answers
    flow.reload()
    request = requests.build(requests.ReturnRequest, a)
    result = tax_return.return_check(flow.records, wiz.policy, wiz.today, request)
    shared.print_checklist(wiz, result.rules, purpose="return")
    if result.passed:
        ui.done(wiz.out, t("return.wiz.check.passed"))
        return True
    changes = [(t("wiz.check.change_relative"), Goto("relative"))]
    if len(_return_years(flow)) > 1:  # another year to choose: not the same one again
        changes.insert(0, (t("return.wiz.change_year"), Goto("year")))
    return shared.refused(
        flow, result.failures, t("return.wiz.refused"), None, changes, purpose="return"
    )


def _paid_amount(flow: Flow, year: int) -> int | None:
    """What the tax-channel payment for `year` was: as recorded, or (the relative paid
    herself, no amount kept) the tier of her enrolment — as the return rules read it."""
    from famcov.domain import rules

    payer = flow.records.worker(flow.answers["payer"])
    if payer is None:
        return None
    relative = flow.answers["relative"]
    return rules.ReturnCase(
        flow.records, flow.wiz.policy, flow.wiz.today, payer, relative, year
    ).amount


def review_return(flow: Flow) -> Any:
    wiz, a = flow.wiz, flow.answers
    payer = flow.records.worker(a["payer"])
    amount = _paid_amount(flow, a["year"]) or 0
    ui.info(
        wiz.out,
        t(
            "return.wiz.review",
            amount=yuan(amount),
            year=a["year"],
            before=yuan(payer.balance),
            after=yuan(payer.balance - amount),
        ),
    )
    return wiz.ask.select(
        t("return.wiz.review.ask"),
        [(t("return.wiz.review.submit"), True), (t("return.wiz.review.cancel"), QUIT)],
        back=flow.back,  # to the year
    )
