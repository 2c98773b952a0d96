"""亲情账户: bind, verify (人脸认证), unbind and the family view
(`famcov bind`, `verify`, `unbind`, `family`): use cases, notes, JSON shapes, views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from famcov import people, values
from famcov.contract import person
from famcov.domain.ids import mask
from famcov.domain.model import (
    Binding,
    Worker,
)
from famcov.domain.money import yuan
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.domain.rules import (
    BINDING_RULES,
    BindingCase,
    member_status,
)
from famcov.errors import FamcovError, refusal
from famcov.features import cross_province
from famcov.i18n import Msg, t
from famcov.output.render import bullet, console, esc, json_view, region_name, relation_name
from famcov.output.screen import list_table, success
from famcov.requests import (
    BindRequest,
    MemberRequest,
)


@dataclass
class BindResult:
    binding: Binding
    payer: Worker
    notes: list[Msg] = field(default_factory=list)


def binding_case(
    records: Records,
    policy: Policy,
    *,
    payer: Worker,
    request: BindRequest,
    today: dt.date | None = None,
) -> BindingCase:
    return BindingCase(
        records=records,
        province=policy.province_of(payer.region),
        payer=payer,
        relative=request.relative,
        name=request.name,
        relation=request.relation,
        proof=values.proof_slug(request.proof) if request.proof else None,
        accepted=request.accepted,
        today=today,
        confirm_gap=request.confirm_gap,
    )


def bind(records: Records, policy: Policy, today: dt.date, request: BindRequest) -> BindResult:
    payer = people.known_worker(records, request.payer)
    case = binding_case(records, policy, payer=payer, request=request, today=today)
    failures = [r.as_error() for r in BINDING_RULES(case) if r.failed]
    if failures:
        raise refusal(failures, "error.BIND_REFUSED")
    binding = Binding(
        payer=payer.id,
        relative=request.relative,
        name=request.name,
        relation=request.relation,
        bound_on=today,
        proof=values.proof_name(case.proof) if case.proof else None,
        member=member_status(case.province, request.relative, today),
    )
    records.add_binding(binding)
    notes = binding_notes(records, policy, payer, request.relative, binding)
    return BindResult(binding, payer, notes)


def binding_notes(
    records: Records, policy: Policy, payer: Worker, relative: str, binding: Binding | None = None
) -> list[Msg]:
    home = policy.province_of(payer.region)
    notes = []
    if binding is not None and binding.temporary:
        face_age = home.members.face_age.value if home is not None else 16
        notes.append(Msg("note.temporary_member", {"age": face_age}))
    elif binding is not None:
        notes.append(Msg("note.full_member_minor"))
    if records.holds_employee_insurance(relative):
        notes.append(Msg("note.relative_employee"))
    enrolled = records.enrolments.get(relative, [])
    if not enrolled:
        notes.append(Msg("note.not_enrolled_yet"))
    elif home is not None and home.scope.value == "province":
        outside = [e for e in enrolled if policy.province_of(e.region) is not home]
        if outside and len(outside) == len(enrolled):
            region = policy.region(outside[-1].region)
            notes.append(
                Msg(
                    "note.enrolled_other_province",
                    {"region": region.name if region else outside[-1].region},
                )
            )
    if home is not None and home.worker_binds_only.value:
        from famcov.domain.rules import illustrative_mark

        mark = illustrative_mark(home.worker_binds_only)
        notes.append(Msg("bureau.note.worker_binds", {"province": home.name, "mark": mark}))
    return notes


def verify(records: Records, policy: Policy, today: dt.date, request: MemberRequest) -> Binding:
    """人脸认证 (simulated): a temporary member becomes a full member."""
    binding = people.bound_member(records, request.payer, request.relative)
    if not binding.temporary:
        raise FamcovError(
            "VERIFY_NOT_NEEDED",
            {
                "name": binding.name,
                "date": str(binding.verified_on or binding.bound_on),
                "hint": Msg("hint.verified" if binding.verified_on else "hint.minor_member"),
            },
        )
    binding.member = "full"
    binding.verified_on = today
    return binding


@dataclass
class Unbound:
    """A binding ended, and what it gave back of a cross-province quota (fen, 0 if none)."""

    binding: Binding
    released: int


def unbind(records: Records, policy: Policy, today: dt.date, request: MemberRequest) -> Unbound:
    binding = people.bound_member(records, request.payer, request.relative)
    binding.unbound_on = today
    entry = cross_province.release_quota(records, binding.payer, binding.relative, today)
    return Unbound(binding, -entry.quota if entry is not None else 0)


@dataclass
class Family:
    payer: Worker
    members: list[Binding]
    history: list[Binding]


def family(records: Records, *, payer_id: str) -> Family:
    payer = people.known_worker(records, payer_id)
    history = list(records.bindings_by_payer.get(payer.id, ()))
    return Family(payer, [b for b in history if b.active], history)


def binding_json(b) -> dict[str, Any]:
    return {
        "payer": {"id": mask(b.payer)},
        "relative": person(b.relative, b.name),
        "relation": b.relation,
        "proof": b.proof,
        "bound_on": b.bound_on.isoformat(),
        "unbound_on": b.unbound_on.isoformat() if b.unbound_on else None,
        "active": b.active,
        "temporary": b.temporary,
        "member": b.member,
        "verified_on": b.verified_on.isoformat() if b.verified_on else None,
    }


def bound_payload(s, result) -> dict[str, Any]:
    b = result.binding
    notes = [str(n) for n in result.notes]
    return {
        "binding": {**binding_json(b), "payer": person(result.payer.id, result.payer.name)},
        "notes": notes,
    }


def unbound_payload(s, result: Unbound) -> dict[str, Any]:
    return {"binding": binding_json(result.binding), "released_quota": yuan(result.released)}


def family_payload(s, records, result) -> dict[str, Any]:
    return {
        "payer": person(result.payer.id, result.payer.name),
        "members": [binding_json(b) for b in result.members],
        "history": [binding_json(b) for b in result.history],
    }


def verified_payload(s, b) -> dict[str, Any]:
    return {"binding": binding_json(b)}


@json_view(bound_payload)
def show_bound(s, result) -> None:
    b = result.binding
    notes = [str(n) for n in result.notes]
    success(t("bind.done", name=b.name, id=mask(b.relative), relation=relation_name(b.relation)))
    out = console()
    for note in notes:
        bullet(out, note)


@json_view(unbound_payload)
def show_unbound(s, result: Unbound) -> None:
    b = result.binding
    assert b.unbound_on is not None  # an ended binding has its end date
    success(t("unbind.done", name=b.name, id=mask(b.relative), date=b.unbound_on.isoformat()))
    if result.released:
        bullet(console(), t("unbind.released", amount=yuan(result.released)))


def _widest(history, column: str, wheres: list[str]) -> int | None:
    """The cells of the longest name or relation (and its header's longest word), at
    most 14; of the longest year-and-place line, at most 14; None for the others."""
    from rich.cells import cell_len

    if column == "col.name":
        words = [b.name for b in history]
    elif column == "col.relation":
        words = [w for b in history for w in relation_name(b.relation).split()]
    elif column == "col.enrolment":  # a year and its place on one line (2026 Mianyang)
        lines = [line for where in wheres for line in where.split("\n") if line[:1].isdigit()]
        return min(max((cell_len(line) for line in lines), default=0), 14) or None
    else:
        return None
    words += t(column).split()
    return min(max((cell_len(w) for w in words), default=0), 14)


def _where(s, records, b) -> str:
    """A member's last two enrolments, a year and its place a line; or employee insurance."""
    if records.holds_employee_insurance(b.relative):
        return t("family.employee")
    enrolments = records.enrolments.get(b.relative, [])
    where = "\n".join(f"{e.year} {region_name(s.policy, e.region)}" for e in enrolments[-2:])
    return where or t("family.none")


@json_view(family_payload)
def show_family(s, records, result) -> None:
    out = console()
    wheres = [_where(s, records, b) for b in result.history]
    table = list_table(t("family.title", name=result.payer.name))
    for column in (
        "col.name",
        "col.id",
        "col.relation",
        "col.enrolment",
        "col.bound_on",
        "col.state",
    ):
        # an ID or a date broken across lines is misread; the words around them wrap
        # a name or a relation (grandparen/t, 张小/雨) whole when the table still fits
        table.add_column(
            t(column),
            no_wrap=column in ("col.id", "col.bound_on"),
            min_width=_widest(result.history, column, wheres),
        )
    for b, where in zip(result.history, wheres, strict=True):
        state = (
            t("family.active") + "\n" + t(f"member.short.{b.member}")
            if b.active
            else t("family.ended", date=b.unbound_on.isoformat())
        )
        table.add_row(
            esc(b.name),
            mask(b.relative),
            relation_name(b.relation),
            esc(where),
            b.bound_on.isoformat(),
            state,
            style=None if b.active else "dim",
        )
    if not result.history:
        out.print(t("family.empty"))
        return
    out.print(table)
    if any(b.active and b.temporary for b in result.history):
        out.print()
        out.print(f"[dim]{t('family.temporary_note')}[/]")


@json_view(verified_payload)
def show_verified(s, b) -> None:
    success(t("verify.done", name=b.name, id=mask(b.relative)))
