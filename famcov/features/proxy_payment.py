"""个人账户代缴申请: 代缴信息校验 and the payment (`famcov check`, `famcov pay`),
the receipt's notes, JSON shapes and views (the checklist, the receipt).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from famcov import people
from famcov.contract import person, region_json, text
from famcov.domain.ids import mask
from famcov.domain.model import (
    Payment,
)
from famcov.domain.money import yuan
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.domain.rules import (
    PAYMENT_RULES,
    PaymentCase,
    RuleResult,
    Terms,
    birth_date,
    case_terms,
    from_quota,
    illustrative_read,
)
from famcov.errors import FamcovError, refusal
from famcov.i18n import Msg, t
from famcov.output.render import console, esc, json_view
from famcov.requests import (
    PaymentRequest,
)


class Verdict:
    """Every rule of a check, passed, failed or skipped; passed when none failed."""

    rules: list[RuleResult]

    @property
    def passed(self) -> bool:
        return not any(r.failed for r in self.rules)

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.rules if r.failed]


@dataclass
class CheckResult(Verdict):
    case: PaymentCase
    rules: list[RuleResult]


def payment_case(
    records: Records, policy: Policy, today: dt.date, request: PaymentRequest
) -> PaymentCase:
    """What the payment rules (and the tax channel's) look at, for one request."""
    return PaymentCase(
        records=records,
        policy=policy,
        today=today,
        payer=people.known_worker(records, request.payer),
        relative=request.relative,
        region=request.region,
        year=request.year,
        tier_text=request.tier,
        accept_no_cover=request.accept_no_cover,
    )


def check(records: Records, policy: Policy, today: dt.date, request: PaymentRequest) -> CheckResult:
    case = payment_case(records, policy, today, request)
    return CheckResult(case, PAYMENT_RULES(case))


def pay(records: Records, policy: Policy, today: dt.date, request: PaymentRequest) -> Payment:
    region, relative, channel = request.region, request.relative, request.channel
    province = policy.province_of(region.code)
    if channel is not None:  # a channel the region's province does not offer is refused first
        pack = policy.find_channel(channel, province) if province else None
        if pack is not None and province is not None and pack.funds != "personal-account":
            # a channel that does not debit the account (Hubei's pay-first, the tax channel's
            # own money) takes no proxy payment: `famcov pay-tax` pays through it
            offered = [c.id for c in policy.channels(province) if c.funds == "personal-account"]
            raise FamcovError(
                "CHANNEL_NOT_ACCOUNT",
                {"channel": pack.id, "method": pack.method or pack.name, "choices": offered},
            )
        channel = pack.id if pack is not None else None
    else:  # the one chosen last, if this province offers it
        remembered = records.state.channel
        if province is not None and isinstance(remembered, str):
            # not a pay-first channel: a proxy payment is not Hubei's tax-then-return
            kept = {c.id for c in policy.channels(province) if c.funds == "personal-account"}
            channel = remembered if remembered in kept else None
    result = check(records, policy, today, request)
    if not result.passed:
        raise refusal([r.as_error() for r in result.failures])
    case = result.case
    chosen, year_policy, binding, payer = case.tier, case.year_policy, case.binding, case.payer
    assert chosen is not None and year_policy is not None and binding is not None
    window = year_policy.window_for(region.code)
    found = case_terms(case)
    assert found is not None
    in_window, benefits_from = found.in_window, found.benefits_from
    amount = chosen.fen
    no = records.next_receipt_no(today)
    before = payer.balance
    if from_quota(case):  # 跨省共济: out of the quota reserved for this relative
        records.post(payer, "payment", -amount, today, ref=no, quota=-amount, relative=relative)
    else:
        records.post(payer, "payment", -amount, today, ref=no)
    payment = Payment(
        no=no,
        payer=payer.id,
        payer_name=payer.name,
        relative=relative,
        relative_name=binding.name,
        relation=binding.relation,
        region=region.code,
        year=request.year,
        tier=chosen.id,
        amount=amount,
        balance_before=before,
        balance_after=payer.balance,
        paid_on=today,
        in_window=in_window,
        benefits_from=benefits_from,
        illustrative=bool(
            chosen.illustrative or year_policy.waiting_months.illustrative or window.illustrative
        ),
        waiting_months=found.months,
        gap_years=found.gap_years,
        channel=channel,
    )
    records.add_payment(payment)
    if channel is not None:
        records.state.channel = channel  # remembered for the next payment
    return payment


def paid_through(payment: Payment, policy: Policy):
    """The channel pack a payment went through: its own, else its province's usual one."""
    return policy.channel_for(payment.region, payment.channel)


def look_up_note(payment: Payment, policy: Policy, province) -> Msg:
    """Where to look the payment up: the menus of the channel it was paid through."""
    from famcov.policy import Text

    channel = paid_through(payment, policy)
    if channel is None or channel.modelled:
        return Msg("note.look_up", {"no": payment.no, "app": province.app if province else ""})
    where = Text(zh=channel.where("query", "zh"), en=channel.where("query", "en"))
    return Msg("channel.note.look_up", {"no": payment.no, "where": where})


def channel_notes(payment: Payment, policy: Policy) -> list[Msg]:
    """What the channel a payment went through adds: the tax channel's 是否代缴, the two
    apps of a bind-here-pay-there channel, the return of a pay-first channel."""
    from famcov.policy import Text

    channel = paid_through(payment, policy)
    if channel is None or payment.channel is None:
        return []

    def where(action: str) -> Text:
        return Text(zh=channel.where(action, "zh"), en=channel.where(action, "en"))

    if channel.funds == "pay-then-return":
        return [Msg("channel.note.return", {"pay": where("pay"), "claim": where("return")})]
    if channel.kind == "two-app":
        return [Msg("channel.note.two_app", {"bind": where("bind"), "pay": where("pay")})]
    if channel.kind == "tax":
        return [Msg("channel.note.tax", {"pay": where("pay")})]
    if channel.kind == "counter":
        return [
            Msg(
                "channel.note.counter",
                {
                    "items": Text(
                        zh="；".join(b.zh for b in channel.bring),
                        en="; ".join(b.en for b in channel.bring),
                    )
                },
            )
        ]
    return [Msg("channel.note.paid_in", {"pay": where("pay")})]


def method_note(channel: Any) -> list[Msg]:
    """The payment method of the channel, as its screen says it (支付方式)."""
    if channel is None or channel.method is None:
        return []
    return [Msg("bureau.note.method", {"channel": channel.name, "method": channel.method})]


def benefit_notes(
    year: int, found: Terms, born: dt.date | None = None, province: Any = None
) -> list[Msg]:
    """When cover starts (国办发〔2024〕38号): inside the window, for someone continuously
    insured, 1 January; a lapse waits even inside the window; outside it after the
    waiting period; a newborn from birth within the pack's days, else from the payment
    date; and whether cover starts past the year's end."""
    date = found.benefits_from.isoformat()
    if found.newborn or (found.months == 0 and not found.in_window):
        from famcov.domain.rules import illustrative_mark

        days = province.waiting.newborn_days if province is not None else None
        mark = illustrative_mark(days)  # 示意 where the pack's 90 days are unsourced
        if born is not None and found.benefits_from == born:
            notes = [Msg("bureau.note.newborn_birth", {"date": date, "mark": mark})]
        elif found.benefits_from == dt.date(year, 1, 1):
            notes = [Msg("note.in_window", {"year": year, "date": date})]
        else:
            notes = [Msg("bureau.note.newborn_late", {"date": date, "mark": mark})]
    elif found.in_window and found.months == 0:
        return [Msg("note.in_window", {"year": year, "date": date})]
    elif found.in_window:
        notes = [Msg("bureau.note.lapse_in_window", {"months": found.months, "date": date})]
    else:
        notes = [Msg("note.waiting", {"months": found.months, "date": date})]
    if found.gap_years:
        notes.append(Msg("note.gap_years", {"gaps": found.gap_years}))
        notes.append(Msg("bureau.note.critical_reset"))
    if found.repaired:
        notes.append(Msg("bureau.note.repaired", {"repaired": found.repaired}))
    if found.past_year_end(year):
        notes.append(Msg("note.waiting_past_year", {"year": year}))
    return notes


def receipt_notes(payment: Payment, policy: Policy) -> list[Msg]:
    """The notes DOMAIN.md requires on every receipt, in the order a person needs them."""
    province = policy.province_of(payment.region)
    year_policy = policy.year_policy(payment.region, payment.year)
    look_up = look_up_note(payment, policy, province)
    if payment.status == "revoked":
        # A revoked payment buys nothing: no benefits, and the year may be paid again.
        return [
            Msg(
                "note.revoked",
                {
                    "date": str(payment.revoked_on),
                    "reason": Msg(f"reason.{payment.revoke_reason or 'other'}"),
                    "year": payment.year,
                },
            ),
            look_up,
        ]
    months = payment.waiting_months
    if months is None:  # paid before famcov kept the months on the payment
        months = year_policy.waiting_months.value if year_policy else 0
    notes = [Msg("note.no_second_payment")]
    repaired = 0
    if payment.gap_years and province is not None and year_policy is not None:
        # the months a lapse adds, less those the receipt shows: missed years paid back
        waiting = province.waiting
        added = (
            year_policy.waiting_months.value + payment.gap_years * waiting.per_gap_year_months.value
        )
        per_repair = waiting.repair_months_per_year.value
        if payment.gap_years >= waiting.repair_floor_after_years.value:
            per_repair = 0  # the floor may hide how many were paid back: say nothing
        repaired = min(max(added - months, 0) // per_repair, payment.gap_years) if per_repair else 0
    notes += benefit_notes(
        payment.year,
        Terms(
            payment.in_window, payment.benefits_from, months, payment.gap_years, repaired=repaired
        ),
        birth_date(payment.relative),
        province,
    )
    notes.append(Msg("note.per_person_year"))
    through = paid_through(payment, policy)
    if through is not None and through.funds != "personal-account" and province is not None:
        # a proxy payment came out of the account: the method of a channel that does so
        offered = policy.channels(province)
        through = next((c for c in offered if c.funds == "personal-account"), None)
    notes.extend(method_note(through))
    notes.extend(channel_notes(payment, policy))
    notes.append(look_up)
    notes.append(Msg("note.receipt_no"))
    if payment.illustrative:
        notes.append(Msg("note.illustrative"))
    return notes


def rule_json(r) -> dict[str, Any]:
    return {"code": r.code, "passed": r.passed, "status": r.status, "message": str(r.message)}


def tier_json(tier) -> dict[str, Any]:
    return {
        "id": tier.id,
        "name": text(tier.name),
        "amount": yuan(tier.fen),
        "illustrative": tier.illustrative,
    }


def receipt_json(s, p) -> dict[str, Any]:

    year_policy = s.policy.year_policy(p.region, p.year)
    tier = next((x for x in year_policy.tiers if x.id == p.tier), None) if year_policy else None
    return {
        "kind": "proxy",
        "no": p.no,
        "status": p.status,
        "payer": person(p.payer, p.payer_name),
        "relative": person(p.relative, p.relative_name),
        "relation": p.relation,
        "region": region_json(s.policy, p.region),
        "year": p.year,
        "insurance": t("insurance.resident-basic"),
        "tier": p.tier,
        "tier_name": text(tier.name) if tier else p.tier,
        "amount": yuan(p.amount),
        "balance_before": yuan(p.balance_before),
        "balance_after": yuan(p.balance_after),
        "paid_at": p.paid_on.isoformat(),
        "in_window": p.in_window,
        "benefits_from": p.benefits_from.isoformat(),
        # covered from birth: a receipt shows no date beside the masked ID (it is the
        # part of the ID the mask hides)
        "from_birth": p.benefits_from == birth_date(p.relative),
        "illustrative": p.illustrative,
        "revoked_at": p.revoked_on.isoformat() if p.revoked_on else None,
        "revoke_reason": p.revoke_reason,
        "notes": [str(n) for n in receipt_notes(p, s.policy)],
    }


def checked_payload(s, result) -> dict[str, Any]:
    case = result.case
    return {
        "passed": result.passed,
        "payer": person(case.payer.id, case.payer.name),
        "relative": {"id": mask(case.relative)},
        "region": region_json(s.policy, case.region.code),
        "year": case.year,
        "tiers": [tier_json(tier) for tier in case.tiers],
        "rules": [rule_json(r) for r in result.rules],
        "notes": [str(n) for n in illustrative_read(case)],
    }


@json_view(checked_payload)
def show_checked(s, result) -> None:
    print_checklist(console(), result.rules)
    console().print(esc(verdict(result)), style="bold green" if result.passed else "bold red")
    from famcov.domain.rules import illustrative_read

    for note in illustrative_read(result.case):  # 示意 where it is read, not only in policy
        console().print(esc(str(note)), style="dim")


def verdict(result, *, by: str = "check") -> str:
    """The check's summary: passed, or the failed rules by name (not only a count);
    `by`: whose check it is (`tax`: the tax channel's, not the app's 代缴信息校验)."""
    if result.passed:
        return t("check.passed")
    names = [t("rulename." + r.code) for r in result.failures]
    key = f"{by}.failed_rule" if len(names) == 1 else f"{by}.failed_rules"
    return t(key, names=names, count=len(names))


MARKS = {"passed": "[green]✓[/]", "failed": "[bold red]✗[/]", "skipped": "[dim]–[/]"}


def checklist(rules, *, only_failed: bool = False, cell=None, below=None):
    """The one checklist, for `check` and the wizard: every rule as a row (mark, rule
    name, what it found). `cell(text, style)` renders a message (the wizard's keeps
    quoted terms whole); `below(rule)` gives (text, style) lines under a rule, such as
    what to do in the wizard or a training note."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for r in rules:
        if only_failed and not r.failed:
            continue
        style = "dim" if r.status == "skipped" else ("red" if r.failed else "")
        message = cell(r.message, style) if cell else esc(r.message)
        grid.add_row(MARKS[r.status], t("rulename." + r.code), message, style=style or None)
        for line, line_style in below(r) if below else ():
            grid.add_row("", "", cell(line, line_style) if cell else esc(line), style=line_style)
    return grid


def print_checklist(out, rules) -> None:
    out.print(checklist(rules))
