"""`famcov doctor`: check the whole state file and say what is wrong with it.

It reads the file the way a reader does (no lock: every save is one rename) but
without the ledger check `Store.load()` makes, so that it can report every
problem instead of stopping at the first. It never writes.

What it checks, each problem with a stable code (docs/guarantees.md lists them):

- the file: it decodes, its schema is known, it is a regular file, not a
  symbolic link, mode 0600, its lock file is no link, its folder is not
  writable by everyone without the sticky bit;
- the money: every account's balance is the sum of its ledger; every ledger
  entry belongs to a known account, has a unique sequence number below the
  counter and the sign of its kind; a payment or refund entry names a receipt;
- the receipts: numbers are unique and below the counter; each paid receipt
  has exactly one payment entry of its amount, a revoked one also exactly one
  refund; balance_before - amount = balance_after, and balance_before is what
  the ledger held just before the payment; no relative-year is paid twice;
- the people: IDs pass the GB 11643 check, workers are not listed twice,
  bindings and payments name known workers, no two active bindings of one
  payer to one relative.

Notes (not problems): an older schema that the next change will upgrade, and
temporary files left by a writer that was killed (the next change removes them).
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from famcov.domain.ids import mask, scrub
from famcov.domain.model import SCHEMA, State
from famcov.domain.money import yuan
from famcov.errors import FamcovError
from famcov.i18n import t
from famcov.store import Store, decode_versioned

_RECEIPT_NUMBER = re.compile(r"^DJ[0-9]{8}([0-9]{4,})$")


@dataclass
class Finding:
    """One problem (or note): a stable code, its message key and parameters, and the
    JSON path of the record it is about when there is one."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    where: str | None = None
    key: str | None = None
    category: str = "STATE_CORRUPT"  # the error code a problem of this kind maps to

    @property
    def message(self) -> str:
        params = {"where": self.where or "$", **self.params}
        return scrub(t(self.key or f"doctor.problem.{self.code}", **params))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.where is not None:
            data["where"] = self.where
        return data


@dataclass
class Report:
    path: Path
    schema: int | None = None
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def error_code(self) -> str:
        """The error code that stands for all the problems: the gravest category."""
        found = {p.category for p in self.problems}
        for code in ("STATE_TOO_NEW", "STATE_CORRUPT", "STATE_UNSAFE"):
            if code in found:
                return code
        return "STATE_CORRUPT"


# -- the whole examination ---------------------------------------------------------------


def examine(store: Store) -> Report:
    """Every check on the file at `store.path`. STATE_MISSING is raised, not reported."""
    report = Report(store.path)
    try:
        data = store.read_bytes()
    except FamcovError as exc:
        if exc.code == "STATE_MISSING":
            raise
        report.problems.append(_from_error(exc))
        report.problems += file_problems(store)
        return report
    report.problems += file_problems(store)
    try:
        state, found = decode_versioned(data, where=str(store.path))
    except FamcovError as exc:
        report.problems.insert(0, _from_error(exc))
        return report
    report.schema = found
    report.counts = {
        "workers": len(state.workers),
        "enrolments": len(state.enrolments),
        "bindings": len(state.bindings),
        "payments": len(state.payments),
        "ledger": len(state.ledger),
    }
    report.problems += record_problems(state)
    if found < SCHEMA:
        report.notes.append(
            Finding(
                "SCHEMA_OLD",
                {"found": found, "known": SCHEMA, "backup": store.backup_path(found).name},
            )
        )
    if temps := store.temp_files():
        report.notes.append(
            Finding("STALE_TEMP", {"count": len(temps), "files": [p.name for p in temps[:3]]})
        )
    return report


def _from_error(exc: FamcovError) -> Finding:
    """A refusal of the loader as a problem, worded for doctor (which is what it advises)."""
    from famcov.i18n import has

    where = exc.params.get("where")
    key = f"doctor.problem.{exc.code}"
    return Finding(
        exc.code,
        dict(exc.params),
        where=where,
        key=key if has(key) else exc.message_key,
        category=exc.code if exc.code.startswith("STATE_") else "STATE_CORRUPT",
    )


# -- the file and its folder ---------------------------------------------------------------


def file_problems(store: Store) -> list[Finding]:
    found: list[Finding] = []
    path = store.path
    try:
        if path.is_symlink():
            found.append(Finding("STATE_SYMLINK", {"path": str(path)}, category="STATE_UNSAFE"))
        if store.lock_path.is_symlink():
            found.append(
                Finding("LOCK_SYMLINK", {"path": str(store.lock_path)}, category="STATE_UNSAFE")
            )
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
            found.append(
                Finding(
                    "FILE_MODE",
                    {"mode": f"{stat.S_IMODE(info.st_mode):04o}", "path": str(path)},
                    category="STATE_UNSAFE",
                )
            )
        folder = path.parent.stat().st_mode
        if folder & stat.S_IWOTH and not folder & stat.S_ISVTX:
            found.append(
                Finding("FOLDER_UNSAFE", {"folder": str(path.parent)}, category="STATE_UNSAFE")
            )
    except OSError:
        pass
    return found


# -- the records ---------------------------------------------------------------------------


def record_problems(state: State) -> list[Finding]:
    found: list[Finding] = []
    found += _id_problems(state)
    workers = _worker_index(state, found)
    payments_by_no = _receipt_problems(state, workers, found)
    running_before = _ledger_problems(state, workers, payments_by_no, found)
    _payment_problems(state, running_before, found)
    _binding_problems(state, workers, found)
    return found


def _id_problems(state: State) -> list[Finding]:
    """Stored IDs passed the GB 11643 check when they were stored; a hand edit may break that."""
    from famcov.domain.ids import validate

    found: list[Finding] = []
    seen: set[str] = set()
    places: list[tuple[str, str]] = []
    for name in ("workers", "enrolments", "employees", "paid_elsewhere"):
        places += [(f"$.{name}[{i}].id", r.id) for i, r in enumerate(getattr(state, name))]
    for i, b in enumerate(state.bindings):
        places += [(f"$.bindings[{i}].payer", b.payer), (f"$.bindings[{i}].relative", b.relative)]
    for i, p in enumerate(state.payments):
        places += [(f"$.payments[{i}].payer", p.payer), (f"$.payments[{i}].relative", p.relative)]
    for where, number in places:
        if number in seen:
            continue
        seen.add(number)
        try:
            validate(number)
        except FamcovError:
            found.append(Finding("INVALID_ID", {"id": mask(number)}, where))
    return found


def _worker_index(state: State, found: list[Finding]) -> dict[str, int]:
    workers: dict[str, int] = {}
    for i, w in enumerate(state.workers):
        if w.id in workers:
            found.append(Finding("DUPLICATE_WORKER", {"id": mask(w.id)}, f"$.workers[{i}]"))
            continue
        workers[w.id] = i
        if w.balance < 0:
            found.append(
                Finding(
                    "NEGATIVE_BALANCE",
                    {"id": mask(w.id), "balance": yuan(w.balance)},
                    f"$.workers[{i}].balance",
                )
            )
    return workers


def _receipt_problems(state: State, workers: dict[str, int], found: list[Finding]) -> set[str]:
    numbers: set[str] = set()
    paid: dict[tuple[str, int], str] = {}
    for i, p in enumerate(state.payments):
        where = f"$.payments[{i}]"
        if p.no in numbers:
            found.append(Finding("DUPLICATE_RECEIPT", {"no": p.no}, f"{where}.no"))
        numbers.add(p.no)
        match = _RECEIPT_NUMBER.match(p.no)
        if match and int(match[1]) >= state.next_receipt:
            found.append(
                Finding(
                    "RECEIPT_COUNTER",
                    {"no": p.no, "next": state.next_receipt},
                    "$.next_receipt",
                )
            )
        if p.payer not in workers:
            found.append(
                Finding(
                    "PAYMENT_UNKNOWN_PAYER", {"no": p.no, "id": mask(p.payer)}, f"{where}.payer"
                )
            )
        if p.amount <= 0:
            found.append(
                Finding("PAYMENT_AMOUNT", {"no": p.no, "amount": yuan(p.amount)}, f"{where}.amount")
            )
        if (p.status == "revoked") != (p.revoked_on is not None):
            found.append(Finding("REVOKE_FIELDS", {"no": p.no}, f"{where}.status"))
        if p.status == "paid":
            key = (p.relative, p.year)
            if key in paid:
                found.append(
                    Finding(
                        "DUPLICATE_PAID",
                        {"id": mask(p.relative), "year": p.year, "no": p.no, "other": paid[key]},
                        where,
                    )
                )
            else:
                paid[key] = p.no
    return numbers


def _sign_ok(kind: str, amount: int) -> bool:
    if kind in ("reserve", "release"):  # a cross-province quota moves no money
        return amount == 0
    if kind == "opening":
        return amount >= 0
    if kind == "payment":
        return amount < 0
    return amount > 0  # credit, refund


def _ledger_problems(
    state: State, workers: dict[str, int], receipts: set[str], found: list[Finding]
) -> dict[int, int]:
    """Ledger checks; returns, for each entry's index, the account's balance just before it."""
    seqs: set[int] = set()
    sums: dict[str, int] = {}
    running_before: dict[int, int] = {}
    unknown_accounts: set[str] = set()
    for i, e in enumerate(state.ledger):
        where = f"$.ledger[{i}]"
        if e.seq in seqs:
            found.append(Finding("LEDGER_SEQ_DUPLICATE", {"seq": e.seq}, f"{where}.seq"))
        seqs.add(e.seq)
        if e.seq >= state.next_seq:
            found.append(
                Finding("LEDGER_SEQ_COUNTER", {"seq": e.seq, "next": state.next_seq}, "$.next_seq")
            )
        if e.account not in workers and e.account not in unknown_accounts:
            unknown_accounts.add(e.account)
            found.append(
                Finding("LEDGER_UNKNOWN_ACCOUNT", {"id": mask(e.account)}, f"{where}.account")
            )
        if not _sign_ok(e.kind, e.amount):
            found.append(
                Finding(
                    "LEDGER_SIGN",
                    {"seq": e.seq, "kind": e.kind, "amount": yuan(e.amount)},
                    f"{where}.amount",
                )
            )
        if e.kind in ("payment", "refund") and e.ref not in receipts:
            found.append(
                Finding(
                    "LEDGER_UNKNOWN_RECEIPT", {"seq": e.seq, "no": e.ref or "-"}, f"{where}.ref"
                )
            )
        running_before[i] = sums.get(e.account, 0)
        sums[e.account] = running_before[i] + e.amount
    for account, i in workers.items():
        w = state.workers[i]
        ledger = sums.get(account, 0)
        if ledger != w.balance:
            found.append(
                Finding(
                    "LEDGER_MISMATCH",
                    {
                        "id": mask(w.id),
                        "balance": yuan(w.balance),
                        "ledger": yuan(ledger),
                        "difference": yuan(w.balance - ledger),
                    },
                    f"$.workers[{i}].balance",
                )
            )
    return running_before


def _payment_problems(state: State, running_before: dict[int, int], found: list[Finding]) -> None:
    entries: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(state.ledger):
        if e.ref is not None and e.kind in ("payment", "refund"):
            entries.setdefault((e.kind, e.ref), []).append(i)
    for i, p in enumerate(state.payments):
        where = f"$.payments[{i}]"
        if p.balance_before - p.amount != p.balance_after:
            found.append(
                Finding(
                    "PAYMENT_ARITHMETIC",
                    {
                        "no": p.no,
                        "before": yuan(p.balance_before),
                        "amount": yuan(p.amount),
                        "after": yuan(p.balance_after),
                    },
                    where,
                )
            )
        paid = entries.get(("payment", p.no), [])
        if len(paid) != 1 or any(
            state.ledger[j].amount != -p.amount or state.ledger[j].account != p.payer for j in paid
        ):
            found.append(Finding("PAYMENT_LEDGER", {"no": p.no, "count": len(paid)}, f"{where}.no"))
        elif running_before[paid[0]] != p.balance_before:
            found.append(
                Finding(
                    "PAYMENT_BEFORE",
                    {
                        "no": p.no,
                        "before": yuan(p.balance_before),
                        "ledger": yuan(running_before[paid[0]]),
                    },
                    f"{where}.balance_before",
                )
            )
        refunds = entries.get(("refund", p.no), [])
        wanted = 1 if p.status == "revoked" else 0
        if len(refunds) != wanted or any(
            state.ledger[j].amount != p.amount or state.ledger[j].account != p.payer
            for j in refunds
        ):
            found.append(
                Finding(
                    "REFUND_LEDGER",
                    {"no": p.no, "count": len(refunds), "status": p.status},
                    f"{where}.status",
                )
            )


def _binding_problems(state: State, workers: dict[str, int], found: list[Finding]) -> None:
    active: set[tuple[str, str]] = set()
    unknown: set[str] = set()
    for i, b in enumerate(state.bindings):
        where = f"$.bindings[{i}]"
        if b.payer not in workers and b.payer not in unknown:
            unknown.add(b.payer)
            found.append(Finding("BINDING_UNKNOWN_PAYER", {"id": mask(b.payer)}, f"{where}.payer"))
        if b.unbound_on is None:
            key = (b.payer, b.relative)
            if key in active:
                found.append(
                    Finding(
                        "DUPLICATE_BINDING", {"id": mask(b.relative), "payer": mask(b.payer)}, where
                    )
                )
            active.add(key)


# -- output ----------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ok": report.ok,
        "path": str(report.path),
        "schema": {"found": report.schema, "current": SCHEMA},
        "counts": report.counts,
        "problems": [p.as_json() for p in report.problems],
        "notes": [n.as_json() for n in report.notes],
    }
    if not report.ok:
        data["error"] = {
            "code": report.error_code,
            "message": t("doctor.verdict.problems", count=len(report.problems)),
            "details": [p.as_json() for p in report.problems],
        }
    return data


def render(s, report: Report) -> int:
    """Print the report (JSON or for people); the exit code: 0 healthy, 3 problems."""
    from famcov.errors import DONE, STATE

    if s.json:
        import sys

        import msgspec

        sys.stdout.write(msgspec.json.encode(report_json(report)).decode() + "\n")
        sys.stdout.flush()
        return DONE if report.ok else STATE
    from rich.markup import escape

    from famcov.render import console

    out = console()
    out.print(f"[bold]{escape(t('doctor.title', path=str(report.path)))}[/]")
    if report.schema is not None:
        out.print(escape(t("doctor.counts", schema=report.schema, **report.counts)))
    for p in report.problems:
        message = p.message
        where = f"  [dim]{escape(p.where)}[/]" if p.where and p.where not in message else ""
        out.print(f" [red]✗[/] {escape(message)}{where}")
    for n in report.notes:
        out.print(f" [dim]•[/] {escape(n.message)}")
    if report.ok:
        out.print(f"[green]✓[/] {escape(t('doctor.verdict.ok'))}", style="bold")
        return DONE
    out.print(
        f"[red]✗[/] {escape(t('doctor.verdict.problems', count=len(report.problems)))}",
        style="bold",
    )
    out.print(escape(t("doctor.advice")))
    return STATE
