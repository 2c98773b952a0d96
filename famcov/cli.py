"""The command line: global options, one thin function per command.

Each command turns flags into parsed values (the same validators the wizard
uses), runs one action inside one store transaction, and renders the result
for a person or as JSON. Errors of every kind meet in `FamcovGroup.main`.
"""

# No `from __future__ import annotations` here: typer reads the annotations of
# every command at every start, and as strings each one costs a compile (~5 ms).

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click import exceptions as click_exceptions  # typer >= 0.20 vendors click
from typer.core import TyperGroup

from famcov import __version__, completion, lean_options, people, requests, signals, values
from famcov.errors import INTERRUPTED, FamcovError
from famcov.features import (
    bureau,
    cross_province,
    family_account,
    importing,
    lookup,
    policy_info,
    proxy_payment,
    revocation,
    tax_return,
)
from famcov.i18n import set_lang
from famcov.options import GLOBAL_VALUES, hoist, scan
from famcov.output import render
from famcov.run import Run
from famcov.session import Session, missing_argument, open_session, real_today

if TYPE_CHECKING:
    from famcov.domain.model import EmployeeInsured, Enrolment

lean_options.install()  # typer's pydantic conversion costs ~35 ms a run; see lean_options


class FamcovGroup(TyperGroup):
    """Runs every command with one error handler, for `famcov` and for CliRunner alike."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        given = list(sys.argv[1:] if args is None else args)
        # this run's own record (famcov.run): the entry's, or a new one for each run in
        # the same process (a test's CliRunner)
        this = extra.pop("obj", None) or Run()
        this.json = scan(given).json  # --json as given, for errors before the options

        def run():
            argv = hoist(given)  # a --state given twice is an error, said once
            if "--help" in argv:
                localise_help(self)
            if "--install-completion" in argv:
                from famcov.completion import localise_install

                localise_install(self)

            def call() -> Any:
                return super(FamcovGroup, self).main(
                    argv,
                    prog_name or "famcov",
                    complete_var,
                    standalone_mode=False,
                    windows_expand_args=windows_expand_args,
                    obj=this,
                    **extra,
                )

            if this.json and (action := _asks_completion(argv)):
                return _completion_as_json(call, action)
            return call()

        code = guarded(run, given, this)
        if not this.whole_process:
            signals.release()  # in-process (tests): Ctrl-C is the caller's again
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx):
        # typer turns Ctrl-C into a silent Exit(130); say it, once, through the one handler.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _interrupted(ctx.find_root().obj) from None
        except BrokenPipeError:
            # The reader went away while the result was printed. What was saved
            # stays saved, so this is no failure: a script that retried on one
            # would do the work twice.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return None

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click_exceptions.UsageError:
            raise FamcovError(
                "USAGE", {"detail": " ".join(args[:1])}, message_key="error.UNKNOWN_COMMAND"
            ) from None


def localise_help(command, path: tuple[str, ...] = ()) -> None:
    """Command and option help from the catalogues (help.<path>, opt.<flag>), in the
    language of this run; the texts written beside the code stay as the fallback."""
    from famcov.i18n import has, t
    from famcov.output.help_format import FoldingContext

    command.context_class = FoldingContext  # Chinese folded between words, in cells
    key = "help." + (".".join(path) or "root")
    if has(key):
        command.help = t(key)
        # the command list shows it whole (click would cut it at 45 characters with ...)
        command.short_help = command.help.split("\n", 1)[0]
    for param in command.params:
        name = param.opts[0] if param.param_type_name == "option" else param.name
        # a flag of one command that means something else there (admin record-payment
        # --channel: how a premium was paid) has its own key, else the flag's own
        for key in (f"opt.{'.'.join(path)}.{name}", f"opt.{name}"):
            if has(key):
                param.help = t(key)
                break
    original = command.get_help_option

    def get_help_option(ctx, original=original):
        option = original(ctx)
        if option is not None and has("opt.--help"):
            option.help = t("opt.--help")
        return option

    command.get_help_option = get_help_option
    for name, sub in getattr(command, "commands", {}).items():
        localise_help(sub, (*path, name))


def guarded(run, argv: list[str], this: Run) -> int:
    """`run()`, with every way it can end said once, in the run's language and mode
    (--json as given until the options are read), and its exit code."""
    scanned = scan(argv)  # --json and --lang as given, for errors raised before parsing
    json_mode = this.json = scanned.json
    set_lang(scanned.lang)
    render.lost.clear()  # the stream's failures of an earlier run in this process
    if signals.release():  # Ctrl-C while famcov was starting (entry.py): nothing was done
        signals.hold()
        render.error(FamcovError("INTERRUPTED"), json_mode=json_mode)
        return 130
    try:
        result = run()
        signals.hold()  # the result is out: a Ctrl-C now changes nothing about it
        render.finish(this)
        if result == INTERRUPTED:  # typer's own, silent, for a Ctrl-C while parsing
            raise KeyboardInterrupt
        return result if isinstance(result, int) else 0
    except FamcovError as exc:
        signals.hold()  # the error is printed whole: one JSON object, no traceback
        render.error(exc, json_mode=this.json_mode)
        render.finish(this)
        return exc.exit_code
    except click_exceptions.NoSuchOption as exc:
        error = FamcovError(
            "USAGE", {"detail": exc.option_name}, message_key="error.NO_SUCH_OPTION"
        )
    except click_exceptions.MissingParameter as exc:
        name = exc.param.name if exc.param is not None else "?"
        error = missing_argument(name.upper())
    except click_exceptions.BadOptionUsage as exc:
        error = FamcovError("MISSING_OPTION", {"flag": exc.option_name})
    except click_exceptions.UsageError as exc:
        error = FamcovError("USAGE", {"detail": exc.format_message().rstrip(".")})
    except (KeyboardInterrupt, typer.Abort):  # before anything was committed (signals.py)
        error = _interrupted(this)
    except MemoryError:  # a state or import too large for `ulimit -v`: said, not INTERNAL
        error = FamcovError("OUT_OF_MEMORY", {"outcome": _outcome(this)})
    except OSError as exc:  # a file the system refused, wherever famcov met it
        error = _os_error(exc, this)
    except Exception as exc:  # never a traceback; FAMCOV_DEBUG=1 shows it
        import os

        if os.environ.get("FAMCOV_DEBUG"):
            raise
        error = FamcovError("INTERNAL", {"detail": type(exc).__name__})
    signals.hold()
    render.error(error, json_mode=this.json_mode)
    render.finish(this)
    return error.exit_code


def _interrupted(this: Run) -> FamcovError:
    """INTERRUPTED, saying what was written: nothing, or (init --force stopped between
    its two writes) the old state's backup, with the state itself unchanged."""
    if this.kept and not this.saved:
        return FamcovError(
            "INTERRUPTED", {"backup": this.kept}, message_key="guard.interrupted_kept"
        )
    return FamcovError("INTERRUPTED")


_COMPLETION_FLAGS = ("--show-completion", "--install-completion")


def _asks_completion(argv: list[str]) -> str | None:
    """ "show" or "install" when argv asks for typer's completion, else None."""
    given = argv[: argv.index("--")] if "--" in argv else argv
    for arg in given:
        flag = arg.split("=", 1)[0]
        if flag in _COMPLETION_FLAGS:
            return flag.split("-")[2]
    return None


def _completion_as_json(call, action: str) -> int:
    """typer's --show-completion / --install-completion print text and exit; with
    --json what they print becomes one JSON object (a shell typer cannot serve: USAGE)."""
    import contextlib
    import io

    from famcov.domain.text import shown

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            code = call()
    except SystemExit as exc:
        code = exc.code
    text = out.getvalue()
    if code not in (0, None):
        raise FamcovError("USAGE", {"detail": shown(text.strip()[:200] or "completion")})
    render.ok({"completion": {"action": action, "output": text}})
    return 0


def _outcome(this: Run):
    """Whether this run's change was saved before it failed, as a sentence."""
    from famcov.i18n import Msg

    return Msg("guard.outcome_saved" if this.saved else "guard.outcome_nothing")


def _os_error(exc: OSError, this: Run) -> FamcovError:
    """An OSError no command turned into its own sentence: about the state file (or its
    lock, backups, temporary files) STATE_UNWRITABLE, exit 3; else FILE_UNUSABLE."""
    import errno

    from famcov.i18n import Msg

    known = {
        errno.ENAMETOOLONG: "guard.name_too_long",
        errno.EISDIR: "guard.is_folder",
        errno.EACCES: "export.no_permission",
        errno.EPERM: "export.no_permission",
        errno.ENOSPC: "export.disk_full",
        errno.ENOENT: "export.no_folder",
        errno.ENOTDIR: "export.no_folder",
    }
    problem = Msg(known[exc.errno]) if exc.errno in known else (exc.strerror or str(exc))
    path = str(exc.filename) if exc.filename is not None else "?"
    state = str(this.session.state_path) if this.session is not None else None
    if state is not None and (path == state or path.startswith(state + ".")):
        return FamcovError("STATE_UNWRITABLE", {"path": state, "problem": problem})
    outcome = _outcome(this)
    return FamcovError("FILE_UNUSABLE", {"path": path, "problem": problem, "outcome": outcome})


def failed_at_start(exc: BaseException) -> None:
    """`exc` before the command ran (a Ctrl-C while famcov loaded, or the wizard's first
    screen failing, famcov.front): said, and the exit code given, as for any command."""

    def again() -> None:
        raise exc

    _end(guarded(again, sys.argv[1:], Run(whole_process=True)))


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        if ctx.find_root().obj.json:  # one JSON object with --json, as everywhere
            render.ok({"version": __version__})
        else:
            print(f"famcov {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=FamcovGroup,
    add_completion=True,  # --install-completion / --show-completion: typer's own
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="famcov: 家庭共济代缴练习工具 / practise paying a relative's resident medical insurance "
    "from an employee personal account.",
)
admin = typer.Typer(
    cls=FamcovGroup,
    add_completion=False,
    rich_markup_mode=None,
    help="Setup: the insurance bureau's records (trainers and scripts).",
)
scenario = typer.Typer(
    cls=FamcovGroup, add_completion=False, rich_markup_mode=None, help="Training scenarios."
)
quota = typer.Typer(
    cls=FamcovGroup,
    add_completion=False,
    rich_markup_mode=None,
    help="跨省共济额度: a cross-province mutual-aid quota (the 2026 notice; a what-if pack).",
)
app.add_typer(admin, name="admin")
app.add_typer(scenario, name="scenario")
app.add_typer(quota, name="quota")

Opt = typer.Option

# Each option a command takes, declared once (its help comes from the catalogues:
# opt.<flag>, or opt.<command>.<flag> where a command gives a flag its own meaning).
Payer = Annotated[
    str | None, Opt("--payer", autocompletion=completion.payers, help="The worker: ID or name.")
]
Relative = Annotated[
    str | None,
    Opt("--relative", autocompletion=completion.relatives, help="The relative: ID or name."),
]
Region = Annotated[
    str | None, Opt("--region", autocompletion=completion.regions, help="Region code or name.")
]
Year = Annotated[str | None, Opt("--year", help="The year, YYYY.")]
Tier = Annotated[
    str | None, Opt("--tier", autocompletion=completion.tiers, help="Tier id or name.")
]
Yes = Annotated[bool, Opt("--yes", help="Do not ask for the final confirmation.")]
AcceptNoCover = Annotated[
    bool, Opt("--accept-no-cover", help="Confirm a payment that buys no cover this year.")
]
PersonId = Annotated[str | None, Opt("--id", help="Resident ID (or a known name).")]
Name = Annotated[str | None, Opt("--name", help="The person's name.")]
Amount = Annotated[str | None, Opt("--amount", help="Yuan, e.g. 200 or 200.50.")]
Force = Annotated[bool, Opt("--force", help="Replace an existing state file.")]
ReceiptNo = Annotated[
    str | None, typer.Argument(help="Receipt number.", autocompletion=completion.receipts)
]
ScenarioName = Annotated[
    str | None,
    typer.Argument(
        autocompletion=completion.scenarios, help="Scenario name (famcov scenario list)."
    ),
]


@app.callback()
def main_options(
    ctx: typer.Context,
    state: Annotated[
        str | None, Opt("--state", help="The JSON state file.", envvar=GLOBAL_VALUES["--state"])
    ] = None,
    lang: Annotated[
        str,
        Opt(
            "--lang",
            autocompletion=completion.languages,
            help="zh or en.",
            envvar=GLOBAL_VALUES["--lang"],
        ),
    ] = "zh",
    today: Annotated[
        str | None,
        Opt("--today", help="The simulated date, YYYY-MM-DD.", envvar=GLOBAL_VALUES["--today"]),
    ] = None,
    json_out: Annotated[bool, Opt("--json", help="Machine output on stdout.")] = False,
    explain: Annotated[bool, Opt("--explain", help="Training notes at every wizard step.")] = False,
    channel: Annotated[
        str | None,
        Opt(
            "--channel",
            autocompletion=completion.channels,
            help="The payment channel (see famcov policy).",
            envvar=GLOBAL_VALUES["--channel"],
        ),
    ] = None,
    version: Annotated[
        bool, Opt("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    set_lang(lang)  # an unknown one is Chinese, as the error that says so
    this: Run = ctx.obj
    session = open_session(
        state=state, lang=lang, today=today, json=json_out, explain=explain, channel=channel
    )
    session.run, this.session = this, session
    if ctx.invoked_subcommand is None:
        if json_out:
            raise FamcovError("USAGE", message_key="error.JSON_NEEDS_COMMAND")
        if not session.can_prompt:
            raise FamcovError("NEEDS_TERMINAL")
        from famcov.wizard import home

        home.run(session, first=this.first)


def _s(ctx: typer.Context) -> Session:
    return ctx.find_root().obj.session


def _wizard(session: Session, flow: str, **given):
    from famcov import wizard

    return wizard.start(session, flow, **given)


# -- setup -----------------------------------------------------------------------


@app.command()
def init(
    ctx: typer.Context,
    demo: Annotated[bool, Opt("--demo", help="Fill the new state with the demo family.")] = False,
    force: Force = False,
) -> None:
    """Create the state file."""
    s = _s(ctx)
    from famcov import setups

    story = setups.load("demo") if demo else None
    with s.store.creating(force=force) as records:
        if story is not None:
            # a fresh state: no scenario's date carries over from the file it replaces
            bureau.run_setup(records, s.policy, s.today_given or real_today(), story["setup"])
    bureau.show_initialised(s, records, demo=story)


@scenario.command("list")
def scenario_list(ctx: typer.Context) -> None:
    """The training scenarios in data/scenarios/."""
    from famcov.wizard import scenarios

    scenarios.list_command(_s(ctx))


@scenario.command("start")
def scenario_start(
    ctx: typer.Context,
    name: ScenarioName = None,
    force: Force = False,
) -> int:
    """A fresh state file from a scenario, which keeps its date; prints its brief."""
    from famcov.wizard import scenarios

    s = _s(ctx)
    if name is None:
        raise missing_argument("NAME")
    return scenarios.start_command(s, name, force=force)


@scenario.command("end")
def scenario_end(ctx: typer.Context) -> None:
    """The state forgets its scenario: commands use the real date (or --today) again."""
    from famcov.wizard import scenarios

    scenarios.end_command(_s(ctx))


@scenario.command("check")
def scenario_check(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None, typer.Argument(help="State files or folders (read only).")
    ] = None,
    watch: Annotated[
        bool, Opt("--watch", help="Redraw the table whenever a file changes, until Ctrl-C.")
    ] = False,
) -> None:
    """Grade practice against the scenario's goals: exit 0 when all are met, 1 otherwise."""
    from famcov import grading

    s = _s(ctx)
    code = grading.watch_command(s, files or []) if watch else grading.check_command(s, files or [])
    if code:
        raise typer.Exit(code)


@scenario.command("room")
def scenario_room(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            autocompletion=completion.scenarios, help="Scenario name (famcov scenario list)."
        ),
    ] = None,
    folder: Annotated[str | None, typer.Argument(metavar="DIR", help="The class's folder.")] = None,
    trainees: Annotated[
        str | None, Opt("--trainees", help="Names, a file of names, or a number.")
    ] = None,
    force: Annotated[bool, Opt("--force", help="Replace the trainees' existing files.")] = False,
) -> None:
    """A class: one state file per trainee, each started from the scenario."""
    from famcov import room

    s = _s(ctx)
    if name is None:
        raise missing_argument("NAME")
    if folder is None:
        raise missing_argument("DIR")
    s.require(trainees=trainees)
    room.room_command(s, name, folder, trainees or "", force=force)


@scenario.command("show")
def scenario_show(
    ctx: typer.Context,
    name: ScenarioName = None,
) -> None:
    """A scenario's brief again: story, people, steps, goals; the state file is not touched."""
    from famcov.wizard import scenarios

    if name is None:
        raise missing_argument("NAME")
    scenarios.show_command(_s(ctx), name)


@scenario.command("handout")
def scenario_handout(
    ctx: typer.Context,
    name: ScenarioName = None,
    fmt: Annotated[
        str | None,
        Opt("--format", autocompletion=completion.handout_formats, help="md or html."),
    ] = None,
    output: Annotated[str | None, Opt("--output", help="Write to this file.")] = None,
    trainee: Annotated[
        bool, Opt("--trainee", help="The trainee's copy: no results, commands or answers.")
    ] = False,
) -> None:
    """A printable handout: story, people, steps with what should happen, commands, goals."""
    from famcov import handout

    if name is None:
        raise missing_argument("NAME")
    handout.handout_command(_s(ctx), name, fmt, output, trainee=trainee)


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
    s = _s(ctx)
    id_, region = s.require(id=id_, region=region)
    region_ = s.policy.find_region(region)
    with s.store.transaction() as records:
        person = people.find_payer(records, id_, s.today, flag="--id")
        worker = bureau.move(records, s.policy, s.today, person_id=person, region=region_)
    bureau.show_moved(s, worker)


@quota.command("reserve")
def quota_reserve(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    amount: Amount = None,
) -> None:
    """Set a quota aside for a relative insured in another province."""
    s = _s(ctx)
    given = requests.MEMBER.given(s, payer=payer, relative=relative)
    given.require()
    if amount is None:
        raise FamcovError("MISSING_OPTION", {"flag": "--amount"})
    amount_ = requests.AMOUNT.parse_text(s, amount)
    with s.store.transaction() as records:
        request = given.request(requests.MemberRequest, records)
        result = cross_province.reserve(records, s.policy, s.today, request, amount_)
    cross_province.show_quota(s, result)


@quota.command("release")
def quota_release(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
) -> None:
    """End a relative's quota: what is left of it is the worker's to spend again."""
    s = _s(ctx)
    given = requests.MEMBER.given(s, payer=payer, relative=relative)
    given.require()
    with s.store.transaction() as records:
        result = cross_province.release(
            records, s.today, given.request(requests.MemberRequest, records)
        )
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
    s = _s(ctx)
    (file,) = s.require(FILE=file)
    from famcov.files import read_import

    text = read_import(file)
    with s.store.transaction() as records:
        added = importing.import_csv(records, s.policy, s.today, text)
    importing.show_imported(s, added)


# -- 亲情账户 ------------------------------------------------------------------------


@app.command()
def bind(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    name: Name = None,
    relation: Annotated[
        str | None,
        Opt(
            "--relation", autocompletion=completion.relations, help="child, 子女, parent, 父母, ..."
        ),
    ] = None,
    proof: Annotated[
        str | None,
        Opt("--proof", autocompletion=completion.proofs, help="Relation proof, e.g. 户口本."),
    ] = None,
    accept: Annotated[bool, Opt("--accept-commitment", help="Accept 《个人承诺书》.")] = False,
    confirm_gap: Annotated[
        bool, Opt("--confirm-gap", help="The unusual age gap the IDs show is right.")
    ] = False,
) -> None:
    """亲情账户 → 添加家庭成员: bind a relative to the worker's account."""
    s = _s(ctx)
    texts = dict(payer=payer, relative=relative, name=name, relation=relation, proof=proof)
    if s.can_prompt and (None in (payer, relative, name, relation) or not accept):
        return _wizard(s, "bind", **texts, accepted=accept, confirm_gap=confirm_gap)
    given = requests.BINDING.given(s, **texts)
    given.require("proof")
    with s.store.transaction() as records:
        request = given.request(
            requests.BindRequest, records, accepted=accept, confirm_gap=confirm_gap
        )
        result = family_account.bind(records, s.policy, s.today, request)
    family_account.show_bound(s, result)


@app.command()
def verify(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
) -> None:
    """人脸认证 (simulated): a temporary member becomes a full member."""
    s = _s(ctx)
    given = requests.MEMBER.given(s, payer=payer, relative=relative)
    given.require()
    with s.store.transaction() as records:
        request = given.request(requests.MemberRequest, records)
        binding = family_account.verify(records, s.today, request)
    family_account.show_verified(s, binding)


@app.command()
def unbind(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    yes: Yes = False,
) -> None:
    """解除绑定: end a binding (its history is kept)."""
    s = _s(ctx)
    if s.can_prompt and (None in (payer, relative) or not yes):
        return _wizard(s, "unbind", payer=payer, relative=relative)
    given = requests.MEMBER.given(s, payer=payer, relative=relative)
    given.require()
    s.confirmed(yes, "unbind")
    with s.store.transaction() as records:
        binding = family_account.unbind(
            records, s.today, given.request(requests.MemberRequest, records)
        )
        released = cross_province.released_quota(records, binding, s.today)
    family_account.show_unbound(s, binding, released=released)


@app.command()
def family(
    ctx: typer.Context,
    payer: Payer = None,
) -> None:
    """Bound members and binding history."""
    s = _s(ctx)
    (payer,) = s.require(payer=payer)
    records = s.store.records()
    result = family_account.family(records, payer_id=people.find_payer(records, payer, s.today))
    family_account.show_family(s, records, result)


# -- 个人账户代缴申请 --------------------------------------------------------------------


@app.command()
def check(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    region: Region = None,
    year: Year = None,
    tier: Tier = None,
    accept_no_cover: AcceptNoCover = False,
) -> None:
    """代缴信息校验: every rule, passed or not."""
    s = _s(ctx)
    given = requests.PAYMENT.given(
        s, payer=payer, relative=relative, region=region, year=year, tier=tier
    )
    given.require("tier")
    records = s.store.records()
    request = given.request(requests.PaymentRequest, records, accept_no_cover=accept_no_cover)
    result = proxy_payment.check(records, s.policy, s.today, request)
    proxy_payment.show_checked(s, result)
    if not result.passed:
        raise typer.Exit(1)


@app.command()
def pay(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    region: Region = None,
    year: Year = None,
    tier: Tier = None,
    yes: Yes = False,
    accept_no_cover: AcceptNoCover = False,
) -> None:
    """个人账户代缴申请 → 提交: pay a relative's premium from the account."""
    s = _s(ctx)
    texts = dict(payer=payer, relative=relative, region=region, year=year, tier=tier)
    if s.can_prompt and (None in texts.values() or not yes):
        return _wizard(s, "pay", **texts, accept_no_cover=accept_no_cover)
    given = requests.PAYMENT.given(s, **texts)
    given.require()
    s.confirmed(yes, "pay")
    with s.store.transaction() as records:
        request = given.request(
            requests.PaymentRequest, records, accept_no_cover=accept_no_cover, channel=s.channel
        )
        payment = proxy_payment.pay(records, s.policy, s.today, request)
    lookup.show_receipt(s, payment, fresh=True)


# -- 查询/退费 ---------------------------------------------------------------------------


@app.command()
def payments(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    year: Year = None,
) -> None:
    """代缴信息查询: proxy payments, tax-channel payments and returns, newest last."""
    s = _s(ctx)
    year_ = values.year(year) if year is not None else None
    records = s.store.records()
    payer_id = people.find_payer(records, payer, s.today) if payer is not None else None
    relative_id = (
        people.find_relative(records, payer_id, relative, s.today) if relative is not None else None
    )
    from famcov.features import lookup

    found = lookup.entries(records, payer=payer_id, relative=relative_id, year=year_)
    lookup.show_payments(s, found)


@app.command("receipt")
def receipt_(
    ctx: typer.Context,
    no: ReceiptNo = None,
    export: Annotated[
        str | None, Opt("--export", help="Save the receipt as FILE.svg or FILE.html.")
    ] = None,
) -> None:
    """Show a receipt again."""
    from famcov.features import (
        lookup,
    )

    s = _s(ctx)
    (no,) = s.require(NO=no)
    if export is not None:
        from famcov import export as exporting

        file = exporting.target(export)  # a bad name is refused before the state is read
        records = s.store.records()
        data = lookup.any_receipt_json(s, lookup.receipt(records, no))
        exporting.write(file, exporting.document(data, file.suffix.lower()), session=s)
        lookup.show_receipt_exported(s, data, file)
        return
    records = s.store.records()
    lookup.show_receipt(s, lookup.receipt(records, no), fresh=False)


@app.command()
def revoke(
    ctx: typer.Context,
    no: ReceiptNo = None,
    reason: Annotated[
        str | None,
        Opt("--reason", autocompletion=completion.reasons, help="duplicate, moved or other."),
    ] = None,
    yes: Yes = False,
) -> None:
    """撤销 / 退费: revoke a proxy payment; the money returns to the account."""
    s = _s(ctx)
    if s.can_prompt and (None in (no, reason) or not yes):
        return _wizard(s, "revoke", no=no, reason=reason)
    given = requests.REVOCATION.given(s, no=no, reason=reason)
    given.require()
    s.confirmed(yes, "revoke")
    with s.store.transaction() as records:
        payment = revocation.revoke(
            records, s.policy, s.today, given.request(requests.RevokeRequest, records)
        )
        worker = records.worker(payment.payer)
    revocation.show_revoked(s, payment, worker)


@app.command()
def account(
    ctx: typer.Context,
    payer: Payer = None,
) -> None:
    """个人账户明细: balance and ledger."""
    s = _s(ctx)
    (payer,) = s.require(payer=payer)
    records = s.store.records()
    lookup.show_account(
        s, lookup.account(records, payer_id=people.find_payer(records, payer, s.today))
    )


@app.command("pay-tax")
def pay_tax(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    region: Region = None,
    year: Year = None,
    tier: Tier = None,
    yes: Yes = False,
) -> None:
    """城市服务 → 社保 → 自然人缴纳社保费 (是否代缴): pay a relative's premium with your own money."""
    s = _s(ctx)
    texts = dict(payer=payer, relative=relative, region=region, year=year, tier=tier)
    if s.can_prompt and (None in texts.values() or not yes):
        return _wizard(s, "pay_tax", **texts)
    given = requests.TAX_PAYMENT.given(s, **texts)
    given.require()
    s.confirmed(yes, "pay-tax")
    with s.store.transaction() as records:
        request = given.request(requests.PaymentRequest, records)
        record = tax_return.pay_by_tax(records, s.policy, s.today, request)
        name = records.known_name(request.relative) or ""
        notes = tax_return.tax_notes(record, s.policy, records)
    tax_return.show_paid_by_tax(s, record, name, notes)


@app.command("claim-return")
def claim_return(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    year: Year = None,
    yes: Yes = False,
) -> None:
    """先缴后返 → 返还申请: return a premium paid through the tax channel out of the account."""
    s = _s(ctx)
    if s.can_prompt and (None in (payer, relative, year) or not yes):
        return _wizard(s, "claim_return", payer=payer, relative=relative, year=year)
    given = requests.RETURN.given(s, payer=payer, relative=relative, year=year)
    given.require()
    s.confirmed(yes, "claim-return")
    with s.store.transaction() as records:
        request = given.request(requests.ReturnRequest, records)
        result = tax_return.claim_return(records, s.policy, s.today, request)
    tax_return.show_returned(s, result)


@app.command()
def policy(
    ctx: typer.Context,
    province: Annotated[
        str | None,
        Opt(
            "--province",
            autocompletion=completion.provinces,
            help="Code or name: 51, 四川, Sichuan.",
        ),
    ] = None,
    year: Year = None,
) -> None:
    """Regions, relations, windows, tiers and amounts, each with its source."""
    s = _s(ctx)
    year_ = values.year(year) if year is not None else None
    chosen = (
        [s.policy.find_province(province)] if province is not None else list(s.policy.provinces)
    )
    policy_info.show_policy(s, chosen, year_)


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check the whole state file and say what is wrong; never changes it (exit 3 if unhealthy)."""
    from famcov import doctor as checkup

    s = _s(ctx)
    code = checkup.render(s, checkup.examine(s.store))
    if code:
        raise typer.Exit(code)


def main(first=None) -> None:
    """The `famcov` command. When it is done the process ends at once, as the
    interpreter would (threads, exit handlers, output flushed) but without
    freeing every object one by one: 5 to 10 ms of each run, more on a large state.
    `first`: the answer to the wizard's first screen, asked before this module
    loaded (famcov.front); the home menu carries on from it."""
    try:
        app(obj=Run(whole_process=True, first=first))
    except SystemExit as exc:
        _end(exc.code)
    except KeyboardInterrupt as exc:  # in the few instructions before a handler holds it
        failed_at_start(exc)
    _end(0)


def _end(code: object) -> None:
    import atexit
    import contextlib
    import os

    threading = sys.modules.get("threading")
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if (
        (code is not None and not isinstance(code, int))
        or (threading is not None and threading.active_count() > 1)
        or run_exit_handlers is None
    ):
        raise SystemExit(code)  # the interpreter's own way
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # said already (render.finish)
            stream.flush()
    os._exit(code or 0)
