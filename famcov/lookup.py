"""Every record famcov numbers, found again (查询): proxy payments (代缴, DJ…), premiums
paid through the tax channel (税务渠道, 是否代缴) and their returns (先缴后返, FH…).

`famcov payments` lists all three, each with its `kind`; `famcov receipt NO` shows a
proxy payment's receipt or a return's; the wizard's 代缴信息查询 and 查看回执 use the
same functions. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from famcov import values
from famcov.domain.model import PaidElsewhere, Payment
from famcov.domain.records import Records
from famcov.errors import FamcovError

KINDS = ("proxy", "tax", "return")


@dataclass(frozen=True)
class Return:
    """A return (先缴后返) as its receipt says it: the tax-channel payment it returned,
    and the payer's balance before and after the money came out of the account."""

    no: str
    paid: PaidElsewhere
    payer: str
    payer_name: str
    relative: str
    relative_name: str
    amount: int
    balance_before: int
    balance_after: int
    returned_on: dt.date


@dataclass(frozen=True)
class Entry:
    """One line of 代缴信息查询: a proxy payment, a tax-channel payment or a return."""

    kind: str  # proxy, tax or return
    on: dt.date
    record: Payment | PaidElsewhere | Return
    payer_name: str = ""
    relative_name: str = ""

    @property
    def no(self) -> str | None:
        r = self.record
        if isinstance(r, Payment | Return):
            return r.no
        return None  # the tax channel gives no number famcov keeps


def _name(records: Records, person: str | None) -> str:
    return (records.known_name(person) or "") if person else ""


def _return(records: Records, paid: PaidElsewhere) -> Return | None:
    """The return of a tax-channel payment, out of the account of the worker who applied
    (`returned_to`; in files from before it, the payer's), as its receipt said."""
    worker = paid.returned_to or paid.payer
    if paid.return_no is None or worker is None or paid.returned_on is None:
        return None
    before = after = 0
    running = 0
    amount = paid.amount or 0
    for entry in records.state.ledger:
        if entry.account != worker:
            continue
        if entry.ref == paid.return_no:
            before, after = running, running + entry.amount
            amount = -entry.amount  # what left the account (a relative's own payment
            # names no amount of its own)
        running += entry.amount
    return Return(
        no=paid.return_no,
        paid=paid,
        payer=worker,
        payer_name=_name(records, worker),
        relative=paid.id,
        relative_name=_name(records, paid.id),
        amount=amount,
        balance_before=before,
        balance_after=after,
        returned_on=paid.returned_on,
    )


def entries(
    records: Records,
    *,
    payer: str | None = None,
    relative: str | None = None,
    year: int | None = None,
) -> list[Entry]:
    """Everything 代缴信息查询 lists for these filters, oldest first: proxy payments,
    tax-channel payments a worker made for a relative, and the returns of those."""
    found: list[Entry] = []
    for p in records.state.payments:
        found.append(Entry("proxy", p.paid_on, p, p.payer_name, p.relative_name))
    for paid in records.state.paid_elsewhere:
        worker = paid.payer or paid.returned_to
        if paid.channel != "tax" or worker is None:
            continue  # a record of the bureau's that no worker here paid or had returned
        whom = _name(records, paid.id)
        # who paid: the worker who ticked 是否代缴, or the relative in their own name
        paid_by = _name(records, paid.payer) if paid.payer else whom
        found.append(Entry("tax", paid.recorded_on, paid, paid_by, whom))
        back = _return(records, paid)
        if back is not None:
            found.append(Entry("return", back.returned_on, back, back.payer_name, whom))

    def keep(e: Entry) -> bool:
        r = e.record
        who = (r.payer or r.returned_to) if isinstance(r, PaidElsewhere) else r.payer
        whom = r.id if isinstance(r, PaidElsewhere) else r.relative
        the_year = r.paid.year if isinstance(r, Return) else r.year
        return (
            (payer is None or who == payer)
            and (relative is None or whom == relative)
            and (year is None or the_year == year)
        )

    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted((e for e in found if keep(e)), key=lambda e: (e.on, order[e.kind]))


def receipt(records: Records, no: str) -> Payment | Return:
    """A proxy payment's receipt (DJ…) or a return's (FH…); UNKNOWN_RECEIPT otherwise."""
    wanted = values.receipt_no(no)
    payment = records.payments_by_no.get(wanted)
    if payment is not None:
        return payment
    for paid in records.state.paid_elsewhere:
        if paid.return_no == wanted:
            back = _return(records, paid)
            if back is not None:
                return back
    raise FamcovError(
        "UNKNOWN_RECEIPT", {"no": str(no).strip()[:30]}, message_key="lookup.unknown_receipt"
    )
