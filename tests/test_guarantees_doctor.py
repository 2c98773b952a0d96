"""`famcov doctor`: every check fires on the hand edit it is there for, and only then.

Healthy file: exit 0, `"ok": true`, no problems. Each edit below breaks one
thing; doctor names it (code and, for a record, its JSON path), in zh and en,
exits 3 with the usual failure shape, and never changes the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    JIANGUO,
    LI_NA,
    PINNED_ENV,
    XIAOYU,
    ZHANG_WEI,
    assert_message,
    make_id,
)
from typer.testing import CliRunner

from famcov.cli import app
from famcov.domain.model import SCHEMA
from famcov.i18n import catalogue

REVOKED = "DJ202611240002"  # paid by 张伟 for 张小雨 2027, then revoked
PAID = "DJ202611240003"  # paid by 张伟 for 张建国 2027


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("doctor") / "state.json"
    head = ["--json", "--state", str(path), "--today", "2026-11-24"]
    pay = ("--year", "2027", "--tier", "standard", "--yes")
    for args in (
        ["init", "--demo"],
        ["pay", "--payer", ZHANG_WEI, "--relative", XIAOYU, "--region", "510100", *pay],
        ["revoke", REVOKED, "--reason", "duplicate", "--yes"],
        ["pay", "--payer", ZHANG_WEI, "--relative", JIANGUO, "--region", "510700", *pay],
        ["admin", "credit", "--id", LI_NA, "--amount", "50"],
    ):
        result = CliRunner().invoke(app, head + args, env=PINNED_ENV)
        assert result.exit_code == 0, result.stdout
    return path.read_bytes()


def doctor(state: Path, *, lang: str = "en", json_out: bool = True):
    head = (["--json"] if json_out else []) + ["--state", str(state), "--lang", lang]
    result = CliRunner().invoke(app, [*head, "doctor"], env=PINNED_ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, (json.loads(result.stdout) if json_out else result.stdout)


def _payment(d: dict, no: str) -> dict:
    return next(p for p in d["payments"] if p["no"] == no)


def _entry(d: dict, kind: str, ref: str | None = None) -> dict:
    return next(e for e in d["ledger"] if e["kind"] == kind and e.get("ref") == ref)


EDITS: dict[str, tuple[Any, set[str]]] = {
    "balance": (
        lambda d: d["workers"][1].update(balance=d["workers"][1]["balance"] + 1),
        {"LEDGER_MISMATCH"},
    ),
    "negative balance": (
        lambda d: (
            next(e for e in d["ledger"] if e["account"] == LI_NA).update(amount=-10100),
            d["workers"][1].update(balance=-5100),
        ),
        {"NEGATIVE_BALANCE", "LEDGER_SIGN"},
    ),
    "duplicate seq": (lambda d: d["ledger"][-1].update(seq=1), {"LEDGER_SEQ_DUPLICATE"}),
    "seq counter": (lambda d: d.update(next_seq=3), {"LEDGER_SEQ_COUNTER"}),
    "unknown account": (
        lambda d: (
            d["ledger"].append(
                {
                    "seq": d["next_seq"],
                    "account": make_id(),
                    "kind": "credit",
                    "amount": 5,
                    "on": "2026-01-01",
                }
            )
            or d.update(next_seq=d["next_seq"] + 1)
        ),
        {"LEDGER_UNKNOWN_ACCOUNT"},
    ),
    "credit sign": (
        lambda d: (
            _entry(d, "credit").update(amount=-5000),
            d["workers"][1].update(balance=d["workers"][1]["balance"] - 10000),
        ),
        {"LEDGER_SIGN"},
    ),
    "ledger names no receipt": (
        lambda d: _entry(d, "payment", PAID).update(ref="DJ209901010099"),
        {"LEDGER_UNKNOWN_RECEIPT", "PAYMENT_LEDGER"},
    ),
    "payment entry missing": (
        lambda d: (
            d["ledger"].remove(_entry(d, "payment", PAID)),
            d["workers"][0].update(balance=d["workers"][0]["balance"] + 40000),
        ),
        {"PAYMENT_LEDGER"},
    ),
    "arithmetic": (lambda d: _payment(d, PAID).update(balance_after=1), {"PAYMENT_ARITHMETIC"}),
    "balance before": (
        lambda d: _payment(d, PAID).update(
            balance_before=_payment(d, PAID)["balance_before"] + 100,
            balance_after=_payment(d, PAID)["balance_after"] + 100,
        ),
        {"PAYMENT_BEFORE"},
    ),
    "amount": (
        lambda d: _payment(d, PAID).update(
            amount=0, balance_after=_payment(d, PAID)["balance_before"]
        ),
        {"PAYMENT_AMOUNT", "PAYMENT_LEDGER"},
    ),
    "refund missing": (
        lambda d: (
            d["ledger"].remove(_entry(d, "refund", REVOKED)),
            d["workers"][0].update(balance=d["workers"][0]["balance"] - 40000),
        ),
        {"REFUND_LEDGER", "PAYMENT_BEFORE"},
    ),
    "revoked without date": (lambda d: _payment(d, REVOKED).pop("revoked_on"), {"REVOKE_FIELDS"}),
    "paid twice": (
        lambda d: _payment(d, REVOKED).update(status="paid", year=2026, revoked_on=None),
        {"DUPLICATE_PAID", "REFUND_LEDGER"},
    ),
    "receipt twice": (
        lambda d: _payment(d, PAID).update(no=REVOKED),
        {"DUPLICATE_RECEIPT", "REFUND_LEDGER", "LEDGER_UNKNOWN_RECEIPT"},
    ),
    "receipt counter": (lambda d: d.update(next_receipt=2), {"RECEIPT_COUNTER"}),
    "unknown payer": (
        lambda d: _payment(d, PAID).update(payer=make_id("510104", "19700101", "777")),
        {"PAYMENT_UNKNOWN_PAYER", "PAYMENT_LEDGER"},
    ),
    "duplicate worker": (
        lambda d: d["workers"].append(dict(d["workers"][1])),
        {"DUPLICATE_WORKER"},
    ),
    "bad check digit": (
        lambda d: d["enrolments"][0].update(id=XIAOYU[:17] + ("0" if XIAOYU[17] != "0" else "1")),
        {"INVALID_ID"},
    ),
    "binding to nobody": (
        lambda d: d["bindings"][0].update(payer=make_id("510104", "19700101", "888")),
        {"BINDING_UNKNOWN_PAYER"},
    ),
    "binding twice": (
        lambda d: d["bindings"].append(dict(d["bindings"][0])),
        {"DUPLICATE_BINDING"},
    ),
}


def _write(state: Path, data: bytes) -> None:
    state.write_bytes(data)
    os.chmod(state, 0o600)


def test_a_healthy_file_is_healthy(tmp_path: Path, healthy: bytes) -> None:
    state = tmp_path / "state.json"
    _write(state, healthy)
    code, data = doctor(state)
    assert code == 0
    assert data["ok"] is True and data["problems"] == [] and data["notes"] == []
    assert data["schema"] == {"found": SCHEMA, "current": SCHEMA}
    assert data["counts"] == {
        "workers": 2,
        "enrolments": 6,
        "bindings": 7,
        "payments": 3,
        "ledger": 7,
    }
    assert "error" not in data


@pytest.mark.parametrize("name", sorted(EDITS))
def test_each_hand_edit_is_named(tmp_path: Path, healthy: bytes, name: str) -> None:
    edit, expected = EDITS[name]
    tree = json.loads(healthy)
    edit(tree)
    damaged = json.dumps(tree, ensure_ascii=False, indent=1).encode()
    state = tmp_path / "state.json"
    _write(state, damaged)
    for lang in ("en", "zh"):
        code, data = doctor(state, lang=lang)
        assert code == 3, data
        found = {p["code"] for p in data["problems"]}
        assert found == expected, data["problems"]
        assert data["ok"] is False
        assert data["error"]["code"] == "STATE_CORRUPT"
        assert data["error"]["details"] == data["problems"]
        for problem in data["problems"]:
            assert_message(problem["message"], lang)
            assert problem["where"].startswith("$")
        code, text = doctor(state, lang=lang, json_out=False)
        assert code == 3 and "Traceback" not in text
    assert state.read_bytes() == damaged


def test_doctor_reports_an_undecodable_file_with_its_place(tmp_path: Path, healthy: bytes):
    state = tmp_path / "state.json"
    _write(state, healthy.replace(b'"kind": "credit"', b'"kind": 7'))
    code, data = doctor(state)
    assert code == 3
    assert [(p["code"], p["where"]) for p in data["problems"]] == [
        ("STATE_CORRUPT", "$.ledger[6].kind")
    ]
    assert "doctor" not in data["problems"][0]["message"]  # it does not advise itself


def test_doctor_reports_file_problems_and_notes(tmp_path: Path, healthy: bytes) -> None:
    state = tmp_path / "state.json"
    _write(state, healthy)
    os.chmod(state, 0o640)
    (tmp_path / ".state.json.12345.tmp").write_bytes(b"half a save")
    code, data = doctor(state)
    assert code == 3
    assert [p["code"] for p in data["problems"]] == ["FILE_MODE"]
    assert data["error"]["code"] == "STATE_UNSAFE"
    assert [n["code"] for n in data["notes"]] == ["STALE_TEMP"]
    os.chmod(state, 0o600)
    code, data = doctor(state)
    assert code == 0 and data["ok"] is True  # a leftover temporary file is only a note


def test_doctor_on_a_missing_file_says_so(tmp_path: Path) -> None:
    code, data = doctor(tmp_path / "none.json")
    assert code == 3 and data["error"]["code"] == "STATE_MISSING"


def test_doctor_text_output_reads_in_both_languages(tmp_path: Path, healthy: bytes) -> None:
    state = tmp_path / "state.json"
    tree = json.loads(healthy)
    tree["workers"][0]["balance"] += 7
    _write(state, json.dumps(tree).encode())
    code, text = doctor(state, lang="zh", json_out=False)
    assert code == 3 and "余额" in text and "510104********0017" in text
    code, text = doctor(state, lang="en", json_out=False)
    assert code == 3 and "ledger sums to" in text and ZHANG_WEI not in text


def test_doctor_messages_exist_in_both_catalogues_with_the_same_placeholders() -> None:
    import string

    from famcov.i18n import doctor_en, doctor_zh

    assert set(doctor_zh.MESSAGES) == set(doctor_en.MESSAGES)
    for key, zh in doctor_zh.MESSAGES.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(zh) if f}
        assert fields == {
            f for _, f, _, _ in string.Formatter().parse(doctor_en.MESSAGES[key]) if f
        }, key
    for code in {c for _, codes in EDITS.values() for c in codes}:
        assert f"doctor.problem.{code}" in catalogue("zh")
