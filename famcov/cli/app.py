"""The command line's groups and global options, and each option a command takes,
declared once (typer's Annotated aliases); the commands are in famcov.cli.worker,
famcov.cli.bureau and famcov.cli.training.
"""

# No `from __future__ import annotations` here: typer reads the annotations of
# every command at every start, and as strings each one costs a compile (~5 ms).

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from famcov import completion, lean_options
from famcov.cli.shell import FamcovGroup, _version
from famcov.errors import FamcovError
from famcov.i18n import set_lang
from famcov.options import GLOBAL_VALUES
from famcov.requests import Given, Spec
from famcov.run import Run
from famcov.session import Session, open_session

lean_options.install()  # typer's pydantic conversion costs ~35 ms a run; see lean_options

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


Name = Annotated[str | None, Opt("--name", help="The person's name.")]


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


# The option each field of a request comes from (famcov.requests), by its flag: the
# aliases above, and these, which only a request's fields take (help, completion).
_FIELD_ONLY: dict[str, tuple[str, Callable[..., Any] | None]] = {
    "--relation": ("child, 子女, parent, 父母, ...", completion.relations),
    "--proof": ("Relation proof, e.g. 户口本.", completion.proofs),
    "--reason": ("duplicate, moved or other.", completion.reasons),
    "--amount": ("Yuan, e.g. 200 or 200.50.", None),
    "--id": ("Resident ID (or a known name).", completion.people),
    "--balance": ("Opening balance in yuan.", None),
    # the bureau's record of a premium paid elsewhere (the global --channel is a pack's)
    "--channel": ("tax, bank, wechat, alipay, school or counter.", completion.paid_channels),
}
FIELD_OPTIONS: dict[str, Any] = {
    "--payer": Payer,
    "--relative": Relative,
    "--region": Region,
    "--year": Year,
    "--tier": Tier,
    "--name": Name,
    "NO": ReceiptNo,
    **{
        flag: Annotated[str | None, Opt(flag, autocompletion=complete, help=text)]
        for flag, (text, complete) in _FIELD_ONLY.items()
    },
}


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


class Texts(dict[str, str | None]):
    """What a command was given for its request's fields, by key, as typed (None where a
    flag was not given); `spec` is the request's input spec."""

    def __init__(self, spec: Spec[Any], texts: dict[str, str | None]) -> None:
        super().__init__(texts)
        self.spec = spec

    def given(self, session: Session) -> Given[Any]:
        """Every text given, parsed (before any store is opened)."""
        return self.spec.given(session, **self)

    def required(self, session: Session, *optional: str) -> Given[Any]:
        """Every text given, parsed; then MISSING_OPTION for the first field not given
        (but `optional`'s): nobody is asked. A bad value is named before a missing one."""
        given = self.given(session)
        given.require(*optional)
        return given

    def complete(self, session: Session, *optional: str) -> Given[Any]:
        """`required`, a missing flag named before any value is read: the order the
        bureau's commands (admin, quota) have always had."""
        present = {key: text for key, text in self.items() if text is not None}
        Given(self.spec, session, present).require(*optional)
        return self.required(session, *optional)


C = TypeVar("C", bound=Callable[..., Any])


def takes(spec: Spec[Any]) -> Callable[[C], C]:
    """A command that makes `spec`'s request: its first options are the spec's fields,
    in the spec's order, each the option declared once above for its flag, then the
    command's own. The function is called with the Session and those fields' Texts
    in place of typer's context and the fields one by one."""

    def decorate(command: C) -> C:
        own = list(inspect.signature(command).parameters.values())[2:]
        context = inspect.Parameter(
            "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
        )
        fields = [
            inspect.Parameter(
                f.key,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=FIELD_OPTIONS[f.flag],
                default=None,
            )
            for f in spec.fields
        ]

        @functools.wraps(command)
        def run(ctx: typer.Context, **values: Any) -> Any:
            texts = Texts(spec, {f.key: values.pop(f.key) for f in spec.fields})
            return command(_s(ctx), texts, **values)

        run.__signature__ = inspect.Signature([context, *fields, *own])  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


def _wizard(session: Session, flow: str, **given):
    from famcov import wizard

    return wizard.start(session, flow, **given)


def _asked_or_given(session: Session, flow: str, texts: Texts, yes: bool, **extra) -> Given[Any]:
    """A writing command's values: on a terminal with one missing or no --yes, the
    wizard (`flow`) asks what is missing and confirms, and its exit code ends the
    command; otherwise every value is required, parsed, and --yes checked."""
    if session.can_prompt and (None in texts.values() or not yes):
        raise typer.Exit(_wizard(session, flow, **texts, **extra))
    given = texts.required(session)
    session.confirmed(yes, flow.replace("_", "-"))
    return given
