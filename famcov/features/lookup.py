"""查询 and 个人账户明细: payments, a receipt again, the account's ledger
(`famcov payments`, `receipt`, `account`): use cases, JSON shapes, views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from famcov import people, values
from famcov.contract import person, region_json, worker_json
from famcov.domain.ids import mask
from famcov.domain.model import (
    LedgerEntry,
    PaidElsewhere,
    Payment,
    Worker,
)
from famcov.domain.money import yuan
from famcov.domain.records import Records
from famcov.domain.text import clipped
from famcov.errors import FamcovError
from famcov.i18n import t
from famcov.output.render import console, done, esc, json_view, relation_name
from famcov.output.screen import list_table, para

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
    payer_region: str | None = None  # the worker's: the province whose rules returned it
    region: str | None = None  # the premium's: as recorded, else the relative's enrolment


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
        payer_region=w.region if (w := records.worker(worker)) is not None else None,
        region=paid.region
        or next(
            (e.region for e in records.enrolments.get(paid.id, ()) if e.year == paid.year), None
        ),
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
        "UNKNOWN_RECEIPT",
        {"no": clipped(str(no).strip(), 30)},
        message_key="lookup.unknown_receipt",
    )


def find_payments(
    records: Records,
    *,
    payer: str | None = None,
    relative: str | None = None,
    year: int | None = None,
) -> list[Payment]:
    return [
        p
        for p in records.state.payments
        if (payer is None or p.payer == payer)
        and (relative is None or p.relative == relative)
        and (year is None or p.year == year)
    ]


def proxy_receipt(records: Records, no: str) -> Payment:
    payment = records.payments_by_no.get(values.receipt_no(no))
    if payment is None:
        raise FamcovError("UNKNOWN_RECEIPT", {"no": clipped(str(no).strip(), 30)})
    return payment


@dataclass
class Account:
    worker: Worker
    entries: list[LedgerEntry]


def account(records: Records, *, payer_id: str) -> Account:
    worker = people.known_worker(records, payer_id)
    return Account(worker, list(records.ledger_by_account.get(worker.id, ())))


def tax_entry_json(s, entry) -> dict[str, Any]:
    """A premium a worker paid for a relative through the tax channel (famcov.features.lookup):
    no number of famcov's; `return_no` once Hubei has returned it."""
    paid = entry.record
    return {
        "kind": "tax",
        "no": None,
        # the premium stays paid once Hubei returns it out of the account (`return_no`)
        "status": "paid",
        # who paid: the worker who ticked 是否代缴, or the relative in their own name
        "payer": person(paid.payer or paid.id, entry.payer_name),
        "relative": person(paid.id, entry.relative_name),
        "channel": paid.channel,
        "region": region_json(s.policy, paid.region) if paid.region else None,
        "year": paid.year,
        "tier": paid.tier,
        "amount": yuan(paid.amount) if paid.amount is not None else None,
        "paid_at": paid.recorded_on.isoformat(),
        "return_no": paid.return_no,
    }


def return_receipt_json(s, r) -> dict[str, Any]:
    """A return (先缴后返, FH…) found again (Return, above): what its receipt said."""
    from famcov.features import tax_return

    paid = r.paid
    province = s.policy.province_of(r.payer_region) if r.payer_region else None
    channel = s.policy.return_channel(province)
    notes = tax_return.return_notes(paid.year, r.amount, province, channel)
    return {
        "kind": "return",
        "no": r.no,
        "status": "returned",
        "payer": person(r.payer, r.payer_name),
        "relative": person(r.relative, r.relative_name),
        "region": region_json(s.policy, r.region) if r.region else None,
        "year": paid.year,
        "tier": paid.tier,
        "amount": yuan(r.amount),
        "balance_before": yuan(r.balance_before),
        "balance_after": yuan(r.balance_after),
        "paid_at": r.returned_on.isoformat(),
        "returned_at": r.returned_on.isoformat(),
        "paid": {"channel": paid.channel, "recorded_on": paid.recorded_on.isoformat()},
        "notes": [str(n) for n in notes],
    }


def record_json(s, entry) -> dict[str, Any]:
    """One line of 代缴信息查询 (Entry, above), by its kind."""
    from famcov.features import proxy_payment  # its rules load with a receipt, not a ledger

    if entry.kind == "proxy":
        return proxy_payment.receipt_json(s, entry.record)
    if entry.kind == "return":
        return return_receipt_json(s, entry.record)
    return tax_entry_json(s, entry)


def any_receipt_json(s, found) -> dict[str, Any]:
    """`famcov receipt NO`: a proxy payment's receipt or a return's."""
    from famcov.features import proxy_payment

    return (
        return_receipt_json(s, found)
        if isinstance(found, Return)
        else proxy_payment.receipt_json(s, found)
    )


def ledger_json(e) -> dict[str, Any]:
    entry = {
        "seq": e.seq,
        "date": e.on.isoformat(),
        "kind": e.kind,
        "amount": yuan(e.amount),
        "ref": e.ref,
    }
    if e.quota or e.relative:  # a cross-province quota entry (the 2026 what-if)
        entry["quota"] = yuan(e.quota)
        entry["relative"] = {"id": mask(e.relative)} if e.relative else None
    return entry


def receipt_payload(s, p, *, fresh: bool) -> dict[str, Any]:
    data = any_receipt_json(s, p)
    return {"receipt": data}


def receipt_exported_payload(s, data: dict[str, Any], file) -> dict[str, Any]:
    return {"receipt": data, "export": {"path": str(file), "format": file.suffix.lower()[1:]}}


def payments_payload(s, found, *, hint: bool = True) -> dict[str, Any]:
    """Proxy payments, tax-channel payments and returns (Entry, above), by kind."""
    return {"payments": [record_json(s, e) for e in found]}


def account_payload(s, result) -> dict[str, Any]:
    w = result.worker
    running, entries = 0, []
    for e in result.entries:
        running += e.amount
        entries.append({**ledger_json(e), "balance_after": yuan(running)})
    reserved = sum(e.quota for e in result.entries)
    return {
        "payer": worker_json(s, w),
        "balance": yuan(w.balance),
        "reserved": yuan(reserved),
        "spendable": yuan(w.balance - reserved),
        "ledger": entries,
    }


@json_view(receipt_payload)
def show_receipt(s, p, *, fresh: bool) -> None:
    """A proxy payment's receipt, or a return's (Return, above)."""
    data = any_receipt_json(s, p)
    console().print(receipt_panel(data, fresh=fresh))


@json_view(receipt_exported_payload)
def show_receipt_exported(s, data: dict[str, Any], file) -> None:
    out = console()
    out.print(receipt_panel(data, fresh=False))
    done(t("receipt.exported", path=str(file)))


def receipt_title(data: dict[str, Any], *, fresh: bool = False) -> str:
    if data.get("kind") == "return":
        return t("receipt.title_return")
    return t("receipt.title_fresh" if fresh else "receipt.title")


def receipt_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """A receipt's lines as (label, value), in the run's language: the panel on screen,
    and the table of an exported page, draw the same lines."""
    status = t(f"status.{data['status']}")
    if data.get("revoked_at"):
        reason = t("reason." + (data.get("revoke_reason") or "other"))
        status = t("receipt.status_revoked", status=status, date=data["revoked_at"], reason=reason)
    region = data.get("region")
    where = f"{region['name']} {region['code']}" if region else "—"
    if data.get("kind") == "return":
        return [
            (t("receipt.no"), data["no"]),
            (t("receipt.status"), status),
            (t("receipt.payer"), f"{data['payer']['name']}  {data['payer']['id']}"),
            (t("receipt.relative"), f"{data['relative']['name']}  {data['relative']['id']}"),
            (t("receipt.region"), where),
            (t("receipt.year"), str(data["year"])),
            (t("receipt.return_amount"), f"¥{data['amount']}"),
            (t("receipt.balance"), f"¥{data['balance_before']} → ¥{data['balance_after']}"),
            (t("receipt.returned_at"), data["returned_at"]),
            (
                t("receipt.paid_by_tax"),
                t("receipt.paid_by_tax.value", date=data["paid"]["recorded_on"]),
            ),
        ]
    return [
        (t("receipt.no"), data["no"]),
        (t("receipt.status"), status),
        (t("receipt.payer"), f"{data['payer']['name']}  {data['payer']['id']}"),
        (
            t("receipt.relative"),
            t(
                "receipt.relative.value",
                name=data["relative"]["name"],
                id=data["relative"]["id"],
                relation=relation_name(data["relation"]),
            ),
        ),
        (t("receipt.region"), where),
        (t("receipt.year"), str(data["year"])),
        (t("receipt.insurance"), data["insurance"]),
        (t("receipt.tier"), data["tier_name"]),
        (t("receipt.amount"), f"¥{data['amount']}"),
        (t("receipt.balance"), f"¥{data['balance_before']} → ¥{data['balance_after']}"),
        (t("receipt.paid_at"), data["paid_at"]),
        (
            t("receipt.benefits_from"),
            (
                (t("bureau.review.from_birth") if data.get("from_birth") else data["benefits_from"])
                + "  "
                + t("receipt.in_window" if data["in_window"] else "receipt.out_window")
            )
            if data["status"] == "paid"
            else t("receipt.no_benefits"),
        ),
    ]


def receipt_panel(data: dict[str, Any], *, fresh: bool, with_notes: bool = True):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    rows = receipt_rows(data)
    from rich.markup import escape

    for label, value in rows:
        grid.add_row(escape(label), escape(value))
    notes = Table.grid(padding=(0, 1))
    notes.add_column(no_wrap=True)
    notes.add_column()
    for note in data["notes"]:
        notes.add_row("•", escape(note))

    title = receipt_title(data, fresh=fresh)
    style = "yellow" if data["status"] == "revoked" else "green"
    if not notes.row_count or not with_notes:
        return Panel(grid, title=f"[bold]{title}[/]", border_style=style, expand=False)
    return Panel(
        Group(grid, "", notes), title=f"[bold]{title}[/]", border_style=style, expand=False
    )


@json_view(payments_payload)
def show_payments(s, found, *, hint: bool = True) -> None:
    """代缴信息查询: proxy payments, tax-channel payments and returns (Entry, above),
    oldest first, each with its kind. `hint`: the commands that show or revoke one (the
    wizard has its own menu instead)."""
    out = console()
    if not found:
        out.print(t("payments.none_any"))
        return
    table = list_table(t("payments.title"))
    rows = [(e, record_json(s, e)) for e in found]  # each record's JSON once
    statuses = [_status(data) for _, data in rows]
    for column in (
        "col.no",
        "col.date",
        "col.what",
        "col.payer",
        "col.relative",
        "col.region",
        "col.year",
        "col.amount",
        "col.state",
    ):
        names = column in ("col.payer", "col.relative")
        state = column == "col.state"
        table.add_column(
            t(column),
            justify="right" if column == "col.amount" else "left",
            # numbers, dates, places and kinds stay whole; a name or its header wraps
            # only when even its longest word would not fit (张小/雨, 被代缴/人 misread);
            # a status wraps between its words (已缴 /（已返还）, paid / (returned))
            no_wrap=not (names or state),
            min_width=_widest(found, column)
            if names
            else _widest_word(statuses)
            if state
            else None,
        )
    for (e, data), status in zip(rows, statuses, strict=True):
        region = data.get("region")
        table.add_row(
            data["no"] or t("lookup.no_number"),
            e.on.isoformat(),
            t(f"kind.{e.kind}"),
            esc(e.payer_name),
            esc(e.relative_name),
            region["name"] if region else "—",
            str(data["year"]),
            data["amount"] or "—",
            status,
            style="dim" if data["status"] == "revoked" else None,
        )
    out.print(table)
    if hint:  # revoking named only where a row can be revoked (a proxy payment standing)
        revocable = any(e.kind == "proxy" and data["status"] == "paid" for e, data in rows)
        out.print()
        out.print(para(t("payments.hint" if revocable else "payments.hint.receipt"), "dim"))


def _status(data) -> str:
    return t("status.paid_returned" if data.get("return_no") else f"status.{data['status']}")


def _widest_word(texts: list[str]) -> int:
    """The cells of the longest word of `texts` (split at spaces and before an opening
    full-width bracket, where a status may wrap)."""
    import re

    from rich.cells import cell_len

    return max((cell_len(w) for x in texts for w in re.split(r" |(?=（)", x) if w), default=0)


def _widest(found, column: str) -> int:
    """The cells of a name column's longest name or header word, at most 12."""
    from rich.cells import cell_len

    words = [w for w in t(column).split() if w]
    words += [e.payer_name if column == "col.payer" else e.relative_name for e in found]
    return min(max(cell_len(w) for w in words), 12)


@json_view(account_payload)
def show_account(s, result) -> None:
    w = result.worker
    from rich.table import Table

    out = console()
    table = Table(title=t("account.title", name=w.name, id=mask(w.id)), title_justify="left")
    for column in ("col.date", "col.kind", "col.amount", "col.balance", "col.ref"):
        table.add_column(
            t(column), justify="right" if column in ("col.amount", "col.balance") else "left"
        )
    running = 0
    for e in result.entries:
        running += e.amount
        colour = "red" if e.amount < 0 else "green"
        table.add_row(
            e.on.isoformat(),
            t(f"ledger.{e.kind}"),
            f"[{colour}]{yuan(e.amount)}[/]",
            yuan(running),
            e.ref or (t("ledger.quota", quota=yuan(e.quota)) if e.quota else ""),
        )
    out.print(table)
    out.print(
        t("account.balance", balance=yuan(w.balance), status=t(f"status.{w.status}")), style="bold"
    )
    reserved = sum(e.quota for e in result.entries)
    if reserved:
        out.print(
            t("account.reserved", reserved=yuan(reserved), spendable=yuan(w.balance - reserved))
        )
