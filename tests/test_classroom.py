"""`famcov scenario room`: a whole class in one command (issue 19), and `scenario check`
showing the class by name. Through the public surface: the typer app with --json, as a
trainer's script would; the file listing shows what the room leaves in its folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_message, snapshot

RECEIPT = "DJ202610120001"  # revoke-repay: the higher tier paid by mistake
REPAY = ("pay", "--payer", "吴芳", "--relative", "吴桂英", "--region", "成都", "--year", "2027")


def room(run, folder: Path, trainees: str, *more: str, lang: str | None = None):
    return run(
        "scenario",
        "room",
        "revoke-repay",
        str(folder),
        "--trainees",
        trainees,
        *more,
        today=None,
        lang=lang,
    )


def test_a_class_of_twenty_by_number(run, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    outcome = room(run, folder, "20")
    assert outcome.code == 0, outcome
    data = outcome.data["room"]
    names = [t["name"] for t in data["trainees"]]
    assert names == [f"trainee-{i:02d}" for i in range(1, 21)]
    # one state file per trainee and nothing else: no lock file, no backup
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.json" for n in names)
    for t in data["trainees"]:
        assert Path(t["path"]).parent == folder.resolve()
        assert t["command"] == f"famcov --state {t['path']}"
    assert data["check"].startswith("famcov scenario check ") and "--watch" in data["check"]
    # each file is the scenario as `scenario start` makes it, and carries its trainee
    start = run("scenario", "start", "revoke-repay", today=None, state_path=tmp_path / "s.json")
    assert start.code == 0
    mine = json.loads((folder / "trainee-07.json").read_text(encoding="utf-8"))
    theirs = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert mine["scenario"] == {**theirs["scenario"], "trainee": "trainee-07"}
    assert "trainee" not in theirs["scenario"]  # a file from `scenario start` has none
    for key in ("workers", "enrolments", "bindings", "payments", "ledger"):
        assert mine.get(key) == theirs.get(key), key


def test_names_given_by_commas_and_by_a_file(run, tmp_path: Path) -> None:
    outcome = room(run, tmp_path / "a", "王芳, 李雷，Li Na", lang="en")
    assert outcome.code == 0
    rows = outcome.data["room"]["trainees"]
    assert [t["name"] for t in rows] == ["王芳", "李雷", "Li Na"]
    assert [Path(t["path"]).name for t in rows] == ["王芳.json", "李雷.json", "Li_Na.json"]
    assert all(t["command"].endswith(" --lang en") for t in rows)
    names = tmp_path / "names.txt"
    names.write_text("\ufeff# 第一排\n张三\n\n  李四  \n", encoding="utf-8")
    listed = room(run, tmp_path / "b", str(names))
    assert [t["name"] for t in listed.data["room"]["trainees"]] == ["张三", "李四"]


@pytest.mark.parametrize(
    "given",
    ["0", "201", "王芳,王芳", "a,../evil", "a/b.txt", "names.txt", " , ", ".hidden", "CON"],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_class_list_writes_nothing(run, tmp_path: Path, given: str, lang: str) -> None:
    folder = tmp_path / "class"
    outcome = room(run, folder, given, lang=lang)
    assert outcome.code == 2
    error = outcome.data["error"]
    assert error["code"] == "ROOM_TRAINEES"
    assert_message(error["message"], lang, allow=("王芳",))
    assert not folder.exists()


def test_an_existing_class_needs_force_and_keeps_the_old_files(run, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    assert room(run, folder, "王芳,李雷").code == 0
    run("revoke", RECEIPT, "--reason", "other", today=None, state_path=folder / "王芳.json")
    before = {p.name: snapshot(p) for p in folder.iterdir()}
    again = room(run, folder, "李雷,韩梅梅")
    assert again.code == 3 and again.data["error"]["code"] == "ROOM_EXISTS"
    assert "李雷.json" in again.data["error"]["message"]
    assert {p.name: snapshot(p) for p in folder.iterdir()} == before  # not even 韩梅梅
    forced = room(run, folder, "王芳,李雷", "--force")
    assert forced.code == 0
    # no lock file of the room's nor of the revoke's: the store takes its lock away
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["李雷.json", "李雷.json.bak", "王芳.json", "王芳.json.bak"]


def test_a_file_where_the_folder_should_be(run, tmp_path: Path) -> None:
    there = tmp_path / "class"
    there.write_text("notes", encoding="utf-8")
    outcome = room(run, there, "3")
    assert outcome.code == 2 and outcome.data["error"]["code"] == "ROOM_NOT_FOLDER"
    assert there.read_text(encoding="utf-8") == "notes"


def test_an_unknown_scenario_and_a_missing_list(run, tmp_path: Path) -> None:
    unknown = run("scenario", "room", "nope", str(tmp_path / "c"), "--trainees", "3")
    assert unknown.code == 2 and unknown.data["error"]["code"] == "UNKNOWN_SCENARIO"
    missing = run("scenario", "room", "happy-path", str(tmp_path / "c"))
    assert missing.code == 2 and missing.data["error"]["code"] == "MISSING_OPTION"
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_shows_the_class_by_name(run, tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "class"
    assert room(run, folder, "王芳,李雷").code == 0
    done = folder / "王芳.json"
    run("revoke", RECEIPT, "--reason", "other", today=None, state_path=done)
    run(*REPAY, "--tier", "standard", today=None, state_path=done)
    listing = sorted(folder.iterdir())
    graded = run("scenario", "check", str(folder), lang=lang)
    assert graded.code == 1
    rows = {f["trainee"]: f["passed"] for f in graded.data["files"]}
    assert rows == {"王芳": True, "李雷": False}
    assert sorted(folder.iterdir()) == listing  # read only: no lock file either
    table = run("scenario", "check", str(folder), lang=lang, json_out=False, env={"COLUMNS": "80"})
    assert table.code == 1
    heading = "学员" if lang == "zh" else "Trainee"
    assert heading in table.data and "王芳" in table.data and "李雷" in table.data
    assert "王芳.json" not in table.data  # told apart by name, not by file
    assert all(len(line) <= 80 for line in table.data.splitlines())


def test_a_state_from_scenario_start_has_no_trainee(run, state: Path) -> None:
    assert run("scenario", "start", "revoke-repay", today=None).code == 0
    graded = run("scenario", "check", today=None)
    assert graded.data["trainee"] is None


def test_watch_needs_a_terminal(run, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    room(run, folder, "2")
    outcome = run("scenario", "check", str(folder), "--watch")
    assert outcome.code == 2 and outcome.data["error"]["code"] == "WATCH_NEEDS_TERMINAL"
    text = run("scenario", "check", str(folder), "--watch", json_out=False)
    assert text.code == 2 and "Ctrl-C" in text.stderr
