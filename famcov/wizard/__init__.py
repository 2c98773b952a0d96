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

_saved: list[Any] = []  # what this wizard session saved, in order (Msg each)
_depth = 0  # interruptible flows running (the outermost starts a fresh session)


def saved(key: str, **params: Any) -> None:
    """Note a change the wizard has just saved, for a later Ctrl-C to name."""
    from famcov.i18n import Msg

    _saved.append(Msg(key, params))


def interrupted() -> FamcovError:
    """Ctrl-C: the current step wrote nothing; what earlier steps saved stays saved."""
    if not _saved:
        return FamcovError("INTERRUPTED")
    return FamcovError(
        "INTERRUPTED", {"saved": list(_saved)}, message_key="error.INTERRUPTED_AFTER_SAVES"
    )


def interruptible(flow: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(flow)
    def run(*args: Any, **kwargs: Any) -> Any:
        global _depth
        from famcov import signals

        holding = _depth == 0 and not signals.held()
        if _depth == 0:
            _saved.clear()
        if holding:  # between questions Ctrl-C is noted, and raised at the next one
            signals.hold()
        _depth += 1
        try:
            return flow(*args, **kwargs)
        except KeyboardInterrupt:
            raise interrupted() from None
        except FamcovError as exc:
            if exc.code == "INTERRUPTED" and exc.message_key == "error.INTERRUPTED" and _saved:
                raise interrupted() from None
            raise
        finally:
            _depth -= 1
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
