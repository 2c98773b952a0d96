"""A training scenario's goals, graded against a State (`famcov scenario check`).

A goal is data in the scenario file: an id, what it asks in zh and en, and one
check from a small typed vocabulary, tagged by `op`:

- `paid-once`   the relative's year is paid exactly once and not revoked
                (optionally by `payer`, optionally `amount`)
- `revoked`     a payment for the relative's year was revoked and its money is back
- `balance`     the payer's personal-account balance `equals` an amount
- `not-paid`    no payment in force for `year` (for `relative`, or anyone)
- `paid-elsewhere` the relative's year is paid through another channel (`channel`:
                tax, bank, ...; any when not given), as the tax channel records it
- `bound`       the relative is bound to the payer (optionally with `relation`)
- `not-bound`   the relative is not bound to the payer (the binding was refused)

Pure: `grade(goal, state)` reads the records and returns a GoalResult whose
message is a catalogue key with parameters; names are shown, never IDs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import msgspec

from famcov.domain.ids import mask
from famcov.domain.model import Channel, Relation, State, Year
from famcov.domain.money import parse_yuan, yuan
from famcov.i18n import Msg

PersonId = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{17}[0-9X]$")]
Yuan = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,9}\.[0-9]{2}$")]
GoalId = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class _Check(msgspec.Struct, tag_field="op", forbid_unknown_fields=True, frozen=True):
    pass


class PaidOnce(_Check, tag="paid-once", frozen=True):
    relative: PersonId
    year: Year
    payer: PersonId | None = None
    amount: Yuan | None = None


class Revoked(_Check, tag="revoked", frozen=True):
    relative: PersonId
    year: Year


class Balance(_Check, tag="balance", frozen=True):
    payer: PersonId
    equals: Yuan


class NotPaid(_Check, tag="not-paid", frozen=True):
    year: Year
    relative: PersonId | None = None


class PaidElsewhere(_Check, tag="paid-elsewhere", frozen=True):
    relative: PersonId
    year: Year
    channel: Channel | None = None


class Bound(_Check, tag="bound", frozen=True):
    payer: PersonId
    relative: PersonId
    relation: Relation | None = None


class NotBound(_Check, tag="not-bound", frozen=True):
    payer: PersonId
    relative: PersonId


Check = PaidOnce | Revoked | Balance | NotPaid | PaidElsewhere | Bound | NotBound


class Goal(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: GoalId
    zh: Text
    en: Text
    check: Check


@dataclass(frozen=True)
class GoalResult:
    id: str
    passed: bool
    key: str  # the catalogue key of what was found (goal.<op>.<outcome>)
    params: dict[str, Any] = field(default_factory=dict)


def parse(raw: Any) -> list[Goal]:
    """A scenario's `goals` list -> typed goals; msgspec.ValidationError if malformed."""
    return msgspec.convert(raw, list[Goal])


def grade_all(goals: list[Goal], state: State) -> list[GoalResult]:
    return [grade(goal, state) for goal in goals]


def grade(goal: Goal, state: State) -> GoalResult:
    passed, outcome, params = _GRADERS[type(goal.check)](goal.check, state)
    return GoalResult(goal.id, passed, f"goal.{goal.check.__struct_config__.tag}.{outcome}", params)


def name_of(state: State, person: str) -> str:
    """The person's name from the records (a worker, an enrolment, a binding, a
    receipt); an ID only ever masked."""
    for group in (state.workers, state.enrolments, state.employees):
        for record in group:
            if record.id == person:
                return record.name
    for b in state.bindings:
        if b.relative == person:
            return b.name
    for p in state.payments:
        if p.relative == person:
            return p.relative_name
    return mask(person)


def _payments(state: State, relative: str | None, year: int, status: str):
    return [
        p
        for p in state.payments
        if p.year == year and p.status == status and relative in (None, p.relative)
    ]


def _paid_once(c: PaidOnce, state: State) -> Grading:
    params: dict[str, Any] = {"name": name_of(state, c.relative), "year": c.year}
    paid = _payments(state, c.relative, c.year, "paid")
    if not paid:
        return False, "none", params
    if len(paid) > 1:
        return False, "many", {**params, "count": len(paid)}
    p = paid[0]
    params |= {"no": p.no, "amount": yuan(p.amount)}
    if c.payer is not None and p.payer != c.payer:
        return False, "payer", {**params, "payer": p.payer_name, "want": name_of(state, c.payer)}
    if c.amount is not None and p.amount != parse_yuan(c.amount):
        return False, "amount", {**params, "want": c.amount}
    return True, "ok", params


def _revoked(c: Revoked, state: State) -> Grading:
    params: dict[str, Any] = {"name": name_of(state, c.relative), "year": c.year}
    revoked = _payments(state, c.relative, c.year, "revoked")
    if not revoked:
        return False, "none", params
    refunded = {e.ref for e in state.ledger if e.kind == "refund"}
    back = [p for p in revoked if p.no in refunded]
    if not back:
        return False, "no_refund", {**params, "no": revoked[-1].no}
    return True, "ok", {**params, "no": back[-1].no, "amount": yuan(back[-1].amount)}


def _balance(c: Balance, state: State) -> Grading:
    want = parse_yuan(c.equals, allow_zero=True)
    worker = next((w for w in state.workers if w.id == c.payer), None)
    params: dict[str, Any] = {"name": name_of(state, c.payer), "want": yuan(want)}
    if worker is None:
        return False, "unknown", params
    params["balance"] = yuan(worker.balance)
    return worker.balance == want, "ok" if worker.balance == want else "wrong", params


def _not_paid(c: NotPaid, state: State) -> Grading:
    who = name_of(state, c.relative) if c.relative is not None else None
    params: dict[str, Any] = {"year": c.year, "name": who or ""}
    paid = _payments(state, c.relative, c.year, "paid")
    if paid:
        p = paid[0]
        return False, "found", {**params, "name": p.relative_name, "no": p.no}
    return True, "ok" if who else "ok_anyone", params


def _paid_elsewhere(c: PaidElsewhere, state: State) -> Grading:
    params: dict[str, Any] = {"name": name_of(state, c.relative), "year": c.year}
    found = any(
        p.id == c.relative and p.year == c.year and c.channel in (None, p.channel)
        for p in state.paid_elsewhere
    )
    return (True, "ok", params) if found else (False, "none", params)


def _binding(state: State, payer: str, relative: str):
    return next(
        (b for b in state.bindings if b.payer == payer and b.relative == relative and b.active),
        None,
    )


def _bound(c: Bound, state: State) -> Grading:
    params: dict[str, Any] = {
        "name": name_of(state, c.relative),
        "payer": name_of(state, c.payer),
    }
    b = _binding(state, c.payer, c.relative)
    if b is None:
        return False, "none", params
    params["relation"] = Msg(f"relation.{b.relation}")
    if c.relation is not None and b.relation != c.relation:
        return False, "relation", {**params, "want": Msg(f"relation.{c.relation}")}
    return True, "ok", params


def _not_bound(c: NotBound, state: State) -> Grading:
    params = {"name": name_of(state, c.relative), "payer": name_of(state, c.payer)}
    found = _binding(state, c.payer, c.relative) is not None
    return not found, "found" if found else "ok", params


# a check's grader: (passed, outcome, message parameters)
Grading = tuple[bool, str, dict[str, Any]]
_GRADERS: dict[type[_Check], Callable[[Any, State], Grading]] = {
    PaidOnce: _paid_once,
    Revoked: _revoked,
    Balance: _balance,
    NotPaid: _not_paid,
    PaidElsewhere: _paid_elsewhere,
    Bound: _bound,
    NotBound: _not_bound,
}

# Every message key `grade` can return, for the catalogue test.
KEYS = (
    "goal.paid-once.ok",
    "goal.paid-once.none",
    "goal.paid-once.many",
    "goal.paid-once.payer",
    "goal.paid-once.amount",
    "goal.revoked.ok",
    "goal.revoked.none",
    "goal.revoked.no_refund",
    "goal.balance.ok",
    "goal.balance.wrong",
    "goal.balance.unknown",
    "goal.not-paid.ok",
    "goal.not-paid.ok_anyone",
    "goal.not-paid.found",
    "goal.paid-elsewhere.ok",
    "goal.paid-elsewhere.none",
    "goal.bound.ok",
    "goal.bound.none",
    "goal.bound.relation",
    "goal.not-bound.ok",
    "goal.not-bound.found",
)
