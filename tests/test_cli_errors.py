"""Every error code of CLI.md: reachable, with its exit code, one readable sentence in
the chosen language, no traceback, and the state file byte-identical afterwards."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import (
    CJK,
    DEFU,
    DEMO_RECEIPT,
    JIANGUO,
    LI_NA,
    XIAOYU,
    XIUYING,
    ZHANG_LI,
    ZHANG_WEI,
    assert_message,
    invoke,
    new_id,
    sichuan_pack,
    unchanged_file,
)
from filelock import FileLock

# The error codes CLI.md lists, in its order.
CLI_CODES = [
    "INVALID_ID",
    "UNKNOWN_PERSON",
    "UNKNOWN_REGION",
    "UNKNOWN_TIER",
    "UNKNOWN_RELATION",
    "UNKNOWN_RECEIPT",
    "MISSING_OPTION",
    "COMMITMENT_REQUIRED",
    "ALREADY_BOUND",
    "CANNOT_BIND_SELF",
    "BAD_IMPORT",
    "NAME_MISMATCH",
    "NOT_BOUND",
    "RELATION_NOT_ALLOWED",
    "CROSS_PROVINCE",
    "NOT_ENROLLED",
    "RELATIVE_HAS_EMPLOYEE_INSURANCE",
    "PAYER_INACTIVE",
    "YEAR_NOT_OPEN",
    "ALREADY_PAID",
    "PAID_ELSEWHERE",
    "INSUFFICIENT_BALANCE",
    "ALREADY_REVOKED",
    "STATE_MISSING",
    "STATE_EXISTS",
    "STATE_CORRUPT",
    "STATE_LOCKED",
    "STATE_TOO_NEW",
    "VALIDATION_FAILED",
]

DONE, REFUSED, USAGE, STATE = 0, 1, 2, 3


@dataclass
class Case:
    args: list[str]
    exit: int
    env: dict[str, str] = field(default_factory=dict)
    today: str = "2026-11-24"
    around: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext
    allow: tuple[str, ...] = ()  # Chinese text an English message may quote back


@dataclass
class World:
    """What a case may use to set itself up: the demo state and a few helpers."""

    state: Path
    ok: Callable
    policy_dir: Callable
    tmp_path: Path


def _pay(payer: str, relative: str, region: str = "成都", year: int = 2027, tier="standard"):
    command = f"pay --payer {payer} --relative {relative} --region {region} --year {year}"
    return [*command.split(), "--tier", tier]


def _bind(
    relative: str, name: str, relation: str = "child", *extra: str, payer: str = ZHANG_WEI
) -> list[str]:
    command = f"bind --payer {payer} --relative {relative} --name {name} --relation"
    return [*command.split(), relation, *extra]


ACCEPT = "--accept-commitment"


def _worker(w: World, *, balance: str = "1000", status: str = "active") -> tuple[str, str]:
    """A new Chengdu worker with a child enrolled for 2027 and bound."""
    payer, child = new_id(born="19800101"), new_id(born="20160101")
    command = f"admin add-worker --id {payer} --name 孙一 --region 成都 --balance {balance}"
    w.ok(*command.split(), "--status", status)
    w.ok(*f"admin enrol --id {child} --name 孙小一 --region 成都 --year 2027".split())
    bind = f"bind --payer {payer} --relative {child} --name 孙小一 --relation child"
    w.ok(*bind.split(), ACCEPT, "--proof", "出生医学证明")
    return payer, child


def _held_lock(state: Path):
    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        lock = FileLock(str(state) + ".lock")
        with lock:
            yield

    return hold


def _write(state: Path, content: bytes) -> None:
    state.write_bytes(content)


def _relation_not_allowed(w: World) -> Case:
    w.ok("admin", "enrol", "--id", DEFU, "--name", "张德福", "--region", "成都", "--year", "2027")
    pack = sichuan_pack()
    pack["relations"]["value"] = ["spouse", "parent", "child"]
    return Case(_pay(ZHANG_WEI, DEFU), REFUSED, env=w.policy_dir(sichuan=pack))


def _bad_import(w: World) -> Case:
    path = w.tmp_path / "bad.csv"
    path.write_text("kind,id,name,region,year,balance,status,channel\nworker,1,王,成都,,1,,\n")
    return Case(["admin", "import", str(path)], USAGE)


def _already_revoked(w: World) -> Case:
    w.ok("revoke", DEMO_RECEIPT, "--reason", "duplicate", "--yes")
    return Case(["revoke", DEMO_RECEIPT, "--reason", "other", "--yes"], REFUSED)


def _state_missing(w: World) -> Case:
    w.state.unlink()
    return Case(["admin", "credit", "--id", ZHANG_WEI, "--amount", "1"], STATE)


def _state_corrupt(w: World) -> Case:
    _write(w.state, w.state.read_bytes()[:-40])
    return Case(["payments"], STATE)


def _state_locked(w: World) -> Case:
    return Case(
        ["admin", "credit", "--id", ZHANG_WEI, "--amount", "1"],
        STATE,
        env={"FAMCOV_LOCK_TIMEOUT": "0.2"},
        around=_held_lock(w.state),
    )


def _state_too_new(w: World) -> Case:
    data = json.loads(w.state.read_text(encoding="utf-8"))
    data["schema"] = 99
    _write(w.state, json.dumps(data).encode())
    return Case(["account", "--payer", ZHANG_WEI], STATE)


CASES: dict[str, Callable[[World], Case]] = {
    "INVALID_ID": lambda w: Case(_bind("510104201506120046", "张小雨", "child", ACCEPT), USAGE),
    "UNKNOWN_PERSON": lambda w: Case(["account", "--payer", new_id()], REFUSED),
    "UNKNOWN_REGION": lambda w: Case(_pay(ZHANG_WEI, XIAOYU, "北京"), USAGE, allow=("北京",)),
    "UNKNOWN_TIER": lambda w: Case(_pay(ZHANG_WEI, XIAOYU, tier="gold"), REFUSED),
    "UNKNOWN_RELATION": lambda w: Case(
        _bind(new_id(), "张三", "表哥", ACCEPT), USAGE, allow=("张三", "表哥", "子女")
    ),
    "UNKNOWN_RECEIPT": lambda w: Case(["receipt", "DJ209901010001"], REFUSED),
    "MISSING_OPTION": lambda w: Case(["pay", "--payer", ZHANG_WEI, "--relative", XIAOYU], USAGE),
    "COMMITMENT_REQUIRED": lambda w: Case(
        _bind(new_id(born="20050101"), "张三"), REFUSED, allow=("张三",)
    ),
    "ALREADY_BOUND": lambda w: Case(
        _bind(XIAOYU, "张小雨", "child", ACCEPT, "--proof", "户口本"), REFUSED
    ),
    "CANNOT_BIND_SELF": lambda w: Case(_bind(ZHANG_WEI, "张伟", "spouse", ACCEPT), REFUSED),
    "BAD_IMPORT": _bad_import,
    "NAME_MISMATCH": lambda w: Case(
        _bind(XIUYING, "王秀兰", "parent", ACCEPT, payer=LI_NA), REFUSED, allow=("王秀兰",)
    ),
    "NOT_BOUND": lambda w: Case(_pay(LI_NA, JIANGUO, "绵阳"), REFUSED),
    "RELATION_NOT_ALLOWED": _relation_not_allowed,
    "CROSS_PROVINCE": lambda w: Case(_pay(ZHANG_WEI, ZHANG_LI, "昆明"), REFUSED),
    "NOT_ENROLLED": lambda w: Case(_pay(ZHANG_WEI, DEFU), REFUSED),
    "RELATIVE_HAS_EMPLOYEE_INSURANCE": lambda w: Case(_pay(ZHANG_WEI, LI_NA), REFUSED),
    "PAYER_INACTIVE": lambda w: Case(
        _pay(*_worker(w, status="suspended")), REFUSED, allow=("孙一",)
    ),
    "YEAR_NOT_OPEN": lambda w: Case(_pay(ZHANG_WEI, XIAOYU), REFUSED, today="2026-08-01"),
    "ALREADY_PAID": lambda w: Case(_pay(LI_NA, XIAOYU, year=2026), REFUSED, today="2026-02-01"),
    "PAID_ELSEWHERE": lambda w: Case(_pay(ZHANG_WEI, XIUYING), REFUSED),
    "INSUFFICIENT_BALANCE": lambda w: Case(_pay(*_worker(w, balance="12.34")), REFUSED),
    "ALREADY_REVOKED": _already_revoked,
    "STATE_MISSING": _state_missing,
    "STATE_EXISTS": lambda w: Case(["init", "--demo"], STATE),
    "STATE_CORRUPT": _state_corrupt,
    "STATE_LOCKED": _state_locked,
    "STATE_TOO_NEW": _state_too_new,
    "VALIDATION_FAILED": lambda w: Case(_pay(LI_NA, DEFU, tier="gold"), REFUSED),
}


def test_every_cli_code_has_a_case():
    assert list(CASES) == CLI_CODES


@pytest.fixture(params=CLI_CODES)
def case(request, demo: Path, ok, policy_dir, tmp_path) -> tuple[str, Case]:
    world = World(state=demo, ok=ok, policy_dir=policy_dir, tmp_path=tmp_path)
    return request.param, CASES[request.param](world)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_error_code_as_json(case, run, state: Path, lang: str):
    code, c = case
    started = time.monotonic()
    with unchanged_file(state), c.around():
        outcome = run(*c.args, lang=lang, today=c.today, env=c.env)
    assert time.monotonic() - started < 5, "a refusal is immediate (STATE_LOCKED waits 0.2 s)"
    assert outcome.data["ok"] is False
    error = outcome.data["error"]
    assert error["code"] == code, error
    assert outcome.code == c.exit, (outcome.code, error)
    assert "\n" not in error["message"].strip(), "one sentence"
    assert_message(error["message"], lang, allow=c.allow)
    for detail in error["details"]:
        assert_message(detail["message"], lang, allow=c.allow)
    assert outcome.stderr == "", "with --json, stdout carries the error and stderr stays quiet"


def test_error_code_for_a_person(case, run, state: Path):
    """Without --json: nothing on stdout, the sentence on stderr, in Chinese by default."""
    _, c = case
    with unchanged_file(state), c.around():
        outcome = run(*c.args, today=c.today, env=c.env, json_out=False)
    assert outcome.code == c.exit
    assert outcome.data == "", outcome.data
    assert outcome.stderr.strip()
    assert CJK.search(outcome.stderr)
    assert "Traceback" not in outcome.stderr


def test_validation_failed_wraps_every_failure(demo: Path, refused):
    data = refused(*_pay(LI_NA, DEFU, tier="gold"), code="VALIDATION_FAILED", exit=1)
    expected = ["NOT_BOUND", "NOT_ENROLLED", "UNKNOWN_TIER"]  # in the order of the rules
    assert [d["code"] for d in data["error"]["details"]] == expected


# -- usage errors beyond the codes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus", "payments"],
        ["payments", "--bogus"],
        ["nosuchcommand"],
        ["admin", "nosuch"],
    ],
)
def test_unknown_option_or_command_is_a_usage_error(demo: Path, run, unchanged, args):
    with unchanged():
        outcome = run(*args)
    assert outcome.code == 2
    assert outcome.data["ok"] is False
    assert_message(outcome.data["error"]["message"])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["family", "extra", "--payer", "张伟"], "extra"),  # a word the command does not take
        (["scenario"], "scenario --help"),  # a group without its command
        (["admin"], "admin --help"),
        (["pay", "--yes=1"], "--yes"),  # a switch given a value
        (["scenario", "bogus"], "scenario --help"),  # the group's own commands, not famcov's
    ],
)
def test_click_usage_errors_are_said_in_the_runs_language(demo, run, unchanged, args, said, lang):
    """click's own English ("Got unexpected extra argument(s)", "Missing command", "does
    not take a value") is said in famcov's words, in the run's language."""
    with unchanged():
        outcome = run(*args, lang=lang)
    assert outcome.code == 2
    message = outcome.data["error"]["message"]
    assert said in message, message
    assert_message(message, lang)
    for english in ("Got unexpected", "Missing command", "does not take a value"):
        assert english not in message


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["payments", "--payer"], "--payer"),  # an option given without its value
        (["bind", "--payer", ZHANG_WEI, "--relative", XIAOYU, ACCEPT], "--name"),
        (["unbind", "--payer", ZHANG_WEI], "--relative"),
        (["revoke", "--reason", "other", "--yes"], "回执号"),  # a positional, in words
        (["admin", "credit", "--id", ZHANG_WEI], "--amount"),
        (["admin", "import"], "CSV 文件"),
    ],
)
def test_missing_values_name_the_flag(demo: Path, refused, args, flag):
    data = refused(*args, code="MISSING_OPTION", exit=2)
    assert flag.lower() in data["error"]["message"].lower()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--today", "2026-13-01", "payments"], "INVALID_DATE"),
        (["--lang", "fr", "payments"], "INVALID_VALUE"),
        (["payments", "--year", "二〇二七"], "INVALID_YEAR"),
    ],
)
def test_malformed_global_and_command_values(demo: Path, unchanged, args, code):
    with unchanged():
        result = invoke(["--json", "--state", str(demo), *args])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == code


def test_messages_follow_the_language_of_the_environment(demo: Path, run):
    outcome = run("receipt", "DJ209901010001", lang=None, env={"FAMCOV_LANG": "en"})
    assert_message(outcome.data["error"]["message"], "en")


# -- the state file ---------------------------------------------------------------------------------


def test_state_missing_creates_nothing(run, state: Path):
    credit = ["admin", "credit", "--id", LI_NA, "--amount", "1"]
    for args in (["payments"], _pay(ZHANG_WEI, XIAOYU), credit):
        outcome = run(*args)
        assert (outcome.code, outcome.data["error"]["code"]) == (3, "STATE_MISSING")
        assert not state.exists()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"\x00\xff garbage", id="binary"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"[]", id="not-an-object"),
        pytest.param(
            lambda raw: raw.replace(b'"balance": 126850', b'"balance": "1268.50"', 1),
            id="balance-as-text",
        ),
        pytest.param(
            lambda raw: raw.replace(b'"balance": 126850', b'"balance": 999999', 1),
            id="balance-not-the-ledger-sum",
        ),
        pytest.param(
            lambda raw: raw.replace(b'"relation": "child"', b'"relation": "cousin"', 1),
            id="unknown-relation",
        ),
    ],
)
def test_state_corrupt(demo: Path, refused, damage):
    raw = demo.read_bytes()
    broken = damage(raw)
    assert broken != raw, "the damage must apply to the demo file"
    demo.write_bytes(broken)
    for args in (["payments"], _pay(ZHANG_WEI, XIAOYU)):
        refused(*args, code="STATE_CORRUPT", exit=3)


def test_state_corrupt_says_where_it_broke(demo: Path, refused):
    raw = demo.read_bytes()
    demo.write_bytes(raw.replace(b'"balance": 126850', b'"balance": "x"', 1))
    data = refused("payments", code="STATE_CORRUPT", exit=3)
    assert "workers" in data["error"]["message"] and "balance" in data["error"]["message"]


def test_state_that_is_a_folder(run, state: Path):
    state.mkdir(parents=True)
    outcome = run("payments")
    assert (outcome.code, outcome.data["error"]["code"]) == (
        3,
        "STATE_UNSAFE",
    )  # no state file can be there


def test_state_locked_is_a_bounded_wait(demo: Path, run):
    with unchanged_file(demo), FileLock(str(demo) + ".lock"):
        started = time.monotonic()
        outcome = run(*_pay(ZHANG_WEI, XIAOYU), env={"FAMCOV_LOCK_TIMEOUT": "0.2"})
        waited = time.monotonic() - started
        assert (outcome.code, outcome.data["error"]["code"]) == (3, "STATE_LOCKED")
        assert 0.15 < waited < 3
        # Reading takes no lock.
        assert run("payments").code == 0
    # Once the lock is free, the same payment goes through.
    assert run(*_pay(ZHANG_WEI, XIAOYU)).code == 0


def test_state_too_new_is_never_touched(demo: Path, refused):
    data = json.loads(demo.read_text(encoding="utf-8"))
    data["schema"] = 99
    demo.write_text(json.dumps(data), encoding="utf-8")
    for args in (["payments"], ["init", "--demo"], _pay(ZHANG_WEI, XIAOYU)):
        code = "STATE_EXISTS" if args[0] == "init" else "STATE_TOO_NEW"
        refused(*args, code=code, exit=3)


def test_the_state_file_is_untouched_by_every_refusal_in_a_row(demo: Path, refused):
    """One file, many refusals, one byte-identical file at the end (refused checks each)."""
    refused(*_pay(ZHANG_WEI, DEFU), code="NOT_ENROLLED", exit=1)
    refused(
        *_bind(XIAOYU, "张小雨", "child", ACCEPT, "--proof", "户口本"), code="ALREADY_BOUND", exit=1
    )
    refused("revoke", "DJ1", "--reason", "other", "--yes", code="UNKNOWN_RECEIPT", exit=1)
    refused("admin", "credit", "--id", ZHANG_WEI, "--amount", "0", code="INVALID_AMOUNT", exit=2)


# -- in-process runs do not leak into each other --------------------------------------------------


def test_a_json_run_does_not_make_the_next_run_json(demo: Path, run):
    assert run("payments").code == 0  # --json
    outcome = run("--bogus", json_out=False)
    assert outcome.code == 2
    assert outcome.data == ""
    assert outcome.stderr.strip() and not outcome.stderr.lstrip().startswith("{")
