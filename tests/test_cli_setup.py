"""Setup side: `init` and the `admin` commands that build the bureau's records.

Commands are written as one string split on spaces (no value here contains one).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from conftest import (
    DEMO_RECEIPT,
    JIANGUO,
    LI_NA,
    MASKED,
    PAY_STANDARD,
    XIAOYU,
    XIUYING,
    ZHANG_LI,
    ZHANG_WEI,
    invoke,
    ledger_total,
    mask,
    money,
    new_id,
)

IMPORT_HEADER = "kind,id,name,region,year,balance,status,channel"


# -- init ---------------------------------------------------------------------------------


def test_init_creates_an_empty_private_state(ok, state: Path):
    data = ok("init")
    assert data["state"] == str(state)
    assert data["demo"] is False
    assert data["counts"] == {"workers": 0, "enrolments": 0, "bindings": 0, "payments": 0}
    assert data["workers"] == []
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert json.loads(state.read_text(encoding="utf-8"))["schema"] >= 1


def test_init_refuses_an_existing_state(empty: Path, refused):
    refused("init", code="STATE_EXISTS", exit=3)
    refused("init", "--demo", code="STATE_EXISTS", exit=3)


def test_init_force_replaces_the_state(demo: Path, ok):
    data = ok("init", "--force")
    assert data["counts"]["workers"] == 0
    assert ok("payments")["payments"] == []
    assert ok("init", "--demo", "--force")["counts"]["payments"] == 1


def test_init_demo_builds_the_chengdu_family(ok, state: Path):
    data = ok("init", "--demo")
    assert data["counts"] == {"workers": 2, "enrolments": 6, "bindings": 7, "payments": 1}
    assert data["workers"] == [
        {"id": mask(ZHANG_WEI), "name": "张伟"},
        {"id": mask(LI_NA), "name": "李娜"},
    ]
    # Resident IDs are in the file in full but never in the output.
    assert ZHANG_WEI in state.read_text(encoding="utf-8")
    assert ZHANG_WEI not in json.dumps(data)


def test_demo_family_shows_the_interesting_cases(demo: Path, ok):
    members = ok("family", "--payer", ZHANG_WEI)["members"]
    relations = {m["relative"]["name"]: m["relation"] for m in members}
    assert relations == {
        "张小雨": "child",  # same city
        "张建国": "parent",  # another Sichuan city
        "王秀英": "parent",  # already paid through the tax bureau
        "张丽": "sibling",  # enrolled in Yunnan
        "张德福": "grandparent",  # not enrolled
        "李娜": "spouse",  # holds employee insurance
    }
    # The spouse, a worker herself, has bound the same child.
    spouse = ok("family", "--payer", "李娜")["members"]
    assert [m["relative"]["id"] for m in spouse] == [mask(XIAOYU)]
    (paid,) = ok("payments")["payments"]
    assert paid["no"] == DEMO_RECEIPT
    assert (paid["relative"]["name"], paid["year"], paid["status"]) == ("张小雨", 2026, "paid")


def test_demo_works_out_of_the_box(demo: Path, ok):
    """The day the demo is meant for: 2027 inside its window, 2026 open with a waiting period."""
    check = ok(*f"check --payer 张伟 --relative {XIAOYU} --region 510100 --year 2027".split())
    assert check["passed"] is True
    pay = f"pay --payer 张伟 --relative {JIANGUO} --region 绵阳 --year 2026 --tier standard"
    assert ok(*pay.split(), "--accept-no-cover")["receipt"]["in_window"] is False


# -- admin add-worker ---------------------------------------------------------------------


def test_add_worker(empty: Path, ok):
    person = new_id()
    data = ok(*f"admin add-worker --id {person} --name 王五 --region 成都 --balance 1200.5".split())
    assert data["worker"] == {
        "id": mask(person),
        "name": "王五",
        "region": {"code": "510100", "name": "成都市"},
        "status": "active",
        "balance": "1200.50",
    }
    account = ok("account", "--payer", person)
    assert account["balance"] == "1200.50"
    assert [(e["kind"], e["amount"]) for e in account["ledger"]] == [("opening", "1200.50")]


def test_add_worker_suspended_with_zero_balance(empty: Path, ok):
    person = new_id()
    command = f"admin add-worker --id {person} --name 王五 --region 510700 --balance 0"
    data = ok(*command.split(), "--status", "suspended")
    assert data["worker"]["status"] == "suspended"
    assert data["worker"]["balance"] == "0.00"
    assert data["worker"]["region"] == {"code": "510700", "name": "绵阳市"}


@pytest.mark.parametrize(
    ("flag", "value", "code"),
    [
        ("--id", "510104199001011234", "INVALID_ID"),
        ("--region", "北京", "UNKNOWN_REGION"),
        ("--balance", "1.234", "INVALID_AMOUNT"),
        ("--balance", "-5", "INVALID_AMOUNT"),
        ("--name", "王5", "INVALID_NAME"),
        ("--status", "retired", "INVALID_VALUE"),
    ],
)
def test_add_worker_refuses_bad_values(empty: Path, refused, flag, value, code):
    flags = {"--id": new_id(), "--name": "王五", "--region": "成都", "--balance": "100"}
    flags[flag] = value
    argv = [x for pair in flags.items() for x in pair]
    refused("admin", "add-worker", *argv, code=code, exit=2)


def test_add_worker_twice_is_refused(demo: Path, refused):
    command = f"admin add-worker --id {ZHANG_WEI} --name 张伟 --region 成都 --balance 1"
    refused(*command.split(), code="ALREADY_EXISTS", exit=1)


def test_add_worker_under_another_name_is_refused(demo: Path, refused):
    command = f"admin add-worker --id {XIAOYU} --name 张大雨 --region 成都 --balance 1"
    refused(*command.split(), code="NAME_MISMATCH", exit=1)


# -- admin enrol ----------------------------------------------------------------------------


def test_enrol_a_resident(empty: Path, ok):
    person = new_id()
    data = ok(*f"admin enrol --id {person} --name 李四 --region 成都市 --year 2027".split())
    assert data["enrolment"] == {
        "id": mask(person),
        "name": "李四",
        "region": {"code": "510100", "name": "成都市"},
        "year": 2027,
    }


def test_enrol_as_employee_needs_no_region_or_year(empty: Path, ok):
    person = new_id()
    data = ok(*f"admin enrol --id {person} --name 李四 --employee".split())
    assert data["employee"] == {"id": mask(person), "name": "李四"}


def test_enrol_twice_for_a_year_is_refused(demo: Path, refused):
    command = f"admin enrol --id {XIAOYU} --name 张小雨 --region 成都 --year 2027"
    refused(*command.split(), code="ALREADY_EXISTS", exit=1)


def test_enrol_under_another_name_is_refused(demo: Path, refused):
    command = f"admin enrol --id {XIAOYU} --name 张大雨 --region 成都 --year 2025"
    refused(*command.split(), code="NAME_MISMATCH", exit=1)


@pytest.mark.parametrize("missing", ["--region", "--year"])
def test_enrol_without_employee_needs_region_and_year(empty: Path, refused, missing):
    flags = {"--id": new_id(), "--name": "李四", "--region": "成都", "--year": "2027"}
    del flags[missing]
    argv = [x for pair in flags.items() for x in pair]
    data = refused("admin", "enrol", *argv, code="MISSING_OPTION", exit=2)
    assert missing in data["error"]["message"]


@pytest.mark.parametrize(
    "argv",
    [
        "admin add-worker --region bogus",
        "admin enrol --year 0",
        "admin move --region bogus",
        "admin credit --amount -1",
        "admin record-payment --id 张丽 --channel bogus",
        "quota reserve --amount abc",
    ],
)
def test_the_bureaus_commands_name_a_missing_flag_before_a_bad_value(
    demo: Path, refused, argv: str
):
    # as they always have (the worker's commands read the values first)
    refused(*argv.split(), code="MISSING_OPTION", exit=2)


def test_an_employee_s_region_and_year_are_not_read(empty: Path, ok):
    argv = f"admin enrol --id {new_id()} --name 李四 --employee --region bogus --year 0"
    assert ok(*argv.split())["employee"]["name"] == "李四"


def test_enrol_refuses_a_bad_year(empty: Path, refused):
    command = f"admin enrol --id {new_id()} --name 李四 --region 成都 --year 27"
    refused(*command.split(), code="INVALID_YEAR", exit=2)


# -- admin record-payment ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "channel"),
    [("tax", "tax"), ("税务", "tax"), ("bank", "bank"), ("wechat", "wechat"), ("支付宝", "alipay")],
)
def test_record_payment(demo: Path, ok, given, channel):
    data = ok(*f"admin record-payment --id {JIANGUO} --year 2027 --channel {given}".split())
    assert data["paid_elsewhere"] == {
        "id": mask(JIANGUO),
        "year": 2027,
        "channel": channel,
        "recorded_on": "2026-11-24",
    }


@pytest.mark.parametrize(
    ("person", "channel", "code", "exit"),
    [
        (XIUYING, "bank", "ALREADY_EXISTS", 1),  # 2027 already recorded
        (None, "bank", "UNKNOWN_PERSON", 1),  # nobody the records know
        (JIANGUO, "cash", "INVALID_VALUE", 2),
    ],
)
def test_record_payment_refusals(demo: Path, refused, person, channel, code, exit):
    command = f"admin record-payment --id {person or new_id()} --year 2027 --channel {channel}"
    refused(*command.split(), code=code, exit=exit)


# -- admin credit -------------------------------------------------------------------------------


def test_credit_adds_a_ledger_entry(demo: Path, ok):
    data = ok("admin", "credit", "--id", "李娜", "--amount", "¥200.5")
    assert data["amount"] == "200.50"
    assert data["balance"] == "1060.50"
    assert (data["entry"]["kind"], data["entry"]["amount"]) == ("credit", "200.50")
    account = ok("account", "--payer", LI_NA)
    assert account["balance"] == "1060.50"
    assert ledger_total(account) == money(account["balance"])


@pytest.mark.parametrize("amount", ["0", "-10", "10.001", "abc", "1e3"])
def test_credit_refuses_bad_amounts(demo: Path, refused, amount):
    refused("admin", "credit", "--id", LI_NA, "--amount", amount, code="INVALID_AMOUNT", exit=2)


def test_credit_to_someone_who_is_not_a_worker(demo: Path, refused):
    refused("admin", "credit", "--id", XIAOYU, "--amount", "10", code="UNKNOWN_PERSON", exit=1)


# -- admin import -----------------------------------------------------------------------------


def write_csv(tmp_path: Path, *rows: str, header: str = IMPORT_HEADER) -> str:
    path = tmp_path / "records.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def test_import_adds_every_kind(empty: Path, ok, tmp_path: Path):
    worker, spouse = new_id(born="19800101"), new_id(born="19800101")
    child, parent = new_id(born="20050101"), new_id(born="19550101")
    csv = write_csv(
        tmp_path,
        f"worker,{worker},刘一,成都,,800.00,,",
        f"worker,{spouse},陈二,510100,,0,suspended,",
        f"resident,{child},刘小一,510100,2027,,,",
        f"resident,{parent},刘老一,绵阳,2027,,,",
        "",
        f"employee,{new_id()},刘三,,,,,",
        f"paid-elsewhere,{parent},,,2027,,,tax",
    )
    data = ok("admin", "import", csv)
    assert data["added"] == {"worker": 2, "resident": 2, "employee": 1, "paid-elsewhere": 1}
    assert data["total"] == 6
    assert ok("account", "--payer", worker)["balance"] == "800.00"
    assert ok("account", "--payer", spouse)["payer"]["status"] == "suspended"
    # The imported records are the ones the rules see.
    bind = f"bind --payer {worker} --relative {child} --name 刘小一 --relation child"
    ok(*bind.split(), "--accept-commitment")
    check = ok(*f"check --payer {worker} --relative {child} --region 成都 --year 2027".split())
    assert check["passed"] is True


def test_import_from_stdin_with_a_bom(empty: Path, ok):
    text = "\ufeff" + IMPORT_HEADER + f"\nworker,{new_id()},刘一,成都,,10,,\n"
    assert ok("admin", "import", "-", input=text)["added"]["worker"] == 1


def test_import_is_all_or_nothing_and_names_every_bad_line(empty: Path, run, refused, tmp_path):
    good = new_id()
    bad_check_digit = good[:-1] + ("1" if good[-1] != "1" else "2")
    csv = write_csv(
        tmp_path,
        f"worker,{good},刘一,成都,,800.00,,",  # line 2: fine
        f"worker,{bad_check_digit},刘二,成都,,800.00,,",  # line 3: bad ID
        f"resident,{new_id()},刘三,北京,2027,,,",  # line 4: unknown region
        f"worker,{new_id()},刘四,成都,,1.999,,",  # line 5: three decimals
        f"resident,{new_id()},刘五,成都,2027,,,",  # line 6: fine
        f"robot,{new_id()},刘六,,,,,",  # line 7: unknown kind
        f"resident,{new_id()},刘七,成都,,,,",  # line 8: no year
        f"employee,{new_id()},刘八,成都,,,,",  # line 9: a column the kind does not use
        f"worker,{good},刘一,成都,,1,,",  # line 10: the same worker again
        "worker,only,three",  # line 11: wrong number of columns
    )
    data = refused("admin", "import", csv, code="BAD_IMPORT", exit=2)
    details = data["error"]["details"]
    assert [d["line"] for d in details] == [3, 4, 5, 7, 8, 9, 10, 11]
    assert [d["code"] for d in details][:3] == ["INVALID_ID", "UNKNOWN_REGION", "INVALID_AMOUNT"]
    for d in details:
        assert str(d["line"]) in d["message"]
    # Nothing was written: line 2's worker does not exist.
    assert run("account", "--payer", good).data["error"]["code"] == "UNKNOWN_PERSON"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_says_the_first_problem_of_a_line_in_the_headers_order(
    empty: Path, refused, tmp_path, lang
):
    """A line is read left to right: a bad id before an unused year, a bad name before a
    missing year; an empty required cell is to be filled in the file, not "given on the
    command line"; a spaced ID in a cut echo is masked before it is cut."""
    csv = write_csv(
        tmp_path,
        "worker,123,陈静,成都,2027,2000.00,,",  # line 2: the id, not the unused year
        f"resident,{new_id()},刘芳1,成都,,,,",  # line 3: the name, not the missing year
        f"resident,{new_id()},刘芳,成都,,,,",  # line 4: the year is to be filled in
        "aaaa510104 19850315 0017x,1,2,3,4,5,6,7",  # line 5: an ID in a cut kind
    )
    data = refused("admin", "import", csv, code="BAD_IMPORT", exit=2, lang=lang)
    details = data["error"]["details"]
    assert [d["code"] for d in details] == [
        "INVALID_ID",
        "INVALID_NAME",
        "MISSING_OPTION",
        "INVALID_VALUE",
    ]
    missing = details[2]["message"]
    assert "year" in missing and ("填上" if lang == "zh" else "fill it in") in missing
    assert "命令" not in missing and "command line" not in missing
    said = json.dumps(data, ensure_ascii=False)
    assert "19850315" not in said and "510104 " not in said


def test_import_refuses_a_wrong_header(empty: Path, refused, tmp_path):
    csv = write_csv(
        tmp_path, f"worker,{new_id()},刘一,成都,800", header="kind,id,name,region,balance"
    )
    data = refused("admin", "import", csv, code="BAD_IMPORT", exit=2)
    assert data["error"]["details"][0]["line"] == 1


def test_import_refuses_a_missing_file(empty: Path, refused, tmp_path):
    refused("admin", "import", str(tmp_path / "nope.csv"), code="BAD_IMPORT", exit=2)


def test_import_refuses_a_file_that_is_not_utf8(empty: Path, refused, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((IMPORT_HEADER + f"\nworker,{new_id()},刘一,成都,,1,,\n").encode("gbk"))
    refused("admin", "import", str(path), code="BAD_IMPORT", exit=2)


def test_import_errors_mask_ids(empty: Path, refused, tmp_path):
    person = new_id()
    csv = write_csv(tmp_path, f"worker,{person},刘一,北京,,1,,")
    data = refused("admin", "import", csv, code="BAD_IMPORT", exit=2)
    assert person not in json.dumps(data, ensure_ascii=False)


def test_setup_output_masks_ids(demo: Path, ok):
    person = new_id()
    data = ok(*f"admin add-worker --id {person} --name 王五 --region 成都 --balance 1".split())
    assert MASKED.match(data["worker"]["id"])
    assert person not in json.dumps(data)
    assert ZHANG_LI not in json.dumps(ok("family", "--payer", ZHANG_WEI))


# -- global options from the environment ------------------------------------------------------------


def test_state_today_and_lang_from_the_environment(tmp_path: Path):
    state = tmp_path / "elsewhere" / "state.json"
    env = {"FAMCOV_STATE": str(state), "FAMCOV_TODAY": "2027-01-05", "FAMCOV_LANG": "en"}
    assert invoke(["--json", "init", "--demo"], env=env).exit_code == 0
    assert state.is_file()
    pay = f"--json pay --payer 张伟 --relative {XIAOYU} --region 成都 --year 2027 --tier standard --yes"
    result = invoke(pay.split(), env=env)
    receipt = json.loads(result.stdout)["receipt"]
    assert receipt["paid_at"] == "2027-01-05"
    assert receipt["region"]["name"] == "Chengdu"


def test_flags_win_over_the_environment(tmp_path: Path):
    flagged, env_state = tmp_path / "flag.json", tmp_path / "env.json"
    env = {"FAMCOV_STATE": str(env_state), "FAMCOV_TODAY": "not-a-date"}
    result = invoke(["--json", "--state", str(flagged), "--today", "2026-11-24", "init"], env=env)
    assert result.exit_code == 0
    assert flagged.exists() and not env_state.exists()


def test_a_bad_date_in_the_environment_is_a_usage_error(tmp_path: Path):
    env = {"FAMCOV_STATE": str(tmp_path / "s.json"), "FAMCOV_TODAY": "2026-02-29"}
    result = invoke(["--json", "init"], env=env)
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "INVALID_DATE"
    assert not (tmp_path / "s.json").exists()


def test_default_state_path_is_the_user_data_folder(tmp_path: Path):
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    result = invoke(["--json", "--today", "2026-11-24", "init"], env=env)
    assert result.exit_code == 0, result.stdout
    created = Path(json.loads(result.stdout)["state"])
    assert created.is_file()
    assert created.name == "state.json" and "famcov" in created.parts
    assert created.is_relative_to(tmp_path)


def test_import_of_a_spreadsheet_export(empty: Path, ok, tmp_path: Path):
    """Excel writes CRLF, quotes fields and may pad the header."""
    person = new_id()
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (
            "\ufeffKind, ID, Name, Region, Year, Balance, Status, Channel\r\n"
            f'"worker","{person}","刘 一","成都市","","1,200.00","",""\r\n'
        ).encode()
    )
    assert ok("admin", "import", str(path))["added"]["worker"] == 1
    assert ok("account", "--payer", person)["balance"] == "1200.00"


def test_replacing_twice_keeps_every_replaced_file(demo: Path, ok, refused, run):
    """--force keeps the file it replaces as state.json.bak; a second --force must not
    write over that backup with the file in between (the first one's records)."""
    paid = ok("pay", *PAY_STANDARD)["receipt"]["no"]
    with_payment = demo.read_bytes()
    ok("scenario", "start", "happy-path", "--force")
    scenario = demo.read_bytes()
    data = refused("init", code="STATE_EXISTS", exit=3, lang="en")
    assert "state.json.2.bak" in data["error"]["message"]  # where the next --force keeps it
    ok("init", "--force")
    first, second = demo.with_name("state.json.bak"), demo.with_name("state.json.2.bak")
    assert first.read_bytes() == with_payment and paid.encode() in first.read_bytes()
    assert second.read_bytes() == scenario
    ok("init", "--force")  # the empty state: a third backup, the others untouched
    assert demo.with_name("state.json.3.bak").exists()
    assert first.read_bytes() == with_payment and second.read_bytes() == scenario


def test_a_name_two_workers_share_is_said_as_shared_not_unknown(demo: Path, ok, refused):
    ok(
        "admin",
        "add-worker",
        "--id",
        "110101199003071233",
        "--name",
        "张伟",
        "--region",
        "成都",
        "--balance",
        "10",
    )
    data = refused(
        "admin", "credit", "--id", "张伟", "--amount", "1", code="UNKNOWN_PERSON", exit=1
    )
    message = data["error"]["message"]
    assert "不止一人" in message and "--id" in message and "没有这个人" not in message
