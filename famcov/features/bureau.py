"""Setup side, the bureau's records: workers, enrolments, premiums paid through
other channels, monthly credits, a worker's move, the demo and scenario setups
(`famcov init`, `famcov admin ...`): use cases, JSON shapes and views.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from famcov import people, values
from famcov.contract import person, region_json, worker_json
from famcov.domain.ids import mask
from famcov.domain.model import (
    Channel,
    Claim,
    EmployeeInsured,
    Enrolment,
    LedgerEntry,
    PaidElsewhere,
    Worker,
    WorkerStatus,
)
from famcov.domain.money import yuan
from famcov.domain.policy import Policy, Region
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
    MemberRequest,
    PaymentRequest,
    ReturnRequest,
    RevokeRequest,
    build,
)


def add_worker(
    records: Records,
    today: dt.date,
    *,
    person_id: str,
    name: str,
    region: Region,
    balance: int,
    status: WorkerStatus = "active",
) -> Worker:
    if records.worker(person_id) is not None:
        raise FamcovError("ALREADY_EXISTS", {"what": Msg("word.worker"), "id": mask(person_id)})
    people.same_name(records, person_id, name)
    worker = Worker(id=person_id, name=name, region=region.code, balance=0, status=status)
    records.add_worker(worker)
    records.post(worker, "opening", balance, today)
    return worker


def enrol(
    records: Records,
    *,
    person_id: str,
    name: str,
    region: Region,
    year: int,
    today: dt.date | None = None,
) -> Enrolment:
    people.same_name(records, person_id, name)
    for e in records.enrolments.get(person_id, ()):
        if e.year == year:
            raise FamcovError(
                "ALREADY_EXISTS",
                {"what": Msg("word.enrolment", {"year": year}), "id": mask(person_id)},
            )
    moved_from = latest_region(records, person_id) if today is not None else None
    enrolment = Enrolment(id=person_id, name=name, region=region.code, year=year)
    records.add_enrolment(enrolment)
    if today is not None and moved_from not in (None, region.code):
        # insured in another 统筹地区 now: every quota reserved for them ends (2026 notice)
        for payer in {b.payer for b in records.state.bindings if b.relative == person_id}:
            cross_province.release_quota(records, payer, person_id, today)
    return enrolment


def latest_region(records: Records, person_id: str) -> str | None:
    enrolments = records.enrolments.get(person_id, ())
    return max(enrolments, key=lambda e: e.year).region if enrolments else None


def mark_employee(records: Records, *, person_id: str, name: str) -> EmployeeInsured:
    people.same_name(records, person_id, name)
    if records.holds_employee_insurance(person_id):
        raise FamcovError("ALREADY_EXISTS", {"what": Msg("word.employee"), "id": mask(person_id)})
    employee = EmployeeInsured(id=person_id, name=name)
    records.add_employee(employee)
    return employee


def record_payment(
    records: Records, today: dt.date, *, person_id: str, year: int, channel: Channel
) -> PaidElsewhere:
    if not records.is_known(person_id):
        raise FamcovError(
            "UNKNOWN_PERSON", {"id": mask(person_id), "hint": Msg("hint.enrol_person")}
        )
    if (person_id, year) in records.paid_elsewhere:
        raise FamcovError(
            "ALREADY_EXISTS",
            {"what": Msg("word.paid_elsewhere", {"year": year}), "id": mask(person_id)},
        )
    record = PaidElsewhere(id=person_id, year=year, channel=channel, recorded_on=today)
    records.add_paid_elsewhere(record)
    return record


def record_claim(records: Records, today: dt.date, *, person_id: str, year: int) -> Claim:
    """已享受待遇: the relative used benefits of `year` today (a claim settled)."""
    if not records.is_known(person_id):
        raise FamcovError(
            "UNKNOWN_PERSON", {"id": mask(person_id), "hint": Msg("hint.enrol_person")}
        )
    claims = records.state.claims
    if any(c.id == person_id and c.year == year for c in claims):
        raise FamcovError(
            "ALREADY_EXISTS",
            {"what": Msg("bureau.word.claim", {"year": year}), "id": mask(person_id)},
        )
    claim = Claim(id=person_id, year=year, on=today)
    claims.append(claim)
    return claim


def credit(records: Records, today: dt.date, *, person_id: str, amount: int) -> LedgerEntry:
    worker = people.known_worker(records, person_id)
    return records.post(worker, "credit", amount, today)


def move(
    records: Records, policy: Policy, today: dt.date, *, person_id: str, region: Region
) -> Worker:
    """The worker's insurance moves to another 统筹地区: their quotas end (2026 notice)."""
    worker = people.known_worker(records, person_id)
    if worker.region != region.code:
        worker.region = region.code
        related = {e.relative for e in records.ledger_by_account.get(worker.id, ()) if e.relative}
        for relative in sorted(related):
            cross_province.release_quota(records, worker.id, relative, today)
    return worker


def run_setup(
    records: Records, policy: Policy, today: dt.date, steps: list[dict[str, Any]]
) -> None:
    """Build records from a list of steps (data/demo.json, data/scenarios/*.json),
    through the same actions a person or a script would use."""
    for step in steps:
        on = values.date(step["on"], flag="on") if "on" in step else today
        op = step["op"]
        if op == "worker":
            add_worker(
                records,
                on,
                person_id=step["id"],
                name=step["name"],
                region=people.known_region(policy, step["region"]),
                balance=values.amount(step["balance"], allow_zero=True),
                status=step.get("status", "active"),
            )
        elif op == "enrol":
            enrol(
                records,
                person_id=step["id"],
                name=step["name"],
                region=people.known_region(policy, step["region"]),
                year=values.year(step["year"], flag="year"),
                today=on,
            )
        elif op == "employee":
            mark_employee(records, person_id=step["id"], name=step["name"])
        elif op == "paid-elsewhere":
            record_payment(
                records,
                on,
                person_id=step["id"],
                year=values.year(step["year"], flag="year"),
                channel=step["channel"],
            )
        elif op == "credit":
            credit(records, on, person_id=step["id"], amount=values.amount(step["amount"]))
        elif op == "claim":
            record_claim(
                records, on, person_id=step["id"], year=values.year(step["year"], flag="year")
            )
        elif op == "bind":
            family_account.bind(records, policy, on, build(BindRequest, step, accepted=True))
        elif op == "verify":
            family_account.verify(records, on, build(MemberRequest, step))
        elif op == "reserve":
            cross_province.reserve(
                records, policy, on, build(MemberRequest, step), values.amount(step["amount"])
            )
        elif op == "release":
            cross_province.release(records, on, build(MemberRequest, step))
        elif op == "move":
            region = people.known_region(policy, step["region"])
            move(records, policy, on, person_id=step["id"], region=region)
        elif op == "pay":
            region, year = (
                people.known_region(policy, step["region"]),
                values.year(step["year"], flag="year"),
            )
            proxy_payment.pay(
                records, policy, on, build(PaymentRequest, step, region=region, year=year)
            )
        elif op == "revoke":
            revocation.revoke(records, policy, on, build(RevokeRequest, step))
        elif op == "pay-tax":
            region = people.known_region(policy, step["region"])
            year = values.year(step["year"], flag="year")
            tax_return.pay_by_tax(
                records, policy, on, build(PaymentRequest, step, region=region, year=year)
            )
        elif op == "claim-return":
            year = values.year(step["year"], flag="year")
            tax_return.claim_return(records, policy, on, build(ReturnRequest, step, year=year))
        else:
            raise FamcovError("BAD_POLICY", {"file": "setup", "problem": f"unknown step {op!r}"})


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


def credited_payload(s, worker, entry) -> dict[str, Any]:
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
def show_credited(s, worker, entry) -> None:
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
