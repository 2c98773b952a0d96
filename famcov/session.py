"""What one run knows before any command starts: where the state is, the language,
the simulated day, whether output is JSON and whether a person can be asked."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

from famcov.domain.text import clipped
from famcov.errors import FamcovError

# China's one offset, without daylight saving since 1991: Asia/Shanghai where no time
# zone database is found (Windows has none of its own; the tzdata package brings one).
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def real_today() -> dt.date:
    """The one place that reads the clock: today's date in Asia/Shanghai."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zone: dt.tzinfo
    try:
        zone = ZoneInfo("Asia/Shanghai")
    except (ZoneInfoNotFoundError, OSError, ValueError):  # no database, or a broken one
        zone = CHINA
    return dt.datetime.now(zone).date()


def terminal_attached() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class Session:
    """`today` resolves in one place, in layers: `--today`/FAMCOV_TODAY (or a date the
    wizard set), else the date of the scenario the state file was started from, else
    the real date. The state is read for it only when a command first asks."""

    def __init__(
        self,
        state_path: Path,
        lang: str = "zh",
        today: dt.date | None = None,
        json: bool = False,
        can_prompt: bool = False,
        explain: bool = False,
        channel: str | None = None,  # --channel: the channel pack a command pays through
    ) -> None:
        self.state_path = state_path
        self.lang = lang
        self.json = json
        self.can_prompt = can_prompt
        self.explain = explain
        self.channel = channel
        self._given_today = today
        from famcov.run import Run

        self.run = Run()  # the command line gives the session its own run (famcov.run)
        self._mark: object = _UNREAD
        self._policy: object = None

    @property
    def today(self) -> dt.date:
        if self._given_today is not None:
            return self._given_today
        mark = self.scenario_mark()
        return mark.today if mark is not None else real_today()

    @today.setter
    def today(self, value: dt.date) -> None:
        self._given_today = value

    @property
    def today_given(self) -> dt.date | None:
        """The date from --today (or set by the wizard), if any: `init` starts from it."""
        return self._given_today

    def scenario_mark(self):
        """The state file's ScenarioMark, or None (no file, no scenario, unreadable:
        the command itself says what is wrong with the file). Read once a run;
        `forget_mark` after a command writes a new one."""
        if self._mark is _UNREAD:
            self._mark = read_mark(self.state_path)
        return self._mark

    def forget_mark(self) -> None:
        self._mark = _UNREAD

    @property
    def store(self):
        from famcov.store import Store

        return Store(self.state_path, run=self.run)

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
            from famcov.i18n import Msg

            does = Msg(f"confirm.does.{command}")
            raise FamcovError("CONFIRMATION_REQUIRED", {"command": command, "does": does})

    def require(self, **flags: str | None) -> list[str]:
        """Fail at once, naming the first missing flag, when nobody can be asked; else
        the values, in order. An upper-case name is a positional argument (NO, FILE)
        and is named as such."""
        given: list[str] = []
        for flag, value in flags.items():
            if value is None:
                if flag.isupper():
                    raise missing_argument(flag)
                raise FamcovError(
                    "MISSING_OPTION", {"flag": "--" + flag.rstrip("_").replace("_", "-")}
                )
            given.append(value)
        return given


_UNREAD = object()
# The mark as famcov writes it: after `channel`, just before the seal at the file's end.
_MARK = re.compile(rb'"scenario": ?(\{[^{}]*\})')


def read_mark(path: Path):
    """The state's ScenarioMark, reading only the file's last bytes: famcov writes the
    mark just before the seal, at the end, so a large state costs no full read to
    learn its date. A small file with the mark elsewhere (written by hand) is read
    and decoded whole. None for no file, no mark, or anything unreadable."""
    import msgspec

    from famcov.domain.model import ScenarioMark

    tail, size = _tail(path, 600)
    if tail is None:
        return None
    match = _MARK.search(tail)
    try:
        if match is not None:
            return msgspec.json.decode(match[1], type=ScenarioMark)
        if len(tail) < size < (1 << 20):
            from famcov.store import Store

            store = Store(path)
            if b'"scenario"' in store.read_bytes():  # decoded only when a mark is there
                mark = store.load().scenario
                return None if mark is msgspec.UNSET else mark
    except (FamcovError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return None


def _tail(path: Path, count: int) -> tuple[bytes | None, int]:
    """The last `count` bytes of a regular file (never a FIFO or device), and its size."""
    import stat

    if sys.platform == "win32":  # no FIFO at a path there; binary: no newline translation
        flags = os.O_RDONLY | os.O_BINARY
    else:
        flags = os.O_RDONLY | os.O_NONBLOCK  # a FIFO opens at once, unread
    try:
        fd = os.open(path, flags)
    except OSError:
        return None, 0
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, 0
        start = max(info.st_size - count, 0)
        if sys.platform == "win32":  # no pread there; the descriptor is this one's alone
            os.lseek(fd, start, os.SEEK_SET)
            data = os.read(fd, count)
        else:
            data = os.pread(fd, count, start)
        return data, info.st_size
    except OSError:
        return None, 0
    finally:
        os.close(fd)


def missing_argument(name: str) -> FamcovError:
    """MISSING_OPTION for a positional argument (NO, FILE, NAME), named in words."""
    from famcov.i18n import Msg, has

    key = f"arg.{name}"
    what = Msg(key) if has(key) else name
    return FamcovError(
        "MISSING_OPTION", {"flag": name, "what": what}, message_key="error.MISSING_ARGUMENT"
    )


def date(text: str, *, flag: str = "--today") -> dt.date:
    """A date as YYYY-MM-DD (the --today of every run, and every date famcov reads)."""
    raw = str(text).strip()
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise FamcovError("INVALID_DATE", {"flag": flag, "value": clipped(raw, 20)}) from None


def open_session(
    *,
    state: str | None,
    lang: str,
    today: str | None,
    json: bool = False,
    explain: bool = False,
    channel: str | None = None,
) -> Session:
    """The run's Session from its global options, each checked (a bad one is the
    FamcovError the command says): for the command line and the wizard's first screen."""
    if lang not in ("zh", "en"):
        raise FamcovError(
            "INVALID_VALUE", {"flag": "--lang", "value": clipped(lang, 20), "choices": ["zh", "en"]}
        )
    session = Session(
        state_path=state_path(state),
        lang=lang,
        today=date(today) if today else None,  # else the scenario's, else real
        json=json,
        can_prompt=not json and terminal_attached(),
        explain=explain,
    )
    if channel is not None:
        session.channel = session.policy.find_channel(channel).id
    return session


def state_path(option: str | None) -> Path:
    """--state, else FAMCOV_STATE, else the default; `--state ""` is no file at all (a
    usage error, not the default), and a folder, lock or backup is never a state."""
    from famcov.statepath import refuse_unusable_path

    if option is not None:
        return refuse_unusable_path(os.path.expanduser(option))
    env = os.environ.get("FAMCOV_STATE")
    if env:
        return refuse_unusable_path(os.path.expanduser(env))
    from famcov.statepath import default_path

    return default_path()
