"""Without a terminal famcov never prompts and never waits: a missing value is a
usage error naming the flag, at once. Run as a real process (`python -m famcov`)
with stdin from /dev/null, closed, or an open pipe nobody writes to."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DEMO_RECEIPT, DEMO_TODAY, XIAOYU, ZHANG_WEI

TIMEOUT = 20  # far above a normal start; a hang fails instead of blocking the suite
QUICK = 10


def famcov_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(COLUMNS="100", NO_COLOR="1", TERM="dumb", PYTHONIOENCODING="utf-8")
    return env


def famcov(state: Path, *args: str, stdin=subprocess.DEVNULL, close_stdin: bool = False):
    """Run `python -m famcov --state STATE --today DEMO_TODAY ARGS`; (exit, stdout, stderr, secs)."""
    argv = [sys.executable, "-m", "famcov", "--state", str(state), "--today", DEMO_TODAY, *args]
    started = time.monotonic()
    process = subprocess.Popen(
        argv,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=famcov_env(),
        preexec_fn=(lambda: os.close(0)) if close_stdin else None,
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"famcov {' '.join(args)} hung without a terminal")
    seconds = time.monotonic() - started
    return process.returncode, out.decode(), err.decode(), seconds


@pytest.fixture
def demo_state(tmp_path: Path) -> Path:
    state = tmp_path / "state.json"
    code, _, err, _ = famcov(state, "init", "--demo")
    assert code == 0, err
    return state


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["bind", "--payer", ZHANG_WEI], "--relative"),
        (["pay", "--payer", ZHANG_WEI, "--relative", XIAOYU, "--region", "成都"], "--year"),
        (["revoke", DEMO_RECEIPT, "--yes"], "--reason"),
        (["unbind", "--payer", ZHANG_WEI], "--relative"),
    ],
)
def test_a_missing_value_is_a_usage_error_naming_the_flag(demo_state: Path, args, flag):
    before = demo_state.read_bytes()
    code, out, err, seconds = famcov(demo_state, *args)
    assert code == 2
    assert out == ""
    assert flag in err
    assert "Traceback" not in err
    assert seconds < QUICK
    assert demo_state.read_bytes() == before


def test_with_stdin_closed(demo_state: Path):
    code, out, err, _ = famcov(demo_state, "bind", "--payer", ZHANG_WEI, close_stdin=True)
    assert (code, out) == (2, "")
    assert "--relative" in err and "Traceback" not in err


def test_with_an_open_pipe_nobody_writes_to(demo_state: Path):
    """Reading stdin would block forever here; famcov must not even try."""
    code, _, err, seconds = famcov(demo_state, "pay", "--payer", ZHANG_WEI, stdin=subprocess.PIPE)
    assert code == 2 and "--relative" in err
    assert seconds < QUICK


def test_json_mode_reports_the_missing_flag_as_json(demo_state: Path):
    code, out, err, _ = famcov(demo_state, "--json", "bind", "--payer", ZHANG_WEI)
    assert code == 2
    error = json.loads(out)["error"]
    assert error["code"] == "MISSING_OPTION"
    assert "--relative" in error["message"]
    assert "Traceback" not in err


@pytest.mark.parametrize("close_stdin", [False, True])
def test_no_command_and_no_terminal_exits_2_quickly(tmp_path: Path, close_stdin: bool):
    code, out, err, seconds = famcov(tmp_path / "state.json", close_stdin=close_stdin)
    assert code == 2
    assert out == ""
    assert err.strip() and "Traceback" not in err
    assert seconds < QUICK
    assert not (tmp_path / "state.json").exists(), "no demo state offered without a terminal"


@pytest.mark.parametrize(
    "args",
    [
        [
            "pay",
            "--payer",
            ZHANG_WEI,
            "--relative",
            XIAOYU,
            "--region",
            "成都",
            "--year",
            "2027",
            "--tier",
            "standard",
        ],
        ["revoke", DEMO_RECEIPT, "--reason", "duplicate"],
        ["unbind", "--payer", ZHANG_WEI, "--relative", XIAOYU],
    ],
    ids=["pay", "revoke", "unbind"],
)
@pytest.mark.parametrize("json_mode", [False, True])
def test_money_and_bindings_move_only_with_yes_when_nobody_can_confirm(
    demo_state: Path, args: list[str], json_mode: bool
):
    """Without a terminal (or with --json) a script must say --yes: leaving it out is
    CONFIRMATION_REQUIRED (exit 2) at once, and nothing is written."""
    before = demo_state.read_bytes()
    mode = ["--json"] if json_mode else []
    code, out, err, seconds = famcov(demo_state, *mode, *args)
    assert code == 2 and seconds < QUICK, err
    assert demo_state.read_bytes() == before
    if json_mode:
        assert json.loads(out)["error"]["code"] == "CONFIRMATION_REQUIRED"
    else:
        assert "--yes" in err
    code, out, err, _ = famcov(demo_state, *mode, *args, "--yes")
    assert code == 0, err
    assert demo_state.read_bytes() != before


def test_pay_with_yes_does_not_wait_for_a_confirmation(demo_state: Path):
    args = ["pay", "--payer", ZHANG_WEI, "--relative", XIAOYU, "--region", "成都", "--year", "2027"]
    code, out, err, seconds = famcov(demo_state, *args, "--tier", "standard", "--yes")
    assert code == 0, err
    assert re.search(r"DJ20261124\d{4}", out), out
    assert seconds < QUICK


def test_json_without_a_command_says_json_needs_one(tmp_path: Path):
    code, out, _, _ = famcov(tmp_path / "state.json", "--json")
    assert code == 2
    message = json.loads(out)["error"]["message"]
    assert "--json" in message and "向导" in message


def test_version(tmp_path: Path):
    code, out, _, _ = famcov(tmp_path / "state.json", "--version")
    assert code == 0 and out.startswith("famcov ")
