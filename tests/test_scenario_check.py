"""`famcov scenario check`: a trainee's state graded against the scenario's goals.

Through the public surface: the typer app with --json, as a trainer's script
would. Graded files are only read; a file that is not a state, or not from a
scenario, is one sentence and a failure, never a traceback.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import assert_message, snapshot

from famcov.domain import goals
from famcov.domain.model import State

RECEIPT = "DJ202610120001"  # revoke-repay: the higher tier paid by mistake
REPAY = ("pay", "--payer", "吴芳", "--relative", "吴桂英", "--region", "成都", "--year", "2027")


def start(run, path: Path, name: str = "revoke-repay") -> Path:
    assert run("scenario", "start", name, "--force", today=None, state_path=path).code == 0
    return path


def do_revoke_repay(run, path: Path) -> None:
    run("revoke", RECEIPT, "--reason", "other", today=None, state_path=path)
    run(*REPAY, "--tier", "standard", today=None, state_path=path)


def test_the_current_state_fails_naming_each_goal_until_the_exercise_is_done(run, state) -> None:
    start(run, state)
    before = run("scenario", "check", today=None)
    assert before.code == 1
    data = before.data
    assert data["ok"] is True and data["passed"] is False
    assert data["scenario"] == "revoke-repay"
    assert [g["id"] for g in data["goals"]] == ["revoked", "paid-once", "balance"]
    assert not any(g["passed"] for g in data["goals"])
    for g in data["goals"]:
        assert set(g) >= {"id", "passed", "message"}
        assert_message(g["message"])
    assert "530.00" in data["goals"][2]["message"] and "600.00" in data["goals"][2]["message"]

    do_revoke_repay(run, state)
    after = run("scenario", "check", today=None)
    assert after.code == 0
    assert after.data["passed"] is True
    assert all(g["passed"] for g in after.data["goals"])


def test_half_done_names_the_goal_still_missing(run, state) -> None:
    start(run, state)
    run("revoke", RECEIPT, "--reason", "other", today=None)
    data = run("scenario", "check", today=None, lang="en").data
    status = {g["id"]: g["passed"] for g in data["goals"]}
    assert status == {"revoked": True, "paid-once": False, "balance": False}
    missing = next(g for g in data["goals"] if g["id"] == "paid-once")
    assert_message(missing["message"], "en", allow=("吴桂英",))
    text = run("scenario", "check", today=None, lang="en", json_out=False)
    assert text.code == 1
    assert "✗" in text.data and "✓" in text.data and "1 of 3 goals met" in text.data


def test_a_room_of_state_files_in_a_folder(run, tmp_path: Path) -> None:
    room = tmp_path / "room"
    room.mkdir()
    done = start(run, room / "alice.json")
    do_revoke_repay(run, done)
    start(run, room / "bob.json")
    run("init", "--demo", state_path=room / "carol.json")  # not from a scenario
    (room / "dave.json").write_text('{"hello": "world"}', encoding="utf-8")
    (room / "notes.txt").write_text("not graded", encoding="utf-8")
    files = sorted(room.glob("*.json"))
    before = {p: snapshot(p) for p in files}
    listing = sorted(room.iterdir())
    outcome = run("scenario", "check", str(room))
    assert outcome.code == 1
    data = outcome.data
    assert data["ok"] is True and data["passed"] is False
    rows = {Path(f["path"]).name: f for f in data["files"]}
    assert list(rows) == ["alice.json", "bob.json", "carol.json", "dave.json"]
    assert rows["alice.json"]["passed"] is True
    assert rows["bob.json"]["passed"] is False and rows["bob.json"]["scenario"] == "revoke-repay"
    for name in ("carol.json", "dave.json"):
        assert rows[name]["passed"] is False and rows[name]["goals"] == []
        assert_message(rows[name]["problem"])
    # read only: nothing rewritten, no lock file made
    assert {p: snapshot(p) for p in files} == before
    assert sorted(room.iterdir()) == listing  # no lock file, no backup either
    table = run("scenario", "check", str(room), json_out=False, env={"COLUMNS": "80"})
    assert table.code == 1
    for needle in ("alice.json", "revoke-repay", "3/3", "0/3", "1 个全部完成"):
        assert needle in table.data, needle


def test_several_files_all_done_exit_0(run, tmp_path: Path) -> None:
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for p in paths:
        do_revoke_repay(run, start(run, p))
    outcome = run("scenario", "check", *map(str, paths))
    assert outcome.code == 0 and outcome.data["passed"] is True
    assert [f["passed"] for f in outcome.data["files"]] == [True, True]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_files_that_cannot_be_graded_are_one_sentence_each(run, tmp_path: Path, lang) -> None:
    missing = tmp_path / "nobody.json"
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\xff not json")
    plain = tmp_path / "plain.json"
    run("init", state_path=plain)
    folder = tmp_path / "empty"
    folder.mkdir()
    for path in (missing, garbage, plain, folder):
        outcome = run("scenario", "check", str(path), lang=lang)
        assert outcome.code == 1, path
        files = outcome.data.get("files") or [outcome.data]
        for f in files:
            assert f["passed"] is False
            assert_message(f["problem"], lang)
            assert "Traceback" not in f["problem"]


def test_a_file_named_by_a_resident_id_is_masked(run, tmp_path: Path) -> None:
    (tmp_path / "room").mkdir()
    path = tmp_path / "room" / "510104198509300282.json"
    start(run, path)
    data = run("scenario", "check", str(path)).data
    assert "510104198509300282" not in json.dumps(data, ensure_ascii=False)
    assert data["path"].endswith("room/510104********0282.json")


def test_no_file_and_no_state_is_the_state_error(refused) -> None:
    refused("scenario", "check", code="STATE_MISSING", exit=3)


def test_no_file_and_a_state_not_from_a_scenario(run, demo) -> None:
    outcome = run("scenario", "check")
    assert outcome.code == 1 and outcome.data["passed"] is False
    assert_message(outcome.data["problem"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file(run, tmp_path: Path) -> None:
    path = start(run, tmp_path / "locked.json")
    path.chmod(0)
    try:
        outcome = run("scenario", "check", str(path), lang="en")
    finally:
        path.chmod(0o600)
    assert outcome.code == 1
    assert "permissions" in outcome.data["problem"]


# -- the vocabulary, in the domain -------------------------------------------------


def _state(run, tmp_path: Path, name: str) -> State:
    from famcov.store import Store

    return Store(start(run, tmp_path / f"{name}.json", name)).load()


def test_every_goal_message_exists_in_both_languages() -> None:
    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    assert [k for k in goals.KEYS if k not in ZH or k not in EN] == []


def test_each_check_says_what_is_missing(run, tmp_path: Path) -> None:
    state = _state(run, tmp_path, "two-parents")
    wang, zhao, child = "510104198402200177", "510105198607110243", "510104201609010316"

    def grade(**check) -> goals.GoalResult:
        (goal,) = goals.parse([{"id": "g", "zh": "目标", "en": "goal", "check": check}])
        return goals.grade(goal, state)

    assert grade(op="paid-once", relative=child, year=2027).key == "goal.paid-once.none"
    assert grade(op="not-paid", relative=child, year=2027).passed
    assert grade(op="not-paid", year=2027).key == "goal.not-paid.ok_anyone"
    assert grade(op="bound", payer=wang, relative=child, relation="child").passed
    wrong = grade(op="bound", payer=wang, relative=child, relation="parent")
    assert wrong.key == "goal.bound.relation" and not wrong.passed
    assert grade(op="not-bound", payer=wang, relative=child).key == "goal.not-bound.found"
    assert grade(op="balance", payer=zhao, equals="980.00").passed
    low = grade(op="balance", payer=zhao, equals="580.00")
    assert low.key == "goal.balance.wrong" and low.params["balance"] == "980.00"
    assert grade(op="revoked", relative=child, year=2027).key == "goal.revoked.none"
    # names, never IDs, in what a person reads
    assert low.params["name"] == "赵敏"


def test_a_malformed_goal_is_refused_by_its_type() -> None:
    import msgspec

    bad = [
        {"id": "g", "zh": "目标", "en": "goal", "check": {"op": "paid-twice"}},
        {"id": "g", "zh": "目标", "en": "goal", "check": {"op": "balance", "payer": "1"}},
        {"id": "G!", "zh": "目标", "en": "goal", "check": {"op": "not-paid", "year": 2027}},
    ]
    for raw in bad:
        with pytest.raises(msgspec.ValidationError):
            goals.parse([raw])


def test_binding_refused_three_ways_then_graded(run, state) -> None:
    """The binding-refused story through the commands: each refusal is one sentence,
    writes nothing, and the grading names the goal until the right binding is made."""
    from conftest import make_id

    start(run, state, "binding-refused")
    mother = ("--payer", "孙悦", "--relative", "何淑珍", "--name", "何淑珍")
    before = state.read_bytes()
    no_letter = run("bind", *mother, "--relation", "parent", today=None)
    assert (no_letter.code, no_letter.data["error"]["code"]) == (1, "COMMITMENT_REQUIRED")
    good = make_id("510104", "19640522", "028")
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    typo = run(
        "bind",
        "--payer",
        "孙悦",
        "--relative",
        wrong,
        "--name",
        "何淑珍",
        "--relation",
        "parent",
        "--accept-commitment",
        today=None,
    )
    assert (typo.code, typo.data["error"]["code"]) == (2, "INVALID_ID")
    assert wrong not in typo.data["error"]["message"]
    uncle = run(
        "bind",
        "--payer",
        "孙悦",
        "--relative",
        "何建军",
        "--name",
        "何建军",
        "--relation",
        "舅舅",
        "--accept-commitment",
        today=None,
    )
    assert (uncle.code, uncle.data["error"]["code"]) == (2, "UNKNOWN_RELATION")
    assert state.read_bytes() == before

    graded = run("scenario", "check", today=None)
    assert graded.code == 1
    failing = [g["id"] for g in graded.data["goals"] if not g["passed"]]
    assert failing == ["mother-bound"]
    run("bind", *mother, "--relation", "parent", "--accept-commitment", today=None)
    assert run("scenario", "check", today=None).code == 0
