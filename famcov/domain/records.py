"""Look-ups over a loaded State, each index built once, on first use.

Actions run one per process, so an index built before a change is only
reused for reading; every change goes through the methods here that keep
the touched indexes in step.

The per-person lists (enrolments, bindings, ledger) are `Grouped`: a command
asks about one or two people, and finding them by a scan costs a tenth of
indexing 70,000 enrolments; only past a few people (an import) is the whole
list indexed.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from itertools import islice
from operator import attrgetter
from typing import Generic, TypeVar

from famcov.domain.model import (
    Binding,
    EmployeeInsured,
    Enrolment,
    LedgerEntry,
    LedgerKind,
    PaidElsewhere,
    Payment,
    State,
    Worker,
)

T = TypeVar("T")


class Grouped(Generic[T]):
    """`key -> the records with that key`, over one list of the state, in its order:
    `get(key, default)`, `key in`, and `[key]` (the list to add to, made if new),
    as a dict of lists answers. The first few keys are found by scanning the list;
    after that the whole list is indexed, once."""

    SCANS = 8

    def __init__(self, items: list[T], attr: str) -> None:
        self._items = items
        self._attr = attr
        self._groups: dict[str, list[T]] = {}
        self._indexed = False
        self._keys: list[str] = []  # each item's key, read once; the list only grows

    def _group(self, key: str, *, create: bool) -> list[T] | None:
        groups = self._groups
        if key in groups:
            return groups[key]
        if not self._indexed:
            if len(groups) < self.SCANS:
                group = groups[key] = self._scan(key)
                return group
            self._index()
            groups = self._groups
            if key in groups:
                return groups[key]
        if create:
            group = groups[key] = []
            return group
        return None

    def _read_keys(self) -> list[str]:
        items, keys = self._items, self._keys
        if len(keys) < len(items):
            keys.extend(map(attrgetter(self._attr), islice(items, len(keys), None)))
        return keys

    def _scan(self, key: str) -> list[T]:
        items, keys = self._items, self._read_keys()
        found, at = [], -1
        try:
            while True:
                at = keys.index(key, at + 1)  # compared in C: a third of a Python loop
                found.append(items[at])
        except ValueError:
            return found

    def _index(self) -> None:
        groups: dict[str, list[T]] = {}
        for key, item in zip(self._read_keys(), self._items, strict=True):
            group = groups.get(key)
            if group is None:
                groups[key] = [item]
            else:
                group.append(item)
        self._groups = groups
        self._indexed = True

    def get(self, key: str, default=None):
        group = self._group(key, create=False)
        return group if group else default

    def __contains__(self, key: object) -> bool:
        return bool(self._group(key, create=False))  # type: ignore[arg-type]

    def __getitem__(self, key: str) -> list[T]:
        group = self._group(key, create=True)
        assert group is not None
        return group


class KnownNames:
    """The name the records hold for an ID: a worker's, else an employee's, else
    that of the latest enrolment (every change checks that they agree)."""

    def __init__(self, records: Records) -> None:
        self._records = records

    def get(self, person_id: str, default: str | None = None) -> str | None:
        records = self._records
        holder: Worker | EmployeeInsured | Enrolment | None = records.workers.get(person_id)
        if holder is None:
            holder = records.employees.get(person_id)
        if holder is None:
            enrolled = records.enrolments.get(person_id)
            holder = enrolled[-1] if enrolled else None
        return default if holder is None else holder.name

    def __contains__(self, person_id: object) -> bool:
        return self.get(person_id) is not None  # type: ignore[arg-type]

    def __getitem__(self, person_id: str) -> str:
        name = self.get(person_id)
        if name is None:
            raise KeyError(person_id)
        return name


class Records:
    def __init__(self, state: State) -> None:
        self.state = state

    # -- indexes -------------------------------------------------------------

    @cached_property
    def workers(self) -> dict[str, Worker]:
        return {w.id: w for w in self.state.workers}

    @cached_property
    def enrolments(self) -> Grouped[Enrolment]:
        return Grouped(self.state.enrolments, "id")

    @cached_property
    def employees(self) -> dict[str, EmployeeInsured]:
        return {e.id: e for e in self.state.employees}

    @cached_property
    def paid_elsewhere(self) -> dict[tuple[str, int], PaidElsewhere]:
        return {(p.id, p.year): p for p in self.state.paid_elsewhere}

    @cached_property
    def bindings_by_payer(self) -> Grouped[Binding]:
        return Grouped(self.state.bindings, "payer")

    @cached_property
    def payments_by_no(self) -> dict[str, Payment]:
        return {p.no: p for p in self.state.payments}

    @cached_property
    def paid_by_relative_year(self) -> dict[tuple[str, int], Payment]:
        return {(p.relative, p.year): p for p in self.state.payments if p.status == "paid"}

    @cached_property
    def ledger_by_account(self) -> Grouped[LedgerEntry]:
        return Grouped(self.state.ledger, "account")

    @cached_property
    def names(self) -> KnownNames:
        """Every name the records hold for an ID (workers, enrolments, employees)."""
        return KnownNames(self)

    # -- questions -----------------------------------------------------------

    def worker(self, person_id: str) -> Worker | None:
        return self.workers.get(person_id)

    def known_name(self, person_id: str) -> str | None:
        return self.names.get(person_id)

    def active_binding(self, payer: str, relative: str) -> Binding | None:
        for b in self.bindings_by_payer.get(payer, ()):
            if b.relative == relative and b.active:
                return b
        return None

    def enrolment(self, person_id: str, region: str, year: int) -> Enrolment | None:
        for e in self.enrolments.get(person_id, ()):
            if e.region == region and e.year == year:
                return e
        return None

    def holds_employee_insurance(self, person_id: str) -> bool:
        return person_id in self.workers or person_id in self.employees

    def quota(self, account: str, relative: str | None = None) -> int:
        """The part of the account reserved as cross-province quota (for one relative)."""
        return sum(
            e.quota
            for e in self.ledger_by_account.get(account, ())
            if e.quota and (relative is None or e.relative == relative)
        )

    def spendable(self, worker: Worker) -> int:
        """What the worker may spend: the balance less every reserved quota."""
        return worker.balance - self.quota(worker.id)

    def ledger_sum(self, account: str) -> int:
        return sum(e.amount for e in self.ledger_by_account.get(account, ()))

    def is_known(self, person_id: str) -> bool:
        return person_id in self.names

    # -- changes -------------------------------------------------------------

    def _next_seq(self) -> int:
        seq = self.state.next_seq
        self.state.next_seq = seq + 1
        return seq

    # A list index is looked at before the state holds the new record: one built
    # (or scanned) afterwards would already hold it and get it twice.

    def add_worker(self, worker: Worker) -> None:
        self.state.workers.append(worker)
        self.workers[worker.id] = worker

    def add_enrolment(self, enrolment: Enrolment) -> None:
        group = self.enrolments[enrolment.id]
        self.state.enrolments.append(enrolment)
        group.append(enrolment)

    def add_employee(self, employee: EmployeeInsured) -> None:
        self.state.employees.append(employee)
        self.employees[employee.id] = employee

    def add_paid_elsewhere(self, record: PaidElsewhere) -> None:
        self.state.paid_elsewhere.append(record)
        self.paid_elsewhere[(record.id, record.year)] = record

    def add_binding(self, binding: Binding) -> None:
        group = self.bindings_by_payer[binding.payer]
        self.state.bindings.append(binding)
        group.append(binding)

    def post(
        self,
        worker: Worker,
        kind: LedgerKind,
        amount: int,
        on: dt.date,
        ref: str | None = None,
        *,
        quota: int = 0,
        relative: str | None = None,
    ) -> LedgerEntry:
        """Move money: a ledger entry, and the worker's balance kept equal to the ledger."""
        entry = LedgerEntry(
            seq=self._next_seq(),
            account=worker.id,
            kind=kind,
            amount=amount,
            on=on,
            ref=ref,
            quota=quota,
            relative=relative,
        )
        group = self.ledger_by_account[worker.id]
        self.state.ledger.append(entry)
        group.append(entry)
        worker.balance += amount
        return entry

    def next_receipt_no(self, on, prefix: str = "DJ") -> str:
        """The next number of the one counter every receipt takes its number from: DJ a
        proxy payment (代缴), FH a return (返还)."""
        number = self.state.next_receipt
        self.state.next_receipt = number + 1
        return f"{prefix}{on:%Y%m%d}{number:04d}"

    def add_payment(self, payment: Payment) -> None:
        self.state.payments.append(payment)
        self.payments_by_no[payment.no] = payment
        self.paid_by_relative_year[(payment.relative, payment.year)] = payment

    def mark_revoked(self, payment: Payment) -> None:
        self.paid_by_relative_year.pop((payment.relative, payment.year), None)
