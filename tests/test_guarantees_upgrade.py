"""Upgrades: an older state file is read, upgraded on its first change with the original
kept beside it, and a newer one is refused without being touched.

Schema 0 is the pre-release layout (statefile/versions.py, docs/guarantees.md): money as yuan
strings, the ledger named "entries" without `seq`, no counters.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_RECEIPT, LI_NA, XIAOYU, ZHANG_WEI

from famcov import setups
from famcov.domain.model import SCHEMA
from famcov.statefile import decode_versioned, encode
from famcov.statefile.versions import MIGRATIONS
from famcov.store import Store

# A schema-0 file as famcov 0.0.x wrote it: frozen here, never regenerated.
FROZEN_V0 = {
    "schema": 0,
    "workers": [
        {"id": ZHANG_WEI, "name": "张伟", "region": "510100", "balance": "1268.50"},
    ],
    "enrolments": [{"id": XIAOYU, "name": "张小雨", "region": "510100", "year": 2026}],
    "bindings": [
        {
            "payer": ZHANG_WEI,
            "relative": XIAOYU,
            "name": "张小雨",
            "relation": "child",
            "bound_on": "2025-09-01",
        }
    ],
    "payments": [
        {
            "no": "DJ202510100007",
            "payer": ZHANG_WEI,
            "payer_name": "张伟",
            "relative": XIAOYU,
            "relative_name": "张小雨",
            "relation": "child",
            "region": "510100",
            "year": 2026,
            "tier": "standard",
            "amount": "400.00",
            "balance_before": "1668.50",
            "balance_after": "1268.50",
            "paid_on": "2025-10-10",
            "in_window": True,
            "benefits_from": "2026-01-01",
        }
    ],
    "entries": [
        {"account": ZHANG_WEI, "kind": "opening", "amount": "1668.50", "on": "2025-09-01"},
        {
            "account": ZHANG_WEI,
            "kind": "payment",
            "amount": "-400.00",
            "on": "2025-10-10",
            "ref": "DJ202510100007",
        },
    ],
}


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def to_v0(current: dict[str, Any]) -> dict[str, Any]:
    """The inverse of the 0 -> 1 migration: what famcov 0.0.x would have written."""
    old = json.loads(json.dumps(current))
    for w in old["workers"]:
        w["balance"] = _yuan(w["balance"])
    for p in old["payments"]:
        for key in ("amount", "balance_before", "balance_after"):
            p[key] = _yuan(p[key])
    old["entries"] = [
        {k: _yuan(v) if k == "amount" else v for k, v in e.items() if k != "seq"}
        for e in old.pop("ledger")
    ]
    del old["next_seq"], old["next_receipt"]
    old["schema"] = 0
    return old


def demo_bytes() -> bytes:
    from famcov import policy
    from famcov.domain.model import new_state
    from famcov.domain.records import Records
    from famcov.features import bureau

    records = Records(new_state())
    bureau.run_setup(records, policy.load(), dt.date(2026, 11, 24), setups.load("demo")["setup"])
    return encode(records.state)


def v0_bytes() -> bytes:
    return json.dumps(to_v0(json.loads(demo_bytes())), ensure_ascii=False, indent=1).encode()


@pytest.fixture
def v0_state(state: Path) -> Path:
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(v0_bytes())
    os.chmod(state, 0o600)
    return state


def test_every_older_schema_has_a_migration() -> None:
    assert len(MIGRATIONS) == SCHEMA


def test_the_migration_gives_back_the_current_state_exactly() -> None:
    current = demo_bytes()
    state, found = decode_versioned(v0_bytes(), where="x")
    assert found == 0
    assert encode(state) == current


def test_the_frozen_v0_sample_reads(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(FROZEN_V0, ensure_ascii=False), encoding="utf-8")
    state = Store(path).load()
    assert state.workers[0].balance == 126850
    assert [e.seq for e in state.ledger] == [1, 2]
    assert state.next_seq == 3
    assert state.next_receipt == 8  # after DJ202510100007
    assert state.payments[0].amount == 40000


def test_reading_an_old_file_never_writes_it(run, v0_state: Path) -> None:
    before = v0_state.read_bytes()
    for args in (
        ("payments",),
        ("account", "--payer", ZHANG_WEI),
        ("receipt", DEMO_RECEIPT),
        ("family", "--payer", ZHANG_WEI),
        ("doctor",),
    ):
        outcome = run(*args)
        assert outcome.code == 0, outcome
    account = run("account", "--payer", ZHANG_WEI).data
    assert account["balance"] == "1268.50"
    assert v0_state.read_bytes() == before
    assert not (v0_state.parent / "state.json.v0.bak").exists()


def test_doctor_says_an_old_file_will_be_upgraded(run, v0_state: Path) -> None:
    data = run("doctor").data
    assert data["ok"] is True
    assert data["schema"] == {"found": 0, "current": SCHEMA}
    assert [n["code"] for n in data["notes"]] == ["SCHEMA_OLD"]


def test_the_first_change_upgrades_and_keeps_the_original(run, v0_state: Path) -> None:
    original = v0_state.read_bytes()
    outcome = run("admin", "credit", "--id", ZHANG_WEI, "--amount", "10")
    assert outcome.code == 0, outcome
    backup = v0_state.parent / "state.json.v0.bak"
    assert backup.read_bytes() == original
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    upgraded = json.loads(v0_state.read_bytes())
    assert upgraded["schema"] == SCHEMA
    assert "entries" not in upgraded and upgraded["ledger"][0]["seq"] == 1
    assert run("account", "--payer", ZHANG_WEI).data["balance"] == "1278.50"
    # later changes leave the backup alone and make no other
    assert run("admin", "credit", "--id", LI_NA, "--amount", "1").code == 0
    assert backup.read_bytes() == original
    assert sorted(p.name for p in v0_state.parent.iterdir()) == [
        "state.json",
        "state.json.v0.bak",
    ]


def test_an_earlier_backup_that_differs_is_never_overwritten(run, v0_state: Path) -> None:
    backup = v0_state.parent / "state.json.v0.bak"
    backup.write_bytes(b"an older backup\n")
    original = v0_state.read_bytes()
    assert run("admin", "credit", "--id", ZHANG_WEI, "--amount", "10").code == 0
    assert backup.read_bytes() == b"an older backup\n"
    assert (v0_state.parent / "state.json.v0.2.bak").read_bytes() == original


def test_a_refused_change_does_not_upgrade(run, v0_state: Path) -> None:
    before = v0_state.read_bytes()
    outcome = run(
        "pay",
        "--payer",
        ZHANG_WEI,
        "--relative",
        XIAOYU,
        "--region",
        "510100",
        "--year",
        "2026",
        "--tier",
        "standard",
        "--yes",
        "--accept-no-cover",
    )
    assert outcome.code == 1 and outcome.data["error"]["code"] == "ALREADY_PAID"
    assert v0_state.read_bytes() == before
    assert not (v0_state.parent / "state.json.v0.bak").exists()


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["workers"][0].update(balance=126850), "$.workers[0].balance"),
        (lambda d: d["entries"][1].update(amount="-400"), "$.entries[1].amount"),
        (lambda d: d["payments"][0].update(amount="4e2"), "$.payments[0].amount"),
        (lambda d: d.update(entries={}), "$.entries"),
        (lambda d: d.update(ledger=[]), "$.ledger"),
    ],
)
def test_a_broken_old_file_is_refused_naming_where(run, state: Path, edit, where) -> None:
    old = to_v0(json.loads(demo_bytes()))
    edit(old)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps(old), encoding="utf-8")
    before = state.read_bytes()
    for args in (("payments",), ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1")):
        outcome = run(*args)
        assert outcome.code == 3
        assert outcome.data["error"]["code"] == "STATE_CORRUPT"
        assert where in outcome.data["error"]["message"]
    assert state.read_bytes() == before


@pytest.mark.parametrize("schema", [SCHEMA + 1, 99, 2**40])
def test_a_newer_file_is_refused_and_never_touched(run, demo: Path, schema: int) -> None:
    data = json.loads(demo.read_bytes())
    data["schema"] = schema
    data["something_new"] = {"from": "the future"}
    demo.write_text(json.dumps(data), encoding="utf-8")
    before = demo.read_bytes()
    for args in (
        ("payments",),
        ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1"),
        ("init", "--demo"),
    ):
        outcome = run(*args)
        assert outcome.code == 3, outcome
        assert outcome.data["error"]["code"] in {"STATE_TOO_NEW", "STATE_EXISTS"}
    doctor = run("doctor")
    assert doctor.code == 3
    assert doctor.data["error"]["code"] == "STATE_TOO_NEW"
    assert demo.read_bytes() == before
    assert sorted(p.name for p in demo.parent.iterdir()) == ["state.json"]
    assert run("payments", lang="en").data["error"]["message"].count(str(schema)) >= 1


def test_a_negative_schema_is_corrupt(run, demo: Path) -> None:
    data = json.loads(demo.read_bytes())
    data["schema"] = -1
    demo.write_text(json.dumps(data), encoding="utf-8")
    outcome = run("payments")
    assert outcome.code == 3 and outcome.data["error"]["code"] == "STATE_CORRUPT"
    assert "$.schema" in outcome.data["error"]["message"]


def test_a_schema_1_file_is_read_as_it_is_and_kept_on_its_first_change(run, demo: Path) -> None:
    """famcov 0.1 wrote schema 1: the same layout without the fields schema 2 added."""
    data = json.loads(demo.read_text(encoding="utf-8"))
    for added in ("channel", "scenario", "province", "seal"):
        data.pop(added, None)
    data["schema"] = 1
    v1 = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()
    demo.write_bytes(v1)
    assert run("payments", "--payer", "张伟").code == 0
    assert demo.read_bytes() == v1  # a read changes nothing
    assert run("admin", "credit", "--id", ZHANG_WEI, "--amount", "1").code == 0
    assert json.loads(demo.read_text(encoding="utf-8"))["schema"] == SCHEMA
    assert (demo.parent / (demo.name + ".v1.bak")).read_bytes() == v1
