"""先缴后返 (湖北): the return of a premium paid through the tax channel, out of the
worker's personal account; each rule reads the province's `returns` parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from famcov.domain.ids import mask
from famcov.domain.model import Binding, Worker
from famcov.domain.money import yuan
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.domain.rules import core  # the rules a return shares with a payment
from famcov.i18n import Msg


@dataclass
class ReturnCase:
    """A return application (个人账户支付城乡居民医保缴费申请): a relative's premium was
    paid through the tax channel in the relative's name — by the worker, the relative or
    anyone (the tax system does not know who held the phone) — and the worker asks for
    the amount to be paid out of the personal account to the worker's bank account."""

    records: Records
    policy: Policy
    today: dt.date
    payer: Worker
    relative: str
    year: int

    @property
    def paid(self):
        """The premium the records hold for the relative and year from another channel."""
        return self.records.paid_elsewhere.get((self.relative, self.year))

    @property
    def binding(self) -> Binding | None:
        return self.records.active_binding(self.payer.id, self.relative)

    @property
    def region(self) -> str | None:
        """Where the premium was paid: as recorded, or for a payment recorded without a
        region (the relative paid in her own name), the region she is enrolled in that
        year — the tax channel collects for her enrolment."""
        paid = self.paid
        if paid is None:
            return None
        return paid.region or next(
            (
                e.region
                for e in self.records.enrolments.get(self.relative, ())
                if e.year == self.year
            ),
            None,
        )

    @property
    def amount(self) -> int | None:
        """What was paid: as recorded, or for a payment recorded without an amount (the
        relative paid at the tax bureau), the cheapest tier of the region the relative
        is enrolled in that year."""
        paid = self.paid
        if paid is None:
            return None
        if paid.amount is not None:
            return paid.amount
        region = self.region
        year_policy = self.policy.year_policy(region, self.year) if region else None
        tiers = year_policy.tiers_for(region) if year_policy and region else []
        return min((t.fen for t in tiers), default=None)

    @property
    def province(self):
        """The payer's: the return comes out of the payer's personal account, under the
        rules of the province that keeps it."""
        return self.policy.province_of(self.payer.region)

    @property
    def return_channel(self):
        """The channel of the province that pays first and returns afterwards, if any."""
        return self.policy.return_channel(self.province)


def return_offered(case: ReturnCase) -> core.RuleResult:
    province = case.province
    return core.judged(
        "RETURN_NOT_OFFERED",
        case.return_channel is not None,
        province=province.name if province is not None else "—",
    )


def return_relative_bound(case: ReturnCase) -> core.RuleResult:
    return core.member_bound(case.records, case.payer.id, case.relative)


def return_paid_by_tax(case: ReturnCase) -> core.RuleResult:
    """The premium must have been paid through the tax channel — by anyone: the tax
    system records it in the relative's name. A proxy payment came out of the account
    already; a school, counter or bank payment is not returned."""
    paid = case.paid
    proxy = case.records.paid_by_relative_year.get((case.relative, case.year))
    if paid is None:
        hint = Msg("hint.return_proxy", {"no": proxy.no}) if proxy else Msg("hint.return_pay")
        return core.RuleResult("RETURN_NOT_PAID", "failed", {"year": case.year, "hint": hint})
    amount = case.amount
    if paid.channel != "tax" or amount is None:
        return core.RuleResult(
            "RETURN_NOT_PAID",
            "failed",
            {
                "year": case.year,
                "hint": Msg("hint.return_channel", {"channel": Msg(f"channel.{paid.channel}")}),
            },
        )
    by = (
        Msg("word.you")
        if paid.payer == case.payer.id
        else Msg("bureau.word.paid_by_other", {"id": mask(paid.payer)})
        if paid.payer
        else Msg("bureau.word.paid_by_relative")
    )
    return core.judged("RETURN_NOT_PAID", True, year=case.year, amount=yuan(amount), by=by)


def return_waited(case: ReturnCase) -> core.RuleResult:
    """The guide: apply only some days after the payment (Hubei: 5)."""
    paid, province = case.paid, case.province
    days = province.returns.wait_days.value if province is not None else 0
    if paid is None or paid.channel != "tax":
        return core.skipped("RETURN_TOO_SOON")
    if days <= 0:  # paid, but this province's pack sets no wait: said so, not "no payment"
        return core.RuleResult("RETURN_TOO_SOON", "skipped", {}, message_variant="no_wait")
    ready = paid.recorded_on + dt.timedelta(days=days)
    return core.judged(
        "RETURN_TOO_SOON",
        case.today >= ready,
        days=days,
        paid=paid.recorded_on.isoformat(),
        date=ready.isoformat(),
        mark=core.illustrative_mark(province.returns.wait_days) if province else "",
    )


def return_year_allowed(case: ReturnCase) -> core.RuleResult:
    """The guide: the current year and the next only."""
    province = case.province
    if province is None:
        return core.skipped("RETURN_YEAR_NOT_ALLOWED")
    ahead = province.returns.years_ahead.value
    first, last = case.today.year, case.today.year + ahead
    return core.judged(
        "RETURN_YEAR_NOT_ALLOWED",
        first <= case.year <= last,
        year=case.year,
        first=first,
        last=last,
        mark=core.illustrative_mark(province.returns.years_ahead),
    )


def return_not_claimed(case: ReturnCase) -> core.RuleResult:
    paid = case.paid
    if paid is None:
        return core.skipped("RETURN_ALREADY_CLAIMED")
    return core.judged(
        "RETURN_ALREADY_CLAIMED",
        paid.return_no is None,
        year=case.year,
        no=paid.return_no or "",
        date=str(paid.returned_on or ""),
    )


def return_balance_enough(case: ReturnCase) -> core.RuleResult:
    amount = case.amount
    if case.paid is None or amount is None:
        return core.skipped("INSUFFICIENT_BALANCE")
    balance = case.records.spendable(case.payer)
    ok = core.balance_covers(balance, amount, case.province)
    # not ok with an equal balance: the bureau wants more than the premium (余额应大于)
    equal = "bureau_return_equal" if balance == amount else "return_short"
    return core.RuleResult(
        "INSUFFICIENT_BALANCE",
        "passed" if ok else "failed",
        core.balance_params(balance, amount),
        message_variant="return_ok" if ok else equal,
    )


def return_same_province(case: ReturnCase) -> core.RuleResult:
    """Mutual aid stays inside the province: a premium paid for a region of another
    province is not returned out of this account (as a proxy payment would be refused)."""
    code, payer_province = case.region, case.province
    if code is None or payer_province is None:
        return core.skipped("CROSS_PROVINCE")
    region = case.policy.region(code)
    province = case.policy.province_of(code)
    params = {
        "region": region.name if region else code,
        "province": province.name if province else code,
        "payer_province": payer_province.name,
    }
    return core.RuleResult(
        "CROSS_PROVINCE", "passed" if province is payer_province else "failed", params
    )


RETURN_RULES = core.Rules[ReturnCase](
    return_offered,
    return_same_province,
    core.payer_active,
    return_relative_bound,
    return_paid_by_tax,
    return_waited,
    return_year_allowed,
    return_not_claimed,
    return_balance_enough,
)
