"""Look-ups over a loaded State, each index built once, on first use.

Actions run one per process, so an index built before a change is only
reused for reading; every change goes through the methods here that keep
the touched indexes in step.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from famcov.domain.model import (
    Binding,
    EmployeeInsured,
    Enrolment,
    LedgerEntry,
    PaidElsewhere,
    Payment,
    State,
    Worker,
)


class Records:
    def __init__(self, state: State) -> None:
        self.state = state

    # -- indexes -------------------------------------------------------------

    @cached_property
    def workers(self) -> dict[str, Worker]:
        return {w.id: w for w in self.state.workers}

    @cached_property
    def enrolments(self) -> dict[str, list[Enrolment]]:
        index: dict[str, list[Enrolment]] = defaultdict(list)
        for e in self.state.enrolments:
            index[e.id].append(e)
        return index

    @cached_property
    def employees(self) -> dict[str, EmployeeInsured]:
        return {e.id: e for e in self.state.employees}

    @cached_property
    def paid_elsewhere(self) -> dict[tuple[str, int], PaidElsewhere]:
        return {(p.id, p.year): p for p in self.state.paid_elsewhere}

    @cached_property
    def bindings_by_payer(self) -> dict[str, list[Binding]]:
        index: dict[str, list[Binding]] = defaultdict(list)
        for b in self.state.bindings:
            index[b.payer].append(b)
        return index

    @cached_property
    def payments_by_no(self) -> dict[str, Payment]:
        return {p.no: p for p in self.state.payments}

    @cached_property
    def paid_by_relative_year(self) -> dict[tuple[str, int], Payment]:
        return {(p.relative, p.year): p for p in self.state.payments if p.status == "paid"}

    @cached_property
    def ledger_by_account(self) -> dict[str, list[LedgerEntry]]:
        index: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in self.state.ledger:
            index[entry.account].append(entry)
        return index

    @cached_property
    def names(self) -> dict[str, str]:
        """Every name the records hold for an ID (workers, enrolments, employees)."""
        names: dict[str, str] = {}
        for e in self.state.enrolments:
            names[e.id] = e.name
        for e in self.state.employees:
            names[e.id] = e.name
        for w in self.state.workers:
            names[w.id] = w.name
        return names

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

    def ledger_sum(self, account: str) -> int:
        return sum(e.amount for e in self.ledger_by_account.get(account, ()))

    def is_known(self, person_id: str) -> bool:
        return person_id in self.names

    # -- changes -------------------------------------------------------------

    def _next_seq(self) -> int:
        seq = self.state.next_seq
        self.state.next_seq = seq + 1
        return seq

    def add_worker(self, worker: Worker) -> None:
        self.state.workers.append(worker)
        self.workers[worker.id] = worker
        self.names[worker.id] = worker.name

    def add_enrolment(self, enrolment: Enrolment) -> None:
        self.state.enrolments.append(enrolment)
        self.enrolments[enrolment.id].append(enrolment)
        self.names.setdefault(enrolment.id, enrolment.name)

    def add_employee(self, employee: EmployeeInsured) -> None:
        self.state.employees.append(employee)
        self.employees[employee.id] = employee
        self.names.setdefault(employee.id, employee.name)

    def add_paid_elsewhere(self, record: PaidElsewhere) -> None:
        self.state.paid_elsewhere.append(record)
        self.paid_elsewhere[(record.id, record.year)] = record

    def add_binding(self, binding: Binding) -> None:
        self.state.bindings.append(binding)
        self.bindings_by_payer[binding.payer].append(binding)

    def post(
        self, worker: Worker, kind: str, amount: int, on, ref: str | None = None
    ) -> LedgerEntry:
        """Move money: a ledger entry, and the worker's balance kept equal to the ledger."""
        entry = LedgerEntry(
            seq=self._next_seq(), account=worker.id, kind=kind, amount=amount, on=on, ref=ref
        )
        self.state.ledger.append(entry)
        self.ledger_by_account[worker.id].append(entry)
        worker.balance += amount
        return entry

    def next_receipt_no(self, on) -> str:
        number = self.state.next_receipt
        self.state.next_receipt = number + 1
        return f"DJ{on:%Y%m%d}{number:04d}"

    def add_payment(self, payment: Payment) -> None:
        self.state.payments.append(payment)
        self.payments_by_no[payment.no] = payment
        self.paid_by_relative_year[(payment.relative, payment.year)] = payment

    def mark_revoked(self, payment: Payment) -> None:
        self.paid_by_relative_year.pop((payment.relative, payment.year), None)
