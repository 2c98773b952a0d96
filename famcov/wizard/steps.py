"""Steps the payment-like flows share (the proxy payment, the tax channel, Hubei's
return) and the helpers the binding and lookup flows draw with: whom, where and which
year, the checklist, a refusal, a tier's title. Below every flow: no flow imports
another through it."""

from __future__ import annotations

from typing import Any

from famcov import requests
from famcov.domain.ids import mask
from famcov.domain.money import yuan
from famcov.features import proxy_payment
from famcov.i18n import has, t
from famcov.output import render
from famcov.wizard import ui
from famcov.wizard.flow import Flow, Goto, Step, Wizard
from famcov.wizard.ui import BACK, QUIT

OTHER_REGION = "__other__"


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


def region_and_year(stage: int) -> list[Step]:
    """Where and for which year a premium is paid, the same two questions in every
    channel, each with the flow's own training note (Flow.notes: explain.pay.region)."""
    return [
        Step("region", stage, ask_region, parse_region),
        Step("year", stage, ask_year, parse_year),
    ]


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
    if flow.region_for != flow.answers["relative"]:  # chosen for someone else: not theirs
        previous = None
    default = previous.code if previous is not None else default_region(flow)
    if default not in {code for _, code in choices}:
        choices.insert(-1, (region_label(policy, default), default))
    while True:
        answer = wiz.ask.select(t("wiz.pay.region.ask"), choices, default=default, back=flow.back)
        if answer is BACK:
            return BACK
        flow.region_for = flow.answers["relative"]
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
    relative, year = flow.answers["relative"], year_policy.year
    paid = flow.records.paid_by_relative_year.get((relative, year))
    if paid is not None:  # still offered: the check says why it cannot be paid twice
        status = t("wiz.pay.year.paid", no=paid.no)
    elif (relative, year) in flow.records.paid_elsewhere:
        status = t("wiz.pay.year.paid_elsewhere")
    elif today in period:
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


def print_checklist(
    wiz: Wizard,
    rules,
    *,
    only_failed: bool = False,
    notes: bool = True,
    lowest: bool = False,
    purpose: str = "",
) -> None:
    """Every rule with its mark, name and message (proxy_payment.print_checklist's content);
    under a failure what to do in the wizard (`purpose`: the flow's own words where they
    differ, e.g. `return`: come back to apply for the return, not to pay), and with
    training notes on, the reason each rule exists."""

    def below(r):
        if r.failed and has(f"wiz.todo.{r.code}"):
            todo = f"wiz.todo.{r.code}"
            if purpose and has(f"{todo}.{purpose}"):
                todo += f".{purpose}"
            if lowest and has(todo + ".lowest"):  # no lower tier to advise
                todo += ".lowest"
            yield "→ " + t(todo), "yellow"
        why = f"explain.rule.{r.code}"
        if purpose and has(f"{why}.{purpose}"):
            why += f".{purpose}"
        if notes and wiz.session.explain and has(why):
            yield t(why), "magenta"

    grid = proxy_payment.checklist(rules, only_failed=only_failed, cell=ui.para, below=below)
    out = wiz.out
    # Under it come the verdict and the next question (about six lines): a list taller
    # than what is left is shown a screenful at a time, each read before it scrolls away.
    if len(out.render_lines(grid, out.options, pad=False)) > max(out.height - 8, 8):
        if wiz.noted:  # the step's header and note above are read first: the list's
            wiz.ask.pause()  # first page would push them off a 24-line screen
        ui.paged(out, grid, wiz.ask.pause)
        return
    out.print(grid)


def no_cover_confirmed(flow: Flow, result) -> Any:
    """Where the one failure is a waiting period past the year's end and the pack asks for
    a confirmation (not a refusal), the trainee must say, in so many words, that the
    payment buys no cover that year, in any channel: True once said (the answer is
    kept as `accept_no_cover`), a Goto back to the region, or None where this does not
    apply."""
    if [r.code for r in result.failures] != ["WAITING_PAST_YEAR"] or (
        result.case.province.waiting.past_year_end.value != "confirm"
    ):
        return None
    year = result.case.year
    answer = flow.wiz.ask.select(
        t("wiz.pay.no_cover.ask", year=year),
        [
            (t("wiz.pay.no_cover.yes", year=year), True),
            (t("wiz.pay.no_cover.no"), Goto("region")),
        ],
    )
    if answer is True:
        flow.answers["accept_no_cover"] = True
    return answer


def refused(
    flow: Flow,
    failures,
    verdict: str,
    nothing_done: str | None,
    changes=None,
    **checklist: Any,
) -> Any:
    """A check that refused (payment, tax channel, return): the failing rules again by
    the summary when training notes pushed them up (`checklist`: print_checklist's
    purpose and lowest, as the list above had them), what was refused, that nothing was
    done, and where to go from here (`changes`: the steps to change; by default where
    and for whom)."""
    wiz = flow.wiz
    if wiz.session.explain:  # the notes pushed the failure up: show it again by the summary
        print_checklist(wiz, failures, only_failed=True, notes=False, **checklist)
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


def allowed_tier(verdict) -> str:
    """The tier a check at that tier passed; a refusal with its failed rules if not."""
    from famcov.errors import refusal

    failures = [r.as_error() for r in verdict.failures]
    if failures:
        raise refusal(failures)
    return verdict.case.tier.id


def tier_title(tier, balance: int) -> str:
    title = t("wiz.pay.tier.choice", name=render.text(tier.name), amount=yuan(tier.fen))
    if tier.illustrative:
        title += t("wiz.illustrative")
    if tier.fen > balance:
        title += t("wiz.pay.tier.short", shortfall=yuan(tier.fen - balance))
    return title
