"""The revocation rules (撤销): each reads the province's `revocation` parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from famcov.domain.model import Payment, Worker
from famcov.domain.policy import Policy
from famcov.domain.rules.core import RuleResult, Rules, illustrative_mark, judged, skipped


@dataclass
class RevocationCase:
    payment: Payment
    policy: Policy
    today: dt.date
    payer: Worker | None
    used_on: dt.date | None = None  # the first day the relative used the year's benefits

    @property
    def province(self):
        return self.policy.province_of(self.payment.region)


def revoke_in_window(case: RevocationCase) -> RuleResult:
    province = case.province
    if province is None or not province.revoke_in_window_only.value:
        return skipped("REVOKE_CLOSED")
    year_policy = case.policy.year_policy(case.payment.region, case.payment.year)
    window = year_policy.window_for(case.payment.region) if year_policy else None
    shown = f"{window.start} ~ {window.end}" if window else "—"
    return judged(
        "REVOKE_CLOSED",
        window is not None and case.today in window,
        no=case.payment.no,
        province=province.name,
        window=shown,
    )


def revoke_not_reconciled(case: RevocationCase) -> RuleResult:
    """Before 对账/清算: famcov takes a year's payments as reconciled once its open
    period has ended (the pack says whether this applies)."""
    province = case.province
    if province is None or not province.revocation.reconciled_after_open.value:
        return skipped("REVOKE_RECONCILED")
    year_policy = case.policy.year_policy(case.payment.region, case.payment.year)
    if year_policy is None:
        return skipped("REVOKE_RECONCILED")
    period = year_policy.open_for(case.payment.region)
    return judged(
        "REVOKE_RECONCILED",
        case.today <= period.end,
        no=case.payment.no,
        year=case.payment.year,
        date=period.end.isoformat(),
    )


def revoke_payer_active(case: RevocationCase) -> RuleResult:
    province = case.province
    if province is None or not province.revocation.payer_active.value or case.payer is None:
        return skipped("REVOKE_PAYER_ENDED")
    return judged(
        "REVOKE_PAYER_ENDED",
        case.payer.status == "active",
        name=case.payer.name,
        province=province.name,
    )


def revoke_not_too_soon(case: RevocationCase) -> RuleResult:
    """`min_hours` after paying: famcov keeps dates, not times, so the day of payment
    counts as inside the hours and a revocation waits until the next day."""
    province = case.province
    hours = province.revocation.min_hours.value if province is not None else 0
    if hours <= 0:
        return skipped("REVOKE_TOO_SOON")
    return judged(
        "REVOKE_TOO_SOON",
        case.today > case.payment.paid_on,
        hours=hours,
        date=case.payment.paid_on.isoformat(),
        province=province.name,
    )


def revoke_benefits_unused(case: RevocationCase) -> RuleResult:
    """Before the relative has used benefits of the year (已享受待遇): a claim on record
    on or before today ends any revocation, where the pack says so."""
    province = case.province
    if province is None or not province.revocation.benefits_unused.value:
        return skipped("REVOKE_BENEFITS_USED")
    used = case.used_on is not None and case.used_on <= case.today
    return judged(
        "REVOKE_BENEFITS_USED",
        not used,
        no=case.payment.no,
        year=case.payment.year,
        date=case.used_on.isoformat() if used and case.used_on else "",
        mark=illustrative_mark(province.revocation.benefits_unused),
    )


REVOCATION_RULES = Rules[RevocationCase](
    revoke_in_window,
    revoke_not_reconciled,
    revoke_payer_active,
    revoke_not_too_soon,
    revoke_benefits_unused,
)


def not_revoked(payment: Payment) -> RuleResult:
    """A payment is revoked once: the money went back the first time."""
    if payment.status != "revoked":
        return judged("ALREADY_REVOKED", True, no=payment.no)
    return judged("ALREADY_REVOKED", False, no=payment.no, date=str(payment.revoked_on))
