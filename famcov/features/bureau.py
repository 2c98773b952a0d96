"""Setup side, the bureau's records: workers, enrolments, premiums paid through
other channels, monthly credits, a worker's move, the demo and scenario setups
(`famcov init`, `famcov admin ...`): use cases, JSON shapes and views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from famcov import people, requests, values
from famcov.contract import person, region_json, worker_json
from famcov.domain.ids import mask
from famcov.domain.model import (
    Claim,
    EmployeeInsured,
    Enrolment,
    LedgerEntry,
    PaidElsewhere,
    Worker,
)
from famcov.domain.money import yuan
from famcov.domain.policy import Policy
from famcov.domain.records import Records
from famcov.errors import FamcovError
from famcov.features import (
    cross_province,
    family_account,
    lookup,
    proxy_payment,
    revocation,
    tax_return,
)
from famcov.i18n import Msg, t
from famcov.output.render import console, done, esc, json_view, region_name, text_from
from famcov.requests import (
    BindRequest,
    EnrolRequest,
    MemberRequest,
    PaymentRequest,
    QuotaRequest,
    RecordRequest,
    ReturnRequest,
    RevokeRequest,
    WorkerRequest,
    build,
)


def add_worker(records: Records, policy: Policy, today: dt.date, request: WorkerRequest) -> Worker:
    person_id = request.id
    if records.worker(person_id) is not None:
        raise FamcovError("ALREADY_EXISTS", {"what": Msg("word.worker"), "id": mask(person_id)})
    people.same_name(records, person_id, request.name)
    worker = Worker(
        id=person_id,
        name=request.name,
        region=request.region.code,
        balance=0,
        status=request.status,
    )
    records.add_worker(worker)
    records.post(worker, "opening", request.balance, today)
    return worker


def enrol(records: Records, policy: Policy, today: dt.date, request: EnrolRequest) -> Enrolment:
    """A resident enrolment of a year; insured in another region than before, every
    quota reserved for the person ends (2026 notice)."""
    person_id, region, year = request.id, request.region, request.year
    assert region is not None and year is not None  # an employee is mark_employee's
    people.same_name(records, person_id, request.name)
    for e in records.enrolments.get(person_id, ()):
        if e.year == year:
            raise FamcovError(
                "ALREADY_EXISTS",
                {"what": Msg("word.enrolment", {"year": year}), "id": mask(person_id)},
            )
    moved_from = latest_region(records, person_id)
    enrolment = Enrolment(id=person_id, name=request.name, region=region.code, year=year)
    records.add_enrolment(enrolment)
    if moved_from not in (None, region.code):
        for payer in {b.payer for b in records.state.bindings if b.relative == person_id}:
            cross_province.release_quota(records, payer, person_id, today)
    return enrolment


def latest_region(records: Records, person_id: str) -> str | None:
    enrolments = records.enrolments.get(person_id, ())
    return max(enrolments, key=lambda e: e.year).region if enrolments else None


def mark_employee(
    records: Records, policy: Policy, today: dt.date, request: EnrolRequest
) -> EmployeeInsured:
    people.same_name(records, request.id, request.name)
    if records.holds_employee_insurance(request.id):
        raise FamcovError("ALREADY_EXISTS", {"what": Msg("word.employee"), "id": mask(request.id)})
    employee = EmployeeInsured(id=request.id, name=request.name)
    records.add_employee(employee)
    return employee


def _known(records: Records, person_id: str) -> None:
    if not records.is_known(person_id):
        raise FamcovError(
            "UNKNOWN_PERSON", {"id": mask(person_id), "hint": Msg("hint.enrol_person")}
        )


def record_payment(
    records: Records, policy: Policy, today: dt.date, request: RecordRequest
) -> PaidElsewhere:
    person_id, year, channel = request.id, request.year, request.channel
    assert year is not None and channel is not None  # PAID_ELSEWHERE's fields
    _known(records, person_id)
    if (person_id, year) in records.paid_elsewhere:
        raise FamcovError(
            "ALREADY_EXISTS",
            {"what": Msg("word.paid_elsewhere", {"year": year}), "id": mask(person_id)},
        )
    record = PaidElsewhere(id=person_id, year=year, channel=channel, recorded_on=today)
    records.add_paid_elsewhere(record)
    return record


def record_claim(records: Records, policy: Policy, today: dt.date, request: RecordRequest) -> Claim:
    """已享受待遇: the relative used benefits of the year today (a claim settled)."""
    person_id, year = request.id, request.year
    assert year is not None  # CLAIM's field
    _known(records, person_id)
    claims = records.state.claims
    if any(c.id == person_id and c.year == year for c in claims):
        raise FamcovError(
            "ALREADY_EXISTS",
            {"what": Msg("bureau.word.claim", {"year": year}), "id": mask(person_id)},
        )
    claim = Claim(id=person_id, year=year, on=today)
    claims.append(claim)
    return claim


def credit(
    records: Records, policy: Policy, today: dt.date, request: RecordRequest
) -> tuple[Worker, LedgerEntry]:
    """The monthly transfer: the worker and the ledger entry it made."""
    assert request.amount is not None  # CREDIT's field
    worker = people.known_worker(records, request.id)
    return worker, records.post(worker, "credit", request.amount, today)


def move(records: Records, policy: Policy, today: dt.date, request: RecordRequest) -> Worker:
    """The worker's insurance moves to another 统筹地区: their quotas end (2026 notice)."""
    assert request.region is not None  # MOVE's field
    worker = people.known_worker(records, request.id)
    if worker.region != request.region.code:
        worker.region = request.region.code
        related = {e.relative for e in records.ledger_by_account.get(worker.id, ()) if e.relative}
        for relative in sorted(related):
            cross_province.release_quota(records, worker.id, relative, today)
    return worker


# What each setup step (data/demo.json, data/scenarios/*.json) does: its request and
# its use case, the same a person or a script would use.
SETUP_STEPS: dict[str, tuple[type[Any], Callable[..., Any], dict[str, Any]]] = {
    "worker": (WorkerRequest, add_worker, {}),
    "enrol": (EnrolRequest, enrol, {}),
    "employee": (EnrolRequest, mark_employee, {}),
    "paid-elsewhere": (RecordRequest, record_payment, {}),
    "credit": (RecordRequest, credit, {}),
    "claim": (RecordRequest, record_claim, {}),
    "move": (RecordRequest, move, {}),
    "bind": (BindRequest, family_account.bind, {"accepted": True}),
    "verify": (MemberRequest, family_account.verify, {}),
    "reserve": (QuotaRequest, cross_province.reserve, {}),
    "release": (MemberRequest, cross_province.release, {}),
    "pay": (PaymentRequest, proxy_payment.pay, {}),
    "revoke": (RevokeRequest, revocation.revoke, {}),
    "pay-tax": (PaymentRequest, tax_return.pay_by_tax, {}),
    "claim-return": (ReturnRequest, tax_return.claim_return, {}),
}


def run_setup(
    records: Records, policy: Policy, today: dt.date, steps: list[dict[str, Any]]
) -> None:
    """Build records from a list of steps (data/demo.json, data/scenarios/*.json),
    through the same use cases a person or a script would use."""
    for step in steps:
        on = values.date(step["on"], flag="on") if "on" in step else today
        if step["op"] not in SETUP_STEPS:
            raise FamcovError(
                "BAD_POLICY", {"file": "setup", "problem": f"unknown step {step['op']!r}"}
            )
        kind, action, extra = SETUP_STEPS[step["op"]]
        needs = _SETUP_NEEDS.get(step["op"])
        lacking = [f.key for f in needs.fields if f.key not in step] if needs else []
        if lacking:
            problem = f"step {step['op']!r} lacks {lacking[0]!r}"
            raise FamcovError("BAD_POLICY", {"file": "setup", "problem": problem})
        read = _SETUP_READS.get(step["op"], kind.__struct_fields__)
        action(records, policy, on, build(kind, _setup_values(policy, read, step), **extra))


# A fact of the bureau's records (RecordRequest) has every field but the ID optional,
# an enrolment its region and year: the step carries what its use case reads, as the
# command's flags must.
_SETUP_NEEDS: dict[str, requests.Spec[Any]] = {
    "enrol": requests.ENROLMENT,  # region and year: only an employee has none
    "paid-elsewhere": requests.PAID_ELSEWHERE,
    "claim": requests.CLAIM,
    "credit": requests.CREDIT,
    "move": requests.MOVE,
}


# An employee has no enrolment: its step's region and year, if any, are not read.
_SETUP_READS = {"employee": ("id", "name")}


def _setup_values(policy: Policy, read: tuple[str, ...], step: dict[str, Any]) -> dict[str, Any]:
    """A setup step's values (those named in `read`, its request's fields) as the request
    takes them: a region found in the policy, a year checked, yuan in fen."""
    parse = {
        "region": lambda v: people.known_region(policy, v),
        "year": lambda v: values.year(v, flag="year"),
        "amount": values.amount,
        "balance": lambda v: values.amount(v, allow_zero=True),
    }
    return {k: parse[k](v) if k in parse else v for k, v in step.items() if k in read}


def enrolled_payload(s, result) -> dict[str, Any]:
    if not hasattr(result, "year"):
        return {"employee": person(result.id, result.name)}
    return {
        "enrolment": {
            **person(result.id, result.name),
            "region": region_json(s.policy, result.region),
            "year": result.year,
        }
    }


def initialised_payload(s, records, *, demo: dict[str, Any] | None) -> dict[str, Any]:
    state = records.state
    counts = {
        "workers": len(state.workers),
        "enrolments": len(state.enrolments),
        "bindings": len(state.bindings),
        "payments": len(state.payments),
    }
    payers = [person(w.id, w.name) for w in state.workers]
    return {
        "state": str(s.state_path),
        "demo": demo is not None,
        "counts": counts,
        "workers": payers,
    }


def worker_added_payload(s, worker) -> dict[str, Any]:
    return {"worker": worker_json(s, worker)}


def paid_elsewhere_payload(s, record) -> dict[str, Any]:
    return {
        "paid_elsewhere": {
            "id": mask(record.id),
            "year": record.year,
            "channel": record.channel,
            "recorded_on": record.recorded_on.isoformat(),
        }
    }


def claimed_payload(s, claim) -> dict[str, Any]:
    return {"claim": {"id": mask(claim.id), "year": claim.year, "on": claim.on.isoformat()}}


def credited_payload(s, credited: tuple[Worker, LedgerEntry]) -> dict[str, Any]:
    worker, entry = credited
    return {
        "account": person(worker.id, worker.name),
        "amount": yuan(entry.amount),
        "balance": yuan(worker.balance),
        "entry": lookup.ledger_json(entry),
    }


def moved_payload(s, worker) -> dict[str, Any]:
    return {"worker": worker_json(s, worker)}


@json_view(initialised_payload)
def show_initialised(s, records, *, demo: dict[str, Any] | None) -> None:
    """A new state file; with the demo family (`demo`, data/demo.json), its story."""
    done(t("init.done", path=str(s.state_path)))
    if demo is not None:
        story = demo
        out = console()
        out.print(esc(text_from(story["title"])), style="bold")
        out.print(esc(text_from(story["story"])))
        out.print(t("init.demo_next"))


@json_view(worker_added_payload)
def show_worker_added(s, worker) -> None:
    done(
        t(
            "admin.worker_added",
            name=worker.name,
            id=mask(worker.id),
            region=region_name(s.policy, worker.region),
            balance=yuan(worker.balance),
        )
    )


@json_view(enrolled_payload)
def show_enrolled(s, result) -> None:
    if not hasattr(result, "year"):
        done(t("admin.employee", name=result.name, id=mask(result.id)))
        return
    done(
        t(
            "admin.enrolled",
            name=result.name,
            id=mask(result.id),
            region=region_name(s.policy, result.region),
            year=result.year,
        )
    )


@json_view(paid_elsewhere_payload)
def show_paid_elsewhere(s, record) -> None:
    done(
        t(
            "admin.paid_elsewhere",
            id=mask(record.id),
            year=record.year,
            channel=t(f"channel.{record.channel}"),
        )
    )


@json_view(claimed_payload)
def show_claimed(s, claim) -> None:
    done(t("bureau.admin.claimed", id=mask(claim.id), year=claim.year, date=claim.on.isoformat()))


@json_view(credited_payload)
def show_credited(s, credited: tuple[Worker, LedgerEntry]) -> None:
    worker, entry = credited
    done(
        t(
            "admin.credited",
            name=worker.name,
            amount=yuan(entry.amount),
            balance=yuan(worker.balance),
        )
    )


@json_view(moved_payload)
def show_moved(s, worker) -> None:
    done(t("admin.moved", name=worker.name, region=region_name(s.policy, worker.region)))
