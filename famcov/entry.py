"""The `famcov` command's first lines: Ctrl-C is held (noted, not raised) from the
first line of famcov that runs, while the program loads and typer builds its
commands (some 50 ms), and the command itself starts by looking whether one came
(cli.guarded). So a Ctrl-C pressed then says "interrupted, nothing was written"
like any other, not a Python traceback. Only this module, the program's entry,
holds it on import, with the C module Python has already loaded (no import time).

A bare `famcov` on a terminal asks its first question before the command line has
loaded (famcov.front), and the command line carries on from the answer."""

_noted: list[int] = []


def _note(signum, frame) -> None:
    _noted.append(signum)


try:
    import _signal

    _signal.signal(_signal.SIGINT, _note)
except KeyboardInterrupt:
    # One that came as this module loaded: Python raises it as the handler is being set
    # (before setting it). Noted, and said as any other once the command line is up.
    import _signal

    _noted.append(_signal.SIGINT)
    _signal.signal(_signal.SIGINT, _note)


def main() -> None:
    import sys

    from famcov import output, signals

    output.install()  # everything printed fits its stream: a GBK pipe, a legacy console
    signals.adopt(_noted)
    first = None
    if not _noted:
        from famcov import front

        try:
            first = front.first_screen(sys.argv[1:])
        except (KeyboardInterrupt, Exception) as exc:  # Ctrl-C, a terminal gone: said as usual
            from famcov import cli

            cli.failed_at_start(exc)
    from famcov import cli

    cli.main(first)
