"""The interactive flows: the only place that imports questionary.

`famcov.cli` calls `home.run(session)` for `famcov` on a terminal, and the
functions below when `bind`, `unbind`, `pay` or `revoke` run on a terminal with
values missing (or without --yes). Each asks only for what the flags did not
give and returns the exit code. The modules are imported when a flow starts, so
that importing this package costs nothing on the scripted paths.

Ctrl-C anywhere becomes FamcovError("INTERRUPTED") on its way out, so that the
one error handler in `famcov.cli` says so and exits 130 (typer would otherwise
turn the KeyboardInterrupt into a silent exit 130 before that handler sees it).
Nothing is written by then: every flow prompts first and writes last.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from famcov.errors import FamcovError


def interruptible(flow: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(flow)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return flow(*args, **kwargs)
        except KeyboardInterrupt:
            raise FamcovError("INTERRUPTED") from None

    return run


@interruptible
def bind(session, **given: Any) -> int:
    from famcov.wizard.binding import run_bind

    return run_bind(session, **given)


@interruptible
def unbind(session, **given: Any) -> int:
    from famcov.wizard.binding import run_unbind

    return run_unbind(session, **given)


@interruptible
def pay(session, **given: Any) -> int:
    from famcov.wizard.payment import run

    return run(session, **given)


@interruptible
def revoke(session, **given: Any) -> int:
    from famcov.wizard.lookup import run_revoke

    return run_revoke(session, **given)
