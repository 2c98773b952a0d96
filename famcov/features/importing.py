"""`famcov admin import`: many records at once from a CSV, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

from famcov import values
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.domain.text import clipped
from famcov.errors import FamcovError
from famcov.features import bureau
from famcov.i18n import Msg, t
from famcov.output.render import done, json_view
from famcov.requests import EnrolRequest, RecordRequest, WorkerRequest

IMPORT_HEADER = ["kind", "id", "name", "region", "year", "balance", "status", "channel"]


IMPORT_KINDS = ("worker", "resident", "employee", "paid-elsewhere")


_USED = {
    "worker": {"id", "name", "region", "balance", "status"},
    "resident": {"id", "name", "region", "year"},
    "employee": {"id", "name"},
    "paid-elsewhere": {"id", "year", "channel"},
}


_REQUIRED = {
    "worker": {"id", "name", "region", "balance"},
    "resident": {"id", "name", "region", "year"},
    "employee": {"id", "name"},
    "paid-elsewhere": {"id", "year", "channel"},
}


MAX_IMPORT_ERRORS = 50


def import_csv(records: Records, policy: Policy, today: dt.date, text: str) -> dict[str, int]:
    """Many records from CSV, all or nothing: every bad line is named, and one bad
    line refuses the whole file (the caller's transaction is then not saved)."""
    # newline="": the csv module splits the lines itself, so a file with CR-only line
    # ends (old Excel for Mac), CR LF or LF reads the same
    reader = _csv_rows(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != IMPORT_HEADER:
        raise FamcovError(
            "BAD_IMPORT",
            {"count": 1},
            [FamcovError("BAD_IMPORT", {"line": 1}, message_key="import.bad_header")],
        )
    added = dict.fromkeys(IMPORT_KINDS, 0)
    problems: list[FamcovError] = []
    for line, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            kind = _import_row(records, policy, today, row)
        except FamcovError as exc:
            problems.append(
                FamcovError(
                    exc.code,
                    {**exc.params, "line": line, "reason": Msg(exc.message_key, exc.params)},
                    message_key="import.bad_line",
                )
            )
            if len(problems) >= MAX_IMPORT_ERRORS:
                break
            continue
        added[kind] += 1
    if problems:
        raise FamcovError("BAD_IMPORT", {"count": len(problems)}, problems)
    return added


def _csv_rows(reader: Any) -> Iterator[list[str]]:
    """The rows of `reader`; a line the csv module cannot split (a cell longer than
    its limit of 131,072 characters, a stray quote) is BAD_IMPORT naming that line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            problem = FamcovError(
                "BAD_IMPORT",
                {"line": reader.line_num, "reason": Msg("guard.csv_line")},
                message_key="import.bad_line",
            )
            raise FamcovError("BAD_IMPORT", {"count": 1}, [problem]) from None
        yield row


# What each kind of line makes: its request and its use case (famcov admin ...'s).
_IMPORTS: dict[str, tuple[type[Any], Callable[..., Any]]] = {
    "worker": (WorkerRequest, bureau.add_worker),
    "resident": (EnrolRequest, bureau.enrol),
    "employee": (EnrolRequest, bureau.mark_employee),
    "paid-elsewhere": (RecordRequest, bureau.record_payment),
}


def _import_row(records: Records, policy: Policy, today: dt.date, row: list[str]) -> str:
    if len(row) != len(IMPORT_HEADER):
        raise FamcovError(
            "INVALID_VALUE",
            {"flag": "columns", "value": str(len(row))},
            message_key="import.columns",
        )
    cells = {k: v.strip() for k, v in zip(IMPORT_HEADER, row, strict=True)}
    kind = cells["kind"]
    if kind not in IMPORT_KINDS:
        raise FamcovError(
            "INVALID_VALUE",
            {"flag": "kind", "value": clipped(kind, 20), "choices": list(IMPORT_KINDS)},
        )
    readers = {
        "id": lambda v: values.person_id(v, flag="id", today=today, known=records.names),
        "name": lambda v: values.name(v, flag="name"),
        "region": lambda v: policy.find_region(v, flag="region"),
        "year": lambda v: values.year(v, flag="year"),
        "balance": lambda v: values.amount(v, flag="balance", allow_zero=True),
        "status": lambda v: values.status(v, flag="status"),
        "channel": lambda v: values.channel(v, flag="channel"),
    }
    read: dict[str, Any] = {}
    for column in IMPORT_HEADER[1:]:  # in the header's order: the first problem is said
        cell = cells[column]
        if cell and column not in _USED[kind]:
            raise FamcovError(
                "INVALID_VALUE", {"flag": column, "value": kind}, message_key="import.unused"
            )
        if not cell and column in _REQUIRED[kind]:
            raise FamcovError(
                "MISSING_OPTION", {"flag": column, "kind": kind}, message_key="import.missing"
            )
        if cell:
            read[column] = readers[column](cell)
    kind_, action = _IMPORTS[kind]
    action(records, policy, today, kind_(**read))
    return kind


def imported_payload(s, added: dict[str, int]) -> dict[str, Any]:
    return {"added": added, "total": sum(added.values())}


@json_view(imported_payload)
def show_imported(s, added: dict[str, int]) -> None:
    done(
        t(
            "admin.imported",
            total=sum(added.values()),
            worker=added["worker"],
            resident=added["resident"],
            employee=added["employee"],
            paid=added["paid-elsewhere"],
        )
    )
