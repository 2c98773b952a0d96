"""Hostile text: whatever a person types, a CSV carries or a file holds, famcov echoes
it safely. A resident ID appears in no output in any form it could be written in
(spaced, dotted, underscored, full-width, mixed), and no control character from a
value reaches the terminal raw (no ESC, no BEL, no C1 CSI, no direction override),
in zh and en, as text and as JSON. A result that cannot be written (a closed pipe,
a full disk) never turns a saved change into a failure or a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import DEMO_RECEIPT, DEMO_TODAY, XIAOYU, ZHANG_WEI, invoke, make_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from famcov.store import Store

SEPARATORS = [
    " ",
    ".",
    "_",
    "-",
    "\u3000",
    "/",
    "·",
    " ",
    "\t",
    ",",
    "\u200b",
    "\u00ad",
    "\u2060",
    "\ufeff",
]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

# Where a value typed by a person is echoed back: every flag and argument that
# takes text, each with a placeholder {} for the hostile value.
ECHOES: list[tuple[str, ...]] = [
    ("receipt", "{}"),
    ("revoke", "{}", "--reason", "duplicate", "--yes"),
    ("revoke", DEMO_RECEIPT, "--reason", "{}", "--yes"),
    ("admin", "add-worker", "--id", "{}", "--name", "王五", "--region", "成都", "--balance", "1"),
    (
        "admin",
        "add-worker",
        "--id",
        ZHANG_WEI,
        "--name",
        "{}",
        "--region",
        "成都",
        "--balance",
        "1",
    ),
    (
        "admin",
        "add-worker",
        "--id",
        ZHANG_WEI,
        "--name",
        "王五",
        "--region",
        "{}",
        "--balance",
        "1",
    ),
    (
        "admin",
        "add-worker",
        "--id",
        ZHANG_WEI,
        "--name",
        "王五",
        "--region",
        "成都",
        "--balance",
        "{}",
    ),
    (
        "admin",
        "add-worker",
        "--id",
        ZHANG_WEI,
        "--name",
        "王五",
        "--region",
        "成都",
        "--balance",
        "1",
        "--status",
        "{}",
    ),
    ("admin", "enrol", "--id", XIAOYU, "--name", "张小雨", "--region", "成都", "--year", "{}"),
    ("admin", "credit", "--id", ZHANG_WEI, "--amount", "{}"),
    ("admin", "record-payment", "--id", XIAOYU, "--year", "2027", "--channel", "{}"),
    (
        "bind",
        "--payer",
        ZHANG_WEI,
        "--relative",
        "{}",
        "--name",
        "王五",
        "--relation",
        "子女",
        "--accept-commitment",
    ),
    (
        "bind",
        "--payer",
        ZHANG_WEI,
        "--relative",
        make_id("510104", "20200202", "111"),
        "--name",
        "王五",
        "--relation",
        "{}",
        "--accept-commitment",
    ),
    (
        "bind",
        "--payer",
        ZHANG_WEI,
        "--relative",
        make_id("510104", "20200202", "111"),
        "--name",
        "王五",
        "--relation",
        "子女",
        "--proof",
        "{}",
        "--accept-commitment",
    ),
    ("check", "--payer", "{}", "--relative", XIAOYU, "--region", "成都", "--year", "2027"),
    (
        "check",
        "--payer",
        ZHANG_WEI,
        "--relative",
        XIAOYU,
        "--region",
        "成都",
        "--year",
        "2027",
        "--tier",
        "{}",
    ),
    ("payments", "--relative", "{}"),
    ("policy", "--province", "{}"),
    ("scenario", "start", "{}", "--force"),
    ("--today", "{}", "account", "--payer", ZHANG_WEI),
]


def written_forms(number: str) -> st.SearchStrategy[str]:
    """The ID as people write it: whole, grouped 6-8-4 or 4-4-4-4-2 with any separator,
    one separator between every digit, full-width digits, or a mix."""

    def group(sizes: tuple[int, ...], sep: str, text: str) -> str:
        parts, at = [], 0
        for size in sizes:
            parts.append(text[at : at + size])
            at += size
        return sep.join(parts)

    return st.builds(
        lambda sizes, sep, wide, upper: (
            group(sizes, sep, (number.translate(FULL_WIDTH) if wide else number)).lower()
            if not upper
            else group(sizes, sep, number.translate(FULL_WIDTH) if wide else number)
        ),
        st.sampled_from([(18,), (6, 8, 4), (4, 4, 4, 4, 2), (3, 3, 4, 4, 4), (1,) * 18]),
        st.sampled_from(SEPARATORS),
        st.booleans(),
        st.booleans(),
    )


def ids() -> st.SearchStrategy[str]:
    return st.builds(
        lambda area, born, seq: make_id(area, born, f"{seq:03d}"),
        st.sampled_from(["510104", "530102", "360102", "110101"]),
        st.dates(dt.date(1920, 1, 1), dt.date(2025, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
        st.integers(0, 999),
    )


def digits_only(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[^0-9Xx]", "", folded)


def run_all_ways(state: Path, args: list[str]) -> list[str]:
    """stdout and stderr of the command as text and as JSON, in zh and in en."""
    outputs = []
    for lang in ("zh", "en"):
        for mode in ([], ["--json"]):
            result = invoke(
                [*mode, "--state", str(state), "--today", DEMO_TODAY, "--lang", lang, *args]
            )
            outputs += [result.stdout, result.stderr]
            if mode:
                data = json.loads(result.stdout)
                assert data["ok"] or data["error"]["code"] != "INTERNAL", data
    return outputs


@pytest.fixture(scope="module")
def demo_state(tmp_path_factory) -> Path:
    state = tmp_path_factory.mktemp("hostile") / "state.json"
    result = invoke(["--json", "--state", str(state), "--today", DEMO_TODAY, "init", "--demo"])
    assert result.exit_code == 0
    return state


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), echo=st.sampled_from(ECHOES))
def test_no_resident_id_in_any_form_reaches_any_output(demo_state: Path, data, echo) -> None:
    number = data.draw(ids())
    written = data.draw(written_forms(number))
    before = demo_state.read_bytes()
    args = [a.replace("{}", written) for a in echo]
    for out in run_all_ways(demo_state, args):
        assert number[:17] not in digits_only(out), (written, args, out)
    if demo_state.read_bytes() != before:  # a value that was accepted: start again clean
        demo_state.write_bytes(before)


HOSTILE = [
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x9b2J",
    "\u202eevil",
    "\x07",
    "\x00",
    "\x7f",
    "\u2028",
    "\u200b",
    "\ufeff",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    echo=st.sampled_from(ECHOES),
    payload=st.sampled_from(HOSTILE),
    prefix=st.sampled_from(["", "张", "DJ2026"]),
)
def test_no_control_character_from_a_value_reaches_the_terminal(
    demo_state: Path, echo, payload: str, prefix: str
) -> None:
    value = prefix + payload + "x"
    args = [a.replace("{}", value) for a in echo]
    before = demo_state.read_bytes()
    for out in run_all_ways(demo_state, args):
        raw = payload.replace("[2J", "").replace("]0;pwned", "").replace("2J", "")
        raw = raw.replace("evil", "")
        assert raw not in out, (args, out)
    demo_state.write_bytes(before)


def test_an_imported_cell_is_echoed_escaped_and_masked(run, demo: Path, tmp_path: Path) -> None:
    number = make_id("510104", "19880808", "888")
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "kind,id,name,region,year,balance,status,channel\n"
        f"\x1b[2Jworker,{number},王五,成都,,1,,\n"
        f"worker,{' '.join(number)},王\x1b]0;x\x07五,成都,,1,,\n",
        encoding="utf-8",
    )
    for lang in ("zh", "en"):
        for json_out in (True, False):
            outcome = run("admin", "import", str(rows), lang=lang, json_out=json_out)
            text = json.dumps(outcome.data, ensure_ascii=False) if json_out else outcome.data
            text += outcome.stderr
            assert "\x1b" not in text and "\x07" not in text
            assert number[:17] not in digits_only(text)


def test_a_scenario_brief_names_people_without_their_ids(run, tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    for lang in ("zh", "en"):
        outcome = run(
            "scenario",
            "start",
            "happy-path",
            "--force",
            lang=lang,
            json_out=False,
            state_path=state,
        )
        for out in (outcome.data, outcome.stderr):
            assert not re.search(r"[0-9]{17}[0-9X]", digits_only(out) and out), out
            for record in Store(state).load().workers:
                assert record.id[:17] not in digits_only(out)


# -- output that cannot be written ---------------------------------------------------------


def _credit(state: Path, stdout, *, json_mode: bool) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "famcov", "--state", str(state), "--today", DEMO_TODAY]
    argv += ["--json"] if json_mode else []
    argv += ["admin", "credit", "--id", ZHANG_WEI, "--amount", "1"]
    return subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
    )


def _credits(state: Path) -> int:
    return sum(1 for e in Store(state).load().ledger if e.kind == "credit")


@pytest.mark.parametrize("json_mode", [False, True])
@pytest.mark.parametrize("where", ["closed pipe", "full disk"])
def test_a_saved_change_is_reported_saved_when_its_output_cannot_be_written(
    demo: Path, json_mode: bool, where: str
) -> None:
    before = _credits(demo)
    if where == "closed pipe":
        read_end, write_end = os.pipe()
        os.close(read_end)
        done = _credit(demo, write_end, json_mode=json_mode)
        os.close(write_end)
    else:
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full here")
        with open("/dev/full", "w") as full:
            done = _credit(demo, full, json_mode=json_mode)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert _credits(demo) == before + 1
    assert "更改已经保存" in done.stderr  # said where it can be said
