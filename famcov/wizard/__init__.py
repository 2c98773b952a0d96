"""The interactive flows: the only place that imports questionary.

`famcov.cli` calls `home.run(session)` for `famcov` on a terminal, and the
functions below when `bind`, `unbind`, `pay` or `revoke` run on a terminal with
values missing (or without --yes). Each asks only for what the flags did not
give and returns the exit code. The modules are imported when a flow starts, so
that importing this package costs nothing on the scripted paths.
"""

from __future__ import annotations

from typing import Any


def bind(session, **given: Any) -> int:
    from famcov.wizard.binding import run_bind

    return run_bind(session, **given)


def unbind(session, **given: Any) -> int:
    from famcov.wizard.binding import run_unbind

    return run_unbind(session, **given)


def pay(session, **given: Any) -> int:
    from famcov.wizard.pay import run

    return run(session, **given)


def revoke(session, **given: Any) -> int:
    from famcov.wizard.lookup import run_revoke

    return run_revoke(session, **given)
