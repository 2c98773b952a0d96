"""Schema versions: each older file's raw dict brought to the current schema.

Schema 0 is the pre-release layout of famcov 0.0.x (used in the first training
sessions, never published): money as yuan strings with two decimals ("1668.50",
"-400.00") in workers[].balance, payments[].amount / balance_before /
balance_after and the ledger's amounts; the ledger under the name "entries",
its entries without `seq`; and no `next_seq` / `next_receipt` counters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec

from famcov.domain.model import SCHEMA
from famcov.errors import FamcovError
from famcov.i18n import Msg


class _Unmigratable(Exception):
    def __init__(self, where: str, key: str, **params: Any) -> None:
        super().__init__(where)
        self.where, self.key, self.params = where, key, params


_YUAN_V0 = re.compile(r"-?[0-9]{1,12}\.[0-9]{2}")
_RECEIPT_V0 = re.compile(r"DJ[0-9]{8}([0-9]{4,})")


def _fen_v0(value: Any, where: str) -> int:
    if not isinstance(value, str) or not _YUAN_V0.fullmatch(value):
        raise _Unmigratable(where, "state.problem.v0_money")
    sign = -1 if value.startswith("-") else 1
    whole, part = value.lstrip("-").split(".")
    return sign * (int(whole) * 100 + int(part))


def _list_v0(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise _Unmigratable(f"$.{key}", "state.problem.v0_list")
    return value


def _v0_to_v1(raw: dict[str, Any]) -> dict[str, Any]:
    if "ledger" in raw:
        raise _Unmigratable("$.ledger", "state.problem.v0_field", field="ledger")
    entries = _list_v0(raw, "entries")
    raw.pop("entries", None)
    for i, worker in enumerate(_list_v0(raw, "workers")):
        if isinstance(worker, dict) and "balance" in worker:
            worker["balance"] = _fen_v0(worker["balance"], f"$.workers[{i}].balance")
    top = 0
    for i, payment in enumerate(_list_v0(raw, "payments")):
        if not isinstance(payment, dict):
            continue
        for field in ("amount", "balance_before", "balance_after"):
            if field in payment:
                payment[field] = _fen_v0(payment[field], f"$.payments[{i}].{field}")
        if isinstance(payment.get("no"), str) and (m := _RECEIPT_V0.fullmatch(payment["no"])):
            top = max(top, int(m[1]))
    ledger = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _Unmigratable(f"$.entries[{i - 1}]", "state.problem.v0_list")
        if "seq" in entry:
            raise _Unmigratable(f"$.entries[{i - 1}].seq", "state.problem.v0_field", field="seq")
        if "amount" in entry:
            entry["amount"] = _fen_v0(entry["amount"], f"$.entries[{i - 1}].amount")
        ledger.append({"seq": i, **entry})
    raw["ledger"] = ledger
    raw.setdefault("next_seq", len(ledger) + 1)
    raw.setdefault("next_receipt", top + 1)
    return raw


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 only adds: optional top-level fields (`channel`, `scenario`,
    `province`) and a ledger kind (`return`). A schema-1 file is already one."""
    return raw


# MIGRATIONS[n] turns the raw dict of schema n into schema n + 1.
MIGRATIONS: list[Callable[[dict[str, Any]], dict[str, Any]]] = [_v0_to_v1, _v1_to_v2]
assert len(MIGRATIONS) == SCHEMA, "one migration for every older schema"


def migrate(data: bytes, found: int, *, where: str) -> bytes:
    """The bytes of an older schema, brought to the current one (not yet type-checked)."""
    try:
        raw = msgspec.json.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
        from famcov.statefile.broken import explain

        raise explain(where, exc, data) from None
    try:
        for version in range(found, SCHEMA):
            raw = MIGRATIONS[version](raw)
            raw["schema"] = version + 1
    except _Unmigratable as exc:
        raise FamcovError(
            "STATE_CORRUPT",
            {
                "path": where,
                "where": exc.where,
                "problem": Msg(exc.key, {"where": exc.where, **exc.params}),
            },
        ) from None
    return msgspec.json.encode(raw)
