"""The invariants of a state file: what must hold of the records for famcov to
read or change them. One list, used by the store when it loads a file (a file
that breaks one is refused, STATE_CORRUPT, and never rewritten) and by `famcov
doctor`, which reports every one of them instead of stopping at the first.

- the money: every account's balance is the sum of its ledger; every ledger
  entry belongs to a known account, has a unique sequence number below the
  counter and the sign of its kind; a payment or refund entry names a receipt;
  a return entry (先缴后返) names the one tax-channel payment it returned;
- the receipts: numbers are unique and below the counter; each paid receipt
  has exactly one payment entry of its amount, a revoked one also exactly one
  refund; balance_before - amount = balance_after, and balance_before is what
  the ledger held just before the payment; no relative-year is paid twice;
- the people: IDs pass the GB 11643 check, workers are not listed twice,
  bindings and payments name known workers, no two active bindings of one
  payer to one relative; names and other stored text hold no control characters.

Pure: no I/O. Each problem is a Finding with a stable code (docs/guarantees.md).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

from famcov.domain.ids import is_valid, mask, scrub
from famcov.domain.model import State
from famcov.domain.money import yuan
from famcov.domain.text import clipped
from famcov.i18n import t

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


# -- the records ---------------------------------------------------------------------------


def problems(data: bytes, state: State) -> list[Finding]:
    """Every invariant: of the bytes (no key given twice, no control character in
    any text) and of the records decoded from them."""
    return duplicate_keys(data) + control_characters(data) + record_problems(state)


def duplicate_keys(data: bytes) -> list[Finding]:
    """Keys given twice in one object: a JSON reader keeps one copy and drops the
    other silently, so the next save would lose it."""
    import json

    found: list[Finding] = []

    def pairs(items: list[tuple[str, Any]]) -> None:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and len(found) < 20:
                found.append(Finding("DUPLICATE_KEY", {"field": clipped(key, 40)}))
            seen.add(key)

    with contextlib.suppress(ValueError, RecursionError):  # the typed decoding judged the syntax
        json.loads(data, object_pairs_hook=pairs)
    return found


# Control characters (C0, DEL, C1), the line separators and the direction controls
# of Unicode (the marks LRM, RLM and ALM, the embeddings and overrides LRE..RLO, the
# isolates LRI..PDI), written escaped (\u001b) or raw (UTF-8) inside a JSON string;
# an escaped backslash is matched too, so that `\\n` is not taken for `\n`.
_CONTROL = re.compile(
    rb"\\(?:\\|(?P<esc>u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F]|u061[cC]|u200[eEfF]"
    rb"|u20(?:2[89a-eA-E]|6[6-9])|[bfnrt]))"
    rb"|(?P<raw>\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9])"
)


def control_characters(data: bytes) -> list[Finding]:
    """Names and other text famcov echoes to a terminal hold no control character:
    famcov refuses them as input, so one in the file was put there by hand."""
    for match in _CONTROL.finditer(data):
        if match["esc"] is None and match["raw"] is None:
            continue  # an escaped backslash
        offset = match.start()
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        return [Finding("CONTROL_CHARACTER", {"line": line, "column": column})]
    return []


def record_problems(state: State) -> list[Finding]:
    found: list[Finding] = []
    found += _id_problems(state)
    found += _name_problems(state)
    workers = _worker_index(state, found)
    payments_by_no = _receipt_problems(state, workers, found)
    running_before = _ledger_problems(state, workers, payments_by_no, found)
    _payment_problems(state, running_before, found)
    _return_problems(state, found)
    _binding_problems(state, workers, found)
    return found


def _id_problems(state: State) -> list[Finding]:
    """Stored IDs passed the GB 11643 check when they were stored; a hand edit may break that."""
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
        if not is_valid(number):
            found.append(Finding("INVALID_ID", {"id": mask(number)}, where))
    return found


def _name_problems(state: State) -> list[Finding]:
    """A name holds no resident ID, in any form it could be written (famcov refuses
    digits in a name as input): one put there by hand would be printed wherever the
    name is."""
    from famcov.domain.text import mask_ids

    found: list[Finding] = []
    places: list[tuple[str, str]] = []
    for kind in ("workers", "enrolments", "employees"):
        places += [(f"$.{kind}[{i}].name", r.name) for i, r in enumerate(getattr(state, kind))]
    places += [(f"$.bindings[{i}].name", b.name) for i, b in enumerate(state.bindings)]
    # a binding's proof and a trainee's name are text a person reads too
    places += [
        (f"$.bindings[{i}].proof", b.proof)
        for i, b in enumerate(state.bindings)
        if isinstance(b.proof, str)
    ]
    trainee = getattr(state.scenario, "trainee", None)
    if isinstance(trainee, str):
        places.append(("$.scenario.trainee", trainee))
    for i, p in enumerate(state.payments):
        places += [(f"$.payments[{i}].payer_name", p.payer_name)]
        places += [(f"$.payments[{i}].relative_name", p.relative_name)]
    for where, name in places:
        if len(name) >= 15 and mask_ids(name) != name:
            found.append(Finding("NAME_HOLDS_ID", {"name": mask_ids(name)[:40]}, where))
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
    if kind in ("payment", "return"):  # a return leaves the account, as a payment does
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
    quotas: dict[tuple[str, str | None], int] = {}
    for i, e in enumerate(state.ledger):
        where = f"$.ledger[{i}]"
        if e.quota or e.kind in ("reserve", "release"):
            # a cross-province quota (issue 12): set aside by a reserve, given back by a
            # release, spent by a payment, refilled by a refund; never below zero
            key = (e.account, e.relative)
            quotas[key] = quotas.get(key, 0) + e.quota
            if (
                e.relative is None
                or quotas[key] < 0
                or (e.kind == "reserve" and e.quota <= 0)
                or (e.kind == "release" and e.quota > 0)
                or e.kind not in ("reserve", "release", "payment", "refund")
            ):
                found.append(
                    Finding(
                        "LEDGER_QUOTA",
                        {"seq": e.seq, "kind": e.kind, "quota": yuan(e.quota)},
                        f"{where}.quota",
                    )
                )
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


def _return_problems(state: State, found: list[Finding]) -> None:
    """先缴后返: each `return` entry names a tax-channel payment returned by that number,
    out of the account of the worker who paid it, for its amount; each returned payment
    has exactly one such entry (one return per relative and year)."""
    entries: dict[str, list[int]] = {}
    for i, e in enumerate(state.ledger):
        if e.kind == "return":
            entries.setdefault(e.ref or "-", []).append(i)
    claimed: set[str] = set()
    for i, p in enumerate(state.paid_elsewhere):
        if p.return_no is None:
            continue
        claimed.add(p.return_no)
        mine = entries.get(p.return_no, [])
        if len(mine) != 1 or any(
            state.ledger[j].amount != -(p.amount or 0)
            or state.ledger[j].account != (p.returned_to or p.payer)
            or state.ledger[j].relative != p.id
            for j in mine
        ):
            found.append(
                Finding(
                    "RETURN_LEDGER",
                    {"no": p.return_no, "count": len(mine)},
                    f"$.paid_elsewhere[{i}].return_no",
                )
            )
    for ref, indexes in entries.items():
        if ref not in claimed:
            j = indexes[0]
            found.append(
                Finding(
                    "RETURN_LEDGER",
                    {"no": ref, "count": len(indexes)},
                    f"$.ledger[{j}].ref",
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
