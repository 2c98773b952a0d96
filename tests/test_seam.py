"""One seam between flags and use cases: every given flag is parsed before the store is
opened, the same way in every command, and every refusal is one rule's."""

from __future__ import annotations

import pytest
from conftest import DEFU, DEMO_RECEIPT, PAY_STANDARD, PAY_XIAOYU_2027, XIAOYU, make_id

import famcov

BAD_YEAR = "20x7"

# Each command given a bad --year and everything else, with no state file at all.
YEAR_COMMANDS = [
    ("check", "--payer", "张伟", "--relative", "张小雨", "--region", "成都"),
    ("pay", "--payer", "张伟", "--relative", "张小雨", "--region", "成都", "--tier", "standard"),
    ("payments", "--payer", "张伟"),
    ("policy",),
    ("admin", "enrol", "--id", XIAOYU, "--name", "张小雨", "--region", "成都"),
    ("admin", "record-payment", "--id", XIAOYU, "--channel", "tax"),
]


@pytest.mark.parametrize("command", YEAR_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_bad_year_is_invalid_year_whether_or_not_a_state_exists(refused, state, command):
    assert not state.exists()
    refused(*command, "--year", BAD_YEAR, code="INVALID_YEAR", exit=2)


@pytest.mark.parametrize(
    ("command", "flag", "value", "code"),
    [
        ("check", "--region", "火星", "UNKNOWN_REGION"),
        ("pay", "--region", "火星", "UNKNOWN_REGION"),
        ("bind", "--relation", "邻居", "UNKNOWN_RELATION"),
        ("bind", "--name", "A\x07B", "INVALID_NAME"),
        ("bind", "--proof", "   ", "INVALID_VALUE"),
        ("revoke", "--reason", "bored", "INVALID_VALUE"),
    ],
)
def test_any_bad_flag_is_named_before_the_missing_state_file(
    refused, state, command, flag, value, code
):
    full = {
        "check": list(PAY_XIAOYU_2027),
        "pay": list(PAY_STANDARD),
        "bind": [
            "--payer",
            "张伟",
            "--relative",
            XIAOYU,
            "--name",
            "张小雨",
            "--relation",
            "子女",
            "--accept-commitment",
        ],
        "revoke": [DEMO_RECEIPT, "--reason", "duplicate"],
    }[command]
    if flag in full:
        at = full.index(flag)
        full[at + 1] = value
    else:
        full += [flag, value]
    data = refused(command, *full, code=code, exit=2)
    assert flag in data["error"]["message"], data  # the flag is named in every language


def test_a_year_outside_the_range_says_which_years_are_valid(refused, demo):
    args = [*PAY_XIAOYU_2027[:-1], "1999"]
    for lang in ("en", "zh"):
        data = refused("check", *args, code="INVALID_YEAR", exit=2, lang=lang)
        assert "2000" in data["error"]["message"] and "2100" in data["error"]["message"], data


def test_rebinding_an_unbound_id_under_another_name_is_refused(ok, refused, demo):
    ok("unbind", "--payer", "张伟", "--relative", "张德福")
    refused(
        "bind",
        "--payer",
        "张伟",
        "--relative",
        DEFU,
        "--name",
        "张三",
        "--relation",
        "grandparent",
        "--accept-commitment",
        code="NAME_MISMATCH",
        exit=1,
    )
    again = ok(
        "bind",
        "--payer",
        "张伟",
        "--relative",
        DEFU,
        "--name",
        "张德福",
        "--relation",
        "grandparent",
        "--accept-commitment",
    )
    assert again["binding"]["relative"]["name"] == "张德福"


def test_a_name_another_payer_bound_the_id_under_is_held_too(ok, refused, demo):
    stranger = make_id("510104", "19700101", "111")
    ok(
        "bind",
        "--payer",
        "李娜",
        "--relative",
        stranger,
        "--name",
        "赵一",
        "--relation",
        "sibling",
        "--accept-commitment",
    )
    refused(
        "bind",
        "--payer",
        "张伟",
        "--relative",
        stranger,
        "--name",
        "赵二",
        "--relation",
        "sibling",
        "--accept-commitment",
        code="NAME_MISMATCH",
        exit=1,
    )


def test_unbind_and_verify_of_someone_not_bound_are_the_not_bound_rule(refused, demo):
    refused("unbind", "--payer", "张伟", "--relative", make_id(), code="NOT_BOUND", exit=1)
    refused("verify", "--payer", "张伟", "--relative", make_id(), code="NOT_BOUND", exit=1)


def test_revoking_twice_is_the_already_revoked_rule(ok, refused, demo):
    ok("revoke", DEMO_RECEIPT, "--reason", "duplicate", today="2025-10-11")
    data = refused(
        "revoke",
        DEMO_RECEIPT,
        "--reason",
        "duplicate",
        code="ALREADY_REVOKED",
        exit=1,
        today="2025-10-12",
    )
    assert "2025-10-11" in data["error"]["message"]


def test_a_global_option_given_twice_is_refused_before_anything_is_written(
    run, demo, tmp_path, unchanged
):
    other = tmp_path / "other.json"
    with unchanged(demo):
        out = run("admin", "credit", "--id", "张伟", "--amount", "10", "--state", str(other))
    assert out.code == 2 and out.data["error"]["code"] == "USAGE", out
    assert "--state" in out.data["error"]["message"] and not other.exists()


def test_a_global_option_without_its_value_is_named(run, demo, unchanged):
    with unchanged(demo):
        out = run("family", "--payer", "张伟", "--today", lang="en", today=None)
    assert out.code == 2 and "--today needs a value" in out.data["error"]["message"], out


def test_version_works_after_the_command_too(run):
    out = run("payments", "--version", today=None)
    assert out.code == 0 and out.data == {"ok": True, "version": famcov.__version__}, out
