"""跨省共济额度: the cross-province quota of the 2026 notice (a what-if pack)
(`famcov quota reserve|release`): use cases, JSON shape, view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from famcov import people
from famcov.contract import person
from famcov.domain.ids import mask
from famcov.domain.model import (
    Binding,
    LedgerEntry,
    Worker,
)
from famcov.domain.money import yuan
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.errors import FamcovError
from famcov.features import lookup
from famcov.i18n import t
from famcov.output.render import done, json_view
from famcov.requests import MemberRequest, QuotaRequest


def quota_open(records: Records, payer: str, relative: str) -> bool:
    """A quota relationship stands: the last reserve/release for the pair is a reserve."""
    last = None
    for e in records.ledger_by_account.get(payer, ()):
        if e.relative == relative and e.kind in ("reserve", "release"):
            last = e.kind
    return last == "reserve"


def release_quota(
    records: Records, payer_id: str, relative: str, today: dt.date
) -> LedgerEntry | None:
    """Give back what is left of a relative's quota: on request, on unbinding, or when
    either side's insurance moves to another 统筹地区 (nothing to do if none stands)."""
    worker = records.worker(payer_id)
    remaining = records.quota(payer_id, relative)
    if worker is None or not quota_open(records, payer_id, relative):
        return None
    return records.post(worker, "release", 0, today, quota=-remaining, relative=relative)


@dataclass
class QuotaResult:
    payer: Worker
    binding: Binding
    entry: LedgerEntry
    quota: int  # the relative's quota after the change
    spendable: int


def reserve(records: Records, policy: Policy, today: dt.date, request: QuotaRequest) -> QuotaResult:
    """Set a quota aside for a relative insured in another province (共济额度)."""
    payer, relative = people.known_worker(records, request.payer), request.relative
    amount = request.amount
    province = policy.province_of(payer.region)
    if province is None or province.scope.value != "cross-province-quota":
        raise FamcovError(
            "QUOTA_NOT_AVAILABLE", {"province": province.name if province else payer.region}
        )
    binding = people.bound_member(records, request.payer, request.relative)
    if binding.temporary:
        raise FamcovError("MEMBER_TEMPORARY", {"name": binding.name})
    spendable = records.spendable(payer)
    if amount > spendable:
        raise FamcovError(
            "INSUFFICIENT_BALANCE",
            {"balance": yuan(spendable), "amount": yuan(amount)},
            message_key="quota.too_much",
        )
    entry = records.post(payer, "reserve", 0, today, quota=amount, relative=relative)
    quota = records.quota(payer.id, relative)
    return QuotaResult(payer, binding, entry, quota, records.spendable(payer))


def release(
    records: Records, policy: Policy, today: dt.date, request: MemberRequest
) -> QuotaResult:
    payer, relative = people.known_worker(records, request.payer), request.relative
    binding = next(
        (
            b
            for b in reversed(records.bindings_by_payer.get(payer.id, ()))
            if b.relative == relative
        ),
        None,
    )
    entry = release_quota(records, payer.id, relative, today)
    if binding is None or entry is None:
        raise FamcovError("QUOTA_NONE", {"relative": mask(relative)})
    return QuotaResult(payer, binding, entry, 0, records.spendable(payer))


def quota_payload(s, result) -> dict[str, Any]:
    """跨省共济额度: a quota reserved or released."""
    b, e = result.binding, result.entry
    return {
        "entry": lookup.ledger_json(e),
        "relative": person(b.relative, b.name),
        "quota": yuan(result.quota),
        "balance": yuan(result.payer.balance),
        "spendable": yuan(result.spendable),
    }


@json_view(quota_payload)
def show_quota(s, result) -> None:
    """跨省共济额度: a quota reserved or released."""
    b, e = result.binding, result.entry
    key = "quota.reserved" if e.kind == "reserve" else "quota.released"
    done(
        t(
            key,
            name=b.name,
            id=mask(b.relative),
            amount=yuan(abs(e.quota)),
            quota=yuan(result.quota),
            spendable=yuan(result.spendable),
        )
    )
