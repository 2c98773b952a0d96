"""Who a command means: a payer or a relative named by resident ID or by name,
looked up in the records (below the input specs of famcov.requests).
"""

from __future__ import annotations

import datetime as dt

from famcov import values
from famcov.domain.ids import mask
from famcov.domain.model import (
    Binding,
    Worker,
)
from famcov.domain.policy import Policy, Region
from famcov.domain.records import Records
from famcov.domain.text import clipped
from famcov.errors import FamcovError
from famcov.i18n import Msg


def known_worker(records: Records, person_id: str) -> Worker:
    worker = records.worker(person_id)
    if worker is None:
        raise FamcovError("UNKNOWN_PERSON", {"id": mask(person_id), "hint": Msg("hint.add_worker")})
    return worker


def same_name(records: Records, person_id: str, name: str) -> None:
    known = records.known_name(person_id)
    if known is not None and known != name:
        raise FamcovError("NAME_MISMATCH", {"relative": mask(person_id), "name": name})


def known_region(policy: Policy, code: str) -> Region:
    region = policy.region(code)
    if region is None:
        raise FamcovError("UNKNOWN_REGION", {"flag": "--region", "value": code})
    return region


def bound_member(records: Records, payer_id: str, relative: str) -> Binding:
    """The active binding of `relative` to the worker `payer_id` (NOT_BOUND otherwise)."""
    from famcov.domain.rules import member_bound  # the rules load with a command that judges

    payer = known_worker(records, payer_id)
    ruling = member_bound(records, payer.id, relative)
    if ruling.failed:
        raise ruling.as_error()
    binding = records.active_binding(payer.id, relative)
    assert binding is not None
    return binding


def new_relative_id(
    records: Records, text: str, today: dt.date, *, flag: str = "--relative"
) -> str:
    """The ID of a relative to bind. A name (no digit in it) is taken for the one person
    the bureau's records know by that name (an enrolment, an employee, a worker), so
    that a practice can name people without printing their IDs; a name nobody or
    several people have is named as such, not as a bad ID."""
    if not any(ch.isdigit() for ch in str(text)):
        wanted = " ".join(str(text).split())
        state = records.state
        holders = {
            r.id
            for group in (state.enrolments, state.employees, state.workers)
            for r in group
            if r.name == wanted
        }
        if len(holders) == 1:
            return holders.pop()
        raise FamcovError(
            "INVALID_ID",
            {"flag": flag, "value": clipped(wanted, 40)},
            message_key="error.ID_NOT_NAME",
        )
    return values.person_id(text, flag=flag, today=today, known=records.names)


def looks_like_id(text: str) -> bool:
    compact = "".join(str(text).split())
    return len(compact) >= 15 and compact[:15].isdigit()


def id_or_unknown(text: str, flag: str, today: dt.date) -> str:
    """Text with no digit at all was meant as a name that nobody in the records has."""
    if not any(ch.isdigit() for ch in str(text)):
        wanted = clipped(" ".join(str(text).split()), 40)
        raise FamcovError(
            "UNKNOWN_PERSON", {"id": wanted, "hint": Msg("hint.unknown_name", {"flag": flag})}
        )
    return values.person_id(text, flag=flag, today=today)


def _shared_name(name: str, flag: str) -> FamcovError:
    """A name several people in the records have: which one is meant cannot be told."""
    return FamcovError(
        "UNKNOWN_PERSON",
        {"id": clipped(name, 40), "flag": flag},
        message_key="error.NAME_SHARED",
    )


def find_payer(records: Records, text: str, today: dt.date, *, flag: str = "--payer") -> str:
    """A worker by resident ID or, for convenience at a counter, by a unique name."""
    if looks_like_id(text):
        return values.person_id(text, flag=flag, today=today, known=records.workers)
    wanted = " ".join(str(text).split())
    matches = [w.id for w in records.state.workers if w.name == wanted]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        return id_or_unknown(text, flag, today)
    raise _shared_name(wanted, flag)


def tax_relative(records: Records, payer: str, text: str, today: dt.date) -> str:
    """Whom a tax-channel payment is for: a bound member by name, else anyone the records
    know by name or ID (the tax channel needs no binding)."""
    try:
        return find_relative(records, payer, text, today)
    except FamcovError as exc:
        if exc.code != "UNKNOWN_PERSON":
            raise
    return new_relative_id(records, text, today)


def find_relative(
    records: Records, payer: str | None, text: str, today: dt.date, *, flag: str = "--relative"
) -> str:
    """A relative by resident ID or by the name of one of the payer's bound members
    (of anyone's, when no payer is given, as `payments --relative NAME`)."""
    if looks_like_id(text):
        return values.person_id(text, flag=flag, today=today, known=records.names)
    wanted = " ".join(str(text).split())
    bindings = records.bindings_by_payer.get(payer, ()) if payer else records.state.bindings
    matches = {b.relative for b in bindings if b.name == wanted}
    if len(matches) == 1:
        return matches.pop()
    if not matches:
        return id_or_unknown(text, flag, today)
    raise _shared_name(wanted, flag)
