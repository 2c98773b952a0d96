"""Bad input: hypothesis fuzzes every flag of every command through the typer app.

Whatever the values — random and Unicode text, huge, negative, zero and
over-precise amounts, impossible dates, IDs with a wrong check digit, IDs in
the wrong flag, missing flags, unknown options — a run with --json:

- exits with a documented code (0 done, 1 refused, 2 usage, 3 state file),
  the one its error code maps to, and never with INTERNAL;
- never prints a traceback, and prints exactly one JSON object on stdout;
- shows no full resident ID;
- leaves the state byte-identical when it refuses, and healthy when it succeeds.

Size: FAMCOV_FUZZ_EXAMPLES examples per command (default 30).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import (
    DEFU,
    DEMO_RECEIPT,
    JIANGUO,
    LI_NA,
    PINNED_ENV,
    XIAOYU,
    XIUYING,
    ZHANG_LI,
    ZHANG_WEI,
    make_id,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from famcov.cli import app
from famcov.doctor import examine
from famcov.errors import EXIT_CODES
from famcov.store import Store

EXAMPLES = int(os.environ.get("FAMCOV_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DEMO_IDS = (ZHANG_WEI, LI_NA, XIAOYU, JIANGUO, XIUYING, ZHANG_LI, DEFU)
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")

# -- values --------------------------------------------------------------------------------

# Text a shell can pass: anything but NUL.
text = st.text(st.characters(exclude_characters="\x00"), max_size=40)
digits = st.text("0123456789", min_size=1, max_size=25)


@st.composite
def valid_ids(draw) -> str:
    born = draw(st.dates(min_value=__import__("datetime").date(1901, 1, 1)))
    area = draw(st.sampled_from(["510104", "510703", "530102", "110101", "360100"]))
    return make_id(area, born.strftime("%Y%m%d"), f"{draw(st.integers(0, 999)):03d}")


def wrong_check(number: str) -> str:
    return number[:17] + ("X" if number[17] != "X" else "0")


ids = st.one_of(
    st.sampled_from(DEMO_IDS),
    valid_ids(),
    valid_ids().map(wrong_check),
    st.sampled_from(DEMO_IDS).map(wrong_check),
    st.sampled_from(DEMO_IDS).map(lambda i: f"{i[:6]} {i[6:14]} {i[14:]}"),
    st.sampled_from(DEMO_IDS).map(str.lower),
    st.sampled_from(DEMO_IDS).map(lambda i: i[:-1]),
    st.sampled_from(["张伟", "李娜", "张小雨", "张建国", "nobody"]),
    st.text("0123456789Xx -", max_size=22),
    digits,
    text,
)
amounts = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(str),
    st.sampled_from(
        [
            "0",
            "0.00",
            "-0",
            "-400",
            "400.001",
            "1e3",
            "NaN",
            "inf",
            "¥400",
            "￥400.00",
            "400元",
            "RMB 400",
            "1,200.00",
            "１２００",
            "٤٠٠",
            " 400 ",
            "",
            "99999999999.99",
            "100000000.01",
            ".5",
            "5.",
        ]
    ),
    digits,
    ids,
    text,
)


@st.composite
def impossible_dates(draw) -> str:
    y, m, d = draw(st.integers(0, 9999)), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    return f"{y:04d}-{m:02d}-{d:02d}"


dates = st.one_of(
    st.just("2026-11-24"),
    st.dates().map(lambda d: d.isoformat()),
    impossible_dates(),
    st.sampled_from(["2026-2-3", "20261124", "2026/11/24", "2026-11-24T00:00", " 2026-11-24"]),
    text,
)
years = st.one_of(
    st.sampled_from(["2026", "2027", "2025", "2028", "２０２７", "2027.0", "-2027", "0", "99999"]),
    st.integers(-(10**20), 10**20).map(str),
    ids,
    text,
)
regions = st.one_of(
    st.sampled_from(["510100", "成都", "成都市", "510700", "绵阳", "530100", "昆明", "Chengdu"]),
    st.sampled_from(["360100", "999999", "51010", "5101000", "110100", "四川"]),
    digits,
    ids,
    text,
)
relations = st.one_of(
    st.sampled_from(["child", "子女", "parent", "父母", "spouse", "sibling", "grandparent"]),
    st.sampled_from(["maternal-grandchild", "外孙", "CHILD", "neighbour", "儿子", "父亲"]),
    ids,
    text,
)
choices = st.one_of(
    st.sampled_from(["tax", "bank", "wechat", "alipay", "税务", "微信", "duplicate", "moved"]),
    st.sampled_from(["other", "重复", "active", "suspended", "", " "]),
    ids,
    text,
)
names = st.one_of(
    st.sampled_from(["张小雨", "张建国", "新人", "Li Na", "李·娜", "张 三", "X Æ A-12", "张" * 41]),
    ids,
    text,
)
tiers = st.one_of(st.sampled_from(["standard", "higher", "个人缴费标准", "较高档次"]), ids, text)
receipts = st.one_of(
    st.sampled_from([DEMO_RECEIPT, DEMO_RECEIPT.lower(), "DJ202611240002", "DJ2025", ""]),
    ids,
    text,
)


@st.composite
def flags(draw, *spec: tuple[str, st.SearchStrategy]) -> list[str]:
    """Each flag given (with a fuzzed value) or left out; order shuffled."""
    given_flags = []
    for flag, values in spec:
        if draw(st.integers(0, 9)) < 8:
            given_flags.append([flag, draw(values)])
    return [part for pair in draw(st.permutations(given_flags)) for part in pair]


def switch(name: str) -> st.SearchStrategy:
    return st.sampled_from([[], [name]])


# -- commands --------------------------------------------------------------------------------

WHO = (("--payer", ids), ("--relative", ids))
CASE = (*WHO, ("--region", regions), ("--year", years))

COMMANDS: dict[str, st.SearchStrategy] = {
    "bind": st.tuples(
        st.just(["bind"]),
        flags(*WHO, ("--name", names), ("--relation", relations), ("--proof", text)),
        switch("--accept-commitment"),
    ),
    "unbind": st.tuples(st.just(["unbind"]), flags(*WHO), switch("--yes")),
    "family": st.tuples(st.just(["family"]), flags(("--payer", ids))),
    "check": st.tuples(st.just(["check"]), flags(*CASE, ("--tier", tiers))),
    "pay": st.tuples(st.just(["pay"]), flags(*CASE, ("--tier", tiers)), switch("--yes")),
    "payments": st.tuples(st.just(["payments"]), flags(*WHO, ("--year", years))),
    "receipt": st.tuples(st.just(["receipt"]), st.lists(receipts, max_size=2)),
    "revoke": st.tuples(
        st.just(["revoke"]),
        st.lists(receipts, max_size=1),
        flags(("--reason", choices)),
        switch("--yes"),
    ),
    "account": st.tuples(st.just(["account"]), flags(("--payer", ids))),
    "policy": st.tuples(
        st.just(["policy"]), flags(("--province", text | regions), ("--year", years))
    ),
    "init": st.tuples(st.just(["init"]), switch("--demo"), switch("--force")),
    "doctor": st.tuples(st.just(["doctor"])),
    "add-worker": st.tuples(
        st.just(["admin", "add-worker"]),
        flags(
            ("--id", ids),
            ("--name", names),
            ("--region", regions),
            ("--balance", amounts),
            ("--status", choices),
        ),
    ),
    "enrol": st.tuples(
        st.just(["admin", "enrol"]),
        flags(("--id", ids), ("--name", names), ("--region", regions), ("--year", years)),
        switch("--employee"),
    ),
    "record-payment": st.tuples(
        st.just(["admin", "record-payment"]),
        flags(("--id", ids), ("--year", years), ("--channel", choices)),
    ),
    "credit": st.tuples(st.just(["admin", "credit"]), flags(("--id", ids), ("--amount", amounts))),
    "scenario": st.tuples(
        st.just(["scenario"]),
        st.one_of(
            st.just(["list"]),
            st.tuples(st.just("start"), text | st.just("demo")).map(list),
        ),
    ),
    "garbage": st.tuples(
        st.lists(text | ids | st.sampled_from(["--json", "--yes", "-h"]), max_size=5)
    ),
}

GLOBAL = st.tuples(
    st.one_of(st.just(["--today", "2026-11-24"]), dates.map(lambda d: ["--today", d])),
    st.sampled_from([[], ["--lang", "en"], ["--lang", "zh"]]) | text.map(lambda x: ["--lang", x]),
)


# -- the harness -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("demo") / "state.json"
    result = CliRunner().invoke(
        app,
        ["--json", "--state", str(path), "--today", "2026-11-24", "init", "--demo"],
        env=PINNED_ENV,
    )
    assert result.exit_code == 0, result.stdout
    return path.read_bytes()


class Harness:
    def __init__(self, folder: Path, demo: bytes) -> None:
        self.state = folder / "state.json"
        self.demo = demo
        self.runner = CliRunner()

    def reset(self) -> None:
        if not self.state.is_file() or self.state.read_bytes() != self.demo:
            self.state.write_bytes(self.demo)
            os.chmod(self.state, 0o600)

    def run(self, argv: list[str]) -> tuple[int, dict]:
        self.reset()
        before = self.state.read_bytes()
        full = ["--json", "--state", str(self.state), *argv]
        result = self.runner.invoke(app, full, env=PINNED_ENV)
        out, err = result.stdout, result.stderr
        where = f"argv={full!r}\nstdout={out!r}\nstderr={err!r}"
        assert not isinstance(result.exception, AssertionError)
        assert result.exception is None or isinstance(result.exception, SystemExit), where
        assert "Traceback" not in out + err, where
        assert result.exit_code in (0, 1, 2, 3), where
        assert out.endswith("\n") and "\n" not in out[:-1], where  # one line: one object
        data = json.loads(out)
        assert isinstance(data, dict) and isinstance(data.get("ok"), bool), where
        assert not FULL_ID.search(out + err), where
        assert not any(i in out + err for i in DEMO_IDS), where
        if data["ok"] is False:
            code = data["error"]["code"]
            assert code != "INTERNAL", where
            assert result.exit_code == EXIT_CODES[code], where
            assert isinstance(data["error"]["message"], str) and data["error"]["message"], where
        if result.exit_code != 0 and argv[:1] != ["doctor"] and "scenario" not in argv:
            assert self.state.read_bytes() == before, "refused, yet the state changed\n" + where
        if result.exit_code == 0 and self.state.read_bytes() != before:
            Store(self.state).load()
            assert examine(Store(self.state)).problems == [], where
        return result.exit_code, data


@pytest.fixture
def harness(tmp_path: Path, demo_bytes: bytes) -> Harness:
    return Harness(tmp_path, demo_bytes)


def _flatten(parts) -> list[str]:
    out: list[str] = []
    for part in parts:
        out += part if isinstance(part, list) else [part]
    return out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_fuzzed_flags_only_give_documented_outcomes(harness: Harness, command: str) -> None:
    if command == "scenario":
        pytest.importorskip("famcov.wizard.scenarios")

    @FUZZ
    @given(head=GLOBAL, parts=COMMANDS[command])
    def check(head, parts) -> None:
        harness.run([*_flatten(head), *_flatten(parts)])

    check()


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(["worker", "resident", "employee", "paid-elsewhere", "", "x"]),
                ids,
                names,
                regions,
                years,
                amounts,
                choices,
            ),
            min_size=0,
            max_size=10,
        ),
        max_size=6,
    ),
    header=st.sampled_from(
        [
            "kind,id,name,region,year,balance,status,channel",
            "kind,id,name",
            "",
            "\ufeffkind,id,name,region,year,balance,status,channel",
        ]
    ),
    raw=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_fuzzed_import_files_are_all_or_nothing(harness: Harness, rows, header, raw) -> None:
    import csv
    import io

    path = harness.state.with_name("import.csv")
    if raw is not None:
        path.write_bytes(raw)
    else:
        buffer = io.StringIO()
        buffer.write(header + "\n")
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([v.replace("\x00", "") for v in row])
        # a lone surrogate (as a name can hold) is written as the bytes it would be: a
        # file that is not UTF-8, which the import must refuse like any other
        path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    code, data = harness.run(["--today", "2026-11-24", "admin", "import", str(path)])
    if code == 0:
        assert data["total"] == sum(data["added"].values())


def test_missing_import_file_and_folder_are_usage_errors(harness: Harness) -> None:
    for target in (str(harness.state.with_name("nope.csv")), str(harness.state.parent)):
        code, data = harness.run(["admin", "import", target])
        assert code == 2 and data["error"]["code"] == "BAD_IMPORT"
