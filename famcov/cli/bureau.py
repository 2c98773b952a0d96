"""The setup side, what the insurance bureau's records hold (init, admin ...), the
cross-province quota (quota ...) and doctor: one thin function a command.
"""

# No `from __future__ import annotations` here: typer reads the annotations of
# every command at every start, and as strings each one costs a compile (~5 ms).

from typing import TYPE_CHECKING, Annotated

import typer

from famcov import people, requests, values
from famcov.cli.app import (
    Amount,
    Force,
    Name,
    Opt,
    PersonId,
    Region,
    Texts,
    Year,
    _s,
    admin,
    app,
    quota,
    takes,
)
from famcov.errors import FamcovError
from famcov.session import Session, real_today

if TYPE_CHECKING:
    from famcov.domain.model import EmployeeInsured, Enrolment


@app.command()
def init(
    ctx: typer.Context,
    demo: Annotated[bool, Opt("--demo", help="Fill the new state with the demo family.")] = False,
    force: Force = False,
) -> None:
    """Create the state file."""
    from famcov.features import bureau

    s = _s(ctx)
    from famcov import setups

    story = setups.load("demo") if demo else None
    with s.store.creating(force=force) as records:
        if story is not None:
            # a fresh state: no scenario's date carries over from the file it replaces
            bureau.run_setup(records, s.policy, s.today_given or real_today(), story["setup"])
    bureau.show_initialised(s, records, demo=story)


@admin.command("add-worker")
def add_worker(
    ctx: typer.Context,
    id_: PersonId = None,
    name: Name = None,
    region: Region = None,
    balance: Annotated[str | None, Opt("--balance", help="Opening balance in yuan.")] = None,
    status: Annotated[str, Opt("--status", help="active or suspended.")] = "active",
) -> None:
    """An employee-insured worker and their personal account."""
    from famcov.features import bureau

    s = _s(ctx)
    id_, name, region, balance = s.require(id=id_, name=name, region=region, balance=balance)
    parsed = dict(
        name=values.name(name),
        region=s.policy.find_region(region),
        balance=values.amount(balance, flag="--balance", allow_zero=True),
        status=values.status(status),
    )
    with s.store.transaction() as records:
        person = values.person_id(id_, flag="--id", today=s.today, known=records.names)
        worker = bureau.add_worker(records, s.today, person_id=person, **parsed)
    bureau.show_worker_added(s, worker)


@admin.command("enrol")
def enrol(
    ctx: typer.Context,
    id_: PersonId = None,
    name: Name = None,
    region: Region = None,
    year: Year = None,
    employee: Annotated[
        bool, Opt("--employee", help="Mark as holding employee insurance instead.")
    ] = False,
) -> None:
    """A resident-insurance enrolment, or with --employee an employee-insured person."""
    from famcov.features import bureau

    s = _s(ctx)
    if employee:
        id_, name = s.require(id=id_, name=name)
    else:
        id_, name, region, year = s.require(id=id_, name=name, region=region, year=year)
    checked_name = values.name(name)
    region_ = None if region is None or employee else s.policy.find_region(region)
    year_ = None if year is None or employee else values.year(year)
    with s.store.transaction() as records:
        person = values.person_id(id_, flag="--id", today=s.today, known=records.names)
        result: EmployeeInsured | Enrolment
        if region_ is None or year_ is None:  # --employee
            result = bureau.mark_employee(records, person_id=person, name=checked_name)
        else:
            result = bureau.enrol(
                records,
                person_id=person,
                name=checked_name,
                region=region_,
                year=year_,
                today=s.today,
            )
    bureau.show_enrolled(s, result)


@admin.command("move")
def move(
    ctx: typer.Context,
    id_: PersonId = None,
    region: Region = None,
) -> None:
    """The worker's insurance moves to another region; cross-province quotas end."""
    from famcov.features import bureau

    s = _s(ctx)
    id_, region = s.require(id=id_, region=region)
    region_ = s.policy.find_region(region)
    with s.store.transaction() as records:
        person = people.find_payer(records, id_, s.today, flag="--id")
        worker = bureau.move(records, s.policy, s.today, person_id=person, region=region_)
    bureau.show_moved(s, worker)


@quota.command("reserve")
@takes(requests.MEMBER)
def quota_reserve(s: Session, texts: Texts, amount: Amount = None) -> None:
    """Set a quota aside for a relative insured in another province."""
    from famcov.features import cross_province

    given = texts.given(s)
    given.require()
    if amount is None:
        raise FamcovError("MISSING_OPTION", {"flag": "--amount"})
    amount_ = requests.AMOUNT.parse_text(s, amount)
    with s.store.transaction() as records:
        result = cross_province.reserve(records, s.policy, s.today, given.request(records), amount_)
    cross_province.show_quota(s, result)


@quota.command("release")
@takes(requests.MEMBER)
def quota_release(s: Session, texts: Texts) -> None:
    """End a relative's quota: what is left of it is the worker's to spend again."""
    from famcov.features import cross_province

    given = texts.given(s)
    given.require()
    with s.store.transaction() as records:
        result = cross_province.release(records, s.today, given.request(records))
    cross_province.show_quota(s, result)


@admin.command("record-payment")
def record_payment(
    ctx: typer.Context,
    id_: PersonId = None,
    year: Year = None,
    channel: Annotated[
        str | None, Opt("--channel", help="tax, bank, wechat, alipay, school or counter.")
    ] = None,
) -> None:
    """A premium paid through another channel."""
    from famcov.features import bureau

    s = _s(ctx)
    id_, year, channel = s.require(id=id_, year=year, channel=channel)
    year_, channel_ = values.year(year), values.channel(channel)
    with s.store.transaction() as records:
        person = people.new_relative_id(records, id_, s.today, flag="--id")  # or a known name
        record = bureau.record_payment(
            records, s.today, person_id=person, year=year_, channel=channel_
        )
    bureau.show_paid_elsewhere(s, record)


@admin.command("record-claim")
def record_claim(
    ctx: typer.Context,
    id_: Annotated[str | None, Opt("--id")] = None,
    year: Annotated[str | None, Opt("--year")] = None,
) -> None:
    """The relative used benefits of a year (已享受待遇): no revocation of it afterwards."""
    from famcov.features import bureau

    s = _s(ctx)
    s.require(id=id_, year=year)
    assert id_ is not None and year is not None  # required just above
    year_ = values.year(year)
    with s.store.transaction() as records:
        person = people.new_relative_id(records, id_, s.today, flag="--id")
        claim = bureau.record_claim(records, s.today, person_id=person, year=year_)
    bureau.show_claimed(s, claim)


@admin.command("credit")
def credit(
    ctx: typer.Context,
    id_: PersonId = None,
    amount: Amount = None,
) -> None:
    """Money into a worker's account (the monthly transfer)."""
    from famcov.features import bureau

    s = _s(ctx)
    id_, amount = s.require(id=id_, amount=amount)
    fen = values.amount(amount)
    with s.store.transaction() as records:
        person = people.find_payer(records, id_, s.today, flag="--id")
        entry = bureau.credit(records, s.today, person_id=person, amount=fen)
        worker = records.worker(person)
    bureau.show_credited(s, worker, entry)


@admin.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[str | None, typer.Argument(help="CSV file, or - for standard input.")] = None,
) -> None:
    """Many records at once from CSV; all or nothing."""
    from famcov.features import importing

    s = _s(ctx)
    (file,) = s.require(FILE=file)
    from famcov.files import read_import

    text = read_import(file)
    with s.store.transaction() as records:
        added = importing.import_csv(records, s.policy, s.today, text)
    importing.show_imported(s, added)


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check the whole state file and say what is wrong; never changes it (exit 3 if unhealthy)."""
    from famcov import doctor as checkup

    s = _s(ctx)
    code = checkup.render(s, checkup.examine(s.store))
    if code:
        raise typer.Exit(code)
