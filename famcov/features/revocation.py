"""撤销/退费: revoking a proxy payment (`famcov revoke`): the bureau's rules,
the use case, its JSON shape and view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from famcov import people
from famcov.domain.model import Payment, Worker
from famcov.domain.money import yuan
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.domain.rules import (
    REVOCATION_RULES,
    RevocationCase,
    RuleResult,
    not_revoked,
)
from famcov.errors import FamcovError, refusal
from famcov.features import cross_province, lookup, proxy_payment
from famcov.i18n import Msg, t
from famcov.output.render import bullet, console, json_view
from famcov.output.screen import success
from famcov.requests import (
    RevokeRequest,
)


def revocation_failures(
    records: Records, policy: Policy, today: dt.date, payment: Payment
) -> list[RuleResult]:
    """Why this payment may not be revoked today (empty: it may): already revoked, or
    the province's conditions (window, reconciliation, the payer's benefits, hours)."""
    ruling = not_revoked(payment)
    if ruling.failed:
        return [ruling]
    claims = records.state.claims
    used = [c.on for c in claims if c.id == payment.relative and c.year == payment.year]
    case = RevocationCase(
        payment, policy, today, records.worker(payment.payer), min(used, default=None)
    )
    return [r for r in REVOCATION_RULES(case) if r.failed]


def revocation_refusal(
    records: Records, policy: Policy, today: dt.date, payment: Payment
) -> FamcovError | None:
    failures = revocation_failures(records, policy, today, payment)
    if not failures:
        return None
    if len(failures) == 1 and failures[0].code == "ALREADY_REVOKED":
        return failures[0].as_error()
    return refusal([r.as_error() for r in failures], "error.REVOKE_REFUSED")


@dataclass
class Revoked:
    """A proxy payment revoked: the payment, its payer after the refund, and what the
    confirmation says (no repayment for that year here, where the money went)."""

    payment: Payment
    payer: Worker
    notes: list[Msg]


def revoke(records: Records, policy: Policy, today: dt.date, request: RevokeRequest) -> Revoked:
    payment = lookup.proxy_receipt(records, request.no)
    refused = revocation_refusal(records, policy, today, payment)
    if refused is not None:
        raise refused
    reason = request.reason
    worker = people.known_worker(records, payment.payer)
    spent = next(
        (
            e
            for e in records.ledger_by_account.get(worker.id, ())
            if e.kind == "payment" and e.ref == payment.no and e.quota
        ),
        None,
    )
    if spent is not None and cross_province.quota_open(records, worker.id, payment.relative):
        # back into the relative's quota, which still stands
        records.post(
            worker,
            "refund",
            payment.amount,
            today,
            ref=payment.no,
            quota=-spent.quota,
            relative=payment.relative,
        )
    else:
        records.post(worker, "refund", payment.amount, today, ref=payment.no)
    payment.status = "revoked"
    payment.revoked_on = today
    payment.revoke_reason = reason
    records.mark_revoked(payment)
    notes = [
        Msg("revoke.no_repay", {"year": payment.year}),
        Msg("note.revoke_refund"),
        Msg("note.revoke_unseen"),
    ]
    return Revoked(payment, worker, notes)


def revoked_payload(s, r: Revoked) -> dict[str, Any]:
    return {
        "receipt": proxy_payment.receipt_json(s, r.payment),
        "refund": yuan(r.payment.amount),
        "balance": yuan(r.payer.balance),
        "notes": [str(n) for n in r.notes],
    }


@json_view(revoked_payload)
def show_revoked(s, r: Revoked) -> None:
    p = r.payment
    success(t("revoke.done", no=p.no, amount=yuan(p.amount), balance=yuan(r.payer.balance)))
    out = console()
    for note in r.notes:
        bullet(out, str(note))
