"""税务渠道 and 先缴后返: paying through the tax channel (`famcov pay-tax`) and
Hubei's return application (`famcov claim-return`): use cases, notes, shapes, views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from famcov import people
from famcov.contract import person, region_json
from famcov.domain.ids import mask
from famcov.domain.model import (
    PaidElsewhere,
    Worker,
)
from famcov.domain.money import yuan
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.domain.rules import (
    RETURN_RULES,
    TAX_PAYMENT_RULES,
    ReturnCase,
    RuleResult,
    birth_date,
    terms,
)
from famcov.errors import refusal
from famcov.features import proxy_payment
from famcov.i18n import Msg, t
from famcov.output.render import bullet, console, done, esc, json_view
from famcov.requests import (
    PaymentRequest,
    ReturnRequest,
)


def tax_channel(policy: Policy, province: Any) -> Any:
    """The province's tax channel paid with one's own money (是否代缴), else the shared one."""
    return policy.channel_of(kind="tax", funds="own-money", province=province)


def tax_check(
    records: Records, policy: Policy, today: dt.date, request: PaymentRequest
) -> proxy_payment.CheckResult:
    """The tax channel's own checks: whom it is for, the year, the tier, paid already."""
    case = proxy_payment.payment_case(records, policy, today, request)
    return proxy_payment.CheckResult(case, TAX_PAYMENT_RULES(case))


@dataclass
class TaxPaid:
    """A premium paid through the tax channel: the record, the relative's name and what
    the confirmation says of it."""

    record: PaidElsewhere
    name: str
    notes: list[Msg]


def pay_by_tax(
    records: Records, policy: Policy, today: dt.date, request: PaymentRequest
) -> TaxPaid:
    """支付宝/微信 城市服务 → 社保 → 自然人缴纳社保费, 是否代缴 ticked: the worker pays a
    relative's premium with their own money (not the personal account). Recorded as paid
    through the tax channel, with who paid and how much, so Hubei can return it."""
    result = tax_check(records, policy, today, request)
    if not result.passed:
        raise refusal([r.as_error() for r in result.failures])
    chosen = result.case.tier
    assert chosen is not None
    record = PaidElsewhere(
        id=request.relative,
        year=request.year,
        channel="tax",
        recorded_on=today,
        payer=request.payer,
        region=request.region.code,
        tier=chosen.id,
        amount=chosen.fen,
    )
    records.add_paid_elsewhere(record)
    name = records.known_name(record.id) or ""
    return TaxPaid(record, name, tax_notes(record, policy, records))


def tax_notes(record: PaidElsewhere, policy: Policy, records: Records) -> list[Msg]:
    """What a tax-channel payment's confirmation says: no second payment, when cover
    starts, where to look it up, and in a province that returns it, where to apply."""
    from famcov.policy import Text

    notes = [
        Msg("tax.note.paid", {"year": record.year}),
        Msg("tax.note.once", {"year": record.year}),
    ]
    province = policy.province_of(record.region) if record.region else None
    year_policy = policy.year_policy(record.region, record.year) if record.region else None
    if year_policy is not None and record.region:
        found = terms(
            province,
            year_policy,
            records,
            record.id,
            record.region,
            record.year,
            record.recorded_on,
        )
        notes += proxy_payment.benefit_notes(record.year, found, birth_date(record.id), province)
    tax = tax_channel(policy, province)
    notes.extend(proxy_payment.method_note(tax))
    if tax is not None:
        where = Text(zh=tax.where("query", "zh"), en=tax.where("query", "en"))
        notes.append(Msg("tax.note.look_up", {"where": where}))
    back = policy.return_channel(province)
    if back is not None:
        claim = Text(zh=back.where("return", "zh"), en=back.where("return", "en"))
        notes.append(Msg("tax.note.return", {"claim": claim, "year": record.year}))
    return notes


@dataclass
class ReturnCheck(proxy_payment.Verdict):
    case: ReturnCase
    rules: list[RuleResult]


@dataclass
class ReturnResult:
    """A return just made, as its receipt says it: the tax-channel payment it returned
    (`paid`: whose, which year, and since the return its receipt number and date), the
    money that left the worker's account and the balance before and after."""

    no: str
    paid: PaidElsewhere
    payer: Worker
    relative_name: str
    amount: int
    balance_before: int
    balance_after: int
    channel: Any = None  # the channel pack that returns it
    notes: list[Msg] = field(default_factory=list)


def return_check(
    records: Records, policy: Policy, today: dt.date, request: ReturnRequest
) -> ReturnCheck:
    payer = people.known_worker(records, request.payer)
    case = ReturnCase(
        records=records,
        policy=policy,
        today=today,
        payer=payer,
        relative=request.relative,
        year=request.year,
    )
    return ReturnCheck(case, RETURN_RULES(case))


def claim_return(
    records: Records, policy: Policy, today: dt.date, request: ReturnRequest
) -> ReturnResult:
    """Return a premium the worker paid through the tax channel out of their personal
    account: one `return` ledger entry, and the payment marked returned (once)."""
    result = return_check(records, policy, today, request)
    if not result.passed:
        raise refusal([r.as_error() for r in result.failures], "error.RETURN_REFUSED")
    case = result.case
    paid, payer, binding, amount = case.paid, case.payer, case.binding, case.amount
    assert paid is not None and amount is not None and binding is not None
    no = records.next_receipt_no(today, prefix="FH")
    before = payer.balance
    records.post(payer, "return", -amount, today, ref=no, relative=request.relative)
    paid.amount = amount  # a payment recorded without one: the amount returned
    paid.return_no = no
    paid.returned_on = today
    paid.returned_to = payer.id
    channel = case.return_channel
    claimed = ReturnResult(no, paid, payer, binding.name, amount, before, payer.balance, channel)
    claimed.notes = [Msg("return.note.once", {"year": paid.year})]
    claimed.notes += return_notes(paid.year, amount, case.province, channel)
    return claimed


def return_notes(year: int, amount: int, province: Any, channel: Any) -> list[Msg]:
    """What a return's receipt says, fresh or found again: where the money goes (the
    worker's own bank account), what if the transfer fails, the payment method, where
    to look it up, and that the premium stays paid."""
    from famcov.domain.rules import illustrative_mark
    from famcov.policy import Text

    notes: list[Msg] = []
    if province is not None and province.returns.to_bank.value:
        mark = illustrative_mark(province.returns.to_bank)
        notes.append(Msg("bureau.return.to_bank", {"amount": yuan(amount), "mark": mark}))
    if province is not None and province.returns.reapply.value:
        notes.append(
            Msg("bureau.return.reapply", {"mark": illustrative_mark(province.returns.reapply)})
        )
    notes.extend(proxy_payment.method_note(channel))
    if channel is not None:
        where = Text(zh=channel.where("query", "zh"), en=channel.where("query", "en"))
        notes.append(Msg("return.note.look_up", {"where": where}))
    notes.append(Msg("return.note.no_second_payment", {"year": year}))
    return notes


def choose_channel(records: Records, policy: Policy, *, province: str, channel: str) -> None:
    """Remember the province and the channel the wizard walks (first run, home menu)."""
    found = policy.find_province(province)
    records.state.province = found.code
    records.state.channel = policy.find_channel(channel, found).id


def paid_by_tax_json(s, record) -> dict[str, Any]:
    return {
        "id": mask(record.id),
        "year": record.year,
        "channel": record.channel,
        "recorded_on": record.recorded_on.isoformat(),
        "payer": mask(record.payer) if record.payer else None,
        "region": region_json(s.policy, record.region) if record.region else None,
        "tier": record.tier,
        "amount": yuan(record.amount) if record.amount is not None else None,
        "return_no": record.return_no,
    }


def return_json(s, r) -> dict[str, Any]:
    return {
        "no": r.no,
        "payer": person(r.payer.id, r.payer.name),
        "relative": person(r.paid.id, r.relative_name),
        "year": r.paid.year,
        "amount": yuan(r.amount),
        "balance_before": yuan(r.balance_before),
        "balance_after": yuan(r.balance_after),
        "returned_on": r.paid.returned_on.isoformat(),
        "paid": {
            "channel": r.paid.channel,
            "recorded_on": r.paid.recorded_on.isoformat(),
            "region": region_json(s.policy, r.paid.region) if r.paid.region else None,
            "tier": r.paid.tier,
        },
        "channel": r.channel.id if r.channel is not None else None,
        "notes": [str(n) for n in r.notes],
    }


def paid_by_tax_payload(s, paid: TaxPaid) -> dict[str, Any]:
    """A premium paid through the tax channel (是否代缴), with its notes."""
    lines = [str(n) for n in paid.notes]
    data = {**paid_by_tax_json(s, paid.record), "name": paid.name}
    return {"paid_elsewhere": data, "notes": lines}


def returned_payload(s, r) -> dict[str, Any]:
    """先缴后返: a return applied for."""
    data = return_json(s, r)
    return {"return": data}


@json_view(paid_by_tax_payload)
def show_paid_by_tax(s, paid: TaxPaid) -> None:
    """A premium paid through the tax channel (是否代缴), with its notes."""
    lines = [str(n) for n in paid.notes]
    record = paid.record
    done(
        t(
            "tax.done",
            name=paid.name,
            id=mask(record.id),
            year=record.year,
            amount=yuan(record.amount or 0),
        )
    )
    out = console()
    for note in lines:
        bullet(out, note)


@json_view(returned_payload)
def show_returned(s, r) -> None:
    """先缴后返: a return applied for."""
    data = return_json(s, r)
    done(
        t(
            "return.done",
            amount=yuan(r.amount),
            payer=esc(r.payer.name),
            no=r.no,
            before=yuan(r.balance_before),
            after=yuan(r.balance_after),
        )
    )
    out = console()
    for note in data["notes"]:
        bullet(out, note)
