"""famcov on Windows, simulated here: the scripted flows and the wizard's main flow in
subprocesses whose famcov code sees Windows (`tests/winsim/sitecustomize.py` says
exactly what is simulated and what is not): an `os` without fork, O_NONBLOCK, pread or
fchmod, stat modes as CPython on Windows reports them, `sys.platform == "win32"`,
`os.replace` refused while another program holds the file, no time-zone database.

Every run goes through `python -m famcov` with the simulation switched on
(FAMCOV_WINSIM=1 and tests/winsim on PYTHONPATH). FAMCOV_WINSIM_SOURCE=DIR runs the
famcov found in DIR instead of this checkout's (to watch these tests fail on an older
one: `git archive main famcov data | tar -x -C DIR`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import DEMO_RECEIPT, DEMO_TODAY, PAY_STANDARD, ZHANG_WEI, new_id
from test_wizard_pty import to_the_review

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="simulates Windows on POSIX; on Windows the suite runs as it is"
)

WINSIM = Path(__file__).resolve().parent / "winsim"
TIMEOUT = 60


def _env(state: Path | None = None, /, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAMCOV_", "PYTHON"))}
    path = [str(WINSIM)]
    if source := os.environ.get("FAMCOV_WINSIM_SOURCE"):
        path.append(source)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(
        FAMCOV_WINSIM="1",
        PYTHONPATH=os.pathsep.join(path),
        PYTHONIOENCODING="utf-8",
        COLUMNS="100",
        LINES="40",
        NO_COLOR="1",
        TERM="dumb",
        WT_SESSION="0",  # Windows Terminal: the console famcov draws for as it is
    )
    if state is not None:
        env["FAMCOV_STATE"] = str(state)
    env.update(extra)
    return env


class Run(NamedTuple):
    code: int
    data: Any  # the JSON object on stdout (or the text, for a human-readable run)
    stderr: str
    seconds: float


def famcov(
    state: Path,
    *args: str,
    today: str | None = DEMO_TODAY,
    json_out: bool = True,
    lang: str = "zh",
    env: dict[str, str] | None = None,
) -> Run:
    """`famcov` with Windows simulated: one JSON object out (json_out), never a
    traceback, never INTERNAL."""
    argv = [sys.executable, "-m", "famcov", "--state", str(state), "--lang", lang]
    argv += ["--json"] if json_out else []
    argv += ["--today", today] if today else []
    started = time.monotonic()
    done = subprocess.run(
        [*argv, *args],
        env=_env(None, **(env or {})),
        cwd=WINSIM,  # not this checkout: `-m` would find famcov there first
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    seconds = time.monotonic() - started
    for stream in (done.stdout, done.stderr):
        assert "Traceback" not in stream, stream
    if not json_out:
        return Run(done.returncode, done.stdout, done.stderr, seconds)
    data = json.loads(done.stdout)
    assert isinstance(data, dict), data
    if not data["ok"]:
        assert data["error"]["code"] != "INTERNAL", data
    return Run(done.returncode, data, done.stderr, seconds)


def ok(state: Path, *args: str, **kwargs: Any) -> dict[str, Any]:
    run = famcov(state, *args, **kwargs)
    assert run.code == 0 and run.data["ok"] is True, run
    return run.data  # type: ignore[no-any-return]


def python(code: str) -> str:
    """`code` run in a Python whose famcov sees Windows; its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(),
        cwd=WINSIM,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def simulated() -> None:
    """The simulation is what it says: famcov's code sees Windows, the libraries
    (and this process) Linux, and there is no time-zone database."""
    seen = json.loads(
        python(
            "import json, sys, zoneinfo\n"
            "import famcov.files as f\n"
            "from prompt_toolkit.utils import is_windows\n"
            "try:\n"
            "    zoneinfo.ZoneInfo('Asia/Shanghai'); zones = True\n"
            "except zoneinfo.ZoneInfoNotFoundError:\n"
            "    zones = False\n"
            "print(json.dumps({'famcov': f.sys.platform, 'libraries': sys.platform,\n"
            "    'prompt_toolkit': is_windows(), 'zones': zones,\n"
            "    'absent': [n for n in ('fork', 'O_NONBLOCK', 'pread', 'fchmod', 'getuid')\n"
            "               if not hasattr(f.os, n)],\n"
            "    'mode': oct(eval('os.stat(\\'/tmp\\').st_mode', {'__name__': 'famcov.x', 'os': f.os})),\n"
            "    'uid': eval('os.stat(\\'/tmp\\').st_uid', {'__name__': 'famcov.x', 'os': f.os}),\n"
            "    'real': oct(__import__('os').stat('/tmp').st_mode)}))"
        )
    )
    assert seen == {
        "famcov": "win32",
        "libraries": "linux",
        "prompt_toolkit": False,
        "zones": False,
        "absent": ["fork", "O_NONBLOCK", "pread", "fchmod", "getuid"],
        "mode": "0o40777",  # as famcov's code sees /tmp: no sticky bit, open to all
        "uid": 0,
        "real": "0o41777",  # as everything else sees it
    }


@pytest.fixture
def state(tmp_path: Path, simulated: None) -> Path:
    return tmp_path / "famcov" / "state.json"


@pytest.fixture
def demo(state: Path) -> Path:
    ok(state, "init", "--demo")
    return state


def messages(lang: str) -> dict[str, str]:
    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    return EN if lang == "en" else ZH


def leftovers(state: Path) -> list[str]:
    return sorted(p.name for p in state.parent.glob(".*.tmp"))


# -- the scripted flows ----------------------------------------------------------------


def test_the_demo_family_bind_verify_check_pay_look_up_and_revoke(state: Path) -> None:
    created = ok(state, "init", "--demo")
    assert created["demo"] is True and created["counts"]["workers"] == 2
    mother, name = new_id(born="19600305"), "刘秀兰"
    ok(
        state,
        "admin",
        "enrol",
        "--id",
        mother,
        "--name",
        name,
        "--region",
        "成都",
        "--year",
        "2027",
    )
    bound = famcov(
        state,
        *("bind", "--payer", "张伟", "--relative", mother, "--name", name),
        *("--relation", "parent", "--accept-commitment"),
    )
    assert bound.code == 0 and bound.data["ok"], bound
    ok(state, "verify", "--payer", "张伟", "--relative", name)
    family = ok(state, "family", "--payer", "张伟")
    assert name in json.dumps(family, ensure_ascii=False)
    checked = ok(state, "check", *PAY_STANDARD[:-2])
    assert checked["passed"] is True
    paid = ok(state, "pay", *PAY_STANDARD, "--yes")["receipt"]
    assert (paid["balance_before"], paid["amount"], paid["balance_after"]) == (
        "1268.50",
        "400.00",
        "868.50",
    )
    mine = ok(state, "payments", "--payer", "张伟")["payments"]
    assert paid["no"] in [p["no"] for p in mine]
    assert ok(state, "receipt", paid["no"])["receipt"]["no"] == paid["no"]
    revoked = ok(state, "revoke", paid["no"], "--reason", "duplicate", "--yes")
    assert revoked["ok"] is True
    account = ok(state, "account", "--payer", ZHANG_WEI)
    assert account["balance"] == "1268.50"
    assert ok(state, "policy", "--province", "四川")["provinces"][0]["code"] == "51"
    # written in binary: the file is famcov's own bytes, sealed, not text-mode CRLF
    assert b"\r\n" not in state.read_bytes()
    assert ok(state, "doctor")["problems"] == []
    assert leftovers(state) == []


def test_admin_import_reads_a_windows_csv(state: Path, tmp_path: Path) -> None:
    """A roster saved on Windows (CRLF line ends, a UTF-8 BOM) imports as it is."""
    ok(state, "init")
    worker, resident = new_id(born="19800101"), new_id(born="19500101")
    rows = [
        "kind,id,name,region,year,balance,status,channel",
        f"worker,{worker},赵六,510100,,1000.00,active,",
        f"resident,{resident},钱七,510100,2027,,,",
    ]
    csv = tmp_path / "roster.csv"
    csv.write_bytes("\ufeff".encode() + "\r\n".join(rows).encode() + b"\r\n")
    imported = ok(state, "admin", "import", str(csv))
    assert (imported["added"]["worker"], imported["added"]["resident"]) == (1, 1), imported
    assert ok(state, "account", "--payer", worker)["balance"] == "1000.00"


def test_the_tax_channel_and_hubei_return(state: Path) -> None:
    payer, brother = new_id(area="420102", born="19870312"), new_id(area="420102", born="19960101")
    ok(state, "init")
    ok(state, *f"admin add-worker --id {payer} --name 周强 --region 420100 --balance 2000".split())
    ok(state, *f"admin enrol --id {brother} --name 周亮 --region 420100 --year 2027".split())
    ok(
        state,
        *f"bind --payer {payer} --relative {brother} --name 周亮 --relation sibling".split(),
        "--accept-commitment",
    )
    tax = f"pay-tax --payer {payer} --relative 周亮 --region 420100 --year 2027"
    paid = ok(state, *tax.split(), "--tier", "standard", "--yes")
    assert paid["paid_elsewhere"]["channel"] == "tax"
    claim = f"claim-return --payer {payer} --relative 周亮 --year 2027".split()
    back = ok(state, *claim, "--yes", today="2026-11-30")  # five days after paying (the guide)
    assert back["return"]["balance_after"] == "1600.00"
    assert ok(state, "account", "--payer", payer)["balance"] == "1600.00"


def test_a_scenario_started_and_checked(state: Path) -> None:
    ok(state, "scenario", "start", "happy-path")
    first = famcov(state, "scenario", "check", str(state))
    assert first.code == 1 and first.data["passed"] is False
    ok(
        state,
        *("bind", "--payer", "陈静", "--relative", "刘秀兰", "--name", "刘秀兰"),
        *("--relation", "parent", "--accept-commitment"),
    )
    pay = ("pay", "--payer", "陈静", "--relative", "刘秀兰", "--region", "成都", "--year", "2027")
    ok(state, *pay, "--tier", "standard", "--yes")
    graded = famcov(state, "scenario", "check", str(state))
    assert graded.code == 0 and graded.data["passed"] is True, graded
    assert graded.data["scenario"] == "happy-path"
    assert [g["passed"] for g in graded.data["goals"]] == [True, True, True]


# -- permissions: nothing false ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_doctor_finds_a_healthy_file_healthy(demo: Path, lang: str) -> None:
    """Every folder looks 0777 and every file 0666 there: doctor neither calls the file
    unsafe nor advises chmod, which Windows has not."""
    report = ok(demo, "doctor", lang=lang)
    assert report["problems"] == [] and report["notes"] == []
    said = famcov(demo, "doctor", json_out=False, lang=lang)
    assert said.code == 0, said
    assert "chmod" not in said.data + said.stderr
    flat = re.sub(r"\s+", "", said.data)  # folded at 100 columns
    assert re.sub(r"\s+", "", messages(lang)["doctor.verdict.ok"]) in flat, said.data


def test_a_state_in_a_shared_looking_folder_is_not_refused(state: Path) -> None:
    """The folder check (ssh's) means nothing where every folder reports 0777 without a
    sticky bit: writing commands work, and say nothing of chmod."""
    ok(state, "init", "--demo")
    credit = famcov(state, "admin", "credit", "--id", ZHANG_WEI, "--amount", "10", lang="en")
    assert credit.code == 0 and credit.data["ok"], credit
    assert ok(state, "account", "--payer", ZHANG_WEI)["balance"] == "1278.50"


# -- the time zone ----------------------------------------------------------------------


def test_today_without_a_time_zone_database(demo: Path) -> None:
    """No --today, no database: today is China's date (UTC+8, no daylight saving)."""
    china = dt.timezone(dt.timedelta(hours=8))
    before = dt.datetime.now(china).date()
    seen = python("from famcov.session import real_today; print(real_today())").strip()
    after = dt.datetime.now(china).date()
    assert seen in (before.isoformat(), after.isoformat())
    checked = famcov(demo, "check", *PAY_STANDARD[:-2], today=None)
    assert checked.data["ok"] is True and "rules" in checked.data, checked


# -- a file another program holds -------------------------------------------------------


def test_a_save_waits_for_a_file_held_for_a_moment(demo: Path) -> None:
    """An antivirus scan holds the state for 0.3 s: the payment waits and is made."""
    paid = famcov(demo, "pay", *PAY_STANDARD, "--yes", env={"FAMCOV_WINSIM_HOLD": "0.3"})
    assert paid.code == 0 and paid.data["ok"], paid
    assert paid.seconds >= 0.3
    assert ok(demo, "account", "--payer", ZHANG_WEI)["balance"] == "868.50"
    assert leftovers(demo) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_save_gives_up_on_a_file_held_longer_and_loses_nothing(demo: Path, lang: str) -> None:
    """An editor keeps the state open: after about a second the payment is refused,
    STATE_UNWRITABLE, saying another program holds it; nothing is changed and the
    temporary file is gone."""
    before = demo.read_bytes()
    held = famcov(demo, "pay", *PAY_STANDARD, "--yes", lang=lang, env={"FAMCOV_WINSIM_HOLD": "60"})
    assert held.code == 3 and held.data["error"]["code"] == "STATE_UNWRITABLE", held
    message = held.data["error"]["message"]
    assert ("another program" if lang == "en" else "其他程序") in message, message
    assert ("Nothing was changed" if lang == "en" else "什么都没有改变") in message, message
    assert "chmod" not in message
    assert 0.9 <= held.seconds < 10
    assert demo.read_bytes() == before
    assert leftovers(demo) == []


def test_a_read_only_state_is_said_at_once_not_waited_for(demo: Path) -> None:
    """The read-only attribute is no program holding the file: refused at once, as
    a file that cannot be written, and nothing changes."""
    os.chmod(demo, 0o400)
    before = demo.read_bytes()
    refused = famcov(demo, "admin", "credit", "--id", ZHANG_WEI, "--amount", "10", lang="en")
    assert refused.code == 3 and refused.data["error"]["code"] == "STATE_UNWRITABLE", refused
    assert "another program" not in refused.data["error"]["message"]
    assert refused.seconds < 5
    assert demo.read_bytes() == before
    assert leftovers(demo) == []


def test_an_export_over_a_held_file_keeps_the_old_one(demo: Path, tmp_path: Path) -> None:
    file = tmp_path / "receipt.svg"
    file.write_text("the one printed yesterday", encoding="utf-8")
    held = famcov(
        demo, "receipt", DEMO_RECEIPT, "--export", str(file), env={"FAMCOV_WINSIM_HOLD": "60"}
    )
    assert held.code != 0 and held.data["error"]["code"] == "EXPORT_FAILED", held
    assert "其他程序" in held.data["error"]["message"]
    assert file.read_text(encoding="utf-8") == "the one printed yesterday"
    assert sorted(p.name for p in tmp_path.glob(".*.tmp")) == []
    exported = ok(demo, "receipt", DEMO_RECEIPT, "--export", str(file))
    assert exported["ok"] and file.read_text(encoding="utf-8").startswith("<svg")


# -- temporary files on any failure -----------------------------------------------------


@pytest.mark.parametrize("failure", [KeyboardInterrupt, AttributeError])
def test_a_failed_replace_removes_its_temporary_file(tmp_path: Path, failure: type) -> None:
    """Whatever stops a write (an interrupt, a bug), its temporary file goes, as it
    does for an OSError."""
    from famcov import files

    target, temp = tmp_path / "state.json", tmp_path / ".state.json.1.tmp"
    target.write_bytes(b"old")

    def stop() -> None:
        raise failure("stopped")

    with pytest.raises(failure):
        files.replace(target, b"new", temp=temp, mode=0o600, exact_mode=True, before_rename=stop)
    assert not temp.exists() and target.read_bytes() == b"old"


# -- the wizard in a terminal -----------------------------------------------------------


DOWN, UP, ENTER, CTRL_C = "\x1b[B", "\x1b[A", "\r", "\x03"


class Terminal:
    """famcov's wizard in a pty (100x40), Windows simulated; waits by catalogue text."""

    def __init__(
        self, state: Path, *args: str, lang: str = "zh", env: dict[str, str] | None = None
    ) -> None:
        pexpect = pytest.importorskip("pexpect")
        self.pexpect, self.m = pexpect, messages(lang)
        env = _env(state, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", **(env or {}))
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "famcov", "--today", DEMO_TODAY, "--lang", lang, *args],
            env=env,
            cwd=str(WINSIM),
            encoding="utf-8",
            dimensions=(40, 100),
            timeout=20,
        )
        self.child.logfile_read = self.screen = io.StringIO()

    def see(self, text: str) -> None:
        self.child.expect_exact(text)

    def ask(self, key: str, keys: str) -> None:
        self.see(self.m[key])
        self.child.send(keys)

    def finish(self) -> int:
        self.child.expect(self.pexpect.EOF)
        self.child.close()
        drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.screen.getvalue())
        assert "Traceback" not in drawn, drawn[-3000:]
        assert not re.search(r"[0-9]{17}[0-9X]", drawn)
        return int(self.child.exitstatus)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wizard_home_pay_for_a_relative_then_receipt(demo: Path, lang: str) -> None:
    term = Terminal(demo, lang=lang)
    term.ask("wiz.payer.ask", ENTER)  # 张伟
    term.ask("wiz.home.ask", DOWN + ENTER)  # 个人账户代缴申请
    for key in (
        "wiz.pay.relative.ask",
        "wiz.pay.region.ask",
        "wiz.pay.year.ask",
        "wiz.pay.insurance.ask",
        "wiz.pay.tier.ask",
    ):
        term.ask(key, ENTER)
    term.ask("wiz.review.ask", ENTER)
    term.see(term.m["receipt.title_fresh"])
    term.see("868.50")
    term.ask("wiz.ui.continue", ENTER)
    term.ask("wiz.home.ask", UP + ENTER)  # 退出
    assert term.finish() == 0
    assert ok(demo, "account", "--payer", ZHANG_WEI)["balance"] == "868.50"
    assert leftovers(demo) == []


@pytest.mark.parametrize("where", ["first prompt", "final review"])
def test_wizard_ctrl_c_at_a_prompt_writes_nothing(demo: Path, where: str) -> None:
    before = demo.read_bytes()
    term = Terminal(demo)
    if where == "first prompt":
        term.ask("wiz.payer.ask", CTRL_C)
    else:
        to_the_review(term)
        term.ask("wiz.review.ask", CTRL_C)
    term.see(term.m["error.INTERRUPTED"])
    assert term.finish() == 130
    assert demo.read_bytes() == before
    assert leftovers(demo) == []


def test_wizard_payment_on_a_held_file_is_said_and_nothing_is_paid(demo: Path) -> None:
    """An editor keeps the state open while the wizard submits: after about a second it
    says so in a sentence, pays nothing, and the home menu carries on."""
    before = demo.read_bytes()
    term = Terminal(demo, lang="en", env={"FAMCOV_WINSIM_HOLD": "60"})
    to_the_review(term)
    term.ask("wiz.review.ask", ENTER)
    term.child.expect(r"held\s+open\s+by\s+another\s+program")
    term.child.expect(r"Nothing\s+was\s+changed")
    term.ask("wiz.home.ask", UP + ENTER)  # Quit
    code = term.finish()
    assert code == 0
    assert demo.read_bytes() == before
    assert leftovers(demo) == []
