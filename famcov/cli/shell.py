"""How a run of the command line ends: one error handler for every command (FamcovGroup,
`guarded`), the language and --json of errors before the options are read, a Ctrl-C
or an OS error said in a sentence, help in the run's language, and the process's
quick exit. No command is declared here (famcov.cli.app declares the groups).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer._click import exceptions as click_exceptions  # typer >= 0.20 vendors click
from typer.core import TyperGroup

from famcov import __version__, signals
from famcov.errors import INTERRUPTED, FamcovError
from famcov.i18n import set_lang
from famcov.options import hoist, scan
from famcov.output import render
from famcov.run import Run
from famcov.session import missing_argument


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
            if "--help" in argv or os.environ.get("_FAMCOV_COMPLETE"):
                localise_help(self)  # help, and what completion says of each command
            if _asks_completion(argv):
                from famcov.completion import localise_completion

                argv = localise_completion(self, argv)

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
            raise FamcovError(  # famcov scenario bogus: scenario's own list, not famcov's
                "USAGE",
                {"detail": " ".join(args[:1]), "group": ctx.command_path},
                message_key="error.UNKNOWN_COMMAND",
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
        # what an option takes, in words of the run's language (typer writes <str>)
        if param.param_type_name == "option" and not getattr(param, "is_flag", False):
            param.metavar = t(f"metavar.{name}") if has(f"metavar.{name}") else t("metavar")
        elif param.param_type_name == "argument" and has(f"metavar.arg.{name}"):
            param.metavar = t(f"metavar.arg.{name}")
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
        return _exit_code(exc, this)
    except click_exceptions.NoSuchOption as exc:
        error = _no_such_option(exc.option_name)
    except click_exceptions.MissingParameter as exc:
        name = exc.param.name if exc.param is not None else "?"
        error = missing_argument(name.upper())
    except click_exceptions.BadOptionUsage as exc:
        error = _bad_option_usage(exc)
    except click_exceptions.UsageError as exc:
        error = _usage_error(exc)
    except (KeyboardInterrupt, typer.Abort):  # before anything was committed (signals.py)
        error = _interrupted(this)
    except MemoryError:  # a state or import too large for `ulimit -v`: said, not INTERNAL
        error = FamcovError("OUT_OF_MEMORY", {"outcome": _outcome(this)})
    except OSError as exc:  # a file the system refused, wherever famcov met it
        error = _os_error(exc, this)
    except Exception as exc:  # never a traceback; FAMCOV_DEBUG=1 shows it
        import os

        if signals.caused_by_interrupt(exc):  # a Ctrl-C Python or a library wrapped
            error = _interrupted(this)
        elif os.environ.get("FAMCOV_DEBUG"):
            raise
        else:
            error = FamcovError("INTERNAL", {"detail": type(exc).__name__})
    signals.hold()
    render.error(error, json_mode=this.json_mode)
    render.finish(this)
    return _exit_code(error, this)


def _exit_code(error: FamcovError, this: Run) -> int:
    """The error's exit code, but 0 for a Ctrl-C once this run has saved a change: what
    was saved stands (CLI.md), and the message names it (the wizard's list)."""
    if error.code == "INTERRUPTED" and this.saved:
        return 0
    return error.exit_code


def _interrupted(this: Run) -> FamcovError:
    """INTERRUPTED, saying what was written: nothing, or (init --force stopped between
    its two writes) the old state's backup, with the state itself unchanged."""
    if this.kept and not this.saved:
        return FamcovError(
            "INTERRUPTED", {"backup": this.kept}, message_key="guard.interrupted_kept"
        )
    return FamcovError("INTERRUPTED")


def _no_such_option(name: str) -> FamcovError:
    """An option the command does not have; a global switch given a value after the
    command (`family --json=1`) is said as the switch it is, not as no such option."""
    from famcov.options import GLOBAL_FLAGS

    flag = name.split("=", 1)[0]
    if flag in GLOBAL_FLAGS:  # after the command only `--json=…` is left unmoved
        return FamcovError("USAGE", {"flag": flag}, message_key="error.OPTION_NO_VALUE")
    return FamcovError("USAGE", {"detail": name}, message_key="error.NO_SUCH_OPTION")


def _bad_option_usage(exc) -> FamcovError:
    """click's "Option '--yes' does not take a value" and "Option '--payer' requires an
    argument", in the run's language."""
    flag = exc.option_name
    if "does not take a value" in exc.message:
        return FamcovError("USAGE", {"flag": flag}, message_key="error.OPTION_NO_VALUE")
    return FamcovError("MISSING_OPTION", {"flag": flag}, message_key="error.OPTION_NEEDS_VALUE")


_EXTRA = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", re.DOTALL)


def _usage_error(exc) -> FamcovError:
    """click's other usage errors: the two people meet most (words after a command that
    takes none, a group without its command) in the run's language, the rest in click's
    words inside famcov's sentence."""
    message = exc.format_message().rstrip(".")
    if (extra := _EXTRA.match(message)) is not None:
        # click wrote a tab or line end as \x09 before famcov could mask what it splits (an
        # ID typed with tabs): read back, masked and escaped again with the message
        words = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m[1], 16)), extra[1])
        return FamcovError("USAGE", {"detail": words}, message_key="error.EXTRA_ARGUMENTS")
    if message == "Missing command" and exc.ctx is not None:
        group = exc.ctx.command_path
        return FamcovError("USAGE", {"group": group}, message_key="error.MISSING_COMMAND")
    return FamcovError("USAGE", {"detail": message})


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
