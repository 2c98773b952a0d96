"""The payment rules (信息校验) that `check`, `pay` and the wizard call, and the tax
channel's, which are the same rules but the family account's."""

from __future__ import annotations

from famcov.domain.ids import mask
from famcov.domain.money import yuan
from famcov.domain.rules.core import (
    PaymentCase,
    RuleResult,
    Rules,
    balance_covers,
    balance_params,
    illustrative_mark,
    judged,
    member_bound,
    payer_active,
    relation_name,
    skipped,
)
from famcov.domain.rules.person import birth_date
from famcov.domain.rules.quota import from_quota, same_province
from famcov.domain.rules.waiting import newborn_within, waiting_within_year
from famcov.i18n import Msg


def relative_bound(case: PaymentCase) -> RuleResult:
    return member_bound(case.records, case.payer.id, case.relative)


def relation_allowed(case: PaymentCase) -> RuleResult:
    binding, province = case.binding, case.payer_province
    if binding is None or province is None:
        return skipped("RELATION_NOT_ALLOWED")
    return judged(
        "RELATION_NOT_ALLOWED",
        province.allows(binding.relation),
        relation=relation_name(binding.relation),
        province=province.name,
    )


def relative_enrolled(case: PaymentCase) -> RuleResult:
    records = case.records
    if records.holds_employee_insurance(case.relative):
        return skipped("NOT_ENROLLED")
    if records.enrolment(case.relative, case.region.code, case.year) is not None:
        return judged("NOT_ENROLLED", True, region=case.region.name, year=case.year)
    elsewhere = [e for e in records.enrolments.get(case.relative, ()) if e.year == case.year]
    if elsewhere:
        other = case.policy.region(elsewhere[0].region)
        return RuleResult(
            "NOT_ENROLLED",
            "failed",
            {
                "region": case.region.name,
                "year": case.year,
                "hint": Msg(
                    "hint.enrolled_elsewhere",
                    {"region": other.name if other else elsewhere[0].region},
                ),
            },
        )
    return RuleResult(
        "NOT_ENROLLED",
        "failed",
        {
            "region": case.region.name,
            "year": case.year,
            "hint": Msg("hint.enrol_first", {"region": case.region.name}),
        },
    )


def relative_not_employee(case: PaymentCase) -> RuleResult:
    return judged(
        "RELATIVE_HAS_EMPLOYEE_INSURANCE", not case.records.holds_employee_insurance(case.relative)
    )


def year_open(case: PaymentCase) -> RuleResult:
    year_policy = case.year_policy
    if year_policy is None:
        return RuleResult(
            "YEAR_NOT_OPEN",
            "failed",
            {"year": case.year, "period": "—", "window": "—", "hint": Msg("hint.no_year")},
        )
    period = year_policy.open_for(case.region.code)
    shown = f"{period.start.isoformat()} ~ {period.end.isoformat()}"
    window = year_policy.window_for(case.region.code)
    hint = Msg("hint.not_yet_open" if case.today < period.start else "hint.year_closed")
    born = birth_date(case.relative)
    if (
        case.today not in period
        and case.today > period.end
        and born is not None
        and born.year == case.year
        and newborn_within(case.province, case.relative, case.today)
    ):
        # a newborn's 90 days may cross the year end: the birth year can still be paid
        days = case.province.waiting.newborn_days.value if case.province else 0
        return RuleResult(
            "YEAR_NOT_OPEN",
            "passed",
            {"year": case.year, "days": days},  # no birth date: a masked ID hides it
            message_variant="newborn",
        )
    return judged(
        "YEAR_NOT_OPEN",
        case.today in period,
        year=case.year,
        period=shown,
        window=f"{window.start.isoformat()} ~ {window.end.isoformat()}",
        hint=hint,
    )


def illustrative_read(case: PaymentCase) -> list[Msg]:
    """The 示意 values a check read (no public source confirms them): said beside the
    result, not only by `famcov policy`."""
    year_policy = case.year_policy
    if year_policy is None:
        return []
    read = []
    window = year_policy.window_for(case.region.code)
    if window.illustrative or year_policy.open.illustrative:
        read.append(Msg("bureau.read.window"))
    if year_policy.waiting_months.illustrative:
        read.append(Msg("bureau.read.waiting"))
    tiers = [case.tier] if case.tier is not None else case.tiers
    if any(t.illustrative for t in tiers):
        read.append(Msg("bureau.read.tiers"))
    if not read:
        return []
    return [Msg("bureau.read.illustrative", {"what": read})]


def tier_exists(case: PaymentCase) -> RuleResult:
    if case.year_policy is None:
        return skipped("UNKNOWN_TIER")
    # shown by name (个人缴费标准 400.00), which --tier accepts as well as the id
    choices = [Msg("word.tier_choice", {"name": t.name, "amount": yuan(t.fen)}) for t in case.tiers]
    if case.tier_text is None:
        return judged("UNKNOWN_TIER", bool(choices), tier="", choices=choices)
    return judged("UNKNOWN_TIER", case.tier is not None, tier=case.tier_text, choices=choices)


def not_already_paid(case: PaymentCase) -> RuleResult:
    paid = case.records.paid_by_relative_year.get((case.relative, case.year))
    if paid is None:
        return judged("ALREADY_PAID", True, year=case.year)
    by_self = paid.payer == case.payer.id
    return RuleResult(
        "ALREADY_PAID",
        "failed",
        {
            "year": case.year,
            "no": paid.no,
            "payer": Msg("word.you")
            if by_self
            else Msg("word.someone", {"name": paid.payer_name, "id": mask(paid.payer)}),
        },
    )


def not_paid_elsewhere(case: PaymentCase) -> RuleResult:
    record = case.records.paid_elsewhere.get((case.relative, case.year))
    if record is None:
        return judged("PAID_ELSEWHERE", True, year=case.year)
    return RuleResult(
        "PAID_ELSEWHERE", "failed", {"year": case.year, "channel": Msg(f"channel.{record.channel}")}
    )


def balance_enough(case: PaymentCase) -> RuleResult:
    amount = case.amount
    if amount is None:
        return skipped("INSUFFICIENT_BALANCE")
    province = case.province or case.payer_province
    days = province.revocation.refund_days.value if province is not None else 2
    if from_quota(case):
        quota = case.records.quota(case.payer.id, case.relative)
        return RuleResult(
            "INSUFFICIENT_BALANCE",
            "passed" if quota >= amount else "failed",
            {
                "quota": yuan(quota),
                "amount": yuan(amount),
                "shortfall": yuan(max(amount - quota, 0)),
                "days": days,
            },
            message_variant="quota_ok" if quota >= amount else "quota_short",
        )
    balance = case.records.spendable(case.payer)
    reserved = case.payer.balance - balance
    ok = balance_covers(balance, amount, province)
    if balance == amount and not ok:
        # 余额应大于…否则缴费将失败: an equal balance fails too (what is spendable, where
        # a quota is set aside)
        return RuleResult(
            "INSUFFICIENT_BALANCE",
            "failed",
            {
                "balance": yuan(balance),
                "amount": yuan(amount),
                "days": days,
                "reserved": yuan(reserved),
                "mark": illustrative_mark(province.balance_above_premium if province else None),
            },
            message_variant="reserved_equal" if reserved else "bureau_equal",
        )
    return RuleResult(
        "INSUFFICIENT_BALANCE",
        "passed" if ok else "failed",
        balance_params(balance, amount, days=days, reserved=yuan(reserved)),
        # with a quota set aside, the message says what is left to spend
        message_variant="" if not reserved else ("reserved_ok" if ok else "reserved_short"),
    )


PAYMENT_RULES = Rules[PaymentCase](
    payer_active,
    relative_bound,
    relation_allowed,
    same_province,
    relative_enrolled,
    relative_not_employee,
    year_open,
    tier_exists,
    not_already_paid,
    not_paid_elsewhere,
    balance_enough,
    waiting_within_year,
)


# -- the tax channel (自然人缴纳社保费, 是否代缴) ---------------------------------------------
# Anyone may pay a resident's premium there with their own money: no binding, no account.
# The tax bureau still knows whom it is for: an enrolment for the region and year, no
# employee insurance, an open year, a tier, and no payment for that year already —
# a year paid by proxy is the duplicate the receipts warn about.

ACCOUNT_RULES = (payer_active, relative_bound, relation_allowed, same_province, balance_enough)
# the payment rules but the account's
TAX_PAYMENT_RULES = Rules[PaymentCase](*(r for r in PAYMENT_RULES if r not in ACCOUNT_RULES))
