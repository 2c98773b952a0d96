"""The interactive flows: the only place that imports questionary.

`famcov.cli` calls `home.run(session)` for `famcov` on a terminal, and
`start(session, flow)` when `bind`, `unbind`, `pay` or `revoke` run on a terminal with
values missing (or without --yes). Each asks only for what the flags did not
give and returns the exit code. The modules are imported when a flow starts, so
that importing this package costs nothing on the scripted paths.

Ctrl-C anywhere becomes FamcovError("INTERRUPTED") on its way out, so that the
one error handler in `famcov.cli` says so and exits 130 (typer would otherwise
turn the KeyboardInterrupt into a silent exit 130 before that handler sees it).
Between questions it is held (noted) and raised at the next question, or just
before a change is saved (store.save), so that one pressed while a screen is drawn
is never lost in the middle of other code (Python drops an interrupt raised inside
a garbage collector's callback). The current step has written nothing then; what
earlier steps saved is named. One that comes while a change is being saved lets
the flow finish and report it, as every command does (exit 0).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from famcov.errors import FamcovError


def saved(wiz: Any, key: str, **params: Any) -> None:
    """Note a change the wizard has just saved, for a later Ctrl-C to name (the run's:
    famcov.run)."""
    from famcov.i18n import Msg

    wiz.session.run.steps.append(Msg(key, params))


def interrupted(steps: list[Any]) -> FamcovError:
    """Ctrl-C: the current step wrote nothing; what earlier steps saved stays saved."""
    if not steps:
        return FamcovError("INTERRUPTED")
    return FamcovError(
        "INTERRUPTED", {"saved": list(steps)}, message_key="error.INTERRUPTED_AFTER_SAVES"
    )


def interruptible(flow: Callable[..., Any]) -> Callable[..., Any]:
    """A flow whose first argument is the run's Session: Ctrl-C in it (or in a flow it
    starts) says what the run's wizard saved before; the outermost starts the list."""

    @wraps(flow)
    def run(session: Any, *args: Any, **kwargs: Any) -> Any:
        from famcov import signals

        this = session.run
        holding = this.depth == 0 and not signals.held()
        if this.depth == 0:
            this.steps.clear()
        if holding:  # between questions Ctrl-C is noted, and raised at the next one
            signals.hold()
        this.depth += 1
        try:
            return flow(session, *args, **kwargs)
        except KeyboardInterrupt:
            raise interrupted(this.steps) from None
        except FamcovError as exc:
            plain = exc.code == "INTERRUPTED" and exc.message_key == "error.INTERRUPTED"
            if plain and this.steps:
                raise interrupted(this.steps) from None
            raise
        finally:
            this.depth -= 1
            if holding:
                # Still held: the command only reports from here (cli.guarded). One that
                # came after the last question is acted on where the flow wrote
                # (store.save: before the change, nothing is written, 130) or dropped
                # once it was saved: the flow has reported it, exit 0 (CLI.md).
                signals.take()

    return run


# The flows a command starts on a terminal when values are missing: module, function.
FLOWS = {
    "bind": ("famcov.wizard.binding", "run_bind"),
    "unbind": ("famcov.wizard.binding", "run_unbind"),
    "pay": ("famcov.wizard.payment", "run"),
    "revoke": ("famcov.wizard.lookup", "run_revoke"),
    "pay_tax": ("famcov.wizard.tax", "run_pay_tax"),
    "claim_return": ("famcov.wizard.tax", "run_claim_return"),
}


def start(session, flow: str, **given: Any) -> int:
    """Run one flow by name (its module imported only now); the exit code."""
    import importlib

    module, function = FLOWS[flow]
    return interruptible(getattr(importlib.import_module(module), function))(session, **given)
