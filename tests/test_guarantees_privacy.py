"""Privacy: no full resident ID leaves famcov, and the state file is created safely.

- Every command, in both languages, as text and as JSON, succeeding and refused
  (including IDs typed into the wrong flag): stdout and stderr hold no full ID.
- The state file, its lock and its backups are 0600; a folder famcov creates is 0700.
- famcov never writes through a symbolic link (state path, lock file, temporary
  file) and never writes into a folder anyone may write to without the sticky bit.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    DEFU,
    DEMO_RECEIPT,
    JIANGUO,
    LI_NA,
    XIAOYU,
    XIUYING,
    ZHANG_LI,
    ZHANG_WEI,
    invoke,
    make_id,
)

from famcov.store import Store

DEMO_IDS = (ZHANG_WEI, LI_NA, XIAOYU, JIANGUO, XIUYING, ZHANG_LI, DEFU)
NEW_ID = make_id("510104", "19920304", "456")
BAD_CHECK = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")
# Any 18-character ID, and the same with the usual 6-8-4 spacing.
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|[0-9]{6}[ -][0-9]{8}[ -][0-9]{3}[0-9Xx]")


def leaks(text: str) -> list[str]:
    found = FULL_ID.findall(text)
    found += [i for i in (*DEMO_IDS, NEW_ID, BAD_CHECK) if i in text]
    return found


PAY = ("--region", "510100", "--year", "2027", "--tier", "standard", "--yes")

# (args, expected exit) — every command, succeeding and refused.
COMMANDS: list[tuple[tuple[str, ...], int | None]] = [
    (("payments",), 0),
    (("payments", "--payer", ZHANG_WEI, "--relative", XIAOYU), 0),
    (("receipt", DEMO_RECEIPT), 0),
    (("account", "--payer", ZHANG_WEI), 0),
    (("account", "--payer", LI_NA), 0),
    (("family", "--payer", ZHANG_WEI), 0),
    (("family", "--payer", LI_NA), 0),
    (("policy",), 0),
    (("policy", "--province", "四川", "--year", "2027"), 0),
    (("doctor",), 0),
    (
        (
            "check",
            "--payer",
            ZHANG_WEI,
            "--relative",
            XIAOYU,
            "--region",
            "510100",
            "--year",
            "2026",
        ),
        1,
    ),
    (
        (
            "check",
            "--payer",
            ZHANG_WEI,
            "--relative",
            ZHANG_LI,
            "--region",
            "530100",
            "--year",
            "2027",
        ),
        1,
    ),
    (
        ("check", "--payer", ZHANG_WEI, "--relative", DEFU, "--region", "510100", "--year", "2027"),
        1,
    ),
    (
        (
            "check",
            "--payer",
            ZHANG_WEI,
            "--relative",
            XIUYING,
            "--region",
            "510100",
            "--year",
            "2027",
        ),
        1,
    ),
    (("pay", "--payer", ZHANG_WEI, "--relative", XIAOYU, *PAY), 0),
    (("pay", "--payer", LI_NA, "--relative", XIAOYU, *PAY), 1),
    (("pay", "--payer", ZHANG_WEI, "--relative", NEW_ID, *PAY), 1),
    (("revoke", DEMO_RECEIPT, "--reason", "moved", "--yes"), 0),
    (("revoke", DEMO_RECEIPT, "--reason", "moved", "--yes"), 1),
    (
        (
            "bind",
            "--payer",
            LI_NA,
            "--relative",
            JIANGUO,
            "--name",
            "张建国",
            "--relation",
            "parent",
            "--accept-commitment",
        ),
        0,
    ),
    (
        (
            "bind",
            "--payer",
            LI_NA,
            "--relative",
            JIANGUO,
            "--name",
            "张建国",
            "--relation",
            "parent",
            "--accept-commitment",
        ),
        1,
    ),
    (
        (
            "bind",
            "--payer",
            LI_NA,
            "--relative",
            LI_NA,
            "--name",
            "李娜",
            "--relation",
            "spouse",
            "--accept-commitment",
        ),
        1,
    ),
    (
        (
            "bind",
            "--payer",
            LI_NA,
            "--relative",
            XIAOYU,
            "--name",
            "别人",
            "--relation",
            "child",
            "--accept-commitment",
        ),
        1,
    ),
    (("bind", "--payer", LI_NA, "--relative", NEW_ID, "--name", "新人", "--relation", "child"), 1),
    (("unbind", "--payer", LI_NA, "--relative", JIANGUO, "--yes"), 0),
    (("unbind", "--payer", LI_NA, "--relative", JIANGUO, "--yes"), 1),
    (
        (
            "admin",
            "add-worker",
            "--id",
            NEW_ID,
            "--name",
            "新人",
            "--region",
            "510100",
            "--balance",
            "10",
        ),
        0,
    ),
    (
        (
            "admin",
            "add-worker",
            "--id",
            NEW_ID,
            "--name",
            "新人",
            "--region",
            "510100",
            "--balance",
            "10",
        ),
        1,
    ),
    (
        (
            "admin",
            "enrol",
            "--id",
            NEW_ID,
            "--name",
            "新人",
            "--region",
            "510100",
            "--year",
            "2027",
        ),
        0,
    ),
    (
        (
            "admin",
            "enrol",
            "--id",
            NEW_ID,
            "--name",
            "别名",
            "--region",
            "510100",
            "--year",
            "2028",
        ),
        1,
    ),
    (("admin", "enrol", "--id", XIUYING, "--name", "王秀英", "--employee"), 0),
    (("admin", "record-payment", "--id", NEW_ID, "--year", "2027", "--channel", "tax"), 0),
    (("admin", "record-payment", "--id", NEW_ID, "--year", "2027", "--channel", "tax"), 1),
    (("admin", "credit", "--id", ZHANG_WEI, "--amount", "12.34"), 0),
    (("admin", "credit", "--id", NEW_ID[:17] + "X", "--amount", "1"), 2),
    # IDs typed into places where no ID belongs: echoed values must be masked too
    (("admin", "credit", "--id", BAD_CHECK, "--amount", "1"), 2),
    (("admin", "credit", "--id", ZHANG_WEI, "--amount", ZHANG_WEI), 2),
    (
        (
            "admin",
            "enrol",
            "--id",
            NEW_ID,
            "--name",
            XIAOYU,
            "--region",
            "510100",
            "--year",
            "2027",
        ),
        2,
    ),
    (("admin", "enrol", "--id", NEW_ID, "--name", "新人", "--region", XIAOYU, "--year", "2027"), 2),
    (
        (
            "admin",
            "enrol",
            "--id",
            NEW_ID,
            "--name",
            "新人",
            "--region",
            "510100",
            "--year",
            XIAOYU,
        ),
        2,
    ),
    (("admin", "record-payment", "--id", NEW_ID, "--year", "2027", "--channel", XIAOYU), 2),
    (
        (
            "admin",
            "add-worker",
            "--id",
            NEW_ID,
            "--name",
            "新人",
            "--region",
            "510100",
            "--balance",
            "1",
            "--status",
            XIAOYU,
        ),
        2,
    ),
    (
        (
            "bind",
            "--payer",
            LI_NA,
            "--relative",
            DEFU,
            "--name",
            "张德福",
            "--relation",
            XIAOYU,
            "--accept-commitment",
        ),
        2,
    ),
    (
        (
            "pay",
            "--payer",
            ZHANG_WEI,
            "--relative",
            JIANGUO,
            "--region",
            "510700",
            "--year",
            "2027",
            "--tier",
            XIAOYU,
            "--yes",
        ),
        1,
    ),
    (("revoke", XIAOYU, "--reason", "other", "--yes"), 1),
    (("revoke", DEMO_RECEIPT, "--reason", XIAOYU, "--yes"), 2),
    (("receipt", XIAOYU), 1),
    (("receipt", DEMO_RECEIPT, XIAOYU), 2),
    (("policy", "--province", XIAOYU), 2),
    (("family", "--payer", f"{XIAOYU[:6]} {XIAOYU[6:14]} {XIAOYU[14:]}"), 1),
    (("account", "--payer", BAD_CHECK), 2),
    (("payments", "--year", XIAOYU), 2),
    ((f"--{XIAOYU}",), 2),
    ((XIAOYU,), 2),
]


def _scan(args: tuple[str, ...], lang: str, json_out: bool, state: Path) -> tuple[int, str]:
    head = ["--json"] if json_out else []
    head += ["--state", str(state), "--today", "2026-11-24", "--lang", lang]
    result = invoke([*head, *args])
    text = result.stdout + result.stderr
    assert not leaks(text), (args, leaks(text), text)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("json_out", [True, False], ids=["json", "text"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_command_shows_a_full_id(demo: Path, lang: str, json_out: bool) -> None:
    for args, exit_code in COMMANDS:
        code, _ = _scan(args, lang, json_out, demo)
        if exit_code is not None:
            assert code == exit_code, (args, code)


def test_receipts_and_the_import_report_show_no_full_id(demo: Path, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(
        "kind,id,name,region,year,balance,status,channel\n"
        f"worker,{BAD_CHECK},某人,510100,,10,,\n"
        f"resident,{NEW_ID},{XIAOYU},510100,2027,,,\n"
        f"resident,{XIAOYU},张小雨,{ZHANG_WEI},2027,,,\n"
        f"paid-elsewhere,{XIAOYU},,,{LI_NA},,,tax\n",
        encoding="utf-8",
    )
    for lang in ("zh", "en"):
        for json_out in (True, False):
            code, _ = _scan(("admin", "import", str(csv)), lang, json_out, demo)
            assert code == 2
            _scan(("receipt", DEMO_RECEIPT), lang, json_out, demo)


def test_a_corrupt_file_is_reported_without_full_ids(demo: Path) -> None:
    data = json.loads(demo.read_bytes())
    data["workers"][0]["status"] = ZHANG_WEI  # an ID where a choice belongs
    demo.write_text(json.dumps(data), encoding="utf-8")
    for lang in ("zh", "en"):
        for json_out in (True, False):
            for args in (("payments",), ("doctor",)):
                code, _ = _scan(args, lang, json_out, demo)
                assert code == 3


def test_full_ids_are_only_in_the_state_file(demo: Path) -> None:
    """The one place the full number lives; no lock file is left beside it (it is
    removed when its writer lets go, and holds nothing meanwhile)."""
    text = demo.read_text(encoding="utf-8")
    assert ZHANG_WEI in text
    assert sorted(p.name for p in demo.parent.iterdir()) == ["state.json"]


# -- file modes -----------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _famcov(state: Path, *args: str, umask: int = 0o022) -> subprocess.CompletedProcess:
    code = f"import os, sys\nos.umask({umask})\nsys.argv = ['famcov', *sys.argv[1:]]\n"
    code += "from famcov.cli import main\nmain()\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "--json",
            "--state",
            str(state),
            "--today",
            "2026-11-24",
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_files_are_0600_and_a_new_folder_0700_whatever_the_umask(tmp_path: Path) -> None:
    state = tmp_path / "a" / "b" / "state.json"
    done = _famcov(state, "init", "--demo", umask=0)
    assert done.returncode == 0, done.stderr
    assert _mode(state) == 0o600
    assert not state.with_name("state.json.lock").exists()  # removed on release
    assert _mode(state.parent) == 0o700
    assert _famcov(state, "admin", "credit", "--id", ZHANG_WEI, "--amount", "1", umask=0).returncode == 0  # fmt: skip
    assert _mode(state) == 0o600


def test_a_file_made_readable_by_others_is_reported_and_put_back_to_0600(run, demo: Path) -> None:
    os.chmod(demo, 0o644)
    doctor = run("doctor")
    assert doctor.code == 3
    assert [p["code"] for p in doctor.data["problems"]] == ["FILE_MODE"]
    assert doctor.data["error"]["code"] == "STATE_UNSAFE"
    assert run("admin", "credit", "--id", ZHANG_WEI, "--amount", "1").code == 0
    assert _mode(demo) == 0o600
    assert run("doctor").code == 0


# -- symbolic links -------------------------------------------------------------------------


def test_a_state_path_that_is_a_link_is_read_but_never_written(run, demo: Path, tmp_path: Path):
    link = tmp_path / "link.json"
    link.symlink_to(demo)
    before = demo.read_bytes()
    assert run("payments", state_path=link).code == 0
    for args in (
        ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1"),
        ("init", "--demo", "--force"),
        ("init",),
    ):
        outcome = run(*args, state_path=link)
        assert outcome.code == 3, outcome
        assert outcome.data["error"]["code"] in {"STATE_UNSAFE", "STATE_EXISTS"}
    assert (
        run("admin", "credit", "--id", ZHANG_WEI, "--amount", "1", state_path=link).data["error"][
            "code"
        ]
        == "STATE_UNSAFE"
    )
    assert link.is_symlink() and demo.read_bytes() == before
    doctor = run("doctor", state_path=link)
    assert doctor.code == 3 and "STATE_SYMLINK" in [p["code"] for p in doctor.data["problems"]]


def test_a_dangling_link_is_not_followed_to_create_a_file(run, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "planted.json"
    target.parent.mkdir()
    link = tmp_path / "state.json"
    link.symlink_to(target)
    outcome = run("init", "--demo", state_path=link)
    assert outcome.code == 3 and outcome.data["error"]["code"] == "STATE_UNSAFE"
    assert not target.exists() and link.is_symlink()


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(run, demo: Path, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    lock = demo.with_name("state.json.lock")
    lock.symlink_to(victim)
    before = demo.read_bytes()
    outcome = run("admin", "credit", "--id", ZHANG_WEI, "--amount", "1")
    assert outcome.code == 3 and outcome.data["error"]["code"] == "STATE_UNSAFE"
    assert victim.read_text() == "precious\n" and demo.read_bytes() == before
    assert "LOCK_SYMLINK" in [p["code"] for p in run("doctor").data["problems"]]


def test_a_planted_temporary_link_is_removed_not_followed(demo: Path, tmp_path: Path) -> None:
    """The temporary file is created O_EXCL|O_NOFOLLOW after removing whatever has its
    name; a leftover (even a link) is removed under the lock, never written through."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    mine = demo.with_name(f".state.json.{os.getpid()}.tmp")
    other = demo.with_name(".state.json.999999999.tmp")
    mine.symlink_to(victim)
    other.symlink_to(victim)
    store = Store(demo)
    with store.transaction() as records:
        records.state.next_receipt += 0
    assert victim.read_text() == "precious\n"
    assert not mine.exists() and not mine.is_symlink()
    assert not other.is_symlink()
    assert _mode(demo) == 0o600


# -- folders anyone may write to --------------------------------------------------------------


def test_a_world_writable_folder_without_sticky_bit_is_refused(run, demo: Path) -> None:
    folder = demo.parent
    os.chmod(folder, 0o777)
    try:
        before = demo.read_bytes()
        # Neither read nor written: whoever could swap the file could plant a forged one.
        for args in (("payments",), ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1")):
            outcome = run(*args)
            assert outcome.code == 3 and outcome.data["error"]["code"] == "STATE_UNSAFE"
            assert str(folder) in outcome.data["error"]["message"]
        assert demo.read_bytes() == before
        doctor = run("doctor")
        assert "FOLDER_UNSAFE" in [p["code"] for p in doctor.data["problems"]]
        os.chmod(folder, 0o1777)  # the sticky bit, as /tmp has: others cannot swap our files
        assert run("admin", "credit", "--id", ZHANG_WEI, "--amount", "1").code == 0
    finally:
        os.chmod(folder, 0o700)


def test_a_fifo_at_the_state_path_is_refused_not_read_forever(run, tmp_path: Path) -> None:
    fifo = tmp_path / "state.json"
    os.mkfifo(fifo)
    for args in (
        ("payments",),
        ("doctor",),
        ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1"),
    ):
        outcome = run(*args, state_path=fifo)
        # not damage (nothing to restore): no state file can be there (guarantees.md)
        assert outcome.code == 3 and outcome.data["error"]["code"] == "STATE_UNSAFE", outcome


def test_a_folder_at_the_state_path_is_refused(run, tmp_path: Path) -> None:
    folder = tmp_path / "state.json"
    folder.mkdir()
    outcome = run("payments", state_path=folder)
    assert outcome.code == 3 and outcome.data["error"]["code"] == "STATE_UNSAFE"
