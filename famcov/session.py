"""What one run knows before any command starts: where the state is, the language,
the simulated day, whether output is JSON and whether a person can be asked."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from famcov.errors import FamcovError


def real_today() -> dt.date:
    """The one place that reads the clock: today's date in Asia/Shanghai."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def terminal_attached() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Session:
    state_path: Path
    lang: str = "zh"
    today: dt.date = field(default_factory=real_today)
    json: bool = False
    can_prompt: bool = False
    explain: bool = False
    channel: str | None = None  # --channel: the channel pack a command pays through
    _policy: object = None

    @property
    def store(self):
        from famcov.store import Store

        return Store(self.state_path)

    @property
    def policy(self):
        if self._policy is None:
            from famcov import policy

            self._policy = policy.load()
        return self._policy

    def confirmed(self, yes: bool, command: str) -> None:
        """pay, revoke and unbind move money or end a binding: with nobody to ask (no
        terminal, or --json), a script must say so with --yes, as gh asks of its
        destructive commands; without it nothing is done (CONFIRMATION_REQUIRED)."""
        if not yes:
            raise FamcovError("CONFIRMATION_REQUIRED", {"command": command})

    def require(self, **flags: object) -> None:
        """Fail at once, naming the first missing flag, when nobody can be asked.
        An upper-case name is a positional argument (NO, FILE) and is named as such."""
        for flag, value in flags.items():
            if value is None:
                if flag.isupper():
                    raise missing_argument(flag)
                raise FamcovError(
                    "MISSING_OPTION", {"flag": "--" + flag.rstrip("_").replace("_", "-")}
                )


def missing_argument(name: str) -> FamcovError:
    """MISSING_OPTION for a positional argument (NO, FILE, NAME), named in words."""
    from famcov.i18n import Msg, has

    key = f"arg.{name}"
    what = Msg(key) if has(key) else name
    return FamcovError(
        "MISSING_OPTION", {"flag": name, "what": what}, message_key="error.MISSING_ARGUMENT"
    )


def state_path(option: str | None) -> Path:
    if option:
        return Path(option).expanduser()
    env = os.environ.get("FAMCOV_STATE")
    if env:
        return Path(env).expanduser()
    from famcov.store import default_path

    return default_path()
