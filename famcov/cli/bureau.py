"""The setup side, what the insurance bureau's records hold (init, admin ...), the
cross-province quota (quota ...) and doctor: one thin function a command, and a row of
ONE_USE_CASE (below) a command that is one use case on its flags and nothing else.
"""

# No `from __future__ import annotations` here: typer reads the annotations of
# every command at every start, and as strings each one costs a compile (~5 ms).

import importlib
from typing import Annotated, Any

import typer

from famcov import completion, requests, values
from famcov.cli.app import (
    Force,
    Opt,
    Texts,
    _s,
    admin,
    app,
    quota,
    takes,
)
from famcov.session import Session, real_today


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
@takes(requests.WORKER)
def add_worker(
    s: Session,
    texts: Texts,
    status: Annotated[
        str, Opt("--status", autocompletion=completion.statuses, help="active or suspended.")
    ] = "active",
) -> None:
    """An employee-insured worker and their personal account."""
    from famcov.features import bureau

    given = texts.complete(s)
    worker = given.commit(bureau.add_worker, status=values.status(status))
    bureau.show_worker_added(s, worker)


@admin.command("enrol")
@takes(requests.ENROLMENT)
def enrol(
    s: Session,
    texts: Texts,
    employee: Annotated[
        bool, Opt("--employee", help="Mark as holding employee insurance instead.")
    ] = False,
) -> None:
    """A resident-insurance enrolment, or with --employee an employee-insured person."""
    from famcov.features import bureau

    if employee:  # an employee has no enrolment: its region and year are not read
        texts.update(region=None, year=None)
    given = texts.complete(s, *(("region", "year") if employee else ()))
    bureau.show_enrolled(s, given.commit(bureau.mark_employee if employee else bureau.enrol))


def _one_use_case(
    group: typer.Typer, name: str, spec: requests.Spec[Any], use: str, view: str
) -> None:
    """`famcov GROUP NAME`: the spec's flags, every one required, make its request; the
    use case `use` ("module.function" of famcov.features) runs on it in one transaction,
    and the module's `view` shows what it returned. Its help is the catalogues'
    (help.GROUP.NAME), as every command's."""

    def command(s: Session, texts: Texts) -> None:
        module, function = use.split(".")
        feature = importlib.import_module(f"famcov.features.{module}")
        getattr(feature, view)(s, texts.complete(s).commit(getattr(feature, function)))

    command.__name__ = command.__qualname__ = name.replace("-", "_")
    group.command(name)(takes(spec)(command))


# The bureau's records and the cross-province quota that are one use case each, in the
# order `famcov admin --help` and `famcov quota --help` list them.
ONE_USE_CASE: dict[typer.Typer, list[tuple[str, requests.Spec[Any], str, str]]] = {
    # group: [(name, spec, use case, view)]
    admin: [
        ("move", requests.MOVE, "bureau.move", "show_moved"),
        ("record-payment", requests.PAID_ELSEWHERE, "bureau.record_payment", "show_paid_elsewhere"),
        ("record-claim", requests.CLAIM, "bureau.record_claim", "show_claimed"),
        ("credit", requests.CREDIT, "bureau.credit", "show_credited"),
    ],
    quota: [
        ("reserve", requests.QUOTA, "cross_province.reserve", "show_quota"),
        ("release", requests.MEMBER, "cross_province.release", "show_quota"),
    ],
}
for group, commands in ONE_USE_CASE.items():
    for name, spec, use, view in commands:
        _one_use_case(group, name, spec, use, view)


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
