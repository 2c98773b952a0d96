"""Races: famcov processes started at the same moment against one state file.

Money is conserved, a relative's year is paid at most once (the others are told
ALREADY_PAID), no update is lost, and a lock held by a hung process gives
STATE_LOCKED (exit 3) after FAMCOV_LOCK_TIMEOUT seconds instead of a hang.

Size: FAMCOV_RACE_PROCESSES (default 6) processes per race.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from famcov.doctor import examine
from famcov.store import Store

N = int(os.environ.get("FAMCOV_RACE_PROCESSES", "6"))
TODAY = "2026-11-24"
ZHANG_WEI = "510104198503150017"
LI_NA = "510105198708230025"
XIAOYU = "510104201506120045"


def famcov_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(COLUMNS="100", NO_COLOR="1", TERM="dumb", FAMCOV_LOCK_TIMEOUT="60")
    env.update(extra)
    return env


def argv(state: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "famcov",
        "--json",
        "--state",
        str(state),
        "--today",
        TODAY,
        *args,
    ]


def famcov(state: Path, *args: str, **env: str) -> tuple[int, dict]:
    done = subprocess.run(
        argv(state, *args), env=famcov_env(**env), capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def race(state: Path, commands: list[tuple[str, ...]], **env: str) -> list[tuple[int, dict]]:
    """Start every command at once (released together by a barrier) and collect them."""
    gate = threading.Barrier(len(commands))
    results: list[tuple[int, dict] | None] = [None] * len(commands)

    def one(i: int) -> None:
        gate.wait()
        results[i] = famcov(state, *commands[i], **env)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(commands))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def healthy(state: Path):
    loaded = Store(state).load()  # the ledger check
    assert examine(Store(state)).problems == []
    return loaded


def balance(state: Path, worker: str) -> int:
    return next(w.balance for w in Store(state).load().workers if w.id == worker)


@pytest.fixture
def demo_state(tmp_path: Path) -> Path:
    state = tmp_path / "state.json"
    code, _ = famcov(state, "init", "--demo")
    assert code == 0
    return state


def test_parallel_credits_all_land(demo_state: Path) -> None:
    before = balance(demo_state, ZHANG_WEI)
    amounts = [f"{i}.0{i % 10}" for i in range(1, N + 1)]
    results = race(
        demo_state, [("admin", "credit", "--id", ZHANG_WEI, "--amount", a) for a in amounts]
    )
    assert [code for code, _ in results] == [0] * N, results
    state = healthy(demo_state)
    seqs = [data["entry"]["seq"] for _, data in results]
    assert len(set(seqs)) == N
    credited = {e.seq: e.amount for e in state.ledger if e.kind == "credit"}
    assert sorted(credited[s] for s in seqs) == sorted(int(a.replace(".", "")) for a in amounts)
    added = sum(int(a.replace(".", "")) for a in amounts)
    assert balance(demo_state, ZHANG_WEI) == before + added


def test_one_relative_year_is_paid_once_whoever_races(demo_state: Path) -> None:
    """Both parents (and each of them several times) pay their daughter's 2027 at once."""
    payers = [ZHANG_WEI if i % 2 else LI_NA for i in range(N)]
    before = {p: balance(demo_state, p) for p in (ZHANG_WEI, LI_NA)}
    pay = ("--relative", XIAOYU, "--region", "510100", "--year", "2027", "--tier", "standard")
    results = race(demo_state, [("pay", "--payer", p, *pay, "--yes") for p in payers])
    winners = [(p, data) for p, (code, data) in zip(payers, results, strict=True) if code == 0]
    losers = [data for code, data in results if code != 0]
    assert len(winners) == 1, results
    assert len(losers) == N - 1
    for code, data in results:
        assert code in (0, 1)
        if code == 1:
            assert data["error"]["code"] == "ALREADY_PAID", data
    state = healthy(demo_state)
    paid = [p for p in state.payments if (p.relative, p.year, p.status) == (XIAOYU, 2027, "paid")]
    assert len(paid) == 1 and paid[0].no == winners[0][1]["receipt"]["no"]
    winner = winners[0][0]
    for p in (ZHANG_WEI, LI_NA):
        assert balance(demo_state, p) == before[p] - (40000 if p == winner else 0)


def _name(i: int) -> str:
    digits = "一二三四五六七八九十"
    return "王" + digits[i % 10] + digits[i // 10 % 10]


def test_one_account_never_pays_more_than_it_holds(tmp_path: Path) -> None:
    """N relatives, money for two payments: exactly two succeed, the rest are refused
    for the balance, and the account never goes below zero."""
    from stdnum.cn import ric

    state = tmp_path / "state.json"
    assert famcov(state, "init")[0] == 0
    payer = "51010419800101001"
    payer += ric.calc_check_digit(payer + "0")
    rows = [f"worker,{payer},王五,510100,,800.00,,"]
    relatives = []
    for i in range(N):
        body = f"51010420100101{i + 1:03d}"
        relatives.append(body + ric.calc_check_digit(body + "0"))
        rows.append(f"resident,{relatives[-1]},{_name(i)},510100,2027,,,")
    csv = tmp_path / "people.csv"
    csv.write_text("kind,id,name,region,year,balance,status,channel\n" + "\n".join(rows) + "\n")
    code, data = famcov(state, "admin", "import", str(csv))
    assert code == 0, data
    for i, rid in enumerate(relatives):
        name = _name(i)
        bind = ("bind", "--payer", payer, "--relative", rid, "--name", name)
        assert famcov(state, *bind, "--relation", "child", "--accept-commitment")[0] == 0
    where = ("--region", "510100", "--year", "2027")
    results = race(
        state,
        [
            ("pay", "--payer", payer, "--relative", r, *where, "--tier", "standard", "--yes")
            for r in relatives
        ],
    )
    ok = [data for code, data in results if code == 0]
    refused = [data["error"]["code"] for code, data in results if code != 0]
    assert len(ok) == 2, results
    assert refused == ["INSUFFICIENT_BALANCE"] * (N - 2)
    assert balance(state, payer) == 0
    healthy(state)
    befores = sorted(d["receipt"]["balance_before"] for d in ok)
    assert befores == ["400.00", "800.00"]


def test_credits_pays_and_revokes_interleaved_conserve_money(demo_state: Path) -> None:
    """Everything at once on one account: the balance is the opening balance plus what
    the successful writes say, and the ledger agrees."""
    start = balance(demo_state, ZHANG_WEI)
    pay = ("pay", "--payer", ZHANG_WEI, "--relative", XIAOYU, "--region", "510100")
    pay += ("--year", "2027", "--tier", "standard", "--yes")
    commands = [pay, pay] + [
        ("admin", "credit", "--id", ZHANG_WEI, "--amount", f"{i}.00") for i in range(1, N - 1)
    ]
    results = race(demo_state, commands)
    moved = 0
    for command, (code, data) in zip(commands, results, strict=True):
        if code == 0 and command[0] == "pay":
            moved -= 40000
        elif code == 0:
            moved += int(data["amount"].replace(".", ""))
    no = next(d["receipt"]["no"] for c, d in results if c == 0 and "receipt" in d)
    revokes = race(demo_state, [("revoke", no, "--reason", "duplicate", "--yes")] * 3)
    assert sorted(code for code, _ in revokes) == [0, 1, 1]
    assert {d["error"]["code"] for c, d in revokes if c} == {"ALREADY_REVOKED"}
    moved += 40000
    healthy(demo_state)
    assert balance(demo_state, ZHANG_WEI) == start + moved


def _hold_lock(state: Path) -> subprocess.Popen:
    """A 'hung' famcov: a process that took the state's lock and never lets go (made
    0600, as famcov makes it)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom filelock import FileLock\n"
            "lock = FileLock(sys.argv[1], mode=0o600)\nlock.acquire()\nprint('held', flush=True)\n"
            "time.sleep(600)\n",
            str(state) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.parametrize("timeout", ["0", "1"])
def test_a_hung_lock_holder_gives_state_locked_in_bounded_time(
    demo_state: Path, timeout: str
) -> None:
    holder = _hold_lock(demo_state)
    try:
        before = demo_state.read_bytes()
        for args in (
            ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1"),
            ("revoke", "DJ202510100001", "--reason", "other", "--yes"),
            ("init", "--demo", "--force"),
        ):
            t0 = time.monotonic()
            code, data = famcov(demo_state, *args, FAMCOV_LOCK_TIMEOUT=timeout)
            waited = time.monotonic() - t0
            assert code == 3, data
            assert data["error"]["code"] == "STATE_LOCKED"
            assert timeout in data["error"]["message"] or timeout == "0"
            assert float(timeout) <= waited < float(timeout) + 5
        # reading takes no lock: it still works while a writer hangs
        code, data = famcov(demo_state, "payments", FAMCOV_LOCK_TIMEOUT=timeout)
        assert code == 0 and len(data["payments"]) == 1
        code, data = famcov(demo_state, "doctor")
        assert code == 0 and data["ok"] is True
        assert demo_state.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    assert famcov(demo_state, "admin", "credit", "--id", ZHANG_WEI, "--amount", "1")[0] == 0


@pytest.mark.parametrize("value", ["abc", "-1", "1e9", "nan"])
def test_a_nonsense_lock_timeout_falls_back_to_the_default(value: str) -> None:
    from famcov.store import DEFAULT_LOCK_TIMEOUT, lock_timeout

    os.environ["FAMCOV_LOCK_TIMEOUT"] = value
    try:
        assert lock_timeout() == DEFAULT_LOCK_TIMEOUT
    finally:
        del os.environ["FAMCOV_LOCK_TIMEOUT"]
