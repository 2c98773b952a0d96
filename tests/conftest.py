"""Shared fixtures for the command-line tests.

- `state`: a private state file path (not created).
- `run(*args, lang=None, today=DEMO_TODAY, ...)`: drives the typer app in-process
  with `--json --state <state> --today <today>` prepended and returns an
  `Outcome(code, data, stderr)`; `data` is the one JSON object on stdout.
- `demo`: the state created by `init --demo` on DEMO_TODAY (returns its path).
- `refused(*args, code=..., exit=...)`: runs a command that must be refused and
  checks the refusal end to end, including that the state file is byte-identical.
- `unchanged(path)`: the same byte-for-byte guarantee as a context manager.
- `make_id(...)` / `new_id()`: resident IDs that pass GB 11643 (stdnum's check digit).

Other test modules may import the constants and helpers below; keep them stable.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import typer.testing
from stdnum.cn import ric
from typer.testing import CliRunner

from famcov.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

DEMO_TODAY = "2026-11-24"  # 2026 open but outside its window; 2027 inside its window

# The terminal is pinned, and no variable of the caller's shell leaks into a run.
PINNED_ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "FAMCOV_STATE": None,
    "FAMCOV_LANG": None,
    "FAMCOV_TODAY": None,
    "FAMCOV_DATA_DIR": None,
    "FAMCOV_LOCK_TIMEOUT": None,
    "FAMCOV_DEBUG": None,
    "FAMCOV_ASCII": None,
}

# The demo family (data/demo.json), as of DEMO_TODAY.
ZHANG_WEI = "510104198503150017"  # worker, Chengdu, balance 1268.50 after paying 张小雨 2026
LI_NA = "510105198708230025"  # worker, Chengdu, 860.00; also bound to 张伟 as spouse
XIAOYU = "510104201506120045"  # child of both, Chengdu 2026 (paid by 张伟) and 2027
JIANGUO = "510703195802110034"  # 张伟's father, Mianyang 2026 and 2027
XIUYING = "510104196007180023"  # 张伟's mother, Chengdu 2027, paid through the tax bureau
ZHANG_LI = "530102199004050025"  # 张伟's sister, Kunming (Yunnan) 2027
DEFU = "510104193609020015"  # 张伟's grandfather, not enrolled
DEMO_RECEIPT = "DJ202510100001"  # 张伟 -> 张小雨, 2026, paid 2025-10-10
DEMO_NAMES = ("张伟", "李娜", "张小雨", "张建国", "王秀英", "张丽", "张德福")
# The payment the demo exists for: 张伟 pays 张小雨's Chengdu 2027 premium (inside the window).
PAY_XIAOYU_2027 = ("--payer", "张伟", "--relative", "张小雨", "--region", "成都", "--year", "2027")
PAY_STANDARD = (*PAY_XIAOYU_2027, "--tier", "standard")

PAYMENT_RULES = (
    "PAYER_INACTIVE",
    "NOT_BOUND",
    "RELATION_NOT_ALLOWED",
    "CROSS_PROVINCE",
    "NOT_ENROLLED",
    "RELATIVE_HAS_EMPLOYEE_INSURANCE",
    "YEAR_NOT_OPEN",
    "UNKNOWN_TIER",
    "ALREADY_PAID",
    "PAID_ELSEWHERE",
    "INSUFFICIENT_BALANCE",
    "WAITING_PAST_YEAR",
)

MONEY = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
MASKED = re.compile(r"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
RAW_KEY = re.compile(r"^(rule|error|note|hint|import|word|relation|channel|reason)\.[\w.-]+$")


# -- resident IDs -----------------------------------------------------------------------


def make_id(area: str = "510104", born: str = "19900101", seq: str = "123") -> str:
    """An 18-character resident ID with the right check digit."""
    body = f"{area}{born}{seq}"
    assert len(body) == 17 and body.isdigit(), body
    return body + ric.calc_check_digit(body + "0")


_serial = itertools.count(100)


def new_id(area: str = "510104", born: str = "19900101") -> str:
    """A valid ID no other call in this test run has returned."""
    return make_id(area, born, f"{next(_serial) % 1000:03d}")


def mask(number: str) -> str:
    return f"{number[:6]}********{number[-4:]}"


def money(text: str) -> Decimal:
    assert MONEY.match(text), f"not a two-decimal money string: {text!r}"
    return Decimal(text)


# -- messages ---------------------------------------------------------------------------


def assert_message(message: str, lang: str = "zh", *, allow: tuple[str, ...] = ()) -> None:
    """A sentence a person can read in `lang`: not empty, not a raw catalogue key,
    Chinese for zh, and no Chinese for en apart from the names in `allow`."""
    assert isinstance(message, str) and message.strip(), "empty message"
    assert not RAW_KEY.match(message.strip()), f"raw catalogue key: {message!r}"
    assert "{" not in message and "}" not in message, f"unfilled placeholder: {message!r}"
    assert "Traceback" not in message
    if lang == "zh":
        assert CJK.search(message), f"no Chinese in a zh message: {message!r}"
    else:
        stripped = message
        for name in (*allow, *DEMO_NAMES):
            stripped = stripped.replace(name, "")
        assert not CJK.search(stripped), f"Chinese in an en message: {message!r}"


# -- running the app --------------------------------------------------------------------


class Outcome(NamedTuple):
    code: int
    data: Any  # the parsed JSON object (or stdout text with json=False)
    stderr: str


# typer's CliRunner makes the app into its click command at every invoke (about 7 ms, a
# third of an in-process run); a famcov process makes it once, and so does each test
# process: typer.testing looks the conversion up by this name (feature-checked: with a
# typer that has no such name, every invoke converts as before).
if callable(getattr(typer.testing, "_get_command", None)):
    typer.testing._get_command = functools.cache(typer.testing._get_command)


def invoke(args: list[str], *, env: dict[str, str | None] | None = None, input=None):
    """The typer app with the pinned terminal; the raw click Result."""
    runner = CliRunner()
    result = runner.invoke(app, args, env={**PINNED_ENV, **(env or {})}, input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
    return result


def parse_json(stdout: str) -> dict[str, Any]:
    """Exactly one JSON object on stdout, nothing else."""
    assert stdout.strip(), "nothing on stdout"
    data = json.loads(stdout)
    assert isinstance(data, dict) and isinstance(data.get("ok"), bool), data
    if not data["ok"]:
        error = data["error"]
        assert set(error) >= {"code", "message", "details"}, error
        assert error["code"] != "INTERNAL", f"internal error: {error}"
    return data


CONFIRMED = ("pay", "revoke", "unbind")


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "famcov" / "state.json"


@pytest.fixture
def run(state: Path):
    def _run(
        *args: str,
        lang: str | None = None,
        today: str | None = DEMO_TODAY,
        json_out: bool = True,
        state_path: Path | None = None,
        env: dict[str, str | None] | None = None,
        input: str | None = None,
        confirm: bool = True,
    ) -> Outcome:
        if confirm and args and args[0] in CONFIRMED and "--yes" not in args:
            # Without a terminal these move money only with --yes (CLI.md); the tests of
            # that rule itself pass confirm=False.
            args = (*args, "--yes")
        argv = ["--json"] if json_out else []
        argv += ["--state", str(state_path or state)]
        if today is not None:
            argv += ["--today", today]
        if lang is not None:
            argv += ["--lang", lang]
        result = invoke([*argv, *args], env=env, input=input)
        if not json_out:
            return Outcome(result.exit_code, result.stdout, result.stderr)
        data = parse_json(result.stdout)
        return Outcome(result.exit_code, data, result.stderr)

    return _run


def snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


@contextlib.contextmanager
def unchanged_file(path: Path) -> Iterator[None]:
    """The state file is byte-identical afterwards (or still absent)."""
    before = snapshot(path)
    yield
    after = snapshot(path)
    assert after == before, f"{path} changed although the command was refused"


@pytest.fixture
def unchanged(state: Path):
    def _unchanged(path: Path | None = None):
        return unchanged_file(path or state)

    return _unchanged


@pytest.fixture
def refused(run, state: Path):
    """Run a command that must be refused; check code, exit status, message and file."""

    def _refused(
        *args: str,
        code: str,
        exit: int,
        lang: str | None = None,
        details: set[str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        with unchanged_file(kwargs.get("state_path") or state):
            outcome = run(*args, lang=lang, **kwargs)
        data = outcome.data
        assert data["ok"] is False, data
        assert data["error"]["code"] == code, data
        assert outcome.code == exit, (outcome.code, data)
        if details is not None:
            assert {d["code"] for d in data["error"]["details"]} == details, data
        return data

    return _refused


@pytest.fixture
def ok(run):
    """Run a command that must succeed and return its JSON."""

    def _ok(*args: str, **kwargs: Any) -> dict[str, Any]:
        outcome = run(*args, **kwargs)
        assert outcome.code == 0 and outcome.data["ok"] is True, outcome
        return outcome.data

    return _ok


@pytest.fixture
def demo(ok, state: Path) -> Path:
    data = ok("init", "--demo")
    assert data["demo"] is True
    return state


@pytest.fixture
def empty(ok, state: Path) -> Path:
    ok("init")
    return state


def ledger_total(account: dict[str, Any]) -> Decimal:
    return sum((money(e["amount"]) for e in account["ledger"]), Decimal("0.00"))


# -- policy packs -----------------------------------------------------------------------


def _hubei_pack() -> dict[str, Any]:
    """A province that allows only spouse, parent and child (the 2021 national rule)."""
    pack = json.loads((DATA / "policies" / "sichuan.json").read_text(encoding="utf-8"))
    pack.update(
        code="42",
        name={"zh": "湖北省", "en": "Hubei"},
        app={"zh": "湖北医保APP", "en": "Hubei Medical Insurance app"},
        relations={"value": ["spouse", "parent", "child"], "source": "test", "illustrative": False},
        regions=[
            {"code": "420100", "name": {"zh": "武汉市", "en": "Wuhan"}, "short": "武汉"},
            {"code": "420500", "name": {"zh": "宜昌市", "en": "Yichang"}, "short": "宜昌"},
        ],
    )
    for year in pack["years"]:
        year["region_windows"] = []
        year["tiers"] = [t for t in year["tiers"] if t.get("regions") is None]
    return pack


@pytest.fixture
def policy_dir(tmp_path: Path):
    """A copy of data/ whose packs a test may change; pass `env=` to runs."""

    def _make(**packs: dict[str, Any]) -> dict[str, str]:
        folder = tmp_path / "data"
        if not folder.exists():
            shutil.copytree(DATA, folder)
        for name, pack in packs.items():
            (folder / "policies" / f"{name}.json").write_text(
                json.dumps(pack, ensure_ascii=False), encoding="utf-8"
            )
        return {"FAMCOV_DATA_DIR": str(folder)}

    return _make


@pytest.fixture
def three_relations(policy_dir) -> dict[str, str]:
    """Env for a data dir with Hubei (42) allowing only spouse/parent/child."""
    return policy_dir(hubei=_hubei_pack())


def sichuan_pack() -> dict[str, Any]:
    return json.loads((DATA / "policies" / "sichuan.json").read_text(encoding="utf-8"))


# -- where a test can run ----------------------------------------------------------------
def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches the programs the tests start, as it does from a person's terminal.

    A CI runner often starts the suite as a background job of a shell without job
    control, which starts it with SIGINT ignored; an ignored signal stays ignored
    across exec, so every famcov a test started would drop a SIGINT that came before
    its first line (Python leaves an ignored SIGINT alone) and wait at its first
    question for a key no one types. A terminal's foreground job has the default."""
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if not hasattr(config, "workerinput"):  # once, before any worker starts
        _compile_famcov()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. Half the suite's time is spent waiting on famcov
    processes and pseudo-terminals, and a second worker a core fills it (on two cores
    112 s against 136 s with one a core, the same CPU time)."""
    if sys.platform == "linux":
        cores = len(os.sched_getaffinity(0))  # what this process may use, not the machine
    else:
        cores = os.cpu_count() or 1
    return 2 * cores


def _compile_famcov() -> None:
    """famcov's modules compiled once for the hundreds of famcov processes the suite
    starts. An editable install leaves the project's own modules uncompiled, and where
    PYTHONDONTWRITEBYTECODE is set (CI machines often set it) every process would
    compile them again: some 70 ms of CPU each, a minute over the suite."""
    import compileall

    import famcov

    compileall.compile_dir(Path(famcov.__file__).parent, quiet=1)


# Pseudo-terminals (pexpect.spawn), POSIX file modes, signals other than SIGINT, FIFOs
# and symbolic links have no Windows equivalent a test could drive there: such tests
# run on Linux and macOS and are skipped on Windows, where the rest of the suite runs
# (tests/test_windows.py checks Windows' own semantics here, simulated).
POSIX_ONLY = re.compile(
    r"pexpect|\bspawn\(|os\.mkfifo|os\.getuid|os\.setuid|os\.chmod|\.chmod\(|S_IMODE|0o[0-7]{3}"
    r"|SIGKILL|SIGTERM|SIGSTOP|SIGCONT|os\.fork|os\.kill|symlink|/dev/|ulimit|resource\."
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if sys.platform != "win32":
        return
    import inspect

    skip = pytest.mark.skip(reason="POSIX only: pty, file modes, signals, FIFOs or links")
    sources: dict[object, str] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module not in sources:
            try:
                sources[module] = inspect.getsource(module)
            except (OSError, TypeError):
                sources[module] = ""
        function = getattr(item, "function", None)
        try:
            own = inspect.getsource(function) if function is not None else ""
        except (OSError, TypeError):
            own = ""
        uses_pty = "import pexpect" in sources.get(module, "") and "spawn" in own
        if uses_pty or POSIX_ONLY.search(own):
            item.add_marker(skip)
