"""The command line: global options, one thin function per command.

Each command turns flags into parsed values (the same validators the wizard
uses), runs one action inside one store transaction, and renders the result
for a person or as JSON. Errors of every kind meet in `FamcovGroup.main`
(famcov.cli.shell). The groups and the options are declared in famcov.cli.app;
the commands by side in famcov.cli.worker, famcov.cli.bureau, famcov.cli.training.
"""

from famcov.cli import bureau, training, worker  # noqa: F401 - their commands join the app
from famcov.cli.app import app
from famcov.cli.shell import _end, failed_at_start
from famcov.run import Run

__all__ = ["app", "failed_at_start", "main"]


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
