"""Hostile files: hand-edited or bit-flipped states, odd paths, loose umasks, and
import files that never end. Each is refused with a documented code and leaves
every file as it was; none is an INTERNAL error, none hangs.

The byte-flip test runs FAMCOV_FLIPS random flips (default 200); the figures in
docs/guarantees.md come from FAMCOV_FLIPS=3000.
"""

from __future__ import annotations

import json
import os
import random
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_RECEIPT, DEMO_TODAY, XIAOYU, ZHANG_WEI

from famcov.doctor import examine
from famcov.statefile import sealed
from famcov.store import Store

FLIPS = int(os.environ.get("FAMCOV_FLIPS", "200"))


def edit(path: Path, old: str, new: str, count: int = 1) -> bytes:
    """A hand edit: replace `old` by `new` in the file's text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path.read_bytes()


def doctor_codes(run) -> set[str]:
    outcome = run("doctor")
    return {p["code"] for p in outcome.data["problems"]}


def test_famcov_seals_what_it_writes(demo: Path) -> None:
    data = demo.read_bytes()
    assert sealed(data)
    edited = data.replace(b'"schema": ', b'"schema":  ', 1)  # one space more: same JSON
    assert edited != data and not sealed(edited)


def test_a_lowered_receipt_counter_is_refused_before_it_reissues_a_number(
    run, refused, demo: Path
) -> None:
    # Lowered below the receipts already issued, the next payment would take an old
    # number, and revoking "it" would revoke the other payment.
    text = demo.read_text(encoding="utf-8")
    demo.write_text(re.sub(r'"next_receipt": [0-9]+', '"next_receipt": 1', text), encoding="utf-8")
    damaged = demo.read_bytes()
    for args in (
        (
            "pay",
            "--payer",
            ZHANG_WEI,
            "--relative",
            XIAOYU,
            "--region",
            "成都",
            "--year",
            "2027",
            "--tier",
            "standard",
            "--yes",
        ),
        ("revoke", DEMO_RECEIPT, "--reason", "duplicate", "--yes"),
        ("payments",),
    ):
        data = refused(*args, code="STATE_CORRUPT", exit=3)
        assert "next_receipt" in data["error"]["message"]
    assert demo.read_bytes() == damaged
    assert "RECEIPT_COUNTER" in doctor_codes(run)


def test_duplicate_keys_are_refused_not_merged(run, refused, demo: Path) -> None:
    damaged = edit(demo, '"name": "张伟",', '"name": "张伟",\n   "name": "王五",')
    refused("account", "--payer", ZHANG_WEI, code="STATE_CORRUPT", exit=3)
    refused("admin", "credit", "--id", ZHANG_WEI, "--amount", "1", code="STATE_CORRUPT", exit=3)
    assert demo.read_bytes() == damaged
    assert "DUPLICATE_KEY" in doctor_codes(run)


@pytest.mark.parametrize("control", ["\\u001b[2J", "\\u009b2J", "\\u202e", "\\n", "\u0085"])
def test_control_characters_in_stored_text_are_refused(
    run, refused, demo: Path, control: str
) -> None:
    damaged = edit(demo, '"name": "张伟"', f'"name": "张{control}伟"')
    refused("family", "--payer", "510104198503150017", code="STATE_CORRUPT", exit=3)
    assert demo.read_bytes() == damaged
    assert "CONTROL_CHARACTER" in doctor_codes(run)


def test_an_escaped_backslash_is_no_control_character(ok, demo: Path) -> None:
    edit(demo, '"name": "张伟"', '"name": "张\\\\n伟"')  # the text 张\n伟, not a line break
    ok("account", "--payer", ZHANG_WEI)


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deep_nesting_is_corrupt_not_internal(refused, demo: Path, depth: int) -> None:
    text = demo.read_text(encoding="utf-8")
    demo.write_text(
        text.replace('"name": "张伟"', '"name": ' + "[" * depth + "]" * depth, 1),
        encoding="utf-8",
    )
    refused("account", "--payer", ZHANG_WEI, code="STATE_CORRUPT", exit=3)


def test_random_byte_flips_are_never_written_while_unhealthy(demo: Path) -> None:
    """The property the store promises: a file that breaks an invariant (as doctor
    judges it) is never rewritten; a change is made only to a healthy file."""
    pristine = demo.read_bytes()
    store = Store(demo)
    rng = random.Random(20261125)
    env = {**os.environ, "FAMCOV_STATE": str(demo), "FAMCOV_TODAY": DEMO_TODAY}
    env.pop("FAMCOV_DEBUG", None)
    outcomes = {"refused": 0, "healthy": 0}
    for _ in range(FLIPS):
        data = bytearray(pristine)
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)
        demo.write_bytes(bytes(data))
        healthy = examine(store).ok
        code = _credit_in_process(demo)
        if healthy:
            outcomes["healthy"] += 1
            continue
        outcomes["refused"] += 1
        assert code == 3, (at, code)
        assert demo.read_bytes() == bytes(data), f"an unhealthy file was rewritten (flip at {at})"
    print(f"byte flips: {FLIPS}, outcomes: {outcomes}")
    assert outcomes["refused"] > FLIPS // 2, outcomes
    del env


def _credit_in_process(state: Path) -> int:
    from conftest import invoke

    result = invoke(
        [
            "--json",
            "--state",
            str(state),
            "--today",
            DEMO_TODAY,
            "admin",
            "credit",
            "--id",
            ZHANG_WEI,
            "--amount",
            "1",
        ]
    )
    data = json.loads(result.stdout)
    assert data["ok"] or data["error"]["code"] != "INTERNAL", data
    return result.exit_code


# -- init --force on what is not a regular file -------------------------------------------------


def test_init_force_on_a_fifo_neither_hangs_nor_replaces_it(refused, run, tmp_path: Path) -> None:
    fifo = tmp_path / "state.json"
    os.mkfifo(fifo)
    refused("init", "--force", code="STATE_UNSAFE", exit=3, state_path=fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_init_force_on_a_folder_is_refused(refused, tmp_path: Path) -> None:
    folder = tmp_path / "state.json"
    folder.mkdir()
    (folder / "keep").write_text("x")
    data = refused("init", "--force", code="STATE_UNSAFE", exit=3, state_path=folder)
    assert "INTERNAL" not in json.dumps(data)
    assert (folder / "keep").read_text() == "x"


def test_init_force_never_replaces_a_device(refused, tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, OSError):
        pytest.skip("creating a device needs root")
    refused("init", "--force", code="STATE_UNSAFE", exit=3, state_path=device)
    assert stat.S_ISCHR(os.lstat(device).st_mode)


# -- folders and modes, whatever the umask -----------------------------------------------------


def _famcov(state: Path, *args: str, umask: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAMCOV_TODAY": DEMO_TODAY}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import os; os.umask({umask:#o}); from famcov.cli import main; main()",
            "--json",
            "--state",
            str(state),
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277, 0o777])
def test_created_folders_are_0700_and_files_0600_whatever_the_umask(
    tmp_path: Path, umask: int
) -> None:
    state = tmp_path / "a" / "b" / "state.json"
    done = _famcov(state, "init", "--demo", umask=umask)
    assert done.returncode == 0, done.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    # ... and the file stays usable: not a 0000 file every later command calls corrupt
    again = _famcov(state, "admin", "credit", "--id", ZHANG_WEI, "--amount", "1", umask=umask)
    assert again.returncode == 0, again.stdout
    assert stat.S_IMODE(state.stat().st_mode) == 0o600


def test_a_loose_lock_file_is_flagged_and_mended(run, ok, demo: Path) -> None:
    lock = demo.with_name(demo.name + ".lock")
    lock.touch()  # left by a writer of another version, or made by hand
    os.chmod(lock, 0o644)
    assert "LOCK_MODE" in doctor_codes(run)
    ok("admin", "credit", "--id", ZHANG_WEI, "--amount", "1")
    assert not lock.exists() or stat.S_IMODE(lock.stat().st_mode) == 0o600
    assert "LOCK_MODE" not in doctor_codes(run)


def test_a_grandparent_others_may_write_to_is_refused(run, refused, tmp_path: Path) -> None:
    grand = tmp_path / "shared"
    state = grand / "mine" / "state.json"
    assert run("init", "--demo", state_path=state).code == 0
    os.chmod(grand, 0o777)  # anyone could rename "mine" away and plant their own
    try:
        for args in (
            ("account", "--payer", ZHANG_WEI),
            ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1"),
        ):
            data = refused(*args, code="STATE_UNSAFE", exit=3, state_path=state)
            assert str(grand) in data["error"]["message"]
        codes = {p["code"] for p in run("doctor", state_path=state).data["problems"]}
        assert "ANCESTOR_UNSAFE" in codes
        os.chmod(grand, 0o1777)  # with the sticky bit (as /tmp), only the owner may rename
        assert run("account", "--payer", ZHANG_WEI, state_path=state).code == 0
    finally:
        os.chmod(grand, 0o700)


def test_a_folder_owned_by_another_user_is_refused(run, refused, tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    folder = tmp_path / "theirs"
    state = folder / "state.json"
    assert run("init", "--demo", state_path=state).code == 0
    os.chown(folder, 65534, 65534)  # nobody
    refused("account", "--payer", ZHANG_WEI, code="STATE_UNSAFE", exit=3, state_path=state)


def test_no_permission_is_said_as_such(tmp_path: Path) -> None:
    if os.getuid() == 0:
        pytest.skip("root reads every file: run the suite as a user to cover this")
    state = tmp_path / "state.json"
    assert _famcov(state, "init", umask=0o077).returncode == 0
    os.chmod(state, 0)
    done = _famcov(state, "account", "--payer", ZHANG_WEI, umask=0o077)
    assert done.returncode == 3
    assert json.loads(done.stdout)["error"]["code"] == "STATE_UNREADABLE"


# -- import files that would never end ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["zero", "fifo", "folder"])
def test_import_of_what_is_not_a_file_is_refused_at_once(
    refused, demo: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "zero":
        source = "/dev/zero"
    elif kind == "fifo":
        source = str(tmp_path / "rows.csv")
        os.mkfifo(source)
    else:
        source = str(tmp_path)
    refused("admin", "import", source, code="BAD_IMPORT", exit=2)


def test_import_of_a_file_over_the_limit_is_refused_without_reading_it_whole(
    refused, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from famcov import files

    monkeypatch.setattr(files, "MAX_IMPORT_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_text("kind,id,name,region,year,balance,status,channel\n" + "x" * 5000)
    data = refused("admin", "import", str(big), code="BAD_IMPORT", exit=2)
    assert "MB" in json.dumps(data, ensure_ascii=False)
